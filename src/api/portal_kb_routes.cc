// /api/v1/portal/{workspace}/kb: the knowledge base in the help centre (C20). Open to
// everyone, signed in or not: published articles only (a draft is 404), each in the reader's
// language when translated, else English, else any. Readers vote "was this helpful?" (one
// vote per address per article per day) and report deflections; both are rate-limited per
// address.
#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/portal_session.h"
#include "api/support.h"
#include "services/kb.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

HttpResponse Limited() {
  HttpResponse limited =
      ProblemResponse(Error{ErrorCode::kRateLimited, "too many requests; please wait a few minutes", {}});
  limited.AddHeader("Retry-After", "600");
  return limited;
}

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  return response;
}

// The reader's language: ?locale=, else the workspace's when it is one of ours, else en.
Result<std::string> ReaderLocale(const HttpRequest& req, const Workspace& ws) {
  if (const std::string* given = req.Query("locale"); given && !given->empty()) {
    if (!services::IsKbLocale(*given)) return Error::Invalid("locale", "the language is en, ja, ko or vi");
    return *given;
  }
  return services::IsKbLocale(ws.locale) ? ws.locale : std::string("en");
}

// Rate limits readers' writes by address, apart from sign-in links and requests.
bool AllowReaderWrite(App& app, const Workspace& ws, const HttpRequest& req) {
  return app.portal_by_address.Allow("kb/" + ws.name + "/" + req.remote_address);
}

HttpResponse Tree(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto locale = ReaderLocale(req, *ws);
  if (!locale.ok()) return ProblemResponse(locale.error());
  std::vector<ports::KbCategory> categories;
  std::vector<ports::KbSection> sections;
  std::vector<ports::KbArticle> published;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(categories, tx.ListKbCategories(ws->id));
    KZ_ASSIGN(sections, tx.ListKbSections(ws->id));
    KZ_ASSIGN(published, tx.ListPublishedArticles(ws->id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  std::stable_sort(sections.begin(), sections.end(), [](const auto& a, const auto& b) {
    return a.position != b.position ? a.position < b.position : a.id < b.id;
  });
  json out = services::HelpCentreTreeJson(categories, sections, published, *locale);
  out["locale"] = *locale;
  return JsonResponse(200, out);
}

HttpResponse Article(App& app, const HttpRequest& req, const Principal*) {
  if (app.markdown == nullptr) {
    return ProblemResponse(Error::Unavailable("this server renders no Markdown: the knowledge base is off"));
  }
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(Error::NotFound("article not found"));
  auto locale = ReaderLocale(req, *ws);
  if (!locale.ok()) return ProblemResponse(locale.error());
  ports::KbArticle article;
  ports::KbCategory category;
  ports::KbSection section;
  std::vector<ports::KbArticle> published;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(article, tx.GetArticle(ws->id, *id));
    if (article.status != "published") return Error::NotFound("article not found");
    KZ_ASSIGN(section, tx.GetKbSection(ws->id, article.section_id));
    KZ_ASSIGN(category, tx.GetKbCategory(ws->id, section.category_id));
    KZ_ASSIGN(published, tx.ListPublishedArticles(ws->id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  // The view is counted in its own write; a failure there (the article was just unpublished)
  // does not keep the reader from what was read.
  (void)app.store.WriteAndWait([&](ports::WriteTx& tx) { return services::CountView(tx, ws->id, *id); });
  return JsonResponse(200,
                      services::HelpCentreArticleJson(article, category, section, published, *locale, *app.markdown));
}

HttpResponse Feedback(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(Error::NotFound("article not found"));
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto helpful = r.Bool("helpful");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!helpful) return ProblemResponse(Error::Invalid("helpful", "say whether the article helped: true or false"));
  if (!AllowReaderWrite(app, *ws, req)) return Limited();
  const std::string voter = app.crypto.DigestToken(std::to_string(ws->id) + "/" + req.remote_address);
  const Timestamp now = app.clock.Now();
  // A second vote the same day is taken without being counted: the reader sees thanks either way.
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::RecordFeedback(tx, ws->id, *id, voter, *helpful, now));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return NoContent();
}

HttpResponse Deflection(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto article_id = r.Int("article_id");
  auto query = r.Str("query");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!article_id || *article_id <= 0) return ProblemResponse(Error::Invalid("article_id", "give the article read"));
  if (query && query->size() > 2000) return ProblemResponse(Error::Invalid("query", "at most 2000 bytes"));
  if (!AllowReaderWrite(app, *ws, req)) return Limited();
  const Timestamp now = app.clock.Now();
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) {
    return services::RecordDeflection(tx, ws->id, *article_id, query.value_or(""), now);
  });
  if (!status.ok()) {
    if (status.error().code == ErrorCode::kNotFound) {
      return ProblemResponse(Error::Invalid("article_id", "no such published article"));
    }
    return ProblemResponse(status.error());
  }
  return NoContent();
}

}  // namespace

void AddPortalKbRoutes(Router& router) {
  const Access open{.is_public = true};
  router.Add("GET", "/api/v1/portal/{workspace}/kb", open, Tree);
  router.Add("GET", "/api/v1/portal/{workspace}/kb/articles/{id}", open, Article);
  router.Add("POST", "/api/v1/portal/{workspace}/kb/articles/{id}/feedback", open, Feedback);
  router.Add("POST", "/api/v1/portal/{workspace}/deflections", open, Deflection);
}

}  // namespace kizuna::api
