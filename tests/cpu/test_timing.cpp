// The timing model (exact cycles per class, DMI and device latencies, load-use stalls),
// synchronisation with SystemC time, wfi sleep and interrupts, and the stop conditions.
#include "cpu/decode.h"
#include "test_soc.h"

namespace flecsim {
namespace {

const char* const kTiming =
    "timing: {alu: 1, branch_taken: 3, branch_not_taken: 1, load: 2, store: 1, mul: 4, "
    "div: 10, jump: 2, load_use_penalty: 2}\n";

uint64_t counter(TestBench& tb, const std::string& name) {
  const Counter* c = tb.cpu->stats().find(name);
  return c ? c->value : ~0ull;
}

TEST(Timing, ExactCyclesOfAShortProgram) {
  auto tb = make_bench(kTiming);
  tb->ram_read_latency = 20000;   // 2 cycles at 100 MHz
  tb->ram_write_latency = 10000;  // 1 cycle
  tb->load(program_path("timing_noc.bin"), program_tohost("timing_noc"));
  tb->run();
  ASSERT_TRUE(tb->tohost_written) << tb->cpu->stop_reason();
  EXPECT_EQ(tb->cpu->cycles(), 43u);
  EXPECT_EQ(tb->cpu->instret(), 19u);
  tb->cpu->finish();
  EXPECT_EQ(counter(*tb, "instructions"), 19u);
  EXPECT_EQ(counter(*tb, "instructions_alu"), 10u);
  EXPECT_EQ(counter(*tb, "instructions_branch"), 3u);
  EXPECT_EQ(counter(*tb, "instructions_load"), 1u);
  EXPECT_EQ(counter(*tb, "instructions_store"), 2u);
  EXPECT_EQ(counter(*tb, "instructions_mul"), 1u);
  EXPECT_EQ(counter(*tb, "instructions_div"), 1u);
  EXPECT_EQ(counter(*tb, "instructions_jump"), 1u);
  EXPECT_EQ(counter(*tb, "stall_cycles"), 2u);
  EXPECT_EQ(counter(*tb, "cycles"), 43u);
  // Data accesses went through DMI; the RAM's counters still see each one (fetches do not count:
  // the core models a perfect instruction cache).
  const StatGroup& ram = tb->stats.group("ram", "sram");
  EXPECT_EQ(ram.find("dmi_reads")->value, 1u);
  EXPECT_EQ(ram.find("dmi_read_bits")->value, 32u);
  EXPECT_EQ(ram.find("dmi_writes")->value, 2u);
  EXPECT_EQ(ram.find("dmi_write_bits")->value, 64u);
  EXPECT_EQ(tb->get32(program_symbol("timing_noc", "data") + 4), 7u) << "49 / 7 stored";
}

TEST(Timing, DeviceAccessesSynchroniseAndAddLatency) {
  auto tb = make_bench();
  tb->device_latency = 50000;  // 5 cycles
  tb->load(program_path("device_noc.bin"), program_tohost("device_noc"));
  tb->run();
  ASSERT_TRUE(tb->tohost_written);
  // 10 cycles of alu, then the load's own cycle: the device sees 110 ns.
  ASSERT_EQ(tb->device_writes.size(), 1u);
  EXPECT_EQ(tb->device_writes[0].value, 110u);
  // + 5 cycles of device latency, 1 load-use stall (the store writes the loaded a0) and the
  // store's own cycle: 180 ns.
  EXPECT_EQ(tb->device_writes[0].at, 180000u);
  tb->cpu->finish();
  EXPECT_EQ(counter(*tb, "device_accesses"), 2u);
}

TEST(Timing, WfiSleepsUntilTheTimerInterruptVectored) {
  auto tb = make_bench();
  tb->load(program_path("wfi_noc.bin"), program_tohost("wfi_noc"));
  tb->drive_irq(tb->mtip, 5000000, true);  // 5 us
  tb->run();
  ASSERT_TRUE(tb->tohost_written) << tb->cpu->stop_reason();
  EXPECT_EQ(tb->tohost, 1u);
  uint32_t results = program_symbol("wfi_noc", "results");
  EXPECT_EQ(tb->get32(results), 0x80000007u);                  // mcause: machine timer
  EXPECT_EQ(tb->get32(results + 4), tb->get32(results + 12));  // mepc: after the wfi
  // 10 cycles to the wfi (la 2, ori, csrw, li, csrw, csrsi: 1 each, wfi: system 3), asleep
  // until 500; the handler's device read arrives 10 cycles later.
  EXPECT_EQ(tb->get32(results + 8), 5100u);
  tb->cpu->finish();
  EXPECT_EQ(counter(*tb, "sleep_cycles"), 490u);
}

TEST(Interrupts, WfiWakesWithMieClearThenPriorityOrderVectored) {
  auto tb = make_bench();
  tb->load(program_path("irq_priority_noc.bin"), program_tohost("irq_priority_noc"));
  for (IrqLine* line : {&tb->mtip, &tb->msip, &tb->meip}) tb->drive_irq(*line, 2000000, true);
  tb->run();
  ASSERT_TRUE(tb->tohost_written) << tb->cpu->stop_reason();
  EXPECT_EQ(tb->tohost, 1u);
  uint32_t order = program_symbol("irq_priority_noc", "order");
  EXPECT_EQ(tb->get32(order), 0x8000000bu);
  EXPECT_EQ(tb->get32(order + 4), 0x80000003u);
  EXPECT_EQ(tb->get32(order + 8), 0x80000007u);
  EXPECT_EQ(tb->get32(order + 12), 0x888u);  // mip seen before MIE was set
  EXPECT_EQ(tb->get32(order + 16), 3u);
  EXPECT_FALSE(tb->meip.level() || tb->msip.level() || tb->mtip.level());
}

TEST(Interrupts, DeviceRaisedInterruptReachesARunningCore) {
  // The core spins; the bench device raises meip 300 ns after the core asks for it. With a
  // 1 us quantum the interrupt is seen at the next synchronisation, not 300 ns later: the
  // documented cost of running ahead (quantum: 100ns narrows it).
  for (const char* quantum : {"quantum: 1us\n", "quantum: 100ns\n"}) {
    auto tb = make_bench(quantum);
    const uint32_t code[] = {
        0x10000537,  // 0:  lui a0, 0x10000
        0x12c00593,  // 4:  addi a1, zero, 300
        0x00b52223,  // 8:  sw a1, 4(a0)      meip in 300 ns
        0x000015b7,  // 12: lui a1, 0x1       mie.MEIE = 0x800
        0x80058593,  // 16: addi a1, a1, -2048
        0x30459073,  // 20: csrw mie, a1
        0x30046073,  // 24: csrsi mstatus, 8
        0x0000006f,  // 28: j .
        0x00052603,  // 32: lw a2, 0(a0)      handler: device time (ns)
        0x30501073,  // 36: csrw mtvec, zero
        0xffffffff,  // 40: illegal without a handler: stop
    };
    for (unsigned i = 0; i < 11; ++i) tb->put32(kRamBase + 4 * i, code[i]);
    uint32_t v = kRamBase + 32;
    EXPECT_TRUE(tb->cpu->write_csr_debug(0x305, v));  // mtvec
    tb->run();
    // The store is at 30 ns (3 cycles): meip rises at 330 ns. The spinning jumps (2 cycles)
    // end at odd cycles: the core syncs at 1010 ns (1 us) or 410 ns (100 ns), takes the
    // interrupt, and the handler's load arrives one cycle later.
    uint32_t seen = tb->cpu->x(12);
    if (std::string(quantum) == "quantum: 1us\n")
      EXPECT_EQ(seen, 1020u) << quantum;
    else
      EXPECT_EQ(seen, 420u) << quantum;
    EXPECT_EQ(tb->cpu->exit_code(), 1);
  }
}

TEST(Timing, QuantumBoundsHowFarTheCoreRunsAhead) {
  // An endless loop with a 2 us quantum: simulated time advances in quantum steps, the core
  // stays within one quantum of it, and a run limit of 10 us stops it.
  auto tb = make_bench("quantum: 2us\n");
  tb->put32(kRamBase, 0x0000006f);  // j .
  tb->run(10000000);
  EXPECT_EQ(now_ticks(), 10000000u);
  EXPECT_GE(tb->cpu->cycles() * 10000, 10000000u);
  EXPECT_LE(tb->cpu->cycles() * 10000, 12000000u);
  EXPECT_EQ(tb->cpu->instret(), tb->cpu->cycles() / 2);  // a jump costs 2
}

TEST(Counters, McycleMinstretWritableAndTimeFollowsTheTimebase) {
  auto tb = make_bench("timebase: 100MHz\n");  // time counts 10 ns ticks: one per cycle here
  const uint32_t code[] = {
      0x3e800293,  // li t0, 1000
      0xb0029073,  // csrw mcycle, t0
      0xb0002573,  // csrr a0, mcycle      one cycle later
      0xc01025f3,  // rdtime a1            at cycle 4
      0xc8002673,  // rdcycleh a2
      0xb0229073,  // csrw minstret, t0
      0xc02026f3,  // rdinstret a3         the csrw itself does not count
      0xffffffff,
  };
  for (unsigned i = 0; i < 8; ++i) tb->put32(kRamBase + 4 * i, code[i]);
  tb->run();
  EXPECT_EQ(tb->cpu->x(10), 1001u);
  EXPECT_EQ(tb->cpu->x(11), 4u);
  EXPECT_EQ(tb->cpu->x(12), 0u);
  EXPECT_EQ(tb->cpu->x(13), 1000u);
}

TEST(Stops, IllegalInstructionWithoutHandlerReportsPcWordAndDisassembly) {
  auto tb = make_bench();
  tb->put32(kRamBase, 0x00000013);       // nop
  tb->put32(kRamBase + 4, 0xffffffffu);  // illegal
  tb->run();
  EXPECT_TRUE(tb->cpu->stopped());
  EXPECT_EQ(tb->cpu->exit_code(), 1);
  EXPECT_EQ(tb->cpu->stop_reason(),
            "tb.cpu0: illegal instruction at pc 0x80000004: instruction 0xffffffff (illegal), "
            "tval 0xffffffff, and no trap handler (mtvec = 0)");
}

TEST(Stops, AnyTrapWithoutHandlerStops) {
  auto tb = make_bench();
  tb->put32(kRamBase, 0x00002503);  // lw a0, 0(zero): nothing mapped at 0
  tb->run();
  EXPECT_EQ(tb->cpu->exit_code(), 1);
  EXPECT_EQ(tb->cpu->stop_reason(),
            "tb.cpu0: load access fault at pc 0x80000000: instruction 0x00002503 (lw a0, "
            "0(zero)), tval 0x00000000, and no trap handler (mtvec = 0)");
}

TEST(Stops, MaxInstructions) {
  auto tb = make_bench("max_instructions: 1000\n");
  tb->put32(kRamBase, 0x0000006f);  // j .
  tb->run();
  EXPECT_EQ(tb->cpu->instret(), 1000u);
  EXPECT_EQ(tb->cpu->exit_code(), 1);
  EXPECT_EQ(tb->cpu->stop_reason(), "tb.cpu0: max_instructions (1000) reached at pc 0x80000000");
}

TEST(Config, RejectsBadIsaAndTiming) {
  auto error_of = [](const std::string& yaml) {
    try {
      make_bench(yaml);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error_of("isa: rv32imafdc\n"),
            "cpu.yaml:1:6: cpu.cpu0.isa: unsupported extension 'd' in 'rv32imafdc' "
            "(supported: rv32i with m, a, f, c)");
  EXPECT_NE(error_of("timing: {alu: 1000}\n").find("timing.alu"), std::string::npos);
  EXPECT_NE(error_of("timing: {alu_cycles: 1}\n").find("unknown key 'alu_cycles'"),
            std::string::npos);
}

// A debugger that records halts and scripts its answers.
class ScriptedDebugger : public DebugHook {
 public:
  std::vector<std::pair<HaltReason, uint32_t>> halts;
  std::vector<Action> answers;
  Rv32Cpu* cpu = nullptr;
  Action on_halt(HaltReason reason) override {
    halts.push_back({reason, cpu->pc()});
    if (halts.size() > answers.size()) return Action::kContinue;
    return answers[halts.size() - 1];
  }
};

TEST(Debug, AttachBreakpointStepEbreakAndKill) {
  auto tb = make_bench();
  const uint32_t prog[] = {0x00100513,   // addi a0, zero, 1
                           0x00150513,   // addi a0, a0, 1
                           0x00150513,   // addi a0, a0, 1
                           0x00100073,   // ebreak
                           0x0000006f};  // j .
  for (unsigned i = 0; i < 5; ++i) tb->put32(kRamBase + 4 * i, prog[i]);
  ScriptedDebugger dbg;
  dbg.cpu = tb->cpu.get();
  using A = DebugHook::Action;
  using R = DebugHook::HaltReason;
  dbg.answers = {A::kContinue, A::kStep, A::kContinue, A::kKill};
  tb->cpu->add_breakpoint(kRamBase + 4);
  tb->cpu->set_debug_hook(&dbg);
  tb->run();
  ASSERT_EQ(dbg.halts.size(), 5u);
  EXPECT_EQ(dbg.halts[0], std::make_pair(R::kAttach, kRamBase));
  EXPECT_EQ(dbg.halts[1], std::make_pair(R::kBreakpoint, kRamBase + 4));
  EXPECT_EQ(dbg.halts[2], std::make_pair(R::kStep, kRamBase + 8));
  EXPECT_EQ(dbg.halts[3], std::make_pair(R::kEbreak, kRamBase + 12));
  EXPECT_EQ(dbg.halts[4].first, R::kExit);
  EXPECT_EQ(tb->cpu->x(10), 3u);
  EXPECT_EQ(tb->cpu->instret(), 3u);  // ebreak did not retire
  EXPECT_EQ(tb->cpu->stop_reason(), "tb.cpu0: killed by the debugger");
}

TEST(Debug, RegistersCsrsAndMemoryAccess) {
  auto tb = make_bench();
  tb->cpu->set_x(5, 0x1234);
  tb->cpu->set_x(0, 99);
  EXPECT_EQ(tb->cpu->x(5), 0x1234u);
  EXPECT_EQ(tb->cpu->x(0), 0u);
  uint32_t v = 0;
  EXPECT_TRUE(tb->cpu->write_csr_debug(0x340, 0xabcd));  // mscratch
  EXPECT_TRUE(tb->cpu->read_csr_debug(0x340, v));
  EXPECT_EQ(v, 0xabcdu);
  EXPECT_FALSE(tb->cpu->read_csr_debug(0x7c5, v));
  EXPECT_TRUE(tb->cpu->read_csr_debug(0x301, v));
  EXPECT_EQ(v, 0x40101125u);  // misa: RV32 I M A F C U
  uint32_t word = 0xdeadbeef;
  EXPECT_EQ(tb->cpu->debug_write(kRamBase + 16, &word, 4), 4u);
  EXPECT_EQ(tb->get32(kRamBase + 16), 0xdeadbeefu);
  uint32_t back = 0;
  EXPECT_EQ(tb->cpu->debug_read(kRamBase + 16, &back, 4), 4u);
  EXPECT_EQ(back, 0xdeadbeefu);
  EXPECT_EQ(tb->cpu->debug_read(0x40000000, &back, 4), 0u);
}

TEST(Debug, InstructionTraceSeesEveryInstruction) {
  auto tb = make_bench();
  tb->put32(kRamBase, 0x00100513);      // addi a0, zero, 1
  tb->put32(kRamBase + 4, 0xffffffff);  // illegal: stops
  std::vector<std::string> lines;
  tb->cpu->set_insn_trace([&](uint32_t pc, uint32_t insn) {
    lines.push_back(std::to_string(pc - kRamBase) + " " + disassemble(insn, pc));
  });
  tb->run();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "0 addi a0, zero, 1");
  EXPECT_EQ(lines[1], "4 illegal");
}

TEST(StoreWatch, SeesDmiStoresAndSelfModifyingCodeRunsNewCode) {
  // Stores to a cached code page drop its predecoded entries, so rewritten code runs in its
  // new form (fence.i is not needed in this model, though programs must still use it).
  auto tb = make_bench();
  const uint32_t code[] = {
      0x80000337,  // 0:  lui t1, 0x80000
      0x00158593,  // 4:  addi a1, a1, 1       pass counter
      0x00700513,  // 8:  addi a0, zero, 7     rewritten to t2's word by the next store
      0x00732423,  // 12: sw t2, 8(t1)
      0x10a32023,  // 16: sw a0, 256(t1)       watched
      0x00200e13,  // 20: addi t3, zero, 2
      0xffc596e3,  // 24: bne a1, t3, 4
      0xffffffff,  // 28: illegal: stop
  };
  for (unsigned i = 0; i < 8; ++i) tb->put32(kRamBase + 4 * i, code[i]);
  tb->cpu->set_x(7, 0x00100513);  // t2 = "addi a0, zero, 1"
  std::vector<uint32_t> seen;
  tb->cpu->set_store_watch(kRamBase + 256, [&](uint32_t v) { seen.push_back(v); });
  tb->run();
  EXPECT_EQ(seen, (std::vector<uint32_t>{7, 1}));
  EXPECT_EQ(tb->cpu->pc(), kRamBase + 28);
}

}  // namespace
}  // namespace flecsim
