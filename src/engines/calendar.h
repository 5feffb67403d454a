// BusinessCalendar: when a workspace, team or branch is open, and business-time arithmetic.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace date {
class time_zone;
}

namespace kizuna {

// Milliseconds of elapsed time (calendar or business), the unit of Timestamp.
using DurationMs = std::int64_t;
inline constexpr DurationMs kMinuteMs = 60'000;

// A day on the calendar of the calendar's time zone.
struct LocalDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

// Open hours within one local day, in minutes after local midnight: [start_minute, end_minute).
// end_minute may exceed 1440 for a shift that crosses midnight (22:00–06:00 is {1320, 1800});
// REQUIRES 0 <= start_minute < 1440 and start_minute < end_minute <= start_minute + 1440.
struct LocalInterval {
  int start_minute = 0;
  int end_minute = 0;
};

// Special hours for one local date; empty `hours` means closed that day.
struct DayException {
  LocalDate date;
  std::vector<LocalInterval> hours;
};

// Weekdays as indexes of CalendarSpec::weekly (the C encoding: Sunday is 0).
enum Weekday { kSunday = 0, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

// What an admin configures. Semantics of a local date D:
// - The shifts that START on D are the exception's hours if D has one, else weekly[weekday(D)];
//   none when D is a holiday.
// - A holiday closes the whole local date, including the tail of an overnight shift that
//   started the day before. A closed exception only removes the shifts starting on D.
// - Local times that do not exist (spring forward) map to the instant of the change; an
//   ambiguous local time (fall back) opens at its first occurrence and closes at its last.
struct CalendarSpec {
  std::string time_zone = "UTC";  // IANA name, e.g. "Asia/Tokyo"
  std::array<std::vector<LocalInterval>, 7> weekly;
  std::vector<LocalDate> holidays;
  std::vector<DayException> exceptions;
};

// Open hours in a time zone and arithmetic over them. Immutable once created; safe to share
// between threads. Results are exact to the millisecond across DST changes. The local
// calendar is supported from 1900 to 2099; a search fails after kHorizonDays without open time.
class BusinessCalendar {
 public:
  // A search that finds no open time within this many days fails instead of looping.
  static constexpr int kHorizonDays = 366 * 5;
  // Intervals a single day (weekday or exception) may have.
  static constexpr int kMaxShiftsPerDay = 12;

  // Validates the spec and loads the zone from the system tz database (read once per process).
  // Fails with InvalidArgument for an unknown zone, a malformed interval or date, overlapping
  // intervals within a day, more than kMaxShiftsPerDay intervals in a day, duplicate exceptions, or a calendar that is never open.
  static Result<BusinessCalendar> Create(const CalendarSpec& spec);
  // Open all the time in UTC: business time equals calendar time.
  static BusinessCalendar AlwaysOpen();

  const std::string& time_zone_name() const { return zone_name_; }
  bool always_open() const { return always_open_; }

  // Whether `t` falls inside open hours.
  bool IsOpen(Timestamp t) const;
  // `t` when open, else the start of the next open period. Fails when nothing opens within
  // kHorizonDays.
  Result<Timestamp> NextOpen(Timestamp t) const;
  // The earliest instant at which `duration` of business time has passed since `start`.
  // Adding 0 returns `start`. REQUIRES duration >= 0 (else InvalidArgument). Fails when the
  // answer lies beyond kHorizonDays of closed time or beyond the supported range.
  Result<Timestamp> AddBusinessTime(Timestamp start, DurationMs duration) const;
  // Business time in [a, b); negative when b < a. Fails when |b - a| is beyond the supported range.
  Result<DurationMs> BusinessTimeBetween(Timestamp a, Timestamp b) const;

  // The instant of a local wall-clock time (`minute` after local midnight, may be >= 1440),
  // resolved like the open hours (nonexistent → the change, ambiguous → first occurrence).
  Timestamp AtLocal(LocalDate date, int minute) const;
  // The local date on which `t` falls.
  LocalDate LocalDateOf(Timestamp t) const;

  // One open period in UTC, [start, end).
  struct Span {
    Timestamp start = 0;
    Timestamp end = 0;
  };

 private:
  BusinessCalendar() = default;

  class SpanCursor;
  friend class SpanCursor;

  // Writes the open periods of shifts starting on local day `day` (days since 1970-01-01) to
  // `out`, which holds kMaxShiftsPerDay; returns how many.
  // The UTC offset over [begin, end) (ms), remembered by one walk so that most local times
  // convert without a tz lookup.
  struct OffsetCache {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t offset = 0;
    bool valid = false;
  };
  int DaySpans(std::int32_t day, Span* out, OffsetCache* cache) const;
  const std::vector<LocalInterval>& ShiftsOn(std::int32_t day) const;
  bool IsHoliday(std::int32_t day) const;
  std::int64_t ToSys(std::int32_t day, int minute, bool latest, OffsetCache* cache = nullptr) const;
  std::int32_t LocalDayOf(Timestamp t, OffsetCache* cache = nullptr) const;

  std::string zone_name_ = "UTC";
  const date::time_zone* zone_ = nullptr;  // owned by the process-wide tz database
  bool always_open_ = false;               // fast path: 24/7 in any zone without holidays
  bool has_overnight_ = false;             // some shift crosses midnight
  std::int32_t last_supported_day_ = 0;    // local day of the last supported instant
  std::array<std::vector<LocalInterval>, 7> weekly_;  // sorted by start
  std::vector<std::int32_t> holidays_;                // sorted local days
  std::vector<std::pair<std::int32_t, std::vector<LocalInterval>>> exceptions_;  // sorted by day
};

}  // namespace kizuna
