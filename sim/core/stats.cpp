#include "core/stats.h"

#include <sstream>

#include "core/error.h"

namespace flecsim {

void Activity::add_busy(Tick start, Tick end) {
  while (start < end) {
    size_t bucket = start / window_ps_;
    while (bucket >= kMaxBuckets) {
      widen();
      bucket = start / window_ps_;
    }
    if (busy_ps_.size() <= bucket) busy_ps_.resize(bucket + 1, 0);
    Tick bucket_end = (bucket + 1) * window_ps_;
    Tick piece_end = end < bucket_end ? end : bucket_end;
    busy_ps_[bucket] += piece_end - start;
    start = piece_end;
  }
}

void Activity::widen() {
  std::vector<Tick> merged((busy_ps_.size() + 1) / 2, 0);
  for (size_t i = 0; i < busy_ps_.size(); ++i) merged[i / 2] += busy_ps_[i];
  busy_ps_.swap(merged);
  window_ps_ *= 2;
}

StatGroup::StatGroup(std::string path, std::string kind, Tick activity_window_ps,
                     TraceWriter* trace)
    : path_(std::move(path)), kind_(std::move(kind)), activity_(activity_window_ps), trace_(trace) {
  if (trace_) track_id_ = trace_->track(path_);
}

Counter& StatGroup::counter(const std::string& name, const std::string& unit,
                            const std::string& description) {
  auto it = index_.find(name);
  if (it != index_.end()) {
    Counter& c = counters_[it->second];
    if (c.unit != unit)
      throw InternalError("counter " + path_ + "." + name + " declared with units " + c.unit +
                          " and " + unit);
    return c;
  }
  index_[name] = counters_.size();
  counters_.push_back(Counter{name, unit, description, 0});
  return counters_.back();
}

const Counter* StatGroup::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &counters_[it->second];
}

void StatGroup::busy(Tick start, Tick end, const char* what) {
  if (end <= start) return;
  busy_total_ps_ += end - start;
  activity_.add_busy(start, end);
  if (trace_) trace_->slice(track_id_, what, start, end);
}

void StatGroup::instant(Tick at, const std::string& what) {
  if (trace_) trace_->instant(track_id_, what, at);
}

int TraceWriter::track(const std::string& name) {
  tracks_.push_back(name);
  return static_cast<int>(tracks_.size());
}

void TraceWriter::slice(int track, const char* name, Tick start, Tick end) {
  events_.push_back(Event{track, name, start, end, false});
}

void TraceWriter::instant(int track, const std::string& name, Tick at) {
  events_.push_back(Event{track, name, at, at, true});
}

nlohmann::json TraceWriter::to_json() const {
  nlohmann::json events = nlohmann::json::array();
  events.push_back(
      {{"ph", "M"}, {"pid", 1}, {"name", "process_name"}, {"args", {{"name", "flecsim"}}}});
  for (size_t i = 0; i < tracks_.size(); ++i) {
    events.push_back({{"ph", "M"},
                      {"pid", 1},
                      {"tid", i + 1},
                      {"name", "thread_name"},
                      {"args", {{"name", tracks_[i]}}}});
    events.push_back({{"ph", "M"},
                      {"pid", 1},
                      {"tid", i + 1},
                      {"name", "thread_sort_index"},
                      {"args", {{"sort_index", i + 1}}}});
  }
  // Trace timestamps are microseconds; keep picosecond precision as fractions.
  for (const auto& e : events_) {
    nlohmann::json j = {{"pid", 1}, {"tid", e.track}, {"name", e.name}, {"ts", e.start / 1e6}};
    if (e.instant) {
      j["ph"] = "i";
      j["s"] = "t";
    } else {
      j["ph"] = "X";
      j["dur"] = (e.end - e.start) / 1e6;
    }
    events.push_back(std::move(j));
  }
  return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ns"}};
}

StatsRegistry::StatsRegistry(bool tracing, Tick activity_window_ps)
    : activity_window_ps_(activity_window_ps),
      trace_(tracing ? std::make_unique<TraceWriter>() : nullptr) {}

StatGroup& StatsRegistry::group(const std::string& path, const std::string& kind) {
  if (StatGroup* g = find(path)) return *g;
  groups_.push_back(std::make_unique<StatGroup>(path, kind, activity_window_ps_, trace_.get()));
  return *groups_.back();
}

StatGroup* StatsRegistry::find(const std::string& path) {
  for (auto& g : groups_)
    if (g->path() == path) return g.get();
  return nullptr;
}

std::vector<uint64_t> StatsRegistry::snapshot() const {
  std::vector<uint64_t> values;
  for (const auto& g : groups_)
    for (const auto& c : g->counters()) values.push_back(c.value);
  return values;
}

nlohmann::json StatsRegistry::delta_json(const std::vector<uint64_t>& before,
                                         const std::vector<uint64_t>& after) const {
  nlohmann::json out = nlohmann::json::object();
  size_t i = 0;
  for (const auto& g : groups_) {
    nlohmann::json counters = nlohmann::json::object();
    for (const auto& c : g->counters()) {
      uint64_t b = i < before.size() ? before[i] : 0;
      uint64_t a = i < after.size() ? after[i] : c.value;
      if (a != b) counters[c.name] = a - b;
      ++i;
    }
    if (!counters.empty()) out[g->path()] = std::move(counters);
  }
  return out;
}

nlohmann::json StatsRegistry::components_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& g : groups_) {
    nlohmann::json counters = nlohmann::json::object();
    for (const auto& c : g->counters()) counters[c.name] = {{"value", c.value}, {"unit", c.unit}};
    out[g->path()] = {
        {"kind", g->kind()},
        {"counters", std::move(counters)},
        {"busy_ps", g->busy_total_ps()},
        {"activity",
         {{"window_ps", g->activity().window_ps()}, {"busy_ps", g->activity().busy_ps()}}}};
  }
  return out;
}

std::string StatsRegistry::stats_csv() const {
  std::ostringstream os;
  os << "component,kind,counter,unit,value\n";
  for (const auto& g : groups_)
    for (const auto& c : g->counters())
      os << g->path() << ',' << g->kind() << ',' << c.name << ',' << c.unit << ',' << c.value
         << '\n';
  return os.str();
}

}  // namespace flecsim
