// Import results the compiler relies on: inferred shapes, typed attributes, topological
// order, opset-18 models (shape completion by running), per-node observation.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "graph/onnx_import.h"
#include "ref/reference.h"

namespace fs = std::filesystem;
using flecsim::graph::DType;
using flecsim::graph::Shape;
using flecsim::graph::Tensor;

namespace {

void add_value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list,
               const std::string& name, const Shape& shape) {
  auto* vi = list->Add();
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : shape) tt->mutable_shape()->add_dim()->set_dim_value(d);
}

onnx::NodeProto* add_node(onnx::GraphProto* g, const std::string& op,
                          const std::vector<std::string>& in, const std::string& out) {
  auto* n = g->add_node();
  n->set_name(out + "_node");
  n->set_op_type(op);
  for (const auto& i : in) n->add_input(i);
  n->add_output(out);
  return n;
}

// X[2,3,4] -> ReduceMean(axes=[1], input in opset 18 / attribute before) -> Relu -> Y,
// nodes stored in reverse order.
std::string reduce_model(int opset, const std::string& file) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto* imp = m.add_opset_import();
  imp->set_version(opset);
  auto* g = m.mutable_graph();
  add_value(g->mutable_input(), "X", {2, 3, 4});
  add_value(g->mutable_output(), "Y", {2, 1, 4});
  add_node(g, "Relu", {"M"}, "Y");
  auto* reduce = add_node(g, "ReduceMean", {"X"}, "M");
  if (opset >= 18) {
    reduce->add_input("axes");
    auto* axes = g->add_initializer();
    axes->set_name("axes");
    axes->set_data_type(onnx::TensorProto::INT64);
    axes->add_dims(1);
    axes->add_int64_data(1);
  } else {
    auto* a = reduce->add_attribute();
    a->set_name("axes");
    a->set_type(onnx::AttributeProto::INTS);
    a->add_ints(1);
  }
  const fs::path dir = fs::path(FLECSIM_BINARY_DIR) / "onnx-import-test";
  fs::create_directories(dir);
  const std::string path = (dir / file).string();
  std::ofstream out(path, std::ios::binary);
  m.SerializeToOstream(&out);
  return path;
}

Tensor ramp() {
  std::vector<float> v(24);
  for (int i = 0; i < 24; ++i) v[i] = static_cast<float>(i) - 10;
  return Tensor::from_floats({2, 3, 4}, v);
}

TEST(OnnxImport, InfersShapesSortsNodesAndTypesAttributes) {
  auto g = flecsim::graph::load_model(reduce_model(13, "reduce13.onnx"));
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[0].op_type, "ReduceMean");  // sorted: producer first
  EXPECT_EQ(g.nodes[0].opset, 13);
  EXPECT_EQ(g.nodes[0].attr_ints("axes", {}), (std::vector<int64_t>{1}));
  EXPECT_EQ(g.nodes[0].attr_int("keepdims", 1), 1);
  EXPECT_THROW(g.nodes[0].attr_float("axes", 0), flecsim::UserError);  // wrong kind
  ASSERT_TRUE(g.value("M") && g.value("M")->shape);
  EXPECT_EQ(*g.value("M")->shape, (Shape{2, 1, 4}));  // from ONNX shape inference
  EXPECT_EQ(flecsim::ref::complete_shapes(g), 0u);
}

TEST(OnnxImport, Opset18ShapesAreCompletedByRunning) {
  auto g = flecsim::graph::load_model(reduce_model(18, "reduce18.onnx"));
  EXPECT_EQ(g.opsets.at(""), 18);
  EXPECT_FALSE(g.value("M") && g.value("M")->shape);  // libonnx 1.12 stops at opset 17
  EXPECT_EQ(flecsim::ref::complete_shapes(g), 1u);
  EXPECT_EQ(*g.value("M")->shape, (Shape{2, 1, 4}));
  EXPECT_EQ(g.value("M")->dtype, DType::kFloat32);
  const auto y = flecsim::ref::run_reference(g, {{"X", ramp()}}).at("Y");
  // Means over axis 1 of (i - 10): row n, column c -> 12n + c + 4 - 10, clipped at 0.
  EXPECT_EQ(y.to_floats(), (std::vector<float>{0, 0, 0, 0, 6, 7, 8, 9}));
}

TEST(OnnxImport, ObserverSeesEveryNodeInOrder) {
  const auto g = flecsim::graph::load_model(reduce_model(13, "reduce13b.onnx"));
  std::vector<std::string> seen;
  flecsim::ref::run_reference(
      g, {{"X", ramp()}}, [&](const flecsim::graph::Node& n, const std::vector<Tensor>& outs) {
        seen.push_back(n.name + " " + flecsim::graph::shape_str(outs[0].shape()));
      });
  EXPECT_EQ(seen, (std::vector<std::string>{"M_node [2,1,4]", "Y_node [2,1,4]"}));
}

}  // namespace
