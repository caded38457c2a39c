#include "power/estimate.h"

#include <algorithm>
#include <cstdio>

#include "accel/systolic/systolic.h"
#include "core/time.h"
#include "mem/dram.h"
#include "periph/simctrl.h"
#include "platform/platform.h"

namespace flecsim {

namespace {

const char* const kSections[] = {"cpu",  "crossbars",   "memories",
                                 "dmas", "peripherals", "accelerators"};

// The component's YAML mapping (an empty mapping when it was built some other way).
Config component_config(const Platform& platform, const std::string& name) {
  for (const char* section : kSections) {
    ConfigNodePtr s = platform.config().get(section);
    if (!s || !s->is_map()) continue;
    if (ConfigNodePtr c = s->get(name)) return Config(c, std::string(section) + "." + name);
  }
  auto empty = std::make_shared<ConfigNode>();
  empty->type = ConfigNode::Type::kMap;
  return Config(empty, name);
}

double seconds_of(const nlohmann::json& summary) {
  if (summary.contains("seconds")) return summary["seconds"].get<double>();
  return double(now_ticks()) * 1e-12;
}

}  // namespace

double ComponentEstimate::dynamic_j() const {
  double j = 0;
  for (const Action& a : model.actions) j += a.joules();
  return j;
}

double ComponentEstimate::area_um2() const {
  double um2 = 0;
  for (const AreaItem& a : model.area) um2 += a.um2;
  return um2;
}

double ComponentEstimate::leakage_w(const TechTable& tech) const {
  double mw = 0;
  for (const AreaItem& a : model.area)
    mw += a.um2 * 1e-6 * tech.at(a.sram ? "sram_leakage" : "logic_leakage");
  return mw * 1e-3;
}

nlohmann::json platform_counters(const Platform& platform) {
  nlohmann::json out = nlohmann::json::object();
  for (Component* c : platform.components()) {
    nlohmann::json& group = out[c->stats().path()];
    group = nlohmann::json::object();
    for (const Counter& counter : c->stats().counters()) group[counter.name] = counter.value;
  }
  return out;
}

std::vector<ComponentEstimate> estimate_components(const Platform& platform, const TechTable& tech,
                                                   const nlohmann::json& counters) {
  std::vector<ComponentEstimate> out;
  for (Component* c : platform.components()) {
    const std::string name = c->stats().path();
    const nlohmann::json values =
        counters.contains(name) ? counters[name] : nlohmann::json::object();
    ModelInput in{platform,
                  tech,
                  name,
                  c->component_kind(),
                  component_config(platform, name),
                  [&values](const std::string& counter) {
                    auto it = values.find(counter);
                    return it == values.end() ? 0.0 : it->get<double>();
                  },
                  {}};
    for (const Counter& counter : c->stats().counters()) in.counter_names.push_back(counter.name);
    out.push_back({name, in.kind, model_component(in)});
  }
  return out;
}

namespace {

struct Interval {
  Tick start, end;
};

// Each layer's time intervals, from the runtime's MARK writes to simctrl (a mark starts a
// layer, the next mark ends it), as the run command times layers.
std::vector<std::vector<Interval>> layer_intervals(const Platform& platform, size_t layers) {
  std::vector<std::vector<Interval>> out(layers);
  auto ctrls = platform.components_of_kind("simctrl");
  if (ctrls.empty()) return out;
  const auto& marks = static_cast<const SimCtrl*>(ctrls.front())->marks();
  for (size_t i = 0; i + 1 < marks.size(); ++i)
    if (marks[i].value < layers) out[marks[i].value].push_back({marks[i].at, marks[i + 1].at});
  return out;
}

// Busy picoseconds of an activity profile inside `intervals` (a window partly inside counts
// in proportion to its overlap).
double busy_within(const Activity& activity, const std::vector<Interval>& intervals) {
  const double window = double(activity.window_ps());
  const auto& busy = activity.busy_ps();
  double sum = 0;
  for (const Interval& iv : intervals) {
    for (size_t b = size_t(iv.start / activity.window_ps()); b < busy.size(); ++b) {
      const double lo = std::max(double(iv.start), b * window);
      const double hi = std::min(double(iv.end), (b + 1) * window);
      if (hi <= lo) break;
      sum += double(busy[b]) * (hi - lo) / window;
    }
  }
  return sum;
}

struct LayerShares {
  std::vector<double> busy;     // component busy-time share per layer
  std::vector<double> compute;  // MAC share per layer (layers on this unit)
};

LayerShares layer_shares(const Platform& platform, const std::string& component,
                         const nlohmann::json& layers,
                         const std::vector<std::vector<Interval>>& intervals) {
  LayerShares s{std::vector<double>(layers.size(), 0.0), std::vector<double>(layers.size(), 0.0)};
  const StatGroup& g = platform.component(component)->stats();
  const double total_busy = double(g.busy_total_ps());
  double macs_total = 0;
  for (const auto& l : layers)
    if (l.value("unit", "") == component) macs_total += l.value("macs", 0.0);
  for (size_t i = 0; i < layers.size(); ++i) {
    if (total_busy > 0) s.busy[i] = busy_within(g.activity(), intervals[i]) / total_busy;
    if (macs_total > 0 && layers[i].value("unit", "") == component)
      s.compute[i] = layers[i].value("macs", 0.0) / macs_total;
  }
  if (macs_total == 0) s.compute = s.busy;
  return s;
}

// Energy by layer: compute actions by the layer's MACs on the unit, other dynamic energy by
// the component's busy time inside the layer, leakage by the layer's duration.
std::vector<nlohmann::json> empty_layer_rows(const nlohmann::json& layers) {
  std::vector<nlohmann::json> rows(layers.size());
  for (size_t i = 0; i < layers.size(); ++i)
    rows[i] = {{"index", i},
               {"name", layers[i].value("name", "")},
               {"energy_j", 0.0},
               {"dram_bytes", 0.0},
               {"by_component", nlohmann::json::object()}};
  return rows;
}

void add_layer_energy(nlohmann::json& row, const std::string& component, double joules) {
  if (joules == 0) return;
  row["by_component"][component] = joules;
  row["energy_j"] = row["energy_j"].get<double>() + joules;
}

// Exact: every layer carries its counter deltas ({component: {counter: delta}}), priced with
// the same models as the whole run; leakage by the layer's duration.
void layers_from_deltas(const Platform& platform, const TechTable& tech,
                        const std::vector<ComponentEstimate>& comps, const nlohmann::json& layers,
                        std::vector<nlohmann::json>& rows) {
  const double hz = double(platform.main_clock().hz);
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto deltas = estimate_components(platform, tech, layers[i]["counters"]);
    for (size_t c = 0; c < comps.size(); ++c) {
      const double leak = comps[c].leakage_w(tech) * layers[i].value("cycles", 0.0) / hz;
      add_layer_energy(rows[i], comps[c].name, deltas[c].dynamic_j() + leak);
      if (comps[c].kind == "dram")
        for (const Action& a : deltas[c].model.actions)
          rows[i]["dram_bytes"] = rows[i]["dram_bytes"].get<double>() + a.count / 8;
    }
  }
}

// Attribution when the layers carry no counters: MAC energy by the layer's MACs on the unit,
// other dynamic energy by the component's busy time inside the layer, leakage by duration.
void layers_from_activity(const Platform& platform, const TechTable& tech,
                          const std::vector<ComponentEstimate>& comps, const nlohmann::json& layers,
                          std::vector<nlohmann::json>& rows) {
  const auto intervals = layer_intervals(platform, layers.size());
  const double hz = double(platform.main_clock().hz);
  for (const ComponentEstimate& c : comps) {
    const LayerShares s = layer_shares(platform, c.name, layers, intervals);
    const double leak = c.leakage_w(tech);
    for (size_t i = 0; i < layers.size(); ++i) {
      double j = leak * layers[i].value("cycles", 0.0) / hz;
      for (const Action& a : c.model.actions) {
        const double share = a.compute ? s.compute[i] : s.busy[i];
        j += a.joules() * share;
        if (c.kind == "dram")
          rows[i]["dram_bytes"] = rows[i]["dram_bytes"].get<double>() + a.count / 8 * share;
      }
      add_layer_energy(rows[i], c.name, j);
    }
  }
}

bool layers_have_counters(const nlohmann::json& layers) {
  for (const auto& l : layers)
    if (!l.contains("counters") || !l["counters"].is_object() || l["counters"].empty())
      return false;
  return true;
}

nlohmann::json by_layer_json(const Platform& platform, const TechTable& tech,
                             const std::vector<ComponentEstimate>& comps,
                             const nlohmann::json& layers) {
  nlohmann::json out = nlohmann::json::array();
  if (!layers.is_array() || layers.empty()) return out;
  std::vector<nlohmann::json> rows = empty_layer_rows(layers);
  if (layers_have_counters(layers))
    layers_from_deltas(platform, tech, comps, layers, rows);
  else
    layers_from_activity(platform, tech, comps, layers, rows);
  for (auto& r : rows) out.push_back(std::move(r));
  return out;
}

nlohmann::json component_json(const ComponentEstimate& c, const TechTable& tech, double seconds) {
  nlohmann::json actions = nlohmann::json::array();
  for (const Action& a : c.model.actions)
    actions.push_back({{"action", a.name},
                       {"counter", a.counter},
                       {"count", a.count},
                       {"pj_each", a.pj_each},
                       {"energy_j", a.joules()},
                       {"entry", a.entry}});
  const double leak_j = c.leakage_w(tech) * seconds;
  nlohmann::json j = {
      {"kind", c.kind},      {"modelled", c.model.modelled},      {"dynamic_j", c.dynamic_j()},
      {"leakage_j", leak_j}, {"total_j", c.dynamic_j() + leak_j}, {"actions", actions}};
  return j;
}

nlohmann::json area_json(const std::vector<ComponentEstimate>& comps) {
  nlohmann::json by = nlohmann::json::object();
  double total = 0;
  for (const ComponentEstimate& c : comps) {
    if (c.model.area.empty()) continue;
    nlohmann::json items = nlohmann::json::object();
    for (const AreaItem& a : c.model.area) items[a.name] = a.um2 * 1e-6;
    by[c.name] = {{"total", c.area_um2() * 1e-6}, {"items", items}};
    total += c.area_um2() * 1e-6;
  }
  return {{"total", total}, {"by_component", by}};
}

}  // namespace

namespace {

// Compute and bandwidth ceilings for the roofline: peak MAC rate of the arrays (2 ops per MAC)
// and the DRAM interfaces' peak transfer rate.
nlohmann::json roofline_json(const Platform& platform) {
  double ops = 0, bytes = 0;
  for (Component* c : platform.components()) {
    const Config cfg = component_config(platform, c->stats().path());
    if (c->component_kind() == "systolic") {
      const systolic::SystolicParams p = systolic::read_systolic_params(cfg);
      const std::string clock = cfg.str("clock", std::string());
      const double hz = double(clock.empty() ? platform.main_clock().hz : platform.clock(clock).hz);
      ops += 2.0 * p.dim * p.dim * hz;
    } else if (c->component_kind() == "dram") {
      const DramTiming t = dram_timing_from_config(cfg);
      bytes += double(t.data_rate_mtps) * 1e6 * t.width_bits / 8.0 * t.channels;
    }
  }
  return {{"peak_ops_per_s", ops}, {"dram_bytes_per_s", bytes}};
}

double total_macs(const std::vector<ComponentEstimate>& comps) {
  double macs = 0;
  for (const ComponentEstimate& c : comps)
    for (const Action& a : c.model.actions)
      if (a.compute && a.name.rfind("mac_", 0) == 0) macs += a.count;
  return macs;
}

}  // namespace

nlohmann::json estimate_power(const Platform& platform, const nlohmann::json& summary) {
  const TechTable tech = TechTable::for_platform(platform);
  const auto comps = estimate_components(platform, tech, platform_counters(platform));
  const double seconds = seconds_of(summary);
  nlohmann::json by_component = nlohmann::json::object();
  double dynamic = 0, leakage = 0;
  for (const ComponentEstimate& c : comps) {
    by_component[c.name] = component_json(c, tech, seconds);
    dynamic += c.dynamic_j();
    leakage += c.leakage_w(tech) * seconds;
  }
  const double total = dynamic + leakage;
  const nlohmann::json layers = summary.contains("layers") ? summary["layers"] : nlohmann::json();
  nlohmann::json out;
  out["tech"] = {{"node", tech.node()}, {"file", tech.file()}};
  out["energy"] = {
      {"total_j", total},
      {"dynamic_j", dynamic},
      {"leakage_j", leakage},
      {"by_component", by_component},
      {"by_layer", by_layer_json(platform, tech, comps, layers)},
      {"by_layer_method", layers.is_array() && !layers.empty() && layers_have_counters(layers)
                              ? "counter deltas per layer"
                              : "attributed by busy time and MACs"}};
  out["power_w"] = seconds > 0 ? total / seconds : 0.0;
  out["area_mm2"] = area_json(comps);
  const double ops = 2.0 * total_macs(comps);
  const double tops = seconds > 0 ? ops / seconds * 1e-12 : 0.0;
  const double watts = out["power_w"].get<double>(), mm2 = out["area_mm2"]["total"].get<double>();
  out["derived"] = {{"ops", ops},
                    {"tops", tops},
                    {"tops_per_w", watts > 0 ? tops / watts : 0.0},
                    {"tops_per_mm2", mm2 > 0 ? tops / mm2 : 0.0},
                    {"edp_js", total * seconds}};
  out["roofline"] = roofline_json(platform);
  return out;
}

std::string power_breakdown_text(const nlohmann::json& e) {
  char line[256];
  std::string text;
  std::snprintf(
      line, sizeof line,
      "energy: %.4g uJ (dynamic %.4g, leakage %.4g) at %s, power %.4g mW, area %.4g mm2\n",
      e["energy"]["total_j"].get<double>() * 1e6, e["energy"]["dynamic_j"].get<double>() * 1e6,
      e["energy"]["leakage_j"].get<double>() * 1e6, e["tech"]["node"].get<std::string>().c_str(),
      e["power_w"].get<double>() * 1e3, e["area_mm2"]["total"].get<double>());
  text += line;
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& [name, c] : e["energy"]["by_component"].items())
    parts.push_back({c["total_j"].get<double>(), name});
  std::sort(parts.rbegin(), parts.rend());
  const double total = e["energy"]["total_j"].get<double>();
  text += "energy by component:";
  for (size_t i = 0; i < parts.size() && i < 5 && total > 0; ++i) {
    std::snprintf(line, sizeof line, " %s %.1f%%", parts[i].second.c_str(),
                  100 * parts[i].first / total);
    text += line;
  }
  std::snprintf(line, sizeof line,
                "\nderived: %.4g TOPS, %.4g TOPS/W, %.4g TOPS/mm2, EDP %.4g J*s\n",
                e["derived"]["tops"].get<double>(), e["derived"]["tops_per_w"].get<double>(),
                e["derived"]["tops_per_mm2"].get<double>(), e["derived"]["edp_js"].get<double>());
  return text + line;
}

}  // namespace flecsim
