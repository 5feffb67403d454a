// The SQL store's knowledge base (C20): categories, sections, articles with their
// translations and versions, votes, deflections and counters.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "adapters/storage/sql/sql_rows.h"
#include "adapters/storage/sql/sql_tx.h"

namespace kizuna::storage {
namespace {

using nlohmann::json;

std::string NamesText(const std::map<std::string, std::string>& names) { return json(names).dump(); }

std::map<std::string, std::string> ParseNames(const std::string& text) {
  std::map<std::string, std::string> out;
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return out;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

std::vector<std::string> ParseTags(const std::string& text) {
  std::vector<std::string> out;
  json parsed = json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

const char* kCategoryCols = "id, workspace_id, position, names, created_at, updated_at, version";
ports::KbCategory ReadCategory(Query& q) {
  return ports::KbCategory{q.Int(0), q.Int(1), q.Int(2), ParseNames(q.Text(3)), q.Int(4), q.Int(5), q.Int(6)};
}

const char* kSectionCols = "id, workspace_id, category_id, position, names, created_at, updated_at, version";
ports::KbSection ReadSection(Query& q) {
  return ports::KbSection{q.Int(0), q.Int(1), q.Int(2), q.Int(3), ParseNames(q.Text(4)), q.Int(5), q.Int(6), q.Int(7)};
}

const char* kArticleCols =
    "id, workspace_id, section_id, status, tags, version, created_at, updated_at, published_at, source_topic_id, "
    "helpful_yes, helpful_no, views";
ports::KbArticle ReadArticle(Query& q) {
  ports::KbArticle a;
  a.id = q.Int(0);
  a.workspace_id = q.Int(1);
  a.section_id = q.Int(2);
  a.status = q.Text(3);
  a.tags = ParseTags(q.Text(4));
  a.version = q.Int(5);
  a.created_at = q.Int(6);
  a.updated_at = q.Int(7);
  a.published_at = q.OptInt(8);
  a.source_topic_id = q.OptInt(9);
  a.helpful_yes = q.Int(10);
  a.helpful_no = q.Int(11);
  a.views = q.Int(12);
  return a;
}

const char* kVersionCols = "id, workspace_id, article_id, locale, revision, title, body_md, author_id, created_at";
ports::KbArticleVersion ReadVersion(Query& q) {
  return ports::KbArticleVersion{q.Int(0),  q.Int(1),  q.Int(2),    q.Text(3), q.Int(4),
                                 q.Text(5), q.Text(6), q.OptInt(7), q.Int(8)};
}

Status Stale(const char* what) {
  return Error{ErrorCode::kPreconditionFailed, std::string("the ") + what + " changed since you loaded it", "version"};
}

}  // namespace

Result<std::vector<ports::KbCategory>> SqlTx::ListKbCategories(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kCategoryCols +
                  " FROM kb_categories WHERE workspace_id = ? ORDER BY position, id");
  q.Bind(ws);
  return All<ports::KbCategory>(q, ReadCategory);
}

Result<ports::KbCategory> SqlTx::GetKbCategory(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kCategoryCols + " FROM kb_categories WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::KbCategory>(q, ReadCategory, "category");
}

Result<std::vector<ports::KbSection>> SqlTx::ListKbSections(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kSectionCols +
                  " FROM kb_sections WHERE workspace_id = ? ORDER BY category_id, position, id");
  q.Bind(ws);
  return All<ports::KbSection>(q, ReadSection);
}

Result<ports::KbSection> SqlTx::GetKbSection(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kSectionCols + " FROM kb_sections WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::KbSection>(q, ReadSection, "section");
}

Status SqlTx::LoadTranslations(WorkspaceId ws, std::vector<ports::KbArticle>& articles, bool with_bodies) {
  if (articles.empty()) return Ok();
  std::int64_t low = articles.front().id;
  std::int64_t high = articles.front().id;
  std::map<std::int64_t, ports::KbArticle*> by_id;
  for (auto& article : articles) {
    low = std::min(low, article.id);
    high = std::max(high, article.id);
    by_id[article.id] = &article;
    article.translations.clear();
  }
  // One range read instead of one query per article; rows of articles not asked for (a
  // status or section filter skipped them) are left out below.
  KZ_QUERY(q, std::string("SELECT article_id, locale, title, ") + (with_bodies ? "body_md" : "''") +
                  ", revision, updated_at, updated_by FROM kb_article_translations "
                  "WHERE workspace_id = ? AND article_id >= ? AND article_id <= ? ORDER BY article_id, locale");
  q.Bind(ws).Bind(low).Bind(high);
  while (q.Step()) {
    auto it = by_id.find(q.Int(0));
    if (it == by_id.end()) continue;
    it->second->translations.push_back(
        ports::KbTranslation{q.Text(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5), q.OptInt(6)});
  }
  return q.status();
}

Result<ports::KbArticle> SqlTx::GetArticle(WorkspaceId ws, std::int64_t id) {
  std::vector<ports::KbArticle> found;
  {
    KZ_QUERY(q, std::string("SELECT ") + kArticleCols + " FROM kb_articles WHERE workspace_id = ? AND id = ?");
    q.Bind(ws).Bind(id);
    KZ_ASSIGN(ports::KbArticle article, One<ports::KbArticle>(q, ReadArticle, "article"));
    found.push_back(std::move(article));
  }
  KZ_TRY(LoadTranslations(ws, found, true));
  return std::move(found.front());
}

Result<std::vector<ports::KbArticle>> SqlTx::ListArticles(WorkspaceId ws, const ports::KbArticleFilter& filter) {
  std::string sql = std::string("SELECT ") + kArticleCols + " FROM kb_articles WHERE workspace_id = ? AND id > ?";
  if (filter.section_id) sql += " AND section_id = ?";
  if (filter.status) sql += " AND status = ?";
  sql += " ORDER BY id LIMIT ?";
  std::vector<ports::KbArticle> articles;
  {
    KZ_QUERY(q, sql);
    q.Bind(ws).Bind(filter.after_id);
    if (filter.section_id) q.Bind(*filter.section_id);
    if (filter.status) q.Bind(*filter.status);
    q.Bind(std::clamp(filter.limit, 1, 10000));
    KZ_ASSIGN(articles, All<ports::KbArticle>(q, ReadArticle));
  }
  KZ_TRY(LoadTranslations(ws, articles, filter.with_bodies));
  return articles;
}

Result<std::vector<ports::KbArticle>> SqlTx::ListPublishedArticles(WorkspaceId ws) {
  std::vector<ports::KbArticle> out;
  ports::KbArticleFilter filter;
  filter.status = "published";
  filter.limit = 10000;
  while (true) {
    KZ_ASSIGN(auto page, ListArticles(ws, filter));
    const bool more = page.size() == static_cast<std::size_t>(filter.limit);
    if (!page.empty()) filter.after_id = page.back().id;
    for (auto& article : page) out.push_back(std::move(article));
    if (!more) break;
  }
  return out;
}

Result<std::vector<ports::KbArticle>> SqlTx::ListArticlesForIndex(WorkspaceId ws, std::int64_t after_id, int limit) {
  ports::KbArticleFilter filter;
  filter.after_id = after_id;
  filter.limit = limit;
  filter.with_bodies = true;
  return ListArticles(ws, filter);
}

Result<std::vector<ports::KbArticleVersion>> SqlTx::ListArticleVersions(WorkspaceId ws, std::int64_t article_id,
                                                                       std::string_view locale) {
  std::string sql = std::string("SELECT ") + kVersionCols +
                    " FROM kb_article_versions WHERE workspace_id = ? AND article_id = ?";
  if (!locale.empty()) sql += " AND locale = ?";
  sql += " ORDER BY created_at DESC, id DESC";
  KZ_QUERY(q, sql);
  q.Bind(ws).Bind(article_id);
  if (!locale.empty()) q.Bind(locale);
  return All<ports::KbArticleVersion>(q, ReadVersion);
}

Result<ports::KbStats> SqlTx::GetKbStats(WorkspaceId ws) {
  ports::KbStats stats;
  {
    KZ_QUERY(q,
             // PostgreSQL sums BIGINT columns as NUMERIC: cast back.
             "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0) AS BIGINT), "
             "CAST(COALESCE(SUM(views), 0) AS BIGINT), CAST(COALESCE(SUM(helpful_yes), 0) AS BIGINT), "
             "CAST(COALESCE(SUM(helpful_no), 0) AS BIGINT) FROM kb_articles WHERE workspace_id = ?");
    q.Bind(ws);
    if (q.Step()) {
      stats.articles = q.Int(0);
      stats.published = q.Int(1);
      stats.views = q.Int(2);
      stats.helpful_yes = q.Int(3);
      stats.helpful_no = q.Int(4);
    }
    KZ_TRY(q.status());
  }
  {
    KZ_QUERY(q, "SELECT COUNT(*) FROM kb_deflections WHERE workspace_id = ?");
    q.Bind(ws);
    if (q.Step()) stats.deflections = q.Int(0);
    KZ_TRY(q.status());
  }
  {
    KZ_QUERY(q, "SELECT value FROM kb_counters WHERE workspace_id = ? AND name = 'suggestions_shown'");
    q.Bind(ws);
    if (q.Step()) stats.suggestions_shown = q.Int(0);
    KZ_TRY(q.status());
  }
  return stats;
}

Status SqlTx::InsertKbCategory(ports::KbCategory& c) {
  KZ_QUERY(q,
           "INSERT INTO kb_categories (workspace_id, position, names, created_at, updated_at, version) "
           "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(c.workspace_id).Bind(c.position).Bind(NamesText(c.names)).Bind(c.created_at).Bind(c.updated_at);
  q.Bind(c.version);
  KZ_ASSIGN(c.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateKbCategory(const ports::KbCategory& c) {
  KZ_QUERY(q,
           "UPDATE kb_categories SET position = ?, names = ?, updated_at = ?, version = ? "
           "WHERE workspace_id = ? AND id = ? AND version = ?");
  q.Bind(c.position).Bind(NamesText(c.names)).Bind(c.updated_at).Bind(c.version).Bind(c.workspace_id).Bind(c.id);
  q.Bind(c.version - 1);
  KZ_TRY(q.Exec());
  if (q.Changes() > 0) return Ok();
  KZ_TRY(GetKbCategory(c.workspace_id, c.id));
  return Stale("category");
}

Status SqlTx::DeleteKbCategory(WorkspaceId ws, std::int64_t id) {
  KZ_TRY(GetKbCategory(ws, id));
  {
    // Checked first: on PostgreSQL the foreign key's failure would end the transaction.
    KZ_QUERY(q, "SELECT COUNT(*) FROM kb_sections WHERE workspace_id = ? AND category_id = ?");
    q.Bind(ws).Bind(id);
    std::int64_t sections = q.Step() ? q.Int(0) : 0;
    KZ_TRY(q.status());
    if (sections > 0) return Error::Conflict("the category still has sections: move or delete them first");
  }
  KZ_QUERY(q, "DELETE FROM kb_categories WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return q.Exec();
}

Status SqlTx::InsertKbSection(ports::KbSection& s) {
  KZ_QUERY(q,
           "INSERT INTO kb_sections (workspace_id, category_id, position, names, created_at, updated_at, version) "
           "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(s.workspace_id).Bind(s.category_id).Bind(s.position).Bind(NamesText(s.names)).Bind(s.created_at);
  q.Bind(s.updated_at).Bind(s.version);
  KZ_ASSIGN(s.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateKbSection(const ports::KbSection& s) {
  KZ_QUERY(q,
           "UPDATE kb_sections SET category_id = ?, position = ?, names = ?, updated_at = ?, version = ? "
           "WHERE workspace_id = ? AND id = ? AND version = ?");
  q.Bind(s.category_id).Bind(s.position).Bind(NamesText(s.names)).Bind(s.updated_at).Bind(s.version);
  q.Bind(s.workspace_id).Bind(s.id).Bind(s.version - 1);
  KZ_TRY(q.Exec());
  if (q.Changes() > 0) return Ok();
  KZ_TRY(GetKbSection(s.workspace_id, s.id));
  return Stale("section");
}

Status SqlTx::DeleteKbSection(WorkspaceId ws, std::int64_t id) {
  KZ_TRY(GetKbSection(ws, id));
  {
    KZ_QUERY(q, "SELECT COUNT(*) FROM kb_articles WHERE workspace_id = ? AND section_id = ?");
    q.Bind(ws).Bind(id);
    std::int64_t articles = q.Step() ? q.Int(0) : 0;
    KZ_TRY(q.status());
    if (articles > 0) return Error::Conflict("the section still has articles: move or delete them first");
  }
  KZ_QUERY(q, "DELETE FROM kb_sections WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return q.Exec();
}

Status SqlTx::WriteTranslations(const ports::KbArticle& a) {
  {
    KZ_QUERY(q, "DELETE FROM kb_article_translations WHERE workspace_id = ? AND article_id = ?");
    q.Bind(a.workspace_id).Bind(a.id);
    KZ_TRY(q.Exec());
  }
  for (const auto& t : a.translations) {
    KZ_QUERY(q,
             "INSERT INTO kb_article_translations (workspace_id, article_id, locale, title, body_md, revision, "
             "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.Bind(a.workspace_id).Bind(a.id).Bind(t.locale).Bind(t.title).Bind(t.body_md).Bind(t.revision);
    q.Bind(t.updated_at).Bind(t.updated_by);
    KZ_TRY(q.Exec());
  }
  return Ok();
}

Status SqlTx::InsertArticle(ports::KbArticle& a) {
  {
    KZ_QUERY(q,
             "INSERT INTO kb_articles (workspace_id, section_id, status, tags, version, created_at, updated_at, "
             "published_at, source_topic_id, helpful_yes, helpful_no, views) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    q.Bind(a.workspace_id).Bind(a.section_id).Bind(a.status).Bind(json(a.tags).dump()).Bind(a.version);
    q.Bind(a.created_at).Bind(a.updated_at).Bind(a.published_at).Bind(a.source_topic_id).Bind(a.helpful_yes);
    q.Bind(a.helpful_no).Bind(a.views);
    KZ_ASSIGN(a.id, q.InsertId());
  }
  return WriteTranslations(a);
}

Status SqlTx::UpdateArticle(const ports::KbArticle& a) {
  {
    KZ_QUERY(q,
             "UPDATE kb_articles SET section_id = ?, status = ?, tags = ?, version = ?, updated_at = ?, "
             "published_at = ?, source_topic_id = ? WHERE workspace_id = ? AND id = ? AND version = ?");
    q.Bind(a.section_id).Bind(a.status).Bind(json(a.tags).dump()).Bind(a.version).Bind(a.updated_at);
    q.Bind(a.published_at).Bind(a.source_topic_id).Bind(a.workspace_id).Bind(a.id).Bind(a.version - 1);
    KZ_TRY(q.Exec());
    if (q.Changes() == 0) {
      KZ_TRY(GetArticle(a.workspace_id, a.id));
      return Stale("article");
    }
  }
  return WriteTranslations(a);
}

Status SqlTx::DeleteArticle(WorkspaceId ws, std::int64_t id) {
  for (const char* sql : {"DELETE FROM kb_article_translations WHERE workspace_id = ? AND article_id = ?",
                          "DELETE FROM kb_article_versions WHERE workspace_id = ? AND article_id = ?",
                          "DELETE FROM kb_feedback WHERE workspace_id = ? AND article_id = ?"}) {
    KZ_QUERY(q, sql);
    q.Bind(ws).Bind(id);
    KZ_TRY(q.Exec());
  }
  KZ_QUERY(q, "DELETE FROM kb_articles WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("article not found");
  return Ok();
}

Status SqlTx::InsertArticleVersion(ports::KbArticleVersion& v) {
  KZ_QUERY(q,
           "INSERT INTO kb_article_versions (workspace_id, article_id, locale, revision, title, body_md, author_id, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(v.workspace_id).Bind(v.article_id).Bind(v.locale).Bind(v.revision).Bind(v.title).Bind(v.body_md);
  q.Bind(v.author_id).Bind(v.created_at);
  KZ_ASSIGN(v.id, q.InsertId());
  return Ok();
}

Result<bool> SqlTx::RecordArticleFeedback(const ports::KbFeedback& f) {
  {
    KZ_QUERY(q,
             "INSERT INTO kb_feedback (workspace_id, article_id, voter, day, helpful, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    q.Bind(f.workspace_id).Bind(f.article_id).Bind(f.voter).Bind(f.day).Bind(f.helpful ? 1 : 0).Bind(f.created_at);
    KZ_TRY(q.Exec());
    if (q.Changes() == 0) return false;
  }
  KZ_QUERY(q, f.helpful ? "UPDATE kb_articles SET helpful_yes = helpful_yes + 1 WHERE workspace_id = ? AND id = ?"
                        : "UPDATE kb_articles SET helpful_no = helpful_no + 1 WHERE workspace_id = ? AND id = ?");
  q.Bind(f.workspace_id).Bind(f.article_id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("article not found");
  return true;
}

Status SqlTx::CountArticleView(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, "UPDATE kb_articles SET views = views + 1 WHERE workspace_id = ? AND id = ? AND status = 'published'");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("article not found");
  return Ok();
}

Status SqlTx::InsertKbDeflection(WorkspaceId ws, std::int64_t article_id, std::string_view query, Timestamp at) {
  KZ_QUERY(q, "INSERT INTO kb_deflections (workspace_id, article_id, query, created_at) VALUES (?, ?, ?, ?) RETURNING id");
  q.Bind(ws).Bind(article_id).Bind(query).Bind(at);
  KZ_TRY(q.InsertId());
  return Ok();
}

Status SqlTx::AddKbCounter(WorkspaceId ws, std::string_view name, std::int64_t n) {
  KZ_QUERY(q,
           "INSERT INTO kb_counters (workspace_id, name, value) VALUES (?, ?, ?) "
           "ON CONFLICT (workspace_id, name) DO UPDATE SET value = kb_counters.value + excluded.value");
  q.Bind(ws).Bind(name).Bind(n);
  return q.Exec();
}

}  // namespace kizuna::storage
