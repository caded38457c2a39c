#include "accel/regress/systolic_tlm_dut.h"

#include "accel/systolic/systolic_spec.h"

namespace flecsim::regress {

systolic::SystolicParams params_of(const AccelGeometry& g) {
  systolic::SystolicParams p = systolic::SystolicParams::for_dim(g.rows);
  if (g.sp_rows) p.sp_rows = g.sp_rows;
  if (g.acc_rows) p.acc_rows = g.acc_rows;
  p.bus_bytes = g.bus_bytes;
  return p;
}

SystolicTlmDut::SystolicTlmDut(const AccelGeometry& geometry) : params_(params_of(geometry)) {
  reset(MemTiming{}, {});
}

void SystolicTlmDut::reset(const MemTiming& timing, std::vector<uint8_t> image) {
  // A fresh engine: memory request indices and counters restart with the reset.
  engine_.reset();
  image_ = std::move(image);
  memory_ = std::make_unique<TimedMemory>(timing, &image_);
  engine_ = std::make_unique<systolic::SystolicEngine>(params_, *memory_,
                                                       stats_.group("systolic", "systolic"));
  cycle_ = 0;
}

void SystolicTlmDut::write_reg(uint32_t offset, uint32_t value) {
  engine_->write_reg(offset, value, cycle_);
  ++cycle_;
}

uint32_t SystolicTlmDut::read_reg(uint32_t offset) {
  uint32_t v = 0;
  engine_->read_reg(offset, cycle_, v);
  ++cycle_;
  return v;
}

uint64_t SystolicTlmDut::run_until_idle(uint64_t max_cycles) {
  engine_->drain();
  // The first cycle in which STATUS.busy reads 0.
  while (engine_->busy(cycle_) && cycle_ < max_cycles) {
    auto next = engine_->next_event(cycle_);
    cycle_ = next ? std::min(*next, max_cycles) : cycle_ + 1;
  }
  return cycle_;
}

bool SystolicTlmDut::irq() const {
  return engine_->irq_level(cycle_);
}

std::vector<CommandCompletion> SystolicTlmDut::completions() const {
  return engine_->completions();
}

bool SystolicTlmDut::inject_fault(const std::string& fault) {
  if (fault != "timing") return false;
  params_.fault_timing = true;
  return true;
}

}  // namespace flecsim::regress
