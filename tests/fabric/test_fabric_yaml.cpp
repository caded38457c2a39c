// The fabric built from platform YAML by the platform builder (Platform::from_text): the same
// DMA transfer as Dma.DramToSramOverPortWidthAndDramTiming (outstanding 2), started by a traffic
// generator writing the DMA registers through the crossbar.
#include <gtest/gtest.h>

#include <cstring>

#include "dma/dma.h"
#include "platform/platform.h"
#include "traffic/traffic.h"

using namespace flecsim;

namespace {

const char* kPlatform = R"(
platform: {name: fabric-test}
clocks: {core: 800MHz}
crossbars:
  xbar0:
    kind: crossbar
    width_bits: 64
    latency_cycles: 1
    initiators: [tg0.mem, dma0.mem]
memories:
  sram0: {kind: sram, size: 4KiB, width_bits: 64}
  dram0: {kind: dram, preset: LPDDR4-3200, size: 1MiB, channels: 1, banks: 2}
dmas:
  dma0: {kind: dma, width_bits: 64, burst_bytes: 32, outstanding: 2}
peripherals:
  tg0:
    kind: traffic
    script:
      - {op: write, addr: 0x10030108, bytes: 4, value: 0x10000000}
      - {op: write, addr: 0x10030100, bytes: 4, value: 3}
address_map:
  - {target: sram0, base: 0x10000000}
  - {target: dram0, base: 0x80000000}
  - {target: dma0.regs, base: 0x10030000}
)";

}  // namespace

// tg0 writes DESC_ADDR at 0: crossbar slot 1c, register access 1c -> done 2c; CTRL.START at 2c:
// slot 3c, the write takes effect at 3c + 1c = 4c. The DMA therefore starts 2 cycles later than
// in the hand-built rig (which starts at 2c and ends at 54c), and every later event shifts by
// exactly 2 core cycles (= 4 DRAM cycles): it ends at 56c = 70000 ps, busy 52 cycles.
TEST(FabricYaml, DmaStartedByTrafficThroughTheCrossbar) {
  fresh_simulation();
  auto p = Platform::from_text(kPlatform, "fabric.yaml");
  DmaDescriptor d;
  d.src = 0x80000000;
  d.dst = 0x10000100;
  d.size = {64, 1, 1, 1};
  d.flags = dma_regs::kFlagLast;
  auto bytes = d.encode();
  p->write_phys(0x10000000, bytes.data(), bytes.size());
  std::vector<uint8_t> pattern(64);
  for (unsigned i = 0; i < 64; ++i) pattern[i] = static_cast<uint8_t>(7 * i);
  p->write_phys(0x80000000, pattern.data(), pattern.size());
  p->run();
  p->finish();
  EXPECT_EQ(now_ticks(), 70000u);
  std::vector<uint8_t> got(64);
  p->read_phys(0x10000100, got.data(), got.size());
  EXPECT_EQ(got, pattern);
  auto* tg = p->component_as<TrafficGenerator>("tg0");
  ASSERT_NE(tg, nullptr);
  ASSERT_EQ(tg->records().size(), 2u);
  EXPECT_EQ(tg->records()[1].completed, 4u * 1250);
  const StatGroup* dma = p->stats().find("dma0");
  ASSERT_NE(dma, nullptr);
  EXPECT_EQ(dma->find("busy_cycles")->value, 52u);
  EXPECT_EQ(dma->find("bytes_moved")->value, 64u);
  EXPECT_EQ(p->stats().find("dram0")->find("row_hits")->value, 1u);
}

TEST(FabricYaml, UnknownCrossbarKeyNamesTheLine) {
  fresh_simulation();
  std::string text = kPlatform;
  text.replace(text.find("latency_cycles: 1"), 17, "latncy_cycles: 1");
  try {
    Platform::from_text(text, "fabric.yaml");
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("fabric.yaml:8:5: crossbars.xbar0: unknown key "
                                          "'latncy_cycles' (did you mean 'latency_cycles'?)",
                                          0),
              0u)
        << e.what();
  }
}
