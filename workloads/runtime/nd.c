#include "nd.h"

void nd_init(nd_iter_t* it, int rank, const int32_t* dims, int n_operands,
             const int32_t* const* strides) {
  it->rank = rank;
  it->n_operands = n_operands;
  for (int d = 0; d < rank; ++d) {
    it->dims[d] = dims[d];
    it->index[d] = 0;
    for (int k = 0; k < n_operands; ++k) it->strides[k][d] = strides[k][d];
  }
  for (int k = 0; k < ND_MAX_OPERANDS; ++k) it->offset[k] = 0;
}

int32_t nd_outer_count(const nd_iter_t* it) {
  int32_t n = 1;
  for (int d = 0; d + 1 < it->rank; ++d) n *= it->dims[d];
  return n;
}

void nd_step(nd_iter_t* it) {
  for (int d = it->rank - 2; d >= 0; --d) {
    for (int k = 0; k < it->n_operands; ++k) it->offset[k] += it->strides[k][d];
    if (++it->index[d] < it->dims[d]) return;
    for (int k = 0; k < it->n_operands; ++k) it->offset[k] -= it->strides[k][d] * it->dims[d];
    it->index[d] = 0;
  }
}
