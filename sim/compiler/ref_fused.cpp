// Reference semantics of the flecsim-domain ops the QDQ fusion creates: exact integer
// arithmetic, the same formulas as the accelerator spec (MVOUT requantisation) and the
// runtime's CPU kernels (workloads/runtime/kernels_quant.c).
#include <limits>
#include <type_traits>

#include "compiler/qdq_fusion.h"
#include "compiler/quantize.h"
#include "ref/kernels.h"

namespace flecsim::compiler {
namespace {

using graph::DType;
using graph::Node;
using graph::Shape;
using graph::Tensor;
using ref::Inputs;

template <typename T = int8_t>
T requant(int64_t acc, int64_t mult, int64_t shift, int64_t y_zp, bool relu) {
  const int64_t p = acc * mult;
  int64_t q = shift == 0 ? p : ((p + (int64_t{1} << (shift - 1))) >> shift);
  q += y_zp;
  if (relu && q < y_zp) q = y_zp;
  constexpr int64_t lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
  return static_cast<T>(q < lo ? lo : (q > hi ? hi : q));
}

// The accumulator: int8 ops wrap at 32 bits like the array's; int16 ops accumulate in int64.
template <typename T>
int64_t accumulated(int64_t acc) {
  return sizeof(T) == 1 ? static_cast<int32_t>(acc) : acc;
}

// The bias has the accumulator's width: int32 for int8 ops, int64 for int16 ones.
template <typename T>
using Bias = std::conditional_t<sizeof(T) == 1, int32_t, int64_t>;

template <typename T>
void qconv(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor &x = *in[0], &w = *in[1];
  const Bias<T>* bias = in[2]->data<Bias<T>>();
  const int32_t *mult = in[3]->data<int32_t>(), *shift = in[4]->data<int32_t>();
  const Shape& xs = x.shape();
  const Shape kernel(w.shape().begin() + 2, w.shape().end());
  const auto win = ref::node_windows(node, xs, kernel, false);
  const bool two_d = xs.size() == 4;
  const auto strides = node.attr_ints("strides", {1, 1}), dil = node.attr_ints("dilations", {1, 1});
  const int64_t N = xs[0], C = xs[1], H = two_d ? xs[2] : 1, W = xs.back(), M = w.dim(0);
  const int64_t KH = two_d ? kernel[0] : 1, KW = kernel.back(), OH = two_d ? win[0].out : 1,
                OW = win.back().out;
  const int64_t SH = two_d ? strides[0] : 1, SW = strides.back(), DH = two_d ? dil[0] : 1,
                DW = dil.back();
  const int64_t PT = two_d ? win[0].pad_begin : 0, PL = win.back().pad_begin;
  const int64_t group = node.attr_int("group", 1), cg = C / group, mg = M / group;
  const int64_t x_zp = node.attr_int("x_zero_point", 0), y_zp = node.attr_int("y_zero_point", 0);
  const bool relu = node.attr_int("relu", 0);
  Shape ys = two_d ? Shape{N, M, OH, OW} : Shape{N, M, OW};
  out[0] = Tensor(x.dtype(), ys);
  const T *xp = x.data<T>(), *wp = w.data<T>();
  T* y = out[0].data<T>();
  int64_t yi = 0;
  for (int64_t b = 0; b < N; ++b)
    for (int64_t oc = 0; oc < M; ++oc)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox, ++yi) {
          int64_t acc = bias[oc];
          for (int64_t ic = 0; ic < cg; ++ic) {
            const T* plane = xp + (b * C + (oc / mg) * cg + ic) * H * W;
            const T* wk = wp + (oc * cg + ic) * KH * KW;
            for (int64_t ky = 0; ky < KH; ++ky) {
              const int64_t iy = oy * SH - PT + ky * DH;
              if (iy < 0 || iy >= H) continue;
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t ix = ox * SW - PL + kx * DW;
                if (ix >= 0 && ix < W) acc += (plane[iy * W + ix] - x_zp) * wk[ky * KW + kx];
              }
            }
          }
          y[yi] = requant<T>(accumulated<T>(acc), mult[oc], shift[oc], y_zp, relu);
        }
}

template <typename T>
void qmatmul(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor &a = *in[0], &b = *in[1];
  const Bias<T>* bias = in[2]->data<Bias<T>>();
  const int32_t *mult = in[3]->data<int32_t>(), *shift = in[4]->data<int32_t>();
  const int64_t M = a.dim(0), K = a.dim(1), N = b.dim(1);
  const int64_t x_zp = node.attr_int("x_zero_point", 0), y_zp = node.attr_int("y_zero_point", 0);
  const bool relu = node.attr_int("relu", 0);
  out[0] = Tensor(a.dtype(), {M, N});
  const T *ap = a.data<T>(), *bp = b.data<T>();
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      int64_t acc = bias[n];
      for (int64_t k = 0; k < K; ++k) acc += (ap[m * K + k] - x_zp) * bp[k * N + n];
      out[0].data<T>()[m * N + n] = requant<T>(accumulated<T>(acc), mult[n], shift[n], y_zp, relu);
    }
}

void exec_qconv(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  (in[0]->dtype() == DType::kInt16 ? qconv<int16_t> : qconv<int8_t>)(node, in, out);
}

void exec_qmatmul(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  (in[0]->dtype() == DType::kInt16 ? qmatmul<int16_t> : qmatmul<int8_t>)(node, in, out);
}

void exec_qadd(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor &a = *in[0], &b = *in[1];
  const auto m = node.attr_ints("multipliers", {1, 1});
  const int64_t shift = node.attr_int("shift", 0), az = node.attr_int("a_zero_point", 0);
  const int64_t bz = node.attr_int("b_zero_point", 0), yz = node.attr_int("y_zero_point", 0);
  const bool relu = node.attr_int("relu", 0);
  out[0] = Tensor(DType::kInt8, a.shape());
  for (int64_t i = 0; i < a.numel(); ++i) {
    const int64_t sum = (a.data<int8_t>()[i] - az) * m[0] + (b.data<int8_t>()[i] - bz) * m[1];
    const int64_t acc = static_cast<int32_t>((sum + (int64_t{1} << (shift - 1))) >> shift);
    out[0].data<int8_t>()[i] = requant(acc, 1, 0, yz, relu);
  }
}

void exec_round_bf16(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  out[0] = Tensor(DType::kFloat32, in[0]->shape());
  for (int64_t i = 0; i < in[0]->numel(); ++i)
    out[0].data<float>()[i] = round_bf16(in[0]->data<float>()[i]);
}

}  // namespace

void register_fused_reference_ops() {
  static const bool registered = [] {
    ref::add_extension_op("flecsim", "QConv", {exec_qconv, nullptr, 5});
    ref::add_extension_op("flecsim", "QMatMul", {exec_qmatmul, nullptr, 5});
    ref::add_extension_op("flecsim", "QAdd", {exec_qadd, nullptr, 2});
    ref::add_extension_op("flecsim", "RoundBF16", {exec_round_bf16, nullptr, 1});
    return true;
  }();
  (void)registered;
}

}  // namespace flecsim::compiler
