/* Simulation control device (docs/registers/simctrl.md): exit code, cycle counter, phase marks,
 * cheap console output. */
#ifndef FLECSIM_SIMCTRL_H
#define FLECSIM_SIMCTRL_H
#include "flecsim/mmio.h"
#include "flecsim_platform.h"

#ifdef FLECSIM_HAVE_SIMCTRL
static inline void sim_exit(uint32_t code) {
  mmio_write32(FLECSIM_SIMCTRL_BASE + FLECSIM_SIMCTRL_EXIT, code);
}
/* Cycles of the simctrl clock since simulation start (reading LO latches HI). */
static inline uint64_t sim_cycles(void) {
  uint32_t lo = mmio_read32(FLECSIM_SIMCTRL_BASE + FLECSIM_SIMCTRL_CYCLE_LO);
  uint32_t hi = mmio_read32(FLECSIM_SIMCTRL_BASE + FLECSIM_SIMCTRL_CYCLE_HI);
  return ((uint64_t)hi << 32) | lo;
}
/* Marks a phase boundary (e.g. the start of layer `value`) for per-phase statistics. */
static inline void sim_mark(uint32_t value) {
  mmio_write32(FLECSIM_SIMCTRL_BASE + FLECSIM_SIMCTRL_MARK, value);
}
static inline void sim_putchar(char c) {
  mmio_write32(FLECSIM_SIMCTRL_BASE + FLECSIM_SIMCTRL_PUTCHAR, (uint8_t)c);
}
#endif
#endif
