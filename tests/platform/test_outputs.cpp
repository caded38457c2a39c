// Run outputs: summary.json, stats.csv and trace.json.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/outputs.h"
#include "test_kinds.h"

namespace flecsim {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* kPlatform =
    "platform: {name: out-test}\n"
    "clocks: {core: 1GHz}\n"
    "cpu: {m0: {kind: tmaster, address: 0x100}}\n"
    "crossbars: {bus0: {kind: tbus, initiators: [m0]}}\n"
    "memories: {ram: {kind: tmem, size: 4KiB}}\n"
    "address_map: [{target: ram, base: 0}]\n";

TEST(Outputs, SummaryStatsAndTrace) {
  fresh_simulation();
  PlatformOptions options;
  options.tracing = true;
  auto p = Platform::from_text(kPlatform, "o.yaml", options, testing::test_registry());
  p->stats().group("extra", "test").counter("beats", "beats").add(7);
  p->stats().find("extra")->busy(1000, 3000, "burst");
  p->run();
  EXPECT_EQ(default_output_dir(*p), "flecsim-out/out-test");
  fs::path dir = fs::temp_directory_path() / ("flecsim-outputs-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_run_outputs(*p, dir.string(), {{"workload", "none"}}, false);
  auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
  EXPECT_EQ(summary["flecsim_version"], flecsim_version());
  EXPECT_EQ(summary["platform"], "out-test");
  EXPECT_EQ(summary["status"], "complete");
  EXPECT_EQ(summary["simulated_ps"], 4000) << "two transfers of 1 bus + 1 memory cycle at 1 GHz";
  EXPECT_EQ(summary["stop"]["exit_code"], 0);
  EXPECT_EQ(summary["stop"]["reason"], "done");
  EXPECT_EQ(summary["workload"], "none");
  EXPECT_EQ(summary["components"]["extra"]["counters"]["beats"]["value"], 7);
  EXPECT_NE(slurp(dir / "stats.csv").find("extra,test,beats,beats,7\n"), std::string::npos);
  auto trace = nlohmann::json::parse(slurp(dir / "trace.json"));
  EXPECT_TRUE(trace.contains("traceEvents"));
  write_run_outputs(*p, dir.string(), {}, true);
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "summary.json"))["status"], "partial");
  fs::remove_all(dir);
  EXPECT_THROW(write_run_outputs(*p, "/proc/no/such/dir", {}, false), UserError);
}

}  // namespace
}  // namespace flecsim
