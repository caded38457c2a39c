// The Verilated systolic array (rtl/systolic, docs/accelerators/systolic.md) behind a plain C++
// interface: the clock is stepped in a tight loop, one call per cycle; the DMA port is served
// by a MemoryChannel (the seeded regression memory or TLM in a platform), which decides in
// which cycle each request is accepted and its response arrives.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "accel/base/command.h"
#include "accel/base/memory_channel.h"

namespace flecsim::rtlbridge {

class SystolicRtlCore {
 public:
  virtual ~SystolicRtlCore() = default;

  // A new model in reset state (cycle 0, SP/ACC zero) for a DIM x DIM array, or nullptr when no
  // Verilated library of that size is built (see available_dims()). `vcd_path` non-empty:
  // dump every signal to that VCD file (two time units per cycle).
  static std::unique_ptr<SystolicRtlCore> create(uint32_t dim, const std::string& vcd_path = "");
  static std::vector<uint32_t> available_dims();
  // The geometry the Verilated library of `dim` was built with (spec section 1).
  static uint32_t sp_rows_for(uint32_t dim) { return dim <= 8 ? 256 : 1024; }
  static uint32_t acc_rows_for(uint32_t dim) { return dim <= 8 ? 128 : 256; }
  static constexpr uint32_t kBusBytes = 16;

  // Memory behind the DMA port; must be set before a command moves data.
  void set_memory(MemoryChannel* mem) { mem_ = mem; }

  uint64_t cycle() const { return cycle_; }
  // One cycle each: a register write (takes effect at the end of the cycle) or read (returns the
  // value visible in the cycle), or nothing.
  void write_reg(uint32_t offset, uint32_t value) { step(Access{true, offset, value}); }
  uint32_t read_reg(uint32_t offset) { return step(Access{false, offset, 0}); }
  void idle(uint64_t cycles) {
    for (uint64_t i = 0; i < cycles; ++i) step(Access{false, 0, 0});
  }
  // Jumps to `target` cycle without stepping when nothing can happen meanwhile (idle, no
  // memory traffic in flight); otherwise steps cycle by cycle. No effect if target <= cycle().
  void advance_to(uint64_t target);
  // Decides now the DMA request the RTL presents in the current cycle, if any and not yet
  // decided (asks the memory channel for its accept and response cycles), by settling the cycle
  // with idle register inputs. A platform bridge calls this when it stops stepping, so that the
  // transport of that request is dated in the caller's future and never issued later from
  // inside another initiator's bus transaction. The request must not depend on the register
  // inputs of its cycle (it does not: spec section 5); step() checks that it stays the same.
  void decide_request();
  // Steps until STATUS.busy is 0 in the current cycle, or `limit_cycle` is reached.
  uint64_t run_until_idle(uint64_t limit_cycle);
  virtual bool irq() const = 0;
  virtual bool busy() const = 0;  // STATUS.busy in the current cycle
  const std::vector<CommandCompletion>& completions() const { return done_; }
  // Every change of the irq output, in order: from `cycle` on the line has `level`. A platform
  // bridge reports each edge to SystemC at its own time and pops it.
  struct IrqEdge {
    uint64_t cycle;
    bool level;
  };
  const std::deque<IrqEdge>& irq_edges() const { return irq_edges_; }
  void pop_irq_edge() { irq_edges_.pop_front(); }
  // Requests whose response cycle had to be moved later to keep responses one per cycle and
  // after their acceptance (the channel broke its contract; 0 in regression).
  uint64_t reordered_responses() const { return reordered_; }

 protected:
  struct Access {
    bool write;
    uint32_t offset;
    uint32_t value;
  };
  struct Response {
    uint64_t cycle;
    bool err;
    uint8_t data[kBusBytes];
  };
  // The per-cycle signal exchange with the Verilated model (implemented per size).
  struct Outputs {
    uint32_t reg_rdata;
    bool req_valid, req_write;
    uint32_t req_addr, req_len;
    uint8_t req_wdata[kBusBytes];
    bool start, done;
    uint32_t start_seq, seq, opcode, err;
  };
  // Drives inputs for the current cycle (clock low) and returns the settled outputs. `dump`:
  // also write the VCD sample of that half cycle (not for a look-ahead settle).
  virtual Outputs settle(const Access& access, const Response* response, bool dump = true) = 0;
  // Rising edge with `ready` on the request handshake; ends the cycle.
  virtual void clock_edge(bool ready) = 0;

 private:
  uint32_t step(const Access& access);
  bool serve_request(const Outputs& out);
  void decide(const Outputs& out);
  const Response* response_now() const {
    return !responses_.empty() && responses_.front().cycle == cycle_ ? &responses_.front()
                                                                     : nullptr;
  }

  MemoryChannel* mem_ = nullptr;
  uint64_t cycle_ = 0;
  std::vector<CommandCompletion> done_;
  uint64_t current_start_ = 0;      // dispatch cycle of the executing command (one at a time)
  std::deque<Response> responses_;  // accepted, in order of their response cycles
  bool request_pending_ = false;    // the presented request has its handshake decided
  uint32_t pending_addr_ = 0;       // ... and is this one (checked while it is presented)
  bool pending_write_ = false;
  uint64_t accept_cycle_ = 0;
  Response pending_response_{};
  uint64_t last_response_cycle_ = 0;
  uint64_t reordered_ = 0;
  bool irq_level_ = false;  // the irq output after the last clock edge
  std::deque<IrqEdge> irq_edges_;
};

}  // namespace flecsim::rtlbridge
