// Normalisations and reductions: BatchNormalization (inference and training mode),
// Softmax (opset 13 single axis, and the older 2-D coercion), ReduceMean.
#include <algorithm>
#include <cmath>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

// Per-channel statistics of x [N, C, ...] over all axes but 1.
void channel_moments(const Tensor& x, std::vector<double>& mean, std::vector<double>& var) {
  const int64_t n = x.dim(0), c = x.dim(1), inner = x.numel() / std::max<int64_t>(n * c, 1);
  mean.assign(static_cast<size_t>(c), 0.0);
  var.assign(static_cast<size_t>(c), 0.0);
  const float* p = x.data<float>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < inner; ++i) mean[ch] += p[(b * c + ch) * inner + i];
  for (auto& m : mean) m /= static_cast<double>(n * inner);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < inner; ++i) {
        const double d = p[(b * c + ch) * inner + i] - mean[ch];
        var[ch] += d * d;
      }
  for (auto& v : var) v /= static_cast<double>(n * inner);
}

void exec_batch_norm(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  if (x.rank() < 2 || x.dtype() != DType::kFloat32)
    throw UserError("BatchNormalization needs a float32 input of rank >= 2");
  const auto scale = values_as<double>(require(in, 1, "scale"));
  const auto bias = values_as<double>(require(in, 2, "B"));
  std::vector<double> mean = values_as<double>(require(in, 3, "input_mean"));
  std::vector<double> var = values_as<double>(require(in, 4, "input_var"));
  const int64_t c = x.dim(1), inner = x.numel() / std::max<int64_t>(x.dim(0) * c, 1);
  for (const std::vector<double>* v :
       {&scale, &bias, static_cast<const std::vector<double>*>(&mean),
        static_cast<const std::vector<double>*>(&var)})
    if (static_cast<int64_t>(v->size()) != c) throw UserError("parameter size differs from C");
  const double eps = node.attr_float("epsilon", 1e-5f);
  if (node.attr_int("training_mode", 0)) {
    const double momentum = node.attr_float("momentum", 0.9f);
    std::vector<double> batch_mean, batch_var;
    channel_moments(x, batch_mean, batch_var);
    for (size_t i = 1; i < out.size() && i < 3; ++i) {
      out[i] = Tensor(DType::kFloat32, {c});
      const auto& running = i == 1 ? mean : var;
      const auto& batch = i == 1 ? batch_mean : batch_var;
      for (int64_t ch = 0; ch < c; ++ch)
        out[i].data<float>()[ch] =
            static_cast<float>(running[ch] * momentum + batch[ch] * (1 - momentum));
    }
    mean = batch_mean, var = batch_var;
  }
  out[0] = Tensor(DType::kFloat32, x.shape());
  const float* px = x.data<float>();
  float* py = out[0].data<float>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    const size_t ch = static_cast<size_t>((i / inner) % c);
    py[i] =
        static_cast<float>((px[i] - mean[ch]) / std::sqrt(var[ch] + eps) * scale[ch] + bias[ch]);
  }
}

// Softmax over [outer, axis_len, inner] blocks; opsets < 13 flatten from `axis` onwards.
void exec_softmax(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "input");
  if (x.dtype() != DType::kFloat32) throw UserError("Softmax computes float32 only");
  const int64_t rank = static_cast<int64_t>(x.rank());
  const bool legacy = node.opset < 13;
  const int64_t axis = normalize_axis(node.attr_int("axis", legacy ? 1 : -1), rank);
  int64_t outer = 1, len = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) {
    if (d < axis)
      outer *= x.dim(d);
    else if (d == axis || legacy)
      len *= x.dim(d);
    else
      inner *= x.dim(d);
  }
  out[0] = Tensor(x.dtype(), x.shape());
  const float* px = x.data<float>();
  float* py = out[0].data<float>();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      const int64_t base = o * len * inner + i;
      float max = -INFINITY;
      for (int64_t j = 0; j < len; ++j) max = std::max(max, px[base + j * inner]);
      double sum = 0;
      for (int64_t j = 0; j < len; ++j)
        sum += py[base + j * inner] = std::exp(px[base + j * inner] - max);
      for (int64_t j = 0; j < len; ++j)
        py[base + j * inner] = static_cast<float>(py[base + j * inner] / sum);
    }
}

// Axes: attribute before opset 18, optional input from 18 on; none means all axes
// (unless noop_with_empty_axes).
void exec_reduce_mean(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "data");
  const int64_t rank = static_cast<int64_t>(x.rank());
  std::vector<int64_t> axes = node.attr_ints("axes", {});
  if (in.size() > 1 && in[1]) axes = in[1]->to_ints();
  if (axes.empty() && node.attr_int("noop_with_empty_axes", 0)) {
    out[0] = x;
    return;
  }
  std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty());
  for (int64_t a : axes) reduced[static_cast<size_t>(normalize_axis(a, rank))] = true;
  const bool keep = node.attr_int("keepdims", 1) != 0;
  Shape kept_shape, out_shape;
  for (int64_t d = 0; d < rank; ++d) {
    kept_shape.push_back(reduced[d] ? 1 : x.dim(d));
    if (!reduced[d] || keep) out_shape.push_back(kept_shape.back());
  }
  // Accumulate each input element into its reduced position (broadcast offsets reversed).
  const auto target = broadcast_offsets(kept_shape, x.shape());
  std::vector<double> sums(static_cast<size_t>(graph::element_count(kept_shape)), 0.0);
  const auto xv = values_as<double>(x);
  for (size_t i = 0; i < xv.size(); ++i) sums[target[i]] += xv[i];
  const double count = static_cast<double>(x.numel()) / static_cast<double>(sums.size());
  out[0] = Tensor(x.dtype(), out_shape);
  graph::visit_dtype(x.dtype(), "data", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for (size_t i = 0; i < sums.size(); ++i) out[0].data<T>()[i] = static_cast<T>(sums[i] / count);
  });
}

}  // namespace

void register_norm_ops(OpTable& table) {
  table.add("BatchNormalization", {exec_batch_norm, nullptr, 5});
  table.add("Softmax", {exec_softmax, nullptr, 1});
  table.add("ReduceMean", {exec_reduce_mean, nullptr, 1});
}

}  // namespace flecsim::ref
