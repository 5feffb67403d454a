// /api/v1/tickets: create, read, update, list; messages and events of a ticket; inbox counts.
#include <charconv>

#include "api/attachments.h"
#include "api/dto.h"
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "core/time.h"
#include "services/tickets.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

Result<services::CreateTicketInput> ReadCreateTicket(const json& body) {
  FieldReader r(body);
  services::CreateTicketInput in;
  in.subject = r.Str("subject").value_or("");
  in.body = r.Str("body").value_or("");
  in.status = r.Str("status");
  in.priority = r.Str("priority");
  in.channel = r.Str("channel").value_or("api");
  if (auto a = r.NullableId("assignee_id"); a.present) in.assignee_id = a.value;
  if (auto t = r.NullableId("team_id"); t.present) in.team_id = t.value;
  in.tags = r.StrList("tags").value_or(std::vector<std::string>{});
  if (auto fields = r.StrMap("fields")) {
    for (const auto& [k, v] : *fields) {
      if (v) in.fields[k] = *v;
    }
  }
  in.attachment_tokens = r.StrList("attachments").value_or(std::vector<std::string>{});  // digested by the handler
  if (const json* requester = r.Object("requester")) {
    FieldReader rr(*requester, "requester");
    if (auto id = rr.NullableId("id"); id.present) in.requester.id = id.value;
    in.requester.name = rr.Str("name").value_or("");
    in.requester.email = rr.Str("email").value_or("");
    in.requester.phone = rr.Str("phone").value_or("");
    in.requester.language = rr.Str("language").value_or("");
    KZ_TRY(rr.Finish());
  }
  KZ_TRY(r.Finish());
  if (!body.contains("subject")) return Error::Invalid("subject", "subject is required");
  if (!body.contains("body")) return Error::Invalid("body", "body (the first message) is required");
  if (!body.contains("requester")) return Error::Invalid("requester", "requester is required");
  return in;
}

Result<services::UpdateTicketInput> ReadUpdateTicket(const json& body) {
  FieldReader r(body);
  services::UpdateTicketInput in;
  in.subject = r.Str("subject");
  in.status = r.Str("status");
  in.priority = r.Str("priority");
  in.assignee_id = r.NullableId("assignee_id");
  in.team_id = r.NullableId("team_id");
  in.tags = r.StrList("tags");
  in.fields = r.StrMap("fields");
  KZ_TRY(r.Finish());
  return in;
}

std::string EncodeCursor(const ports::TicketCursor& c) {
  return std::to_string(c.sort_value) + "." + std::to_string(c.id);
}

Result<ports::TicketCursor> DecodeCursor(const std::string& text) {
  auto dot = text.find('.');
  ports::TicketCursor c;
  auto bad = Error::Invalid("cursor", "cursor must be the next_cursor of a previous page");
  if (dot == std::string::npos) return bad;
  auto [e1, ec1] = std::from_chars(text.data(), text.data() + dot, c.sort_value);
  auto [e2, ec2] = std::from_chars(text.data() + dot + 1, text.data() + text.size(), c.id);
  if (ec1 != std::errc() || ec2 != std::errc() || e1 != text.data() + dot || e2 != text.data() + text.size()) return bad;
  return c;
}

Result<ports::TicketFilter> ReadFilter(const HttpRequest& req, const Principal& principal) {
  static const std::set<std::string> kKnown = {"status", "assignee_id", "team_id", "tag", "requester_id", "channel",
                                               "updated_since", "sort", "limit", "cursor"};
  for (const auto& [key, value] : req.query) {
    if (!kKnown.count(key)) return Error::Invalid(key, "unknown query parameter " + key);
  }
  ports::TicketFilter f;
  if (const auto* status = req.Query("status")) {
    std::string_view list = *status;
    while (!list.empty()) {
      auto comma = list.find(',');
      std::string item(list.substr(0, comma));
      if (item == "unsolved") {
        for (auto s : {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kPending, TicketStatus::kOnHold}) {
          f.statuses.push_back(s);
        }
      } else {
        KZ_ASSIGN(auto s, ParseStatus(item));
        f.statuses.push_back(s);
      }
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (const auto* assignee = req.Query("assignee_id")) {
    if (*assignee == "me") f.assignee_id = principal.actor.id;
    else if (*assignee == "none") f.unassigned = true;
    else { KZ_ASSIGN(f.assignee_id, QueryInt(req, "assignee_id")); }
  }
  if (req.Query("team_id")) { KZ_ASSIGN(f.team_id, QueryInt(req, "team_id")); }
  if (req.Query("requester_id")) { KZ_ASSIGN(f.requester_id, QueryInt(req, "requester_id")); }
  if (const auto* tag = req.Query("tag")) {
    KZ_ASSIGN(auto tags, NormaliseTags({*tag}));
    if (tags.size() != 1) return Error::Invalid("tag", "tag must be one tag");
    f.tag = tags[0];
  }
  if (const auto* channel = req.Query("channel")) {
    if (!IsKnownChannel(*channel)) return Error::Invalid("channel", "unknown channel: " + *channel);
    f.channel = *channel;
  }
  if (const auto* since = req.Query("updated_since")) {
    auto parsed = ParseTimestamp(*since);
    if (!parsed) return Error::Invalid("updated_since", "updated_since must be an RFC 3339 time");
    f.updated_since = *parsed;
  }
  if (const auto* sort = req.Query("sort")) {
    std::string key = *sort;
    f.descending = key.starts_with("-");
    if (f.descending) key = key.substr(1);
    if (key == "updated_at") f.sort = ports::TicketSortKey::kUpdatedAt;
    else if (key == "created_at") f.sort = ports::TicketSortKey::kCreatedAt;
    else if (key == "number") f.sort = ports::TicketSortKey::kNumber;
    else if (key == "solved_at") f.sort = ports::TicketSortKey::kSolvedAt;
    else if (key == "due_at") f.sort = ports::TicketSortKey::kDueAt;
    else {
      return Error::Invalid("sort", "sort must be updated_at, created_at, number, solved_at or due_at, with - for "
                                    "descending");
    }
  }
  if (req.Query("limit")) {
    KZ_ASSIGN(auto limit, QueryInt(req, "limit"));
    if (limit > 100) return Error::Invalid("limit", "limit is at most 100");
    f.limit = static_cast<int>(limit);
  }
  if (const auto* cursor = req.Query("cursor")) { KZ_ASSIGN(f.after, DecodeCursor(*cursor)); }
  return f;
}

HttpResponse CreateTicket(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  auto input = ReadCreateTicket(*body);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateCreateTicket(*input); !valid.ok()) return ProblemResponse(valid.error());
  input->attachment_tokens = DigestUploadTokens(app, input->attachment_tokens);
  const Timestamp now = app.clock.Now();
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Ticket ticket, services::CreateTicket(tx, p->actor, *input, now));
    return WriteAnswer{201, ToJson(ticket)};
  });
  return WithLocation(std::move(response), "/api/v1/tickets");
}

// A ticket of the caller's workspace, read by its key.
Result<Ticket> ReadTicket(App& app, const Principal& p, TicketId id) {
  Ticket ticket;
  KZ_TRY(TimedRead(
      app,
      [&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(ticket, tx.GetTicket(p.actor.workspace_id, id));
        return Ok();
      },
      ReadKind::kByKey));
  return ticket;
}

HttpResponse GetTicket(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto ticket = ReadTicket(app, *p, *id);
  if (!ticket.ok()) return ProblemResponse(ticket.error());
  return WithEtag(JsonResponse(200, ToJson(*ticket, app.clock.Now())), ticket->version);
}

HttpResponse UpdateTicket(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  auto input = ReadUpdateTicket(*body);
  if (!input.ok()) return ProblemResponse(input.error());
  auto if_match = IfMatchVersion(req);
  if (!if_match.ok()) return ProblemResponse(if_match.error());
  input->expected_version = *if_match;
  if (auto valid = services::ValidateUpdateTicket(*input); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  auto response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(Ticket ticket, services::UpdateTicket(tx, p->actor, *id, *input, now));
    version = ticket.version;
    return WriteAnswer{200, ToJson(ticket)};
  });
  if (response.status == 412) {
    // The current ticket comes with the refusal, so a client can show what changed.
    auto current = ReadTicket(app, *p, *id);
    json problem = json::parse(response.body, nullptr, false);
    if (current.ok() && problem.is_object()) {
      problem["current"] = ToJson(*current);
      response.body = problem.dump();
      response.AddHeader("ETag", "\"" + std::to_string(current->version) + "\"");
    }
    return response;
  }
  return response.status == 200 && version ? WithEtag(std::move(response), version) : response;
}

HttpResponse ListTickets(App& app, const HttpRequest& req, const Principal* p) {
  auto filter = ReadFilter(req, *p);
  if (!filter.ok()) return ProblemResponse(filter.error());
  ports::TicketPage page;
  Status status = TimedRead(
      app,
      [&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(page, tx.ListTickets(p->actor.workspace_id, *filter));
        return Ok();
      },
      ReadKind::kOneQuery);
  if (!status.ok()) return ProblemResponse(status.error());
  json tickets = json::array();
  const Timestamp now = app.clock.Now();
  for (const auto& t : page.tickets) tickets.push_back(ToJson(t, now));
  json next = nullptr;
  if (page.has_more && !page.tickets.empty()) {
    const Ticket& last = page.tickets.back();
    next = EncodeCursor(ports::TicketCursor{ports::SortValue(last, filter->sort), last.id});
  }
  return JsonResponse(200, json{{"tickets", tickets}, {"next_cursor", next}});
}

HttpResponse ListMessages(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  std::vector<Message> messages;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_TRY(tx.GetTicket(p->actor.workspace_id, *id));
    KZ_ASSIGN(messages, tx.ListMessages(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& m : messages) out.push_back(ToJson(m));
  return JsonResponse(200, json{{"messages", out}});
}

HttpResponse AddMessage(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::AddMessageInput input;
  auto kind = r.Str("kind").value_or("public");
  input.body = r.Str("body").value_or("");
  input.status = r.Str("status");
  input.attachment_tokens = DigestUploadTokens(app, r.StrList("attachments").value_or(std::vector<std::string>{}));
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (kind != "public" && kind != "note") {
    return ProblemResponse(Error::Invalid("kind", "kind must be public (a reply) or note (internal)"));
  }
  input.internal_note = kind == "note";
  if (auto valid = services::ValidateAddMessage(input); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto result, services::AddMessage(tx, p->actor, *id, input, now));
    json out = ToJson(result.message);
    out["ticket"] = ToJson(result.ticket);
    return WriteAnswer{201, out};
  });
}

HttpResponse ListEvents(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  std::vector<Event> events;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_TRY(tx.GetTicket(p->actor.workspace_id, *id));
    KZ_ASSIGN(events, tx.ListTicketEvents(p->actor.workspace_id, *id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& e : events) out.push_back(ToJson(e));
  return JsonResponse(200, json{{"events", out}});
}

HttpResponse ViewCounts(App& app, const HttpRequest&, const Principal* p) {
  const WorkspaceId ws = p->actor.workspace_id;
  json out;
  // One query for every view: the keys below and each team's.
  auto count = [&](ports::ReadTx& tx) -> Status {
    std::vector<std::string> keys = {"unsolved", "unassigned", "assignee:" + std::to_string(p->actor.id)};
    for (const char* s : {"new", "open", "pending", "on_hold", "solved", "closed"}) keys.push_back(std::string("status:") + s);
    KZ_ASSIGN(auto counts, tx.CountInboxAndTeams(ws, keys));
    out["unsolved"] = counts["unsolved"];
    out["unassigned"] = counts["unassigned"];
    out["mine"] = counts["assignee:" + std::to_string(p->actor.id)];
    json by_status = json::object();
    for (const char* s : {"new", "open", "pending", "on_hold", "solved", "closed"}) {
      by_status[s] = counts[std::string("status:") + s];
    }
    out["by_status"] = by_status;
    json by_team = json::object();
    for (const auto& [key, n] : counts) {
      if (key.starts_with("team:")) by_team[key.substr(5)] = n;
    }
    out["by_team"] = by_team;
    return Ok();
  };
  Status status = TimedRead(app, count, ReadKind::kOneQuery);
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, out);
}

}  // namespace

void AddTicketRoutes(Router& router) {
  const Access read{.scope = "tickets:read"};
  const Access write{.scope = "tickets:write"};
  router.Add("GET", "/api/v1/tickets", read, ListTickets);
  router.Add("POST", "/api/v1/tickets", write, CreateTicket);
  router.Add("GET", "/api/v1/tickets/{id}", read, GetTicket);
  router.Add("PATCH", "/api/v1/tickets/{id}", write, UpdateTicket);
  router.Add("GET", "/api/v1/tickets/{id}/messages", read, ListMessages);
  router.Add("POST", "/api/v1/tickets/{id}/messages", write, AddMessage);
  router.Add("GET", "/api/v1/tickets/{id}/events", read, ListEvents);
  router.Add("GET", "/api/v1/views/counts", read, ViewCounts);
}

}  // namespace kizuna::api
