// Per-layer accounting of `flecsim run`: the runtime firmware writes simctrl MARK at each layer
// start; at every mark this closes the previous layer with its time and the difference of all
// statistics counters (DRAM bytes, MACs, beats ...), and shows progress on long runs.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "periph/simctrl.h"
#include "platform/platform.h"

namespace flecsim {

struct LayerTiming {
  Tick ticks = 0;
  uint64_t dram_bytes = 0;
  nlohmann::json counters = nlohmann::json::object();  // {component: {counter: delta}}
};

class LayerTracker {
 public:
  // Listens to the platform's first simctrl device; `names` label the progress lines.
  LayerTracker(Platform& platform, std::vector<std::string> names, bool progress);
  const std::vector<LayerTiming>& layers() const { return layers_; }

 private:
  void on_mark(const SimCtrl::Mark& mark);
  void close_current(Tick at);

  Platform& platform_;
  std::vector<std::string> names_;
  std::vector<LayerTiming> layers_;
  bool progress_;
  int64_t current_ = -1;
  Tick started_ = 0;
  std::vector<uint64_t> snapshot_;
  size_t next_report_ = 0;
};

}  // namespace flecsim
