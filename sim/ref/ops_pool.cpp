// Pooling over N spatial dimensions: MaxPool (with optional Indices output, dilations,
// ceil_mode, storage_order), AveragePool (count_include_pad) and GlobalAveragePool.
#include <algorithm>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

// Visits every window of every (n, c) plane: fn(plane, out_index, taps) where taps are
// the in-plane offsets of the window's elements inside the input, plus the window size
// counted over the padded area (for count_include_pad).
struct PoolGeometry {
  Shape in_spatial, out_spatial, kernel, strides, dilations;
  std::vector<Window> windows;
  int64_t planes = 0;
};

PoolGeometry pool_geometry(const Node& node, const Shape& x, bool use_dilations) {
  if (x.size() < 3) throw UserError("pooling input must have rank >= 3");
  PoolGeometry g;
  g.kernel = node.attr_ints("kernel_shape", {});
  const size_t spatial = x.size() - 2;
  if (g.kernel.size() != spatial) throw UserError("kernel_shape does not match the input rank");
  g.strides = node.attr_ints("strides", Shape(spatial, 1));
  g.dilations = use_dilations ? node.attr_ints("dilations", Shape(spatial, 1)) : Shape(spatial, 1);
  g.windows = node_windows(node, x, g.kernel, node.attr_int("ceil_mode", 0) != 0);
  g.in_spatial.assign(x.begin() + 2, x.end());
  for (const auto& w : g.windows) g.out_spatial.push_back(w.out);
  g.planes = x[0] * x[1];
  return g;
}

// Calls fn(out_offset, taps, padded_count) for each output position of one plane.
template <class Fn>
void for_each_window(const PoolGeometry& g, Fn fn) {
  const size_t rank = g.kernel.size();
  const auto in_strides = strides_of(g.in_spatial);
  const int64_t outs = graph::element_count(g.out_spatial),
                taps_max = graph::element_count(g.kernel);
  std::vector<int64_t> taps;
  std::vector<int64_t> o(rank), k(rank);
  for (int64_t out = 0; out < outs; ++out) {
    for (size_t d = rank, rem = static_cast<size_t>(out); d-- > 0;)
      o[d] = static_cast<int64_t>(rem % g.out_spatial[d]), rem /= g.out_spatial[d];
    taps.clear();
    int64_t padded = 1;
    for (size_t d = 0; d < rank; ++d) {  // window extent inside the padded input
      const int64_t start = o[d] * g.strides[d] - g.windows[d].pad_begin;
      const int64_t limit = g.in_spatial[d] + g.windows[d].pad_end;
      int64_t count = 0;
      for (int64_t j = 0; j < g.kernel[d]; ++j) count += start + j * g.dilations[d] < limit;
      padded *= count;
    }
    for (int64_t t = 0; t < taps_max; ++t) {
      int64_t offset = 0;
      bool inside = true;
      for (size_t d = rank, rem = static_cast<size_t>(t); d-- > 0;) {
        k[d] = static_cast<int64_t>(rem % g.kernel[d]), rem /= g.kernel[d];
        const int64_t i = o[d] * g.strides[d] - g.windows[d].pad_begin + k[d] * g.dilations[d];
        inside = inside && i >= 0 && i < g.in_spatial[d];
        offset += i * in_strides[d];
      }
      if (inside) taps.push_back(offset);
    }
    fn(out, taps, padded);
  }
}

Shape pooled_shape(const Shape& x, const PoolGeometry& g) {
  Shape s{x[0], x[1]};
  s.insert(s.end(), g.out_spatial.begin(), g.out_spatial.end());
  return s;
}

// Column-major position of a row-major in-plane offset (MaxPool storage_order 1).
int64_t column_major(int64_t offset, const Shape& dims) {
  int64_t result = 0, stride = 1;
  const auto strides = strides_of(dims);
  for (size_t d = 0; d < dims.size(); ++d) {
    result += (offset / strides[d]) % dims[d] * stride;
    stride *= dims[d];
  }
  return result;
}

void exec_max_pool(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  const PoolGeometry g = pool_geometry(node, x.shape(), true);
  out[0] = Tensor(x.dtype(), pooled_shape(x.shape(), g));
  const bool with_indices = out.size() > 1;
  if (with_indices) out[1] = Tensor(DType::kInt64, out[0].shape());
  const bool col_major = node.attr_int("storage_order", 0) != 0;
  const int64_t in_plane = graph::element_count(g.in_spatial);
  const int64_t out_plane = graph::element_count(g.out_spatial);
  graph::visit_dtype(x.dtype(), "X", [&](auto tag) {
    using T = typename decltype(tag)::type;
    for (int64_t p = 0; p < g.planes; ++p) {
      const T* src = x.data<T>() + p * in_plane;
      T* dst = out[0].data<T>() + p * out_plane;
      for_each_window(g, [&](int64_t o, const std::vector<int64_t>& taps, int64_t) {
        int64_t best = taps.empty() ? -1 : taps[0];
        for (int64_t t : taps)
          if (src[t] > src[best]) best = t;
        dst[o] = best < 0 ? T(0) : src[best];
        if (with_indices)
          out[1].data<int64_t>()[p * out_plane + o] =
              p * in_plane + (col_major ? column_major(best, g.in_spatial) : best);
      });
    }
  });
}

void exec_average_pool(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  if (x.dtype() != DType::kFloat32) throw UserError("AveragePool computes float32 only");
  const PoolGeometry g = pool_geometry(node, x.shape(), false);
  const bool include_pad = node.attr_int("count_include_pad", 0) != 0;
  out[0] = Tensor(x.dtype(), pooled_shape(x.shape(), g));
  const int64_t in_plane = graph::element_count(g.in_spatial);
  const int64_t out_plane = graph::element_count(g.out_spatial);
  for (int64_t p = 0; p < g.planes; ++p) {
    const float* src = x.data<float>() + p * in_plane;
    float* dst = out[0].data<float>() + p * out_plane;
    for_each_window(g, [&](int64_t o, const std::vector<int64_t>& taps, int64_t padded) {
      float sum = 0;
      for (int64_t t : taps) sum += src[t];
      const int64_t count = include_pad ? padded : static_cast<int64_t>(taps.size());
      dst[o] = count ? sum / static_cast<float>(count) : 0.0f;
    });
  }
}

void exec_global_average_pool(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  if (x.rank() < 3 || x.dtype() != DType::kFloat32)
    throw UserError("GlobalAveragePool needs a float32 input of rank >= 3");
  Shape shape(x.rank(), 1);
  shape[0] = x.dim(0), shape[1] = x.dim(1);
  out[0] = Tensor(x.dtype(), shape);
  const int64_t planes = x.dim(0) * x.dim(1), size = x.numel() / std::max<int64_t>(planes, 1);
  for (int64_t p = 0; p < planes; ++p) {
    double sum = 0;
    for (int64_t i = 0; i < size; ++i) sum += x.data<float>()[p * size + i];
    out[0].data<float>()[p] = static_cast<float>(sum / static_cast<double>(size));
  }
}

// Opset 19 added dilations to AveragePool; only the default is supported.
std::string check_average_pool(const Node& node) {
  for (int64_t d : node.attr_ints("dilations", {}))
    if (d != 1) return "dilations other than 1 are not supported";
  return "";
}

}  // namespace

void register_pool_ops(OpTable& table) {
  table.add("MaxPool", {exec_max_pool, nullptr, 1});
  table.add("AveragePool", {exec_average_pool, check_average_pool, 1});
  table.add("GlobalAveragePool", {exec_global_average_pool, nullptr, 1});
}

}  // namespace flecsim::ref
