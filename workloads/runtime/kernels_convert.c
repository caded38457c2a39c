/* CAST (element type conversion) and PAD (constant / reflect / edge padding whose pads are
 * read at run time). */
#include <string.h>

#include "runtime.h"

/* Element i of a numeric tensor as double (integers up to 2^53 exactly) and as int64. */
static double load_f64(const void* base, int dtype, int32_t i) {
  switch (dtype) {
    case FLC_F32:
      return ((const float*)base)[i];
    case FLC_F64:
      return ((const double*)base)[i];
    case FLC_I64:
      return (double)((const int64_t*)base)[i];
    case FLC_U32:
      return ((const uint32_t*)base)[i];
    case FLC_U64:
      return (double)((const uint64_t*)base)[i];
    case FLC_BOOL:
      return ((const uint8_t*)base)[i] != 0;
    default:
      return (double)rt_load_int(base, dtype, i);
  }
}

static int64_t load_i64(const void* base, int dtype, int32_t i) {
  switch (dtype) {
    case FLC_I64:
      return ((const int64_t*)base)[i];
    case FLC_U64:
      return (int64_t)((const uint64_t*)base)[i];
    case FLC_U32:
      return ((const uint32_t*)base)[i];
    case FLC_BOOL:
      return ((const uint8_t*)base)[i] != 0;
    default:
      return rt_load_int(base, dtype, i);
  }
}

/* Integer stores wrap (numpy astype); float -> integer truncates toward zero first. */
static int store(void* base, int dtype, int32_t i, int64_t v, double f, int from_float) {
  switch (dtype) {
    case FLC_F32:
      ((float*)base)[i] = (float)f;
      break;
    case FLC_F64:
      ((double*)base)[i] = f;
      break;
    case FLC_BOOL:
      ((uint8_t*)base)[i] = from_float ? f != 0 : v != 0;
      break;
    case FLC_U64:
      ((uint64_t*)base)[i] = from_float ? (uint64_t)f : (uint64_t)v;
      break;
    default: {
      const int64_t t = from_float ? (int64_t)f : v;
      switch (dtype) {
        case FLC_U8:
          ((uint8_t*)base)[i] = (uint8_t)t;
          break;
        case FLC_I8:
          ((int8_t*)base)[i] = (int8_t)t;
          break;
        case FLC_U16:
          ((uint16_t*)base)[i] = (uint16_t)t;
          break;
        case FLC_I16:
          ((int16_t*)base)[i] = (int16_t)t;
          break;
        case FLC_I32:
          ((int32_t*)base)[i] = (int32_t)t;
          break;
        case FLC_U32:
          ((uint32_t*)base)[i] = (uint32_t)t;
          break;
        case FLC_I64:
          ((int64_t*)base)[i] = t;
          break;
        default:
          return 1;
      }
    }
  }
  return 0;
}

int rt_cast(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const void* x = rt_operand(l, op, 0);
  void* y = rt_operand(l, op, 1);
  const int xt = p[CA_X_DTYPE];
  const int from_float = xt == FLC_F32 || xt == FLC_F64;
  for (int32_t i = 0; i < p[CA_COUNT]; ++i) {
    const double f = load_f64(x, xt, i);
    if (store(y, p[CA_Y_DTYPE], i, from_float ? 0 : load_i64(x, xt, i), f, from_float)) return 1;
  }
  return 0;
}

/* Input coordinate of output coordinate o on one axis, or -1 for the constant border. */
static int32_t pad_source(int mode, int32_t o, int64_t begin, int32_t in) {
  int64_t i = (int64_t)o - begin;
  if (i >= 0 && i < in) return (int32_t)i;
  if (mode == PDM_CONSTANT) return -1;
  if (mode == PDM_EDGE) return i < 0 ? 0 : in - 1;
  if (in == 1) return 0;
  while (i < 0 || i >= in) i = i < 0 ? -i : 2 * (int64_t)(in - 1) - i; /* reflect */
  return (int32_t)i;
}

int rt_pad(const rt_loadable_t* l, const flc_op_t* op) {
  const int32_t* p = op->params;
  const uint8_t* x = (const uint8_t*)rt_operand(l, op, 0);
  const int64_t* pads = (const int64_t*)rt_operand(l, op, 1);
  const uint8_t* value = (const uint8_t*)rt_operand(l, op, 2);
  uint8_t* y = (uint8_t*)rt_operand(l, op, 3);
  const int rank = p[PD_RANK], elem = p[PD_ELEM];
  int32_t x_strides[FLC_MAX_RANK], index[FLC_MAX_RANK], count = 1, step = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if (p[PD_X_DIMS + d] + pads[d] + pads[d + rank] != p[PD_Y_DIMS + d]) return 1;
    if (p[PD_MODE] != PDM_CONSTANT && p[PD_X_DIMS + d] == 0) return 1;
    x_strides[d] = step, step *= p[PD_X_DIMS + d];
    count *= p[PD_Y_DIMS + d];
    index[d] = 0;
  }
  static const uint8_t zero[8];
  for (int32_t i = 0; i < count; ++i) {
    int64_t src = 0;
    for (int d = 0; d < rank && src >= 0; ++d) {
      const int32_t s = pad_source(p[PD_MODE], index[d], pads[d], p[PD_X_DIMS + d]);
      src = s < 0 ? -1 : src + (int64_t)s * x_strides[d];
    }
    memcpy(y + (int64_t)i * elem, src < 0 ? (value ? value : zero) : x + src * elem, elem);
    for (int d = rank - 1; d >= 0 && ++index[d] == p[PD_Y_DIMS + d]; --d) index[d] = 0;
  }
  return 0;
}
