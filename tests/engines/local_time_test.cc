// FormatLocalTime: an instant as a customer reads it, in their zone and language.
#include "engines/local_time.h"

#include <gtest/gtest.h>

namespace kizuna {
namespace {

TEST(LocalTime, SaysTheDayAndTimeInTheZoneAndLanguage) {
  const Timestamp at = 1'795'482'000'000;  // 2026-11-24T01:00:00Z
  struct Case {
    const char* zone;
    const char* language;
    const char* expected;
  };
  const Case cases[] = {
      {"Asia/Tokyo", "en", "Tue 24 Nov, 10:00 (Asia/Tokyo)"},
      {"Asia/Tokyo", "ja", "11月24日(火) 10:00（Asia/Tokyo）"},
      {"Asia/Seoul", "ko", "11월 24일 (화) 10:00 (Asia/Seoul)"},
      {"Asia/Ho_Chi_Minh", "vi", "08:00 Thứ Ba, 24/11 (Asia/Ho_Chi_Minh)"},
      {"America/New_York", "en-US", "Mon 23 Nov, 20:00 (America/New_York)"},  // EST, the day before
      {"Not/AZone", "xx", "Tue 24 Nov, 01:00 (UTC)"},
  };
  for (const auto& c : cases) EXPECT_EQ(FormatLocalTime(at, c.zone, c.language), c.expected) << c.zone << " " << c.language;
}

TEST(LocalTime, FollowsDaylightSavingTime) {
  // 2026-07-01T12:00:00Z is 08:00 EDT in New York (UTC-4), not 07:00.
  EXPECT_EQ(FormatLocalTime(1'782'907'200'000, "America/New_York", "en"), "Wed 1 Jul, 08:00 (America/New_York)");
}

}  // namespace
}  // namespace kizuna
