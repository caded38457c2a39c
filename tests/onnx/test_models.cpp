// The committed workload models (workloads/models/, built by tools/gen_models.py) load,
// run through the reference executor, and their int8 QDQ variants agree with fp32.
#include <gtest/gtest.h>

#include "graph/onnx_import.h"
#include "ref/inputs.h"

namespace {

struct ModelCase {
  std::string name;
  flecsim::graph::Shape output_shape;
};

void PrintTo(const ModelCase& c, std::ostream* os) {
  *os << c.name;
}

class CommittedModel : public testing::TestWithParam<ModelCase> {};

TEST_P(CommittedModel, Int8AgreesWithFp32) {
  const std::string base = std::string(FLECSIM_SOURCE_DIR) + "/workloads/models/" + GetParam().name;
  const auto fp32 = flecsim::graph::load_model(base + "-fp32.onnx");
  const auto int8 = flecsim::graph::load_model(base + "-int8.onnx");
  int qdq_nodes = 0;
  for (const auto& n : int8.nodes) qdq_nodes += n.op_type == "QuantizeLinear";
  EXPECT_GT(qdq_nodes, 3);
  for (uint64_t seed : {1, 2, 3}) {
    const auto inputs = flecsim::ref::random_inputs(fp32, seed);
    const auto a = flecsim::ref::run_reference(fp32, inputs);
    const auto b = flecsim::ref::run_reference(int8, inputs);
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(a.begin()->second.shape(), GetParam().output_shape);
    const auto c = flecsim::ref::compare(a.begin()->second, b.begin()->second);
    EXPECT_GT(c.cosine, 0.99) << "seed " << seed;
    EXPECT_LT(c.cosine, 1.0) << "int8 model must actually quantise";
  }
}

INSTANTIATE_TEST_SUITE_P(Workloads, CommittedModel,
                         testing::Values(ModelCase{"lenet5", {1, 10}},
                                         ModelCase{"resnet8", {1, 10}}, ModelCase{"mlp", {1, 10}}),
                         [](const testing::TestParamInfo<ModelCase>& info) {
                           return info.param.name;
                         });

TEST(RandomInputs, DeterministicAndInRange) {
  const auto g = flecsim::graph::load_model(std::string(FLECSIM_SOURCE_DIR) +
                                            "/workloads/models/lenet5-fp32.onnx");
  const auto a = flecsim::ref::random_inputs(g, 7), b = flecsim::ref::random_inputs(g, 7);
  const auto c = flecsim::ref::random_inputs(g, 8);
  const auto& t = a.at("input");
  EXPECT_EQ(t.shape(), (flecsim::graph::Shape{1, 1, 32, 32}));
  EXPECT_EQ(t.bytes(), b.at("input").bytes());
  EXPECT_NE(t.bytes(), c.at("input").bytes());
  double lo = 1, hi = -1;
  for (float v : t.to_floats()) lo = std::min<double>(lo, v), hi = std::max<double>(hi, v);
  EXPECT_GE(lo, -1.0);
  EXPECT_LT(hi, 1.0);
  EXPECT_LT(lo, -0.9);
  EXPECT_GT(hi, 0.9);
}

}  // namespace
