// The C++ systolic model against the spec's numbers: exact completion cycles, data, registers,
// errors and the interrupt (docs/accelerators/systolic.md sections 3-7).
#include <gtest/gtest.h>

#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_spec.h"

using namespace flecsim;
using namespace flecsim::regress;
using namespace flecsim::systolic;

namespace {

uint32_t rc(uint32_t rows, uint32_t cols) {
  return rows | cols << 16;
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() : dut(AccelGeometry{4, 4, 0, 0, 16}) { dut.reset(MemTiming{}, image(4096)); }
  static std::vector<uint8_t> image(size_t n) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = uint8_t(i * 37 + 11);
    return v;
  }
  void cmd(uint32_t word, std::vector<uint32_t> args) {
    for (size_t i = 0; i < args.size(); ++i) dut.write_reg(kRegArg0 + 4 * uint32_t(i), args[i]);
    dut.write_reg(kRegCmd, word);
  }
  SystolicTlmDut dut;
};

TEST_F(EngineTest, IdentityRegisters) {
  EXPECT_EQ(dut.read_reg(kRegId), 0x53595331u);
  EXPECT_EQ(dut.read_reg(kRegCaps), 4u | 8u << 16 | 16u << 24);
  EXPECT_EQ(dut.read_reg(kRegSpRows), 256u | 128u << 16);
  EXPECT_EQ(dut.read_reg(0x3c), 0u);
  EXPECT_EQ(dut.cycle(), 4u);
}

TEST_F(EngineTest, MvinTimingWithIdealMemory) {
  // ARG writes in cycles 0-3, CMD in 4: S = 5, beats V = 6,7,8,9 accepted at once, latency 1:
  // R = 7..10, C = 11.
  cmd(kOpMvin, {0, 4, 0, rc(4, 4)});
  EXPECT_EQ(dut.read_reg(kRegStatus), kStatusBusy | 1u << 8);  // cycle 5: queued
  EXPECT_EQ(dut.read_reg(kRegStatus), kStatusBusy);            // cycle 6: executing
  EXPECT_EQ(dut.run_until_idle(1000), 12u);
  ASSERT_EQ(dut.completions().size(), 1u);
  EXPECT_EQ(dut.completions()[0].start_cycle, 5u);
  EXPECT_EQ(dut.completions()[0].end_cycle, 11u);
  EXPECT_EQ(dut.read_reg(kRegDoneCount), 1u);
}

TEST_F(EngineTest, MvinTimingFollowsBackPressureAndLatency) {
  MemTiming t{5, 2, 9, 50};
  dut.reset(t, image(4096));
  cmd(kOpMvin, {3, 40, 0, rc(3, 4)});  // 3 beats of 4 bytes
  dut.run_until_idle(1000);
  // Recompute the spec's recurrence with the timing model.
  uint64_t v = 5 + 1, a = 0, r = 0;
  for (uint64_t k = 0; k < 3; ++k) {
    a = v;
    while (!t.ready(a)) ++a;
    r = std::max(a + t.latency(k), k ? r + 1 : 0);
    v = a + 1;
  }
  EXPECT_EQ(dut.completions().at(0).end_cycle, r + 1);
}

TEST_F(EngineTest, TiledGemmDataAndCycles) {
  // A (4x4) at 0, B (4x4) at 64, C raw int32 to 256, requantised to 512.
  cmd(kOpMvin, {0, 4, 0, rc(4, 4)});
  cmd(kOpMvin, {64, 4, 4, rc(4, 4)});
  cmd(kOpPreload, {4});
  cmd(kOpCompute, {0, 8, 4, 0});
  cmd(kOpMvout, {256, 16, 8 | 1u << 16, rc(4, 4)});
  cmd(kOpConfig, {config_word(0, 0, kActRelu, 4, 0, 0), 3});
  cmd(kOpMvout, {512, 4, 8, rc(4, 4)});
  dut.run_until_idle(10000);
  const auto& img = dut.image();
  auto s8 = [&](size_t i) { return int32_t(int8_t(image(4096)[i])); };
  for (int m = 0; m < 4; ++m)
    for (int j = 0; j < 4; ++j) {
      int32_t sum = 0;
      for (int i = 0; i < 4; ++i) sum += s8(m * 4 + i) * s8(64 + i * 4 + j);
      int32_t got;
      std::memcpy(&got, &img[256 + 16 * m + 4 * j], 4);
      EXPECT_EQ(got, sum) << m << "," << j;
      int64_t q = (int64_t(sum) * 3 + 8) >> 4;
      q = std::clamp<int64_t>(std::max<int64_t>(q, 0), -128, 127);
      EXPECT_EQ(int8_t(img[512 + 4 * m + j]), q) << m << "," << j;
    }
  auto c = dut.completions();
  ASSERT_EQ(c.size(), 7u);
  // PRELOAD: C = S + DIM + 1; COMPUTE: C = S + M + 2*DIM; CONFIG: S + 1.
  EXPECT_EQ(c[2].end_cycle, c[2].start_cycle + 5);
  EXPECT_EQ(c[3].end_cycle, c[3].start_cycle + 4 + 8);
  EXPECT_EQ(c[5].end_cycle, c[5].start_cycle + 1);
  for (size_t i = 1; i < c.size(); ++i)
    EXPECT_EQ(c[i].start_cycle, std::max(c[i].enqueue_cycle + 1, c[i - 1].end_cycle + 1));
  EXPECT_EQ(dut.read_reg(kRegError), 0u);
}

TEST_F(EngineTest, RequantisationRoundsHalfUpAndSaturates) {
  // ACC row 0 <- raw int32 values through MVIN into ACC.
  std::vector<int32_t> vals = {-5, 5, 1000, -1000};
  std::vector<uint8_t> img = image(4096);
  std::memcpy(img.data(), vals.data(), 16);
  dut.reset(MemTiming{}, img);
  cmd(kOpMvin, {0, 16, 1u << 16, rc(1, 4)});
  cmd(kOpConfig, {config_word(0, 0, kActNone, 1, 0, 0), 1});
  cmd(kOpMvout, {100, 4, 0, rc(1, 4)});
  cmd(kOpConfig, {config_word(0, 0, kActRelu6, 0, 6, 0), 1});
  cmd(kOpMvout, {200, 4, 0, rc(1, 4)});
  dut.run_until_idle(10000);
  const auto& o = dut.image();
  EXPECT_EQ(int8_t(o[100]), -2);   // (-5 + 1) >> 1
  EXPECT_EQ(int8_t(o[101]), 3);    // (5 + 1) >> 1
  EXPECT_EQ(int8_t(o[102]), 127);  // 500 saturates
  EXPECT_EQ(int8_t(o[103]), -128);
  EXPECT_EQ(int8_t(o[200]), 0);
  EXPECT_EQ(int8_t(o[201]), 5);
  EXPECT_EQ(int8_t(o[202]), 6);
  EXPECT_EQ(int8_t(o[203]), 0);
}

TEST_F(EngineTest, ErrorsSetStatusAndRaiseTheInterrupt) {
  dut.write_reg(kRegIrqEnable, 3);
  cmd(0x42, {});  // illegal, seq 0, P = 1, S = 2, C = 3
  dut.idle(1);    // cycle 3
  EXPECT_FALSE(dut.irq());
  dut.idle(1);  // cycle 4: effects of C = 3 visible
  EXPECT_TRUE(dut.irq());
  EXPECT_EQ(dut.read_reg(kRegError), 1u);
  EXPECT_EQ(dut.read_reg(kRegIrqStatus), kIrqError);
  cmd(kOpMvin, {0, 0, 256, rc(1, 1)});   // ADDR_RANGE, seq 1
  cmd(kOpMvin, {0, 0, 0, rc(1, 5)});     // BAD_ARG, seq 2
  cmd(kOpConfig, {3u << 2, 1});          // BAD_CONFIG (precision 3 reserved)
  cmd(kOpMvin, {4094, 0, 0, rc(1, 4)});  // runs off the memory image: MEM_ERROR
  dut.run_until_idle(1000);
  auto c = dut.completions();
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[1].error, kErrAddrRange);
  EXPECT_EQ(c[2].error, kErrBadArg);
  EXPECT_EQ(c[3].error, kErrBadConfig);
  EXPECT_EQ(c[4].error, kErrMemError);
  EXPECT_EQ(c[1].end_cycle, c[1].start_cycle + 1);
  EXPECT_EQ(dut.read_reg(kRegError), 1u);  // the first error is kept
  dut.write_reg(kRegError, 0);
  EXPECT_EQ(dut.read_reg(kRegError), 0u);
  dut.write_reg(kRegIrqStatus, 3);
  EXPECT_EQ(dut.read_reg(kRegStatus), 0u);
  EXPECT_FALSE(dut.irq());
}

TEST_F(EngineTest, FifoOverflowDropsTheCommand) {
  dut.write_reg(kRegArg2, 4);  // COMPUTE M = 4: 12 cycles each
  for (int i = 0; i < 12; ++i) dut.write_reg(kRegCmd, kOpCompute);
  dut.run_until_idle(10000);
  // CMD writes in cycles 1..12 (seq 0..11). Seq 0 pops in cycle 2 and runs until 14, so seq
  // 1..8 (written in cycles 2..9) wait: in cycle 10 the FIFO holds 8 and seq 9 is dropped, as
  // are seq 10 and 11.
  EXPECT_EQ(dut.completions().size(), 9u);
  uint32_t err = dut.read_reg(kRegError);
  EXPECT_EQ(err & 0xff, kErrFifoOverflow);
  EXPECT_EQ(err >> 16, 9u);
  EXPECT_EQ(dut.read_reg(kRegDoneCount), 9u);
}

TEST_F(EngineTest, DoneInterruptFollowsEnable) {
  cmd(kOpFence | kCmdIrqOnDone, {});
  dut.run_until_idle(100);
  EXPECT_EQ(dut.read_reg(kRegIrqStatus), kIrqDone);
  EXPECT_FALSE(dut.irq());
  dut.write_reg(kRegIrqEnable, 1);
  EXPECT_TRUE(dut.irq());
  EXPECT_EQ(dut.read_reg(kRegStatus), kStatusIrq);
}

}  // namespace
