/* Data movement and elementwise kernels: COPY, FILL, UNARY, BINARY, SOFTMAX, REDUCE, GATHER. */
#include <math.h>
#include <string.h>

#include "nd.h"
#include "runtime.h"

int rt_copy(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const int32_t elem = p[CP_ELEM];
  const uint8_t* x = (const uint8_t*)rt_operand(l, op, 0) + (int64_t)p[CP_SRC_OFFSET] * elem;
  uint8_t* y = (uint8_t*)rt_operand(l, op, 1) + (int64_t)p[CP_DST_OFFSET] * elem;
  const int32_t* strides[2] = {p + CP_SRC_STRIDES, p + CP_DST_STRIDES};
  nd_iter_t it;
  nd_init(&it, p[CP_RANK], p + CP_DIMS, 2, strides);
  const int32_t inner = nd_inner(&it), sx = nd_inner_stride(&it, 0), sy = nd_inner_stride(&it, 1);
  for (int32_t o = nd_outer_count(&it); o > 0; --o, nd_step(&it)) {
    const uint8_t* src = x + (int64_t)it.offset[0] * elem;
    uint8_t* dst = y + (int64_t)it.offset[1] * elem;
    if (sx == 1 && sy == 1) {
      memcpy(dst, src, (size_t)inner * elem);
      continue;
    }
    for (int32_t i = 0; i < inner; ++i)
      memcpy(dst + (int64_t)i * sy * elem, src + (int64_t)i * sx * elem, elem);
  }
  return 0;
}

int rt_fill(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  uint8_t* y = (uint8_t*)rt_operand(l, op, 0);
  uint32_t pattern[2] = {(uint32_t)p[FL_LO], (uint32_t)p[FL_HI]};
  for (int32_t i = 0; i < p[FL_COUNT]; ++i)
    memcpy(y + (int64_t)i * p[FL_ELEM], pattern, p[FL_ELEM]);
  return 0;
}

/* Round to nearest even bfloat16 (sim/compiler/quantize_bf16.cpp does the same). */
static float rt_round_bf16(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  if ((u & 0x7f800000u) == 0x7f800000u) {
    if (u & 0x007fffffu) u |= 0x00400000u; /* NaN stays a quiet NaN */
  } else {
    u += 0x7fffu + ((u >> 16) & 1u); /* overflow rounds to infinity */
  }
  u &= 0xffff0000u;
  memcpy(&x, &u, 4);
  return x;
}

static float unary_f32(int func, float x, float a, float b) {
  switch (func) {
    case UNF_RELU:
      return x > 0.0f ? x : 0.0f;
    case UNF_LEAKY_RELU:
      return x >= 0.0f ? x : a * x;
    case UNF_CLIP:
      return x < a ? a : (x > b ? b : x);
    case UNF_SIGMOID:
      return 1.0f / (1.0f + expf(-x));
    case UNF_TANH:
      return tanhf(x);
    case UNF_SQRT:
      return sqrtf(x);
    case UNF_EXP:
      return expf(x);
    case UNF_NEG:
      return -x;
    case UNF_ABS:
      return fabsf(x);
    case UNF_RECIPROCAL:
      return 1.0f / x;
    case UNF_ROUND_BF16:
      return rt_round_bf16(x);
    default:
      return x;
  }
}

int rt_unary(const rt_loadable_t* l, const flc_op_t* op) {
  const float* x = (const float*)rt_operand(l, op, 0);
  float* y = (float*)rt_operand(l, op, 1);
  const int func = op->params[UN_FUNC];
  const float a = rt_param_f32(op, UN_A), b = rt_param_f32(op, UN_B);
  for (int32_t i = 0; i < op->params[UN_COUNT]; ++i) y[i] = unary_f32(func, x[i], a, b);
  return 0;
}

/* One typed loop per element type; the arithmetic per function is the same template. */
#define RT_BINARY_LOOP(T, EXPR)                                       \
  do {                                                                \
    const T* A = (const T*)a;                                         \
    const T* B = (const T*)b;                                         \
    T* Y = (T*)y;                                                     \
    for (int32_t o = nd_outer_count(&it); o > 0; --o, nd_step(&it)) { \
      const T* pa = A + it.offset[0];                                 \
      const T* pb = B + it.offset[1];                                 \
      T* py = Y + it.offset[2];                                       \
      for (int32_t i = 0; i < inner; ++i) {                           \
        T u = pa[i * sa], v = pb[i * sb];                             \
        py[i] = (T)(EXPR);                                            \
      }                                                               \
    }                                                                 \
  } while (0)

#define RT_BINARY_FUNCS(T, POW)         \
  switch (func) {                       \
    case BIF_ADD:                       \
      RT_BINARY_LOOP(T, u + v);         \
      break;                            \
    case BIF_SUB:                       \
      RT_BINARY_LOOP(T, u - v);         \
      break;                            \
    case BIF_MUL:                       \
      RT_BINARY_LOOP(T, u* v);          \
      break;                            \
    case BIF_DIV:                       \
      RT_BINARY_LOOP(T, u / v);         \
      break;                            \
    case BIF_MAX:                       \
      RT_BINARY_LOOP(T, u > v ? u : v); \
      break;                            \
    case BIF_MIN:                       \
      RT_BINARY_LOOP(T, u < v ? u : v); \
      break;                            \
    case BIF_POW:                       \
      RT_BINARY_LOOP(T, POW);           \
      break;                            \
    default:                            \
      return 2;                         \
  }

int rt_binary(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const void* a = rt_operand(l, op, 0);
  const void* b = rt_operand(l, op, 1);
  void* y = rt_operand(l, op, 2);
  const int32_t* strides[3] = {p + BI_A_STRIDES, p + BI_B_STRIDES, 0};
  int32_t y_strides[FLC_MAX_RANK];
  int32_t step = 1;
  for (int d = p[BI_RANK] - 1; d >= 0; --d) y_strides[d] = step, step *= p[BI_DIMS + d];
  strides[2] = y_strides;
  nd_iter_t it;
  nd_init(&it, p[BI_RANK], p + BI_DIMS, 3, strides);
  const int32_t inner = nd_inner(&it), sa = nd_inner_stride(&it, 0), sb = nd_inner_stride(&it, 1);
  const int func = p[BI_FUNC];
  switch (p[BI_DTYPE]) {
    case FLC_F32:
      RT_BINARY_FUNCS(float, powf(u, v));
      break;
    case FLC_F64:
      RT_BINARY_FUNCS(double, pow(u, v));
      break;
    case FLC_I8:
      RT_BINARY_FUNCS(int8_t, pow(u, v));
      break;
    case FLC_U8:
      RT_BINARY_FUNCS(uint8_t, pow(u, v));
      break;
    case FLC_I16:
      RT_BINARY_FUNCS(int16_t, pow(u, v));
      break;
    case FLC_U16:
      RT_BINARY_FUNCS(uint16_t, pow(u, v));
      break;
    case FLC_I32:
      RT_BINARY_FUNCS(int32_t, pow(u, v));
      break;
    case FLC_U32:
      RT_BINARY_FUNCS(uint32_t, pow(u, v));
      break;
    case FLC_I64:
      RT_BINARY_FUNCS(int64_t, pow(u, v));
      break;
    case FLC_U64:
      RT_BINARY_FUNCS(uint64_t, pow(u, v));
      break;
    default:
      return 3;
  }
  return 0;
}

int rt_softmax(const rt_loadable_t* l, const flc_op_t* op) {
  const float* x = (const float*)rt_operand(l, op, 0);
  float* y = (float*)rt_operand(l, op, 1);
  const int32_t outer = op->params[SM_OUTER], n = op->params[SM_AXIS], inner = op->params[SM_INNER];
  for (int32_t o = 0; o < outer; ++o) {
    for (int32_t in = 0; in < inner; ++in) {
      const float* xs = x + (int64_t)o * n * inner + in;
      float* ys = y + (int64_t)o * n * inner + in;
      float max = xs[0];
      for (int32_t i = 1; i < n; ++i) max = xs[i * inner] > max ? xs[i * inner] : max;
      float sum = 0.0f;
      for (int32_t i = 0; i < n; ++i) sum += ys[i * inner] = expf(xs[i * inner] - max);
      if (op->params[SM_LOG]) {
        const float log_sum = logf(sum);
        for (int32_t i = 0; i < n; ++i) ys[i * inner] = xs[i * inner] - max - log_sum;
      } else {
        for (int32_t i = 0; i < n; ++i) ys[i * inner] /= sum;
      }
    }
  }
  return 0;
}

int rt_reduce(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const float* x = (const float*)rt_operand(l, op, 0);
  float* y = (float*)rt_operand(l, op, 1);
  const int32_t* out_strides[1] = {p + RD_X_STRIDES};
  const int32_t* red_strides[1] = {p + RD_RED_STRIDES};
  nd_iter_t out_it, red_it;
  nd_init(&out_it, p[RD_RANK], p + RD_DIMS, 1, out_strides);
  int32_t red_count = 1;
  for (int d = 0; d < p[RD_RED_RANK]; ++d) red_count *= p[RD_RED_DIMS + d];
  int32_t yi = 0;
  const int32_t inner = nd_inner(&out_it), sx = nd_inner_stride(&out_it, 0);
  for (int32_t o = nd_outer_count(&out_it); o > 0; --o, nd_step(&out_it)) {
    for (int32_t i = 0; i < inner; ++i) {
      const float* base = x + out_it.offset[0] + (int64_t)i * sx;
      nd_init(&red_it, p[RD_RED_RANK], p + RD_RED_DIMS, 1, red_strides);
      const int32_t rin = nd_inner(&red_it), rs = nd_inner_stride(&red_it, 0);
      float sum = 0.0f;
      for (int32_t r = nd_outer_count(&red_it); r > 0; --r, nd_step(&red_it))
        for (int32_t k = 0; k < rin; ++k) sum += base[red_it.offset[0] + k * rs];
      y[yi++] = p[RD_FUNC] == RDF_MEAN ? sum / (float)red_count : sum;
    }
  }
  return 0;
}

int rt_gather(const rt_loadable_t* l, const flc_op_t* op) {
  const float* x = (const float*)rt_operand(l, op, 0);
  const int32_t* index = (const int32_t*)rt_operand(l, op, 1);
  const float* weight = (const float*)rt_operand(l, op, 2);
  float* y = (float*)rt_operand(l, op, 3);
  const int32_t taps = op->params[GA_TAPS];
  for (int32_t i = 0; i < op->params[GA_COUNT]; ++i) {
    float sum = 0.0f;
    for (int32_t t = 0; t < taps; ++t) sum += weight[i * taps + t] * x[index[i * taps + t]];
    y[i] = sum;
  }
  return 0;
}
