// What the store keeps for voice (C18): calls reported by a phone system, and the events
// taken for each (so a retried event is recognised). Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/ids.h"

namespace kizuna::ports {

// One phone call, keyed by the phone system's id (external_id), unique in its workspace.
struct StoredCall {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::string external_id;
  TicketId ticket_id = 0;
  std::string direction;  // inbound, outbound
  std::string from_number;
  std::string to_number;  // "" when not given
  std::optional<TeamId> team_id;
  std::string state;  // ringing, answered, hold, ended
  std::optional<AgentId> agent_id;  // who answered
  Timestamp rang_at = 0;
  std::optional<Timestamp> answered_at;
  std::optional<Timestamp> hold_since;  // the hold in progress began
  std::int64_t hold_ms = 0;             // holds that ended, added up
  std::optional<Timestamp> ended_at;
  Timestamp last_event_at = 0;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;  // up by one with each event taken
};

}  // namespace kizuna::ports
