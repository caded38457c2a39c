#include "periph/clint.h"
#include "periph_harness.h"

using namespace periph_test;
using namespace flecsim::clint_regs;

namespace {
struct ClintBench : Bench<Clint> {
  IrqRecorder mtip, msip;
  explicit ClintBench(const std::string& yaml = "timebase: 1MHz\n") : Bench("clint", yaml) {
    mtip.attach(dev().mtip);
    msip.attach(dev().msip);
  }
};
}  // namespace

TEST(Clint, MtimeFollowsSimulatedTime) {
  ClintBench b;
  EXPECT_EQ(b.cpu->read(kMtime), 0u);
  // 1 MHz timebase: one mtime tick per microsecond; the access time includes the delay.
  EXPECT_EQ(b.cpu->read(kMtime, kUs - 1), 0u);
  EXPECT_EQ(b.cpu->read(kMtime, kUs), 1u);
  b.run_until(10 * kUs + 500);
  EXPECT_EQ(b.cpu->read(kMtime), 10u);
  EXPECT_EQ(b.cpu->read(kMtime + 4), 0u);
  // Writing mtime moves the origin: it counts on from the written value.
  b.cpu->write(kMtime + 4, 2);
  b.cpu->write(kMtime, 0xfffffffe);
  b.run_until(13 * kUs + 500);
  EXPECT_EQ(b.cpu->read(kMtime), 1u);  // 0x2fffffffe + 3 wraps the low word
  EXPECT_EQ(b.cpu->read(kMtime + 4), 3u);
  uint64_t both = 0;
  ASSERT_EQ(b.cpu->access(false, kMtime, reinterpret_cast<uint8_t*>(&both), 8, 0),
            tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(both, 0x300000001ull);
}

TEST(Clint, TimerInterruptAtExactTick) {
  ClintBench b;
  EXPECT_EQ(b.cpu->read(kMtimecmp), 0xffffffffu);  // reset: never
  EXPECT_EQ(b.cpu->read(kMtimecmp + 4), 0xffffffffu);
  b.cpu->write(kMtimecmp + 4, 0);
  b.cpu->write(kMtimecmp, 25, 3 * kUs);  // issued at 3 us, due at 25 us
  b.run_until(100 * kUs);
  ASSERT_EQ(b.mtip.changes.size(), 1u);
  EXPECT_TRUE(b.mtip.changes[0].first);
  EXPECT_EQ(b.mtip.changes[0].second, 25 * kUs);
  // Moving mtimecmp ahead lowers mtip at once and re-arms the timer.
  b.cpu->write(kMtimecmp, 130);
  EXPECT_FALSE(b.dev().mtip.level());
  // A compare value already passed at the access time raises immediately.
  b.cpu->write(kMtimecmp, 101, 2 * kUs);
  EXPECT_TRUE(b.dev().mtip.level());
  EXPECT_EQ(b.mtip.changes.size(), 3u);
  EXPECT_EQ(b.stats.find("dev0")->find("timer_interrupts")->value, 2u);
}

TEST(Clint, RearmingCancelsTheEarlierEvent) {
  ClintBench b("timebase: 32768Hz\n");
  b.cpu->write(kMtimecmp + 4, 0);
  b.cpu->write(kMtimecmp, 10);
  b.cpu->write(kMtimecmp, 20);
  b.run_until(2000 * kUs);
  ASSERT_EQ(b.mtip.changes.size(), 1u);
  // 20 ticks of 32768 Hz = 610351562.5 ps: the first tick at which mtime is 20.
  EXPECT_EQ(b.mtip.changes[0].second, 610351563u);
  EXPECT_EQ(b.dev().mtime_at(610351562), 19u);
  EXPECT_EQ(b.dev().mtime_at(610351563), 20u);
}

TEST(Clint, SoftwareInterrupt) {
  ClintBench b;
  b.cpu->write(kMsip, 3);  // only bit 0 is implemented
  EXPECT_TRUE(b.dev().msip.level());
  EXPECT_EQ(b.cpu->read(kMsip), 1u);
  b.cpu->write(kMsip, 0);
  EXPECT_FALSE(b.dev().msip.level());
  EXPECT_EQ(b.msip.changes.size(), 2u);
  uint32_t v = 0;
  EXPECT_EQ(b.cpu->access(false, 0x8, reinterpret_cast<uint8_t*>(&v), 4, 0),
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
}
