// Lowering of the flecsim-domain integer ops (QConv, QMatMul, QAdd) to the CPU kernels or,
// when the node was mapped to an accelerator, to that accelerator's form of the op.
#include <tuple>

#include "compiler/lower.h"
#include "compiler/lower_nn.h"

namespace flecsim::compiler {
namespace {

struct Requant {
  int32_t x_zp, y_zp, act;
};

Requant requant_attrs(LowerContext& ctx) {
  return {static_cast<int32_t>(ctx.node.attr_int("x_zero_point", 0)),
          static_cast<int32_t>(ctx.node.attr_int("y_zero_point", 0)),
          ctx.node.attr_int("relu", 0) ? QACT_RELU : QACT_NONE};
}

// Weights [M][C][KH][KW] (or [K][N] for matmul) as the array wants them: [Kp][Mp] int8,
// zero-padded to multiples of DIM so every PRELOAD tile is whole.
int systolic_weights(LowerContext& ctx, const graph::Tensor& w, bool conv, int64_t dim) {
  const int64_t M = conv ? w.dim(0) : w.dim(1);
  const int64_t K = conv ? w.numel() / M : w.dim(0);
  const int64_t kp = (K + dim - 1) / dim * dim, mp = (M + dim - 1) / dim * dim;
  graph::Tensor b(DType::kInt8, {kp, mp});
  const int8_t* src = w.data<int8_t>();
  int8_t* dst = b.data<int8_t>();
  for (int64_t k = 0; k < K; ++k)
    for (int64_t m = 0; m < M; ++m) dst[k * mp + m] = conv ? src[m * K + k] : src[k * M + m];
  return ctx.add_constant("w_systolic", b);
}

// Grouped and depthwise convolutions go to the array too: LOOP_CONV walks the groups, and the
// [Kp][Mp] weight layout (row k = (c within the group, ky, kx), column = output channel) is
// what it addresses for any group count.
bool offloadable(LowerContext& ctx, const Requant& rq) {
  return ctx.accel_unit != 0 && rq.y_zp == 0 && ctx.in_dtype(0) == DType::kInt8;
}

// Saturation bounds of the output type (int8, or int16 for the CPU's int16 kernels).
std::pair<int32_t, int32_t> output_range(LowerContext& ctx) {
  if (ctx.in_dtype(0) == DType::kInt16) return {-32768, 32767};
  return {-128, 127};
}

// The array multiplies raw int8 values: sum (x - zx) w = sum x w - zx * sum_k w, so the input
// zero point becomes a per-channel bias correction (im2col pads with zx for the same reason).
int systolic_bias(LowerContext& ctx, const graph::Tensor& w, bool conv, const graph::Tensor& bias,
                  int32_t x_zp) {
  const int64_t M = conv ? w.dim(0) : w.dim(1);
  const int64_t K = conv ? w.numel() / M : w.dim(0);
  graph::Tensor out(DType::kInt32, {M});
  for (int64_t m = 0; m < M; ++m) {
    int64_t colsum = 0;
    for (int64_t k = 0; k < K; ++k)
      colsum += conv ? w.data<int8_t>()[m * K + k] : w.data<int8_t>()[k * M + m];
    // int32 arithmetic wraps like the accumulators do.
    out.data<int32_t>()[m] = static_cast<int32_t>(static_cast<uint32_t>(bias.data<int32_t>()[m]) -
                                                  static_cast<uint32_t>(x_zp * colsum));
  }
  return ctx.add_constant("bias_systolic", out);
}

void lower_qconv(LowerContext& ctx) {
  const ConvGeometry g = conv_geometry(ctx, ctx.in_shape(1));
  const Requant rq = requant_attrs(ctx);
  const bool accel = offloadable(ctx, rq);
  const uint8_t unit = accel ? ctx.accel_unit : 0;
  int w = ctx.input(1), scratch = -1, bias = ctx.input(2);
  if (accel) {
    const int64_t dim = ctx.program.units[unit].record.dim;
    w = systolic_weights(ctx, *ctx.constant_input(1), true, dim);
    bias = systolic_bias(ctx, *ctx.constant_input(1), true, *ctx.constant_input(2), rq.x_zp);
    // One image copied to NHWC for the array's implicit im2col (LOOP_CONV).
    scratch = ctx.add_temp("nhwc", DType::kInt8, {g.h * g.w, g.c});
  }
  ProgramOp& op =
      ctx.emit(FLC_OP_QCONV,
               {ctx.input(0), w, bias, ctx.input(3), ctx.input(4), ctx.output(0), scratch}, unit);
  put_conv_geometry(op, g);
  op.params[CV_X_ZP] = rq.x_zp;
  op.params[QC_Y_ZP] = rq.y_zp;
  op.params[QC_ACT] = rq.act;
  std::tie(op.params[QC_ACT_MIN], op.params[QC_ACT_MAX]) = output_range(ctx);
  op.params[CV_X_DTYPE] = flc_dtype(ctx.in_dtype(0));
  op.params[CV_W_DTYPE] = flc_dtype(ctx.in_dtype(1));
  ctx.program.layers[ctx.layer].macs += conv_macs(g);
  ctx.program.layers[ctx.layer].unit = ctx.program.units[unit].name;
}

void lower_qmatmul(LowerContext& ctx) {
  const Shape& a = ctx.in_shape(0);
  const Shape& b = ctx.in_shape(1);
  const Requant rq = requant_attrs(ctx);
  const bool accel = offloadable(ctx, rq);
  const uint8_t unit = accel ? ctx.accel_unit : 0;
  int w = ctx.input(1), bias = ctx.input(2);
  if (accel) {
    w = systolic_weights(ctx, *ctx.constant_input(1), false, ctx.program.units[unit].record.dim);
    bias = systolic_bias(ctx, *ctx.constant_input(1), false, *ctx.constant_input(2), rq.x_zp);
  }
  ProgramOp& op = ctx.emit(
      FLC_OP_QMATMUL, {ctx.input(0), w, bias, ctx.input(3), ctx.input(4), ctx.output(0)}, unit);
  op.params[QM_M] = checked_i32(a[0], "M"), op.params[QM_K] = checked_i32(a[1], "K");
  op.params[QM_N] = checked_i32(b[1], "N");
  op.params[QM_X_ZP] = rq.x_zp, op.params[QM_Y_ZP] = rq.y_zp, op.params[QM_ACT] = rq.act;
  std::tie(op.params[QM_ACT_MIN], op.params[QM_ACT_MAX]) = output_range(ctx);
  op.params[QM_X_DTYPE] = flc_dtype(ctx.in_dtype(0));
  ctx.program.layers[ctx.layer].macs += static_cast<uint64_t>(a[0] * a[1] * b[1]);
  ctx.program.layers[ctx.layer].unit = ctx.program.units[unit].name;
}

void lower_qadd(LowerContext& ctx) {
  const auto m = ctx.node.attr_ints("multipliers", {1, 1});
  ProgramOp& op = ctx.emit(FLC_OP_QADD, {ctx.input(0), ctx.input(1), ctx.output(0)});
  op.params[QA_COUNT] = checked_i32(graph::element_count(ctx.out_shape(0)), "element count");
  op.params[QA_A_ZP] = static_cast<int32_t>(ctx.node.attr_int("a_zero_point", 0));
  op.params[QA_B_ZP] = static_cast<int32_t>(ctx.node.attr_int("b_zero_point", 0));
  op.params[QA_Y_ZP] = static_cast<int32_t>(ctx.node.attr_int("y_zero_point", 0));
  op.params[QA_MULT_A] = checked_i32(m[0], "multiplier"),
  op.params[QA_MULT_B] = checked_i32(m[1], "multiplier");
  op.params[QA_SHIFT] = static_cast<int32_t>(ctx.node.attr_int("shift", 1));
  op.params[QA_ACT] = ctx.node.attr_int("relu", 0) ? QACT_RELU : QACT_NONE;
  op.params[QA_ACT_MIN] = -128, op.params[QA_ACT_MAX] = 127;
}

// flecsim:RoundBF16 (bf16 layers' activations): the runtime's UNARY ROUND_BF16.
void lower_round_bf16(LowerContext& ctx) {
  ProgramOp& op = ctx.emit(FLC_OP_UNARY, {ctx.input(0), ctx.output(0)});
  op.params[UN_FUNC] = UNF_ROUND_BF16;
  op.params[UN_COUNT] = checked_i32(graph::element_count(ctx.out_shape(0)), "element count");
}

}  // namespace

void register_lower_fused(LowerTable& t) {
  t.add("flecsim:QConv", {lower_qconv, nullptr});
  t.add("flecsim:QMatMul", {lower_qmatmul, nullptr});
  t.add("flecsim:QAdd", {lower_qadd, nullptr});
  t.add("flecsim:RoundBF16", {lower_round_bf16, nullptr});
}

}  // namespace flecsim::compiler
