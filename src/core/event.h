// Events: the append-only record of every change (who, what, old -> new, when).
#pragma once

#include <optional>
#include <string>

#include "core/ids.h"

namespace kizuna {

struct Event {
  EventId id = 0;
  WorkspaceId workspace_id = 0;
  std::optional<TicketId> ticket_id;
  std::string type;         // ticket.created, ticket.updated, message.created, customer.merged, ...
  std::string actor_type;   // agent, customer, system, token
  std::int64_t actor_id = 0;
  std::string data;         // JSON object: the change, e.g. {"status":["open","solved"]}
  Timestamp created_at = 0;
};

}  // namespace kizuna
