// Random and directed command streams for the systolic regression. Random streams mix legal
// work (moves, preloads, computes, configs, fences) with every error kind, register reads at
// random moments, idle gaps, interrupt enable/clear writes and memory back-pressure; the
// directed ones pin the corner cases down on every run.
#include <algorithm>

#include "accel/regress/generator_parts.h"
#include "accel/regress/stream.h"
#include "accel/systolic/systolic_loop.h"
#include "accel/systolic/systolic_spec.h"

namespace flecsim::regress {

namespace {
using namespace systolic;
using namespace gen;

void random_move(Builder& b, Rng& r, const Shape& sh, bool in) {
  bool wide = r.chance(30);
  uint32_t limit = in && !wide ? sh.sp : sh.acc;
  // Local rows per row moved (16-bit SP rows span two; pooled MVOUT rows read several).
  uint32_t local_span = !in ? pool_rows(sh.pool) : wide ? 1 : sh.elem();
  uint32_t rows = r.range(1, std::min(limit / local_span, 2 * sh.dim + 2));
  uint32_t cols = r.range(1, sh.dim);
  uint32_t elem = wide ? 4 : sh.elem();
  uint32_t stride = r.chance(50) ? cols * elem : r.range(0, 4 * sh.dim * elem);
  uint32_t span = (rows - 1) * stride + cols * elem;
  uint32_t addr = span < sh.image ? r.below(sh.image - span) : 0;
  uint32_t local = r.below(limit - rows * local_span + 1);
  if (r.chance(4)) addr = sh.image - r.range(0, cols * elem - 1) - 1;  // runs off the end
  if (r.chance(3)) local = limit - rows * local_span + r.range(1, 4);  // ADDR_RANGE
  if (r.chance(2)) rows = 0;                                           // BAD_ARG
  if (r.chance(2)) cols = r.chance(50) ? 0 : sh.dim + r.range(1, 4);   // BAD_ARG
  // MVOUT: first ACC element c0 (ARG2[31:24]); c0 + cols > DIM is BAD_ARG.
  uint32_t c0 = 0;
  if (!in && r.chance(30)) c0 = cols <= sh.dim ? r.below(sh.dim - cols + 1) : 0;
  if (!in && r.chance(2)) c0 = r.range(1, sh.dim);
  uint32_t word = (in ? kOpMvin : kOpMvout) | (r.chance(30) ? kCmdIrqOnDone : 0);
  // MVOUT ARG2[17]: per-channel requantisation from the last two ACC rows.
  uint32_t per_channel = !in && r.chance(15) ? kMvoutPerChannel : 0;
  b.cmd(word, {addr, stride, local | uint32_t(wide) << 16 | per_channel | c0 << 24,
               rows_cols(rows, cols)});
}

// COMPUTE: WS reads M element rows of A and writes M ACC rows; OS reads K rows of A^T and of
// B (ARG3[31:16]) and writes DIM ACC rows.
void random_compute(Builder& b, Rng& r, const Shape& sh, uint32_t irq) {
  const bool os = sh.dataflow == kDataflowOs;
  uint32_t n = r.range(1, std::min(3 * sh.dim, os ? sh.sp / sh.elem() / 2 : sh.acc));
  uint32_t out_rows = os ? sh.dim : n, sp_span = n * sh.elem();
  uint32_t a = r.below(sh.sp - sp_span + 1), c = r.below(sh.acc - out_rows + 1);
  uint32_t bb = os ? r.below(sh.sp - sp_span + 1) : r.below(65536);
  if (r.chance(3)) n = 0;
  if (r.chance(3)) c = sh.acc - r.range(0, 2);
  if (os && r.chance(3)) bb = sh.sp - sp_span + r.range(1, 3);
  b.cmd(kOpCompute | irq, {a, c, n, r.below(2) | bb << 16});
}

// A legal mode most of the time (and remembered), else one bad field.
void random_config(Builder& b, Rng& r, Shape& sh, uint32_t irq) {
  uint32_t df = r.below(3), prec = r.below(3), pool = r.chance(60) ? 0 : r.range(1, 3);
  uint32_t act = r.below(3), shift = r.chance(20) ? 0 : r.range(1, 24);
  uint32_t mode = config_word(df, prec, act, shift, int8_t(r.below(256)), pool);
  bool bad = r.chance(8);
  if (bad) {
    uint32_t field = r.below(3);  // dataflow 3, precision 3, activation 3 (reserved)
    mode |= field == 0 ? 3u : field == 1 ? 3u << 2 : 3u << 4;
  }
  if (r.chance(3)) bad = true, mode |= 63u << 8;
  uint32_t mult = r.chance(50) ? r.range(1, 4096) : uint32_t(r.next());
  if (!bad) sh.dataflow = df, sh.precision = prec, sh.pool = pool;
  b.cmd(kOpConfig | irq, {mode, mult});
}

// A legal CONFIG in the mode LOOPs run in: int8, WS, no pooling.
void loop_config(Builder& b, Rng& r, Shape& sh) {
  uint32_t act = r.below(3), shift = r.chance(20) ? 0 : r.range(1, 24);
  uint32_t mult = r.chance(50) ? r.range(1, 4096) : uint32_t(r.next());
  sh.dataflow = kDataflowWs, sh.precision = kPrecInt8, sh.pool = kPoolOff;
  b.cmd(kOpConfig, {config_word(0, 0, act, shift, int8_t(r.below(256)), 0), mult});
}

void random_command(Builder& b, Rng& r, Shape& sh) {
  uint32_t irq = r.chance(25) ? kCmdIrqOnDone : 0;
  uint32_t pick = r.below(100);
  if (pick < 22) return random_move(b, r, sh, true);
  if (pick < 34) return random_move(b, r, sh, false);
  if (pick < 46) {
    uint32_t span = sh.elem() * sh.dim;
    uint32_t base = r.below(sh.sp - span + 1);
    if (r.chance(4)) base = sh.sp - span + r.range(1, 3);
    return b.cmd(kOpPreload | irq, {base});
  }
  if (pick < 72) return random_compute(b, r, sh, irq);
  if (pick < 86) return random_config(b, r, sh, irq);
  if (pick < 90) return b.cmd(kOpFence | irq, {});
  if (pick < 97) {
    // Spec section 10: LOOPs run in int8 WS without pooling (else BAD_ARG, a directed case).
    if (!sh.loop_mode()) loop_config(b, r, sh);
    return random_loop(b, r, sh, irq);
  }
  uint32_t illegal[] = {0, 9, 0x7f, 0xff, 0xF1 /* the internal FILL */};
  b.cmd(illegal[r.below(5)] | irq, {});
}

void random_side_effect(Builder& b, Rng& r, const Shape& sh) {
  uint32_t pick = r.below(100);
  if (pick < 40) {
    uint32_t regs[] = {kRegStatus,        kRegDoneCount,     kRegError, kRegIrqStatus, kRegId,
                       kRegCaps,          kRegSpRows,        kRegArg1,  kRegCmd,       0x3c,
                       kRegLoopArg0 + 20, kRegLoopArg0 + 52, 0x78};
    return b.read(regs[r.below(13)]);
  }
  if (pick < 70) return b.idle(r.chance(50) ? r.range(1, 8) : r.range(1, 4 * sh.dim + 40));
  if (pick < 80) return b.write(kRegIrqEnable, r.below(8));
  if (pick < 90) return b.write(kRegIrqStatus, r.below(4));
  b.write(kRegError, r.below(2));
}

// A whole tile: A (dim x dim) and B into SP, preload, compute, move out requantised and raw.
void gemm_tile(Builder& b, const Shape& sh, uint32_t a_addr, uint32_t b_addr, uint32_t out) {
  uint32_t d = sh.dim;
  b.cmd(kOpMvin, {a_addr, d, 0, rows_cols(d, d)});
  b.cmd(kOpMvin, {b_addr, d, d, rows_cols(d, d)});
  b.cmd(kOpPreload, {d});
  b.cmd(kOpCompute, {0, 0, d, 0});
  b.cmd(kOpCompute | kCmdIrqOnDone, {0, 0, d, 1});
  b.cmd(kOpConfig, {config_word(0, 0, kActRelu6, 7, 100, 0), 3});
  b.cmd(kOpMvout, {out, d, 0, rows_cols(d, d)});
  b.cmd(kOpMvout | kCmdIrqOnDone, {out + d * d, 4 * d, 1u << 16, rows_cols(d, d)});
}

// A tile in another mode: A (or A^T) and B in, WS or OS compute twice (write, accumulate),
// out requantised (or bf16) with max-pooling and raw. Data from the image's upper half.
void mode_tile(Builder& b, const Shape& sh, uint32_t df, uint32_t prec, uint32_t pool) {
  const uint32_t d = sh.dim, e = sp_elem_bytes(prec), base = sh.image / 2 + 64;
  const uint32_t out_rows = std::max(1u, d / pool_rows(pool));
  b.cmd(kOpConfig, {config_word(df, prec, kActNone, 0, 127, 0), 1});
  b.cmd(kOpMvin, {base, d * e, 0, rows_cols(d, d)});
  b.cmd(kOpMvin, {base + 4096, d * e, e * d, rows_cols(d, d)});
  if (df != kDataflowOs) {
    b.cmd(kOpPreload, {e * d});
    b.cmd(kOpCompute, {0, 0, d, 0});
    b.cmd(kOpCompute | kCmdIrqOnDone, {0, 0, d, 1});
  } else {
    b.cmd(kOpCompute, {0, 0, d, e * d << 16});
    b.cmd(kOpCompute | kCmdIrqOnDone, {d * e / 2, 0, d, 1 | e * d << 16});
  }
  b.cmd(kOpConfig, {config_word(df, prec, kActRelu6, 7, 100, pool), 3});
  b.cmd(kOpMvout, {base + 8192, d * e, 0, rows_cols(out_rows, d)});
  b.cmd(kOpMvout | kCmdIrqOnDone, {base + 12288, 4 * d, 1u << 16, rows_cols(out_rows, d)});
}

struct ModeTile {
  const char* name;
  uint32_t dataflow, precision, pool;
};
const ModeTile kModeTiles[] = {
    {"directed int8 WS, max-pool 4 rows", kDataflowWs, kPrecInt8, kPool4},
    {"directed int16 WS, max-pool 2 rows", kDataflowWs, kPrecInt16, kPool2},
    {"directed int8 OS", kDataflowOs, kPrecInt8, kPoolOff},
    {"directed int16 OS, max-pool 9 rows", kDataflowOs, kPrecInt16, kPool9},
    {"directed bf16 WS", kDataflowWs, kPrecBf16, kPoolOff},
    {"directed bf16 OS, max-pool 2 rows", kDataflowOs, kPrecBf16, kPool2},
    {"directed int8 IS, max-pool 4 rows", kDataflowIs, kPrecInt8, kPool4},
};
constexpr size_t kFirstModeTile = 6;  // after the loop streams 4 and 5

void directed(Stream& s, Builder& b, const Shape& sh, uint64_t index) {
  if (index >= kFirstModeTile) {
    const ModeTile& t = kModeTiles[index - kFirstModeTile];
    s.name = t.name;
    if (index % 2) s.timing = MemTiming{s.timing.seed, 3, 20, 60};  // back-pressure
    b.write(kRegIrqEnable, 3);
    return mode_tile(b, sh, t.dataflow, t.precision, t.pool);
  }
  switch (index) {
    case 0:  // a tile with ideal memory
      s.name = "directed gemm tile, ideal memory";
      b.write(kRegIrqEnable, 3);
      gemm_tile(b, sh, 0, 4096, 16384);
      break;
    case 1:  // the same tile under heavy back-pressure and long latency
      s.name = "directed gemm tile, back-pressure";
      s.timing = MemTiming{s.timing.seed, 3, 20, 60};
      gemm_tile(b, sh, 100, 5000, 20000);
      break;
    case 2:  // FIFO overflow: more commands than entries, written back to back
      s.name = "directed FIFO overflow";
      b.write(kRegIrqEnable, 2);
      for (int i = 0; i < 12; ++i) b.cmd(kOpCompute, {0, 0, sh.dim, 0});
      b.read(kRegStatus);
      b.read(kRegError);
      break;
    case 4:
    case 5:
      directed_loops(s, b, sh, index == 5);
      break;
    default:  // every error kind once, with reads in between
      s.name = "directed errors";
      b.write(kRegIrqEnable, 3);
      b.cmd(0x42 | kCmdIrqOnDone, {});
      b.cmd(kOpMvin, {0, 0, sh.sp, rows_cols(1, 1)});
      b.cmd(kOpMvin, {0, 0, 0, rows_cols(0, 1)});
      b.cmd(kOpConfig, {config_word(3, 0, 0, 0, 0, 0), 1});  // dataflow 3: reserved
      b.cmd(kOpMvin, {sh.image - 2, 0, 0, rows_cols(1, 4)});
      b.idle(60);
      b.read(kRegError);
      b.write(kRegError, 0);
      b.read(kRegError);
      b.read(kRegIrqStatus);
      b.write(kRegIrqStatus, 3);
      b.read(kRegStatus);
      break;
  }
}
}  // namespace

size_t directed_stream_count() {
  return kFirstModeTile + sizeof(kModeTiles) / sizeof(kModeTiles[0]);
}

Stream generate_stream(const AccelGeometry& g, uint64_t seed, uint64_t index) {
  Rng r(mix64(seed) ^ mix64(index + 1));
  Stream s;
  s.geometry = g;
  auto params_sp = g.sp_rows ? g.sp_rows : (g.rows <= 8 ? 256u : 1024u);
  auto params_acc = g.acc_rows ? g.acc_rows : (g.rows <= 8 ? 128u : 256u);
  Shape sh{g.rows, params_sp, params_acc, s.image_bytes};
  s.image_seed = r.next();
  uint32_t min_lat = r.range(1, 4);
  s.timing = MemTiming{r.next(), min_lat, min_lat + r.range(0, 12),
                       std::vector<uint32_t>{0, 0, 10, 30, 60}[r.below(5)]};
  Builder b(s);
  if (index < directed_stream_count()) {
    directed(s, b, sh, index);
    return s;
  }
  s.name = "random seed " + std::to_string(seed) + " stream " + std::to_string(index);
  uint32_t commands = r.range(3, 24);
  for (uint32_t i = 0; i < commands; ++i) {
    while (r.chance(35)) random_side_effect(b, r, sh);
    random_command(b, r, sh);
  }
  return s;
}

}  // namespace flecsim::regress
