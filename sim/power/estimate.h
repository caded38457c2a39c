// The power estimator: energy = sum over components of (counter x energy per action) + leakage x
// simulated time; area = sum of component areas. docs/energy-model.md describes the model.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "power/models.h"
#include "power/tech.h"

namespace flecsim {

class Platform;

// Counter values as {component: {counter: value}} (StatsRegistry::delta_json's format).
nlohmann::json platform_counters(const Platform& platform);

struct ComponentEstimate {
  std::string name, kind;
  ComponentModel model;
  double dynamic_j() const;
  double area_um2() const;
  double leakage_w(const TechTable& tech) const;
};

// Every component of the platform priced with `tech` from `counters`.
std::vector<ComponentEstimate> estimate_components(const Platform& platform, const TechTable& tech,
                                                   const nlohmann::json& counters);

// What the run adds to summary.json: {tech, energy, power_w, area_mm2, derived}. `summary`
// supplies seconds (else the simulated time) and layers [{cycles, macs, unit}] for by_layer.
nlohmann::json estimate_power(const Platform& platform, const nlohmann::json& summary);
// A few terminal lines: total energy, power, area and the largest components.
std::string power_breakdown_text(const nlohmann::json& estimate);

}  // namespace flecsim
