// /api/v1/portal/{workspace}: the public help centre. Customers submit requests,
// sign in with a one-time emailed link, follow their requests and reply.
#include <charconv>

#include "api/attachments.h"
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/portal_session.h"
#include "api/support.h"
#include "core/text.h"
#include "core/time.h"
#include "services/portal.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

constexpr int kPortalSessionHours = 24 * 7;

std::string PortalCookie(const App& app, const std::string& value, int max_age) {
  return CookieHeader(app, kPortalCookie, value, max_age);
}

Result<std::int64_t> RequestNumber(const HttpRequest& req) {
  auto it = req.params.find("number");
  const std::string text = it == req.params.end() ? "" : it->second;
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number <= 0) return Error::NotFound("request not found");
  return number;
}

// By when the customer can expect our next reply: the due time of the running first or next
// reply target of the request's service level; none when no target runs or it has passed.
std::optional<Timestamp> ExpectedReply(const Ticket& t, Timestamp now) {
  if (!t.sla) return std::nullopt;
  std::optional<Timestamp> expected;
  for (const auto& target : t.sla->targets) {
    if (target.state != "running" || !target.due_at || *target.due_at <= now) continue;
    if (target.metric != "first_reply" && target.metric != "next_reply") continue;
    if (!expected || *target.due_at < *expected) expected = target.due_at;
  }
  return expected;
}

json RequestJson(const Ticket& t, Timestamp now) {
  auto expected = ExpectedReply(t, now);
  return json{{"number", t.number},
              {"subject", t.subject},
              {"status", StatusName(t.status)},
              {"channel", t.channel},
              {"expected_reply_at", expected ? json(FormatTimestamp(*expected)) : json(nullptr)},
              {"created_at", FormatTimestamp(t.created_at)},
              {"updated_at", FormatTimestamp(t.updated_at)}};
}

json CustomerJson(const Customer& c) {
  return json{{"id", c.id}, {"name", c.name}, {"language", c.language}};
}

json AttachmentsJson(const Message& m) {
  json out = json::array();
  for (const auto& a : m.attachments) {
    out.push_back(json{{"id", a.id}, {"name", a.name}, {"content_type", a.content_type}, {"size", a.size}});
  }
  return out;
}

HttpResponse Limited() {
  HttpResponse limited = ProblemResponse(Error{ErrorCode::kRateLimited, "too many requests; please wait a few minutes", {}});
  limited.AddHeader("Retry-After", "600");
  return limited;
}

HttpResponse HelpCentre(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  return JsonResponse(200, json{{"name", ws->name}, {"locale", ws->locale}, {"time_zone", ws->time_zone}});
}

HttpResponse SubmitRequest(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::WebRequestInput in;
  in.name = r.Str("name").value_or("");
  in.email = r.Str("email").value_or("");
  in.language = r.Str("language").value_or("");
  in.subject = r.Str("subject").value_or("");
  in.body = r.Str("body").value_or("");
  in.attachment_tokens = DigestUploadTokens(app, r.StrList("attachments").value_or(std::vector<std::string>{}));
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  // A signed-in customer's request is theirs; anyone else is known by the email they give.
  if (!req.Cookie(kPortalCookie).empty()) {
    auto session = PortalCustomer(app, req, ws->id, true);
    if (!session.ok()) return ProblemResponse(session.error());
    in.customer_id = session->customer_id;
  }
  if (auto valid = services::ValidateWebRequest(in); !valid.ok()) return ProblemResponse(valid.error());
  if (!app.portal_by_address.Allow(ws->name + "/" + req.remote_address)) return Limited();
  const Timestamp now = app.clock.Now();
  Ticket created;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(created, services::SubmitWebRequest(tx, ws->id, in, now));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(201, RequestJson(created, app.clock.Now()));
}

HttpResponse SendSignInLink(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::string email = r.Str("email").value_or("");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  auto identity = NormaliseIdentity("email", email);
  if (!identity.ok()) return ProblemResponse(Error::Invalid("email", "enter a valid email address"));
  if (!app.portal_by_address.Allow(ws->name + "/" + req.remote_address) ||
      !app.portal_by_address.Allow(ws->name + "/" + identity->value)) {
    return Limited();
  }
  const std::string secret = app.crypto.RandomToken(32);
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    return services::IssueSignInLink(tx, ws->id, *identity, secret, app.crypto.DigestToken(secret), app.clock.Now());
  });
  // The answer is the same whether or not the address is known: it reveals no customers.
  if (!status.ok() && status.error().code != ErrorCode::kNotFound) return ProblemResponse(status.error());
  return JsonResponse(202, json{{"sent", true}});
}

HttpResponse OpenSession(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::string token = r.Str("token").value_or("");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  Error invalid{ErrorCode::kUnauthenticated, "this sign-in link has expired or was already used; ask for a new one", "token"};
  if (token.empty() || token.size() > 200) return ProblemResponse(invalid);
  if (!app.portal_by_address.Allow(ws->name + "/" + req.remote_address)) return Limited();
  const Timestamp now = app.clock.Now();
  const std::string session_secret = app.crypto.RandomToken(32);
  ports::PortalSession session{app.crypto.DigestToken(session_secret), ws->id, 0, app.crypto.RandomToken(24), now,
                               now + static_cast<Timestamp>(kPortalSessionHours) * 3600 * 1000};
  Customer customer;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    const std::string hash = app.crypto.DigestToken(token);
    auto link = tx.FindPortalLink(hash);
    if (!link.ok() || link->workspace_id != ws->id || link->used_at || link->expires_at <= now) return invalid;
    KZ_TRY(tx.UsePortalLink(hash, now));
    KZ_ASSIGN(customer, tx.GetCustomer(ws->id, link->customer_id));
    session.customer_id = customer.id;
    return tx.InsertPortalSession(session);
  });
  if (!status.ok()) return ProblemResponse(status.error());
  HttpResponse response = JsonResponse(200, json{{"customer", CustomerJson(customer)}, {"csrf_token", session.csrf_token}});
  response.AddHeader("Set-Cookie", PortalCookie(app, session_secret, kPortalSessionHours * 3600));
  return response;
}

HttpResponse CurrentSession(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, false);
  if (!session.ok()) return ProblemResponse(session.error());
  Customer customer;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(customer, tx.GetCustomer(ws->id, session->customer_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, json{{"customer", CustomerJson(customer)}, {"csrf_token", session->csrf_token}});
}

HttpResponse SignOut(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, true);
  if (!session.ok()) return ProblemResponse(session.error());
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) { return tx.DeletePortalSession(session->token_hash); });
  if (!status.ok()) return ProblemResponse(status.error());
  HttpResponse response = JsonResponse(200, json{{"signed_out", true}});
  response.AddHeader("Set-Cookie", PortalCookie(app, "", 0));
  return response;
}

HttpResponse MyRequests(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, false);
  if (!session.ok()) return ProblemResponse(session.error());
  ports::TicketPage page;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    ports::TicketFilter filter;
    filter.requester_id = session->customer_id;
    filter.limit = 100;
    KZ_ASSIGN(page, tx.ListTickets(ws->id, filter));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& t : page.tickets) out.push_back(RequestJson(t, app.clock.Now()));
  return JsonResponse(200, json{{"requests", out}});
}

HttpResponse OneRequest(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, false);
  if (!session.ok()) return ProblemResponse(session.error());
  auto number = RequestNumber(req);
  if (!number.ok()) return ProblemResponse(number.error());
  json out;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    auto ticket = tx.GetTicketByNumber(ws->id, *number);
    if (!ticket.ok() || ticket->requester_id != session->customer_id) return Error::NotFound("request not found");
    KZ_ASSIGN(auto messages, tx.ListMessages(ws->id, ticket->id));
    KZ_ASSIGN(auto agents, tx.ListAgents(ws->id));
    std::map<AgentId, std::string> names;
    for (const auto& a : agents) names[a.id] = a.name;
    json list = json::array();
    for (const auto& m : messages) {
      if (m.kind == MessageKind::kNote) continue;  // internal notes never reach the customer
      list.push_back(json{{"id", m.id},
                          {"author_type", AuthorTypeName(m.author_type)},
                          {"author_name", m.author_type == AuthorType::kAgent ? names[m.author_id] : ""},
                          {"body", m.body_text},
                          {"attachments", AttachmentsJson(m)},
                          {"created_at", FormatTimestamp(m.created_at)}});
    }
    out = json{{"request", RequestJson(*ticket, app.clock.Now())}, {"messages", list}};
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, out);
}

HttpResponse Reply(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, true);
  if (!session.ok()) return ProblemResponse(session.error());
  auto number = RequestNumber(req);
  if (!number.ok()) return ProblemResponse(number.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::string text = r.Str("body").value_or("");
  auto tokens = DigestUploadTokens(app, r.StrList("attachments").value_or(std::vector<std::string>{}));
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  auto checked = CheckText("body", text,
                           TextRule{.max_code_points = 65536, .allow_empty = !tokens.empty(), .allow_newlines = true});
  if (!checked.ok()) return ProblemResponse(checked.error());
  services::MessageResult result;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(result, services::AddCustomerReply(tx, ws->id, session->customer_id, *number, *checked, tokens,
                                                 app.clock.Now()));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(201, json{{"id", result.message.id},
                                {"body", result.message.body_text},
                                {"created_at", FormatTimestamp(result.message.created_at)},
                                {"request", RequestJson(result.ticket, app.clock.Now())}});
}

HttpResponse UploadFile(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  CustomerId customer = 0;  // a visitor's upload, for the request form
  if (!req.Cookie(kPortalCookie).empty()) {
    auto session = PortalCustomer(app, req, ws->id, true);
    if (!session.ok()) return ProblemResponse(session.error());
    customer = session->customer_id;
  }
  if (!app.portal_by_address.Allow(ws->name + "/" + req.remote_address)) return Limited();
  auto answer = StoreUpload(app, req, ws->id, services::Uploader{"customer", customer});
  if (!answer.ok()) return ProblemResponse(answer.error());
  return UploadResponse(*answer);
}

HttpResponse DownloadFile(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, false);
  if (!session.ok()) return ProblemResponse(session.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::StoredAttachment found;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    const Error hidden = Error::NotFound("attachment not found");
    auto attachment = tx.GetAttachment(ws->id, *id);
    if (!attachment.ok() || !attachment->message_id) return hidden;
    // Only files of public messages on the customer's own requests.
    auto message = tx.GetMessage(ws->id, *attachment->message_id);
    if (!message.ok() || message->kind == MessageKind::kNote) return hidden;
    auto ticket = tx.GetTicket(ws->id, message->ticket_id);
    if (!ticket.ok() || ticket->requester_id != session->customer_id) return hidden;
    found = *attachment;
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return FileResponse(app, found);
}

}  // namespace

void AddPortalRoutes(Router& router) {
  const Access open{.is_public = true};  // customers are checked by each handler
  router.Add("GET", "/api/v1/portal/{workspace}", open, HelpCentre);
  router.Add("POST", "/api/v1/portal/{workspace}/requests", open, SubmitRequest);
  router.Add("GET", "/api/v1/portal/{workspace}/requests", open, MyRequests);
  router.Add("GET", "/api/v1/portal/{workspace}/requests/{number}", open, OneRequest);
  router.Add("POST", "/api/v1/portal/{workspace}/requests/{number}/messages", open, Reply);
  router.Add("POST", "/api/v1/portal/{workspace}/sign-in-link", open, SendSignInLink);
  router.Add("POST", "/api/v1/portal/{workspace}/session", open, OpenSession);
  router.Add("GET", "/api/v1/portal/{workspace}/session", open, CurrentSession);
  router.Add("POST", "/api/v1/portal/{workspace}/sign-out", open, SignOut);
  router.Add("POST", "/api/v1/portal/{workspace}/attachments", open, UploadFile);
  router.Add("GET", "/api/v1/portal/{workspace}/attachments/{id}", open, DownloadFile);
}

}  // namespace kizuna::api
