// /api/v1/workspace, agents, teams, organisations and API tokens.
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/routing_json.h"  // routing (C4)
#include "api/support.h"
#include "services/directory.h"
#include "services/events.h"
#include "services/tickets.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

template <typename T, typename Getter>
HttpResponse GetOne(App& app, const HttpRequest& req, const Principal* p, Getter getter) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  T value;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(value, getter(tx, p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, ToJson(value));
}

template <typename T, typename Lister>
HttpResponse ListAll(App& app, const Principal* p, const char* key, Lister lister) {
  std::vector<T> values;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(values, lister(tx, p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& v : values) out.push_back(ToJson(v));
  return JsonResponse(200, json{{key, out}});
}

HttpResponse GetWorkspace(App& app, const HttpRequest&, const Principal* p) {
  Workspace w;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(w, tx.GetWorkspace(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, ToJson(w));
}

HttpResponse UpdateWorkspace(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto time_zone = r.Str("time_zone");
  auto locale = r.Str("locale");
  auto style = r.Str("service_style");
  const auto default_team = r.NullableId("default_team_id");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Workspace w, tx.GetWorkspace(p->actor.workspace_id));
    services::WorkspaceInput in{w.name, time_zone.value_or(w.time_zone), locale.value_or(w.locale),
                                style.value_or(w.service_style)};
    KZ_TRY(services::ValidateWorkspace(in));
    w.time_zone = in.time_zone;
    w.locale = in.locale;
    w.service_style = in.service_style;
    if (default_team.present) {
      if (default_team.value) KZ_TRY(services::CheckTeamOf(tx, w.id, *default_team.value, "default_team_id"));
      w.default_team_id = default_team.value;
    }
    KZ_TRY(tx.UpdateWorkspace(w));
    return WriteAnswer{200, ToJson(w)};
  });
}

// Agents see their own presence only; supervisors and admins everyone's (C4).
HttpResponse ListAgents(App& app, const HttpRequest&, const Principal* p) {
  std::vector<Agent> agents;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(agents, tx.ListAgents(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& agent : agents) out.push_back(AgentJsonFor(agent, *p));
  return JsonResponse(200, json{{"agents", out}});
}

HttpResponse CreateAgent(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::AgentInput in;
  in.email = r.Str("email").value_or("");
  in.name = r.Str("name").value_or("");
  in.role = r.Str("role").value_or("agent");
  in.languages = r.StrList("languages").value_or(std::vector<std::string>{});
  auto password = r.Str("password");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateAgent(in); !valid.ok()) return ProblemResponse(valid.error());
  if (password) {
    auto hash = HashNewPassword(app, *password);
    if (!hash.ok()) return ProblemResponse(hash.error());
    in.password_hash = *hash;
  }
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Agent agent, services::CreateAgent(tx, p->actor, in, now));
    return WriteAnswer{201, ToJson(agent)};
  });
}

HttpResponse UpdateAgent(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::AgentChange change;
  change.name = r.Str("name");
  change.role = r.Str("role");
  change.languages = r.StrList("languages");
  change.active = r.Bool("active");
  auto password = r.Str("password");
  services::AgentRoutingChange routing;
  ReadAgentRouting(r, routing);
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateAgentChange(change); !valid.ok()) return ProblemResponse(valid.error());
  if (auto valid = services::ValidateAgentRoutingChange(routing); !valid.ok()) return ProblemResponse(valid.error());
  if (password) {
    auto hash = HashNewPassword(app, *password);
    if (!hash.ok()) return ProblemResponse(hash.error());
    change.password_hash = *hash;
  }
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Agent agent, services::UpdateAgent(tx, p->actor, *id, change, now));
    if (!routing.empty()) { KZ_ASSIGN(agent, services::UpdateAgentRouting(tx, p->actor, *id, routing, now)); }
    return WriteAnswer{200, ToJson(agent)};
  });
  if (response.status == 200) app.auth.ForgetAgent(p->actor.workspace_id, *id);
  return response;
}

HttpResponse CreateTeam(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::TeamInput in{r.Str("name").value_or(""), r.Str("description").value_or("")};
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateTeam(in); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Team team, services::CreateTeam(tx, p->actor, in, now));
    return WriteAnswer{201, ToJson(team)};
  });
}

HttpResponse UpdateTeam(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto name = r.Str("name");
  auto description = r.Str("description");
  services::TeamRoutingChange routing;
  ReadTeamRouting(r, routing);
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateTeamRoutingChange(routing); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Team current, tx.GetTeam(p->actor.workspace_id, *id));
    services::TeamInput in{name.value_or(current.name), description.value_or(current.description)};
    KZ_TRY(services::ValidateTeam(in));
    KZ_ASSIGN(Team team, services::UpdateTeam(tx, p->actor, *id, in, now));
    if (!routing.empty()) { KZ_ASSIGN(team, services::UpdateTeamRouting(tx, p->actor, *id, routing, now)); }
    return WriteAnswer{200, ToJson(team)};
  });
}

HttpResponse UpdateOrganisation(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto name = r.Str("name");
  auto domain = r.Str("domain");
  auto notes = r.Str("notes");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Organisation current, tx.GetOrganisation(p->actor.workspace_id, *id));
    services::OrganisationInput in{name.value_or(current.name), domain.value_or(current.domain),
                                   notes.value_or(current.notes)};
    KZ_TRY(services::ValidateOrganisation(in));
    KZ_ASSIGN(Organisation org, services::UpdateOrganisation(tx, p->actor, *id, in, now));
    return WriteAnswer{200, ToJson(org)};
  });
}

HttpResponse CreateOrganisation(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::OrganisationInput in{r.Str("name").value_or(""), r.Str("domain").value_or(""), r.Str("notes").value_or("")};
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateOrganisation(in); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Organisation org, services::CreateOrganisation(tx, p->actor, in, now));
    return WriteAnswer{201, ToJson(org)};
  });
}

HttpResponse CreateToken(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto name = r.Str("name").value_or("API token");
  auto scopes = r.StrList("scopes").value_or(std::vector<std::string>{});
  auto agent_id = r.Int("agent_id").value_or(p->actor.id);
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateScopes(scopes); !valid.ok()) return ProblemResponse(valid.error());
  if (name.empty() || name.size() > 100) return ProblemResponse(Error::Invalid("name", "name has 1 to 100 characters"));
  const std::string secret = "kz_" + app.crypto.RandomToken(32);
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    auto agent = tx.GetAgent(p->actor.workspace_id, agent_id);
    if (!agent.ok()) return Error::Invalid("agent_id", "no such agent");
    ports::ApiToken token{0, p->actor.workspace_id, agent_id, name, app.crypto.DigestToken(secret), scopes, now, {}};
    KZ_TRY(tx.InsertApiToken(token));
    json out = ToJson(token);
    out["token"] = secret;  // shown once; only its digest is stored
    return WriteAnswer{201, out};
  });
}

HttpResponse RevokeToken(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  std::string revoked_hash;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto tokens, tx.ListApiTokens(p->actor.workspace_id));
    std::optional<AgentId> owner;
    for (const auto& t : tokens) {
      if (t.id == *id) revoked_hash = t.token_hash, owner = t.agent_id;
    }
    KZ_TRY(tx.RevokeApiToken(p->actor.workspace_id, *id, app.clock.Now()));
    // Other nodes drop the token from their credential caches when this reaches them.
    if (owner) {
      KZ_TRY(services::RecordEvent(tx, p->actor, std::nullopt, "token.revoked",
                                   json{{"token_id", *id}, {"agent_id", *owner}}, app.clock.Now()));
    }
    return WriteAnswer{200, json{{"id", *id}, {"revoked", true}}};
  });
  if (!revoked_hash.empty()) app.auth.Forget(revoked_hash);
  return response;
}

}  // namespace

void AddDirectoryRoutes(Router& router) {
  const Access any{};
  const Access admin{.min_role = Role::kAdmin, .scope = "admin"};
  const Access supervisor{.min_role = Role::kSupervisor, .scope = "admin"};
  router.Add("GET", "/api/v1/workspace", any, GetWorkspace);
  router.Add("PATCH", "/api/v1/workspace", admin, UpdateWorkspace);
  router.Add("GET", "/api/v1/agents", any, ListAgents);
  router.Add("POST", "/api/v1/agents", admin, CreateAgent);
  router.Add("PATCH", "/api/v1/agents/{id}", admin, UpdateAgent);
  router.Add("GET", "/api/v1/agents/{id}", any, [](App& app, const HttpRequest& req, const Principal* p) {
    auto id = PathId(req, "id");
    if (!id.ok()) return ProblemResponse(id.error());
    Agent agent;
    Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(agent, tx.GetAgent(p->actor.workspace_id, *id));
      return Ok();
    });
    if (!status.ok()) return ProblemResponse(status.error());
    return JsonResponse(200, AgentJsonFor(agent, *p));
  });
  router.Add("GET", "/api/v1/teams", any, [](App& app, const HttpRequest&, const Principal* p) {
    return ListAll<Team>(app, p, "teams", [](ports::ReadTx& tx, WorkspaceId ws) { return tx.ListTeams(ws); });
  });
  router.Add("POST", "/api/v1/teams", supervisor, CreateTeam);
  router.Add("PATCH", "/api/v1/teams/{id}", supervisor, UpdateTeam);
  router.Add("GET", "/api/v1/teams/{id}", any, [](App& app, const HttpRequest& req, const Principal* p) {
    return GetOne<Team>(app, req, p, [](ports::ReadTx& tx, WorkspaceId ws, std::int64_t id) { return tx.GetTeam(ws, id); });
  });
  router.Add("GET", "/api/v1/organisations", any, [](App& app, const HttpRequest&, const Principal* p) {
    return ListAll<Organisation>(app, p, "organisations",
                                 [](ports::ReadTx& tx, WorkspaceId ws) { return tx.ListOrganisations(ws); });
  });
  router.Add("POST", "/api/v1/organisations", Access{.scope = "customers:write"}, CreateOrganisation);
  router.Add("PATCH", "/api/v1/organisations/{id}", Access{.scope = "customers:write"}, UpdateOrganisation);
  router.Add("GET", "/api/v1/organisations/{id}", any, [](App& app, const HttpRequest& req, const Principal* p) {
    return GetOne<Organisation>(
        app, req, p, [](ports::ReadTx& tx, WorkspaceId ws, std::int64_t id) { return tx.GetOrganisation(ws, id); });
  });
  router.Add("GET", "/api/v1/tokens", admin, [](App& app, const HttpRequest&, const Principal* p) {
    return ListAll<ports::ApiToken>(app, p, "tokens", [](ports::ReadTx& tx, WorkspaceId ws) { return tx.ListApiTokens(ws); });
  });
  router.Add("POST", "/api/v1/tokens", admin, CreateToken);
  router.Add("DELETE", "/api/v1/tokens/{id}", admin, RevokeToken);
}

}  // namespace kizuna::api
