// Helpers for the RTL unit tests: a Verilated array with a flat memory and fixed or seeded
// timing, and firmware-like command writes (docs/accelerators/systolic.md).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "accel/regress/driver.h"
#include "accel/systolic/systolic_spec.h"
#include "rtlbridge/systolic_rtl_core.h"

namespace flecsim::rtlbridge::test {

using namespace flecsim::systolic;

struct RtlBench {
  std::vector<uint8_t> image;
  std::unique_ptr<regress::TimedMemory> memory;
  std::unique_ptr<SystolicRtlCore> rtl;

  RtlBench(uint32_t dim, regress::MemTiming timing, size_t bytes = 1 << 16,
           const std::string& vcd = "")
      : image(bytes, 0) {
    memory = std::make_unique<regress::TimedMemory>(timing, &image);
    rtl = SystolicRtlCore::create(dim, vcd);
    rtl->set_memory(memory.get());
  }
  // Five register cycles: ARG0..ARG3 then CMD. Returns the CMD write cycle (P of the spec).
  uint64_t command(uint32_t word, uint32_t a0 = 0, uint32_t a1 = 0, uint32_t a2 = 0,
                   uint32_t a3 = 0) {
    rtl->write_reg(kRegArg0, a0);
    rtl->write_reg(kRegArg1, a1);
    rtl->write_reg(kRegArg2, a2);
    rtl->write_reg(kRegArg3, a3);
    const uint64_t p = rtl->cycle();
    rtl->write_reg(kRegCmd, word);
    return p;
  }
  uint64_t mvin(uint32_t addr, uint32_t stride, uint32_t local, bool acc, uint32_t rows,
                uint32_t cols) {
    return command(kOpMvin, addr, stride, local | (acc ? 1u << 16 : 0), rows | cols << 16);
  }
  uint64_t mvout(uint32_t addr, uint32_t stride, uint32_t acc_row, bool raw, uint32_t rows,
                 uint32_t cols) {
    return command(kOpMvout, addr, stride, acc_row | (raw ? 1u << 16 : 0), rows | cols << 16);
  }
  void finish() { rtl->run_until_idle(rtl->cycle() + 1000000); }
  const CommandCompletion& last() const { return rtl->completions().back(); }
  int32_t i32(size_t addr) const {
    int32_t v;
    std::memcpy(&v, image.data() + addr, 4);
    return v;
  }
};

}  // namespace flecsim::rtlbridge::test
