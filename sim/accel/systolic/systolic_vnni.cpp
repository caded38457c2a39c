#include "accel/systolic/systolic_vnni.h"

#include <cstring>

#include "core/error.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define FLECSIM_X86_VNNI 1
#endif

namespace flecsim::systolic {

namespace {
constexpr uint32_t kLanes = 16;     // int32 lanes of a zmm register
constexpr uint32_t kMaxBlocks = 8;  // DIM <= 128 (spec section 1)

uint32_t column_blocks(uint32_t dim) {
  return (dim + kLanes - 1) / kLanes;
}
uint32_t row_groups(uint32_t dim) {
  return (dim + 3) / 4;
}

// Activations a[4g .. 4g+3] of one row as the unsigned bytes a + 128; bytes past the row
// (DIM not a multiple of 4) are never read: their weights are 0, so any value works.
inline uint32_t offset_group(const int8_t* a, uint32_t g, uint32_t dim) {
  uint32_t x = 0;
  if (4 * g + 4 <= dim) {
    std::memcpy(&x, a + 4 * g, 4);
  } else {
    for (uint32_t t = 0; 4 * g + t < dim; ++t) x |= uint32_t(uint8_t(a[4 * g + t])) << (8 * t);
  }
  return x ^ 0x80808080u;
}

#ifdef FLECSIM_X86_VNNI
// DIM known at compile time (the common sizes) keeps a row's accumulators and, at 16x16 and
// 32x32, the whole packed weight array in registers; kDim = 0 is the generic loop.
template <uint32_t kDim>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void vnni_rows(
    const int8_t* a, const int8_t* packed, const int32_t* bias, uint32_t dim, uint32_t rows,
    int32_t* out, bool accumulate) {
  const uint32_t d = kDim ? kDim : dim;
  const uint32_t blocks = column_blocks(d), groups = row_groups(d);
  const __mmask16 last = d % kLanes ? __mmask16((1u << (d % kLanes)) - 1) : __mmask16(0xffff);
  for (uint32_t m = 0; m < rows; ++m, a += d, out += d) {
    __m512i acc[kDim ? (kDim + kLanes - 1) / kLanes : kMaxBlocks];
    for (uint32_t b = 0; b < blocks; ++b) acc[b] = _mm512_loadu_si512(bias + b * kLanes);
    for (uint32_t g = 0; g < groups; ++g) {
      const __m512i x = _mm512_set1_epi32(int(offset_group(a, g, d)));
      const int8_t* w = packed + size_t(g) * blocks * 64;
      for (uint32_t b = 0; b < blocks; ++b)
        acc[b] = _mm512_dpbusd_epi32(acc[b], x, _mm512_loadu_si512(w + b * 64));
    }
    for (uint32_t b = 0; b < blocks; ++b) {
      const __mmask16 k = b + 1 == blocks ? last : __mmask16(0xffff);
      int32_t* o = out + b * kLanes;
      __m512i v = accumulate ? _mm512_add_epi32(acc[b], _mm512_maskz_loadu_epi32(k, o)) : acc[b];
      _mm512_mask_storeu_epi32(o, k, v);
    }
  }
}
#endif
}  // namespace

bool VnniWeights::supported(uint32_t dim) {
#ifdef FLECSIM_X86_VNNI
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("avx512vnni");
  return has && dim >= 1 && dim <= kMaxBlocks * kLanes;
#else
  (void)dim;
  return false;
#endif
}

void VnniWeights::load(const int8_t* w, uint32_t dim) {
  if (dim == 0 || dim > kMaxBlocks * kLanes) throw InternalError("VnniWeights: bad DIM");
  dim_ = dim;
  const uint32_t blocks = column_blocks(dim);
  packed_.assign(size_t(row_groups(dim)) * blocks * 64, 0);
  bias_.assign(size_t(blocks) * kLanes, 0);
  for (uint32_t i = 0; i < dim; ++i) {
    for (uint32_t j = 0; j < dim; ++j) {
      int8_t v = w[size_t(i) * dim + j];
      packed_[(size_t(i / 4) * blocks * kLanes + j) * 4 + i % 4] = v;
      bias_[j] -= 128 * int32_t(v);
    }
  }
}

void VnniWeights::multiply(const int8_t* a, uint32_t rows, int32_t* out, bool accumulate) const {
#ifdef FLECSIM_X86_VNNI
  switch (dim_) {
    case 16:
      return vnni_rows<16>(a, packed_.data(), bias_.data(), dim_, rows, out, accumulate);
    case 32:
      return vnni_rows<32>(a, packed_.data(), bias_.data(), dim_, rows, out, accumulate);
    default:
      return vnni_rows<0>(a, packed_.data(), bias_.data(), dim_, rows, out, accumulate);
  }
#else
  (void)a, (void)rows, (void)out, (void)accumulate;
  throw InternalError("VnniWeights::multiply without AVX-512 VNNI");
#endif
}

}  // namespace flecsim::systolic
