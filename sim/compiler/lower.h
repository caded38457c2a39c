// Lowering: graph nodes -> runtime ops (program.h). One small function per ONNX op type,
// registered in a table (lower_*.cpp); no central switch.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "compiler/program.h"
#include "graph/graph.h"

namespace flecsim::compiler {

// What a lowering function sees: the node, the graph, the program being built.
class LowerContext {
 public:
  LowerContext(const graph::Graph& g, Program& prog, const graph::Node& node, int layer)
      : graph(g), program(prog), node(node), layer(layer) {}

  const graph::Graph& graph;
  Program& program;
  const graph::Node& node;
  int layer;
  uint8_t accel_unit = 0;  // the unit chosen for this node (0 = CPU)

  // Program tensor for graph value `name` (input i / output i of the node), created on use.
  int value(const std::string& name);
  int input(size_t i) { return node.has_input(i) ? value(node.inputs[i]) : -1; }
  int output(size_t i) { return value(node.outputs[i]); }
  const Shape& shape_of(const std::string& name);
  const Shape& in_shape(size_t i) { return shape_of(node.inputs[i]); }
  const Shape& out_shape(size_t i) { return shape_of(node.outputs[i]); }
  DType dtype_of(const std::string& name);
  DType in_dtype(size_t i) { return dtype_of(node.inputs[i]); }
  // Constant value of input i, or nullptr when it is computed at run time.
  const graph::Tensor* constant_input(size_t i) const;
  // A new constant tensor owned by the program.
  int add_constant(const std::string& suffix, const graph::Tensor& t);
  // A new intermediate tensor (not a graph value).
  int add_temp(const std::string& suffix, DType dtype, Shape shape);
  ProgramOp& emit(uint16_t opcode, std::vector<int> operands, uint8_t unit = 0) {
    return program.add_op(opcode, layer, std::move(operands), unit);
  }
  [[noreturn]] void unsupported(const std::string& why) const;
};

using LowerFn = void (*)(LowerContext& ctx);

struct LowerRule {
  LowerFn lower = nullptr;
  // "" when the node can be lowered, else why not (checked before anything runs).
  std::string (*check)(const graph::Node& node, const graph::Graph& g) = nullptr;
};

class LowerTable {
 public:
  void add(const std::string& op_type, LowerRule rule) { rules_[op_type] = rule; }
  const LowerRule* find(const std::string& op_type) const;

 private:
  std::map<std::string, LowerRule> rules_;
};

const LowerTable& lower_table();
void register_lower_elementwise(LowerTable& t);
void register_lower_nn(LowerTable& t);
void register_lower_shape(LowerTable& t);
void register_lower_quant(LowerTable& t);
void register_lower_fused(LowerTable& t);  // flecsim-domain QConv, QMatMul, QAdd

// Row-major strides (elements) of a shape; numpy broadcast strides of `in` over `out`.
std::vector<int32_t> contiguous_strides(const Shape& shape);
std::vector<int32_t> broadcast_strides(const Shape& in, const Shape& out);
// Writes rank/dims into params[at..] (rank at `rank_at`, dims at `dims_at`, 6 slots).
void put_dims(ProgramOp& op, int rank_at, int dims_at, const Shape& shape);
void put_ints(ProgramOp& op, int at, const std::vector<int32_t>& values);
int32_t checked_i32(int64_t v, const char* what);

}  // namespace flecsim::compiler
