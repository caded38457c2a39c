// Helpers shared by the op units: axes, broadcasting, windows, GEMM, rounding.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ref/op_table.h"

namespace flecsim::ref {

// Axis in [-rank, rank) made non-negative; UserError otherwise.
int64_t normalize_axis(int64_t axis, int64_t rank);
// Row-major strides of a shape.
std::vector<int64_t> strides_of(const Shape& shape);
// Numpy broadcast of several shapes; UserError when incompatible.
Shape broadcast_shapes(const std::vector<Shape>& shapes);
// For each output element (row-major over `out`), the element offset into a tensor of
// shape `in` broadcast to `out`.
std::vector<int64_t> broadcast_offsets(const Shape& in, const Shape& out);
const Tensor& require(const Inputs& in, size_t i, const char* what);

// Round half to even (ONNX QuantizeLinear, QLinear* requantisation).
inline double round_half_even(double x) {
  return std::nearbyint(x);
}
template <class T>
T saturate(double x) {
  const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  return static_cast<T>(x < lo ? lo : (x > hi ? hi : x));
}

// y = saturate(round_half_even(acc * in_scale * w_scale[c] / y_scale) + y_zp), the ONNX
// QLinearConv/QLinearMatMul requantisation; w_scale has one value or one per index c of
// acc's channel_axis. y must already have acc's shape and the output type.
void requantize(const Tensor& acc, double in_scale, const std::vector<double>& w_scale,
                double y_scale, const Tensor* y_zp, int64_t channel_axis, Tensor& y);

// One spatial axis of a sliding window (Conv, pools): output size and leading pad.
struct Window {
  int64_t out = 0;
  int64_t pad_begin = 0;
  int64_t pad_end = 0;
};
// auto_pad NOTSET uses pads; SAME_UPPER/SAME_LOWER/VALID compute them.
Window window_axis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_begin,
                   int64_t pad_end, const std::string& auto_pad, bool ceil_mode);
// Spatial windows of a node with kernel_shape/strides/dilations/pads/auto_pad attributes.
std::vector<Window> node_windows(const Node& node, const Shape& x, const Shape& kernel,
                                 bool ceil_mode);

// C[m][n] += sum_k A[m][k] * B[k][n], all row-major with the given leading dimensions.
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
                     int64_t ldb, float* C, int64_t ldc);
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const int32_t* A, int64_t lda,
                     const int32_t* B, int64_t ldb, int32_t* C, int64_t ldc);
// Modulo 2^32: an int32 accumulator that wraps, without signed-overflow undefined behaviour.
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const uint32_t* A, int64_t lda,
                     const uint32_t* B, int64_t ldb, uint32_t* C, int64_t ldc);

// Elements of a tensor converted to T (any storable source type).
template <class T>
std::vector<T> values_as(const Tensor& t) {
  std::vector<T> out(static_cast<size_t>(t.numel()));
  graph::visit_dtype(t.dtype(), "input", [&](auto tag) {
    using S = typename decltype(tag)::type;
    const S* src = t.data<S>();
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(src[i]);
  });
  return out;
}

}  // namespace flecsim::ref
