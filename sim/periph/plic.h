// PLIC-like platform-level interrupt controller (SiFive register layout), one context: machine
// mode of hart 0. See docs/registers/plic.md.
//
// Sources 1..N are level-sensitive inputs (irq_in ports "1".."N"). A gateway turns a high level
// into a pending bit unless the source is already claimed and not yet completed; completing a
// source whose line is still high makes it pending again. meip is high while some source is
// pending, enabled and of priority above the threshold. Claim returns the highest-priority such
// source (ties: lowest id) or 0. Everything is combinational on register writes and line
// changes, so there is no process and no timing beyond the register access latency.
#pragma once
#include <cstdint>
#include <vector>

#include "periph/register_device.h"

namespace flecsim {

namespace plic_regs {
constexpr uint64_t kPriorityBase = 0x0;  // + 4 * source id
constexpr uint64_t kPendingBase = 0x1000;
constexpr uint64_t kEnableBase = 0x2000;  // context 0
constexpr uint64_t kThreshold = 0x200000;
constexpr uint64_t kClaimComplete = 0x200004;
constexpr uint64_t kSize = 0x4000000;
constexpr unsigned kMaxSources = 1023;
}  // namespace plic_regs

class Plic : public RegisterDevice {
 public:
  Plic(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);

  unsigned sources() const { return sources_; }
  uint32_t max_priority() const { return max_priority_; }
  IrqLine meip;
  std::string describe() const override;

 protected:
  bool read_reg(uint64_t offset, Tick at, uint32_t& value) override;
  bool write_reg(uint64_t offset, Tick at, uint32_t value) override;

 private:
  void source_level(unsigned id, bool level);
  unsigned best_pending() const;  // 0 when none qualifies
  void update_meip();
  uint32_t bit_word(const std::vector<bool>& bits, uint64_t word) const;

  unsigned sources_;
  uint32_t max_priority_;
  std::vector<uint32_t> priority_;  // index = source id (0 unused)
  std::vector<bool> level_, pending_, enabled_, claimed_;
  uint32_t threshold_ = 0;
  Counter& claims_;
};

}  // namespace flecsim
