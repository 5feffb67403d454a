// Setting up routing (C4): an agent's presence, an agent's capacity and skills, and a team's
// routing settings and members.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "ports/store.h"
#include "services/actor.h"
#include "services/tickets.h"  // Patch

namespace kizuna::services {

// The actor's own presence (online, away, offline), with the time it changed. Records
// `agent.presence`. NotFound when the actor is not an agent of the workspace.
Result<Agent> SetPresence(ports::WriteTx& tx, const Actor& actor, Presence presence, Timestamp now);

// Skills: at most 50, names of 1 to 64 characters a-z, 0-9, '_', '-', '.', ':' (such as
// "lang:ja", "product:billing"), levels 1..5. InvalidArgument naming `field` (and the skill).
Status ValidateSkills(const std::map<std::string, int>& skills, const std::string& field);
// Each kind 0..100. InvalidArgument naming capacity.<kind>.
Status ValidateCapacity(const WorkCapacity& capacity);

struct AgentRoutingChange {
  std::optional<WorkCapacity> capacity;
  std::optional<std::map<std::string, int>> skills;  // replaces all
  bool empty() const { return !capacity && !skills; }
};
Status ValidateAgentRoutingChange(AgentRoutingChange& change);
// An admin changes an agent's capacity and skills. Records `agent.updated`.
// REQUIRES: `change` validated. PermissionDenied unless the actor is an admin.
Result<Agent> UpdateAgentRouting(ports::WriteTx& tx, const Actor& actor, AgentId id, const AgentRoutingChange& change,
                                 Timestamp now);

// round_robin, least_loaded, best_skill, owner_first.
bool IsKnownStrategy(std::string_view strategy);

struct TeamRoutingChange {
  std::optional<bool> enabled;
  std::optional<std::string> strategy;
  Patch<TeamId> overflow_team_id;
  Patch<std::int64_t> overflow_after_minutes;  // 1..43200 (30 days)
  std::optional<bool> match_language;
  std::optional<std::map<std::string, int>> required_skills;  // skill -> minimum level
  std::optional<std::vector<AgentId>> member_ids;             // replaces all
  bool empty() const {
    return !enabled && !strategy && !overflow_team_id.present && !overflow_after_minutes.present && !match_language &&
           !required_skills && !member_ids;
  }
};
// Checks what needs no store; sorts and de-duplicates member_ids.
Status ValidateTeamRoutingChange(TeamRoutingChange& change);
// An admin changes a team's routing and members. Records `team.updated`. InvalidArgument
// (overflow_team_id, member_ids) when a team or agent named is not of the workspace, or the
// overflow team is the team itself. REQUIRES: `change` validated. PermissionDenied unless admin.
Result<Team> UpdateTeamRouting(ports::WriteTx& tx, const Actor& actor, TeamId id, const TeamRoutingChange& change,
                               Timestamp now);

}  // namespace kizuna::services
