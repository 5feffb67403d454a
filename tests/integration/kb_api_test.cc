// The knowledge base through the API (C20): agents build categories, sections and articles in
// four languages with versions and field errors; the help centre shows published articles in
// the reader's language with breadcrumbs and related articles, takes one vote per address per
// article per day, and never shows a draft or another workspace's article. Markdown comes out
// safe. Runs on SQLite and PostgreSQL (kizuna_integration_tests).
#include <gtest/gtest.h>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

class KbApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new KizunaProcess();
    server_->Start();
    token_ = server_->CreateWorkspaceWithToken("kbapi", "admin@kb.test");
    other_token_ = server_->CreateWorkspaceWithToken("kbother", "admin@other.test");
    Client admin = Admin();
    auto agent = admin.Post("/api/v1/agents", {{"email", "mei@kb.test"}, {"name", "Mei"}, {"role", "agent"},
                                               {"password", "mei-password-1"}});
    ASSERT_EQ(agent.status, 201) << agent.body;
    mei_id_ = agent.Json()["id"].get<int>();
    auto token = admin.Post("/api/v1/tokens",
                            {{"name", "mei"}, {"scopes", {"tickets:read", "tickets:write"}}, {"agent_id", mei_id_}});
    ASSERT_EQ(token.status, 201) << token.body;
    mei_token_ = token.Json()["token"].get<std::string>();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static Client WithToken(const std::string& token) {
    Client client(server_->port());
    client.set_token(token);
    return client;
  }
  static Client Admin() { return WithToken(token_); }
  static Client Mei() { return WithToken(mei_token_); }
  static Client Reader() { return Client(server_->port()); }
  static json Expect(const HttpResult& res, int status) {
    EXPECT_EQ(res.status, status) << res.body;
    return res.body.empty() ? json() : res.Json();
  }

  // A category with one section; returns {category_id, section_id}.
  static std::pair<std::int64_t, std::int64_t> Tree(const std::string& en, const std::string& ja) {
    Client mei = Mei();
    json category = Expect(mei.Post("/api/v1/kb/categories", {{"names", {{"en", en}, {"ja", ja}}}}), 201);
    json section = Expect(mei.Post("/api/v1/kb/sections", {{"category_id", category["id"]},
                                                           {"names", {{"en", en + " basics"}, {"ko", "기본"}}}}),
                          201);
    return {category["id"].get<std::int64_t>(), section["id"].get<std::int64_t>()};
  }

  static KizunaProcess* server_;
  static std::string token_;
  static std::string other_token_;
  static std::string mei_token_;
  static int mei_id_;
};

KizunaProcess* KbApiTest::server_ = nullptr;
std::string KbApiTest::token_;
std::string KbApiTest::other_token_;
std::string KbApiTest::mei_token_;
int KbApiTest::mei_id_ = 0;

TEST_F(KbApiTest, ArticleInFourLanguagesIsPublishedAndShownInTheReadersLanguage) {
  auto [category_id, section_id] = Tree("Billing", "請求");
  Client mei = Mei();
  json article = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"tags", {"refund", "money"}},
                                  {"translations",
                                   {{"en", {{"title", "How refunds work"}, {"body_md", "Refunds take **5 days**."}}},
                                    {"ja", {{"title", "返金について"}, {"body_md", "返金には**5日**かかります。"}}},
                                    {"ko", {{"title", "환불 안내"}, {"body_md", "환불은 **5일** 걸립니다."}}},
                                    {"vi", {{"title", "Hoàn tiền"}, {"body_md", "Hoàn tiền mất **5 ngày**."}}}}}}),
                        201);
  const std::int64_t id = article["id"];
  EXPECT_EQ(article["status"], "draft");
  EXPECT_EQ(article["version"], 1);
  EXPECT_EQ(article["translations"]["ja"]["body_html"], "<p>返金には<strong>5日</strong>かかります。</p>\n");
  EXPECT_EQ(article["translations"]["ko"]["updated_by"]["name"], "Mei");
  EXPECT_EQ(article["translations"]["vi"]["revision"], 1);

  // A draft is not in the help centre and its page is 404.
  const std::string portal = "/api/v1/portal/kbapi";
  Client reader = Reader();
  EXPECT_EQ(Expect(reader.Get(portal + "/kb?locale=ja"), 200)["categories"].size(), 0u);
  Expect(reader.Get(portal + "/kb/articles/" + std::to_string(id) + "?locale=ja"), 404);

  // Publish, and a second published article in English only, in the same section.
  json published = Expect(mei.Patch("/api/v1/kb/articles/" + std::to_string(id), {{"version", 1}, {"status", "published"}}),
                          200);
  EXPECT_EQ(published["version"], 2);
  json english = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"status", "published"},
                                  {"translations", {{"en", {{"title", "Invoices"}, {"body_md", "PDF invoices."}}}}}}),
                        201);

  json tree = Expect(reader.Get(portal + "/kb?locale=ja"), 200);
  ASSERT_EQ(tree["categories"].size(), 1u) << tree.dump();
  EXPECT_EQ(tree["categories"][0]["id"], category_id);
  EXPECT_EQ(tree["categories"][0]["name"], "請求");
  EXPECT_EQ(tree["categories"][0]["sections"][0]["name"], "Billing basics");  // no ja name: en
  const json& listed = tree["categories"][0]["sections"][0]["articles"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["title"], "返金について");
  EXPECT_EQ(listed[0]["locale"], "ja");
  EXPECT_EQ(listed[1]["title"], "Invoices");
  EXPECT_EQ(listed[1]["locale"], "en");
  EXPECT_EQ(Expect(reader.Get(portal + "/kb?locale=ko"), 200)["categories"][0]["sections"][0]["name"], "기본");

  json page = Expect(reader.Get(portal + "/kb/articles/" + std::to_string(id) + "?locale=ko"), 200);
  EXPECT_EQ(page["locale"], "ko");
  EXPECT_EQ(page["title"], "환불 안내");
  EXPECT_EQ(page["locales"], json::array({"en", "ja", "ko", "vi"}));
  EXPECT_EQ(page["body_html"], "<p>환불은 <strong>5일</strong> 걸립니다.</p>\n");
  ASSERT_EQ(page["breadcrumbs"].size(), 2u);
  EXPECT_EQ(page["breadcrumbs"][0], json({{"kind", "category"}, {"id", category_id}, {"name", "Billing"}}));
  EXPECT_EQ(page["breadcrumbs"][1], json({{"kind", "section"}, {"id", section_id}, {"name", "기본"}}));
  ASSERT_EQ(page["related"].size(), 1u);
  EXPECT_EQ(page["related"][0]["id"], english["id"]);
  EXPECT_EQ(page["related"][0]["locale"], "en");
  // Bad locales are refused by name.
  EXPECT_EQ(Expect(reader.Get(portal + "/kb?locale=fr"), 400)["field"], "locale");

  // The view was counted; the agents' list shows it.
  json list = Expect(mei.Get("/api/v1/kb/articles?section_id=" + std::to_string(section_id) + "&status=published"), 200);
  ASSERT_EQ(list["articles"].size(), 2u);
  EXPECT_EQ(list["articles"][0]["views"], 1);
  EXPECT_EQ(list["articles"][0]["titles"]["vi"], "Hoàn tiền");
  EXPECT_TRUE(list["next"].is_null());
  json paged = Expect(mei.Get("/api/v1/kb/articles?limit=1"), 200);
  EXPECT_EQ(paged["articles"].size(), 1u);
  EXPECT_FALSE(paged["next"].is_null());

  // Unpublishing takes it out of the help centre again.
  Expect(mei.Patch("/api/v1/kb/articles/" + std::to_string(id), {{"version", 2}, {"status", "draft"}}), 200);
  Expect(reader.Get(portal + "/kb/articles/" + std::to_string(id)), 404);
}

TEST_F(KbApiTest, VersionsAreKeptPerLocaleAndStaleVersionsAre412) {
  auto [category_id, section_id] = Tree("Account", "アカウント");
  (void)category_id;
  Client mei = Mei();
  json article = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"translations", {{"ja", {{"title", "パスワード"}, {"body_md", "版1"}}},
                                                    {"en", {{"title", "Password"}, {"body_md", "v1"}}}}}}),
                        201);
  const std::string path = "/api/v1/kb/articles/" + std::to_string(article["id"].get<std::int64_t>());
  json v2 = Expect(mei.Patch(path, {{"version", 1}, {"translations", {{"ja", {{"title", "パスワード"}, {"body_md", "版2"}}}}}}),
                   200);
  EXPECT_EQ(v2["translations"]["ja"]["revision"], 2);
  EXPECT_EQ(v2["translations"]["en"]["revision"], 1);
  EXPECT_EQ(v2.value("version", 0), 2);
  // Someone still holding version 1 is told so.
  auto stale = mei.Patch(path, {{"version", 1}, {"translations", {{"ja", {{"title", "古い"}, {"body_md", "x"}}}}}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  // PATCH without a version is refused by name.
  EXPECT_EQ(Expect(mei.Patch(path, {{"status", "published"}}), 400)["field"], "version");

  json versions = Expect(mei.Get(path + "/versions?locale=ja"), 200);
  ASSERT_EQ(versions["versions"].size(), 2u);
  EXPECT_EQ(versions["versions"][0]["revision"], 2);
  EXPECT_EQ(versions["versions"][0]["body_md"], "版2");
  EXPECT_EQ(versions["versions"][0]["author"]["name"], "Mei");
  EXPECT_EQ(versions["versions"][1]["body_md"], "版1");
  EXPECT_EQ(Expect(mei.Get(path + "/versions"), 200)["versions"].size(), 3u);
  EXPECT_EQ(Expect(mei.Get(path + "/versions?locale=xx"), 400)["field"], "locale");
}

TEST_F(KbApiTest, BadInputIs400NamingTheField) {
  auto [category_id, section_id] = Tree("Errors", "エラー");
  (void)category_id;
  Client mei = Mei();
  auto article = [&](json translations, json extra = json::object()) {
    json body = {{"section_id", section_id}, {"translations", translations}};
    body.update(extra);
    return body;
  };
  json too_many_tags = json::array();
  for (int i = 0; i < 21; ++i) too_many_tags.push_back("t" + std::to_string(i));
  struct Case {
    const char* name;
    json body;
    const char* field;
  };
  const Case cases[] = {
      {"bad locale", article({{"fr", {{"title", "Titre"}, {"body_md", "x"}}}}), "translations.fr"},
      {"empty title", article({{"ja", {{"title", ""}, {"body_md", "x"}}}}), "translations.ja.title"},
      {"long title", article({{"en", {{"title", std::string(201, 'a')}, {"body_md", "x"}}}}), "translations.en.title"},
      {"huge body", article({{"ko", {{"title", "큰"}, {"body_md", std::string(300 * 1024, 'a')}}}}),
       "translations.ko.body_md"},
      {"missing body", article({{"vi", {{"title", "Thiếu"}}}}), "translations.vi.body_md"},
      {"too many tags", article({{"en", {{"title", "T"}, {"body_md", "x"}}}}, {{"tags", too_many_tags}}), "tags"},
      {"long tag", article({{"en", {{"title", "T"}, {"body_md", "x"}}}}, {{"tags", {std::string(41, 't')}}}),
       "tags[0]"},
      {"bad status", article({{"en", {{"title", "T"}, {"body_md", "x"}}}}, {{"status", "archived"}}), "status"},
      {"no translations", article(json::object()), "translations"},
      {"unknown section", json{{"section_id", 999999}, {"translations", {{"en", {{"title", "T"}, {"body_md", "x"}}}}}},
       "section_id"},
      {"unknown field", article({{"en", {{"title", "T"}, {"body_md", "x"}}}}, {{"colour", "red"}}), "colour"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto res = mei.Post("/api/v1/kb/articles", c.body);
    EXPECT_EQ(res.status, 400) << res.body.substr(0, 300);
    EXPECT_EQ(res.Json().value("field", ""), c.field) << res.body.substr(0, 300);
  }
  EXPECT_EQ(Expect(mei.Post("/api/v1/kb/categories", {{"names", {{"de", "Konto"}}}}), 400)["field"], "names.de");
  EXPECT_EQ(Expect(mei.Post("/api/v1/kb/sections", {{"category_id", 999999}, {"names", {{"en", "S"}}}}), 400)["field"],
            "category_id");
}

TEST_F(KbApiTest, FeedbackIsCountedOncePerAddressPerDay) {
  auto [category_id, section_id] = Tree("Feedback", "評価");
  (void)category_id;
  Client mei = Mei();
  json article = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"status", "published"},
                                  {"translations", {{"en", {{"title", "Helpful?"}, {"body_md", "Yes."}}}}}}),
                        201);
  const std::string id = std::to_string(article["id"].get<std::int64_t>());
  const std::string feedback = "/api/v1/portal/kbapi/kb/articles/" + id + "/feedback";
  Client reader = Reader();
  Expect(reader.Post(feedback, {{"helpful", true}}), 204);
  Expect(reader.Post(feedback, {{"helpful", false}}), 204);  // taken, not counted
  EXPECT_EQ(Expect(reader.Post(feedback, {{"helpful", "yes"}}), 400)["field"], "helpful");
  json page = Expect(reader.Get("/api/v1/portal/kbapi/kb/articles/" + id), 200);
  EXPECT_EQ(page["helpful_yes"], 1);
  EXPECT_EQ(page["helpful_no"], 0);

  // A deflection of a published article is counted; of a draft, refused.
  Expect(reader.Post("/api/v1/portal/kbapi/deflections", {{"article_id", article["id"]}, {"query", "返金 したい"}}), 204);
  json draft = Expect(mei.Post("/api/v1/kb/articles",
                               {{"section_id", section_id},
                                {"translations", {{"en", {{"title", "Draft"}, {"body_md", "x"}}}}}}),
                      201);
  EXPECT_EQ(Expect(reader.Post("/api/v1/portal/kbapi/deflections", {{"article_id", draft["id"]}}), 400)["field"],
            "article_id");
  Expect(reader.Post("/api/v1/portal/kbapi/kb/articles/" + std::to_string(draft["id"].get<std::int64_t>()) +
                         "/feedback",
                     {{"helpful", true}}),
         404);
  json stats = Expect(mei.Get("/api/v1/kb/stats"), 200);
  EXPECT_GE(stats["deflections"].get<int>(), 1);
  EXPECT_GE(stats["helpful_yes"].get<int>(), 1);
  EXPECT_GE(stats["views"].get<int>(), 1);
}

TEST_F(KbApiTest, AnotherWorkspaceGets404) {
  auto [category_id, section_id] = Tree("Private", "非公開");
  Client mei = Mei();
  json article = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"status", "published"},
                                  {"translations", {{"en", {{"title", "Ours"}, {"body_md", "ours"}}}}}}),
                        201);
  const std::string id = std::to_string(article["id"].get<std::int64_t>());
  Client other = WithToken(other_token_);
  Expect(other.Get("/api/v1/kb/articles/" + id), 404);
  Expect(other.Patch("/api/v1/kb/articles/" + id, {{"version", 1}, {"status", "draft"}}), 404);
  Expect(other.Request("DELETE", "/api/v1/kb/articles/" + id), 404);
  Expect(other.Get("/api/v1/kb/articles/" + id + "/versions"), 404);
  Expect(other.Patch("/api/v1/kb/categories/" + std::to_string(category_id), {{"names", {{"en", "Mine"}}}}), 404);
  Expect(other.Request("DELETE", "/api/v1/kb/sections/" + std::to_string(section_id)), 404);
  EXPECT_EQ(Expect(other.Get("/api/v1/kb/articles"), 200)["articles"].size(), 0u);
  EXPECT_EQ(Expect(other.Get("/api/v1/kb/categories"), 200)["categories"].size(), 0u);
  // The other help centre does not show it either.
  Client reader = Reader();
  Expect(reader.Get("/api/v1/portal/kbother/kb/articles/" + id), 404);
  EXPECT_EQ(Expect(reader.Get("/api/v1/portal/kbother/kb"), 200)["categories"].size(), 0u);
  Expect(reader.Post("/api/v1/portal/kbother/kb/articles/" + id + "/feedback", {{"helpful", true}}), 404);
}

TEST_F(KbApiTest, RolesAgentsWriteAdminsDeleteGroups) {
  auto [category_id, section_id] = Tree("Roles", "権限");
  Client mei = Mei();
  // An agent may not delete a section or a category, even an empty one.
  Expect(mei.Request("DELETE", "/api/v1/kb/sections/" + std::to_string(section_id)), 403);
  Expect(mei.Request("DELETE", "/api/v1/kb/categories/" + std::to_string(category_id)), 403);
  json article = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"translations", {{"en", {{"title", "Temp"}, {"body_md", "x"}}}}}}),
                        201);
  Client admin = Admin();
  Expect(admin.Request("DELETE", "/api/v1/kb/sections/" + std::to_string(section_id)), 409);
  Expect(admin.Request("DELETE", "/api/v1/kb/categories/" + std::to_string(category_id)), 409);
  Expect(mei.Request("DELETE", "/api/v1/kb/articles/" + std::to_string(article["id"].get<std::int64_t>())), 204);
  Expect(admin.Request("DELETE", "/api/v1/kb/sections/" + std::to_string(section_id)), 204);
  Expect(admin.Request("DELETE", "/api/v1/kb/categories/" + std::to_string(category_id)), 204);
  Expect(mei.Get("/api/v1/kb/articles/" + std::to_string(article["id"].get<std::int64_t>())), 404);
}

TEST_F(KbApiTest, XssInAnArticleComesOutSafe) {
  auto [category_id, section_id] = Tree("Security", "セキュリティ");
  (void)category_id;
  const std::string body =
      "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) "
      "[b](JaVaScRiPt:alert(1)) [c](javascript&#58;alert(1)) <svg onload=alert(1)>\n\n"
      "| x |\n|---|\n| <script>alert(2)</script> |\n\n[ok](https://example.com)";
  Client mei = Mei();
  json article = Expect(mei.Post("/api/v1/kb/articles",
                                 {{"section_id", section_id},
                                  {"status", "published"},
                                  {"translations", {{"en", {{"title", "<script>alert(3)</script>"}, {"body_md", body}}}}}}),
                        201);
  auto check = [](const std::string& html) {
    EXPECT_EQ(html.find("<script"), std::string::npos) << html;
    EXPECT_EQ(html.find("onerror"), std::string::npos) << html;
    EXPECT_EQ(html.find("onload"), std::string::npos) << html;
    EXPECT_EQ(html.find("href=\"javascript"), std::string::npos) << html;
    EXPECT_EQ(html.find("<svg"), std::string::npos) << html;
    EXPECT_NE(html.find("<a href=\"https://example.com\" rel=\"nofollow noopener\">ok</a>"), std::string::npos)
        << html;
  };
  check(article["translations"]["en"]["body_html"]);
  json page = Expect(Reader().Get("/api/v1/portal/kbapi/kb/articles/" + std::to_string(article["id"].get<std::int64_t>())),
                     200);
  check(page["body_html"]);
  // The title is text: JSON carries it as given, for the page to escape.
  EXPECT_EQ(page["title"], "<script>alert(3)</script>");
  json preview = Expect(mei.Post("/api/v1/kb/preview", {{"body_md", body}}), 200);
  check(preview["body_html"]);
}

}  // namespace
}  // namespace kizuna::testing
