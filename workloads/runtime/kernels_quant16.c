/* int16 forms of QCONV and QMATMUL (loadable_params.h): the int8 kernels' integer-only
 * requantisation with int16 operands, an int64 bias and accumulator (no wrap) and a 15-bit
 * multiplier, so acc * multiplier stays inside int64. The reference is sim/compiler/ref_fused.cpp.
 */
#include "runtime.h"

static int16_t requant16(int64_t acc, int32_t mult, int32_t shift, int32_t y_zp, int32_t act,
                         int32_t act_min, int32_t act_max) {
  const int64_t p = acc * (int64_t)mult;
  int64_t q = shift == 0 ? p : ((p + ((int64_t)1 << (shift - 1))) >> shift);
  q += y_zp;
  if (act == QACT_RELU && q < y_zp) q = y_zp;
  if (act == QACT_CLAMP) q = q < act_min ? act_min : (q > act_max ? act_max : q);
  return (int16_t)(q < -32768 ? -32768 : (q > 32767 ? 32767 : q));
}

/* sum over the taps of one output pixel, x - x_zp times w */
static int64_t conv16_taps(const int32_t* p, const int16_t* plane, const int16_t* wk, int32_t oy,
                           int32_t ox) {
  const int32_t H = p[CV_H], W = p[CV_W], KH = p[CV_KH], KW = p[CV_KW], x_zp = p[CV_X_ZP];
  int64_t acc = 0;
  for (int32_t ky = 0; ky < KH; ++ky) {
    const int32_t iy = oy * p[CV_SH] - p[CV_PT] + ky * p[CV_DH];
    if (iy < 0 || iy >= H) continue;
    for (int32_t kx = 0; kx < KW; ++kx) {
      const int32_t ix = ox * p[CV_SW] - p[CV_PL] + kx * p[CV_DW];
      if (ix >= 0 && ix < W) acc += (int64_t)(plane[iy * W + ix] - x_zp) * wk[ky * KW + kx];
    }
  }
  return acc;
}

int rt_qconv16(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const int16_t* x = (const int16_t*)rt_operand(l, op, 0);
  const int16_t* w = (const int16_t*)rt_operand(l, op, 1);
  const int64_t* bias = (const int64_t*)rt_operand(l, op, 2);
  const int32_t* mult = (const int32_t*)rt_operand(l, op, 3);
  const int32_t* shift = (const int32_t*)rt_operand(l, op, 4);
  int16_t* y = (int16_t*)rt_operand(l, op, 5);
  const int32_t C = p[CV_C], M = p[CV_M], cg = C / p[CV_GROUP], mg = M / p[CV_GROUP];
  const int64_t plane_size = (int64_t)p[CV_H] * p[CV_W], kernel = (int64_t)p[CV_KH] * p[CV_KW];
  int64_t yi = 0;
  for (int32_t b = 0; b < p[CV_N]; ++b)
    for (int32_t oc = 0; oc < M; ++oc)
      for (int32_t oy = 0; oy < p[CV_OH]; ++oy)
        for (int32_t ox = 0; ox < p[CV_OW]; ++ox, ++yi) {
          int64_t acc = bias ? bias[oc] : 0;
          for (int32_t ic = 0; ic < cg; ++ic)
            acc += conv16_taps(p, x + ((int64_t)b * C + (oc / mg) * cg + ic) * plane_size,
                               w + ((int64_t)oc * cg + ic) * kernel, oy, ox);
          y[yi] = requant16(acc, mult[oc], shift[oc], p[QC_Y_ZP], p[QC_ACT], p[QC_ACT_MIN],
                            p[QC_ACT_MAX]);
        }
  return 0;
}

int rt_qmatmul16(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const int16_t* a = (const int16_t*)rt_operand(l, op, 0);
  const int16_t* b = (const int16_t*)rt_operand(l, op, 1);
  const int64_t* bias = (const int64_t*)rt_operand(l, op, 2);
  const int32_t* mult = (const int32_t*)rt_operand(l, op, 3);
  const int32_t* shift = (const int32_t*)rt_operand(l, op, 4);
  int16_t* y = (int16_t*)rt_operand(l, op, 5);
  const int32_t M = p[QM_M], N = p[QM_N], K = p[QM_K];
  for (int32_t m = 0; m < M; ++m)
    for (int32_t n = 0; n < N; ++n) {
      int64_t acc = bias ? bias[n] : 0;
      for (int32_t k = 0; k < K; ++k)
        acc += (int64_t)(a[(int64_t)m * K + k] - p[QM_X_ZP]) * b[(int64_t)k * N + n];
      y[(int64_t)m * N + n] =
          requant16(acc, mult[n], shift[n], p[QM_Y_ZP], p[QM_ACT], p[QM_ACT_MIN], p[QM_ACT_MAX]);
    }
  return 0;
}
