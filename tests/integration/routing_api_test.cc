// Routing (C4) and ownership (C5) through the API, against the real binary and its routing
// worker: presence, capacity and skills, a team's routing settings, a ticket routed to the
// online member, handoffs and first-contact resolution on the ticket, and bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

class RoutingApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new KizunaProcess();
    server_->Start();
    token_ = server_->CreateWorkspaceWithToken("routing", "admin@routing.test");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static Client Admin() {
    Client client(server_->port());
    client.set_token(token_);
    return client;
  }
  // A new agent (role `role`) and a client acting as them.
  static std::pair<int, Client> NewAgent(const std::string& email, const std::string& role = "agent") {
    auto created = Admin().Post("/api/v1/agents", json{{"email", email}, {"role", role}});
    EXPECT_EQ(created.status, 201) << created.body;
    const int id = created.Json().value("id", 0);
    auto token = Admin().Post("/api/v1/tokens", json{{"name", email}, {"scopes", {"tickets:read", "tickets:write"}},
                                                     {"agent_id", id}});
    EXPECT_EQ(token.status, 201) << token.body;
    Client client(server_->port());
    client.set_token(token.Json().value("token", ""));
    return {id, client};
  }
  static HttpResult Put(const Client& client, const std::string& target, const json& body) {
    return client.Request("PUT", target, body.dump());
  }
  // The ticket once `done` holds for it, polling for up to 5 s (the worker runs every second).
  template <typename Done>
  static json WaitForTicket(int id, Done done) {
    json ticket;
    for (int attempt = 0; attempt < 50; ++attempt) {
      ticket = Admin().Get("/api/v1/tickets/" + std::to_string(id)).Json();
      if (done(ticket)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return ticket;
  }

  static KizunaProcess* server_;
  static std::string token_;
};

KizunaProcess* RoutingApiTest::server_ = nullptr;
std::string RoutingApiTest::token_;

TEST_F(RoutingApiTest, AWaitingTicketGoesToTheOnlineMemberWithTheLanguage) {
  auto [english, english_client] = NewAgent("en@routing.test");
  auto [japanese, japanese_client] = NewAgent("ja@routing.test");
  Client admin = Admin();
  ASSERT_EQ(admin.Patch("/api/v1/agents/" + std::to_string(english), json{{"skills", {{"lang:en", 5}}}}).status, 200);
  auto changed = admin.Patch("/api/v1/agents/" + std::to_string(japanese),
                             json{{"skills", {{"lang:ja", 4}}}, {"capacity", {{"ticket", 5}, {"call", 0}}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json()["skills"], json({{"lang:ja", 4}}));
  EXPECT_EQ(changed.Json()["capacity"], json({{"ticket", 5}, {"chat", 3}, {"call", 0}}));
  EXPECT_EQ(changed.Json()["presence"], "offline");

  const int team = admin.Post("/api/v1/teams", json{{"name", "japan desk"}}).Json().value("id", 0);
  auto configured = admin.Patch("/api/v1/teams/" + std::to_string(team),
                                json{{"routing_enabled", true},
                                     {"strategy", "best_skill"},
                                     {"match_language", true},
                                     {"member_ids", {japanese, english}}});
  ASSERT_EQ(configured.status, 200) << configured.body;
  EXPECT_EQ(configured.Json()["routing_enabled"], true);
  EXPECT_EQ(configured.Json()["strategy"], "best_skill");
  EXPECT_EQ(configured.Json()["member_ids"], json({english, japanese}));

  auto created = admin.Post("/api/v1/tickets", json{{"subject", "配送について"},
                                                    {"body", "まだ届きません"},
                                                    {"team_id", team},
                                                    {"requester", {{"email", "aiko@example.jp"}, {"language", "ja"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int ticket = created.Json()["id"].get<int>();
  EXPECT_FALSE(created.Json()["queued_at"].is_null()) << created.body;
  EXPECT_EQ(created.Json()["handoffs"], 0);
  EXPECT_EQ(created.Json()["agent_path"], json::array());
  EXPECT_TRUE(created.Json()["first_contact_resolved"].is_null());

  // Both offline: it waits.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(admin.Get("/api/v1/tickets/" + std::to_string(ticket)).Json()["assignee_id"].is_null());

  // The Japanese speaker comes online and gets it within about a second.
  auto online = Put(japanese_client, "/api/v1/me/presence", json{{"presence", "online"}});
  ASSERT_EQ(online.status, 200) << online.body;
  EXPECT_EQ(online.Json()["presence"], "online");
  Put(english_client, "/api/v1/me/presence", json{{"presence", "online"}});
  json routed = WaitForTicket(ticket, [](const json& t) { return !t["assignee_id"].is_null(); });
  EXPECT_EQ(routed["assignee_id"], japanese) << routed.dump();
  EXPECT_EQ(routed["status"], "open");
  EXPECT_EQ(routed["agent_path"], json({japanese}));
  EXPECT_EQ(routed["handoffs"], 0);
  EXPECT_TRUE(routed["queued_at"].is_null());
  auto events = admin.Get("/api/v1/tickets/" + std::to_string(ticket) + "/events").Json()["events"];
  EXPECT_EQ(events.back()["type"], "ticket.updated");
  EXPECT_EQ(events.back()["actor_type"], "system");

  // Passed on to the English speaker: one handoff; solved after it: not at first contact.
  auto passed = admin.Patch("/api/v1/tickets/" + std::to_string(ticket), json{{"assignee_id", english}});
  ASSERT_EQ(passed.status, 200) << passed.body;
  EXPECT_EQ(passed.Json()["handoffs"], 1);
  EXPECT_EQ(passed.Json()["agent_path"], json({japanese, english}));
  auto solved = admin.Patch("/api/v1/tickets/" + std::to_string(ticket), json{{"status", "solved"}});
  EXPECT_EQ(solved.Json()["first_contact_resolved"], false) << solved.body;
}

TEST_F(RoutingApiTest, ATicketWithoutATeamIsRoutedThroughTheDefaultTeam) {
  auto [agent, agent_client] = NewAgent("desk@routing.test");
  Client admin = Admin();
  const int team = admin.Post("/api/v1/teams", json{{"name", "front desk"}}).Json().value("id", 0);
  ASSERT_EQ(admin.Patch("/api/v1/teams/" + std::to_string(team), json{{"routing_enabled", true}, {"member_ids", {agent}}})
                .status,
            200);
  ASSERT_EQ(Put(agent_client, "/api/v1/me/presence", json{{"presence", "online"}}).status, 200);
  EXPECT_TRUE(admin.Get("/api/v1/workspace").Json()["default_team_id"].is_null());

  // A team of another workspace, an unknown team and a non-number are refused, nothing changed.
  const std::string other_token = server_->CreateWorkspaceWithToken("routing-other", "admin@other.test");
  Client other(server_->port());
  other.set_token(other_token);
  const int foreign = other.Post("/api/v1/teams", json{{"name", "theirs"}}).Json().value("id", 0);
  for (const json& bad : {json(foreign), json(987654), json("front desk"), json(-1)}) {
    auto refused = admin.Patch("/api/v1/workspace", json{{"default_team_id", bad}});
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(refused.Json().value("field", ""), "default_team_id") << refused.body;
  }
  EXPECT_TRUE(admin.Get("/api/v1/workspace").Json()["default_team_id"].is_null());
  auto agent_try = agent_client.Patch("/api/v1/workspace", json{{"default_team_id", team}});
  EXPECT_EQ(agent_try.status, 403) << agent_try.body;

  auto set = admin.Patch("/api/v1/workspace", json{{"default_team_id", team}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.Json()["default_team_id"], team);
  auto created = admin.Post("/api/v1/tickets", json{{"subject", "Where is my parcel?"},
                                                    {"body", "It has not arrived."},
                                                    {"requester", {{"email", "noteam@example.com"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(created.Json()["team_id"].is_null());
  json routed = WaitForTicket(created.Json()["id"].get<int>(), [](const json& t) { return !t["assignee_id"].is_null(); });
  EXPECT_EQ(routed["team_id"], team) << routed.dump();
  EXPECT_EQ(routed["assignee_id"], agent) << routed.dump();

  auto cleared = admin.Patch("/api/v1/workspace", json{{"default_team_id", nullptr}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.Json()["default_team_id"].is_null());
  const int waiting = admin.Post("/api/v1/tickets", json{{"subject", "Another"},
                                                         {"body", "No team now."},
                                                         {"requester", {{"email", "noteam@example.com"}}}})
                          .Json()
                          .value("id", 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  json left = admin.Get("/api/v1/tickets/" + std::to_string(waiting)).Json();
  EXPECT_TRUE(left["team_id"].is_null()) << left.dump();
  EXPECT_TRUE(left["assignee_id"].is_null()) << left.dump();
  Put(agent_client, "/api/v1/me/presence", json{{"presence", "offline"}});
}

TEST_F(RoutingApiTest, AgentsSeeOnlyTheirOwnPresence) {
  auto [agent, agent_client] = NewAgent("plain@routing.test");
  auto [supervisor, supervisor_client] = NewAgent("lead@routing.test", "supervisor");
  ASSERT_EQ(Put(agent_client, "/api/v1/me/presence", json{{"presence", "away"}}).status, 200);
  ASSERT_EQ(Put(Admin(), "/api/v1/me/presence", json{{"presence", "online"}}).status, 200);
  auto presence_of = [](const Client& client) {
    std::map<int, json> out;
    const json agents = client.Get("/api/v1/agents").Json()["agents"];
    for (const auto& a : agents) out[a["id"].get<int>()] = a["presence"];
    return out;
  };
  auto seen_by_agent = presence_of(agent_client);
  EXPECT_EQ(seen_by_agent[agent], "away");
  EXPECT_TRUE(seen_by_agent[supervisor].is_null());
  auto seen_by_supervisor = presence_of(supervisor_client);
  EXPECT_EQ(seen_by_supervisor[agent], "away");
  EXPECT_EQ(seen_by_supervisor[supervisor], "offline");
  EXPECT_TRUE(agent_client.Get("/api/v1/agents/" + std::to_string(supervisor)).Json()["presence"].is_null());

  // Routing settings need an admin; a supervisor may still rename (with the admin scope).
  auto lead_token = Admin().Post("/api/v1/tokens", json{{"name", "lead admin"}, {"scopes", {"admin"}},
                                                         {"agent_id", supervisor}});
  supervisor_client.set_token(lead_token.Json().value("token", ""));
  const int team = Admin().Post("/api/v1/teams", json{{"name", "leads"}}).Json().value("id", 0);
  const std::string path = "/api/v1/teams/" + std::to_string(team);
  EXPECT_EQ(supervisor_client.Patch(path, json{{"routing_enabled", true}}).status, 403);
  EXPECT_EQ(supervisor_client.Patch(path, json{{"name", "team leads"}}).status, 200);
}

TEST_F(RoutingApiTest, SigningOutGoesOffline) {
  auto created = Admin().Post("/api/v1/agents", json{{"email", "leaves@routing.test"}, {"password", "leaves-password-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client browser(server_->port());
  ASSERT_EQ(browser.SignIn("routing", "leaves@routing.test", "leaves-password-1").status, 200);
  auto online = Put(browser, "/api/v1/me/presence", json{{"presence", "online"}});
  ASSERT_EQ(online.status, 200) << online.body;
  ASSERT_EQ(browser.Post("/api/v1/auth/sign-out", json::object()).status, 200);
  auto agent = Admin().Get("/api/v1/agents/" + std::to_string(created.Json()["id"].get<int>())).Json();
  EXPECT_EQ(agent["presence"], "offline") << agent.dump();
}

TEST_F(RoutingApiTest, BadRoutingInputIs400NamingTheField) {
  auto [agent, agent_client] = NewAgent("bad@routing.test");
  Client admin = Admin();
  const int team = admin.Post("/api/v1/teams", json{{"name", "bad input"}}).Json().value("id", 0);
  const std::string agent_path = "/api/v1/agents/" + std::to_string(agent);
  const std::string team_path = "/api/v1/teams/" + std::to_string(team);
  struct Case {
    std::string method;
    std::string path;
    json body;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"PUT", "/api/v1/me/presence", {{"presence", "busy"}}, "presence"},
      {"PUT", "/api/v1/me/presence", json::object(), "presence"},
      {"PUT", "/api/v1/me/presence", {{"presence", 1}}, "presence"},
      {"PATCH", agent_path, {{"capacity", {{"chat", "three"}}}}, "capacity.chat"},
      {"PATCH", agent_path, {{"capacity", {{"chat", 101}}}}, "capacity.chat"},
      {"PATCH", agent_path, {{"capacity", {{"email", 1}}}}, "capacity"},
      {"PATCH", agent_path, {{"capacity", 3}}, "capacity"},
      {"PATCH", agent_path, {{"skills", {{"lang:ja", 9}}}}, "skills"},
      {"PATCH", agent_path, {{"skills", {{"lang:ja", "fluent"}}}}, "skills"},
      {"PATCH", agent_path, {{"skills", {{"Lang JA", 3}}}}, "skills"},
      {"PATCH", agent_path, {{"skills", {"lang:ja"}}}, "skills"},
      {"PATCH", team_path, {{"strategy", "fastest"}}, "strategy"},
      {"PATCH", team_path, {{"routing_enabled", "yes"}}, "routing_enabled"},
      {"PATCH", team_path, {{"overflow_after_minutes", 0}}, "overflow_after_minutes"},
      {"PATCH", team_path, {{"overflow_after_minutes", 100000}}, "overflow_after_minutes"},
      {"PATCH", team_path, {{"overflow_team_id", team}}, "overflow_team_id"},
      {"PATCH", team_path, {{"overflow_team_id", 987654}}, "overflow_team_id"},
      {"PATCH", team_path, {{"member_ids", {"x"}}}, "member_ids"},
      {"PATCH", team_path, {{"member_ids", {987654}}}, "member_ids"},
      {"PATCH", team_path, {{"member_ids", 3}}, "member_ids"},
      {"PATCH", team_path, {{"required_skills", {{"product:billing", 0}}}}, "required_skills"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " " + c.body.dump());
    const Client& client = c.path == "/api/v1/me/presence" ? agent_client : admin;
    auto res = client.Request(c.method, c.path, c.body.dump());
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/problem+json");
    EXPECT_EQ(res.Json().value("field", ""), c.field) << res.body;
  }
}

}  // namespace
}  // namespace kizuna::testing
