// The Verilated systolic array in a platform, exchangeable with the C++ model (model: tlm).
//
// The RTL is stepped in a tight loop, but never past its *access horizon*: the earliest time at
// which any other SystemC process could run and so access the registers (the next pending
// activity of the kernel). Every register access therefore arrives for a cycle the RTL has not
// executed yet; the bridge steps up to it and presents the access in exactly that cycle, as the
// C++ model's engine advances to it. DMA beats leave through TlmMemoryChannel at the cycle the
// RTL presents them (never before SystemC time). Interrupt edges are reported at their own
// cycle by the SystemC thread. sim/rtlbridge/README.md has the argument why this is exact.
#include "rtlbridge/systolic_rtl.h"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <optional>

#include "accel/base/accelerator.h"
#include "accel/systolic/systolic.h"
#include "accel/systolic/systolic_spec.h"
#include "rtlbridge/systolic_rtl_core.h"

namespace flecsim {
namespace {

// Stretch stepped in one go when nothing else is scheduled (then nothing can access the
// registers before this array's own next interrupt edge; the bound only keeps the trace moving).
constexpr uint64_t kUnboundedStepCycles = 1 << 16;

// Marks the Verilated model as being stepped for the scope. No step may yield to SystemC (see
// decide_next_request()); the flag turns a violation into an InternalError, not a corrupt model.
class SteppingScope {
 public:
  explicit SteppingScope(bool& flag) : flag_(flag) { flag_ = true; }
  ~SteppingScope() { flag_ = false; }
  SteppingScope(const SteppingScope&) = delete;
  SteppingScope& operator=(const SteppingScope&) = delete;

 private:
  bool& flag_;
};

// Lets one RTL bridge at a time wait for the end of the current time step: the others wait
// for their turn on an event, which is not pending activity. FIFO order, so deterministic.
class TurnToken {
 public:
  TurnToken() = default;
  TurnToken(const TurnToken&) = delete;
  TurnToken& operator=(const TurnToken&) = delete;
  ~TurnToken() {
    if (owner_ == this) owner_ = nullptr;
    queue_.erase(std::remove(queue_.begin(), queue_.end(), this), queue_.end());
  }
  void take() {
    if (!owner_) {
      owner_ = this;
      return;
    }
    queue_.push_back(this);
    sc_core::wait(granted_);  // pass() made this the owner
  }
  void pass() {
    owner_ = nullptr;
    if (queue_.empty()) return;
    owner_ = queue_.front();
    queue_.pop_front();
    owner_->granted_.notify(sc_core::SC_ZERO_TIME);
  }

 private:
  static inline TurnToken* owner_ = nullptr;  // all bridges of the (one) running simulation
  static inline std::deque<TurnToken*> queue_;
  sc_core::sc_event granted_;
};

class SystolicRtlComponent final : public Component {
 public:
  SC_HAS_PROCESS(SystolicRtlComponent);
  SystolicRtlComponent(const sc_core::sc_module_name& name, BuildContext& ctx,
                       std::unique_ptr<rtlbridge::SystolicRtlCore> core,
                       const systolic::SystolicParams& params)
      : Component(name, "systolic", ctx),
        regs_socket_("regs"),
        dma_socket_("dma"),
        channel_(dma_socket_, clock()),
        core_(std::move(core)),
        dim_(params.dim),
        caps_(systolic::systolic_caps(params)),
        commands_(stats().counter("commands", "commands", "commands completed by the RTL")),
        rtl_cycles_(stats().counter("rtl_cycles", "cycles", "cycles stepped in the RTL")),
        late_accesses_(stats().counter("late_register_accesses", "accesses",
                                       "register accesses for a cycle the RTL had already "
                                       "executed (applied in its current cycle; 0 when exact)")) {
    core_->set_memory(&channel_);
    regs_socket_.register_b_transport(this, &SystolicRtlComponent::reg_transport);
    expose_target("regs", regs_socket_, 4096, false);
    expose_initiator("dma", dma_socket_);
    expose_irq_out("irq", irq_);
    SC_THREAD(run_thread);
  }
  std::string describe() const override {
    return "systolic " + std::to_string(dim_) + "x" + std::to_string(dim_) + " (model: rtl)";
  }
  const AcceleratorCaps* accelerator_caps() const override { return &caps_; }

 private:
  void reg_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    if (stepping_)
      throw InternalError(std::string(name()) + ": register access during an RTL step");
    const Tick at = now_ticks() + to_ticks(delay);
    const uint64_t cycle = clock().cycles_ceil(at);
    const bool late = cycle < core_->cycle();  // the horizon rules this out (README)
    if (late) ++late_accesses_;
    step_to(cycle);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    access_register(trans);
    ++rtl_cycles_;
    // One cycle per access, as reg_latency_cycles = 1 of the C++ model.
    const Tick done = late ? clock().ticks(core_->cycle()) : at + clock().ticks(1);
    decide_next_request();
    delay = to_sc_time(done - now_ticks());
    kick_.notify(sc_core::SC_ZERO_TIME);  // a command may have started, an irq edge be due
  }

  // Presents the access in the RTL's current cycle (one cycle).
  void access_register(tlm::tlm_generic_payload& trans) {
    const uint64_t offset = trans.get_address();
    const bool word = trans.get_data_length() == 4 && offset % 4 == 0 && offset < 4096 &&
                      !trans.get_byte_enable_ptr();
    uint32_t value = 0;
    const SteppingScope scope(stepping_);
    if (trans.is_write()) {
      if (word) {
        std::memcpy(&value, trans.get_data_ptr(), 4);
        core_->write_reg(uint32_t(offset), value);
      } else {
        core_->idle(1);  // not a word access: ignored (spec section 3), still one cycle
      }
    } else {
      value = word ? core_->read_reg(uint32_t(offset)) : (core_->idle(1), 0u);
      std::memset(trans.get_data_ptr(), 0, trans.get_data_length());
      std::memcpy(trans.get_data_ptr(), &value, std::min<unsigned>(4, trans.get_data_length()));
    }
  }

  void step_to(uint64_t cycle) {
    const uint64_t before = core_->cycle();
    {
      const SteppingScope scope(stepping_);
      core_->advance_to(cycle);
    }
    rtl_cycles_ += core_->cycle() - before;
  }

  // The first cycle some other process could access the registers in: the cycle of the next
  // pending activity of the SystemC kernel (a process runs no earlier than its wake-up time and
  // accesses carry non-negative delays).
  uint64_t horizon_cycle() const {
    const sc_core::sc_time to_next = sc_core::sc_time_to_pending_activity();
    if (to_next >= sc_core::sc_max_time() - sc_core::sc_time_stamp())
      return core_->cycle() + kUnboundedStepCycles;
    return clock().cycles_ceil(now_ticks() + to_ticks(to_next));
  }

  // While a command runs: step up to the horizon, stopping early at an interrupt edge (it may
  // wake the CPU), then sleep until the edge's time or until SystemC time reaches the RTL.
  void run_thread() {
    for (;;) {
      publish_irq_edges();
      if (core_->busy()) step_when_alone();
      report();
      std::optional<Tick> wake;
      if (!core_->irq_edges().empty()) wake = clock().ticks(core_->irq_edges().front().cycle);
      if (core_->busy()) wake = std::min(wake.value_or(~Tick(0)), clock().ticks(core_->cycle()));
      const Tick now = now_ticks();
      if (wake)
        sc_core::wait(to_sc_time(*wake > now ? *wake - now : 0), kick_);
      else
        sc_core::wait(kick_);
    }
  }

  // Whoever else runs in this time step may access the registers: let them all go first, then
  // step up to the horizon. Several RTL bridges take turns (TurnToken), or each would keep
  // seeing the other's yield as pending activity.
  void step_when_alone() {
    turn_.take();
    while (stepping_ || sc_core::sc_pending_activity_at_current_time())
      sc_core::wait(sc_core::SC_ZERO_TIME);
    publish_irq_edges();  // an edge may have come due while yielding
    if (core_->busy()) step_until(horizon_cycle());
    decide_next_request();
    turn_.pass();
  }

  void step_until(uint64_t limit) {
    const size_t edges_before = core_->irq_edges().size();
    const SteppingScope scope(stepping_);
    while (core_->busy() && core_->cycle() < limit && core_->irq_edges().size() == edges_before) {
      core_->idle(1);
      ++rtl_cycles_;
    }
  }

  // The request of the RTL's next cycle leaves now, dated in the future (never with a zero
  // delay, which the crossbar would arbitrate in a delta cycle: from inside a CPU access that
  // would nest two bus transactions).
  void decide_next_request() {
    const SteppingScope scope(stepping_);
    core_->decide_request();
  }

  // Drives the interrupt line with every RTL irq edge whose cycle has come.
  void publish_irq_edges() {
    const Tick now = now_ticks();
    while (!core_->irq_edges().empty() && clock().ticks(core_->irq_edges().front().cycle) <= now) {
      irq_.set(core_->irq_edges().front().level);
      core_->pop_irq_edge();
    }
  }

  // One busy interval per completed command (trace, activity).
  void report() {
    const auto& done = core_->completions();
    for (; reported_ < done.size(); ++reported_) {
      const CommandCompletion& c = done[reported_];
      stats().busy(clock().ticks(c.start_cycle), clock().ticks(c.end_cycle + 1),
                   systolic::opcode_name(c.opcode));
      ++commands_;
    }
  }

  tlm_utils::simple_target_socket<SystolicRtlComponent> regs_socket_;
  tlm_utils::simple_initiator_socket<SystolicRtlComponent> dma_socket_;
  TlmMemoryChannel channel_;
  std::unique_ptr<rtlbridge::SystolicRtlCore> core_;
  uint32_t dim_;
  AcceleratorCaps caps_;
  IrqLine irq_;
  Counter& commands_;
  Counter& rtl_cycles_;
  Counter& late_accesses_;
  size_t reported_ = 0;
  bool stepping_ = false;  // inside the Verilated model (SteppingScope)
  sc_core::sc_event kick_;
  TurnToken turn_;
};

}  // namespace

std::unique_ptr<Component> make_systolic_rtl(const std::string& name, const Config& cfg,
                                             BuildContext& ctx) {
  const systolic::SystolicParams p = systolic::read_systolic_params(cfg);
  cfg.integer_in("reg_latency_cycles", 1, 1, 1);  // one RTL cycle per register access
  const std::string vcd = cfg.str("vcd", std::string());
  if (p.sp_rows != rtlbridge::SystolicRtlCore::sp_rows_for(p.dim) ||
      p.acc_rows != rtlbridge::SystolicRtlCore::acc_rows_for(p.dim) ||
      p.bus_bytes != rtlbridge::SystolicRtlCore::kBusBytes)
    cfg.fail("model",
             "model: rtl is built with default sp_rows/acc_rows and a 128-bit DMA port only");
  auto core = rtlbridge::SystolicRtlCore::create(p.dim, vcd);
  if (!core)
    cfg.fail("rows", "model: rtl exists for 4x4, 8x8, 16x16 and 32x32 arrays, not " +
                         std::to_string(p.dim) + "x" + std::to_string(p.dim));
  if (p.fault_timing || p.fault_data)
    cfg.fail("inject_fault", "faults are injected into the C++ model (model: tlm) only");
  return std::make_unique<SystolicRtlComponent>(name.c_str(), ctx, std::move(core), p);
}

}  // namespace flecsim
