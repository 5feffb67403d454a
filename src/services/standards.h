// Service standards (C3): measurable promises such as "first chat greeting within 60 s" or
// "first email reply within 1 business hour", which admins and supervisors keep; the
// intervals customers waited, recorded as tickets change; and each standard's compliance
// (the share of those intervals that met it) by day, team or agent.
//
// Measures are kept independently of the standards and the standards are applied when the
// figures are read, so a new or changed standard also counts the history.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ticket.h"
#include "engines/calendar.h"
#include "ports/store.h"
#include "services/actor.h"
#include "services/tickets.h"

namespace kizuna::services {

// A change to a service standard; unset fields keep their value (name, metric and
// target_seconds are required on create).
//   metric          first_reply (creation to the first public agent reply), next_reply (the
//                   first customer message after a public agent reply to the next one),
//                   resolution (creation to the first time solved), call_answer (a call
//                   ringing to answered; a call that ended unanswered is missed and meets no
//                   standard) or call_hold (each hold of a call, to resumed or ended)
//   channels        the ticket channels it covers; empty or absent on create: all (call
//                   metrics: ["phone"])
//   target_seconds  1 to 30 days; met when the interval is at most this long
//   clock           business (default: counted in the calendar's open hours; no calendar:
//                   24/7) or calendar (elapsed time; the default, and the only clock, for
//                   call metrics: seconds on the phone are never business time)
struct ServiceStandardInput {
  std::optional<std::string> name;
  std::optional<std::int64_t> position;  // default on create: after the last standard
  std::optional<std::string> metric;
  std::optional<std::vector<std::string>> channels;
  std::optional<std::int64_t> target_seconds;
  std::optional<std::string> clock;
  Patch<std::int64_t> calendar_id;               // null or absent on create: 24/7
  std::optional<std::int64_t> expected_version;  // If-Match
};

// Checks and normalises what needs no store (channels sorted, without duplicates).
// InvalidArgument names the field: "name", "metric", "channels[2]", "target_seconds", "clock".
Status ValidateServiceStandard(ServiceStandardInput& input, bool creating);

// InvalidArgument on field calendar_id when the workspace has no such calendar, on field clock
// for a call metric counted in business time; Conflict beyond 100 standards a workspace.
Result<ports::StoredServiceStandard> CreateServiceStandard(ports::WriteTx& tx, const Actor& actor,
                                                           const ServiceStandardInput& input, Timestamp now);
// NotFound outside the workspace; PreconditionFailed on a stale expected_version.
Result<ports::StoredServiceStandard> UpdateServiceStandard(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                                           const ServiceStandardInput& input, Timestamp now);
// The measures stay: they belong to the tickets, not to the standard.
Status DeleteServiceStandard(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now);

nlohmann::json ServiceStandardJson(const ports::StoredServiceStandard& standard);

// Records one measured interval of `ticket` (its channel and current team), ended by `agent`
// (none: the system); ended before started counts as ended when it started. `missed`: it
// meets no standard (a call that ended unanswered).
Status RecordServiceMeasure(ports::WriteTx& tx, const Ticket& ticket, std::string metric,
                            std::optional<AgentId> agent, Timestamp started, Timestamp ended, bool missed = false);

// Records the intervals a ticket change ends: a public reply by an agent (or an API token
// acting for one) ends the ticket's first reply, or the wait since the first customer
// message after the previous public agent reply (next reply); the first change to solved
// ends the resolution. Notes, and messages the system sends, end nothing; a ticket created
// solved has no resolution to measure.
// REQUIRES: `before` is the stored ticket and `after` the ticket as this change writes it;
// called in the change's transaction BEFORE its event is recorded (the ticket's earlier
// activity is read to find where a next reply started and whether it was solved before).
// Reads nothing when the change replies to no one and solves nothing.
Status RecordServiceMeasures(ports::WriteTx& tx, const Actor& actor, const Ticket& before, const Ticket& after,
                             bool public_reply, Timestamp now);

enum class ComplianceGroupBy { kDay, kTeam, kAgent };

// What a compliance request asks, as sent (query parameters); see ValidateComplianceQuery.
struct ComplianceQuery {
  std::optional<std::string> from;      // YYYY-MM-DD, in the workspace's time zone
  std::optional<std::string> to;        // YYYY-MM-DD, inclusive
  std::optional<std::string> group_by;  // day (default), team, agent
};

// The checked request. Unset dates default to the 30 days ending today (or ending `to`).
struct ComplianceRequest {
  std::optional<LocalDate> from;
  std::optional<LocalDate> to;
  ComplianceGroupBy group_by = ComplianceGroupBy::kDay;
};

inline constexpr int kMaxComplianceDays = 366;

// InvalidArgument naming "from", "to" or "group_by" for a malformed date or grouping, a
// `from` after `to`, or a range longer than kMaxComplianceDays.
Result<ComplianceRequest> ValidateComplianceQuery(const ComplianceQuery& query);

// Intervals of one group that a standard covered, and how many met it.
struct ComplianceFigure {
  std::string day;                 // group_by day: "2026-11-23"
  std::optional<std::int64_t> id;  // group_by team or agent: its id; none: no team, or the system
  std::optional<std::string> label;  // day, team name, agent name; none when there is none
  std::int64_t met = 0;
  std::int64_t total = 0;
};

struct StandardCompliance {
  ports::StoredServiceStandard standard;
  ComplianceFigure overall;
  // group_by day: every day of the range, in order, also days without intervals; team and
  // agent: those with intervals, by id (none last).
  std::vector<ComplianceFigure> groups;
};

struct ComplianceReport {
  LocalDate from;
  LocalDate to;
  ComplianceGroupBy group_by = ComplianceGroupBy::kDay;
  std::string time_zone;  // the workspace's, or UTC when the tz database does not know it
  std::vector<StandardCompliance> standards;  // by position, then id
};

// Each standard's compliance over the intervals that ended on the local dates from..to of
// the workspace's time zone: an interval of a standard's metric and channels meets it when
// its duration (business time in the standard's calendar, or elapsed time) is at most the
// target. An interval the standard's calendar cannot measure (dates beyond 2099) is left
// out. `now` places "today" for unset dates. Fails only when the store does.
Result<ComplianceReport> Compliance(ports::ReadTx& tx, WorkspaceId ws, const ComplianceRequest& request,
                                    Timestamp now);

// {"from", "to", "group_by", "time_zone", "standards": [{"standard_id", "name", "metric",
// "clock", "target_seconds", "met", "total", "compliance", "groups": [{"key", "label", "met",
// "total", "compliance"}]}]}; compliance is met/total, null when total is 0.
nlohmann::json ComplianceJson(const ComplianceReport& report);

}  // namespace kizuna::services
