// Workspace isolation: with workspace A's credentials nothing of workspace B can
// be read, changed, referenced or even confirmed to exist, through any route of
// the router. The routes come from api::BuildRouter(), so a new route without a
// case here makes these tests fail.
#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/router.h"
#include "harness.h"
#include "outbox_peek.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

// In every name, subject and address of workspace B, and in none of A's.
constexpr const char* kMarkerOfB = "bravo";
// An id no resource has.
constexpr int kMissingId = 987654321;

int IdOf(const HttpResult& res) { return res.Json().value("id", 0); }

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += "\n  " + item;
  return out;
}

// The route's pattern with {id} replaced, or nullopt when the pattern has no {id}.
std::optional<std::string> WithId(const std::string& pattern, int id) {
  auto open = pattern.find("{id}");
  if (open == std::string::npos) return std::nullopt;
  return pattern.substr(0, open) + std::to_string(id) + pattern.substr(open + 4);
}

// The collection a parameterised pattern addresses: "tickets" for
// /api/v1/tickets/{id}/messages. Empty when the pattern has any parameter but
// a single {id}.
std::string CollectionOf(const std::string& pattern) {
  auto open = pattern.find('{');
  if (open == std::string::npos || pattern.compare(open, 4, "{id}") != 0) return "";
  if (pattern.find('{', open + 1) != std::string::npos) return "";
  std::string before = pattern.substr(0, open - 1);
  return before.substr(before.rfind('/') + 1);
}

// What workspace B holds, as B sees it before A does anything.
struct WorkspaceB {
  int workspace_id = 0;
  int admin_id = 0;
  int agent_id = 0;
  std::string agent_email;
  int team_id = 0;
  std::string team_name;
  int organisation_id = 0;
  std::string organisation_name;
  int customer_id = 0;
  std::string customer_email;
  int requester_id = 0;
  int ticket_id = 0;
  json ticket;
  std::size_t messages = 0;
  std::size_t events = 0;
  json customer;
  int token_id = 0;
  int attachment_id = 0;
  int mailbox_id = 0;
  int calendar_id = 0;
  int policy_id = 0;
  int standard_id = 0;  // service standards (C3)
  int kb_category_id = 0;  // knowledge base (C20)
  int kb_section_id = 0;
  int kb_article_id = 0;
  int community_topic_id = 0;  // community (C22): a topic of B's customer, B's official answer
  int community_post_id = 0;
  std::string pending_upload_token;  // uploaded by B, not sent
  std::string token_secret;
  std::set<int> all_token_ids;
  std::string time_zone;
};

class IsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    token_a_ = server_.CreateWorkspaceWithToken("alpha", "admin@alpha.test");
    token_b_ = server_.CreateWorkspaceWithToken("bravo", "admin@bravo.test");
    Client a = A();
    Client b = B();

    b_.workspace_id = b.Get("/api/v1/workspace").Json()["id"].get<int>();
    b_.time_zone = b.Get("/api/v1/workspace").Json()["time_zone"].get<std::string>();
    b_.admin_id = b.Get("/api/v1/auth/session").Json()["agent"]["id"].get<int>();
    b_.agent_email = "agent@bravo.test";
    b_.agent_id = IdOf(Created(b, "/api/v1/agents", {{"email", b_.agent_email}, {"name", "Bravo Agent"},
                                                     {"role", "agent"}, {"password", "bravo-password-1"}}));
    b_.team_name = "bravo-team";
    b_.team_id = IdOf(Created(b, "/api/v1/teams", {{"name", b_.team_name}}));
    b_.organisation_name = "Bravo Trading";
    b_.organisation_id =
        IdOf(Created(b, "/api/v1/organisations", {{"name", b_.organisation_name}, {"domain", "bravo.test"}}));
    b_.customer_email = "person@bravo.test";
    b_.customer_id = IdOf(Created(b, "/api/v1/customers",
                                  {{"name", "Bravo Person"},
                                   {"organisation_id", b_.organisation_id},
                                   {"identities", {{{"kind", "email"}, {"value", b_.customer_email}}}}}));
    auto ticket = Created(b, "/api/v1/tickets",
                          {{"subject", "bravo ticket"},
                           {"body", "bravo first message"},
                           {"assignee_id", b_.agent_id},
                           {"team_id", b_.team_id},
                           {"tags", {"bravo-tag"}},
                           {"requester", {{"name", "Bravo Requester"}, {"email", "requester@bravo.test"}}}});
    b_.ticket_id = IdOf(ticket);
    b_.requester_id = ticket.Json()["requester_id"].get<int>();
    auto upload = b.Request("POST", "/api/v1/attachments?name=bravo.txt", "bravo file", {{"Content-Type", "text/plain"}});
    ASSERT_EQ(upload.status, 201) << upload.body;
    b_.attachment_id = IdOf(upload);
    b_.mailbox_id = IdOf(Created(b, "/api/v1/mailboxes", {{"address", "help@bravo.test"}, {"display_name", "Bravo"}}));
    b_.calendar_id = IdOf(Created(b, "/api/v1/calendars",
                                  {{"name", "bravo hours"},
                                   {"time_zone", "Asia/Seoul"},
                                   {"hours", {{"mon", {{{"start", "09:00"}, {"end", "18:00"}}}}}}}));
    b_.policy_id = IdOf(Created(b, "/api/v1/sla/policies",
                                {{"name", "bravo policy"},
                                 {"calendar_id", b_.calendar_id},
                                 {"conditions", {{"team_ids", {b_.team_id}}}},
                                 {"targets", {{{"metric", "first_reply"}, {"minutes", 60}}}}}));
    // Service standards (C3): B's, counted in B's calendar.
    b_.standard_id = IdOf(Created(b, "/api/v1/service-standards",
                                  {{"name", "bravo standard"},
                                   {"metric", "first_reply"},
                                   {"target_seconds", 60},
                                   {"calendar_id", b_.calendar_id}}));
    // Knowledge base (C20): B's category, section and published article.
    b_.kb_category_id = IdOf(Created(b, "/api/v1/kb/categories", {{"names", {{"en", "bravo category"}}}}));
    b_.kb_section_id = IdOf(Created(b, "/api/v1/kb/sections",
                                    {{"category_id", b_.kb_category_id}, {"names", {{"en", "bravo section"}}}}));
    b_.kb_article_id = IdOf(Created(b, "/api/v1/kb/articles",
                                    {{"section_id", b_.kb_section_id},
                                     {"status", "published"},
                                     {"translations", {{"en", {{"title", "bravo article"}, {"body_md", "bravo"}}}}}}));
    // Community (C22): B's customer asks in B's help centre, B answers officially, then bans them.
    {
      Client asker(server_.port());
      ASSERT_EQ(asker.Post("/api/v1/portal/bravo/sign-in-link", {{"email", b_.customer_email}}).status, 202);
      auto opened = asker.Post("/api/v1/portal/bravo/session", {{"token", SignInTokenFor(server_, b_.customer_email)}});
      ASSERT_EQ(opened.status, 200) << opened.body;
      const std::string cookie = opened.Header("set-cookie");
      asker.set_cookie(cookie.substr(0, cookie.find(';')));
      asker.set_csrf(opened.Json().value("csrf_token", ""));
      b_.community_topic_id = IdOf(Created(asker, "/api/v1/portal/bravo/community/topics",
                                           {{"title", "bravo question"}, {"body_md", "bravo body"}}));
      b_.community_post_id = IdOf(Created(b, "/api/v1/community/topics/" + std::to_string(b_.community_topic_id) +
                                                 "/posts",
                                          {{"body_md", "bravo answer"}}));
      Created(b, "/api/v1/community/bans", {{"customer_id", b_.customer_id}, {"reason", "bravo ban"}});
    }
    auto pending = b.Request("POST", "/api/v1/attachments?name=later.txt", "later", {{"Content-Type", "text/plain"}});
    ASSERT_EQ(pending.status, 201) << pending.body;
    b_.pending_upload_token = pending.Json()["token"].get<std::string>();
    Created(b, "/api/v1/tickets/" + std::to_string(b_.ticket_id) + "/messages",
            {{"body", "bravo reply"}, {"attachments", {upload.Json()["token"]}}});
    auto token = Created(b, "/api/v1/tokens", {{"name", "bravo-token"}, {"scopes", {"tickets:read"}}});
    b_.token_id = IdOf(token);
    b_.token_secret = token.Json()["token"].get<std::string>();
    const json tokens = b.Get("/api/v1/tokens").Json()["tokens"];
    for (const auto& t : tokens) b_.all_token_ids.insert(t["id"].get<int>());
    SnapshotB();

    // A has a little of its own, named without the marker.
    auto own = Created(a, "/api/v1/tickets",
                       {{"subject", "alpha ticket"},
                        {"body", "alpha message"},
                        {"requester", {{"name", "Alpha Requester"}, {"email", "cust@alpha.test"}}}});
    a_ticket_id_ = IdOf(own);
    a_customer_id_ = own.Json()["requester_id"].get<int>();
    a_workspace_id_ = a.Get("/api/v1/workspace").Json()["id"].get<int>();
    a_team_id_ = IdOf(Created(a, "/api/v1/teams", {{"name", "alpha-team"}}));
    Created(a, "/api/v1/organisations", {{"name", "Alpha Org"}});
    a_standard_id_ = IdOf(Created(a, "/api/v1/service-standards",
                                  {{"name", "alpha standard"}, {"metric", "first_reply"}, {"target_seconds", 60}}));
  }

  Client A() const {
    Client client(server_.port());
    client.set_token(token_a_);
    return client;
  }
  Client B() const {
    Client client(server_.port());
    client.set_token(token_b_);
    return client;
  }

  HttpResult Created(const Client& client, const std::string& target, const json& body) {
    HttpResult res = client.Post(target, body);
    EXPECT_EQ(res.status, 201) << target << ": " << res.body;
    return res;
  }

  void SnapshotB() {
    Client b = B();
    const std::string ticket = "/api/v1/tickets/" + std::to_string(b_.ticket_id);
    b_.ticket = b.Get(ticket).Json();
    b_.messages = b.Get(ticket + "/messages").Json()["messages"].size();
    b_.events = b.Get(ticket + "/events").Json()["events"].size();
    b_.customer = b.Get("/api/v1/customers/" + std::to_string(b_.customer_id)).Json();
    ASSERT_EQ(b_.messages, 2u);
    ASSERT_EQ(b_.ticket["status"], "open");
  }

  // B, through B's own eyes, is exactly as it was before A's attempts.
  void ExpectBUnchanged() {
    SCOPED_TRACE("workspace B after A's attempts");
    Client b = B();
    const std::string ticket = "/api/v1/tickets/" + std::to_string(b_.ticket_id);
    auto now = b.Get(ticket);
    ASSERT_EQ(now.status, 200) << now.body;
    EXPECT_EQ(now.Json()["version"], b_.ticket["version"]);
    EXPECT_EQ(now.Json()["status"], b_.ticket["status"]);
    EXPECT_EQ(now.Json()["assignee_id"], b_.ticket["assignee_id"]);
    EXPECT_EQ(now.Json()["team_id"], b_.ticket["team_id"]);
    EXPECT_EQ(now.Json()["requester_id"], b_.requester_id);
    EXPECT_EQ(now.Json()["updated_at"], b_.ticket["updated_at"]);
    EXPECT_EQ(b.Get(ticket + "/messages").Json()["messages"].size(), b_.messages);
    EXPECT_EQ(b.Get(ticket + "/events").Json()["events"].size(), b_.events);
    auto customer = b.Get("/api/v1/customers/" + std::to_string(b_.customer_id));
    ASSERT_EQ(customer.status, 200) << customer.body;
    EXPECT_EQ(customer.Json()["version"], b_.customer["version"]);
    EXPECT_EQ(customer.Json()["name"], b_.customer["name"]);
    EXPECT_TRUE(customer.Json()["merged_into"].is_null());
    EXPECT_EQ(customer.Json()["identities"], b_.customer["identities"]);
    auto requester = b.Get("/api/v1/customers/" + std::to_string(b_.requester_id));
    EXPECT_TRUE(requester.Json()["merged_into"].is_null()) << requester.body;
    EXPECT_EQ(b.Get("/api/v1/teams/" + std::to_string(b_.team_id)).Json()["name"], b_.team_name);
    EXPECT_EQ(b.Get("/api/v1/organisations/" + std::to_string(b_.organisation_id)).Json()["name"],
              b_.organisation_name);
    auto agent = b.Get("/api/v1/agents/" + std::to_string(b_.agent_id)).Json();
    EXPECT_EQ(agent["email"], b_.agent_email);
    EXPECT_EQ(agent["active"], true);
    EXPECT_EQ(b.Get("/api/v1/workspace").Json()["time_zone"], b_.time_zone);
    auto topic = b.Get("/api/v1/community/topics/" + std::to_string(b_.community_topic_id));
    ASSERT_EQ(topic.status, 200) << topic.body;
    EXPECT_EQ(topic.Json()["status"], "visible");
    EXPECT_EQ(topic.Json()["version"], 1);
    EXPECT_EQ(topic.Json()["posts"][0]["status"], "visible");
    EXPECT_EQ(b.Get("/api/v1/community/bans").Json()["bans"].size(), 1u);
    auto policy = b.Get("/api/v1/sla/policies/" + std::to_string(b_.policy_id));
    ASSERT_EQ(policy.status, 200) << policy.body;
    EXPECT_EQ(policy.Json()["name"], "bravo policy");
    EXPECT_EQ(policy.Json()["version"], 1);
    auto calendar = b.Get("/api/v1/calendars/" + std::to_string(b_.calendar_id));
    ASSERT_EQ(calendar.status, 200) << calendar.body;
    EXPECT_EQ(calendar.Json()["name"], "bravo hours");
    EXPECT_EQ(calendar.Json()["version"], 1);
    auto standard = b.Get("/api/v1/service-standards/" + std::to_string(b_.standard_id));
    ASSERT_EQ(standard.status, 200) << standard.body;
    EXPECT_EQ(standard.Json()["name"], "bravo standard");
    EXPECT_EQ(standard.Json()["version"], 1);
    auto article = b.Get("/api/v1/kb/articles/" + std::to_string(b_.kb_article_id));
    ASSERT_EQ(article.status, 200) << article.body;
    EXPECT_EQ(article.Json()["version"], 1);
    EXPECT_EQ(article.Json()["status"], "published");
    EXPECT_EQ(b.Get("/api/v1/kb/categories").Json()["categories"][0]["sections"].size(), 1u);
    EXPECT_EQ(b.Get("/api/v1/customers?limit=100").Json()["customers"].size(), 2u);
    EXPECT_EQ(b.Get("/api/v1/tickets?limit=100").Json()["tickets"].size(), 1u);
    const json tokens = b.Get("/api/v1/tokens").Json()["tokens"];
    for (const auto& t : tokens) {
      if (t["id"] == b_.token_id) {
        EXPECT_TRUE(t["revoked_at"].is_null()) << t.dump();
      }
    }
    Client with_b_token(server_.port());
    with_b_token.set_token(b_.token_secret);
    EXPECT_EQ(with_b_token.Get("/api/v1/tickets").status, 200) << "B's API token stopped working";
  }

  KizunaProcess server_;
  std::string token_a_;
  std::string token_b_;
  WorkspaceB b_;
  int a_ticket_id_ = 0;
  int a_customer_id_ = 0;
  int a_workspace_id_ = 0;
  int a_standard_id_ = 0;
  int a_team_id_ = 0;  // routing (C4)
};

// A plausible body for a write to `pattern`, so that the request passes
// validation and reaches the lookup of the resource.
std::string PlausibleBody(const std::string& method, const std::string& pattern, int a_customer_id) {
  if (method != "POST" && method != "PATCH") return "";
  if (pattern.ends_with("/merge")) return json{{"into_id", a_customer_id}}.dump();
  if (pattern.ends_with("/messages")) return json{{"body", "x"}}.dump();
  if (pattern == "/api/v1/tickets/{id}") return json{{"status", "solved"}}.dump();
  if (pattern.starts_with("/api/v1/mailboxes/")) return json{{"display_name", "x"}}.dump();
  if (pattern.starts_with("/api/v1/kb/articles/")) return json{{"version", 1}, {"status", "draft"}}.dump();
  if (pattern.starts_with("/api/v1/kb/")) return json{{"names", {{"en", "x"}}}}.dump();
  if (pattern.ends_with("/posts")) return json{{"body_md", "x"}}.dump();
  if (pattern.ends_with("/article")) return json{{"section_id", 1}}.dump();
  if (pattern.starts_with("/api/v1/community/")) return json{{"status", "hidden"}}.dump();
  return json{{"name", "x"}}.dump();
}

TEST_F(IsolationTest, EveryRouteWithAnIdAnswers404ForAnotherWorkspacesResource) {
  const api::Router router = api::BuildRouter();
  const std::map<std::string, int> ids_of_b = {
      {"tickets", b_.ticket_id}, {"customers", b_.customer_id}, {"teams", b_.team_id},
      {"organisations", b_.organisation_id}, {"agents", b_.agent_id}, {"tokens", b_.token_id},
      {"attachments", b_.attachment_id}, {"mailboxes", b_.mailbox_id},
      {"calendars", b_.calendar_id}, {"policies", b_.policy_id},
      {"service-standards", b_.standard_id},
      {"categories", b_.kb_category_id}, {"sections", b_.kb_section_id}, {"articles", b_.kb_article_id},
      {"topics", b_.community_topic_id}, {"posts", b_.community_post_id}, {"bans", b_.customer_id},
  };
  Client a = A();
  int id_routes = 0;
  int walked = 0;
  std::vector<std::string> uncovered;
  for (const auto& route : router.routes()) {
    if (route.pattern.find('{') == std::string::npos) continue;
    // Help-centre routes are addressed by workspace name and request number, and
    // checked customer by customer in portal_test.cc (which also fails on a new one).
    if (route.pattern.starts_with("/api/v1/portal/")) continue;
    ++id_routes;
    const std::string name = route.method + " " + route.pattern;
    auto id = ids_of_b.find(CollectionOf(route.pattern));
    if (id == ids_of_b.end()) {
      uncovered.push_back(name);
      continue;
    }
    SCOPED_TRACE(name);
    ++walked;
    const std::string body = PlausibleBody(route.method, route.pattern, a_customer_id_);
    const std::string path = *WithId(route.pattern, id->second);
    HttpResult res = a.Request(route.method, path, body);
    EXPECT_EQ(res.status, 404) << name << " with B's id: " << res.body;
    EXPECT_EQ(res.Json().value("code", ""), "not_found") << res.body;
    EXPECT_EQ(res.body.find(kMarkerOfB), std::string::npos) << res.body;
    // Indistinguishable from an id nobody has: A cannot even learn that B's id exists.
    const std::string missing_path = *WithId(route.pattern, kMissingId);
    HttpResult missing = a.Request(route.method, missing_path, body);
    EXPECT_EQ(missing.status, res.status);
    std::string detail = res.Json().value("detail", "");
    if (auto at = detail.find(path); at != std::string::npos) detail.replace(at, path.size(), missing_path);
    EXPECT_EQ(missing.Json().value("detail", ""), detail) << "B's id answers differently from a missing id";
  }
  EXPECT_TRUE(uncovered.empty()) << "routes with a parameter this test has no id of B for (add them to ids_of_b):"
                                 << Join(uncovered);
  EXPECT_GT(id_routes, 0);
  EXPECT_EQ(walked, id_routes);
  std::printf("[ SUMMARY  ] walked %d of %d routes with {id}, each with B's id from A\n", walked, id_routes);
  ExpectBUnchanged();
}

TEST_F(IsolationTest, NoListShowsAnotherWorkspacesResources) {
  const api::Router router = api::BuildRouter();
  // Per list: the array in the answer and the ids of B that must not be in it.
  const std::map<std::string, std::pair<std::string, std::set<int>>> collections = {
      {"/api/v1/tickets", {"tickets", {b_.ticket_id}}},
      {"/api/v1/customers", {"customers", {b_.customer_id, b_.requester_id}}},
      {"/api/v1/agents", {"agents", {b_.agent_id, b_.admin_id}}},
      {"/api/v1/teams", {"teams", {b_.team_id}}},
      {"/api/v1/organisations", {"organisations", {b_.organisation_id}}},
      {"/api/v1/tokens", {"tokens", b_.all_token_ids}},
      {"/api/v1/service-standards", {"standards", {b_.standard_id}}},
  };
  Client a = A();
  int lists = 0;
  for (const auto& route : router.routes()) {
    if (route.method != "GET" || route.pattern.find('{') != std::string::npos) continue;
    // The stream is a WebSocket; its isolation is tested in stream_test.cc.
    if (route.pattern == "/api/v1/stream") continue;
    SCOPED_TRACE(route.pattern);
    ++lists;
    HttpResult res = a.Get(route.pattern);
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.body.find(kMarkerOfB), std::string::npos) << "B's data in A's " << route.pattern << ": " << res.body;
    if (auto it = collections.find(route.pattern); it != collections.end()) {
      const auto& [key, ids] = it->second;
      const json items = res.Json()[key];
      ASSERT_TRUE(items.is_array()) << res.body;
      EXPECT_FALSE(items.empty()) << "A's own " << key << " are missing";
      for (const auto& item : items) EXPECT_FALSE(ids.count(item["id"].get<int>())) << item.dump();
    }
  }
  EXPECT_GT(lists, 0);

  // Filters that name B's resources find nothing.
  const std::vector<std::string> filtered = {
      "/api/v1/tickets?requester_id=" + std::to_string(b_.requester_id),
      "/api/v1/tickets?assignee_id=" + std::to_string(b_.agent_id),
      "/api/v1/tickets?team_id=" + std::to_string(b_.team_id),
      "/api/v1/tickets?tag=bravo-tag",
      "/api/v1/customers?q=bravo",
      "/api/v1/customers?q=person%40bravo.test",
  };
  for (const auto& target : filtered) {
    HttpResult res = a.Get(target);
    ASSERT_EQ(res.status, 200) << target << ": " << res.body;
    json items = res.Json().contains("tickets") ? res.Json()["tickets"] : res.Json()["customers"];
    EXPECT_TRUE(items.empty()) << target << ": " << res.body;
  }
  // A's own counters and workspace only.
  EXPECT_EQ(a.Get("/api/v1/workspace").Json()["id"], a_workspace_id_);
  EXPECT_EQ(a.Get("/api/v1/auth/session").Json()["workspace"]["id"], a_workspace_id_);
  json counts = a.Get("/api/v1/views/counts").Json();
  EXPECT_EQ(counts["unsolved"], 1) << counts.dump();
  EXPECT_EQ(counts["unassigned"], 1) << counts.dump();
  EXPECT_FALSE(counts["by_team"].contains(std::to_string(b_.team_id))) << counts.dump();
  // Compliance counts A's own intervals only: B's ticket was replied to, A's was not.
  auto compliance = a.Get("/api/v1/service-standards/compliance?group_by=agent");
  ASSERT_EQ(compliance.status, 200) << compliance.body;
  ASSERT_EQ(compliance.Json()["standards"].size(), 1u) << compliance.body;
  EXPECT_EQ(compliance.Json()["standards"][0]["standard_id"], a_standard_id_);
  EXPECT_EQ(compliance.Json()["standards"][0]["total"], 0) << compliance.body;
  EXPECT_TRUE(compliance.Json()["standards"][0]["groups"].empty()) << compliance.body;
  std::printf("[ SUMMARY  ] checked %d list routes and %zu filters from A\n", lists, filtered.size());
  ExpectBUnchanged();
}

// One attempt to reach B through a request that names B's ids or names.
struct Probe {
  std::string what;
  std::string method;
  std::string path;
  json body;
  std::set<int> statuses;
  std::string field;  // the problem's field, when refused
};

TEST_F(IsolationTest, WritesCannotReachAnotherWorkspaceThroughTheirBodies) {
  const api::Router router = api::BuildRouter();
  const std::string a_ticket = "/api/v1/tickets/" + std::to_string(a_ticket_id_);
  const std::string a_customer = "/api/v1/customers/" + std::to_string(a_customer_id_);
  const json ok_ticket{{"subject", "alpha again"}, {"body", "x"}, {"requester", {{"email", "cust@alpha.test"}}}};
  // Now, as RFC 3339 (call events carry the phone system's instants).
  const std::string now = [] {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char out[32];
    std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(out);
  }();
  auto ticket_with = [&](const std::string& key, const json& value) {
    json body = ok_ticket;
    body[key] = value;
    return body;
  };
  // Every write route without {id} has its probes here, keyed by "METHOD pattern".
  const std::map<std::string, std::vector<Probe>> probes = {
      {"POST /api/v1/tickets",
       {{"requester.id of B", "POST", "/api/v1/tickets", ticket_with("requester", {{"id", b_.requester_id}}), {400},
         "requester.id"},
        {"assignee of B", "POST", "/api/v1/tickets", ticket_with("assignee_id", b_.agent_id), {400}, "assignee_id"},
        {"team of B", "POST", "/api/v1/tickets", ticket_with("team_id", b_.team_id), {400}, "team_id"},
        {"requester email of B's customer makes A's own customer", "POST", "/api/v1/tickets",
         ticket_with("requester", {{"email", b_.customer_email}}), {201}, ""}}},
      {"POST /api/v1/customers",
       {{"organisation of B", "POST", "/api/v1/customers",
         {{"name", "Alpha Co"}, {"organisation_id", b_.organisation_id}}, {400}, "organisation_id"},
        {"identity B already has", "POST", "/api/v1/customers",
         {{"name", "Alpha Twin"}, {"identities", {{{"kind", "email"}, {"value", "requester@bravo.test"}}}}}, {201},
         ""}}},
      {"POST /api/v1/agents",
       {{"email B's agent has", "POST", "/api/v1/agents", {{"email", b_.agent_email}, {"role", "agent"}}, {201}, ""}}},
      {"POST /api/v1/teams", {{"name B's team has", "POST", "/api/v1/teams", {{"name", b_.team_name}}, {201}, ""}}},
      {"POST /api/v1/organisations",
       {{"name B's organisation has", "POST", "/api/v1/organisations", {{"name", b_.organisation_name}}, {201}, ""}}},
      {"POST /api/v1/tokens",
       {{"token for B's agent", "POST", "/api/v1/tokens",
         {{"name", "x"}, {"scopes", {"admin"}}, {"agent_id", b_.agent_id}}, {400}, "agent_id"}}},
      {"PATCH /api/v1/workspace",
       {{"A's own settings only", "PATCH", "/api/v1/workspace", {{"time_zone", "Asia/Ho_Chi_Minh"}}, {200}, ""}}},
      {"POST /api/v1/auth/sign-in",
       {{"B's admin signing in to A", "POST", "/api/v1/auth/sign-in",
         {{"workspace", "alpha"}, {"email", "admin@bravo.test"}, {"password", "correct-horse-battery"}}, {401}, ""},
        {"B's agent signing in to A", "POST", "/api/v1/auth/sign-in",
         {{"workspace", "alpha"}, {"email", b_.agent_email}, {"password", "bravo-password-1"}}, {401}, ""}}},
      {"PATCH /api/v1/me",
       {{"A's own profile only", "PATCH", "/api/v1/me", {{"locale", "vi"}}, {200}, ""}}},
      {"PUT /api/v1/me/presence",
       {{"A's own presence only", "PUT", "/api/v1/me/presence", {{"presence", "online"}}, {200}, ""}}},
      {"POST /api/v1/attachments",
       {{"A's upload is A's own", "POST", "/api/v1/attachments?name=alpha.txt", {{"alpha", true}}, {201}, ""}}},
      {"POST /api/v1/mailboxes",
       {{"the address B's mailbox has is A's to use too", "POST", "/api/v1/mailboxes",
         {{"address", "help@bravo.test"}}, {201}, ""}}},
      {"POST /api/v1/auth/sign-out",
       {{"signing out with A's token", "POST", "/api/v1/auth/sign-out", json::object(), {200}, ""}}},
      {"POST /api/v1/calendars",
       {{"A's own calendar", "POST", "/api/v1/calendars",
         {{"name", "alpha hours"},
          {"time_zone", "Asia/Tokyo"},
          {"hours", {{"tue", {{{"start", "09:00"}, {"end", "17:00"}}}}}}},
         {201}, ""}}},
      {"POST /api/v1/sla/policies",
       {{"B's calendar", "POST", "/api/v1/sla/policies",
         {{"name", "x"}, {"calendar_id", b_.calendar_id}, {"targets", {{{"metric", "first_reply"}, {"minutes", 5}}}}},
         {400}, "calendar_id"},
        {"B's organisation", "POST", "/api/v1/sla/policies",
         {{"name", "x"},
          {"conditions", {{"organisation_ids", {b_.organisation_id}}}},
          {"targets", {{{"metric", "first_reply"}, {"minutes", 5}}}}},
         {400}, "conditions.organisation_ids"},
        {"B's team", "POST", "/api/v1/sla/policies",
         {{"name", "x"},
          {"conditions", {{"team_ids", {b_.team_id}}}},
          {"targets", {{{"metric", "first_reply"}, {"minutes", 5}}}}},
         {400}, "conditions.team_ids"}}},
      {"POST /api/v1/service-standards",
       {{"B's calendar", "POST", "/api/v1/service-standards",
         {{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 60}, {"calendar_id", b_.calendar_id}}, {400},
         "calendar_id"}}},
      // Knowledge base (C20): A cannot file into B's category or section.
      {"POST /api/v1/kb/categories",
       {{"A's own category", "POST", "/api/v1/kb/categories", {{"names", {{"en", "alpha"}}}}, {201}, ""}}},
      {"POST /api/v1/kb/sections",
       {{"B's category", "POST", "/api/v1/kb/sections",
         {{"category_id", b_.kb_category_id}, {"names", {{"en", "x"}}}}, {400}, "category_id"}}},
      {"POST /api/v1/kb/articles",
       {{"B's section", "POST", "/api/v1/kb/articles",
         {{"section_id", b_.kb_section_id}, {"translations", {{"en", {{"title", "x"}, {"body_md", "x"}}}}}}, {400},
         "section_id"}}},
      // Community (C22): A cannot ban B's customer.
      {"POST /api/v1/community/bans",
       {{"B's customer", "POST", "/api/v1/community/bans", {{"customer_id", b_.customer_id}}, {400}, "customer_id"}}},
      {"POST /api/v1/kb/preview",
       {{"rendering reads nothing", "POST", "/api/v1/kb/preview", {{"body_md", "x"}}, {200}, ""}}},
      // Voice (C18): A's calls ring in A's teams and are answered by A's agents only.
      {"POST /api/v1/voice/events",
       {{"a call ringing in B's team", "POST", "/api/v1/voice/events",
         {{"call_id", "alpha-1"}, {"type", "ringing"}, {"at", now}, {"from", "+81 90-0000-0001"},
          {"team_id", b_.team_id}}, {400}, "team_id"},
        {"A's own call", "POST", "/api/v1/voice/events",
         {{"call_id", "alpha-2"}, {"type", "ringing"}, {"at", now}, {"from", "+81 90-0000-0001"}}, {201}, ""},
        {"B's agent answering A's call", "POST", "/api/v1/voice/events",
         {{"call_id", "alpha-2"}, {"type", "answered"}, {"at", now}, {"agent_id", b_.agent_id}}, {400},
         "agent_id"}}},
  };
  // Writes to A's own resources that point at B's.
  const std::vector<Probe> on_own = {
      {"merge A's customer into B's", "POST", a_customer + "/merge", {{"into_id", b_.customer_id}}, {404}, ""},
      {"merge A's customer into B's requester", "POST", a_customer + "/merge", {{"into_id", b_.requester_id}}, {404},
       ""},
      {"assign A's ticket to B's agent", "PATCH", a_ticket, {{"assignee_id", b_.agent_id}}, {400}, "assignee_id"},
      {"give A's ticket to B's team", "PATCH", a_ticket, {{"team_id", b_.team_id}}, {400}, "team_id"},
      {"send B's upload on A's ticket", "POST", a_ticket + "/messages",
       {{"body", "x"}, {"attachments", {b_.pending_upload_token}}}, {400}, "attachments"},
      {"put A's customer in B's organisation", "PATCH", a_customer, {{"organisation_id", b_.organisation_id}}, {400},
       "organisation_id"},
      // Routing (C4): A's team cannot take B's agents as members or overflow into B's team.
      {"B's agent as a member of A's team", "PATCH", "/api/v1/teams/" + std::to_string(a_team_id_),
       {{"member_ids", {b_.agent_id}}}, {400}, "member_ids"},
      {"B's team as A's overflow", "PATCH", "/api/v1/teams/" + std::to_string(a_team_id_),
       {{"overflow_team_id", b_.team_id}, {"overflow_after_minutes", 5}}, {400}, "overflow_team_id"},
  };

  Client a = A();
  std::vector<std::string> uncovered;
  std::vector<Probe> all = on_own;
  for (const auto& route : router.routes()) {
    if (route.method == "GET" || route.pattern.find('{') != std::string::npos) continue;
    auto it = probes.find(route.method + " " + route.pattern);
    if (it == probes.end()) {
      uncovered.push_back(route.method + " " + route.pattern);
      continue;
    }
    all.insert(all.end(), it->second.begin(), it->second.end());
  }
  EXPECT_TRUE(uncovered.empty()) << "write routes without an isolation probe (add them to `probes`):"
                                 << Join(uncovered);
  for (const auto& probe : all) {
    SCOPED_TRACE(probe.what);
    HttpResult res = a.Request(probe.method, probe.path, probe.body.dump());
    EXPECT_TRUE(probe.statuses.count(res.status)) << probe.what << ": " << res.status << " " << res.body;
    if (!probe.field.empty()) {
      EXPECT_EQ(res.Json().value("field", ""), probe.field) << res.body;
    }
    if (res.status == 201) {
      // Created in A, as A's own: never one of B's customers.
      for (const std::string key : {"id", "requester_id"}) {
        if (!res.Json().contains(key)) continue;
        if (key == "id" && probe.path != "/api/v1/customers") continue;  // other kinds of id may be equal
        int id = res.Json()[key].get<int>();
        EXPECT_NE(id, b_.customer_id) << res.body;
        EXPECT_NE(id, b_.requester_id) << res.body;
      }
    }
  }
  // A's ticket and customer did not take B's references.
  auto own = a.Get(a_ticket).Json();
  EXPECT_TRUE(own["assignee_id"].is_null()) << own.dump();
  EXPECT_TRUE(own["team_id"].is_null()) << own.dump();
  EXPECT_TRUE(a.Get(a_customer).Json()["organisation_id"].is_null());
  std::printf("[ SUMMARY  ] %zu probes naming B's resources from A\n", all.size());
  ExpectBUnchanged();
}

}  // namespace
}  // namespace kizuna::testing
