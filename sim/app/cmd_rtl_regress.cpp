// flecsim rtl-regress PLATFORM.yaml --accel NAME --count N --seed S
// Runs generated command streams through the C++ model and the Verilated RTL of an accelerator
// and compares every completion cycle, register read and output byte (sim/accel/regress).
#include <fstream>
#include <iostream>
#include <sstream>

#include "accel/regress/regression.h"
#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic.h"
#include "app/command.h"
#include "core/error.h"
#include "platform/config.h"
#include "platform/loader.h"

#ifdef FLECSIM_WITH_RTLBRIDGE
#include "rtlbridge/systolic_rtl_regress.h"
#endif

namespace flecsim {
namespace {

struct RtlRegressArgs {
  std::string platform, accel = "systolic0", replay, fault, out_dir = ".", vcd;
  uint64_t count = 100, seed = 1;
  uint32_t rows = 0;
};

// The array geometry of accelerator `name` in the platform YAML (kind must be systolic).
regress::AccelGeometry geometry_from_platform(const std::string& path, const std::string& name) {
  // The merged tree, so a platform that includes another (cloud-npu) finds its keys there.
  ConfigNodePtr root = load_config_file(path);
  ConfigNodePtr accels = root->get("accelerators");
  ConfigNodePtr node = accels ? accels->get(name) : nullptr;
  if (!node || !node->is_map())
    throw UserError(SourceLoc{path, 0, 0}, "no accelerator '" + name + "' in section accelerators");
  Config cfg(node, "accelerators." + name);
  if (cfg.str("kind") != "systolic")
    cfg.fail("kind", "rtl-regress supports kind: systolic, not '" + cfg.str("kind") + "'");
  systolic::SystolicParams p = systolic::read_systolic_params(cfg);
  return regress::AccelGeometry{p.dim, p.dim, p.sp_rows, p.acc_rows, p.bus_bytes};
}

int run(const RtlRegressArgs& a) {
  regress::RegressOptions o;
  if (a.replay.empty()) {
    if (a.platform.empty()) throw UserError("rtl-regress: give a PLATFORM.yaml or --replay FILE");
    o.geometry = geometry_from_platform(a.platform, a.accel);
  }
  if (a.rows) {
    systolic::SystolicParams p = systolic::SystolicParams::for_dim(a.rows);
    o.geometry = regress::AccelGeometry{a.rows, a.rows, p.sp_rows, p.acc_rows, 16};
  }
  o.count = a.count;
  o.seed = a.seed;
  o.replay_file = a.replay;
  o.fault = a.fault;
  o.out_dir = a.out_dir;
  regress::DutFactory model = [](const regress::AccelGeometry& g) {
    return std::make_unique<regress::SystolicTlmDut>(g);
  };
#ifdef FLECSIM_WITH_RTLBRIDGE
  std::string vcd = a.vcd;
  regress::DutFactory rtl = [vcd](const regress::AccelGeometry& g) {
    return rtlbridge::make_systolic_rtl_under_test(g, vcd);
  };
#else
  regress::DutFactory rtl =
      [](const regress::AccelGeometry&) -> std::unique_ptr<regress::AccelUnderTest> {
    throw UserError("rtl-regress: this flecsim was built without Verilator (no RTL models)");
  };
#endif
  regress::RegressSummary s = regress::run_regression(o, model, rtl, std::cout);
  return s.mismatches == 0 ? kExitOk : kExitCheckFailed;
}

AppCommandRegistrar rtl_regress_command(
    "rtl-regress", "compare an accelerator's C++ model with its Verilated RTL on random streams",
    [](CLI::App* sub) {
      auto args = std::make_shared<RtlRegressArgs>();
      sub->add_option("platform", args->platform, "platform YAML naming the accelerator");
      sub->add_option("--accel", args->accel, "accelerator slot (default systolic0)");
      sub->add_option("--count", args->count, "number of streams (default 100)");
      sub->add_option("--seed", args->seed, "seed of the generated streams (default 1)");
      sub->add_option("--rows", args->rows, "override the array size (DIM x DIM)");
      sub->add_option("--replay", args->replay, "run one stream file written by a mismatch");
      sub->add_option("--inject-fault", args->fault,
                      "test only: break the C++ model ('timing') to prove the check fails");
      sub->add_option("--out", args->out_dir, "directory for mismatch stream files");
      sub->add_option("--vcd", args->vcd, "dump the RTL waveform of the last stream run");
      return [args] { return run(*args); };
    });

}  // namespace
}  // namespace flecsim
