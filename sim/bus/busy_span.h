// Coalesces the busy intervals a component reports into maximal runs before they reach
// StatGroup::busy(), so streaming traffic costs one activity/trace slice per run instead of one
// per transaction. Header-only; used by the fabric components (could move to core/stats.h).
#pragma once
#include <algorithm>

#include "core/stats.h"

namespace flecsim {

class BusySpan {
 public:
  BusySpan(StatGroup& group, const char* what) : group_(group), what_(what) {}
  // Adds [start, end); overlapping or touching the current run extends it.
  void add(Tick start, Tick end) {
    if (start >= start_ && start <= end_) {
      end_ = std::max(end_, end);
      return;
    }
    flush();
    start_ = start;
    end_ = end;
  }
  void flush() {
    if (end_ > start_) group_.busy(start_, end_, what_);
    start_ = end_ = 0;
  }

 private:
  StatGroup& group_;
  const char* what_;
  Tick start_ = 0, end_ = 0;
};

}  // namespace flecsim
