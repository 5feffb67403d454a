// Service levels (C1, C2): business calendars and SLA policies, which admins keep, and each
// ticket's SLA state, refreshed in the transaction of every change to the ticket.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/ticket.h"
#include "engines/calendar.h"
#include "engines/sla.h"
#include "ports/store.h"
#include "services/actor.h"
#include "services/tickets.h"

namespace kizuna::services {

// A change to a calendar; unset fields keep their value (name, time_zone and hours are
// required on create). The JSON parts are checked by ValidateCalendar:
//   hours       {"mon": [{"start": "09:00", "end": "18:00"}], …} (sun…sat; a missing day is
//               closed; an end at or before the start ends the next day, "24:00" is midnight)
//   holidays    ["2026-01-01", …] (closed all day)
//   exceptions  [{"date": "2026-12-28", "hours": [{"start": "10:00", "end": "15:00"}]}, …]
//               (those hours instead of the weekday's; [] closes the day)
struct CalendarInput {
  std::optional<std::string> name;
  std::optional<std::string> time_zone;
  std::optional<nlohmann::json> hours;
  std::optional<nlohmann::json> holidays;
  std::optional<nlohmann::json> exceptions;
  std::optional<std::int64_t> expected_version;  // If-Match
};

// A change to an SLA policy; unset fields keep their value (name and targets are required
// on create). The JSON parts are checked by ValidateSlaPolicy:
//   conditions  {"priorities": ["urgent"], "channels": ["email"], "tags": ["vip"],
//                "organisation_ids": [3], "customer_tiers": ["gold"], "team_ids": [2]}
//               (each optional; empty or absent = any; tags must all be on the ticket)
//   targets     [{"metric": "first_reply", "minutes": 60, "clock": "business"}, …]
//               (metric first_reply, next_reply, periodic_update or resolution, at most one
//               each; minutes > 0; clock business (default) or calendar)
struct SlaPolicyInput {
  std::optional<std::string> name;
  std::optional<std::int64_t> position;  // default on create: after the last policy
  Patch<std::int64_t> calendar_id;       // null or absent on create: 24/7
  std::optional<nlohmann::json> conditions;
  std::optional<nlohmann::json> targets;
  std::optional<std::int64_t> warning_percent;  // 1..99; default 75
  // {"warning": {"notify": bool}, "breach": {"notify": bool, "raise_priority": null|"high"|"urgent",
  //  "assign_team_id": null|id}}; absent parts keep their defaults (notify, nothing else).
  std::optional<nlohmann::json> escalations;
  std::optional<std::int64_t> expected_version;  // If-Match
};

// Checks and normalises what needs no store (the JSON shapes, the time zone, that the
// calendar opens every week). InvalidArgument names the field: "hours.mon[0].end",
// "time_zone", "targets[1].minutes", …
Status ValidateCalendar(CalendarInput& input, bool creating);
Status ValidateSlaPolicy(SlaPolicyInput& input, bool creating);

// NotFound outside the workspace; PreconditionFailed on a stale expected_version.
Result<ports::StoredCalendar> CreateCalendar(ports::WriteTx& tx, const Actor& actor, const CalendarInput& input,
                                             Timestamp now);
Result<ports::StoredCalendar> UpdateCalendar(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                             const CalendarInput& input, Timestamp now);
// Conflict while a policy uses the calendar.
Status DeleteCalendar(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now);
// InvalidArgument (field calendar_id, conditions.organisation_ids, conditions.team_ids) when
// they name something the workspace does not have.
Result<ports::StoredSlaPolicy> CreateSlaPolicy(ports::WriteTx& tx, const Actor& actor, const SlaPolicyInput& input,
                                               Timestamp now);
Result<ports::StoredSlaPolicy> UpdateSlaPolicy(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                               const SlaPolicyInput& input, Timestamp now);
Status DeleteSlaPolicy(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now);

// The engine's calendar of a stored row (whose JSON parts this service wrote after checking
// them). InvalidArgument naming the part when they are not valid, or for an unknown zone.
Result<BusinessCalendar> CompileStoredCalendar(const ports::StoredCalendar& stored);

// The stored JSON parts as the API shows them (objects and arrays, not text).
nlohmann::json CalendarJson(const ports::StoredCalendar& calendar);
nlohmann::json SlaPolicyJson(const ports::StoredSlaPolicy& policy);

// Recomputes the ticket's SLA at `now` and stores it when it changed: picks the first
// policy whose conditions match (priority, channel, tags, team, the requester's
// organisation and tier), replays the ticket's SLA-relevant events (creation, public replies,
// customer messages, status changes) through the engine with the policy's calendar, and
// saves each target's state, due time and breach, and the ticket's next due time.
// Sets `ticket.sla` to the result (nullopt: no policy applies).
// REQUIRES: `ticket` is the ticket as just written in this transaction, and its events are
// recorded. Cheap when nothing applies: one lookup of the workspace's SLA revision when it
// never had policies; compiled policies are cached per workspace and revision.
// Fails only when the store does; a due time the calendar cannot place leaves no SLA.
Status RefreshTicketSla(ports::WriteTx& tx, Ticket& ticket, Timestamp now);
// The same for a ticket by id; NotFound outside the workspace.
Result<std::optional<TicketSla>> RefreshTicketSla(ports::WriteTx& tx, WorkspaceId ws, TicketId id, Timestamp now);

}  // namespace kizuna::services
