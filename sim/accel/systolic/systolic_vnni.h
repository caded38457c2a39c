// The WS int8 COMPUTE on AVX-512 VNNI (vpdpbusd), bit-exact with the spec's int32 arithmetic.
//
// vpdpbusd multiplies unsigned by signed bytes, so activations are offset by 128:
//   sum_i a_i * w_ij = sum_i (a_i + 128) * w_ij - 128 * sum_i w_ij,
// where a_i + 128 is the byte a_i ^ 0x80 and the correction is folded into the accumulator's
// initial value when the weights are loaded. Every term is exact in int32 for DIM <= 128
// (|sum| < 2^23); the accumulation into ACC wraps mod 2^32 as the spec's adders do.
// Weights are packed once per PRELOAD as groups of 4 consecutive rows i interleaved per column
// j (the operand layout of vpdpbusd), so a COMPUTE row is DIM/4 broadcasts and multiply-adds
// per 16 output columns. Machines without AVX-512 VNNI use the portable kernel of
// systolic_kernels.cpp; supported() tells which one runs.
#pragma once
#include <cstdint>
#include <vector>

namespace flecsim::systolic {

class VnniWeights {
 public:
  // True when this CPU executes AVX-512 F/BW/VNNI (checked once) and 1 <= dim <= 128.
  static bool supported(uint32_t dim);
  // Loads the dim x dim weights w[i * dim + j] (the PE array after PRELOAD).
  void load(const int8_t* w, uint32_t dim);
  // For each of `rows` rows m: out[m*dim + j] = (accumulate ? out[m*dim + j] : 0) +
  // sum_i a[m*dim + i] * w[i][j], modulo 2^32. Needs supported().
  void multiply(const int8_t* a, uint32_t rows, int32_t* out, bool accumulate) const;

 private:
  uint32_t dim_ = 0;
  std::vector<int8_t> packed_;  // [group i/4][column j, padded to 16s][i % 4]
  std::vector<int32_t> bias_;   // -128 * sum_i w[i][j], padded to 16s
};

}  // namespace flecsim::systolic
