#include "compiler/lower.h"

#include "core/error.h"

namespace flecsim::compiler {

const LowerRule* LowerTable::find(const std::string& op_type) const {
  auto it = rules_.find(op_type);
  return it == rules_.end() ? nullptr : &it->second;
}

const LowerTable& lower_table() {
  static const LowerTable table = [] {
    LowerTable t;
    register_lower_elementwise(t);
    register_lower_nn(t);
    register_lower_shape(t);
    register_lower_quant(t);
    return t;
  }();
  return table;
}

int LowerContext::value(const std::string& name) {
  int idx = program.find_tensor(name);
  if (idx >= 0) return idx;
  ProgramTensor t;
  t.name = name;
  auto c = graph.constants.find(name);
  if (c != graph.constants.end()) {
    t.dtype = c->second.dtype();
    t.shape = c->second.shape();
    t.data = c->second.bytes();
    t.constant = true;
  } else {
    t.dtype = dtype_of(name);
    t.shape = shape_of(name);
  }
  return program.add_tensor(std::move(t));
}

const Shape& LowerContext::shape_of(const std::string& name) {
  auto c = graph.constants.find(name);
  if (c != graph.constants.end()) return c->second.shape();
  const graph::ValueInfo* v = graph.value(name);
  if (!v || !v->shape) unsupported("the shape of '" + name + "' is not known");
  for (int64_t d : *v->shape)
    if (d < 0) unsupported("the shape of '" + name + "' is not static");
  return *v->shape;
}

DType LowerContext::dtype_of(const std::string& name) {
  auto c = graph.constants.find(name);
  if (c != graph.constants.end()) return c->second.dtype();
  const graph::ValueInfo* v = graph.value(name);
  if (!v || v->dtype == DType::kUndefined) unsupported("the type of '" + name + "' is not known");
  return v->dtype;
}

const graph::Tensor* LowerContext::constant_input(size_t i) const {
  if (!node.has_input(i)) return nullptr;
  auto c = graph.constants.find(node.inputs[i]);
  return c == graph.constants.end() ? nullptr : &c->second;
}

int LowerContext::add_constant(const std::string& suffix, const graph::Tensor& t) {
  ProgramTensor p;
  p.name = node.name + "/" + suffix;
  p.dtype = t.dtype();
  p.shape = t.shape();
  p.data = t.bytes();
  p.constant = true;
  return program.add_tensor(std::move(p));
}

int LowerContext::add_temp(const std::string& suffix, DType dtype, Shape shape) {
  return program.add_scratch(node.name + "/" + suffix, dtype, std::move(shape));
}

void LowerContext::unsupported(const std::string& why) const {
  throw UserError(graph.source_file + ": unsupported node '" + node.name + "' (" + node.op_type +
                  "): " + why);
}

std::vector<int32_t> contiguous_strides(const Shape& shape) {
  std::vector<int32_t> s(shape.size());
  int64_t step = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    s[d] = checked_i32(step, "stride");
    step *= shape[d];
  }
  return s;
}

std::vector<int32_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int32_t> s(out.size(), 0);
  const std::vector<int32_t> own = contiguous_strides(in);
  const size_t lead = out.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) s[lead + d] = in[d] == 1 ? 0 : own[d];
  return s;
}

void put_dims(ProgramOp& op, int rank_at, int dims_at, const Shape& shape) {
  if (shape.size() > FLC_MAX_RANK) throw UserError("tensors of rank above 6 are not supported");
  op.params[rank_at] = static_cast<int32_t>(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    op.params[dims_at + d] = checked_i32(shape[d], "dimension");
}

void put_ints(ProgramOp& op, int at, const std::vector<int32_t>& values) {
  for (size_t i = 0; i < values.size(); ++i) op.params[at + i] = values[i];
}

int32_t checked_i32(int64_t v, const char* what) {
  if (v < INT32_MIN || v > INT32_MAX) throw UserError(std::string(what) + " does not fit 32 bits");
  return static_cast<int32_t>(v);
}

}  // namespace flecsim::compiler
