#include "power/accelergy.h"

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "platform/platform.h"
#include "power/estimate.h"

namespace flecsim {

namespace {

// Accelergy primitive classes for flecsim kinds (Accelergy's primitive component library
// names; compound classes for the rest).
std::string accelergy_class(const std::string& kind) {
  if (kind == "sram") return "SRAM";
  if (kind == "dram") return "DRAM";
  if (kind == "systolic") return "systolic_array";
  if (kind == "rv32") return "cpu_core";
  return kind;
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) throw UserError("cannot write " + path.string());
}

std::string quote(const std::string& s) {
  return "\"" + s + "\"";
}

}  // namespace

void export_accelergy(const Platform& platform, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw UserError("--export-accelergy: cannot create " + dir + ": " + ec.message());
  const TechTable tech = TechTable::for_platform(platform);
  const auto comps = estimate_components(platform, tech, platform_counters(platform));
  const std::string top = platform.name();
  std::string arch = "architecture:\n  version: 0.3\n  subtree:\n    - name: " + quote(top) +
                     "\n      attributes:\n        technology: " + quote(tech.node()) +
                     "\n      local:\n";
  std::string counts = "action_counts:\n  version: 0.3\n  local:\n";
  for (const ComponentEstimate& c : comps) {
    arch += "        - name: " + quote(c.name) + "\n          class: " + accelergy_class(c.kind) +
            "\n          attributes:\n            technology: " + quote(tech.node()) +
            "\n            area_um2: " + std::to_string(c.area_um2()) + "\n";
    if (c.model.actions.empty()) continue;
    counts += "    - name: " + quote(top + "." + c.name) + "\n      action_counts:\n";
    for (const Action& a : c.model.actions)
      counts += "        - name: " + a.name + "\n          counts: " +
                std::to_string(static_cast<unsigned long long>(a.count + 0.5)) + "\n";
  }
  write(std::filesystem::path(dir) / "architecture.yaml", arch);
  write(std::filesystem::path(dir) / "action_counts.yaml", counts);
}

}  // namespace flecsim
