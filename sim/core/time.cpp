#include "core/time.h"

namespace flecsim {

void sim_init() {
  static bool done = false;
  if (done) return;
  done = true;
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
}

void fresh_simulation() {
  // SystemC 2.3 has one global kernel context and no official reset; replacing the context is
  // the usual way for test harnesses to elaborate several independent platforms in one process.
  // The old context is leaked on purpose: modules of the old platform may still refer to it.
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
}

}  // namespace flecsim

// libsystemc references sc_main; our executables define main() and drive sc_start() themselves.
int sc_main(int, char**) {
  return 3;
}
