#include "cpu/fpu.h"

#include <cmath>

namespace flecsim {
namespace fpu {

uint32_t classify(uint32_t b) {
  bool neg = b >> 31;
  uint32_t exp = (b >> 23) & 0xff, man = b & 0x7fffff;
  if (exp == 0xff) {
    if (man == 0) return neg ? 1u << 0 : 1u << 7;
    return (man & 0x400000) ? 1u << 9 : 1u << 8;
  }
  if (exp == 0) {
    if (man == 0) return neg ? 1u << 3 : 1u << 4;
    return neg ? 1u << 2 : 1u << 5;
  }
  return neg ? 1u << 1 : 1u << 6;
}

uint32_t host_to_fflags(int f) {
  return ((f & FE_INEXACT) ? kNX : 0) | ((f & FE_UNDERFLOW) ? kUF : 0) |
         ((f & FE_OVERFLOW) ? kOF : 0) | ((f & FE_DIVBYZERO) ? kDZ : 0) |
         ((f & FE_INVALID) ? kNV : 0);
}

void fold_host_flags(Hart& h) {
  int raised = std::fetestexcept(FE_ALL_EXCEPT);
  if (raised) {
    h.fflags |= host_to_fflags(raised);
    std::feclearexcept(FE_ALL_EXCEPT);
  }
}

void set_host_rounding(Hart& h, unsigned rm) {
  static const int kHost[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
  std::fesetround(kHost[rm]);
  h.host_rm = static_cast<int>(rm);
}

void release_host_fpu(Hart& h) {
  fold_host_flags(h);
  if (h.host_rm != kRne) std::fesetround(FE_TONEAREST);
  h.host_rm = -1;
}

void acquire_host_fpu(Hart& h) {
  std::feclearexcept(FE_ALL_EXCEPT);
  h.host_rm = -1;
}

uint32_t round_to_single_rmm(Hart& h, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  uint32_t sign = static_cast<uint32_t>(bits >> 63) << 31;
  int exp = static_cast<int>((bits >> 52) & 0x7ff);
  uint64_t man = bits & ((1ull << 52) - 1);
  if (exp == 0x7ff) return man ? kCanonicalNaN : sign | 0x7f800000u;
  if (exp == 0 && man == 0) return sign;
  // Value = man53 * 2^(e - 52) with man53 normalised (double subnormals cannot occur here).
  int e = exp - 1023;
  uint64_t man53 = man | (1ull << 52);
  auto round_at = [&](int shift, bool& inexact) {  // ties away from zero
    if (shift >= 64) {
      inexact = true;
      return uint64_t{0};
    }
    uint64_t q = man53 >> shift, rem = man53 & ((1ull << shift) - 1);
    inexact = rem != 0;
    return q + (rem >= (1ull << (shift - 1)) ? 1 : 0);
  };
  bool inexact = false;
  int shift = 29 + (e < -126 ? -126 - e : 0);
  uint64_t q = round_at(shift, inexact);
  // Tininess after rounding: the result rounded to 24 bits with unbounded exponent < 2^-126.
  bool unbounded_inexact;
  bool tiny = e < -127 || (e == -127 && round_at(29, unbounded_inexact) < (1ull << 24));
  double mag = std::ldexp(static_cast<double>(q), e - 52 + shift);
  uint32_t flags = inexact ? kNX : 0;
  if (tiny && inexact) flags |= kUF;
  uint32_t result;
  if (mag >= 0x1p128) {
    flags |= kOF | kNX;
    result = sign | 0x7f800000u;
  } else {
    result = sign | as_bits(static_cast<float>(mag));  // exact: mag is on the float grid
  }
  h.fflags |= flags;
  return result;
}

uint32_t to_int32(Hart& h, uint32_t b, unsigned rm, bool is_unsigned) {
  const uint32_t nan_result = is_unsigned ? 0xffffffffu : 0x7fffffffu;
  if (is_nan(b)) {
    h.fflags |= kNV;
    return nan_result;
  }
  double x = as_float(b);
  double r;
  switch (rm) {
    case kRtz:
      r = std::trunc(x);
      break;
    case kRdn:
      r = std::floor(x);
      break;
    case kRup:
      r = std::ceil(x);
      break;
    case kRmm:
      r = std::round(x);
      break;
    default: {  // ties to even, independent of the host rounding mode
      double t = std::floor(x), frac = x - t;
      r = frac < 0.5 ? t : frac > 0.5 ? t + 1 : (std::fmod(t, 2.0) == 0 ? t : t + 1);
    }
  }
  double lo = is_unsigned ? 0.0 : -2147483648.0;
  double hi = is_unsigned ? 4294967295.0 : 2147483647.0;
  if (r < lo || r > hi) {
    h.fflags |= kNV;
    if (is_unsigned) return r < 0 ? 0 : 0xffffffffu;
    return r < 0 ? 0x80000000u : 0x7fffffffu;
  }
  if (r != x) h.fflags |= kNX;
  return is_unsigned ? static_cast<uint32_t>(r) : static_cast<uint32_t>(static_cast<int32_t>(r));
}

uint32_t min_max(Hart& h, uint32_t a, uint32_t b, bool want_max) {
  if (is_snan(a) || is_snan(b)) h.fflags |= kNV;
  bool na = is_nan(a), nb = is_nan(b);
  if (na && nb) return kCanonicalNaN;
  if (na) return b;
  if (nb) return a;
  float fa = as_float(a), fb = as_float(b);
  if (fa == fb) {  // equal, possibly +0 and -0
    bool a_neg = a >> 31;
    return want_max ? (a_neg ? b : a) : (a_neg ? a : b);
  }
  return (fa < fb) != want_max ? a : b;
}

uint32_t compare(Hart& h, uint32_t a, uint32_t b, int which) {
  if (is_nan(a) || is_nan(b)) {
    if (which != 0 || is_snan(a) || is_snan(b)) h.fflags |= kNV;
    return 0;
  }
  float fa = as_float(a), fb = as_float(b);
  if (which == 0) return fa == fb;
  return which == 1 ? fa < fb : fa <= fb;
}

}  // namespace fpu
}  // namespace flecsim
