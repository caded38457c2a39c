#include "graph/graph.h"

#include <set>

namespace flecsim::graph {

const char* attribute_kind_name(Attribute::Kind kind) {
  switch (kind) {
    case Attribute::Kind::kFloat:
      return "float";
    case Attribute::Kind::kInt:
      return "int";
    case Attribute::Kind::kString:
      return "string";
    case Attribute::Kind::kTensor:
      return "tensor";
    case Attribute::Kind::kFloats:
      return "floats";
    case Attribute::Kind::kInts:
      return "ints";
    case Attribute::Kind::kStrings:
      return "strings";
  }
  return "?";
}

namespace {
const Attribute* find_attr(const Node& node, const std::string& key, Attribute::Kind kind) {
  auto it = node.attributes.find(key);
  if (it == node.attributes.end()) return nullptr;
  if (it->second.kind != kind)
    throw UserError(node.describe() + ": attribute '" + key + "' is " +
                    attribute_kind_name(it->second.kind) + ", expected " +
                    attribute_kind_name(kind));
  return &it->second;
}
}  // namespace

int64_t Node::attr_int(const std::string& key, int64_t fallback) const {
  const Attribute* a = find_attr(*this, key, Attribute::Kind::kInt);
  return a ? a->i : fallback;
}

float Node::attr_float(const std::string& key, float fallback) const {
  const Attribute* a = find_attr(*this, key, Attribute::Kind::kFloat);
  return a ? a->f : fallback;
}

std::string Node::attr_string(const std::string& key, const std::string& fallback) const {
  const Attribute* a = find_attr(*this, key, Attribute::Kind::kString);
  return a ? a->s : fallback;
}

std::vector<int64_t> Node::attr_ints(const std::string& key, std::vector<int64_t> fallback) const {
  const Attribute* a = find_attr(*this, key, Attribute::Kind::kInts);
  return a ? a->ints : fallback;
}

std::vector<float> Node::attr_floats(const std::string& key, std::vector<float> fallback) const {
  const Attribute* a = find_attr(*this, key, Attribute::Kind::kFloats);
  return a ? a->floats : fallback;
}

const Tensor* Node::attr_tensor(const std::string& key) const {
  const Attribute* a = find_attr(*this, key, Attribute::Kind::kTensor);
  return a ? a->t.get() : nullptr;
}

std::string Node::describe() const {
  return "node '" + name + "' (" + op_type + ")";
}

const ValueInfo* Graph::value(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

std::map<std::string, size_t> Graph::producers() const {
  std::map<std::string, size_t> out;
  for (size_t i = 0; i < nodes.size(); ++i)
    for (const auto& o : nodes[i].outputs)
      if (!o.empty()) out[o] = i;
  return out;
}

std::vector<size_t> Graph::sort_topologically() {
  std::set<std::string> available(inputs.begin(), inputs.end());
  for (const auto& [name, tensor] : constants) available.insert(name);
  std::vector<Node> sorted;
  std::vector<size_t> order;
  std::vector<bool> done(nodes.size(), false);
  // Repeated sweeps keep the original order whenever it is already valid.
  while (sorted.size() < nodes.size()) {
    bool progress = false;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (const auto& in : nodes[i].inputs)
        if (!in.empty() && !available.count(in)) ready = false;
      if (!ready) continue;
      for (const auto& o : nodes[i].outputs) available.insert(o);
      sorted.push_back(std::move(nodes[i]));
      order.push_back(i);
      done[i] = true;
      progress = true;
    }
    if (progress) continue;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (done[i]) continue;
      for (const auto& in : nodes[i].inputs)
        if (!in.empty() && !available.count(in))
          throw UserError(SourceLoc{source_file}, nodes[i].describe() + ": input '" + in +
                                                      "' is not produced by any node, graph "
                                                      "input or initializer (or forms a cycle)");
    }
  }
  nodes = std::move(sorted);
  return order;
}

}  // namespace flecsim::graph
