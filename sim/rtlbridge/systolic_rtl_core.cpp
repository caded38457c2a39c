// The cycle loop around the Verilated systolic array, and one adapter per built size.
#include "rtlbridge/systolic_rtl_core.h"

#include <verilated.h>
#include <verilated_vcd_c.h>

#include <algorithm>
#include <cstring>

#include "Vsystolic_16x16.h"
#include "Vsystolic_32x32.h"
#include "Vsystolic_4x4.h"
#include "Vsystolic_8x8.h"
#include "core/error.h"

namespace flecsim::rtlbridge {

uint64_t SystolicRtlCore::run_until_idle(uint64_t limit_cycle) {
  while (busy() && cycle_ < limit_cycle) step(Access{false, 0, 0});
  return cycle_;
}

void SystolicRtlCore::advance_to(uint64_t target) {
  // Idle cycles change no state of the RTL (its counters run only while a command executes).
  if (!busy() && responses_.empty() && !request_pending_ && target > cycle_) cycle_ = target;
  while (cycle_ < target) step(Access{false, 0, 0});
}

uint32_t SystolicRtlCore::step(const Access& access) {
  const Response* response = response_now();
  const Outputs out = settle(access, response);
  if (response) responses_.pop_front();
  if (out.start) current_start_ = cycle_;
  if (out.done) {
    CommandCompletion c;
    c.seq = out.seq;
    c.opcode = out.opcode;
    c.start_cycle = current_start_;
    c.end_cycle = cycle_;
    c.error = out.err;
    done_.push_back(c);
  }
  const bool ready = out.req_valid && serve_request(out);
  clock_edge(ready);
  ++cycle_;
  if (irq() != irq_level_) {
    irq_level_ = !irq_level_;
    irq_edges_.push_back(IrqEdge{cycle_, irq_level_});
  }
  return out.reg_rdata;
}

void SystolicRtlCore::decide_request() {
  if (request_pending_) return;
  const Outputs out = settle(Access{false, 0, 0}, response_now(), false);
  if (out.req_valid) decide(out);
}

// The first cycle a request is presented, the channel decides its acceptance and response
// cycles (and moves the data); the handshake then happens in the accept cycle.
bool SystolicRtlCore::serve_request(const Outputs& out) {
  if (!request_pending_)
    decide(out);
  else if (out.req_addr != pending_addr_ || out.req_write != pending_write_)
    throw InternalError("systolic RTL: DMA request changed while presented (cycle " +
                        std::to_string(cycle_) + ")");
  if (cycle_ != accept_cycle_) return false;
  responses_.push_back(pending_response_);
  request_pending_ = false;
  return true;
}

void SystolicRtlCore::decide(const Outputs& out) {
  if (!mem_) throw InternalError("systolic RTL: DMA request without a memory channel");
  Response r{};
  const uint32_t len = std::min<uint32_t>(out.req_len, kBusBytes);
  const MemResult m = out.req_write ? mem_->write(cycle_, out.req_addr, out.req_wdata, len)
                                    : mem_->read(cycle_, out.req_addr, r.data, len);
  r.err = !m.ok;
  accept_cycle_ = std::max(m.accept_cycle, cycle_);
  r.cycle = std::max(m.response_cycle, accept_cycle_ + 1);
  if (r.cycle <= last_response_cycle_) r.cycle = last_response_cycle_ + 1;
  if (r.cycle != m.response_cycle || accept_cycle_ != m.accept_cycle) ++reordered_;
  last_response_cycle_ = r.cycle;
  pending_response_ = r;
  pending_addr_ = out.req_addr;
  pending_write_ = out.req_write;
  request_pending_ = true;
}

namespace {

// One Verilated size. All sizes share the port list (BUS_BYTES = 16 everywhere).
template <class Top>
class SystolicRtlModel final : public SystolicRtlCore {
 public:
  explicit SystolicRtlModel(const std::string& vcd_path) : context_(new VerilatedContext) {
    context_->traceEverOn(!vcd_path.empty());
    top_.reset(new Top(context_.get(), "systolic"));
    if (!vcd_path.empty()) {
      vcd_.reset(new VerilatedVcdC);
      top_->trace(vcd_.get(), 99);
      vcd_->open(vcd_path.c_str());
      if (!vcd_->isOpen()) throw UserError(SourceLoc{}, "cannot write VCD file " + vcd_path);
    }
    // Reset for one clock before cycle 0 (SP/ACC start at zero from the RTL's initial block).
    top_->rst = 1;
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
    top_->rst = 0;
  }
  ~SystolicRtlModel() override {
    if (vcd_) vcd_->close();
    top_->final();
  }
  bool irq() const override { return top_->irq; }
  bool busy() const override { return top_->busy; }

 protected:
  Outputs settle(const Access& access, const Response* response, bool dump) override {
    top_->clk = 0;
    top_->reg_we = access.write;
    top_->reg_addr = access.offset & 0xFFF;
    top_->reg_wdata = access.value;
    top_->mem_req_ready = 0;
    top_->mem_resp_valid = response != nullptr;
    top_->mem_resp_err = response && response->err;
    for (uint32_t w = 0; w < kBusBytes / 4; ++w) {
      uint32_t word = 0;
      if (response) std::memcpy(&word, response->data + 4 * w, 4);
      top_->mem_resp_rdata[w] = word;  // little-endian host: byte l of the beat = bits 8l+7:8l
    }
    eval(0, dump);
    Outputs o;
    o.reg_rdata = top_->reg_rdata;
    o.req_valid = top_->mem_req_valid;
    o.req_write = top_->mem_req_write;
    o.req_addr = top_->mem_req_addr;
    o.req_len = top_->mem_req_len;
    for (uint32_t w = 0; w < kBusBytes / 4; ++w) {
      const uint32_t word = top_->mem_req_wdata[w];
      std::memcpy(o.req_wdata + 4 * w, &word, 4);
    }
    o.start = top_->dbg_start;
    o.start_seq = top_->dbg_start_seq;
    o.done = top_->dbg_done;
    o.seq = top_->dbg_seq;
    o.opcode = top_->dbg_opcode;
    o.err = top_->dbg_err;
    return o;
  }
  void clock_edge(bool ready) override {
    top_->mem_req_ready = ready;
    top_->clk = 1;
    eval(1, true);
  }

 private:
  // VCD time: 2 units per cycle, the rising edge at odd times (cycle c: 2c low, 2c+1 high).
  void eval(uint32_t phase, bool dump) {
    context_->time(cycle() * 2 + phase);
    top_->eval();
    if (vcd_ && dump) vcd_->dump(context_->time());
  }
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Top> top_;
  std::unique_ptr<VerilatedVcdC> vcd_;
};

}  // namespace

std::unique_ptr<SystolicRtlCore> SystolicRtlCore::create(uint32_t dim,
                                                         const std::string& vcd_path) {
  switch (dim) {
    case 4:
      return std::make_unique<SystolicRtlModel<Vsystolic_4x4>>(vcd_path);
    case 8:
      return std::make_unique<SystolicRtlModel<Vsystolic_8x8>>(vcd_path);
    case 16:
      return std::make_unique<SystolicRtlModel<Vsystolic_16x16>>(vcd_path);
    case 32:
      return std::make_unique<SystolicRtlModel<Vsystolic_32x32>>(vcd_path);
    default:
      return nullptr;
  }
}

std::vector<uint32_t> SystolicRtlCore::available_dims() {
  return {4, 8, 16, 32};
}

}  // namespace flecsim::rtlbridge
