// /api/v1/calendars (business hours) and /api/v1/sla/policies: service levels, for admins.
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "services/sla.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

Result<services::CalendarInput> ReadCalendar(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::CalendarInput in;
  in.name = r.Str("name");
  in.time_zone = r.Str("time_zone");
  if (const json* hours = r.Object("hours")) in.hours = *hours;
  if (const json* holidays = r.Array("holidays")) in.holidays = *holidays;
  if (const json* exceptions = r.Array("exceptions")) in.exceptions = *exceptions;
  KZ_TRY(r.Finish());
  return in;
}

Result<services::SlaPolicyInput> ReadPolicy(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::SlaPolicyInput in;
  in.name = r.Str("name");
  in.position = r.Int("position");
  in.calendar_id = r.NullableId("calendar_id");
  if (const json* conditions = r.Object("conditions")) in.conditions = *conditions;
  if (const json* targets = r.Array("targets")) in.targets = *targets;
  in.warning_percent = r.Int("warning_percent");
  if (const json* escalations = r.Object("escalations")) in.escalations = *escalations;
  KZ_TRY(r.Finish());
  return in;
}

HttpResponse ListCalendars(App& app, const HttpRequest&, const Principal* p) {
  std::vector<ports::StoredCalendar> calendars;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(calendars, tx.ListCalendars(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& c : calendars) out.push_back(services::CalendarJson(c));
  return JsonResponse(200, json{{"calendars", out}});
}

HttpResponse GetCalendar(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::StoredCalendar calendar;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(calendar, tx.GetCalendar(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return WithEtag(JsonResponse(200, services::CalendarJson(calendar)), calendar.version);
}

HttpResponse CreateCalendar(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadCalendar(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateCalendar(*input, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto calendar, services::CreateCalendar(tx, p->actor, *input, now));
    return WriteAnswer{201, services::CalendarJson(calendar)};
  });
  return WithLocation(std::move(response), "/api/v1/calendars");
}

HttpResponse UpdateCalendar(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadCalendar(req);
  if (!input.ok()) return ProblemResponse(input.error());
  auto if_match = IfMatchVersion(req);
  if (!if_match.ok()) return ProblemResponse(if_match.error());
  input->expected_version = *if_match;
  if (auto valid = services::ValidateCalendar(*input, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto calendar, services::UpdateCalendar(tx, p->actor, *id, *input, now));
    version = calendar.version;
    return WriteAnswer{200, services::CalendarJson(calendar)};
  });
  return version ? WithEtag(std::move(response), version) : response;
}

HttpResponse DeleteCalendar(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteCalendar(tx, p->actor, *id, now));
    return WriteAnswer{200, json{{"id", *id}, {"deleted", true}}};
  });
}

HttpResponse ListPolicies(App& app, const HttpRequest&, const Principal* p) {
  std::vector<ports::StoredSlaPolicy> policies;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(policies, tx.ListSlaPolicies(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& policy : policies) out.push_back(services::SlaPolicyJson(policy));
  return JsonResponse(200, json{{"policies", out}});
}

HttpResponse GetPolicy(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::StoredSlaPolicy policy;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(policy, tx.GetSlaPolicy(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return WithEtag(JsonResponse(200, services::SlaPolicyJson(policy)), policy.version);
}

HttpResponse CreatePolicy(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadPolicy(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateSlaPolicy(*input, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto policy, services::CreateSlaPolicy(tx, p->actor, *input, now));
    return WriteAnswer{201, services::SlaPolicyJson(policy)};
  });
  return WithLocation(std::move(response), "/api/v1/sla/policies");
}

HttpResponse UpdatePolicy(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadPolicy(req);
  if (!input.ok()) return ProblemResponse(input.error());
  auto if_match = IfMatchVersion(req);
  if (!if_match.ok()) return ProblemResponse(if_match.error());
  input->expected_version = *if_match;
  if (auto valid = services::ValidateSlaPolicy(*input, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto policy, services::UpdateSlaPolicy(tx, p->actor, *id, *input, now));
    version = policy.version;
    return WriteAnswer{200, services::SlaPolicyJson(policy)};
  });
  return version ? WithEtag(std::move(response), version) : response;
}

HttpResponse DeletePolicy(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteSlaPolicy(tx, p->actor, *id, now));
    return WriteAnswer{200, json{{"id", *id}, {"deleted", true}}};
  });
}

}  // namespace

void AddSlaRoutes(Router& router) {
  const Access admin{.min_role = Role::kAdmin, .scope = "admin"};
  router.Add("GET", "/api/v1/calendars", admin, ListCalendars);
  router.Add("POST", "/api/v1/calendars", admin, CreateCalendar);
  router.Add("GET", "/api/v1/calendars/{id}", admin, GetCalendar);
  router.Add("PATCH", "/api/v1/calendars/{id}", admin, UpdateCalendar);
  router.Add("DELETE", "/api/v1/calendars/{id}", admin, DeleteCalendar);
  router.Add("GET", "/api/v1/sla/policies", admin, ListPolicies);
  router.Add("POST", "/api/v1/sla/policies", admin, CreatePolicy);
  router.Add("GET", "/api/v1/sla/policies/{id}", admin, GetPolicy);
  router.Add("PATCH", "/api/v1/sla/policies/{id}", admin, UpdatePolicy);
  router.Add("DELETE", "/api/v1/sla/policies/{id}", admin, DeletePolicy);
}

}  // namespace kizuna::api
