/* DMA driver (docs/registers/dma.md): channels run chains of 64-byte descriptors from memory,
 * each with up to 4-D strided source and destination patterns. */
#ifndef FLECSIM_DMA_H
#define FLECSIM_DMA_H
#include <stdint.h>

#include "flecsim/mmio.h"
#include "flecsim_platform.h"

#ifdef FLECSIM_HAVE_DMA
/* One descriptor, laid out as the DMA reads it (16 little-endian words). size[0] is the
 * innermost length in bytes; size[1..3] are counts of dimensions 1..3 (0 means 1), with
 * src_stride/dst_stride[i] the bytes between consecutive indices of dimension i + 1. */
typedef struct {
  uint32_t src, dst;
  uint32_t size[4];
  int32_t src_stride[3];
  int32_t dst_stride[3];
  uint32_t flags; /* FLECSIM_DMA_FLAG_* */
  uint32_t next;  /* address of the next descriptor unless FLECSIM_DMA_FLAG_LAST */
  uint32_t reserved[2];
} __attribute__((aligned(64))) dma_descriptor_t;
_Static_assert(sizeof(dma_descriptor_t) == FLECSIM_DMA_DESCRIPTOR_BYTES,
               "dma_descriptor_t must match the DMA's descriptor layout");

static inline uintptr_t dma_channel(uintptr_t dma_base, unsigned channel) {
  return dma_base + FLECSIM_DMA_CH_BASE + FLECSIM_DMA_CH_STRIDE * channel;
}
/* Starts `channel` on the chain at `first`; with irq, the DMA interrupt rises when it ends. */
static inline void dma_start(uintptr_t dma_base, unsigned channel, const dma_descriptor_t* first,
                             int irq) {
  uintptr_t ch = dma_channel(dma_base, channel);
  mmio_write32(ch + FLECSIM_DMA_CH_DESC_ADDR, (uint32_t)(uintptr_t)first);
  mmio_write32(ch + FLECSIM_DMA_CH_CTRL,
               FLECSIM_DMA_CTRL_START | (irq ? FLECSIM_DMA_CTRL_IRQ_EN : 0));
}
static inline uint32_t dma_status(uintptr_t dma_base, unsigned channel) {
  return mmio_read32(dma_channel(dma_base, channel) + FLECSIM_DMA_CH_STATUS);
}
/* Channels that finished or failed since last cleared (bit c = channel c). */
static inline uint32_t dma_irq_status(uintptr_t dma_base) {
  return mmio_read32(dma_base + FLECSIM_DMA_IRQ_STATUS);
}
static inline void dma_irq_clear(uintptr_t dma_base, uint32_t channels) {
  mmio_write32(dma_base + FLECSIM_DMA_IRQ_STATUS, channels);
}
/* Polls until `channel` is no longer busy; returns its status. */
static inline uint32_t dma_wait(uintptr_t dma_base, unsigned channel) {
  uint32_t s;
  while ((s = dma_status(dma_base, channel)) & FLECSIM_DMA_STATUS_BUSY) continue;
  return s;
}
#endif
#endif
