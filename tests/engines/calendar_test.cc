#include "engines/calendar.h"

#include <gtest/gtest.h>

#include <random>

namespace kizuna {
namespace {

constexpr DurationMs kHour = 60 * kMinuteMs;

BusinessCalendar MustCreate(const CalendarSpec& spec) {
  auto calendar = BusinessCalendar::Create(spec);
  EXPECT_TRUE(calendar.ok()) << (calendar.ok() ? "" : calendar.error().message);
  return std::move(calendar).value();
}

// Mon–Fri 09:00–17:00 in `zone`.
CalendarSpec OfficeHours(std::string zone) {
  CalendarSpec spec;
  spec.time_zone = std::move(zone);
  for (int weekday = kMonday; weekday <= kFriday; ++weekday) spec.weekly[weekday] = {{9 * 60, 17 * 60}};
  return spec;
}

// Every day 00:00–24:00, written out so the general path (not the 24/7 shortcut) runs.
CalendarSpec AllDayWithAHoliday(std::string zone) {
  CalendarSpec spec;
  spec.time_zone = std::move(zone);
  for (auto& shifts : spec.weekly) shifts = {{0, 1440}};
  spec.holidays = {{2090, 1, 1}};
  return spec;
}

Timestamp Local(const BusinessCalendar& calendar, int y, int m, int d, int h, int min = 0) {
  return calendar.AtLocal({y, m, d}, h * 60 + min);
}

TEST(BusinessCalendar, AddsBusinessTimeAcrossNightsAndWeekends) {
  const BusinessCalendar ny = MustCreate(OfficeHours("America/New_York"));
  // 2026-11-20 is a Friday.
  struct Case {
    const char* name;
    int start_day, start_hour, start_minute;
    DurationMs duration;
    int due_day, due_hour, due_minute;
  } cases[] = {
      {"inside hours", 18, 10, 0, 2 * kHour, 18, 12, 0},
      {"lands exactly on closing", 18, 15, 0, 2 * kHour, 18, 17, 0},
      {"spills into next morning", 18, 16, 0, 2 * kHour, 19, 10, 0},
      {"Friday afternoon to Monday", 20, 16, 30, kHour, 23, 9, 30},
      {"before opening starts at opening", 18, 7, 0, 30 * kMinuteMs, 18, 9, 30},
      {"on Saturday starts Monday", 21, 12, 0, 8 * kHour, 23, 17, 0},
      {"a full week", 23, 9, 0, 40 * kHour, 27, 17, 0},
  };
  for (const Case& c : cases) {
    const Timestamp start = Local(ny, 2026, 11, c.start_day, c.start_hour, c.start_minute);
    auto due = ny.AddBusinessTime(start, c.duration);
    ASSERT_TRUE(due.ok()) << c.name;
    EXPECT_EQ(*due, Local(ny, 2026, 11, c.due_day, c.due_hour, c.due_minute)) << c.name;
    EXPECT_EQ(*ny.BusinessTimeBetween(start, *due), c.duration) << c.name;
  }
}

TEST(BusinessCalendar, OpenAndNextOpenFollowTheHours) {
  const BusinessCalendar ny = MustCreate(OfficeHours("America/New_York"));
  EXPECT_TRUE(ny.IsOpen(Local(ny, 2026, 11, 20, 9)));
  EXPECT_TRUE(ny.IsOpen(Local(ny, 2026, 11, 20, 16, 59)));
  EXPECT_FALSE(ny.IsOpen(Local(ny, 2026, 11, 20, 17)));
  EXPECT_FALSE(ny.IsOpen(Local(ny, 2026, 11, 21, 12)));
  EXPECT_EQ(*ny.NextOpen(Local(ny, 2026, 11, 21, 12)), Local(ny, 2026, 11, 23, 9));
  const Timestamp open = Local(ny, 2026, 11, 20, 10);
  EXPECT_EQ(*ny.NextOpen(open), open);
}

TEST(BusinessCalendar, DaylightSavingChangesBothWaysAreExact) {
  const BusinessCalendar ny = MustCreate(AllDayWithAHoliday("America/New_York"));
  // Spring forward: 2026-03-08 has 23 hours; fall back: 2026-11-01 has 25.
  EXPECT_EQ(*ny.BusinessTimeBetween(Local(ny, 2026, 3, 8, 0), Local(ny, 2026, 3, 9, 0)), 23 * kHour);
  EXPECT_EQ(*ny.BusinessTimeBetween(Local(ny, 2026, 11, 1, 0), Local(ny, 2026, 11, 2, 0)), 25 * kHour);
  EXPECT_EQ(*ny.AddBusinessTime(Local(ny, 2026, 3, 8, 0), 24 * kHour), Local(ny, 2026, 3, 9, 1));
  EXPECT_EQ(*ny.AddBusinessTime(Local(ny, 2026, 11, 1, 0), 24 * kHour), Local(ny, 2026, 11, 1, 23));

  // Office hours keep 8 hours a day on the changes' Mondays, and an overnight shift over the
  // change is an hour shorter in spring and an hour longer in autumn.
  const BusinessCalendar office = MustCreate(OfficeHours("America/New_York"));
  EXPECT_EQ(*office.BusinessTimeBetween(Local(office, 2026, 3, 6, 17), Local(office, 2026, 3, 9, 17)), 8 * kHour);
  CalendarSpec nights;
  nights.time_zone = "America/New_York";
  for (auto& shifts : nights.weekly) shifts = {{22 * 60, 30 * 60}};
  const BusinessCalendar night = MustCreate(nights);
  EXPECT_EQ(*night.BusinessTimeBetween(Local(night, 2026, 3, 7, 22), Local(night, 2026, 3, 8, 12)), 7 * kHour);
  EXPECT_EQ(*night.BusinessTimeBetween(Local(night, 2026, 10, 31, 22), Local(night, 2026, 11, 1, 12)), 9 * kHour);
  // The repeated hour: 01:30 happens twice and is open both times.
  EXPECT_TRUE(night.IsOpen(Local(night, 2026, 11, 1, 1, 30)));
  EXPECT_TRUE(night.IsOpen(Local(night, 2026, 11, 1, 1, 30) + kHour));
}

TEST(BusinessCalendar, DaylightSavingAfter2037IsStillApplied) {
  // The OS tz database lists transitions only up to 2037.
  const BusinessCalendar ny = MustCreate(AllDayWithAHoliday("America/New_York"));
  EXPECT_EQ(*ny.BusinessTimeBetween(Local(ny, 2040, 3, 11, 0), Local(ny, 2040, 3, 12, 0)), 23 * kHour);
  EXPECT_EQ(*ny.BusinessTimeBetween(Local(ny, 2040, 11, 4, 0), Local(ny, 2040, 11, 5, 0)), 25 * kHour);
  EXPECT_EQ(*ny.BusinessTimeBetween(Local(ny, 2040, 7, 1, 0), Local(ny, 2040, 7, 2, 0)), 24 * kHour);
  // July 2040 noon in New York is 16:00 UTC (EDT).
  EXPECT_EQ(Local(ny, 2040, 7, 1, 12) % (24 * kHour), 16 * kHour);
}

TEST(BusinessCalendar, ZonesWithoutDaylightSaving) {
  struct Case {
    const char* zone;
    int offset_hours;
  } cases[] = {{"Asia/Tokyo", 9}, {"Asia/Seoul", 9}, {"Asia/Ho_Chi_Minh", 7}, {"UTC", 0}};
  // 2026-11-23 00:00 UTC.
  const Timestamp midnight_utc = 1'795'392'000'000;
  for (const Case& c : cases) {
    const BusinessCalendar calendar = MustCreate(OfficeHours(c.zone));
    const Timestamp opening = midnight_utc + (9 - c.offset_hours) * kHour;
    EXPECT_EQ(Local(calendar, 2026, 11, 23, 9), opening) << c.zone;
    EXPECT_EQ(*calendar.AddBusinessTime(opening - kHour, 9 * kHour), opening + 24 * kHour + kHour) << c.zone;
    // Days without DST are always 24 h: a whole week of office hours is 40 h.
    EXPECT_EQ(*calendar.BusinessTimeBetween(opening, opening + 7 * 24 * kHour), 40 * kHour) << c.zone;
  }
}

TEST(BusinessCalendar, HolidaysAndExceptions) {
  CalendarSpec spec = OfficeHours("Asia/Tokyo");
  spec.holidays = {{2026, 11, 23}};                      // Labour Thanksgiving Day, a Monday
  spec.exceptions = {{{2026, 11, 24}, {{13 * 60, 15 * 60}}},  // Tuesday: 13:00–15:00 only
                     {{2026, 11, 25}, {}},                    // Wednesday: closed
                     {{2026, 11, 28}, {{10 * 60, 12 * 60}}}};  // Saturday: open 10:00–12:00
  const BusinessCalendar tokyo = MustCreate(spec);
  EXPECT_FALSE(tokyo.IsOpen(Local(tokyo, 2026, 11, 23, 10)));
  EXPECT_FALSE(tokyo.IsOpen(Local(tokyo, 2026, 11, 24, 10)));
  EXPECT_TRUE(tokyo.IsOpen(Local(tokyo, 2026, 11, 24, 14)));
  EXPECT_EQ(*tokyo.AddBusinessTime(Local(tokyo, 2026, 11, 20, 16), 4 * kHour), Local(tokyo, 2026, 11, 26, 10));
  EXPECT_EQ(*tokyo.BusinessTimeBetween(Local(tokyo, 2026, 11, 23, 0), Local(tokyo, 2026, 11, 30, 0)),
            (2 + 8 + 8 + 2) * kHour);
}

TEST(BusinessCalendar, AHolidayCutsTheTailOfTheNightBeforeButAClosedExceptionDoesNot) {
  CalendarSpec spec;
  spec.time_zone = "Asia/Ho_Chi_Minh";
  for (auto& shifts : spec.weekly) shifts = {{22 * 60, 30 * 60}};
  spec.holidays = {{2026, 9, 2}};
  spec.exceptions = {{{2026, 9, 5}, {}}};
  const BusinessCalendar night = MustCreate(spec);
  // 1 Sep 22:00–24:00 (2 h), none on 2 Sep, then 3 Sep's and 4 Sep's full nights.
  EXPECT_EQ(*night.BusinessTimeBetween(Local(night, 2026, 9, 1, 12), Local(night, 2026, 9, 3, 12)), 2 * kHour);
  EXPECT_EQ(*night.BusinessTimeBetween(Local(night, 2026, 9, 3, 12), Local(night, 2026, 9, 5, 12)), 16 * kHour);
  // 4 Sep's night runs into 5 Sep; 5 Sep's own night is closed.
  EXPECT_TRUE(night.IsOpen(Local(night, 2026, 9, 5, 3)));
  EXPECT_FALSE(night.IsOpen(Local(night, 2026, 9, 5, 23)));
}

TEST(BusinessCalendar, AlwaysOpenIsCalendarTime) {
  const BusinessCalendar always = BusinessCalendar::AlwaysOpen();
  EXPECT_TRUE(always.always_open());
  const Timestamp t = 1'795'392'000'123;
  EXPECT_EQ(*always.BusinessTimeBetween(t, t + 12345678), 12345678);
  EXPECT_EQ(*always.AddBusinessTime(t, 5), t + 5);
  EXPECT_EQ(*always.NextOpen(t), t);
  // A 24/7 week in a DST zone is also calendar time, over the change included.
  CalendarSpec spec;
  spec.time_zone = "America/New_York";
  for (auto& shifts : spec.weekly) shifts = {{0, 1440}};
  const BusinessCalendar ny = MustCreate(spec);
  const Timestamp before = Local(ny, 2026, 3, 7, 5, 17);
  EXPECT_EQ(*ny.BusinessTimeBetween(before, before + 100 * kHour), 100 * kHour);
}

TEST(BusinessCalendar, RejectsBadSpecs) {
  struct Case {
    const char* name;
    CalendarSpec spec;
    const char* field;
  };
  CalendarSpec never;
  CalendarSpec bad_zone = OfficeHours("Mars/Olympus_Mons");
  CalendarSpec overlap = OfficeHours("UTC");
  overlap.weekly[kMonday].push_back({16 * 60, 18 * 60});
  CalendarSpec too_long = OfficeHours("UTC");
  too_long.weekly[kMonday] = {{60, 60 + 1441}};
  CalendarSpec empty_interval = OfficeHours("UTC");
  empty_interval.weekly[kMonday] = {{600, 600}};
  CalendarSpec bad_date = OfficeHours("UTC");
  bad_date.holidays = {{2026, 2, 30}};
  CalendarSpec twice = OfficeHours("UTC");
  twice.exceptions = {{{2026, 1, 2}, {}}, {{2026, 1, 2}, {{0, 60}}}};
  const Case cases[] = {
      {"never open", never, "weekly"},           {"unknown zone", bad_zone, "time_zone"},
      {"overlap", overlap, "weekly"},            {"longer than a day", too_long, "weekly"},
      {"empty", empty_interval, "weekly"},       {"30 February", bad_date, "holidays"},
      {"two exceptions", twice, "exceptions"},
  };
  for (const Case& c : cases) {
    auto calendar = BusinessCalendar::Create(c.spec);
    ASSERT_FALSE(calendar.ok()) << c.name;
    EXPECT_EQ(calendar.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_EQ(calendar.error().field, c.field) << c.name;
  }
}

TEST(BusinessCalendar, ACalendarThatNeverOpensAgainFailsInsteadOfLooping) {
  CalendarSpec spec;
  spec.time_zone = "Asia/Seoul";
  spec.exceptions = {{{2026, 1, 5}, {{9 * 60, 10 * 60}}}};  // open one hour, once
  const BusinessCalendar once = MustCreate(spec);
  const Timestamp before = Local(once, 2026, 1, 1, 0);
  EXPECT_EQ(*once.AddBusinessTime(before, 30 * kMinuteMs), Local(once, 2026, 1, 5, 9, 30));
  auto beyond = once.AddBusinessTime(before, 2 * kHour);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().field, "calendar");
  EXPECT_FALSE(once.NextOpen(Local(once, 2026, 1, 6, 0)).ok());
  EXPECT_EQ(*once.BusinessTimeBetween(before, Local(once, 2030, 1, 1, 0)), kHour);
  EXPECT_FALSE(once.AddBusinessTime(before, -1).ok());
}

// ---- Properties over random calendars, seeded. ----

CalendarSpec RandomSpec(std::mt19937_64& rng) {
  static const char* kZones[] = {"America/New_York", "Asia/Tokyo", "Asia/Ho_Chi_Minh", "Asia/Seoul",
                                 "Europe/London", "Australia/Lord_Howe", "UTC"};
  CalendarSpec spec;
  spec.time_zone = kZones[rng() % std::size(kZones)];
  for (auto& shifts : spec.weekly) {
    const int kind = static_cast<int>(rng() % 5);
    if (kind == 0) continue;                                     // closed
    if (kind == 1) { shifts = {{0, 1440}}; continue; }           // all day
    if (kind == 2) { shifts = {{22 * 60, 30 * 60}}; continue; }  // overnight
    // Up to three disjoint intervals, on minute boundaries around the DST hours.
    int cursor = static_cast<int>(rng() % 240);
    const int count = 1 + static_cast<int>(rng() % 3);
    for (int interval_idx = 0; interval_idx < count && cursor < 1400; ++interval_idx) {
      const int length = 15 + static_cast<int>(rng() % 600);
      shifts.push_back({cursor, std::min(cursor + length, 1439 + 60)});
      cursor = shifts.back().end_minute + 1 + static_cast<int>(rng() % 120);
    }
  }
  if (std::all_of(spec.weekly.begin(), spec.weekly.end(), [](const auto& s) { return s.empty(); })) {
    spec.weekly[kWednesday] = {{60, 120}};
  }
  for (int holiday_idx = 0; holiday_idx < 6; ++holiday_idx) {
    spec.holidays.push_back({2026 + static_cast<int>(rng() % 2), 1 + static_cast<int>(rng() % 12),
                             1 + static_cast<int>(rng() % 28)});
  }
  spec.exceptions.push_back({{2026, 3, 8}, {{60, 240}}});  // around the US spring change
  return spec;
}

Timestamp RandomInstant(std::mt19937_64& rng) {
  // 2026-01-01 .. 2027-12-31, to the millisecond.
  return 1'767'225'600'000 + static_cast<Timestamp>(rng() % (730ULL * 86'400'000ULL));
}

TEST(BusinessCalendarProperties, AddingThenMeasuringReturnsTheSameAmountAndIsMonotonic) {
  std::mt19937_64 rng(20261123);
  for (int calendar_idx = 0; calendar_idx < 60; ++calendar_idx) {
    auto created = BusinessCalendar::Create(RandomSpec(rng));
    ASSERT_TRUE(created.ok()) << created.error().message;
    const BusinessCalendar& calendar = *created;
    for (int case_idx = 0; case_idx < 100; ++case_idx) {
      const Timestamp start = RandomInstant(rng);
      const DurationMs duration = static_cast<DurationMs>(rng() % (300 * kHour));
      auto due = calendar.AddBusinessTime(start, duration);
      ASSERT_TRUE(due.ok()) << calendar.time_zone_name();
      EXPECT_EQ(*calendar.BusinessTimeBetween(start, *due), duration) << calendar.time_zone_name() << " " << start;
      EXPECT_GE(*due, start);
      // Monotonic in the amount and in the start.
      const DurationMs more = duration + static_cast<DurationMs>(rng() % (10 * kHour));
      EXPECT_GE(*calendar.AddBusinessTime(start, more), *due);
      const Timestamp later = start + static_cast<Timestamp>(rng() % (48 * kHour));
      EXPECT_GE(*calendar.AddBusinessTime(later, duration), *due);
      // Additive and antisymmetric.
      const Timestamp middle = start + static_cast<Timestamp>(rng() % (200 * kHour));
      const Timestamp end = middle + static_cast<Timestamp>(rng() % (200 * kHour));
      EXPECT_EQ(*calendar.BusinessTimeBetween(start, end),
                *calendar.BusinessTimeBetween(start, middle) + *calendar.BusinessTimeBetween(middle, end));
      EXPECT_EQ(*calendar.BusinessTimeBetween(end, start), -*calendar.BusinessTimeBetween(start, end));
      // NextOpen is open, not before, and no business time lies in between.
      const Timestamp next = *calendar.NextOpen(start);
      EXPECT_GE(next, start);
      EXPECT_TRUE(calendar.IsOpen(next));
      EXPECT_EQ(*calendar.BusinessTimeBetween(start, next), 0);
    }
  }
}

TEST(BusinessCalendarProperties, MeasuringAgreesWithCountingOpenMinutes) {
  // An independent oracle: over minute-aligned ranges, business time is the number of open
  // minutes (hours and DST changes fall on whole minutes), found one IsOpen at a time.
  std::mt19937_64 rng(7);
  for (int calendar_idx = 0; calendar_idx < 40; ++calendar_idx) {
    const BusinessCalendar calendar = MustCreate(RandomSpec(rng));
    // Include the US and EU spring and autumn changes of 2026.
    static const Timestamp kNear[] = {1'772'928'000'000, 1'793'491'200'000, 1'774'742'400'000,
                                      1'792'886'400'000};
    Timestamp from = calendar_idx % 2 == 0 ? kNear[calendar_idx / 2 % 4] - 36 * kHour : RandomInstant(rng);
    from -= from % kMinuteMs;
    const int minutes = 4 * 1440;
    DurationMs counted = 0;
    for (int minute_idx = 0; minute_idx < minutes; ++minute_idx) {
      if (calendar.IsOpen(from + minute_idx * kMinuteMs)) counted += kMinuteMs;
    }
    EXPECT_EQ(*calendar.BusinessTimeBetween(from, from + minutes * kMinuteMs), counted)
        << calendar.time_zone_name() << " from " << from;
  }
}

}  // namespace
}  // namespace kizuna
