// /api/v1/service-standards: service standards (C3), kept by admins and supervisors, and
// their compliance by day, team or agent, which every agent may read.
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "services/standards.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

constexpr const char* kCollection = "/api/v1/service-standards";

Result<services::ServiceStandardInput> ReadStandard(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::ServiceStandardInput in;
  in.name = r.StrNotNull("name");
  in.position = r.Int("position");
  in.metric = r.StrNotNull("metric");
  in.channels = r.StrList("channels");
  in.target_seconds = r.Int("target_seconds");
  in.clock = r.StrNotNull("clock");
  in.calendar_id = r.NullableId("calendar_id");
  KZ_TRY(r.Finish());
  return in;
}

HttpResponse ListStandards(App& app, const HttpRequest&, const Principal* p) {
  std::vector<ports::StoredServiceStandard> standards;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(standards, tx.ListServiceStandards(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& s : standards) out.push_back(services::ServiceStandardJson(s));
  return JsonResponse(200, json{{"standards", out}});
}

HttpResponse GetStandard(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::StoredServiceStandard standard;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(standard, tx.GetServiceStandard(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return WithEtag(JsonResponse(200, services::ServiceStandardJson(standard)), standard.version);
}

HttpResponse CreateStandard(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadStandard(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateServiceStandard(*input, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto standard, services::CreateServiceStandard(tx, p->actor, *input, now));
    return WriteAnswer{201, services::ServiceStandardJson(standard)};
  });
  return WithLocation(std::move(response), kCollection);
}

HttpResponse UpdateStandard(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadStandard(req);
  if (!input.ok()) return ProblemResponse(input.error());
  auto if_match = IfMatchVersion(req);
  if (!if_match.ok()) return ProblemResponse(if_match.error());
  input->expected_version = *if_match;
  if (auto valid = services::ValidateServiceStandard(*input, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto standard, services::UpdateServiceStandard(tx, p->actor, *id, *input, now));
    version = standard.version;
    return WriteAnswer{200, services::ServiceStandardJson(standard)};
  });
  return version ? WithEtag(std::move(response), version) : response;
}

HttpResponse DeleteStandard(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteServiceStandard(tx, p->actor, *id, now));
    return WriteAnswer{200, json{{"id", *id}, {"deleted", true}}};
  });
}

std::optional<std::string> QueryText(const HttpRequest& req, const std::string& name) {
  const std::string* value = req.Query(name);
  return value ? std::optional<std::string>(*value) : std::nullopt;
}

HttpResponse GetCompliance(App& app, const HttpRequest& req, const Principal* p) {
  services::ComplianceQuery query{QueryText(req, "from"), QueryText(req, "to"), QueryText(req, "group_by")};
  auto request = services::ValidateComplianceQuery(query);
  if (!request.ok()) return ProblemResponse(request.error());
  const Timestamp now = app.clock.Now();
  services::ComplianceReport report;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(report, services::Compliance(tx, p->actor.workspace_id, *request, now));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, services::ComplianceJson(report));
}

}  // namespace

void AddStandardRoutes(Router& router) {
  const Access any{};
  const Access supervisor{.min_role = Role::kSupervisor, .scope = "admin"};
  router.Add("GET", kCollection, any, ListStandards);
  router.Add("POST", kCollection, supervisor, CreateStandard);
  // Before /{id}, which would take "compliance" for an id.
  router.Add("GET", "/api/v1/service-standards/compliance", any, GetCompliance);
  router.Add("GET", "/api/v1/service-standards/{id}", any, GetStandard);
  router.Add("PATCH", "/api/v1/service-standards/{id}", supervisor, UpdateStandard);
  router.Add("DELETE", "/api/v1/service-standards/{id}", supervisor, DeleteStandard);
}

}  // namespace kizuna::api
