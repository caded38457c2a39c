// Pieces of the systolic stream generator shared by generator.cpp (single commands) and
// generator_loops.cpp (LOOP_MATMUL / LOOP_CONV): the seeded random source, the register-write
// builder and the array/memory shape.
#pragma once
#include <cstdint>
#include <initializer_list>

#include "accel/regress/stream.h"
#include "accel/systolic/systolic_loop.h"
#include "accel/systolic/systolic_spec.h"

namespace flecsim::regress::gen {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() { return mix64(state_++ * 0xd1342543de82ef95ull); }
  uint32_t below(uint32_t n) { return n ? uint32_t(next() % n) : 0; }
  uint32_t range(uint32_t lo, uint32_t hi) { return lo + below(hi - lo + 1); }  // inclusive
  bool chance(uint32_t percent) { return below(100) < percent; }

 private:
  uint64_t state_;
};

// Writes only the arguments that changed (arguments persist), then the command word.
class Builder {
 public:
  explicit Builder(Stream& s) : s_(s) {}
  void cmd(uint32_t word, std::initializer_list<uint32_t> args) {
    uint32_t i = 0;
    for (uint32_t a : args) set_arg(i++, a);
    write(systolic::kRegCmd, word);
  }
  // A LOOP command: ARG0..3, then LOOP_ARG0..13.
  void loop(uint32_t word, const uint32_t (&args)[systolic::kCommandArgCount]) {
    for (uint32_t i = 0; i < systolic::kCommandArgCount; ++i) set_arg(i, args[i]);
    write(systolic::kRegCmd, word);
  }
  void write(uint32_t off, uint32_t v) { s_.ops.push_back({StreamOp::kWrite, off, v}); }
  void read(uint32_t off) { s_.ops.push_back({StreamOp::kRead, off, 0}); }
  void idle(uint32_t n) { s_.ops.push_back({StreamOp::kIdle, 0, n}); }

 private:
  void set_arg(uint32_t i, uint32_t v) {
    if (!known_[i] || last_[i] != v)
      write(i < 4 ? systolic::kRegArg0 + 4 * i : systolic::kRegLoopArg0 + 4 * (i - 4), v);
    last_[i] = v;
    known_[i] = true;
  }
  Stream& s_;
  uint32_t last_[systolic::kCommandArgCount] = {};
  bool known_[systolic::kCommandArgCount] = {};
};

struct Shape {
  uint32_t dim, sp, acc, image;
  // The mode of the last legal CONFIG generated (sizes are drawn to fit it; a rejected CONFIG
  // may leave the unit in another mode, which only turns some commands into errors).
  uint32_t dataflow = 0, precision = 0, pool = 0;
  uint32_t elem() const { return systolic::sp_elem_bytes(precision); }
  bool loop_mode() const {
    return dataflow == systolic::kDataflowWs && precision == systolic::kPrecInt8 &&
           pool == systolic::kPoolOff;
  }
};

inline uint32_t rows_cols(uint32_t rows, uint32_t cols) {
  return rows | cols << 16;
}

// generator_loops.cpp
void random_loop(Builder& b, Rng& r, const Shape& sh, uint32_t irq);
void directed_loops(Stream& s, Builder& b, const Shape& sh, bool matmul);

}  // namespace flecsim::regress::gen
