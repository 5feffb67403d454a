// /api/v1/voice/events: what a phone system (a PBX or CTI connector) reports of its calls
// (C18). docs/voice.md describes the contract.
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "core/time.h"
#include "services/voice.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

Result<services::CallEventInput> ReadCallEvent(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::CallEventInput in;
  in.call_id = r.Str("call_id").value_or("");
  in.type = r.Str("type").value_or("");
  const auto at = r.Str("at");
  in.direction = r.Str("direction").value_or("inbound");
  in.from = r.Str("from").value_or("");
  in.to = r.Str("to").value_or("");
  if (auto agent = r.NullableId("agent_id"); agent.present) in.agent_id = agent.value;
  if (auto team = r.NullableId("team_id"); team.present) in.team_id = team.value;
  KZ_TRY(r.Finish());
  if (!body.contains("type")) return Error::Invalid("type", "give type: ringing, answered, hold, resumed or ended");
  if (!at) return Error::Invalid("at", "give at, when it happened, as RFC 3339 (2026-12-06T09:15:02.250Z)");
  auto parsed = ParseTimestamp(*at);
  if (!parsed) return Error::Invalid("at", "at is an RFC 3339 date-time such as 2026-12-06T09:15:02.250Z");
  in.at = *parsed;
  return in;
}

HttpResponse PostCallEvent(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadCallEvent(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateCallEvent(*input); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto result, services::RecordCallEvent(tx, p->actor, *input, now));
    json out{{"call", services::CallJson(result.call)}, {"replayed", result.replayed}};
    return WriteAnswer{result.created ? 201 : 200, out};
  });
}

}  // namespace

void AddVoiceRoutes(Router& router) {
  // A connector's API token needs tickets:write: every call is a ticket.
  router.Add("POST", "/api/v1/voice/events", Access{.scope = "tickets:write"}, PostCallEvent);
}

}  // namespace kizuna::api
