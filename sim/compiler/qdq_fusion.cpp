#include "compiler/qdq_fusion.h"

#include <cmath>
#include <cstring>
#include <set>

#include "core/error.h"

namespace flecsim::compiler {

using graph::Attribute;
using graph::DType;
using graph::Graph;
using graph::Node;
using graph::Tensor;

void dyadic(double real, int32_t& multiplier, int32_t& shift, int bits) {
  if (!(real > 0)) {
    multiplier = 0, shift = 0;
    return;
  }
  int exp = 0;
  std::frexp(real, &exp);  // real = f * 2^exp, f in [0.5, 1)
  int s = bits - exp;
  s = std::max(0, std::min(62, s));
  double m = std::round(std::ldexp(real, s));
  const double limit = std::ldexp(1.0, bits);
  if (m >= limit) m = limit - 1;
  multiplier = static_cast<int32_t>(m);
  shift = s;
}

namespace {

// y = ((a - za) * ma + (b - zb) * mb) >> shift: both ratios share one shift, small enough that
// 9-bit operands times the multipliers, summed, stay inside int32 (the RV32 runtime's fast path).
void add_multipliers(double ra, double rb, int32_t& ma, int32_t& mb, int32_t& shift) {
  int32_t m = 0, s = 0;
  dyadic(std::max(ra, rb), m, s);
  for (shift = std::max(1, std::min(s, 19)); shift > 1; --shift) {
    ma = static_cast<int32_t>(std::nearbyint(std::ldexp(ra, shift)));
    mb = static_cast<int32_t>(std::nearbyint(std::ldexp(rb, shift)));
    if (256.0 * (double(ma) + double(mb)) < 2147483648.0) return;
  }
  ma = static_cast<int32_t>(std::nearbyint(std::ldexp(ra, shift)));
  mb = static_cast<int32_t>(std::nearbyint(std::ldexp(rb, shift)));
}

// The integer types the fused ops take: int8 (the array's, int32 accumulators) and int16 (CPU
// kernels, int64 accumulators, 15-bit multipliers so acc * m stays inside int64).
bool fusable_int(DType t) {
  return t == DType::kInt8 || t == DType::kInt16;
}

struct Quant {
  DType dtype = DType::kUndefined;
  std::string q_input;  // the int8 (int16) tensor
  std::vector<double> scale;
  std::vector<int64_t> zero_point;
};

class Fuser {
 public:
  explicit Fuser(Graph& g) : g_(g) { index(); }
  int run();

 private:
  void index();
  const Node* producer(const std::string& v) const;
  std::vector<const Node*> consumers(const std::string& v) const;
  bool dequantized(const std::string& v, Quant& q, bool need_constant) const;
  // Clip(0, hi) with constant bounds (a ReLU6): true, and its upper bound.
  bool relu_clip(const Node& n, double& hi) const;
  // The Q node after `v` (through an optional Relu, or a Clip(0, hi) whose upper bound the
  // output type's saturation already implies), with its quantisation.
  bool requantized(const std::string& v, Quant& q, bool& relu,
                   std::vector<std::string>& dead) const;
  bool try_conv_or_matmul(const Node& n);
  // Values of a constant, or of DequantizeLinear of a constant (a QDQ model's int32 bias).
  bool constant_values(const std::string& v, std::vector<double>& out) const;
  bool try_add(const Node& n);
  Attribute ints_attr(const std::vector<int64_t>& v) const;
  Attribute int_attr(int64_t v) const;
  std::string add_constant(const std::string& name, Tensor t);

  Graph& g_;
  std::map<std::string, size_t> producer_;
  std::map<std::string, std::vector<size_t>> consumers_;
  std::set<std::string> removed_;  // node names
  std::vector<Node> added_;
  std::set<std::string> graph_outputs_;
};

void Fuser::index() {
  for (size_t i = 0; i < g_.nodes.size(); ++i) {
    for (const auto& o : g_.nodes[i].outputs) producer_[o] = i;
    for (const auto& in : g_.nodes[i].inputs)
      if (!in.empty()) consumers_[in].push_back(i);
  }
  graph_outputs_.insert(g_.outputs.begin(), g_.outputs.end());
}

const Node* Fuser::producer(const std::string& v) const {
  auto it = producer_.find(v);
  return it == producer_.end() ? nullptr : &g_.nodes[it->second];
}

std::vector<const Node*> Fuser::consumers(const std::string& v) const {
  std::vector<const Node*> out;
  auto it = consumers_.find(v);
  if (it != consumers_.end())
    for (size_t i : it->second) out.push_back(&g_.nodes[i]);
  return out;
}

bool Fuser::dequantized(const std::string& v, Quant& q, bool need_constant) const {
  const Node* dq = producer(v);
  if (!dq || dq->op_type != "DequantizeLinear" || removed_.count(dq->name)) return false;
  if (!g_.is_constant(dq->inputs[1])) return false;
  q.q_input = dq->inputs[0];
  const graph::ValueInfo* info = g_.value(q.q_input);
  const DType t = g_.is_constant(q.q_input) ? g_.constants.at(q.q_input).dtype()
                                            : (info ? info->dtype : DType::kUndefined);
  if (!fusable_int(t)) return false;
  q.dtype = t;
  if (need_constant != g_.is_constant(q.q_input)) return false;
  const Tensor& s = g_.constants.at(dq->inputs[1]);
  for (int64_t i = 0; i < s.numel(); ++i) q.scale.push_back(s.get_double(i));
  q.zero_point.assign(q.scale.size(), 0);
  if (dq->has_input(2)) {
    if (!g_.is_constant(dq->inputs[2])) return false;
    const Tensor& z = g_.constants.at(dq->inputs[2]);
    for (int64_t i = 0; i < z.numel(); ++i) q.zero_point[i] = z.get_int(i);
  }
  return true;
}

bool Fuser::relu_clip(const Node& n, double& hi) const {
  if (n.op_type != "Clip") return false;
  std::vector<double> lo_v, hi_v;
  if (n.has_input(1) || n.has_input(2)) {  // opset >= 11: bounds are inputs
    if (!n.has_input(1) || !n.has_input(2) || !constant_values(n.inputs[1], lo_v) ||
        !constant_values(n.inputs[2], hi_v) || lo_v.size() != 1 || hi_v.size() != 1)
      return false;
  } else {
    if (!n.has_attr("min") || !n.has_attr("max")) return false;
    lo_v = {n.attr_float("min", 0)}, hi_v = {n.attr_float("max", 0)};
  }
  hi = hi_v[0];
  return lo_v[0] == 0.0 && hi > 0.0;
}

bool Fuser::requantized(const std::string& v, Quant& q, bool& relu,
                        std::vector<std::string>& dead) const {
  if (graph_outputs_.count(v)) return false;
  auto next = consumers(v);
  if (next.size() != 1) return false;
  relu = false;
  double clip_hi = 0.0;
  const bool clip = relu_clip(*next[0], clip_hi);
  if (next[0]->op_type == "Relu" || clip) {
    relu = true;
    dead.push_back(next[0]->name);
    if (graph_outputs_.count(next[0]->outputs[0])) return false;
    next = consumers(next[0]->outputs[0]);
    if (next.size() != 1) return false;
  }
  const Node* qn = next[0];
  if (qn->op_type != "QuantizeLinear" || !g_.is_constant(qn->inputs[1])) return false;
  const Tensor& s = g_.constants.at(qn->inputs[1]);
  if (s.numel() != 1) return false;
  if (!qn->has_input(2) || !g_.is_constant(qn->inputs[2])) return false;
  const Tensor& z = g_.constants.at(qn->inputs[2]);
  if (!fusable_int(z.dtype())) return false;
  q.dtype = z.dtype();
  q.scale = {s.get_double(0)};
  q.zero_point = {z.get_int(0)};
  q.q_input = qn->outputs[0];
  // Q(clip(v, 0, hi)) = min(Q(relu(v)), Q(hi)) since rounding is monotone: the upper bound
  // vanishes when Q(hi) is at or above the type's largest value.
  const double type_max = q.dtype == DType::kInt16 ? 32767 : 127;
  if (clip && std::nearbyint(clip_hi / q.scale[0]) + double(q.zero_point[0]) < type_max)
    return false;
  dead.push_back(qn->name);
  return true;
}

bool Fuser::constant_values(const std::string& v, std::vector<double>& out) const {
  out.clear();
  if (g_.is_constant(v)) {
    const Tensor& t = g_.constants.at(v);
    for (int64_t i = 0; i < t.numel(); ++i) out.push_back(t.get_double(i));
    return true;
  }
  const Node* dq = producer(v);
  if (!dq || dq->op_type != "DequantizeLinear" || !g_.is_constant(dq->inputs[0]) ||
      !g_.is_constant(dq->inputs[1]))
    return false;
  const Tensor& x = g_.constants.at(dq->inputs[0]);
  const Tensor& s = g_.constants.at(dq->inputs[1]);
  const Tensor* z =
      dq->has_input(2) && g_.is_constant(dq->inputs[2]) ? &g_.constants.at(dq->inputs[2]) : nullptr;
  if (x.rank() > 1 || (s.numel() != 1 && s.numel() != x.numel())) return false;
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t c = s.numel() == 1 ? 0 : i;
    const double zp = z ? z->get_double(z->numel() == 1 ? 0 : c) : 0.0;
    out.push_back((x.get_double(i) - zp) *
                  static_cast<double>(static_cast<float>(s.get_double(c))));
  }
  return true;
}

Attribute Fuser::ints_attr(const std::vector<int64_t>& v) const {
  Attribute a;
  a.kind = Attribute::Kind::kInts;
  a.ints = v;
  return a;
}

Attribute Fuser::int_attr(int64_t v) const {
  Attribute a;
  a.kind = Attribute::Kind::kInt;
  a.i = v;
  return a;
}

std::string Fuser::add_constant(const std::string& name, Tensor t) {
  g_.values[name] = graph::ValueInfo{t.dtype(), t.shape()};
  g_.constants[name] = std::move(t);
  return name;
}

// Conv (2-D/1-D) or a 2-D MatMul/Gemm(transB) between DQ'd int8 operands, re-quantised to int8.
bool Fuser::try_conv_or_matmul(const Node& n) {
  const bool conv = n.op_type == "Conv";
  if (!conv && n.op_type != "MatMul" && n.op_type != "Gemm") return false;
  Quant x, w, y;
  bool relu = false;
  std::vector<std::string> dead;
  if (!dequantized(n.inputs[0], x, false) || x.scale.size() != 1) return false;
  if (!dequantized(n.inputs[1], w, true)) return false;
  for (int64_t z : w.zero_point)
    if (z != 0) return false;
  if (!requantized(n.outputs[0], y, relu, dead)) return false;
  if (w.dtype != x.dtype || y.dtype != x.dtype) return false;
  const bool wide = x.dtype == DType::kInt16;
  const bool had_relu = relu;
  const Tensor& wq = g_.constants.at(w.q_input);
  const bool trans_b = n.op_type == "Gemm" && n.attr_int("transB", 0);
  if (!conv) {
    if (wq.rank() != 2 ||
        (n.op_type == "Gemm" && (n.attr_int("transA", 0) || n.attr_float("alpha", 1) != 1.0f ||
                                 n.attr_float("beta", 1) != 1.0f)))
      return false;
    const graph::ValueInfo* xi = g_.value(n.inputs[0]);
    if (!xi || !xi->shape || xi->shape->size() != 2) return false;
  }
  const int64_t channels = conv ? wq.dim(0) : (trans_b ? wq.dim(0) : wq.dim(1));
  if (w.scale.size() != 1 && static_cast<int64_t>(w.scale.size()) != channels) return false;
  // Weights as the fused op wants them: Conv [M][C/g][KH][KW]; matmul [K][N].
  Tensor weights = wq;
  if (trans_b) {
    const int64_t N = wq.dim(0), K = wq.dim(1), size = graph::dtype_size(wq.dtype());
    weights = Tensor(wq.dtype(), {K, N});
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < N; ++j)
        std::memcpy(weights.bytes().data() + (k * N + j) * size,
                    wq.bytes().data() + (j * K + k) * size, size);
  }
  // int8: int32 bias (the array's accumulator); int16: int64, as its accumulator.
  Tensor bias(wide ? DType::kInt64 : DType::kInt32, {channels}), mult(DType::kInt32, {channels}),
      shift(DType::kInt32, {channels});
  std::vector<double> bias_f;
  if (n.has_input(2) &&
      (!constant_values(n.inputs[2], bias_f) || static_cast<int64_t>(bias_f.size()) != channels))
    return false;
  for (int64_t m = 0; m < channels; ++m) {
    const double sw = w.scale[w.scale.size() == 1 ? 0 : m];
    const double acc_scale = x.scale[0] * sw;
    const double b = bias_f.empty() ? 0.0 : std::nearbyint(bias_f[m] / acc_scale);
    if (!(std::fabs(b) < (wide ? 0x1p62 : 0x1p31))) return false;
    if (wide)
      bias.data<int64_t>()[m] = static_cast<int64_t>(b);
    else
      bias.data<int32_t>()[m] = static_cast<int32_t>(b);
    dyadic(acc_scale / y.scale[0], mult.data<int32_t>()[m], shift.data<int32_t>()[m],
           wide ? 15 : 31);
  }
  // The output zero point goes into the bias (q + zp ~ ((acc + zp * 2^s / m) * m) >> s, within
  // one LSB; the fused op *is* this formula, in the reference too), so the accelerator's
  // zero-point-free requantisation serves. A ReLU whose output zero point is -128 is implied
  // by the saturation at -128 and disappears. int16 ops run on the CPU, which takes the zero
  // point as it is.
  int64_t y_zp = y.zero_point[0];
  if (!wide && y_zp != 0 && (!relu || y_zp == -128)) {
    for (int64_t m = 0; m < channels; ++m) {
      const double fold = std::ldexp(static_cast<double>(y_zp), shift.data<int32_t>()[m]) /
                          static_cast<double>(mult.data<int32_t>()[m]);
      if (!(std::fabs(fold) < 1e9)) return false;
      bias.data<int32_t>()[m] += static_cast<int32_t>(std::nearbyint(fold));
    }
    if (relu && y_zp == -128) relu = false;
    y_zp = 0;
  }
  Node f;
  f.name = n.name;
  f.op_type = conv ? "QConv" : "QMatMul";
  f.domain = "flecsim";
  f.opset = 1;
  f.inputs = {x.q_input, add_constant(n.name + "/w_q", weights),
              add_constant(n.name + "/bias_q", bias), add_constant(n.name + "/multiplier", mult),
              add_constant(n.name + "/shift", shift)};
  f.outputs = {y.q_input};
  if (conv)
    for (const char* key : {"kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"})
      if (n.has_attr(key)) f.attributes[key] = n.attributes.at(key);
  f.attributes["x_zero_point"] = int_attr(x.zero_point[0]);
  f.attributes["y_zero_point"] = int_attr(y_zp);
  f.attributes["relu"] = int_attr(relu);
  f.annotations["fused"] = n.op_type + (wide ? "16" : "") + (had_relu ? "+Relu" : "");
  removed_.insert(n.name);
  removed_.insert(dead.begin(), dead.end());
  added_.push_back(std::move(f));
  return true;
}

// Add of two DQ'd int8 tensors of the same shape, re-quantised to int8 (residual joins).
bool Fuser::try_add(const Node& n) {
  if (n.op_type != "Add") return false;
  Quant a, b, y;
  bool relu = false;
  std::vector<std::string> dead;
  if (!dequantized(n.inputs[0], a, false) || !dequantized(n.inputs[1], b, false)) return false;
  if (a.scale.size() != 1 || b.scale.size() != 1) return false;
  if (a.dtype != DType::kInt8 || b.dtype != DType::kInt8) return false;
  const graph::ValueInfo *ai = g_.value(a.q_input), *bi = g_.value(b.q_input);
  if (!ai || !bi || !ai->shape || !bi->shape || *ai->shape != *bi->shape) return false;
  if (!requantized(n.outputs[0], y, relu, dead) || y.dtype != DType::kInt8) return false;
  int32_t ma = 0, mb = 0, shift = 0;
  add_multipliers(a.scale[0] / y.scale[0], b.scale[0] / y.scale[0], ma, mb, shift);
  Node f;
  f.name = n.name;
  f.op_type = "QAdd";
  f.domain = "flecsim";
  f.opset = 1;
  f.inputs = {a.q_input, b.q_input};
  f.outputs = {y.q_input};
  f.attributes["a_zero_point"] = int_attr(a.zero_point[0]);
  f.attributes["b_zero_point"] = int_attr(b.zero_point[0]);
  f.attributes["y_zero_point"] = int_attr(y.zero_point[0]);
  f.attributes["multipliers"] = ints_attr({ma, mb});
  f.attributes["shift"] = int_attr(shift);
  f.attributes["relu"] = int_attr(relu);
  f.attributes["a_scale"].kind = Attribute::Kind::kFloat;
  f.attributes["a_scale"].f = static_cast<float>(a.scale[0]);
  f.attributes["b_scale"].kind = Attribute::Kind::kFloat;
  f.attributes["b_scale"].f = static_cast<float>(b.scale[0]);
  f.annotations["fused"] = std::string("Add") + (relu ? "+Relu" : "");
  removed_.insert(n.name);
  removed_.insert(dead.begin(), dead.end());
  added_.push_back(std::move(f));
  return true;
}

int Fuser::run() {
  for (const Node& n : g_.nodes)
    if (!removed_.count(n.name)) try_conv_or_matmul(n) || try_add(n);
  if (added_.empty()) return 0;
  std::vector<Node> kept;
  for (Node& n : g_.nodes)
    if (!removed_.count(n.name)) kept.push_back(std::move(n));
  for (Node& n : added_) kept.push_back(std::move(n));
  g_.nodes = std::move(kept);
  // Drop DequantizeLinear nodes nobody reads any more.
  for (bool changed = true; changed;) {
    changed = false;
    std::set<std::string> read(g_.outputs.begin(), g_.outputs.end());
    for (const Node& n : g_.nodes) read.insert(n.inputs.begin(), n.inputs.end());
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      if (g_.nodes[i].op_type == "DequantizeLinear" && !read.count(g_.nodes[i].outputs[0])) {
        g_.nodes.erase(g_.nodes.begin() + static_cast<long>(i));
        changed = true;
        break;
      }
  }
  g_.sort_topologically();
  return static_cast<int>(added_.size());
}

}  // namespace

namespace {

// Quantisation parameters (scale, zero point) of a Q or DQ node with constant per-tensor ones.
bool per_tensor_params(const Graph& g, const Node& n, double& scale, int64_t& zp) {
  if (!g.is_constant(n.inputs[1]) || g.constants.at(n.inputs[1]).numel() != 1) return false;
  scale = g.constants.at(n.inputs[1]).get_double(0);
  zp = 0;
  if (n.has_input(2)) {
    if (!g.is_constant(n.inputs[2]) || g.constants.at(n.inputs[2]).numel() != 1) return false;
    zp = g.constants.at(n.inputs[2]).get_int(0);
  }
  return true;
}

// A QAdd followed by DequantizeLinear -> Relu -> QuantizeLinear becomes one QAdd that targets the
// ReLU's output quantisation directly and clamps at its zero point (one rounding, not two).
bool fold_relu_into_add(Node& add, double scale, int64_t zp) {
  if (add.op_type != "QAdd" || add.attr_int("relu", 0)) return false;
  int32_t ma = 0, mb = 0, shift = 0;
  add_multipliers(add.attr_float("a_scale", 1.0f) / scale, add.attr_float("b_scale", 1.0f) / scale,
                  ma, mb, shift);
  add.attributes["multipliers"].ints = {ma, mb};
  add.attributes["shift"].i = shift;
  add.attributes["y_zero_point"].i = zp;
  add.attributes["relu"].i = 1;
  add.annotations["fused"] += "+Relu";
  return true;
}

// Ops that commute with quantisation when both sides share scale and zero point: they run on
// the integers (a max of quantised values is the quantised max; the others only move bytes).
bool same_scale_op(const Node& n) {
  return n.op_type == "MaxPool" || n.op_type == "Flatten" || n.op_type == "Reshape";
}

// DequantizeLinear -> (Relu | MaxPool | Flatten | Reshape) -> QuantizeLinear on int8: the ReLU
// joins a QAdd before it; the others, with the same scale and zero point on both sides, run on
// the int8 values.
int fuse_int8_chains(Graph& g) {
  std::map<std::string, std::vector<size_t>> readers;
  std::map<std::string, size_t> writer;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (const auto& in : g.nodes[i].inputs) readers[in].push_back(i);
    for (const auto& out : g.nodes[i].outputs) writer[out] = i;
  }
  const std::set<std::string> outputs(g.outputs.begin(), g.outputs.end());
  auto only_reader = [&](const std::string& v) -> Node* {
    auto it = readers.find(v);
    if (outputs.count(v) || it == readers.end() || it->second.size() != 1) return nullptr;
    return &g.nodes[it->second[0]];
  };
  std::set<std::string> removed;
  int fused = 0;
  for (Node& dq : g.nodes) {
    if (dq.op_type != "DequantizeLinear" || removed.count(dq.name)) continue;
    Node* op = only_reader(dq.outputs[0]);
    if (!op || !(op->op_type == "Relu" || same_scale_op(*op)) || op->outputs.size() != 1) continue;
    Node* q = only_reader(op->outputs[0]);
    double s1 = 0, s2 = 0;
    int64_t z1 = 0, z2 = 0;
    if (!q || q->op_type != "QuantizeLinear" || !per_tensor_params(g, dq, s1, z1) ||
        !per_tensor_params(g, *q, s2, z2))
      continue;
    const graph::ValueInfo* in = g.value(dq.inputs[0]);
    if (!in || in->dtype != DType::kInt8) continue;
    if (op->op_type == "Relu") {
      auto w = writer.find(dq.inputs[0]);
      if (w == writer.end() || !only_reader(dq.inputs[0]) ||
          !fold_relu_into_add(g.nodes[w->second], s2, z2))
        continue;
      g.nodes[w->second].outputs[0] = q->outputs[0];
      removed.insert(op->name);
    } else {
      if (s1 != s2 || z1 != z2) continue;
      op->inputs[0] = dq.inputs[0];
      op->outputs[0] = q->outputs[0];
      op->annotations["fused"] = op->op_type;
    }
    removed.insert(dq.name);
    removed.insert(q->name);
    ++fused;
  }
  std::vector<Node> kept;
  for (Node& n : g.nodes)
    if (!removed.count(n.name)) kept.push_back(std::move(n));
  g.nodes = std::move(kept);
  return fused;
}

}  // namespace

int fuse_qdq(Graph& g) {
  int fused = Fuser(g).run();
  if (fused) fused += fuse_int8_chains(g);
  return fused;
}

}  // namespace flecsim::compiler
