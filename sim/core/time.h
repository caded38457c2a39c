// Simulated time as integer picoseconds, and clock domains.
// Every model computes *when* things happen in picoseconds and converts at the edges;
// SystemC time resolution is 1 ps (set in sim_init()).
#pragma once
#include <cstdint>
#include <systemc>

namespace flecsim {

using Tick = uint64_t;  // picoseconds

inline Tick to_ticks(const sc_core::sc_time& t) {
  return t.value();
}
inline sc_core::sc_time to_sc_time(Tick t) {
  return sc_core::sc_time::from_value(t);
}
inline Tick now_ticks() {
  return sc_core::sc_time_stamp().value();
}

// A clock domain. Cycle counts in a component are counted in its own clock.
struct Clock {
  uint64_t hz = 1000000000;
  Tick period_ps = 1000;

  static Clock from_hz(uint64_t hz) {
    return Clock{hz, static_cast<Tick>((1000000000000ull + hz / 2) / hz)};
  }
  Tick ticks(uint64_t cycles) const { return cycles * period_ps; }
  // Whole cycles elapsed by time t (floor) and cycles needed to cover a duration (ceil).
  uint64_t cycle_at(Tick t) const { return t / period_ps; }
  uint64_t cycles_ceil(Tick duration) const { return (duration + period_ps - 1) / period_ps; }
  // The first clock edge at or after t.
  Tick edge_at_or_after(Tick t) const { return (t + period_ps - 1) / period_ps * period_ps; }
};

// Sets 1 ps resolution; call once before any sc_time is created.
void sim_init();
// Starts a new, empty SystemC kernel context (1 ps resolution). Tests call this before building
// each platform so several simulations can run in one process; destroy the old platform's
// modules before calling it.
void fresh_simulation();

}  // namespace flecsim
