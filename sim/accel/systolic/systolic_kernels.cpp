// Data movement and arithmetic of the systolic model: MVIN/MVOUT beats through the DMA
// channel (timing of spec section 7 "DMA beats"), PRELOAD, the WS int8 GEMM of COMPUTE and
// the requantisation of MVOUT (spec section 4).
#include <algorithm>
#include <cstring>

#include "accel/systolic/systolic_engine.h"
#include "accel/systolic/systolic_spec.h"

namespace flecsim::systolic {

namespace {
int8_t requantise(int32_t a, const SystolicConfig& cfg) {
  int64_t p = int64_t(a) * int64_t(cfg.multiplier);
  int64_t q = cfg.shift == 0 ? p : (p + (int64_t(1) << (cfg.shift - 1))) >> cfg.shift;
  if (cfg.activation == kActRelu) q = std::max<int64_t>(q, 0);
  if (cfg.activation == kActRelu6) q = q < 0 ? 0 : std::min<int64_t>(q, cfg.relu6_max);
  return int8_t(std::clamp<int64_t>(q, -128, 127));
}
}  // namespace

void SystolicEngine::pack_out_row(uint32_t acc_row, uint32_t col0, uint32_t cols, bool raw,
                                  uint8_t* dst) const {
  const int32_t* src = &acc_[size_t(acc_row) * p_.dim + col0];
  if (raw) {
    std::memcpy(dst, src, size_t(cols) * 4);  // little-endian host
    return;
  }
  for (uint32_t e = 0; e < cols; ++e) dst[e] = uint8_t(requantise(src[e], config_));
  if (p_.fault_data && cols) dst[0] ^= 1;
}

// Moves `rows` rows as one block of DMA beats (spec section 7 "DMA beats"); the first beat is
// issued in `issue`. `wide`: MVIN into ACC / MVOUT raw int32 (4-byte elements).
BlockResult SystolicEngine::transfer_rows(bool in, bool wide, uint32_t mem_addr, uint32_t stride,
                                          uint32_t local_row, uint32_t rows, uint32_t col0,
                                          uint32_t cols, uint64_t issue) {
  const uint32_t elem = wide ? 4 : 1, bytes = cols * elem;
  MemBlock block;
  block.addr = mem_addr;
  block.stride = stride;
  block.rows = rows;
  block.row_bytes = bytes;
  block.beat_bytes = p_.bus_bytes;
  if (in) {
    block.local = wide ? reinterpret_cast<uint8_t*>(&acc_[size_t(local_row) * p_.dim])
                       : reinterpret_cast<uint8_t*>(&sp_[size_t(local_row) * p_.dim]);
    block.local_stride = size_t(p_.dim) * elem;
    if (bytes < block.local_stride)  // zero padding
      for (uint32_t r = 0; r < rows; ++r)
        std::memset(block.local + r * block.local_stride + bytes, 0, block.local_stride - bytes);
    return mem_.read_block(issue, block);
  }
  if (row_buf_.size() < size_t(rows) * bytes) row_buf_.resize(size_t(rows) * bytes);
  for (uint32_t r = 0; r < rows; ++r)
    pack_out_row(local_row + r, col0, cols, wide, row_buf_.data() + size_t(r) * bytes);
  block.local = row_buf_.data();
  block.local_stride = bytes;
  return mem_.write_block(issue, block);
}

uint64_t SystolicEngine::exec_move(const Command& cmd, uint64_t start, bool in, uint32_t& error) {
  uint32_t addr = cmd.args[0], stride = cmd.args[1];
  uint32_t local = cmd.args[2] & 0xffff;
  bool acc_side = cmd.args[2] >> 16 & 1;  // MVIN: destination ACC; MVOUT: raw int32
  uint32_t rows = cmd.args[3] & 0xffff, cols = cmd.args[3] >> 16;
  uint32_t col0 = in ? 0 : cmd.args[2] >> 24;  // MVOUT: first ACC element written
  uint32_t limit = in && !acc_side ? p_.sp_rows : p_.acc_rows;
  if (rows == 0 || cols == 0 || col0 + cols > p_.dim) {
    error = kErrBadArg;
    return start + 1;
  }
  if (local + rows > limit) {
    error = kErrAddrRange;
    return start + 1;
  }
  // MVOUT always reads ACC; its element size is 4 bytes only when raw.
  bool wide = acc_side;
  BlockResult r = transfer_rows(in, wide, addr, stride, local, rows, col0, cols, start + 1);
  if (!r.ok && !error) error = kErrMemError;
  stall_ready_ += r.wait_cycles;
  stall_latency_ += r.last_response - r.next_issue;
  dma_beats_ += r.beats;
  dma_bytes_ += r.bytes;
  uint64_t bits = uint64_t(rows) * p_.dim * (wide || !in ? 32 : 8);
  (in ? (wide ? acc_write_bits_ : sp_write_bits_) : acc_read_bits_) += bits;
  return r.last_response + 1;
}

uint32_t SystolicEngine::exec_preload(const Command& cmd) {
  uint32_t b = cmd.args[0] & 0xffff;
  if (b + p_.dim > p_.sp_rows) return kErrAddrRange;
  const int8_t* src = &sp_[size_t(b) * p_.dim];
  for (size_t i = 0; i < weights_.size(); ++i) weights_[i] = float(src[i]);
  if (use_simd_) simd_.load(src, p_.dim);
  sp_read_bits_ += uint64_t(p_.dim) * p_.dim * 8;
  return kErrNone;
}

namespace {
// sums[j] = sum_i a[i] * w[i][j] over int8 values held in floats: every product is at most
// 2^14 and every partial sum at most 2^21 for DIM <= 128, so fp32 arithmetic is exact and the
// order of additions cannot matter; it vectorises far better than int8 -> int32 widening.
// DIM known at compile time keeps a row of sums in vector registers (the common sizes);
// other sizes take the generic loop.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FLECSIM_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FLECSIM_VECTOR_CLONES
#endif
template <uint32_t kDim>
FLECSIM_VECTOR_CLONES void rows_times_weights(const int8_t* a, const float* w, uint32_t rows,
                                              uint32_t dim, float* sums) {
  const uint32_t d = kDim ? kDim : dim;
  for (uint32_t m = 0; m < rows; ++m, a += d, sums += d) {
    float acc[kDim ? kDim : 128] = {};
    for (uint32_t i = 0; i < d; ++i) {
      float x = float(a[i]);
      const float* wr = w + size_t(i) * d;
      for (uint32_t j = 0; j < d; ++j) acc[j] += x * wr[j];
    }
    for (uint32_t j = 0; j < d; ++j) sums[j] = acc[j];
  }
}

void compute_rows(const int8_t* a, const float* w, uint32_t rows, uint32_t dim, float* sums) {
  switch (dim) {
    case 4:
      return rows_times_weights<4>(a, w, rows, dim, sums);
    case 8:
      return rows_times_weights<8>(a, w, rows, dim, sums);
    case 16:
      return rows_times_weights<16>(a, w, rows, dim, sums);
    case 32:
      return rows_times_weights<32>(a, w, rows, dim, sums);
    default:
      return rows_times_weights<0>(a, w, rows, dim, sums);
  }
}
}  // namespace

uint32_t SystolicEngine::exec_compute(const Command& cmd) {
  uint32_t a = cmd.args[0] & 0xffff, c = cmd.args[1] & 0xffff, m_rows = cmd.args[2] & 0xffff;
  bool accumulate = cmd.args[3] & 1;
  if (m_rows == 0) return kErrBadArg;
  if (a + m_rows > p_.sp_rows || c + m_rows > p_.acc_rows) return kErrAddrRange;
  const uint32_t dim = p_.dim;
  if (use_simd_) {
    simd_.multiply(&sp_[size_t(a) * dim], m_rows, &acc_[size_t(c) * dim], accumulate);
  } else {
    sums_.resize(size_t(m_rows) * dim);
    compute_rows(&sp_[size_t(a) * dim], weights_.data(), m_rows, dim, sums_.data());
    for (uint32_t m = 0; m < m_rows; ++m) {
      const float* sums = &sums_[size_t(m) * dim];
      int32_t* out = &acc_[size_t(c + m) * dim];
      if (accumulate) {
        for (uint32_t j = 0; j < dim; ++j)
          out[j] = int32_t(uint32_t(out[j]) + uint32_t(int32_t(sums[j])));  // wraps mod 2^32
      } else {
        for (uint32_t j = 0; j < dim; ++j) out[j] = int32_t(sums[j]);
      }
    }
  }
  macs_int8_ += uint64_t(m_rows) * dim * dim;
  sp_read_bits_ += uint64_t(m_rows) * dim * 8;
  acc_write_bits_ += uint64_t(m_rows) * dim * 32;
  if (accumulate) acc_read_bits_ += uint64_t(m_rows) * dim * 32;
  return kErrNone;
}

}  // namespace flecsim::systolic
