/* N-d iteration over an output shape with per-operand element strides (broadcasting = stride
 * 0). The innermost dimension is looped by the kernel itself; nd_step() advances the outer
 * dimensions and the operand offsets incrementally (no division per element). */
#ifndef FLECSIM_RT_ND_H
#define FLECSIM_RT_ND_H
#include <stdint.h>

#include "loadable_format.h"

#define ND_MAX_OPERANDS 3

typedef struct {
  int rank;
  int32_t dims[FLC_MAX_RANK];
  int32_t strides[ND_MAX_OPERANDS][FLC_MAX_RANK];
  int32_t index[FLC_MAX_RANK];
  int32_t offset[ND_MAX_OPERANDS];
  int n_operands;
} nd_iter_t;

/* dims/strides are read from params: dims at p_dims, operand k's strides at p_strides[k]. */
void nd_init(nd_iter_t* it, int rank, const int32_t* dims, int n_operands,
             const int32_t* const* strides);
/* Number of outer iterations (product of all dims but the innermost). */
int32_t nd_outer_count(const nd_iter_t* it);
static inline int32_t nd_inner(const nd_iter_t* it) {
  return it->rank ? it->dims[it->rank - 1] : 1;
}
static inline int32_t nd_inner_stride(const nd_iter_t* it, int k) {
  return it->rank ? it->strides[k][it->rank - 1] : 0;
}
void nd_step(nd_iter_t* it);

#endif
