#include "services/standards.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "core/text.h"
#include "core/time.h"
#include "services/events.h"
#include "services/sla.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxName = 120;
constexpr std::size_t kMaxStandards = 100;
constexpr std::size_t kMaxChannels = 20;
constexpr std::int64_t kMaxPosition = 1'000'000;
constexpr std::int64_t kMaxTargetSeconds = 30LL * 86'400;
constexpr int kDefaultDays = 30;
constexpr int kMeasurePage = 5000;
constexpr std::array<const char*, 5> kMetrics = {"first_reply", "next_reply", "resolution", "call_answer",
                                                 "call_hold"};
constexpr const char* kMetricList = "first_reply, next_reply, resolution, call_answer or call_hold";

// ---- dates: days since 1970-01-01 (H. Hinnant's civil algorithms) ----

std::int64_t DaysFromCivil(const LocalDate& d) {
  const std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

LocalDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return LocalDate{year, month, day};
}

// "YYYY-MM-DD" between 1970 and 2099.
std::optional<LocalDate> ParseDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t idx : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[idx] < '0' || text[idx] > '9') return std::nullopt;
  }
  LocalDate date{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
  if (date.year < 1970 || date.year > 2099 || date.month < 1 || date.month > 12 || date.day < 1) return std::nullopt;
  // A day past the month's end comes back as another date.
  if (CivilFromDays(DaysFromCivil(date)) != date) return std::nullopt;
  return date;
}

std::string FormatDay(const LocalDate& date) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", date.year, date.month, date.day);
  return out;
}

Status CheckRange(const LocalDate& from, const LocalDate& to) {
  if (from > to) return Error::Invalid("from", "from (" + FormatDay(from) + ") is after to (" + FormatDay(to) + ")");
  if (DaysFromCivil(to) - DaysFromCivil(from) + 1 > kMaxComplianceDays) {
    return Error::Invalid("to", "ask for at most " + std::to_string(kMaxComplianceDays) + " days at a time");
  }
  return Ok();
}

// Local midnights of the workspace's time zone: a calendar open all the time in that zone.
BusinessCalendar ZoneCalendar(const std::string& time_zone, std::string* used) {
  CalendarSpec spec;
  spec.time_zone = time_zone;
  for (auto& day : spec.weekly) day = {LocalInterval{0, 1440}};
  auto calendar = BusinessCalendar::Create(spec);
  if (calendar.ok()) {
    *used = time_zone;
    return std::move(*calendar);
  }
  *used = "UTC";
  return BusinessCalendar::AlwaysOpen();
}

// ---- standards ----

bool IsMetric(const std::string& name) {
  return std::find(kMetrics.begin(), kMetrics.end(), name) != kMetrics.end();
}

// Seconds on the phone: a call's wait is elapsed time, whatever the calendar says.
bool IsCallMetric(const std::string& name) { return name == "call_answer" || name == "call_hold"; }

Status CheckCallClock(const ports::StoredServiceStandard& s) {
  if (IsCallMetric(s.metric) && s.clock != "calendar") {
    return Error::Invalid("clock", "call_answer and call_hold count elapsed time: clock is calendar for them");
  }
  return Ok();
}

std::vector<std::string> StoredChannels(const std::string& text) {
  json parsed = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

Status CheckVersion(const std::optional<std::int64_t>& expected, std::int64_t version) {
  if (expected && *expected != version) {
    return Error{ErrorCode::kPreconditionFailed,
                 "the service standard changed since you loaded it (now version " + std::to_string(version) + ")",
                 "If-Match"};
  }
  return Ok();
}

Status CheckCalendar(ports::WriteTx& tx, WorkspaceId ws, const std::optional<std::int64_t>& calendar_id) {
  if (!calendar_id) return Ok();
  auto calendar = tx.GetCalendar(ws, *calendar_id);
  if (calendar.ok()) return Ok();
  if (calendar.error().code == ErrorCode::kNotFound) return Error::Invalid("calendar_id", "no such calendar");
  return calendar.error();
}

// ---- measures ----

bool IsAgentActor(const std::string& type) { return type == "agent" || type == "token"; }

// What the ticket's history before this change says.
struct PriorActivity {
  bool solved = false;                    // it was solved (or created solved) before
  std::optional<Timestamp> waiting_since;  // first customer message after the last public agent reply
};

PriorActivity ReadPrior(const std::vector<ports::TicketActivity>& activity) {
  PriorActivity prior;
  bool replied = false;
  for (const auto& a : activity) {
    if (a.status == "solved") prior.solved = true;
    if (a.type != "message.created") continue;
    if (a.actor_type == "customer") {
      if (replied && !prior.waiting_since) prior.waiting_since = a.at;
    } else if (IsAgentActor(a.actor_type) && a.message_kind == "public") {
      replied = true;
      prior.waiting_since.reset();
    }
  }
  return prior;
}

Status Measure(ports::WriteTx& tx, const Ticket& after, const char* metric, std::optional<AgentId> agent,
               Timestamp started, Timestamp now) {
  return RecordServiceMeasure(tx, after, metric, agent, started, now);
}

// ---- compliance ----

struct Tally {
  std::int64_t met = 0;
  std::int64_t total = 0;
  void Add(bool met_target) {
    total += 1;
    met += met_target ? 1 : 0;
  }
};

// One standard while its figures are counted.
struct StandardWork {
  const ports::StoredServiceStandard* standard = nullptr;
  std::vector<std::string> channels;     // empty: all
  const BusinessCalendar* calendar = nullptr;  // business time in it; null: elapsed time
  DurationMs target_ms = 0;
  Tally overall;
  std::vector<Tally> by_day;
  std::map<std::optional<std::int64_t>, Tally> by_id;
};

ComplianceFigure FigureOf(const Tally& tally) { return ComplianceFigure{{}, {}, {}, tally.met, tally.total}; }

json Share(const ComplianceFigure& figure) {
  if (figure.total == 0) return nullptr;
  return static_cast<double>(figure.met) / static_cast<double>(figure.total);
}

const char* GroupByName(ComplianceGroupBy group_by) {
  switch (group_by) {
    case ComplianceGroupBy::kDay: return "day";
    case ComplianceGroupBy::kTeam: return "team";
    case ComplianceGroupBy::kAgent: return "agent";
  }
  return "day";
}

}  // namespace

// ---- standards ----

Status ValidateServiceStandard(ServiceStandardInput& in, bool creating) {
  if (creating && !in.name) return Error::Invalid("name", "give the standard a name");
  if (creating && !in.metric) return Error::Invalid("metric", std::string("give the metric: ") + kMetricList);
  if (creating && !in.target_seconds) return Error::Invalid("target_seconds", "give the target in seconds");
  if (in.name) { KZ_ASSIGN(*in.name, CheckText("name", *in.name, TextRule{.max_code_points = kMaxName})); }
  if (in.metric && !IsMetric(*in.metric)) {
    return Error::Invalid("metric", std::string("metric is ") + kMetricList);
  }
  if (in.position && (*in.position < 0 || *in.position > kMaxPosition)) {
    return Error::Invalid("position", "a position from 0 to 1000000; lower comes first");
  }
  if (in.target_seconds && (*in.target_seconds < 1 || *in.target_seconds > kMaxTargetSeconds)) {
    return Error::Invalid("target_seconds", "a whole number of seconds, at least 1 and at most 30 days (2592000)");
  }
  if (in.clock && *in.clock != "business" && *in.clock != "calendar") {
    return Error::Invalid("clock", "clock is business (the calendar's open hours) or calendar (elapsed time)");
  }
  if (in.channels) {
    auto& channels = *in.channels;
    if (channels.size() > kMaxChannels) return Error::Invalid("channels", "at most 20 channels");
    for (std::size_t idx = 0; idx < channels.size(); ++idx) {
      if (!IsKnownChannel(channels[idx])) {
        return Error::Invalid("channels[" + std::to_string(idx) + "]", "unknown channel " + channels[idx]);
      }
    }
    std::sort(channels.begin(), channels.end());
    channels.erase(std::unique(channels.begin(), channels.end()), channels.end());
  }
  return Ok();
}

Result<ports::StoredServiceStandard> CreateServiceStandard(ports::WriteTx& tx, const Actor& actor,
                                                           const ServiceStandardInput& in, Timestamp now) {
  KZ_ASSIGN(auto existing, tx.ListServiceStandards(actor.workspace_id));
  if (existing.size() >= kMaxStandards) return Error::Conflict("a workspace has at most 100 service standards");
  ports::StoredServiceStandard s;
  s.workspace_id = actor.workspace_id;
  s.name = in.name.value_or("");
  s.position = in.position ? *in.position : (existing.empty() ? 0 : existing.back().position + 1);
  s.position = std::min(s.position, kMaxPosition);
  s.metric = in.metric.value_or("first_reply");
  // Calls are measured on the phone channel, in elapsed time, unless the admin says otherwise.
  const bool call = IsCallMetric(s.metric);
  s.channels = json(in.channels.value_or(call ? std::vector<std::string>{"phone"} : std::vector<std::string>{})).dump();
  s.target_seconds = in.target_seconds.value_or(1);
  s.clock = in.clock.value_or(call ? "calendar" : "business");
  KZ_TRY(CheckCallClock(s));
  s.calendar_id = in.calendar_id.value;
  KZ_TRY(CheckCalendar(tx, actor.workspace_id, s.calendar_id));
  s.created_at = now;
  s.updated_at = now;
  s.version = 1;
  KZ_TRY(tx.InsertServiceStandard(s));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "service_standard.created",
                     json{{"service_standard_id", s.id}, {"name", s.name}}, now));
  return s;
}

Result<ports::StoredServiceStandard> UpdateServiceStandard(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                                           const ServiceStandardInput& in, Timestamp now) {
  KZ_ASSIGN(ports::StoredServiceStandard s, tx.GetServiceStandard(actor.workspace_id, id));
  KZ_TRY(CheckVersion(in.expected_version, s.version));
  if (in.name) s.name = *in.name;
  if (in.position) s.position = *in.position;
  if (in.metric) s.metric = *in.metric;
  if (in.channels) s.channels = json(*in.channels).dump();
  if (in.target_seconds) s.target_seconds = *in.target_seconds;
  if (in.clock) s.clock = *in.clock;
  if (in.calendar_id.present) {
    KZ_TRY(CheckCalendar(tx, actor.workspace_id, in.calendar_id.value));
    s.calendar_id = in.calendar_id.value;
  }
  KZ_TRY(CheckCallClock(s));
  s.updated_at = std::max(now, s.updated_at);
  s.version += 1;
  KZ_TRY(tx.UpdateServiceStandard(s));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "service_standard.updated",
                     json{{"service_standard_id", s.id}, {"version", s.version}}, now));
  return s;
}

Status DeleteServiceStandard(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now) {
  KZ_TRY(tx.DeleteServiceStandard(actor.workspace_id, id));
  return RecordEvent(tx, actor, std::nullopt, "service_standard.deleted", json{{"service_standard_id", id}}, now);
}

json ServiceStandardJson(const ports::StoredServiceStandard& s) {
  return json{{"id", s.id},
              {"name", s.name},
              {"position", s.position},
              {"metric", s.metric},
              {"channels", StoredChannels(s.channels)},
              {"target_seconds", s.target_seconds},
              {"clock", s.clock},
              {"calendar_id", s.calendar_id ? json(*s.calendar_id) : json(nullptr)},
              {"created_at", FormatTimestamp(s.created_at)},
              {"updated_at", FormatTimestamp(s.updated_at)},
              {"version", s.version}};
}

// ---- measures ----

Status RecordServiceMeasure(ports::WriteTx& tx, const Ticket& ticket, std::string metric,
                            std::optional<AgentId> agent, Timestamp started, Timestamp ended, bool missed) {
  ports::ServiceMeasure m;
  m.workspace_id = ticket.workspace_id;
  m.ticket_id = ticket.id;
  m.metric = std::move(metric);
  m.channel = ticket.channel;
  m.team_id = ticket.team_id;
  m.agent_id = agent;
  m.started_at = started;
  // Writes queued at nearly the same moment may commit in another order than their clocks read.
  m.ended_at = std::max(ended, started);
  m.missed = missed;
  return tx.InsertServiceMeasure(m);
}

Status RecordServiceMeasures(ports::WriteTx& tx, const Actor& actor, const Ticket& before, const Ticket& after,
                             bool public_reply, Timestamp now) {
  const bool by_agent = IsAgentActor(actor.type);
  const bool reply = public_reply && by_agent;
  const bool solves = after.status == TicketStatus::kSolved && before.status != TicketStatus::kSolved;
  if (!reply && !solves) return Ok();
  const std::optional<AgentId> agent = by_agent ? std::optional<AgentId>(actor.id) : std::nullopt;
  PriorActivity prior;
  // The first reply needs no history: the ticket says whether it was replied to.
  if (solves || before.first_reply_at) {
    KZ_ASSIGN(auto activity, tx.ListTicketActivity(after.workspace_id, after.id));
    prior = ReadPrior(activity);
  }
  if (reply && !before.first_reply_at) {
    KZ_TRY(Measure(tx, after, "first_reply", agent, after.created_at, now));
  } else if (reply && prior.waiting_since) {
    KZ_TRY(Measure(tx, after, "next_reply", agent, *prior.waiting_since, now));
  }
  if (solves && !prior.solved) KZ_TRY(Measure(tx, after, "resolution", agent, after.created_at, now));
  return Ok();
}

// ---- compliance ----

Result<ComplianceRequest> ValidateComplianceQuery(const ComplianceQuery& query) {
  ComplianceRequest out;
  for (auto [text, date, field] : {std::tuple{&query.from, &out.from, "from"}, std::tuple{&query.to, &out.to, "to"}}) {
    if (!*text) continue;
    *date = ParseDay(**text);
    if (!*date) return Error::Invalid(field, std::string(field) + " is a date YYYY-MM-DD between 1970 and 2099");
  }
  if (out.from && out.to) KZ_TRY(CheckRange(*out.from, *out.to));
  if (query.group_by) {
    if (*query.group_by == "day") out.group_by = ComplianceGroupBy::kDay;
    else if (*query.group_by == "team") out.group_by = ComplianceGroupBy::kTeam;
    else if (*query.group_by == "agent") out.group_by = ComplianceGroupBy::kAgent;
    else return Error::Invalid("group_by", "group_by is day, team or agent");
  }
  return out;
}

Result<ComplianceReport> Compliance(ports::ReadTx& tx, WorkspaceId ws, const ComplianceRequest& request,
                                    Timestamp now) {
  KZ_ASSIGN(Workspace workspace, tx.GetWorkspace(ws));
  ComplianceReport report;
  report.group_by = request.group_by;
  const BusinessCalendar zone = ZoneCalendar(workspace.time_zone, &report.time_zone);
  const LocalDate today = zone.LocalDateOf(now);
  if (request.to) report.to = *request.to;
  else if (request.from) report.to = std::max(*request.from, today);
  else report.to = today;
  report.from = request.from ? *request.from : CivilFromDays(DaysFromCivil(report.to) - (kDefaultDays - 1));
  KZ_TRY(CheckRange(report.from, report.to));

  // Local midnights: day_starts[idx] begins day idx of the range; the last ends it.
  const std::int64_t first_day = DaysFromCivil(report.from);
  const std::size_t days = static_cast<std::size_t>(DaysFromCivil(report.to) - first_day + 1);
  std::vector<Timestamp> day_starts;
  for (std::size_t idx = 0; idx <= days; ++idx) {
    day_starts.push_back(zone.AtLocal(CivilFromDays(first_day + static_cast<std::int64_t>(idx)), 0));
  }

  KZ_ASSIGN(auto standards, tx.ListServiceStandards(ws));
  std::unordered_map<std::int64_t, BusinessCalendar> calendars;
  std::vector<StandardWork> works;
  for (const auto& standard : standards) {
    StandardWork work;
    work.standard = &standard;
    work.channels = StoredChannels(standard.channels);
    work.target_ms = standard.target_seconds * 1000;
    work.by_day.resize(days);
    if (standard.clock == "business" && standard.calendar_id) {
      auto it = calendars.find(*standard.calendar_id);
      if (it == calendars.end()) {
        KZ_ASSIGN(ports::StoredCalendar stored, tx.GetCalendar(ws, *standard.calendar_id));
        auto compiled = CompileStoredCalendar(stored);
        if (!compiled.ok()) {
          return Error::Internal("calendar " + std::to_string(stored.id) + " cannot be used: " +
                                 compiled.error().message);
        }
        it = calendars.emplace(stored.id, std::move(*compiled)).first;
      }
      work.calendar = &it->second;
    }
    works.push_back(std::move(work));
  }

  ports::MeasureRange range;
  range.ended_from = day_starts.front();
  range.ended_before = day_starts.back();
  range.limit = kMeasurePage;
  while (!works.empty()) {
    KZ_ASSIGN(auto page, tx.ListServiceMeasures(ws, range));
    for (const auto& m : page) {
      auto next_day = std::upper_bound(day_starts.begin(), day_starts.end(), m.ended_at);
      const std::size_t day = static_cast<std::size_t>(next_day - day_starts.begin()) - 1;
      if (day >= days) continue;  // outside the range: the store's bounds say it cannot be
      for (auto& work : works) {
        if (m.metric != work.standard->metric) continue;
        if (!work.channels.empty() &&
            std::find(work.channels.begin(), work.channels.end(), m.channel) == work.channels.end()) {
          continue;
        }
        DurationMs duration = m.ended_at - m.started_at;
        if (work.calendar) {
          auto business = work.calendar->BusinessTimeBetween(m.started_at, m.ended_at);
          if (!business.ok()) continue;
          duration = *business;
        }
        const bool met = !m.missed && duration <= work.target_ms;
        work.overall.Add(met);
        if (request.group_by == ComplianceGroupBy::kDay) work.by_day[day].Add(met);
        else work.by_id[request.group_by == ComplianceGroupBy::kTeam ? m.team_id : m.agent_id].Add(met);
      }
    }
    if (page.size() < static_cast<std::size_t>(kMeasurePage)) break;
    range.after_ended_at = page.back().ended_at;
    range.after_id = page.back().id;
  }

  std::unordered_map<std::int64_t, std::string> names;
  if (request.group_by == ComplianceGroupBy::kTeam) {
    KZ_ASSIGN(auto teams, tx.ListTeams(ws));
    for (const auto& team : teams) names[team.id] = team.name;
  } else if (request.group_by == ComplianceGroupBy::kAgent) {
    KZ_ASSIGN(auto agents, tx.ListAgents(ws));
    for (const auto& agent : agents) names[agent.id] = agent.name;
  }
  for (auto& work : works) {
    StandardCompliance out;
    out.standard = *work.standard;
    out.overall = FigureOf(work.overall);
    if (request.group_by == ComplianceGroupBy::kDay) {
      for (std::size_t idx = 0; idx < days; ++idx) {
        ComplianceFigure figure = FigureOf(work.by_day[idx]);
        figure.day = FormatDay(CivilFromDays(first_day + static_cast<std::int64_t>(idx)));
        figure.label = figure.day;
        out.groups.push_back(std::move(figure));
      }
    } else {
      // std::map puts "none" first; it goes last.
      for (const auto& [id, tally] : work.by_id) {
        ComplianceFigure figure = FigureOf(tally);
        figure.id = id;
        if (id) {
          auto name = names.find(*id);
          if (name != names.end()) figure.label = name->second;
        }
        out.groups.push_back(std::move(figure));
      }
      std::stable_partition(out.groups.begin(), out.groups.end(),
                            [](const ComplianceFigure& figure) { return figure.id.has_value(); });
    }
    report.standards.push_back(std::move(out));
  }
  return report;
}

json ComplianceJson(const ComplianceReport& report) {
  json standards = json::array();
  for (const auto& item : report.standards) {
    json groups = json::array();
    for (const auto& figure : item.groups) {
      json key = report.group_by == ComplianceGroupBy::kDay ? json(figure.day)
                                                             : (figure.id ? json(*figure.id) : json(nullptr));
      groups.push_back({{"key", key},
                        {"label", figure.label ? json(*figure.label) : json(nullptr)},
                        {"met", figure.met},
                        {"total", figure.total},
                        {"compliance", Share(figure)}});
    }
    standards.push_back({{"standard_id", item.standard.id},
                         {"name", item.standard.name},
                         {"metric", item.standard.metric},
                         {"channels", StoredChannels(item.standard.channels)},
                         {"clock", item.standard.clock},
                         {"target_seconds", item.standard.target_seconds},
                         {"met", item.overall.met},
                         {"total", item.overall.total},
                         {"compliance", Share(item.overall)},
                         {"groups", groups}});
  }
  return json{{"from", FormatDay(report.from)},
              {"to", FormatDay(report.to)},
              {"group_by", GroupByName(report.group_by)},
              {"time_zone", report.time_zone},
              {"standards", standards}};
}

}  // namespace kizuna::services
