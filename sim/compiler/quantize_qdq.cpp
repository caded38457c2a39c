// The QDQ rewrite of float Conv/MatMul/Gemm (quantize.h): the same form tools/gen_models.py
// gives the int8 workloads, so the QDQ fusion, the lowering, the array and the reference of the
// fused graph serve quantised float models unchanged.
//
// Activations: per tensor, asymmetric, from the calibrated range widened to include 0
// (scale = (hi - lo) / (qmax - qmin), zero point = round(qmin - lo / scale)). Weights: per
// output channel, symmetric (scale = max|w| / qmax, zero point 0). Which values get a
// QuantizeLinear -> DequantizeLinear pair: the input of every quantised node, its output (after
// a ReLU, or a ReLU6 that becomes a ReLU, that is its only reader, so it fuses), the output of
// an Add whose two inputs are quantised in int8 (residual joins become QAdd), and, backwards
// through MaxPool/Flatten/Reshape, their inputs with the same parameters (so they run on integers).
#include <cmath>
#include <set>

#include "compiler/quantize.h"
#include "core/error.h"

namespace flecsim::compiler {

using graph::DType;
using graph::Graph;
using graph::Node;
using graph::Tensor;

namespace {

struct IntRange {
  DType dtype;
  int64_t qmin, qmax;
};

IntRange int_range(const std::string& precision) {
  if (precision == "int16") return {DType::kInt16, -32768, 32767};
  return {DType::kInt8, -128, 127};
}

struct QParams {
  float scale = 1;
  int64_t zero_point = 0;
  std::string precision;
};

QParams activation_params(std::pair<float, float> range, const std::string& precision) {
  const IntRange r = int_range(precision);
  const double lo = std::min(0.0f, range.first), hi = std::max(0.0f, range.second);
  QParams q;
  q.precision = precision;
  if (r.dtype == DType::kInt16) {  // symmetric: int16 ops keep zero points out of the bias
    q.scale = std::max(static_cast<float>(std::max(-lo, hi) / double(r.qmax)), 1e-8f);
    return q;
  }
  q.scale = std::max(static_cast<float>((hi - lo) / double(r.qmax - r.qmin)), 1e-8f);
  const double zp = std::nearbyint(double(r.qmin) - lo / q.scale);
  q.zero_point = static_cast<int64_t>(std::clamp(zp, double(r.qmin), double(r.qmax)));
  return q;
}

// A rank-0 tensor of `dtype` (float32, int8, int16) holding `value`.
Tensor scalar(DType dtype, double value) {
  Tensor t(dtype, {});
  if (dtype == DType::kFloat32)
    t.data<float>()[0] = static_cast<float>(value);
  else if (dtype == DType::kInt8)
    t.data<int8_t>()[0] = static_cast<int8_t>(value);
  else
    t.data<int16_t>()[0] = static_cast<int16_t>(value);
  return t;
}

bool passthrough(const Node& n) {
  return (n.domain.empty() || n.domain == "ai.onnx") &&
         (n.op_type == "MaxPool" || n.op_type == "Flatten" || n.op_type == "Reshape") &&
         n.outputs.size() == 1;
}

class QdqWriter {
 public:
  QdqWriter(Graph& g, const std::map<std::string, std::string>& precision)
      : g_(g), precision_(precision), producer_(g.producers()) {
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      for (const auto& in : g_.nodes[i].inputs) readers_[in].push_back(i);
    outputs_.insert(g_.outputs.begin(), g_.outputs.end());
  }
  int run(const Ranges& ranges);

 private:
  const Node* producer(const std::string& v) const {
    auto it = producer_.find(v);
    return it == producer_.end() ? nullptr : &g_.nodes[it->second];
  }
  std::string quant_point(const std::string& v) const;
  void mark(const std::string& v, const std::string& precision);
  void mark_adds();
  std::map<std::string, QParams> parameters(const Ranges& ranges) const;
  std::string add_constant(const std::string& name, Tensor t);
  Node qdq_node(const std::string& op, const std::string& name, const std::string& in,
                const std::string& out, const std::string& scale, const std::string& zp) const;
  void insert_pair(const std::string& v, const QParams& q);
  void quantize_weights(Node& n, const std::string& precision);
  void convert_input(Node& n, const std::string& v, const std::string& precision,
                     const Ranges& ranges);

  Graph& g_;
  const std::map<std::string, std::string>& precision_;
  std::map<std::string, size_t> producer_;
  std::map<std::string, std::vector<size_t>> readers_;
  std::set<std::string> outputs_;
  std::map<std::string, std::string> marked_;  // value -> precision
  std::vector<std::string> order_;             // marked values, in marking order
  // Nodes whose input (value name) has another precision than theirs.
  std::vector<std::pair<size_t, std::string>> conversions_;
  std::vector<Node> added_;
};

// Clip(x, 0, hi) (ReLU6): quantised after it, its range ends at or below hi, so the saturation
// of the quantisation does the upper clamp and it is a ReLU there (and fuses like one).
bool relu_like_clip(const Graph& g, const Node& n) {
  if (n.op_type != "Clip" || !n.domain.empty() || n.opset < 11 || !n.has_input(1) ||
      !g.is_constant(n.inputs[1]) || g.constants.at(n.inputs[1]).get_double(0) != 0.0)
    return false;
  return !n.has_input(2) ||
         (g.is_constant(n.inputs[2]) && g.constants.at(n.inputs[2]).get_double(0) > 0.0);
}

// Where a node's output is quantised: after a ReLU (or ReLU6) that is its only reader, which
// then fuses into the node.
std::string QdqWriter::quant_point(const std::string& v) const {
  auto it = readers_.find(v);
  if (outputs_.count(v) || it == readers_.end() || it->second.size() != 1) return v;
  const Node& next = g_.nodes[it->second[0]];
  const bool relu = (next.op_type == "Relu" && next.domain.empty()) || relu_like_clip(g_, next);
  return relu ? next.outputs[0] : v;
}

void QdqWriter::mark(const std::string& v, const std::string& precision) {
  if (marked_.count(v)) return;  // the first mark (the producer's precision) wins
  marked_[v] = precision;
  order_.push_back(v);
  const Node* p = producer(v);
  if (p && passthrough(*p) && g_.value(p->inputs[0]) &&
      g_.value(p->inputs[0])->dtype == DType::kFloat32 && !g_.is_constant(p->inputs[0]))
    mark(p->inputs[0], precision);
}

// Add of two quantised tensors of one shape and precision: its output is quantised too.
void QdqWriter::mark_adds() {
  for (const Node& n : g_.nodes) {
    if (n.op_type != "Add" || !n.domain.empty() || n.inputs.size() != 2) continue;
    auto a = marked_.find(n.inputs[0]), b = marked_.find(n.inputs[1]);
    if (a == marked_.end() || b == marked_.end() || a->second != "int8" || b->second != "int8")
      continue;  // QAdd is int8 only
    const graph::ValueInfo *ai = g_.value(n.inputs[0]), *bi = g_.value(n.inputs[1]);
    if (!ai->shape || !bi->shape || *ai->shape != *bi->shape) continue;
    mark(quant_point(n.outputs[0]), a->second);
  }
}

// Parameters in graph order, so a pass-through op's output can take its input's parameters.
std::map<std::string, QParams> QdqWriter::parameters(const Ranges& ranges) const {
  std::map<std::string, QParams> params;
  auto decide = [&](const std::string& v, const Node* p) {
    auto m = marked_.find(v);
    if (m == marked_.end()) return;
    if (p && passthrough(*p) && params.count(p->inputs[0]) &&
        params.at(p->inputs[0]).precision == m->second) {
      params[v] = params.at(p->inputs[0]);
      return;
    }
    auto r = ranges.find(v);
    if (r == ranges.end()) throw InternalError("quantisation: no calibrated range for '" + v + "'");
    params[v] = activation_params(r->second, m->second);
  };
  for (const auto& in : g_.inputs) decide(in, nullptr);
  for (const Node& n : g_.nodes)
    for (const auto& out : n.outputs) decide(out, &n);
  return params;
}

std::string QdqWriter::add_constant(const std::string& name, Tensor t) {
  g_.values[name] = graph::ValueInfo{t.dtype(), t.shape()};
  g_.constants[name] = std::move(t);
  return name;
}

Node QdqWriter::qdq_node(const std::string& op, const std::string& name, const std::string& in,
                         const std::string& out, const std::string& scale,
                         const std::string& zp) const {
  Node n;
  n.name = name;
  n.op_type = op;
  auto it = g_.opsets.find("");
  n.opset = std::max(13, it == g_.opsets.end() ? 13 : it->second);  // per-axis: opset 13
  n.inputs = {in, scale, zp};
  n.outputs = {out};
  return n;
}

// v -> Q -> v/q -> DQ -> v: the producer writes v/float, every reader still reads v. A graph
// input cannot be renamed, so its readers read v/dq instead.
void QdqWriter::insert_pair(const std::string& v, const QParams& q) {
  const IntRange r = int_range(q.precision);
  const graph::ValueInfo info = *g_.value(v);
  const std::string s = add_constant(v + "/scale", scalar(DType::kFloat32, q.scale));
  const std::string z = add_constant(v + "/zero_point", scalar(r.dtype, q.zero_point));
  std::string src = v, dst = v;
  if (const Node* p = producer(v)) {
    src = v + "/float";
    Node& writer = g_.nodes[producer_.at(v)];
    for (auto& o : writer.outputs)
      if (o == v) o = src;
    (void)p;
    g_.values[src] = info;
  } else {
    dst = v + "/dq";
    for (size_t i : readers_[v])
      for (auto& in : g_.nodes[i].inputs)
        if (in == v) in = dst;
    g_.values[dst] = info;
  }
  g_.values[v + "/q"] = graph::ValueInfo{r.dtype, info.shape};
  added_.push_back(qdq_node("QuantizeLinear", v + "/quantize", src, v + "/q", s, z));
  added_.push_back(qdq_node("DequantizeLinear", v + "/dequantize", v + "/q", dst, s, z));
}

// A node reading a value quantised at another precision: one more pair, at the node's precision,
// after the value's own (v -> v/q_int16 -> v/dq_int16 -> node; n reads v or, for a graph
// input, v/dq).
void QdqWriter::convert_input(Node& n, const std::string& v, const std::string& precision,
                              const Ranges& ranges) {
  const std::string q = v + "/q_" + precision, dq = v + "/dq_" + precision;
  const QParams params = activation_params(ranges.at(v), precision);
  const IntRange r = int_range(precision);
  const std::string s = add_constant(q + "/scale", scalar(DType::kFloat32, params.scale));
  const std::string z = add_constant(q + "/zero_point", scalar(r.dtype, params.zero_point));
  g_.values[q] = graph::ValueInfo{r.dtype, g_.value(v)->shape};
  g_.values[dq] = *g_.value(v);
  added_.push_back(qdq_node("QuantizeLinear", q + "/quantize", n.inputs[0], q, s, z));
  added_.push_back(qdq_node("DequantizeLinear", dq + "/dequantize", q, dq, s, z));
  n.inputs[0] = dq;
}

// Constant float weights -> DequantizeLinear(int weights, per-channel scale, zero point 0).
void QdqWriter::quantize_weights(Node& n, const std::string& precision) {
  const IntRange r = int_range(precision);
  const Tensor& w = g_.constants.at(n.inputs[1]);
  // Output channels: axis 0 of Conv and Gemm(transB) weights, axis 1 of [K][N] matmul weights.
  const bool axis0 = n.op_type == "Conv" || (n.op_type == "Gemm" && n.attr_int("transB", 0));
  const int64_t channels = axis0 ? w.dim(0) : w.dim(1);
  const int64_t inner = axis0 ? w.numel() / channels : 1, outer = axis0 ? 1 : w.dim(0);
  auto index = [&](int64_t c, int64_t i) { return axis0 ? c * inner + i : i * channels + c; };
  const int64_t per_channel = axis0 ? inner : outer;
  Tensor scale(DType::kFloat32, {channels}), zp(r.dtype, {channels}), wq(r.dtype, w.shape());
  for (int64_t c = 0; c < channels; ++c) {
    float amax = 0;
    for (int64_t i = 0; i < per_channel; ++i)
      amax = std::max(amax, std::fabs(w.data<float>()[index(c, i)]));
    const float s = std::max(amax / static_cast<float>(r.qmax), 1e-8f);
    scale.data<float>()[c] = s;
    for (int64_t i = 0; i < per_channel; ++i) {
      const double q = std::clamp(std::nearbyint(double(w.data<float>()[index(c, i)]) / s),
                                  double(-r.qmax), double(r.qmax));
      if (r.dtype == DType::kInt8)
        wq.data<int8_t>()[index(c, i)] = static_cast<int8_t>(q);
      else
        wq.data<int16_t>()[index(c, i)] = static_cast<int16_t>(q);
    }
  }
  const std::string base = n.name + "/w";
  Node dq = qdq_node("DequantizeLinear", base + "/dequantize", add_constant(base + "_q", wq),
                     base + "_dq", add_constant(base + "_scale", scale),
                     add_constant(base + "_zero_point", zp));
  dq.attributes["axis"].kind = graph::Attribute::Kind::kInt;
  dq.attributes["axis"].i = axis0 ? 0 : 1;
  g_.values[base + "_dq"] = graph::ValueInfo{DType::kFloat32, w.shape()};
  n.inputs[1] = base + "_dq";
  added_.push_back(std::move(dq));
}

int QdqWriter::run(const Ranges& ranges) {
  int count = 0;
  // Outputs first: where precisions meet, a value has its producer's precision, and a reader
  // of another precision gets its own conversion.
  for (const Node& n : g_.nodes)
    if (precision_.count(n.name)) mark(quant_point(n.outputs[0]), precision_.at(n.name));
  for (size_t i = 0; i < g_.nodes.size(); ++i) {
    auto p = precision_.find(g_.nodes[i].name);
    if (p == precision_.end()) continue;
    auto m = marked_.find(g_.nodes[i].inputs[0]);
    if (m != marked_.end() && m->second != p->second)
      conversions_.emplace_back(i, m->first);
    else
      mark(g_.nodes[i].inputs[0], p->second);
  }
  mark_adds();
  for (Node& n : g_.nodes)  // a quantised ReLU6 is a ReLU (relu_like_clip)
    if (relu_like_clip(g_, n) && marked_.count(n.outputs[0])) {
      n.op_type = "Relu";
      n.inputs.resize(1);
    }
  const auto params = parameters(ranges);
  for (const auto& v : order_) insert_pair(v, params.at(v));
  for (const auto& [i, v] : conversions_)
    convert_input(g_.nodes[i], v, precision_.at(g_.nodes[i].name), ranges);
  for (Node& n : g_.nodes) {
    auto p = precision_.find(n.name);
    if (p == precision_.end()) continue;
    quantize_weights(n, p->second);
    n.annotations["precision"] = p->second;
    ++count;
  }
  for (Node& n : added_) g_.nodes.push_back(std::move(n));
  g_.sort_topologically();
  return count;
}

}  // namespace

int insert_qdq(Graph& g, const std::map<std::string, std::string>& precision,
               const Ranges& ranges) {
  return QdqWriter(g, precision).run(ranges);
}

}  // namespace flecsim::compiler
