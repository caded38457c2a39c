// Building platforms: components from the registry, crossbar wiring, the address map, interrupts,
// running, the backdoor, and every validation rule with its exact message.
#include <gtest/gtest.h>

#include "platform/platform.h"
#include "test_kinds.h"

namespace flecsim {
namespace {

using testing::test_registry;

// A complete platform of test kinds; tests replace parts of it.
const std::string kGood =
    "platform: {name: tiny-test, description: a test platform}\n"         // 1
    "clocks: {core: 500MHz, slow: 100MHz}\n"                              // 2
    "cpu:\n"                                                              // 3
    "  m0: {kind: tmaster, address: 0x80000010}\n"                        // 4
    "crossbars:\n"                                                        // 5
    "  bus0: {kind: tbus, initiators: [m0.bus]}\n"                        // 6
    "memories:\n"                                                         // 7
    "  ram: {kind: tmem, size: 64KiB}\n"                                  // 8
    "peripherals:\n"                                                      // 9
    "  dev: {kind: tdev, clock: slow, targets: [regs], irq_ins: [in]}\n"  // 10
    "address_map:\n"                                                      // 11
    "  - {target: ram, base: 0x80000000}\n"                               // 12
    "  - {target: dev.regs, base: 0x10000000}\n"                          // 13
    "interrupts:\n"                                                       // 14
    "  - {from: m0.irq, to: dev.in}\n";                                   // 15

std::unique_ptr<Platform> build(const std::string& text, const PlatformOptions& options = {}) {
  fresh_simulation();
  return Platform::from_text(text, "t.yaml", options, test_registry());
}

std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  PlatformOptions options;
  options.overrides = overrides;
  try {
    build(text, options);
  } catch (const UserError& e) {
    return e.what();
  }
  return "no error";
}

// kGood with the first occurrence of `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to, std::string text = kGood) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(Builder, BuildsComponentsClocksAndAddressMap) {
  auto p = build(kGood);
  EXPECT_EQ(p->name(), "tiny-test");
  EXPECT_EQ(p->main_clock().hz, 500000000u);
  EXPECT_EQ(p->clock("slow").period_ps, 10000u);
  ASSERT_EQ(p->components().size(), 4u);
  EXPECT_EQ(p->components()[0]->basename(), std::string("m0"));
  EXPECT_EQ(p->component("dev")->clock().hz, 100000000u);
  EXPECT_EQ(p->component("ram")->clock().hz, 500000000u) << "default: the first clock";
  EXPECT_EQ(p->components_of_kind("tmem").size(), 1u);
  EXPECT_EQ(p->component("nope"), nullptr);
  ASSERT_EQ(p->address_map().size(), 2u);
  const AddressRange* ram = p->range_of("ram");
  ASSERT_NE(ram, nullptr);
  EXPECT_EQ(ram, p->range_of("ram.mem")) << "bare and dotted names find the same range";
  EXPECT_EQ(ram->size, 65536u) << "size defaults to what the port decodes";
  EXPECT_EQ(ram->bus, "bus0");
  EXPECT_EQ(ram->loc.str(), "t.yaml:12:5");
  EXPECT_EQ(p->range_of("dev.regs")->size, 4096u);
  EXPECT_THROW(p->clock("fast"), UserError);
}

TEST(Builder, DescribeListsComponentsAndTheSortedAddressMap) {
  auto p = build(kGood);
  std::string d = p->describe();
  EXPECT_NE(d.find("platform tiny-test (t.yaml)\n  a test platform\n"), std::string::npos) << d;
  EXPECT_NE(d.find("  core: 500 MHz (2000 ps)\n"), std::string::npos) << d;
  EXPECT_NE(d.find("  ram            memories      tmem       65536 bytes\n"), std::string::npos)
      << d;
  EXPECT_NE(d.find("  bus0           crossbars     tbus\n"), std::string::npos) << d;
  size_t dev = d.find("  bus0     0x10000000 - 0x10000fff  4 KiB      dev.regs\n");
  size_t ram = d.find("  bus0     0x80000000 - 0x8000ffff  64 KiB     ram\n");
  EXPECT_NE(dev, std::string::npos) << d;
  EXPECT_NE(ram, std::string::npos) << d;
  EXPECT_LT(dev, ram) << "sorted by base";
  EXPECT_NE(d.find("  m0.irq -> dev.in\n"), std::string::npos) << d;
}

TEST(Builder, RunsUntilStopRequestWithExactTime) {
  auto p = build(kGood);
  EXPECT_FALSE(testing::test_device_irq_level(*p->component("dev"), "in"));
  auto stop = p->run();
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(stop->exit_code, 0);
  EXPECT_EQ(stop->reason, "done");
  // Write then read, each 1 bus cycle + 1 memory cycle at 500 MHz: 2 x 2 x 2000 ps.
  EXPECT_EQ(now_ticks(), 8000u);
  EXPECT_TRUE(testing::test_device_irq_level(*p->component("dev"), "in"));
  uint32_t word = 0;
  p->read_phys(0x80000010, &word, 4);
  EXPECT_EQ(word, 0x12345678u);
  EXPECT_EQ(p->run()->exit_code, 0) << "run after a stop returns the same request";
}

TEST(Builder, RunStopsAtTheTimeLimitOrWhenNothingIsLeft) {
  auto p = build(with("address: 0x80000010", "address: 0x80000010, value: 7"));
  p->request_stop(5, "before start");
  EXPECT_EQ(p->run()->exit_code, 5);
  EXPECT_EQ(now_ticks(), 0u);

  auto q = build(with("address: 0x80000010", "address: 0x90000000"));
  auto stop = q->run(1000000);
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(stop->exit_code, 1) << "the bus answered with an address error";
  EXPECT_EQ(stop->reason, "bus error");
  EXPECT_EQ(now_ticks(), 2000u) << "error after one bus cycle";
}

TEST(Builder, EachPlatformNeedsAFreshSimulation) {
  auto p = build(kGood);
  try {
    Platform::from_text(kGood, "t.yaml", {}, test_registry());
    FAIL();
  } catch (const InternalError& e) {
    EXPECT_STREQ(e.what(),
                 "a SystemC object named 'm0' already exists: build each platform in a "
                 "fresh simulation (flecsim::fresh_simulation())");
  }
  p->run();
  EXPECT_THROW(Platform::from_text(kGood, "t.yaml", {}, test_registry()), InternalError);
}

TEST(Builder, ErrorsOfProcessesReachTheCallerOfRunWithTheirType) {
  auto p = build(with("address: 0x80000010", "address: 0x80000010, fail: true"));
  try {
    p->run();
    FAIL();
  } catch (const CheckFailure& e) {
    EXPECT_STREQ(e.what(), "tmaster: failed on purpose after the write and read");
  }
  EXPECT_EQ(now_ticks(), 8000u);
  EXPECT_FALSE(testing::test_device_irq_level(*p->component("dev"), "in"));
  EXPECT_THROW(p->run(), CheckFailure) << "and on every later run()";
}

TEST(Builder, BackdoorGoesThroughTheAddressMap) {
  auto p = build(kGood);
  uint32_t word = 0xdeadbeef, back = 0;
  p->write_phys(0x8000fffc, &word, 4);
  p->read_phys(0x8000fffc, &back, 4);
  EXPECT_EQ(back, 0xdeadbeefu);
  EXPECT_NE(p->backdoor(0x80000000, 65536), nullptr);
  EXPECT_EQ(p->backdoor(0x8000fffc, 8), nullptr) << "past the end of the memory";
  EXPECT_EQ(p->backdoor(0x10000000, 4), nullptr) << "dev is not a memory";
  EXPECT_EQ(p->backdoor(0x70000000, 4), nullptr);
  try {
    p->write_phys(0x8000fffe, &word, 4);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_STREQ(e.what(), "cannot write [0x8000fffe, +4 bytes): not inside one memory");
  }
}

TEST(Builder, OverridesApplyBeforeBuilding) {
  fresh_simulation();
  PlatformOptions options;
  options.overrides = {"memories.ram.size=128KiB", "address_map.1.base=0x10001000"};
  auto p = Platform::from_text(kGood, "t.yaml", options, test_registry());
  EXPECT_EQ(p->range_of("ram")->size, 131072u);
  EXPECT_EQ(p->range_of("dev.regs")->base, 0x10001000u);
}

TEST(BuilderErrors, TopLevel) {
  EXPECT_EQ(error_of(""), "t.yaml:1:1: the platform file is empty");
  EXPECT_EQ(error_of("- a\n"),
            "t.yaml:1:1: expected a mapping of sections (platform, clocks, memories, ...), got a "
            "list");
  EXPECT_EQ(error_of(kGood + "memoires: {}\n"),
            "t.yaml:16:1: unknown top-level key 'memoires' (did you mean 'memories'?)");
  EXPECT_EQ(error_of(kGood + "compiler: {anything: 1}\npower: {tech: x}\n"), "no error")
      << "compiler and power belong to later stages";
  EXPECT_EQ(error_of(with("tiny-test,", "tiny-test, colour: red,")),
            "t.yaml:1:29: platform: unknown key 'colour'");
  EXPECT_EQ(error_of(kGood, {"include=other.yaml"}),
            "--set:1:1: include: works only in platform files, not with --set");
  EXPECT_EQ(error_of(kGood, {"memories.ram.sizee=4KiB"}),
            "--set:1:14: memories.ram: unknown key 'sizee' (did you mean 'size'?)");
}

TEST(BuilderErrors, Clocks) {
  EXPECT_EQ(error_of(with("clocks: {core: 500MHz, slow: 100MHz}", "clocks: {}")),
            "t.yaml:2:1: clocks: at least one clock is required, e.g. clocks: {core: 500MHz}");
  EXPECT_EQ(error_of(with("slow: 100MHz", "slow: 100 bananas")),
            "t.yaml:2:30: clocks.slow: unknown unit 'bananas' in '100 bananas' (expected a "
            "frequency such as 500MHz or 1.2GHz)");
  EXPECT_EQ(error_of(with("slow: 100MHz", "slow: 0MHz")),
            "t.yaml:2:30: clocks.slow: frequency must be above zero");
  EXPECT_EQ(error_of(with("slow: 100MHz", "slow: 2000GHz")),
            "t.yaml:2:30: clocks.slow: 2000 GHz is above 1 THz, the fastest clock 1 ps resolution "
            "can represent");
  EXPECT_EQ(error_of(with("clock: slow", "clock: slwo")),
            "t.yaml:10:28: peripherals.dev.clock: unknown clock 'slwo' (did you mean 'slow'?); "
            "clocks: core, slow");
}

TEST(BuilderErrors, Components) {
  EXPECT_EQ(error_of(with("kind: tmem", "kind: tmen")),
            "t.yaml:8:15: memories.ram.kind: unknown component kind 'tmen' (did you mean "
            "'tmem'?); known kinds: tbus, tdev, tmaster, tmem");
  EXPECT_EQ(error_of(with("kind: tmem, ", "")),
            "t.yaml:8:8: memories.ram: missing required key 'kind'");
  EXPECT_EQ(error_of(with("size: 64KiB", "size: [64KiB]")),
            "t.yaml:8:27: memories.ram.size: expected a value, got a list");
  EXPECT_EQ(error_of(with("size: 64KiB", "size: 64KB8")),
            "t.yaml:8:27: memories.ram.size: unknown unit 'KB8' in '64KB8' (expected a size such "
            "as 4096, 64KiB or 1MiB)");
  EXPECT_EQ(error_of(with("size: 64KiB", "size: 64KiB, sizee: 1")),
            "t.yaml:8:34: memories.ram: unknown key 'sizee' (did you mean 'size'?)");
  EXPECT_EQ(error_of(with("  ram:", "  m0:")),
            "t.yaml:8:3: component 'm0' is already defined at t.yaml:4:3");
  EXPECT_EQ(error_of(with("  ram:", "  r.am:")),
            "t.yaml:8:3: component name 'r.am' must start with a letter and contain only "
            "letters, digits and '_'");
  EXPECT_EQ(error_of(with("memories:\n  ram:", "memories:\n  ram: 5\n  ram2:")),
            "t.yaml:8:8: memories.ram: expected a mapping, got a value");
  EXPECT_EQ(error_of(with("kind: tbus", "kind: tmem, size: 4KiB")),
            "t.yaml:6:16: crossbars.bus0.kind: kind 'tmem' is not a crossbar");
}

TEST(BuilderErrors, Initiators) {
  EXPECT_EQ(error_of(with("[m0.bus]", "[m1.bus]")),
            "t.yaml:6:35: bus0.initiators: unknown component 'm1' (did you mean 'm0'?)");
  EXPECT_EQ(error_of(with("[m0.bus]", "[m0.bsu]")),
            "t.yaml:6:35: bus0.initiators: 'm0' has no initiator port 'bsu' (did you mean "
            "'bus'?); its initiator ports: bus");
  EXPECT_EQ(error_of(with("[m0.bus]", "[ram]")),
            "t.yaml:6:35: bus0.initiators: 'ram' has no initiator ports");
  EXPECT_EQ(error_of(with("[m0.bus]", "[m0, m0.bus]")),
            "t.yaml:6:39: bus0.initiators: 'm0' is already connected at t.yaml:6:35");
  EXPECT_EQ(error_of(with("[m0.bus]", "[]")),
            "t.yaml:4:3: 'm0.bus' is not connected to any crossbar (list it in a crossbar's "
            "initiators:)");
  EXPECT_EQ(error_of(with("targets: [regs]", "targets: [regs], masters: [a, b]")),
            "t.yaml:10:3: 'dev.a' is not connected to any crossbar (list it in a crossbar's "
            "initiators:)");
}

TEST(BuilderErrors, AddressMapReferences) {
  EXPECT_EQ(error_of(with("target: ram,", "target: rm,")),
            "t.yaml:12:14: address_map[0].target: unknown component 'rm' (did you mean 'ram'?)");
  EXPECT_EQ(error_of(with("dev.regs", "dev.reg")),
            "t.yaml:13:14: address_map[1].target: 'dev' has no target port 'reg' (did you mean "
            "'regs'?); its target ports: regs");
  EXPECT_EQ(
      error_of(with("targets: [regs]", "targets: [regs, data]"), {"address_map.1.target=dev"}),
      "--set:1:22: address_map[1].target: 'dev' has several target ports (data, regs); "
      "name one, e.g. 'dev.data'");
  EXPECT_EQ(error_of(with("  - {target: dev.regs, base: 0x10000000}\n", "")),
            "t.yaml:10:3: 'dev' is not in the address_map (every target port needs a range)");
  EXPECT_EQ(error_of(with("dev.regs, base: 0x10000000", "ram, base: 0x90000000")),
            "t.yaml:13:14: address_map[1].target: 'ram' is already mapped at t.yaml:12:5");
  EXPECT_EQ(error_of(with("{target: ram, base: 0x80000000}", "{target: ram, bsae: 0x80000000}")),
            "t.yaml:12:5: address_map[0]: missing required key 'base'");
  EXPECT_EQ(
      error_of(with("{target: ram, base: 0x80000000}", "{target: ram, base: 0x80000000, x: 1}")),
      "t.yaml:12:37: address_map[0]: unknown key 'x'");
  EXPECT_EQ(error_of(with("address_map:\n  - {target: ram, base: 0x80000000}\n"
                          "  - {target: dev.regs, base: 0x10000000}\n",
                          "address_map: 5\n")),
            "t.yaml:11:14: address_map: expected a list, got a value");
}

TEST(BuilderErrors, AddressMapRanges) {
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0x8000f000")),
            "t.yaml:13:14: address_map[1].target: 'dev.regs' [0x8000f000, 0x8000ffff] overlaps "
            "'ram' [0x80000000, 0x8000ffff] at t.yaml:12:5");
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0x10000002")),
            "t.yaml:13:30: address_map[1].base: base 0x10000002 is not aligned to 4 bytes");
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0x10000800")),
            "t.yaml:13:30: address_map[1].base: base 0x10000800 is not aligned to its size 4 KiB "
            "(ranges of a power-of-two size up to 4 KiB must be naturally aligned)");
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0x10000800, size: 2KiB")), "no error")
      << "a smaller window is aligned to its own size";
  EXPECT_EQ(error_of(with("base: 0x80000000", "base: 0x80000400, size: 48KiB")), "no error")
      << "sizes that are not a power of two need only 4-byte alignment";
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0x10000000, size: 0")),
            "t.yaml:13:48: address_map[1].size: size must be above zero");
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0x10000000, size: 8KiB")),
            "t.yaml:13:48: address_map[1].size: size 8 KiB exceeds the 4 KiB that 'dev.regs' "
            "decodes");
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: -4")),
            "t.yaml:13:30: address_map[1].base: expected a non-negative integer, got '-4'");
  EXPECT_EQ(error_of(with("base: 0x10000000", "base: 0xfffffffffffff000")), "no error");
  EXPECT_EQ(error_of(with("base: 0x80000000", "base: 0xffffffffffff0004, size: 65532")), "no error")
      << "ends exactly at 2^64 - 1";
  EXPECT_EQ(error_of(with("base: 0x80000000", "base: 0xffffffffffff0004")),
            "t.yaml:12:5: address_map[0].size: range 0xffffffffffff0004 + 64 KiB wraps around "
            "2^64");
}

TEST(BuilderErrors, Buses) {
  std::string two = with("  bus0: {kind: tbus, initiators: [m0.bus]}\n",
                         "  bus0: {kind: tbus, initiators: [m0.bus]}\n  bus1: {kind: tbus}\n");
  EXPECT_EQ(error_of(two),
            "t.yaml:13:5: address_map[0]: the platform has several crossbars "
            "(bus0, bus1); say which decodes this range with bus:");
  std::string chosen =
      with("{target: ram, base: 0x80000000}", "{target: ram, base: 0x80000000, bus: bus0}", two);
  chosen = with("{target: dev.regs, base: 0x10000000}",
                "{target: dev.regs, base: 0x80000000, bus: bus1}", chosen);
  EXPECT_EQ(error_of(chosen), "no error") << "separate buses are separate address spaces";
  EXPECT_EQ(error_of(with("bus: bus1", "bus: ram", chosen)),
            "t.yaml:14:47: address_map[1].bus: 'ram' is not a crossbar; crossbars: bus0, bus1");
  std::string none = with("crossbars:\n  bus0: {kind: tbus, initiators: [m0.bus]}\n", "");
  EXPECT_EQ(error_of(none),
            "t.yaml:10:5: address_map[0]: the address map needs a crossbar, but the platform has "
            "none");
}

TEST(BuilderErrors, Interrupts) {
  EXPECT_EQ(error_of(with("from: m0.irq", "from: m0.irqq")),
            "t.yaml:15:12: interrupts[0].from: 'm0' has no interrupt output 'irqq' (did you mean "
            "'irq'?); its interrupt outputs: irq");
  EXPECT_EQ(error_of(with("to: dev.in", "to: dev2.in")),
            "t.yaml:15:24: interrupts[0].to: unknown component 'dev2' (did you mean 'dev'?)");
  EXPECT_EQ(error_of(with("to: dev.in", "to: ram")),
            "t.yaml:15:24: interrupts[0].to: 'ram' has no interrupt inputs");
  EXPECT_EQ(error_of(with("to: dev.in", "to: dev.9", with("irq_ins: [in]", "irq_ins: [in, 1, 2]"))),
            "t.yaml:15:24: interrupts[0].to: 'dev' has no interrupt input '9'; its interrupt "
            "inputs: 1, 2, in")
      << "no 'did you mean' between numbered ports";
  EXPECT_EQ(error_of(with("to: dev.in", "too: dev.in")),
            "t.yaml:15:5: interrupts[0]: missing required key 'to'");
  EXPECT_EQ(error_of(kGood + "  - {from: m0, to: dev}\n"),
            "t.yaml:16:5: interrupts[1]: 'm0' is already connected to 'dev'");
}

}  // namespace
}  // namespace flecsim
