/* The flecsim runtime firmware: executes a loadable (loadable_format.h) op by op. */
#ifndef FLECSIM_RUNTIME_H
#define FLECSIM_RUNTIME_H
#include <stdint.h>

#include "loadable_format.h"
#include "loadable_params.h"

typedef struct {
  const flc_header_t* header;
  const flc_unit_t* units;
  const flc_tensor_t* tensors;
  const flc_op_t* ops;
} rt_loadable_t;

/* Address of operand k of op (NULL for none). */
void* rt_operand(const rt_loadable_t* l, const flc_op_t* op, int k);
const flc_tensor_t* rt_operand_tensor(const rt_loadable_t* l, const flc_op_t* op, int k);
static inline float rt_param_f32(const flc_op_t* op, int i) {
  union {
    int32_t i;
    float f;
  } u;
  u.i = op->params[i];
  return u.f;
}

/* A kernel returns 0, or a nonzero error code that stops the run. */
typedef int (*rt_kernel_fn)(const rt_loadable_t* l, const flc_op_t* op);

/* CPU kernels (kernels_*.c). */
int rt_copy(const rt_loadable_t* l, const flc_op_t* op);
int rt_fill(const rt_loadable_t* l, const flc_op_t* op);
int rt_unary(const rt_loadable_t* l, const flc_op_t* op);
int rt_binary(const rt_loadable_t* l, const flc_op_t* op);
int rt_softmax(const rt_loadable_t* l, const flc_op_t* op);
int rt_reduce(const rt_loadable_t* l, const flc_op_t* op);
int rt_gather(const rt_loadable_t* l, const flc_op_t* op);
int rt_conv(const rt_loadable_t* l, const flc_op_t* op);
int rt_matmul(const rt_loadable_t* l, const flc_op_t* op);
int rt_pool(const rt_loadable_t* l, const flc_op_t* op);
int rt_quantize(const rt_loadable_t* l, const flc_op_t* op);
int rt_dequantize(const rt_loadable_t* l, const flc_op_t* op);
int rt_requant(const rt_loadable_t* l, const flc_op_t* op);
int rt_qconv(const rt_loadable_t* l, const flc_op_t* op);
int rt_qmatmul(const rt_loadable_t* l, const flc_op_t* op);
int rt_qconv16(const rt_loadable_t* l, const flc_op_t* op); /* kernels_quant16.c */
int rt_qmatmul16(const rt_loadable_t* l, const flc_op_t* op);
int rt_qadd(const rt_loadable_t* l, const flc_op_t* op);
int rt_qpool(const rt_loadable_t* l, const flc_op_t* op);
int rt_cast(const rt_loadable_t* l, const flc_op_t* op);
int rt_pad(const rt_loadable_t* l, const flc_op_t* op);
int rt_resize(const rt_loadable_t* l, const flc_op_t* op);

/* Systolic-array offload of QCONV / QMATMUL (systolic_offload.c). */
int rt_systolic_qconv(const rt_loadable_t* l, const flc_op_t* op, const flc_unit_t* unit);
int rt_systolic_qmatmul(const rt_loadable_t* l, const flc_op_t* op, const flc_unit_t* unit);

/* Integer element i of a tensor of the given element type (0 for non-integer types). */
static inline int64_t rt_load_int(const void* base, int dtype, int64_t i) {
  switch (dtype) {
    case FLC_U8:
      return ((const uint8_t*)base)[i];
    case FLC_I8:
      return ((const int8_t*)base)[i];
    case FLC_U16:
      return ((const uint16_t*)base)[i];
    case FLC_I16:
      return ((const int16_t*)base)[i];
    case FLC_I32:
      return ((const int32_t*)base)[i];
    default:
      return 0;
  }
}

/* Shared integer requantisation of the accelerator (loadable_params.h, QCONV). */
static inline int8_t rt_requant_dyadic(int32_t acc, int32_t mult, int32_t shift, int32_t y_zp,
                                       int32_t act, int32_t act_min, int32_t act_max) {
  int64_t p = (int64_t)acc * (int64_t)mult;
  int64_t q = shift == 0 ? p : ((p + ((int64_t)1 << (shift - 1))) >> shift);
  q += y_zp;
  if (act == QACT_RELU && q < y_zp) q = y_zp;
  if (act == QACT_CLAMP) q = q < act_min ? act_min : (q > act_max ? act_max : q);
  return (int8_t)(q < -128 ? -128 : (q > 127 ? 127 : q));
}

#endif
