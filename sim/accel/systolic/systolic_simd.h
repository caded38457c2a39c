// The WS int8 COMPUTE on x86 SIMD integer instructions, bit-exact with the spec's int32
// arithmetic; the ISA is chosen at run time, so one binary runs everywhere.
//
// AVX-512 VNNI (vpdpbusd) multiplies unsigned by signed bytes, so activations are offset by 128:
//   sum_i a_i * w_ij = sum_i (a_i + 128) * w_ij - 128 * sum_i w_ij,
// where a_i + 128 is the byte a_i ^ 0x80 and the correction is folded into the accumulator's
// initial value when the weights are loaded. AVX2 (vpmaddwd) multiplies pairs of int16 values
// sign-extended from int8. Every term is exact in int32 for DIM <= 128 (|sum| < 2^23); the
// accumulation into ACC wraps mod 2^32 as the spec's adders do.
// Weights are packed once per PRELOAD in the operand layout of the instruction (groups of 4 or
// 2 consecutive rows i interleaved per column j), so a COMPUTE row is a few broadcasts and
// multiply-adds per 16 (8) output columns. CPUs with neither ISA use the portable kernel of
// systolic_kernels.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flecsim::systolic {

enum class SimdIsa { kNone, kAvx2, kAvx512Vnni };

class SimdInt8Weights {
 public:
  // The best ISA this CPU executes (checked once); the environment variable
  // FLECSIM_SIMD=none|avx2 caps it, to test and measure the other kernels on a bigger CPU.
  static SimdIsa best();
  static bool cpu_has(SimdIsa isa);
  static const char* name(SimdIsa isa);
  // Some SIMD kernel serves an array of this size (1 <= dim <= 128).
  static bool usable(uint32_t dim) { return best() != SimdIsa::kNone && dim >= 1 && dim <= 128; }

  // Loads the dim x dim weights w[i * dim + j] (the PE array after PRELOAD) for `isa` (which
  // the CPU must have).
  void load(const int8_t* w, uint32_t dim, SimdIsa isa = best());
  // For each of `rows` rows m: out[m*dim + j] = (accumulate ? out[m*dim + j] : 0) +
  // sum_i a[m*dim + i] * w[i][j], modulo 2^32.
  void multiply(const int8_t* a, uint32_t rows, int32_t* out, bool accumulate) const;

 private:
  void pack(const int8_t* w, uint32_t group_rows, uint32_t lanes, size_t elem_bytes);
  SimdIsa isa_ = SimdIsa::kNone;
  uint32_t dim_ = 0;
  std::vector<uint8_t> packed_;  // [group of rows i][column j, padded to lanes][i in group]
  std::vector<int32_t> bias_;    // VNNI: -128 * sum_i w[i][j], padded to 16s
};

}  // namespace flecsim::systolic
