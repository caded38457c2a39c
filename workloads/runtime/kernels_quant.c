/* Quantisation kernels: QuantizeLinear / DequantizeLinear / QLinear requantisation with ONNX's
 * semantics, and the integer ops with the accelerator's dyadic requantisation on the CPU. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime.h"

static void store_saturated(void* base, int dtype, int64_t i, int64_t v) {
  if (dtype == FLC_U8) {
    ((uint8_t*)base)[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
  } else if (dtype == FLC_I8) {
    ((int8_t*)base)[i] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
  } else if (dtype == FLC_I16) {
    ((int16_t*)base)[i] = (int16_t)(v < -32768 ? -32768 : (v > 32767 ? 32767 : v));
  } else if (dtype == FLC_U16) {
    ((uint16_t*)base)[i] = (uint16_t)(v < 0 ? 0 : (v > 65535 ? 65535 : v));
  } else {
    ((int32_t*)base)[i] = (int32_t)(v < INT32_MIN ? INT32_MIN : (v > INT32_MAX ? INT32_MAX : v));
  }
}

/* Walks the channel index of consecutive elements (channel = (i / inner) % channels) without a
 * division per element: rv32 has no 64-bit divider and these loops are per element. */
typedef struct {
  int32_t channel, within, inner, channels;
} channel_cursor_t;

static inline channel_cursor_t channel_cursor(const int32_t* p) {
  channel_cursor_t cur = {0, 0, p[QZ_INNER] > 0 ? p[QZ_INNER] : 1,
                          p[QZ_CHANNELS] > 1 ? p[QZ_CHANNELS] : 1};
  return cur;
}

static inline void channel_cursor_next(channel_cursor_t* cur) {
  if (++cur->within == cur->inner) {
    cur->within = 0;
    if (++cur->channel == cur->channels) cur->channel = 0;
  }
}

/* Round half to even and saturate to int32, as ONNX rounds x / scale: one fcvt.w.s with a
 * static rounding mode instead of a nearbyintf library call (NaN gives INT32_MAX). */
static inline int32_t round_half_even_i32(float v) {
  int32_t r;
  __asm__("fcvt.w.s %0, %1, rne" : "=r"(r) : "f"(v));
  return r;
}

int rt_quantize(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const float* x = (const float*)rt_operand(l, op, 0);
  const float* scale = (const float*)rt_operand(l, op, 1);
  const void* zp = rt_operand(l, op, 2);
  void* y = rt_operand(l, op, 3);
  /* Locals, so the stores through y (which may alias anything) do not force reloads. */
  const int32_t count = p[QZ_COUNT], y_dtype = p[QZ_Y_DTYPE], zp_dtype = p[QZ_ZP_DTYPE];
  channel_cursor_t cur = channel_cursor(p);
  for (int32_t i = 0; i < count; ++i, channel_cursor_next(&cur)) {
    const int32_t c = cur.channel;
    const int64_t z = zp ? rt_load_int(zp, zp_dtype, c) : 0;
    /* Divide in float32 as ONNX does (RV32F has no double unit; the division is exact
     * rounding of the float quotient, the same as the reference executor's). */
    store_saturated(y, y_dtype, i, (int64_t)round_half_even_i32(x[i] / scale[c]) + z);
  }
  return 0;
}

int rt_dequantize(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const void* x = rt_operand(l, op, 0);
  const float* scale = (const float*)rt_operand(l, op, 1);
  const void* zp = rt_operand(l, op, 2);
  float* y = (float*)rt_operand(l, op, 3);
  const int32_t count = p[QZ_COUNT], x_dtype = p[QZ_X_DTYPE], zp_dtype = p[QZ_ZP_DTYPE];
  channel_cursor_t cur = channel_cursor(p);
  for (int32_t i = 0; i < count; ++i, channel_cursor_next(&cur)) {
    const int32_t c = cur.channel;
    const int64_t z = zp ? rt_load_int(zp, zp_dtype, c) : 0;
    const int64_t centred = rt_load_int(x, x_dtype, i) - z;
    /* int32 conversion (fcvt.s.w) when exact, instead of a soft int64-to-float call. */
    const float v = centred == (int32_t)centred ? (float)(int32_t)centred : (float)centred;
    y[i] = v * scale[c];
  }
  return 0;
}

int rt_requant(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const int32_t* acc = (const int32_t*)rt_operand(l, op, 0);
  const float* scale = (const float*)rt_operand(l, op, 1);
  void* y = rt_operand(l, op, 2);
  const void* y_zp = rt_operand(l, op, 3);
  const float* x_scale = (const float*)rt_operand(l, op, 4);
  const float* y_scale = (const float*)rt_operand(l, op, 5);
  const int64_t zp = y_zp ? rt_load_int(y_zp, p[RQ_Y_DTYPE], 0) : p[RQ_Y_ZP];
  for (int64_t i = 0; i < p[RQ_COUNT]; ++i) {
    const int32_t c = p[RQ_CHANNELS] > 1 ? (int32_t)((i / p[RQ_INNER]) % p[RQ_CHANNELS]) : 0;
    /* In double like the reference (ONNX computes QLinear* requantisation in double). */
    const double m = x_scale && y_scale ? (double)x_scale[0] * (double)scale[c] / (double)y_scale[0]
                                        : (double)scale[c];
    store_saturated(y, p[RQ_Y_DTYPE], i, (int64_t)nearbyint((double)acc[i] * m) + zp);
  }
  return 0;
}

int rt_qconv(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  if (p[CV_X_DTYPE] == FLC_I16) return rt_qconv16(l, op);
  const int8_t* x = (const int8_t*)rt_operand(l, op, 0);
  const int8_t* w = (const int8_t*)rt_operand(l, op, 1);
  const int32_t* bias = (const int32_t*)rt_operand(l, op, 2);
  const int32_t* mult = (const int32_t*)rt_operand(l, op, 3);
  const int32_t* shift = (const int32_t*)rt_operand(l, op, 4);
  int8_t* y = (int8_t*)rt_operand(l, op, 5);
  const int32_t C = p[CV_C], H = p[CV_H], W = p[CV_W], M = p[CV_M], KH = p[CV_KH], KW = p[CV_KW];
  const int32_t cg = C / p[CV_GROUP], mg = M / p[CV_GROUP], x_zp = p[CV_X_ZP];
  int64_t yi = 0;
  for (int32_t b = 0; b < p[CV_N]; ++b)
    for (int32_t oc = 0; oc < M; ++oc)
      for (int32_t oy = 0; oy < p[CV_OH]; ++oy)
        for (int32_t ox = 0; ox < p[CV_OW]; ++ox, ++yi) {
          int32_t acc = bias ? bias[oc] : 0;
          for (int32_t ic = 0; ic < cg; ++ic) {
            const int8_t* plane = x + ((int64_t)b * C + (oc / mg) * cg + ic) * H * W;
            const int8_t* wk = w + ((int64_t)oc * cg + ic) * KH * KW;
            for (int32_t ky = 0; ky < KH; ++ky) {
              const int32_t iy = oy * p[CV_SH] - p[CV_PT] + ky * p[CV_DH];
              if (iy < 0 || iy >= H) continue;
              for (int32_t kx = 0; kx < KW; ++kx) {
                const int32_t ix = ox * p[CV_SW] - p[CV_PL] + kx * p[CV_DW];
                if (ix >= 0 && ix < W) acc += (plane[iy * W + ix] - x_zp) * wk[ky * KW + kx];
              }
            }
          }
          y[yi] = rt_requant_dyadic(acc, mult[oc], shift[oc], p[QC_Y_ZP], p[QC_ACT], p[QC_ACT_MIN],
                                    p[QC_ACT_MAX]);
        }
  return 0;
}

int rt_qmatmul(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  if (p[QM_X_DTYPE] == FLC_I16) return rt_qmatmul16(l, op);
  const int8_t* a = (const int8_t*)rt_operand(l, op, 0);
  const int8_t* b = (const int8_t*)rt_operand(l, op, 1);
  const int32_t* bias = (const int32_t*)rt_operand(l, op, 2);
  const int32_t* mult = (const int32_t*)rt_operand(l, op, 3);
  const int32_t* shift = (const int32_t*)rt_operand(l, op, 4);
  int8_t* y = (int8_t*)rt_operand(l, op, 5);
  const int32_t M = p[QM_M], N = p[QM_N], K = p[QM_K];
  for (int32_t m = 0; m < M; ++m)
    for (int32_t n = 0; n < N; ++n) {
      int32_t acc = bias ? bias[n] : 0;
      for (int32_t k = 0; k < K; ++k)
        acc += (a[(int64_t)m * K + k] - p[QM_X_ZP]) * b[(int64_t)k * N + n];
      y[(int64_t)m * N + n] = rt_requant_dyadic(acc, mult[n], shift[n], p[QM_Y_ZP], p[QM_ACT],
                                                p[QM_ACT_MIN], p[QM_ACT_MAX]);
    }
  return 0;
}

int rt_qadd(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const int8_t* a = (const int8_t*)rt_operand(l, op, 0);
  const int8_t* b = (const int8_t*)rt_operand(l, op, 1);
  int8_t* y = (int8_t*)rt_operand(l, op, 2);
  const int32_t za = p[QA_A_ZP], zb = p[QA_B_ZP], zy = p[QA_Y_ZP], ma = p[QA_MULT_A];
  const int32_t mb = p[QA_MULT_B], shift = p[QA_SHIFT], round = 1 << (shift - 1);
  const int32_t lo = p[QA_ACT] == QACT_RELU ? (zy > -128 ? zy : -128) : -128;
  /* The compiler keeps 256 * (ma + mb) below 2^31, so int32 arithmetic is exact here. */
  for (int32_t i = 0; i < p[QA_COUNT]; ++i) {
    int32_t q = (((a[i] - za) * ma + (b[i] - zb) * mb + round) >> shift) + zy;
    q = q < lo ? lo : (q > 127 ? 127 : q);
    y[i] = (int8_t)q;
  }
  return 0;
}
