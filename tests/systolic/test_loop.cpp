// LOOP_MATMUL / LOOP_CONV on the C++ model (docs/accelerators/systolic.md section 10): the
// results against plain convolution / matrix arithmetic, the exact completion cycle of a
// small expansion, and the argument errors. (The RTL agrees cycle for cycle: rtl-regress.)
#include <gtest/gtest.h>

#include <cstring>

#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_loop.h"
#include "accel/systolic/systolic_spec.h"

using namespace flecsim;
using namespace flecsim::regress;
using namespace flecsim::systolic;

namespace {

constexpr uint32_t kX = 0x0000, kW = 0x1000, kY = 0x2000, kBias = 0x4000, kMult = 0x4400,
                   kShift = 0x4800;

struct Conv {
  uint32_t h, w, cg, mg, oh, ow, kh, kw, sh, sw, pt, pl, dh, dw, groups;
  int8_t pad;
};

class LoopTest : public ::testing::Test {
 protected:
  LoopTest() : dut(AccelGeometry{4, 4, 0, 0, 16}) {
    std::vector<uint8_t> img(0x5000);
    for (size_t i = 0; i < img.size(); ++i) img[i] = uint8_t(i * 37 + 11 + (i >> 7));
    dut.reset(MemTiming{3, 1, 4, 30}, img);
  }
  int8_t at(uint32_t addr) const { return int8_t(dut.image()[addr]); }
  int32_t word(uint32_t addr) const {
    int32_t v;
    std::memcpy(&v, &dut.image()[addr], 4);
    return v;
  }
  void loop(uint32_t op, const uint32_t (&a)[kCommandArgCount]) {
    for (uint32_t i = 0; i < 4; ++i) dut.write_reg(kRegArg0 + 4 * i, a[i]);
    for (uint32_t i = 0; i < kLoopArgCount; ++i) dut.write_reg(kRegLoopArg0 + 4 * i, a[4 + i]);
    dut.write_reg(kRegCmd, op);
  }
  // NHWC input, HWIO weights (row stride G*MG), raw int32 NHWC output, bias.
  void conv(const Conv& c, uint32_t flags) {
    uint32_t ct = c.groups * c.cg, nt = c.groups * c.mg;
    LoopParams lp;
    lp.x = kX, lp.w = kW, lp.y = kY, lp.bias = kBias, lp.mult = kMult, lp.shift = kShift;
    lp.h = c.h, lp.wd = c.w, lp.cg = c.cg, lp.mg = c.mg, lp.oh = c.oh, lp.ow = c.ow;
    lp.kh = c.kh, lp.kw = c.kw, lp.sh = c.sh, lp.sw = c.sw, lp.pt = c.pt, lp.pl = c.pl;
    lp.dh = c.dh, lp.dw = c.dw, lp.groups = c.groups, lp.pad = uint8_t(c.pad);
    lp.bias_en = flags & kLoopBias, lp.raw = flags & kLoopRaw;
    lp.x_pix = ct, lp.x_row = c.w * ct, lp.w_chan = nt, lp.w_tap = c.cg * nt;
    lp.y_pix = 4 * nt, lp.y_chan = 4;
    uint32_t a[kCommandArgCount];
    encode_loop(lp, a);
    loop(kOpLoopConv, a);
  }
  // The convolution computed directly from the memory image.
  int32_t reference(const Conv& c, uint32_t oy, uint32_t ox, uint32_t n) const {
    uint32_t ct = c.groups * c.cg, nt = c.groups * c.mg, g = n / c.mg;
    int32_t sum = word(kBias + 4 * n);
    for (uint32_t ky = 0; ky < c.kh; ++ky)
      for (uint32_t kx = 0; kx < c.kw; ++kx)
        for (uint32_t ci = 0; ci < c.cg; ++ci) {
          int64_t iy = int64_t(oy) * c.sh - c.pt + ky * c.dh;
          int64_t ix = int64_t(ox) * c.sw - c.pl + kx * c.dw;
          bool in = iy >= 0 && iy < c.h && ix >= 0 && ix < c.w;
          int8_t xv = in ? at(uint32_t((iy * c.w + ix) * ct + g * c.cg + ci)) : c.pad;
          sum += xv * at(kW + ((ky * c.kw + kx) * c.cg + ci) * nt + n);
        }
    return sum;
  }
  void expect_conv(const Conv& c) {
    dut.run_until_idle(10000000);
    ASSERT_EQ(dut.completions().size(), 1u);
    EXPECT_EQ(dut.completions()[0].error, 0u);
    uint32_t nt = c.groups * c.mg;
    for (uint32_t oy = 0; oy < c.oh; ++oy)
      for (uint32_t ox = 0; ox < c.ow; ++ox)
        for (uint32_t n = 0; n < nt; ++n)
          ASSERT_EQ(word(kY + 4 * ((oy * c.ow + ox) * nt + n)), reference(c, oy, ox, n))
              << "oy " << oy << " ox " << ox << " n " << n;
  }
  SystolicTlmDut dut;
};

TEST_F(LoopTest, ConvWithPaddingStrideAndEdgeTiles) {
  Conv c{7, 6, 5, 6, 4, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, -3};
  conv(c, kLoopBias | kLoopRaw);
  expect_conv(c);
}

TEST_F(LoopTest, ConvWithDilationGroupsAndMorePaddingThanInput) {
  Conv c{5, 5, 3, 2, 6, 7, 2, 3, 1, 1, 2, 2, 2, 2, 2, 17};
  conv(c, kLoopBias | kLoopRaw);
  expect_conv(c);
}

TEST_F(LoopTest, DepthwiseConv) {
  Conv c{6, 6, 1, 1, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 7, 0};
  conv(c, kLoopBias | kLoopRaw);
  expect_conv(c);
}

TEST_F(LoopTest, RowWiderThanATileIsSplit) {
  // DIM 4: tiles of min(128-2, 256-4) = 126 pixels; a 130-wide row with padding at both ends.
  Conv c{1, 130, 2, 3, 1, 130, 1, 3, 1, 1, 0, 1, 1, 1, 1, 5};
  conv(c, kLoopBias | kLoopRaw);
  expect_conv(c);
}

TEST_F(LoopTest, PerChannelRequantisation) {
  // Matmul 5x6 x 6x3 with bias, CONFIG ReLU; multiplier/shift per output column.
  dut.write_reg(kRegArg0, config_word(0, 0, kActRelu, 0, 127, 0));
  dut.write_reg(kRegCmd, kOpConfig);
  uint32_t a[kCommandArgCount] = {
      kX, kW, kY, kBias, 0, 6 | 3u << 16, 5u << 16, 0, 0, kLoopBias | kLoopPerChannel, 6,
      0,  3,  0,  3,     1, kMult,        kShift};
  loop(kOpLoopMatmul, a);
  dut.run_until_idle(1000000);
  ASSERT_EQ(dut.completions().back().error, 0u);
  for (uint32_t m = 0; m < 5; ++m)
    for (uint32_t n = 0; n < 3; ++n) {
      int32_t acc = word(kBias + 4 * n);
      for (uint32_t k = 0; k < 6; ++k) acc += at(kX + m * 6 + k) * at(kW + k * 3 + n);
      int64_t p = int64_t(acc) * word(kMult + 4 * n);
      uint32_t s = std::min<uint32_t>(uint32_t(word(kShift + 4 * n)) & 63, 62);
      int64_t q = s ? (p + (int64_t(1) << (s - 1))) >> s : p;
      q = std::clamp<int64_t>(q, 0, 127);
      EXPECT_EQ(at(kY + m * 3 + n), int8_t(q)) << m << "," << n;
    }
}

TEST(LoopTiming, MatmulIsItsMicroCommandsBackToBack) {
  SystolicTlmDut dut(AccelGeometry{4, 4, 0, 0, 16});
  dut.reset(MemTiming{}, std::vector<uint8_t>(4096, 1));
  uint32_t a[kCommandArgCount] = {0,        64, 128, 0, 0, 4 | 4u << 16, 4u << 16, 0, 0,
                                  kLoopRaw, 4,  0,   4, 0, 16,           4,        0, 0};
  for (uint32_t i = 0; i < 4; ++i) dut.write_reg(kRegArg0 + 4 * i, a[i]);
  for (uint32_t i = 0; i < kLoopArgCount; ++i) dut.write_reg(kRegLoopArg0 + 4 * i, a[4 + i]);
  dut.write_reg(kRegCmd, kOpLoopMatmul);  // cycle 18: S = 19
  // MVIN B (4 beats) 20..26, PRELOAD 27..32, MVIN A 33..39, COMPUTE 40..52, MVOUT 53..59.
  dut.run_until_idle(100000);
  ASSERT_EQ(dut.completions().size(), 1u);
  EXPECT_EQ(dut.completions()[0].start_cycle, 19u);
  EXPECT_EQ(dut.completions()[0].end_cycle, 59u);
  for (uint32_t i = 0; i < 16; ++i) {
    int32_t v;
    std::memcpy(&v, &dut.image()[128 + 4 * i], 4);
    EXPECT_EQ(v, 4);
  }
  EXPECT_EQ(dut.read_reg(kRegDoneCount), 1u);
}

TEST(LoopErrors, ZeroFieldsAndPerChannelWithRawAreBadArg) {
  SystolicTlmDut dut(AccelGeometry{4, 4, 0, 0, 16});
  dut.reset(MemTiming{}, std::vector<uint8_t>(4096, 1));
  dut.write_reg(kRegCmd, kOpLoopConv);  // every field 0
  dut.write_reg(kRegLoopArg0 + 4, 1 | 1u << 16);
  dut.write_reg(kRegLoopArg0 + 8, 1u << 16);
  dut.write_reg(kRegLoopArg0 + 20, kLoopPerChannel | kLoopRaw);
  dut.write_reg(kRegCmd, kOpLoopMatmul);  // K = N = M = 1 but PERCH and RAW
  dut.run_until_idle(1000);
  ASSERT_EQ(dut.completions().size(), 2u);
  for (const auto& c : dut.completions()) {
    EXPECT_EQ(c.error, kErrBadArg);
    EXPECT_EQ(c.end_cycle, c.start_cycle + 1);
  }
  EXPECT_EQ(dut.read_reg(kRegLoopArg0 + 20), kLoopPerChannel | kLoopRaw);
}

}  // namespace
