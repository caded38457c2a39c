// The regression harness: stream files, determinism, the minimiser, the injected fault, and
// (when the Verilated RTL is built) >= 1000 streams per array size against the RTL.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "accel/regress/regression.h"
#include "accel/regress/systolic_tlm_dut.h"
#include "accel/systolic/systolic_spec.h"
#include "core/error.h"
#ifdef FLECSIM_WITH_RTLBRIDGE
#include "rtlbridge/systolic_rtl_regress.h"
#endif

using namespace flecsim;
using namespace flecsim::regress;

namespace {

AccelGeometry geometry(uint32_t dim) {
  return AccelGeometry{dim, dim, 0, 0, 16};
}

DutFactory tlm_factory() {
  return [](const AccelGeometry& g) { return std::make_unique<SystolicTlmDut>(g); };
}

TEST(StreamFile, RoundTripsThroughText) {
  Stream s = generate_stream(geometry(8), 7, 11);
  Stream back = Stream::parse(s.to_text(), "mem");
  EXPECT_EQ(back.to_text(), s.to_text());
  EXPECT_GT(s.ops.size(), 3u);
  EXPECT_EQ(back.timing.stall_percent, s.timing.stall_percent);
}

TEST(StreamFile, BadLinesNameFileAndLine) {
  try {
    Stream::parse("flecsim-rtl-stream 2\ngeometry 4 4 0 0 16\nw 0x20\n", "bad.stream");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), "bad.stream:3:1: cannot read 'w 0x20'");
  }
}

TEST(Regression, GeneratedStreamsAreDeterministic) {
  SystolicTlmDut a(geometry(4)), b(geometry(4));
  for (uint64_t i = 0; i < 50; ++i) {
    Stream s = generate_stream(geometry(4), 3, i);
    EXPECT_EQ(compare(run_stream(a, s), run_stream(b, s), "a", "b"), "") << s.name;
  }
}

TEST(Regression, StreamsExerciseEveryCommandAndError) {
  SystolicTlmDut dut(geometry(4));
  std::map<uint32_t, int> errors, opcodes, clean_loops;
  for (uint64_t i = 0; i < 200; ++i) {
    for (const auto& c : run_stream(dut, generate_stream(geometry(4), 1, i)).completions) {
      ++errors[c.error];
      ++opcodes[c.opcode];
      if (c.error == 0) ++clean_loops[c.opcode];
    }
  }
  // LOOPs that ran to the end, long ones among them (section 10).
  EXPECT_GT(clean_loops[systolic::kOpLoopMatmul], 10);
  EXPECT_GT(clean_loops[systolic::kOpLoopConv], 10);
  for (uint32_t e = 0; e <= 6; ++e) {
    if (e == 5) continue;  // FIFO_OVERFLOW never completes (the command is dropped)
    EXPECT_GT(errors[e], 0) << "error " << e;
  }
  for (uint32_t op = 1; op <= 8; ++op) EXPECT_GT(opcodes[op], 0) << "opcode " << op;
}

TEST(Regression, DirectedLoopStreamsRunToTheEnd) {
  for (uint32_t dim : {4u, 16u}) {
    SystolicTlmDut dut(geometry(dim));
    // Stream 4: CONFIG, four convolutions, then PERCH with RAW (BAD_ARG); 5: CONFIG, 2 matmuls,
    // then three times a CONFIG (int16; OS; max-pool) and a valid LOOP_MATMUL (BAD_ARG).
    std::vector<uint32_t> conv_errors, matmul_errors;
    for (const auto& c : run_stream(dut, generate_stream(geometry(dim), 1, 4)).completions)
      conv_errors.push_back(c.error);
    for (const auto& c : run_stream(dut, generate_stream(geometry(dim), 1, 5)).completions)
      matmul_errors.push_back(c.error);
    const uint32_t bad = systolic::kErrBadArg;
    EXPECT_EQ(conv_errors, (std::vector<uint32_t>{0, 0, 0, 0, 0, bad}));
    EXPECT_EQ(matmul_errors, (std::vector<uint32_t>{0, 0, 0, 0, bad, 0, bad, 0, bad}));
  }
}

// Successful COMPUTEs under every dataflow x precision, and MVOUTs under every pool window:
// the random mix must reach every mode of the spec, not only reject it.
TEST(Regression, RandomStreamsRunEveryModeAndPoolWindow) {
  using namespace systolic;
  SystolicTlmDut dut(geometry(4));
  std::map<uint32_t, int> computes, mvouts;  // by dataflow*4+precision, by pool
  for (uint64_t i = directed_stream_count(); i < 300; ++i) {
    Stream s = generate_stream(geometry(4), 5, i);
    std::vector<std::array<uint32_t, 5>> cmds;  // word, ARG0..3 of each CMD write (by seq)
    std::array<uint32_t, 4> args{};
    for (const StreamOp& op : s.ops) {
      if (op.kind != StreamOp::kWrite) continue;
      if (op.offset >= kRegArg0 && op.offset <= kRegArg3)
        args[(op.offset - kRegArg0) / 4] = op.value;
      if (op.offset == kRegCmd) cmds.push_back({op.value, args[0], args[1], args[2], args[3]});
    }
    uint32_t mode = 0;  // CONFIG in force
    for (const auto& c : run_stream(dut, s).completions) {
      if (c.error) continue;
      const auto& cmd = cmds.at(c.seq);
      if (c.opcode == kOpConfig) mode = cmd[1];
      if (c.opcode == kOpCompute) ++computes[(mode & 3) * 4 + (mode >> 2 & 3)];
      if (c.opcode == kOpMvout) ++mvouts[mode >> 24 & 3];
    }
  }
  for (uint32_t df : {kDataflowWs, kDataflowOs, kDataflowIs})
    for (uint32_t prec : {kPrecInt8, kPrecInt16, kPrecBf16})
      EXPECT_GT(computes[df * 4 + prec], 5) << "dataflow " << df << " precision " << prec;
  for (uint32_t pool = 0; pool < 4; ++pool) EXPECT_GT(mvouts[pool], 5) << "pool " << pool;
}

TEST(Regression, InjectedTimingFaultIsCaughtMinimisedAndReplayable) {
  RegressOptions o;
  o.geometry = geometry(4);
  o.count = 20;
  o.seed = 7;
  o.fault = "timing";
  o.out_dir = FLECSIM_BINARY_DIR;
  o.max_reports = 1;
  std::ostringstream log;
  RegressSummary s = run_regression(o, tlm_factory(), tlm_factory(), log);
  EXPECT_EQ(s.streams, 20u);
  EXPECT_GT(s.mismatches, 0u);
  ASSERT_EQ(s.stream_files.size(), 1u);
  EXPECT_NE(log.str().find("20 streams, " + std::to_string(s.mismatches) + " mismatches"),
            std::string::npos);
  // The minimised stream still fails with the fault and passes without it.
  o.replay_file = s.stream_files[0];
  EXPECT_EQ(run_regression(o, tlm_factory(), tlm_factory(), log).mismatches, 1u);
  o.fault = "";
  EXPECT_EQ(run_regression(o, tlm_factory(), tlm_factory(), log).mismatches, 0u);
  std::ifstream in(s.stream_files[0]);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Minimal: one COMPUTE with M > 1 is enough to show the fault.
  EXPECT_LE(std::count(text.begin(), text.end(), '\n'), 12);
}

#ifdef FLECSIM_WITH_RTLBRIDGE
DutFactory rtl_factory() {
  return [](const AccelGeometry& g) { return rtlbridge::make_systolic_rtl_under_test(g); };
}

class AgainstRtl : public ::testing::TestWithParam<uint32_t> {};

TEST_P(AgainstRtl, ThousandStreamsMatch) {
  RegressOptions o;
  o.geometry = geometry(GetParam());
  o.count = 1000;
  o.seed = 2024 + GetParam();
  o.out_dir = FLECSIM_BINARY_DIR;
  std::ostringstream log;
  RegressSummary s = run_regression(o, tlm_factory(), rtl_factory(), log);
  EXPECT_EQ(s.streams, 1000u);
  EXPECT_EQ(s.mismatches, 0u) << log.str();
}

TEST_P(AgainstRtl, InjectedFaultFails) {
  RegressOptions o;
  o.geometry = geometry(GetParam());
  o.count = 10;
  o.fault = "timing";
  o.max_reports = 0;
  std::ostringstream log;
  EXPECT_GT(run_regression(o, tlm_factory(), rtl_factory(), log).mismatches, 0u);
}

INSTANTIATE_TEST_SUITE_P(Sizes, AgainstRtl, ::testing::Values(4u, 8u));
#endif

}  // namespace
