// Graph IR: what the ONNX importer produces, the reference executor runs and the compiler
// rewrites. Values are named (ONNX style); a node refers to its inputs and outputs by
// name, "" marks an omitted optional input. Constant values (initializers, folded
// constants) live in Graph::constants. Passes may add annotations to nodes (`unit`,
// `precision`, anything else as key/value) without changing the op semantics.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "graph/tensor.h"

namespace flecsim::graph {

struct Attribute {
  enum class Kind { kFloat, kInt, kString, kTensor, kFloats, kInts, kStrings };
  Kind kind = Kind::kInt;
  float f = 0;
  int64_t i = 0;
  std::string s;
  std::shared_ptr<Tensor> t;
  std::vector<float> floats;
  std::vector<int64_t> ints;
  std::vector<std::string> strings;
};
const char* attribute_kind_name(Attribute::Kind kind);

// Type and shape of a value as far as known before running (from the model or inference).
struct ValueInfo {
  DType dtype = DType::kUndefined;
  std::optional<Shape> shape;  // nullopt: rank unknown; -1 entries: dimension unknown
};

struct Node {
  std::string name;  // unique in the graph (the importer names unnamed nodes)
  std::string op_type;
  std::string domain;  // "" is the default ONNX domain
  int opset = 0;       // opset version of the node's domain
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::map<std::string, Attribute> attributes;
  // Filled by compiler passes: which unit runs the node and in which precision.
  std::string unit;
  std::string precision;
  std::map<std::string, std::string> annotations;

  bool has_attr(const std::string& key) const { return attributes.count(key) != 0; }
  // Typed attribute getters: the default when absent; UserError if the kind differs.
  int64_t attr_int(const std::string& key, int64_t fallback) const;
  float attr_float(const std::string& key, float fallback) const;
  std::string attr_string(const std::string& key, const std::string& fallback) const;
  std::vector<int64_t> attr_ints(const std::string& key, std::vector<int64_t> fallback) const;
  std::vector<float> attr_floats(const std::string& key, std::vector<float> fallback) const;
  const Tensor* attr_tensor(const std::string& key) const;  // nullptr when absent
  // Input i if given (present and not ""), for optional inputs.
  bool has_input(size_t i) const { return i < inputs.size() && !inputs[i].empty(); }
  std::string describe() const;  // "node 'conv1' (Conv)"
};

struct Graph {
  std::string name;
  std::string source_file;            // the model file, for messages
  std::map<std::string, int> opsets;  // domain -> version
  std::vector<std::string> inputs;    // runtime inputs (initializers excluded)
  std::vector<std::string> outputs;
  std::map<std::string, ValueInfo> values;  // every known value
  std::map<std::string, Tensor> constants;  // initializers and folded constants
  std::vector<Node> nodes;                  // in topological order after import

  const ValueInfo* value(const std::string& name) const;
  bool is_constant(const std::string& name) const { return constants.count(name) != 0; }
  // Reorders `nodes` topologically (stable: keeps the given order when it is valid) and
  // returns the previous index of each node in the new order. UserError naming a node
  // whose input nothing produces, or a cycle.
  std::vector<size_t> sort_topologically();
  // Index of the node producing each value.
  std::map<std::string, size_t> producers() const;
};

}  // namespace flecsim::graph
