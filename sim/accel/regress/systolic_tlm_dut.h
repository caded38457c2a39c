// The C++ systolic model as an AccelUnderTest: the SystolicEngine with a TimedMemory behind
// its DMA port, driven cycle by cycle by the regression.
#pragma once
#include <memory>

#include "accel/regress/driver.h"
#include "accel/systolic/systolic_engine.h"

namespace flecsim::regress {

class SystolicTlmDut : public AccelUnderTest {
 public:
  explicit SystolicTlmDut(const AccelGeometry& geometry);
  std::string model() const override { return "tlm"; }
  void reset(const MemTiming& timing, std::vector<uint8_t> image) override;
  uint64_t cycle() const override { return cycle_; }
  void write_reg(uint32_t offset, uint32_t value) override;
  uint32_t read_reg(uint32_t offset) override;
  void idle(uint64_t cycles) override { cycle_ += cycles; }
  uint64_t run_until_idle(uint64_t max_cycles) override;
  bool irq() const override;
  const std::vector<uint8_t>& image() const override { return image_; }
  std::vector<CommandCompletion> completions() const override;
  bool inject_fault(const std::string& fault) override;
  systolic::SystolicEngine& engine() { return *engine_; }

 private:
  systolic::SystolicParams params_;
  StatsRegistry stats_;
  std::vector<uint8_t> image_;
  std::unique_ptr<TimedMemory> memory_;
  std::unique_ptr<systolic::SystolicEngine> engine_;
  uint64_t cycle_ = 0;
};

// The systolic parameters of a geometry (0 fields: the spec's defaults for the size).
systolic::SystolicParams params_of(const AccelGeometry& g);

}  // namespace flecsim::regress
