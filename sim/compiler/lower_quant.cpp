// Quantisation ops: Quantize/DequantizeLinear, QLinearConv/QLinearMatMul (integer core plus
// a REQUANT with ONNX's real-valued scale), and the fused flecsim-domain integer ops whose
// requantisation is the accelerator's (dyadic multiplier and shift).
#include "compiler/lower.h"
#include "compiler/lower_nn.h"
#include "ref/kernels.h"

namespace flecsim::compiler {
namespace {

// Channel count and inner size of per-axis quantisation parameters (1, 1 per tensor).
std::pair<int64_t, int64_t> axis_split(LowerContext& ctx, const Shape& x, size_t scale_input) {
  const int64_t n = graph::element_count(ctx.in_shape(scale_input));
  if (n == 1) return {1, 1};
  const int64_t axis =
      ref::normalize_axis(ctx.node.attr_int("axis", 1), static_cast<int64_t>(x.size()));
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < x.size(); ++d) inner *= x[d];
  return {n, inner};
}

void lower_qdq(LowerContext& ctx) {
  const bool quantize = ctx.node.op_type == "QuantizeLinear";
  const Shape& x = ctx.in_shape(0);
  const auto [channels, inner] = axis_split(ctx, x, 1);
  ProgramOp& op = ctx.emit(quantize ? FLC_OP_QUANTIZE : FLC_OP_DEQUANTIZE,
                           {ctx.input(0), ctx.input(1), ctx.input(2), ctx.output(0)});
  op.params[QZ_COUNT] = checked_i32(graph::element_count(x), "element count");
  op.params[QZ_CHANNELS] = checked_i32(channels, "channels");
  op.params[QZ_INNER] = checked_i32(inner, "inner");
  op.params[QZ_X_DTYPE] = flc_dtype(ctx.in_dtype(0));
  op.params[QZ_Y_DTYPE] = flc_dtype(ctx.dtype_of(ctx.node.outputs[0]));
  op.params[QZ_ZP_DTYPE] = ctx.node.has_input(2) ? flc_dtype(ctx.in_dtype(2)) : FLC_U8;
}

std::string check_qdq(const graph::Node& node, const graph::Graph&) {
  // Scale and zero point may be run-time tensors: the kernel reads them per channel.
  return node.inputs.size() < 2 ? "needs a scale input" : "";
}

// Integer value of optional scalar input i when it is a constant (0 when absent); -1 as the
// tensor index when the kernel must read it at run time.
std::pair<int32_t, int> zero_point(LowerContext& ctx, size_t i) {
  if (!ctx.node.has_input(i)) return {0, -1};
  if (const graph::Tensor* t = ctx.constant_input(i))
    return {static_cast<int32_t>(t->get_int(0)), -1};
  return {0, ctx.input(i)};
}

// acc (i32) -> graph output 0 with y = sat(round(acc * x_scale * w_scale[c] / y_scale) + y_zp)
// (channels along axis 1). The scales are tensors (constant or run-time); the runtime forms
// the multiplier in double as the ONNX reference does.
void emit_requant(LowerContext& ctx, int acc, const Shape& shape, size_t x_scale, size_t w_scale,
                  size_t y_scale, size_t y_zp) {
  for (size_t i : {x_scale, w_scale, y_scale})
    if (ctx.in_dtype(i) != DType::kFloat32) ctx.unsupported("scales must be float32");
  const int64_t channels = graph::element_count(ctx.in_shape(w_scale));
  const auto [zp, zp_tensor] = zero_point(ctx, y_zp);
  ProgramOp& op = ctx.emit(FLC_OP_REQUANT, {acc, ctx.input(w_scale), ctx.output(0), zp_tensor,
                                            ctx.input(x_scale), ctx.input(y_scale)});
  op.params[RQ_COUNT] = checked_i32(graph::element_count(shape), "element count");
  op.params[RQ_CHANNELS] = checked_i32(channels, "channels");
  int64_t inner = 1;
  for (size_t d = 2; d < shape.size(); ++d) inner *= shape[d];
  op.params[RQ_INNER] = checked_i32(channels > 1 ? inner : 1, "inner");
  op.params[RQ_Y_DTYPE] = flc_dtype(ctx.dtype_of(ctx.node.outputs[0]));
  op.params[RQ_Y_ZP] = zp;
}

// QLinearConv(x, x_s, x_zp, w, w_s, w_zp, y_s, y_zp, bias) = requant(ConvInteger + bias).
void lower_qlinear_conv(LowerContext& ctx) {
  const ConvGeometry g = conv_geometry(ctx, ctx.in_shape(3));
  const Shape& y = ctx.out_shape(0);
  const int acc = ctx.add_temp("acc", DType::kInt32, y);
  const auto [x_zp, x_zp_tensor] = zero_point(ctx, 2);
  const graph::Tensor* w_zp = ctx.constant_input(5);
  const bool w_zp_scalar = !ctx.node.has_input(5) || (w_zp && w_zp->numel() == 1);
  ProgramOp& op = ctx.emit(FLC_OP_CONV, {ctx.input(0), ctx.input(3), ctx.input(8), acc,
                                         w_zp_scalar ? -1 : ctx.input(5), x_zp_tensor});
  op.params[CV_MODE] = 1;
  put_conv_geometry(op, g);
  op.params[CV_X_DTYPE] = flc_dtype(ctx.in_dtype(0)),
  op.params[CV_W_DTYPE] = flc_dtype(ctx.in_dtype(3));
  op.params[CV_X_ZP] = x_zp;
  op.params[CV_W_ZP] = w_zp ? static_cast<int32_t>(w_zp->get_int(0)) : 0;
  emit_requant(ctx, acc, y, 1, 4, 6, 7);
  ctx.program.layers[ctx.layer].macs += conv_macs(g);
}

// QLinearMatMul(a, a_s, a_zp, b, b_s, b_zp, y_s, y_zp).
void lower_qlinear_matmul(LowerContext& ctx) {
  const Shape& y = ctx.out_shape(0);
  const int acc = ctx.add_temp("acc", DType::kInt32, y);
  MatmulOperands mm;
  mm.a = ctx.input(0), mm.b = ctx.input(3), mm.y = acc, mm.integer = true;
  mm.a_zp = ctx.input(2), mm.b_zp = ctx.input(5);
  mm.a_shape = ctx.in_shape(0), mm.b_shape = ctx.in_shape(3);
  mm.a_dtype = flc_dtype(ctx.in_dtype(0)), mm.b_dtype = flc_dtype(ctx.in_dtype(3));
  for (size_t i : {1, 2, 4, 5})
    if (graph::element_count(ctx.in_shape(i)) != 1) ctx.unsupported("per-axis QLinearMatMul");
  emit_matmul(ctx, mm);
  emit_requant(ctx, acc, Shape{graph::element_count(y)}, 1, 4, 6, 7);
}

}  // namespace

void register_lower_quant(LowerTable& t) {
  t.add("QuantizeLinear", {lower_qdq, check_qdq});
  t.add("DequantizeLinear", {lower_qdq, check_qdq});
  t.add("QLinearConv", {lower_qlinear_conv, nullptr});
  t.add("QLinearMatMul", {lower_qlinear_matmul, nullptr});
  register_lower_fused(t);
}

}  // namespace flecsim::compiler
