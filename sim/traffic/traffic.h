// Scriptable traffic generator (kind "traffic"): plays a list of reads and writes from YAML
// through its initiator port "mem", one request in flight, and records when each completed.
// It exists to exercise and test the fabric before a CPU runs firmware.
//
//   script:
//     - {op: read, addr: 0x10000000, bytes: 64, count: 4, stride: 64, at: 100ns}
//     - {op: write, addr: 0x80000000, bytes: 16, gap_cycles: 2}
//
// A request issues at the completion of the previous one plus gap_cycles, or at `at` (absolute
// simulated time) for the first request of an entry when that is later. Write data is `value`
// (little-endian, repeated every 8 bytes) when given, else the low byte of each byte's address;
// `value` makes register writes (starting a DMA) possible from YAML.
#pragma once
#include <tlm_utils/simple_initiator_socket.h>

#include <vector>

#include "platform/component.h"

namespace flecsim {

class TrafficGenerator : public Component {
 public:
  struct Record {
    bool write;
    uint64_t addr;
    unsigned bytes;
    Tick issued, completed;
    tlm::tlm_response_status status;
  };
  TrafficGenerator(const sc_core::sc_module_name& name, const Config& cfg, BuildContext& ctx);
  std::string describe() const override;

  const std::vector<Record>& records() const { return records_; }
  bool finished() const { return finished_; }

  tlm_utils::simple_initiator_socket<TrafficGenerator, 32> mem;

 private:
  struct Step {
    bool write;
    uint64_t addr;
    unsigned bytes;
    uint64_t count;
    int64_t stride;
    bool has_at;
    Tick at;
    uint64_t gap_cycles;
    bool has_value;
    uint64_t value;
  };
  void run();

  std::vector<Step> script_;
  std::vector<Record> records_;
  std::vector<uint8_t> buffer_;
  bool finished_ = false;
  Counter& requests_;
  Counter& read_bytes_;
  Counter& write_bytes_;
  Counter& errors_;
  Counter& latency_cycles_;
};

}  // namespace flecsim
