// What `flecsim run` reports: the terminal table, summary.json, layers.csv, outputs/*.npy.
#pragma once
#include <string>
#include <vector>

#include "app/layer_tracker.h"
#include "app/run_target.h"
#include "compiler/compile.h"
#include "platform/platform.h"

namespace flecsim {

class RunReport {
 public:
  RunReport(Platform& platform, const compiler::Compiled& compiled, std::string model,
            std::string dir)
      : platform_(platform), compiled_(compiled), model_(std::move(model)), dir_(std::move(dir)) {}
  void set_progress(bool on) { progress_ = on; }
  void set_layer_timings(std::vector<LayerTiming> t) { timings_ = std::move(t); }
  void fail(const std::string& why) { failure_ = why; }
  // Writes everything; returns the exit code (0 pass, 1 failed check).
  int finish(const CheckResult& check, const ref::TensorMap& outputs, bool json);
  // After a firmware failure or watchdog: partial outputs, exit code 1.
  int finish_failed(bool json);

 private:
  nlohmann::json layers_json() const;
  nlohmann::json summary(const CheckResult* check) const;
  void write_layers_csv() const;
  void print_table(const CheckResult& check) const;
  uint64_t total_cycles() const;

  Platform& platform_;
  const compiler::Compiled& compiled_;
  std::string model_, dir_, failure_;
  std::vector<LayerTiming> timings_;
  bool progress_ = false;
};

}  // namespace flecsim
