// Reference semantics of the flecsim-domain ops the QDQ fusion creates: exact integer
// arithmetic, the same formulas as the accelerator spec (MVOUT requantisation) and the
// runtime's CPU kernels (workloads/runtime/kernels_quant.c).
#include <algorithm>
#include <limits>
#include <type_traits>
#include <vector>

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

struct QConvShape {
  int64_t N, C, H, W, M, KH, KW, OH, OW, SH, SW, DH, DW, PT, PL, group, cg, mg, x_zp, y_zp;
  bool relu, two_d;
};

QConvShape qconv_shape(const Node& node, const Shape& xs, const Shape& ws) {
  const Shape kernel(ws.begin() + 2, ws.end());
  const auto win = ref::node_windows(node, xs, kernel, false);
  const bool two_d = xs.size() == 4;
  const auto strides = node.attr_ints("strides", {1, 1}), dil = node.attr_ints("dilations", {1, 1});
  QConvShape g{};
  g.two_d = two_d, g.N = xs[0], g.C = xs[1], g.H = two_d ? xs[2] : 1, g.W = xs.back();
  g.M = ws[0], g.KH = two_d ? kernel[0] : 1, g.KW = kernel.back();
  g.OH = two_d ? win[0].out : 1, g.OW = win.back().out;
  g.SH = two_d ? strides[0] : 1, g.SW = strides.back(), g.DH = two_d ? dil[0] : 1;
  g.DW = dil.back(), g.PT = two_d ? win[0].pad_begin : 0, g.PL = win.back().pad_begin;
  g.group = node.attr_int("group", 1), g.cg = g.C / g.group, g.mg = g.M / g.group;
  g.x_zp = node.attr_int("x_zero_point", 0), g.y_zp = node.attr_int("y_zero_point", 0);
  g.relu = node.attr_int("relu", 0);
  return g;
}

// Accumulator of output (b, oc, oy, ox), tap by tap (int16 ops: exact int64 sums).
template <typename T>
int64_t qconv_point(const QConvShape& g, const T* xp, const T* wp, int64_t acc, int64_t b,
                    int64_t oc, int64_t oy, int64_t ox) {
  for (int64_t ic = 0; ic < g.cg; ++ic) {
    const T* plane = xp + (b * g.C + (oc / g.mg) * g.cg + ic) * g.H * g.W;
    const T* wk = wp + (oc * g.cg + ic) * g.KH * g.KW;
    for (int64_t ky = 0; ky < g.KH; ++ky) {
      const int64_t iy = oy * g.SH - g.PT + ky * g.DH;
      if (iy < 0 || iy >= g.H) continue;
      for (int64_t kx = 0; kx < g.KW; ++kx) {
        const int64_t ix = ox * g.SW - g.PL + kx * g.DW;
        if (ix >= 0 && ix < g.W) acc += (plane[iy * g.W + ix] - g.x_zp) * wk[ky * g.KW + kx];
      }
    }
  }
  return acc;
}

// int8 ops as im2col + GEMM modulo 2^32: every product fits in int32 and the array's int32
// accumulator wraps, so sums mod 2^32 are the same bits as the tap-by-tap int64 sum wrapped.
// Out-of-bounds taps are zero (the direct form skips them).
void qconv_int8_gemm(const QConvShape& g, const int8_t* xp, const int8_t* wp, const int32_t* bias,
                     std::vector<uint32_t>& acc, int64_t b, int64_t grp) {
  const int64_t K = g.cg * g.KH * g.KW, P = g.OH * g.OW;
  std::vector<uint32_t> col(static_cast<size_t>(K * P), 0u), wk(static_cast<size_t>(g.mg * K));
  for (int64_t k = 0; k < K; ++k) {
    const int64_t ic = k / (g.KH * g.KW), ky = k / g.KW % g.KH, kx = k % g.KW;
    const int8_t* plane = xp + (b * g.C + grp * g.cg + ic) * g.H * g.W;
    for (int64_t oy = 0; oy < g.OH; ++oy) {
      const int64_t iy = oy * g.SH - g.PT + ky * g.DH;
      if (iy < 0 || iy >= g.H) continue;
      for (int64_t ox = 0; ox < g.OW; ++ox) {
        const int64_t ix = ox * g.SW - g.PL + kx * g.DW;
        if (ix >= 0 && ix < g.W)
          col[k * P + oy * g.OW + ox] = static_cast<uint32_t>(plane[iy * g.W + ix] - g.x_zp);
      }
    }
  }
  for (int64_t i = 0; i < g.mg * K; ++i) wk[i] = static_cast<uint32_t>(wp[grp * g.mg * K + i]);
  acc.assign(static_cast<size_t>(g.mg * P), 0u);
  for (int64_t m = 0; m < g.mg; ++m)
    std::fill_n(acc.begin() + m * P, P, static_cast<uint32_t>(bias[grp * g.mg + m]));
  ref::gemm_accumulate(g.mg, P, K, wk.data(), K, col.data(), P, acc.data(), P);
}

template <typename T>
void qconv(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor &x = *in[0], &w = *in[1];
  const Bias<T>* bias = in[2]->data<Bias<T>>();
  const int32_t *mult = in[3]->data<int32_t>(), *shift = in[4]->data<int32_t>();
  const QConvShape g = qconv_shape(node, x.shape(), w.shape());
  out[0] = Tensor(x.dtype(), g.two_d ? Shape{g.N, g.M, g.OH, g.OW} : Shape{g.N, g.M, g.OW});
  const T *xp = x.data<T>(), *wp = w.data<T>();
  T* y = out[0].data<T>();
  const int64_t P = g.OH * g.OW;
  std::vector<uint32_t> acc;
  for (int64_t b = 0; b < g.N; ++b)
    for (int64_t grp = 0; grp < g.group; ++grp)
      for (int64_t m = 0; m < g.mg; ++m) {
        const int64_t oc = grp * g.mg + m;
        if constexpr (sizeof(T) == 1) {
          if (m == 0) qconv_int8_gemm(g, xp, wp, bias, acc, b, grp);
        }
        for (int64_t p = 0; p < P; ++p) {
          int64_t sum;
          if constexpr (sizeof(T) == 1)
            sum = static_cast<int32_t>(acc[m * P + p]);
          else
            sum = qconv_point(g, xp, wp, bias[oc], b, oc, p / g.OW, p % g.OW);
          y[(b * g.M + oc) * P + p] =
              requant<T>(accumulated<T>(sum), mult[oc], shift[oc], g.y_zp, g.relu);
        }
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
