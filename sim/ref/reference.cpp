#include "ref/reference.h"

#include <algorithm>
#include <sstream>

#include "ref/op_table.h"

namespace flecsim::ref {

const OpDef* OpTable::find(const std::string& op_type) const {
  auto it = ops_.find(op_type);
  return it == ops_.end() ? nullptr : &it->second;
}

std::vector<std::string> OpTable::names() const {
  std::vector<std::string> out;
  for (const auto& [name, def] : ops_) out.push_back(name);
  return out;
}

static OpTable& mutable_op_table() {
  static OpTable table = [] {
    OpTable t;
    register_elementwise_ops(t);
    register_conv_ops(t);
    register_matmul_ops(t);
    register_quant_ops(t);
    register_pool_ops(t);
    register_norm_ops(t);
    register_shape_ops(t);
    register_resize_ops(t);
    return t;
  }();
  return table;
}

const OpTable& op_table() { return mutable_op_table(); }

void add_extension_op(const std::string& domain, const std::string& op_type, OpDef def) {
  mutable_op_table().add(domain + ":" + op_type, def);
}

// Ops of the default domain by op type; others (the compiler's "flecsim" ops) by domain:type.
static const OpDef* find_op(const graph::Node& node) {
  if (node.domain.empty() || node.domain == "ai.onnx") return op_table().find(node.op_type);
  return op_table().find(node.domain + ":" + node.op_type);
}

bool is_supported_op(const std::string& domain, const std::string& op_type) {
  if (domain.empty() || domain == "ai.onnx") return op_table().find(op_type) != nullptr;
  return op_table().find(domain + ":" + op_type) != nullptr;
}

std::vector<std::string> supported_ops() {
  return op_table().names();
}

std::vector<Unsupported> find_unsupported(const graph::Graph& g) {
  std::vector<Unsupported> out;
  for (const auto& node : g.nodes) {
    const OpDef* def = find_op(node);
    std::string reason;
    if (!def && !node.domain.empty() && node.domain != "ai.onnx") {
      reason = "domain '" + node.domain + "' is not supported";
    } else if (!def) {
      reason = "op type is not supported by the reference executor";
    } else if (static_cast<int>(node.inputs.size()) < def->min_inputs) {
      reason = "needs at least " + std::to_string(def->min_inputs) + " inputs";
    } else if (def->check) {
      try {
        reason = def->check(node);
      } catch (const UserError& e) {
        reason = e.what();
      }
    }
    if (!reason.empty()) out.push_back({node.name, node.op_type, reason});
  }
  return out;
}

void check_supported(const graph::Graph& g) {
  const auto bad = find_unsupported(g);
  if (bad.empty()) return;
  std::ostringstream msg;
  msg << bad.size() << " unsupported node(s):";
  for (const auto& u : bad)
    msg << "\n  node '" << u.node << "' (" << u.op_type << "): " << u.reason;
  throw UserError(SourceLoc{g.source_file}, msg.str());
}

void check_inputs(const graph::Graph& g, const TensorMap& inputs) {
  for (const auto& name : g.inputs) {
    auto it = inputs.find(name);
    if (it == inputs.end())
      throw UserError(SourceLoc{g.source_file}, "no value given for graph input '" + name + "'");
    const graph::ValueInfo* info = g.value(name);
    const graph::Tensor& t = it->second;
    if (!info) continue;
    if (info->dtype != DType::kUndefined && info->dtype != t.dtype())
      throw UserError(SourceLoc{g.source_file}, "graph input '" + name + "' expects " +
                                                    graph::dtype_name(info->dtype) + ", got " +
                                                    graph::dtype_name(t.dtype()));
    bool match = !info->shape || info->shape->size() == t.rank();
    for (size_t d = 0; match && info->shape && d < t.rank(); ++d)
      match = (*info->shape)[d] < 0 || (*info->shape)[d] == t.dim(d);
    if (!match)
      throw UserError(SourceLoc{g.source_file}, "graph input '" + name + "' expects shape " +
                                                    graph::shape_str(*info->shape) + ", got " +
                                                    graph::shape_str(t.shape()));
  }
  for (const auto& [name, t] : inputs)
    if (!std::count(g.inputs.begin(), g.inputs.end(), name))
      throw UserError(SourceLoc{g.source_file}, "the model has no input named '" + name + "'");
}

namespace {

// Index of the last node reading each value (graph outputs are never freed).
std::map<std::string, size_t> last_uses(const graph::Graph& g) {
  std::map<std::string, size_t> last;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (const auto& in : g.nodes[i].inputs) last[in] = i;
  for (const auto& out : g.outputs) last[out] = g.nodes.size();
  return last;
}

}  // namespace

TensorMap run_reference(const graph::Graph& g, const TensorMap& inputs,
                        const NodeObserver& observe) {
  check_supported(g);
  check_inputs(g, inputs);
  TensorMap values;  // computed values; constants and inputs are read in place
  auto lookup = [&](const std::string& name) -> const Tensor* {
    if (auto it = values.find(name); it != values.end()) return &it->second;
    if (auto it = inputs.find(name); it != inputs.end()) return &it->second;
    if (auto it = g.constants.find(name); it != g.constants.end()) return &it->second;
    return nullptr;
  };
  const auto last = last_uses(g);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const graph::Node& node = g.nodes[i];
    Inputs in;
    for (const auto& name : node.inputs) {
      in.push_back(name.empty() ? nullptr : lookup(name));
      if (!name.empty() && !in.back())
        throw InternalError(node.describe() + ": input '" + name + "' not computed");
    }
    std::vector<Tensor> out(node.outputs.size());
    try {
      find_op(node)->exec(node, in, out);
    } catch (const UserError& e) {
      throw UserError(SourceLoc{g.source_file}, node.describe() + ": " + e.what());
    }
    if (observe) observe(node, out);
    for (size_t k = 0; k < out.size(); ++k)
      if (!node.outputs[k].empty()) values[node.outputs[k]] = std::move(out[k]);
    for (const auto& name : node.inputs) {
      auto it = last.find(name);
      if (it != last.end() && it->second == i) values.erase(name);
    }
  }
  TensorMap result;
  for (const auto& name : g.outputs) {
    const Tensor* t = lookup(name);
    if (!t) throw InternalError("graph output '" + name + "' not computed");
    result[name] = *t;
  }
  return result;
}

}  // namespace flecsim::ref
