// The compiler's output before serialisation: tensors with shapes and (for constants) data,
// ops in the runtime's vocabulary (workloads/runtime/loadable_format.h) with their unit, and
// the layers they belong to (an ONNX node after fusion) for per-layer statistics.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "graph/tensor.h"
#include "runtime/loadable_format.h"
#include "runtime/loadable_params.h"

namespace flecsim::compiler {

using graph::DType;
using graph::Shape;

struct ProgramTensor {
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;
  std::vector<uint8_t> data;  // constants only
  bool constant = false;
  bool graph_input = false;
  bool graph_output = false;
  uint64_t addr = 0;                  // assigned by the memory plan
  int first_use = -1, last_use = -1;  // op indices, for buffer reuse
  uint64_t bytes() const;
};

struct ProgramOp {
  uint16_t opcode = 0;
  uint8_t unit = 0;
  int layer = 0;
  std::vector<int> operands;  // tensor indices; -1 = none
  std::vector<int32_t> params = std::vector<int32_t>(FLC_MAX_PARAMS, 0);

  void set_f32(int index, float value) { std::memcpy(&params[index], &value, 4); }
};

struct Layer {
  std::string name;     // ONNX node name
  std::string op_type;  // after fusion, e.g. "QConv+Relu"
  std::string unit;     // "cpu" or the accelerator's platform name
  uint64_t macs = 0;
};

struct Unit {
  std::string name;  // "cpu", "systolic0"
  flc_unit_t record{};
};

struct Program {
  std::vector<ProgramTensor> tensors;
  std::vector<ProgramOp> ops;
  std::vector<Layer> layers;
  std::vector<Unit> units;  // units[0] is the CPU

  int find_tensor(const std::string& name) const;
  int add_tensor(ProgramTensor t);
  // A scratch buffer private to one op.
  int add_scratch(const std::string& name, DType dtype, Shape shape);
  ProgramOp& add_op(uint16_t opcode, int layer, std::vector<int> operands, uint8_t unit = 0);
};

// ONNX dtype number as stored in the loadable.
inline int32_t flc_dtype(DType t) {
  return static_cast<int32_t>(t);
}

}  // namespace flecsim::compiler
