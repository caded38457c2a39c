#include "compiler/program.h"

#include "core/error.h"

namespace flecsim::compiler {

uint64_t ProgramTensor::bytes() const {
  return static_cast<uint64_t>(graph::element_count(shape)) * graph::dtype_size(dtype);
}

int Program::find_tensor(const std::string& name) const {
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == name) return static_cast<int>(i);
  return -1;
}

int Program::add_tensor(ProgramTensor t) {
  if (tensors.size() >= FLC_NO_TENSOR) throw UserError("model has too many tensors for a loadable");
  tensors.push_back(std::move(t));
  return static_cast<int>(tensors.size() - 1);
}

int Program::add_scratch(const std::string& name, DType dtype, Shape shape) {
  ProgramTensor t;
  t.name = name;
  t.dtype = dtype;
  t.shape = std::move(shape);
  return add_tensor(std::move(t));
}

ProgramOp& Program::add_op(uint16_t opcode, int layer, std::vector<int> operands, uint8_t unit) {
  if (operands.size() > FLC_MAX_OPERANDS) throw InternalError("op with too many operands");
  ProgramOp op;
  op.opcode = opcode;
  op.unit = unit;
  op.layer = layer;
  op.operands = std::move(operands);
  ops.push_back(std::move(op));
  return ops.back();
}

}  // namespace flecsim::compiler
