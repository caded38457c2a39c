/* DMA copy completed by interrupt: a two-descriptor chain on dma0 channel 0 copies 4 KiB from
 * DRAM to the on-chip SRAM, then gathers 16 bytes of every 64-byte row back into a packed DRAM
 * buffer (a 2-D strided pattern). The core sleeps in wfi until the PLIC delivers the DMA
 * interrupt, then checks every byte. Prints "dma ok" and exits 0. */
#include <stdio.h>

#include "flecsim/csr.h"
#include "flecsim/dma.h"
#include "flecsim/plic.h"
#include "flecsim/simctrl.h"
#include "flecsim/trap.h"

#define BYTES 4096
#define ROW 64
#define PICK 16
#define ROWS (BYTES / ROW)

static uint8_t src[BYTES] __attribute__((aligned(64)));
static uint8_t gathered[ROWS * PICK] __attribute__((aligned(64)));
static dma_descriptor_t chain[2];
static volatile uint32_t dma_irqs, dma_done_status;

void flecsim_irq_handler(unsigned source) {
  if (source != FLECSIM_IRQ_DMA0) {
    printf("dma: unexpected interrupt source %u\n", source);
    return;
  }
  uint32_t pending = dma_irq_status(FLECSIM_DMA0_BASE);
  dma_irq_clear(FLECSIM_DMA0_BASE, pending);
  dma_done_status = dma_status(FLECSIM_DMA0_BASE, 0);
  ++dma_irqs;
}

static void build_chain(void) {
  chain[0] = (dma_descriptor_t){.src = (uint32_t)(uintptr_t)src,
                                .dst = FLECSIM_SRAM0_BASE,
                                .size = {BYTES, 0, 0, 0},
                                .next = (uint32_t)(uintptr_t)&chain[1]};
  chain[1] = (dma_descriptor_t){.src = FLECSIM_SRAM0_BASE,
                                .dst = (uint32_t)(uintptr_t)gathered,
                                .size = {PICK, ROWS, 0, 0},
                                .src_stride = {ROW, 0, 0},
                                .dst_stride = {PICK, 0, 0},
                                .flags = FLECSIM_DMA_FLAG_LAST};
}

static int check(void) {
  const volatile uint8_t* sram = (const volatile uint8_t*)FLECSIM_SRAM0_BASE;
  for (unsigned i = 0; i < BYTES; ++i)
    if (sram[i] != src[i]) {
      printf("dma: SRAM byte %u is %u, expected %u\n", i, sram[i], src[i]);
      return 0;
    }
  for (unsigned r = 0; r < ROWS; ++r)
    for (unsigned i = 0; i < PICK; ++i)
      if (gathered[r * PICK + i] != src[r * ROW + i]) {
        printf("dma: gathered row %u byte %u wrong\n", r, i);
        return 0;
      }
  return 1;
}

int main(void) {
  for (unsigned i = 0; i < BYTES; ++i) src[i] = (uint8_t)(i * 7 + (i >> 8));
  build_chain();
  plic_set_priority(FLECSIM_IRQ_DMA0, 1);
  plic_set_threshold(0);
  plic_enable(FLECSIM_IRQ_DMA0);
  csr_set(mie, MIE_MEIE);
  interrupts_enable();
  uint64_t start = sim_cycles();
  dma_start(FLECSIM_DMA0_BASE, 0, &chain[0], 1);
  while (dma_irqs == 0) wait_for_interrupt();
  uint64_t cycles = sim_cycles() - start;
  interrupts_disable();
  uint32_t bytes = mmio_read32(dma_channel(FLECSIM_DMA0_BASE, 0) + FLECSIM_DMA_CH_BYTES_DONE);
  printf("dma: %lu bytes in %lu cycles, status 0x%lx\n", (unsigned long)bytes,
         (unsigned long)cycles, (unsigned long)dma_done_status);
  int ok = (dma_done_status & FLECSIM_DMA_STATUS_DONE) && bytes == BYTES + ROWS * PICK && check();
  printf(ok ? "dma ok\n" : "dma FAILED\n");
  return ok ? 0 : 1;
}
