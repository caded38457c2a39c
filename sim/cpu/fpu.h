// Single-precision helpers for the F extension: bit views, canonical NaNs, classification,
// host rounding-mode and exception-flag management, and RMM (which the host FPU lacks).
//
// Arithmetic runs on the host FPU with its rounding mode set to the instruction's; the host's
// sticky exception flags *are* fflags between synchronisations (fold_host_flags moves them into
// Hart::fflags whenever fflags is read, and before the core yields to other SystemC processes).
#pragma once
#include <cfenv>
#include <cstdint>
#include <cstring>

#include "cpu/hart.h"

namespace flecsim {
namespace fpu {

constexpr uint32_t kNX = 1, kUF = 2, kOF = 4, kDZ = 8, kNV = 16;
constexpr unsigned kRne = 0, kRtz = 1, kRdn = 2, kRup = 3, kRmm = 4, kDyn = 7;
constexpr uint32_t kCanonicalNaN = 0x7fc00000u;

inline float as_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}
inline uint32_t as_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline bool is_nan(uint32_t b) {
  return (b & 0x7fffffffu) > 0x7f800000u;
}
inline bool is_snan(uint32_t b) {
  return is_nan(b) && !(b & 0x00400000u);
}
inline uint32_t canonical(float r) {
  uint32_t b = as_bits(r);
  return is_nan(b) ? kCanonicalNaN : b;
}
// Keeps the compiler from moving FP arithmetic across fesetround/fetestexcept.
template <typename T>
inline void barrier(T& v) {
  asm volatile("" : "+m"(v));
}

uint32_t classify(uint32_t b);  // fclass.s result bits
// infinity * zero in a fused multiply-add: RISC-V raises NV even when the addend is a quiet
// NaN (IEEE leaves that case open, and the host's fma does not raise it).
inline bool fma_invalid_product(uint32_t a, uint32_t b) {
  auto inf = [](uint32_t x) { return (x & 0x7fffffffu) == 0x7f800000u; };
  auto zero = [](uint32_t x) { return (x & 0x7fffffffu) == 0; };
  return (inf(a) && zero(b)) || (zero(a) && inf(b));
}
uint32_t host_to_fflags(int host_flags);
void fold_host_flags(Hart& h);                 // h.fflags |= host flags; clears the host flags
void set_host_rounding(Hart& h, unsigned rm);  // rm in 0..3
void release_host_fpu(Hart& h);                // before yielding: fold, restore round-to-nearest
void acquire_host_fpu(Hart& h);                // after resuming: clear host flags

// RMM: the operation is computed in double under round-toward-zero, made round-to-odd from
// the inexact flag (double has > 24 + 2 bits, so rounding that again is exact), and rounded
// to single with ties away from zero in software, with all five flags.
uint32_t round_to_single_rmm(Hart& h, double round_to_odd_value);
template <typename DoubleOp>
uint32_t compute_rmm(Hart& h, DoubleOp op) {
  fold_host_flags(h);
  std::fesetround(FE_TOWARDZERO);
  h.host_rm = kRtz;
  double v = op();
  barrier(v);
  int raised = std::fetestexcept(FE_ALL_EXCEPT);
  std::feclearexcept(FE_ALL_EXCEPT);
  h.fflags |= host_to_fflags(raised & (FE_INVALID | FE_DIVBYZERO));
  if (raised & FE_INEXACT) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    bits |= 1;  // round to odd
    std::memcpy(&v, &bits, 8);
  }
  return round_to_single_rmm(h, v);
}

// Float to integer conversions (fcvt.w.s / fcvt.wu.s) with saturation and flags.
uint32_t to_int32(Hart& h, uint32_t b, unsigned rm, bool is_unsigned);
// fmin/fmax per the 2.2 spec (a NaN operand yields the other; -0 < +0; sNaN raises NV).
uint32_t min_max(Hart& h, uint32_t a, uint32_t b, bool want_max);
// feq/flt/fle: flt/fle signal NV on any NaN, feq only on sNaN.
uint32_t compare(Hart& h, uint32_t a, uint32_t b, int which);  // 0 eq, 1 lt, 2 le

}  // namespace fpu
}  // namespace flecsim
