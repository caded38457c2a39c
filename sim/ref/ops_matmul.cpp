// Matrix products: MatMul (numpy semantics, batched, broadcast), Gemm, MatMulInteger and
// QLinearMatMul (8-bit operands, int32 accumulation).
#include <algorithm>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

struct MatMulPlan {
  Shape out_shape;
  int64_t M = 0, N = 0, K = 0;
  std::vector<int64_t> a_batch, b_batch;  // element offsets of each batch's matrix
};

// numpy matmul: 1-D operands are promoted (and the added dimension removed again).
MatMulPlan plan_matmul(Shape a, Shape b) {
  const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  if (a.empty() || b.empty()) throw UserError("MatMul operands must have rank >= 1");
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  MatMulPlan p;
  p.M = a[a.size() - 2], p.K = a.back(), p.N = b.back();
  if (b[b.size() - 2] != p.K)
    throw UserError("MatMul inner dimensions differ: " + graph::shape_str(a) + " x " +
                    graph::shape_str(b));
  const Shape a_lead(a.begin(), a.end() - 2), b_lead(b.begin(), b.end() - 2);
  const Shape lead = broadcast_shapes({a_lead, b_lead});
  for (int64_t off : broadcast_offsets(a_lead, lead)) p.a_batch.push_back(off * p.M * p.K);
  for (int64_t off : broadcast_offsets(b_lead, lead)) p.b_batch.push_back(off * p.K * p.N);
  p.out_shape = lead;
  if (!a_vec) p.out_shape.push_back(p.M);
  if (!b_vec) p.out_shape.push_back(p.N);
  return p;
}

template <class T>
void run_matmul(const MatMulPlan& p, const T* a, const T* b, T* y) {
  for (size_t i = 0; i < p.a_batch.size(); ++i)
    gemm_accumulate(p.M, p.N, p.K, a + p.a_batch[i], p.K, b + p.b_batch[i], p.N,
                    y + static_cast<int64_t>(i) * p.M * p.N, p.N);
}

void exec_matmul(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& a = require(in, 0, "A");
  const Tensor& b = require(in, 1, "B");
  if (a.dtype() != DType::kFloat32 || b.dtype() != DType::kFloat32)
    throw UserError("MatMul computes float32 only");
  const MatMulPlan p = plan_matmul(a.shape(), b.shape());
  out[0] = Tensor(DType::kFloat32, p.out_shape);
  run_matmul(p, a.data<float>(), b.data<float>(), out[0].data<float>());
}

// Zero point per tensor, per row of A (axis -2) or per column of B (last axis).
std::vector<int32_t> centered(const Tensor& t, const Tensor* zp, bool per_row) {
  auto v = values_as<int32_t>(t);
  if (!zp) return v;
  const auto z = values_as<int32_t>(*zp);
  const int64_t cols = t.shape().back();
  for (size_t i = 0; i < v.size(); ++i) {
    const size_t k = z.size() == 1 ? 0 : per_row ? (i / cols) % z.size() : i % cols;
    if (k >= z.size()) throw UserError("zero point size does not match");
    v[i] -= z[k];
  }
  return v;
}

Tensor matmul_integer(const Tensor& a, const Tensor* a_zp, const Tensor& b, const Tensor* b_zp) {
  const MatMulPlan p = plan_matmul(a.shape(), b.shape());
  const auto av = centered(a, a_zp, true), bv = centered(b, b_zp, false);
  Tensor y(DType::kInt32, p.out_shape);
  run_matmul(p, av.data(), bv.data(), y.data<int32_t>());
  return y;
}

void exec_matmul_integer(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  out[0] = matmul_integer(require(in, 0, "A"), in.size() > 2 ? in[2] : nullptr, require(in, 1, "B"),
                          in.size() > 3 ? in[3] : nullptr);
}

void exec_qlinear_matmul(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor acc = matmul_integer(require(in, 0, "a"), in[2], require(in, 3, "b"), in[5]);
  const Tensor& y_zp = require(in, 7, "y_zero_point");
  out[0] = Tensor(y_zp.dtype(), acc.shape());
  requantize(acc, require(in, 1, "a_scale").get_double(0),
             values_as<double>(require(in, 4, "b_scale")), require(in, 6, "y_scale").get_double(0),
             &y_zp, static_cast<int64_t>(acc.rank()) - 1, out[0]);
}

// Gemm: alpha * op(A) * op(B) + beta * C, C broadcast to [M, N].
void exec_gemm(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& a = require(in, 0, "A");
  const Tensor& b = require(in, 1, "B");
  if (a.rank() != 2 || b.rank() != 2) throw UserError("Gemm operands must be 2-D");
  const bool ta = node.attr_int("transA", 0), tb = node.attr_int("transB", 0);
  const int64_t M = ta ? a.dim(1) : a.dim(0), K = ta ? a.dim(0) : a.dim(1);
  const int64_t N = tb ? b.dim(0) : b.dim(1);
  if ((tb ? b.dim(1) : b.dim(0)) != K) throw UserError("Gemm inner dimensions differ");
  auto av = values_as<float>(a), bv = values_as<float>(b);
  auto transpose = [](std::vector<float>& v, int64_t rows, int64_t cols) {
    std::vector<float> t(v.size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) t[c * rows + r] = v[r * cols + c];
    v.swap(t);
  };
  if (ta) transpose(av, K, M);
  if (tb) transpose(bv, N, K);
  out[0] = Tensor(DType::kFloat32, {M, N});
  float* y = out[0].data<float>();
  gemm_accumulate(M, N, K, av.data(), K, bv.data(), N, y, N);
  const float alpha = node.attr_float("alpha", 1.0f), beta = node.attr_float("beta", 1.0f);
  std::vector<float> c;
  std::vector<int64_t> c_off;
  if (in.size() > 2 && in[2]) {
    c = values_as<float>(*in[2]);
    c_off = broadcast_offsets(in[2]->shape(), {M, N});
  }
  for (int64_t i = 0; i < M * N; ++i) y[i] = alpha * y[i] + (c.empty() ? 0 : beta * c[c_off[i]]);
}

}  // namespace

void register_matmul_ops(OpTable& table) {
  table.add("MatMul", {exec_matmul, nullptr, 2});
  table.add("Gemm", {exec_gemm, nullptr, 2});
  table.add("MatMulInteger", {exec_matmul_integer, nullptr, 2});
  table.add("QLinearMatMul", {exec_qlinear_matmul, nullptr, 8});
}

}  // namespace flecsim::ref
