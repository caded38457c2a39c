// The Verilated systolic array against the spec: data of a WS int8 GEMM, requantisation, zero
// padding, multi-beat rows, exact completion cycles with fixed and seeded memory timing.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "systolic_rtl_harness.h"

namespace flecsim::rtlbridge::test {
namespace {

regress::MemTiming fixed_latency(uint32_t latency) {
  regress::MemTiming t;
  t.min_latency = t.max_latency = latency;
  return t;
}

// Loads A (m x dim) and B (dim x dim) as random int8, runs MVIN, MVIN, PRELOAD, COMPUTE,
// MVOUT raw, and checks C = A*B and every completion cycle against the spec's formulas.
void run_gemm(uint32_t dim, uint32_t m, const regress::MemTiming& timing) {
  RtlBench bench(dim, timing);
  std::mt19937 rng(dim * 100 + m);
  std::vector<int8_t> a(m * dim), b(dim * dim);
  for (auto& v : a) v = int8_t(rng());
  for (auto& v : b) v = int8_t(rng());
  const uint32_t a_addr = 0x1000, b_addr = 0x2000, c_addr = 0x4000, c_stride = dim * 4 + 8;
  for (uint32_t r = 0; r < m; ++r)
    std::memcpy(&bench.image[a_addr + r * (dim + 3)], &a[r * dim], dim);
  std::memcpy(&bench.image[b_addr], b.data(), b.size());

  // The shadow memory replays the same timing to predict accept/response cycles.
  std::vector<uint8_t> scratch(bench.image.size());
  regress::TimedMemory shadow(timing, &scratch);
  std::vector<uint64_t> push;
  push.push_back(bench.mvin(a_addr, dim + 3, 0, false, m, dim));
  push.push_back(bench.mvin(b_addr, dim, 200, false, dim, dim));
  push.push_back(bench.command(kOpPreload, 200));
  push.push_back(bench.command(kOpCompute, 0, 3, m, 0));
  push.push_back(bench.mvout(c_addr, c_stride, 3, true, m, dim));
  bench.finish();

  const auto& done = bench.rtl->completions();
  ASSERT_EQ(done.size(), 5u);
  const uint32_t beats_in[2] = {m * ((dim + 15) / 16), dim * ((dim + 15) / 16)};
  const uint32_t beats_out = m * ((dim * 4 + 15) / 16);
  uint64_t prev_end = 0;
  for (size_t j = 0; j < done.size(); ++j) {
    const uint64_t s = j == 0 ? push[j] + 1 : std::max(push[j] + 1, prev_end + 1);
    uint64_t expect = 0;
    if (j < 2 || j == 4) {  // MVIN/MVOUT: walk the beats through the shadow memory
      const uint32_t n = j < 2 ? beats_in[j] : beats_out;
      uint64_t valid = s + 1;
      for (uint32_t k = 0; k < n; ++k) {
        uint8_t buf[16];
        MemResult r = shadow.read(valid, 0, buf, 1);
        valid = r.accept_cycle + 1;
        expect = r.response_cycle + 1;
      }
    } else if (j == 2) {
      expect = s + dim + 1;
    } else {
      expect = s + m + 2 * dim;
    }
    EXPECT_EQ(done[j].seq, j);
    EXPECT_EQ(done[j].start_cycle, s) << "command " << j;
    EXPECT_EQ(done[j].end_cycle, expect) << "command " << j;
    EXPECT_EQ(done[j].error, 0u);
    prev_end = done[j].end_cycle;
  }
  for (uint32_t r = 0; r < m; ++r)
    for (uint32_t c = 0; c < dim; ++c) {
      int32_t sum = 0;
      for (uint32_t k = 0; k < dim; ++k) sum += a[r * dim + k] * b[k * dim + c];
      ASSERT_EQ(bench.i32(c_addr + r * c_stride + c * 4), sum) << "row " << r << " col " << c;
    }
}

TEST(SystolicRtl, GemmFixedLatencyExactCycles4x4) {
  run_gemm(4, 6, fixed_latency(3));
}

TEST(SystolicRtl, GemmCyclesByHand4x4) {
  // The same stream as above, cycles written out from the spec's table (latency 3, no stall):
  // MVIN 6 beats: C = S+10; MVIN 4 beats: C = S+8; PRELOAD: S+5; COMPUTE M=6: S+14; MVOUT: S+10.
  RtlBench bench(4, fixed_latency(3));
  const uint64_t p0 = bench.mvin(0x1000, 7, 0, false, 6, 4);
  bench.mvin(0x2000, 4, 200, false, 4, 4);
  bench.command(kOpPreload, 200);
  bench.command(kOpCompute, 0, 3, 6, 0);
  bench.mvout(0x4000, 24, 3, true, 6, 4);
  bench.finish();
  std::vector<uint64_t> ends;
  for (const auto& c : bench.rtl->completions()) ends.push_back(c.end_cycle - p0);
  EXPECT_EQ(ends, (std::vector<uint64_t>{11, 20, 26, 41, 52}));
}

TEST(SystolicRtl, GemmBackPressure8x8) {
  regress::MemTiming t;
  t.seed = 99;
  t.min_latency = 1;
  t.max_latency = 20;
  t.stall_percent = 40;
  run_gemm(8, 13, t);
}

TEST(SystolicRtl, GemmMultiBeatRows32x32) {
  regress::MemTiming t;
  t.seed = 5;
  t.min_latency = 2;
  t.max_latency = 9;
  t.stall_percent = 20;
  run_gemm(32, 40, t);
}

TEST(SystolicRtl, AccumulateAddsToAccumulator) {
  RtlBench bench(4, fixed_latency(1));
  const int32_t init[4] = {1000, -1000, 7, 0};
  std::memcpy(&bench.image[0x100], init, 16);
  const int8_t ab[8] = {1, 2, 3, 4, 0, 0, 0, 0};  // A row; B = identity below
  std::memcpy(&bench.image[0x200], ab, 4);
  for (int i = 0; i < 4; ++i) bench.image[0x300 + i * 4 + i] = 1;
  bench.mvin(0x100, 16, 5, true, 1, 4);
  bench.mvin(0x200, 4, 0, false, 1, 4);
  bench.mvin(0x300, 4, 10, false, 4, 4);
  bench.command(kOpPreload, 10);
  bench.command(kOpCompute, 0, 5, 1, 1);
  bench.mvout(0x400, 16, 5, true, 1, 4);
  bench.finish();
  EXPECT_EQ(bench.i32(0x400), 1001);
  EXPECT_EQ(bench.i32(0x404), -998);
  EXPECT_EQ(bench.i32(0x408), 10);
  EXPECT_EQ(bench.i32(0x40C), 4);
}

// ACC rows loaded as int32, written back requantised: rounding half up, saturation, ReLU6.
TEST(SystolicRtl, RequantRoundingSaturationActivations) {
  RtlBench bench(4, fixed_latency(2));
  bench.image[0x20F] = 0x5A;
  const int32_t rows[3][4] = {{-300, 5, 100, 1000}, {2, -2, -6, 7}, {100, -5, 3, 24}};
  std::memcpy(&bench.image[0x100], rows, sizeof rows);
  bench.mvin(0x100, 16, 0, true, 3, 4);
  bench.command(kOpConfig, config_word(0, 0, kActNone, 2, 6, 0), 3);
  bench.mvout(0x200, 4, 0, false, 1, 4);
  bench.command(kOpConfig, config_word(0, 0, kActNone, 2, 6, 0), 1);
  bench.mvout(0x204, 4, 1, false, 1, 4);
  bench.command(kOpConfig, config_word(0, 0, kActRelu6, 2, 6, 0), 1);
  bench.mvout(0x208, 4, 2, false, 1, 4);
  bench.command(kOpConfig, config_word(0, 0, kActRelu, 0, 6, 0), 1);
  bench.mvout(0x20C, 4, 0, false, 1, 3);  // cols 3: the 4th byte stays untouched
  bench.finish();
  const int8_t expect[16] = {-128, 4, 75, 127, 1, 0, -1, 2, 6, 0, 1, 6, 0, 5, 100, 0x5A};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(int8_t(bench.image[0x200 + i]), expect[i]) << i;
  for (const auto& c : bench.rtl->completions()) EXPECT_EQ(c.error, 0u);
}

TEST(SystolicRtl, MvinZeroPadsAndSplitsBeats) {
  RtlBench bench(8, fixed_latency(4));
  for (int i = 0; i < 32; ++i) bench.image[0x100 + i] = uint8_t(0x11 + i);
  bench.mvin(0x100, 32, 3, true, 1, 8);  // 32 bytes: 2 beats
  bench.mvin(0x100, 32, 3, true, 1, 5);  // 20 bytes: 16 + 4, elements 5..7 become 0
  bench.mvout(0x300, 32, 3, true, 1, 8);
  bench.finish();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(bench.image[0x300 + i], 0x11 + i) << i;
  for (int i = 20; i < 32; ++i) EXPECT_EQ(bench.image[0x300 + i], 0) << i;
  // MVIN of 2 beats at latency 4: beats accepted in S+1, S+2, responses S+5, S+6: C = S+7.
  const auto& d = bench.rtl->completions();
  EXPECT_EQ(d[0].end_cycle - d[0].start_cycle, 7u);
  EXPECT_EQ(d[1].end_cycle - d[1].start_cycle, 7u);
}

TEST(SystolicRtl, VcdDumpHasSignals) {
  const std::string path = std::string(FLECSIM_BINARY_DIR) + "/systolic_rtl_test.vcd";
  std::remove(path.c_str());
  {
    RtlBench bench(4, fixed_latency(1), 4096, path);
    bench.mvin(0, 4, 0, false, 2, 4);
    bench.finish();
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("mem_req_valid"), std::string::npos);
  EXPECT_NE(text.str().find("$enddefinitions"), std::string::npos);
}

}  // namespace
}  // namespace flecsim::rtlbridge::test
