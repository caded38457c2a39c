#include <gtest/gtest.h>

#include "core/time.h"
#include "core/timeline.h"

using namespace flecsim;

TEST(Timeline, BooksBackToBackAndFillsGaps) {
  Timeline t;
  EXPECT_EQ(t.reserve(100, 10), 100u);
  EXPECT_EQ(t.reserve(100, 10), 110u);  // contention: waits for the first
  EXPECT_EQ(t.reserve(200, 5), 200u);
  EXPECT_EQ(t.reserve(120, 80), 120u);  // fits exactly in the gap [120,200)
  EXPECT_EQ(t.reserve(150, 1), 205u);   // no gap left before 205
  EXPECT_EQ(t.busy_total(), 106u);
  EXPECT_EQ(t.busy_until(), 206u);
}

TEST(Timeline, ProbeDoesNotBook) {
  Timeline t;
  t.reserve(0, 50);
  EXPECT_EQ(t.probe(10, 5), 50u);
  EXPECT_EQ(t.reserve(10, 5), 50u);
}

TEST(Clock, Conversions) {
  Clock c = Clock::from_hz(500000000);
  EXPECT_EQ(c.period_ps, 2000u);
  EXPECT_EQ(c.edge_at_or_after(2001), 4000u);
  EXPECT_EQ(c.cycles_ceil(2001), 2u);
  Clock lp = Clock::from_hz(1600000000);
  EXPECT_EQ(lp.period_ps, 625u);
}
