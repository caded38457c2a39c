#include "periph/simctrl.h"
#include "periph_harness.h"

using namespace periph_test;
using namespace flecsim::simctrl_regs;

TEST(SimCtrl, CycleCounterAtAccessTime) {
  Bench<SimCtrl> b("simctrl", "");
  b.run_until(3 * kUs);
  // 3 us + 4001 ps at 500 MHz: cycle 1502 (floor).
  EXPECT_EQ(b.cpu->read(kCycleLo, 4001), 1502u);
  EXPECT_EQ(b.cpu->read(kCycleHi), 0u);
}

TEST(SimCtrl, MarksExitAndPutchar) {
  Bench<SimCtrl> b("simctrl", "access_latency_cycles: 3\n");
  Tick done = 0;
  b.cpu->write(kMark, 7, 100, &done);
  EXPECT_EQ(done, 100 + 3 * kCycle);
  b.cpu->write(kMark, 8, 5000);
  EXPECT_EQ(b.cpu->read(kMarkCount), 2u);
  ASSERT_EQ(b.dev().marks().size(), 2u);
  EXPECT_EQ(b.dev().marks()[0].value, 7u);
  EXPECT_EQ(b.dev().marks()[0].at, 100u);
  EXPECT_EQ(b.dev().marks()[1].at, 5000u);
  auto trace = b.stats.trace()->to_json().dump();
  EXPECT_NE(trace.find("\"mark 8\""), std::string::npos);
  testing::internal::CaptureStdout();
  for (char c : std::string("ok\n")) b.cpu->write(kPutchar, static_cast<uint8_t>(c));
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "ok\n");
  EXPECT_FALSE(b.dev().exit_code().has_value());
  b.cpu->write(kExit, 3);
  ASSERT_TRUE(b.dev().exit_code().has_value());
  EXPECT_EQ(*b.dev().exit_code(), 3);
}
