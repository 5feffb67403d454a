// Workspaces (tenants), agents, teams and organisations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace kizuna {

struct Workspace {
  WorkspaceId id = 0;
  std::string name;  // unique slug-like name, used to sign in and in the CLI
  std::string time_zone = "UTC";
  std::string locale = "en";
  std::string service_style = "classic";
  Timestamp created_at = 0;
  // Routing (C4): the team whose queue takes tickets that arrive without a team.
  std::optional<TeamId> default_team_id;
};

enum class Role { kAdmin, kSupervisor, kAgent };
const char* RoleName(Role role);
Result<Role> ParseRole(std::string_view text);
// True when `role` has at least the rights of `needed` (admin > supervisor > agent).
bool RoleAtLeast(Role role, Role needed);

// Whether an agent takes work now (C4): only online agents are routed to.
enum class Presence { kOnline, kAway, kOffline };
const char* PresenceName(Presence presence);
Result<Presence> ParsePresence(std::string_view text);

// How much work an agent takes at once, per kind of work (see engines/routing.h WorkKind).
struct WorkCapacity {
  int ticket = 8;
  int chat = 3;
  int call = 1;
  bool operator==(const WorkCapacity&) const = default;
};

struct Agent {
  AgentId id = 0;
  WorkspaceId workspace_id = 0;
  std::string email;  // lower-cased
  std::string name;
  Role role = Role::kAgent;
  std::vector<std::string> languages;
  std::string locale;  // the web app's language the agent chose (en, ja, ko, vi); empty: not chosen
  std::string password_hash;  // argon2id encoded string; empty when no password set
  bool active = true;
  Timestamp created_at = 0;
  // Routing (C4).
  Presence presence = Presence::kOffline;
  std::optional<Timestamp> presence_at;
  WorkCapacity capacity;
  std::map<std::string, int> skills;  // "lang:ja" -> proficiency 1..5
};

// An agent marked online counts as available for routing this long after their last sign of
// life: setting their presence, which the web app repeats every minute while it is open. A
// closed laptop stops getting work within ten minutes.
inline constexpr Timestamp kPresenceFreshMs = 10 * 60'000;
inline bool IsAvailable(const Agent& agent, Timestamp now) {
  return agent.active && agent.presence == Presence::kOnline && agent.presence_at &&
         now - *agent.presence_at <= kPresenceFreshMs;
}

// How a team hands out its waiting tickets (C4). See migration 0012_routing.sql.
struct TeamRouting {
  bool enabled = false;
  std::string strategy = "least_loaded";  // round_robin, least_loaded, best_skill, owner_first
  std::optional<TeamId> overflow_team_id;
  std::optional<std::int64_t> overflow_after_minutes;
  bool match_language = false;                 // require "lang:<requester's language>"
  std::map<std::string, int> required_skills;  // skill -> minimum level
  std::optional<AgentId> round_robin_cursor;   // the member last assigned to
  bool operator==(const TeamRouting&) const = default;
};

struct Team {
  TeamId id = 0;
  WorkspaceId workspace_id = 0;
  std::string name;
  std::string description;
  Timestamp created_at = 0;
  TeamRouting routing;
  std::vector<AgentId> member_ids;  // ascending; written by SetTeamMembers, not UpdateTeam
};

struct Organisation {
  OrganisationId id = 0;
  WorkspaceId workspace_id = 0;
  std::string name;
  std::string domain;
  std::string notes;
  Timestamp created_at = 0;
};

}  // namespace kizuna
