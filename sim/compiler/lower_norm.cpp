// BatchNormalization on the CPU. Constant parameters are folded into one scale and one bias
// per channel; parameters computed at run time (graph inputs) and training mode (statistics
// of the batch itself, plus the updated running mean and variance) become a short chain of
// REDUCE / BINARY / UNARY ops over the channel vectors.
#include <cmath>

#include "compiler/lower.h"
#include "compiler/lower_nn.h"

namespace flecsim::compiler {
namespace {

// y = x * s[c] + b[c] with s = gamma / sqrt(var + eps), b = beta - mean * s (channel axis 1).
void emit_folded(LowerContext& ctx, const Shape& cshape, float eps) {
  const graph::Tensor *gamma = ctx.constant_input(1), *beta = ctx.constant_input(2),
                      *mean = ctx.constant_input(3), *var = ctx.constant_input(4);
  std::vector<float> scale, bias;
  for (int64_t c = 0; c < gamma->numel(); ++c) {
    const float s = static_cast<float>(gamma->get_double(c)) /
                    std::sqrt(static_cast<float>(var->get_double(c)) + eps);
    scale.push_back(s);
    bias.push_back(static_cast<float>(beta->get_double(c)) -
                   static_cast<float>(mean->get_double(c)) * s);
  }
  const Shape& x = ctx.in_shape(0);
  const int s = ctx.add_constant("scale", graph::Tensor::from_floats(cshape, scale));
  const int b = ctx.add_constant("bias", graph::Tensor::from_floats(cshape, bias));
  const int t = ctx.add_temp("scaled", DType::kFloat32, x);
  emit_binary(ctx, BIF_MUL, ctx.input(0), s, t, x, cshape, x, DType::kFloat32);
  emit_binary(ctx, BIF_ADD, t, b, ctx.output(0), x, cshape, x, DType::kFloat32);
}

int scalar_constant(LowerContext& ctx, const std::string& name, float value) {
  return ctx.add_constant(name, graph::Tensor::from_floats({1}, {value}));
}

// running' = running * momentum + batch * (1 - momentum), into graph output `out`.
void emit_running(LowerContext& ctx, size_t out, int running, int batch, const Shape& vec) {
  if (ctx.node.outputs.size() <= out || ctx.node.outputs[out].empty()) return;
  const float momentum = ctx.node.attr_float("momentum", 0.9f);
  const std::string tag = out == 1 ? "mean" : "var";
  const int kept = ctx.add_temp("kept_" + tag, DType::kFloat32, vec);
  const int added = ctx.add_temp("added_" + tag, DType::kFloat32, vec);
  emit_binary(ctx, BIF_MUL, running, scalar_constant(ctx, "momentum", momentum), kept, vec, {1},
              vec, DType::kFloat32);
  emit_binary(ctx, BIF_MUL, batch, scalar_constant(ctx, "one_minus_momentum", 1.0f - momentum),
              added, vec, {1}, vec, DType::kFloat32);
  emit_binary(ctx, BIF_ADD, kept, added, ctx.output(out), vec, vec, vec, DType::kFloat32);
}

// y = (x - mean) * (gamma / sqrt(var + eps)) + beta with run-time vectors; in training mode
// mean and var are the batch's own (over every axis but 1).
void emit_runtime(LowerContext& ctx, const Shape& cshape, float eps) {
  const Shape& x = ctx.in_shape(0);
  const Shape vec{cshape[0]};
  const DType f32 = DType::kFloat32;
  int mean = ctx.input(3), var = ctx.input(4);
  const int centred = ctx.add_temp("centred", f32, x);
  if (ctx.node.attr_int("training_mode", 0)) {
    std::vector<bool> reduced(x.size(), true);
    reduced[1] = false;
    const int batch_mean = ctx.add_temp("batch_mean", f32, vec);
    const int squares = ctx.add_temp("squares", f32, x);
    const int batch_var = ctx.add_temp("batch_var", f32, vec);
    emit_reduce_mean(ctx, ctx.input(0), batch_mean, x, reduced);
    emit_binary(ctx, BIF_SUB, ctx.input(0), batch_mean, centred, x, cshape, x, f32);
    emit_binary(ctx, BIF_MUL, centred, centred, squares, x, x, x, f32);
    emit_reduce_mean(ctx, squares, batch_var, x, reduced);
    emit_running(ctx, 1, mean, batch_mean, vec);
    emit_running(ctx, 2, var, batch_var, vec);
    mean = batch_mean, var = batch_var;
  } else {
    emit_binary(ctx, BIF_SUB, ctx.input(0), mean, centred, x, cshape, x, f32);
  }
  const int shifted = ctx.add_temp("var_eps", f32, vec);
  const int deviation = ctx.add_temp("deviation", f32, vec);
  const int scale = ctx.add_temp("scale", f32, vec);
  const int scaled = ctx.add_temp("scaled", f32, x);
  emit_binary(ctx, BIF_ADD, var, scalar_constant(ctx, "epsilon", eps), shifted, vec, {1}, vec, f32);
  emit_unary_on(ctx, UNF_SQRT, shifted, deviation, vec[0]);
  emit_binary(ctx, BIF_DIV, ctx.input(1), deviation, scale, vec, vec, vec, f32);
  emit_binary(ctx, BIF_MUL, centred, scale, scaled, x, cshape, x, f32);
  emit_binary(ctx, BIF_ADD, scaled, ctx.input(2), ctx.output(0), x, cshape, x, f32);
}

void lower_batchnorm(LowerContext& ctx) {
  const Shape& x = ctx.in_shape(0);
  if (x.size() < 2) ctx.unsupported("BatchNormalization of a tensor of rank below 2");
  Shape cshape(x.size() - 1, 1);
  cshape[0] = x[1];
  const float eps = ctx.node.attr_float("epsilon", 1e-5f);
  bool constant = !ctx.node.attr_int("training_mode", 0);
  for (size_t i = 1; i <= 4; ++i) constant = constant && ctx.constant_input(i);
  if (constant)
    emit_folded(ctx, cshape, eps);
  else
    emit_runtime(ctx, cshape, eps);
}

}  // namespace

void register_lower_norm(LowerTable& t) {
  t.add("BatchNormalization", {lower_batchnorm, need_f32});
}

}  // namespace flecsim::compiler
