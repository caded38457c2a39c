// Simulation control device: lets firmware end the run with an exit code, read the cycle
// counter, mark phase (layer) boundaries and print cheaply. See docs/registers/simctrl.md.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "periph/register_device.h"

namespace flecsim {

namespace simctrl_regs {
constexpr uint64_t kExit = 0x00;       // W: end the run with exit code = value
constexpr uint64_t kPutchar = 0x04;    // W: bits 7:0 to stdout
constexpr uint64_t kCycleLo = 0x08;    // R: cycle count (component clock); latches the high word
constexpr uint64_t kCycleHi = 0x0C;    // R: high word latched by the last CYCLE_LO read
constexpr uint64_t kMark = 0x10;       // W: record a mark (value, time)
constexpr uint64_t kMarkCount = 0x14;  // R: number of marks recorded so far
constexpr uint64_t kSize = 0x1000;
}  // namespace simctrl_regs

class SimCtrl : public RegisterDevice {
 public:
  struct Mark {
    uint32_t value;
    Tick at;  // absolute time of the write
  };

  SimCtrl(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);

  // Called at each MARK write (after it is recorded): per-layer statistics, progress.
  void set_mark_listener(std::function<void(const Mark&)> listener) { listener_ = std::move(listener); }
  // Marks in the order firmware wrote them (for per-layer statistics).
  const std::vector<Mark>& marks() const { return marks_; }
  // Exit code written to EXIT, if any (also forwarded to Platform::request_stop).
  const std::optional<int>& exit_code() const { return exit_code_; }
  std::string describe() const override { return "simctrl"; }

 protected:
  bool read_reg(uint64_t offset, Tick at, uint32_t& value) override;
  bool write_reg(uint64_t offset, Tick at, uint32_t value) override;

 private:
  Platform* platform_;
  std::vector<Mark> marks_;
  std::function<void(const Mark&)> listener_;
  std::optional<int> exit_code_;
  uint32_t cycle_hi_latch_ = 0;
  Counter& marks_count_;
  Counter& putchar_bytes_;
};

}  // namespace flecsim
