// What the store keeps for service levels: calendars and SLA policies as rows whose
// structured parts are JSON text checked by the SLA service, and the SLA-relevant facts of
// a ticket's history. Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace kizuna::ports {

// A business calendar. hours, holidays and exceptions are JSON written by services/sla.cc.
struct StoredCalendar {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::string name;
  std::string time_zone;
  std::string hours;
  std::string holidays;
  std::string exceptions;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// An SLA policy. conditions and targets are JSON written by services/sla.cc; no calendar: 24/7.
struct StoredSlaPolicy {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t position = 0;
  std::string name;
  std::string conditions;
  std::string targets;
  std::optional<std::int64_t> calendar_id;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// One event of a ticket that may move its SLA clocks: ticket.created, ticket.updated or
// message.created, with the parts of its data that matter.
struct TicketActivity {
  std::string type;          // ticket.created, ticket.updated, message.created
  std::string actor_type;    // agent, token, system, customer
  std::string message_kind;  // message.created: public or note; else empty
  std::string status;        // the status it set (created: the initial one); empty when unchanged
  Timestamp at = 0;
};

}  // namespace kizuna::ports
