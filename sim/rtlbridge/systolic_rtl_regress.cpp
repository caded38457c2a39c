#include "rtlbridge/systolic_rtl_regress.h"

#include "core/error.h"
#include "rtlbridge/systolic_rtl_core.h"

namespace flecsim::rtlbridge {
namespace {

class SystolicRtlUnderTest final : public regress::AccelUnderTest {
 public:
  SystolicRtlUnderTest(uint32_t dim, std::string vcd_path)
      : dim_(dim), vcd_path_(std::move(vcd_path)) {}
  std::string model() const override { return "rtl"; }
  void reset(const regress::MemTiming& timing, std::vector<uint8_t> image) override {
    core_.reset();  // it refers to the old memory
    image_ = std::move(image);
    memory_ = std::make_unique<regress::TimedMemory>(timing, &image_);
    core_ = SystolicRtlCore::create(dim_, vcd_path_);
    core_->set_memory(memory_.get());
  }
  uint64_t cycle() const override { return core().cycle(); }
  void write_reg(uint32_t offset, uint32_t value) override { core().write_reg(offset, value); }
  uint32_t read_reg(uint32_t offset) override { return core().read_reg(offset); }
  void idle(uint64_t cycles) override { core().idle(cycles); }
  uint64_t run_until_idle(uint64_t max_cycles) override {
    return core().run_until_idle(max_cycles);
  }
  bool irq() const override { return core().irq(); }
  const std::vector<uint8_t>& image() const override { return image_; }
  std::vector<CommandCompletion> completions() const override { return core().completions(); }

 private:
  SystolicRtlCore& core() const {
    if (!core_) throw InternalError("systolic RTL under test used before reset()");
    return *core_;
  }
  uint32_t dim_;
  std::string vcd_path_;
  std::vector<uint8_t> image_;
  std::unique_ptr<regress::TimedMemory> memory_;
  std::unique_ptr<SystolicRtlCore> core_;
};

}  // namespace

std::unique_ptr<regress::AccelUnderTest> make_systolic_rtl_under_test(
    const regress::AccelGeometry& g, const std::string& vcd_path) {
  const uint32_t dim = g.rows;
  bool built = false;
  for (uint32_t d : SystolicRtlCore::available_dims()) built |= d == dim;
  const bool ok = built && g.cols == g.rows &&
                  (g.sp_rows == 0 || g.sp_rows == SystolicRtlCore::sp_rows_for(dim)) &&
                  (g.acc_rows == 0 || g.acc_rows == SystolicRtlCore::acc_rows_for(dim)) &&
                  g.bus_bytes == SystolicRtlCore::kBusBytes;
  if (!ok) {
    throw UserError(SourceLoc{},
                    "no Verilated systolic array for " + std::to_string(g.rows) + "x" +
                        std::to_string(g.cols) + " with sp_rows " + std::to_string(g.sp_rows) +
                        ", acc_rows " + std::to_string(g.acc_rows) + ", bus " +
                        std::to_string(g.bus_bytes) +
                        " bytes (built: 4x4, 8x8 with 256/128 rows, 16x16, 32x32 with 1024/256 "
                        "rows, 16-byte bus; see docs/accelerators/systolic.md)");
  }
  return std::make_unique<SystolicRtlUnderTest>(dim, vcd_path);
}

}  // namespace flecsim::rtlbridge
