#include "accel/systolic/systolic_simd.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FLECSIM_X86_SIMD 1
#endif

namespace flecsim::systolic {

namespace {
constexpr uint32_t kMaxDim = 128;  // spec section 1

constexpr uint32_t ceil_div(uint32_t a, uint32_t b) {
  return (a + b - 1) / b;
}

#ifdef FLECSIM_X86_SIMD
// Activations a[4g .. 4g+3] of one row as the unsigned bytes a + 128; bytes past the row
// (DIM not a multiple of 4) are never read: their weights are 0, so any value works.
inline uint32_t offset_quad(const int8_t* a, uint32_t g, uint32_t dim) {
  uint32_t x = 0;
  if (4 * g + 4 <= dim) {
    std::memcpy(&x, a + 4 * g, 4);
  } else {
    for (uint32_t t = 0; 4 * g + t < dim; ++t) x |= uint32_t(uint8_t(a[4 * g + t])) << (8 * t);
  }
  return x ^ 0x80808080u;
}

// Activations a[2p], a[2p+1] as two int16 (0 past the row).
inline uint32_t int16_pair(const int8_t* a, uint32_t p, uint32_t dim) {
  uint32_t lo = uint16_t(int16_t(a[2 * p]));
  uint32_t hi = 2 * p + 1 < dim ? uint16_t(int16_t(a[2 * p + 1])) : 0;
  return lo | hi << 16;
}

// DIM known at compile time (the common sizes) keeps a row's accumulators and, at 16x16 and
// 32x32, the whole packed weight array in registers; kDim = 0 is the generic loop.
template <uint32_t kDim>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void vnni_rows(
    const int8_t* a, const int8_t* packed, const int32_t* bias, uint32_t dim, uint32_t rows,
    int32_t* out, bool accumulate) {
  const uint32_t d = kDim ? kDim : dim;
  const uint32_t blocks = ceil_div(d, 16), groups = ceil_div(d, 4);
  const __mmask16 last = d % 16 ? __mmask16((1u << (d % 16)) - 1) : __mmask16(0xffff);
  for (uint32_t m = 0; m < rows; ++m, a += d, out += d) {
    __m512i acc[kDim ? ceil_div(kDim, 16) : kMaxDim / 16];
    for (uint32_t b = 0; b < blocks; ++b) acc[b] = _mm512_loadu_si512(bias + b * 16);
    for (uint32_t g = 0; g < groups; ++g) {
      const __m512i x = _mm512_set1_epi32(int(offset_quad(a, g, d)));
      const int8_t* w = packed + size_t(g) * blocks * 64;
      for (uint32_t b = 0; b < blocks; ++b)
        acc[b] = _mm512_dpbusd_epi32(acc[b], x, _mm512_loadu_si512(w + b * 64));
    }
    for (uint32_t b = 0; b < blocks; ++b) {
      const __mmask16 k = b + 1 == blocks ? last : __mmask16(0xffff);
      int32_t* o = out + b * 16;
      __m512i v = accumulate ? _mm512_add_epi32(acc[b], _mm512_maskz_loadu_epi32(k, o)) : acc[b];
      _mm512_mask_storeu_epi32(o, k, v);
    }
  }
}

template <uint32_t kDim>
__attribute__((target("avx2"))) void avx2_rows(const int8_t* a, const int16_t* packed, uint32_t dim,
                                               uint32_t rows, int32_t* out, bool accumulate) {
  const uint32_t d = kDim ? kDim : dim;
  const uint32_t blocks = ceil_div(d, 8), pairs = ceil_div(d, 2);
  const __m256i all = _mm256_set1_epi32(-1);
  const __m256i last = d % 8 ? _mm256_cmpgt_epi32(_mm256_set1_epi32(int(d % 8)),
                                                  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))
                             : all;
  for (uint32_t m = 0; m < rows; ++m, a += d, out += d) {
    __m256i acc[kDim ? ceil_div(kDim, 8) : kMaxDim / 8];
    for (uint32_t b = 0; b < blocks; ++b) acc[b] = _mm256_setzero_si256();
    // Rows of 16s: sign-extend 16 activations at once and broadcast each pair from a register.
    constexpr bool kWholeVectors = kDim != 0 && kDim % 16 == 0;
    __m256i row16[kWholeVectors ? kDim / 16 : 1];
    if (kWholeVectors)
      for (uint32_t h = 0; h < d / 16; ++h)
        row16[h] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a) + h));
    for (uint32_t p = 0; p < pairs; ++p) {
      const __m256i x =
          kWholeVectors ? _mm256_permutevar8x32_epi32(row16[p / 8], _mm256_set1_epi32(int(p % 8)))
                        : _mm256_set1_epi32(int(int16_pair(a, p, d)));
      const int16_t* w = packed + size_t(p) * blocks * 16;
      for (uint32_t b = 0; b < blocks; ++b) {
        const __m256i wb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + b * 16));
        acc[b] = _mm256_add_epi32(acc[b], _mm256_madd_epi16(x, wb));
      }
    }
    for (uint32_t b = 0; b < blocks; ++b) {
      const __m256i k = b + 1 == blocks ? last : all;
      int* o = reinterpret_cast<int*>(out + b * 8);
      __m256i v = accumulate ? _mm256_add_epi32(acc[b], _mm256_maskload_epi32(o, k)) : acc[b];
      _mm256_maskstore_epi32(o, k, v);
    }
  }
}

SimdIsa detect() {
  SimdIsa isa = SimdIsa::kNone;
  if (__builtin_cpu_supports("avx2")) isa = SimdIsa::kAvx2;
  if (isa == SimdIsa::kAvx2 && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni"))
    isa = SimdIsa::kAvx512Vnni;
  return isa;
}
#else
SimdIsa detect() {
  return SimdIsa::kNone;
}
#endif
}  // namespace

bool SimdInt8Weights::cpu_has(SimdIsa isa) {
  static const SimdIsa have = detect();
  return int(isa) <= int(have);
}

SimdIsa SimdInt8Weights::best() {
  static const SimdIsa isa = [] {
    const char* cap = std::getenv("FLECSIM_SIMD");
    if (cap && std::string(cap) == "none") return SimdIsa::kNone;
    if (cap && std::string(cap) == "avx2" && cpu_has(SimdIsa::kAvx2)) return SimdIsa::kAvx2;
    return detect();
  }();
  return isa;
}

const char* SimdInt8Weights::name(SimdIsa isa) {
  switch (isa) {
    case SimdIsa::kAvx512Vnni:
      return "AVX-512 VNNI";
    case SimdIsa::kAvx2:
      return "AVX2";
    default:
      return "none";
  }
}

void SimdInt8Weights::pack(const int8_t* w, uint32_t group_rows, uint32_t lanes,
                           size_t elem_bytes) {
  const uint32_t dim = dim_, blocks = ceil_div(dim, lanes);
  packed_.assign(size_t(ceil_div(dim, group_rows)) * blocks * lanes * group_rows * elem_bytes, 0);
  bias_.assign(size_t(blocks) * lanes, 0);
  // Local pointers: the byte stores below may alias anything, members would be reloaded.
  uint8_t* packed = packed_.data();
  int32_t* bias = bias_.data();
  for (uint32_t i = 0; i < dim; ++i) {
    const int8_t* row = w + size_t(i) * dim;
    for (uint32_t j = 0; j < dim; ++j) bias[j] -= 128 * int32_t(row[j]);
    uint8_t* at = packed + (size_t(i / group_rows) * blocks * lanes * group_rows + i % group_rows) *
                               elem_bytes;
    const size_t step = size_t(group_rows) * elem_bytes;
    for (uint32_t j = 0; j < dim; ++j, at += step) {
      at[0] = uint8_t(row[j]);  // little-endian int8 or int16
      if (elem_bytes == 2) at[1] = row[j] < 0 ? 0xff : 0;
    }
  }
}

void SimdInt8Weights::load(const int8_t* w, uint32_t dim, SimdIsa isa) {
  if (dim == 0 || dim > kMaxDim || isa == SimdIsa::kNone || !cpu_has(isa))
    throw InternalError("SimdInt8Weights: DIM " + std::to_string(dim) + " or ISA " + name(isa));
  dim_ = dim;
  isa_ = isa;
  if (isa == SimdIsa::kAvx512Vnni)
    pack(w, 4, 16, 1);
  else
    pack(w, 2, 8, 2);
}

void SimdInt8Weights::multiply(const int8_t* a, uint32_t rows, int32_t* out,
                               bool accumulate) const {
#ifdef FLECSIM_X86_SIMD
  if (isa_ == SimdIsa::kAvx512Vnni) {
    const int8_t* w = reinterpret_cast<const int8_t*>(packed_.data());
    if (dim_ == 16) return vnni_rows<16>(a, w, bias_.data(), dim_, rows, out, accumulate);
    if (dim_ == 32) return vnni_rows<32>(a, w, bias_.data(), dim_, rows, out, accumulate);
    return vnni_rows<0>(a, w, bias_.data(), dim_, rows, out, accumulate);
  }
  if (isa_ == SimdIsa::kAvx2) {
    const int16_t* w = reinterpret_cast<const int16_t*>(packed_.data());
    if (dim_ == 16) return avx2_rows<16>(a, w, dim_, rows, out, accumulate);
    if (dim_ == 32) return avx2_rows<32>(a, w, dim_, rows, out, accumulate);
    return avx2_rows<0>(a, w, dim_, rows, out, accumulate);
  }
#endif
  (void)a, (void)rows, (void)out, (void)accumulate;
  throw InternalError("SimdInt8Weights::multiply before load");
}

}  // namespace flecsim::systolic
