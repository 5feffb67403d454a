// Who is acting: the principal a service acts for, already authenticated.
#pragma once

#include <string>

#include "core/ids.h"
#include "core/workspace.h"

namespace kizuna::services {

struct Actor {
  WorkspaceId workspace_id = 0;
  std::string type = "agent";  // agent, token, system
  std::int64_t id = 0;         // agent id (also for tokens: the agent the token acts for)
  Role role = Role::kAgent;

  static Actor System(WorkspaceId ws) { return Actor{ws, "system", 0, Role::kAdmin}; }
};

}  // namespace kizuna::services
