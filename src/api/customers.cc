// /api/v1/customers: profiles, identities, merges, a customer's tickets.
#include <charconv>

#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "services/customers.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

Result<services::CustomerInput> ReadCustomer(const json& body) {
  FieldReader r(body);
  services::CustomerInput in;
  in.name = r.StrNotNull("name");
  in.language = r.Str("language");
  in.organisation_id = r.NullableId("organisation_id");
  // Null clears these, as an empty string does.
  for (auto [key, field] : {std::pair{"notes", &in.notes}, std::pair{"birthday", &in.birthday},
                            std::pair{"tier", &in.tier}}) {
    if (auto text = r.NullableStr(key); text.present) *field = text.value.value_or("");
  }
  in.account_owner_id = r.NullableId("account_owner_id");
  if (const json* ids = r.Array("identities")) {
    std::vector<services::IdentityInput> list;
    for (const auto& item : *ids) {
      if (!item.is_object()) return Error::Invalid("identities", "identities are objects {kind, value}");
      FieldReader ir(item, "identities");
      auto kind = ir.Str("kind");
      auto value = ir.Str("value");
      KZ_TRY(ir.Finish());
      if (!kind || !value) return Error::Invalid("identities", "each identity needs kind and value");
      list.push_back(services::IdentityInput{*kind, *value});
    }
    in.identities = std::move(list);
  }
  KZ_TRY(r.Finish());
  return in;
}

HttpResponse CreateCustomer(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  auto input = ReadCustomer(*body);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateCustomer(*input, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Customer customer, services::CreateCustomer(tx, p->actor, *input, now));
    return WriteAnswer{201, ToJson(customer)};
  });
  return WithLocation(std::move(response), "/api/v1/customers");
}

HttpResponse GetCustomer(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  Customer customer;  // with its identities, in one query
  Status status = TimedRead(
      app,
      [&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(customer, tx.GetCustomer(p->actor.workspace_id, *id));
        return Ok();
      },
      ReadKind::kByKey);
  if (!status.ok()) return ProblemResponse(status.error());
  return WithEtag(JsonResponse(200, ToJson(customer)), customer.version);
}

HttpResponse UpdateCustomer(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  auto input = ReadCustomer(*body);
  if (!input.ok()) return ProblemResponse(input.error());
  auto if_match = IfMatchVersion(req);
  if (!if_match.ok()) return ProblemResponse(if_match.error());
  input->expected_version = *if_match;
  if (auto valid = services::ValidateCustomer(*input, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Customer customer, services::UpdateCustomer(tx, p->actor, *id, *input, now));
    version = customer.version;
    return WriteAnswer{200, ToJson(customer)};
  });
  return version ? WithEtag(std::move(response), version) : response;
}

HttpResponse DeleteCustomer(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteCustomer(tx, p->actor, *id, now));
    return WriteAnswer{200, json{{"id", *id}, {"deleted", true}}};
  });
}

HttpResponse MergeCustomer(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto into = r.Int("into_id");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!into || *into <= 0) return ProblemResponse(Error::Invalid("into_id", "into_id (the customer to keep) is required"));
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Customer kept, services::MergeCustomers(tx, p->actor, *id, *into, now));
    return WriteAnswer{200, ToJson(kept)};
  });
}

HttpResponse ListCustomers(App& app, const HttpRequest& req, const Principal* p) {
  std::string query = req.Query("q") ? *req.Query("q") : "";
  std::int64_t after = 0;
  int limit = 25;
  if (const auto* cursor = req.Query("cursor")) {
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), after);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || after < 0) {
      return ProblemResponse(Error::Invalid("cursor", "cursor must be the next_cursor of a previous page"));
    }
  }
  if (const auto* text = req.Query("limit")) {
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (ec != std::errc() || end != text->data() + text->size() || limit < 1 || limit > 100) {
      return ProblemResponse(Error::Invalid("limit", "limit is from 1 to 100"));
    }
  }
  if (query.size() > 200) return ProblemResponse(Error::Invalid("q", "q is at most 200 bytes"));
  std::vector<Customer> customers;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(customers, tx.ListCustomers(p->actor.workspace_id, query, after, limit + 1));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json next = nullptr;
  if (static_cast<int>(customers.size()) > limit) {
    customers.pop_back();
    next = std::to_string(customers.back().id);
  }
  json out = json::array();
  for (const auto& c : customers) out.push_back(ToJson(c));
  return JsonResponse(200, json{{"customers", out}, {"next_cursor", next}});
}

HttpResponse CustomerTickets(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::TicketPage page;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_TRY(tx.GetCustomer(p->actor.workspace_id, *id));
    ports::TicketFilter filter;
    filter.requester_id = *id;
    filter.limit = 100;
    KZ_ASSIGN(page, tx.ListTickets(p->actor.workspace_id, filter));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& t : page.tickets) out.push_back(ToJson(t));
  return JsonResponse(200, json{{"tickets", out}, {"has_more", page.has_more}});
}

}  // namespace

void AddCustomerRoutes(Router& router) {
  const Access read{.scope = "customers:read"};
  const Access write{.scope = "customers:write"};
  router.Add("GET", "/api/v1/customers", read, ListCustomers);
  router.Add("POST", "/api/v1/customers", write, CreateCustomer);
  router.Add("GET", "/api/v1/customers/{id}", read, GetCustomer);
  router.Add("PATCH", "/api/v1/customers/{id}", write, UpdateCustomer);
  router.Add("DELETE", "/api/v1/customers/{id}", Access{.min_role = Role::kSupervisor, .scope = "customers:write"},
             DeleteCustomer);
  router.Add("POST", "/api/v1/customers/{id}/merge", write, MergeCustomer);
  router.Add("GET", "/api/v1/customers/{id}/tickets", Access{.scope = "tickets:read"}, CustomerTickets);
}

}  // namespace kizuna::api
