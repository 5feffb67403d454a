// Search (C20) through the API: agents find tickets, customers and articles in four
// languages; customers find only what they may see; the index follows changes, survives its
// own loss, and bad searches are 400s.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness.h"
#include "outbox_peek.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

std::string Encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The kinds and ids of a search answer's results, e.g. "ticket:3".
std::vector<std::string> Found(const json& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(r["kind"].get<std::string>() + ":" + std::to_string(r["id"].get<int>()));
  return out;
}

bool Has(const std::vector<std::string>& found, const std::string& what) {
  return std::find(found.begin(), found.end(), what) != found.end();
}

class SearchApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    token_ = server_.CreateWorkspaceWithToken("shop", "owner@shop.test");
    other_token_ = server_.CreateWorkspaceWithToken("other", "owner@other.test");
    agent_ = Client(server_.port());
    agent_.set_token(token_);
  }

  // Searches until `pred` holds for the results (the index follows commits within moments).
  json SearchUntil(const Client& client, const std::string& target, const std::function<bool(const json&)>& pred,
                   const char* key = "results") {
    json last;
    for (int i = 0; i < 100; ++i) {
      auto answer = client.Get(target);
      EXPECT_EQ(answer.status, 200) << target << " " << answer.body;
      if (answer.status != 200) return json();
      last = answer.Json()[key];
      if (pred(last)) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "never found what was expected for " << target << ": " << last.dump();
    return last;
  }

  int CreateTicket(const std::string& subject, const std::string& body, const std::string& email) {
    auto created = agent_.Post("/api/v1/tickets", json{{"subject", subject},
                                                     {"body", body},
                                                     {"requester", {{"email", email}, {"name", email.substr(0, email.find('@'))}}}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json().value("id", 0);
  }

  Client SignedIn(const std::string& email) {
    Client customer(server_.port());
    EXPECT_EQ(customer.Post("/api/v1/portal/shop/sign-in-link", json{{"email", email}}).status, 202);
    auto opened = customer.Post("/api/v1/portal/shop/session", json{{"token", SignInTokenFor(server_, email)}});
    EXPECT_EQ(opened.status, 200) << opened.body;
    std::string cookie = opened.Header("set-cookie");
    customer.set_cookie(cookie.substr(0, cookie.find(';')));
    customer.set_csrf(opened.Json().value("csrf_token", ""));
    return customer;
  }

  KizunaProcess server_;
  std::string token_;
  std::string other_token_;
  Client agent_{0};
};

TEST_F(SearchApiTest, AgentsFindTicketsAndCustomersInEveryLanguage) {
  int ja = CreateTicket("返金について", "注文した靴の返金をお願いします。", "yuki@example.jp");
  int ko = CreateTicket("배송 문의", "주문한 가방의 환불을 요청합니다.", "minji@example.kr");
  int vi = CreateTicket("Hoàn tiền đơn hàng", "Tôi muốn được hoàn tiền cho đôi giày.", "mai@example.vn");
  int en = CreateTicket("Replies never arrive", "I replied twice but nobody answered.", "sam@example.com");

  auto has = [](std::string what) { return [what](const json& r) { return Has(Found(r), what); }; };
  SearchUntil(agent_, "/api/v1/search?q=" + Encode("返金"), has("ticket:" + std::to_string(ja)));
  SearchUntil(agent_, "/api/v1/search?q=" + Encode("환불"), has("ticket:" + std::to_string(ko)));
  SearchUntil(agent_, "/api/v1/search?q=" + Encode("hoan tien"), has("ticket:" + std::to_string(vi)));
  SearchUntil(agent_, "/api/v1/search?q=" + Encode("hoàn tiền"), has("ticket:" + std::to_string(vi)));
  auto english = SearchUntil(agent_, "/api/v1/search?q=reply", has("ticket:" + std::to_string(en)));
  // Tickets carry their number and status; titles come with highlighted segments.
  for (const auto& r : english) {
    if (r["kind"] != "ticket") continue;
    EXPECT_TRUE(r.contains("number"));
    EXPECT_EQ(r["status"], "new");
    EXPECT_TRUE(r["title_segments"].is_array());
    EXPECT_TRUE(r["snippet"].is_array());
  }
  // Customers by name and by an identity; kinds narrow the search.
  auto customers = SearchUntil(agent_, "/api/v1/search?kinds=customer&q=" + Encode("yuki@example.jp"),
                               [](const json& r) { return !r.empty(); });
  for (const auto& r : customers) EXPECT_EQ(r["kind"], "customer");

  // Another workspace finds none of it.
  Client other(server_.port());
  other.set_token(other_token_);
  auto none = other.Get("/api/v1/search?q=" + Encode("返金"));
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(none.Json()["results"].empty()) << none.body;
}

TEST_F(SearchApiTest, CustomersFindOnlyTheirOwnRequestsAndNeverNotes) {
  int mine = CreateTicket("Broken zipper", "The zipper of my backpack broke.", "ana@example.com");
  int theirs = CreateTicket("Zipper stuck", "My zipper is stuck.", "ben@example.com");
  ASSERT_EQ(agent_.Post("/api/v1/tickets/" + std::to_string(mine) + "/messages",
                        json{{"kind", "note"}, {"body", "confidential warehouse shortage"}})
                .status,
            201);
  // The agent finds both, and the note.
  SearchUntil(agent_, "/api/v1/search?q=zipper", [&](const json& r) {
    return Has(Found(r), "ticket:" + std::to_string(mine)) && Has(Found(r), "ticket:" + std::to_string(theirs));
  });
  SearchUntil(agent_, "/api/v1/search?q=warehouse", [&](const json& r) { return Has(Found(r), "ticket:" + std::to_string(mine)); });

  Client ana = SignedIn("ana@example.com");
  auto found = SearchUntil(ana, "/api/v1/portal/shop/search?q=zipper",
                           [&](const json& r) { return Has(Found(r), "ticket:" + std::to_string(mine)); });
  EXPECT_FALSE(Has(Found(found), "ticket:" + std::to_string(theirs)));
  for (const auto& r : found) EXPECT_NE(r["kind"], "customer");
  auto note = ana.Get("/api/v1/portal/shop/search?q=warehouse");
  ASSERT_EQ(note.status, 200);
  EXPECT_TRUE(note.Json()["results"].empty()) << note.body;

  // Signed out: no tickets at all.
  Client visitor(server_.port());
  auto anonymous = visitor.Get("/api/v1/portal/shop/search?q=zipper");
  ASSERT_EQ(anonymous.status, 200);
  for (const auto& r : anonymous.Json()["results"]) EXPECT_NE(r["kind"], "ticket");
  // Customers cannot ask for customers.
  EXPECT_EQ(visitor.Get("/api/v1/portal/shop/search?kinds=customer&q=ana").status, 400);
}

TEST_F(SearchApiTest, TheIndexFollowsChangesAndIsRebuiltWhenLost) {
  int id = CreateTicket("Invoice missing", "Where is my invoice?", "kim@example.com");
  const std::string ticket = "ticket:" + std::to_string(id);
  SearchUntil(agent_, "/api/v1/search?q=invoice", [&](const json& r) { return Has(Found(r), ticket); });
  auto renamed = agent_.Patch("/api/v1/tickets/" + std::to_string(id), json{{"subject", "Receipt missing"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  SearchUntil(agent_, "/api/v1/search?q=receipt", [&](const json& r) { return Has(Found(r), ticket); });

  // Lose the index: the next start rebuilds it from the store.
  ASSERT_EQ(server_.Stop(), 0);
  for (const auto& entry : std::filesystem::directory_iterator(server_.data_dir())) {
    if (entry.path().filename().string().starts_with("search.db")) std::filesystem::remove(entry.path());
  }
  server_.Start();
  Client again(server_.port());
  again.set_token(token_);
  SearchUntil(again, "/api/v1/search?q=receipt", [&](const json& r) { return Has(Found(r), ticket); });

  // And the command rebuilds it on demand, saying how far it got.
  ASSERT_EQ(server_.Stop(), 0);
  auto rebuilt = server_.Cli({"search-reindex"});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.out << rebuilt.err;
  EXPECT_NE(rebuilt.out.find("tickets"), std::string::npos) << rebuilt.out;
  server_.Start();
  Client third(server_.port());
  third.set_token(token_);
  SearchUntil(third, "/api/v1/search?q=receipt", [&](const json& r) { return Has(Found(r), ticket); });
}

TEST_F(SearchApiTest, PublishedArticlesAreFoundAndSuggestedDraftsOnlyByAgents) {
  auto category = agent_.Post("/api/v1/kb/categories", json{{"names", {{"en", "Orders"}}}});
  ASSERT_EQ(category.status, 201) << category.body;
  auto section = agent_.Post("/api/v1/kb/sections",
                             json{{"category_id", category.Json()["id"]}, {"names", {{"en", "Refunds"}}}});
  ASSERT_EQ(section.status, 201) << section.body;
  auto published = agent_.Post(
      "/api/v1/kb/articles",
      json{{"section_id", section.Json()["id"]},
           {"status", "published"},
           {"translations",
            {{"en", {{"title", "How refunds work"}, {"body_md", "We refund a returned order within **5 days**."}}},
             {"ja", {{"title", "返金について"}, {"body_md", "返品された注文は5日以内に返金します。"}}}}}});
  ASSERT_EQ(published.status, 201) << published.body;
  auto draft = agent_.Post("/api/v1/kb/articles",
                           json{{"section_id", section.Json()["id"]},
                                {"translations", {{"en", {{"title", "Refund secrets draft"}, {"body_md", "Not yet."}}}}}});
  ASSERT_EQ(draft.status, 201) << draft.body;
  const std::string article = "article:" + std::to_string(published.Json()["id"].get<int>());
  const std::string hidden = "article:" + std::to_string(draft.Json()["id"].get<int>());

  // Agents find drafts too; customers only what is published, in their language first.
  SearchUntil(agent_, "/api/v1/search?kinds=article&q=refund",
              [&](const json& r) { return Has(Found(r), article) && Has(Found(r), hidden); });
  Client visitor(server_.port());
  auto ja = SearchUntil(visitor, "/api/v1/portal/shop/search?locale=ja&q=" + Encode("返金"),
                        [&](const json& r) { return Has(Found(r), article); });
  EXPECT_EQ(ja[0]["locale"], "ja");
  EXPECT_EQ(ja[0]["url"], "/help/shop/articles/" + std::to_string(published.Json()["id"].get<int>()) + "?locale=ja");
  auto en = visitor.Get("/api/v1/portal/shop/search?q=refund").Json()["results"];
  EXPECT_FALSE(Has(Found(en), hidden)) << en.dump();

  // Suggestions while typing take any word of a sentence, and are counted.
  auto suggested = SearchUntil(visitor, "/api/v1/portal/shop/suggest?q=" + Encode("I want a refund for my order please"),
                               [&](const json& r) { return Has(Found(r), article); }, "articles");
  EXPECT_FALSE(Has(Found(suggested), hidden));
  bool counted = false;
  for (int i = 0; i < 50 && !counted; ++i) {
    counted = agent_.Get("/api/v1/kb/stats").Json().value("suggestions_shown", 0) > 0;
    if (!counted) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(counted);

  // Beside a ticket: the articles that may answer it, with the address to send.
  int ticket = CreateTicket("Refund for my returned order", "I returned the shoes last week.", "pat@example.com");
  auto beside = SearchUntil(agent_, "/api/v1/tickets/" + std::to_string(ticket) + "/suggested-articles",
                            [&](const json& r) { return Has(Found(r), article); }, "articles");
  EXPECT_FALSE(Has(Found(beside), hidden));
  EXPECT_TRUE(beside[0]["url"].get<std::string>().starts_with("/help/shop/articles/"));

  // Unpublished, it leaves the help centre's search.
  auto unpublish = agent_.Patch("/api/v1/kb/articles/" + std::to_string(published.Json()["id"].get<int>()),
                                json{{"version", published.Json()["version"]}, {"status", "draft"}});
  ASSERT_EQ(unpublish.status, 200) << unpublish.body;
  SearchUntil(visitor, "/api/v1/portal/shop/search?q=refund", [&](const json& r) { return !Has(Found(r), article); });
}

TEST_F(SearchApiTest, CommunityTopicsAreFoundWhileVisible) {
  CreateTicket("Hello", "Just saying hello", "quinn@example.com");
  Client quinn = SignedIn("quinn@example.com");
  auto topic = quinn.Post("/api/v1/portal/shop/community/topics",
                          json{{"title", "Router keeps restarting"}, {"body_md", "My router restarts every night."}});
  ASSERT_EQ(topic.status, 201) << topic.body;
  const int id = topic.Json()["id"].get<int>();
  const std::string found = "topic:" + std::to_string(id);
  Client visitor(server_.port());
  auto results = SearchUntil(visitor, "/api/v1/portal/shop/search?q=router",
                             [&](const json& r) { return Has(Found(r), found); });
  EXPECT_EQ(results[0]["url"], "/help/shop/community/" + std::to_string(id));
  // Hidden by a moderator: agents still find it, customers no longer.
  auto hidden = agent_.Patch("/api/v1/community/topics/" + std::to_string(id), json{{"status", "hidden"}});
  ASSERT_EQ(hidden.status, 200) << hidden.body;
  SearchUntil(visitor, "/api/v1/portal/shop/search?q=router", [&](const json& r) { return !Has(Found(r), found); });
  SearchUntil(agent_, "/api/v1/search?q=router", [&](const json& r) { return Has(Found(r), found); });
}

TEST_F(SearchApiTest, BadSearchesAreClearErrors) {
  auto too_long = agent_.Get("/api/v1/search?q=" + std::string(1001, 'a'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_NE(too_long.body.find("\"q\""), std::string::npos) << too_long.body;
  EXPECT_EQ(agent_.Get("/api/v1/search?q=a&kinds=bogus").status, 400);
  EXPECT_EQ(agent_.Get("/api/v1/search?q=a&limit=0").status, 400);
  EXPECT_EQ(agent_.Get("/api/v1/search?q=a&limit=51").status, 400);
  EXPECT_EQ(agent_.Get("/api/v1/search?q=%FF%FE").status, 400);
  // Query syntax of the index is just text here.
  for (const char* q : {"%22", "AND", "OR%20NOT", "NEAR(", "title%3Ax", "*", "%5E", "a%22b%22c", "%E2%9C%85", "()"}) {
    auto answer = agent_.Get(std::string("/api/v1/search?q=") + q);
    EXPECT_EQ(answer.status, 200) << q << " " << answer.body;
  }
  auto empty = agent_.Get("/api/v1/search?q=");
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.Json()["results"].empty());
  EXPECT_EQ(agent_.Get("/api/v1/tickets/999999/suggested-articles").status, 404);
  Client visitor(server_.port());
  EXPECT_EQ(visitor.Get("/api/v1/portal/nosuch/search?q=a").status, 404);
  EXPECT_EQ(visitor.Get("/api/v1/search?q=a").status, 401);
}

}  // namespace
}  // namespace kizuna::testing
