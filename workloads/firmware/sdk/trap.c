/* Trap dispatch: interrupts to the timer, software and PLIC handlers, exceptions to
 * flecsim_exception_handler. Defaults are weak so programs override only what they use. */
#include "flecsim/trap.h"

#include <stdio.h>
#include <stdlib.h>

#include "flecsim/csr.h"
#include "flecsim/plic.h"
#include "flecsim/timer.h"

__attribute__((weak)) void flecsim_timer_handler(void) {
#ifdef FLECSIM_HAVE_CLINT
  timer_disable();
#else
  csr_clear(mie, MIE_MTIE);
#endif
}

__attribute__((weak)) void flecsim_software_handler(void) {
#ifdef FLECSIM_HAVE_CLINT
  software_irq_clear();
#else
  csr_clear(mie, MIE_MSIE);
#endif
}

__attribute__((weak)) void flecsim_irq_handler(unsigned source) {
  printf("flecsim sdk: unhandled interrupt from PLIC source %u\n", source);
  exit(1);
}

__attribute__((weak)) uint32_t flecsim_exception_handler(uint32_t mcause, uint32_t mepc,
                                                         uint32_t mtval) {
  printf("flecsim sdk: unhandled exception: mcause %lu at pc 0x%08lx (mtval 0x%08lx)\n",
         (unsigned long)mcause, (unsigned long)mepc, (unsigned long)mtval);
  exit(1);
}

static void external_interrupt(void) {
#ifdef FLECSIM_HAVE_PLIC
  for (unsigned source; (source = plic_claim()) != 0;) {
    flecsim_irq_handler(source);
    plic_complete(source);
  }
#else
  csr_clear(mie, MIE_MEIE);
#endif
}

uint32_t flecsim_trap_dispatch(uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  if (!(mcause & MCAUSE_INTERRUPT)) return flecsim_exception_handler(mcause, mepc, mtval);
  switch (mcause & ~MCAUSE_INTERRUPT) {
    case IRQ_M_TIMER:
      flecsim_timer_handler();
      break;
    case IRQ_M_SOFT:
      flecsim_software_handler();
      break;
    case IRQ_M_EXT:
      external_interrupt();
      break;
    default:
      return flecsim_exception_handler(mcause, mepc, mtval);
  }
  return mepc;
}
