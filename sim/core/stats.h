// The statistics registry: every component declares named counters with units, and reports
// busy intervals that become time-resolved activity and, with --trace, Perfetto trace events.
//
// Counters are plain integers behind stable references, so the hot path is one add.
// Per-layer figures are differences of snapshots taken at layer boundaries.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/time.h"

namespace flecsim {

struct Counter {
  std::string name;
  std::string unit;  // "bytes", "beats", "cycles", "instructions", "activations", ...
  std::string description;
  uint64_t value = 0;

  void add(uint64_t n) { value += n; }
  Counter& operator+=(uint64_t n) {
    value += n;
    return *this;
  }
  Counter& operator++() {
    ++value;
    return *this;
  }
};

class TraceWriter;

// Busy time of one component bucketed into windows; the window doubles when the run grows so
// memory stays bounded (at most kMaxBuckets buckets).
class Activity {
 public:
  static constexpr size_t kMaxBuckets = 512;
  explicit Activity(Tick window_ps) : window_ps_(window_ps) {}
  void add_busy(Tick start, Tick end);
  Tick window_ps() const { return window_ps_; }
  const std::vector<Tick>& busy_ps() const { return busy_ps_; }

 private:
  void widen();
  Tick window_ps_;
  std::vector<Tick> busy_ps_;
};

// The counters and activity of one component.
class StatGroup {
 public:
  StatGroup(std::string path, std::string kind, Tick activity_window_ps, TraceWriter* trace);
  const std::string& path() const { return path_; }
  const std::string& kind() const { return kind_; }

  // Declares (or returns the already declared) counter `name`.
  Counter& counter(const std::string& name, const std::string& unit,
                   const std::string& description = "");
  const Counter* find(const std::string& name) const;
  const std::deque<Counter>& counters() const { return counters_; }

  // The component was busy in [start, end) doing `what` (a command, a burst, a layer):
  // feeds the activity profile and, when tracing, one trace slice on this component's track.
  void busy(Tick start, Tick end, const char* what);
  void busy(Tick start, Tick end, const std::string& what) { busy(start, end, what.c_str()); }
  // A point event on this component's trace track (a phase mark); nothing when not tracing.
  void instant(Tick at, const std::string& what);
  bool tracing() const { return trace_ != nullptr; }
  const Activity& activity() const { return activity_; }
  Tick busy_total_ps() const { return busy_total_ps_; }

 private:
  std::string path_, kind_;
  std::deque<Counter> counters_;  // deque: references stay valid
  std::map<std::string, size_t> index_;
  Activity activity_;
  Tick busy_total_ps_ = 0;
  TraceWriter* trace_;
  int track_id_ = 0;
};

// Chrome/Perfetto JSON trace ("traceEvents"), one track (tid) per component.
class TraceWriter {
 public:
  int track(const std::string& name);
  void slice(int track, const char* name, Tick start, Tick end);
  void instant(int track, const std::string& name, Tick at);
  nlohmann::json to_json() const;
  size_t events() const { return events_.size(); }

 private:
  struct Event {
    int track;
    std::string name;
    Tick start, end;
    bool instant;
  };
  std::vector<std::string> tracks_;
  std::vector<Event> events_;
};

class StatsRegistry {
 public:
  explicit StatsRegistry(bool tracing = false, Tick activity_window_ps = 1000000);
  StatGroup& group(const std::string& path, const std::string& kind);
  StatGroup* find(const std::string& path);
  const std::vector<std::unique_ptr<StatGroup>>& groups() const { return groups_; }
  TraceWriter* trace() { return trace_.get(); }

  // All counter values in declaration order; subtract two for a phase (a layer).
  std::vector<uint64_t> snapshot() const;
  // Counters as {component: {counter: value}} for the difference after - before.
  nlohmann::json delta_json(const std::vector<uint64_t>& before,
                            const std::vector<uint64_t>& after) const;

  // {component: {kind, counters: {name: {value, unit}}, busy_ps, activity: {...}}}
  nlohmann::json components_json() const;
  // One row per counter: component,kind,counter,unit,value
  std::string stats_csv() const;

 private:
  Tick activity_window_ps_;
  std::unique_ptr<TraceWriter> trace_;
  std::vector<std::unique_ptr<StatGroup>> groups_;
};

}  // namespace flecsim
