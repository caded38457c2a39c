// Data movement: reshape-like ops, Transpose, Concat, Pad — all strided copies (and fills).
#include <algorithm>
#include <cstring>

#include "compiler/lower.h"
#include "compiler/lower_nn.h"
#include "ref/kernels.h"

namespace flecsim::compiler {
namespace {

// Strided copy of `dims` elements from x (src strides/offset) to y (dst strides/offset).
ProgramOp& emit_copy(LowerContext& ctx, int x, int y, const Shape& dims,
                     const std::vector<int32_t>& src_strides,
                     const std::vector<int32_t>& dst_strides, int64_t src_offset,
                     int64_t dst_offset, DType dtype) {
  ProgramOp& op = ctx.emit(FLC_OP_COPY, {x, y});
  op.params[CP_ELEM] = static_cast<int32_t>(graph::dtype_size(dtype));
  put_dims(op, CP_RANK, CP_DIMS, dims);
  put_ints(op, CP_SRC_STRIDES, src_strides);
  put_ints(op, CP_DST_STRIDES, dst_strides);
  op.params[CP_SRC_OFFSET] = checked_i32(src_offset, "offset");
  op.params[CP_DST_OFFSET] = checked_i32(dst_offset, "offset");
  return op;
}

// Reshape, Flatten, Squeeze, Unsqueeze, Identity: the bytes do not change.
void lower_reshape(LowerContext& ctx) {
  const Shape flat{graph::element_count(ctx.out_shape(0))};
  emit_copy(ctx, ctx.input(0), ctx.output(0), flat, {1}, {1}, 0, 0, ctx.in_dtype(0));
}

void lower_transpose(LowerContext& ctx) {
  const Shape& x = ctx.in_shape(0);
  std::vector<int64_t> perm = ctx.node.attr_ints("perm", {});
  if (perm.empty())
    for (size_t d = x.size(); d-- > 0;) perm.push_back(static_cast<int64_t>(d));
  const std::vector<int32_t> xs = contiguous_strides(x);
  std::vector<int32_t> src(perm.size());
  for (size_t d = 0; d < perm.size(); ++d) src[d] = xs[perm[d]];
  const Shape& y = ctx.out_shape(0);
  emit_copy(ctx, ctx.input(0), ctx.output(0), y, src, contiguous_strides(y), 0, 0, ctx.in_dtype(0));
}

void lower_concat(LowerContext& ctx) {
  const Shape& y = ctx.out_shape(0);
  const int64_t axis =
      ref::normalize_axis(ctx.node.attr_int("axis", 0), static_cast<int64_t>(y.size()));
  const std::vector<int32_t> ys = contiguous_strides(y);
  int64_t offset = 0;
  for (size_t i = 0; i < ctx.node.inputs.size(); ++i) {
    const Shape& x = ctx.in_shape(i);
    if (graph::element_count(x) == 0) continue;
    emit_copy(ctx, ctx.input(i), ctx.output(0), x, contiguous_strides(x), ys, 0, offset * ys[axis],
              ctx.in_dtype(i));
    offset += x[axis];
  }
}

// The pad value as a one-element tensor of the data's type.
graph::Tensor pad_value(DType dtype, double value) {
  graph::Tensor t(dtype, {1});
  graph::visit_dtype(dtype, "Pad value", [&](auto tag) {
    using T = typename decltype(tag)::type;
    t.data<T>()[0] = static_cast<T>(value);
  });
  return t;
}

// Constant padding with pads and value known at compile time: a FILL and a strided COPY.
void emit_constant_pad(LowerContext& ctx, const std::vector<int64_t>& pads, double value) {
  const Shape& x = ctx.in_shape(0);
  const Shape& y = ctx.out_shape(0);
  const DType dtype = ctx.in_dtype(0);
  ProgramOp& fill = ctx.emit(FLC_OP_FILL, {ctx.output(0)});
  fill.params[FL_ELEM] = static_cast<int32_t>(graph::dtype_size(dtype));
  fill.params[FL_COUNT] = checked_i32(graph::element_count(y), "element count");
  const graph::Tensor pattern = pad_value(dtype, value);
  uint32_t words[2] = {0, 0};
  std::memcpy(words, pattern.bytes().data(), pattern.bytes().size());
  fill.params[FL_LO] = static_cast<int32_t>(words[0]);
  fill.params[FL_HI] = static_cast<int32_t>(words[1]);
  const std::vector<int32_t> ys = contiguous_strides(y);
  int64_t offset = 0;
  for (size_t d = 0; d < x.size(); ++d) offset += pads[d] * ys[d];
  emit_copy(ctx, ctx.input(0), ctx.output(0), x, contiguous_strides(x), ys, 0, offset, dtype);
}

// Any mode, pads and value possibly computed at run time: one PAD op.
void emit_general_pad(LowerContext& ctx, int mode, int pads, int value) {
  ProgramOp& op = ctx.emit(FLC_OP_PAD, {ctx.input(0), pads, value, ctx.output(0)});
  op.params[PD_ELEM] = static_cast<int32_t>(graph::dtype_size(ctx.in_dtype(0)));
  op.params[PD_MODE] = mode;
  put_dims(op, PD_RANK, PD_X_DIMS, ctx.in_shape(0));
  put_dims(op, PD_RANK, PD_Y_DIMS, ctx.out_shape(0));
}

void lower_pad(LowerContext& ctx) {
  const std::string mode = ctx.node.attr_string("mode", "constant");
  const int mode_code = mode == "constant"  ? PDM_CONSTANT
                        : mode == "reflect" ? PDM_REFLECT
                        : mode == "edge"    ? PDM_EDGE
                                            : -1;
  if (mode_code < 0) ctx.unsupported("Pad mode '" + mode + "'");
  if (ctx.node.opset >= 11 && ctx.node.has_input(3)) ctx.unsupported("Pad with axes");
  const DType dtype = ctx.in_dtype(0);
  if (ctx.node.opset < 11) {  // pads and value are attributes
    const auto pads = ctx.node.attr_ints("pads", {});
    const double value = ctx.node.attr_float("value", 0.0f);
    if (mode_code == PDM_CONSTANT &&
        std::all_of(pads.begin(), pads.end(), [](int64_t p) { return p >= 0; }))
      return emit_constant_pad(ctx, pads, value);
    const int pads_tensor = ctx.add_constant(
        "pads", graph::Tensor::from_ints({static_cast<int64_t>(pads.size())}, pads));
    return emit_general_pad(ctx, mode_code, pads_tensor,
                            ctx.add_constant("value", pad_value(dtype, value)));
  }
  const graph::Tensor* pads = ctx.constant_input(1);
  const bool value_known = !ctx.node.has_input(2) || ctx.constant_input(2);
  if (mode_code == PDM_CONSTANT && pads && value_known) {
    const auto p = pads->to_ints();
    if (std::all_of(p.begin(), p.end(), [](int64_t v) { return v >= 0; }))
      return emit_constant_pad(ctx, p,
                               ctx.node.has_input(2) ? ctx.constant_input(2)->get_double(0) : 0.0);
  }
  if (ctx.in_dtype(1) != DType::kInt64) ctx.unsupported("pads must be int64");
  if (ctx.node.has_input(2) && ctx.in_dtype(2) != dtype)
    ctx.unsupported("constant_value of a different element type than the data");
  emit_general_pad(ctx, mode_code, ctx.input(1), ctx.input(2));
}

}  // namespace

void register_lower_shape(LowerTable& t) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity"})
    t.add(op, {lower_reshape, nullptr});
  t.add("Transpose", {lower_transpose, nullptr});
  t.add("Concat", {lower_concat, nullptr});
  t.add("Pad", {lower_pad, nullptr});
  register_lower_resize(t);
}

}  // namespace flecsim::compiler
