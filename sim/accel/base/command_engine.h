// The command queue and scheduler of a command-driven accelerator, without SystemC.
//
// Firmware pushes commands into a bounded FIFO. Commands run one at a time in order; a command
// starts at start_cycle() (by default the cycle after it was written, and after the cycle in
// which the previous one completed) and its subclass-defined execute() computes, from its arguments
// and the memory responses, the cycle it completes: one computation per command, no clock process.
// Time only moves forward through advance(cycle), which runs every command that has started by
// then; so status reads, interrupts and FIFO occupancy are exact at any cycle, and the same
// engine runs inside a platform (accelerator.h) and alone in RTL regression.
//
// Register-visible state "in cycle c" is the state after the end of cycle c-1: a command
// written in cycle P is in the FIFO from P+1, leaves it at the end of its start cycle S, and
// counts as completed from its end cycle C + 1.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "accel/base/command.h"

namespace flecsim {

class CommandEngine {
 public:
  explicit CommandEngine(size_t fifo_depth) : depth_(fifo_depth) {}
  virtual ~CommandEngine() = default;

  // Queues a command whose word was written in `cycle` (cycles never decrease between calls).
  // Returns false, queuing nothing, when the FIFO is full in that cycle. Every call, accepted
  // or not, consumes one sequence number (next_seq()).
  bool push(uint32_t word, std::vector<uint32_t> args, uint64_t cycle);
  // Runs every queued command that starts at or before `cycle`.
  void advance(uint64_t cycle);
  // Runs everything queued; returns the cycle the last command completed (0 if none ever ran).
  uint64_t drain();
  // The first cycle > `after` in which a command starts or its completion becomes visible
  // (end_cycle + 1), if any.
  std::optional<uint64_t> next_event(uint64_t after) const;

  size_t depth() const { return depth_; }
  uint64_t next_seq() const { return next_seq_; }
  // FIFO entries visible in `cycle`: commands with P < cycle <= S.
  size_t occupancy(uint64_t cycle) const;
  // Some command with P < cycle <= C (queued or executing).
  bool busy(uint64_t cycle) const;
  // Completions with end_cycle < cycle.
  uint64_t completed_by(uint64_t cycle) const;
  // After advance(cycle) and with no push in between: the first cycle > `cycle` in which
  // occupancy(), busy() or completed_by() may differ from their value in `cycle`, or in which
  // advance() would run a command (~0 if never). Lets register reads between two such cycles
  // (a firmware polling STATUS) reuse the value of the first instead of recomputing it.
  uint64_t quiet_until(uint64_t cycle) const;
  const std::vector<CommandCompletion>& completions() const { return done_; }
  uint64_t last_end() const { return last_end_; }
  virtual void reset();

 protected:
  // The cycle the head command starts, given when the previous one completed (0: none).
  virtual uint64_t start_cycle(const Command& cmd, uint64_t prev_end) const;
  // Executes `cmd` starting in `start`: moves its data, returns its completion record (seq and
  // start are filled in by the caller).
  virtual CommandCompletion execute(const Command& cmd, uint64_t start) = 0;

 private:
  void run_head();
  size_t depth_;
  uint64_t next_seq_ = 0;
  uint64_t last_end_ = 0;
  std::deque<Command> pending_;
  std::vector<CommandCompletion> done_;
};

}  // namespace flecsim
