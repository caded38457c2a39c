#include "ref/inputs.h"
#include "ref/reference.h"

namespace flecsim::ref {

namespace {
bool fully_known(const graph::ValueInfo* info) {
  if (!info || info->dtype == graph::DType::kUndefined || !info->shape) return false;
  for (int64_t d : *info->shape)
    if (d < 0) return false;
  return true;
}
}  // namespace

size_t complete_shapes(graph::Graph& g) {
  bool all_known = true;
  for (const auto& node : g.nodes)
    for (const auto& out : node.outputs)
      all_known = all_known && (out.empty() || fully_known(g.value(out)));
  if (all_known) return 0;
  size_t completed = 0;
  run_reference(g, random_inputs(g, 0),
                [&](const graph::Node& node, const std::vector<graph::Tensor>& outs) {
                  for (size_t k = 0; k < outs.size(); ++k) {
                    if (node.outputs[k].empty() || fully_known(g.value(node.outputs[k]))) continue;
                    g.values[node.outputs[k]] = graph::ValueInfo{outs[k].dtype(), outs[k].shape()};
                    ++completed;
                  }
                });
  return completed;
}

}  // namespace flecsim::ref
