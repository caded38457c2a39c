// The RTL regression's view of an accelerator under test, and the memory timing both models
// share. Header-only so the RTL bridge (sim/rtlbridge) implements AccelUnderTest for the
// Verilated model without linking the C++ model.
//
// Memory timing (the same numbers for the C++ model and the RTL, see
// docs/accelerators/systolic.md "Memory port"):
//  * the DMA port issues at most one request per cycle; a request presented in cycle c is
//    accepted in the first cycle a >= c with ready(a) (back-pressure: ready low otherwise);
//  * the response (read data, or write acknowledge) of the request with index i (0, 1, 2 ...
//    counted from reset, reads and writes together) arrives in cycle
//      r_i = max(a_i + latency(i), r_{i-1} + 1)     (in order, one response per cycle);
//  * latency(i) in [min_latency, max_latency] and ready(c) come from a hash of the seed, so a
//    stream file fully fixes them.
// Cycle numbering: cycle 0 is the first cycle after reset; every write_reg / read_reg occupies
// exactly one cycle (the access happens in the current cycle, then the cycle count advances).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "accel/base/command.h"
#include "accel/base/memory_channel.h"

namespace flecsim::regress {

inline uint64_t mix64(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

struct MemTiming {
  uint64_t seed = 0;
  uint32_t min_latency = 1;
  uint32_t max_latency = 1;
  uint32_t stall_percent = 0;  // percentage of cycles with ready low (0..90)

  bool ready(uint64_t cycle) const {
    if (stall_percent == 0) return true;
    return mix64(seed ^ (cycle * 0x2545f4914f6cdd1dull)) % 100 >= stall_percent;
  }
  uint32_t span() const { return max_latency - min_latency + 1; }
  uint64_t latency_hash(uint64_t index) const {
    return mix64(~seed ^ (index * 0x9e3779b97f4a7c15ull));
  }
  uint32_t latency(uint64_t index) const {
    return min_latency + static_cast<uint32_t>(latency_hash(index) % span());
  }
};

// x % d for a fixed d != 0 without a division instruction, exact for every 64-bit x (Lemire,
// Kaser, Kurz, "Faster remainder by direct computation", 2019: M = ceil(2^128 / d)). The
// memory model takes one remainder per DMA beat; a 64-bit div was a tenth of its time.
class FixedRemainder {
 public:
  explicit FixedRemainder(uint64_t d) : d_(d), m_(d ? ~U128{0} / d + 1 : 0) {}
  uint64_t operator()(uint64_t x) const {
    const U128 low = m_ * x;  // the fraction x / d in 128-bit fixed point
    const U128 bottom = (U128(uint64_t(low)) * d_) >> 64;
    return uint64_t((bottom + (low >> 64) * d_) >> 64);
  }

 private:
  using U128 = unsigned __int128;
  uint64_t d_;
  U128 m_;
};

// The C++ side of the timing above: a flat memory image behind a MemoryChannel.
class TimedMemory : public MemoryChannel {
 public:
  TimedMemory(const MemTiming& timing, std::vector<uint8_t>* image)
      : timing_(timing), latency_span_(timing.span()), image_(image) {}
  MemResult read(uint64_t earliest, uint64_t addr, uint8_t* dst, uint32_t len) override {
    MemResult r = handshake(earliest);
    r.ok = in_range(addr, len);
    if (r.ok) std::memcpy(dst, image_->data() + addr, len);
    return r;
  }
  MemResult write(uint64_t earliest, uint64_t addr, const uint8_t* src, uint32_t len) override {
    MemResult r = handshake(earliest);
    r.ok = in_range(addr, len);
    if (r.ok) std::memcpy(image_->data() + addr, src, len);
    return r;
  }
  // The beats of a block with the handshake below, without a virtual call per beat.
  BlockResult read_block(uint64_t earliest, const MemBlock& block) override {
    return move_block(true, earliest, block);
  }
  BlockResult write_block(uint64_t earliest, const MemBlock& block) override {
    return move_block(false, earliest, block);
  }
  uint64_t requests() const { return index_; }

 private:
  BlockResult move_block(bool read, uint64_t earliest, const MemBlock& block) {
    return walk_beats(earliest, block,
                      [&](uint64_t issue, uint64_t addr, uint8_t* local, uint32_t len) {
                        MemResult h = handshake(issue);
                        h.ok = in_range(addr, len);
                        if (h.ok) {
                          uint8_t* mem = image_->data() + addr;
                          read ? copy_beat(local, mem, len) : copy_beat(mem, local, len);
                        }
                        return h;
                      });
  }
  static void copy_beat(uint8_t* dst, const uint8_t* src, uint32_t len) {
    if (len == 16)
      std::memcpy(dst, src, 16);  // the common 128-bit beat, inlined
    else
      std::memcpy(dst, src, len);
  }
  bool in_range(uint64_t addr, uint32_t len) const {
    return addr <= image_->size() && len <= image_->size() - addr;
  }
  MemResult handshake(uint64_t earliest) {
    MemResult r;
    uint64_t a = index_ == 0 ? earliest : std::max(earliest, last_accept_ + 1);
    while (!timing_.ready(a)) ++a;
    uint64_t resp = a + timing_.min_latency + latency_span_(timing_.latency_hash(index_));
    // In order: a select, not a branch (random latencies make it unpredictable).
    if (index_ > 0) resp = std::max(resp, last_response_ + 1);
    r.accept_cycle = last_accept_ = a;
    r.response_cycle = last_response_ = resp;
    ++index_;
    return r;
  }
  MemTiming timing_;
  FixedRemainder latency_span_;  // % timing_.span()
  std::vector<uint8_t>* image_;
  uint64_t index_ = 0, last_accept_ = 0, last_response_ = 0;
};

// Array geometry and memory sizes of the accelerator under test.
struct AccelGeometry {
  uint32_t rows = 4, cols = 4;  // PE mesh
  uint32_t sp_rows = 0;         // scratchpad rows (0: the spec's default for the size)
  uint32_t acc_rows = 0;        // accumulator rows (0: default)
  uint32_t bus_bytes = 16;      // DMA data bytes per beat
};

// One model (C++ or RTL) of one accelerator, driven cycle by cycle through its registers.
class AccelUnderTest {
 public:
  virtual ~AccelUnderTest() = default;
  virtual std::string model() const = 0;  // "tlm" or "rtl"
  // Back to the reset state in cycle 0, with this memory image behind the DMA port (byte
  // address 0 = image[0]; accesses outside it are bus errors) and this timing.
  virtual void reset(const MemTiming& timing, std::vector<uint8_t> image) = 0;
  virtual uint64_t cycle() const = 0;
  virtual void write_reg(uint32_t offset, uint32_t value) = 0;  // one cycle
  virtual uint32_t read_reg(uint32_t offset) = 0;               // one cycle
  virtual void idle(uint64_t cycles) = 0;                       // cycles with no access
  // Advances until no command is queued or running (or max_cycles passed since reset);
  // returns the cycle reached.
  virtual uint64_t run_until_idle(uint64_t max_cycles) = 0;
  virtual bool irq() const = 0;  // interrupt line level in the current cycle
  virtual const std::vector<uint8_t>& image() const = 0;
  // Every completed command since reset, in order (the RTL reports them through its
  // command-done debug outputs; see the spec).
  virtual std::vector<CommandCompletion> completions() const = 0;
  // Fault injection for the regression's self-test ("timing", "data"); models that do not
  // support a fault return false.
  virtual bool inject_fault(const std::string& /*fault*/) { return false; }
};

}  // namespace flecsim::regress
