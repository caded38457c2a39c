#include "core/timeline.h"

#include <algorithm>

namespace flecsim {

Tick Timeline::probe(Tick earliest, Tick duration) const {
  Tick candidate = earliest;
  // First interval that ends after the candidate start.
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), candidate,
                             [](Tick t, const Interval& iv) { return t < iv.end; });
  for (; it != intervals_.end(); ++it) {
    if (candidate + duration <= it->start) break;
    candidate = std::max(candidate, it->end);
  }
  return candidate;
}

Tick Timeline::reserve(Tick earliest, Tick duration) {
  if (duration == 0) return earliest;
  Tick start = probe(earliest, duration);
  Tick end = start + duration;
  ++reservations_;
  busy_total_ += duration;
  auto it = std::lower_bound(intervals_.begin(), intervals_.end(), start,
                             [](const Interval& iv, Tick t) { return iv.end < t; });
  // `it` is the first interval with end >= start: merge with it when adjacent.
  if (it != intervals_.end() && it->end == start) {
    it->end = end;
    auto next = it + 1;
    if (next != intervals_.end() && next->start == end) {
      it->end = next->end;
      intervals_.erase(next);
    }
  } else if (it != intervals_.end() && it->start == end) {
    it->start = start;
  } else {
    it = intervals_.insert(it, Interval{start, end});
  }
  if (intervals_.size() > kMaxIntervals) {
    // Bound the memory: fold the two oldest intervals into one (conservatively busy).
    intervals_[1].start = intervals_[0].start;
    intervals_.erase(intervals_.begin());
  }
  return start;
}

void Timeline::retire_before(Tick t) {
  auto it = std::upper_bound(intervals_.begin(), intervals_.end(), t,
                             [](Tick v, const Interval& iv) { return v < iv.end; });
  // Keep the last one so busy_until() stays meaningful.
  if (it == intervals_.end() && !intervals_.empty()) --it;
  intervals_.erase(intervals_.begin(), it);
}

}  // namespace flecsim
