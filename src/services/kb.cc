#include "services/kb.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "core/time.h"
#include "services/events.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxPosition = 1'000'000;
constexpr std::size_t kMaxDeflectionQuery = 500;
constexpr std::size_t kMaxRelated = 5;
constexpr Timestamp kDayMs = 86'400'000;

std::string LocaleList() { return "en, ja, ko or vi"; }

// Markdown keeps its leading spaces (indented code) and may hold tabs and line ends.
Status CheckBody(const std::string& field, std::string_view body) {
  if (body.size() > kKbMaxBody) {
    return Error::Invalid(field, field + " is " + std::to_string(body.size() / 1024) + " KB; at most 200 KB");
  }
  if (!IsValidUtf8(body)) return Error::Invalid(field, field + " must be valid UTF-8");
  for (char c : body) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7F) {
      return Error::Invalid(field, field + " contains a control character");
    }
  }
  return Ok();
}

Status CheckPosition(const std::optional<std::int64_t>& position) {
  if (position && (*position < 0 || *position > kMaxPosition)) {
    return Error::Invalid("position", "a position from 0 to 1000000; lower comes first");
  }
  return Ok();
}

Status CheckVersion(const std::optional<std::int64_t>& expected, std::int64_t version, const char* what) {
  if (expected && *expected != version) {
    return Error{ErrorCode::kPreconditionFailed,
                 std::string("the ") + what + " changed since you loaded it (now version " + std::to_string(version) +
                     ")",
                 "version"};
  }
  return Ok();
}

Status RequireAgent(const Actor& actor) {
  if (actor.type == "customer" || actor.type == "visitor") return Error::Denied("agents write the knowledge base");
  return Ok();
}

Status RequireAdmin(const Actor& actor, const char* what) {
  if (!RoleAtLeast(actor.role, Role::kAdmin)) return Error::Denied(std::string("deleting a ") + what + " needs the admin role");
  return Ok();
}

Status CheckSection(ports::WriteTx& tx, WorkspaceId ws, std::int64_t section_id) {
  auto section = tx.GetKbSection(ws, section_id);
  if (section.ok()) return Ok();
  if (section.error().code == ErrorCode::kNotFound) return Error::Invalid("section_id", "no such section");
  return section.error();
}

std::optional<AgentId> AuthorOf(const Actor& actor) {
  if (actor.type == "system" || actor.id == 0) return std::nullopt;
  return actor.id;
}

ports::KbTranslation* FindTranslation(ports::KbArticle& article, const std::string& locale) {
  for (auto& t : article.translations) {
    if (t.locale == locale) return &t;
  }
  return nullptr;
}

Status SaveVersion(ports::WriteTx& tx, const ports::KbArticle& article, const ports::KbTranslation& t,
                   Timestamp now) {
  ports::KbArticleVersion v;
  v.workspace_id = article.workspace_id;
  v.article_id = article.id;
  v.locale = t.locale;
  v.revision = t.revision;
  v.title = t.title;
  v.body_md = t.body_md;
  v.author_id = t.updated_by;
  v.created_at = now;
  return tx.InsertArticleVersion(v);
}

Status ArticleEvent(ports::WriteTx& tx, const Actor& actor, const char* type, std::int64_t id, Timestamp now) {
  return RecordEvent(tx, actor, std::nullopt, type, json{{"article_id", id}}, now);
}

json NamesJson(const std::map<std::string, std::string>& names) {
  json out = json::object();
  for (const auto& [locale, name] : names) out[locale] = name;
  return out;
}

json AuthorJson(const std::optional<AgentId>& id, const AgentNames& names) {
  if (!id) return nullptr;
  auto it = names.find(*id);
  return json{{"id", *id}, {"name", it == names.end() ? "" : it->second}};
}

json TitleRef(const ports::KbArticle& article, std::string_view locale) {
  const ports::KbTranslation* t = PickTranslation(article, locale);
  return json{{"id", article.id}, {"title", t ? t->title : ""}, {"locale", t ? t->locale : ""}};
}

}  // namespace

bool IsKbLocale(std::string_view locale) {
  return std::find(kKbLocales.begin(), kKbLocales.end(), locale) != kKbLocales.end();
}

// ---- validation ----

Status ValidateKbGroup(KbGroupInput& in, bool creating, bool section) {
  if (creating && !in.names) return Error::Invalid("names", "give a name in at least one language");
  if (in.names) {
    if (in.names->empty()) return Error::Invalid("names", "give a name in at least one language");
    for (auto& [locale, name] : *in.names) {
      const std::string field = "names." + locale;
      if (!IsKbLocale(locale)) return Error::Invalid(field, "the language is " + LocaleList());
      KZ_ASSIGN(name, CheckText(field, name, TextRule{.max_code_points = kKbMaxName}));
    }
  }
  KZ_TRY(CheckPosition(in.position));
  if (section && creating && !in.category_id) return Error::Invalid("category_id", "give the section's category");
  if (in.category_id && *in.category_id <= 0) return Error::Invalid("category_id", "no such category");
  if (!section && in.category_id) return Error::Invalid("category_id", "a category has no category");
  return Ok();
}

Status ValidateArticle(ArticleInput& in, bool creating) {
  if (creating && !in.section_id) return Error::Invalid("section_id", "give the article's section");
  if (in.section_id && *in.section_id <= 0) return Error::Invalid("section_id", "no such section");
  if (in.status && *in.status != "draft" && *in.status != "published") {
    return Error::Invalid("status", "status is draft or published");
  }
  if (in.tags) {
    auto& tags = *in.tags;
    if (tags.size() > kKbMaxTags) return Error::Invalid("tags", "at most 20 tags");
    std::vector<std::string> kept;
    for (std::size_t idx = 0; idx < tags.size(); ++idx) {
      KZ_ASSIGN(std::string tag,
                CheckText("tags[" + std::to_string(idx) + "]", tags[idx], TextRule{.max_code_points = kKbMaxTag}));
      if (std::find(kept.begin(), kept.end(), tag) == kept.end()) kept.push_back(std::move(tag));
    }
    tags = std::move(kept);
  }
  if (creating && in.translations.empty()) {
    return Error::Invalid("translations", "give the article's title and body in at least one language");
  }
  for (auto& [locale, t] : in.translations) {
    const std::string field = "translations." + locale;
    if (!IsKbLocale(locale)) return Error::Invalid(field, "the language is " + LocaleList());
    KZ_ASSIGN(t.title, CheckText(field + ".title", t.title, TextRule{.max_code_points = kKbMaxTitle}));
    KZ_TRY(CheckBody(field + ".body_md", t.body_md));
  }
  return Ok();
}

// ---- categories and sections ----

Result<ports::KbCategory> CreateKbCategory(ports::WriteTx& tx, const Actor& actor, const KbGroupInput& in,
                                           Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  ports::KbCategory c;
  c.workspace_id = actor.workspace_id;
  c.names = in.names.value_or(std::map<std::string, std::string>{});
  if (in.position) {
    c.position = *in.position;
  } else {
    KZ_ASSIGN(auto existing, tx.ListKbCategories(actor.workspace_id));
    c.position = existing.empty() ? 0 : std::min(existing.back().position + 1, kMaxPosition);
  }
  c.created_at = now;
  c.updated_at = now;
  KZ_TRY(tx.InsertKbCategory(c));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "kb.category.changed", json{{"category_id", c.id}}, now));
  return c;
}

Result<ports::KbCategory> UpdateKbCategory(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                           const KbGroupInput& in, Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  KZ_ASSIGN(ports::KbCategory c, tx.GetKbCategory(actor.workspace_id, id));
  KZ_TRY(CheckVersion(in.expected_version, c.version, "category"));
  if (in.names) c.names = *in.names;
  if (in.position) c.position = *in.position;
  c.updated_at = std::max(now, c.updated_at);
  c.version += 1;
  KZ_TRY(tx.UpdateKbCategory(c));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "kb.category.changed", json{{"category_id", c.id}}, now));
  return c;
}

Status DeleteKbCategory(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now) {
  KZ_TRY(RequireAdmin(actor, "category"));
  KZ_TRY(tx.DeleteKbCategory(actor.workspace_id, id));
  return RecordEvent(tx, actor, std::nullopt, "kb.category.changed", json{{"category_id", id}, {"deleted", true}},
                     now);
}

// The category a section names: InvalidArgument on category_id when the workspace has none.
static Status RequireCategory(ports::ReadTx& tx, WorkspaceId ws, std::int64_t id) {
  auto category = tx.GetKbCategory(ws, id);
  if (category.ok()) return Ok();
  if (category.error().code == ErrorCode::kNotFound) return Error::Invalid("category_id", "no such category");
  return category.error();
}

Result<ports::KbSection> CreateKbSection(ports::WriteTx& tx, const Actor& actor, const KbGroupInput& in,
                                         Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  ports::KbSection s;
  s.workspace_id = actor.workspace_id;
  s.category_id = in.category_id.value_or(0);
  KZ_TRY(RequireCategory(tx, actor.workspace_id, s.category_id));
  s.names = in.names.value_or(std::map<std::string, std::string>{});
  if (in.position) {
    s.position = *in.position;
  } else {
    KZ_ASSIGN(auto sections, tx.ListKbSections(actor.workspace_id));
    for (const auto& other : sections) {
      if (other.category_id == s.category_id) s.position = std::max(s.position, std::min(other.position + 1, kMaxPosition));
    }
  }
  s.created_at = now;
  s.updated_at = now;
  KZ_TRY(tx.InsertKbSection(s));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "kb.section.changed", json{{"section_id", s.id}}, now));
  return s;
}

Result<ports::KbSection> UpdateKbSection(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                         const KbGroupInput& in, Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  KZ_ASSIGN(ports::KbSection s, tx.GetKbSection(actor.workspace_id, id));
  KZ_TRY(CheckVersion(in.expected_version, s.version, "section"));
  if (in.category_id && *in.category_id != s.category_id) {
    KZ_TRY(RequireCategory(tx, actor.workspace_id, *in.category_id));
    s.category_id = *in.category_id;
  }
  if (in.names) s.names = *in.names;
  if (in.position) s.position = *in.position;
  s.updated_at = std::max(now, s.updated_at);
  s.version += 1;
  KZ_TRY(tx.UpdateKbSection(s));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "kb.section.changed", json{{"section_id", s.id}}, now));
  return s;
}

Status DeleteKbSection(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now) {
  KZ_TRY(RequireAdmin(actor, "section"));
  KZ_TRY(tx.DeleteKbSection(actor.workspace_id, id));
  return RecordEvent(tx, actor, std::nullopt, "kb.section.changed", json{{"section_id", id}, {"deleted", true}}, now);
}

// ---- articles ----

Result<ports::KbArticle> CreateArticle(ports::WriteTx& tx, const Actor& actor, const ArticleInput& in,
                                       Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  ports::KbArticle a;
  a.workspace_id = actor.workspace_id;
  a.section_id = in.section_id.value_or(0);
  KZ_TRY(CheckSection(tx, actor.workspace_id, a.section_id));
  a.status = in.status.value_or("draft");
  a.tags = in.tags.value_or(std::vector<std::string>{});
  a.created_at = now;
  a.updated_at = now;
  if (a.status == "published") a.published_at = now;
  a.source_topic_id = in.source_topic_id;
  for (const auto& [locale, t] : in.translations) {
    a.translations.push_back(ports::KbTranslation{locale, t.title, t.body_md, 1, now, AuthorOf(actor)});
  }
  KZ_TRY(tx.InsertArticle(a));
  for (const auto& t : a.translations) KZ_TRY(SaveVersion(tx, a, t, now));
  KZ_TRY(ArticleEvent(tx, actor, "article.created", a.id, now));
  if (a.status == "published") KZ_TRY(ArticleEvent(tx, actor, "article.published", a.id, now));
  return a;
}

Result<std::int64_t> CreateDraftArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t section_id,
                                        std::string_view locale, std::string_view title, std::string_view body_md,
                                        std::optional<std::int64_t> source_topic_id, Timestamp now) {
  if (!IsKbLocale(locale)) return Error::Invalid("locale", "the language is " + LocaleList());
  // A topic's title may be longer than an article's: keep the first 200 characters.
  std::string short_title;
  std::size_t code_points = 0;
  for (std::size_t idx = 0; idx < title.size(); ++idx) {
    const auto byte = static_cast<unsigned char>(title[idx]);
    if ((byte & 0xC0) != 0x80 && ++code_points > kKbMaxTitle) break;
    short_title += title[idx];
  }
  ArticleInput in;
  in.section_id = section_id;
  in.status = "draft";
  in.source_topic_id = source_topic_id;
  in.translations[std::string(locale)] = KbTranslationInput{short_title, std::string(body_md)};
  Status valid = ValidateArticle(in, true);
  if (!valid.ok()) {
    Error error = valid.error();
    // Name the caller's own parameters rather than the article API's fields.
    if (error.field.ends_with(".title")) error.field = "title";
    if (error.field.ends_with(".body_md")) error.field = "body_md";
    return error;
  }
  KZ_ASSIGN(ports::KbArticle article, CreateArticle(tx, actor, in, now));
  return article.id;
}

Result<ports::KbArticle> UpdateArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t id,
                                       const ArticleInput& in, Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  KZ_ASSIGN(ports::KbArticle a, tx.GetArticle(actor.workspace_id, id));
  KZ_TRY(CheckVersion(in.expected_version, a.version, "article"));
  bool changed = false;
  if (in.section_id && *in.section_id != a.section_id) {
    KZ_TRY(CheckSection(tx, actor.workspace_id, *in.section_id));
    a.section_id = *in.section_id;
    changed = true;
  }
  if (in.tags && *in.tags != a.tags) {
    a.tags = *in.tags;
    changed = true;
  }
  const std::string old_status = a.status;
  if (in.status && *in.status != a.status) {
    a.status = *in.status;
    if (a.status == "published") a.published_at = now;
    changed = true;
  }
  std::vector<std::string> revised;
  for (const auto& [locale, t] : in.translations) {
    ports::KbTranslation* current = FindTranslation(a, locale);
    if (current && current->title == t.title && current->body_md == t.body_md) continue;
    if (current == nullptr) {
      a.translations.push_back(ports::KbTranslation{locale, t.title, t.body_md, 0, now, AuthorOf(actor)});
      current = &a.translations.back();
    }
    current->title = t.title;
    current->body_md = t.body_md;
    current->revision += 1;
    current->updated_at = now;
    current->updated_by = AuthorOf(actor);
    revised.push_back(locale);
    changed = true;
  }
  if (!changed) return a;
  std::sort(a.translations.begin(), a.translations.end(),
            [](const auto& x, const auto& y) { return x.locale < y.locale; });
  a.version += 1;
  a.updated_at = std::max(now, a.updated_at);
  KZ_TRY(tx.UpdateArticle(a));
  for (const auto& locale : revised) KZ_TRY(SaveVersion(tx, a, *FindTranslation(a, locale), now));
  KZ_TRY(ArticleEvent(tx, actor, "article.updated", a.id, now));
  if (a.status != old_status) {
    KZ_TRY(ArticleEvent(tx, actor, a.status == "published" ? "article.published" : "article.unpublished", a.id, now));
  }
  return a;
}

Status DeleteArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t id, Timestamp now) {
  KZ_TRY(RequireAgent(actor));
  KZ_TRY(tx.DeleteArticle(actor.workspace_id, id));
  return ArticleEvent(tx, actor, "article.deleted", id, now);
}

// ---- readers ----

Result<bool> RecordFeedback(ports::WriteTx& tx, WorkspaceId ws, std::int64_t article_id, std::string_view voter,
                            bool helpful, Timestamp now) {
  KZ_ASSIGN(ports::KbArticle article, tx.GetArticle(ws, article_id));
  if (article.status != "published") return Error::NotFound("article not found");
  ports::KbFeedback f;
  f.workspace_id = ws;
  f.article_id = article_id;
  f.voter = std::string(voter);
  f.day = now / kDayMs;
  f.helpful = helpful;
  f.created_at = now;
  return tx.RecordArticleFeedback(f);
}

Status CountView(ports::WriteTx& tx, WorkspaceId ws, std::int64_t article_id) {
  return tx.CountArticleView(ws, article_id);
}

Status RecordDeflection(ports::WriteTx& tx, WorkspaceId ws, std::int64_t article_id, std::string_view query,
                        Timestamp now) {
  KZ_ASSIGN(ports::KbArticle article, tx.GetArticle(ws, article_id));
  if (article.status != "published") return Error::NotFound("article not found");
  std::string kept(query.substr(0, std::min(query.size(), kMaxDeflectionQuery)));
  // Cut on a character boundary.
  while (!kept.empty() && !IsValidUtf8(kept)) kept.pop_back();
  return tx.InsertKbDeflection(ws, article_id, kept, now);
}

Status CountSuggestionsShown(ports::WriteTx& tx, WorkspaceId ws, int n, Timestamp) {
  if (n <= 0) return Ok();
  return tx.AddKbCounter(ws, "suggestions_shown", n);
}

// ---- JSON ----

json KbSectionJson(const ports::KbSection& s) {
  return json{{"id", s.id},
              {"category_id", s.category_id},
              {"position", s.position},
              {"names", NamesJson(s.names)},
              {"version", s.version},
              {"created_at", FormatTimestamp(s.created_at)},
              {"updated_at", FormatTimestamp(s.updated_at)}};
}

json KbCategoryJson(const ports::KbCategory& c, const std::vector<ports::KbSection>& sections) {
  json list = json::array();
  for (const auto& s : sections) {
    if (s.category_id == c.id) list.push_back(KbSectionJson(s));
  }
  return json{{"id", c.id},
              {"position", c.position},
              {"names", NamesJson(c.names)},
              {"version", c.version},
              {"created_at", FormatTimestamp(c.created_at)},
              {"updated_at", FormatTimestamp(c.updated_at)},
              {"sections", list}};
}

json ArticleSummaryJson(const ports::KbArticle& a) {
  json titles = json::object();
  for (const auto& t : a.translations) titles[t.locale] = t.title;
  return json{{"id", a.id},
              {"section_id", a.section_id},
              {"status", a.status},
              {"tags", a.tags},
              {"titles", titles},
              {"version", a.version},
              {"updated_at", FormatTimestamp(a.updated_at)},
              {"helpful_yes", a.helpful_yes},
              {"helpful_no", a.helpful_no},
              {"views", a.views}};
}

json ArticleJson(const ports::KbArticle& a, const ports::Markdown& markdown, const AgentNames& names) {
  json translations = json::object();
  for (const auto& t : a.translations) {
    translations[t.locale] = json{{"title", t.title},
                                  {"body_md", t.body_md},
                                  {"body_html", markdown.ToHtml(t.body_md)},
                                  {"updated_at", FormatTimestamp(t.updated_at)},
                                  {"updated_by", AuthorJson(t.updated_by, names)},
                                  {"revision", t.revision}};
  }
  return json{{"id", a.id},
              {"section_id", a.section_id},
              {"status", a.status},
              {"tags", a.tags},
              {"version", a.version},
              {"created_at", FormatTimestamp(a.created_at)},
              {"updated_at", FormatTimestamp(a.updated_at)},
              {"published_at", a.published_at ? json(FormatTimestamp(*a.published_at)) : json(nullptr)},
              {"helpful_yes", a.helpful_yes},
              {"helpful_no", a.helpful_no},
              {"views", a.views},
              {"source_topic_id", a.source_topic_id ? json(*a.source_topic_id) : json(nullptr)},
              {"translations", translations}};
}

json ArticleVersionJson(const ports::KbArticleVersion& v, const AgentNames& names) {
  return json{{"revision", v.revision},
              {"locale", v.locale},
              {"title", v.title},
              {"body_md", v.body_md},
              {"author", AuthorJson(v.author_id, names)},
              {"created_at", FormatTimestamp(v.created_at)}};
}

json KbStatsJson(const ports::KbStats& s) {
  return json{{"articles", s.articles},       {"published", s.published},     {"views", s.views},
              {"helpful_yes", s.helpful_yes}, {"helpful_no", s.helpful_no},   {"deflections", s.deflections},
              {"suggestions_shown", s.suggestions_shown}};
}

// ---- help centre ----

const ports::KbTranslation* PickTranslation(const ports::KbArticle& article, std::string_view locale) {
  const ports::KbTranslation* english = nullptr;
  for (const auto& t : article.translations) {
    if (t.locale == locale) return &t;
    if (t.locale == "en") english = &t;
  }
  if (english) return english;
  return article.translations.empty() ? nullptr : &article.translations.front();
}

std::string PickName(const std::map<std::string, std::string>& names, std::string_view locale) {
  if (auto it = names.find(std::string(locale)); it != names.end()) return it->second;
  if (auto it = names.find("en"); it != names.end()) return it->second;
  return names.empty() ? std::string() : names.begin()->second;
}

json HelpCentreTreeJson(const std::vector<ports::KbCategory>& categories,
                        const std::vector<ports::KbSection>& sections,
                        const std::vector<ports::KbArticle>& published, std::string_view locale) {
  std::map<std::int64_t, std::vector<const ports::KbArticle*>> by_section;
  for (const auto& a : published) {
    if (a.status == "published" && PickTranslation(a, locale)) by_section[a.section_id].push_back(&a);
  }
  json out = json::array();
  for (const auto& c : categories) {
    json section_list = json::array();
    for (const auto& s : sections) {
      if (s.category_id != c.id) continue;
      auto it = by_section.find(s.id);
      if (it == by_section.end()) continue;
      json articles = json::array();
      for (const auto* a : it->second) articles.push_back(TitleRef(*a, locale));
      section_list.push_back(
          json{{"id", s.id}, {"name", PickName(s.names, locale)}, {"position", s.position}, {"articles", articles}});
    }
    if (section_list.empty()) continue;
    out.push_back(json{{"id", c.id}, {"name", PickName(c.names, locale)}, {"position", c.position},
                       {"sections", section_list}});
  }
  return json{{"categories", out}};
}

json HelpCentreArticleJson(const ports::KbArticle& a, const ports::KbCategory& category,
                           const ports::KbSection& section, const std::vector<ports::KbArticle>& published,
                           std::string_view locale, const ports::Markdown& markdown) {
  const ports::KbTranslation* t = PickTranslation(a, locale);
  json locales = json::array();
  for (const auto& each : a.translations) locales.push_back(each.locale);
  // Related: the same section first (in id order), then by the number of shared tags.
  std::vector<std::pair<int, const ports::KbArticle*>> ranked;
  const std::set<std::string> tags(a.tags.begin(), a.tags.end());
  for (const auto& other : published) {
    if (other.id == a.id || other.status != "published") continue;
    int shared = 0;
    for (const auto& tag : other.tags) shared += tags.count(tag) ? 1 : 0;
    const int score = (other.section_id == a.section_id ? 1000 : 0) + shared;
    if (score > 0) ranked.emplace_back(score, &other);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
  json related = json::array();
  for (std::size_t idx = 0; idx < ranked.size() && idx < kMaxRelated; ++idx) {
    related.push_back(TitleRef(*ranked[idx].second, locale));
  }
  return json{{"id", a.id},
              {"locale", t ? t->locale : ""},
              {"locales", locales},
              {"title", t ? t->title : ""},
              {"body_html", t ? markdown.ToHtml(t->body_md) : ""},
              {"updated_at", FormatTimestamp(t ? std::max(t->updated_at, a.updated_at) : a.updated_at)},
              {"tags", a.tags},
              {"breadcrumbs", json::array({json{{"kind", "category"}, {"id", category.id},
                                                {"name", PickName(category.names, locale)}},
                                           json{{"kind", "section"}, {"id", section.id},
                                                {"name", PickName(section.names, locale)}}})},
              {"related", related},
              {"helpful_yes", a.helpful_yes},
              {"helpful_no", a.helpful_no}};
}

}  // namespace kizuna::services
