// The registry of built-in component kinds. Each component library contributes its kinds
// through one register_<folder>_kinds() function.
#include "platform/component.h"

namespace flecsim {
#ifdef HAVE_FLECSIM_BUS
void register_bus_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_MEM
void register_mem_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_DMA
void register_dma_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_PERIPH
void register_periph_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_TRAFFIC
void register_traffic_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_CPU
void register_cpu_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_ACCEL
void register_accel_kinds(ComponentRegistry&);
#endif
#ifdef HAVE_FLECSIM_RTLBRIDGE
void register_rtlbridge_kinds(ComponentRegistry&);
#endif

ComponentRegistry& ComponentRegistry::builtin() {
  static ComponentRegistry* registry = [] {
    auto* r = new ComponentRegistry();
#ifdef HAVE_FLECSIM_BUS
    register_bus_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_MEM
    register_mem_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_DMA
    register_dma_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_PERIPH
    register_periph_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_TRAFFIC
    register_traffic_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_CPU
    register_cpu_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_ACCEL
    register_accel_kinds(*r);
#endif
#ifdef HAVE_FLECSIM_RTLBRIDGE
    register_rtlbridge_kinds(*r);
#endif
    return r;
  }();
  return *registry;
}

}  // namespace flecsim
