// Registers, interrupts and every error code of the RTL (docs/accelerators/systolic.md 3, 6).
#include <gtest/gtest.h>

#include "systolic_rtl_harness.h"

namespace flecsim::rtlbridge::test {
namespace {

regress::MemTiming one_cycle() {
  regress::MemTiming t;
  t.min_latency = t.max_latency = 1;
  return t;
}

TEST(SystolicRtlRegs, IdentityAndArguments) {
  RtlBench bench(16, one_cycle());
  EXPECT_EQ(bench.rtl->read_reg(kRegId), kId);
  EXPECT_EQ(bench.rtl->read_reg(kRegCaps), 16u | 8u << 16 | 16u << 24);
  EXPECT_EQ(bench.rtl->read_reg(kRegSpRows), 1024u | 256u << 16);
  bench.rtl->write_reg(kRegArg2, 0xCAFEF00D);
  EXPECT_EQ(bench.rtl->read_reg(kRegArg2), 0xCAFEF00Du);
  EXPECT_EQ(bench.rtl->read_reg(kRegStatus), 0u);
  EXPECT_EQ(bench.rtl->read_reg(0x40), 0u);
  EXPECT_EQ(bench.rtl->cycle(), 7u);  // one cycle per access
}

TEST(SystolicRtlRegs, StatusBusyAndFifoCount) {
  RtlBench bench(4, one_cycle());
  bench.command(kOpCompute, 0, 0, 50, 0);  // 58 cycles
  bench.rtl->write_reg(kRegCmd, kOpFence);
  bench.rtl->write_reg(kRegCmd, kOpFence);
  EXPECT_EQ(bench.rtl->read_reg(kRegStatus), 1u | 2u << 8);
  bench.finish();
  EXPECT_EQ(bench.rtl->read_reg(kRegStatus), 0u);
  EXPECT_EQ(bench.rtl->read_reg(kRegDoneCount), 3u);
}

TEST(SystolicRtlRegs, DoneInterruptSetAndClear) {
  RtlBench bench(4, one_cycle());
  bench.rtl->write_reg(kRegIrqEnable, kIrqDone);
  bench.command(kOpFence | kCmdIrqOnDone);
  EXPECT_FALSE(bench.rtl->irq());
  bench.finish();
  const uint64_t end = bench.last().end_cycle;
  EXPECT_EQ(bench.rtl->cycle(), end + 1);
  EXPECT_TRUE(bench.rtl->irq());
  EXPECT_EQ(bench.rtl->read_reg(kRegIrqStatus), kIrqDone);
  bench.rtl->write_reg(kRegIrqStatus, kIrqDone);
  EXPECT_FALSE(bench.rtl->irq());
  EXPECT_EQ(bench.rtl->read_reg(kRegIrqStatus), 0u);
}

struct ErrorCase {
  const char* what;
  uint32_t word, a0, a1, a2, a3;
  uint32_t code;
};

TEST(SystolicRtlErrors, EachCodeSetsErrorAndInterrupt) {
  const ErrorCase cases[] = {
      {"opcode 0x09", 0x09, 0, 0, 0, 0, kErrIllegalOpcode},
      {"opcode 0", 0x00, 0, 0, 0, 0, kErrIllegalOpcode},
      {"LOOP_MATMUL K = N = M = 0", kOpLoopMatmul, 0, 0, 0, 0, kErrBadArg},
      {"LOOP_CONV all fields 0", kOpLoopConv, 0, 0, 0, 0, kErrBadArg},
      {"opcode 0xF1 (internal FILL)", 0xF1, 0, 0, 0, 0, kErrIllegalOpcode},
      {"PRELOAD past SP end", kOpPreload, 253, 0, 0, 0, kErrAddrRange},
      {"MVIN past ACC end", kOpMvin, 0, 4, 120 | 1u << 16, 9 | 4u << 16, kErrAddrRange},
      {"MVOUT cols > DIM", kOpMvout, 0, 4, 0, 1 | 5u << 16, kErrBadArg},
      {"MVIN zero rows", kOpMvin, 0, 4, 0, 0 | 4u << 16, kErrBadArg},
      {"COMPUTE M = 0", kOpCompute, 0, 0, 0, 0, kErrBadArg},
      {"COMPUTE past ACC end", kOpCompute, 0, 127, 2, 0, kErrAddrRange},
      {"CONFIG dataflow 3", kOpConfig, config_word(3, 0, 0, 0, 0, 0), 1, 0, 0, kErrBadConfig},
      {"CONFIG precision 3", kOpConfig, config_word(0, 3, 0, 0, 0, 0), 1, 0, 0, kErrBadConfig},
      {"CONFIG activation 3", kOpConfig, config_word(0, 0, 3, 0, 0, 0), 1, 0, 0, kErrBadConfig},
      {"CONFIG shift 63", kOpConfig, config_word(0, 0, 0, 63, 0, 0), 1, 0, 0, kErrBadConfig},
  };
  for (const ErrorCase& c : cases) {
    RtlBench bench(4, one_cycle());
    bench.rtl->write_reg(kRegIrqEnable, kIrqError);
    bench.command(kOpFence);
    const uint64_t p = bench.command(c.word, c.a0, c.a1, c.a2, c.a3);
    bench.finish();
    const CommandCompletion& done = bench.last();
    EXPECT_EQ(done.error, c.code) << c.what;
    EXPECT_EQ(done.seq, 1u) << c.what;
    EXPECT_EQ(done.start_cycle, p + 1) << c.what;
    EXPECT_EQ(done.end_cycle, p + 2) << c.what;  // rejected: S + 1
    EXPECT_TRUE(bench.rtl->irq()) << c.what;
    EXPECT_EQ(bench.rtl->read_reg(kRegError), 1u << 16 | c.code) << c.what;
    EXPECT_EQ(bench.rtl->read_reg(kRegStatus), kStatusError | kStatusIrq) << c.what;
    bench.rtl->write_reg(kRegError, 0);
    bench.rtl->write_reg(kRegIrqStatus, kIrqError);
    EXPECT_EQ(bench.rtl->read_reg(kRegError), 0u) << c.what;
    EXPECT_FALSE(bench.rtl->irq()) << c.what;
  }
}

TEST(SystolicRtlErrors, FirstErrorIsKeptAndEngineContinues) {
  RtlBench bench(4, one_cycle());
  bench.command(0x77);              // seq 0: illegal
  bench.command(kOpPreload, 1000);  // seq 1: address range
  bench.command(kOpConfig, 0, 5);   // seq 2: fine
  bench.finish();
  EXPECT_EQ(bench.rtl->read_reg(kRegError), 0u << 16 | kErrIllegalOpcode);
  const auto& d = bench.rtl->completions();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[1].error, kErrAddrRange);
  EXPECT_EQ(d[2].error, 0u);
}

TEST(SystolicRtlErrors, FifoOverflowDropsCommand) {
  RtlBench bench(4, one_cycle());
  bench.command(kOpCompute, 0, 0, 100, 0);                              // seq 0 runs 108 cycles
  for (int i = 0; i < 9; ++i) bench.rtl->write_reg(kRegCmd, kOpFence);  // seq 1..9
  EXPECT_EQ(bench.rtl->read_reg(kRegError), 9u << 16 | kErrFifoOverflow);
  bench.finish();
  EXPECT_EQ(bench.rtl->completions().size(), 9u);
  EXPECT_EQ(bench.last().seq, 8u);
}

TEST(SystolicRtlErrors, MemoryErrorKeepsTiming) {
  RtlBench bench(4, one_cycle(), 4096);
  const uint64_t p = bench.mvin(4090, 4, 0, false, 2, 4);  // row 0 straddles the end
  bench.finish();
  const CommandCompletion& d = bench.last();
  EXPECT_EQ(d.error, kErrMemError);
  EXPECT_EQ(d.end_cycle, p + 1 + 4);  // beats accepted S+1, S+2, responses S+2, S+3: C = S+4
  EXPECT_EQ(bench.rtl->read_reg(kRegError), kErrMemError);
}

}  // namespace
}  // namespace flecsim::rtlbridge::test
