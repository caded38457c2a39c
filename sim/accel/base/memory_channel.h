// The memory side of an accelerator's DMA port, as the accelerator's timing model sees it.
//
// A request is issued no earlier than `earliest_cycle`; the channel says in which cycle it was
// accepted and in which cycle its response (read data or write acknowledge) arrived. Models walk
// their requests in order and compute their pipeline from these two numbers, with no per-cycle
// process. In a platform the channel is TLM b_transport (TlmMemoryChannel: the returned delay
// gives the response cycle); in RTL regression it is the seeded timing model shared with the RTL
// (regress::TimedMemory), so both see identical memory behaviour.
#pragma once
#include <cstdint>

namespace flecsim {

struct MemResult {
  bool ok = true;               // false: address not mapped / bus error (data untouched)
  uint64_t accept_cycle = 0;    // the cycle the request handshake happened
  uint64_t response_cycle = 0;  // the cycle the response is seen by the accelerator
};

class MemoryChannel {
 public:
  virtual ~MemoryChannel() = default;
  // Reads len bytes at addr into dst / writes len bytes from src. Requests must be issued in
  // program order (earliest_cycle need not increase; the channel keeps order).
  virtual MemResult read(uint64_t earliest_cycle, uint64_t addr, uint8_t* dst, uint32_t len) = 0;
  virtual MemResult write(uint64_t earliest_cycle, uint64_t addr, const uint8_t* src,
                          uint32_t len) = 0;
};

}  // namespace flecsim
