// Command streams of the RTL regression: what the firmware side does, cycle by cycle (register
// writes, reads, idle cycles), plus the memory image and memory timing. A stream fully fixes a
// run, so a failing one is written as a small text file and replayed with
// `flecsim rtl-regress --replay FILE`.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "accel/regress/driver.h"

namespace flecsim::regress {

struct StreamOp {
  enum Kind : uint8_t { kWrite, kRead, kIdle } kind = kIdle;
  uint32_t offset = 0;
  uint32_t value = 0;  // write: the value; idle: the number of cycles
};

struct Stream {
  std::string name;  // "random 7/123", "directed gemm" ...
  AccelGeometry geometry;
  MemTiming timing;
  uint32_t image_bytes = 65536;
  uint64_t image_seed = 0;
  std::vector<StreamOp> ops;

  std::string to_text() const;
  // Parses to_text() output; throws UserError naming file:line.
  static Stream parse(const std::string& text, const std::string& file);
};

// The initial memory image: image_bytes pseudo-random bytes from image_seed.
std::vector<uint8_t> make_image(const Stream& s);

// Stream `index` of the run with `seed`: the first few are directed corner cases, the rest random.
Stream generate_stream(const AccelGeometry& geometry, uint64_t seed, uint64_t index);
size_t directed_stream_count();

// Everything observable of one run.
struct RunResult {
  std::vector<uint32_t> reads;  // every kRead, then STATUS, ERROR, IRQ_STATUS, DONE_COUNT
  std::vector<CommandCompletion> completions;
  std::vector<uint8_t> image;
  uint64_t idle_cycle = 0;  // the cycle run_until_idle reached
  bool irq = false;
};

RunResult run_stream(AccelUnderTest& dut, const Stream& s);
// "" when equal, else a description of the first difference ("a" and "b" name the models).
std::string compare(const RunResult& a, const RunResult& b, const std::string& name_a,
                    const std::string& name_b);
// Drops commands (argument writes + CMD write), reads and idles while `fails` stays true.
Stream minimise(const Stream& s, const std::function<bool(const Stream&)>& fails);

}  // namespace flecsim::regress
