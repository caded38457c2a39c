// Elementwise ops, softmax, reductions and batch normalisation on the CPU.
#include <cmath>

#include "compiler/lower.h"
#include "compiler/lower_nn.h"
#include "ref/kernels.h"

namespace flecsim::compiler {

std::string need_f32(const graph::Node& node, const graph::Graph& g) {
  const graph::ValueInfo* v = node.inputs.empty() ? nullptr : g.value(node.inputs[0]);
  if (v && v->dtype != DType::kFloat32 && v->dtype != DType::kUndefined)
    return std::string("element type ") + graph::dtype_name(v->dtype) +
           " (the CPU kernel is float32)";
  return "";
}

void emit_unary_on(LowerContext& ctx, int func, int x, int y, int64_t count, float a, float b) {
  ProgramOp& op = ctx.emit(FLC_OP_UNARY, {x, y});
  op.params[UN_FUNC] = func;
  op.params[UN_COUNT] = checked_i32(count, "element count");
  op.set_f32(UN_A, a);
  op.set_f32(UN_B, b);
}

void emit_binary(LowerContext& ctx, int func, int a, int b, int y, const Shape& sa, const Shape& sb,
                 const Shape& sy, DType dtype) {
  ProgramOp& op = ctx.emit(FLC_OP_BINARY, {a, b, y});
  op.params[BI_FUNC] = func;
  op.params[BI_DTYPE] = flc_dtype(dtype);
  put_dims(op, BI_RANK, BI_DIMS, sy);
  put_ints(op, BI_A_STRIDES, broadcast_strides(sa, sy));
  put_ints(op, BI_B_STRIDES, broadcast_strides(sb, sy));
}

void emit_cast(LowerContext& ctx, int x, int y, int64_t count, DType from, DType to) {
  ProgramOp& op = ctx.emit(FLC_OP_CAST, {x, y});
  op.params[CA_COUNT] = checked_i32(count, "element count");
  op.params[CA_X_DTYPE] = flc_dtype(from);
  op.params[CA_Y_DTYPE] = flc_dtype(to);
}

void emit_reduce_mean(LowerContext& ctx, int x, int y, const Shape& shape,
                      const std::vector<bool>& reduced) {
  const std::vector<int32_t> xs = contiguous_strides(shape);
  Shape out, red;
  std::vector<int32_t> out_strides, red_strides;
  for (size_t d = 0; d < shape.size(); ++d) {
    (reduced[d] ? red : out).push_back(shape[d]);
    (reduced[d] ? red_strides : out_strides).push_back(xs[d]);
  }
  if (out.empty()) out.push_back(1), out_strides.push_back(0);
  ProgramOp& op = ctx.emit(FLC_OP_REDUCE, {x, y});
  op.params[RD_FUNC] = RDF_MEAN;
  put_dims(op, RD_RANK, RD_DIMS, out);
  put_ints(op, RD_X_STRIDES, out_strides);
  put_dims(op, RD_RED_RANK, RD_RED_DIMS, red);
  put_ints(op, RD_RED_STRIDES, red_strides);
}

namespace {

void emit_unary(LowerContext& ctx, int func, float a = 0, float b = 0) {
  emit_unary_on(ctx, func, ctx.input(0), ctx.output(0), graph::element_count(ctx.out_shape(0)), a,
                b);
}

template <int Func>
void lower_unary(LowerContext& ctx) {
  emit_unary(ctx, Func);
}

void lower_leaky_relu(LowerContext& ctx) {
  emit_unary(ctx, UNF_LEAKY_RELU, ctx.node.attr_float("alpha", 0.01f));
}

// Clip: a UNARY clamp for float32 with constant bounds, otherwise max/min against the bound
// tensors (any element type, run-time bounds).
void lower_clip(LowerContext& ctx) {
  const DType dtype = ctx.in_dtype(0);
  bool constant_bounds = true;
  for (size_t i = 1; i <= 2; ++i)
    if (ctx.node.has_input(i) && !ctx.constant_input(i)) constant_bounds = false;
  if (dtype == DType::kFloat32 && constant_bounds) {
    float lo = -INFINITY, hi = INFINITY;
    if (ctx.node.opset < 11) {
      lo = ctx.node.attr_float("min", lo);
      hi = ctx.node.attr_float("max", hi);
    } else {
      if (ctx.node.has_input(1)) lo = static_cast<float>(ctx.constant_input(1)->get_double(0));
      if (ctx.node.has_input(2)) hi = static_cast<float>(ctx.constant_input(2)->get_double(0));
    }
    emit_unary(ctx, UNF_CLIP, lo, hi);
    return;
  }
  if (ctx.node.opset < 11) ctx.unsupported("Clip-6 on " + std::string(graph::dtype_name(dtype)));
  const Shape& x = ctx.in_shape(0);
  int current = ctx.input(0);
  const bool has_lo = ctx.node.has_input(1), has_hi = ctx.node.has_input(2);
  if (!has_lo && !has_hi) {
    emit_binary(ctx, BIF_MAX, current, current, ctx.output(0), x, x, x, dtype);
    return;
  }
  if (has_lo) {
    const int y = has_hi ? ctx.add_temp("low_clamped", dtype, x) : ctx.output(0);
    emit_binary(ctx, BIF_MAX, current, ctx.input(1), y, x, ctx.in_shape(1), x, dtype);
    current = y;
  }
  if (has_hi)
    emit_binary(ctx, BIF_MIN, current, ctx.input(2), ctx.output(0), x, ctx.in_shape(2), x, dtype);
}

std::string check_clip(const graph::Node& node, const graph::Graph& g) {
  const graph::ValueInfo* v = node.inputs.empty() ? nullptr : g.value(node.inputs[0]);
  if (v &&
      (v->dtype == DType::kBool || v->dtype == DType::kFloat16 || v->dtype == DType::kBFloat16))
    return std::string("element type ") + graph::dtype_name(v->dtype);
  return "";
}

template <int Func>
void lower_binary(LowerContext& ctx) {
  // Variadic Max/Min/Sum fold left: y = ((x0 op x1) op x2) ...
  const Shape& sy = ctx.out_shape(0);
  const DType dtype = ctx.dtype_of(ctx.node.outputs[0]);
  if (ctx.node.inputs.size() == 1) {
    ProgramOp& op = ctx.emit(FLC_OP_COPY, {ctx.input(0), ctx.output(0)});
    op.params[CP_ELEM] = static_cast<int32_t>(graph::dtype_size(dtype));
    Shape flat{graph::element_count(sy)};
    put_dims(op, CP_RANK, CP_DIMS, flat);
    op.params[CP_SRC_STRIDES] = op.params[CP_DST_STRIDES] = 1;
    return;
  }
  int acc = ctx.input(0);
  Shape acc_shape = ctx.in_shape(0);
  for (size_t i = 1; i < ctx.node.inputs.size(); ++i) {
    const bool last = i + 1 == ctx.node.inputs.size();
    const Shape step_shape = last ? sy : ref::broadcast_shapes({acc_shape, ctx.in_shape(i)});
    const int y =
        last ? ctx.output(0) : ctx.add_temp("partial" + std::to_string(i), dtype, step_shape);
    emit_binary(ctx, Func, acc, ctx.input(i), y, acc_shape, ctx.in_shape(i), step_shape, dtype);
    acc = y;
    acc_shape = step_shape;
  }
}

// Element types of the node's inputs; "" when every one has a CPU kernel, else why not.
std::string input_types(const graph::Node& node, const graph::Graph& g, std::vector<DType>& types) {
  for (const auto& in : node.inputs) {
    auto c = g.constants.find(in);
    const DType t = c != g.constants.end() ? c->second.dtype()
                                           : (g.value(in) ? g.value(in)->dtype : DType::kUndefined);
    if (t == DType::kBool || t == DType::kFloat16 || t == DType::kString || t == DType::kBFloat16)
      return std::string("element type ") + graph::dtype_name(t);
    types.push_back(t);
  }
  return "";
}

std::string check_binary(const graph::Node& node, const graph::Graph& g) {
  std::vector<DType> types;
  std::string why = input_types(node, g, types);
  for (DType t : types)
    if (why.empty() && t != types[0]) why = "inputs of different element types";
  return why;
}

std::string check_pow(const graph::Node& node, const graph::Graph& g) {
  std::vector<DType> types;
  return input_types(node, g, types);
}

// Pow(base, exponent) with different element types (numpy semantics): both operands are
// converted to the computation type (float32 for a float32 base with a narrower exponent,
// else float64), and the result back to the base's type.
void lower_pow(LowerContext& ctx) {
  const DType base = ctx.in_dtype(0), exponent = ctx.in_dtype(1);
  if (base == exponent) return lower_binary<BIF_POW>(ctx);
  const DType compute =
      base == DType::kFloat32 && exponent != DType::kFloat64 ? DType::kFloat32 : DType::kFloat64;
  const Shape &sa = ctx.in_shape(0), &sb = ctx.in_shape(1), &sy = ctx.out_shape(0);
  int operands[2] = {ctx.input(0), ctx.input(1)};
  const DType types[2] = {base, exponent};
  for (int k = 0; k < 2; ++k) {
    if (types[k] == compute) continue;
    const Shape& shape = k ? sb : sa;
    const int converted = ctx.add_temp(k ? "exponent" : "base", compute, shape);
    emit_cast(ctx, operands[k], converted, graph::element_count(shape), types[k], compute);
    operands[k] = converted;
  }
  const int y = compute == base ? ctx.output(0) : ctx.add_temp("power", compute, sy);
  emit_binary(ctx, BIF_POW, operands[0], operands[1], y, sa, sb, sy, compute);
  if (compute != base) emit_cast(ctx, y, ctx.output(0), graph::element_count(sy), compute, base);
}

void lower_softmax(LowerContext& ctx) {
  const Shape& x = ctx.in_shape(0);
  const int64_t rank = static_cast<int64_t>(x.size());
  const int64_t axis =
      ref::normalize_axis(ctx.node.attr_int("axis", ctx.node.opset >= 13 ? -1 : 1), rank);
  int64_t outer = 1, n = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) (d < axis ? outer : (d == axis ? n : inner)) *= x[d];
  if (ctx.node.opset < 13) n *= inner, inner = 1;  // older opsets flatten at axis
  ProgramOp& op = ctx.emit(FLC_OP_SOFTMAX, {ctx.input(0), ctx.output(0)});
  op.params[SM_OUTER] = checked_i32(outer, "softmax");
  op.params[SM_AXIS] = checked_i32(n, "softmax");
  op.params[SM_INNER] = checked_i32(inner, "softmax");
  op.params[SM_LOG] = ctx.node.op_type == "LogSoftmax";
}

void lower_reduce_mean(LowerContext& ctx) {
  const Shape& x = ctx.in_shape(0);
  std::vector<int64_t> axes = ctx.node.attr_ints("axes", {});
  if (ctx.node.has_input(1)) {
    const graph::Tensor* t = ctx.constant_input(1);
    if (!t) ctx.unsupported("ReduceMean axes must be constant");
    axes = t->to_ints();
  }
  if (axes.empty() && ctx.node.attr_int("noop_with_empty_axes", 0)) {
    emit_unary(ctx, UNF_IDENTITY);
    return;
  }
  std::vector<bool> reduced(x.size(), axes.empty());
  for (int64_t a : axes) reduced[ref::normalize_axis(a, static_cast<int64_t>(x.size()))] = true;
  emit_reduce_mean(ctx, ctx.input(0), ctx.output(0), x, reduced);
}

}  // namespace

void register_lower_elementwise(LowerTable& t) {
  t.add("Relu", {lower_unary<UNF_RELU>, need_f32});
  t.add("Sigmoid", {lower_unary<UNF_SIGMOID>, need_f32});
  t.add("Tanh", {lower_unary<UNF_TANH>, need_f32});
  t.add("Sqrt", {lower_unary<UNF_SQRT>, need_f32});
  t.add("LeakyRelu", {lower_leaky_relu, need_f32});
  t.add("Clip", {lower_clip, check_clip});
  t.add("Add", {lower_binary<BIF_ADD>, check_binary});
  t.add("Sub", {lower_binary<BIF_SUB>, check_binary});
  t.add("Mul", {lower_binary<BIF_MUL>, check_binary});
  t.add("Div", {lower_binary<BIF_DIV>, check_binary});
  t.add("Max", {lower_binary<BIF_MAX>, check_binary});
  t.add("Min", {lower_binary<BIF_MIN>, check_binary});
  t.add("Pow", {lower_pow, check_pow});
  t.add("Softmax", {lower_softmax, need_f32});
  t.add("ReduceMean", {lower_reduce_mean, need_f32});
  register_lower_norm(t);
}

}  // namespace flecsim::compiler
