#include "services/routing_setup.h"

#include <algorithm>

#include "services/events.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSkills = 50;
constexpr std::size_t kMaxMembers = 500;
constexpr std::int64_t kMaxOverflowMinutes = 30 * 24 * 60;

bool IsSkillName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == ':';
  });
}

Status RequireAdmin(const Actor& actor) {
  if (!RoleAtLeast(actor.role, Role::kAdmin)) return Error::Denied("routing settings need the admin role");
  return Ok();
}

json CapacityJson(const WorkCapacity& c) { return json{{"ticket", c.ticket}, {"chat", c.chat}, {"call", c.call}}; }

template <typename T>
json OptJson(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

Result<Agent> SetPresence(ports::WriteTx& tx, const Actor& actor, Presence presence, Timestamp now) {
  KZ_ASSIGN(Agent agent, tx.GetAgent(actor.workspace_id, actor.id));
  if (agent.presence == presence) {
    // The same again is a sign of life: it keeps an online agent available (IsAvailable).
    // No event: nothing changed that anyone needs to hear of.
    if (presence != Presence::kOnline) return agent;
    agent.presence_at = now;
    KZ_TRY(tx.UpdateAgent(agent));
    return agent;
  }
  json data{{"agent_id", agent.id}, {"presence", {PresenceName(agent.presence), PresenceName(presence)}}};
  agent.presence = presence;
  agent.presence_at = now;
  KZ_TRY(tx.UpdateAgent(agent));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "agent.presence", data, now));
  return agent;
}

Status ValidateSkills(const std::map<std::string, int>& skills, const std::string& field) {
  if (skills.size() > kMaxSkills) return Error::Invalid(field, "at most 50 skills");
  for (const auto& [name, level] : skills) {
    if (!IsSkillName(name)) {
      return Error::Invalid(field, "a skill name has 1 to 64 characters a-z, 0-9, _ - . : (such as lang:ja): " + name);
    }
    if (level < 1 || level > 5) return Error::Invalid(field, "a skill level is 1 to 5: " + name);
  }
  return Ok();
}

Status ValidateCapacity(const WorkCapacity& c) {
  for (auto [kind, value] : {std::pair{"ticket", c.ticket}, std::pair{"chat", c.chat}, std::pair{"call", c.call}}) {
    if (value < 0 || value > 100) return Error::Invalid(std::string("capacity.") + kind, "a capacity is 0 to 100");
  }
  return Ok();
}

Status ValidateAgentRoutingChange(AgentRoutingChange& change) {
  if (change.capacity) KZ_TRY(ValidateCapacity(*change.capacity));
  if (change.skills) KZ_TRY(ValidateSkills(*change.skills, "skills"));
  return Ok();
}

Result<Agent> UpdateAgentRouting(ports::WriteTx& tx, const Actor& actor, AgentId id, const AgentRoutingChange& change,
                                 Timestamp now) {
  KZ_ASSIGN(Agent agent, tx.GetAgent(actor.workspace_id, id));
  KZ_TRY(RequireAdmin(actor));
  json changes = json::object();
  if (change.capacity && !(*change.capacity == agent.capacity)) {
    changes["capacity"] = {CapacityJson(agent.capacity), CapacityJson(*change.capacity)};
    agent.capacity = *change.capacity;
  }
  if (change.skills && *change.skills != agent.skills) {
    changes["skills"] = {agent.skills, *change.skills};
    agent.skills = *change.skills;
  }
  if (changes.empty()) return agent;
  KZ_TRY(tx.UpdateAgent(agent));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "agent.updated", json{{"agent_id", id}, {"changes", changes}}, now));
  return agent;
}

bool IsKnownStrategy(std::string_view strategy) {
  return strategy == "round_robin" || strategy == "least_loaded" || strategy == "best_skill" ||
         strategy == "owner_first";
}

Status ValidateTeamRoutingChange(TeamRoutingChange& change) {
  if (change.strategy && !IsKnownStrategy(*change.strategy)) {
    return Error::Invalid("strategy", "strategy must be one of round_robin, least_loaded, best_skill, owner_first");
  }
  if (change.overflow_after_minutes.value) {
    const std::int64_t minutes = *change.overflow_after_minutes.value;
    if (minutes < 1 || minutes > kMaxOverflowMinutes) {
      return Error::Invalid("overflow_after_minutes", "overflow_after_minutes is 1 to 43200 (30 days), or null");
    }
  }
  if (change.required_skills) KZ_TRY(ValidateSkills(*change.required_skills, "required_skills"));
  if (change.member_ids) {
    auto& ids = *change.member_ids;
    if (ids.size() > kMaxMembers) return Error::Invalid("member_ids", "at most 500 members");
    for (AgentId id : ids) {
      if (id <= 0) return Error::Invalid("member_ids", "member ids are positive integers");
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  return Ok();
}

Result<Team> UpdateTeamRouting(ports::WriteTx& tx, const Actor& actor, TeamId id, const TeamRoutingChange& change,
                               Timestamp now) {
  KZ_ASSIGN(Team team, tx.GetTeam(actor.workspace_id, id));
  KZ_TRY(RequireAdmin(actor));
  TeamRouting routing = team.routing;
  if (change.enabled) routing.enabled = *change.enabled;
  if (change.strategy) routing.strategy = *change.strategy;
  if (change.overflow_team_id.present) {
    if (const auto& overflow = change.overflow_team_id.value) {
      if (*overflow == id) return Error::Invalid("overflow_team_id", "a team cannot overflow into itself");
      auto found = tx.GetTeam(actor.workspace_id, *overflow);
      if (!found.ok()) {
        if (found.error().code == ErrorCode::kNotFound) return Error::Invalid("overflow_team_id", "no such team");
        return found.error();
      }
    }
    routing.overflow_team_id = change.overflow_team_id.value;
  }
  if (change.overflow_after_minutes.present) routing.overflow_after_minutes = change.overflow_after_minutes.value;
  if (change.match_language) routing.match_language = *change.match_language;
  if (change.required_skills) routing.required_skills = *change.required_skills;

  json changes = json::object();
  if (routing.enabled != team.routing.enabled) changes["routing_enabled"] = {team.routing.enabled, routing.enabled};
  if (routing.strategy != team.routing.strategy) changes["strategy"] = {team.routing.strategy, routing.strategy};
  if (routing.overflow_team_id != team.routing.overflow_team_id) {
    changes["overflow_team_id"] = {OptJson(team.routing.overflow_team_id), OptJson(routing.overflow_team_id)};
  }
  if (routing.overflow_after_minutes != team.routing.overflow_after_minutes) {
    changes["overflow_after_minutes"] = {OptJson(team.routing.overflow_after_minutes),
                                         OptJson(routing.overflow_after_minutes)};
  }
  if (routing.match_language != team.routing.match_language) {
    changes["match_language"] = {team.routing.match_language, routing.match_language};
  }
  if (routing.required_skills != team.routing.required_skills) {
    changes["required_skills"] = {team.routing.required_skills, routing.required_skills};
  }
  if (change.member_ids && *change.member_ids != team.member_ids) {
    for (AgentId agent_id : *change.member_ids) {
      auto agent = tx.GetAgent(actor.workspace_id, agent_id);
      if (!agent.ok()) {
        if (agent.error().code == ErrorCode::kNotFound) {
          return Error::Invalid("member_ids", "no such agent: " + std::to_string(agent_id));
        }
        return agent.error();
      }
    }
    changes["member_ids"] = {team.member_ids, *change.member_ids};
    KZ_TRY(tx.SetTeamMembers(actor.workspace_id, id, *change.member_ids));
    team.member_ids = *change.member_ids;
  }
  if (changes.empty()) return team;
  if (!(routing == team.routing)) {
    team.routing = routing;
    KZ_TRY(tx.UpdateTeam(team));
  }
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "team.updated", json{{"team_id", id}, {"changes", changes}}, now));
  return team;
}

}  // namespace kizuna::services
