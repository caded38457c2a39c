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

// Moves `rows` rows as one block of DMA beats (spec section 7 "DMA beats"); the first beat is
// issued in `issue`. `wide`: MVIN into ACC / MVOUT raw int32 (4-byte elements), else SP
// elements of the precision (an SP element row spans that many SP rows from local_row).
BlockResult SystolicEngine::transfer_rows(bool in, bool wide, uint32_t mem_addr, uint32_t stride,
                                          uint32_t local_row, uint32_t rows, uint32_t col0,
                                          uint32_t cols, uint64_t issue) {
  const uint32_t elem = wide ? 4 : sp_elem_bytes(config_.precision), bytes = cols * elem;
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
    return read_rows(issue, block);
  }
  if (row_buf_.size() < size_t(rows) * bytes) row_buf_.resize(size_t(rows) * bytes);
  const uint32_t span = pool_rows(config_.pool);  // ACC rows per output row
  for (uint32_t r = 0; r < rows; ++r)
    pack_out_row(local_row + r * span, col0, cols, wide, mvout_per_channel_,
                 row_buf_.data() + size_t(r) * bytes);
  block.local = row_buf_.data();
  block.local_stride = bytes;
  return mem_.write_block(issue, block);
}

// MVIN's rows (spec section 5): a successful first beat writes the whole local row (its bytes,
// zeros in every other element: the zero padding), later beats write their bytes, a failed
// beat writes nothing. The block has written the bytes of the successful beats.
BlockResult SystolicEngine::read_rows(uint64_t issue, MemBlock& block) {
  const uint32_t per_row = (block.row_bytes + block.beat_bytes - 1) / block.beat_bytes;
  beat_ok_.resize(size_t(block.rows) * per_row);
  block.beat_ok = beat_ok_.data();
  BlockResult res = mem_.read_block(issue, block);
  const size_t pad = block.local_stride - block.row_bytes;
  for (uint32_t r = 0; r < block.rows; ++r) {
    uint8_t* row = block.local + r * block.local_stride;
    const uint8_t* ok = &beat_ok_[size_t(r) * per_row];
    if (!ok[0]) continue;
    std::memset(row + block.row_bytes, 0, pad);
    for (uint32_t k = 1; !res.ok && k < per_row; ++k)
      if (!ok[k])
        std::memset(row + k * block.beat_bytes, 0,
                    std::min(block.beat_bytes, block.row_bytes - k * block.beat_bytes));
  }
  return res;
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
  BlockResult r = transfer_rows(in, wide, addr, stride, local, rows, col0, cols, start + 1);
  if (!r.ok && !error) error = kErrMemError;
  stall_ready_ += r.wait_cycles;
  stall_latency_ += r.last_response - r.next_issue;
  dma_beats_ += r.beats;
  dma_bytes_ += r.bytes;
  uint64_t bits = uint64_t(rows) * span * p_.dim * (wide || !in ? 32 : 8);
  (in ? (wide ? acc_write_bits_ : sp_write_bits_) : acc_read_bits_) += bits;
  return r.last_response + 1;
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

void SystolicEngine::clear_weights() {
  std::fill(weights_.begin(), weights_.end(), 0.0f);
  weights_int8_ = true;
  if (use_simd_) simd_.load(std::vector<int8_t>(weights_.size(), 0).data(), p_.dim);
}

uint32_t SystolicEngine::exec_preload(const Command& cmd) {
  if (config_.precision != kPrecInt8) return exec_preload_wide(cmd);
  uint32_t b = cmd.args[0] & 0xffff;
  if (b + p_.dim > p_.sp_rows) return kErrAddrRange;
  weights_int8_ = true;
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
  if (config_.dataflow == kDataflowOs || config_.precision != kPrecInt8 || !weights_int8_)
    return exec_compute_modes(cmd);
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
