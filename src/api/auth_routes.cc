// /api/v1/auth: sign in with email and password, sign out, the current session.
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "core/text.h"
#include "services/directory.h"
#include "services/events.h"
#include "services/routing_setup.h"  // sign-out goes offline (C4)

namespace kizuna::api {
namespace {

using nlohmann::json;

// A real hash of nothing: verifying against it costs what a real check costs,
// so a missing account takes as long to refuse as a wrong password.
const std::string& DecoyHash(App& app) {
  static const std::string hash = [&] {
    auto h = app.crypto.HashPassword("kizuna-decoy-password");
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

std::string SessionCookie(const App& app, const std::string& value, int max_age) {
  return CookieHeader(app, kSessionCookie, value, max_age);
}

HttpResponse SignIn(App& app, const HttpRequest& req, const Principal*) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::string workspace_name = ToLowerAscii(r.Str("workspace").value_or(""));
  std::string email = ToLowerAscii(TrimSpaces(r.Str("email").value_or("")));
  std::string password = r.Str("password").value_or("");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (workspace_name.empty() || email.empty() || password.empty()) {
    return ProblemResponse(Error::Invalid(workspace_name.empty() ? "workspace" : email.empty() ? "email" : "password",
                                          "workspace, email and password are required"));
  }
  if (password.size() > 256 || email.size() > 254 || workspace_name.size() > 63) {
    return ProblemResponse(Error::Invalid("password", "credentials too long"));
  }
  if (!app.sign_in_by_address.Allow(req.remote_address) ||
      !app.sign_in_by_account.Allow(workspace_name + "/" + email)) {
    HttpResponse limited = ProblemResponse(Error{ErrorCode::kRateLimited, "too many sign-in attempts; wait a few minutes", {}});
    limited.AddHeader("Retry-After", "300");
    return limited;
  }
  std::optional<Agent> agent;
  std::optional<Workspace> workspace;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    auto ws = tx.FindWorkspace(workspace_name);
    if (!ws.ok()) return ws.error().code == ErrorCode::kNotFound ? Ok() : Status(ws.error());
    workspace = *ws;
    auto found = tx.FindAgentByEmail(ws->id, email);
    if (found.ok()) agent = *found;
    else if (found.error().code != ErrorCode::kNotFound) return found.error();
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  app.password_slots.acquire();
  bool verified = agent && agent->active && app.crypto.VerifyPassword(agent->password_hash, password);
  if (!agent) (void)app.crypto.VerifyPassword(DecoyHash(app), password);
  app.password_slots.release();
  if (!verified) {
    return ProblemResponse(Error{ErrorCode::kUnauthenticated, "the workspace, email or password is wrong", {}});
  }
  const std::string secret = app.crypto.RandomToken(32);
  const Timestamp now = app.clock.Now();
  ports::Session session{app.crypto.DigestToken(secret), workspace->id, agent->id, app.crypto.RandomToken(24), now,
                         now + static_cast<Timestamp>(app.settings.session_hours) * 3600 * 1000};
  Status saved = app.store.WriteAndWait([&](ports::WriteTx& tx) { return tx.InsertSession(session); });
  if (!saved.ok()) return ProblemResponse(saved.error());
  HttpResponse response = JsonResponse(
      200, json{{"agent", ToJson(*agent)}, {"workspace", ToJson(*workspace)}, {"csrf_token", session.csrf_token}});
  response.AddHeader("Set-Cookie", SessionCookie(app, secret, app.settings.session_hours * 3600));
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

HttpResponse SignOut(App& app, const HttpRequest&, const Principal* p) {
  if (p->via_session) {
    const Timestamp now = app.clock.Now();
    Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_TRY(tx.DeleteSession(p->credential_hash));
      // Other nodes drop the agent's cached credentials when this reaches them.
      KZ_TRY(services::RecordEvent(tx, p->actor, std::nullopt, "agent.signed_out", json{{"agent_id", p->actor.id}}, now));
      // Routing (C4): an agent who signed out is not there to take work.
      auto offline = services::SetPresence(tx, p->actor, Presence::kOffline, now);
      if (!offline.ok() && offline.error().code != ErrorCode::kNotFound) return offline.error();
      return Ok();
    });
    if (!status.ok()) return ProblemResponse(status.error());
    app.auth.Forget(p->credential_hash);
  }
  HttpResponse response = JsonResponse(200, json{{"signed_out", true}});
  response.AddHeader("Set-Cookie", SessionCookie(app, "", 0));
  return response;
}

HttpResponse CurrentSession(App& app, const HttpRequest&, const Principal* p) {
  Agent agent;
  Workspace workspace;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(agent, tx.GetAgent(p->actor.workspace_id, p->actor.id));
    KZ_ASSIGN(workspace, tx.GetWorkspace(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out{{"agent", ToJson(agent)}, {"workspace", ToJson(workspace)}};
  out["csrf_token"] = p->via_session ? json(p->csrf_token) : json(nullptr);
  HttpResponse response = JsonResponse(200, out);
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

HttpResponse UpdateProfile(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::ProfileChange change;
  change.name = r.Str("name");
  change.locale = r.Str("locale");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateProfileChange(change); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Agent agent, services::UpdateOwnProfile(tx, p->actor, change, now));
    return WriteAnswer{200, ToJson(agent)};
  });
}

}  // namespace

void AddAuthRoutes(Router& router) {
  router.Add("POST", "/api/v1/auth/sign-in", Access{.is_public = true}, SignIn);
  router.Add("POST", "/api/v1/auth/sign-out", Access{}, SignOut);
  router.Add("GET", "/api/v1/auth/session", Access{}, CurrentSession);
  router.Add("PATCH", "/api/v1/me", Access{}, UpdateProfile);
}

void AddHealthRoutes(Router& router) {
  const Access open{.is_public = true};
  router.Add("GET", "/healthz", open, [](App&, const HttpRequest&, const Principal*) {
    return JsonResponse(200, json{{"status", "ok"}});
  });
  router.Add("GET", "/readyz", open, [](App& app, const HttpRequest&, const Principal*) {
    Status status = TimedRead(app, [](ports::ReadTx& tx) -> Status {
      auto probe = tx.GetWorkspace(0);
      if (!probe.ok() && probe.error().code != ErrorCode::kNotFound) return probe.error();
      return Ok();
    });
    if (!status.ok()) return ProblemResponse(Error::Unavailable("the store is not answering: " + status.error().message));
    return JsonResponse(200, json{{"status", "ready"}});
  });
  // The server upgrades /api/v1/stream to a WebSocket before routing; a plain GET lands here.
  router.Add("GET", "/api/v1/stream", Access{}, [](App&, const HttpRequest&, const Principal*) {
    HttpResponse response = ProblemResponse(426, "upgrade_required", "open /api/v1/stream as a WebSocket");
    response.AddHeader("Upgrade", "websocket");
    return response;
  });
  router.Add("GET", "/metrics", open, [](App& app, const HttpRequest&, const Principal*) {
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = app.metrics.Render();
    return response;
  });
}

}  // namespace kizuna::api
