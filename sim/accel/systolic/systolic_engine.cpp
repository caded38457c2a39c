// Registers, command dispatch and the per-command timing formulas of
// docs/accelerators/systolic.md section 7. Data movement and arithmetic: systolic_kernels.cpp.
#include "accel/systolic/systolic_engine.h"

#include "accel/systolic/systolic_spec.h"

namespace flecsim::systolic {

const char* opcode_name(uint32_t opcode) {
  switch (opcode) {
    case kOpConfig:
      return "CONFIG";
    case kOpMvin:
      return "MVIN";
    case kOpMvout:
      return "MVOUT";
    case kOpPreload:
      return "PRELOAD";
    case kOpCompute:
      return "COMPUTE";
    case kOpLoopMatmul:
      return "LOOP_MATMUL";
    case kOpLoopConv:
      return "LOOP_CONV";
    case kOpFence:
      return "FENCE";
    default:
      return "ILLEGAL";
  }
}

SystolicEngine::SystolicEngine(const SystolicParams& params, MemoryChannel& mem, StatGroup& stats)
    : CommandEngine(kFifoDepth),
      p_(params),
      mem_(mem),
      macs_int8_(stats.counter("macs_int8", "MACs", "int8 multiply-accumulates")),
      cmds_(stats.counter("commands", "commands", "commands executed (incl. rejected)")),
      sp_read_bits_(stats.counter("sp_read_bits", "bits", "scratchpad reads")),
      sp_write_bits_(stats.counter("sp_write_bits", "bits", "scratchpad writes")),
      acc_read_bits_(stats.counter("acc_read_bits", "bits", "accumulator reads")),
      acc_write_bits_(stats.counter("acc_write_bits", "bits", "accumulator writes")),
      dma_beats_(stats.counter("dma_beats", "beats", "DMA requests issued")),
      dma_bytes_(stats.counter("dma_bytes", "bytes", "DMA bytes moved")),
      stall_ready_(stats.counter("stall_mem_backpressure", "cycles",
                                 "cycles a DMA request waited for ready")),
      stall_latency_(
          stats.counter("stall_mem_latency", "cycles", "cycles waiting for the last DMA response")),
      busy_cycles_(stats.counter("busy_cycles", "cycles", "cycles executing commands")),
      errors_(stats.counter("errors", "errors", "errors recorded")) {
  declare_registers();
  reset();
}

void SystolicEngine::reset() {
  CommandEngine::reset();
  sp_.assign(size_t(p_.sp_rows) * p_.dim, 0);
  acc_.assign(size_t(p_.acc_rows) * p_.dim, 0);
  weights_.assign(size_t(p_.dim) * p_.dim, 0.0f);
  if (use_simd_) simd_.load(std::vector<int8_t>(weights_.size(), 0).data(), p_.dim);
  sums_.assign(p_.dim, 0.0f);
  row_buf_.assign(size_t(p_.dim) * 4 + p_.bus_bytes, 0);
  config_ = SystolicConfig{};
  for (auto& a : args_) a = 0;
  error_ = irq_enable_ = irq_status_ = done_count_ = 0;
  applied_ = 0;
  status_cache_ = StatusCache{};
}

void SystolicEngine::declare_registers() {
  auto constant = [](uint32_t v) { return [v](uint64_t) { return v; }; };
  regs_.add(kRegId, "ID", constant(kId), nullptr);
  regs_.add(kRegCaps, "CAPS", constant(p_.dim | kFifoDepth << 16 | p_.bus_bytes << 24), nullptr);
  regs_.add(
      kRegStatus, "STATUS",
      [this](uint64_t c) {
        return (busy(c) ? kStatusBusy : 0) | (error_ ? kStatusError : 0) |
               ((irq_status_ & irq_enable_) ? kStatusIrq : 0) | uint32_t(occupancy(c)) << 8;
      },
      nullptr);
  regs_.add(
      kRegError, "ERROR", [this](uint64_t) { return error_; },
      [this](uint32_t, uint64_t) { error_ = 0; });
  regs_.add(
      kRegIrqEnable, "IRQ_ENABLE", [this](uint64_t) { return irq_enable_; },
      [this](uint32_t v, uint64_t) { irq_enable_ = v & 3; });
  regs_.add(
      kRegIrqStatus, "IRQ_STATUS", [this](uint64_t) { return irq_status_; },
      [this](uint32_t v, uint64_t) { irq_status_ &= ~v; });
  regs_.add(
      kRegDoneCount, "DONE_COUNT", [this](uint64_t) { return done_count_; }, nullptr);
  regs_.add(kRegSpRows, "SP_ROWS", constant(p_.sp_rows | p_.acc_rows << 16), nullptr);
  for (uint32_t i = 0; i < 4; ++i)
    regs_.add_storage(kRegArg0 + 4 * i, "ARG" + std::to_string(i), &args_[i]);
  regs_.add(kRegCmd, "CMD", nullptr, [this](uint32_t word, uint64_t c) {
    uint64_t seq = next_seq();
    if (!push(word, {args_[0], args_[1], args_[2], args_[3]}, c)) {
      // Recorded at the end of the write cycle, after completions of that same cycle.
      apply_until(c);
      record_error(kErrFifoOverflow, seq);
    }
  });
}

bool SystolicEngine::read_reg_synced(uint32_t offset, uint64_t cycle, uint32_t& value) {
  sync(cycle);
  bool ok = regs_.read(offset, cycle, value);
  if (offset == kRegStatus) status_cache_ = StatusCache{cycle, quiet_until(cycle), value};
  return ok;
}

bool SystolicEngine::write_reg(uint32_t offset, uint32_t value, uint64_t cycle) {
  status_cache_ = StatusCache{};  // a write may queue a command or clear ERROR / IRQ_STATUS
  sync(cycle);
  return regs_.write(offset, value, cycle);
}

bool SystolicEngine::irq_level(uint64_t cycle) {
  size_t applied = applied_;
  sync(cycle);
  if (applied_ != applied) status_cache_ = StatusCache{};  // ERROR / IRQ_STATUS may change
  return (irq_status_ & irq_enable_) != 0;
}

void SystolicEngine::sync(uint64_t cycle) {
  advance(cycle);
  if (cycle > 0) apply_until(cycle - 1);
}

void SystolicEngine::apply_until(uint64_t last_end_cycle) {
  const auto& done = completions();
  for (; applied_ < done.size() && done[applied_].end_cycle <= last_end_cycle; ++applied_) {
    const CommandCompletion& c = done[applied_];
    ++done_count_;
    if (c.word & kCmdIrqOnDone) irq_status_ |= kIrqDone;
    if (c.error) record_error(c.error, c.seq);
  }
}

void SystolicEngine::record_error(uint32_t code, uint64_t seq) {
  ++errors_;
  if (error_ == 0) error_ = code | uint32_t(seq & 0xffff) << 16;
  irq_status_ |= kIrqError;
}

uint32_t SystolicEngine::exec_config(const Command& cmd) {
  uint32_t mode = cmd.args[0];
  uint32_t dataflow = mode & 3, precision = mode >> 2 & 3, activation = mode >> 4 & 3;
  uint32_t shift = mode >> 8 & 63, pool = mode >> 24 & 3;
  if (dataflow != 0 || precision != 0 || activation == 3 || shift == 63 || pool != 0)
    return kErrBadConfig;
  config_.activation = activation;
  config_.shift = shift;
  config_.relu6_max = int8_t(mode >> 16 & 0xff);
  config_.multiplier = int32_t(cmd.args[1]);
  return kErrNone;
}

CommandCompletion SystolicEngine::execute(const Command& cmd, uint64_t start) {
  CommandCompletion c;
  c.opcode = cmd.word & 0xff;
  uint64_t end = start + 1;  // CONFIG, FENCE and every rejected command
  uint32_t dim = p_.dim;
  switch (c.opcode) {
    case kOpConfig:
      c.error = exec_config(cmd);
      break;
    case kOpFence:
      break;
    case kOpMvin:
    case kOpMvout:
      end = exec_move(cmd, start, c.opcode == kOpMvin, c.error);
      break;
    case kOpPreload:
      c.error = exec_preload(cmd);
      if (!c.error) end = start + dim + 1;
      break;
    case kOpCompute: {
      c.error = exec_compute(cmd);
      uint32_t m = cmd.args[2] & 0xffff;
      if (!c.error) end = start + m + 2 * dim + (p_.fault_timing && m > 1 ? 1 : 0);
      break;
    }
    default:
      c.error = kErrIllegalOpcode;
      break;
  }
  c.end_cycle = end;
  ++cmds_;
  busy_cycles_ += end - start + 1;
  return c;
}

}  // namespace flecsim::systolic
