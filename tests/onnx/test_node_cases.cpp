// Every ONNX backend node test whose nodes are all supported by the reference executor:
// import + run + compare with the expected outputs within the case's rtol/atol
// (|actual - expected| <= atol + rtol * |expected|, as onnx's backend test runner).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "graph/onnx_import.h"
#include "ref/reference.h"

namespace fs = std::filesystem;
using flecsim::graph::Tensor;

namespace {

// Cases left out although all their ops are supported; each reason is in docs/onnx.md.
const std::map<std::string, std::string>& excluded_cases() {
  static const std::map<std::string, std::string> cases = {
      {"test_max_float16", "float16 tensors are not supported"},
      {"test_min_float16", "float16 tensors are not supported"},
  };
  return cases;
}

struct NodeCase {
  std::string name;
  double rtol = 1e-3, atol = 1e-7;
};

std::vector<NodeCase> selected_cases() {
  std::vector<NodeCase> out;
  std::ifstream in(std::string(FLECSIM_NODE_TEST_DIR) + "/manifest.json");
  if (!in) return out;
  const auto manifest = nlohmann::json::parse(in);
  for (const auto& [name, info] : manifest.items()) {
    bool supported = !excluded_cases().count(name);
    for (const auto& op : info["ops"])
      supported = supported && flecsim::ref::is_supported_op("", op);
    if (supported) out.push_back({name, info["rtol"].get<double>(), info["atol"].get<double>()});
  }
  return out;
}

std::vector<std::string> sorted_files(const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) files.push_back(e.path().string());
  // input_10 after input_9: sort by the number.
  std::sort(files.begin(), files.end(), [&](const std::string& a, const std::string& b) {
    auto num = [&](const std::string& p) {
      const std::string f = fs::path(p).stem().string();
      return std::stoi(f.substr(prefix.size()));
    };
    return num(a) < num(b);
  });
  return files;
}

void expect_close(const Tensor& expected, const Tensor& actual, const NodeCase& c,
                  const std::string& what) {
  ASSERT_EQ(flecsim::graph::dtype_name(expected.dtype()),
            std::string(flecsim::graph::dtype_name(actual.dtype())))
      << what;
  ASSERT_EQ(flecsim::graph::shape_str(expected.shape()), flecsim::graph::shape_str(actual.shape()))
      << what;
  int reported = 0;
  for (int64_t i = 0; i < expected.numel(); ++i) {
    const double e = expected.get_double(i), a = actual.get_double(i);
    const bool ok = (std::isnan(e) && std::isnan(a)) || e == a ||
                    std::fabs(a - e) <= c.atol + c.rtol * std::fabs(e);
    if (!ok && reported++ < 5)
      ADD_FAILURE() << what << " element " << i << ": expected " << e << ", got " << a;
  }
}

void PrintTo(const NodeCase& c, std::ostream* os) {
  *os << c.name;
}

class NodeCaseTest : public testing::TestWithParam<NodeCase> {};

TEST_P(NodeCaseTest, MatchesExpectedOutputs) {
  const NodeCase& c = GetParam();
  const fs::path dir = fs::path(FLECSIM_NODE_TEST_DIR) / c.name;
  const auto graph = flecsim::graph::load_model((dir / "model.onnx").string());
  int sets = 0;
  for (const auto& set : sorted_files(dir, "test_data_set_")) {
    flecsim::ref::TensorMap inputs;
    const auto input_files = sorted_files(set, "input_");
    ASSERT_EQ(input_files.size(), graph.inputs.size());
    for (size_t i = 0; i < input_files.size(); ++i)
      inputs[graph.inputs[i]] = flecsim::graph::read_tensor_pb(input_files[i]).second;
    const auto outputs = flecsim::ref::run_reference(graph, inputs);
    const auto output_files = sorted_files(set, "output_");
    ASSERT_EQ(output_files.size(), graph.outputs.size());
    for (size_t i = 0; i < output_files.size(); ++i)
      expect_close(flecsim::graph::read_tensor_pb(output_files[i]).second,
                   outputs.at(graph.outputs[i]), c, set + " output " + graph.outputs[i]);
    ++sets;
  }
  EXPECT_GT(sets, 0);
}

INSTANTIATE_TEST_SUITE_P(Onnx, NodeCaseTest, testing::ValuesIn(selected_cases()),
                         [](const testing::TestParamInfo<NodeCase>& info) {
                           return info.param.name;
                         });

// The ops the issue requires must each be covered by node tests that run.
TEST(NodeCaseSelection, CoversEveryRequiredOp) {
  const std::set<std::string> required = {"Conv",
                                          "ConvInteger",
                                          "QLinearConv",
                                          "Gemm",
                                          "MatMul",
                                          "MatMulInteger",
                                          "QLinearMatMul",
                                          "QuantizeLinear",
                                          "DequantizeLinear",
                                          "Relu",
                                          "LeakyRelu",
                                          "Clip",
                                          "Sigmoid",
                                          "Tanh",
                                          "Softmax",
                                          "BatchNormalization",
                                          "MaxPool",
                                          "AveragePool",
                                          "GlobalAveragePool",
                                          "Add",
                                          "Sub",
                                          "Mul",
                                          "Div",
                                          "Max",
                                          "Min",
                                          "Pow",
                                          "Sqrt",
                                          "ReduceMean",
                                          "Concat",
                                          "Reshape",
                                          "Flatten",
                                          "Transpose",
                                          "Squeeze",
                                          "Unsqueeze",
                                          "Pad",
                                          "Resize",
                                          "Identity",
                                          "Constant"};
  std::ifstream in(std::string(FLECSIM_NODE_TEST_DIR) + "/manifest.json");
  ASSERT_TRUE(in) << "node test data missing: build target onnx_node_data";
  const auto manifest = nlohmann::json::parse(in);
  std::set<std::string> covered;
  for (const auto& c : selected_cases())
    for (const auto& op : manifest[c.name]["ops"]) covered.insert(op.get<std::string>());
  for (const auto& op : required) {
    EXPECT_TRUE(flecsim::ref::is_supported_op("", op)) << op;
    EXPECT_TRUE(covered.count(op)) << op << " has no node test that runs";
  }
  EXPECT_GE(selected_cases().size(), 228u);  // onnx 1.12: 230 cases, 2 excluded
}

}  // namespace
