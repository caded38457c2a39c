// Quantisation policy, BatchNormalization folding and calibration (quantize.h). The QDQ rewrite
// itself is in quantize_qdq.cpp.
#include "compiler/quantize.h"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace flecsim::compiler {

using graph::DType;
using graph::Graph;
using graph::Node;
using graph::Tensor;

namespace {

bool plain_onnx(const Node& n) {
  return n.domain.empty() || n.domain == "ai.onnx";
}

bool float_value(const Graph& g, const std::string& v) {
  const graph::ValueInfo* info = g.value(v);
  return info && info->dtype == DType::kFloat32 && !g.is_constant(v);
}

// Conv/MatMul/Gemm with a constant float weight, in a form the QDQ fusion takes.
bool quantisable(const Graph& g, const Node& n) {
  if (!plain_onnx(n) || n.inputs.size() < 2 || !float_value(g, n.inputs[0]) ||
      !g.is_constant(n.inputs[1]) || g.constants.at(n.inputs[1]).dtype() != DType::kFloat32)
    return false;
  if (n.has_input(2) && !g.is_constant(n.inputs[2])) return false;
  const Tensor& w = g.constants.at(n.inputs[1]);
  if (n.op_type == "Conv") return w.rank() == 4 || w.rank() == 3;
  if (n.op_type != "MatMul" && n.op_type != "Gemm") return false;
  const graph::ValueInfo* x = g.value(n.inputs[0]);
  if (w.rank() != 2 || !x->shape || x->shape->size() != 2) return false;
  return n.op_type == "MatMul" || (!n.attr_int("transA", 0) && n.attr_float("alpha", 1) == 1.0f &&
                                   n.attr_float("beta", 1) == 1.0f);
}

bool matches(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// Every `layers` pattern must name at least one node of the model (typos are errors).
void check_patterns(const Graph& g, const QuantizePolicy& policy) {
  std::vector<std::string> names;
  for (const auto& n : g.nodes) names.push_back(n.name);
  for (const auto& entry : policy.layers) {
    if (std::any_of(names.begin(), names.end(),
                    [&](const std::string& n) { return matches(entry.pattern, n); }))
      continue;
    std::string hint = closest_match(entry.pattern, names);
    throw UserError(entry.where + ": compiler.quantize.layers: no node of " + g.source_file +
                    " matches '" + entry.pattern + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
}

// BN(x) = (x - mean) / sqrt(var + eps) * gamma + beta, folded per output channel.
bool fold_one_batchnorm(Graph& g, Node& conv, const Node& bn) {
  for (size_t i = 1; i < 5; ++i)
    if (!bn.has_input(i) || !g.is_constant(bn.inputs[i])) return false;
  if (bn.outputs.size() != 1 || !g.is_constant(conv.inputs[1])) return false;
  if (conv.has_input(2) && !g.is_constant(conv.inputs[2])) return false;
  Tensor w = g.constants.at(conv.inputs[1]);
  if (w.dtype() != DType::kFloat32 || w.rank() < 3) return false;
  const int64_t channels = w.dim(0), inner = w.numel() / channels;
  auto param = [&](size_t i) { return &g.constants.at(bn.inputs[i]); };
  const Tensor *gamma = param(1), *beta = param(2), *mean = param(3), *var = param(4);
  for (const Tensor* t : {gamma, beta, mean, var})
    if (t->numel() != channels) return false;
  const double eps = bn.attr_float("epsilon", 1e-5f);
  Tensor bias(DType::kFloat32, {channels});
  for (int64_t c = 0; c < channels; ++c) {
    const double scale = gamma->get_double(c) / std::sqrt(var->get_double(c) + eps);
    for (int64_t i = 0; i < inner; ++i) {
      float& v = w.data<float>()[c * inner + i];
      v = static_cast<float>(v * scale);
    }
    const double b = conv.has_input(2) ? g.constants.at(conv.inputs[2]).get_double(c) : 0.0;
    bias.data<float>()[c] =
        static_cast<float>((b - mean->get_double(c)) * scale + beta->get_double(c));
  }
  const std::string w_name = conv.name + "/w_bn", b_name = conv.name + "/b_bn";
  g.values[w_name] = graph::ValueInfo{DType::kFloat32, w.shape()};
  g.values[b_name] = graph::ValueInfo{DType::kFloat32, bias.shape()};
  g.constants[w_name] = std::move(w);
  g.constants[b_name] = std::move(bias);
  conv.inputs.resize(3);
  conv.inputs[1] = w_name, conv.inputs[2] = b_name;
  conv.outputs[0] = bn.outputs[0];
  return true;
}

}  // namespace

int fold_batchnorm(Graph& g) {
  std::map<std::string, int> readers;
  for (const auto& n : g.nodes)
    for (const auto& in : n.inputs) ++readers[in];
  for (const auto& o : g.outputs) ++readers[o];
  const auto producers = g.producers();
  std::vector<bool> removed(g.nodes.size(), false);
  int folded = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& bn = g.nodes[i];
    if (!plain_onnx(bn) || bn.op_type != "BatchNormalization" || bn.inputs.size() < 5) continue;
    auto p = producers.find(bn.inputs[0]);
    if (p == producers.end() || readers[bn.inputs[0]] != 1) continue;
    Node& conv = g.nodes[p->second];
    if (!plain_onnx(conv) || conv.op_type != "Conv" || !fold_one_batchnorm(g, conv, bn)) continue;
    removed[i] = true;
    ++folded;
  }
  std::vector<Node> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!removed[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
  return folded;
}

Ranges calibrate(const Graph& g, const std::vector<ref::TensorMap>& sets) {
  Ranges ranges;
  auto record = [&](const std::string& name, const Tensor& t) {
    if (t.dtype() != DType::kFloat32 || t.numel() == 0) return;
    const float* d = t.data<float>();
    auto [lo, hi] = std::minmax_element(d, d + t.numel());
    auto it = ranges.find(name);
    if (it == ranges.end())
      ranges[name] = {*lo, *hi};
    else
      it->second = {std::min(it->second.first, *lo), std::max(it->second.second, *hi)};
  };
  for (const auto& set : sets) {
    for (const auto& [name, t] : set) record(name, t);
    ref::run_reference(g, set, [&](const Node& n, const std::vector<Tensor>& outs) {
      for (size_t i = 0; i < outs.size() && i < n.outputs.size(); ++i)
        record(n.outputs[i], outs[i]);
    });
  }
  return ranges;
}

std::map<std::string, std::string> layer_precisions(const Graph& g, const QuantizePolicy& policy,
                                                    const std::string& auto_precision) {
  std::map<std::string, std::string> out;
  for (const auto& n : g.nodes) {
    if (!quantisable(g, n)) continue;
    std::string p = policy.precision;
    // "auto" quantises also what the array cannot take (depthwise convolutions: integer CPU
    // kernels): a float op feeding a QuantizeLinear is not bit-exact between the runtime and
    // the reference (summation order), and one flipped rounding spreads through the network.
    if (p == "auto") p = auto_precision;
    for (const auto& entry : policy.layers)
      if (matches(entry.pattern, n.name)) {
        p = entry.precision;
        break;
      }
    if (p != "none") out[n.name] = p;
  }
  return out;
}

int quantize_float_model(Graph& g, const QuantizePolicy& policy, const std::string& auto_precision,
                         const std::vector<ref::TensorMap>& calibration,
                         std::map<std::string, std::string>* chosen) {
  check_patterns(g, policy);
  if (layer_precisions(g, policy, auto_precision).empty()) return 0;
  fold_batchnorm(g);
  const auto precision = layer_precisions(g, policy, auto_precision);
  if (chosen) *chosen = precision;
  if (precision.empty()) return 0;
  std::map<std::string, std::string> integer;
  std::set<std::string> bf16;
  for (const auto& [node, p] : precision) {
    if (p == "bf16")
      bf16.insert(node);
    else
      integer[node] = p;
  }
  int count = integer.empty() ? 0 : insert_qdq(g, integer, calibrate(g, calibration));
  return count + insert_bf16(g, bf16);
}

}  // namespace flecsim::compiler
