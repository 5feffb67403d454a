#include "core/time.h"

#include <gtest/gtest.h>

namespace kizuna {
namespace {

TEST(Timestamps, FormatAndParseRoundTrip) {
  const Timestamp instants[] = {0, 1'795'000'000'123, 951'782'400'000 /* 2000-02-29 */};
  for (Timestamp t : instants) {
    auto parsed = ParseTimestamp(FormatTimestamp(t));
    ASSERT_TRUE(parsed.has_value()) << FormatTimestamp(t);
    EXPECT_EQ(*parsed, t);
  }
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
}

TEST(Timestamps, AcceptOffsetsAndRejectNonsense) {
  EXPECT_EQ(ParseTimestamp("2026-11-23T21:00:00+09:00"), ParseTimestamp("2026-11-23T12:00:00Z"));
  EXPECT_EQ(ParseTimestamp("2026-11-23T12:00:00.5Z").value() % 1000, 500);
  EXPECT_FALSE(ParseTimestamp("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-11-23"));
  EXPECT_FALSE(ParseTimestamp("2026-11-23T25:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-11-23T12:00:00Zjunk"));
  EXPECT_FALSE(ParseTimestamp(""));
}

}  // namespace
}  // namespace kizuna
