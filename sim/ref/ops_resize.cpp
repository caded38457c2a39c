// Resize (opset 11+): nearest (all nearest_modes), linear and cubic, every
// coordinate_transformation_mode, tf_crop_and_resize extrapolation, exclude_outside.
// Interpolation is separable: each axis maps every output coordinate to a few
// (input index, weight) taps, following the ONNX reference implementation, and the
// axes are applied one after another.
#include <algorithm>
#include <cmath>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

struct Tap {
  int64_t index;
  double weight;
};
struct AxisTaps {
  std::vector<std::vector<Tap>> taps;  // per output coordinate
  std::vector<bool> outside;           // extrapolated (tf_crop_and_resize)
};

struct ResizeSettings {
  std::string mode, transform, nearest_mode;
  double cubic_a = -0.75, extrapolation = 0;
  bool exclude_outside = false;
};

double source_coordinate(const ResizeSettings& s, double x, double scale, int64_t in,
                         double out_len, double roi_start, double roi_end) {
  const std::string& t = s.transform;
  if (t == "align_corners") return out_len == 1 ? 0 : x * (in - 1) / (out_len - 1);
  if (t == "asymmetric") return x / scale;
  if (t == "pytorch_half_pixel") return out_len == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  if (t == "tf_half_pixel_for_nn") return (x + 0.5) / scale;
  if (t == "tf_crop_and_resize") {
    const double base = roi_start * (in - 1);
    if (out_len == 1) return base + (roi_end - roi_start) * (in - 1) / 2;
    return base + x * (roi_end - roi_start) * (in - 1) / (out_len - 1);
  }
  if (t == "half_pixel") return (x + 0.5) / scale - 0.5;
  throw UserError("coordinate_transformation_mode '" + t + "' is not supported");
}

// Interpolation weights for the fraction r in (0, 1] between taps base and base + 1.
std::vector<double> coefficients(const ResizeSettings& s, double r) {
  if (s.mode == "linear") return {1 - r, r};
  if (s.mode == "cubic") {
    const double a = s.cubic_a, p = r + 1, q = 1 - r, q1 = q + 1;
    return {((a * p - 5 * a) * p + 8 * a) * p - 4 * a, ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * q - (a + 3)) * q * q + 1, ((a * q1 - 5 * a) * q1 + 8 * a) * q1 - 4 * a};
  }
  if (r == 1) return {0, 1};
  const std::string& m = s.nearest_mode;
  bool up = false;
  if (m == "round_prefer_floor")
    up = r > 0.5;
  else if (m == "round_prefer_ceil")
    up = r >= 0.5;
  else if (m == "ceil")
    up = true;
  else if (m != "floor")
    throw UserError("nearest_mode '" + m + "' is not supported");
  return {up ? 0.0 : 1.0, up ? 1.0 : 0.0};
}

AxisTaps axis_taps(const ResizeSettings& s, int64_t in, int64_t out, double scale, double roi_start,
                   double roi_end) {
  AxisTaps a;
  const double out_len = scale * static_cast<double>(in);
  for (int64_t o = 0; o < out; ++o) {
    const double x =
        source_coordinate(s, static_cast<double>(o), scale, in, out_len, roi_start, roi_end);
    a.outside.push_back(s.transform == "tf_crop_and_resize" && (x < 0 || x > in - 1));
    // The left tap is floor(x); an integral x counts as fraction 1 of the previous gap.
    const double fl = std::floor(x);
    const double r = x == fl ? 1.0 : x - fl;
    const int64_t left = static_cast<int64_t>(fl) - (x == fl ? 1 : 0);
    const auto coeffs = coefficients(s, r);
    const int64_t first = left - (static_cast<int64_t>(coeffs.size()) / 2 - 1);
    std::vector<Tap> taps;
    double sum = 0;
    for (size_t k = 0; k < coeffs.size(); ++k) {
      const int64_t i = first + static_cast<int64_t>(k);
      double w = coeffs[k];
      if (s.exclude_outside && (i < 0 || i >= in)) w = 0;
      sum += w;
      taps.push_back({std::clamp<int64_t>(i, 0, in - 1), w});
    }
    if (s.exclude_outside && sum != 0)
      for (auto& t : taps) t.weight /= sum;
    a.taps.push_back(std::move(taps));
  }
  return a;
}

// Applies one axis' taps to data of shape `shape` (in place of that axis).
std::vector<double> apply_axis(const std::vector<double>& data, Shape& shape, size_t axis,
                               const AxisTaps& taps) {
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d) inner *= shape[d];
  const int64_t in = shape[axis], out = static_cast<int64_t>(taps.taps.size());
  std::vector<double> result(static_cast<size_t>(outer * out * inner), 0.0);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < out; ++j)
      for (const Tap& t : taps.taps[j]) {
        if (t.weight == 0) continue;
        const double* src = data.data() + (o * in + t.index) * inner;
        double* dst = result.data() + (o * out + j) * inner;
        for (int64_t i = 0; i < inner; ++i) dst[i] += t.weight * src[i];
      }
  shape[axis] = out;
  return result;
}

ResizeSettings settings_of(const Node& node) {
  ResizeSettings s;
  s.mode = node.attr_string("mode", "nearest");
  s.transform = node.attr_string("coordinate_transformation_mode", "half_pixel");
  s.nearest_mode = node.attr_string("nearest_mode", "round_prefer_floor");
  s.cubic_a = node.attr_float("cubic_coeff_a", -0.75f);
  s.exclude_outside = node.attr_int("exclude_outside", 0) != 0;
  s.extrapolation = node.attr_float("extrapolation_value", 0.0f);
  return s;
}

std::string check_resize(const Node& node) {
  const std::string mode = node.attr_string("mode", "nearest");
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return "mode '" + mode + "' is not supported";
  if (node.attr_int("antialias", 0)) return "antialias is not supported";
  if (node.has_attr("axes")) return "attribute axes is not supported";
  if (node.attr_string("keep_aspect_ratio_policy", "stretch") != "stretch")
    return "keep_aspect_ratio_policy other than stretch is not supported";
  return "";
}

void exec_resize(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  const size_t rank = x.rank();
  const ResizeSettings s = settings_of(node);
  for (int64_t d : x.shape())
    if (d == 0) throw UserError("cannot resize an empty tensor");
  std::vector<double> scales, roi;
  if (in.size() > 1 && in[1] && in[1]->numel()) roi = values_as<double>(*in[1]);
  Shape sizes;
  if (in.size() > 3 && in[3] && in[3]->numel()) {
    sizes = in[3]->to_ints();
    if (sizes.size() != rank) throw UserError("sizes must have one value per axis");
    for (int64_t d : sizes)
      if (d <= 0) throw UserError("sizes must be positive");
    for (size_t d = 0; d < rank; ++d) scales.push_back(double(sizes[d]) / double(x.dim(d)));
  } else if (in.size() > 2 && in[2] && in[2]->numel()) {
    scales = values_as<double>(*in[2]);
    if (scales.size() != rank) throw UserError("scales must have one value per axis");
    for (size_t d = 0; d < rank; ++d) {
      if (!(scales[d] > 0)) throw UserError("scales must be positive");
      sizes.push_back(static_cast<int64_t>(std::floor(double(x.dim(d)) * float(scales[d]))));
    }
  } else {
    throw UserError("Resize needs scales or sizes");
  }
  if (!roi.empty() && roi.size() != 2 * rank) throw UserError("roi must have 2 values per axis");
  std::vector<double> data = values_as<double>(x);
  std::vector<bool> outside_any;
  Shape shape = x.shape();
  std::vector<AxisTaps> all;
  for (size_t d = 0; d < rank; ++d) {
    const double r0 = roi.empty() ? 0 : roi[d], r1 = roi.empty() ? 1 : roi[d + rank];
    all.push_back(axis_taps(s, x.dim(d), sizes[d], scales[d], r0, r1));
    if (sizes[d] != x.dim(d) || scales[d] != 1.0 || s.transform == "tf_crop_and_resize")
      data = apply_axis(data, shape, d, all.back());
  }
  out[0] = Tensor(x.dtype(), shape);
  const auto strides = strides_of(shape);
  graph::visit_dtype(x.dtype(), "X", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* y = out[0].data<T>();
    for (size_t i = 0; i < data.size(); ++i) {
      bool outside = false;
      for (size_t d = 0; d < rank; ++d)
        outside = outside || all[d].outside[(static_cast<int64_t>(i) / strides[d]) % shape[d]];
      y[i] = static_cast<T>(outside ? s.extrapolation : data[i]);
    }
  });
}

}  // namespace

void register_resize_ops(OpTable& table) {
  table.add("Resize", {exec_resize, check_resize, 1});
}

}  // namespace flecsim::ref
