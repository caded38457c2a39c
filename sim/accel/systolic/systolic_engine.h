// The C++ model of the systolic array (docs/accelerators/systolic.md), without SystemC:
// registers, command FIFO, per-command timing from the spec's formulas and the memory
// responses of its DMA channel, and data computed by plain kernels. The platform component
// (systolic.h) and the RTL regression (accel/regress) both drive this one class.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "accel/base/command_engine.h"
#include "accel/base/memory_channel.h"
#include "accel/base/register_file.h"
#include "accel/systolic/systolic_loop.h"
#include "accel/systolic/systolic_simd.h"
#include "accel/systolic/systolic_spec.h"
#include "core/stats.h"

namespace flecsim::systolic {

struct SystolicParams {
  uint32_t dim = 16;
  uint32_t sp_rows = 1024;
  uint32_t acc_rows = 256;
  uint32_t bus_bytes = 16;
  // Test-only: a deliberately wrong timing formula (the regression must catch it).
  bool fault_timing = false;
  // Test-only: MVOUT flips the lowest bit of requantised element 0 of every row (the output
  // check of `flecsim run` must catch it).
  bool fault_data = false;

  // The sizes the Verilated libraries are built with for this DIM (spec section 1).
  static SystolicParams for_dim(uint32_t dim) {
    SystolicParams p;
    p.dim = dim;
    p.sp_rows = dim <= 8 ? 256 : 1024;
    p.acc_rows = dim <= 8 ? 128 : 256;
    return p;
  }
};

struct SystolicConfig {    // the state CONFIG sets
  uint32_t dataflow = 0;   // Dataflow
  uint32_t precision = 0;  // Precision
  uint32_t pool = 0;       // Pool
  uint32_t activation = 0;
  uint32_t shift = 0;
  int32_t relu6_max = 127;
  int32_t multiplier = 1;
};

class SystolicEngine : public CommandEngine {
 public:
  // `mem` is the DMA port; `stats` receives the counters.
  SystolicEngine(const SystolicParams& params, MemoryChannel& mem, StatGroup& stats);

  const RegisterFile& registers() const { return regs_; }
  // Register access in `cycle` (cycles never decrease). False: no register at offset.
  bool read_reg(uint32_t offset, uint64_t cycle, uint32_t& value) {
    // A firmware waiting for the FIFO or for completion reads STATUS every cycle: between two
    // state changes (quiet_until) nothing can differ, so the value of the first read is reused.
    if (offset == kRegStatus && cycle >= status_cache_.from && cycle < status_cache_.until) {
      value = status_cache_.value;
      return true;
    }
    return read_reg_synced(offset, cycle, value);
  }
  bool write_reg(uint32_t offset, uint32_t value, uint64_t cycle);
  // Interrupt line level in `cycle`.
  bool irq_level(uint64_t cycle);
  void reset() override;
  const SystolicParams& params() const { return p_; }

 protected:
  CommandCompletion execute(const Command& cmd, uint64_t start) override;

 private:
  bool read_reg_synced(uint32_t offset, uint64_t cycle, uint32_t& value);
  // Register-visible effects of completions that ended before `cycle`.
  void sync(uint64_t cycle);
  void apply_until(uint64_t last_end_cycle);
  void record_error(uint32_t code, uint64_t seq);
  void declare_registers();

  // One command or micro-command starting in `start`: its completion cycle (spec section 7).
  uint64_t run_op(uint32_t opcode, const Command& cmd, uint64_t start, uint32_t& error);
  uint64_t exec_loop(const Command& cmd, uint64_t start, uint32_t& error);
  void exec_fill(const Command& cmd);
  // Bytes per input/weight element of the current precision (the one place it is derived).
  uint32_t element_bytes() const { return 1; }  // LOOPs run in int8 only (spec section 10)
  uint32_t exec_config(const Command& cmd);
  uint64_t exec_move(const Command& cmd, uint64_t start, bool in, uint32_t& error);
  BlockResult transfer_rows(bool in, bool wide, uint32_t mem_addr, uint32_t stride,
                            uint32_t local_row, uint32_t rows, uint32_t col0, uint32_t cols,
                            uint64_t issue);
  BlockResult read_rows(uint64_t issue, MemBlock& block);
  void clear_weights();  // PE weights all zero (reset; after an OS COMPUTE)
  uint32_t exec_preload(const Command& cmd);
  uint32_t exec_compute(const Command& cmd);
  void pack_out_row(uint32_t acc_row, uint32_t col0, uint32_t cols, bool raw, bool per_channel,
                    uint8_t* dst) const;
  // CONFIG's requantisation, or column col's per-channel multiplier/shift (MVOUT ARG2[17]).
  SystolicConfig column_config(uint32_t col, bool per_channel) const;
  // int16 / bf16 / OS / max-pool (systolic_modes.cpp).
  uint32_t exec_preload_wide(const Command& cmd);
  uint32_t exec_compute_modes(const Command& cmd);
  void compute_ws_modes(uint32_t a, uint32_t m_rows, bool fp);
  void compute_os(uint32_t a, uint32_t b, uint32_t k_steps, bool fp);
  void write_sums(uint32_t c, uint32_t rows, bool accumulate, bool fp);
  void pack_out_row_modes(uint32_t acc_row, uint32_t col0, uint32_t cols, bool raw,
                          bool per_channel, uint8_t* dst) const;
  const uint16_t* weight_lanes();

  SystolicParams p_;
  MemoryChannel& mem_;
  std::vector<int8_t> sp_;        // sp_rows x dim
  std::vector<int32_t> acc_;      // acc_rows x dim
  std::vector<float> weights_;    // dim x dim, B[i][j] at i*dim+j (int8 values, see kernels)
  std::vector<float> sums_;       // the output rows of a COMPUTE
  std::vector<uint16_t> lanes_;   // dim x dim PE weights as 16-bit lanes (int16/bf16 PRELOAD)
  bool weights_int8_ = true;      // weights_ holds them (the last PRELOAD was int8)
  std::vector<uint32_t> sums32_;  // result rows of an int16/bf16/OS COMPUTE (int32 / fp32 bits)
  // The same weights for the SIMD kernel, used instead of the portable one when the CPU has
  // AVX2 or AVX-512 VNNI (identical results; systolic_simd.h).
  SimdInt8Weights simd_;
  bool use_simd_ = SimdInt8Weights::usable(p_.dim);
  std::vector<uint8_t> row_buf_;  // MVOUT rows packed for the DMA block
  std::vector<uint8_t> beat_ok_;  // MVIN: which beats of the block succeeded
  SystolicConfig config_;
  bool mvout_per_channel_ = false;  // the running MVOUT has ARG2[17] (per-channel requant)
  RegisterFile regs_;

  // Register state as visible after the last applied completion.
  uint32_t args_[4] = {0, 0, 0, 0};
  uint32_t loop_args_[kLoopArgCount] = {};
  uint32_t error_ = 0, irq_enable_ = 0, irq_status_ = 0, done_count_ = 0;
  uint64_t cmd_writes_ = 0;  // seq of the next CMD write
  size_t applied_ = 0;       // completions whose effects are applied
  struct StatusCache {       // STATUS read in cycle `from`, unchanged in [from, until)
    uint64_t from = 0, until = 0;
    uint32_t value = 0;
  } status_cache_;

  Counter &macs_int8_, &macs_int16_, &macs_bf16_, &cmds_, &sp_read_bits_, &sp_write_bits_,
      &acc_read_bits_, &acc_write_bits_, &dma_beats_, &dma_bytes_, &stall_ready_, &stall_latency_,
      &busy_cycles_, &errors_, &micro_cmds_;
};

}  // namespace flecsim::systolic
