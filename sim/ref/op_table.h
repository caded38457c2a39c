// The reference executor's op table: op type -> (check, exec). One small unit per op,
// registered by the ops_*.cpp files; no central switch.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace flecsim::ref {

using graph::DType;
using graph::Node;
using graph::Shape;
using graph::Tensor;

// Inputs of one node: nullptr for an omitted optional input.
using Inputs = std::vector<const Tensor*>;
// Computes all outputs (out has one entry per node output). Throws UserError (without
// naming the node; the executor adds that) on inputs the op cannot handle.
using ExecFn = void (*)(const Node& node, const Inputs& in, std::vector<Tensor>& out);
// Returns "" when the node's attributes are supported, otherwise why not.
using CheckFn = std::string (*)(const Node& node);

struct OpDef {
  ExecFn exec = nullptr;
  CheckFn check = nullptr;  // optional
  int min_inputs = 1;
};

class OpTable {
 public:
  void add(const std::string& op_type, OpDef def) { ops_[op_type] = def; }
  const OpDef* find(const std::string& op_type) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, OpDef> ops_;
};

const OpTable& op_table();  // all ops, built once
// Registers an op of another domain (the compiler's fused "flecsim" ops); call before running.
void add_extension_op(const std::string& domain, const std::string& op_type, OpDef def);

void register_elementwise_ops(OpTable& table);
void register_conv_ops(OpTable& table);
void register_matmul_ops(OpTable& table);
void register_quant_ops(OpTable& table);
void register_pool_ops(OpTable& table);
void register_norm_ops(OpTable& table);
void register_shape_ops(OpTable& table);
void register_resize_ops(OpTable& table);

}  // namespace flecsim::ref
