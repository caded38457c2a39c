// LOOP_MATMUL / LOOP_CONV commands for the systolic regression: random layer shapes (edge
// tiles, strides, padding, dilation, groups, depthwise, tiles that split an output row),
// operand layouts (NHWC/NCHW outputs, HWIO and [C*KH*KW][M] weights, padded strides), flags
// (bias, per-channel requantisation, raw output) and the argument errors; plus two directed
// streams. Sizes are kept small so a LOOP runs a few hundred micro-commands at most.
#include <algorithm>

#include "accel/regress/generator_parts.h"

namespace flecsim::regress::gen {

namespace {
using namespace systolic;

struct Layer {
  bool matmul = false;
  uint32_t h = 1, w = 1, cg = 1, mg = 1, oh = 1, ow = 1, kh = 1, kw = 1, sh = 1, sw = 1;
  uint32_t pt = 0, pl = 0, dh = 1, dw = 1, groups = 1, pad = 0;
  bool bias = false, per_channel = false, raw = false;
  bool nchw_out = false, chw_weights = false;
};

uint32_t ceil_div(uint32_t a, uint32_t b) {
  return (a + b - 1) / b;
}

// Micro-commands of the expansion, roughly (bounds the regression's run time).
uint32_t micro_estimate(const Layer& l, uint32_t dim) {
  uint32_t k_tiles = l.kh * l.kw * ceil_div(l.cg, dim);
  return l.groups * ceil_div(l.mg, dim) * (k_tiles * (3 + 2 * l.oh) + dim + 3);
}

uint32_t out_size(uint32_t in, uint32_t pad_a, uint32_t pad_b, uint32_t k, uint32_t s, uint32_t d) {
  int64_t span = int64_t(in) + pad_a + pad_b - int64_t(d) * (k - 1) - 1;
  return span < 0 ? 1 : uint32_t(span / s + 1);
}

Layer random_conv(Rng& r, const Shape& sh) {
  Layer l;
  if (r.chance(15)) {  // depthwise
    l.groups = r.range(1, 6);
  } else {
    l.groups = r.chance(75) ? 1 : r.range(2, 3);
    l.cg = r.range(1, sh.dim + 3);
    l.mg = r.range(1, sh.dim + 3);
  }
  l.kh = r.range(1, 3), l.kw = r.range(1, 3), l.sh = r.range(1, 3), l.sw = r.range(1, 3);
  l.dh = r.chance(25) ? 2 : 1, l.dw = r.chance(25) ? 2 : 1;
  l.pt = r.range(0, 2), l.pl = r.range(0, 2);
  l.h = r.range(1, 7), l.w = r.range(1, 7);
  l.oh = out_size(l.h, l.pt, r.range(0, 2), l.kh, l.sh, l.dh);
  l.ow = out_size(l.w, l.pl, r.range(0, 2), l.kw, l.sw, l.dw);
  if (r.chance(10)) l.oh = r.range(1, 6), l.ow = r.range(1, 9);  // more padding than input
  if (r.chance(4)) {                                             // a tile splits an output row
    l.oh = 1, l.ow = std::min(sh.acc - 2, sh.sp - sh.dim) + r.range(1, 5);
    l.kh = 1, l.groups = 1, l.cg = std::min(l.cg, sh.dim), l.mg = std::min(l.mg, sh.dim);
  }
  while (micro_estimate(l, sh.dim) > 400) {
    if (l.groups > 1)
      --l.groups;
    else if (l.kh > 1)
      --l.kh;
    else if (l.kw > 1)
      --l.kw;
    else if (l.oh > 1)
      --l.oh;
    else
      break;
  }
  return l;
}

Layer random_matmul(Rng& r, const Shape& sh) {
  Layer l;
  l.matmul = true;
  l.cg = r.range(1, 2 * sh.dim + 3);    // K
  l.mg = r.range(1, 2 * sh.dim + 3);    // N
  l.ow = l.w = r.range(1, 3 * sh.dim);  // M
  if (r.chance(8)) l.ow = l.w = std::min(sh.acc - 2, sh.sp - sh.dim) + r.range(0, 6);
  return l;
}

// Places the operands in the memory image and returns ARG0..3, LOOP_ARG0..13.
void place(const Layer& l, Rng& r, const Shape& sh, uint32_t (&a)[kCommandArgCount]) {
  const uint32_t ctot = l.groups * l.cg, ntot = l.groups * l.mg, oe = l.raw ? 4 : 1;
  const uint32_t pixels = l.oh * l.ow, taps = l.kh * l.kw;
  uint32_t x_pix = ctot + (r.chance(20) ? r.range(1, 3) : 0);
  uint32_t x_row = l.w * x_pix + (r.chance(20) ? r.range(1, 5) : 0);
  uint32_t w_chan = l.chw_weights ? taps * ntot : ntot + (r.chance(20) ? r.range(1, 3) : 0);
  uint32_t w_tap = l.chw_weights ? ntot : l.cg * w_chan;
  uint32_t y_chan = l.nchw_out ? pixels * oe : oe;
  uint32_t y_pix = l.nchw_out ? oe : ntot * oe + (r.chance(20) ? r.range(1, 3) : 0);
  if (r.chance(5)) y_chan = 2 * oe, y_pix = 2 * ntot * oe;  // interleaved channels
  uint32_t cursor = r.below(2048);
  auto region = [&](uint32_t bytes) {
    uint32_t at = cursor;
    cursor += bytes + r.below(48);
    return at;
  };
  uint32_t x = region((l.h - 1) * x_row + (l.w - 1) * x_pix + ctot);
  uint32_t w = region((taps - 1) * w_tap + (l.cg - 1) * w_chan + ntot);
  uint32_t y = region(std::max((pixels - 1) * y_pix + (ntot - 1) * y_chan + oe, 1u));
  uint32_t bias = region(4 * ntot), mult = region(4 * ntot), shift = region(4 * ntot);
  if (r.chance(3)) x = sh.image - r.range(1, 8);  // runs off the memory: MEM_ERROR
  LoopParams lp;
  lp.x = x, lp.w = w, lp.y = y, lp.bias = bias, lp.mult = mult, lp.shift = shift;
  lp.h = l.h, lp.wd = l.w, lp.cg = l.cg, lp.mg = l.mg, lp.oh = l.oh, lp.ow = l.ow;
  lp.kh = l.kh, lp.kw = l.kw, lp.sh = l.sh, lp.sw = l.sw, lp.pt = l.pt, lp.pl = l.pl;
  lp.dh = l.dh, lp.dw = l.dw, lp.groups = l.groups, lp.pad = l.pad;
  lp.bias_en = l.bias, lp.per_channel = l.per_channel, lp.raw = l.raw;
  lp.x_pix = x_pix, lp.x_row = x_row, lp.w_chan = w_chan, lp.w_tap = w_tap;
  lp.y_pix = y_pix, lp.y_chan = y_chan;
  encode_loop(lp, a);
}

void emit(Builder& b, Rng& r, const Shape& sh, const Layer& l, uint32_t word) {
  uint32_t a[kCommandArgCount];
  place(l, r, sh, a);
  b.loop(word, a);
}

void random_flags(Layer& l, Rng& r) {
  l.bias = r.chance(60);
  l.raw = r.chance(20);
  l.per_channel = !l.raw && r.chance(50);
  l.pad = r.below(256);
  l.nchw_out = r.chance(40);
  l.chw_weights = r.chance(40);
}
}  // namespace

void random_loop(Builder& b, Rng& r, const Shape& sh, uint32_t irq) {
  Layer l = r.chance(40) ? random_matmul(r, sh) : random_conv(r, sh);
  random_flags(l, r);
  uint32_t a[kCommandArgCount];
  place(l, r, sh, a);
  if (r.chance(3)) a[9] |= kLoopPerChannel | kLoopRaw;  // BAD_ARG
  if (r.chance(3)) {                                    // a zero field: BAD_ARG
    uint32_t field = r.below(5);
    a[4 + field] &= ~(field == 3 || field == 4 ? 0xffu << (8 * r.below(4)) : 0xffffu);
  }
  b.loop((l.matmul ? kOpLoopMatmul : kOpLoopConv) | irq, a);
}

void directed_loops(Stream& s, Builder& b, const Shape& sh, bool matmul) {
  Rng r(s.timing.seed);
  const uint32_t d = sh.dim, t = std::min(sh.acc - 2, sh.sp - sh.dim);
  b.write(kRegIrqEnable, 3);
  b.cmd(kOpConfig, {config_word(0, 0, kActRelu6, 7, 100, 0), 3});
  if (matmul) {
    s.name = "directed LOOP_MATMUL edge tiles, back-pressure, rejected modes";
    s.timing = MemTiming{s.timing.seed, 3, 20, 60};
    Layer l;
    l.matmul = true, l.cg = d + 1, l.mg = 2 * d + 1, l.ow = l.w = 2 * d + 3;
    l.bias = true, l.per_channel = true;
    emit(b, r, sh, l, kOpLoopMatmul);
    l.bias = l.per_channel = false, l.raw = true, l.ow = l.w = t + 5;  // splits the M tiles
    emit(b, r, sh, l, kOpLoopMatmul | kCmdIrqOnDone);
    // The same LOOP under int16, OS or max-pooling: BAD_ARG (spec section 10).
    for (uint32_t mode : {config_word(kDataflowWs, kPrecInt16, 0, 7, 0, kPoolOff),
                          config_word(kDataflowOs, kPrecInt8, 0, 7, 0, kPoolOff),
                          config_word(kDataflowWs, kPrecInt8, 0, 7, 0, kPool4)}) {
      b.cmd(kOpConfig, {mode, 3});
      emit(b, r, sh, l, kOpLoopMatmul | kCmdIrqOnDone);
    }
    return;
  }
  s.name = "directed LOOP_CONV padding, stride 2, dilation, groups, depthwise";
  Layer l;  // 3x3, padding 1, stride 2, edge channel tiles, NCHW out, per-channel requant
  l.h = l.w = 7, l.cg = d + 1, l.mg = d + 1, l.kh = l.kw = 3, l.sh = l.sw = 2;
  l.pt = l.pl = 1, l.oh = l.ow = 4, l.bias = l.per_channel = l.nchw_out = true, l.pad = 0x85;
  emit(b, r, sh, l, kOpLoopConv);
  Layer g = l;  // dilation 2, padding 2, two groups, raw NHWC out, [C*KH*KW][M] weights
  g.cg = 3, g.mg = 2, g.groups = 2, g.dh = g.dw = 2, g.pt = g.pl = 2, g.sh = g.sw = 1;
  g.oh = g.ow = 7, g.per_channel = g.nchw_out = false, g.raw = g.chw_weights = true;
  emit(b, r, sh, g, kOpLoopConv | kCmdIrqOnDone);
  Layer dwc = l;  // depthwise 3x3, stride 1, padding 1, no bias
  dwc.cg = dwc.mg = 1, dwc.groups = 5, dwc.sh = dwc.sw = 1, dwc.oh = dwc.ow = 7;
  dwc.bias = false;
  emit(b, r, sh, dwc, kOpLoopConv);
  Layer wide = l;  // a row wider than a tile, padded at both ends
  wide.h = 1, wide.w = t + 3, wide.kh = 1, wide.sh = wide.sw = 1, wide.pt = 0;
  wide.oh = 1, wide.ow = t + 3, wide.cg = 2, wide.mg = 3;
  emit(b, r, sh, wide, kOpLoopConv);
  Layer bad = l;  // PERCH with RAW: BAD_ARG
  bad.raw = true;
  emit(b, r, sh, bad, kOpLoopConv | kCmdIrqOnDone);
  b.read(kRegError);
}

}  // namespace flecsim::regress::gen
