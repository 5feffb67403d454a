// Search (C20): /api/v1/search for agents (every kind of document of the workspace),
// suggested articles beside a ticket, and the help centre's search and suggestions while a
// customer types (published articles, visible topics, the customer's own requests).
#include <chrono>

#include "api/error_mapping.h"
#include "api/portal_session.h"
#include "api/support.h"
#include "core/text.h"
#include "services/kb.h"
#include "services/search.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxQueryBytes = 1000;
const std::set<std::string> kLocales{"en", "ja", "ko", "vi"};

Error NoIndex() { return Error::Unavailable("search is not available on this server"); }

// The q parameter: valid UTF-8 of at most 1,000 bytes; absent is empty.
Result<std::string> QueryText(const HttpRequest& req) {
  const std::string* q = req.Query("q");
  if (!q) return std::string();
  if (q->size() > kMaxQueryBytes) return Error::Invalid("q", "a search is at most 1,000 bytes long");
  if (!IsValidUtf8(*q)) return Error::Invalid("q", "the search is not valid UTF-8");
  return *q;
}

Result<int> Limit(const HttpRequest& req, int fallback, int most) {
  const std::string* text = req.Query("limit");
  if (!text) return fallback;
  KZ_ASSIGN(std::int64_t limit, QueryInt(req, "limit"));
  if (limit < 1 || limit > most) return Error::Invalid("limit", "limit is 1 to " + std::to_string(most));
  return static_cast<int>(limit);
}

// The locale parameter when it is one of ours; otherwise `fallback`.
std::string Locale(const HttpRequest& req, std::string fallback) {
  const std::string* locale = req.Query("locale");
  if (locale && kLocales.count(*locale)) return *locale;
  return fallback;
}

Result<std::vector<std::string>> Kinds(const HttpRequest& req, bool agent) {
  std::vector<std::string> kinds;
  const std::string* text = req.Query("kinds");
  if (!text || text->empty()) return kinds;
  std::string_view rest = *text;
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string kind(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    bool known = false;
    for (const char* k : ports::kSearchKinds) known = known || kind == k;
    if (!known || (!agent && kind == "customer")) {
      return Error::Invalid("kinds", "kinds are article, topic, ticket" + std::string(agent ? ", customer" : ""));
    }
    kinds.push_back(kind);
  }
  return kinds;
}

// `shown`: called with how many results the answer has (suggestions count them).
HttpResponse Answer(App& app, const services::SearchRequest& request, std::string_view key,
                    const std::function<void(std::size_t)>& shown = {}) {
  const auto started = std::chrono::steady_clock::now();
  auto results = services::Search(app.store, *app.search, request);
  if (!results.ok()) return ProblemResponse(results.error());
  if (shown) shown(results->size());
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return JsonResponse(200, json{{std::string(key), *results}, {"took_ms", took.count()}});
}

Result<std::string> WorkspaceName(App& app, WorkspaceId ws) {
  std::string name;
  KZ_TRY(TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(auto workspace, tx.GetWorkspace(ws));
    name = workspace.name;
    return Ok();
  }));
  return name;
}

HttpResponse AgentSearch(App& app, const HttpRequest& req, const Principal* p) {
  if (!app.search) return ProblemResponse(NoIndex());
  auto text = QueryText(req);
  if (!text.ok()) return ProblemResponse(text.error());
  auto kinds = Kinds(req, true);
  if (!kinds.ok()) return ProblemResponse(kinds.error());
  auto limit = Limit(req, 20, 50);
  if (!limit.ok()) return ProblemResponse(limit.error());
  auto name = WorkspaceName(app, p->actor.workspace_id);
  if (!name.ok()) return ProblemResponse(name.error());
  services::SearchRequest request;
  request.query.workspace_id = p->actor.workspace_id;
  request.query.text = *text;
  request.query.kinds = *kinds;
  request.query.agent = true;
  request.query.locale = Locale(req, "");
  request.query.limit = *limit;
  request.help_centre = *name;
  return Answer(app, request, "results");
}

// Articles that may answer a ticket: searched with its subject and first message, in the
// requester's language first.
HttpResponse SuggestedArticles(App& app, const HttpRequest& req, const Principal* p) {
  if (!app.search) return ProblemResponse(NoIndex());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const WorkspaceId ws = p->actor.workspace_id;
  services::SearchRequest request;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(auto ticket, tx.GetTicket(ws, *id));
    KZ_ASSIGN(auto workspace, tx.GetWorkspace(ws));
    KZ_ASSIGN(auto messages, tx.ListMessages(ws, *id));
    auto requester = tx.GetCustomer(ws, ticket.requester_id);
    request.query.text = ticket.subject;
    for (const auto& message : messages) {
      if (message.kind != MessageKind::kPublic || message.author_type != AuthorType::kCustomer) continue;
      request.query.text += "\n" + message.body_text.substr(0, 600);
      break;
    }
    request.query.locale = requester.ok() && kLocales.count(requester->language) ? requester->language : workspace.locale;
    request.help_centre = workspace.name;
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  request.query.workspace_id = ws;
  request.query.kinds = {"article"};
  // agent and customer unset: searched as a customer would see them, published only.
  request.query.any_term = true;
  request.query.limit = 5;
  return Answer(app, request, "articles");
}

// The help centre's search: as the signed-in customer, or as anyone when signed out.
HttpResponse PortalSearchAs(App& app, const HttpRequest& req, bool suggest) {
  if (!app.search) return ProblemResponse(NoIndex());
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto text = QueryText(req);
  if (!text.ok()) return ProblemResponse(text.error());
  services::SearchRequest request;
  request.query.workspace_id = ws->id;
  request.query.text = *text;
  request.query.locale = Locale(req, ws->locale);
  request.help_centre = ws->name;
  if (suggest) {
    request.query.kinds = {"article"};
    request.query.any_term = true;
    request.query.limit = 5;
  } else {
    auto kinds = Kinds(req, false);
    if (!kinds.ok()) return ProblemResponse(kinds.error());
    auto limit = Limit(req, 20, 50);
    if (!limit.ok()) return ProblemResponse(limit.error());
    request.query.kinds = *kinds;
    request.query.limit = *limit;
    auto session = PortalCustomer(app, req, ws->id, false);
    if (session.ok()) request.query.customer = session->customer_id;
  }
  if (!suggest) return Answer(app, request, "results");
  // Suggestions shown are counted for the knowledge base's figures, without making the
  // customer wait for the write.
  return Answer(app, request, "articles", [&app, ws = ws->id](std::size_t n) {
    if (n == 0) return;
    const Timestamp now = app.clock.Now();
    app.store.Write(
        [ws, n, now](ports::WriteTx& tx) { return services::CountSuggestionsShown(tx, ws, static_cast<int>(n), now); },
        [](Status) {});
  });
}

HttpResponse PortalSearch(App& app, const HttpRequest& req, const Principal*) { return PortalSearchAs(app, req, false); }
HttpResponse PortalSuggest(App& app, const HttpRequest& req, const Principal*) { return PortalSearchAs(app, req, true); }

}  // namespace

void AddSearchRoutes(Router& router) {
  const Access read{.scope = "tickets:read"};
  const Access open{.is_public = true};
  router.Add("GET", "/api/v1/search", read, AgentSearch);
  router.Add("GET", "/api/v1/tickets/{id}/suggested-articles", read, SuggestedArticles);
  router.Add("GET", "/api/v1/portal/{workspace}/search", open, PortalSearch);
  router.Add("GET", "/api/v1/portal/{workspace}/suggest", open, PortalSuggest);
}

}  // namespace kizuna::api
