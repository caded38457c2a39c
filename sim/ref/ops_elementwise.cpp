// Element-wise ops with numpy broadcasting: Add Sub Mul Div Pow Max Min, the
// activations Relu LeakyRelu Clip Sigmoid Tanh Sqrt, and Identity.
#include <algorithm>
#include <cmath>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

using graph::visit_dtype;

// out = f(a, b) over the broadcast shape, for all numeric types of a.
template <class F>
void binary(const Inputs& in, std::vector<Tensor>& out, F f) {
  const Tensor& a = require(in, 0, "A");
  const Tensor& b = require(in, 1, "B");
  if (a.dtype() != b.dtype())
    throw UserError(std::string("input types differ: ") + graph::dtype_name(a.dtype()) + " and " +
                    graph::dtype_name(b.dtype()));
  const Shape shape = broadcast_shapes({a.shape(), b.shape()});
  const auto ia = broadcast_offsets(a.shape(), shape);
  const auto ib = broadcast_offsets(b.shape(), shape);
  out[0] = Tensor(a.dtype(), shape);
  visit_dtype(a.dtype(), "input", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      const T* pa = a.data<T>();
      const T* pb = b.data<T>();
      T* po = out[0].data<T>();
      for (size_t i = 0; i < ia.size(); ++i) po[i] = static_cast<T>(f(pa[ia[i]], pb[ib[i]]));
    } else {
      throw UserError("arithmetic on bool");
    }
  });
}

void exec_add(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  binary(in, out, [](auto x, auto y) { return x + y; });
}
void exec_sub(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  binary(in, out, [](auto x, auto y) { return x - y; });
}
void exec_mul(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  binary(in, out, [](auto x, auto y) { return x * y; });
}
void exec_div(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  binary(in, out, [](auto x, auto y) {
    using T = decltype(x);
    if constexpr (std::is_integral_v<T>) {
      if (y == 0) throw UserError("integer division by zero");
    }
    return x / y;
  });
}

// Pow: the result has the base's type; the exponent may be of another numeric type.
void exec_pow(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "X");
  const Tensor& y = require(in, 1, "Y");
  const Shape shape = broadcast_shapes({x.shape(), y.shape()});
  const auto ix = broadcast_offsets(x.shape(), shape);
  const auto iy = broadcast_offsets(y.shape(), shape);
  out[0] = Tensor(x.dtype(), shape);
  visit_dtype(x.dtype(), "X", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* po = out[0].data<T>();
    for (size_t i = 0; i < ix.size(); ++i) {
      const double base = x.get_double(ix[i]), exponent = y.get_double(iy[i]);
      if constexpr (std::is_same_v<T, float>)
        po[i] = std::pow(static_cast<float>(base), static_cast<float>(exponent));
      else
        po[i] = static_cast<T>(std::pow(base, exponent));
    }
  });
}

// Max/Min: variadic, all inputs broadcast together.
template <bool kMax>
void exec_extremum(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& first = require(in, 0, "data_0");
  std::vector<Shape> shapes;
  for (const Tensor* t : in) {
    if (!t || t->dtype() != first.dtype()) throw UserError("inputs must share one type");
    shapes.push_back(t->shape());
  }
  const Shape shape = broadcast_shapes(shapes);
  out[0] = Tensor(first.dtype(), shape);
  visit_dtype(first.dtype(), "input", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T* po = out[0].data<T>();
    for (size_t k = 0; k < in.size(); ++k) {
      const auto offsets = broadcast_offsets(in[k]->shape(), shape);
      const T* p = in[k]->data<T>();
      for (size_t i = 0; i < offsets.size(); ++i) {
        const T v = p[offsets[i]];
        if (k == 0 || std::isnan(static_cast<double>(v)) || (kMax ? v > po[i] : v < po[i]))
          po[i] = v;
      }
    }
  });
}

// out = f(x) for every element, same type and shape.
template <class F>
void unary(const Inputs& in, std::vector<Tensor>& out, F f) {
  const Tensor& x = require(in, 0, "X");
  out[0] = Tensor(x.dtype(), x.shape());
  visit_dtype(x.dtype(), "X", [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, bool>) {
      const T* px = x.data<T>();
      T* po = out[0].data<T>();
      for (int64_t i = 0; i < x.numel(); ++i) po[i] = static_cast<T>(f(px[i]));
    } else {
      throw UserError("bool input");
    }
  });
}

void exec_relu(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  unary(in, out, [](auto x) { return x > 0 ? x : decltype(x)(0); });
}
void exec_leaky_relu(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const float alpha = node.attr_float("alpha", 0.01f);
  unary(in, out, [alpha](auto x) { return x >= 0 ? x : static_cast<decltype(x)>(x * alpha); });
}
void exec_sigmoid(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  unary(in, out, [](auto x) { return 1 / (1 + std::exp(-x)); });
}
void exec_tanh(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  unary(in, out, [](auto x) { return std::tanh(x); });
}
void exec_sqrt(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  unary(in, out, [](auto x) { return std::sqrt(x); });
}

// Clip (opset 11+): optional scalar inputs min and max.
void exec_clip(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "input");
  visit_dtype(x.dtype(), "input", [&](auto tag) {
    using T = typename decltype(tag)::type;
    T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
    if (in.size() > 1 && in[1] && in[1]->numel()) lo = static_cast<T>(in[1]->get_double(0));
    if (in.size() > 2 && in[2] && in[2]->numel()) hi = static_cast<T>(in[2]->get_double(0));
    out[0] = Tensor(x.dtype(), x.shape());
    const T* px = x.data<T>();
    T* po = out[0].data<T>();
    for (int64_t i = 0; i < x.numel(); ++i) po[i] = px[i] < lo ? lo : (px[i] > hi ? hi : px[i]);
  });
}

void exec_identity(const Node&, const Inputs& in, std::vector<Tensor>& out) {
  out[0] = require(in, 0, "input");
}

}  // namespace

void register_elementwise_ops(OpTable& table) {
  table.add("Add", {exec_add, nullptr, 2});
  table.add("Sub", {exec_sub, nullptr, 2});
  table.add("Mul", {exec_mul, nullptr, 2});
  table.add("Div", {exec_div, nullptr, 2});
  table.add("Pow", {exec_pow, nullptr, 2});
  table.add("Max", {exec_extremum<true>, nullptr, 1});
  table.add("Min", {exec_extremum<false>, nullptr, 1});
  table.add("Relu", {exec_relu, nullptr, 1});
  table.add("LeakyRelu", {exec_leaky_relu, nullptr, 1});
  table.add("Sigmoid", {exec_sigmoid, nullptr, 1});
  table.add("Tanh", {exec_tanh, nullptr, 1});
  table.add("Sqrt", {exec_sqrt, nullptr, 1});
  table.add("Clip", {exec_clip, nullptr, 1});
  table.add("Identity", {exec_identity, nullptr, 1});
}

}  // namespace flecsim::ref
