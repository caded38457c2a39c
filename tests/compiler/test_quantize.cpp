// The quantisation pass for float models (sim/compiler/quantize*.cpp): BN folding, calibration,
// the QDQ rewrite and its fusion into the integer ops, and the per-layer policy.
#include <gtest/gtest.h>

#include <cmath>

#include "compiler/qdq_fusion.h"
#include "compiler/quantize.h"
#include "core/error.h"
#include "graph/onnx_import.h"
#include "ref/inputs.h"

namespace {

using flecsim::compiler::QuantizePolicy;
namespace compiler = flecsim::compiler;
namespace graph = flecsim::graph;
namespace ref = flecsim::ref;

graph::Graph model(const std::string& name) {
  return graph::load_model(std::string(FLECSIM_SOURCE_DIR) + "/workloads/models/" + name);
}

int count_op(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (const auto& node : g.nodes) n += node.op_type == op;
  return n;
}

double cosine(const graph::Tensor& a, const graph::Tensor& b) {
  double dot = 0, na = 0, nb = 0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    dot += a.get_double(i) * b.get_double(i);
    na += a.get_double(i) * a.get_double(i), nb += b.get_double(i) * b.get_double(i);
  }
  return dot / std::sqrt(na * nb);
}

TEST(FoldBatchnorm, ResNet8KeepsItsOutputs) {
  graph::Graph g = model("resnet8-fp32.onnx");
  const graph::Graph original = g;
  const int bns = count_op(g, "BatchNormalization");
  ASSERT_GT(bns, 0);
  EXPECT_EQ(compiler::fold_batchnorm(g), bns);
  EXPECT_EQ(count_op(g, "BatchNormalization"), 0);
  const auto inputs = ref::random_inputs(original, 7);
  const auto a = ref::run_reference(original, inputs), b = ref::run_reference(g, inputs);
  const auto& ya = a.begin()->second;
  const auto& yb = b.begin()->second;
  for (int64_t i = 0; i < ya.numel(); ++i) EXPECT_NEAR(ya.get_double(i), yb.get_double(i), 1e-4);
}

// Every conv and gemm of LeNet-5 becomes an integer op; the quantised graph stays close to fp32.
TEST(QuantizeFloatModel, LeNet5FusesIntoIntegerOps) {
  compiler::register_fused_reference_ops();
  const graph::Graph original = model("lenet5-fp32.onnx");
  graph::Graph g = original;
  const auto inputs = ref::random_inputs(original, 1);
  EXPECT_EQ(compiler::quantize_float_model(g, QuantizePolicy{"int8", {}}, "int8", {inputs}), 5);
  EXPECT_EQ(compiler::fuse_qdq(g), 5 + 2 + 1);  // 2 QConv, 3 QMatMul; 2 MaxPool, 1 Flatten
  EXPECT_EQ(count_op(g, "QConv"), 2);
  EXPECT_EQ(count_op(g, "QMatMul"), 3);
  EXPECT_EQ(count_op(g, "Conv") + count_op(g, "Gemm") + count_op(g, "Relu"), 0);
  // Left in float: the input's QuantizeLinear and the output's DequantizeLinear.
  EXPECT_EQ(count_op(g, "QuantizeLinear"), 1);
  EXPECT_EQ(count_op(g, "DequantizeLinear"), 1);
  const auto a = ref::run_reference(original, inputs), b = ref::run_reference(g, inputs);
  ASSERT_EQ(b.count(a.begin()->first), 1u);  // the output keeps its name
  const double c = cosine(a.begin()->second, b.at(a.begin()->first));
  EXPECT_GT(c, 0.99);
  EXPECT_LT(c, 1.0);
}

TEST(QuantizeFloatModel, WeightsPerChannelSymmetric) {
  graph::Graph g = model("mlp-fp32.onnx");
  const auto inputs = ref::random_inputs(g, 1);
  ASSERT_EQ(compiler::quantize_float_model(g, QuantizePolicy{"int8", {}}, "int8", {inputs}), 3);
  int weights = 0;
  for (const auto& n : g.nodes) {
    if (n.op_type != "DequantizeLinear" || n.name.find("/w/") == std::string::npos) continue;
    ++weights;
    const graph::Tensor& q = g.constants.at(n.inputs[0]);
    const graph::Tensor& s = g.constants.at(n.inputs[1]);
    const graph::Tensor& z = g.constants.at(n.inputs[2]);
    EXPECT_EQ(q.dtype(), graph::DType::kInt8);
    EXPECT_EQ(s.numel(), q.dim(0));  // Gemm(transB): one scale per output row
    for (int64_t i = 0; i < z.numel(); ++i) EXPECT_EQ(z.get_int(i), 0);
    int extreme = 0;
    for (int64_t i = 0; i < q.numel(); ++i) extreme += std::abs(q.get_int(i)) == 127;
    EXPECT_GE(extreme, q.dim(0));  // each channel reaches +-127 once
  }
  EXPECT_EQ(weights, 3);
}

// int16: symmetric activations, int16 operands, int64 bias, 15-bit multipliers; far closer to
// fp32 than int8.
TEST(QuantizeFloatModel, Int16FusesWithWideBias) {
  compiler::register_fused_reference_ops();
  const graph::Graph original = model("mlp-fp32.onnx");
  const auto inputs = ref::random_inputs(original, 1);
  double cos[2] = {0, 0};
  for (int wide = 0; wide < 2; ++wide) {
    graph::Graph g = original;
    const std::string precision = wide ? "int16" : "int8";
    ASSERT_EQ(compiler::quantize_float_model(g, QuantizePolicy{precision, {}}, "int8", {inputs}),
              3);
    EXPECT_EQ(compiler::fuse_qdq(g), 3);
    for (const auto& n : g.nodes) {
      if (n.op_type != "QMatMul") continue;
      EXPECT_EQ(g.value(n.inputs[0])->dtype, wide ? graph::DType::kInt16 : graph::DType::kInt8);
      EXPECT_EQ(g.constants.at(n.inputs[2]).dtype(),
                wide ? graph::DType::kInt64 : graph::DType::kInt32);
      const int64_t m = g.constants.at(n.inputs[3]).get_int(0);
      EXPECT_LT(m, wide ? 1 << 15 : int64_t{1} << 31);
      EXPECT_GE(m, wide ? 1 << 14 : 1 << 30);
      if (wide) {
        EXPECT_EQ(n.attr_int("x_zero_point", 1), 0);  // symmetric
      }
    }
    const auto a = ref::run_reference(original, inputs), b = ref::run_reference(g, inputs);
    cos[wide] = cosine(a.begin()->second, b.at(a.begin()->first));
  }
  EXPECT_GT(cos[0], 0.999);
  EXPECT_GT(cos[1], 0.9999999);
  EXPECT_LT(1 - cos[1], (1 - cos[0]) / 1000);
}

// A node of another precision than the value it reads gets its own conversion pair.
TEST(QuantizeFloatModel, MixedPrecisionConvertsAtTheBoundary) {
  compiler::register_fused_reference_ops();
  graph::Graph g = model("mlp-fp32.onnx");
  const auto inputs = ref::random_inputs(g, 1);
  QuantizePolicy p{"int8", {{"gemm3_gemm", "int16", "p.yaml:3:7"}}};
  ASSERT_EQ(compiler::quantize_float_model(g, p, "int8", {inputs}), 3);
  EXPECT_EQ(compiler::fuse_qdq(g), 3);  // all three still fuse
  int wide = 0;
  for (const auto& n : g.nodes)
    if (n.op_type == "QMatMul") wide += g.value(n.inputs[0])->dtype == graph::DType::kInt16;
  EXPECT_EQ(wide, 1);
  EXPECT_EQ(count_op(g, "QuantizeLinear"), 3);  // the input, and int8 -> int16 -> int8 again
}

TEST(RoundBf16, NearestEven) {
  using compiler::round_bf16;
  EXPECT_EQ(round_bf16(1.0f), 1.0f);
  EXPECT_EQ(round_bf16(1.00390625f), 1.0f);                              // tie, 1.0 is even
  EXPECT_EQ(round_bf16(1.01171875f), 1.015625f);                         // tie, 1.015625 is even
  EXPECT_EQ(round_bf16(std::nextafter(1.00390625f, 2.0f)), 1.0078125f);  // above the tie
  EXPECT_EQ(round_bf16(-3.14159f), -3.140625f);
  EXPECT_EQ(round_bf16(3.4e38f), INFINITY);  // beyond the largest bf16
  EXPECT_EQ(round_bf16(-INFINITY), -INFINITY);
  EXPECT_TRUE(std::isnan(round_bf16(NAN)));
}

// bf16: activations rounded by RoundBF16 nodes, weights rounded at compile time, fp32 ops.
TEST(QuantizeFloatModel, Bf16RoundsOperands) {
  compiler::register_fused_reference_ops();
  const graph::Graph original = model("lenet5-fp32.onnx");
  graph::Graph g = original;
  const auto inputs = ref::random_inputs(original, 1);
  ASSERT_EQ(compiler::quantize_float_model(g, QuantizePolicy{"bf16", {}}, "int8", {inputs}), 5);
  EXPECT_EQ(compiler::fuse_qdq(g), 0);
  EXPECT_EQ(count_op(g, "RoundBF16"), 5);  // one per conv/gemm input
  for (const auto& n : g.nodes) {
    if (n.op_type != "Conv" && n.op_type != "Gemm") continue;
    EXPECT_EQ(n.annotations.at("precision"), "bf16");
    const graph::Tensor& w = g.constants.at(n.inputs[1]);
    for (int64_t i = 0; i < w.numel(); ++i)
      ASSERT_EQ(compiler::round_bf16(w.data<float>()[i]), w.data<float>()[i]);
  }
  const auto a = ref::run_reference(original, inputs), b = ref::run_reference(g, inputs);
  const double c = cosine(a.begin()->second, b.at(a.begin()->first));
  EXPECT_GT(c, 0.9999);
  EXPECT_LT(c, 1.0);
}

TEST(QuantizePolicy, LayersOverrideTheDefault) {
  graph::Graph g = model("lenet5-fp32.onnx");
  std::vector<std::string> convs, gemms;
  for (const auto& n : g.nodes) {
    if (n.op_type == "Conv") convs.push_back(n.name);
    if (n.op_type == "Gemm") gemms.push_back(n.name);
  }
  ASSERT_EQ(convs.size(), 2u);
  QuantizePolicy p{"int8", {{convs[0], "none", "p.yaml:3:7"}, {"*gemm*", "none", "p.yaml:4:7"}}};
  const auto precision = compiler::layer_precisions(g, p, "int8");
  ASSERT_EQ(precision.size(), 1u);
  EXPECT_EQ(precision.at(convs[1]), "int8");
  EXPECT_TRUE(compiler::layer_precisions(g, QuantizePolicy{"auto", {}}, "none").empty());
  EXPECT_EQ(compiler::layer_precisions(g, QuantizePolicy{"auto", {}}, "int8").size(), 5u);
}

TEST(QuantizePolicy, UnknownNodeNamesTheYamlKey) {
  graph::Graph g = model("lenet5-fp32.onnx");
  QuantizePolicy p{"int8", {{"conv9", "none", "p.yaml:3:7"}}};
  try {
    compiler::quantize_float_model(g, p, "int8", {ref::random_inputs(g, 1)});
    FAIL() << "no error";
  } catch (const flecsim::UserError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:3:7: compiler.quantize.layers: no node"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
