#include "app/run_report.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "graph/npy.h"
#include "platform/outputs.h"
#include "power/estimate.h"
#include "power/report.h"

namespace flecsim {

uint64_t RunReport::total_cycles() const {
  return platform_.main_clock().cycle_at(now_ticks());
}

nlohmann::json RunReport::layers_json() const {
  nlohmann::json layers = nlohmann::json::array();
  const Clock& clk = platform_.main_clock();
  const auto& units = compiled_.program.units;
  for (size_t i = 0; i < compiled_.program.layers.size(); ++i) {
    const compiler::Layer& l = compiled_.program.layers[i];
    const uint64_t cycles = i < timings_.size() ? clk.cycles_ceil(timings_[i].ticks) : 0;
    uint64_t peak = 0;  // MACs per cycle of the layer's unit
    for (const auto& u : units)
      if (u.name == l.unit && u.record.kind == FLC_UNIT_SYSTOLIC)
        peak = uint64_t(u.record.dim) * u.record.dim;
    nlohmann::json j = {{"index", i},
                        {"name", l.name},
                        {"op", l.op_type},
                        {"unit", l.unit},
                        {"cycles", cycles},
                        {"macs", l.macs},
                        {"dram_bytes", i < timings_.size() ? timings_[i].dram_bytes : 0}};
    if (i < timings_.size()) j["counters"] = timings_[i].counters;
    j["utilization"] = peak && cycles ? double(l.macs) / double(peak * cycles) : 0.0;
    layers.push_back(std::move(j));
  }
  return layers;
}

nlohmann::json RunReport::summary(const CheckResult* check) const {
  const Clock& clk = platform_.main_clock();
  const uint64_t cycles = total_cycles();
  const double seconds = double(now_ticks()) * 1e-12;
  nlohmann::json j = {{"workload", model_},
                      {"total_cycles", cycles},
                      {"clock_hz", clk.hz},
                      {"seconds", seconds},
                      {"inferences_per_second", seconds > 0 ? 1.0 / seconds : 0.0},
                      {"fused_ops", compiled_.fused_ops},
                      {"layers", layers_json()}};
  if (!compiled_.layer_precision.empty())
    j["quantization"] = {{"quantized_ops", compiled_.quantized_ops},
                         {"layers", compiled_.layer_precision}};
  if (check) j["check"] = check->to_json();
  if (!failure_.empty()) j["check"] = {{"status", "error"}, {"error", failure_}};
  return j;
}

void RunReport::write_layers_csv() const {
  std::ofstream csv(dir_ + "/layers.csv");
  csv << "index,name,op,unit,cycles,macs,utilization,dram_bytes\n";
  for (const auto& l : layers_json())
    csv << l["index"] << ',' << l["name"].get<std::string>() << ',' << l["op"].get<std::string>()
        << ',' << l["unit"].get<std::string>() << ',' << l["cycles"] << ',' << l["macs"] << ','
        << l["utilization"] << ',' << l["dram_bytes"] << '\n';
}

void RunReport::print_table(const CheckResult& check) const {
  const Clock& clk = platform_.main_clock();
  const double seconds = double(now_ticks()) * 1e-12;
  std::printf("%-4s %-28s %-14s %-10s %12s %12s %6s %10s\n", "#", "layer", "op", "unit", "cycles",
              "MACs", "util", "DRAM B");
  for (const auto& l : layers_json())
    std::printf(
        "%-4d %-28.28s %-14.14s %-10.10s %12llu %12llu %5.1f%% %10llu\n", l["index"].get<int>(),
        l["name"].get<std::string>().c_str(), l["op"].get<std::string>().c_str(),
        l["unit"].get<std::string>().c_str(), (unsigned long long)l["cycles"].get<uint64_t>(),
        (unsigned long long)l["macs"].get<uint64_t>(), 100.0 * l["utilization"].get<double>(),
        (unsigned long long)l["dram_bytes"].get<uint64_t>());
  std::printf("total: %llu cycles at %.0f MHz = %.6f s, %.1f inferences/s\n",
              (unsigned long long)total_cycles(), clk.hz / 1e6, seconds,
              seconds > 0 ? 1.0 / seconds : 0.0);
  std::printf(
      "check: %s (max abs error %g vs reference, cosine %.6f vs fp32)%s%s\n",
      check.pass ? "pass" : "FAIL", check.max_abs_error, check.cosine_vs_fp32,
      check.first_mismatch.empty() ? "" : "; first mismatch: ", check.first_mismatch.c_str());
  std::printf("outputs in %s\n", dir_.c_str());
}

int RunReport::finish(const CheckResult& check, const ref::TensorMap& outputs, bool json) {
  nlohmann::json s = summary(&check);
  const nlohmann::json power = estimate_power(platform_, s);  // energy, power_w, area_mm2, derived
  s.update(power);
  write_run_outputs(platform_, dir_, s, false);
  write_layers_csv();
  write_html_report(dir_);
  std::filesystem::create_directories(dir_ + "/outputs");
  for (const auto& [name, t] : outputs) {
    std::string file = name;
    for (char& c : file)
      if (c == '/' || c == '\\' || c == ':') c = '_';
    graph::write_npy(dir_ + "/outputs/" + file + ".npy", t);
  }
  if (json) {
    std::ifstream in(dir_ + "/summary.json");
    std::cout << in.rdbuf();
  } else {
    print_table(check);
    std::fputs(power_breakdown_text(power).c_str(), stdout);
  }
  if (!check.pass) std::cerr << "flecsim: check failed: " << check.first_mismatch << "\n";
  return check.pass ? 0 : 1;
}

int RunReport::finish_failed(bool json) {
  // Partial statistics are still written (and marked partial), energy of what did run included.
  nlohmann::json s = summary(nullptr);
  s.update(estimate_power(platform_, s));
  write_run_outputs(platform_, dir_, s, true);
  write_layers_csv();
  if (json) std::cout << s.dump(2) << "\n";
  std::cerr << "flecsim: " << failure_ << "\n";
  return 1;
}

}  // namespace flecsim
