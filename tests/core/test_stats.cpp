#include <gtest/gtest.h>

#include "core/stats.h"

using namespace flecsim;

TEST(Stats, CountersSnapshotsAndCsv) {
  StatsRegistry reg(/*tracing=*/true, /*window=*/1000);
  StatGroup& g = reg.group("dram0", "dram");
  Counter& rd = g.counter("read_bytes", "bytes");
  rd += 64;
  auto before = reg.snapshot();
  rd += 128;
  ++g.counter("row_hits", "activations");
  auto delta = reg.delta_json(before, reg.snapshot());
  EXPECT_EQ(delta["dram0"]["read_bytes"], 128);
  EXPECT_EQ(delta["dram0"]["row_hits"], 1);
  EXPECT_EQ(reg.stats_csv(),
            "component,kind,counter,unit,value\ndram0,dram,read_bytes,bytes,192\n"
            "dram0,dram,row_hits,activations,1\n");
  EXPECT_THROW(g.counter("read_bytes", "beats"), std::exception);
}

TEST(Stats, ActivityBucketsAndTrace) {
  StatsRegistry reg(true, 1000);
  StatGroup& g = reg.group("dma0", "dma");
  g.busy(500, 2500, "copy");
  EXPECT_EQ(g.busy_total_ps(), 2000u);
  ASSERT_EQ(g.activity().busy_ps().size(), 3u);
  EXPECT_EQ(g.activity().busy_ps()[0], 500u);
  EXPECT_EQ(g.activity().busy_ps()[1], 1000u);
  EXPECT_EQ(g.activity().busy_ps()[2], 500u);
  // Far in the future: the window widens, total busy time is preserved.
  g.busy(1000000, 1000100, "late");
  Tick sum = 0;
  for (Tick b : g.activity().busy_ps()) sum += b;
  EXPECT_EQ(sum, 2100u);
  EXPECT_LE(g.activity().busy_ps().size(), Activity::kMaxBuckets);
  auto trace = reg.trace()->to_json();
  bool found = false;
  for (auto& e : trace["traceEvents"])
    if (e.value("name", "") == "copy") {
      found = true;
      EXPECT_DOUBLE_EQ(e["ts"].get<double>(), 0.0005);
      EXPECT_DOUBLE_EQ(e["dur"].get<double>(), 0.002);
    }
  EXPECT_TRUE(found);
}
