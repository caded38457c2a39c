// The speed paths of the C++ systolic model give the results of the plain ones: the SIMD
// kernels against scalar int32 arithmetic, the block DMA of TimedMemory against its beat by
// beat default, and the cached STATUS against the queue model evaluated for every cycle.
#include <gtest/gtest.h>

#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_simd.h"
#include "accel/systolic/systolic_spec.h"

using namespace flecsim;
using namespace flecsim::regress;
using namespace flecsim::systolic;

namespace {

std::vector<int8_t> random_bytes(size_t n, uint64_t seed) {
  std::vector<int8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = int8_t(mix64(seed + i));
  // The extremes, where an offset or a saturating instruction would go wrong.
  if (n > 2) v[0] = -128, v[1] = 127, v[2] = -128;
  return v;
}

// Every kernel this CPU can run (AVX2, AVX-512 VNNI) against plain int32 arithmetic.
void check_kernel(SimdIsa isa) {
  for (uint32_t dim : {1u, 3u, 4u, 5u, 8u, 12u, 16u, 17u, 20u, 32u, 33u, 64u, 100u, 128u}) {
    const uint32_t rows = 37;
    std::vector<int8_t> w = random_bytes(size_t(dim) * dim, dim);
    std::vector<int8_t> a = random_bytes(size_t(rows) * dim, 1000 + dim);
    if (dim >= 4)  // a whole row and column at the extremes: the largest sums
      for (uint32_t i = 0; i < dim; ++i) a[i] = -128, w[size_t(i) * dim] = -128;
    SimdInt8Weights kernel;
    kernel.load(w.data(), dim, isa);
    for (bool accumulate : {false, true}) {
      std::vector<int32_t> out(size_t(rows) * dim), want(out.size());
      for (size_t i = 0; i < out.size(); ++i)  // near the int32 limits: accumulation wraps
        out[i] = want[i] = int32_t(uint32_t(mix64(i + dim)) | (i % 2 ? 0x7fff0000u : 0x80000000u));
      for (uint32_t m = 0; m < rows; ++m) {
        for (uint32_t j = 0; j < dim; ++j) {
          int32_t sum = 0;
          for (uint32_t i = 0; i < dim; ++i)
            sum += int32_t(a[size_t(m) * dim + i]) * int32_t(w[size_t(i) * dim + j]);
          int32_t& o = want[size_t(m) * dim + j];
          o = accumulate ? int32_t(uint32_t(o) + uint32_t(sum)) : sum;
        }
      }
      kernel.multiply(a.data(), rows, out.data(), accumulate);
      ASSERT_EQ(out, want) << SimdInt8Weights::name(isa) << " DIM " << dim
                           << (accumulate ? " accumulate" : " overwrite");
    }
  }
}

TEST(SimdKernel, Avx2MatchesScalarInt32ForEverySizeAndWraps) {
  if (!SimdInt8Weights::cpu_has(SimdIsa::kAvx2)) GTEST_SKIP() << "no AVX2 on this CPU";
  check_kernel(SimdIsa::kAvx2);
}

TEST(SimdKernel, VnniMatchesScalarInt32ForEverySizeAndWraps) {
  if (!SimdInt8Weights::cpu_has(SimdIsa::kAvx512Vnni)) GTEST_SKIP() << "no AVX-512 VNNI here";
  check_kernel(SimdIsa::kAvx512Vnni);
}

TEST(SimdKernel, ComputeBeforeAnyPreloadUsesZeroWeights) {
  SystolicTlmDut dut(AccelGeometry{16, 16, 0, 0, 16});
  dut.reset(MemTiming{}, std::vector<uint8_t>(4096, 0x5a));
  auto cmd = [&](uint32_t word, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3) {
    const uint32_t args[4] = {a0, a1, a2, a3};
    for (uint32_t i = 0; i < 4; ++i) dut.write_reg(kRegArg0 + 4 * i, args[i]);
    dut.write_reg(kRegCmd, word);
  };
  cmd(kOpMvin, 0, 64, 1u << 16 | 3, 4 | 16u << 16);      // ACC rows 3..6 = 0x5a5a5a5a
  cmd(kOpCompute, 0, 2, 3, 0);                           // ACC rows 2..4 = SP rows 0..2 x 0
  cmd(kOpMvout, 1024, 64, 1u << 16 | 2, 5 | 16u << 16);  // raw ACC rows 2..6
  dut.run_until_idle(100000);
  const auto& img = dut.image();
  for (size_t i = 0; i < 3 * 64; ++i) ASSERT_EQ(img[1024 + i], 0) << i;
  for (size_t i = 3 * 64; i < 5 * 64; ++i) ASSERT_EQ(img[1024 + i], 0x5a) << i;
}

TEST(FixedRemainder, EqualsTheDivisionForEveryKindOfOperand) {
  std::vector<uint64_t> divisors = {
      1, 2, 3, 5, 7, 10, 13, 100, 1000003, 0xffffffffull, 0x100000001ull, ~0ull - 1, ~0ull};
  for (uint64_t d : divisors) {
    FixedRemainder rem(d);
    for (uint64_t x :
         std::vector<uint64_t>{0, 1, d - 1, d, d + 1, ~0ull, ~0ull - 1, ~0ull / 2, d * 12345})
      ASSERT_EQ(rem(x), x % d) << x << " % " << d;
    for (uint64_t i = 0; i < 20000; ++i) {
      uint64_t x = mix64(i * 31 + d);
      ASSERT_EQ(rem(x), x % d) << x << " % " << d;
      ASSERT_EQ(rem(x >> (i % 64)), (x >> (i % 64)) % d) << x << " % " << d;
    }
  }
}

// TimedMemory with only its per-beat interface: the base class's beat-by-beat block path.
class PerBeatMemory : public MemoryChannel {
 public:
  explicit PerBeatMemory(TimedMemory& m) : m_(m) {}
  MemResult read(uint64_t c, uint64_t addr, uint8_t* dst, uint32_t len) override {
    return m_.read(c, addr, dst, len);
  }
  MemResult write(uint64_t c, uint64_t addr, const uint8_t* src, uint32_t len) override {
    return m_.write(c, addr, src, len);
  }

 private:
  TimedMemory& m_;
};

TEST(BlockDma, TimedMemoryBlocksEqualBeatByBeat) {
  const MemTiming timing{11, 2, 9, 30};
  std::vector<uint8_t> image_a(3000), image_b;
  for (size_t i = 0; i < image_a.size(); ++i) image_a[i] = uint8_t(mix64(i));
  image_b = image_a;
  TimedMemory fast(timing, &image_a), slow_mem(timing, &image_b);
  PerBeatMemory slow(slow_mem);
  uint64_t issue = 3;
  // Rows of 1..3 beats (the last one partial), strides that wrap the 32-bit address space and
  // rows that leave the image (bus errors: their bytes stay untouched).
  const MemBlock shapes[] = {{100, 40, 7, 40, 16},
                             {2900, 50, 5, 20, 16},
                             {0xfffffff0u, 24, 3, 16, 16},
                             {64, 0xffffffe0u, 2, 32, 16}};
  for (const MemBlock& shape : shapes) {
    for (bool read : {true, false}) {
      std::vector<uint8_t> local_a(size_t(shape.rows) * 48, 0xaa), local_b;
      for (size_t i = 0; i < local_a.size(); ++i) local_a[i] ^= uint8_t(i);
      local_b = local_a;
      MemBlock ba = shape, bb = shape;
      ba.local = local_a.data(), bb.local = local_b.data();
      ba.local_stride = bb.local_stride = 48;
      BlockResult ra = read ? fast.read_block(issue, ba) : fast.write_block(issue, ba);
      BlockResult rb = read ? slow.read_block(issue, bb) : slow.write_block(issue, bb);
      EXPECT_EQ(ra.ok, rb.ok);
      EXPECT_EQ(ra.next_issue, rb.next_issue);
      EXPECT_EQ(ra.last_response, rb.last_response);
      EXPECT_EQ(ra.wait_cycles, rb.wait_cycles);
      EXPECT_EQ(ra.beats, rb.beats);
      EXPECT_EQ(ra.bytes, rb.bytes);
      EXPECT_EQ(local_a, local_b);
      EXPECT_EQ(image_a, image_b);
      issue = ra.next_issue + 2;
    }
  }
  EXPECT_EQ(fast.requests(), slow_mem.requests());
  EXPECT_GT(fast.requests(), 40u);
}

TEST(StatusCache, EveryCycleMatchesTheQueueModel) {
  SystolicTlmDut dut(AccelGeometry{8, 8, 0, 0, 16});
  std::vector<uint8_t> image(8192, 3);
  dut.reset(MemTiming{5, 1, 6, 20}, image);
  // Bursts of commands that overfill the FIFO (dropped commands, ERROR), polled every cycle.
  std::vector<std::pair<uint64_t, uint32_t>> reads;
  auto poll = [&] {
    uint64_t c = dut.cycle();
    reads.emplace_back(c, dut.read_reg(kRegStatus));
  };
  for (uint32_t burst = 0; burst < 4; ++burst) {
    for (uint32_t i = 0; i < 11; ++i) {
      dut.write_reg(kRegArg0, 64 * i);
      dut.write_reg(kRegArg1, 8);
      dut.write_reg(kRegArg2, i);
      dut.write_reg(kRegArg3, (2 + i % 5) | 8u << 16);
      dut.write_reg(kRegCmd, i % 3 ? kOpMvin : kOpCompute);
      poll();
    }
    for (int i = 0; i < 150; ++i) poll();
    if (burst == 1) dut.write_reg(kRegError, 0);
  }
  const auto done = dut.completions();
  ASSERT_GT(done.size(), 20u);
  for (auto [c, status] : reads) {
    uint32_t occupancy = 0;
    bool busy = false;
    for (const CommandCompletion& d : done) {
      occupancy += d.enqueue_cycle < c && c <= d.start_cycle;
      busy = busy || (d.enqueue_cycle < c && c <= d.end_cycle);
    }
    ASSERT_EQ(status >> 8 & 0xff, occupancy) << "cycle " << c;
    ASSERT_EQ((status & kStatusBusy) != 0, busy) << "cycle " << c;
  }
}

}  // namespace
