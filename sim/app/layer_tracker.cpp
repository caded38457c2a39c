#include "app/layer_tracker.h"

#include <cstdio>

namespace flecsim {

LayerTracker::LayerTracker(Platform& platform, std::vector<std::string> names, bool progress)
    : platform_(platform), names_(std::move(names)), layers_(names_.size()), progress_(progress) {
  auto ctrls = platform.components_of_kind("simctrl");
  if (ctrls.empty()) return;
  static_cast<SimCtrl*>(ctrls.front())->set_mark_listener([this](const SimCtrl::Mark& m) {
    on_mark(m);
  });
}

void LayerTracker::close_current(Tick at) {
  if (current_ < 0 || static_cast<size_t>(current_) >= layers_.size()) return;
  LayerTiming& l = layers_[current_];
  l.ticks += at - started_;
  const std::vector<uint64_t> now = platform_.stats().snapshot();
  const nlohmann::json delta = platform_.stats().delta_json(snapshot_, now);
  for (const auto& [component, counters] : delta.items()) {
    for (const auto& [name, value] : counters.items()) {
      auto& slot = l.counters[component][name];
      slot = (slot.is_null() ? 0 : slot.get<uint64_t>()) + value.get<uint64_t>();
    }
    const Component* c = platform_.component(component);
    if (c && c->component_kind() == "dram") {
      for (const char* key : {"read_bytes", "write_bytes"})
        if (counters.contains(key)) l.dram_bytes += counters[key].get<uint64_t>();
      for (const char* key : {"dmi_read_bits", "dmi_write_bits"})  // CPU loads/stores
        if (counters.contains(key)) l.dram_bytes += counters[key].get<uint64_t>() / 8;
    }
  }
}

void LayerTracker::on_mark(const SimCtrl::Mark& mark) {
  close_current(mark.at);
  current_ = mark.value == 0xFFFFFFFFu ? -1 : static_cast<int64_t>(mark.value);
  started_ = mark.at;
  snapshot_ = platform_.stats().snapshot();
  // Progress: about twenty lines however long the network, on stderr.
  if (progress_ && current_ >= 0 && static_cast<size_t>(current_) >= next_report_) {
    const uint64_t cycles = platform_.main_clock().cycle_at(mark.at);
    std::fprintf(stderr, "flecsim: layer %lld of %zu (%s), %llu cycles simulated\n",
                 static_cast<long long>(current_) + 1, names_.size(), names_[current_].c_str(),
                 static_cast<unsigned long long>(cycles));
    next_report_ = current_ + 1 + names_.size() / 20;
  }
}

}  // namespace flecsim
