// Data movement and arithmetic of the systolic model: MVIN/MVOUT beats through the DMA
// channel (timing of spec section 7 "DMA beats"), PRELOAD, the WS int8 GEMM of COMPUTE and
// the requantisation of MVOUT (spec section 4).
#include <algorithm>
#include <cstring>

#include "accel/systolic/systolic_engine.h"
#include "accel/systolic/systolic_formats.h"
#include "accel/systolic/systolic_spec.h"

namespace flecsim::systolic {

namespace {
int8_t requantise(int32_t a, const SystolicConfig& cfg) {
  return int8_t(requantise_sat(a, cfg, -128, 127));
}
}  // namespace

// Per-channel requantisation: column col's multiplier and shift from ACC rows ACC_ROWS-2, -1.
SystolicConfig SystolicEngine::column_config(uint32_t col, bool per_channel) const {
  SystolicConfig cfg = config_;
  if (per_channel) {
    cfg.multiplier = acc_[size_t(p_.acc_rows - 2) * p_.dim + col];
    cfg.shift = std::min<uint32_t>(uint32_t(acc_[size_t(p_.acc_rows - 1) * p_.dim + col]) & 63, 62);
  }
  return cfg;
}

void SystolicEngine::pack_out_row(uint32_t acc_row, uint32_t col0, uint32_t cols, bool raw,
                                  bool per_channel, uint8_t* dst) const {
  if (config_.precision != kPrecInt8 || config_.pool != kPoolOff)
    return pack_out_row_modes(acc_row, col0, cols, raw, per_channel, dst);
  const int32_t* src = &acc_[size_t(acc_row) * p_.dim + col0];
  if (raw) {
    std::memcpy(dst, src, size_t(cols) * 4);  // little-endian host
    return;
  }
  if (per_channel) {
    for (uint32_t e = 0; e < cols; ++e)
      dst[e] = uint8_t(requantise(src[e], column_config(col0 + e, true)));
  } else {
    for (uint32_t e = 0; e < cols; ++e) dst[e] = uint8_t(requantise(src[e], config_));
  }
  if (p_.fault_data && cols) dst[0] ^= 1;
}

// Moves one row as beats. `wide`: MVIN into ACC / MVOUT raw int32 (4-byte elements), else
// SP elements of the precision (an SP element row spans that many SP rows from local_row).
// `next_valid` is V of the row's first beat and becomes V of the next one. Returns R of the
// row's last beat.
uint64_t SystolicEngine::transfer_row(bool in, bool wide, uint64_t mem_addr, uint32_t local_row,
                                      uint32_t col0, uint32_t cols, uint64_t& next_valid,
                                      uint32_t& error) {
  uint32_t elem = wide ? 4 : sp_elem_bytes(config_.precision);
  uint32_t bytes = cols * elem;
  uint8_t* local = nullptr;
  if (in) {
    local = wide ? reinterpret_cast<uint8_t*>(&acc_[size_t(local_row) * p_.dim])
                 : reinterpret_cast<uint8_t*>(&sp_[size_t(local_row) * p_.dim]);
  } else {
    pack_out_row(local_row, col0, cols, wide, mvout_per_channel_, row_buf_.data());
  }
  uint64_t last_response = 0;
  for (uint32_t off = 0; off < bytes; off += p_.bus_bytes) {
    uint32_t len = std::min(p_.bus_bytes, bytes - off);
    uint64_t addr = uint32_t(mem_addr + off);
    MemResult r = in ? mem_.read(next_valid, addr, row_buf_.data() + off, len)
                     : mem_.write(next_valid, addr, row_buf_.data() + off, len);
    // The first beat writes the whole row: its bytes, zeros elsewhere (spec section 5).
    if (in && r.ok && off == 0) std::memset(local, 0, size_t(p_.dim) * elem);
    if (in && r.ok) std::memcpy(local + off, row_buf_.data() + off, len);
    if (!r.ok && !error) error = kErrMemError;
    stall_ready_ += r.accept_cycle - next_valid;
    next_valid = r.accept_cycle + 1;
    last_response = r.response_cycle;
    ++dma_beats_;
    dma_bytes_ += len;
  }
  return last_response;
}

uint64_t SystolicEngine::exec_move(const Command& cmd, uint64_t start, bool in, uint32_t& error) {
  uint32_t addr = cmd.args[0], stride = cmd.args[1];
  uint32_t local = cmd.args[2] & 0xffff;
  bool acc_side = cmd.args[2] >> 16 & 1;  // MVIN: destination ACC; MVOUT: raw int32
  uint32_t rows = cmd.args[3] & 0xffff, cols = cmd.args[3] >> 16;
  uint32_t col0 = in ? 0 : cmd.args[2] >> 24;  // MVOUT: first ACC element written
  mvout_per_channel_ = !in && (cmd.args[2] & kMvoutPerChannel);
  uint32_t limit = in && !acc_side ? p_.sp_rows : p_.acc_rows;
  // Local rows per row moved: SP element rows of 16-bit precisions span 2; pooling reads P.
  uint32_t span = !in ? pool_rows(config_.pool) : acc_side ? 1 : sp_elem_bytes(config_.precision);
  if (rows == 0 || cols == 0 || col0 + cols > p_.dim) {
    error = kErrBadArg;
    return start + 1;
  }
  if (uint64_t(local) + uint64_t(rows) * span > limit) {
    error = kErrAddrRange;
    return start + 1;
  }
  // MVOUT always reads ACC; its element size is 4 bytes only when raw.
  bool wide = acc_side;
  uint64_t next_valid = start + 1, last_response = start;
  for (uint32_t r = 0; r < rows; ++r) {
    uint32_t row_addr = addr + r * stride;
    last_response =
        transfer_row(in, wide, row_addr, local + r * span, col0, cols, next_valid, error);
  }
  stall_latency_ += last_response - next_valid;
  uint64_t bits = uint64_t(rows) * span * p_.dim * (wide || !in ? 32 : 8);
  (in ? (wide ? acc_write_bits_ : sp_write_bits_) : acc_read_bits_) += bits;
  return last_response + 1;
}

// FILL (a LOOP_CONV micro-command): padding rows of the implicit im2col operand.
void SystolicEngine::exec_fill(const Command& cmd) {
  uint32_t local = cmd.args[2] & 0xffff, rows = cmd.args[3] & 0xffff, cols = cmd.args[3] >> 16;
  for (uint32_t r = 0; r < rows; ++r) {
    int8_t* row = &sp_[size_t(local + r) * p_.dim];
    std::memset(row, int(cmd.args[0] & 0xff), cols);
    std::memset(row + cols, 0, p_.dim - cols);
  }
  sp_write_bits_ += uint64_t(rows) * p_.dim * 8;
}

uint32_t SystolicEngine::exec_preload(const Command& cmd) {
  if (config_.precision != kPrecInt8) return exec_preload_wide(cmd);
  uint32_t b = cmd.args[0] & 0xffff;
  if (b + p_.dim > p_.sp_rows) return kErrAddrRange;
  weights_int8_ = true;
  const int8_t* src = &sp_[size_t(b) * p_.dim];
  for (size_t i = 0; i < weights_.size(); ++i) weights_[i] = float(src[i]);
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
  if (config_.dataflow == kDataflowOs || config_.precision != kPrecInt8 || !weights_int8_)
    return exec_compute_modes(cmd);
  uint32_t a = cmd.args[0] & 0xffff, c = cmd.args[1] & 0xffff, m_rows = cmd.args[2] & 0xffff;
  bool accumulate = cmd.args[3] & 1;
  if (m_rows == 0) return kErrBadArg;
  if (a + m_rows > p_.sp_rows || c + m_rows > p_.acc_rows) return kErrAddrRange;
  const uint32_t dim = p_.dim;
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
  macs_int8_ += uint64_t(m_rows) * dim * dim;
  sp_read_bits_ += uint64_t(m_rows) * dim * 8;
  acc_write_bits_ += uint64_t(m_rows) * dim * 32;
  if (accumulate) acc_read_bits_ += uint64_t(m_rows) * dim * 32;
  return kErrNone;
}

}  // namespace flecsim::systolic
