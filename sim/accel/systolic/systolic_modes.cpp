// The systolic model's int16, bf16 and output-stationary COMPUTE, the 16-bit PRELOAD and the
// MVOUT conversions beyond int8 (int16 requantisation, bf16, max-pooling): spec sections 4
// and 7. The int8 WS path stays in systolic_kernels.cpp and dispatches here for the rest.
// bf16 sums are computed in the RTL's order (down a column for WS, k by k for OS, each step
// one flushed fp32 add), so the bits match; this file is compiled with -ffp-contract=off.
#include <algorithm>
#include <cstring>

#include "accel/systolic/systolic_engine.h"
#include "accel/systolic/systolic_formats.h"
#include "accel/systolic/systolic_spec.h"

namespace flecsim::systolic {

namespace {
// Element e of an SP element row as a 16-bit lane: int8 sign-extended, or the 16-bit value.
inline uint16_t lane(const int8_t* row, uint32_t e, uint32_t elem_bytes) {
  if (elem_bytes == 1) return uint16_t(int16_t(row[e]));
  const uint8_t* p = reinterpret_cast<const uint8_t*>(row) + 2 * e;
  return uint16_t(p[0] | p[1] << 8);
}

// The one step every PE column / accumulator takes: acc[j] += x * b[j], as the integer mesh
// (wrapping mod 2^32) or the bf16 mesh (product and sum each flushed). WS adds a row of
// products per A element down the columns, OS per step k into the tile; both call these.
// AVX2 clones where the compiler offers them (the default build targets baseline x86-64).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FLECSIM_MODES_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FLECSIM_MODES_CLONES
#endif
FLECSIM_MODES_CLONES void int_step(uint32_t* acc, int32_t x, const int32_t* b, uint32_t dim) {
  for (uint32_t j = 0; j < dim; ++j) acc[j] += uint32_t(x) * uint32_t(b[j]);
}
FLECSIM_MODES_CLONES void fp_step(float* acc, float x, const float* b, uint32_t dim) {
  for (uint32_t j = 0; j < dim; ++j) acc[j] = flush(acc[j] + flush(x * b[j]));
}

// One C row of the integer mesh: sums[j] = sum_i a[i] * w[i][j], wrapping mod 2^32.
void int_row(const int32_t* a, const int32_t* w, uint32_t dim, uint32_t* sums) {
  for (uint32_t j = 0; j < dim; ++j) sums[j] = 0;
  for (uint32_t i = 0; i < dim; ++i) int_step(sums, a[i], w + size_t(i) * dim, dim);
}

// One C row of the bf16 mesh: sums[j] = (((+0 + a0*w0j) + a1*w1j) + ...), every step flushed.
void fp_row(const float* a, const float* w, uint32_t dim, float* sums) {
  for (uint32_t j = 0; j < dim; ++j) sums[j] = 0.0f;
  for (uint32_t i = 0; i < dim; ++i) fp_step(sums, a[i], w + size_t(i) * dim, dim);
}

uint16_t int8_to_bf16(int32_t v) {
  return to_bf16(fp_bits(float(v)));  // exact
}
}  // namespace

const uint16_t* SystolicEngine::weight_lanes() {
  if (weights_int8_)
    for (size_t i = 0; i < lanes_.size(); ++i) lanes_[i] = uint16_t(int16_t(weights_[i]));
  return lanes_.data();
}

uint32_t SystolicEngine::exec_preload_wide(const Command& cmd) {
  const uint32_t b = cmd.args[0] & 0xffff, dim = p_.dim;
  if (uint64_t(b) + 2 * dim > p_.sp_rows) return kErrAddrRange;
  const int8_t* src = &sp_[size_t(b) * dim];
  for (uint32_t i = 0; i < dim; ++i)
    for (uint32_t j = 0; j < dim; ++j) lanes_[i * dim + j] = lane(src + size_t(2 * i) * dim, j, 2);
  weights_int8_ = false;
  sp_read_bits_ += uint64_t(dim) * dim * 16;
  return kErrNone;
}

uint32_t SystolicEngine::exec_compute_modes(const Command& cmd) {
  const uint32_t a = cmd.args[0] & 0xffff, c = cmd.args[1] & 0xffff, n = cmd.args[2] & 0xffff;
  const uint32_t b = cmd.args[3] >> 16, dim = p_.dim;
  const uint64_t elem = sp_elem_bytes(config_.precision), sp_span = elem * n;
  const bool accumulate = cmd.args[3] & 1, os = config_.dataflow == kDataflowOs;
  const bool fp = config_.precision == kPrecBf16;
  if (n == 0) return kErrBadArg;
  const uint32_t out_rows = os ? dim : n;
  if (a + sp_span > p_.sp_rows || (os && b + sp_span > p_.sp_rows) ||
      uint64_t(c) + out_rows > p_.acc_rows)
    return kErrAddrRange;
  if (os) {
    compute_os(a, b, n, fp);
    // B streamed through the PE weight registers and zeros followed it (spec, OS COMPUTE).
    clear_weights();
  } else {
    compute_ws_modes(a, n, fp);
  }
  write_sums(c, out_rows, accumulate, fp);
  const uint64_t macs = uint64_t(n) * dim * dim;
  (config_.precision == kPrecInt8 ? macs_int8_ : fp ? macs_bf16_ : macs_int16_) += macs;
  sp_read_bits_ += (os ? 2 : 1) * sp_span * dim * 8;
  acc_write_bits_ += uint64_t(out_rows) * dim * 32;
  if (accumulate) acc_read_bits_ += uint64_t(out_rows) * dim * 32;
  return kErrNone;
}

// WS with 16-bit lanes: C row m = A row m (SP row a + elem*m) times the PE weights.
void SystolicEngine::compute_ws_modes(uint32_t a, uint32_t m_rows, bool fp) {
  const uint32_t dim = p_.dim, elem = sp_elem_bytes(config_.precision);
  const uint16_t* w = weight_lanes();
  sums32_.resize(size_t(m_rows) * dim);
  std::vector<int32_t> wi(size_t(dim) * dim), ai(dim);
  std::vector<float> wf(size_t(dim) * dim), af(dim), sf(dim);
  for (size_t i = 0; i < wi.size(); ++i)
    fp ? void(wf[i] = bf16_to_float(w[i])) : void(wi[i] = int16_t(w[i]));
  for (uint32_t m = 0; m < m_rows; ++m) {
    const int8_t* row = &sp_[(size_t(a) + size_t(elem) * m) * dim];
    uint32_t* out = &sums32_[size_t(m) * dim];
    if (fp) {
      for (uint32_t i = 0; i < dim; ++i) af[i] = bf16_to_float(lane(row, i, elem));
      fp_row(af.data(), wf.data(), dim, sf.data());
      for (uint32_t j = 0; j < dim; ++j) out[j] = canonical(sf[j]);
    } else {
      for (uint32_t i = 0; i < dim; ++i) ai[i] = int16_t(lane(row, i, elem));
      int_row(ai.data(), wi.data(), dim, out);
    }
  }
}

// OS: C[i][j] = sum over k of A^T[k][i] * B[k][j], k in order (SP rows a + elem*k, b + elem*k).
void SystolicEngine::compute_os(uint32_t a, uint32_t b, uint32_t k_steps, bool fp) {
  const uint32_t dim = p_.dim, elem = sp_elem_bytes(config_.precision);
  sums32_.assign(size_t(dim) * dim, 0);
  std::vector<float> cf(size_t(dim) * dim, 0.0f), bf(dim);
  std::vector<int32_t> bi(dim);
  for (uint32_t k = 0; k < k_steps; ++k) {
    const int8_t* arow = &sp_[(size_t(a) + size_t(elem) * k) * dim];
    const int8_t* brow = &sp_[(size_t(b) + size_t(elem) * k) * dim];
    for (uint32_t j = 0; j < dim; ++j)
      fp ? void(bf[j] = bf16_to_float(lane(brow, j, elem)))
         : void(bi[j] = int16_t(lane(brow, j, elem)));
    for (uint32_t i = 0; i < dim; ++i) {
      if (fp)
        fp_step(&cf[size_t(i) * dim], bf16_to_float(lane(arow, i, elem)), bf.data(), dim);
      else
        int_step(&sums32_[size_t(i) * dim], int16_t(lane(arow, i, elem)), bi.data(), dim);
    }
  }
  if (fp)
    for (size_t i = 0; i < cf.size(); ++i) sums32_[i] = canonical(cf[i]);
}

// sums32_ rows -> ACC rows c.., written or added (int32 wrapping, or a flushed fp32 add).
void SystolicEngine::write_sums(uint32_t c, uint32_t rows, bool accumulate, bool fp) {
  const size_t n = size_t(rows) * p_.dim;
  int32_t* out = &acc_[size_t(c) * p_.dim];
  for (size_t i = 0; i < n; ++i) {
    const uint32_t x = sums32_[i], old = uint32_t(out[i]);
    uint32_t v = x;
    if (accumulate && fp)
      v = canonical(flush(flush(fp_from_bits(old)) + fp_from_bits(x)));
    else if (accumulate)
      v = old + x;
    out[i] = int32_t(v);
  }
}

// MVOUT row beyond int8/no pooling: each element converted (raw, int8/int16 requantised, or
// bf16 with activation), the maximum over pool_rows ACC rows by the spec's pooling order.
void SystolicEngine::pack_out_row_modes(uint32_t acc_row, uint32_t col0, uint32_t cols, bool raw,
                                        bool per_channel, uint8_t* dst) const {
  const uint32_t prec = config_.precision, rows = pool_rows(config_.pool);
  const uint32_t out_bytes = raw ? 4 : sp_elem_bytes(prec);
  const bool fp = prec == kPrecBf16;
  const int32_t hi = prec == kPrecInt16 ? 32767 : 127;
  const uint16_t cap = int8_to_bf16(config_.relu6_max);
  auto convert = [&](int32_t a, const SystolicConfig& cfg) -> uint32_t {
    if (raw) return uint32_t(a);
    if (!fp) return uint32_t(requantise_sat(a, cfg, -hi - 1, hi));
    uint16_t v = to_bf16(uint32_t(a));
    if (config_.activation != kActNone && (v & 0x8000)) v = 0;
    if (config_.activation == kActRelu6 && fp_key(uint32_t(v) << 16) > fp_key(uint32_t(cap) << 16))
      v = cap;
    return v;
  };
  auto key = [&](uint32_t v) { return !fp ? int32_t(v) : fp_key(raw ? v : v << 16); };
  for (uint32_t e = 0; e < cols; ++e) {
    const int32_t* src = &acc_[size_t(acc_row) * p_.dim + col0 + e];
    const SystolicConfig cfg = column_config(col0 + e, per_channel && !fp);
    uint32_t best = convert(src[0], cfg);
    for (uint32_t k = 1; k < rows; ++k) {
      uint32_t v = convert(src[size_t(k) * p_.dim], cfg);
      if (key(v) > key(best)) best = v;
    }
    for (uint32_t byte = 0; byte < out_bytes; ++byte)
      dst[e * out_bytes + byte] = uint8_t(best >> 8 * byte);
  }
  if (p_.fault_data && !raw && cols) dst[0] ^= 1;
}

}  // namespace flecsim::systolic
