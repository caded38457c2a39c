// CLINT: core-local interruptor of one hart (SiFive layout). See docs/registers/clint.md.
//
// mtime is not a ticking process: it is computed from SystemC time as
//   mtime(t) = mtime_origin + floor((t - origin_tick) * timebase / 1 THz)
// and a write to mtime moves the origin. The timer interrupt (mtip) is a level, high while
// mtime >= mtimecmp; when a write leaves it low, one sc_event is scheduled at the exact tick
// where mtime reaches mtimecmp. msip follows bit 0 of the msip register.
#pragma once
#include <cstdint>

#include "periph/register_device.h"

namespace flecsim {

namespace clint_regs {
constexpr uint64_t kMsip = 0x0;
constexpr uint64_t kMtimecmp = 0x4000;  // low word; high word at +4
constexpr uint64_t kMtime = 0xBFF8;     // low word; high word at +4
constexpr uint64_t kSize = 0x10000;
}  // namespace clint_regs

class Clint : public RegisterDevice {
 public:
  Clint(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);

  IrqLine mtip;
  IrqLine msip;
  uint64_t timebase_hz() const { return timebase_hz_; }
  // mtime at absolute time t (t must not precede the last mtime write).
  uint64_t mtime_at(Tick t) const;
  // First tick at which mtime reaches `value` (t >= origin).
  Tick tick_of_mtime(uint64_t value) const;
  std::string describe() const override;

 protected:
  bool read_reg(uint64_t offset, Tick at, uint32_t& value) override;
  bool write_reg(uint64_t offset, Tick at, uint32_t value) override;

 private:
  void timer_changed(Tick at);
  void on_timer_event();

  uint64_t timebase_hz_;
  Tick origin_tick_ = 0;
  uint64_t mtime_origin_ = 0;
  uint64_t mtimecmp_ = ~uint64_t{0};  // reset value: no timer interrupt
  sc_core::sc_event timer_event_;
  Counter& timer_interrupts_;
};

}  // namespace flecsim
