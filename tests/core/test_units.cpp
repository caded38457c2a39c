#include <gtest/gtest.h>

#include "core/units.h"

using namespace flecsim;

TEST(Units, Sizes) {
  uint64_t v = 0;
  std::string why;
  ASSERT_TRUE(parse_size_bytes("256KiB", v, why));
  EXPECT_EQ(v, 262144u);
  ASSERT_TRUE(parse_size_bytes("1 GiB", v, why));
  EXPECT_EQ(v, 1073741824u);
  ASSERT_TRUE(parse_size_bytes("0x1000", v, why));
  EXPECT_EQ(v, 4096u);
  ASSERT_TRUE(parse_size_bytes("1.5KiB", v, why));
  EXPECT_EQ(v, 1536u);
  EXPECT_FALSE(parse_size_bytes("12 parsecs", v, why));
  EXPECT_NE(why.find("unknown unit 'parsecs'"), std::string::npos) << why;
  EXPECT_FALSE(parse_size_bytes("-4KiB", v, why));
}

TEST(Units, FrequencyAndTime) {
  uint64_t v = 0;
  std::string why;
  ASSERT_TRUE(parse_frequency_hz("500MHz", v, why));
  EXPECT_EQ(v, 500000000u);
  ASSERT_TRUE(parse_frequency_hz("1.6GHz", v, why));
  EXPECT_EQ(v, 1600000000u);
  EXPECT_FALSE(parse_frequency_hz("500", v, why));
  ASSERT_TRUE(parse_time_ps("13.75ns", v, why));
  EXPECT_EQ(v, 13750u);
  ASSERT_TRUE(parse_time_ps("3.9us", v, why));
  EXPECT_EQ(v, 3900000u);
  EXPECT_FALSE(parse_time_ps("0.1ps", v, why));
}
