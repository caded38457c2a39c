#include "ref/kernels.h"

#include <algorithm>

namespace flecsim::ref {

int64_t normalize_axis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1))
    throw UserError("axis " + std::to_string(axis) + " out of range for rank " +
                    std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> strides_of(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

Shape broadcast_shapes(const std::vector<Shape>& shapes) {
  size_t rank = 0;
  for (const auto& s : shapes) rank = std::max(rank, s.size());
  Shape out(rank, 1);
  for (const auto& s : shapes) {
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t& o = out[rank - s.size() + i];
      if (s[i] == o || s[i] == 1) continue;
      if (o != 1)
        throw UserError("shapes " + graph::shape_str(shapes[0]) + " and " + graph::shape_str(s) +
                        " cannot be broadcast");
      o = s[i];
    }
  }
  return out;
}

std::vector<int64_t> broadcast_offsets(const Shape& in, const Shape& out) {
  const int64_t total = graph::element_count(out);
  std::vector<int64_t> offsets(static_cast<size_t>(total));
  if (in == out) {
    for (int64_t i = 0; i < total; ++i) offsets[i] = i;
    return offsets;
  }
  const size_t rank = out.size();
  if (in.size() > rank)
    throw UserError("cannot broadcast " + graph::shape_str(in) + " to " + graph::shape_str(out));
  std::vector<int64_t> in_strides(rank, 0);
  const auto strides = strides_of(in);
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != 1 && in[i] != out[rank - in.size() + i])
      throw UserError("cannot broadcast " + graph::shape_str(in) + " to " + graph::shape_str(out));
    if (in[i] != 1) in_strides[rank - in.size() + i] = strides[i];
  }
  std::vector<int64_t> index(rank, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < total; ++i) {
    offsets[i] = offset;
    for (size_t d = rank; d-- > 0;) {  // odometer increment
      if (++index[d] < out[d]) {
        offset += in_strides[d];
        break;
      }
      offset -= in_strides[d] * (out[d] - 1);
      index[d] = 0;
    }
  }
  return offsets;
}

const Tensor& require(const Inputs& in, size_t i, const char* what) {
  if (i >= in.size() || !in[i]) throw UserError(std::string("missing input ") + what);
  return *in[i];
}

Window window_axis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_begin,
                   int64_t pad_end, const std::string& auto_pad, bool ceil_mode) {
  if (stride < 1 || dilation < 1 || kernel < 1)
    throw UserError("kernel, strides and dilations must be positive");
  const int64_t extent = (kernel - 1) * dilation + 1;
  Window w;
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    w.out = (in + stride - 1) / stride;
    const int64_t total = std::max<int64_t>(0, (w.out - 1) * stride + extent - in);
    w.pad_begin = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    w.pad_end = total - w.pad_begin;
    return w;
  }
  if (auto_pad == "VALID")
    pad_begin = pad_end = 0;
  else if (auto_pad != "NOTSET")
    throw UserError("unknown auto_pad '" + auto_pad + "'");
  const int64_t span = in + pad_begin + pad_end - extent;
  if (span < 0) throw UserError("window larger than the padded input");
  w.out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window must start inside the input or the leading padding (as PyTorch/ONNX).
  if (ceil_mode && (w.out - 1) * stride >= in + pad_begin) --w.out;
  w.pad_begin = pad_begin;
  w.pad_end = pad_end;
  return w;
}

std::vector<Window> node_windows(const Node& node, const Shape& x, const Shape& kernel,
                                 bool ceil_mode) {
  const size_t spatial = kernel.size();
  if (x.size() != spatial + 2)
    throw UserError("input " + graph::shape_str(x) + " does not match a " +
                    std::to_string(spatial) + "-D window");
  const auto strides = node.attr_ints("strides", std::vector<int64_t>(spatial, 1));
  const auto dilations = node.attr_ints("dilations", std::vector<int64_t>(spatial, 1));
  const auto pads = node.attr_ints("pads", std::vector<int64_t>(2 * spatial, 0));
  if (strides.size() != spatial || dilations.size() != spatial || pads.size() != 2 * spatial)
    throw UserError("strides/dilations/pads do not match the kernel rank");
  const std::string auto_pad = node.attr_string("auto_pad", "NOTSET");
  std::vector<Window> out;
  for (size_t i = 0; i < spatial; ++i)
    out.push_back(window_axis(x[i + 2], kernel[i], strides[i], dilations[i], pads[i],
                              pads[i + spatial], auto_pad, ceil_mode));
  return out;
}

void requantize(const Tensor& acc, double in_scale, const std::vector<double>& w_scale,
                double y_scale, const Tensor* y_zp, int64_t channel_axis, Tensor& y) {
  const int64_t channels = acc.dim(static_cast<size_t>(channel_axis));
  if (w_scale.size() != 1 && static_cast<int64_t>(w_scale.size()) != channels)
    throw UserError("weight scale has " + std::to_string(w_scale.size()) +
                    " values, expected 1 or " + std::to_string(channels));
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < acc.rank(); ++d) inner *= acc.dim(d);
  const double zp = y_zp ? y_zp->get_double(0) : 0.0;
  const int32_t* a = acc.data<int32_t>();
  graph::visit_dtype(y.dtype(), "y", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* py = y.data<T>();
    for (int64_t i = 0; i < acc.numel(); ++i) {
      const size_t c = w_scale.size() == 1 ? 0 : static_cast<size_t>((i / inner) % channels);
      py[i] = saturate<T>(round_half_even(a[i] * (in_scale * w_scale[c] / y_scale)) + zp);
    }
  });
}

namespace {
// Blocked i-k-j loop: four rows of C are updated per pass over a row of B (each B load
// feeds four multiply-adds), the inner loop runs over contiguous memory (vectorised), and
// K x N blocks keep a panel of B in cache.
template <class T>
__attribute__((always_inline)) inline void gemm_blocked(int64_t M, int64_t N, int64_t K, const T* A,
                                                        int64_t lda, const T* B, int64_t ldb, T* C,
                                                        int64_t ldc) {
  constexpr int64_t kBlockK = 64, kBlockN = 256;
  for (int64_t n0 = 0; n0 < N; n0 += kBlockN) {
    const int64_t len = std::min(N, n0 + kBlockN) - n0;
    for (int64_t k0 = 0; k0 < K; k0 += kBlockK) {
      const int64_t k1 = std::min(K, k0 + kBlockK);
      int64_t m = 0;
      for (; m + 4 <= M; m += 4) {
        T* __restrict__ c0 = C + m * ldc + n0;
        T* __restrict__ c1 = c0 + ldc;
        T* __restrict__ c2 = c1 + ldc;
        T* __restrict__ c3 = c2 + ldc;
        for (int64_t k = k0; k < k1; ++k) {
          const T a0 = A[m * lda + k], a1 = A[(m + 1) * lda + k];
          const T a2 = A[(m + 2) * lda + k], a3 = A[(m + 3) * lda + k];
          const T* b = B + k * ldb + n0;
          for (int64_t n = 0; n < len; ++n) {
            const T v = b[n];
            c0[n] += a0 * v, c1[n] += a1 * v, c2[n] += a2 * v, c3[n] += a3 * v;
          }
        }
      }
      for (; m < M; ++m) {
        T* c = C + m * ldc + n0;
        for (int64_t k = k0; k < k1; ++k) {
          const T a = A[m * lda + k];
          const T* b = B + k * ldb + n0;
          for (int64_t n = 0; n < len; ++n) c[n] += a * b[n];
        }
      }
    }
  }
}
}  // namespace

// AVX2 clones (chosen at load time, baseline otherwise): the n loop vectorises, and each C
// element still adds its products in k order, so results are the same bits. No FMA: "avx2"
// alone does not allow contracting a * b + c.
#define FLECSIM_SIMD_CLONES __attribute__((target_clones("avx2", "default")))

FLECSIM_SIMD_CLONES
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B,
                     int64_t ldb, float* C, int64_t ldc) {
  gemm_blocked(M, N, K, A, lda, B, ldb, C, ldc);
}

FLECSIM_SIMD_CLONES
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const int32_t* A, int64_t lda,
                     const int32_t* B, int64_t ldb, int32_t* C, int64_t ldc) {
  gemm_blocked(M, N, K, A, lda, B, ldb, C, ldc);
}

FLECSIM_SIMD_CLONES
void gemm_accumulate(int64_t M, int64_t N, int64_t K, const uint32_t* A, int64_t lda,
                     const uint32_t* B, int64_t ldb, uint32_t* C, int64_t ldc) {
  gemm_blocked(M, N, K, A, lda, B, ldb, C, ldc);
}

}  // namespace flecsim::ref
