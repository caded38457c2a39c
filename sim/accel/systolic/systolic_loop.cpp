// LOOP_MATMUL / LOOP_CONV: argument decoding, checks and the expansion into micro-commands,
// exactly the pseudocode of docs/accelerators/systolic.md section 10.
#include "accel/systolic/systolic_loop.h"

#include <algorithm>

#include "accel/systolic/systolic_spec.h"

namespace flecsim::systolic {

namespace {
uint32_t lo16(uint32_t v) {
  return v & 0xffff;
}
uint32_t hi16(uint32_t v) {
  return v >> 16;
}
uint32_t byte(uint32_t v, uint32_t i) {
  return v >> (8 * i) & 0xff;
}
uint32_t rows_cols(uint32_t rows, uint32_t cols) {
  return rows | cols << 16;
}
}  // namespace

LoopParams decode_loop(uint32_t opcode, const std::vector<uint32_t>& args) {
  auto arg = [&](uint32_t i) { return i < args.size() ? args[i] : 0u; };
  auto larg = [&](uint32_t i) { return arg(4 + i); };
  LoopParams lp;
  lp.x = arg(0), lp.w = arg(1), lp.y = arg(2), lp.bias = arg(3);
  lp.cg = lo16(larg(1)), lp.mg = hi16(larg(1)), lp.ow = hi16(larg(2));
  uint32_t flags = larg(5);
  lp.bias_en = flags & kLoopBias, lp.per_channel = flags & kLoopPerChannel;
  lp.raw = flags & kLoopRaw;
  lp.x_pix = larg(6), lp.w_chan = larg(8), lp.y_pix = larg(10), lp.y_chan = larg(11);
  lp.mult = larg(12), lp.shift = larg(13);
  if ((opcode & 0xff) == kOpLoopMatmul) {  // the 1x1 convolution of an M-pixel row
    lp.h = lp.oh = 1, lp.wd = lp.ow;
    lp.kh = lp.kw = lp.sh = lp.sw = lp.dh = lp.dw = lp.groups = 1;
    return lp;
  }
  lp.h = lo16(larg(0)), lp.wd = hi16(larg(0)), lp.oh = lo16(larg(2));
  lp.kh = byte(larg(3), 0), lp.kw = byte(larg(3), 1), lp.sh = byte(larg(3), 2);
  lp.sw = byte(larg(3), 3), lp.pt = byte(larg(4), 0), lp.pl = byte(larg(4), 1);
  lp.dh = byte(larg(4), 2), lp.dw = byte(larg(4), 3), lp.groups = lo16(flags);
  lp.pad = byte(flags, 2), lp.x_row = larg(7), lp.w_tap = larg(9);
  return lp;
}

void encode_loop(const LoopParams& lp, uint32_t (&a)[kCommandArgCount]) {
  const uint32_t flags = uint32_t(lp.bias_en) << 24 | uint32_t(lp.per_channel) << 25 |
                         uint32_t(lp.raw) << 26 | (lp.pad & 0xff) << 16 | lp.groups;
  const uint32_t words[kCommandArgCount] = {lp.x,
                                            lp.w,
                                            lp.y,
                                            lp.bias,
                                            lp.h | lp.wd << 16,
                                            lp.cg | lp.mg << 16,
                                            lp.oh | lp.ow << 16,
                                            lp.kh | lp.kw << 8 | lp.sh << 16 | lp.sw << 24,
                                            lp.pt | lp.pl << 8 | lp.dh << 16 | lp.dw << 24,
                                            flags,
                                            lp.x_pix,
                                            lp.x_row,
                                            lp.w_chan,
                                            lp.w_tap,
                                            lp.y_pix,
                                            lp.y_chan,
                                            lp.mult,
                                            lp.shift};
  std::copy(words, words + kCommandArgCount, a);
}

uint32_t check_loop(const LoopParams& lp) {
  for (uint32_t v : {lp.h, lp.wd, lp.cg, lp.mg, lp.oh, lp.ow, lp.kh, lp.kw, lp.sh, lp.sw, lp.dh,
                     lp.dw, lp.groups})
    if (v == 0) return kErrBadArg;
  if (lp.per_channel && lp.raw) return kErrBadArg;
  return kErrNone;
}

namespace {
class Expander {
 public:
  Expander(const LoopParams& lp, const ArrayShape& s, MicroSink& sink)
      : lp_(lp), s_(s), sink_(sink) {
    uint32_t t = std::min(s.acc_rows - 2, s.sp_rows - s.dim);
    tile_w_ = lp.ow <= t ? lp.ow : t;
    tile_h_ = lp.ow <= t ? t / lp.ow : 1;
  }

  void run() {
    for (uint32_t g = 0; g < lp_.groups; ++g)
      for (uint32_t n0 = 0; n0 < lp_.mg; n0 += s_.dim) {
        uint32_t nn = std::min(s_.dim, lp_.mg - n0), ch = g * lp_.mg + n0;
        if (lp_.per_channel) {
          emit(kOpMvin, lp_.mult + 4 * ch, 0, (s_.acc_rows - 2) | 1u << 16, rows_cols(1, nn));
          emit(kOpMvin, lp_.shift + 4 * ch, 0, (s_.acc_rows - 1) | 1u << 16, rows_cols(1, nn));
        }
        for (uint32_t oy0 = 0; oy0 < lp_.oh; oy0 += tile_h_)
          for (uint32_t ox0 = 0; ox0 < lp_.ow; ox0 += tile_w_) tile(g, ch, nn, oy0, ox0);
      }
  }

 private:
  void emit(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3) {
    MicroCommand m;
    m.opcode = op;
    m.args[0] = a0, m.args[1] = a1, m.args[2] = a2, m.args[3] = a3;
    sink_.emit(m);
  }
  void fill(uint32_t local, uint32_t rows, uint32_t cols) {
    emit(kOpFill, lp_.pad, 0, local, rows_cols(rows, cols));
  }

  void tile(uint32_t g, uint32_t ch, uint32_t nn, uint32_t oy0, uint32_t ox0) {
    const uint32_t th = std::min(tile_h_, lp_.oh - oy0), tw = std::min(tile_w_, lp_.ow - ox0);
    const uint32_t mm = th * tw, e = s_.elem_bytes;
    if (lp_.bias_en) emit(kOpMvin, lp_.bias + 4 * ch, 0, 1u << 16, rows_cols(mm, nn));
    bool first = true;
    for (uint32_t ky = 0; ky < lp_.kh; ++ky)
      for (uint32_t kx = 0; kx < lp_.kw; ++kx)
        for (uint32_t c0 = 0; c0 < lp_.cg; c0 += s_.dim) {
          uint32_t kk = std::min(s_.dim, lp_.cg - c0);
          emit(kOpMvin, lp_.w + (ky * lp_.kw + kx) * lp_.w_tap + c0 * lp_.w_chan + ch * e,
               lp_.w_chan, 0, rows_cols(kk, nn));
          emit(kOpPreload, 0, 0, 0, 0);
          gather(g * lp_.cg + c0, kk, ky, kx, oy0, ox0, th, tw);
          emit(kOpCompute, s_.dim, 0, mm, lp_.bias_en || !first);
          first = false;
        }
    mvout(ch, nn, oy0 * lp_.ow + ox0, mm);
  }

  // The A operand of one K tile (channels c .. c+kk-1 of tap (ky, kx)): implicit im2col.
  void gather(uint32_t c, uint32_t kk, uint32_t ky, uint32_t kx, uint32_t oy0, uint32_t ox0,
              uint32_t th, uint32_t tw) {
    int64_t a = int64_t(lp_.pl) - int64_t(kx) * lp_.dw;
    int64_t b = int64_t(lp_.wd) - 1 + lp_.pl - int64_t(kx) * lp_.dw;
    int64_t lo = a <= 0 ? 0 : (a + lp_.sw - 1) / lp_.sw;
    int64_t hi = b < 0 ? 0 : b / lp_.sw + 1;
    const int64_t end = int64_t(ox0) + tw;
    const uint32_t vlo = uint32_t(std::clamp<int64_t>(lo, ox0, end));
    const uint32_t vhi = uint32_t(std::clamp<int64_t>(hi, vlo, end));
    for (uint32_t r = 0; r < th; ++r) {
      int64_t iy = int64_t(oy0 + r) * lp_.sh - lp_.pt + int64_t(ky) * lp_.dh;
      uint32_t row = s_.dim + r * tw;
      if (iy < 0 || iy >= lp_.h || vlo == vhi) {
        fill(row, tw, kk);
        continue;
      }
      if (vlo > ox0) fill(row, vlo - ox0, kk);
      uint32_t ix = vlo * lp_.sw - lp_.pl + kx * lp_.dw;
      emit(kOpMvin, lp_.x + uint32_t(iy) * lp_.x_row + ix * lp_.x_pix + c * s_.elem_bytes,
           lp_.sw * lp_.x_pix, row + vlo - ox0, rows_cols(vhi - vlo, kk));
      if (vhi < end) fill(row + vhi - ox0, uint32_t(end) - vhi, kk);
    }
  }

  void mvout(uint32_t ch, uint32_t nn, uint32_t p0, uint32_t mm) {
    const uint32_t oe = lp_.raw ? 4 : 1;
    const uint32_t flags = (lp_.raw ? 1u << 16 : 0) | (lp_.per_channel ? kMvoutPerChannel : 0);
    const uint32_t base = lp_.y + p0 * lp_.y_pix;
    if (lp_.y_chan == oe) {
      emit(kOpMvout, base + ch * oe, lp_.y_pix, flags, rows_cols(mm, nn));
      return;
    }
    for (uint32_t j = 0; j < nn; ++j)
      emit(kOpMvout, base + (ch + j) * lp_.y_chan, lp_.y_pix, flags | j << 24, rows_cols(mm, 1));
  }

  const LoopParams& lp_;
  const ArrayShape& s_;
  MicroSink& sink_;
  uint32_t tile_w_ = 1, tile_h_ = 1;
};
}  // namespace

void expand_loop(const LoopParams& lp, const ArrayShape& shape, MicroSink& sink) {
  Expander(lp, shape, sink).run();
}

}  // namespace flecsim::systolic
