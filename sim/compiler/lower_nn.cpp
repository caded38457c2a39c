// Convolution, matrix multiply and pooling on the CPU (f32, and integer with zero points).
#include "compiler/lower_nn.h"

#include "compiler/lower.h"
#include "ref/kernels.h"

namespace flecsim::compiler {

ConvGeometry conv_geometry(LowerContext& ctx, const Shape& w_shape) {
  const Shape& x = ctx.in_shape(0);
  if (x.size() != 3 && x.size() != 4) ctx.unsupported("only 1-D and 2-D convolutions");
  const auto windows =
      ref::node_windows(ctx.node, x, Shape(w_shape.begin() + 2, w_shape.end()), false);
  ConvGeometry g;
  const bool two_d = x.size() == 4;
  const auto strides = ctx.node.attr_ints("strides", {1, 1});
  const auto dilations = ctx.node.attr_ints("dilations", {1, 1});
  g.n = x[0], g.c = x[1], g.h = two_d ? x[2] : 1, g.w = x.back();
  g.m = w_shape[0], g.kh = two_d ? w_shape[2] : 1, g.kw = w_shape.back();
  g.oh = two_d ? windows[0].out : 1, g.ow = windows.back().out;
  g.group = ctx.node.attr_int("group", 1);
  g.sh = two_d ? strides[0] : 1, g.sw = strides.back();
  g.dh = two_d ? dilations[0] : 1, g.dw = dilations.back();
  g.pt = two_d ? windows[0].pad_begin : 0, g.pl = windows.back().pad_begin;
  return g;
}

void put_conv_geometry(ProgramOp& op, const ConvGeometry& g) {
  const int64_t v[] = {g.n,  g.c,     g.h,  g.w,  g.m,  g.kh, g.kw, g.oh,
                       g.ow, g.group, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw};
  for (int i = 0; i < 16; ++i) op.params[CV_N + i] = checked_i32(v[i], "convolution size");
}

uint64_t conv_macs(const ConvGeometry& g) {
  return static_cast<uint64_t>(g.n * g.m * g.oh * g.ow * (g.c / g.group) * g.kh * g.kw);
}

namespace {

// Conv (f32) and ConvInteger (u8/i8 with zero points -> i32).
void lower_conv(LowerContext& ctx) {
  const bool integer = ctx.node.op_type == "ConvInteger";
  const ConvGeometry g = conv_geometry(ctx, ctx.in_shape(1));
  int bias = -1, w_zp = -1, x_zp_tensor = -1;
  int32_t x_zp = 0, w_zp_scalar = 0;
  if (integer) {  // zero points: folded when constant, else read by the kernel at run time
    if (const graph::Tensor* t = ctx.constant_input(2))
      x_zp = static_cast<int32_t>(t->get_int(0));
    else
      x_zp_tensor = ctx.input(2);
    const graph::Tensor* t = ctx.constant_input(3);
    if (t && t->numel() == 1)
      w_zp_scalar = static_cast<int32_t>(t->get_int(0));
    else
      w_zp = ctx.input(3);
  } else {
    bias = ctx.input(2);
  }
  ProgramOp& op =
      ctx.emit(FLC_OP_CONV, {ctx.input(0), ctx.input(1), bias, ctx.output(0), w_zp, x_zp_tensor});
  op.params[CV_MODE] = integer ? 1 : 0;
  put_conv_geometry(op, g);
  op.params[CV_X_DTYPE] = flc_dtype(ctx.in_dtype(0));
  op.params[CV_W_DTYPE] = flc_dtype(ctx.in_dtype(1));
  op.params[CV_X_ZP] = x_zp;
  op.params[CV_W_ZP] = w_zp_scalar;
  ctx.program.layers[ctx.layer].macs += conv_macs(g);
}

std::string check_conv(const graph::Node& node, const graph::Graph& g) {
  auto w = g.constants.find(node.inputs.size() > 1 ? node.inputs[1] : "");
  const graph::ValueInfo* wv = node.inputs.size() > 1 ? g.value(node.inputs[1]) : nullptr;
  const size_t rank =
      w != g.constants.end() ? w->second.rank() : (wv && wv->shape ? wv->shape->size() : 0);
  if (rank != 3 && rank != 4) return "only 1-D and 2-D convolutions";
  return "";
}

}  // namespace

// Batched matmul of a [.., M, K] and b [.., K, N] with broadcast batch dims, optional bias c
// broadcast to [M, N]; trans flags swap the row/column strides (Gemm).
void emit_matmul(LowerContext& ctx, const MatmulOperands& mm) {
  Shape a = mm.a_shape, b = mm.b_shape;
  const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  const size_t ar = a.size(), br = b.size();
  const int64_t M = mm.trans_a ? a[ar - 1] : a[ar - 2], K = mm.trans_a ? a[ar - 2] : a[ar - 1];
  const int64_t N = mm.trans_b ? b[br - 2] : b[br - 1];
  const Shape a_batch(a.begin(), a.end() - 2), b_batch(b.begin(), b.end() - 2);
  const Shape batch = ref::broadcast_shapes({a_batch, b_batch});
  if (batch.size() > 4) ctx.unsupported("matmul with more than 4 batch dimensions");
  const auto as = contiguous_strides(a), bs = contiguous_strides(b);
  ProgramOp& op = ctx.emit(FLC_OP_MATMUL, {mm.a, mm.b, mm.c, mm.y, mm.a_zp, mm.b_zp});
  op.params[MM_MODE] = mm.integer ? 1 : 0;
  put_dims(op, MM_BATCH_RANK, MM_BATCH_DIMS, batch);
  const auto a_bs = broadcast_strides(a_batch, batch), b_bs = broadcast_strides(b_batch, batch);
  for (size_t d = 0; d < batch.size(); ++d) {
    op.params[MM_A_BSTRIDES + d] =
        a_bs[d] ? checked_i32(a_bs[d] * a[ar - 2] * a[ar - 1], "stride") : 0;
    op.params[MM_B_BSTRIDES + d] =
        b_bs[d] ? checked_i32(b_bs[d] * b[br - 2] * b[br - 1], "stride") : 0;
  }
  op.params[MM_M] = checked_i32(M, "M"), op.params[MM_N] = checked_i32(N, "N");
  op.params[MM_K] = checked_i32(K, "K");
  op.params[MM_A_RS] = mm.trans_a ? 1 : as[ar - 2],
  op.params[MM_A_CS] = mm.trans_a ? as[ar - 2] : 1;
  op.params[MM_B_RS] = mm.trans_b ? 1 : bs[br - 2],
  op.params[MM_B_CS] = mm.trans_b ? bs[br - 2] : 1;
  if (mm.c >= 0) {
    const auto cs = broadcast_strides(mm.c_shape, Shape{M, N});
    op.params[MM_C_RS] = cs[0], op.params[MM_C_CS] = cs[1];
  }
  op.set_f32(MM_ALPHA, mm.alpha);
  op.set_f32(MM_BETA, mm.beta);
  op.params[MM_A_DTYPE] = mm.a_dtype, op.params[MM_B_DTYPE] = mm.b_dtype;
  int64_t batches = graph::element_count(batch);
  ctx.program.layers[ctx.layer].macs += static_cast<uint64_t>(batches * M * N * K);
}

namespace {

void lower_matmul(LowerContext& ctx) {
  MatmulOperands mm;
  mm.a = ctx.input(0), mm.b = ctx.input(1), mm.y = ctx.output(0);
  mm.a_shape = ctx.in_shape(0), mm.b_shape = ctx.in_shape(1);
  mm.a_dtype = flc_dtype(ctx.in_dtype(0)), mm.b_dtype = flc_dtype(ctx.in_dtype(1));
  if (ctx.node.op_type == "Gemm") {
    mm.trans_a = ctx.node.attr_int("transA", 0), mm.trans_b = ctx.node.attr_int("transB", 0);
    mm.alpha = ctx.node.attr_float("alpha", 1.0f), mm.beta = ctx.node.attr_float("beta", 1.0f);
    if (ctx.node.has_input(2)) mm.c = ctx.input(2), mm.c_shape = ctx.in_shape(2);
  } else if (ctx.node.op_type == "MatMulInteger") {
    mm.integer = true;
    mm.a_zp = ctx.input(2), mm.b_zp = ctx.input(3);
    for (size_t i = 2; i <= 3; ++i)
      if (ctx.node.has_input(i) && graph::element_count(ctx.in_shape(i)) != 1)
        ctx.unsupported("per-row/column zero points in MatMulInteger");
  }
  emit_matmul(ctx, mm);
}

// Spatial geometry of one pooling op, 1-D to 3-D; missing leading axes have size 1.
void put_pool_window(LowerContext& ctx, ProgramOp& op, const Shape& x) {
  const auto kernel = ctx.node.attr_ints("kernel_shape", {});
  const bool ceil = ctx.node.attr_int("ceil_mode", 0);
  const auto windows = ref::node_windows(ctx.node, x, Shape(kernel.begin(), kernel.end()), ceil);
  const auto strides = ctx.node.attr_ints("strides", std::vector<int64_t>(kernel.size(), 1));
  const auto dilations = ctx.node.attr_ints("dilations", std::vector<int64_t>(kernel.size(), 1));
  // Param slots of the depth, height and width axes; spatial axis s of n maps to slot 3-n+s.
  const int out_at[3] = {PL_OD, PL_OH, PL_OW}, k_at[3] = {PL_KD, PL_KH, PL_KW};
  const int s_at[3] = {PL_SD, PL_SH, PL_SW}, d_at[3] = {PL_DD, PL_DH, PL_DW};
  const int p_at[3] = {PL_PF, PL_PT, PL_PL};
  const size_t n = kernel.size(), first = 3 - n;
  for (size_t s = 0; s < n; ++s) {
    op.params[out_at[first + s]] = checked_i32(windows[s].out, "pooled size");
    op.params[k_at[first + s]] = checked_i32(kernel[s], "kernel");
    op.params[s_at[first + s]] = checked_i32(strides[s], "stride");
    op.params[d_at[first + s]] = checked_i32(dilations[s], "dilation");
    op.params[p_at[first + s]] = checked_i32(windows[s].pad_begin, "pad");
  }
}

void lower_pool(LowerContext& ctx) {
  const Shape& x = ctx.in_shape(0);
  const std::string& op_type = ctx.node.op_type;
  if (x.size() < 3 || x.size() > 5) ctx.unsupported("only 1-D, 2-D and 3-D pooling");
  const bool indices = ctx.node.outputs.size() > 1 && !ctx.node.outputs[1].empty();
  ProgramOp& op =
      ctx.emit(FLC_OP_POOL, {ctx.input(0), ctx.output(0), indices ? ctx.output(1) : -1});
  op.params[PL_PLANES] = checked_i32(x[0] * x[1], "planes");
  // Spatial sizes right-aligned into (D, H, W); the window fields default to 1 / 0.
  const int size_at[3] = {PL_D, PL_H, PL_W};
  for (int slot = 0; slot < 3; ++slot) {
    const int64_t axis = static_cast<int64_t>(x.size()) - 3 + slot;
    op.params[size_at[slot]] = checked_i32(axis >= 2 ? x[axis] : 1, "pooled size");
  }
  const int ones[] = {PL_OD, PL_OH, PL_OW, PL_KD, PL_KH, PL_KW,
                      PL_SD, PL_SH, PL_SW, PL_DD, PL_DH, PL_DW};
  for (int at : ones) op.params[at] = 1;
  op.params[PL_DTYPE] = flc_dtype(ctx.in_dtype(0));
  op.params[PL_COL_MAJOR] = ctx.node.attr_int("storage_order", 0) != 0;
  if (op_type == "GlobalAveragePool") {
    op.params[PL_TYPE] = PLT_AVG_EXCLUDE_PAD;
    op.params[PL_KD] = op.params[PL_D], op.params[PL_KH] = op.params[PL_H];
    op.params[PL_KW] = op.params[PL_W];
    return;
  }
  op.params[PL_TYPE] = op_type == "MaxPool"                        ? PLT_MAX
                       : ctx.node.attr_int("count_include_pad", 0) ? PLT_AVG_INCLUDE_PAD
                                                                   : PLT_AVG_EXCLUDE_PAD;
  put_pool_window(ctx, op, x);
}

}  // namespace

void register_lower_nn(LowerTable& t) {
  t.add("Conv", {lower_conv, check_conv});
  t.add("ConvInteger", {lower_conv, check_conv});
  t.add("Gemm", {lower_matmul, nullptr});
  t.add("MatMul", {lower_matmul, nullptr});
  t.add("MatMulInteger", {lower_matmul, nullptr});
  t.add("MaxPool", {lower_pool, nullptr});
  t.add("AveragePool", {lower_pool, nullptr});
  t.add("GlobalAveragePool", {lower_pool, nullptr});
}

}  // namespace flecsim::compiler
