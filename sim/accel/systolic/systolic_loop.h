// The loop sequencer of the systolic array (docs/accelerators/systolic.md section 10):
// decodes a LOOP_MATMUL / LOOP_CONV command, checks its arguments, and expands it into the
// micro-commands the engine executes one after the other. The RTL twin is
// rtl/systolic/systolic_loop.sv; both follow the spec's pseudocode step for step.
#pragma once
#include <cstdint>
#include <vector>

namespace flecsim::systolic {

constexpr uint32_t kLoopArgCount = 14;                    // LOOP_ARG0..13
constexpr uint32_t kCommandArgCount = 4 + kLoopArgCount;  // ARG0..3, LOOP_ARG0..13
constexpr uint32_t kOpFill = 0x100;              // internal micro-command (never a CMD opcode)
constexpr uint32_t kMvoutPerChannel = 1u << 17;  // MVOUT ARG2 bit: per-channel requant table

// LOOP_ARG5 flags.
constexpr uint32_t kLoopBias = 1u << 24;
constexpr uint32_t kLoopPerChannel = 1u << 25;
constexpr uint32_t kLoopRaw = 1u << 26;

// A whole convolution (LOOP_MATMUL is the 1x1 case); field names as in the spec.
struct LoopParams {
  uint32_t x = 0, w = 0, y = 0, bias = 0;
  uint32_t h = 0, wd = 0, cg = 0, mg = 0, oh = 0, ow = 0;
  uint32_t kh = 0, kw = 0, sh = 0, sw = 0, pt = 0, pl = 0, dh = 0, dw = 0, groups = 0;
  uint32_t pad = 0;  // the int8 pad value, as a byte
  bool bias_en = false, per_channel = false, raw = false;
  uint32_t x_pix = 0, x_row = 0, w_chan = 0, w_tap = 0, y_pix = 0, y_chan = 0;
  uint32_t mult = 0, shift = 0;
};

// `args` are ARG0..3 then LOOP_ARG0..13 as captured by the CMD write.
LoopParams decode_loop(uint32_t opcode, const std::vector<uint32_t>& args);
// The register words of a LOOP_CONV (ARG0..3, LOOP_ARG0..13); decode_loop's inverse.
void encode_loop(const LoopParams& lp, uint32_t (&args)[kCommandArgCount]);
// kErrNone or kErrBadArg (the spec's up-front checks).
uint32_t check_loop(const LoopParams& lp);

struct MicroCommand {
  uint32_t opcode = 0;  // kOpMvin, kOpMvout, kOpPreload, kOpCompute or kOpFill
  uint32_t args[4] = {0, 0, 0, 0};
};

class MicroSink {
 public:
  virtual ~MicroSink() = default;
  virtual void emit(const MicroCommand& m) = 0;
};

struct ArrayShape {
  uint32_t dim, sp_rows, acc_rows;
  uint32_t elem_bytes;  // bytes per input/weight element of the current precision
};

// Emits the micro-commands of a checked LOOP in the spec's order.
void expand_loop(const LoopParams& lp, const ArrayShape& shape, MicroSink& sink);

}  // namespace flecsim::systolic
