// On-chip SRAM (kind "sram"): banked, multi-ported, fixed read/write latency, DMI.
// Timing (docs/components/sram.md): words of width_bits are interleaved over banks; a request of
// n words takes one access port for n cycles and holds every bank it touches from its first to
// its last beat there; it starts at the earliest cycle where a port and all its banks are free.
// The data of the last word is ready read_latency_cycles (write_latency_cycles) after its beat.
#pragma once
#include <tlm_utils/simple_target_socket.h>

#include <memory>
#include <vector>

#include "bus/busy_span.h"
#include "core/timeline.h"
#include "mem/storage.h"
#include "platform/component.h"
#include "platform/dmi_traffic.h"
#include "platform/platform.h"

namespace flecsim {

class Sram : public Component, public MemoryBackdoor {
 public:
  Sram(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);

  uint8_t* backdoor(uint64_t offset, uint64_t len) override { return storage_.at(offset, len); }
  std::string describe() const override;
  void finish() override { busy_.flush(); }

  tlm_utils::simple_target_socket<Sram, 32> socket;

 private:
  struct Access {
    Tick start;
    unsigned port;
    bool bank_delayed;
  };
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans) { return storage_.debug(trans); }
  Access schedule(Tick earliest, uint64_t first_word, uint64_t words) const;
  Tick fit_banks(Tick start, const Timeline& port, uint64_t first_word, uint64_t words) const;

  MemoryStorage storage_;
  unsigned width_bytes_;
  unsigned banks_;
  unsigned read_latency_, write_latency_;
  bool dmi_;
  DmiTrafficStats dmi_traffic_{stats()};  // CPU accesses made through the DMI pointer
  std::vector<Timeline> ports_;
  std::vector<Timeline> banks_tl_;
  Counter& read_bytes_;
  Counter& write_bytes_;
  Counter& read_bits_;
  Counter& write_bits_;
  Counter& reads_;
  Counter& writes_;
  Counter& bank_conflicts_;
  Counter& stall_cycles_;
  BusySpan busy_;
  Tick retired_at_ = 0;
};

}  // namespace flecsim
