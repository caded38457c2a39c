// Dataflows, precisions and max-pooling of the systolic array (docs/accelerators/systolic.md
// sections 2, 4, 7) with hand-computed values, on the C++ model and, when it is built, on the
// Verilated RTL: the same test body for both, so each is held to the spec's numbers directly.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_loop.h"
#include "accel/systolic/systolic_spec.h"
#ifdef FLECSIM_WITH_RTLBRIDGE
#include "rtlbridge/systolic_rtl_regress.h"
#endif

using namespace flecsim;
using namespace flecsim::regress;
using namespace flecsim::systolic;

namespace {

constexpr uint32_t kDim = 4;

uint32_t rc(uint32_t rows, uint32_t cols) {
  return rows | cols << 16;
}

class ModesTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    AccelGeometry g{kDim, kDim, 0, 0, 16};
#ifdef FLECSIM_WITH_RTLBRIDGE
    if (GetParam() == "rtl") dut = rtlbridge::make_systolic_rtl_under_test(g);
#endif
    if (GetParam() == "tlm") dut = std::make_unique<SystolicTlmDut>(g);
    if (!dut) GTEST_SKIP() << "no Verilated RTL in this build";
    img.assign(4096, 0);
  }
  template <class T>
  void put(uint32_t addr, std::initializer_list<T> values) {
    for (T v : values) std::memcpy(&img[addr], &v, sizeof(T)), addr += sizeof(T);
  }
  template <class T>
  T get(uint32_t addr) const {
    T v;
    std::memcpy(&v, &dut->image()[addr], sizeof(T));
    return v;
  }
  void start() {
    dut->reset(MemTiming{}, img);
  }
  void cmd(uint32_t word, std::vector<uint32_t> args) {
    for (size_t i = 0; i < args.size(); ++i) dut->write_reg(kRegArg0 + 4 * uint32_t(i), args[i]);
    dut->write_reg(kRegCmd, word);
  }
  // Runs to idle; every command must have succeeded.
  std::vector<CommandCompletion> finish() {
    dut->run_until_idle(100000);
    auto c = dut->completions();
    for (const auto& x : c) EXPECT_EQ(x.error, 0u) << opcode_name(x.opcode);
    return c;
  }
  std::unique_ptr<AccelUnderTest> dut;
  std::vector<uint8_t> img;
};

TEST_P(ModesTest, MaxPoolTakesTheMaximumOfConvertedRows) {
  // ACC rows 0..3 (raw int32): column 0 holds -7, 3, -20, 5; column 1 the multiplier's
  // sign flips the order, so pooling after requantisation differs from pooling the sums.
  put<int32_t>(0, {-7, 40, 0, 1, 3, -10, 0, 2, -20, 12, 0, 3, 5, -1, 0, 4});
  start();
  cmd(kOpMvin, {0, 16, 1u << 16, rc(4, 4)});
  cmd(kOpConfig, {config_word(0, 0, kActNone, 1, 0, kPool4), uint32_t(-1)});
  cmd(kOpMvout, {100, 4, 0, rc(1, 4)});          // int8: max over -(x)/2 rounded
  cmd(kOpMvout, {200, 16, 1u << 16, rc(1, 4)});  // raw: max of the int32 values
  cmd(kOpConfig, {config_word(0, 0, kActRelu, 0, 0, kPool2), 1});
  cmd(kOpMvout, {300, 4, 0, rc(2, 4)});  // rows {0,1} and {2,3}
  finish();
  EXPECT_EQ(int8_t(get<uint8_t>(100)), 10);  // -(-20)/2
  EXPECT_EQ(int8_t(get<uint8_t>(101)), 5);   // (10 + 1) >> 1 of -(-10)
  EXPECT_EQ(int8_t(get<uint8_t>(102)), 0);
  EXPECT_EQ(int8_t(get<uint8_t>(103)), 0);  // -1/2 rounds half up to 0
  EXPECT_EQ(get<int32_t>(200), 5);
  EXPECT_EQ(get<int32_t>(204), 40);
  EXPECT_EQ(get<int32_t>(212), 4);
  EXPECT_EQ(int8_t(get<uint8_t>(300)), 3);
  EXPECT_EQ(int8_t(get<uint8_t>(301)), 40);
  EXPECT_EQ(int8_t(get<uint8_t>(304)), 5);
  EXPECT_EQ(int8_t(get<uint8_t>(305)), 12);
}

TEST_P(ModesTest, MaxPoolRowRangeIsCheckedAgainstPooledRows) {
  start();
  cmd(kOpConfig, {config_word(0, 0, 0, 0, 0, kPool9), 1});
  cmd(kOpMvout, {0, 4, 120, rc(1, 4)});  // rows 120..128: past ACC_ROWS = 128
  cmd(kOpMvout, {0, 4, 119, rc(1, 4)});
  dut->run_until_idle(10000);
  auto c = dut->completions();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[1].error, kErrAddrRange);
  EXPECT_EQ(c[2].error, 0u);
}

// int16 operands: A (4x4) and B (4x4) as two SP rows per element row; C = A*B exactly.
TEST_P(ModesTest, Int16GemmUsesTwoSpRowsPerElementRow) {
  int16_t a[16], b[16];
  for (int i = 0; i < 16; ++i)
    a[i] = int16_t(3000 * (i % 5) - 7000), b[i] = int16_t(-1234 + 999 * i);
  std::memcpy(&img[0], a, 32);
  std::memcpy(&img[64], b, 32);
  start();
  cmd(kOpConfig, {config_word(0, kPrecInt16, 0, 0, 0, 0), 1});
  cmd(kOpMvin, {0, 8, 0, rc(4, 4)});   // SP rows 0..7
  cmd(kOpMvin, {64, 8, 8, rc(4, 4)});  // SP rows 8..15
  cmd(kOpPreload, {8});
  cmd(kOpCompute, {0, 0, 4, 0});
  cmd(kOpMvout, {256, 16, 1u << 16, rc(4, 4)});
  cmd(kOpConfig, {config_word(0, kPrecInt16, 0, 10, 0, 0), 1});
  cmd(kOpMvout, {512, 8, 0, rc(4, 4)});
  auto c = finish();
  for (int m = 0; m < 4; ++m)
    for (int j = 0; j < 4; ++j) {
      int64_t sum = 0;
      for (int i = 0; i < 4; ++i) sum += int32_t(a[m * 4 + i]) * b[i * 4 + j];
      EXPECT_EQ(get<int32_t>(256 + 16 * m + 4 * j), int32_t(uint32_t(sum))) << m << j;
      int64_t q = std::clamp<int64_t>((int64_t(int32_t(uint32_t(sum))) + 512) >> 10, -32768, 32767);
      EXPECT_EQ(get<int16_t>(512 + 8 * m + 2 * j), q) << m << j;
    }
  EXPECT_EQ(c[3].end_cycle, c[3].start_cycle + kDim + 1);      // PRELOAD as int8
  EXPECT_EQ(c[4].end_cycle, c[4].start_cycle + 4 + 2 * kDim);  // COMPUTE as int8
}

TEST_P(ModesTest, OutputStationaryComputesATileInKPlus3DimMinus1Cycles) {
  // K = 6 steps: A^T rows at SP 0..5 (A is 4 x 6), B rows at SP 16..21 (6 x 4).
  for (int i = 0; i < 24; ++i)
    img[i] = uint8_t(int8_t(i * 7 - 80)), img[64 + i] = uint8_t(int8_t(50 - 9 * i));
  start();
  cmd(kOpConfig, {config_word(kDataflowOs, 0, 0, 0, 0, 0), 1});
  cmd(kOpMvin, {0, 4, 0, rc(6, 4)});
  cmd(kOpMvin, {64, 4, 16, rc(6, 4)});
  cmd(kOpMvin, {512, 16, 8 | 1u << 16, rc(4, 4)});  // ACC rows 8..11 <- zeros
  cmd(kOpCompute, {0, 8, 6, 1 | 16u << 16});        // accumulate onto them
  cmd(kOpMvout, {256, 16, 8 | 1u << 16, rc(4, 4)});
  auto c = finish();
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      int32_t sum = 0;
      for (int k = 0; k < 6; ++k) sum += int8_t(img[k * 4 + i]) * int8_t(img[64 + k * 4 + j]);
      EXPECT_EQ(get<int32_t>(256 + 16 * i + 4 * j), sum) << i << j;
    }
  EXPECT_EQ(c[4].end_cycle, c[4].start_cycle + 6 + 3 * kDim - 1);
}

// IS: PRELOAD A^T (the input tile stays), COMPUTE streams columns of B, ACC rows = columns of C.
TEST_P(ModesTest, InputStationaryWritesTheTransposedTile) {
  for (int i = 0; i < 16; ++i)
    img[i] = uint8_t(int8_t(5 * i - 33)), img[64 + i] = uint8_t(int8_t(90 - 11 * i));
  auto a = [&](int m, int k) { return int8_t(img[k * 4 + m]); };       // SP rows hold A^T
  auto b = [&](int k, int n) { return int8_t(img[64 + n * 4 + k]); };  // SP rows hold B^T
  start();
  cmd(kOpConfig, {config_word(kDataflowIs, 0, 0, 0, 0, 0), 1});
  cmd(kOpMvin, {0, 4, 0, rc(4, 4)});
  cmd(kOpMvin, {64, 4, 4, rc(4, 4)});
  cmd(kOpPreload, {0});
  cmd(kOpCompute, {4, 0, 4, 0});
  cmd(kOpMvout, {256, 16, 1u << 16, rc(4, 4)});
  auto c = finish();
  for (int n = 0; n < 4; ++n)
    for (int m = 0; m < 4; ++m) {
      int32_t sum = 0;
      for (int k = 0; k < 4; ++k) sum += a(m, k) * b(k, n);
      EXPECT_EQ(get<int32_t>(256 + 16 * n + 4 * m), sum) << n << m;
    }
  EXPECT_EQ(c[4].end_cycle, c[4].start_cycle + 4 + 2 * kDim);
}

TEST_P(ModesTest, OutputStationaryChecksBothOperandRanges) {
  start();
  cmd(kOpConfig, {config_word(kDataflowOs, kPrecBf16, 0, 0, 0, 0), 1});
  cmd(kOpCompute, {0, 0, 3, 251u << 16});  // B: rows 251..256 > SP_ROWS
  cmd(kOpCompute, {0, 125, 1, 0});         // C: 4 rows from 125 > ACC_ROWS
  cmd(kOpCompute, {0, 124, 1, 250u << 16});
  dut->run_until_idle(10000);
  auto c = dut->completions();
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[1].error, kErrAddrRange);
  EXPECT_EQ(c[2].error, kErrAddrRange);
  EXPECT_EQ(c[3].error, 0u);
}

// bf16: the mesh adds down a column from +0 in order, rounding to nearest even each time.
TEST_P(ModesTest, Bf16SumsRoundInMeshOrderAndFlushSubnormals) {
  const uint16_t one = 0x3F80, tiny = 0x3380 /* 2^-24 */, inf = 0x7F80;
  // A rows (elements 0..3): sums with B = column 0 all ones, column 1 (1, 2^-100, 0, 0),
  // column 2 all -1, column 3 (inf, 0, 0, 0).
  put<uint16_t>(0, {one, tiny, tiny, 0});  // row 0: 1 + 2^-24 + 2^-24 = 1 (ties even)
  put<uint16_t>(8, {tiny, tiny, one, 0});  // row 1: 2^-23 + 1 = 1 + 2^-23
  put<uint16_t>(16, {0x0D80 /* 2^-100 */, 0x0D80, 0, 0});  // row 2: 2^-100 * 2^-100 flushes
  put<uint16_t>(24, {0, 0, 0, 0x0040 /* subnormal */});    // row 3: zeros; inf * 0 = NaN
  put<uint16_t>(64, {one, one, 0xBF80, inf});
  put<uint16_t>(72, {one, 0x0D80, 0xBF80, 0});
  put<uint16_t>(80, {one, 0, 0xBF80, 0});
  put<uint16_t>(88, {one, 0, 0xBF80, 0});
  start();
  cmd(kOpConfig, {config_word(0, kPrecBf16, 0, 0, 0, 0), 1});
  cmd(kOpMvin, {0, 8, 0, rc(4, 4)});
  cmd(kOpMvin, {64, 8, 8, rc(4, 4)});
  cmd(kOpPreload, {8});
  cmd(kOpCompute, {0, 0, 4, 0});
  cmd(kOpMvout, {256, 16, 1u << 16, rc(4, 4)});
  finish();
  auto acc = [&](int m, int j) { return get<uint32_t>(256 + 16 * m + 4 * j); };
  EXPECT_EQ(acc(0, 0), 0x3F800000u);
  EXPECT_EQ(acc(1, 0), 0x3F800001u);
  EXPECT_EQ(acc(0, 2), 0xBF800000u);  // -1 - 2^-24 - 2^-24 rounds to -1
  EXPECT_EQ(acc(2, 1), 0x0D800000u);  // 2^-100 * 1 + 2^-100 * 2^-100 (flushed to 0)
  EXPECT_EQ(acc(3, 2), 0x00000000u);  // +0 + (0 * -1 = -0) + ... = +0
  EXPECT_EQ(acc(0, 3), 0x7F800000u);  // 1 * inf
  EXPECT_EQ(acc(3, 3), 0x7FC00000u);  // 0 * inf: canonical NaN
}

TEST_P(ModesTest, Bf16MvoutRoundsToNearestEvenAndAppliesRelu6) {
  put<uint32_t>(0, {0x3F808000u, 0x3F818000u, 0xC0400000u, 0x7FA00001u,    // ties, -3, NaN
                    0x41200000u, 0x00400000u, 0x80000000u, 0x3F7FFFFFu});  // 10, subn., -0, <1
  start();
  cmd(kOpMvin, {0, 16, 1u << 16, rc(2, 4)});
  cmd(kOpConfig, {config_word(0, kPrecBf16, kActNone, 0, 0, 0), 1});
  cmd(kOpMvout, {100, 8, 0, rc(2, 4)});
  cmd(kOpConfig, {config_word(0, kPrecBf16, kActRelu6, 0, 6, 0), 1});
  cmd(kOpMvout, {200, 8, 0, rc(2, 4)});
  cmd(kOpConfig, {config_word(0, kPrecBf16, kActNone, 0, 0, kPool2), 1});
  cmd(kOpMvout, {300, 8, 0, rc(1, 4)});  // max of the two rows by the total order
  finish();
  const uint16_t plain[] = {0x3F80, 0x3F82, 0xC040, 0x7FC0, 0x4120, 0x0000, 0x8000, 0x3F80};
  const uint16_t relu6[] = {0x3F80, 0x3F82, 0x0000, 0x40C0, 0x40C0, 0x0000, 0x0000, 0x3F80};
  const uint16_t pooled[] = {0x4120, 0x3F82, 0x8000, 0x7FC0};
  for (int e = 0; e < 8; ++e) EXPECT_EQ(get<uint16_t>(100 + 2 * e), plain[e]) << e;
  for (int e = 0; e < 8; ++e) EXPECT_EQ(get<uint16_t>(200 + 2 * e), relu6[e]) << e;
  for (int e = 0; e < 4; ++e) EXPECT_EQ(get<uint16_t>(300 + 2 * e), pooled[e]) << e;
}

// MVOUT ARG2[17] with int16 outputs and a 2-row pool: every element requantised with its
// column's multiplier/shift (ACC rows ACC_ROWS-2, -1), saturated to int16, then the maximum.
TEST_P(ModesTest, PerChannelRequantComposesWithInt16AndPooling) {
  put<int32_t>(0, {1000, 40000, 100000, -5, -3000, 10, 7, -9});  // ACC rows 0, 1
  put<int32_t>(64, {-1, 1, 1, 3});                               // multipliers
  put<int32_t>(96, {0, 1, 0, 2});                                // shifts
  start();
  cmd(kOpMvin, {0, 16, 1u << 16, rc(2, 4)});
  cmd(kOpMvin, {64, 16, 126 | 1u << 16, rc(1, 4)});  // ACC_ROWS = 128 at DIM 4
  cmd(kOpMvin, {96, 16, 127 | 1u << 16, rc(1, 4)});
  cmd(kOpConfig, {config_word(0, kPrecInt16, kActNone, 0, 0, kPool2), 1});
  cmd(kOpMvout, {200, 8, kMvoutPerChannel, rc(1, 4)});
  finish();
  EXPECT_EQ(get<int16_t>(200), 3000);   // max(-1000, 3000)
  EXPECT_EQ(get<int16_t>(202), 20000);  // max((40000 + 1) >> 1, (10 + 1) >> 1)
  EXPECT_EQ(get<int16_t>(204), 32767);  // 100000 saturated
  EXPECT_EQ(get<int16_t>(206), -4);     // max((-15 + 2) >> 2, (-27 + 2) >> 2)
}

// Spec section 10: a LOOP under int16, OS or a pool window is BAD_ARG in S+1 and writes
// nothing; the same LOOP under int8 / WS / no pooling computes 2 x 3.
TEST_P(ModesTest, LoopOutsideInt8WsWithoutPoolingIsBadArg) {
  put<int8_t>(0, {2});
  put<int8_t>(16, {3});
  start();
  LoopParams lp;  // a 1x1 convolution of one pixel and channel: X at 0, W at 16, Y at 32
  lp.w = 16, lp.y = 32, lp.h = lp.wd = lp.cg = lp.mg = lp.oh = lp.ow = 1;
  lp.kh = lp.kw = lp.sh = lp.sw = lp.dh = lp.dw = lp.groups = 1;
  lp.x_pix = lp.x_row = lp.w_chan = lp.w_tap = lp.y_pix = lp.y_chan = 1;
  uint32_t a[kCommandArgCount];
  encode_loop(lp, a);
  for (uint32_t i = 0; i < kLoopArgCount; ++i) dut->write_reg(kRegLoopArg0 + 4 * i, a[4 + i]);
  const uint32_t modes[] = {config_word(kDataflowWs, kPrecInt16, 0, 0, 0, kPoolOff),
                            config_word(kDataflowOs, kPrecInt8, 0, 0, 0, kPoolOff),
                            config_word(kDataflowWs, kPrecInt8, 0, 0, 0, kPool4),
                            config_word(kDataflowWs, kPrecInt8, 0, 0, 0, kPoolOff)};
  for (uint32_t mode : modes) {
    cmd(kOpConfig, {mode, 1});
    cmd(kOpLoopConv, {a[0], a[1], a[2], a[3]});
  }
  dut->run_until_idle(100000);
  const auto& c = dut->completions();
  ASSERT_EQ(c.size(), 8u);
  for (size_t i = 1; i < 7; i += 2) {
    EXPECT_EQ(c[i].error, kErrBadArg) << i;
    EXPECT_EQ(c[i].end_cycle, c[i].start_cycle + 1) << i;
  }
  EXPECT_EQ(c[7].error, 0u);
  EXPECT_EQ(get<int8_t>(32), 6);
}

// Spec section 5: a failed first beat writes nothing (no zero padding either); a successful
// one writes the row with zeros beyond cols.
TEST_P(ModesTest, MvinRowWithAFailedBeatKeepsItsOldContents) {
  put<int32_t>(0, {1, 2, 3, 4, 5, 6, 7, 8});
  put<int32_t>(64, {10, 20});
  start();
  cmd(kOpMvin, {0, 16, 1u << 16, rc(2, 4)});
  cmd(kOpMvin, {64, 4090 - 64, 1u << 16, rc(2, 2)});  // row 1 at 4090: past the 4096-byte image
  cmd(kOpMvout, {200, 16, 1u << 16, rc(2, 4)});
  dut->run_until_idle(10000);
  const auto& c = dut->completions();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[1].error, kErrMemError);
  const int32_t want[] = {10, 20, 0, 0, 5, 6, 7, 8};
  for (int e = 0; e < 8; ++e) EXPECT_EQ(get<int32_t>(200 + 4 * e), want[e]) << e;
}

INSTANTIATE_TEST_SUITE_P(Models, ModesTest, ::testing::Values("tlm", "rtl"),
                         [](const auto& info) { return info.param; });

}  // namespace
