// ONNX model import (libonnx + protobuf): a model file becomes a Graph with constants,
// types and shapes (ONNX shape inference), nodes in topological order. Every error in
// the file is a UserError naming the file and, where it applies, the node.
#pragma once
#include <string>
#include <utility>

#include "graph/graph.h"

namespace flecsim::graph {

// Opset range of the default domain that the importer accepts.
constexpr int kMinOpset = 11;
constexpr int kMaxOpset = 18;

// Loads an .onnx file. External tensor data must lie inside the model's folder.
// Does not decide which ops can run: see ref::check_supported.
Graph load_model(const std::string& path);

// Reads a serialized TensorProto (.pb), as in ONNX test data sets: (name, tensor).
std::pair<std::string, Tensor> read_tensor_pb(const std::string& path);
void write_tensor_pb(const std::string& path, const std::string& name, const Tensor& tensor);

}  // namespace flecsim::graph
