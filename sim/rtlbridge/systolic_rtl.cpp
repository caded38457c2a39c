// The Verilated systolic array in a platform. The RTL is stepped in a tight loop inside one
// SystemC thread and synchronises with SystemC time only at transaction boundaries: register
// accesses (the RTL is first advanced to the access cycle), DMA beats (b_transport through
// TlmMemoryChannel, the returned delay gives the response cycle), command completions and
// interrupt edges (the thread stops stepping there and waits until SystemC time catches up).
#include "rtlbridge/systolic_rtl.h"

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstring>

#include "accel/base/accelerator.h"
#include "accel/systolic/systolic.h"
#include "accel/systolic/systolic_spec.h"
#include "rtlbridge/systolic_rtl_core.h"

namespace flecsim {
namespace {

constexpr uint64_t kMaxRunAheadCycles = 4096;  // longest stretch stepped without a SystemC wait

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
        rtl_cycles_(stats().counter("rtl_cycles", "cycles", "cycles stepped in the RTL")) {
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
    const Tick at = now_ticks() + to_ticks(delay);
    uint64_t cycle = clock().cycles_ceil(at);
    step_to(std::max(cycle, core_->cycle()));  // the RTL may already be ahead (run-ahead)
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    const uint64_t offset = trans.get_address();
    const bool word = trans.get_data_length() == 4 && offset % 4 == 0 && offset < 4096 &&
                      !trans.get_byte_enable_ptr();
    uint32_t value = 0;
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
    ++rtl_cycles_;
    const Tick done = clock().ticks(core_->cycle());
    delay = to_sc_time(done > now_ticks() ? done - now_ticks() : 0);
    report();
    kick_.notify(sc_core::SC_ZERO_TIME);
  }

  void step_to(uint64_t cycle) {
    const uint64_t before = core_->cycle();
    core_->advance_to(cycle);
    rtl_cycles_ += core_->cycle() - before;
  }

  // While a command runs: step until a completion, an interrupt edge, idle, or the run-ahead
  // limit, then let SystemC time catch up with the RTL.
  void run_thread() {
    for (;;) {
      if (!core_->busy()) {
        sc_core::wait(kick_);
        continue;
      }
      const bool irq_before = core_->irq();
      const size_t done_before = core_->completions().size();
      const uint64_t limit = core_->cycle() + kMaxRunAheadCycles;
      while (core_->busy() && core_->cycle() < limit && core_->irq() == irq_before &&
             core_->completions().size() == done_before) {
        core_->idle(1);
        ++rtl_cycles_;
      }
      const Tick rtl_time = clock().ticks(core_->cycle());
      if (rtl_time > now_ticks()) sc_core::wait(to_sc_time(rtl_time - now_ticks()));
      report();
    }
  }

  // Interrupt line and one busy interval per completed command (trace, activity).
  void report() {
    irq_.set(core_->irq());
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
  size_t reported_ = 0;
  sc_core::sc_event kick_;
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
