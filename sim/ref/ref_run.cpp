// flecsim-ref: runs an ONNX model through the reference executor (a harness until the
// `flecsim run` command exists, and a tool to check workloads).
//   flecsim-ref MODEL.onnx [--input NAME=FILE(.npy|.pb)]... [--seed N] [-o DIR]
//               [--compare OTHER.onnx --min-cosine C]
// Prints per output shape and checksum; -o writes outputs as .npy. With --compare, runs
// OTHER on the same inputs and fails (exit 1) if an output's cosine is below C.
// Exit codes: 0 ok, 1 failed comparison, 2 user error, 3 internal error.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "graph/npy.h"
#include "graph/onnx_import.h"
#include "ref/inputs.h"

namespace {

using namespace flecsim;

struct Options {
  std::string model, compare_model, out_dir;
  std::vector<std::pair<std::string, std::string>> input_files;
  uint64_t seed = 1;
  double min_cosine = 0.99;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UserError("option " + arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--input") {
      const std::string v = value();
      const auto eq = v.find('=');
      if (eq == std::string::npos) throw UserError("--input wants NAME=FILE, got '" + v + "'");
      o.input_files.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (arg == "--seed") {
      o.seed = std::stoull(value());
    } else if (arg == "-o") {
      o.out_dir = value();
    } else if (arg == "--compare") {
      o.compare_model = value();
    } else if (arg == "--min-cosine") {
      o.min_cosine = std::stod(value());
    } else if (!arg.empty() && arg[0] != '-' && o.model.empty()) {
      o.model = arg;
    } else {
      throw UserError("unknown argument '" + arg + "'");
    }
  }
  if (o.model.empty()) throw UserError("usage: flecsim-ref MODEL.onnx [options]");
  return o;
}

ref::TensorMap make_inputs(const graph::Graph& g, const Options& o) {
  ref::TensorMap inputs = ref::random_inputs(g, o.seed);
  for (const auto& [name, file] : o.input_files) {
    const bool npy = file.size() > 4 && file.substr(file.size() - 4) == ".npy";
    inputs[name] = npy ? graph::read_npy(file) : graph::read_tensor_pb(file).second;
  }
  return inputs;
}

ref::TensorMap timed_run(const graph::Graph& g, const ref::TensorMap& inputs) {
  const auto start = std::chrono::steady_clock::now();
  auto outputs = ref::run_reference(g, inputs);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %zu nodes, %.1f ms\n", g.source_file.c_str(), g.nodes.size(), ms);
  return outputs;
}

int run(const Options& o) {
  const graph::Graph g = graph::load_model(o.model);
  const ref::TensorMap inputs = make_inputs(g, o);
  const ref::TensorMap outputs = timed_run(g, inputs);
  for (const auto& [name, t] : outputs) {
    double sum = 0;
    for (int64_t i = 0; i < t.numel(); ++i) sum += t.get_double(i);
    std::printf("  output %s %s %s sum %.6g\n", name.c_str(), graph::dtype_name(t.dtype()),
                graph::shape_str(t.shape()).c_str(), sum);
    if (!o.out_dir.empty()) {
      std::filesystem::create_directories(o.out_dir);
      graph::write_npy(o.out_dir + "/" + name + ".npy", t);
    }
  }
  if (o.compare_model.empty()) return kExitOk;
  const graph::Graph other = graph::load_model(o.compare_model);
  const ref::TensorMap other_out = timed_run(other, inputs);
  int status = kExitOk;
  for (size_t i = 0; i < g.outputs.size() && i < other.outputs.size(); ++i) {
    const auto c = ref::compare(outputs.at(g.outputs[i]), other_out.at(other.outputs[i]));
    std::printf("  compare %s: cosine %.6f max abs error %.6g\n", g.outputs[i].c_str(), c.cosine,
                c.max_abs_error);
    if (!(c.cosine >= o.min_cosine)) status = kExitCheckFailed;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const flecsim::Error& e) {
    std::cerr << "flecsim-ref: " << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "flecsim-ref: internal error: " << e.what() << "\n";
    return flecsim::kExitInternal;
  }
}
