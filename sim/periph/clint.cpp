#include "periph/clint.h"

namespace flecsim {

using namespace clint_regs;

namespace {
constexpr unsigned __int128 kTicksPerSecond = 1000000000000ull;

uint64_t set_half(uint64_t reg, uint64_t offset, uint64_t base, uint32_t value) {
  return offset == base ? (reg & ~uint64_t{0xffffffff}) | value
                        : (reg & 0xffffffffu) | (uint64_t{value} << 32);
}
uint32_t get_half(uint64_t reg, uint64_t offset, uint64_t base) {
  return static_cast<uint32_t>(offset == base ? reg : reg >> 32);
}
}  // namespace

Clint::Clint(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : RegisterDevice(name, "clint", cfg, ctx, kSize),
      timebase_hz_(cfg.hertz("timebase", 1000000)),
      timer_interrupts_(
          stats().counter("timer_interrupts", "interrupts", "times mtip was raised")) {
  if (timebase_hz_ == 0) cfg.fail("timebase", "must be above 0 Hz");
  expose_irq_out("mtip", mtip);
  expose_irq_out("msip", msip);
  SC_HAS_PROCESS(Clint);
  SC_METHOD(on_timer_event);
  sensitive << timer_event_;
  dont_initialize();
}

std::string Clint::describe() const {
  return "clint, timebase " + std::to_string(timebase_hz_) + " Hz";
}

uint64_t Clint::mtime_at(Tick t) const {
  Tick elapsed = t > origin_tick_ ? t - origin_tick_ : 0;
  return mtime_origin_ + static_cast<uint64_t>(static_cast<unsigned __int128>(elapsed) *
                                               timebase_hz_ / kTicksPerSecond);
}

Tick Clint::tick_of_mtime(uint64_t value) const {
  if (value <= mtime_origin_) return origin_tick_;
  unsigned __int128 units = static_cast<unsigned __int128>(value - mtime_origin_) * kTicksPerSecond;
  unsigned __int128 ticks = (units + timebase_hz_ - 1) / timebase_hz_;
  unsigned __int128 limit = ~Tick{0} - origin_tick_;
  return ticks > limit ? ~Tick{0} : origin_tick_ + static_cast<Tick>(ticks);
}

bool Clint::read_reg(uint64_t offset, Tick at, uint32_t& value) {
  if (offset == kMsip) {
    value = msip.level() ? 1 : 0;
  } else if (offset == kMtimecmp || offset == kMtimecmp + 4) {
    value = get_half(mtimecmp_, offset, kMtimecmp);
  } else if (offset == kMtime || offset == kMtime + 4) {
    value = get_half(mtime_at(at), offset, kMtime);
  } else {
    return false;
  }
  return true;
}

bool Clint::write_reg(uint64_t offset, Tick at, uint32_t value) {
  if (offset == kMsip) {
    msip.set(value & 1);
  } else if (offset == kMtimecmp || offset == kMtimecmp + 4) {
    mtimecmp_ = set_half(mtimecmp_, offset, kMtimecmp, value);
    timer_changed(at);
  } else if (offset == kMtime || offset == kMtime + 4) {
    mtime_origin_ = set_half(mtime_at(at), offset, kMtime, value);
    origin_tick_ = at;
    timer_changed(at);
  } else {
    return false;
  }
  return true;
}

// Sets mtip for time `at` and, when it is low, schedules the event at the tick mtime reaches
// mtimecmp (unless that never happens within the 64-bit tick range).
void Clint::timer_changed(Tick at) {
  timer_event_.cancel();
  bool due = mtime_at(at) >= mtimecmp_;
  if (due && !mtip.level()) ++timer_interrupts_;
  mtip.set(due);
  if (due) return;
  Tick when = tick_of_mtime(mtimecmp_);
  if (when == ~Tick{0}) return;
  Tick now = now_ticks();
  timer_event_.notify(to_sc_time(when > now ? when - now : 0));
}

void Clint::on_timer_event() {
  timer_changed(now_ticks());
}

}  // namespace flecsim
