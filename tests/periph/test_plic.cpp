#include "periph/plic.h"
#include "periph_harness.h"

using namespace periph_test;
using namespace flecsim::plic_regs;

namespace {
struct PlicBench : Bench<Plic> {
  IrqRecorder meip;
  PlicBench() : Bench("plic", "sources: 40\n") { meip.attach(dev().meip); }
  void source(unsigned id, bool level) { device->irq_in(std::to_string(id))(level); }
};
}  // namespace

TEST(Plic, PortsAndRegisterLatency) {
  PlicBench b;
  EXPECT_EQ(b.device->irq_in_names().size(), 40u);
  EXPECT_TRUE(b.device->irq_in("40"));
  EXPECT_FALSE(b.device->irq_in("41"));
  EXPECT_FALSE(b.device->irq_in("0"));
  EXPECT_EQ(b.device->target("regs")->size, 0x4000000u);
  Tick done = 0;
  b.cpu->write(kPriorityBase + 4 * 3, 5, 10 * kCycle, &done);
  EXPECT_EQ(done, 11 * kCycle);  // one cycle of the 500 MHz clock
  EXPECT_EQ(b.cpu->read(kPriorityBase + 4 * 3), 5u);
  b.cpu->write(kPriorityBase + 4 * 3, 100);  // clamped to max_priority 7
  EXPECT_EQ(b.cpu->read(kPriorityBase + 4 * 3), 7u);
  uint32_t v = 0;
  EXPECT_EQ(b.cpu->access(false, kPriorityBase + 4 * 41, reinterpret_cast<uint8_t*>(&v), 4, 0),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.cpu->access(false, 0x1234567, reinterpret_cast<uint8_t*>(&v), 4, 0),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.stats.find("dev0")->find("register_errors")->value, 2u);
}

TEST(Plic, PriorityThresholdClaimComplete) {
  PlicBench b;
  b.cpu->write(kPriorityBase + 4 * 2, 1);
  b.cpu->write(kPriorityBase + 4 * 3, 3);
  b.cpu->write(kPriorityBase + 4 * 33, 3);
  b.source(2, true);
  b.source(3, true);
  b.source(33, true);
  // Pending regardless of enable; bit id of word id/32.
  EXPECT_EQ(b.cpu->read(kPendingBase), (1u << 2) | (1u << 3));
  EXPECT_EQ(b.cpu->read(kPendingBase + 4), 1u << 1);
  EXPECT_TRUE(b.meip.changes.empty());                    // nothing enabled yet
  b.cpu->write(kEnableBase, (1u << 2) | (1u << 3) | 1u);  // bit 0 (source 0) is not a source
  b.cpu->write(kEnableBase + 4, 1u << 1);
  EXPECT_EQ(b.cpu->read(kEnableBase), (1u << 2) | (1u << 3));
  ASSERT_EQ(b.meip.changes.size(), 1u);
  EXPECT_TRUE(b.meip.changes[0].first);
  // Threshold 3 hides everything (priority must exceed it); 2 lets 3 and 33 through.
  b.cpu->write(kThreshold, 3);
  EXPECT_FALSE(b.dev().meip.level());
  EXPECT_EQ(b.cpu->read(kClaimComplete), 0u);
  b.cpu->write(kThreshold, 2);
  EXPECT_TRUE(b.dev().meip.level());
  EXPECT_EQ(b.cpu->read(kClaimComplete), 3u);  // tie 3 vs 33: lowest id
  EXPECT_EQ(b.cpu->read(kClaimComplete), 33u);
  EXPECT_FALSE(b.dev().meip.level());  // 2 has priority 1 <= threshold
  EXPECT_EQ(b.cpu->read(kPendingBase), 1u << 2);
  // Source 3 still high: completing makes it pending again; 33 went low meanwhile.
  b.source(33, false);
  b.cpu->write(kClaimComplete, 3);
  b.cpu->write(kClaimComplete, 33);
  EXPECT_EQ(b.cpu->read(kPendingBase), (1u << 2) | (1u << 3));
  EXPECT_EQ(b.cpu->read(kPendingBase + 4), 0u);
  EXPECT_EQ(b.cpu->read(kClaimComplete), 3u);
  // While claimed, the line toggling does not make it pending again.
  b.source(3, false);
  b.source(3, true);
  EXPECT_EQ(b.cpu->read(kPendingBase), 1u << 2);
  b.cpu->write(kThreshold, 0);
  EXPECT_EQ(b.cpu->read(kClaimComplete), 2u);
  EXPECT_EQ(b.stats.find("dev0")->find("claims")->value, 4u);
}

TEST(Plic, PriorityZeroNeverInterrupts) {
  PlicBench b;
  b.cpu->write(kEnableBase, 1u << 5);
  b.source(5, true);
  EXPECT_FALSE(b.dev().meip.level());
  EXPECT_EQ(b.cpu->read(kClaimComplete), 0u);
  b.cpu->write(kPriorityBase + 4 * 5, 1);
  EXPECT_TRUE(b.dev().meip.level());
  b.cpu->write(kEnableBase, 0);  // disabling lowers meip
  EXPECT_FALSE(b.dev().meip.level());
}

TEST(Plic, SourcesAreValidated) {
  flecsim::fresh_simulation();
  flecsim::StatsRegistry stats;
  flecsim::BuildContext ctx;
  ctx.stats = &stats;
  flecsim::ComponentRegistry registry;
  flecsim::register_periph_kinds(registry);
  flecsim::Config cfg(flecsim::parse_yaml_text("sources: 2000\n", "p.yaml"), "peripherals.plic0");
  try {
    registry.find("plic")->factory("plic0", cfg, ctx);
    FAIL() << "no error";
  } catch (const flecsim::UserError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("p.yaml:1:10: peripherals.plic0.sources", 0), 0u)
        << e.what();
  }
}
