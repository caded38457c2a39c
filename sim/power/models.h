// The explicit map from each component kind's counters to technology-table actions, and each
// kind's area. One function per kind; docs/energy-model.md lists the same map in prose.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "platform/config.h"
#include "power/tech.h"

namespace flecsim {

class Platform;

// One counter (or a product of counters) priced by one technology entry.
struct Action {
  std::string name;      // "read", "mac_int8", "beat" ...
  std::string counter;   // the counter it comes from
  double count = 0;      // units of the action (bits, MACs, beats, instructions ...)
  double pj_each = 0;    // energy per unit, pJ
  std::string entry;     // technology entries it was computed from
  bool compute = false;  // arithmetic (distributed over layers by MACs, not cycles)
  double joules() const { return count * pj_each * 1e-12; }
};

struct AreaItem {
  std::string name;
  double um2 = 0;
  bool sram = false;  // leaks at the SRAM density instead of the logic density
  std::string entry;
};

// What one component's model needs: its YAML settings and a way to read its counters.
struct ModelInput {
  const Platform& platform;
  const TechTable& tech;
  std::string name, kind;
  Config cfg;                                         // the component's YAML mapping
  std::function<double(const std::string&)> counter;  // 0 when not declared
  std::vector<std::string> counter_names;             // counters the component declared
};

struct ComponentModel {
  std::vector<Action> actions;
  std::vector<AreaItem> area;
  std::vector<std::string> consumed;  // counters the actions use
  bool modelled = true;               // false: unknown kind (no energy, no area)
};

ComponentModel model_component(const ModelInput& in);

// SRAM energy per bit accessed and per access for a bank of `bank_bytes` and `width_bits`,
// and area of `bytes` split into `banks` (the CACTI-like fit documented in the table).
double sram_pj_per_bit(const TechTable& t, double bank_bytes);
double sram_pj_per_access(const TechTable& t, double bank_bytes, double width_bits);
double sram_area_um2(const TechTable& t, double bytes, double banks);

}  // namespace flecsim
