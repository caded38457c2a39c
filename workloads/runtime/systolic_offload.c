/* QCONV / QMATMUL on the systolic array (docs/accelerators/systolic.md), weight-stationary:
 *   A = im2col(x)  [P pixels][K]   built by the CPU in the op's scratch tensor,
 *   B = weights    [Kp][Mp]        laid out by the compiler (K, M padded to DIM),
 *   ACC rows = pixels, ACC columns = output channels of one DIM-wide channel tile.
 * Bias is loaded into the accumulator with a stride-0 MVIN; each K tile is PRELOADed and
 * COMPUTEd with accumulate; each channel is written out NCHW with its own requant CONFIG. */
#include <stddef.h>
#include <string.h>

#include "runtime.h"
#include "systolic_regs.h"

/* One im2col row segment: the KW taps of input row `src` (or padding) for output column ox. */
static inline int8_t* taps(int8_t* dst, const int8_t* src, int32_t ix0, int32_t kw, int32_t dw,
                           int32_t w, int8_t pad) {
  if (dw == 1 && ix0 >= 0 && ix0 + kw <= w) {
    for (int32_t kx = 0; kx < kw; ++kx) dst[kx] = src[ix0 + kx];
  } else {
    for (int32_t kx = 0, ix = ix0; kx < kw; ++kx, ix += dw) dst[kx] = (ix >= 0 && ix < w) ? src[ix] : pad;
  }
  return dst + kw;
}

/* A[p][k] = x[c][iy][ix] for pixel p = (oy, ox) and k = (c, ky, kx): the array's A operand.
 * Padding positions hold x_zp: the compiler folded -x_zp * sum(w) into the bias, so a padded
 * tap contributes x_zp * w - x_zp * w = 0, as in the reference. */
static void im2col(const flc_op_t* op, const int8_t* x, int8_t* a, int32_t b, int32_t k_row) {
  const int32_t* p = op->params;
  const int32_t C = p[CV_C], H = p[CV_H], W = p[CV_W], KH = p[CV_KH], KW = p[CV_KW];
  const int32_t OH = p[CV_OH], OW = p[CV_OW];
  const int8_t pad = (int8_t)p[CV_X_ZP];
  const int8_t* image = x + (int64_t)b * C * H * W;
  if (KH == 1 && KW == 1 && p[CV_SH] == 1 && p[CV_SW] == 1 && p[CV_PT] == 0 && p[CV_PL] == 0) {
    /* Pointwise convolution: A is the transpose of the [C][H*W] input. */
    const int32_t P = H * W;
    for (int32_t c = 0; c < C; ++c) {
      const int8_t* plane = image + (int64_t)c * P;
      int8_t* col = a + c;
      for (int32_t q = 0; q < P; ++q, col += k_row) *col = plane[q];
    }
    return;
  }
  for (int32_t oy = 0; oy < OH; ++oy)
    for (int32_t ox = 0; ox < OW; ++ox) {
      int8_t* row = a + ((int64_t)oy * OW + ox) * k_row;
      const int32_t ix0 = ox * p[CV_SW] - p[CV_PL];
      for (int32_t c = 0; c < C; ++c) {
        const int8_t* plane = image + (int64_t)c * H * W;
        for (int32_t ky = 0; ky < KH; ++ky) {
          const int32_t iy = oy * p[CV_SH] - p[CV_PT] + ky * p[CV_DH];
          if (iy < 0 || iy >= H) {
            for (int32_t kx = 0; kx < KW; ++kx) row[kx] = pad;
            row += KW;
          } else {
            row = taps(row, plane + (int64_t)iy * W, ix0, KW, p[CV_DW], W, pad);
          }
        }
      }
    }
}

typedef struct {
  const int8_t* a;     /* [P][K], rows a_stride bytes apart */
  const int8_t* b;     /* [kp][mp] */
  const int32_t* bias; /* [M] */
  const int32_t* mult;
  const int32_t* shift;
  int8_t* y;
  int32_t P, K, M, kp, mp, a_stride;
  int32_t y_row_stride;  /* bytes between consecutive pixels of one channel in y */
  int32_t y_chan_stride; /* bytes between channels in y */
  int32_t act, act_min, act_max, y_zp;
} gemm_job_t;

/* y[p][m] = requant(bias[m] + sum_k a[p][k] * b[k][m]) for one DIM-wide channel tile. */
static void gemm_channel_tile(const flc_unit_t* u, const gemm_job_t* j, int32_t m0) {
  const int32_t dim = (int32_t)u->dim;
  const int32_t mcols = j->M - m0 < dim ? j->M - m0 : dim;
  int32_t ptile = (int32_t)u->acc_rows;
  if (ptile > (int32_t)u->sp_rows - dim) ptile = (int32_t)u->sp_rows - dim;
  for (int32_t p0 = 0; p0 < j->P; p0 += ptile) {
    const int32_t rows = j->P - p0 < ptile ? j->P - p0 : ptile;
    sa_mvin(u, (uint32_t)(uintptr_t)(j->bias + m0), 0, 0, 1, rows, mcols);
    for (int32_t k0 = 0; k0 < j->kp; k0 += dim) {
      sa_mvin(u, (uint32_t)(uintptr_t)(j->b + (int64_t)k0 * j->mp + m0), (uint32_t)j->mp, 0, 0, dim,
              mcols);
      sa_preload(u, 0);
      /* MVIN zero-pads columns >= K in the last tile; B rows >= K are zero in its layout. */
      const int32_t kcols = j->K - k0 < dim ? j->K - k0 : dim;
      sa_mvin(u, (uint32_t)(uintptr_t)(j->a + (int64_t)p0 * j->a_stride + k0),
              (uint32_t)j->a_stride, (uint32_t)dim, 0, rows, kcols);
      sa_compute(u, (uint32_t)dim, 0, rows, 1);
    }
    for (int32_t c = 0; c < mcols; ++c) {
      const int32_t m = m0 + c;
      sa_config(u, j->shift[m], j->mult[m], j->act, j->act_max);
      int8_t* dst = j->y + (int64_t)m * j->y_chan_stride + (int64_t)p0 * j->y_row_stride;
      sa_mvout(u, (uint32_t)(uintptr_t)dst, (uint32_t)j->y_row_stride, 0, (uint32_t)c, rows, 1);
    }
  }
}

static int run_gemm(const flc_unit_t* u, const gemm_job_t* j) {
  for (int32_t m0 = 0; m0 < j->M; m0 += (int32_t)u->dim) gemm_channel_tile(u, j, m0);
  return sa_wait_idle(u);
}

int rt_systolic_qconv(const rt_loadable_t* l, const flc_op_t* op, const flc_unit_t* unit) {
  const int32_t* p = op->params;
  const int32_t dim = (int32_t)unit->dim;
  const int32_t K = p[CV_C] * p[CV_KH] * p[CV_KW], P = p[CV_OH] * p[CV_OW];
  gemm_job_t j = {0};
  j.b = (const int8_t*)rt_operand(l, op, 1);
  j.bias = (const int32_t*)rt_operand(l, op, 2);
  j.mult = (const int32_t*)rt_operand(l, op, 3);
  j.shift = (const int32_t*)rt_operand(l, op, 4);
  j.P = P, j.K = K, j.M = p[CV_M];
  j.kp = (K + dim - 1) / dim * dim, j.mp = (j.M + dim - 1) / dim * dim;
  j.a_stride = K, j.y_row_stride = 1, j.y_chan_stride = P;
  j.act = p[QC_ACT], j.act_min = p[QC_ACT_MIN], j.act_max = p[QC_ACT_MAX], j.y_zp = p[QC_Y_ZP];
  int8_t* scratch = (int8_t*)rt_operand(l, op, 6);
  for (int32_t b = 0; b < p[CV_N]; ++b) {
    im2col(op, (const int8_t*)rt_operand(l, op, 0), scratch, b, K);
    j.a = scratch;
    j.y = (int8_t*)rt_operand(l, op, 5) + (int64_t)b * j.M * P;
    int err = run_gemm(unit, &j);
    if (err) return err;
  }
  return 0;
}

int rt_systolic_qmatmul(const rt_loadable_t* l, const flc_op_t* op, const flc_unit_t* unit) {
  const int32_t* p = op->params;
  const int32_t dim = (int32_t)unit->dim;
  gemm_job_t j = {0};
  j.a = (const int8_t*)rt_operand(l, op, 0);
  j.b = (const int8_t*)rt_operand(l, op, 1);
  j.bias = (const int32_t*)rt_operand(l, op, 2);
  j.mult = (const int32_t*)rt_operand(l, op, 3);
  j.shift = (const int32_t*)rt_operand(l, op, 4);
  j.y = (int8_t*)rt_operand(l, op, 5);
  j.P = p[QM_M], j.K = p[QM_K], j.M = p[QM_N];
  j.kp = (j.K + dim - 1) / dim * dim, j.mp = (j.M + dim - 1) / dim * dim;
  j.a_stride = j.K, j.y_row_stride = j.M, j.y_chan_stride = 1;
  j.act = p[QM_ACT], j.act_min = p[QM_ACT_MIN], j.act_max = p[QM_ACT_MAX], j.y_zp = p[QM_Y_ZP];
  return run_gemm(unit, &j);
}
