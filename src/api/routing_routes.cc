// /api/v1/me/presence, and the routing fields of agents and teams (C4).
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/routing_json.h"
#include "api/support.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

// {name: level}; each level an integer (its range is the service's to check).
std::optional<std::map<std::string, int>> ReadLevels(FieldReader& r, const std::string& key) {
  const json* object = r.Object(key);
  if (!object) return std::nullopt;
  std::map<std::string, int> out;
  for (const auto& [name, level] : object->items()) {
    if (!level.is_number_integer() || level.get<std::int64_t>() < 0 || level.get<std::int64_t>() > 1000) {
      r.Fail(key, "levels are integers from 1 to 5: " + name);
      return std::nullopt;
    }
    out[name] = static_cast<int>(level.get<std::int64_t>());
  }
  return out;
}

HttpResponse SetPresence(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto presence_text = r.Str("presence");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!presence_text) return ProblemResponse(Error::Invalid("presence", "give presence: online, away or offline"));
  auto presence = ParsePresence(*presence_text);
  if (!presence.ok()) return ProblemResponse(presence.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Agent agent, services::SetPresence(tx, p->actor, *presence, now));
    return WriteAnswer{200, ToJson(agent)};
  });
}

}  // namespace

void ReadAgentRouting(FieldReader& r, services::AgentRoutingChange& change) {
  if (const json* capacity = r.Object("capacity")) {
    WorkCapacity c;
    for (const auto& [kind, value] : capacity->items()) {
      int* slot = kind == "ticket" ? &c.ticket : kind == "chat" ? &c.chat : kind == "call" ? &c.call : nullptr;
      if (!slot) {
        r.Fail("capacity", "has the kinds ticket, chat and call only, not " + kind);
        return;
      }
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 100) {
        r.Fail("capacity." + kind, "must be an integer from 0 to 100");
        return;
      }
      *slot = static_cast<int>(value.get<std::int64_t>());
    }
    change.capacity = c;
  }
  change.skills = ReadLevels(r, "skills");
}

void ReadTeamRouting(FieldReader& r, services::TeamRoutingChange& change) {
  change.enabled = r.Bool("routing_enabled");
  change.strategy = r.Str("strategy");
  change.overflow_team_id = r.NullableId("overflow_team_id");
  change.overflow_after_minutes = r.NullableId("overflow_after_minutes");
  change.match_language = r.Bool("match_language");
  change.required_skills = ReadLevels(r, "required_skills");
  if (const json* members = r.Array("member_ids")) {
    std::vector<AgentId> ids;
    for (const auto& id : *members) {
      if (!id.is_number_integer() || id.get<std::int64_t>() <= 0) {
        r.Fail("member_ids", "must be agent ids (positive integers)");
        return;
      }
      ids.push_back(id.get<std::int64_t>());
    }
    change.member_ids = std::move(ids);
  }
}

json AgentJsonFor(const Agent& agent, const Principal& viewer) {
  json out = ToJson(agent);
  if (!RoleAtLeast(viewer.actor.role, Role::kSupervisor) && agent.id != viewer.actor.id) {
    out["presence"] = nullptr;
    out["presence_at"] = nullptr;
  }
  return out;
}

void AddRoutingRoutes(Router& router) {
  router.Add("PUT", "/api/v1/me/presence", Access{}, SetPresence);
}

}  // namespace kizuna::api
