// The community (C22) through the API, on both backends: a thread with a question, answers,
// votes and an accepted and an official answer; moderation; the spam check; bans; the
// posting limit; XSS in posts; other workspaces; bad input naming the field.
#include <gtest/gtest.h>

#include "harness.h"
#include "outbox_peek.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

const std::string kPortal = "/api/v1/portal/shop/community";
const std::string kAgent = "/api/v1/community";

class CommunityApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    agent_ = Client(server_.port());
    other_agent_ = Client(server_.port());
    agent_.set_token(server_.CreateWorkspaceWithToken("shop", "owner@shop.test"));
    other_agent_.set_token(server_.CreateWorkspaceWithToken("other", "owner@other.test"));
    aiko_id_ = NewCustomer(agent_, "Aiko", "ja", "aiko@example.jp");
    minh_id_ = NewCustomer(agent_, "Minh", "vi", "minh@example.vn");
    jisoo_id_ = NewCustomer(agent_, "Jisoo", "ko", "jisoo@example.kr");
    aiko_ = SignedIn("shop", "aiko@example.jp");
    minh_ = SignedIn("shop", "minh@example.vn");
    jisoo_ = SignedIn("shop", "jisoo@example.kr");
  }

  std::int64_t NewCustomer(Client& agent, const std::string& name, const std::string& language,
                           const std::string& email) {
    auto made = agent.Post("/api/v1/customers", json{{"name", name},
                                                      {"language", language},
                                                      {"identities", json::array({{{"kind", "email"}, {"value", email}}})}});
    EXPECT_EQ(made.status, 201) << made.body;
    return made.Json().value("id", std::int64_t{0});
  }

  Client SignedIn(const std::string& workspace, const std::string& email) {
    Client customer(server_.port());
    auto sent = customer.Post("/api/v1/portal/" + workspace + "/sign-in-link", json{{"email", email}});
    EXPECT_EQ(sent.status, 202) << sent.body;
    std::string link = SignInTokenFor(server_, email);
    EXPECT_FALSE(link.empty());
    auto opened = customer.Post("/api/v1/portal/" + workspace + "/session", json{{"token", link}});
    EXPECT_EQ(opened.status, 200) << opened.body;
    std::string cookie = opened.Header("set-cookie");
    customer.set_cookie(cookie.substr(0, cookie.find(';')));
    customer.set_csrf(opened.Json().value("csrf_token", ""));
    return customer;
  }

  // A visible topic by Aiko; its id.
  std::int64_t AikoAsks(const std::string& title = "返品の送料は？",
                        const std::string& body = "商品を返品したいです。送料はかかりますか？") {
    auto asked = aiko_.Post(kPortal + "/topics", json{{"title", title}, {"body_md", body}});
    EXPECT_EQ(asked.status, 201) << asked.body;
    return asked.Json().value("id", std::int64_t{0});
  }
  std::int64_t Answer(Client& who, std::int64_t topic, const std::string& body) {
    auto answered = who.Post(kPortal + "/topics/" + std::to_string(topic) + "/posts", json{{"body_md", body}});
    EXPECT_EQ(answered.status, 201) << answered.body;
    return answered.Json().value("id", std::int64_t{0});
  }
  static std::string Topic(std::int64_t id) { return kPortal + "/topics/" + std::to_string(id); }
  static std::string Post(std::int64_t id) { return kPortal + "/posts/" + std::to_string(id); }

  KizunaProcess server_;
  Client agent_{0}, other_agent_{0};
  Client aiko_{0}, minh_{0}, jisoo_{0};
  std::int64_t aiko_id_ = 0, minh_id_ = 0, jisoo_id_ = 0;
};

TEST_F(CommunityApiTest, AThreadWithAnswersVotesAnAcceptedAndAnOfficialAnswer) {
  const std::int64_t topic = AikoAsks();
  const std::int64_t minh_post = Answer(minh_, topic, "Tôi nghĩ là **miễn phí**.");
  auto official = agent_.Post(kAgent + "/topics/" + std::to_string(topic) + "/posts",
                              json{{"body_md", "返品の送料は無料です。"}});
  ASSERT_EQ(official.status, 201) << official.body;
  EXPECT_EQ(official.Json()["official"], true);
  EXPECT_EQ(official.Json()["author"]["kind"], "agent");
  const std::int64_t official_post = official.Json()["id"].get<std::int64_t>();

  // Votes: one per customer (a second vote replaces the first), none on one's own post.
  auto vote = jisoo_.Post(Post(minh_post) + "/vote", json{{"value", 1}});
  ASSERT_EQ(vote.status, 200) << vote.body;
  EXPECT_EQ(vote.Json(), (json{{"votes", 1}, {"my_vote", 1}}));
  EXPECT_EQ(jisoo_.Post(Post(minh_post) + "/vote", json{{"value", 1}}).Json()["votes"], 1);
  EXPECT_EQ(aiko_.Post(Post(minh_post) + "/vote", json{{"value", 1}}).Json()["votes"], 2);
  EXPECT_EQ(jisoo_.Post(Post(official_post) + "/vote", json{{"value", -1}}).Json()["votes"], -1);
  EXPECT_EQ(minh_.Post(Post(minh_post) + "/vote", json{{"value", 1}}).status, 403);

  // Only the author accepts.
  EXPECT_EQ(minh_.Post(Topic(topic) + "/accept", json{{"post_id", minh_post}}).status, 403);
  auto accepted = aiko_.Post(Topic(topic) + "/accept", json{{"post_id", minh_post}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["accepted_post_id"], minh_post);

  auto thread = jisoo_.Get(Topic(topic));
  ASSERT_EQ(thread.status, 200) << thread.body;
  json t = thread.Json();
  EXPECT_EQ(t["title"], "返品の送料は？");
  EXPECT_EQ(t["locale"], "ja");
  EXPECT_EQ(t["answers"], 2);
  EXPECT_EQ(t["votes"], 1);
  EXPECT_EQ(t["official"], true);
  EXPECT_EQ(t["can_accept"], false);
  EXPECT_EQ(t["author"], (json{{"kind", "customer"}, {"id", aiko_id_}, {"name", "Aiko"}}));
  ASSERT_EQ(t["posts"].size(), 2u);
  EXPECT_EQ(t["posts"][0]["accepted"], true);
  EXPECT_EQ(t["posts"][0]["my_vote"], 1);
  EXPECT_NE(t["posts"][0]["body_html"].get<std::string>().find("<strong>miễn phí</strong>"), std::string::npos);
  EXPECT_EQ(t["posts"][1]["official"], true);
  EXPECT_EQ(t["posts"][1]["my_vote"], -1);
  EXPECT_EQ(aiko_.Get(Topic(topic)).Json()["can_accept"], true);

  // Anyone reads; the list is newest first, or by votes.
  Client visitor(server_.port());
  EXPECT_EQ(visitor.Get(Topic(topic)).status, 200);
  const std::int64_t second = AikoAsks("Another question", "Where is my invoice?");
  auto recent = visitor.Get(kPortal + "/topics");
  ASSERT_EQ(recent.status, 200) << recent.body;
  ASSERT_EQ(recent.Json()["topics"].size(), 2u);
  EXPECT_EQ(recent.Json()["topics"][0]["id"], second);
  EXPECT_EQ(visitor.Get(kPortal + "/topics?sort=votes").Json()["topics"][0]["id"], topic);
  auto page = visitor.Get(kPortal + "/topics?limit=1");
  EXPECT_EQ(page.Json()["next"], second);
  EXPECT_EQ(visitor.Get(kPortal + "/topics?limit=1&after=" + std::to_string(second)).Json()["topics"][0]["id"], topic);
  // Visitors cannot write.
  EXPECT_EQ(visitor.Post(kPortal + "/topics", json{{"title", "x"}, {"body_md", "y"}}).status, 401);
}

TEST_F(CommunityApiTest, HiddenPostsAndTopicsAreGoneForCustomersButNotForAgents) {
  const std::int64_t topic = AikoAsks();
  const std::int64_t rude = Answer(minh_, topic, "Figure it out yourself.");
  auto hidden = agent_.Patch(kAgent + "/posts/" + std::to_string(rude), json{{"status", "hidden"}});
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  EXPECT_EQ(hidden.Json()["status"], "hidden");
  EXPECT_TRUE(jisoo_.Get(Topic(topic)).Json()["posts"].empty());
  EXPECT_TRUE(minh_.Get(Topic(topic)).Json()["posts"].empty());
  EXPECT_EQ(jisoo_.Post(Post(rude) + "/vote", json{{"value", 1}}).status, 404);
  auto seen = agent_.Get(kAgent + "/topics/" + std::to_string(topic));
  ASSERT_EQ(seen.status, 200) << seen.body;
  ASSERT_EQ(seen.Json()["posts"].size(), 1u);
  EXPECT_EQ(seen.Json()["posts"][0]["status"], "hidden");

  auto stale = agent_.Patch(kAgent + "/topics/" + std::to_string(topic), json{{"status", "hidden"}, {"version", 99}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  ASSERT_EQ(agent_.Patch(kAgent + "/topics/" + std::to_string(topic), json{{"status", "hidden"}}).status, 200);
  EXPECT_EQ(jisoo_.Get(Topic(topic)).status, 404);
  EXPECT_EQ(aiko_.Get(Topic(topic)).status, 404);
  EXPECT_TRUE(jisoo_.Get(kPortal + "/topics").Json()["topics"].empty());
  EXPECT_EQ(jisoo_.Post(Topic(topic) + "/posts", json{{"body_md", "hello"}}).status, 404);
  auto hidden_list = agent_.Get(kAgent + "/topics?status=hidden");
  ASSERT_EQ(hidden_list.Json()["topics"].size(), 1u);
  EXPECT_EQ(hidden_list.Json()["topics"][0]["id"], topic);
  EXPECT_EQ(agent_.Get(kAgent + "/topics?status=visible").Json()["topics"].size(), 0u);

  ASSERT_EQ(agent_.Patch(kAgent + "/topics/" + std::to_string(topic), json{{"status", "visible"}}).status, 200);
  EXPECT_EQ(jisoo_.Get(Topic(topic)).status, 200);
}

TEST_F(CommunityApiTest, SpamFromANewCustomerWaitsForApprovalWithItsReason) {
  auto spam = minh_.Post(kPortal + "/topics", json{{"title", "Great deal"}, {"body_md", "Visit https://cheap.example"}});
  ASSERT_EQ(spam.status, 201) << spam.body;
  EXPECT_EQ(spam.Json()["status"], "pending");
  EXPECT_EQ(spam.Json()["pending_reason"], "links_new_user");
  EXPECT_FALSE(spam.Json()["pending_reason_text"].get<std::string>().empty());
  const std::int64_t topic = spam.Json()["id"].get<std::int64_t>();
  Client visitor(server_.port());
  EXPECT_EQ(visitor.Get(Topic(topic)).status, 404);
  EXPECT_EQ(jisoo_.Get(Topic(topic)).status, 404);
  EXPECT_EQ(minh_.Get(Topic(topic)).status, 200);
  EXPECT_EQ(minh_.Get(kPortal + "/topics").Json()["topics"].size(), 1u);
  EXPECT_EQ(jisoo_.Get(kPortal + "/topics").Json()["topics"].size(), 0u);

  auto queue = agent_.Get(kAgent + "/topics?status=pending");
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.Json()["topics"].size(), 1u);
  EXPECT_EQ(queue.Json()["topics"][0]["pending_reason"], "links_new_user");
  ASSERT_EQ(agent_.Patch(kAgent + "/topics/" + std::to_string(topic), json{{"status", "visible"}}).status, 200);
  EXPECT_EQ(visitor.Get(Topic(topic)).status, 200);

  // An answer held as pending reaches the queue through its topic.
  auto shout = jisoo_.Post(Topic(topic) + "/posts", json{{"body_md", "THIS IS NOT WORKING FOR ME AT ALL"}});
  ASSERT_EQ(shout.status, 201) << shout.body;
  EXPECT_EQ(shout.Json()["status"], "pending");
  EXPECT_EQ(shout.Json()["pending_reason"], "shouting");
  auto queued = agent_.Get(kAgent + "/topics?status=pending").Json()["topics"];
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0]["pending_posts"], 1);
  auto approve = agent_.Patch(kAgent + "/posts/" + std::to_string(shout.Json()["id"].get<std::int64_t>()),
                              json{{"status", "visible"}});
  ASSERT_EQ(approve.status, 200) << approve.body;
  EXPECT_EQ(visitor.Get(Topic(topic)).Json()["posts"].size(), 1u);
}

TEST_F(CommunityApiTest, BannedCustomersGet403) {
  const std::int64_t topic = AikoAsks();
  auto ban = agent_.Post(kAgent + "/bans", json{{"customer_id", minh_id_}, {"reason", "spam"}});
  ASSERT_EQ(ban.status, 201) << ban.body;
  auto refused = minh_.Post(kPortal + "/topics", json{{"title", "Hi"}, {"body_md", "Hello"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Json()["detail"], "you cannot post in this community");
  EXPECT_EQ(minh_.Post(Topic(topic) + "/posts", json{{"body_md", "Hello"}}).status, 403);
  auto bans = agent_.Get(kAgent + "/bans");
  ASSERT_EQ(bans.Json()["bans"].size(), 1u);
  EXPECT_EQ(bans.Json()["bans"][0]["customer_id"], minh_id_);
  EXPECT_EQ(bans.Json()["bans"][0]["customer_name"], "Minh");
  EXPECT_EQ(agent_.Request("DELETE", kAgent + "/bans/" + std::to_string(minh_id_)).status, 204);
  EXPECT_EQ(agent_.Request("DELETE", kAgent + "/bans/" + std::to_string(minh_id_)).status, 404);
  EXPECT_EQ(minh_.Post(Topic(topic) + "/posts", json{{"body_md", "Hello"}}).status, 201);
  EXPECT_EQ(agent_.Post(kAgent + "/bans", json{{"customer_id", 999999}}).Json()["field"], "customer_id");
}

TEST_F(CommunityApiTest, TheSixthWriteInTenMinutesGets429WithRetryAfter) {
  const std::int64_t topic = AikoAsks();
  for (int post_idx = 1; post_idx < 5; ++post_idx) Answer(aiko_, topic, "Update " + std::to_string(post_idx));
  auto limited = aiko_.Post(Topic(topic) + "/posts", json{{"body_md", "Update 5"}});
  ASSERT_EQ(limited.status, 429) << limited.body;
  const std::string retry = limited.Header("retry-after");
  ASSERT_FALSE(retry.empty());
  EXPECT_GT(std::stoi(retry), 0);
  EXPECT_LE(std::stoi(retry), 600);
  EXPECT_EQ(aiko_.Post(kPortal + "/topics", json{{"title", "More"}, {"body_md", "More"}}).status, 429);
  EXPECT_EQ(jisoo_.Post(Topic(topic) + "/posts", json{{"body_md", "Others may still write"}}).status, 201);
}

TEST_F(CommunityApiTest, ScriptsInPostsAreRenderedHarmless) {
  const std::string attack =
      "<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n<img src=x onerror=alert(3)>\n\n"
      "<a href=\"javascript:alert(4)\" onclick=\"alert(5)\">x</a> <iframe src=\"https://evil.example\"></iframe>";
  // The link holds both for a moderator (new customers); approved, they are shown to all.
  const std::int64_t topic = AikoAsks("<b>bold</b> title", attack);
  ASSERT_EQ(agent_.Patch(kAgent + "/topics/" + std::to_string(topic), json{{"status", "visible"}}).status, 200);
  const std::int64_t post = Answer(jisoo_, topic, attack);
  ASSERT_GT(post, 0);
  ASSERT_EQ(agent_.Patch(kAgent + "/posts/" + std::to_string(post), json{{"status", "visible"}}).status, 200);
  for (const auto& body : {aiko_.Get(Topic(topic)).Json(), agent_.Get(kAgent + "/topics/" + std::to_string(topic)).Json()}) {
    std::vector<std::string> html = {body["body_html"].get<std::string>(), body["posts"][0]["body_html"].get<std::string>()};
    for (const auto& h : html) {
      EXPECT_EQ(h.find("<script"), std::string::npos) << h;
      EXPECT_EQ(h.find("javascript:"), std::string::npos) << h;
      EXPECT_EQ(h.find("onerror"), std::string::npos) << h;
      EXPECT_EQ(h.find("onclick"), std::string::npos) << h;
      EXPECT_EQ(h.find("<iframe"), std::string::npos) << h;
      EXPECT_EQ(h.find("<img src=x"), std::string::npos) << h;
    }
    EXPECT_EQ(body["title"], "<b>bold</b> title");  // plain text: the web app escapes it
  }
}

TEST_F(CommunityApiTest, AnotherWorkspaceSeesAndWritesNothingHere) {
  const std::int64_t topic = AikoAsks();
  const std::int64_t post = Answer(minh_, topic, "An answer");
  NewCustomer(other_agent_, "Outsider", "en", "out@example.com");
  Client outsider = SignedIn("other", "out@example.com");
  // Their help centre does not show this workspace's topics.
  EXPECT_EQ(outsider.Get("/api/v1/portal/other/community/topics/" + std::to_string(topic)).status, 404);
  EXPECT_TRUE(outsider.Get("/api/v1/portal/other/community/topics").Json()["topics"].empty());
  EXPECT_EQ(outsider.Post("/api/v1/portal/other/community/topics/" + std::to_string(topic) + "/posts",
                          json{{"body_md", "hi"}}).status,
            404);
  EXPECT_EQ(outsider.Post("/api/v1/portal/other/community/posts/" + std::to_string(post) + "/vote",
                          json{{"value", 1}}).status,
            404);
  // Their session is not a session here.
  EXPECT_EQ(outsider.Post(Topic(topic) + "/posts", json{{"body_md", "hi"}}).status, 401);
  EXPECT_EQ(outsider.Post(Post(post) + "/vote", json{{"value", 1}}).status, 401);
  // Their agents neither.
  EXPECT_EQ(other_agent_.Get(kAgent + "/topics/" + std::to_string(topic)).status, 404);
  EXPECT_TRUE(other_agent_.Get(kAgent + "/topics").Json()["topics"].empty());
  EXPECT_EQ(other_agent_.Patch(kAgent + "/posts/" + std::to_string(post), json{{"status", "hidden"}}).status, 404);
  EXPECT_EQ(other_agent_.Post(kAgent + "/topics/" + std::to_string(topic) + "/posts", json{{"body_md", "x"}}).status,
            404);
  EXPECT_EQ(other_agent_.Post(kAgent + "/bans", json{{"customer_id", minh_id_}}).status, 400);
  // And a customer's pending topic is theirs alone.
  auto pending = jisoo_.Post(kPortal + "/topics", json{{"title", "Link"}, {"body_md", "www.example.com"}});
  ASSERT_EQ(pending.Json()["status"], "pending");
  EXPECT_EQ(aiko_.Get(Topic(pending.Json()["id"].get<std::int64_t>())).status, 404);
}

TEST_F(CommunityApiTest, AnAgentTurnsAThreadIntoADraftArticle) {
  const std::int64_t topic = AikoAsks();
  Answer(minh_, topic, "Tôi không biết.");
  auto official = agent_.Post(kAgent + "/topics/" + std::to_string(topic) + "/posts",
                              json{{"body_md", "マイページから無料で返品できます。"}});
  ASSERT_EQ(official.status, 201) << official.body;
  auto category = agent_.Post("/api/v1/kb/categories", json{{"names", {{"ja", "注文"}}}});
  ASSERT_EQ(category.status, 201) << category.body;
  auto section = agent_.Post("/api/v1/kb/sections",
                             json{{"category_id", category.Json()["id"]}, {"names", {{"ja", "返品"}}}});
  ASSERT_EQ(section.status, 201) << section.body;
  const std::string make = kAgent + "/topics/" + std::to_string(topic) + "/article";
  EXPECT_EQ(agent_.Post(make, json{{"section_id", 987654}}).Json().value("field", ""), "section_id");
  EXPECT_EQ(agent_.Post(kAgent + "/topics/987654/article", json{{"section_id", section.Json()["id"]}}).status, 404);
  auto made = agent_.Post(make, json{{"section_id", section.Json()["id"]}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::int64_t article_id = made.Json()["article_id"].get<std::int64_t>();
  EXPECT_EQ(agent_.Get(kAgent + "/topics/" + std::to_string(topic)).Json()["article_id"], article_id);
  auto article = agent_.Get("/api/v1/kb/articles/" + std::to_string(article_id));
  ASSERT_EQ(article.status, 200) << article.body;
  EXPECT_EQ(article.Json()["status"], "draft");
  EXPECT_EQ(article.Json()["source_topic_id"], topic);
  const json ja = article.Json()["translations"]["ja"];
  EXPECT_EQ(ja["title"], "返品の送料は？");
  const std::string body = ja["body_md"].get<std::string>();
  EXPECT_NE(body.find("送料はかかりますか？"), std::string::npos) << body;
  EXPECT_NE(body.find("マイページから無料で返品できます。"), std::string::npos) << body;
  EXPECT_EQ(body.find("Tôi không biết."), std::string::npos) << body;
  // Drafts are not in the help centre.
  Client visitor(server_.port());
  EXPECT_EQ(visitor.Get("/api/v1/portal/shop/kb/articles/" + std::to_string(article_id)).status, 404);
}

TEST_F(CommunityApiTest, BadInputIs400NamingTheField) {
  const std::int64_t topic = AikoAsks();
  const std::int64_t other_topic = AikoAsks("Second", "Second question");
  const std::int64_t other_post = Answer(jisoo_, other_topic, "An answer elsewhere");
  struct Case {
    std::string name;
    Client* who;
    std::string method;
    std::string path;
    std::string body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"empty title", &minh_, "POST", kPortal + "/topics", json{{"title", ""}, {"body_md", "x"}}.dump(), "title"},
      {"300-char title", &minh_, "POST", kPortal + "/topics",
       json{{"title", std::string(300, 'a')}, {"body_md", "x"}}.dump(), "title"},
      {"no body", &minh_, "POST", kPortal + "/topics", json{{"title", "t"}}.dump(), "body_md"},
      {"body over 50 KB", &minh_, "POST", kPortal + "/topics",
       json{{"title", "t"}, {"body_md", std::string(50 * 1024 + 1, 'a')}}.dump(), "body_md"},
      {"answer over 50 KB", &minh_, "POST", Topic(topic) + "/posts",
       json{{"body_md", std::string(50 * 1024 + 1, 'a')}}.dump(), "body_md"},
      {"bad locale", &minh_, "POST", kPortal + "/topics", json{{"title", "t"}, {"body_md", "b"}, {"locale", "fr"}}.dump(),
       "locale"},
      {"title not a string", &minh_, "POST", kPortal + "/topics", json{{"title", 5}, {"body_md", "b"}}.dump(), "title"},
      {"unknown field", &minh_, "POST", kPortal + "/topics",
       json{{"title", "t"}, {"body_md", "b"}, {"tags", "x"}}.dump(), "tags"},
      {"vote value 2", &minh_, "POST", Post(other_post) + "/vote", json{{"value", 2}}.dump(), "value"},
      {"vote without value", &minh_, "POST", Post(other_post) + "/vote", json::object().dump(), "value"},
      {"accept a post of another topic", &aiko_, "POST", Topic(topic) + "/accept",
       json{{"post_id", other_post}}.dump(), "post_id"},
      {"bad sort", &minh_, "GET", kPortal + "/topics?sort=best", "", "sort"},
      {"limit 0", &minh_, "GET", kPortal + "/topics?limit=0", "", "limit"},
      {"limit 1000", &agent_, "GET", kAgent + "/topics?limit=1000", "", "limit"},
      {"bad status filter", &agent_, "GET", kAgent + "/topics?status=gone", "", "status"},
      {"moderation status", &agent_, "PATCH", kAgent + "/topics/" + std::to_string(topic),
       json{{"status", "deleted"}}.dump(), "status"},
      {"moderation without status", &agent_, "PATCH", kAgent + "/posts/" + std::to_string(other_post),
       json::object().dump(), "status"},
      {"empty official answer", &agent_, "POST", kAgent + "/topics/" + std::to_string(topic) + "/posts",
       json{{"body_md", "  "}}.dump(), "body_md"},
      {"article without section", &agent_, "POST", kAgent + "/topics/" + std::to_string(topic) + "/article",
       json::object().dump(), "section_id"},
      {"ban without customer", &agent_, "POST", kAgent + "/bans", json{{"reason", "x"}}.dump(), "customer_id"},
  };
  for (const auto& c : cases) {
    auto answer = c.who->Request(c.method, c.path, c.body);
    EXPECT_EQ(answer.status, 400) << c.name << ": " << answer.body;
    EXPECT_EQ(answer.Json().value("field", ""), c.field) << c.name << ": " << answer.body;
  }
  EXPECT_EQ(minh_.Request("POST", kPortal + "/topics", "{not json").status, 400);
  // Writes need the session's CSRF token.
  minh_.set_csrf("wrong");
  EXPECT_EQ(minh_.Post(kPortal + "/topics", json{{"title", "t"}, {"body_md", "b"}}).status, 403);
}

}  // namespace
}  // namespace kizuna::testing
