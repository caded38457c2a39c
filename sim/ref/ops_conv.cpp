// Convolutions: Conv (fp32), ConvInteger and QLinearConv (8-bit, int32 accumulation),
// 1-D and 2-D, groups (depthwise included), strides, pads, dilations, auto_pad.
// One im2col + GEMM core serves all three.
#include <algorithm>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

struct ConvGeometry {
  int64_t batch, in_ch, in_h, in_w, out_ch, groups, k_h, k_w;
  int64_t out_h, out_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left;
};

// 1-D convolutions are 2-D ones with height 1.
ConvGeometry conv_geometry(const Node& node, const Shape& x_in, const Shape& w_in) {
  if (x_in.size() != w_in.size() || x_in.size() < 3 || x_in.size() > 4)
    throw UserError("input " + graph::shape_str(x_in) + " and weights " + graph::shape_str(w_in) +
                    " are not a 1-D or 2-D convolution");
  const bool one_d = x_in.size() == 3;
  Shape x = x_in, w = w_in;
  if (one_d) x.insert(x.begin() + 2, 1), w.insert(w.begin() + 2, 1);
  Node n2 = node;  // windows read the attributes; lift 1-D attributes to 2-D
  if (one_d) {
    auto lift = [&](const char* key, int64_t neutral, size_t copies) {
      if (!node.has_attr(key)) return;
      auto v = node.attr_ints(key, {});
      for (size_t i = 0; i < copies; ++i) v.insert(v.begin() + i * 2, neutral);
      n2.attributes[key].ints = v;
    };
    lift("strides", 1, 1), lift("dilations", 1, 1), lift("pads", 0, 2);
    if (node.has_attr("kernel_shape")) n2.attributes.erase("kernel_shape");
  }
  ConvGeometry g{};
  g.batch = x[0], g.in_ch = x[1], g.in_h = x[2], g.in_w = x[3];
  g.out_ch = w[0], g.k_h = w[2], g.k_w = w[3];
  g.groups = node.attr_int("group", 1);
  if (g.groups < 1 || g.in_ch % g.groups || g.out_ch % g.groups || w[1] * g.groups != g.in_ch)
    throw UserError("channels " + std::to_string(g.in_ch) + " and weights " +
                    graph::shape_str(w_in) + " do not fit group " + std::to_string(g.groups));
  const auto win = node_windows(n2, x, {g.k_h, g.k_w}, false);
  const auto strides = n2.attr_ints("strides", {1, 1});
  const auto dil = n2.attr_ints("dilations", {1, 1});
  g.out_h = win[0].out, g.out_w = win[1].out, g.pad_top = win[0].pad_begin;
  g.pad_left = win[1].pad_begin, g.stride_h = strides[0], g.stride_w = strides[1];
  g.dil_h = dil[0], g.dil_w = dil[1];
  return g;
}

// Columns of one image and group: rows (c, kh, kw), columns (oh, ow); padding is 0.
template <class T>
void im2col(const ConvGeometry& g, const T* image, int64_t group, std::vector<T>& col) {
  const int64_t cpg = g.in_ch / g.groups, cols = g.out_h * g.out_w;
  col.assign(static_cast<size_t>(cpg * g.k_h * g.k_w * cols), T(0));
  for (int64_t c = 0; c < cpg; ++c) {
    const T* plane = image + (group * cpg + c) * g.in_h * g.in_w;
    for (int64_t kh = 0; kh < g.k_h; ++kh)
      for (int64_t kw = 0; kw < g.k_w; ++kw) {
        T* row = col.data() + ((c * g.k_h + kh) * g.k_w + kw) * cols;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
          const int64_t ih = oh * g.stride_h - g.pad_top + kh * g.dil_h;
          if (ih < 0 || ih >= g.in_h) continue;
          for (int64_t ow = 0; ow < g.out_w; ++ow) {
            const int64_t iw = ow * g.stride_w - g.pad_left + kw * g.dil_w;
            if (iw >= 0 && iw < g.in_w) row[oh * g.out_w + ow] = plane[ih * g.in_w + iw];
          }
        }
      }
  }
}

// y[n][m][p] = bias[m] + sum over the group's (c,kh,kw) of w * x; T is float or int32.
template <class T>
void conv_core(const ConvGeometry& g, const T* x, const T* w, const T* bias, T* y) {
  const int64_t cpg = g.in_ch / g.groups, mpg = g.out_ch / g.groups;
  const int64_t K = cpg * g.k_h * g.k_w, P = g.out_h * g.out_w;
  std::vector<T> col;
  for (int64_t n = 0; n < g.batch; ++n) {
    const T* image = x + n * g.in_ch * g.in_h * g.in_w;
    T* out = y + n * g.out_ch * P;
    for (int64_t m = 0; m < g.out_ch; ++m) std::fill_n(out + m * P, P, bias ? bias[m] : T(0));
    for (int64_t grp = 0; grp < g.groups; ++grp) {
      im2col(g, image, grp, col);
      gemm_accumulate(mpg, P, K, w + grp * mpg * K, K, col.data(), P, out + grp * mpg * P, P);
    }
  }
}

Shape conv_output_shape(const ConvGeometry& g, size_t rank) {
  if (rank == 3) return {g.batch, g.out_ch, g.out_w};
  return {g.batch, g.out_ch, g.out_h, g.out_w};
}

void exec_conv(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  const Tensor& w = require(in, 1, "W");
  const ConvGeometry g = conv_geometry(node, x.shape(), w.shape());
  std::vector<float> bias;
  if (in.size() > 2 && in[2]) {
    bias = values_as<float>(*in[2]);
    if (static_cast<int64_t>(bias.size()) != g.out_ch) throw UserError("bias size mismatch");
  }
  if (x.dtype() != DType::kFloat32 || w.dtype() != DType::kFloat32)
    throw UserError("Conv computes float32 only");
  out[0] = Tensor(DType::kFloat32, conv_output_shape(g, x.rank()));
  conv_core<float>(g, x.data<float>(), w.data<float>(), bias.empty() ? nullptr : bias.data(),
                   out[0].data<float>());
}

// Integer operand minus its zero point (scalar, or per output channel for weights).
std::vector<int32_t> centered(const Tensor& t, const Tensor* zero_point, int64_t channels) {
  auto v = values_as<int32_t>(t);
  if (!zero_point) return v;
  const auto zp = values_as<int32_t>(*zero_point);
  if (zp.size() == 1) {
    for (auto& e : v) e -= zp[0];
  } else if (static_cast<int64_t>(zp.size()) == channels) {
    const size_t per = v.size() / zp.size();
    for (size_t i = 0; i < v.size(); ++i) v[i] -= zp[i / per];
  } else {
    throw UserError("zero point has " + std::to_string(zp.size()) + " values, expected 1 or " +
                    std::to_string(channels));
  }
  return v;
}

// Shared by ConvInteger (x, w, x_zp, w_zp) and QLinearConv (x, xs, xzp, w, ws, wzp, ...).
Tensor conv_integer(const Node& node, const Tensor& x, const Tensor* x_zp, const Tensor& w,
                    const Tensor* w_zp, const Tensor* bias) {
  const ConvGeometry g = conv_geometry(node, x.shape(), w.shape());
  const auto xv = centered(x, x_zp, 1), wv = centered(w, w_zp, g.out_ch);
  std::vector<int32_t> b;
  if (bias) b = values_as<int32_t>(*bias);
  Tensor y(DType::kInt32, conv_output_shape(g, x.rank()));
  conv_core<int32_t>(g, xv.data(), wv.data(), bias ? b.data() : nullptr, y.data<int32_t>());
  return y;
}

void exec_conv_integer(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  out[0] = conv_integer(node, require(in, 0, "x"), in.size() > 2 ? in[2] : nullptr,
                        require(in, 1, "w"), in.size() > 3 ? in[3] : nullptr, nullptr);
}

void exec_qlinear_conv(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "x");
  const Tensor& w = require(in, 3, "w");
  const Tensor acc = conv_integer(node, x, in[2], w, in[5], in.size() > 8 ? in[8] : nullptr);
  const DType y_type = in[7] ? in[7]->dtype() : DType::kUInt8;
  out[0] = Tensor(y_type, acc.shape());
  requantize(acc, require(in, 1, "x_scale").get_double(0),
             values_as<double>(require(in, 4, "w_scale")), require(in, 6, "y_scale").get_double(0),
             in[7], 1, out[0]);
}

}  // namespace

void register_conv_ops(OpTable& table) {
  table.add("Conv", {exec_conv, nullptr, 2});
  table.add("ConvInteger", {exec_conv_integer, nullptr, 2});
  table.add("QLinearConv", {exec_qlinear_conv, nullptr, 8});
}

}  // namespace flecsim::ref
