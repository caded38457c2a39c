#include "periph/simctrl.h"

#include <cstdio>

#include "platform/platform.h"

namespace flecsim {

using namespace simctrl_regs;

SimCtrl::SimCtrl(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx)
    : RegisterDevice(name, "simctrl", cfg, ctx, kSize),
      platform_(ctx.platform),
      marks_count_(stats().counter("marks", "events", "MARK writes")),
      putchar_bytes_(stats().counter("putchar_bytes", "bytes", "bytes written to PUTCHAR")) {}

bool SimCtrl::read_reg(uint64_t offset, Tick at, uint32_t& value) {
  switch (offset) {
    case kCycleLo: {
      uint64_t cycle = clock().cycle_at(at);
      cycle_hi_latch_ = static_cast<uint32_t>(cycle >> 32);
      value = static_cast<uint32_t>(cycle);
      return true;
    }
    case kCycleHi:
      value = cycle_hi_latch_;
      return true;
    case kMarkCount:
      value = static_cast<uint32_t>(marks_.size());
      return true;
    case kExit:
    case kPutchar:
    case kMark:
      return true;  // write-only: read as 0
    default:
      return false;
  }
}

bool SimCtrl::write_reg(uint64_t offset, Tick at, uint32_t value) {
  switch (offset) {
    case kExit: {
      int code = static_cast<int>(value);
      exit_code_ = code;
      if (platform_)
        platform_->request_stop(code, "firmware wrote " + std::to_string(value) + " to " +
                                          std::string(name()) + ".EXIT");
      return true;
    }
    case kPutchar:
      std::fputc(static_cast<int>(value & 0xff), stdout);
      if ((value & 0xff) == '\n') std::fflush(stdout);
      ++putchar_bytes_;
      return true;
    case kMark:
      marks_.push_back(Mark{value, at});
      ++marks_count_;
      stats().instant(at, "mark " + std::to_string(value));
      if (listener_) listener_(marks_.back());
      return true;
    case kCycleLo:
    case kCycleHi:
    case kMarkCount:
      return true;  // read-only: writes ignored
    default:
      return false;
  }
}

}  // namespace flecsim
