// QDQ pattern recognition: DequantizeLinear -> Conv/Gemm/MatMul/Add [-> Relu] -> QuantizeLinear
// with int8 tensors becomes one integer op of the "flecsim" domain (QConv, QMatMul, QAdd)
// whose requantisation is integer-only (dyadic multiplier and shift), identical in the
// accelerator, the runtime's CPU kernels and the reference executor.
#pragma once
#include <cstdint>

#include "graph/graph.h"

namespace flecsim::compiler {

// Rewrites `g` in place; returns the number of fused ops.
int fuse_qdq(graph::Graph& g);

// real ~= multiplier * 2^-shift with multiplier in [2^(bits-1), 2^bits) (or smaller when shift
// hits 62); 31 bits for int8 ops, 15 for int16 ops (int64 accumulators times the multiplier).
void dyadic(double real, int32_t& multiplier, int32_t& shift, int bits = 31);

// Registers the flecsim-domain ops with the reference executor (the same integer semantics).
void register_fused_reference_ops();

}  // namespace flecsim::compiler
