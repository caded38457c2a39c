/* Firmware HAL of the systolic array: see systolic.h. */
#include "systolic.h"

static inline uint32_t rd(systolic_t* s, uint32_t off) {
  return s->regs[off / 4];
}
static inline void wr(systolic_t* s, uint32_t off, uint32_t v) {
  s->regs[off / 4] = v;
}

/* Waits for a free FIFO entry (STATUS[15:8] < depth), then writes arguments and command. */
static void push(systolic_t* s, uint32_t word, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3) {
  while (((rd(s, SYSTOLIC_STATUS) >> 8) & 0xffu) >= s->fifo_depth) {
  }
  wr(s, SYSTOLIC_ARG0, a0);
  wr(s, SYSTOLIC_ARG0 + 4, a1);
  wr(s, SYSTOLIC_ARG0 + 8, a2);
  wr(s, SYSTOLIC_ARG0 + 12, a3);
  wr(s, SYSTOLIC_CMD, word);
}

int systolic_init(systolic_t* s, uintptr_t base) {
  s->regs = (volatile uint32_t*)base;
  if (rd(s, SYSTOLIC_ID) != SYSTOLIC_ID_VALUE) return -1;
  uint32_t caps = rd(s, SYSTOLIC_CAPS), rows = rd(s, SYSTOLIC_SP_ROWS);
  s->dim = caps & 0xffffu;
  s->fifo_depth = (caps >> 16) & 0xffu;
  s->bus_bytes = caps >> 24;
  s->sp_rows = rows & 0xffffu;
  s->acc_rows = rows >> 16;
  return 0;
}

void systolic_config(systolic_t* s, uint32_t activation, uint32_t shift, int8_t relu6_max,
                     int32_t multiplier) {
  systolic_config_mode(s, SYSTOLIC_DATAFLOW_WS, SYSTOLIC_PREC_INT8, SYSTOLIC_POOL_OFF, activation,
                       shift, relu6_max, multiplier);
}

void systolic_config_mode(systolic_t* s, uint32_t dataflow, uint32_t precision, uint32_t pool,
                          uint32_t activation, uint32_t shift, int8_t relu6_max,
                          int32_t multiplier) {
  uint32_t mode = (dataflow & 3u) | (precision & 3u) << 2 | (activation & 3u) << 4 |
                  (shift & 63u) << 8 | (uint32_t)(uint8_t)relu6_max << 16 | (pool & 3u) << 24;
  push(s, SYSTOLIC_OP_CONFIG, mode, (uint32_t)multiplier, 0, 0);
}

void systolic_mvin(systolic_t* s, uint32_t addr, uint32_t stride, uint32_t local_row, int to_acc,
                   uint32_t rows, uint32_t cols) {
  push(s, SYSTOLIC_OP_MVIN, addr, stride, local_row | (to_acc ? 1u << 16 : 0), rows | cols << 16);
}

void systolic_mvout(systolic_t* s, uint32_t addr, uint32_t stride, uint32_t acc_row, int raw,
                    uint32_t col0, uint32_t rows, uint32_t cols) {
  push(s, SYSTOLIC_OP_MVOUT, addr, stride, acc_row | (raw ? 1u << 16 : 0) | col0 << 24,
       rows | cols << 16);
}

void systolic_preload(systolic_t* s, uint32_t sp_row) {
  push(s, SYSTOLIC_OP_PRELOAD, sp_row, 0, 0, 0);
}

void systolic_compute(systolic_t* s, uint32_t a_row, uint32_t acc_row, uint32_t m, int accumulate) {
  push(s, SYSTOLIC_OP_COMPUTE, a_row, acc_row, m, accumulate ? 1u : 0u);
}

void systolic_compute_os(systolic_t* s, uint32_t at_row, uint32_t b_row, uint32_t acc_row,
                         uint32_t k, int accumulate) {
  push(s, SYSTOLIC_OP_COMPUTE, at_row, acc_row, k, (accumulate ? 1u : 0u) | b_row << 16);
}

void systolic_fence_irq(systolic_t* s) {
  push(s, SYSTOLIC_OP_FENCE | SYSTOLIC_CMD_IRQ_ON_DONE, 0, 0, 0, 0);
}

uint32_t systolic_wait(systolic_t* s) {
  while (rd(s, SYSTOLIC_STATUS) & SYSTOLIC_STATUS_BUSY) {
  }
  uint32_t err = rd(s, SYSTOLIC_ERROR);
  wr(s, SYSTOLIC_ERROR, 0);
  wr(s, SYSTOLIC_IRQ_STATUS, SYSTOLIC_IRQ_DONE | SYSTOLIC_IRQ_ERROR);
  return err;
}

/* ARG0..3 and LOOP_ARG0..13 of a LOOP command, then the command word. */
static void push_loop(systolic_t* s, uint32_t word, const uint32_t a[18]) {
  while (((rd(s, SYSTOLIC_STATUS) >> 8) & 0xffu) >= s->fifo_depth) {
  }
  for (uint32_t i = 0; i < 4; ++i) wr(s, SYSTOLIC_ARG0 + 4 * i, a[i]);
  for (uint32_t i = 0; i < 14; ++i) wr(s, SYSTOLIC_LOOP_ARG0 + 4 * i, a[4 + i]);
  wr(s, SYSTOLIC_CMD, word);
}

static uint32_t loop_flags(int has_bias, int per_channel, int raw) {
  return (has_bias ? SYSTOLIC_LOOP_BIAS : 0) | (per_channel ? SYSTOLIC_LOOP_PER_CHANNEL : 0) |
         (raw ? SYSTOLIC_LOOP_RAW : 0);
}

void systolic_encode_conv(const systolic_conv_t* c, uint32_t a[18]) {
  const uint32_t words[18] = {c->x,
                              c->w,
                              c->y,
                              c->bias,
                              c->h | c->w_in << 16,
                              c->c_per_group | c->m_per_group << 16,
                              c->oh | c->ow << 16,
                              c->kh | c->kw << 8 | c->stride_h << 16 | c->stride_w << 24,
                              c->pad_top | c->pad_left << 8 | c->dil_h << 16 | c->dil_w << 24,
                              c->groups | (uint32_t)(uint8_t)c->pad_value << 16 |
                                  loop_flags(c->has_bias, c->per_channel, c->raw),
                              c->x_pix,
                              c->x_row,
                              c->w_chan,
                              c->w_tap,
                              c->y_pix,
                              c->y_chan,
                              c->mult,
                              c->shift};
  for (int i = 0; i < 18; ++i) a[i] = words[i];
}

void systolic_loop_conv(systolic_t* s, const systolic_conv_t* c, uint32_t flags) {
  uint32_t a[18];
  systolic_encode_conv(c, a);
  push_loop(s, SYSTOLIC_OP_LOOP_CONV | flags, a);
}

void systolic_encode_matmul(const systolic_matmul_t* mm, uint32_t a[18]) {
  const uint32_t words[18] = {mm->a,
                              mm->b,
                              mm->c,
                              mm->bias,
                              0,
                              mm->k | mm->n << 16,
                              mm->m << 16,
                              0,
                              0,
                              loop_flags(mm->has_bias, mm->per_channel, mm->raw),
                              mm->a_stride,
                              0,
                              mm->b_stride,
                              0,
                              mm->c_stride,
                              mm->c_elem_stride,
                              mm->mult,
                              mm->shift};
  for (int i = 0; i < 18; ++i) a[i] = words[i];
}

void systolic_loop_matmul(systolic_t* s, const systolic_matmul_t* mm, uint32_t flags) {
  uint32_t a[18];
  systolic_encode_matmul(mm, a);
  push_loop(s, SYSTOLIC_OP_LOOP_MATMUL | flags, a);
}

static uint32_t min_u32(uint32_t a, uint32_t b) {
  return a < b ? a : b;
}

/* Tiles: for each DIM-wide column block of B and each block of up to `mt` rows of A, walk K in
 * DIM steps: B tile -> SP rows 0..DIM-1 and preload, A tile -> SP rows DIM.., compute into ACC
 * (accumulating after the first K step), then move the ACC block out. Columns of A beyond the
 * K tile are zero-padded by MVIN, so stale B rows never contribute. */
uint32_t systolic_gemm_i8(systolic_t* s, uint32_t a, uint32_t b, uint32_t out, uint32_t m,
                          uint32_t k, uint32_t n, int out_raw) {
  const uint32_t d = s->dim;
  const uint32_t mt = min_u32(s->acc_rows, s->sp_rows - d);
  const uint32_t esz = out_raw ? 4u : 1u;
  for (uint32_t n0 = 0; n0 < n; n0 += d) {
    uint32_t nn = min_u32(d, n - n0);
    for (uint32_t m0 = 0; m0 < m; m0 += mt) {
      uint32_t mm = min_u32(mt, m - m0);
      for (uint32_t k0 = 0; k0 < k; k0 += d) {
        uint32_t kk = min_u32(d, k - k0);
        systolic_mvin(s, b + k0 * n + n0, n, 0, 0, kk, nn);
        systolic_preload(s, 0);
        systolic_mvin(s, a + m0 * k + k0, k, d, 0, mm, kk);
        systolic_compute(s, d, 0, mm, k0 != 0);
      }
      systolic_mvout(s, out + (m0 * n + n0) * esz, n * esz, 0, out_raw, 0, mm, nn);
    }
  }
  return systolic_wait(s);
}
