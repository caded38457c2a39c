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
      macs_int16_(stats.counter("macs_int16", "MACs", "int16 multiply-accumulates")),
      macs_bf16_(stats.counter("macs_bf16", "MACs", "bf16 multiply-accumulates (fp32 sums)")),
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
      errors_(stats.counter("errors", "errors", "errors recorded")),
      micro_cmds_(stats.counter("loop_micro_commands", "commands",
                                "micro-commands expanded from LOOP commands")) {
  declare_registers();
  reset();
}

void SystolicEngine::reset() {
  CommandEngine::reset();
  sp_.assign(size_t(p_.sp_rows) * p_.dim, 0);
  acc_.assign(size_t(p_.acc_rows) * p_.dim, 0);
  weights_.assign(size_t(p_.dim) * p_.dim, 0.0f);
  lanes_.assign(size_t(p_.dim) * p_.dim, 0);
  clear_weights();
  sums_.assign(p_.dim, 0.0f);
  row_buf_.assign(size_t(p_.dim) * 4 + p_.bus_bytes, 0);
  config_ = SystolicConfig{};
  for (auto& a : args_) a = 0;
  for (auto& a : loop_args_) a = 0;
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
  for (uint32_t i = 0; i < kLoopArgCount; ++i)
    regs_.add_storage(kRegLoopArg0 + 4 * i, "LOOP_ARG" + std::to_string(i), &loop_args_[i]);
  regs_.add(kRegCmd, "CMD", nullptr, [this](uint32_t word, uint64_t c) {
    uint64_t seq = next_seq();
    std::vector<uint32_t> args(args_, args_ + 4);
    uint32_t op = word & 0xff;
    if (op == kOpLoopMatmul || op == kOpLoopConv)  // only LOOPs read the LOOP_ARGs
      args.insert(args.end(), loop_args_, loop_args_ + kLoopArgCount);
    if (!push(word, std::move(args), c)) {
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
  if (dataflow > kDataflowIs || precision > kPrecBf16 || activation == 3 || shift == 63)
    return kErrBadConfig;
  config_.dataflow = dataflow;
  config_.precision = precision;
  config_.pool = pool;
  config_.activation = activation;
  config_.shift = shift;
  config_.relu6_max = int8_t(mode >> 16 & 0xff);
  config_.multiplier = int32_t(cmd.args[1]);
  return kErrNone;
}

uint64_t SystolicEngine::run_op(uint32_t opcode, const Command& cmd, uint64_t start,
                                uint32_t& error) {
  const uint32_t dim = p_.dim;
  switch (opcode) {
    case kOpConfig:
      error = exec_config(cmd);
      return start + 1;
    case kOpFence:
      return start + 1;
    case kOpMvin:
    case kOpMvout:
      return exec_move(cmd, start, opcode == kOpMvin, error);
    case kOpPreload:
      error = exec_preload(cmd);
      return error ? start + 1 : start + dim + 1;
    case kOpCompute: {
      error = exec_compute(cmd);
      uint32_t m = cmd.args[2] & 0xffff;
      // OS: K steps, then DIM accumulator rows drained (spec section 7).
      uint32_t cycles = config_.dataflow == kDataflowOs ? m + 3 * dim - 1 : m + 2 * dim;
      return error ? start + 1 : start + cycles + (p_.fault_timing && m > 1 ? 1 : 0);
    }
    case kOpFill:
      exec_fill(cmd);
      return start + (cmd.args[3] & 0xffff);
    case kOpLoopMatmul:
    case kOpLoopConv:
      return exec_loop(cmd, start, error);
    default:
      error = kErrIllegalOpcode;
      return start + 1;
  }
}

// LOOP_MATMUL / LOOP_CONV (spec section 10): micro-command i+1 starts the cycle after
// micro-command i completes; the first MEM_ERROR of any of them is the LOOP's error.
uint64_t SystolicEngine::exec_loop(const Command& cmd, uint64_t start, uint32_t& error) {
  LoopParams lp = decode_loop(cmd.word, cmd.args);
  // Spec section 10: LOOPs run in int8, WS, without pooling; any other CONFIG is BAD_ARG.
  bool mode_ok =
      config_.precision == kPrecInt8 && config_.dataflow == kDataflowWs && config_.pool == kPoolOff;
  error = mode_ok ? check_loop(lp) : kErrBadArg;
  if (error) return start + 1;
  struct Runner : MicroSink {
    SystolicEngine& engine;
    Command micro;
    uint64_t next, end;
    uint32_t error = kErrNone;
    Runner(SystolicEngine& e, uint64_t start) : engine(e), next(start + 1), end(start + 1) {}
    void emit(const MicroCommand& m) override {
      micro.args.assign(m.args, m.args + 4);
      uint32_t err = kErrNone;
      end = engine.run_op(m.opcode, micro, next, err);
      if (err && !error) error = err;
      next = end + 1;
      ++engine.micro_cmds_;
    }
  } runner(*this, start);
  expand_loop(lp, ArrayShape{p_.dim, p_.sp_rows, p_.acc_rows, element_bytes()}, runner);
  error = runner.error;
  return runner.end;
}

CommandCompletion SystolicEngine::execute(const Command& cmd, uint64_t start) {
  CommandCompletion c;
  c.opcode = cmd.word & 0xff;
  uint64_t end = run_op(c.opcode, cmd, start, c.error);
  c.end_cycle = end;
  ++cmds_;
  busy_cycles_ += end - start + 1;
  return c;
}

}  // namespace flecsim::systolic
