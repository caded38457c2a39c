// Reference executor: runs a Graph op by op on the host (fp32 and the integer
// semantics of the ONNX quantised ops). The golden model for simulated runs.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace flecsim::ref {

using TensorMap = std::map<std::string, graph::Tensor>;

struct Unsupported {
  std::string node, op_type, reason;
};

bool is_supported_op(const std::string& domain, const std::string& op_type);
std::vector<std::string> supported_ops();
// Every node the executor cannot run, with why (op type, domain, attribute, input count).
std::vector<Unsupported> find_unsupported(const graph::Graph& g);
// UserError listing all unsupported nodes (file, node name, op type, reason), if any.
void check_supported(const graph::Graph& g);
// Checks user inputs against the graph's declared inputs: every input given, known
// dtype and shape match. UserError naming the input otherwise.
void check_inputs(const graph::Graph& g, const TensorMap& inputs);

// Called after each node with its outputs (before intermediates are freed): for
// per-layer comparisons and shape completion.
using NodeObserver = std::function<void(const graph::Node&, const std::vector<graph::Tensor>&)>;

// Runs the graph; returns the graph outputs by name. Intermediates are freed after
// their last use. Errors from an op are UserErrors naming the file and node.
TensorMap run_reference(const graph::Graph& g, const TensorMap& inputs,
                        const NodeObserver& observe = {});

// Fills Graph::values (dtype and shape) of every node output that static inference left
// open (opset-18 models, which libonnx 1.12 cannot infer; data-dependent shapes) by
// running the graph once on deterministic inputs; unknown input dimensions become 1.
// Returns the number of values completed (0 without running when all are known).
size_t complete_shapes(graph::Graph& g);

}  // namespace flecsim::ref
