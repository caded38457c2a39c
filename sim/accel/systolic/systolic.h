// The systolic array as a platform component (kind "systolic", model: tlm): the SystemC-free
// SystolicEngine behind the Accelerator base (register port, DMA port "dma", irq "irq").
#pragma once
#include <memory>

#include "accel/base/accelerator.h"
#include "accel/systolic/systolic_engine.h"

namespace flecsim::systolic {

class SystolicAccelerator : public Accelerator {
 public:
  SystolicAccelerator(const sc_core::sc_module_name& name, BuildContext& ctx, const Config& cfg,
                      const SystolicParams& params);
  std::string describe() const override;
  SystolicEngine& engine() { return *engine_; }
  const AcceleratorCaps* accelerator_caps() const override { return &caps_; }

 protected:
  bool irq_level(uint64_t cycle) override { return engine_->irq_level(cycle); }
  std::string command_name(const CommandCompletion& c) const override;

 private:
  // Adapts register accesses to the engine (reads/writes see the engine's time rules).
  RegisterFile port_regs_;
  std::unique_ptr<SystolicEngine> engine_;
  AcceleratorCaps caps_;
};

// What the compiler may map to the array (both models offer the same).
AcceleratorCaps systolic_caps(const SystolicParams& p);

// Reads the `systolic` keys common to both models (rows, cols, sp_rows, acc_rows,
// dma_width_bits), validating them against the spec's limits.
SystolicParams read_systolic_params(const Config& cfg);

}  // namespace flecsim::systolic

namespace flecsim {
// Registers kind "systolic" (model: tlm here, model: rtl through sim/rtlbridge).
void register_accel_kinds(ComponentRegistry& registry);
}  // namespace flecsim
