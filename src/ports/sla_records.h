// What the store keeps for service levels: calendars and SLA policies as rows whose
// structured parts are JSON text checked by the SLA service, and the SLA-relevant facts of
// a ticket's history. Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/ticket.h"
#include "core/ticket_sla.h"

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
  std::int64_t warning_percent = 75;  // warn when this share of a target has passed
  std::string escalations = "{}";     // JSON: what happens at the warning and at the breach
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

// A ticket whose SLA timer is due: a warning to give or a breach to escalate.
struct SlaAlarm {
  WorkspaceId workspace_id = 0;
  TicketId ticket_id = 0;
  Timestamp alarm_at = 0;
};

// A workspace whose open tickets must be re-evaluated because its calendars or policies
// changed: its current revision, and the ticket id the re-evaluation of that revision got to
// (0: not started).
struct SlaReevaluation {
  WorkspaceId workspace_id = 0;
  std::int64_t revision = 0;
  TicketId after_id = 0;
};

// A ticket's SLA columns exactly as a reader found them, to write only if still so.
struct SlaAsRead {
  std::optional<std::int64_t> policy_id;
  std::optional<std::string> targets;  // the stored text
};

// A ticket's SLA in the form of its four columns, encoded by whoever has the time for it
// (a re-evaluation encodes on its reading thread, so its writer only binds).
struct SlaColumns {
  std::optional<std::int64_t> policy_id;
  std::optional<std::string> targets;  // EncodeSlaTargets
  std::optional<Timestamp> next_due_at;
  std::optional<Timestamp> alarm_at;

  static SlaColumns Of(const std::optional<TicketSla>& sla) {
    if (!sla) return {};
    return SlaColumns{sla->policy_id, EncodeSlaTargets(sla->targets), sla->next_due_at, sla->AlarmAt()};
  }
};

// An unsolved ticket with what its SLA depends on: its requester's organisation and tier
// (when asked for), and the SLA history kept with it (the text SaveTicketSla stored; nullopt
// when none was). Only the ticket's fields an SLA looks at are read: no subject, custom
// fields or requester name.
struct SlaWorkItem {
  Ticket ticket;
  SlaAsRead as_read;
  std::optional<OrganisationId> organisation_id;
  std::string customer_tier;
  std::optional<std::string> history;
};

}  // namespace kizuna::ports
