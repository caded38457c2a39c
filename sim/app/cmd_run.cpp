// `flecsim run PLATFORM.yaml MODEL.onnx` (also `flecsim PLATFORM.yaml MODEL.onnx`): compile the
// network for the platform, run it on the simulated SoC with the runtime firmware driving the
// accelerators, check every output against the reference executor, report per layer.
#include <filesystem>
#include <iostream>
#include <random>

#include "app/command.h"
#include "app/run_quantize.h"
#include "app/run_report.h"
#include "app/run_target.h"
#include "core/error.h"
#include "core/units.h"
#include "cpu/elf.h"
#include "cpu/rv32_cpu.h"
#include "graph/npy.h"
#include "graph/onnx_import.h"
#include "periph/simctrl.h"
#include "platform/outputs.h"
#include "power/accelergy.h"
#include "power/tech.h"

namespace flecsim {
namespace {

struct RunOptions {
  std::string platform_yaml, model, output_dir, quantize = "auto", max_time = "60s";
  bool quantize_given = false;  // --quantize on the command line replaces compiler.quantize.default
  std::string calib_dir;        // --calib: calibration inputs (default: the run input)
  std::string accelergy_dir;    // --export-accelergy
  std::vector<std::string> inputs, overrides;
  uint64_t seed = 1;
  bool trace = false, quiet = false, json = false;
};

// --input NAME=FILE (.npy or TensorProto .pb); otherwise a deterministic pseudo-random tensor.
ref::TensorMap make_inputs(const graph::Graph& g, const RunOptions& opt) {
  ref::TensorMap given;
  for (const auto& spec : opt.inputs) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos) throw UserError("--input " + spec + ": expected NAME=FILE");
    const std::string name = spec.substr(0, eq), file = spec.substr(eq + 1);
    given[name] = file.size() > 3 && file.substr(file.size() - 3) == ".pb"
                      ? graph::read_tensor_pb(file).second
                      : graph::read_npy(file);
  }
  std::mt19937_64 rng(opt.seed);
  for (const auto& name : g.inputs) {
    if (given.count(name)) continue;
    const graph::ValueInfo* v = g.value(name);
    if (!v || !v->shape)
      throw UserError(g.source_file + ": input '" + name +
                      "' has no static shape; give it with --input");
    graph::Shape shape = *v->shape;
    for (auto& d : shape)
      if (d < 0) d = 1;  // symbolic batch dimensions run with 1
    graph::Tensor t(v->dtype, shape);
    graph::visit_dtype(v->dtype, "input '" + name + "'", [&](auto tag) {
      using T = typename decltype(tag)::type;
      std::uniform_real_distribution<double> dist(std::is_floating_point_v<T> ? -1.0 : -100.0,
                                                  std::is_floating_point_v<T> ? 1.0 : 100.0);
      T* data = t.data<T>();
      for (int64_t i = 0; i < t.numel(); ++i)
        data[i] = static_cast<T>(std::is_unsigned_v<T> ? std::fabs(dist(rng)) : dist(rng));
    });
    given[name] = std::move(t);
  }
  ref::check_inputs(g, given);
  return given;
}

std::string runtime_elf_path() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto path = exe.parent_path() / "firmware" / "runtime.elf";
  if (ec || !std::filesystem::exists(path))
    throw InternalError("the runtime firmware " + path.string() + " is missing; build the project");
  return path.string();
}

int run_model(const RunOptions& opt) {
  uint64_t max_time_ps = 0;
  std::string why;
  if (!parse_time_ps(opt.max_time, max_time_ps, why)) throw UserError("--max-time: " + why);
  graph::Graph original = graph::load_model(opt.model);
  ref::check_supported(original);
  PlatformOptions popt;
  popt.overrides = opt.overrides;
  popt.tracing = opt.trace;
  auto platform = Platform::load(opt.platform_yaml, popt);
  TechTable::for_platform(*platform);  // a bad power: section fails before simulating
  const std::string out_dir =
      opt.output_dir.empty() ? default_output_dir(*platform) : opt.output_dir;
  const ref::TensorMap inputs = make_inputs(original, opt);

  const ElfImage elf = read_elf(runtime_elf_path());
  compiler::TargetInfo target = target_of(*platform);
  // The loadable and the arena go to main memory (the RISC-V convention: 0x80000000); the
  // runtime itself lives in on-chip SRAM (workloads/runtime/ld/memory.ld).
  constexpr uint64_t kMainMemory = 0x80000000ull;
  const AddressRange* mem = nullptr;
  for (const auto& r : platform->address_map())
    if (r.base <= kMainMemory && kMainMemory < r.base + r.size) mem = &r;
  if (!mem || !platform->backdoor(kMainMemory, 1))
    throw UserError(opt.platform_yaml +
                    ": no memory at 0x80000000 for the model's weights and activations");
  target.image_base = kMainMemory;
  target.memory_end = mem->base + mem->size;
  compiler::CompileOptions copt;
  read_quantize_policy(*platform, opt.quantize_given ? opt.quantize : "", copt);
  copt.calibration = opt.calib_dir.empty() ? std::vector<ref::TensorMap>{inputs}
                                           : read_calibration_dir(original, opt.calib_dir);
  compiler::Compiled compiled = compiler::compile(original, target, copt);
  const ref::TensorMap expected = ref::run_reference(compiled.graph, inputs);
  const ref::TensorMap fp32 = ref::run_reference(original, inputs);

  Rv32Cpu& cpu = *static_cast<Rv32Cpu*>(platform->components_of_kind("rv32").at(0));
  load_elf(elf, *platform);
  cpu.set_pc(static_cast<uint32_t>(elf.entry));
  platform->write_phys(compiled.image_base, compiled.image.data(), compiled.image.size());
  for (const auto& [name, t] : inputs)
    platform->write_phys(compiled.value_addr.at(name), t.bytes().data(), t.bytes().size());
  const uint32_t image_addr = static_cast<uint32_t>(compiled.image_base);
  platform->write_phys(*elf.symbol("flecsim_loadable_addr"), &image_addr, 4);

  RunReport report(*platform, compiled, opt.model, out_dir);
  report.set_progress(!opt.quiet && !opt.json);
  std::vector<std::string> layer_names;
  for (const auto& l : compiled.program.layers) layer_names.push_back(l.name);
  LayerTracker tracker(*platform, layer_names, !opt.quiet && !opt.json);
  auto stop = platform->run(max_time_ps);
  platform->finish();
  report.set_layer_timings(tracker.layers());
  if (!stop || stop->exit_code != 0) {
    report.fail(stop ? "runtime firmware failed: " + stop->reason + " (exit code " +
                           std::to_string(stop->exit_code) + ")"
                     : "watchdog: the run did not finish within --max-time " + opt.max_time);
    return report.finish_failed(opt.json);
  }
  ref::TensorMap simulated;
  for (const auto& name : compiled.graph.outputs) {
    const graph::Tensor& want = expected.at(name);
    graph::Tensor got(want.dtype(), want.shape());
    platform->read_phys(compiled.value_addr.at(name), got.bytes().data(), got.bytes().size());
    simulated[name] = std::move(got);
  }
  const CheckResult check = check_outputs(simulated, expected, fp32);
  if (!opt.accelergy_dir.empty()) export_accelergy(*platform, opt.accelergy_dir);
  return report.finish(check, simulated, opt.json);
}

AppCommandRegistrar run_command(
    "run", "compile an ONNX model for a platform, simulate it end to end and check it",
    [](CLI::App* sub) {
      auto opt = std::make_shared<RunOptions>();
      sub->add_option("platform", opt->platform_yaml, "platform YAML")->required();
      sub->add_option("model", opt->model, "ONNX model")->required();
      sub->add_option("-o,--output", opt->output_dir,
                      "output folder (default flecsim-out/<platform>)");
      sub->add_option("--input", opt->inputs,
                      "NAME=FILE (.npy or TensorProto .pb) for a graph input");
      sub->add_option("--seed", opt->seed, "seed of the pseudo-random inputs")
          ->capture_default_str();
      sub->add_option("--quantize", opt->quantize, "auto | none | int8 | int16 | bf16")
          ->check(CLI::IsMember({"auto", "none", "int8", "int16", "bf16"}))
          ->capture_default_str();
      sub->add_option("--calib", opt->calib_dir,
                      "calibration inputs: DIR/<input>/*.npy (or DIR/*.npy for one input)");
      sub->add_option("--set", opt->overrides, "override a platform key: path.to.key=value");
      sub->add_option("--max-time", opt->max_time, "watchdog on simulated time")
          ->capture_default_str();
      sub->add_flag("--trace", opt->trace, "write trace.json (Chrome/Perfetto)");
      sub->add_option("--export-accelergy", opt->accelergy_dir,
                      "write Accelergy architecture.yaml and action_counts.yaml into DIR");
      sub->add_flag("-q,--quiet", opt->quiet, "no progress and no table");
      sub->add_flag("--json", opt->json, "print summary.json to stdout instead of the table");
      return [opt, sub] {
        opt->quantize_given = sub->count("--quantize") > 0;
        return run_model(*opt);
      };
    });

}  // namespace
}  // namespace flecsim
