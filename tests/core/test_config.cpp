#include <gtest/gtest.h>

#include "platform/config.h"

using namespace flecsim;

static std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, TypedGettersWithUnits) {
  auto root = parse_yaml_text("size: 512KiB\nfreq: 1GHz\nlatency_cycles: 2\nname: x\n", "p.yaml");
  Config c(root, "memories.sram0");
  EXPECT_EQ(c.bytes("size"), 524288u);
  EXPECT_EQ(c.hertz("freq"), 1000000000u);
  EXPECT_EQ(c.integer("latency_cycles"), 2u);
  EXPECT_EQ(c.integer("banks", 4), 4u);
  EXPECT_EQ(c.str("name"), "x");
  c.check_unused();
}

TEST(Config, ErrorsNameFileLineAndSuggest) {
  auto root = parse_yaml_text("size: 512KiB\nlatncy_cycles: 2\n", "p.yaml");
  Config c(root, "memories.sram0");
  c.bytes("size");
  c.integer("latency_cycles", 1);
  std::string msg = error_of([&] { c.check_unused(); });
  EXPECT_EQ(msg,
            "p.yaml:2:1: memories.sram0: unknown key 'latncy_cycles' (did you mean "
            "'latency_cycles'?)");
  auto bad = parse_yaml_text("size: lots\n", "q.yaml");
  msg = error_of([&] { Config(bad, "m").bytes("size"); });
  EXPECT_EQ(msg.rfind("q.yaml:1:7: m.size: expected a size", 0), 0u) << msg;
  msg = error_of([] { parse_yaml_text("a: [1, 2\n", "r.yaml"); });
  EXPECT_EQ(msg.rfind("r.yaml:", 0), 0u) << msg;
}
