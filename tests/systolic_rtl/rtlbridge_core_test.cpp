// What the platform bridge (sim/rtlbridge/systolic_rtl.cpp) relies on in SystolicRtlCore: irq
// edges with their cycles, and DMA requests decided ahead of their cycle without changing
// timing or data (sim/rtlbridge/README.md).
#include <gtest/gtest.h>

#include <random>

#include "systolic_rtl_harness.h"

namespace flecsim::rtlbridge::test {
namespace {

// Passes requests on and records, for each, the cycle it is dated and the RTL's cycle when the
// channel was asked.
class RecordingChannel : public MemoryChannel {
 public:
  RecordingChannel(MemoryChannel& inner, const SystolicRtlCore& rtl) : inner_(inner), rtl_(rtl) {}
  MemResult read(uint64_t earliest, uint64_t addr, uint8_t* dst, uint32_t len) override {
    asked.push_back({earliest, rtl_.cycle()});
    return inner_.read(earliest, addr, dst, len);
  }
  MemResult write(uint64_t earliest, uint64_t addr, const uint8_t* src, uint32_t len) override {
    asked.push_back({earliest, rtl_.cycle()});
    return inner_.write(earliest, addr, src, len);
  }
  std::vector<std::pair<uint64_t, uint64_t>> asked;

 private:
  MemoryChannel& inner_;
  const SystolicRtlCore& rtl_;
};

regress::MemTiming stalling_memory() {
  regress::MemTiming t;
  t.seed = 7;
  t.min_latency = 2;
  t.max_latency = 9;
  t.stall_percent = 30;
  return t;
}

// MVIN of 5 raw ACC rows (4 beats each at 16x16), then MVOUT of them elsewhere.
void queue_copy(RtlBench& bench) {
  std::mt19937 rng(3);
  for (uint32_t i = 0; i < 5 * 64; ++i) bench.image[0x100 + i] = uint8_t(rng());
  bench.mvin(0x100, 64, 2, true, 5, 16);
  bench.mvout(0x3000, 72, 2, true, 5, 16);
}

TEST(RtlBridgeCore, RequestsDecidedAheadKeepTimingAndData) {
  RtlBench plain(16, stalling_memory());
  queue_copy(plain);
  plain.finish();

  RtlBench ahead(16, stalling_memory());
  RecordingChannel recorder(*ahead.memory, *ahead.rtl);
  ahead.rtl->set_memory(&recorder);
  queue_copy(ahead);
  while (ahead.rtl->busy()) {
    ahead.rtl->decide_request();
    ahead.rtl->decide_request();  // idempotent while the request is presented
    ahead.rtl->idle(1);
  }
  ASSERT_EQ(ahead.rtl->completions().size(), 2u);
  for (size_t j = 0; j < 2; ++j) {
    EXPECT_EQ(ahead.rtl->completions()[j].start_cycle, plain.rtl->completions()[j].start_cycle);
    EXPECT_EQ(ahead.rtl->completions()[j].end_cycle, plain.rtl->completions()[j].end_cycle);
  }
  EXPECT_EQ(ahead.image, plain.image);
  for (uint32_t r = 0; r < 5; ++r)
    EXPECT_EQ(0, std::memcmp(&ahead.image[0x3000 + r * 72], &ahead.image[0x100 + r * 64], 64));
  ASSERT_EQ(recorder.asked.size(), 40u);  // 20 beats in, 20 out: each asked once
  for (const auto& [dated, asked_at] : recorder.asked) EXPECT_EQ(dated, asked_at);
}

TEST(RtlBridgeCore, FirstBeatDecidedBeforeItsCycleIsStepped) {
  RtlBench bench(16, stalling_memory());
  RecordingChannel recorder(*bench.memory, *bench.rtl);
  bench.rtl->set_memory(&recorder);
  const uint64_t p = bench.mvin(0x100, 64, 2, true, 1, 16);
  bench.rtl->advance_to(p + 2);  // the first beat is presented in S + 1 = P + 2
  EXPECT_TRUE(recorder.asked.empty());
  bench.rtl->decide_request();
  ASSERT_EQ(recorder.asked.size(), 1u);
  EXPECT_EQ(recorder.asked[0].first, p + 2);
  bench.rtl->idle(1);
  EXPECT_EQ(recorder.asked.size(), 1u);
  bench.finish();
  EXPECT_EQ(recorder.asked.size(), 4u);
}

TEST(RtlBridgeCore, IrqEdgesCarryTheCycleTheLineChanges) {
  RtlBench bench(4, stalling_memory());
  bench.rtl->write_reg(kRegIrqEnable, kIrqDone);
  bench.command(kOpFence | kCmdIrqOnDone);
  bench.finish();
  const uint64_t end = bench.last().end_cycle;
  ASSERT_EQ(bench.rtl->irq_edges().size(), 1u);
  EXPECT_EQ(bench.rtl->irq_edges()[0].cycle, end + 1);  // spec 7: the line rises in C + 1
  EXPECT_TRUE(bench.rtl->irq_edges()[0].level);
  bench.rtl->pop_irq_edge();
  bench.rtl->idle(3);
  const uint64_t w = bench.rtl->cycle();
  bench.rtl->write_reg(kRegIrqStatus, kIrqDone);  // W1C in cycle w
  ASSERT_EQ(bench.rtl->irq_edges().size(), 1u);
  EXPECT_EQ(bench.rtl->irq_edges()[0].cycle, w + 1);
  EXPECT_FALSE(bench.rtl->irq_edges()[0].level);
}

}  // namespace
}  // namespace flecsim::rtlbridge::test
