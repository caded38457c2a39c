/* Machine-mode CSR access and the interrupt-enable bits flecsim firmware uses. */
#ifndef FLECSIM_CSR_H
#define FLECSIM_CSR_H
#include <stdint.h>

#define csr_read(csr)                              \
  ({                                               \
    uint32_t v_;                                   \
    __asm__ volatile("csrr %0, " #csr : "=r"(v_)); \
    v_;                                            \
  })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" ::"rK"(v))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" ::"rK"(v))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" ::"rK"(v))

#define MSTATUS_MIE (1u << 3)
#define MIE_MSIE (1u << 3)
#define MIE_MTIE (1u << 7)
#define MIE_MEIE (1u << 11)
#define MCAUSE_INTERRUPT (1u << 31)
#define IRQ_M_SOFT 3
#define IRQ_M_TIMER 7
#define IRQ_M_EXT 11

static inline void interrupts_enable(void) {
  csr_set(mstatus, MSTATUS_MIE);
}
static inline void interrupts_disable(void) {
  csr_clear(mstatus, MSTATUS_MIE);
}
static inline void wait_for_interrupt(void) {
  __asm__ volatile("wfi");
}

/* 64-bit cycle and instruction counters (high word re-read so a carry is never missed). */
static inline uint64_t read_counter64(int instret) {
  uint32_t hi, lo, hi2;
  do {
    hi = instret ? csr_read(minstreth) : csr_read(mcycleh);
    lo = instret ? csr_read(minstret) : csr_read(mcycle);
    hi2 = instret ? csr_read(minstreth) : csr_read(mcycleh);
  } while (hi != hi2);
  return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t rdcycle64(void) {
  return read_counter64(0);
}
static inline uint64_t rdinstret64(void) {
  return read_counter64(1);
}

#endif
