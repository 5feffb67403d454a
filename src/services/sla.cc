#include "services/sla.h"

#include <algorithm>
#include <cstdio>
#include <array>
#include <memory>
#include <mutex>
#include <random>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "services/events.h"
#include "services/sla_compiled.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxDates = 1000;        // holidays, and exceptions, per calendar
constexpr std::size_t kMaxConditionItems = 100;
constexpr std::size_t kMaxPolicies = 200;
constexpr std::int64_t kMaxPosition = 1'000'000;
constexpr std::int64_t kMaxMinutes = 10LL * 366 * 1440;  // the engine's limit
constexpr std::array<const char*, 7> kDayNames = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::string Item(const std::string& field, std::size_t idx) { return field + "[" + std::to_string(idx) + "]"; }

// ---- calendars: JSON <-> CalendarSpec ----

// "HH:MM" in minutes after midnight; "24:00" only when `end`.
std::optional<int> ParseClock(const json& value, bool end) {
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int idx : {0, 1, 3, 4}) {
    if (text[idx] < '0' || text[idx] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !end))) return std::nullopt;
  return hours * 60 + minutes;
}

std::string FormatClock(int minute) {
  char out[16];
  std::snprintf(out, sizeof out, "%02d:%02d", minute / 60, minute % 60);
  return out;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// "YYYY-MM-DD" between 1900 and 2099.
std::optional<LocalDate> ParseDate(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (int idx : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[idx] < '0' || text[idx] > '9') return std::nullopt;
  }
  LocalDate date{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (date.year < 1900 || date.year > 2099 || date.month < 1 || date.month > 12 || date.day < 1) return std::nullopt;
  const int days = kDays[static_cast<std::size_t>(date.month - 1)] + (date.month == 2 && IsLeap(date.year) ? 1 : 0);
  if (date.day > days) return std::nullopt;
  return date;
}

std::string FormatDate(const LocalDate& date) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", date.year, date.month, date.day);
  return out;
}

// One day's open hours: [{"start": "09:00", "end": "18:00"}, …], sorted, not overlapping.
Result<std::vector<LocalInterval>> ParseShifts(const json& value, const std::string& field) {
  if (!value.is_array()) return Error::Invalid(field, "give a list of {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}");
  if (value.size() > static_cast<std::size_t>(BusinessCalendar::kMaxShiftsPerDay)) {
    return Error::Invalid(field, "at most 12 intervals a day");
  }
  std::vector<LocalInterval> shifts;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    const json& shift = value[idx];
    const std::string at = Item(field, idx);
    if (!shift.is_object()) return Error::Invalid(at, "give {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}");
    for (const auto& [key, unused] : shift.items()) {
      if (key != "start" && key != "end") return Error::Invalid(at + "." + key, "unknown field " + key);
    }
    auto start = shift.contains("start") ? ParseClock(shift["start"], false) : std::nullopt;
    if (!start) return Error::Invalid(at + ".start", "a time of day from 00:00 to 23:59");
    auto end = shift.contains("end") ? ParseClock(shift["end"], true) : std::nullopt;
    if (!end) return Error::Invalid(at + ".end", "a time of day from 00:01 to 24:00");
    // An end at or before the start is on the next day (a night shift; the same time: 24 hours).
    int end_minute = *end <= *start ? *end + 1440 : *end;
    shifts.push_back(LocalInterval{*start, end_minute});
  }
  std::sort(shifts.begin(), shifts.end(),
            [](const LocalInterval& a, const LocalInterval& b) { return a.start_minute < b.start_minute; });
  for (std::size_t idx = 1; idx < shifts.size(); ++idx) {
    if (shifts[idx].start_minute < shifts[idx - 1].end_minute) return Error::Invalid(field, "intervals overlap");
  }
  return shifts;
}

json ShiftsJson(const std::vector<LocalInterval>& shifts) {
  json out = json::array();
  for (const auto& shift : shifts) {
    int end = shift.end_minute > 1440 ? shift.end_minute - 1440 : shift.end_minute;
    out.push_back({{"start", FormatClock(shift.start_minute)}, {"end", FormatClock(end)}});
  }
  return out;
}

Result<std::array<std::vector<LocalInterval>, 7>> ParseHours(const json& value) {
  if (!value.is_object()) return Error::Invalid("hours", "give an object of days: {\"mon\": [{\"start\": …}], …}");
  std::array<std::vector<LocalInterval>, 7> weekly;
  for (const auto& [key, shifts] : value.items()) {
    auto day = std::find(kDayNames.begin(), kDayNames.end(), key);
    if (day == kDayNames.end()) return Error::Invalid("hours." + key, "days are sun, mon, tue, wed, thu, fri, sat");
    KZ_ASSIGN(weekly[static_cast<std::size_t>(day - kDayNames.begin())], ParseShifts(shifts, "hours." + key));
  }
  bool any = std::any_of(weekly.begin(), weekly.end(), [](const auto& shifts) { return !shifts.empty(); });
  if (!any) return Error::Invalid("hours", "the calendar has no open hours in the week");
  return weekly;
}

json HoursJson(const std::array<std::vector<LocalInterval>, 7>& weekly) {
  json out = json::object();
  for (std::size_t day = 0; day < 7; ++day) out[kDayNames[day]] = ShiftsJson(weekly[day]);
  return out;
}

Result<std::vector<LocalDate>> ParseHolidays(const json& value) {
  if (!value.is_array()) return Error::Invalid("holidays", "give a list of dates \"YYYY-MM-DD\"");
  if (value.size() > kMaxDates) return Error::Invalid("holidays", "at most 1000 holidays");
  std::vector<LocalDate> out;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    auto date = ParseDate(value[idx]);
    if (!date) return Error::Invalid(Item("holidays", idx), "a date \"YYYY-MM-DD\" between 1900 and 2099");
    out.push_back(*date);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

json HolidaysJson(const std::vector<LocalDate>& holidays) {
  json out = json::array();
  for (const auto& date : holidays) out.push_back(FormatDate(date));
  return out;
}

Result<std::vector<DayException>> ParseExceptions(const json& value) {
  if (!value.is_array()) {
    return Error::Invalid("exceptions", "give a list of {\"date\": \"YYYY-MM-DD\", \"hours\": […]}");
  }
  if (value.size() > kMaxDates) return Error::Invalid("exceptions", "at most 1000 exceptions");
  std::vector<DayException> out;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    const json& item = value[idx];
    const std::string at = Item("exceptions", idx);
    if (!item.is_object()) return Error::Invalid(at, "give {\"date\": \"YYYY-MM-DD\", \"hours\": […]}");
    for (const auto& [key, unused] : item.items()) {
      if (key != "date" && key != "hours") return Error::Invalid(at + "." + key, "unknown field " + key);
    }
    auto date = item.contains("date") ? ParseDate(item["date"]) : std::nullopt;
    if (!date) return Error::Invalid(at + ".date", "a date \"YYYY-MM-DD\" between 1900 and 2099");
    DayException exception{*date, {}};
    if (item.contains("hours")) { KZ_ASSIGN(exception.hours, ParseShifts(item["hours"], at + ".hours")); }
    out.push_back(std::move(exception));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
  for (std::size_t idx = 1; idx < out.size(); ++idx) {
    if (out[idx].date == out[idx - 1].date) {
      return Error::Invalid("exceptions", "two exceptions for " + FormatDate(out[idx].date));
    }
  }
  return out;
}

json ExceptionsJson(const std::vector<DayException>& exceptions) {
  json out = json::array();
  for (const auto& e : exceptions) out.push_back({{"date", FormatDate(e.date)}, {"hours", ShiftsJson(e.hours)}});
  return out;
}

json ParseStored(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json() : parsed;
}

// The engine's calendar of a stored (already checked) calendar.
Result<BusinessCalendar> CompileCalendar(const ports::StoredCalendar& stored) {
  CalendarSpec spec;
  spec.time_zone = stored.time_zone;
  KZ_ASSIGN(spec.weekly, ParseHours(ParseStored(stored.hours)));
  KZ_ASSIGN(spec.holidays, ParseHolidays(ParseStored(stored.holidays)));
  KZ_ASSIGN(spec.exceptions, ParseExceptions(ParseStored(stored.exceptions)));
  auto calendar = BusinessCalendar::Create(spec);
  if (!calendar.ok() && calendar.error().field == "weekly") {
    return Error::Invalid("hours", calendar.error().message);
  }
  return calendar;
}

// ---- policies: JSON <-> SlaConditions, SlaTarget ----

Result<std::vector<std::string>> StringList(const json& value, const std::string& field) {
  if (!value.is_array()) return Error::Invalid(field, "give a list of strings");
  if (value.size() > kMaxConditionItems) return Error::Invalid(field, "at most 100 items");
  std::vector<std::string> out;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    if (!value[idx].is_string()) return Error::Invalid(Item(field, idx), "give a string");
    out.push_back(value[idx].get<std::string>());
  }
  return out;
}

Result<std::vector<std::int64_t>> IdList(const json& value, const std::string& field) {
  if (!value.is_array()) return Error::Invalid(field, "give a list of ids");
  if (value.size() > kMaxConditionItems) return Error::Invalid(field, "at most 100 items");
  std::vector<std::int64_t> out;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    if (!value[idx].is_number_integer() || value[idx].get<std::int64_t>() <= 0) {
      return Error::Invalid(Item(field, idx), "give a positive integer id");
    }
    out.push_back(value[idx].get<std::int64_t>());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<SlaConditions> ParseConditions(const json& value) {
  if (!value.is_object()) return Error::Invalid("conditions", "give an object such as {\"priorities\": [\"urgent\"]}");
  SlaConditions out;
  for (const auto& [key, item] : value.items()) {
    const std::string field = "conditions." + key;
    if (key == "priorities") {
      KZ_ASSIGN(auto names, StringList(item, field));
      for (std::size_t idx = 0; idx < names.size(); ++idx) {
        auto priority = ParsePriority(names[idx]);
        if (!priority.ok()) return Error::Invalid(Item(field, idx), "priorities are low, normal, high and urgent");
        if (std::find(out.priorities.begin(), out.priorities.end(), *priority) == out.priorities.end()) {
          out.priorities.push_back(*priority);
        }
      }
    } else if (key == "channels") {
      KZ_ASSIGN(auto channels, StringList(item, field));
      for (std::size_t idx = 0; idx < channels.size(); ++idx) {
        if (!IsKnownChannel(channels[idx])) return Error::Invalid(Item(field, idx), "unknown channel " + channels[idx]);
      }
      std::sort(channels.begin(), channels.end());
      channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
      out.channels = std::move(channels);
    } else if (key == "tags") {
      KZ_ASSIGN(auto tags, StringList(item, field));
      auto normalised = NormaliseTags(tags);
      if (!normalised.ok()) return Error::Invalid(field, normalised.error().message);
      out.tags = std::move(*normalised);
    } else if (key == "customer_tiers") {
      KZ_ASSIGN(auto tiers, StringList(item, field));
      for (std::size_t idx = 0; idx < tiers.size(); ++idx) {
        auto tier = CheckText(Item(field, idx), tiers[idx], TextRule{.max_code_points = 40});  // as customers'
        if (!tier.ok()) return tier.error();
        tiers[idx] = ToLowerAscii(*tier);  // customers' tiers are stored lower-cased
      }
      std::sort(tiers.begin(), tiers.end());
      tiers.erase(std::unique(tiers.begin(), tiers.end()), tiers.end());
      out.customer_tiers = std::move(tiers);
    } else if (key == "organisation_ids") {
      KZ_ASSIGN(out.organisation_ids, IdList(item, field));
    } else if (key == "team_ids") {
      KZ_ASSIGN(out.team_ids, IdList(item, field));
    } else {
      return Error::Invalid(field, "conditions are priorities, channels, tags, organisation_ids, customer_tiers and "
                                   "team_ids");
    }
  }
  std::sort(out.priorities.begin(), out.priorities.end());
  return out;
}

json ConditionsJson(const SlaConditions& c) {
  json priorities = json::array();
  for (Priority p : c.priorities) priorities.push_back(PriorityName(p));
  return json{{"priorities", priorities},         {"channels", c.channels}, {"tags", c.tags},
              {"organisation_ids", c.organisation_ids}, {"customer_tiers", c.customer_tiers},
              {"team_ids", c.team_ids}};
}

std::optional<SlaMetric> ParseMetric(const std::string& name) {
  for (SlaMetric metric :
       {SlaMetric::kFirstReply, SlaMetric::kNextReply, SlaMetric::kPeriodicUpdate, SlaMetric::kResolution}) {
    if (name == SlaMetricName(metric)) return metric;
  }
  return std::nullopt;
}

Result<std::vector<SlaTarget>> ParseTargets(const json& value) {
  if (!value.is_array()) return Error::Invalid("targets", "give a list of {\"metric\": …, \"minutes\": …}");
  if (value.empty()) return Error::Invalid("targets", "give at least one target");
  std::vector<SlaTarget> out;
  for (std::size_t idx = 0; idx < value.size(); ++idx) {
    const json& item = value[idx];
    const std::string at = Item("targets", idx);
    if (!item.is_object()) return Error::Invalid(at, "give {\"metric\": …, \"minutes\": …, \"clock\": …}");
    for (const auto& [key, unused] : item.items()) {
      if (key != "metric" && key != "minutes" && key != "clock") {
        return Error::Invalid(at + "." + key, "unknown field " + key);
      }
    }
    SlaTarget target;
    std::optional<SlaMetric> metric;
    if (item.contains("metric") && item["metric"].is_string()) metric = ParseMetric(item["metric"].get<std::string>());
    if (!metric) {
      return Error::Invalid(at + ".metric", "metrics are first_reply, next_reply, periodic_update and resolution");
    }
    target.metric = *metric;
    for (const SlaTarget& earlier : out) {
      if (earlier.metric == target.metric) {
        return Error::Invalid(at + ".metric", std::string("a second target for ") + SlaMetricName(target.metric));
      }
    }
    const json* minutes = item.contains("minutes") ? &item["minutes"] : nullptr;
    if (!minutes || !minutes->is_number_integer() || minutes->get<std::int64_t>() <= 0 ||
        minutes->get<std::int64_t>() > kMaxMinutes) {
      return Error::Invalid(at + ".minutes", "a whole number of minutes, at least 1 and at most 10 years");
    }
    target.minutes = minutes->get<std::int64_t>();
    if (item.contains("clock")) {
      const json& clock = item["clock"];
      if (clock == "business") target.clock = SlaClock::kBusiness;
      else if (clock == "calendar") target.clock = SlaClock::kCalendar;
      else return Error::Invalid(at + ".clock", "clock is business (the calendar's hours) or calendar (24/7)");
    }
    out.push_back(target);
  }
  return out;
}

json TargetsJson(const std::vector<SlaTarget>& targets) {
  json out = json::array();
  for (const auto& t : targets) {
    out.push_back({{"metric", SlaMetricName(t.metric)},
                   {"minutes", t.minutes},
                   {"clock", t.clock == SlaClock::kBusiness ? "business" : "calendar"}});
  }
  return out;
}

// What a policy does at a warning and at a breach. Absent parts keep the defaults.
Result<SlaEscalations> ParseEscalations(const json& value) {
  if (!value.is_object()) return Error::Invalid("escalations", "give {\"warning\": {…}, \"breach\": {…}}");
  SlaEscalations out;
  for (const auto& [stage, spec] : value.items()) {
    const std::string field = "escalations." + stage;
    if (stage != "warning" && stage != "breach") return Error::Invalid(field, "the stages are warning and breach");
    if (!spec.is_object()) return Error::Invalid(field, "give an object of actions");
    for (const auto& [key, action] : spec.items()) {
      const std::string at = field + "." + key;
      if (key == "notify") {
        if (!action.is_boolean()) return Error::Invalid(at, "true or false");
        (stage == "warning" ? out.warning_notify : out.breach_notify) = action.get<bool>();
      } else if (stage == "breach" && key == "raise_priority") {
        if (action.is_null()) continue;
        auto priority = action.is_string() ? ParsePriority(action.get<std::string>()) : Result<Priority>(Error::Invalid(at, ""));
        if (!priority.ok() || (*priority != Priority::kHigh && *priority != Priority::kUrgent)) {
          return Error::Invalid(at, "raise the priority to high or urgent, or null");
        }
        out.raise_priority = *priority;
      } else if (stage == "breach" && key == "assign_team_id") {
        if (action.is_null()) continue;
        if (!action.is_number_integer() || action.get<std::int64_t>() <= 0) return Error::Invalid(at, "a team id, or null");
        out.assign_team_id = action.get<std::int64_t>();
      } else {
        return Error::Invalid(at, stage == "warning" ? "a warning can notify" :
                                  "a breach can notify, raise_priority and assign_team_id");
      }
    }
  }
  return out;
}

json EscalationsJson(const SlaEscalations& e) {
  return json{{"warning", {{"notify", e.warning_notify}}},
              {"breach",
               {{"notify", e.breach_notify},
                {"raise_priority", e.raise_priority ? json(PriorityName(*e.raise_priority)) : json(nullptr)},
                {"assign_team_id", e.assign_team_id ? json(*e.assign_team_id) : json(nullptr)}}}};
}

json StoredEscalationsJson(const std::string& text) {
  auto escalations = ParseEscalations(ParseStored(text));
  return EscalationsJson(escalations.ok() ? *escalations : SlaEscalations{});
}

Result<std::string> CheckName(const std::string& name) {
  return CheckText("name", name, TextRule{.max_code_points = kMaxName});
}

Status CheckVersion(const std::optional<std::int64_t>& expected, std::int64_t version, const char* what) {
  if (expected && *expected != version) {
    return Error{ErrorCode::kPreconditionFailed,
                 std::string("the ") + what + " changed since you loaded it (now version " + std::to_string(version) +
                     ")",
                 "If-Match"};
  }
  return Ok();
}

// ---- the compiled policies of a workspace, cached per revision ----

std::int64_t NewRevision() {
  static std::mutex mu;
  static std::mt19937_64 random{std::random_device{}()};
  std::lock_guard lock(mu);
  // Positive and never 0 (0 means "never had calendars or policies").
  return static_cast<std::int64_t>(random() >> 2) + 1;
}

// Process-wide: revisions are random, so two stores (tests) or nodes never confuse theirs.
class CompiledSlaCache {
 public:
  Result<std::shared_ptr<const CompiledSlas>> Get(ports::ReadTx& tx, WorkspaceId ws, std::int64_t revision) {
    {
      std::lock_guard lock(mu_);
      auto it = by_workspace_.find(ws);
      if (it != by_workspace_.end() && it->second->revision == revision) return it->second;
    }
    KZ_ASSIGN(auto compiled, Compile(tx, ws, revision));
    std::lock_guard lock(mu_);
    by_workspace_[ws] = compiled;
    return compiled;
  }

 private:
  static Result<std::shared_ptr<const CompiledSlas>> Compile(ports::ReadTx& tx, WorkspaceId ws,
                                                             std::int64_t revision) {
    auto out = std::make_shared<CompiledSlas>();
    out->revision = revision;
    out->calendars.push_back(BusinessCalendar::AlwaysOpen());
    KZ_ASSIGN(auto stored_policies, tx.ListSlaPolicies(ws));
    if (stored_policies.empty()) return std::shared_ptr<const CompiledSlas>(out);
    KZ_ASSIGN(auto stored_calendars, tx.ListCalendars(ws));
    std::unordered_map<std::int64_t, std::size_t> calendar_idx;
    for (const auto& stored : stored_calendars) {
      auto calendar = CompileCalendar(stored);
      if (!calendar.ok()) continue;  // checked when saved; a policy using it is left out below
      calendar_idx[stored.id] = out->calendars.size();
      out->calendars.push_back(std::move(*calendar));
    }
    for (const auto& stored : stored_policies) {
      SlaPolicy policy;
      policy.id = stored.id;
      policy.name = stored.name;
      auto conditions = ParseConditions(ParseStored(stored.conditions));
      auto targets = ParseTargets(ParseStored(stored.targets));
      auto escalations = ParseEscalations(ParseStored(stored.escalations));
      if (!conditions.ok() || !targets.ok() || !escalations.ok()) continue;
      policy.conditions = std::move(*conditions);
      policy.targets = std::move(*targets);
      std::size_t calendar = 0;
      if (stored.calendar_id) {
        auto it = calendar_idx.find(*stored.calendar_id);
        if (it == calendar_idx.end()) continue;
        calendar = it->second;
      }
      out->uses_customer = out->uses_customer || !policy.conditions.organisation_ids.empty() ||
                           !policy.conditions.customer_tiers.empty();
      out->policies.push_back(std::move(policy));
      out->calendar_of.push_back(calendar);
      out->escalations.push_back(*escalations);
      out->warning_fraction.push_back(static_cast<double>(std::clamp<std::int64_t>(stored.warning_percent, 1, 99)) /
                                      100.0);
    }
    return std::shared_ptr<const CompiledSlas>(out);
  }

  std::mutex mu_;
  std::unordered_map<WorkspaceId, std::shared_ptr<const CompiledSlas>> by_workspace_;
};

CompiledSlaCache& Cache() {
  static CompiledSlaCache cache;
  return cache;
}

Status TouchRevision(ports::WriteTx& tx, WorkspaceId ws) { return tx.SetSlaRevision(ws, NewRevision()); }

// ---- a ticket's history for the engine ----

std::optional<TicketStatus> StatusOf(const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto status = ParseStatus(name);
  return status.ok() ? std::optional<TicketStatus>(*status) : std::nullopt;
}

const char* TargetStateName(SlaTargetState state) {
  switch (state) {
    case SlaTargetState::kInactive: return "inactive";
    case SlaTargetState::kRunning: return "running";
    case SlaTargetState::kPaused: return "paused";
    case SlaTargetState::kFulfilled: return "fulfilled";
  }
  return "inactive";
}

TicketSla SnapshotOf(const SlaDecision& decision) {
  TicketSla sla;
  sla.policy_id = decision.policy_id;
  sla.next_due_at = decision.next_due_at;
  for (const auto& status : decision.targets) {
    sla.targets.push_back(TicketSlaTarget{SlaMetricName(status.metric), TargetStateName(status.state), status.due_at,
                                          status.breached, status.breached_at, status.warning_at, status.cycles});
  }
  return sla;
}

}  // namespace

// Times never go backwards: writes queued at nearly the same moment may commit in another
// order than their clocks read.
std::vector<SlaEvent> HistoryOf(const std::vector<ports::TicketActivity>& activity) {
  std::vector<SlaEvent> history;
  history.reserve(activity.size() + 2);
  Timestamp last = 0;
  auto push = [&](Timestamp at, SlaEventKind kind, TicketStatus status = TicketStatus::kOpen) {
    last = history.empty() ? at : std::max(at, last);
    history.push_back(SlaEvent{last, kind, status});
  };
  for (const auto& a : activity) {
    auto status = StatusOf(a.status);
    if (a.type == "ticket.created") {
      if (!history.empty()) continue;
      push(a.at, SlaEventKind::kCreated);
      if (status && *status != TicketStatus::kNew && *status != TicketStatus::kOpen) {
        push(a.at, SlaEventKind::kStatusChanged, *status);
      }
    } else if (history.empty()) {
      continue;  // nothing counts before the creation
    } else if (a.type == "message.created" && a.actor_type == "customer") {
      // A customer's message that reopens the ticket comes after the reopening.
      if (status) push(a.at, SlaEventKind::kStatusChanged, *status);
      push(a.at, SlaEventKind::kCustomerReply);
    } else if (a.type == "message.created" && a.message_kind == "public" &&
               (a.actor_type == "agent" || a.actor_type == "token")) {
      // An agent's reply that also changes the status (reply and solve) answers first. A
      // message the system sends (an automatic answer) is no reply.
      push(a.at, SlaEventKind::kAgentReply);
      if (status) push(a.at, SlaEventKind::kStatusChanged, *status);
    } else if (status) {
      push(a.at, SlaEventKind::kStatusChanged, *status);
    }
  }
  return history;
}

std::vector<SlaEvent> CreationHistory(const Ticket& ticket) {
  std::vector<SlaEvent> history{SlaEvent{ticket.created_at, SlaEventKind::kCreated}};
  if (ticket.status != TicketStatus::kNew && ticket.status != TicketStatus::kOpen) {
    history.push_back(SlaEvent{ticket.created_at, SlaEventKind::kStatusChanged, ticket.status});
  }
  return history;
}

std::string StoredSlaHistory(std::int64_t version, const std::vector<SlaEvent>& history) {
  return std::to_string(version) + "|" + EncodeSlaHistory(history);
}

std::optional<std::vector<SlaEvent>> KeptSlaHistory(std::string_view stored, std::int64_t version) {
  const std::string prefix = std::to_string(version) + "|";
  if (stored.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto history = DecodeSlaHistory(stored.substr(prefix.size()));
  if (!history.ok()) return std::nullopt;
  return std::move(*history);
}

Result<std::vector<SlaEvent>> TicketSlaHistory(ports::ReadTx& tx, const Ticket& ticket,
                                               const std::optional<std::string>& kept,
                                               std::optional<std::string>& to_keep) {
  if (ticket.version == 1) return CreationHistory(ticket);
  if (kept) {
    if (auto history = KeptSlaHistory(*kept, ticket.version)) return std::move(*history);
  }
  KZ_ASSIGN(auto activity, tx.ListTicketActivity(ticket.workspace_id, ticket.id));
  std::vector<SlaEvent> history = HistoryOf(activity);
  if (!history.empty()) to_keep = StoredSlaHistory(ticket.version, history);
  return history;
}

Result<std::shared_ptr<const CompiledSlas>> CompiledSlasOf(ports::ReadTx& tx, WorkspaceId ws) {
  KZ_ASSIGN(std::int64_t revision, tx.GetSlaRevision(ws));
  if (revision == 0) return std::shared_ptr<const CompiledSlas>();
  return Cache().Get(tx, ws, revision);
}

SlaOutcome EvaluateTicketSla(const CompiledSlas& compiled, const Ticket& ticket,
                             std::optional<OrganisationId> organisation_id, const std::string& customer_tier,
                             std::span<const SlaEvent> history, Timestamp now) {
  SlaOutcome out;
  const SlaPolicy* policy = nullptr;
  // A ticket escalated under its policy stays on it: the escalation's own changes (a raised
  // priority, another team) must not take away the targets it was escalated for.
  if (ticket.sla && std::any_of(ticket.sla->targets.begin(), ticket.sla->targets.end(),
                                [](const TicketSlaTarget& t) { return t.escalated_cycle > 0; })) {
    for (const SlaPolicy& candidate : compiled.policies) {
      if (candidate.id == ticket.sla->policy_id) policy = &candidate;
    }
  }
  if (policy == nullptr) policy = MatchPolicy(compiled.policies, SubjectOf(ticket, organisation_id, customer_tier));
  if (policy == nullptr) return out;
  out.policy_idx = static_cast<std::size_t>(policy - compiled.policies.data());
  const BusinessCalendar& calendar = compiled.calendars[compiled.calendar_of[out.policy_idx]];
  if (history.empty()) return out;
  SlaOptions options;
  options.warning_fraction = compiled.warning_fraction[out.policy_idx];
  auto decision = EvaluatePolicy(*policy, calendar, history, std::max(now, history.back().at), options);
  // Only the calendar can fail here (no open time within its horizon): no due time, no SLA.
  if (!decision.ok()) return out;
  out.sla = SnapshotOf(*decision);
  // Warnings given and breaches escalated stay given for their cycle, whatever the policy.
  if (ticket.sla) {
    for (TicketSlaTarget& target : out.sla->targets) {
      for (const TicketSlaTarget& before : ticket.sla->targets) {
        if (before.metric != target.metric) continue;
        target.warned_cycle = std::min(before.warned_cycle, target.cycle);
        target.escalated_cycle = std::min(before.escalated_cycle, target.cycle);
      }
    }
  }
  return out;
}

Result<SlaOutcome> EvaluateStoredTicketSla(ports::ReadTx& tx, const Ticket& ticket, Timestamp now,
                                           std::shared_ptr<const CompiledSlas>* used) {
  KZ_ASSIGN(auto compiled, CompiledSlasOf(tx, ticket.workspace_id));
  if (used) *used = compiled;
  if (!compiled || compiled->policies.empty()) return SlaOutcome{};
  std::optional<OrganisationId> organisation;
  std::string tier;
  if (compiled->uses_customer) {
    KZ_ASSIGN(Customer requester, tx.GetCustomer(ticket.workspace_id, ticket.requester_id));
    organisation = requester.organisation_id;
    tier = requester.tier;
  }
  // Just written, the ticket's kept history is of an earlier version: the events tell.
  std::optional<std::string> to_keep;
  KZ_ASSIGN(auto history, TicketSlaHistory(tx, ticket, std::nullopt, to_keep));
  SlaOutcome out = EvaluateTicketSla(*compiled, ticket, organisation, tier, history, now);
  out.history = std::move(to_keep);
  return out;
}

Result<BusinessCalendar> CompileStoredCalendar(const ports::StoredCalendar& stored) { return CompileCalendar(stored); }

// ---- validation ----

Status ValidateCalendar(CalendarInput& in, bool creating) {
  if (creating && !in.name) return Error::Invalid("name", "give the calendar a name");
  if (creating && !in.time_zone) return Error::Invalid("time_zone", "give an IANA time zone such as Asia/Tokyo");
  if (creating && !in.hours) return Error::Invalid("hours", "give the weekly open hours");
  if (in.name) { KZ_ASSIGN(*in.name, CheckName(*in.name)); }
  CalendarSpec spec;
  if (in.time_zone) {
    *in.time_zone = TrimSpaces(*in.time_zone);
    spec.time_zone = *in.time_zone;
  }
  // Each part alone, normalised; the whole (the time zone, that it opens) is checked with the
  // stored parts on update.
  if (in.hours) {
    KZ_ASSIGN(spec.weekly, ParseHours(*in.hours));
    in.hours = HoursJson(spec.weekly);
  } else {
    spec.weekly[kMonday] = {LocalInterval{0, 1440}};
  }
  if (in.holidays) {
    KZ_ASSIGN(spec.holidays, ParseHolidays(*in.holidays));
    in.holidays = HolidaysJson(spec.holidays);
  }
  if (in.exceptions) {
    KZ_ASSIGN(spec.exceptions, ParseExceptions(*in.exceptions));
    in.exceptions = ExceptionsJson(spec.exceptions);
  }
  auto calendar = BusinessCalendar::Create(spec);
  if (!calendar.ok()) {
    if (calendar.error().field == "weekly") return Error::Invalid("hours", calendar.error().message);
    return calendar.error();
  }
  return Ok();
}

Status ValidateSlaPolicy(SlaPolicyInput& in, bool creating) {
  if (creating && !in.name) return Error::Invalid("name", "give the policy a name");
  if (creating && !in.targets) return Error::Invalid("targets", "give at least one target");
  if (in.name) { KZ_ASSIGN(*in.name, CheckName(*in.name)); }
  if (in.position && (*in.position < 0 || *in.position > kMaxPosition)) {
    return Error::Invalid("position", "a position from 0 to 1000000; lower comes first");
  }
  if (in.conditions) {
    KZ_ASSIGN(auto conditions, ParseConditions(*in.conditions));
    in.conditions = ConditionsJson(conditions);
  }
  if (in.targets) {
    KZ_ASSIGN(auto targets, ParseTargets(*in.targets));
    in.targets = TargetsJson(targets);
  }
  if (in.warning_percent && (*in.warning_percent < 1 || *in.warning_percent > 99)) {
    return Error::Invalid("warning_percent", "warn when 1 to 99 percent of a target has passed");
  }
  if (in.escalations) {
    KZ_ASSIGN(auto escalations, ParseEscalations(*in.escalations));
    in.escalations = EscalationsJson(escalations);
  }
  return Ok();
}

// ---- calendars ----

Result<ports::StoredCalendar> CreateCalendar(ports::WriteTx& tx, const Actor& actor, const CalendarInput& in,
                                             Timestamp now) {
  ports::StoredCalendar c;
  c.workspace_id = actor.workspace_id;
  c.name = in.name.value_or("");
  c.time_zone = in.time_zone.value_or("UTC");
  c.hours = in.hours.value_or(json::object()).dump();
  c.holidays = in.holidays.value_or(json::array()).dump();
  c.exceptions = in.exceptions.value_or(json::array()).dump();
  KZ_TRY(CompileCalendar(c));
  c.created_at = now;
  c.updated_at = now;
  c.version = 1;
  KZ_TRY(tx.InsertCalendar(c));
  KZ_TRY(TouchRevision(tx, actor.workspace_id));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "calendar.created", json{{"calendar_id", c.id}, {"name", c.name}}, now));
  return c;
}

Result<ports::StoredCalendar> UpdateCalendar(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                             const CalendarInput& in, Timestamp now) {
  KZ_ASSIGN(ports::StoredCalendar c, tx.GetCalendar(actor.workspace_id, id));
  KZ_TRY(CheckVersion(in.expected_version, c.version, "calendar"));
  if (in.name) c.name = *in.name;
  if (in.time_zone) c.time_zone = *in.time_zone;
  if (in.hours) c.hours = in.hours->dump();
  if (in.holidays) c.holidays = in.holidays->dump();
  if (in.exceptions) c.exceptions = in.exceptions->dump();
  KZ_TRY(CompileCalendar(c));
  c.updated_at = std::max(now, c.updated_at);
  c.version += 1;
  KZ_TRY(tx.UpdateCalendar(c));
  KZ_TRY(TouchRevision(tx, actor.workspace_id));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "calendar.updated", json{{"calendar_id", c.id}, {"version", c.version}},
                     now));
  return c;
}

Status DeleteCalendar(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now) {
  KZ_TRY(tx.GetCalendar(actor.workspace_id, id));
  KZ_ASSIGN(auto policies, tx.ListSlaPolicies(actor.workspace_id));
  for (const auto& p : policies) {
    if (p.calendar_id == id) {
      return Error::Conflict("the SLA policy \"" + p.name + "\" uses this calendar; change the policy first", "id");
    }
  }
  KZ_ASSIGN(auto standards, tx.ListServiceStandards(actor.workspace_id));
  for (const auto& s : standards) {
    if (s.calendar_id == id) {
      return Error::Conflict("the service standard \"" + s.name + "\" uses this calendar; change the standard first",
                             "id");
    }
  }
  KZ_TRY(tx.DeleteCalendar(actor.workspace_id, id));
  KZ_TRY(TouchRevision(tx, actor.workspace_id));
  return RecordEvent(tx, actor, std::nullopt, "calendar.deleted", json{{"calendar_id", id}}, now);
}

// ---- policies ----

namespace {

// The references of a policy exist in the workspace.
Status CheckReferences(ports::WriteTx& tx, WorkspaceId ws, const ports::StoredSlaPolicy& p) {
  if (p.calendar_id) {
    auto calendar = tx.GetCalendar(ws, *p.calendar_id);
    if (!calendar.ok()) {
      if (calendar.error().code == ErrorCode::kNotFound) return Error::Invalid("calendar_id", "no such calendar");
      return calendar.error();
    }
  }
  KZ_ASSIGN(SlaConditions conditions, ParseConditions(ParseStored(p.conditions)));
  for (std::size_t idx = 0; idx < conditions.organisation_ids.size(); ++idx) {
    auto found = tx.GetOrganisation(ws, conditions.organisation_ids[idx]);
    if (!found.ok()) {
      if (found.error().code == ErrorCode::kNotFound) {
        return Error::Invalid("conditions.organisation_ids", "no such organisation: " +
                                                                 std::to_string(conditions.organisation_ids[idx]));
      }
      return found.error();
    }
  }
  for (std::size_t idx = 0; idx < conditions.team_ids.size(); ++idx) {
    auto found = tx.GetTeam(ws, conditions.team_ids[idx]);
    if (!found.ok()) {
      if (found.error().code == ErrorCode::kNotFound) {
        return Error::Invalid("conditions.team_ids", "no such team: " + std::to_string(conditions.team_ids[idx]));
      }
      return found.error();
    }
  }
  KZ_ASSIGN(SlaEscalations escalations, ParseEscalations(ParseStored(p.escalations)));
  if (escalations.assign_team_id) {
    auto team = tx.GetTeam(ws, *escalations.assign_team_id);
    if (!team.ok()) {
      if (team.error().code == ErrorCode::kNotFound) return Error::Invalid("escalations.breach.assign_team_id", "no such team");
      return team.error();
    }
  }
  return Ok();
}

}  // namespace

Result<ports::StoredSlaPolicy> CreateSlaPolicy(ports::WriteTx& tx, const Actor& actor, const SlaPolicyInput& in,
                                               Timestamp now) {
  KZ_ASSIGN(auto existing, tx.ListSlaPolicies(actor.workspace_id));
  if (existing.size() >= kMaxPolicies) return Error::Conflict("a workspace has at most 200 SLA policies");
  ports::StoredSlaPolicy p;
  p.workspace_id = actor.workspace_id;
  p.name = in.name.value_or("");
  p.position = in.position ? *in.position : (existing.empty() ? 0 : existing.back().position + 1);
  p.position = std::min(p.position, kMaxPosition);
  p.calendar_id = in.calendar_id.value;
  p.conditions = in.conditions.value_or(ConditionsJson(SlaConditions{})).dump();
  p.targets = in.targets.value_or(json::array()).dump();
  p.warning_percent = in.warning_percent.value_or(75);
  p.escalations = in.escalations.value_or(EscalationsJson(SlaEscalations{})).dump();
  KZ_TRY(ParseTargets(ParseStored(p.targets)));
  KZ_TRY(CheckReferences(tx, actor.workspace_id, p));
  p.created_at = now;
  p.updated_at = now;
  p.version = 1;
  KZ_TRY(tx.InsertSlaPolicy(p));
  KZ_TRY(TouchRevision(tx, actor.workspace_id));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "sla_policy.created", json{{"sla_policy_id", p.id}, {"name", p.name}},
                     now));
  return p;
}

Result<ports::StoredSlaPolicy> UpdateSlaPolicy(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                               const SlaPolicyInput& in, Timestamp now) {
  KZ_ASSIGN(ports::StoredSlaPolicy p, tx.GetSlaPolicy(actor.workspace_id, id));
  KZ_TRY(CheckVersion(in.expected_version, p.version, "SLA policy"));
  if (in.name) p.name = *in.name;
  if (in.position) p.position = *in.position;
  if (in.calendar_id.present) p.calendar_id = in.calendar_id.value;
  if (in.conditions) p.conditions = in.conditions->dump();
  if (in.targets) p.targets = in.targets->dump();
  if (in.warning_percent) p.warning_percent = *in.warning_percent;
  if (in.escalations) {
    // A partial object changes only what it names.
    json merged = ParseStored(p.escalations);
    if (!merged.is_object()) merged = json::object();
    merged.merge_patch(*in.escalations);
    KZ_ASSIGN(auto escalations, ParseEscalations(merged));
    p.escalations = EscalationsJson(escalations).dump();
  }
  KZ_TRY(CheckReferences(tx, actor.workspace_id, p));
  p.updated_at = std::max(now, p.updated_at);
  p.version += 1;
  KZ_TRY(tx.UpdateSlaPolicy(p));
  KZ_TRY(TouchRevision(tx, actor.workspace_id));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "sla_policy.updated",
                     json{{"sla_policy_id", p.id}, {"version", p.version}}, now));
  return p;
}

Status DeleteSlaPolicy(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now) {
  KZ_TRY(tx.DeleteSlaPolicy(actor.workspace_id, id));
  KZ_TRY(TouchRevision(tx, actor.workspace_id));
  return RecordEvent(tx, actor, std::nullopt, "sla_policy.deleted", json{{"sla_policy_id", id}}, now);
}

json CalendarJson(const ports::StoredCalendar& c) {
  return json{{"id", c.id},
              {"name", c.name},
              {"time_zone", c.time_zone},
              {"hours", ParseStored(c.hours)},
              {"holidays", ParseStored(c.holidays)},
              {"exceptions", ParseStored(c.exceptions)},
              {"created_at", FormatTimestamp(c.created_at)},
              {"updated_at", FormatTimestamp(c.updated_at)},
              {"version", c.version}};
}

json SlaPolicyJson(const ports::StoredSlaPolicy& p) {
  return json{{"id", p.id},
              {"name", p.name},
              {"position", p.position},
              {"calendar_id", p.calendar_id ? json(*p.calendar_id) : json(nullptr)},
              {"conditions", ParseStored(p.conditions)},
              {"targets", ParseStored(p.targets)},
              {"warning_percent", p.warning_percent},
              {"escalations", StoredEscalationsJson(p.escalations)},
              {"created_at", FormatTimestamp(p.created_at)},
              {"updated_at", FormatTimestamp(p.updated_at)},
              {"version", p.version}};
}

// ---- tickets ----

Status RefreshTicketSla(ports::WriteTx& tx, Ticket& ticket, Timestamp now) {
  KZ_ASSIGN(SlaOutcome outcome, EvaluateStoredTicketSla(tx, ticket, now));
  std::optional<TicketSla> sla = std::move(outcome.sla);
  if (sla == ticket.sla) {
    // Most changes move no clock: only the history kept with the ticket follows its version.
    if (outcome.history) KZ_TRY(tx.SaveTicketSlaHistory(ticket.workspace_id, ticket.id, *outcome.history));
    return Ok();
  }
  KZ_TRY(tx.SaveTicketSla(ticket.workspace_id, ticket.id, sla, outcome.history));
  ticket.sla = std::move(sla);
  return Ok();
}

Result<std::optional<TicketSla>> RefreshTicketSla(ports::WriteTx& tx, WorkspaceId ws, TicketId id, Timestamp now) {
  KZ_ASSIGN(Ticket ticket, tx.GetTicket(ws, id));
  KZ_TRY(RefreshTicketSla(tx, ticket, now));
  return ticket.sla;
}

}  // namespace kizuna::services
