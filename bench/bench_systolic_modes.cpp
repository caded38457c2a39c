// Systolic array speed per dataflow and precision (docs/PERFORMANCE.md, "Systolic array:
// dataflows and precisions"): one compute-bound stream per mode - back-to-back COMPUTEs over
// the whole accumulator (WS/IS: M = ACC_ROWS rows, OS: K = ACC_ROWS steps per DIM x DIM tile)
// after one PRELOAD - on the C++ model and on the Verilated RTL. Prints simulated MACs and
// cycles per CPU second and checks that both models end in the same cycle with the same bytes.
//   bench_systolic_modes [DIM] [COMPUTEs per mode]
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_spec.h"
#ifdef FLECSIM_WITH_RTLBRIDGE
#include "rtlbridge/systolic_rtl_regress.h"
#endif

namespace {
using namespace flecsim;
using namespace flecsim::regress;
using namespace flecsim::systolic;

struct Mode {
  const char* name;
  uint32_t dataflow, precision;
};

double cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

void push(AccelUnderTest& d, uint32_t word, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3) {
  while ((d.read_reg(kRegStatus) >> 8 & 0xff) >= kFifoDepth) {
  }
  const uint32_t args[] = {a0, a1, a2, a3};
  for (uint32_t i = 0; i < 4; ++i) d.write_reg(kRegArg0 + 4 * i, args[i]);
  d.write_reg(kRegCmd, word);
}

struct Run {
  double seconds;
  uint64_t cycles, macs;
  std::vector<uint8_t> image;
};

// SP: random bytes from memory (bf16 data with moderate exponents); then `computes` COMPUTEs.
Run run(AccelUnderTest& d, const Mode& m, uint32_t dim, uint32_t computes) {
  const SystolicParams p = SystolicParams::for_dim(dim);
  const uint32_t e = sp_elem_bytes(m.precision), n = p.acc_rows;
  std::vector<uint8_t> image(size_t(p.sp_rows) * dim + 4096);
  for (size_t i = 0; i < image.size(); ++i)
    image[i] = uint8_t(i % 2 && e == 2 ? 0x3C + mix64(i) % 8 : mix64(i));
  d.reset(MemTiming{1, 4, 8, 0}, image);
  const double t0 = cpu_seconds();
  push(d, kOpConfig, config_word(m.dataflow, m.precision, 0, 0, 0, 0), 1, 0, 0);
  push(d, kOpMvin, 0, dim * e, 0, p.sp_rows / e | dim << 16);  // the whole SP
  push(d, kOpPreload, 0, 0, 0, 0);
  const bool os = m.dataflow == kDataflowOs;
  const uint32_t steps = os ? std::min(n, p.sp_rows / e / 2) : std::min(n, p.sp_rows / e);
  for (uint32_t i = 0; i < computes; ++i)
    push(d, kOpCompute, 0, 0, steps, (i > 0) | (os ? steps * e : 0) << 16);
  push(d, kOpMvout, uint32_t(image.size() - 4096), 4 * dim, 1u << 16,
       std::min(dim, 16u) | dim << 16);
  d.run_until_idle(~0ull);
  return Run{cpu_seconds() - t0, d.cycle(), uint64_t(computes) * steps * dim * dim, d.image()};
}
}  // namespace

int main(int argc, char** argv) {
  const uint32_t dim = argc > 1 ? uint32_t(atoi(argv[1])) : 16;
  const uint32_t computes = argc > 2 ? uint32_t(atoi(argv[2])) : 200;
  const Mode modes[] = {{"WS int8", kDataflowWs, kPrecInt8}, {"WS int16", kDataflowWs, kPrecInt16},
                        {"WS bf16", kDataflowWs, kPrecBf16}, {"OS int8", kDataflowOs, kPrecInt8},
                        {"OS bf16", kDataflowOs, kPrecBf16}, {"IS int8", kDataflowIs, kPrecInt8}};
  std::printf("| DIM | mode | sim cycles | tlm MACs/s | tlm cycles/s | rtl cycles/s | tlm/rtl |\n");
  std::printf("|-----|------|------------|------------|--------------|--------------|---------|\n");
  const AccelGeometry geo{dim, dim, 0, 0, 16};
  for (const Mode& m : modes) {
    SystolicTlmDut model(geo);
    const Run t = run(model, m, dim, computes);
    double rtl_rate = 0, ratio = 0;
#ifdef FLECSIM_WITH_RTLBRIDGE
    auto rtl = rtlbridge::make_systolic_rtl_under_test(geo);
    const Run r = run(*rtl, m, dim, computes);
    if (r.cycles != t.cycles || r.image != t.image) {
      std::printf("%s: MISMATCH between the models\n", m.name);
      return 1;
    }
    rtl_rate = r.cycles / r.seconds, ratio = r.seconds / t.seconds;
#endif
    std::printf("| %u | %s | %llu | %.3g | %.3g | %.3g | %.0fx |\n", dim, m.name,
                (unsigned long long)t.cycles, t.macs / t.seconds, t.cycles / t.seconds, rtl_rate,
                ratio);
  }
  return 0;
}
