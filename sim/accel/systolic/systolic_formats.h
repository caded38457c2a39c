// Number formats of the systolic array (docs/accelerators/systolic.md section 4): integer
// requantisation, and the bf16 / fp32 arithmetic of the bf16 mode with its exact rules (inputs
// and results below 2^-126 flushed to zero of the same sign, round to nearest even, every NaN
// result 0x7FC00000). The RTL computes the same in systolic_pkg.sv (bf_mul, fp_add, to_bf16).
// Host float arithmetic is IEEE binary32 with round-to-nearest-even; a product of two bf16
// values is exact in fp32 unless it leaves the normal range, so a host multiply or add followed
// by the flush gives the RTL's bits (NaN payloads are canonicalised when a value is stored).
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "accel/systolic/systolic_engine.h"
#include "accel/systolic/systolic_spec.h"

namespace flecsim::systolic {

// p = a * multiplier, rounded shift, activation, saturated to [lo, hi] (spec section 4).
inline int32_t requantise_sat(int32_t a, const SystolicConfig& cfg, int32_t lo, int32_t hi) {
  int64_t p = int64_t(a) * int64_t(cfg.multiplier);
  int64_t q = cfg.shift == 0 ? p : (p + (int64_t(1) << (cfg.shift - 1))) >> cfg.shift;
  if (cfg.activation == kActRelu) q = std::max<int64_t>(q, 0);
  if (cfg.activation == kActRelu6) q = q < 0 ? 0 : std::min<int64_t>(q, cfg.relu6_max);
  return int32_t(std::clamp<int64_t>(q, lo, hi));
}

constexpr uint32_t kFpQuietNan = 0x7FC00000u;

// The same 32 bits seen as another type (float <-> uint32_t).
template <class To, class From>
inline To same_bits(From v) {
  static_assert(sizeof(To) == sizeof(From), "same size");
  To t;
  std::memcpy(&t, &v, sizeof t);
  return t;
}
inline uint32_t fp_bits(float f) {
  return same_bits<uint32_t>(f);
}
inline float fp_from_bits(uint32_t u) {
  return same_bits<float>(u);
}
// Values below the normal range become zero of the same sign (inputs and results alike).
inline float flush(float x) {
  return std::fabs(x) < 1.17549435e-38f ? std::copysign(0.0f, x) : x;
}
inline float bf16_to_float(uint16_t b) {
  return flush(fp_from_bits(uint32_t(b) << 16));
}
inline uint32_t canonical(float x) {
  return std::isnan(x) ? kFpQuietNan : fp_bits(x);
}
// fp32 bits -> bf16, round to nearest even, subnormals to zero, NaN -> 0x7FC0.
inline uint16_t to_bf16(uint32_t x) {
  if ((x & 0x7F800000u) == 0) x &= 0x80000000u;
  if ((x & 0x7F800000u) == 0x7F800000u && (x & 0x7FFFFFu)) return 0x7FC0;
  return uint16_t((x + 0x7FFFu + (x >> 16 & 1)) >> 16);
}
// Signed key ordered as the IEEE total order of fp32 bit patterns (max-pool, ReLU6 of bf16).
inline int32_t fp_key(uint32_t x) {
  return int32_t(x >> 31 ? (0x80000000u | ~x) : x);
}

}  // namespace flecsim::systolic
