// Bad input must give a UserError (exit code 2) naming the file and node: malformed
// protobuf, unsupported ops and opsets, missing initializers, wrong user inputs, and
// external data that escapes the model's folder.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "graph/onnx_import.h"
#include "ref/reference.h"

namespace fs = std::filesystem;
using flecsim::UserError;
using flecsim::graph::DType;
using flecsim::graph::Tensor;

namespace {

fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(FLECSIM_BINARY_DIR) / "onnx-bad-input" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// X[1,4] float -> op -> Y, opset given; optional initializer W[4] float.
onnx::ModelProto small_model(const std::string& op, int opset) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto* imp = m.add_opset_import();
  imp->set_domain("");
  imp->set_version(opset);
  auto* g = m.mutable_graph();
  g->set_name("g");
  for (auto* vi : {g->add_input(), g->add_output()}) {
    vi->set_name(vi == &g->input(0) ? "X" : "Y");
    auto* tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_value(1);
    tt->mutable_shape()->add_dim()->set_dim_value(4);
  }
  auto* n = g->add_node();
  n->set_name("the_node");
  n->set_op_type(op);
  n->add_input("X");
  n->add_output("Y");
  return m;
}

std::string save(const onnx::ModelProto& m, const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  m.SerializeToOstream(&out);
  return path.string();
}

// Runs fn, expects a UserError whose message contains every fragment.
template <class Fn>
void expect_user_error(Fn fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.code(), flecsim::kExitUserError);
    for (const auto& f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what() << "\n  lacks: " << f;
  }
}

// Model X -> Add(X, W) -> Y with W stored as external data at `location`.
onnx::ModelProto external_model(const std::string& location, int64_t offset, int64_t length) {
  onnx::ModelProto m = small_model("Add", 13);
  m.mutable_graph()->mutable_node(0)->add_input("W");
  auto* w = m.mutable_graph()->add_initializer();
  w->set_name("W");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const std::string& k, const std::string& v) {
    auto* e = w->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", location);
  add("offset", std::to_string(offset));
  add("length", std::to_string(length));
  return m;
}

void write_floats(const fs::path& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * 4));
}

Tensor x_input() {
  return Tensor::from_floats({1, 4}, {-1, 2, -3, 4});
}

TEST(OnnxBadInput, MalformedProtobuf) {
  const fs::path dir = scratch("malformed");
  { std::ofstream(dir / "garbage.onnx", std::ios::binary) << "\x0a\xff\xff\xff\xff garbage"; }
  const std::string path = (dir / "garbage.onnx").string();
  expect_user_error([&] { flecsim::graph::load_model(path); }, {path, "not a valid ONNX model"});
  std::string bytes = small_model("Relu", 13).SerializeAsString();
  std::ofstream(dir / "truncated.onnx", std::ios::binary) << bytes.substr(0, bytes.size() - 9);
  const std::string truncated = (dir / "truncated.onnx").string();
  expect_user_error([&] { flecsim::graph::load_model(truncated); }, {truncated});
  expect_user_error([&] { flecsim::graph::load_model((dir / "missing.onnx").string()); },
                    {"missing.onnx", "cannot open"});
}

TEST(OnnxBadInput, UnsupportedOpsAreListedBeforeRunning) {
  const fs::path dir = scratch("unsupported");
  onnx::ModelProto m = small_model("Erf", 13);
  auto* second = m.mutable_graph()->add_node();
  second->set_name("custom");
  second->set_op_type("MyOp");
  second->set_domain("com.example");
  second->add_input("X");
  second->add_output("Z");
  auto* imp = m.add_opset_import();
  imp->set_domain("com.example");
  imp->set_version(1);
  const std::string path = save(m, dir / "m.onnx");
  const auto g = flecsim::graph::load_model(path);
  const auto bad = flecsim::ref::find_unsupported(g);
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].node, "the_node");
  EXPECT_EQ(bad[0].op_type, "Erf");
  EXPECT_EQ(bad[1].reason, "domain 'com.example' is not supported");
  expect_user_error(
      [&] {
        flecsim::ref::run_reference(g, {{"X", x_input()}});
      },
      {path, "2 unsupported node(s)", "node 'the_node' (Erf)", "node 'custom' (MyOp)"});
}

TEST(OnnxBadInput, UnsupportedAttributeIsReported) {
  const fs::path dir = scratch("attribute");
  onnx::ModelProto m = small_model("Resize", 13);
  auto* n = m.mutable_graph()->mutable_node(0);
  n->add_input("");
  n->add_input("S");
  auto* mode = n->add_attribute();
  mode->set_name("mode");
  mode->set_type(onnx::AttributeProto::STRING);
  mode->set_s("area");
  auto* s = m.mutable_graph()->add_initializer();
  s->set_name("S");
  s->set_data_type(onnx::TensorProto::FLOAT);
  s->add_dims(2);
  s->add_float_data(1), s->add_float_data(1);
  const auto g = flecsim::graph::load_model(save(m, dir / "m.onnx"));
  expect_user_error([&] { flecsim::ref::check_supported(g); },
                    {"node 'the_node' (Resize): mode 'area' is not supported"});
}

TEST(OnnxBadInput, OpsetsOutsideTheRange) {
  const fs::path dir = scratch("opset");
  const std::string future = save(small_model("Relu", 19), dir / "future.onnx");
  expect_user_error([&] { flecsim::graph::load_model(future); },
                    {future, "opset 19 is not supported (supported: 11 to 18)"});
  // Clip changed at opset 11 (min/max became inputs): an opset-6 Clip is refused.
  const std::string old = save(small_model("Clip", 6), dir / "old.onnx");
  expect_user_error([&] { flecsim::graph::load_model(old); },
                    {old, "node 'the_node' (Clip): opset 6 is not supported"});
  // Relu is unchanged from opset 6 to 13: accepted and runs.
  const auto g = flecsim::graph::load_model(save(small_model("Relu", 6), dir / "relu6.onnx"));
  const auto y = flecsim::ref::run_reference(g, {{"X", x_input()}}).at("Y");
  EXPECT_EQ(y.to_floats(), (std::vector<float>{0, 2, 0, 4}));
}

TEST(OnnxBadInput, MissingInitializerNamesTheNode) {
  const fs::path dir = scratch("missing_init");
  onnx::ModelProto m = small_model("Add", 13);
  m.mutable_graph()->mutable_node(0)->add_input("W");
  const std::string path = save(m, dir / "m.onnx");
  expect_user_error([&] { flecsim::graph::load_model(path); }, {path, "the_node", "'W'"});
}

TEST(OnnxBadInput, BogusInitializerShapesAreRefusedWithoutAllocating) {
  const fs::path dir = scratch("bogus_init");
  for (int64_t dim : {int64_t{1} << 40, int64_t{1000000000}}) {
    onnx::ModelProto m = small_model("Add", 13);
    m.mutable_graph()->mutable_node(0)->add_input("W");
    auto* w = m.mutable_graph()->add_initializer();
    w->set_name("W");
    w->set_data_type(onnx::TensorProto::FLOAT);
    w->add_dims(dim);
    w->add_dims(dim);
    const std::string path = save(m, dir / "m.onnx");
    expect_user_error([&] { flecsim::graph::load_model(path); }, {path, "initializer 'W'"});
  }
}

TEST(OnnxBadInput, BadShapesAtRunTimeNameTheNode) {
  const fs::path dir = scratch("runtime_shapes");
  // Gemm with a bias C of 3 values for a [1,4] result: not broadcastable.
  onnx::ModelProto m = small_model("Gemm", 13);
  auto* n = m.mutable_graph()->mutable_node(0);
  n->add_input("B");
  n->add_input("C");
  auto* b = m.mutable_graph()->add_initializer();
  b->set_name("B");
  b->set_data_type(onnx::TensorProto::FLOAT);
  b->add_dims(4), b->add_dims(4);
  for (int i = 0; i < 16; ++i) b->add_float_data(1);
  auto* c = m.mutable_graph()->add_initializer();
  c->set_name("C");
  c->set_data_type(onnx::TensorProto::FLOAT);
  c->add_dims(3);
  for (int i = 0; i < 3; ++i) c->add_float_data(1);
  m.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->clear_shape();
  const std::string path = save(m, dir / "m.onnx");
  try {  // ONNX shape inference may already catch it; otherwise the executor must
    const auto g = flecsim::graph::load_model(path);
    expect_user_error(
        [&] {
          flecsim::ref::run_reference(g, {{"X", x_input()}});
        },
        {path, "node 'the_node' (Gemm)", "cannot broadcast [3] to [1,4]"});
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("the_node"), std::string::npos) << e.what();
  }
}

TEST(OnnxBadInput, WrongInputShapeOrType) {
  const fs::path dir = scratch("inputs");
  const std::string path = save(small_model("Relu", 13), dir / "m.onnx");
  const auto g = flecsim::graph::load_model(path);
  expect_user_error(
      [&] {
        flecsim::ref::run_reference(g, {{"X", Tensor::from_floats({1, 5}, {1, 2, 3, 4, 5})}});
      },
      {path, "graph input 'X' expects shape [1,4], got [1,5]"});
  expect_user_error(
      [&] {
        flecsim::ref::run_reference(g, {{"X", Tensor(DType::kInt8, {1, 4})}});
      },
      {path, "graph input 'X' expects float32, got int8"});
  expect_user_error([&] { flecsim::ref::run_reference(g, {}); },
                    {"no value given for graph input 'X'"});
  expect_user_error(
      [&] {
        flecsim::ref::run_reference(g, {{"X", x_input()}, {"Q", x_input()}});
      },
      {"no input named 'Q'"});
}

TEST(OnnxBadInput, ExternalDataInsideTheFolderLoads) {
  const fs::path dir = scratch("external_ok");
  fs::create_directories(dir / "weights");
  write_floats(dir / "weights" / "w.bin", {0, 0, 10, 20, 30, 40});
  const auto g =
      flecsim::graph::load_model(save(external_model("weights/w.bin", 8, 16), dir / "m.onnx"));
  const auto y = flecsim::ref::run_reference(g, {{"X", x_input()}}).at("Y");
  EXPECT_EQ(y.to_floats(), (std::vector<float>{9, 22, 27, 44}));
}

TEST(OnnxBadInput, ExternalDataEscapingTheFolderIsRefused) {
  const fs::path root = scratch("external_escape");
  const fs::path dir = root / "model";
  fs::create_directories(dir);
  write_floats(root / "outside.bin", {1, 2, 3, 4});
  const std::string up = save(external_model("../outside.bin", 0, 16), dir / "up.onnx");
  expect_user_error([&] { flecsim::graph::load_model(up); },
                    {up, "initializer 'W'", "'../outside.bin' escapes the model's folder"});
  const std::string abs_loc = (root / "outside.bin").string();
  const std::string absolute = save(external_model(abs_loc, 0, 16), dir / "abs.onnx");
  expect_user_error([&] { flecsim::graph::load_model(absolute); },
                    {absolute, "must be a relative path inside the model's folder"});
  fs::create_symlink(root / "outside.bin", dir / "link.bin");
  const std::string link = save(external_model("link.bin", 0, 16), dir / "link.onnx");
  expect_user_error([&] { flecsim::graph::load_model(link); },
                    {link, "'link.bin' escapes the model's folder"});
  fs::create_directory_symlink(root, dir / "linkdir");
  const std::string via_dir = save(external_model("linkdir/outside.bin", 0, 16), dir / "d.onnx");
  expect_user_error([&] { flecsim::graph::load_model(via_dir); }, {via_dir, "escapes"});
}

TEST(OnnxBadInput, ExternalDataOutsideTheFileIsRefused) {
  const fs::path dir = scratch("external_range");
  write_floats(dir / "w.bin", {1, 2, 3, 4});
  const std::string beyond = save(external_model("w.bin", 8, 16), dir / "beyond.onnx");
  expect_user_error([&] { flecsim::graph::load_model(beyond); },
                    {beyond, "offset 8 length 16 outside file"});
  const std::string short_len = save(external_model("w.bin", 0, 12), dir / "short.onnx");
  expect_user_error([&] { flecsim::graph::load_model(short_len); }, {"holds 12 bytes"});
  const std::string missing = save(external_model("nope.bin", 0, 16), dir / "missing.onnx");
  expect_user_error([&] { flecsim::graph::load_model(missing); }, {"'nope.bin' not found"});
}

}  // namespace
