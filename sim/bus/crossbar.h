// The TLM-2.0 crossbar: any number of initiators and targets, address decoding, per-port width
// and latency, arbitration, all as resource timelines (docs/components/crossbar.md).
//
// Every port has a read and a write channel (AXI-like), each a Timeline. A request books `beats`
// cycles on its initiator port and on its target port at the earliest common free slot; the
// target then sees the request at that slot. Requests that reach the crossbar synchronised with
// SystemC time (zero annotated delay) in the same delta cycle are arbitrated as one batch, so the
// arbitration policy decides who goes first; requests annotated ahead of SystemC time (an
// initiator inside its quantum) are served first-come first-served.
#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include <string>
#include <vector>

#include "bus/busy_span.h"
#include "core/timeline.h"
#include "platform/component.h"

namespace flecsim {

class Crossbar : public Component, public Interconnect {
 public:
  Crossbar(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);

  void connect_initiator(const std::string& name, InitiatorSocket& socket) override;
  void map_target(const std::string& name, TargetSocket& socket, uint64_t base, uint64_t size,
                  bool dmi) override;
  // The `initiators:` list of the YAML, in priority order; the builder connects these.
  const std::vector<std::string>& initiator_names_from_config() const { return priority_order_; }

  std::string describe() const override;
  void platform_ready() override;
  void finish() override;

  unsigned width_bits() const { return width_bits_; }
  unsigned latency_cycles() const { return latency_cycles_; }

 private:
  struct Port {
    std::string name;
    unsigned width_bits = 0;
    Timeline channel[2];  // [0] read, [1] write
    Counter* beats = nullptr;
    Counter* bytes = nullptr;
    Counter* stall_cycles = nullptr;
    Counter* busy_cycles = nullptr;
  };
  struct Route {
    uint64_t base = 0, size = 0;
    unsigned target = 0;  // index of the out_ binding and of target_ports_
  };
  struct Pending {
    int initiator;
    tlm::tlm_generic_payload* trans;
    sc_core::sc_time* delay;
    bool done;
  };

  void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned transport_dbg(int id, tlm::tlm_generic_payload& trans);
  void invalidate_direct_mem_ptr(int id, sc_dt::uint64 start, sc_dt::uint64 end);

  const Route* decode(uint64_t addr, uint64_t len);
  void route(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void run_batch();
  void retire_past(Tick now);
  unsigned arbitration_key(int initiator, unsigned target) const;
  unsigned port_width(const std::string& name) const;
  Port make_port(const char* side, const std::string& name);

  tlm_utils::multi_passthrough_target_socket<Crossbar, 32> in_;
  tlm_utils::multi_passthrough_initiator_socket<Crossbar, 32> out_;

  unsigned width_bits_;
  unsigned latency_cycles_;
  bool fixed_priority_;
  std::vector<std::string> priority_order_;
  std::vector<std::pair<std::string, unsigned>> width_overrides_;
  std::vector<SourceLoc> width_override_locs_;

  std::vector<Port> initiator_ports_;   // by binding id
  std::vector<unsigned> rank_;          // priority rank by binding id
  std::vector<Port> target_ports_;      // by out_ binding index
  std::vector<unsigned> last_grant_;    // round-robin: rank of the last grant, per target
  std::vector<Route> routes_;           // sorted by base
  std::vector<Route> route_of_target_;  // by target index
  const Route* last_route_ = nullptr;

  std::vector<Pending*> pending_;
  bool batch_running_ = false;
  sc_core::sc_event batch_done_;

  Counter& transactions_;
  Counter& total_beats_;
  Counter& total_bytes_;
  Counter& decode_errors_;
  Counter& dmi_grants_;
  BusySpan busy_;
  Tick retired_at_ = 0;
};

}  // namespace flecsim
