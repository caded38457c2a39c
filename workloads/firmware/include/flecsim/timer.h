/* CLINT timer and software interrupt (docs/registers/clint.md). mtime counts at
 * FLECSIM_CLINT_TIMEBASE_HZ. */
#ifndef FLECSIM_TIMER_H
#define FLECSIM_TIMER_H
#include "flecsim/mmio.h"
#include "flecsim_platform.h"

#ifdef FLECSIM_HAVE_CLINT
static inline uint64_t timer_now(void) {
  uint32_t hi, lo;
  do {
    hi = mmio_read32(FLECSIM_CLINT_BASE + FLECSIM_CLINT_MTIME + 4);
    lo = mmio_read32(FLECSIM_CLINT_BASE + FLECSIM_CLINT_MTIME);
  } while (hi != mmio_read32(FLECSIM_CLINT_BASE + FLECSIM_CLINT_MTIME + 4));
  return ((uint64_t)hi << 32) | lo;
}
/* Timer interrupt when mtime reaches `when`. The high word goes to all-ones first so no
 * intermediate value of the pair can fire early. */
static inline void timer_set_compare(uint64_t when) {
  uintptr_t cmp = FLECSIM_CLINT_BASE + FLECSIM_CLINT_MTIMECMP;
  mmio_write32(cmp + 4, 0xffffffffu);
  mmio_write32(cmp, (uint32_t)when);
  mmio_write32(cmp + 4, (uint32_t)(when >> 32));
}
static inline void timer_disable(void) {
  timer_set_compare(~(uint64_t)0);
}
static inline void software_irq_raise(void) {
  mmio_write32(FLECSIM_CLINT_BASE + FLECSIM_CLINT_MSIP, 1);
}
static inline void software_irq_clear(void) {
  mmio_write32(FLECSIM_CLINT_BASE + FLECSIM_CLINT_MSIP, 0);
}
#endif
#endif
