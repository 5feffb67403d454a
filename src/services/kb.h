// Knowledge base (C20): categories > sections > articles in en, ja, ko and vi, written by
// agents, published to the help centre. Every change of an article's title or body in a
// locale adds a revision (a KbArticleVersion: locale, revision, title, body, author, time).
// Readers vote "was this helpful?" once per address per article per day; views, deflections
// ("this answered my question") and suggestions shown are counted.
//
// Every write appends its event in the same transaction, for the search indexer:
//   article.created|updated|published|unpublished|deleted  {"article_id":N}
//   kb.category.changed {"category_id":N}, kb.section.changed {"section_id":N}
// Roles: agents (and above) write and edit categories, sections and articles; deleting a
// category or a section needs the admin role (an article may be deleted by any agent).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ports/markdown.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

inline constexpr std::array<std::string_view, 4> kKbLocales = {"en", "ja", "ko", "vi"};
inline constexpr std::size_t kKbMaxTitle = 200;            // code points
inline constexpr std::size_t kKbMaxBody = 200 * 1024;      // bytes of Markdown
inline constexpr std::size_t kKbMaxTags = 20;
inline constexpr std::size_t kKbMaxTag = 40;               // code points
inline constexpr std::size_t kKbMaxName = 120;             // category and section names

bool IsKbLocale(std::string_view locale);

// Title and Markdown body of one locale.
struct KbTranslationInput {
  std::string title;
  std::string body_md;
};

// A change to a category or section; unset fields keep their value (names required on create).
struct KbGroupInput {
  std::optional<std::map<std::string, std::string>> names;  // locale -> name, at least one
  std::optional<std::int64_t> position;                     // default on create: last
  std::optional<std::int64_t> category_id;                  // sections only (required on create)
  std::optional<std::int64_t> expected_version;
};

// A change to an article; unset fields keep their value. On create section_id and at least
// one translation are required and status defaults to draft. A translation given replaces
// that locale's title and body (a new revision when either changed); locales not given stay.
struct ArticleInput {
  std::optional<std::int64_t> section_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> status;  // draft, published
  std::map<std::string, KbTranslationInput> translations;
  std::optional<std::int64_t> source_topic_id;   // create only
  std::optional<std::int64_t> expected_version;  // PATCH: required by the API
};

// Checks and normalises (trims titles and names, drops duplicate tags) what needs no store.
// InvalidArgument names the field: "names.xx", "names.ja", "position", "category_id",
// "section_id", "status", "tags", "tags[3]", "translations", "translations.xx",
// "translations.ja.title", "translations.ja.body_md".
Status ValidateKbGroup(KbGroupInput& input, bool creating, bool section);
Status ValidateArticle(ArticleInput& input, bool creating);

// ---- categories and sections (event kb.category.changed / kb.section.changed) ----
// Create: InvalidArgument on category_id when the workspace has no such category.
// Update: NotFound outside the workspace; PreconditionFailed on a stale expected_version.
// Delete: PermissionDenied below admin; Conflict while a category has sections or a
// section has articles.
Result<ports::KbCategory> CreateKbCategory(ports::WriteTx& tx, const Actor& actor, const KbGroupInput& input,
                                           Timestamp now);
Result<ports::KbCategory> UpdateKbCategory(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                           const KbGroupInput& input, Timestamp now);
Status DeleteKbCategory(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now);
Result<ports::KbSection> CreateKbSection(ports::WriteTx& tx, const Actor& actor, const KbGroupInput& input,
                                         Timestamp now);
Result<ports::KbSection> UpdateKbSection(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                         const KbGroupInput& input, Timestamp now);
Status DeleteKbSection(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now);

// ---- articles ----
// REQUIRES: `input` passed ValidateArticle. InvalidArgument on section_id when the workspace
// has no such section. Events: article.created (and article.published when created published).
Result<ports::KbArticle> CreateArticle(ports::WriteTx& tx, const Actor& actor, const ArticleInput& input,
                                       Timestamp now);

// "Make article from thread" (community): a draft article with one translation in `locale`
// in section `section_id`, remembering the topic it came from; its id. Validates like
// CreateArticle (InvalidArgument naming "section_id", "locale", "title" or "body_md"; a title
// longer than 200 characters is shortened, a body over 200 KB is refused). Appends
// article.created in the caller's transaction. Any agent may call it.
Result<std::int64_t> CreateDraftArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t section_id,
                                        std::string_view locale, std::string_view title, std::string_view body_md,
                                        std::optional<std::int64_t> source_topic_id, Timestamp now);

// NotFound outside the workspace; PreconditionFailed when expected_version is set and stale.
// Events: article.updated, plus article.published / article.unpublished when the status
// changed. Nothing is written (and no event) when nothing changed.
Result<ports::KbArticle> UpdateArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                       const ArticleInput& input, Timestamp now);
Status DeleteArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now);

// ---- what readers do (help centre) ----
// A "was this helpful?" vote from `voter` (a digest of the reader's address): false when that
// voter voted on the article today (UTC) already. NotFound for drafts and other workspaces.
Result<bool> RecordFeedback(ports::WriteTx& tx, WorkspaceId ws, std::int64_t article_id, std::string_view voter,
                            bool helpful, Timestamp now);
// Counts a view of a published article (NotFound otherwise).
Status CountView(ports::WriteTx& tx, WorkspaceId ws, std::int64_t article_id);
// "This answered my question" after reading a suggested article: NotFound unless the
// article is published; `query` (what the customer was typing, cut to 500 bytes) is kept.
Status RecordDeflection(ports::WriteTx& tx, WorkspaceId ws, std::int64_t article_id, std::string_view query,
                        Timestamp now);
// For the suggest routes (help centre and agents): adds `n` (>= 0; 0 writes nothing) to the
// workspace's suggestions_shown counter, shown in GET /api/v1/kb/stats.
Status CountSuggestionsShown(ports::WriteTx& tx, WorkspaceId ws, int n, Timestamp now);

// ---- JSON of the API (docs/openapi.yaml) ----
// Agent names for author fields: id -> name.
using AgentNames = std::map<AgentId, std::string>;
nlohmann::json KbCategoryJson(const ports::KbCategory& category, const std::vector<ports::KbSection>& sections);
nlohmann::json KbSectionJson(const ports::KbSection& section);
nlohmann::json ArticleSummaryJson(const ports::KbArticle& article);
nlohmann::json ArticleJson(const ports::KbArticle& article, const ports::Markdown& markdown, const AgentNames& names);
nlohmann::json ArticleVersionJson(const ports::KbArticleVersion& version, const AgentNames& names);
nlohmann::json KbStatsJson(const ports::KbStats& stats);

// ---- the help centre ----
// The translation to show for `locale`: that locale, else en, else the first there is; null
// when the article has none.
const ports::KbTranslation* PickTranslation(const ports::KbArticle& article, std::string_view locale);
// A category's or section's name in `locale`, else en, else any.
std::string PickName(const std::map<std::string, std::string>& names, std::string_view locale);
// GET …/kb: published articles only, grouped by category and section; empty sections and
// categories are left out.
nlohmann::json HelpCentreTreeJson(const std::vector<ports::KbCategory>& categories,
                                  const std::vector<ports::KbSection>& sections,
                                  const std::vector<ports::KbArticle>& published, std::string_view locale);
// GET …/kb/articles/{id}. REQUIRES: `article` is published; `published` (titles only) is
// every published article of the workspace, for the related articles (same section first,
// then those sharing most tags; at most 5).
nlohmann::json HelpCentreArticleJson(const ports::KbArticle& article, const ports::KbCategory& category,
                                     const ports::KbSection& section, const std::vector<ports::KbArticle>& published,
                                     std::string_view locale, const ports::Markdown& markdown);

}  // namespace kizuna::services
