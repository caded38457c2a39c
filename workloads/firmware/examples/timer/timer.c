/* Timer interrupt: three CLINT interrupts PERIOD ticks apart, the core sleeping in wfi between
 * them. Checks each interrupt arrives no earlier than its compare value and before the next
 * period, and that wfi really slept (few loop iterations). Prints "timer ok" and exits 0. */
#include "flecsim/timer.h"

#include <stdio.h>

#include "flecsim/csr.h"
#include "flecsim/trap.h"

#define PERIOD (FLECSIM_CLINT_TIMEBASE_HZ / 10000) /* 100 us */
#define INTERRUPTS 3

static volatile unsigned fired;
static volatile uint64_t deadline;
static volatile uint64_t fired_at[INTERRUPTS];

void flecsim_timer_handler(void) {
  uint64_t now = timer_now();
  fired_at[fired] = now;
  if (++fired < INTERRUPTS) {
    deadline += PERIOD;
    timer_set_compare(deadline);
  } else {
    timer_disable();
  }
}

int main(void) {
  uint64_t start = timer_now();
  deadline = start + PERIOD;
  timer_set_compare(deadline);
  csr_set(mie, MIE_MTIE);
  interrupts_enable();
  unsigned wakeups = 0;
  while (fired < INTERRUPTS) {
    wait_for_interrupt();
    ++wakeups;
  }
  interrupts_disable();
  int ok = wakeups <= 2 * INTERRUPTS;
  for (unsigned i = 0; i < INTERRUPTS; ++i) {
    uint64_t due = start + (i + 1) * PERIOD;
    printf("timer: interrupt %u at mtime %lu (due %lu)\n", i, (unsigned long)(fired_at[i] - start),
           (unsigned long)(due - start));
    if (fired_at[i] < due || fired_at[i] >= due + PERIOD) ok = 0;
  }
  printf("timer: %u wakeups\n", wakeups);
  printf(ok ? "timer ok\n" : "timer FAILED\n");
  return ok ? 0 : 1;
}
