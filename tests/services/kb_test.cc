// The knowledge base (C20) on a real SQLite store: validation, categories, sections,
// articles with translations and revisions, publishing, optimistic versions, votes, counters,
// the events the search indexer follows, and the help-centre JSON (services/kb.h).
#include "services/kb.h"

#include <gtest/gtest.h>

#include "adapters/markdown/cmark_markdown.h"
#include "core/text.h"
#include "fakes/temp_store.h"
#include "services/directory.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr Timestamp kDay = 86'400'000;

class KbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status seeded = Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"kb", "Asia/Tokyo"}, 1));
      admin_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      KZ_ASSIGN(Agent ren, services::CreateAgent(tx, admin_, services::AgentInput{"ren@kb.test", "Ren", "admin"}, 1));
      admin_.id = ren.id;
      KZ_ASSIGN(Agent mei, services::CreateAgent(tx, admin_, services::AgentInput{"mei@kb.test", "Mei", "agent"}, 1));
      agent_ = services::Actor{w.id, "agent", mei.id, Role::kAgent};
      KZ_ASSIGN(Workspace other, services::CreateWorkspace(tx, services::WorkspaceInput{"other", "UTC"}, 1));
      other_ = services::Actor{other.id, "agent", 0, Role::kAdmin};
      return Ok();
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().message;
    auto category = WriteValue<ports::KbCategory>([&](ports::WriteTx& tx) {
      return services::CreateKbCategory(tx, agent_, Group({{"en", "Billing"}, {"ja", "請求"}}), now_);
    });
    ASSERT_TRUE(category.ok()) << category.error().message;
    category_ = *category;
    auto section = WriteValue<ports::KbSection>([&](ports::WriteTx& tx) {
      services::KbGroupInput in = Group({{"en", "Refunds"}, {"ko", "환불"}});
      in.category_id = category_.id;
      return services::CreateKbSection(tx, agent_, in, now_);
    });
    ASSERT_TRUE(section.ok()) << section.error().message;
    section_ = *section;
  }

  static services::KbGroupInput Group(std::map<std::string, std::string> names) {
    services::KbGroupInput in;
    in.names = std::move(names);
    return in;
  }

  services::ArticleInput Article(std::map<std::string, services::KbTranslationInput> translations) {
    services::ArticleInput in;
    in.section_id = section_.id;
    in.translations = std::move(translations);
    return in;
  }

  Result<ports::KbArticle> Create(services::ArticleInput in, const services::Actor& actor) {
    KZ_TRY(services::ValidateArticle(in, true));
    return WriteValue<ports::KbArticle>(
        [&](ports::WriteTx& tx) { return services::CreateArticle(tx, actor, in, now_); });
  }

  Result<ports::KbArticle> Update(std::int64_t id, services::ArticleInput in) {
    KZ_TRY(services::ValidateArticle(in, false));
    return WriteValue<ports::KbArticle>(
        [&](ports::WriteTx& tx) { return services::UpdateArticle(tx, agent_, id, in, now_); });
  }

  Result<ports::KbArticle> Get(WorkspaceId ws, std::int64_t id) {
    std::optional<ports::KbArticle> out;
    Status s = db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(out, tx.GetArticle(ws, id));
      return Ok();
    });
    if (!s.ok()) return s.error();
    return *out;
  }

  // Event types of the workspace, oldest first.
  std::vector<std::string> EventTypes() {
    std::vector<std::string> types;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto events, tx.ListEventsSince(agent_.workspace_id, 0, 1000));
      for (const auto& e : events) {
        if (e.type.starts_with("article.") || e.type.starts_with("kb.")) types.push_back(e.type + " " + e.data);
      }
      return Ok();
    }).ok());
    return types;
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }
  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) { return db_.WriteValue<T>(std::move(fn)); }

  TempStore db_;
  Timestamp now_ = 1'790'000'000'000;
  services::Actor admin_;
  services::Actor agent_;
  services::Actor other_;
  ports::KbCategory category_;
  ports::KbSection section_;
  std::unique_ptr<ports::Markdown> markdown_ = markdown::NewCmarkMarkdown();
};

TEST_F(KbTest, ValidationNamesTheField) {
  struct Case {
    const char* name;
    std::function<void(services::ArticleInput&)> change;
    const char* field;
  };
  const Case cases[] = {
      {"unknown locale", [](auto& in) { in.translations["fr"] = {"Titre", "x"}; }, "translations.fr"},
      {"empty title", [](auto& in) { in.translations["ja"] = {"  ", "x"}; }, "translations.ja.title"},
      {"long title", [](auto& in) { in.translations["en"] = {std::string(201, 'a'), "x"}; }, "translations.en.title"},
      {"huge body", [](auto& in) { in.translations["vi"] = {"Tiêu đề", std::string(200 * 1024 + 1, 'a')}; },
       "translations.vi.body_md"},
      {"control character", [](auto& in) { in.translations["en"] = {"T", std::string("a\x01", 2)}; },
       "translations.en.body_md"},
      {"too many tags", [](auto& in) { in.tags = std::vector<std::string>(21, "t"); }, "tags"},
      {"long tag", [](auto& in) { in.tags = std::vector<std::string>{"ok", std::string(41, 'x')}; }, "tags[1]"},
      {"empty tag", [](auto& in) { in.tags = std::vector<std::string>{""}; }, "tags[0]"},
      {"bad status", [](auto& in) { in.status = "archived"; }, "status"},
      {"no translations", [](auto& in) { in.translations.clear(); }, "translations"},
      {"no section", [](auto& in) { in.section_id.reset(); }, "section_id"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto in = Article({{"en", {"Refunds", "body"}}});
    c.change(in);
    Status valid = services::ValidateArticle(in, true);
    ASSERT_FALSE(valid.ok());
    EXPECT_EQ(valid.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(valid.error().field, c.field);
  }
  // The limits themselves pass: 200 characters of Japanese, 200 KB, 20 tags of 40.
  std::string title;
  for (int i = 0; i < 200; ++i) title += "返";
  auto in = Article({{"ja", {title, std::string(200 * 1024, 'a')}}});
  in.tags = std::vector<std::string>(20, std::string(40, 't'));
  EXPECT_TRUE(services::ValidateArticle(in, true).ok());
  EXPECT_EQ(in.tags->size(), 1u);  // duplicates dropped

  services::KbGroupInput group = Group({{"xx", "Bad"}});
  Status bad_group = services::ValidateKbGroup(group, true, false);
  ASSERT_FALSE(bad_group.ok());
  EXPECT_EQ(bad_group.error().field, "names.xx");
  services::KbGroupInput no_category = Group({{"en", "S"}});
  EXPECT_EQ(services::ValidateKbGroup(no_category, true, true).error().field, "category_id");
}

TEST_F(KbTest, CreateArticleWithFourTranslationsKeepsRevisionsAndEvents) {
  auto created = Create(Article({{"en", {"Refunds", "Refunds take **5 days**."}},
                                 {"ja", {"返金について", "返金には5日かかります。"}},
                                 {"ko", {"환불 안내", "환불은 5일 걸립니다."}},
                                 {"vi", {"Hoàn tiền", "Hoàn tiền mất 5 ngày."}}}),
                        agent_);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->status, "draft");
  EXPECT_EQ(created->version, 1);
  auto stored = Get(agent_.workspace_id, created->id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->translations.size(), 4u);
  EXPECT_EQ(stored->translations[1].locale, "ja");
  EXPECT_EQ(stored->translations[1].title, "返金について");
  EXPECT_EQ(stored->translations[1].revision, 1);
  EXPECT_EQ(stored->translations[1].updated_by, agent_.id);

  // Publish and change Japanese only: one new Japanese revision.
  services::ArticleInput change;
  change.expected_version = 1;
  change.status = "published";
  change.translations["ja"] = {"返金について", "返金には**7日**かかります。"};
  change.translations["en"] = {"Refunds", "Refunds take **5 days**."};  // unchanged: no revision
  auto updated = Update(created->id, change);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->status, "published");
  ASSERT_TRUE(updated->published_at.has_value());
  std::vector<ports::KbArticleVersion> ja;
  std::vector<ports::KbArticleVersion> all;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(ja, tx.ListArticleVersions(agent_.workspace_id, created->id, "ja"));
    KZ_ASSIGN(all, tx.ListArticleVersions(agent_.workspace_id, created->id, ""));
    return Ok();
  }).ok());
  ASSERT_EQ(ja.size(), 2u);
  EXPECT_EQ(ja[0].revision, 2);  // newest first
  EXPECT_EQ(ja[0].body_md, "返金には**7日**かかります。");
  EXPECT_EQ(ja[1].revision, 1);
  EXPECT_EQ(all.size(), 5u);

  const std::string id = std::to_string(created->id);
  EXPECT_EQ(EventTypes(), (std::vector<std::string>{
                              "kb.category.changed {\"category_id\":" + std::to_string(category_.id) + "}",
                              "kb.section.changed {\"section_id\":" + std::to_string(section_.id) + "}",
                              "article.created {\"article_id\":" + id + "}",
                              "article.updated {\"article_id\":" + id + "}",
                              "article.published {\"article_id\":" + id + "}",
                          }));

  // Unpublish; a PATCH that changes nothing writes nothing.
  services::ArticleInput unpublish;
  unpublish.expected_version = 2;
  unpublish.status = "draft";
  ASSERT_TRUE(Update(created->id, unpublish).ok());
  services::ArticleInput same;
  same.expected_version = 3;
  same.status = "draft";
  auto unchanged = Update(created->id, same);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->version, 3);
  auto types = EventTypes();
  EXPECT_EQ(types.back(), "article.unpublished {\"article_id\":" + id + "}");
  EXPECT_EQ(types.size(), 7u);
}

TEST_F(KbTest, StaleVersionIsPreconditionFailed) {
  auto created = Create(Article({{"en", {"A", "a"}}}), agent_);
  ASSERT_TRUE(created.ok());
  services::ArticleInput first;
  first.expected_version = 1;
  first.tags = std::vector<std::string>{"refund"};
  ASSERT_TRUE(Update(created->id, first).ok());
  services::ArticleInput stale;
  stale.expected_version = 1;
  stale.tags = std::vector<std::string>{"billing"};
  auto result = Update(created->id, stale);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(Get(agent_.workspace_id, created->id)->tags, std::vector<std::string>{"refund"});
}

TEST_F(KbTest, OtherWorkspaceSeesNothing) {
  auto created = Create(Article({{"en", {"A", "a"}}}), agent_);
  ASSERT_TRUE(created.ok());
  auto foreign = Get(other_.workspace_id, created->id);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  services::ArticleInput change;
  change.status = "published";
  auto update = WriteValue<ports::KbArticle>(
      [&](ports::WriteTx& tx) { return services::UpdateArticle(tx, other_, created->id, change, now_); });
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().code, ErrorCode::kNotFound);
  // Nor may it file an article into this workspace's section.
  services::ArticleInput in = Article({{"en", {"B", "b"}}});
  auto into = Create(in, other_);
  ASSERT_FALSE(into.ok());
  EXPECT_EQ(into.error().field, "section_id");
  Status del = Write([&](ports::WriteTx& tx) { return services::DeleteArticle(tx, other_, created->id, now_); });
  EXPECT_EQ(del.error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(Get(agent_.workspace_id, created->id).ok());
}

TEST_F(KbTest, DeletingNeedsAdminAndEmptiness) {
  auto created = Create(Article({{"en", {"A", "a"}}}), agent_);
  ASSERT_TRUE(created.ok());
  Status by_agent = Write([&](ports::WriteTx& tx) { return services::DeleteKbSection(tx, agent_, section_.id, now_); });
  EXPECT_EQ(by_agent.error().code, ErrorCode::kPermissionDenied);
  Status busy = Write([&](ports::WriteTx& tx) { return services::DeleteKbSection(tx, admin_, section_.id, now_); });
  EXPECT_EQ(busy.error().code, ErrorCode::kConflict);
  Status busy_category =
      Write([&](ports::WriteTx& tx) { return services::DeleteKbCategory(tx, admin_, category_.id, now_); });
  EXPECT_EQ(busy_category.error().code, ErrorCode::kConflict);
  // An agent deletes the article (with its versions), then the admin the section and category.
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::DeleteArticle(tx, agent_, created->id, now_); }).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::DeleteKbSection(tx, admin_, section_.id, now_); }).ok());
  ASSERT_TRUE(
      Write([&](ports::WriteTx& tx) { return services::DeleteKbCategory(tx, admin_, category_.id, now_); }).ok());
  EXPECT_EQ(Get(agent_.workspace_id, created->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(EventTypes().back(), "kb.category.changed {\"category_id\":" + std::to_string(category_.id) +
                                     ",\"deleted\":true}");
}

TEST_F(KbTest, FeedbackOncePerVoterPerArticlePerDay) {
  auto in = Article({{"en", {"A", "a"}}});
  in.status = "published";
  auto created = Create(in, agent_);
  ASSERT_TRUE(created.ok());
  auto vote = [&](const std::string& voter, bool helpful, Timestamp at) {
    return WriteValue<bool>([&](ports::WriteTx& tx) {
      return services::RecordFeedback(tx, agent_.workspace_id, created->id, voter, helpful, at);
    });
  };
  EXPECT_TRUE(*vote("addr-1", true, now_));
  EXPECT_FALSE(*vote("addr-1", false, now_ + 1000));  // same day
  EXPECT_TRUE(*vote("addr-2", false, now_));
  EXPECT_TRUE(*vote("addr-1", true, now_ + kDay));  // the next day
  auto stored = Get(agent_.workspace_id, created->id);
  EXPECT_EQ(stored->helpful_yes, 2);
  EXPECT_EQ(stored->helpful_no, 1);
  // Drafts take no votes.
  auto draft = Create(Article({{"en", {"B", "b"}}}), agent_);
  auto on_draft = WriteValue<bool>([&](ports::WriteTx& tx) {
    return services::RecordFeedback(tx, agent_.workspace_id, draft->id, "addr-1", true, now_);
  });
  EXPECT_EQ(on_draft.error().code, ErrorCode::kNotFound);
}

TEST_F(KbTest, ViewsDeflectionsAndSuggestionsAreCounted) {
  auto in = Article({{"en", {"A", "a"}}});
  in.status = "published";
  auto published = Create(in, agent_);
  auto draft = Create(Article({{"en", {"B", "b"}}}), agent_);
  ASSERT_TRUE(published.ok() && draft.ok());
  const WorkspaceId ws = agent_.workspace_id;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::CountView(tx, ws, published->id); }).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::CountView(tx, ws, published->id); }).ok());
  EXPECT_EQ(Write([&](ports::WriteTx& tx) { return services::CountView(tx, ws, draft->id); }).error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) {
    return services::RecordDeflection(tx, ws, published->id, "返金 したい", now_);
  }).ok());
  EXPECT_FALSE(Write([&](ports::WriteTx& tx) {
    return services::RecordDeflection(tx, ws, draft->id, "x", now_);
  }).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::CountSuggestionsShown(tx, ws, 3, now_); }).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::CountSuggestionsShown(tx, ws, 2, now_); }).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::CountSuggestionsShown(tx, ws, 0, now_); }).ok());
  ports::KbStats stats;
  ports::KbStats other;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(stats, tx.GetKbStats(ws));
    KZ_ASSIGN(other, tx.GetKbStats(other_.workspace_id));
    return Ok();
  }).ok());
  EXPECT_EQ(stats.articles, 2);
  EXPECT_EQ(stats.published, 1);
  EXPECT_EQ(stats.views, 2);
  EXPECT_EQ(stats.deflections, 1);
  EXPECT_EQ(stats.suggestions_shown, 5);
  EXPECT_EQ(other.articles, 0);
  EXPECT_EQ(other.suggestions_shown, 0);
}

TEST_F(KbTest, CreateDraftArticleFromACommunityThread) {
  std::string long_title;
  for (int i = 0; i < 250; ++i) long_title += "질";
  auto id = WriteValue<std::int64_t>([&](ports::WriteTx& tx) {
    return services::CreateDraftArticle(tx, agent_, section_.id, "ko", long_title, "질문\n\n답변", 42, now_);
  });
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto stored = Get(agent_.workspace_id, *id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, "draft");
  EXPECT_EQ(stored->source_topic_id, 42);
  ASSERT_EQ(stored->translations.size(), 1u);
  EXPECT_EQ(stored->translations[0].locale, "ko");
  EXPECT_EQ(CodePointCount(stored->translations[0].title), 200u);
  auto bad_locale = WriteValue<std::int64_t>([&](ports::WriteTx& tx) {
    return services::CreateDraftArticle(tx, agent_, section_.id, "fr", "t", "b", std::nullopt, now_);
  });
  EXPECT_EQ(bad_locale.error().field, "locale");
  auto empty_title = WriteValue<std::int64_t>([&](ports::WriteTx& tx) {
    return services::CreateDraftArticle(tx, agent_, section_.id, "en", " ", "b", std::nullopt, now_);
  });
  EXPECT_EQ(empty_title.error().field, "title");
  auto bad_section = WriteValue<std::int64_t>([&](ports::WriteTx& tx) {
    return services::CreateDraftArticle(tx, agent_, 9999, "en", "t", "b", std::nullopt, now_);
  });
  EXPECT_EQ(bad_section.error().field, "section_id");
}

TEST_F(KbTest, IndexPagesThroughEveryArticleWithBodies) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto a = Create(Article({{"en", {"T" + std::to_string(i), "body " + std::to_string(i)}},
                             {"vi", {"Tiêu đề", "nội dung"}}}),
                    agent_);
    ASSERT_TRUE(a.ok());
    ids.push_back(a->id);
  }
  std::vector<std::int64_t> seen;
  std::int64_t after = 0;
  while (true) {
    std::vector<ports::KbArticle> page;
    ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(page, tx.ListArticlesForIndex(agent_.workspace_id, after, 2));
      return Ok();
    }).ok());
    if (page.empty()) break;
    for (const auto& a : page) {
      seen.push_back(a.id);
      ASSERT_EQ(a.translations.size(), 2u);
      EXPECT_FALSE(a.translations[0].body_md.empty());
    }
    after = page.back().id;
  }
  EXPECT_EQ(seen, ids);
  // Summaries carry titles only.
  std::vector<ports::KbArticle> summaries;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(summaries, tx.ListArticles(agent_.workspace_id, ports::KbArticleFilter{}));
    return Ok();
  }).ok());
  ASSERT_EQ(summaries.size(), 5u);
  EXPECT_EQ(summaries[0].translations[0].title, "T0");
  EXPECT_TRUE(summaries[0].translations[0].body_md.empty());
}

TEST_F(KbTest, HelpCentreShowsPublishedInTheReadersLanguageWithFallback) {
  auto both = Article({{"en", {"Refunds", "r"}}, {"ja", {"返金", "r"}}});
  both.status = "published";
  both.tags = std::vector<std::string>{"money"};
  auto english_only = Article({{"en", {"Invoices", "i"}}});
  english_only.status = "published";
  auto korean_only = Article({{"ko", {"영수증", "k"}}});
  korean_only.status = "published";
  auto draft = Article({{"ja", {"下書き", "d"}}});
  auto a = Create(both, agent_);
  auto b = Create(english_only, agent_);
  auto c = Create(korean_only, agent_);
  auto d = Create(draft, agent_);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && d.ok());
  std::vector<ports::KbArticle> published;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(published, tx.ListPublishedArticles(agent_.workspace_id));
    return Ok();
  }).ok());
  ASSERT_EQ(published.size(), 3u);
  json tree = services::HelpCentreTreeJson({category_}, {section_}, published, "ja");
  ASSERT_EQ(tree["categories"].size(), 1u);
  EXPECT_EQ(tree["categories"][0]["name"], "請求");
  EXPECT_EQ(tree["categories"][0]["sections"][0]["name"], "Refunds");  // no Japanese name: English
  const json& articles = tree["categories"][0]["sections"][0]["articles"];
  ASSERT_EQ(articles.size(), 3u);
  EXPECT_EQ(articles[0]["title"], "返金");
  EXPECT_EQ(articles[0]["locale"], "ja");
  EXPECT_EQ(articles[1]["title"], "Invoices");
  EXPECT_EQ(articles[1]["locale"], "en");
  EXPECT_EQ(articles[2]["title"], "영수증");
  EXPECT_EQ(articles[2]["locale"], "ko");

  auto full = Get(agent_.workspace_id, a->id);
  json page = services::HelpCentreArticleJson(*full, category_, section_, published, "vi", *markdown_);
  EXPECT_EQ(page["locale"], "en");
  EXPECT_EQ(page["locales"], json::array({"en", "ja"}));
  EXPECT_EQ(page["breadcrumbs"][0]["kind"], "category");
  EXPECT_EQ(page["breadcrumbs"][1]["name"], "Refunds");
  ASSERT_EQ(page["related"].size(), 2u);
  EXPECT_EQ(page["related"][0]["id"], b->id);
}

TEST_F(KbTest, ArticleJsonRendersSafeHtml) {
  auto created = Create(Article({{"en", {"XSS", "<script>alert(1)</script>\n\n[x](javascript:alert(1)) **ok**"}}}),
                        agent_);
  ASSERT_TRUE(created.ok());
  json out = services::ArticleJson(*created, *markdown_, services::AgentNames{{agent_.id, "Mei"}});
  const std::string html = out["translations"]["en"]["body_html"];
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>ok</strong>"), std::string::npos) << html;
  EXPECT_EQ(out["translations"]["en"]["updated_by"]["name"], "Mei");
  EXPECT_EQ(out["version"], 1);
}

}  // namespace
}  // namespace kizuna::testing
