/* picolibc integration: stdout/stderr go to the UART (or the simctrl PUTCHAR register on a
 * platform without a UART), stdin reads the UART, and _exit ends the simulation through the
 * simctrl EXIT register and HTIF tohost (when the program defines the `tohost` symbol). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "flecsim/csr.h"
#include "flecsim/simctrl.h"
#include "flecsim/uart.h"

static int console_put(char c, FILE* file) {
  (void)file;
#if defined(FLECSIM_HAVE_UART)
  uart_putc(c);
#elif defined(FLECSIM_HAVE_SIMCTRL)
  sim_putchar(c);
#else
  (void)c;
#endif
  return (unsigned char)c;
}

static int console_get(FILE* file) {
  (void)file;
#ifdef FLECSIM_HAVE_UART
  int c;
  while ((c = uart_getc()) < 0) continue;
  return c;
#else
  return EOF;
#endif
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);
FILE* const stdin = &console;
FILE* const stdout = &console;
FILE* const stderr = &console;

/* HTIF: a weak reference, so only programs (or test suites) that define tohost use it. */
extern volatile uint64_t tohost __attribute__((weak));

void _exit(int code) {
#ifdef FLECSIM_HAVE_SIMCTRL
  sim_exit((uint32_t)code);
#endif
  if (&tohost) tohost = ((uint64_t)(uint32_t)code << 1) | 1;
  for (;;) {
    interrupts_disable();
    wait_for_interrupt();
  }
}
