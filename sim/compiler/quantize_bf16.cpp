// bfloat16 layers (quantize.h): the node's activation input goes through flecsim:RoundBF16
// (round to nearest even to bf16, kept in fp32 storage) and its weights are rounded the same
// way once, at compile time; the node itself stays the fp32 op, so products of bf16 values are
// accumulated in fp32 (bf16 x bf16 is exact in fp32). The runtime's UNARY ROUND_BF16 and the
// reference compute the same rounding bit for bit.
#include <cstring>

#include "compiler/quantize.h"

namespace flecsim::compiler {

float round_bf16(float x) {
  uint32_t u = 0;
  std::memcpy(&u, &x, 4);
  if ((u & 0x7f800000u) == 0x7f800000u) {
    if (u & 0x007fffffu) u |= 0x00400000u;  // NaN stays a (quiet) NaN
  } else {
    u += 0x7fffu + ((u >> 16) & 1u);  // to nearest, ties to even; overflow gives infinity
  }
  u &= 0xffff0000u;
  std::memcpy(&x, &u, 4);
  return x;
}

int insert_bf16(graph::Graph& g, const std::set<std::string>& nodes) {
  std::map<std::string, std::string> rounded;  // value -> its RoundBF16 output
  std::vector<graph::Node> added;
  int count = 0;
  for (graph::Node& n : g.nodes) {
    if (!nodes.count(n.name)) continue;
    const std::string x = n.inputs[0];
    if (!rounded.count(x)) {
      graph::Node r;
      r.name = x + "/round_bf16";
      r.op_type = "RoundBF16";
      r.domain = "flecsim";
      r.opset = 1;
      r.inputs = {x};
      r.outputs = {x + "/bf16"};
      g.values[r.outputs[0]] = *g.value(x);
      rounded[x] = r.outputs[0];
      added.push_back(std::move(r));
    }
    n.inputs[0] = rounded[x];
    graph::Tensor w = g.constants.at(n.inputs[1]);
    for (int64_t i = 0; i < w.numel(); ++i) w.data<float>()[i] = round_bf16(w.data<float>()[i]);
    const std::string w_name = n.name + "/w_bf16";
    g.values[w_name] = graph::ValueInfo{w.dtype(), w.shape()};
    g.constants[w_name] = std::move(w);
    n.inputs[1] = w_name;
    n.annotations["precision"] = "bf16";
    ++count;
  }
  for (graph::Node& r : added) g.nodes.push_back(std::move(r));
  g.sort_topologically();
  return count;
}

}  // namespace flecsim::compiler
