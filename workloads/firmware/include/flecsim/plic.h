/* PLIC, context 0 = machine mode of hart 0 (docs/registers/plic.md). Source numbers are the
 * FLECSIM_IRQ_<DEVICE> macros of flecsim_platform.h. */
#ifndef FLECSIM_PLIC_H
#define FLECSIM_PLIC_H
#include "flecsim/mmio.h"
#include "flecsim_platform.h"

#ifdef FLECSIM_HAVE_PLIC
static inline void plic_set_priority(unsigned source, uint32_t priority) {
  mmio_write32(FLECSIM_PLIC_BASE + FLECSIM_PLIC_PRIORITY + 4 * source, priority);
}
static inline void plic_enable(unsigned source) {
  uintptr_t word = FLECSIM_PLIC_BASE + FLECSIM_PLIC_ENABLE + 4 * (source / 32);
  mmio_write32(word, mmio_read32(word) | (1u << (source % 32)));
}
static inline void plic_disable(unsigned source) {
  uintptr_t word = FLECSIM_PLIC_BASE + FLECSIM_PLIC_ENABLE + 4 * (source / 32);
  mmio_write32(word, mmio_read32(word) & ~(1u << (source % 32)));
}
static inline void plic_set_threshold(uint32_t threshold) {
  mmio_write32(FLECSIM_PLIC_BASE + FLECSIM_PLIC_THRESHOLD, threshold);
}
/* Highest-priority pending source above the threshold (0: none); it stays claimed until
 * plic_complete. */
static inline unsigned plic_claim(void) {
  return mmio_read32(FLECSIM_PLIC_BASE + FLECSIM_PLIC_CLAIM);
}
static inline void plic_complete(unsigned source) {
  mmio_write32(FLECSIM_PLIC_BASE + FLECSIM_PLIC_CLAIM, source);
}
#endif
#endif
