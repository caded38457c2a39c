// DRAM (kind "dram"): channels of banks with open-page row buffers, a data bus per channel,
// periodic refresh, and presets for LPDDR4-3200, DDR4-2400 and HBM2
// (docs/components/dram.md gives the timing model, address mapping and preset sources).
// All timing is computed per burst in DRAM clock cycles; nothing runs per cycle.
#pragma once
#include <tlm_utils/simple_target_socket.h>

#include <string>
#include <vector>

#include "bus/busy_span.h"
#include "core/timeline.h"
#include "mem/storage.h"
#include "platform/component.h"
#include "platform/dmi_traffic.h"
#include "platform/platform.h"

namespace flecsim {

struct DramTiming {
  std::string preset;
  uint64_t data_rate_mtps = 0;  // transfers per second per pin / 1e6; clock = data rate / 2
  unsigned channels = 1, banks = 8, width_bits = 16, burst_length = 16;
  uint64_t row_bytes = 2048;
  // In DRAM clock cycles (nCK).
  uint64_t tRCD = 0, tCL = 0, tRP = 0, tRAS = 0, tRFC = 0, tREFI = 0;
  Clock clock;
  uint64_t burst_bytes() const { return uint64_t(width_bits) / 8 * burst_length; }
  uint64_t burst_cycles() const { return burst_length / 2; }  // double data rate
};

// The timing of `preset` with any key of cfg overriding it. Throws UserError.
DramTiming dram_timing_from_config(const Config& cfg);

class Dram : public Component, public MemoryBackdoor {
 public:
  Dram(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);

  uint8_t* backdoor(uint64_t offset, uint64_t len) override { return storage_.at(offset, len); }
  std::string describe() const override;
  void finish() override;
  const DramTiming& timing() const { return t_; }

  tlm_utils::simple_target_socket<Dram, 32> socket;

 private:
  enum class Field { kRow, kBank, kColumn, kChannel };
  struct Bank {
    bool open = false;
    uint64_t row = 0;
    uint64_t ready = 0;     // earliest cycle of the next column command
    uint64_t activate = 0;  // cycle of the last activate (tRAS)
    uint64_t last_use = 0;  // cycle of the last column command (refresh closes rows after it)
  };
  struct Location {
    unsigned channel, bank;
    uint64_t row;
  };

  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& trans, tlm::tlm_dmi& dmi);
  unsigned transport_dbg(tlm::tlm_generic_payload& trans) { return storage_.debug(trans); }
  Location locate(uint64_t burst_index) const;
  // Data-bus end tick of one burst whose command may issue at cycle `earliest`.
  Tick burst(uint64_t earliest, const Location& loc);
  uint64_t after_refresh(unsigned channel, uint64_t cycle);
  void parse_mapping(const Config& cfg);

  DramTiming t_;
  MemoryStorage storage_;
  bool dmi_;
  DmiTrafficStats dmi_traffic_{stats()};  // CPU accesses made through the DMI pointer
  std::vector<Field> mapping_lsb_first_;
  std::string mapping_text_;
  uint64_t rows_ = 1;        // rows per bank: size / (channels * banks * row_bytes), rounded up
  std::vector<Bank> banks_;  // channel * banks + bank
  std::vector<Timeline> data_bus_;        // per channel, in ticks
  std::vector<uint64_t> refreshes_seen_;  // per channel: refresh windows counted so far

  Counter& read_bytes_;
  Counter& write_bytes_;
  Counter& read_bits_;
  Counter& write_bits_;
  Counter& bursts_;
  Counter& activates_;
  Counter& precharges_;
  Counter& row_hits_;
  Counter& row_misses_;
  Counter& row_conflicts_;
  Counter& refreshes_;
  BusySpan busy_;
  Tick retired_at_ = 0;
};

}  // namespace flecsim
