// The memory side of an accelerator's DMA port, as the accelerator's timing model sees it.
//
// A request is issued no earlier than `earliest_cycle`; the channel says in which cycle it was
// accepted and in which cycle its response (read data or write acknowledge) arrived. Models walk
// their requests in order and compute their pipeline from these two numbers, with no per-cycle
// process. In a platform the channel is TLM b_transport (TlmMemoryChannel: the returned delay
// gives the response cycle); in RTL regression it is the seeded timing model shared with the RTL
// (regress::TimedMemory), so both see identical memory behaviour.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace flecsim {

struct MemResult {
  bool ok = true;               // false: address not mapped / bus error (data untouched)
  uint64_t accept_cycle = 0;    // the cycle the request handshake happened
  uint64_t response_cycle = 0;  // the cycle the response is seen by the accelerator
};

// The rows of a strided DMA command: row r has `row_bytes` bytes at memory address
// uint32(addr + r * stride) and at local + r * local_stride; it moves as beats of at most
// beat_bytes (beat k of a row at address uint32(row address + k * beat_bytes)).
struct MemBlock {
  uint32_t addr = 0, stride = 0;
  uint32_t rows = 0, row_bytes = 0, beat_bytes = 0;
  uint8_t* local = nullptr;  // read: destination; write: source (not modified)
  size_t local_stride = 0;
  uint8_t* beat_ok = nullptr;  // optional: per beat in order, 1 if it succeeded, else 0
};

// What the beats of a block did. Beat 0 is issued in `earliest_cycle`, every later beat in the
// cycle after its predecessor was accepted.
struct BlockResult {
  bool ok = true;              // false: some beat failed (its local / memory bytes untouched)
  uint64_t next_issue = 0;     // the cycle after the last beat was accepted
  uint64_t last_response = 0;  // the response cycle of the last beat (earliest_cycle - 1: none)
  uint64_t wait_cycles = 0;    // sum over beats of accept cycle - issue cycle (back-pressure)
  uint64_t beats = 0, bytes = 0;
};

// Walks the beats of `block` in order with the issue rule above. beat(issue_cycle, addr,
// local, len) performs one beat (local: its bytes in block.local) and returns its MemResult.
template <class Beat>
BlockResult walk_beats(uint64_t earliest_cycle, const MemBlock& block, Beat&& beat) {
  BlockResult res;
  res.next_issue = earliest_cycle;
  res.last_response = earliest_cycle - 1;
  for (uint32_t r = 0; r < block.rows; ++r) {
    const uint32_t row_addr = block.addr + r * block.stride;
    uint8_t* local = block.local + r * block.local_stride;
    for (uint32_t off = 0; off < block.row_bytes; off += block.beat_bytes) {
      const uint32_t len = std::min(block.beat_bytes, block.row_bytes - off);
      MemResult m = beat(res.next_issue, uint64_t(uint32_t(row_addr + off)), local + off, len);
      res.ok = res.ok && m.ok;
      if (block.beat_ok) block.beat_ok[res.beats] = m.ok;
      res.wait_cycles += m.accept_cycle - res.next_issue;
      res.next_issue = m.accept_cycle + 1;
      res.last_response = m.response_cycle;
      ++res.beats;
      res.bytes += len;
    }
  }
  return res;
}

class MemoryChannel {
 public:
  virtual ~MemoryChannel() = default;
  // Reads len bytes at addr into dst / writes len bytes from src. Requests must be issued in
  // program order (earliest_cycle need not increase; the channel keeps order).
  virtual MemResult read(uint64_t earliest_cycle, uint64_t addr, uint8_t* dst, uint32_t len) = 0;
  virtual MemResult write(uint64_t earliest_cycle, uint64_t addr, const uint8_t* src,
                          uint32_t len) = 0;
  // A whole block as the beats above, each one read() / write() unless a channel that can
  // compute the beats' timing in one go overrides these (the results must be identical).
  virtual BlockResult read_block(uint64_t earliest_cycle, const MemBlock& block);
  virtual BlockResult write_block(uint64_t earliest_cycle, const MemBlock& block);
};

}  // namespace flecsim
