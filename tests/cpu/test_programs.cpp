// Self-checking programs (riscv-tests style): each ends by writing 1 (pass) or the number of
// the failing case << 1 | 1 to tohost.
#include "test_soc.h"

namespace flecsim {
namespace {

void run_program(const std::string& name, const std::string& cpu_yaml = "") {
  auto tb = make_bench(cpu_yaml);
  tb->load(program_path(name + ".bin"), program_tohost(name));
  ASSERT_NE(program_tohost(name), 0u) << "no tohost symbol in " << name;
  tb->run();
  ASSERT_TRUE(tb->tohost_written) << name << ": did not finish; pc 0x" << std::hex << tb->cpu->pc()
                                  << " " << tb->cpu->stop_reason();
  EXPECT_EQ(tb->tohost, 1u) << name << ": failed case " << (tb->tohost >> 1);
}

// Our programs, built with and without C; the _noc builds run on a core without C.
class OwnProgram : public ::testing::TestWithParam<std::string> {};
TEST_P(OwnProgram, PassesWithC) {
  run_program(GetParam() + "_c");
}
TEST_P(OwnProgram, PassesWithoutC) {
  run_program(GetParam() + "_noc", "isa: rv32imaf\n");
}
INSTANTIATE_TEST_SUITE_P(Cpu, OwnProgram, ::testing::Values("traps", "fp_rounding"));

class IsaProgram : public ::testing::TestWithParam<std::string> {};
TEST_P(IsaProgram, Passes) {
  run_program(GetParam());
}

// tests/cpu_fw/isa (helper cpu-tools), those that need no platform device.
INSTANTIATE_TEST_SUITE_P(CpuFw, IsaProgram,
                         ::testing::Values("isa_rv32i", "isa_rv32m", "isa_rv32a", "isa_rv32c",
                                           "isa_rv32f", "isa_zicsr"));

}  // namespace
}  // namespace flecsim
