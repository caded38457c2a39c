#include "app/run_quantize.h"

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "graph/npy.h"

namespace flecsim {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& precisions() {
  static const std::vector<std::string> names = {"none", "int8", "int16", "bf16"};
  return names;
}

// A precision scalar of the YAML ("auto" only where `allow_auto`).
std::string precision_at(const ConfigNodePtr& value, const SourceLoc& key_loc, bool allow_auto) {
  std::vector<std::string> known = precisions();
  if (allow_auto) known.insert(known.begin(), "auto");
  const std::string p = value && value->is_scalar() ? value->scalar : "";
  if (std::find(known.begin(), known.end(), p) != known.end()) return p;
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  throw UserError(value && value->is_scalar() ? value->loc : key_loc,
                  "expected a precision (" + list + "), got '" + p + "'");
}

std::vector<fs::path> npy_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".npy") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The file's tensor, checked against the graph input (dimensions < 0 match anything).
graph::Tensor read_input_file(const graph::Graph& g, const std::string& name, const fs::path& f) {
  graph::Tensor t = graph::read_npy(f.string());
  const graph::ValueInfo* v = g.value(name);
  bool ok = v && t.dtype() == v->dtype;
  if (ok && v->shape) {
    ok = v->shape->size() == t.shape().size();
    for (size_t d = 0; ok && d < t.shape().size(); ++d)
      ok = (*v->shape)[d] < 0 || (*v->shape)[d] == t.shape()[d];
  }
  if (!ok) {
    std::string want = "an unknown type";
    if (v)
      want = std::string(graph::dtype_name(v->dtype)) + " " +
             (v->shape ? graph::shape_str(*v->shape) : std::string("[?]"));
    throw UserError(f.string() + ": " + graph::dtype_name(t.dtype()) + " " +
                    graph::shape_str(t.shape()) + " does not fit input '" + name + "' (" + want +
                    ")");
  }
  return t;
}

}  // namespace

void read_quantize_policy(const Platform& platform, const std::string& cli,
                          compiler::CompileOptions& options) {
  options.quantize = cli.empty() ? "auto" : cli;
  const ConfigNodePtr compiler = platform.config().get("compiler");
  const ConfigNodePtr quantize = compiler ? compiler->get("quantize") : nullptr;
  if (!quantize) return;
  if (!quantize->is_map())
    throw UserError(quantize->loc,
                    "compiler.quantize: expected a mapping, got " + quantize->type_name());
  for (const auto& e : quantize->entries) {
    if (e.key == "default") {
      const std::string p = precision_at(e.value, e.key_loc, true);
      if (cli.empty()) options.quantize = p;
    } else if (e.key == "layers") {
      if (!e.value->is_map())
        throw UserError(e.key_loc,
                        "compiler.quantize.layers: expected a mapping of node name "
                        "(or glob) to precision, got " +
                            e.value->type_name());
      for (const auto& l : e.value->entries)
        options.layers.push_back({l.key, precision_at(l.value, l.key_loc, false), l.key_loc.str()});
    } else {
      std::string hint = closest_match(e.key, {"default", "layers"});
      throw UserError(e.key_loc, "compiler.quantize: unknown key '" + e.key + "'" +
                                     (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
  }
}

std::vector<ref::TensorMap> read_calibration_dir(const graph::Graph& g, const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UserError("--calib " + dir + ": not a directory");
  std::vector<ref::TensorMap> sets;
  for (const auto& name : g.inputs) {
    fs::path folder = fs::path(dir) / name;
    if (!fs::is_directory(folder, ec)) {
      if (g.inputs.size() != 1)
        throw UserError("--calib " + dir + ": no folder '" + name +
                        "' with .npy files for input '" + name + "'");
      folder = dir;
    }
    const auto files = npy_files(folder);
    if (files.empty()) throw UserError("--calib " + folder.string() + ": no .npy files");
    if (!sets.empty() && files.size() != sets.size())
      throw UserError("--calib " + folder.string() + ": " + std::to_string(files.size()) +
                      " files, but " + std::to_string(sets.size()) + " for input '" +
                      g.inputs.front() + "'");
    sets.resize(files.size());
    for (size_t i = 0; i < files.size(); ++i) sets[i][name] = read_input_file(g, name, files[i]);
  }
  return sets;
}

}  // namespace flecsim
