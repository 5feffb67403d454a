// What the store gives the routing pass (C4): a team's waiting tickets with what routing needs
// of their requester, and the agents' current load.
#pragma once

#include <optional>
#include <string>

#include "core/ids.h"
#include "core/ticket.h"

namespace kizuna::ports {

// An unassigned unsolved ticket waiting in a team's queue.
struct RoutingQueueEntry {
  Ticket ticket;
  std::string requester_language;        // the requester's language ("ja"); may be empty
  std::optional<AgentId> account_owner_id;  // the requester's account owner, if any
  std::optional<AgentId> last_agent_id;  // assignee of the requester's most recently updated other ticket
};

// How many unsolved tickets of one channel an agent has assigned.
struct AgentLoad {
  AgentId agent_id = 0;
  std::string channel;
  int count = 0;
};

// A workspace whose tickets without a team go to `team_id`'s queue.
struct DefaultTeam {
  WorkspaceId workspace_id = 0;
  TeamId team_id = 0;
};

}  // namespace kizuna::ports
