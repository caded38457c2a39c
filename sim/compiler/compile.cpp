#include "compiler/compile.h"

#include <algorithm>

#include "compiler/lower.h"
#include "compiler/qdq_fusion.h"
#include "core/error.h"
#include "ref/reference.h"

namespace flecsim::compiler {
namespace {

std::string lower_key(const graph::Node& n) {
  return n.domain.empty() || n.domain == "ai.onnx" ? n.op_type : n.domain + ":" + n.op_type;
}

// Every node must have a lowering whose check passes; report all failures at once.
void check_lowerable(const graph::Graph& g) {
  std::string report;
  int count = 0;
  for (const auto& n : g.nodes) {
    const LowerRule* rule = lower_table().find(lower_key(n));
    std::string why = !rule ? "no unit of this platform runs this op type"
                            : (rule->check ? rule->check(n, g) : "");
    if (why.empty()) continue;
    ++count;
    report += "\n  node '" + n.name + "' (" + n.op_type + "): " + why;
  }
  if (count)
    throw UserError(g.source_file + ": " + std::to_string(count) + " unsupported node" +
                    (count > 1 ? "s" : "") + ":" + report);
}

// Capability-based mapping: the first accelerator that lists the lowered op runs it.
uint8_t choose_unit(const graph::Node& n, const TargetInfo& target) {
  std::string op = n.op_type;
  std::transform(op.begin(), op.end(), op.begin(), ::tolower);
  if (n.domain != "flecsim") return 0;
  for (size_t u = 0; u < target.accelerator_ops.size(); ++u)
    for (const auto& o : target.accelerator_ops[u])
      if (o == op) return static_cast<uint8_t>(u + 1);
  return 0;
}

// The precision "auto" quantises float models to: the first one an accelerator lists.
std::string auto_precision(const TargetInfo& target) {
  for (const auto& precisions : target.accelerator_precisions)
    if (!precisions.empty()) return precisions.front();
  return "none";
}

void mark_io(Program& p, const graph::Graph& g) {
  const graph::Node no_node;
  for (const auto& name : g.outputs)  // an output that is a constant is read from the image
    if (p.find_tensor(name) < 0 && g.is_constant(name)) LowerContext(g, p, no_node, 0).value(name);
  for (const auto& name : g.inputs) {
    int i = p.find_tensor(name);
    if (i >= 0) p.tensors[i].graph_input = true;
  }
  for (const auto& name : g.outputs) {
    int i = p.find_tensor(name);
    if (i < 0) throw UserError(g.source_file + ": graph output '" + name + "' is never computed");
    p.tensors[i].graph_output = true;
  }
}

}  // namespace

int fold_constants(graph::Graph& g) {
  int folded = 0;
  std::vector<graph::Node> kept;
  for (auto& n : g.nodes) {
    bool all_constant = !n.inputs.empty() || n.op_type == "Constant";
    for (const auto& in : n.inputs)
      if (!in.empty() && !g.is_constant(in)) all_constant = false;
    if (!all_constant || n.domain == "flecsim") {
      kept.push_back(std::move(n));
      continue;
    }
    graph::Graph one;
    one.source_file = g.source_file;
    one.opsets = g.opsets;
    for (const auto& in : n.inputs)
      if (!in.empty()) one.constants[in] = g.constants.at(in);
    one.outputs = n.outputs;
    for (const auto& o : n.outputs) one.values[o] = g.values[o];
    one.nodes.push_back(n);
    for (auto& [name, t] : ref::run_reference(one, {})) {
      g.values[name] = graph::ValueInfo{t.dtype(), t.shape()};
      g.constants[name] = std::move(t);
    }
    ++folded;
  }
  g.nodes = std::move(kept);
  return folded;
}

Compiled compile(graph::Graph g, const TargetInfo& target, const CompileOptions& options) {
  Compiled c;
  register_fused_reference_ops();
  if (options.quantize != "none") {
    c.quantized_ops =
        quantize_float_model(g, QuantizePolicy{options.quantize, options.layers},
                             auto_precision(target), options.calibration, &c.layer_precision);
    c.fused_ops = fuse_qdq(g);
  }
  fold_constants(g);
  check_lowerable(g);
  Program& p = c.program;
  Unit cpu;
  cpu.name = "cpu";
  cpu.record.kind = FLC_UNIT_CPU;
  p.units.push_back(cpu);
  for (const auto& u : target.accelerators) p.units.push_back(u);
  const graph::Node no_node;
  for (const auto& name : g.inputs) {
    LowerContext ctx(g, p, no_node, 0);
    ctx.value(name);
  }
  for (const auto& n : g.nodes) {
    Layer layer;
    layer.name = n.name;
    layer.op_type = n.annotations.count("fused") ? "Q" + n.annotations.at("fused") : n.op_type;
    if (n.annotations.count("precision") && n.annotations.at("precision") == "bf16")
      layer.op_type = "BF16" + n.op_type;  // fp32 op on bf16-rounded operands
    layer.unit = "cpu";
    p.layers.push_back(layer);
    LowerContext ctx(g, p, n, static_cast<int>(p.layers.size() - 1));
    ctx.accel_unit = choose_unit(n, target);
    lower_table().find(lower_key(n))->lower(ctx);
  }
  mark_io(p, g);
  const uint64_t constants_base = target.image_base + tables_bytes(p);
  uint64_t constants_end = constants_base;
  for (const auto& t : p.tensors)
    if (t.constant) constants_end += (t.bytes() + 15) / 16 * 16;
  const uint64_t arena_base = (constants_end + 63) / 64 * 64;
  const uint64_t arena = plan_memory(p, constants_base, arena_base, target.memory_end);
  c.image = serialize(p, target, arena_base, arena);
  c.image_base = target.image_base;
  for (const auto& t : p.tensors)
    if (t.graph_input || t.graph_output) c.value_addr[t.name] = t.addr;
  c.graph = std::move(g);
  return c;
}

}  // namespace flecsim::compiler
