/* Register-level driver of the systolic array (docs/accelerators/systolic.md, section 3/4).
 * Commands are pushed through ARG0..ARG3 + CMD; the driver never overflows the FIFO. It uses
 * the HAL's register and opcode names but its own wfi-based waiting (runtime.c). */
#ifndef FLECSIM_RT_SYSTOLIC_REGS_H
#define FLECSIM_RT_SYSTOLIC_REGS_H
#include <stdint.h>

#include "hal/systolic.h" /* register offsets, opcodes, flags: one definition */
#include "loadable_format.h"

static inline volatile uint32_t* sa_reg(const flc_unit_t* u, uint32_t offset) {
  return (volatile uint32_t*)(uintptr_t)(u->reg_base + offset);
}

void sa_push(const flc_unit_t* u, uint32_t cmd, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
/* Waits (wfi on the completion interrupt) until the array is idle; returns its ERROR register
 * (0 when all commands succeeded) and clears it. */
int sa_wait_idle(const flc_unit_t* u);

static inline void sa_config(const flc_unit_t* u, int32_t shift, int32_t mult, int32_t act,
                             int32_t act_max) {
  const uint32_t mode = ((uint32_t)(act & 3) << 4) | ((uint32_t)(shift & 0x3f) << 8) |
                        ((uint32_t)(act_max & 0xff) << 16);
  sa_push(u, SYSTOLIC_OP_CONFIG, mode, (uint32_t)mult, 0, 0);
}
/* to_acc: 0 scratchpad, 1 accumulator (int32 elements). */
static inline void sa_mvin(const flc_unit_t* u, uint32_t addr, uint32_t stride, uint32_t local,
                           uint32_t to_acc, int32_t rows, int32_t cols) {
  sa_push(u, SYSTOLIC_OP_MVIN, addr, stride, local | (to_acc << 16),
          (uint32_t)rows | ((uint32_t)cols << 16));
}
/* Writes ACC elements first_col .. first_col+cols-1 of rows acc_row.. as requantised int8. */
static inline void sa_mvout(const flc_unit_t* u, uint32_t addr, uint32_t stride, uint32_t acc_row,
                            uint32_t first_col, int32_t rows, int32_t cols) {
  sa_push(u, SYSTOLIC_OP_MVOUT, addr, stride, acc_row | (first_col << 24),
          (uint32_t)rows | ((uint32_t)cols << 16));
}
/* A LOOP command: a[0..3] = ARG0..3, a[4..17] = LOOP_ARG0..13. The LOOP_ARGs are captured
 * by the CMD write, so they may be rewritten while earlier commands wait in the FIFO. */
static inline void sa_push_loop(const flc_unit_t* u, uint32_t cmd, const uint32_t a[18]) {
  for (int i = 0; i < 14; ++i) *sa_reg(u, SYSTOLIC_LOOP_ARG0 + 4 * (uint32_t)i) = a[4 + i];
  sa_push(u, cmd, a[0], a[1], a[2], a[3]);
}
static inline void sa_preload(const flc_unit_t* u, uint32_t sp_row) {
  sa_push(u, SYSTOLIC_OP_PRELOAD, sp_row, 0, 0, 0);
}
static inline void sa_compute(const flc_unit_t* u, uint32_t sp_row, uint32_t acc_row, int32_t rows,
                              uint32_t accumulate) {
  sa_push(u, SYSTOLIC_OP_COMPUTE, sp_row, acc_row, (uint32_t)rows, accumulate);
}

#endif
