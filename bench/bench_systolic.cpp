// Systolic array speed: the C++ model's simulated MACs per wall-clock second on large int8
// GEMMs and the Verilated RTL's cycles per second, on the same command streams (the tiled GEMM
// of the firmware HAL, workloads/firmware/hal/systolic.c, including its FIFO polling), and the
// ratio. Results go to docs/PERFORMANCE.md, section "Systolic array".
//   bench_systolic [M K N for the model] [M K N for the RTL] [runs, default 5]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_simd.h"
#include "accel/systolic/systolic_spec.h"
#ifdef FLECSIM_WITH_RTLBRIDGE
#include "rtlbridge/systolic_rtl_regress.h"
#endif

using namespace flecsim;
using namespace flecsim::regress;
using namespace flecsim::systolic;

namespace {

struct Gemm {
  uint32_t m, k, n;
  uint64_t macs() const { return uint64_t(m) * k * n; }
};

// Firmware-style push: poll STATUS until the FIFO has room, write ARG0..3 and CMD.
void push(AccelUnderTest& d, uint32_t word, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3) {
  while ((d.read_reg(kRegStatus) >> 8 & 0xff) >= kFifoDepth) {
  }
  d.write_reg(kRegArg0, a0);
  d.write_reg(kRegArg1, a1);
  d.write_reg(kRegArg2, a2);
  d.write_reg(kRegArg3, a3);
  d.write_reg(kRegCmd, word);
}

// The HAL's systolic_gemm_i8 (int8 output, requantised) as register accesses.
void run_gemm(AccelUnderTest& d, const Gemm& g, uint32_t dim, uint32_t sp_rows, uint32_t acc_rows) {
  const uint32_t a = 0, b = g.m * g.k, out = b + g.k * g.n;
  const uint32_t mt = std::min(acc_rows, sp_rows - dim);
  push(d, kOpConfig, config_word(0, 0, kActRelu, 8, 0, 0), 1, 0, 0);
  for (uint32_t n0 = 0; n0 < g.n; n0 += dim) {
    uint32_t nn = std::min(dim, g.n - n0);
    for (uint32_t m0 = 0; m0 < g.m; m0 += mt) {
      uint32_t mm = std::min(mt, g.m - m0);
      for (uint32_t k0 = 0; k0 < g.k; k0 += dim) {
        uint32_t kk = std::min(dim, g.k - k0);
        push(d, kOpMvin, b + k0 * g.n + n0, g.n, 0, kk | nn << 16);
        push(d, kOpPreload, 0, 0, 0, 0);
        push(d, kOpMvin, a + m0 * g.k + k0, g.k, dim, mm | kk << 16);
        push(d, kOpCompute, dim, 0, mm, k0 != 0);
      }
      push(d, kOpMvout, out + m0 * g.n + n0, g.n, 0, mm | nn << 16);
    }
  }
  d.run_until_idle(~0ull);
}

// CPU time of this thread: the build machine is shared, wall time would measure the load.
double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

struct Result {
  double seconds = 0;
  uint64_t cycles = 0;
  std::vector<uint8_t> image;
};

// The median CPU time of `runs` identical runs (the machine is shared: one run of a few
// milliseconds is at the mercy of the scheduler); every run must end identically.
Result measure(AccelUnderTest& d, const Gemm& g, uint32_t dim, int runs) {
  SystolicParams p = SystolicParams::for_dim(dim);
  std::vector<uint8_t> image(size_t(g.m) * g.k + size_t(g.k) * g.n + size_t(g.m) * g.n);
  for (size_t i = 0; i < image.size(); ++i) image[i] = uint8_t(mix64(i) % 256);
  std::vector<double> seconds;
  Result r;
  for (int run = 0; run < runs; ++run) {
    d.reset(MemTiming{1, 4, 8, 0}, image);
    double t0 = cpu_seconds();
    run_gemm(d, g, dim, p.sp_rows, p.acc_rows);
    seconds.push_back(cpu_seconds() - t0);
    if (run > 0 && (d.cycle() != r.cycles || d.image() != r.image)) {
      std::fprintf(stderr, "%s model: run %d differs from run 0\n", d.model().c_str(), run);
      std::exit(1);
    }
    r.cycles = d.cycle();
    r.image = d.image();
  }
  std::sort(seconds.begin(), seconds.end());
  r.seconds = seconds[seconds.size() / 2];
  return r;
}

Gemm parse(char** argv, int at, int argc, Gemm def) {
  if (argc < at + 3) return def;
  return Gemm{uint32_t(atoi(argv[at])), uint32_t(atoi(argv[at + 1])), uint32_t(atoi(argv[at + 2]))};
}

}  // namespace

int main(int argc, char** argv) {
  Gemm big = parse(argv, 1, argc, Gemm{1024, 1024, 1024});
  Gemm small = parse(argv, 4, argc, Gemm{256, 256, 256});
  const int runs = argc > 7 ? std::max(1, atoi(argv[7])) : 5;
  std::printf("C++ model kernel: %s; CPU time: median of %d runs\n\n",
              SimdInt8Weights::usable(16) ? SimdInt8Weights::name(SimdInt8Weights::best())
                                          : "portable (fp32)",
              runs);
  std::printf("| DIM | model | GEMM MxKxN | sim cycles | CPU s | sim MACs/s | sim cycles/s |\n");
  std::printf("|-----|-------|------------|-----------|--------|-----------|-------------|\n");
  for (uint32_t dim : {16u, 32u}) {
    AccelGeometry geo{dim, dim, 0, 0, 16};
    SystolicTlmDut model(geo);
    Result cpp = measure(model, big, dim, runs);
    std::printf("| %u | tlm | %ux%ux%u | %llu | %.3f | %.3g | %.3g |\n", dim, big.m, big.k, big.n,
                (unsigned long long)cpp.cycles, cpp.seconds, big.macs() / cpp.seconds,
                cpp.cycles / cpp.seconds);
#ifdef FLECSIM_WITH_RTLBRIDGE
    Result cpp_small = measure(model, small, dim, runs);
    auto rtl = rtlbridge::make_systolic_rtl_under_test(geo);
    Result r = measure(*rtl, small, dim, runs);
    std::printf("| %u | rtl | %ux%ux%u | %llu | %.3f | %.3g | %.3g |\n", dim, small.m, small.k,
                small.n, (unsigned long long)r.cycles, r.seconds, small.macs() / r.seconds,
                r.cycles / r.seconds);
    bool same = r.cycles == cpp_small.cycles && r.image == cpp_small.image;
    std::printf("| %u | tlm | %ux%ux%u | %llu | %.4f | %.3g | %.3g |  ratio tlm/rtl %.0fx, %s\n",
                dim, small.m, small.k, small.n, (unsigned long long)cpp_small.cycles,
                cpp_small.seconds, small.macs() / cpp_small.seconds,
                cpp_small.cycles / cpp_small.seconds, r.seconds / cpp_small.seconds,
                same ? "identical cycles and bytes" : "MISMATCH");
    if (!same) return 1;
#endif
  }
  return 0;
}
