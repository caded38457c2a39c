#include "app/run_target.h"

#include <cmath>

#include "core/error.h"

namespace flecsim {
namespace {

uint32_t base_of(const Platform& platform, const std::string& kind) {
  for (Component* c : platform.components_of_kind(kind)) {
    const AddressRange* r = platform.range_of(c->name());
    if (!r) r = platform.range_of(std::string(c->name()) + ".regs");
    if (r) return static_cast<uint32_t>(r->base);
  }
  return 0;
}

// The interrupt-controller source an accelerator's "irq" output is wired to (0: none).
uint32_t irq_source_of(const Platform& platform, const std::string& name) {
  auto list = platform.config().get("interrupts");
  if (!list || !list->is_seq()) return 0;
  for (const auto& entry : list->items) {
    auto from = entry->get("from"), to = entry->get("to");
    if (!from || !to || from->scalar != name + ".irq") continue;
    const std::string& dest = to->scalar;
    const size_t dot = dest.rfind('.');
    if (dot == std::string::npos) continue;
    try {
      return static_cast<uint32_t>(std::stoul(dest.substr(dot + 1)));
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

compiler::TargetInfo target_of(const Platform& platform) {
  compiler::TargetInfo t;
  for (Component* c : platform.components()) {
    const AcceleratorCaps* caps = c->accelerator_caps();
    if (!caps) continue;
    compiler::Unit u;
    u.name = c->name();
    if (caps->runtime_kind != "systolic") continue;  // the runtime drives only known kinds
    u.record.kind = FLC_UNIT_SYSTOLIC;
    const AddressRange* regs = platform.range_of(u.name + ".regs");
    if (!regs) regs = platform.range_of(u.name);
    if (!regs) continue;  // not mapped: firmware cannot reach it
    u.record.reg_base = static_cast<uint32_t>(regs->base);
    auto param = [&](const char* key) {
      auto it = caps->params.find(key);
      return it == caps->params.end() ? 0u : static_cast<uint32_t>(it->second);
    };
    u.record.dim = param("dim"), u.record.sp_rows = param("sp_rows");
    u.record.acc_rows = param("acc_rows");
    u.record.irq = irq_source_of(platform, u.name);
    t.accelerators.push_back(u);
    std::vector<std::string> ops;
    for (const auto& p : caps->precisions)
      if (p == "int8") ops = caps->ops;
    t.accelerator_ops.push_back(ops);
    t.accelerator_precisions.push_back(caps->precisions);
  }
  t.plic_base = base_of(platform, "plic");
  t.simctrl_base = base_of(platform, "simctrl");
  return t;
}

nlohmann::json CheckResult::to_json() const {
  nlohmann::json j = {{"status", pass ? "pass" : "fail"},
                      {"max_abs_error", max_abs_error},
                      {"cosine_similarity_fp32", cosine_vs_fp32},
                      {"max_abs_error_fp32", max_abs_error_fp32},
                      {"reference", "ref executor on the compiled graph (same quantisation)"}};
  if (!first_mismatch.empty()) j["first_mismatch"] = first_mismatch;
  return j;
}

CheckResult check_outputs(const ref::TensorMap& simulated, const ref::TensorMap& expected,
                          const ref::TensorMap& fp32) {
  CheckResult r;
  double dot = 0, na = 0, nb = 0;
  for (const auto& [name, want] : expected) {
    const graph::Tensor& got = simulated.at(name);
    const bool integer =
        want.dtype() != graph::DType::kFloat32 && want.dtype() != graph::DType::kFloat64;
    for (int64_t i = 0; i < want.numel(); ++i) {
      const double a = got.get_double(i), b = want.get_double(i);
      const double err = std::fabs(a - b);
      r.max_abs_error = std::max(r.max_abs_error, std::isnan(err) ? INFINITY : err);
      const bool ok = integer
                          ? a == b
                          : (err <= 1e-5 + 1e-3 * std::fabs(b) || (std::isnan(a) && std::isnan(b)));
      if (!ok && r.pass) {
        r.pass = false;
        r.first_mismatch = "output '" + name + "' element " + std::to_string(i) + ": simulated " +
                           std::to_string(a) + ", reference " + std::to_string(b);
      }
    }
  }
  // Cosine of the dequantised simulated outputs against the float model, where both exist.
  for (const auto& [name, ref32] : fp32) {
    auto it = simulated.find(name);
    if (it == simulated.end() || it->second.numel() != ref32.numel()) continue;
    for (int64_t i = 0; i < ref32.numel(); ++i) {
      const double a = it->second.get_double(i), b = ref32.get_double(i);
      dot += a * b, na += a * a, nb += b * b;
      r.max_abs_error_fp32 = std::max(r.max_abs_error_fp32, std::fabs(a - b));
    }
  }
  if (na > 0 && nb > 0) r.cosine_vs_fp32 = dot / std::sqrt(na * nb);
  return r;
}

}  // namespace flecsim
