#include "engines/calendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <exception>

namespace kizuna {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kMinutesPerDay = 1440;
// The tz database shipped by the OS lists transitions only up to 2037; date/tz does not read
// the rule that follows them, so later years would silently lose DST. Years from 2038 are
// mapped back by whole 28-year cycles (10,227 days: same weekdays, same leap years until
// 2100), where the same rules give the same offsets, and the answer is shifted forward again.
constexpr std::int32_t kFirstDayOf2038 = 24'837;
constexpr std::int32_t kCycleDays = 10'227;
// The supported range: 1900-01-01 to 2100-01-01 UTC, where the 28-year cycle holds.
constexpr Timestamp kMinSupported = -2'208'988'800'000;
constexpr Timestamp kMaxSupported = 4'102'444'800'000;
// Offsets never exceed ±15 h: a day's local midnight is no earlier than this before UTC's.
constexpr std::int64_t kMaxOffsetMs = 15 * 3'600'000LL;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Seconds to ms, saturating: date/tz marks open-ended periods with extreme values.
std::int64_t SecondsToMs(std::int64_t seconds) {
  constexpr std::int64_t kLimit = std::int64_t{1} << 50;
  return std::clamp(seconds, -kLimit, kLimit) * 1000;
}

int WeekdayOf(std::int32_t day) { return static_cast<int>(((day % 7) + 7 + 4) % 7); }

std::int32_t CyclesToShift(std::int32_t day) {
  return day < kFirstDayOf2038 ? 0 : (day - kFirstDayOf2038) / kCycleDays + 1;
}

Result<std::int32_t> DayNumber(const LocalDate& date, const char* field) {
  date::year_month_day ymd{date::year{date.year}, date::month{static_cast<unsigned>(date.month)},
                           date::day{static_cast<unsigned>(date.day)}};
  if (date.month < 1 || date.day < 1 || !ymd.ok() || date.year < 1900 || date.year > 2099) {
    return Error::Invalid(field, "not a valid date between 1900 and 2099");
  }
  return static_cast<std::int32_t>(date::sys_days{ymd}.time_since_epoch().count());
}

Status ValidateShifts(std::vector<LocalInterval>& shifts, const std::string& field) {
  if (shifts.size() > static_cast<std::size_t>(BusinessCalendar::kMaxShiftsPerDay)) {
    return Error::Invalid(field, "too many intervals in one day");
  }
  for (const LocalInterval& shift : shifts) {
    if (shift.start_minute < 0 || shift.start_minute >= kMinutesPerDay || shift.end_minute <= shift.start_minute ||
        shift.end_minute > shift.start_minute + kMinutesPerDay) {
      return Error::Invalid(field, "an interval must start within the day and last between 1 minute and 24 hours");
    }
  }
  std::sort(shifts.begin(), shifts.end(),
            [](const LocalInterval& a, const LocalInterval& b) { return a.start_minute < b.start_minute; });
  for (std::size_t shift_idx = 1; shift_idx < shifts.size(); ++shift_idx) {
    if (shifts[shift_idx].start_minute < shifts[shift_idx - 1].end_minute) {
      return Error::Invalid(field, "intervals within a day overlap");
    }
  }
  return Ok();
}

bool InRange(Timestamp t) { return t >= kMinSupported && t < kMaxSupported; }

}  // namespace

// Walks the merged open periods forward from an instant, one local day at a time. Periods of
// consecutive days that touch or overlap (24/7, overnight shifts) come out as one period.
class BusinessCalendar::SpanCursor {
 public:
  // Yields periods ending after `from`. Stops after `max_closed_days` consecutive days without
  // any open period, or after local day `last_day`.
  SpanCursor(const BusinessCalendar& calendar, Timestamp from, int max_closed_days, std::int32_t last_day)
      : calendar_(calendar), from_(from), max_closed_days_(max_closed_days), last_day_(last_day) {
    // Start a day early: an overnight shift, or a day closing at an ambiguous midnight (latest
    // occurrence), reaches into the next local date.
    day_ = calendar.LocalDayOf(from, &offsets_) - 1;
  }

  // Fills `out` with the next period; false when the walk has stopped.
  bool Next(Span& out) {
    for (;;) {
      if (span_idx_ >= span_count_) {
        // Later days' periods start after this bound, so the pending one can no longer grow.
        if (has_pending_ && pending_.end < static_cast<std::int64_t>(day_) * kDayMs - kMaxOffsetMs) {
          if (Emit(out)) return true;
          continue;
        }
        if (exhausted_ || day_ > last_day_ || closed_days_ > max_closed_days_) {
          exhausted_ = true;
          if (has_pending_ && Emit(out)) return true;
          return false;
        }
        span_idx_ = 0;
        span_count_ = calendar_.DaySpans(day_++, day_spans_.data(), &offsets_);
        closed_days_ = span_count_ == 0 ? closed_days_ + 1 : 0;
        continue;
      }
      const Span span = day_spans_[span_idx_++];
      if (!has_pending_) {
        pending_ = span;
        has_pending_ = true;
      } else if (span.start <= pending_.end) {
        pending_.end = std::max(pending_.end, span.end);
      } else {
        Span done = pending_;
        pending_ = span;
        if (done.end > from_) {
          out = done;
          return true;
        }
      }
    }
  }

 private:
  bool Emit(Span& out) {
    has_pending_ = false;
    if (pending_.end <= from_) return false;
    out = pending_;
    return true;
  }

  const BusinessCalendar& calendar_;
  Timestamp from_;
  int max_closed_days_;
  std::int32_t last_day_;
  std::int32_t day_ = 0;
  int closed_days_ = 0;
  bool exhausted_ = false;
  bool has_pending_ = false;
  Span pending_;
  OffsetCache offsets_;
  std::array<Span, kMaxShiftsPerDay> day_spans_;
  int span_count_ = 0;
  int span_idx_ = 0;
};

Result<BusinessCalendar> BusinessCalendar::Create(const CalendarSpec& spec) {
  BusinessCalendar calendar;
  try {
    calendar.zone_ = date::locate_zone(spec.time_zone);
  } catch (const std::exception&) {
    return Error::Invalid("time_zone", "unknown time zone \"" + spec.time_zone + "\"");
  }
  calendar.zone_name_ = spec.time_zone;

  bool any_open = false;
  bool all_day_every_day = true;
  for (int weekday = 0; weekday < 7; ++weekday) {
    calendar.weekly_[weekday] = spec.weekly[weekday];
    KZ_TRY(ValidateShifts(calendar.weekly_[weekday], "weekly"));
    any_open = any_open || !calendar.weekly_[weekday].empty();
    const auto& shifts = calendar.weekly_[weekday];
    all_day_every_day = all_day_every_day && shifts.size() == 1 && shifts[0].start_minute == 0 &&
                        shifts[0].end_minute == kMinutesPerDay;
  }
  for (const LocalDate& holiday : spec.holidays) {
    KZ_ASSIGN(std::int32_t day, DayNumber(holiday, "holidays"));
    calendar.holidays_.push_back(day);
  }
  std::sort(calendar.holidays_.begin(), calendar.holidays_.end());
  calendar.holidays_.erase(std::unique(calendar.holidays_.begin(), calendar.holidays_.end()), calendar.holidays_.end());
  for (const DayException& exception : spec.exceptions) {
    KZ_ASSIGN(std::int32_t day, DayNumber(exception.date, "exceptions"));
    std::vector<LocalInterval> hours = exception.hours;
    KZ_TRY(ValidateShifts(hours, "exceptions"));
    any_open = any_open || !hours.empty();
    calendar.exceptions_.emplace_back(day, std::move(hours));
  }
  std::sort(calendar.exceptions_.begin(), calendar.exceptions_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t exception_idx = 1; exception_idx < calendar.exceptions_.size(); ++exception_idx) {
    if (calendar.exceptions_[exception_idx].first == calendar.exceptions_[exception_idx - 1].first) {
      return Error::Invalid("exceptions", "two exceptions for the same date");
    }
  }
  if (!any_open) return Error::Invalid("weekly", "the calendar is never open");

  for (const auto& shifts : calendar.weekly_) {
    for (const LocalInterval& shift : shifts) calendar.has_overnight_ |= shift.end_minute > kMinutesPerDay;
  }
  for (const auto& [day, shifts] : calendar.exceptions_) {
    for (const LocalInterval& shift : shifts) calendar.has_overnight_ |= shift.end_minute > kMinutesPerDay;
  }
  calendar.last_supported_day_ = calendar.LocalDayOf(kMaxSupported - 1);
  calendar.always_open_ = all_day_every_day && calendar.holidays_.empty() && calendar.exceptions_.empty();
  return calendar;
}

BusinessCalendar BusinessCalendar::AlwaysOpen() {
  CalendarSpec spec;
  for (auto& shifts : spec.weekly) shifts = {{0, kMinutesPerDay}};
  return std::move(Create(spec)).value();
}

const std::vector<LocalInterval>& BusinessCalendar::ShiftsOn(std::int32_t day) const {
  if (!exceptions_.empty()) {
    auto it = std::lower_bound(exceptions_.begin(), exceptions_.end(), day,
                               [](const auto& entry, std::int32_t value) { return entry.first < value; });
    if (it != exceptions_.end() && it->first == day) return it->second;
  }
  return weekly_[WeekdayOf(day)];
}

bool BusinessCalendar::IsHoliday(std::int32_t day) const {
  return !holidays_.empty() && std::binary_search(holidays_.begin(), holidays_.end(), day);
}

std::int64_t BusinessCalendar::ToSys(std::int32_t day, int minute, bool latest, OffsetCache* cache) const {
  const std::int32_t cycles = CyclesToShift(day);
  const std::int64_t shift_ms = static_cast<std::int64_t>(cycles) * kCycleDays * kDayMs;
  const std::int64_t local_minutes =
      (static_cast<std::int64_t>(day) - static_cast<std::int64_t>(cycles) * kCycleDays) * kMinutesPerDay + minute;
  if (cache != nullptr && cache->valid) {
    // A local time whose candidate instant lies more than a day inside a period of constant
    // offset has exactly one instant: any other offset would put it inside the same period.
    const std::int64_t candidate = local_minutes * kMinuteMs - cache->offset;
    if (candidate >= cache->begin + kDayMs && candidate < cache->end - kDayMs) return candidate + shift_ms;
  }
  date::local_time<std::chrono::minutes> local{std::chrono::minutes{local_minutes}};
  auto sys = zone_->to_sys(local, latest ? date::choose::latest : date::choose::earliest);
  const std::int64_t sys_ms = std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()).count();
  if (cache != nullptr) {
    const date::sys_info info = zone_->get_info(date::sys_seconds{std::chrono::seconds{FloorDiv(sys_ms, 1000)}});
    cache->begin = SecondsToMs(info.begin.time_since_epoch().count());
    cache->end = SecondsToMs(info.end.time_since_epoch().count());
    cache->offset = info.offset.count() * 1000LL;
    cache->valid = true;
  }
  return sys_ms + shift_ms;
}

std::int32_t BusinessCalendar::LocalDayOf(Timestamp t, OffsetCache* cache) const {
  const std::int32_t utc_day = static_cast<std::int32_t>(FloorDiv(t, kDayMs));
  const std::int32_t cycles = CyclesToShift(utc_day);
  const std::int64_t shifted = t - static_cast<std::int64_t>(cycles) * kCycleDays * kDayMs;
  date::sys_seconds sys{std::chrono::seconds{FloorDiv(shifted, 1000)}};
  const date::sys_info info = zone_->get_info(sys);
  const std::int64_t offset_ms = info.offset.count() * 1000LL;
  if (cache != nullptr) {
    cache->begin = SecondsToMs(info.begin.time_since_epoch().count());
    cache->end = SecondsToMs(info.end.time_since_epoch().count());
    cache->offset = offset_ms;
    cache->valid = true;
  }
  return static_cast<std::int32_t>(FloorDiv(t + offset_ms, kDayMs));
}

int BusinessCalendar::DaySpans(std::int32_t day, Span* out, OffsetCache* cache) const {
  if (IsHoliday(day)) return 0;
  int count = 0;
  const bool next_is_holiday = has_overnight_ && IsHoliday(day + 1);
  for (const LocalInterval& shift : ShiftsOn(day)) {
    Span span{ToSys(day, shift.start_minute, false, cache), ToSys(day, shift.end_minute, true, cache)};
    if (next_is_holiday && shift.end_minute > kMinutesPerDay) {
      span.end = std::min(span.end, ToSys(day + 1, 0, false, cache));
    }
    if (span.end > span.start) out[count++] = span;
  }
  return count;
}

bool BusinessCalendar::IsOpen(Timestamp t) const {
  if (!InRange(t)) return false;
  if (always_open_) return true;
  const std::int32_t day = LocalDayOf(t);
  std::array<Span, 2 * kMaxShiftsPerDay> spans;
  int count = 0;
  OffsetCache cache;
  count = DaySpans(day - 1, spans.data(), &cache);
  count += DaySpans(day, spans.data() + count, &cache);
  return std::any_of(spans.begin(), spans.begin() + count,
                     [t](const Span& span) { return span.start <= t && t < span.end; });
}

Result<Timestamp> BusinessCalendar::NextOpen(Timestamp t) const {
  if (!InRange(t)) return Error::Invalid("t", "instant outside 1900–2099");
  if (always_open_) return t;
  SpanCursor cursor(*this, t, kHorizonDays, last_supported_day_);
  Span span;
  if (!cursor.Next(span)) return Error::Invalid("calendar", "no open hours within the search horizon");
  return std::max(span.start, t);
}

Result<Timestamp> BusinessCalendar::AddBusinessTime(Timestamp start, DurationMs duration) const {
  if (duration < 0) return Error::Invalid("duration", "must not be negative");
  if (!InRange(start)) return Error::Invalid("start", "instant outside 1900–2099");
  if (duration == 0) return start;
  if (always_open_) {
    if (duration >= kMaxSupported - start) return Error::Invalid("duration", "ends after 2099");
    return start + duration;
  }
  SpanCursor cursor(*this, start, kHorizonDays, last_supported_day_);
  DurationMs remaining = duration;
  Span span;
  while (cursor.Next(span)) {
    const Timestamp begin = std::max(span.start, start);
    if (span.end - begin >= remaining) return begin + remaining;
    remaining -= span.end - begin;
  }
  return Error::Invalid("calendar", "no open hours within the search horizon");
}

Result<DurationMs> BusinessCalendar::BusinessTimeBetween(Timestamp a, Timestamp b) const {
  if (!InRange(a) || !InRange(b)) return Error::Invalid("t", "instant outside 1900–2099");
  if (b < a) {
    KZ_ASSIGN(DurationMs forward, BusinessTimeBetween(b, a));
    return -forward;
  }
  if (always_open_ || a == b) return b - a;
  SpanCursor cursor(*this, a, 1 << 30, LocalDayOf(b) + 1);
  DurationMs total = 0;
  Span span;
  while (cursor.Next(span) && span.start < b) {
    total += std::min(span.end, b) - std::max(span.start, a);
  }
  return total;
}

Timestamp BusinessCalendar::AtLocal(LocalDate date, int minute) const {
  date::year_month_day ymd{date::year{date.year}, date::month{static_cast<unsigned>(date.month)},
                           date::day{static_cast<unsigned>(date.day)}};
  const auto day = static_cast<std::int32_t>(date::sys_days{ymd}.time_since_epoch().count());
  return ToSys(day, minute, false);
}

LocalDate BusinessCalendar::LocalDateOf(Timestamp t) const {
  date::year_month_day ymd{date::sys_days{date::days{LocalDayOf(t)}}};
  return LocalDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

}  // namespace kizuna
