// A shared resource (bus port, SRAM bank, DRAM data bus) as a set of busy intervals.
//
// Models never step a clock: a request asks for `duration` of exclusive use at or after
// `earliest`, and gets the first gap that fits (initiators run ahead of SystemC time inside a
// quantum, so requests do not arrive in time order; gap filling keeps the result independent of
// that as far as possible and is always deterministic). Contention and bandwidth limits thus
// cost exact time without a clock process.
#pragma once
#include <cstdint>
#include <vector>

#include "core/time.h"

namespace flecsim {

class Timeline {
 public:
  // Books [start, start + duration) with start >= earliest, the earliest such free slot.
  // Returns start. A zero duration books nothing and returns earliest.
  Tick reserve(Tick earliest, Tick duration);
  // Earliest start >= earliest at which `duration` would fit, without booking.
  Tick probe(Tick earliest, Tick duration) const;
  Tick busy_until() const { return intervals_.empty() ? 0 : intervals_.back().end; }
  Tick busy_total() const { return busy_total_; }
  uint64_t reservations() const { return reservations_; }
  // Forgets intervals ending before t; callers pass a time no request can precede.
  void retire_before(Tick t);

 private:
  struct Interval {
    Tick start, end;
  };
  static constexpr size_t kMaxIntervals = 64;
  std::vector<Interval> intervals_;  // sorted, disjoint, non-adjacent
  Tick busy_total_ = 0;
  uint64_t reservations_ = 0;
};

}  // namespace flecsim
