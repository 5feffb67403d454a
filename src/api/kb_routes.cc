// /api/v1/kb: the knowledge base (C20) for agents. Every agent reads and writes categories,
// sections and articles (API tokens: tickets:read / tickets:write); deleting a category or a
// section needs the admin role (tokens: the admin scope). Articles are Markdown in en, ja, ko
// and vi, rendered through the Markdown port (App::markdown; 503 when the server has none).
#include <charconv>

#include "api/error_mapping.h"
#include "api/json_body.h"
#include "api/support.h"
#include "services/kb.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;

HttpResponse NoMarkdown() {
  return ProblemResponse(Error::Unavailable("this server renders no Markdown: the knowledge base is off"));
}

// The names object of a category or section: {"en": "…", "ja": "…"}.
void ReadNames(FieldReader& r, services::KbGroupInput& in) {
  auto names = r.StrMap("names");
  if (!names) return;
  std::map<std::string, std::string> out;
  for (const auto& [locale, name] : *names) {
    if (!name) {
      r.Fail("names." + locale, "give a name, or leave the language out");
      return;
    }
    out[locale] = *name;
  }
  in.names = std::move(out);
}

Result<services::KbGroupInput> ReadGroup(const HttpRequest& req, bool section) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::KbGroupInput in;
  ReadNames(r, in);
  in.position = r.Int("position");
  if (section) in.category_id = r.Int("category_id");
  in.expected_version = r.Int("version");
  KZ_TRY(r.Finish());
  return in;
}

Result<services::ArticleInput> ReadArticle(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  services::ArticleInput in;
  in.section_id = r.Int("section_id");
  in.tags = r.StrList("tags");
  in.status = r.Str("status");
  in.expected_version = r.Int("version");
  if (const json* translations = r.Object("translations")) {
    for (const auto& [locale, value] : translations->items()) {
      const std::string field = "translations." + locale;
      if (!value.is_object()) {
        r.Fail(field, field + " must be an object {title, body_md}");
        break;
      }
      FieldReader t(value, field);
      auto title = t.Str("title");
      auto body_md = t.Str("body_md");
      KZ_TRY(t.Finish());
      if (!title) return Error::Invalid(field + ".title", "give the title");
      if (!body_md) return Error::Invalid(field + ".body_md", "give the body (Markdown; may be empty)");
      in.translations[locale] = services::KbTranslationInput{*title, *body_md};
    }
  }
  KZ_TRY(r.Finish());
  return in;
}

// The version of a PATCH: the body's "version", else If-Match.
Status TakeVersion(const HttpRequest& req, std::optional<std::int64_t>& version, bool required) {
  if (!version) {
    KZ_ASSIGN(version, IfMatchVersion(req));
  }
  if (required && !version) return Error::Invalid("version", "give the version you loaded, to detect concurrent edits");
  return Ok();
}

Result<services::AgentNames> AgentNames(ports::ReadTx& tx, WorkspaceId ws) {
  KZ_ASSIGN(auto agents, tx.ListAgents(ws));
  services::AgentNames names;
  for (const auto& agent : agents) names[agent.id] = agent.name;
  return names;
}

// A DELETE's answer: 204 without a body, or the problem.
HttpResponse NoContent(HttpResponse response) {
  if (response.status == 204) response.body.clear();
  return response;
}

// ---- categories and sections ----

HttpResponse ListCategories(App& app, const HttpRequest&, const Principal* p) {
  std::vector<ports::KbCategory> categories;
  std::vector<ports::KbSection> sections;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(categories, tx.ListKbCategories(p->actor.workspace_id));
    KZ_ASSIGN(sections, tx.ListKbSections(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  std::stable_sort(sections.begin(), sections.end(), [](const auto& a, const auto& b) {
    return a.position != b.position ? a.position < b.position : a.id < b.id;
  });
  json out = json::array();
  for (const auto& c : categories) out.push_back(services::KbCategoryJson(c, sections));
  return JsonResponse(200, json{{"categories", out}});
}

HttpResponse CreateCategory(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadGroup(req, false);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateKbGroup(*input, true, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto category, services::CreateKbCategory(tx, p->actor, *input, now));
    return WriteAnswer{201, services::KbCategoryJson(category, {})};
  });
}

HttpResponse UpdateCategory(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadGroup(req, false);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto version = TakeVersion(req, input->expected_version, false); !version.ok()) {
    return ProblemResponse(version.error());
  }
  if (auto valid = services::ValidateKbGroup(*input, false, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto category, services::UpdateKbCategory(tx, p->actor, *id, *input, now));
    KZ_ASSIGN(auto sections, tx.ListKbSections(p->actor.workspace_id));
    return WriteAnswer{200, services::KbCategoryJson(category, sections)};
  });
}

HttpResponse DeleteCategory(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return NoContent(RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteKbCategory(tx, p->actor, *id, now));
    return WriteAnswer{204, nullptr};
  }));
}

HttpResponse CreateSection(App& app, const HttpRequest& req, const Principal* p) {
  auto input = ReadGroup(req, true);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateKbGroup(*input, true, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto section, services::CreateKbSection(tx, p->actor, *input, now));
    return WriteAnswer{201, services::KbSectionJson(section)};
  });
}

HttpResponse UpdateSection(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadGroup(req, true);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto version = TakeVersion(req, input->expected_version, false); !version.ok()) {
    return ProblemResponse(version.error());
  }
  if (auto valid = services::ValidateKbGroup(*input, false, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto section, services::UpdateKbSection(tx, p->actor, *id, *input, now));
    return WriteAnswer{200, services::KbSectionJson(section)};
  });
}

HttpResponse DeleteSection(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return NoContent(RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteKbSection(tx, p->actor, *id, now));
    return WriteAnswer{204, nullptr};
  }));
}

// ---- articles ----

Result<std::int64_t> OptionalQueryId(const HttpRequest& req, const std::string& name) {
  if (req.Query(name) == nullptr || req.Query(name)->empty()) return 0;
  return QueryInt(req, name);
}

HttpResponse ListArticles(App& app, const HttpRequest& req, const Principal* p) {
  ports::KbArticleFilter filter;
  auto section = OptionalQueryId(req, "section_id");
  if (!section.ok()) return ProblemResponse(section.error());
  if (*section > 0) filter.section_id = *section;
  if (const std::string* status = req.Query("status"); status && !status->empty()) {
    if (*status != "draft" && *status != "published") {
      return ProblemResponse(Error::Invalid("status", "status is draft or published"));
    }
    filter.status = *status;
  }
  auto after = OptionalQueryId(req, "after");
  if (!after.ok()) return ProblemResponse(after.error());
  filter.after_id = *after;
  auto limit = OptionalQueryId(req, "limit");
  if (!limit.ok()) return ProblemResponse(limit.error());
  if (*limit > kMaxPage) return ProblemResponse(Error::Invalid("limit", "at most 200 articles a page"));
  const int page = *limit > 0 ? static_cast<int>(*limit) : kDefaultPage;
  filter.limit = page + 1;  // one more, to know whether there is a next page
  std::vector<ports::KbArticle> articles;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(articles, tx.ListArticles(p->actor.workspace_id, filter));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  const bool more = articles.size() > static_cast<std::size_t>(page);
  if (more) articles.resize(static_cast<std::size_t>(page));
  json out = json::array();
  for (const auto& a : articles) out.push_back(services::ArticleSummaryJson(a));
  return JsonResponse(200, json{{"articles", out}, {"next", more ? json(articles.back().id) : json(nullptr)}});
}

HttpResponse GetArticle(App& app, const HttpRequest& req, const Principal* p) {
  if (app.markdown == nullptr) return NoMarkdown();
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::KbArticle article;
  services::AgentNames names;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(article, tx.GetArticle(p->actor.workspace_id, *id));
    KZ_ASSIGN(names, AgentNames(tx, p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return WithEtag(JsonResponse(200, services::ArticleJson(article, *app.markdown, names)), article.version);
}

HttpResponse CreateArticle(App& app, const HttpRequest& req, const Principal* p) {
  if (app.markdown == nullptr) return NoMarkdown();
  auto input = ReadArticle(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto valid = services::ValidateArticle(*input, true); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  return WithLocation(RunWrite(app, req, *p,
                               [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
                                 KZ_ASSIGN(auto article, services::CreateArticle(tx, p->actor, *input, now));
                                 KZ_ASSIGN(auto names, AgentNames(tx, p->actor.workspace_id));
                                 return WriteAnswer{201, services::ArticleJson(article, *app.markdown, names)};
                               }),
                      "/api/v1/kb/articles");
}

HttpResponse UpdateArticle(App& app, const HttpRequest& req, const Principal* p) {
  if (app.markdown == nullptr) return NoMarkdown();
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto input = ReadArticle(req);
  if (!input.ok()) return ProblemResponse(input.error());
  if (auto version = TakeVersion(req, input->expected_version, true); !version.ok()) {
    return ProblemResponse(version.error());
  }
  if (auto valid = services::ValidateArticle(*input, false); !valid.ok()) return ProblemResponse(valid.error());
  const Timestamp now = app.clock.Now();
  std::int64_t version = 0;
  HttpResponse response = RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto article, services::UpdateArticle(tx, p->actor, *id, *input, now));
    KZ_ASSIGN(auto names, AgentNames(tx, p->actor.workspace_id));
    version = article.version;
    return WriteAnswer{200, services::ArticleJson(article, *app.markdown, names)};
  });
  return response.status == 200 && version ? WithEtag(std::move(response), version) : response;
}

HttpResponse DeleteArticle(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const Timestamp now = app.clock.Now();
  return NoContent(RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_TRY(services::DeleteArticle(tx, p->actor, *id, now));
    return WriteAnswer{204, nullptr};
  }));
}

HttpResponse ListVersions(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  std::string locale;
  if (const std::string* given = req.Query("locale"); given && !given->empty()) {
    if (!services::IsKbLocale(*given)) return ProblemResponse(Error::Invalid("locale", "the language is en, ja, ko or vi"));
    locale = *given;
  }
  std::vector<ports::KbArticleVersion> versions;
  services::AgentNames names;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_TRY(tx.GetArticle(p->actor.workspace_id, *id));  // NotFound outside the workspace
    KZ_ASSIGN(versions, tx.ListArticleVersions(p->actor.workspace_id, *id, locale));
    KZ_ASSIGN(names, AgentNames(tx, p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = json::array();
  for (const auto& v : versions) out.push_back(services::ArticleVersionJson(v, names));
  return JsonResponse(200, json{{"versions", out}});
}

HttpResponse Preview(App& app, const HttpRequest& req, const Principal*) {
  if (app.markdown == nullptr) return NoMarkdown();
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  auto markdown = r.Str("body_md");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!markdown) return ProblemResponse(Error::Invalid("body_md", "give the Markdown to preview"));
  if (markdown->size() > services::kKbMaxBody) {
    return ProblemResponse(Error::Invalid("body_md", "body_md is over 200 KB"));
  }
  return JsonResponse(200, json{{"body_html", app.markdown->ToHtml(*markdown)}});
}

HttpResponse Stats(App& app, const HttpRequest&, const Principal* p) {
  ports::KbStats stats;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(stats, tx.GetKbStats(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, services::KbStatsJson(stats));
}

}  // namespace

void AddKbRoutes(Router& router) {
  const Access read{.scope = "tickets:read"};
  const Access write{.scope = "tickets:write"};
  const Access admin{.min_role = Role::kAdmin, .scope = "admin"};
  router.Add("GET", "/api/v1/kb/categories", read, ListCategories);
  router.Add("POST", "/api/v1/kb/categories", write, CreateCategory);
  router.Add("PATCH", "/api/v1/kb/categories/{id}", write, UpdateCategory);
  router.Add("DELETE", "/api/v1/kb/categories/{id}", admin, DeleteCategory);
  router.Add("POST", "/api/v1/kb/sections", write, CreateSection);
  router.Add("PATCH", "/api/v1/kb/sections/{id}", write, UpdateSection);
  router.Add("DELETE", "/api/v1/kb/sections/{id}", admin, DeleteSection);
  router.Add("GET", "/api/v1/kb/articles", read, ListArticles);
  router.Add("POST", "/api/v1/kb/articles", write, CreateArticle);
  router.Add("GET", "/api/v1/kb/articles/{id}", read, GetArticle);
  router.Add("PATCH", "/api/v1/kb/articles/{id}", write, UpdateArticle);
  router.Add("DELETE", "/api/v1/kb/articles/{id}", write, DeleteArticle);
  router.Add("GET", "/api/v1/kb/articles/{id}/versions", read, ListVersions);
  router.Add("POST", "/api/v1/kb/preview", read, Preview);
  router.Add("GET", "/api/v1/kb/stats", read, Stats);
}

}  // namespace kizuna::api
