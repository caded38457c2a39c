// Deterministic inputs and output comparison for reference runs.
#pragma once
#include <cstdint>

#include "ref/reference.h"

namespace flecsim::ref {

// One tensor per graph input from a portable generator (splitmix64): float inputs
// uniform in [-1, 1), integer inputs uniform over the type's range, unknown dims 1.
TensorMap random_inputs(const graph::Graph& g, uint64_t seed);

struct Comparison {
  double max_abs_error = 0;
  double cosine = 1;  // 1 when both are all zero
};
// Element-wise comparison of two same-shaped tensors (any storable types).
Comparison compare(const graph::Tensor& expected, const graph::Tensor& actual);

}  // namespace flecsim::ref
