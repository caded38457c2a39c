#include "graph/onnx_import.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace flecsim::graph {
namespace fs = std::filesystem;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError(SourceLoc{path}, "cannot open file");
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

// The file named by an external-data `location`, refused unless it lies inside `folder`
// after resolving "..", symlinks and absolute paths.
fs::path resolve_inside(const fs::path& folder, const std::string& location,
                        const std::string& what) {
  fs::path rel(location);
  if (location.empty() || rel.is_absolute())
    throw UserError(what + ": external data location '" + location +
                    "' must be a relative path inside the model's folder");
  std::error_code ec;
  fs::path root = fs::canonical(folder, ec);
  fs::path target = ec ? fs::path() : fs::canonical(folder / rel, ec);
  if (ec) throw UserError(what + ": external data file '" + location + "' not found");
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
  (void)unused;
  if (root_end != root.end() || target == root)
    throw UserError(what + ": external data location '" + location +
                    "' escapes the model's folder (resolves to " + target.string() + ")");
  return target;
}

std::string read_external(const onnx::TensorProto& proto, const fs::path& folder,
                          const std::string& what) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& entry : proto.external_data()) {
    try {
      if (entry.key() == "location") location = entry.value();
      if (entry.key() == "offset") offset = std::stoll(entry.value());
      if (entry.key() == "length") length = std::stoll(entry.value());
    } catch (const std::exception&) {
      throw UserError(what + ": bad external data " + entry.key() + " '" + entry.value() + "'");
    }
  }
  fs::path file = resolve_inside(folder, location, what);
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) throw UserError(what + ": cannot open external data file " + file.string());
  const int64_t size = static_cast<int64_t>(in.tellg());
  if (length < 0) length = size - offset;
  if (offset < 0 || length < 0 || offset > size || length > size - offset)
    throw UserError(what + ": external data offset " + std::to_string(offset) + " length " +
                    std::to_string(length) + " outside file " + file.string() + " of " +
                    std::to_string(size) + " bytes");
  std::string data(static_cast<size_t>(length), '\0');
  in.seekg(offset);
  in.read(data.data(), length);
  return data;
}

template <class T, class Field>
void copy_field(Tensor& t, const Field& field, const std::string& what) {
  if (static_cast<int64_t>(field.size()) != t.numel())
    throw UserError(what + ": has " + std::to_string(field.size()) + " values for shape " +
                    shape_str(t.shape()));
  T* out = reinterpret_cast<T*>(t.bytes().data());
  for (int i = 0; i < field.size(); ++i) out[i] = static_cast<T>(field.Get(i));
}

// Number of values in the typed field that holds `type` (ONNX packs small types in int32).
int64_t typed_field_size(const onnx::TensorProto& proto, DType type) {
  switch (type) {
    case DType::kFloat32:
      return proto.float_data_size();
    case DType::kFloat64:
      return proto.double_data_size();
    case DType::kInt64:
      return proto.int64_data_size();
    case DType::kUInt32:
    case DType::kUInt64:
      return proto.uint64_data_size();
    default:
      return proto.int32_data_size();
  }
}

void copy_typed_fields(const onnx::TensorProto& proto, Tensor& t, const std::string& what) {
  visit_dtype(t.dtype(), what, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, float>) {
      copy_field<T>(t, proto.float_data(), what);
    } else if constexpr (std::is_same_v<T, double>) {
      copy_field<T>(t, proto.double_data(), what);
    } else if constexpr (std::is_same_v<T, int64_t>) {
      copy_field<T>(t, proto.int64_data(), what);
    } else if constexpr (std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>) {
      copy_field<T>(t, proto.uint64_data(), what);
    } else {
      copy_field<T>(t, proto.int32_data(), what);
    }
  });
}

Tensor tensor_from_proto(const onnx::TensorProto& proto, const fs::path& folder,
                         const std::string& what) {
  Shape shape(proto.dims().begin(), proto.dims().end());
  for (int64_t d : shape)
    if (d < 0) throw UserError(what + ": negative dimension in " + shape_str(shape));
  const DType type = static_cast<DType>(proto.data_type());
  if (!is_storable(type))
    throw UserError(what + ": element type " + dtype_name(type) + " is not supported");
  const bool external = proto.data_location() == onnx::TensorProto::EXTERNAL;
  const bool raw_data = external || proto.has_raw_data();
  std::string raw = raw_data && external ? read_external(proto, folder, what) : proto.raw_data();
  // Sizes are checked before allocating, so a bogus shape cannot exhaust memory.
  int64_t count = 0;
  try {
    count = element_count(shape);
  } catch (const UserError& e) {
    throw UserError(what + ": " + e.what());
  }
  const uint64_t needed = static_cast<uint64_t>(count) * dtype_size(type);
  if (raw_data && raw.size() != needed)
    throw UserError(what + ": holds " + std::to_string(raw.size()) + " bytes, shape " +
                    shape_str(shape) + " of " + dtype_name(type) + " needs " +
                    std::to_string(needed));
  if (!raw_data && typed_field_size(proto, type) != count)
    throw UserError(what + ": has " + std::to_string(typed_field_size(proto, type)) +
                    " values for shape " + shape_str(shape));
  Tensor t(type, shape);
  if (raw_data) {
    std::memcpy(t.bytes().data(), raw.data(), raw.size());
  } else {
    copy_typed_fields(proto, t, what);
  }
  return t;
}

ValueInfo value_info_from_proto(const onnx::ValueInfoProto& info) {
  ValueInfo out;
  if (!info.type().has_tensor_type()) return out;
  const auto& tensor_type = info.type().tensor_type();
  out.dtype = static_cast<DType>(tensor_type.elem_type());
  if (tensor_type.has_shape()) {
    Shape shape;
    for (const auto& d : tensor_type.shape().dim())
      shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
    out.shape = shape;
  }
  return out;
}

Attribute attribute_from_proto(const onnx::AttributeProto& a, const fs::path& folder,
                               const std::string& what) {
  Attribute out;
  using P = onnx::AttributeProto;
  switch (a.type()) {
    case P::FLOAT:
      out.kind = Attribute::Kind::kFloat, out.f = a.f();
      break;
    case P::INT:
      out.kind = Attribute::Kind::kInt, out.i = a.i();
      break;
    case P::STRING:
      out.kind = Attribute::Kind::kString, out.s = a.s();
      break;
    case P::TENSOR:
      out.kind = Attribute::Kind::kTensor;
      out.t = std::make_shared<Tensor>(tensor_from_proto(a.t(), folder, what));
      break;
    case P::FLOATS:
      out.kind = Attribute::Kind::kFloats;
      out.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case P::INTS:
      out.kind = Attribute::Kind::kInts;
      out.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case P::STRINGS:
      out.kind = Attribute::Kind::kStrings;
      out.strings.assign(a.strings().begin(), a.strings().end());
      break;
    default:
      throw UserError(what + ": attribute kind " + P::AttributeType_Name(a.type()) +
                      " is not supported");
  }
  return out;
}

void read_opsets(const onnx::ModelProto& model, Graph& g) {
  for (const auto& op : model.opset_import()) {
    const std::string domain = op.domain() == "ai.onnx" ? "" : op.domain();
    g.opsets[domain] = static_cast<int>(op.version());
  }
  auto it = g.opsets.find("");
  if (it == g.opsets.end())
    throw UserError(SourceLoc{g.source_file}, "model imports no default-domain opset");
  if (it->second < 1 || it->second > kMaxOpset)
    throw UserError(SourceLoc{g.source_file},
                    "opset " + std::to_string(it->second) + " is not supported (supported: " +
                        std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset) + ")");
}

// Opsets below kMinOpset are accepted when every node's op has the same definition as in
// kMinOpset (ONNX's node tests pin ops to the opset that introduced them, e.g. 10 for
// QLinearConv). Otherwise the first node whose op changed is named.
void check_old_opset(const Graph& g) {
  const int opset = g.opsets.at("");
  if (opset >= kMinOpset) return;
  for (const auto& n : g.nodes) {
    if (!n.domain.empty()) continue;
    const auto* old_schema = onnx::OpSchemaRegistry::Schema(n.op_type, opset, "");
    const auto* new_schema = onnx::OpSchemaRegistry::Schema(n.op_type, kMinOpset, "");
    if (!old_schema || !new_schema || old_schema->SinceVersion() != new_schema->SinceVersion())
      throw UserError(SourceLoc{g.source_file},
                      n.describe() + ": opset " + std::to_string(opset) +
                          " is not supported (supported: " + std::to_string(kMinOpset) + " to " +
                          std::to_string(kMaxOpset) + "; this op changed since)");
  }
}

// libonnx knows opsets up to its own release; newer models skip its shape inference
// (the executor computes shapes at run time anyway).
bool registry_knows(const Graph& g) {
  const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = ranges.find("");
  return it != ranges.end() && g.opsets.at("") <= it->second.second;
}

// Shape inference on the model in place; node-level errors name the node.
void infer_shapes(onnx::ModelProto& model, const std::string& file) {
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/true, /*error_mode=*/1,
                                        /*data_prop=*/true);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception& e) {
    throw UserError(SourceLoc{file}, std::string("shape inference failed: ") + e.what());
  }
}

Node node_from_proto(const onnx::NodeProto& p, size_t index, const fs::path& folder,
                     const Graph& g) {
  Node n;
  n.op_type = p.op_type();
  n.name = p.name().empty() ? p.op_type() + "_" + std::to_string(index) : p.name();
  n.domain = p.domain() == "ai.onnx" ? "" : p.domain();
  auto opset = g.opsets.find(n.domain);
  n.opset = opset == g.opsets.end() ? 0 : opset->second;
  n.inputs.assign(p.input().begin(), p.input().end());
  n.outputs.assign(p.output().begin(), p.output().end());
  const std::string what = SourceLoc{g.source_file}.str() + ": " + n.describe();
  for (const auto& a : p.attribute()) {
    if (a.type() == onnx::AttributeProto::GRAPH || a.type() == onnx::AttributeProto::GRAPHS)
      continue;  // control flow: such ops are reported unsupported before running
    n.attributes[a.name()] = attribute_from_proto(a, folder, what + ": attribute " + a.name());
  }
  return n;
}

// Types and shapes known after inference (value_info holds the intermediates).
void read_value_infos(const onnx::GraphProto& gp, Graph& g) {
  for (const auto& vi : gp.value_info()) g.values[vi.name()] = value_info_from_proto(vi);
  for (const auto& out : gp.output()) g.values[out.name()] = value_info_from_proto(out);
  for (const auto& [name, t] : g.constants) g.values[name] = ValueInfo{t.dtype(), t.shape()};
}

// ONNX shape inference needs the nodes in topological order: apply the IR's order.
void reorder_nodes(onnx::GraphProto& gp, const std::vector<size_t>& order) {
  google::protobuf::RepeatedPtrField<onnx::NodeProto> sorted;
  for (size_t i : order) *sorted.Add() = gp.node(static_cast<int>(i));
  gp.mutable_node()->Swap(&sorted);
}

void read_graph(const onnx::GraphProto& gp, const fs::path& folder, Graph& g) {
  g.name = gp.name();
  const std::string file = SourceLoc{g.source_file}.str();
  for (const auto& init : gp.initializer())
    g.constants[init.name()] =
        tensor_from_proto(init, folder, file + ": initializer '" + init.name() + "'");
  for (const auto& in : gp.input()) {
    g.values[in.name()] = value_info_from_proto(in);
    if (!g.constants.count(in.name())) g.inputs.push_back(in.name());
  }
  for (const auto& out : gp.output()) {
    g.values[out.name()] = value_info_from_proto(out);
    g.outputs.push_back(out.name());
  }
  for (const auto& [name, t] : g.constants) g.values[name] = ValueInfo{t.dtype(), t.shape()};
  std::set<std::string> names;
  for (int i = 0; i < gp.node_size(); ++i) {
    Node n = node_from_proto(gp.node(i), static_cast<size_t>(i), folder, g);
    while (!names.insert(n.name).second) n.name += "_" + std::to_string(i);
    g.nodes.push_back(std::move(n));
  }
}

// Replaces external tensor data by the bytes (checked) so that shape inference and the
// IR see ordinary tensors.
void inline_external_data(onnx::GraphProto& gp, const fs::path& folder, const std::string& file) {
  for (auto& init : *gp.mutable_initializer()) {
    if (init.data_location() != onnx::TensorProto::EXTERNAL) continue;
    std::string bytes = read_external(init, folder, file + ": initializer '" + init.name() + "'");
    init.clear_external_data();
    init.set_data_location(onnx::TensorProto::DEFAULT);
    init.set_raw_data(std::move(bytes));
  }
}

}  // namespace

namespace {
Graph load_model_unchecked(const std::string& path) {
  Graph g;
  g.source_file = path;
  const std::string bytes = read_file(path);
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes) || !model.has_graph())
    throw UserError(SourceLoc{path}, "not a valid ONNX model (protobuf parse failed)");
  const fs::path folder =
      fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  read_opsets(model, g);
  inline_external_data(*model.mutable_graph(), folder, path);
  read_graph(model.graph(), folder, g);
  check_old_opset(g);
  for (const auto& out : g.outputs) {
    bool produced = g.is_constant(out) || std::count(g.inputs.begin(), g.inputs.end(), out);
    for (const auto& n : g.nodes)
      produced = produced || std::count(n.outputs.begin(), n.outputs.end(), out);
    if (!produced)
      throw UserError(SourceLoc{path}, "graph output '" + out + "' is produced by no node");
  }
  reorder_nodes(*model.mutable_graph(), g.sort_topologically());
  if (registry_knows(g)) infer_shapes(model, path);
  read_value_infos(model.graph(), g);
  return g;
}
}  // namespace

Graph load_model(const std::string& path) {
  try {
    return load_model_unchecked(path);
  } catch (const UserError& e) {  // every message names the model file
    if (std::string(e.what()).rfind(path, 0) == 0) throw;
    throw UserError(SourceLoc{path}, e.what());
  }
}

std::pair<std::string, Tensor> read_tensor_pb(const std::string& path) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(read_file(path)))
    throw UserError(SourceLoc{path}, "not a valid ONNX TensorProto (protobuf parse failed)");
  const fs::path folder = fs::path(path).parent_path();
  return {proto.name(),
          tensor_from_proto(proto, folder.empty() ? "." : folder, SourceLoc{path}.str())};
}

void write_tensor_pb(const std::string& path, const std::string& name, const Tensor& tensor) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(static_cast<int>(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto.add_dims(d);
  proto.set_raw_data(tensor.bytes().data(), tensor.bytes().size());
  std::ofstream out(path, std::ios::binary);
  if (!out || !proto.SerializeToOstream(&out))
    throw UserError(SourceLoc{path}, "cannot write tensor file");
}

}  // namespace flecsim::graph
