// Data movement: Concat, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Pad, Constant.
// All work on raw bytes, so every element type is supported.
#include <algorithm>
#include <set>

#include "ref/kernels.h"

namespace flecsim::ref {
namespace {

Tensor reshaped(const Tensor& x, Shape shape) {
  Tensor y = x;
  if (graph::element_count(shape) != x.numel())
    throw UserError("cannot reshape " + graph::shape_str(x.shape()) + " to " +
                    graph::shape_str(shape));
  y.reshape(std::move(shape));
  return y;
}

void exec_concat(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& first = require(in, 0, "inputs");
  const int64_t rank = static_cast<int64_t>(first.rank());
  const int64_t axis = normalize_axis(node.attr_int("axis", 0), rank);
  Shape shape = first.shape();
  shape[axis] = 0;
  for (const Tensor* t : in) {
    if (!t || t->rank() != first.rank() || t->dtype() != first.dtype())
      throw UserError("inputs differ in rank or type");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t->dim(d) != first.dim(d)) throw UserError("inputs differ in shape");
    shape[axis] += t->dim(axis);
  }
  out[0] = Tensor(first.dtype(), shape);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= shape[d];
  const size_t out_row = out[0].bytes().size() / std::max<int64_t>(outer, 1);
  size_t column = 0;
  for (const Tensor* t : in) {
    const size_t row = t->bytes().size() / std::max<int64_t>(outer, 1);
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(out[0].bytes().data() + o * out_row + column, t->bytes().data() + o * row, row);
    column += row;
  }
}

void exec_reshape(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "data");
  Shape shape = require(in, 1, "shape").to_ints();
  const bool allow_zero = node.attr_int("allowzero", 0) != 0;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allow_zero) {
      if (i >= x.rank()) throw UserError("shape copies a dimension the input lacks");
      shape[i] = x.dim(i);
    }
    if (shape[i] == -1) {
      if (infer >= 0) throw UserError("shape has more than one -1");
      infer = static_cast<int64_t>(i);
    } else if (shape[i] < 0) {
      throw UserError("negative dimension in shape");
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0) {
    if (known == 0 || x.numel() % known) throw UserError("cannot infer the -1 dimension");
    shape[infer] = x.numel() / known;
  }
  out[0] = reshaped(x, shape);
}

void exec_flatten(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "input");
  const int64_t rank = static_cast<int64_t>(x.rank());
  int64_t axis = node.attr_int("axis", 1);
  axis = axis == rank ? rank : normalize_axis(axis, rank);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= x.dim(d);
  out[0] = reshaped(x, {outer, outer ? x.numel() / outer : 0});
}

void exec_transpose(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "data");
  const size_t rank = x.rank();
  std::vector<int64_t> perm(rank);
  for (size_t i = 0; i < rank; ++i) perm[i] = static_cast<int64_t>(rank - 1 - i);
  perm = node.attr_ints("perm", perm);
  if (perm.size() != rank || std::set<int64_t>(perm.begin(), perm.end()).size() != rank)
    throw UserError("perm is not a permutation of the input's axes");
  Shape shape(rank);
  for (size_t i = 0; i < rank; ++i) shape[i] = x.dim(normalize_axis(perm[i], rank));
  out[0] = Tensor(x.dtype(), shape);
  const auto in_strides = strides_of(x.shape());
  Shape permuted_strides(rank);
  for (size_t i = 0; i < rank; ++i) permuted_strides[i] = in_strides[perm[i]];
  // Input offset of each output element: broadcast_offsets' odometer over permuted strides.
  const size_t elem = graph::dtype_size(x.dtype());
  std::vector<int64_t> index(rank, 0);
  int64_t offset = 0;
  for (int64_t i = 0; i < out[0].numel(); ++i) {
    std::memcpy(out[0].bytes().data() + i * elem, x.bytes().data() + offset * elem, elem);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) {
        offset += permuted_strides[d];
        break;
      }
      offset -= permuted_strides[d] * (shape[d] - 1);
      index[d] = 0;
    }
  }
}

// Axes from the attribute (opsets < 13) or the optional second input (13 on).
std::vector<int64_t> axes_of(const Node& node, const Inputs& in) {
  if (in.size() > 1 && in[1]) return in[1]->to_ints();
  return node.attr_ints("axes", {});
}

void exec_squeeze(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "data");
  const int64_t rank = static_cast<int64_t>(x.rank());
  std::set<int64_t> axes;
  for (int64_t a : axes_of(node, in)) axes.insert(normalize_axis(a, rank));
  Shape shape;
  for (int64_t d = 0; d < rank; ++d) {
    const bool drop = axes.empty() ? x.dim(d) == 1 : axes.count(d) != 0;
    if (drop && x.dim(d) != 1) throw UserError("cannot squeeze a dimension that is not 1");
    if (!drop) shape.push_back(x.dim(d));
  }
  out[0] = reshaped(x, shape);
}

void exec_unsqueeze(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "data");
  const auto axes_in = axes_of(node, in);
  const int64_t rank = static_cast<int64_t>(x.rank() + axes_in.size());
  std::set<int64_t> axes;
  for (int64_t a : axes_in) axes.insert(normalize_axis(a, rank));
  if (axes.size() != axes_in.size()) throw UserError("repeated axis");
  Shape shape;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d) shape.push_back(axes.count(d) ? 1 : x.dim(next++));
  out[0] = reshaped(x, shape);
}

void exec_constant(const Node& node, const Inputs&, std::vector<Tensor>& out) {
  if (const Tensor* t = node.attr_tensor("value")) {
    out[0] = *t;
  } else if (node.has_attr("value_float")) {
    out[0] = Tensor::from_floats({}, {node.attr_float("value_float", 0)});
  } else if (node.has_attr("value_floats")) {
    const auto v = node.attr_floats("value_floats", {});
    out[0] = Tensor::from_floats({static_cast<int64_t>(v.size())}, v);
  } else if (node.has_attr("value_int")) {
    out[0] = Tensor::from_ints({}, {node.attr_int("value_int", 0)});
  } else if (node.has_attr("value_ints")) {
    const auto v = node.attr_ints("value_ints", {});
    out[0] = Tensor::from_ints({static_cast<int64_t>(v.size())}, v);
  } else {
    throw UserError("Constant has no supported value attribute");
  }
}

std::string check_constant(const Node& node) {
  for (const char* key : {"value_string", "value_strings", "sparse_value"})
    if (node.has_attr(key)) return std::string("attribute ") + key + " is not supported";
  return "";
}

// Source index along one axis for Pad: -1 selects the constant value.
int64_t pad_source(int64_t i, int64_t size, const std::string& mode) {
  if (i >= 0 && i < size) return i;
  if (mode == "constant") return -1;
  if (mode == "edge") return i < 0 ? 0 : size - 1;
  if (size == 1) return 0;  // reflect
  const int64_t period = 2 * (size - 1);
  int64_t m = ((i % period) + period) % period;
  return m < size ? m : period - m;
}

std::string check_pad(const Node& node) {
  const std::string mode = node.attr_string("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return "pad mode '" + mode + "' is not supported";
  return "";
}

void exec_pad(const Node& node, const Inputs& in, std::vector<Tensor>& out) {
  const Tensor& x = require(in, 0, "data");
  const int64_t rank = static_cast<int64_t>(x.rank());
  const auto pads_in = require(in, 1, "pads").to_ints();
  std::vector<int64_t> axes;
  if (in.size() > 3 && in[3]) {
    for (int64_t a : in[3]->to_ints()) axes.push_back(normalize_axis(a, rank));
  } else {
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  }
  if (pads_in.size() != 2 * axes.size()) throw UserError("pads has the wrong length");
  std::vector<int64_t> begin(rank, 0), end(rank, 0);
  for (size_t i = 0; i < axes.size(); ++i)
    begin[axes[i]] = pads_in[i], end[axes[i]] = pads_in[i + axes.size()];
  const std::string mode = node.attr_string("mode", "constant");
  Shape shape(rank);
  for (int64_t d = 0; d < rank; ++d) {
    shape[d] = x.dim(d) + begin[d] + end[d];
    if (shape[d] < 0) throw UserError("pads remove more than the dimension");
    if (mode == "reflect" && x.dim(d) == 0 && shape[d])
      throw UserError("cannot reflect empty axis");
  }
  out[0] = Tensor(x.dtype(), shape);
  if (in.size() > 2 && in[2] && in[2]->numel()) {  // constant_value: fill, then copy over it
    const size_t elem = graph::dtype_size(x.dtype());
    for (int64_t i = 0; i < out[0].numel(); ++i)
      std::memcpy(out[0].bytes().data() + i * elem, in[2]->bytes().data(), elem);
  }
  const auto in_strides = strides_of(x.shape());
  const size_t elem = graph::dtype_size(x.dtype());
  std::vector<int64_t> idx(rank);
  for (int64_t o = 0; o < out[0].numel(); ++o) {
    int64_t rem = o, src = 0;
    for (int64_t d = rank; d-- > 0;) idx[d] = rem % shape[d], rem /= shape[d];
    for (int64_t d = 0; d < rank && src >= 0; ++d) {
      const int64_t s = pad_source(idx[d] - begin[d], x.dim(d), mode);
      src = s < 0 ? -1 : src + s * in_strides[d];
    }
    if (src >= 0)
      std::memcpy(out[0].bytes().data() + o * elem, x.bytes().data() + src * elem, elem);
  }
}

}  // namespace

void register_shape_ops(OpTable& table) {
  table.add("Concat", {exec_concat, nullptr, 1});
  table.add("Reshape", {exec_reshape, nullptr, 2});
  table.add("Flatten", {exec_flatten, nullptr, 1});
  table.add("Transpose", {exec_transpose, nullptr, 1});
  table.add("Squeeze", {exec_squeeze, nullptr, 1});
  table.add("Unsqueeze", {exec_unsqueeze, nullptr, 1});
  table.add("Constant", {exec_constant, check_constant, 0});
  table.add("Pad", {exec_pad, check_pad, 2});
}

}  // namespace flecsim::ref
