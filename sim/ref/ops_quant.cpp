// QuantizeLinear and DequantizeLinear, per tensor or per axis (scale of length
// shape[axis]). Quantisation divides in float32 and rounds half to even, as ONNX does.
#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

// Index into scale / zero point for element i: 0 per tensor, the axis coordinate per axis.
struct AxisIndexer {
  int64_t channels = 1, inner = 1;
  bool per_axis = false;
  AxisIndexer(const Node& node, const Tensor& x, const Tensor& scale) {
    if (scale.numel() == 1 && scale.rank() <= 1) return;
    if (scale.rank() != 1) throw UserError("scale must be a scalar or 1-D");
    const int64_t axis = normalize_axis(node.attr_int("axis", 1), static_cast<int64_t>(x.rank()));
    channels = x.dim(static_cast<size_t>(axis));
    if (scale.numel() != channels)
      throw UserError("scale has " + std::to_string(scale.numel()) + " values, axis " +
                      std::to_string(axis) + " has " + std::to_string(channels));
    for (size_t d = static_cast<size_t>(axis) + 1; d < x.rank(); ++d) inner *= x.dim(d);
    per_axis = true;
  }
  size_t operator()(int64_t i) const {
    return per_axis ? static_cast<size_t>((i / inner) % channels) : 0;
  }
};

void exec_quantize(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "x");
  const Tensor& scale = require(in, 1, "y_scale");
  const Tensor* zp = in.size() > 2 ? in[2] : nullptr;
  const AxisIndexer index(node, x, scale);
  const auto xs = values_as<float>(x), ss = values_as<float>(scale);
  const std::vector<double> zs = zp ? values_as<double>(*zp) : std::vector<double>(ss.size(), 0.0);
  if (zs.size() != ss.size()) throw UserError("zero point and scale sizes differ");
  out[0] = Tensor(zp ? zp->dtype() : DType::kUInt8, x.shape());
  graph::visit_dtype(out[0].dtype(), "y_zero_point", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* y = out[0].data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) {
      const size_t c = index(i);
      y[i] = saturate<T>(round_half_even(xs[i] / ss[c]) + zs[c]);
    }
  });
}

void exec_dequantize(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "x");
  const Tensor& scale = require(in, 1, "x_scale");
  const Tensor* zp = in.size() > 2 ? in[2] : nullptr;
  const AxisIndexer index(node, x, scale);
  const auto xs = values_as<double>(x);
  const auto ss = values_as<float>(scale);
  const std::vector<double> zs = zp ? values_as<double>(*zp) : std::vector<double>(ss.size(), 0.0);
  if (zs.size() != ss.size()) throw UserError("zero point and scale sizes differ");
  out[0] = Tensor(DType::kFloat32, x.shape());
  float* y = out[0].data<float>();
  for (int64_t i = 0; i < x.numel(); ++i) {
    const size_t c = index(i);
    y[i] = static_cast<float>(xs[i] - zs[c]) * ss[c];
  }
}

}  // namespace

void register_quant_ops(OpTable& table) {
  table.add("QuantizeLinear", {exec_quantize, nullptr, 2});
  table.add("DequantizeLinear", {exec_dequantize, nullptr, 2});
}

}  // namespace flecsim::ref
