/* Trap handling of the flecsim SDK. crt0 points mtvec at flecsim_trap_entry (trap.S), which
 * calls the handlers below; each has a weak default in trap.c that a program overrides by
 * defining a function of the same name. */
#ifndef FLECSIM_TRAP_H
#define FLECSIM_TRAP_H
#include <stdint.h>

/* Machine timer interrupt (mip.MTIP): re-arm or disable the timer before returning. */
void flecsim_timer_handler(void);
/* Machine software interrupt (mip.MSIP): clear msip before returning. */
void flecsim_software_handler(void);
/* One PLIC source, already claimed; the SDK completes it after the handler returns. */
void flecsim_irq_handler(unsigned source);
/* A synchronous exception; returns the pc to resume at. The default prints the cause and
 * exits with code 1. */
uint32_t flecsim_exception_handler(uint32_t mcause, uint32_t mepc, uint32_t mtval);

#endif
