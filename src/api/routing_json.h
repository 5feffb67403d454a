// Routing (C4) in request and answer bodies: agents' capacity and skills, teams' routing.
#pragma once

#include <nlohmann/json.hpp>

#include "api/auth.h"
#include "api/json_body.h"
#include "services/routing_setup.h"

namespace kizuna::api {

// Reads "capacity" ({"ticket", "chat", "call"}: integers) and "skills" ({name: level}).
void ReadAgentRouting(FieldReader& reader, services::AgentRoutingChange& change);
// Reads routing_enabled, strategy, overflow_team_id, overflow_after_minutes, match_language,
// required_skills and member_ids.
void ReadTeamRouting(FieldReader& reader, services::TeamRoutingChange& change);
// An agent as `viewer` may see them: agents see only their own presence (null for others);
// supervisors and admins see everyone's.
nlohmann::json AgentJsonFor(const Agent& agent, const Principal& viewer);

}  // namespace kizuna::api
