// The API end to end: the real binary, real SQLite, real HTTP.
#include <gtest/gtest.h>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new KizunaProcess();
    server_->Start();
    token_ = server_->CreateWorkspaceWithToken("acme", "admin@acme.test");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  Client Admin() const {
    Client client(server_->port());
    client.set_token(token_);
    return client;
  }
  json NewTicket(const std::string& subject, const std::string& email = "yuki@example.jp") {
    auto res = Admin().Post("/api/v1/tickets", json{{"subject", subject}, {"body", "本文です"},
                                                    {"requester", {{"name", "Yuki"}, {"email", email}}}});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.Json();
  }

  static KizunaProcess* server_;
  static std::string token_;
};

KizunaProcess* ApiTest::server_ = nullptr;
std::string ApiTest::token_;

TEST_F(ApiTest, CreateThenGetReturnsTheSameTicketWithItsFirstMessage) {
  json created = NewTicket("返金をお願いします");
  EXPECT_EQ(created["status"], "new");
  EXPECT_GT(created["number"].get<int>(), 0);
  auto got = Admin().Get("/api/v1/tickets/" + std::to_string(created["id"].get<int>()));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Json()["subject"], "返金をお願いします");
  EXPECT_EQ(got.Header("etag"), "\"1\"");
  EXPECT_EQ(got.Json()["requester_name"], "Yuki");
  EXPECT_EQ(created["requester_name"], "Yuki") << created.dump();  // the create answers it too
  auto messages = Admin().Get("/api/v1/tickets/" + std::to_string(created["id"].get<int>()) + "/messages");
  ASSERT_EQ(messages.status, 200);
  ASSERT_EQ(messages.Json()["messages"].size(), 1u);
  EXPECT_EQ(messages.Json()["messages"][0]["body"], "本文です");
  EXPECT_EQ(messages.Json()["messages"][0]["author_type"], "customer");
}

TEST_F(ApiTest, TheSameRequesterEmailFindsTheSameCustomer) {
  json a = NewTicket("one", "same@example.com");
  json b = NewTicket("two", "SAME@example.com");
  EXPECT_EQ(a["requester_id"], b["requester_id"]);
}

TEST_F(ApiTest, StaleIfMatchIsRefusedWith412AndChangesNothing) {
  json t = NewTicket("etag");
  std::string path = "/api/v1/tickets/" + std::to_string(t["id"].get<int>());
  auto first = Admin().Patch(path, json{{"priority", "high"}}, {{"If-Match", "\"1\""}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("etag"), "\"2\"");
  auto stale = Admin().Patch(path, json{{"priority", "low"}}, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(stale.Json()["code"], "precondition_failed");
  EXPECT_EQ(stale.Json()["current"]["priority"], "high");
  EXPECT_EQ(stale.Header("etag"), "\"2\"");
  EXPECT_EQ(Admin().Get(path).Json()["priority"], "high");
}

TEST_F(ApiTest, IdempotencyKeyReplaysTheFirstAnswerAndNeverDuplicates) {
  json body{{"subject", "retry me"}, {"body", "x"}, {"requester", {{"email", "retry@example.com"}}}};
  auto first = Admin().Post("/api/v1/tickets", body, {{"Idempotency-Key", "abc-123"}});
  auto second = Admin().Post("/api/v1/tickets", body, {{"Idempotency-Key", "abc-123"}});
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(first.Json()["id"], second.Json()["id"]);
  EXPECT_EQ(second.Header("idempotent-replayed"), "true");
  // The replayed answer carries the same Location and ETag as the first.
  EXPECT_EQ(first.Header("location"), "/api/v1/tickets/" + std::to_string(first.Json()["id"].get<int>()));
  EXPECT_EQ(second.Header("location"), first.Header("location"));
  EXPECT_EQ(second.Header("etag"), "\"1\"");
  body["subject"] = "something else";
  auto reused = Admin().Post("/api/v1/tickets", body, {{"Idempotency-Key", "abc-123"}});
  EXPECT_EQ(reused.status, 422);
  auto customer = first.Json()["requester_id"].get<int>();
  auto list = Admin().Get("/api/v1/tickets?requester_id=" + std::to_string(customer));
  EXPECT_EQ(list.Json()["tickets"].size(), 1u);
}

TEST_F(ApiTest, ReplyOpensTheTicketAndRecordsEventsWithOldAndNewValues) {
  json t = NewTicket("reply");
  std::string path = "/api/v1/tickets/" + std::to_string(t["id"].get<int>());
  auto reply = Admin().Post(path + "/messages", json{{"body", "お待たせしました"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.Json()["ticket"]["status"], "open");
  EXPECT_FALSE(reply.Json()["ticket"]["first_reply_at"].is_null());
  auto solve = Admin().Patch(path, json{{"status", "solved"}});
  ASSERT_EQ(solve.status, 200);
  auto events = Admin().Get(path + "/events").Json()["events"];
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["type"], "ticket.created");
  EXPECT_EQ(events[1]["type"], "message.created");
  EXPECT_EQ(events[2]["type"], "ticket.updated");
  EXPECT_EQ(events[2]["data"]["changes"]["status"], json::array({"open", "solved"}));
}

TEST_F(ApiTest, ListPagesWithACursorWithoutGapsOrRepeats) {
  for (int idx = 0; idx < 7; ++idx) NewTicket("page " + std::to_string(idx), "pager@example.com");
  json list = Admin().Get("/api/v1/tickets?limit=100").Json();
  std::set<int> all;
  for (const auto& t : list["tickets"]) all.insert(t["id"].get<int>());
  std::set<int> seen;
  std::string target = "/api/v1/tickets?limit=3&sort=updated_at";
  for (int guard = 0; guard < 100; ++guard) {
    auto res = Admin().Get(target);
    ASSERT_EQ(res.status, 200) << res.body;
    json page = res.Json();
    for (const auto& t : page["tickets"]) EXPECT_TRUE(seen.insert(t["id"].get<int>()).second);
    if (page["next_cursor"].is_null()) break;
    target = "/api/v1/tickets?limit=3&sort=updated_at&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, all);
}

TEST_F(ApiTest, CountsFollowAssignmentAndSolving) {
  auto before = Admin().Get("/api/v1/views/counts").Json();
  json t = NewTicket("count me");
  std::string path = "/api/v1/tickets/" + std::to_string(t["id"].get<int>());
  auto after_create = Admin().Get("/api/v1/views/counts").Json();
  EXPECT_EQ(after_create["unassigned"].get<int>(), before["unassigned"].get<int>() + 1);
  auto me = Admin().Get("/api/v1/auth/session").Json()["agent"]["id"].get<int>();
  ASSERT_EQ(Admin().Patch(path, json{{"assignee_id", me}}).status, 200);
  auto after_assign = Admin().Get("/api/v1/views/counts").Json();
  EXPECT_EQ(after_assign["mine"].get<int>(), before["mine"].get<int>() + 1);
  EXPECT_EQ(after_assign["unassigned"], before["unassigned"]);
  ASSERT_EQ(Admin().Patch(path, json{{"status", "solved"}}).status, 200);
  auto after_solve = Admin().Get("/api/v1/views/counts").Json();
  EXPECT_EQ(after_solve["unsolved"], before["unsolved"]);
  EXPECT_EQ(after_solve["mine"], before["mine"]);
}

TEST_F(ApiTest, CountsListEveryTeamWithItsUnsolvedTickets) {
  auto quiet = Admin().Post("/api/v1/teams", json{{"name", "Counted quiet"}});
  auto busy = Admin().Post("/api/v1/teams", json{{"name", "Counted busy"}});
  ASSERT_EQ(quiet.status, 201) << quiet.body;
  ASSERT_EQ(busy.status, 201) << busy.body;
  const std::string quiet_id = std::to_string(quiet.Json()["id"].get<int>());
  const std::string busy_id = std::to_string(busy.Json()["id"].get<int>());
  auto created = Admin().Post("/api/v1/tickets", json{{"subject", "for a team"},
                                                      {"body", "本文です"},
                                                      {"team_id", busy.Json()["id"]},
                                                      {"requester", {{"email", "team@example.jp"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto counts = Admin().Get("/api/v1/views/counts").Json();
  EXPECT_EQ(counts["by_team"][quiet_id], 0) << counts.dump();
  EXPECT_EQ(counts["by_team"][busy_id], 1) << counts.dump();
  std::string path = "/api/v1/tickets/" + std::to_string(created.Json()["id"].get<int>());
  ASSERT_EQ(Admin().Patch(path, json{{"status", "solved"}}).status, 200);
  EXPECT_EQ(Admin().Get("/api/v1/views/counts").Json()["by_team"][busy_id], 0);
}

TEST_F(ApiTest, MergingCustomersMovesTicketsAndIdentities) {
  json a = NewTicket("dup a", "dup-a@example.com");
  json b = NewTicket("dup b", "dup-b@example.com");
  int source = a["requester_id"].get<int>();
  int target = b["requester_id"].get<int>();
  auto merged = Admin().Post("/api/v1/customers/" + std::to_string(source) + "/merge", json{{"into_id", target}});
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(merged.Json()["identities"].size(), 2u);
  auto tickets = Admin().Get("/api/v1/customers/" + std::to_string(target) + "/tickets").Json()["tickets"];
  EXPECT_EQ(tickets.size(), 2u);
  // A new ticket from the merged-away address lands on the kept customer.
  json c = NewTicket("dup c", "dup-a@example.com");
  EXPECT_EQ(c["requester_id"].get<int>(), target);
}

TEST_F(ApiTest, ACustomerWithoutTicketsCanBeDeletedWithTheirDuplicates) {
  auto kept = Admin().Post("/api/v1/customers", json{{"name", "Has tickets"}});
  ASSERT_EQ(kept.status, 201);
  json t = NewTicket("mine", "owner-of-ticket@example.com");
  std::string with_tickets = "/api/v1/customers/" + std::to_string(t["requester_id"].get<int>());
  EXPECT_EQ(Admin().Request("DELETE", with_tickets).status, 409);

  auto lone = Admin().Post("/api/v1/customers", json{{"name", "Lone"}, {"identities", {{{"kind", "line"}, {"value", "Ulone"}}}}});
  EXPECT_EQ(lone.Header("location"), "/api/v1/customers/" + std::to_string(lone.Json()["id"].get<int>()));
  auto dup = Admin().Post("/api/v1/customers", json{{"name", "Lone dup"}, {"identities", {{{"kind", "zalo"}, {"value", "zdup"}}}}});
  ASSERT_EQ(lone.status, 201);
  ASSERT_EQ(dup.status, 201);
  std::string lone_path = "/api/v1/customers/" + std::to_string(lone.Json()["id"].get<int>());
  std::string dup_path = "/api/v1/customers/" + std::to_string(dup.Json()["id"].get<int>());
  ASSERT_EQ(Admin().Post(dup_path + "/merge", json{{"into_id", lone.Json()["id"]}}).status, 200);
  auto deleted = Admin().Request("DELETE", lone_path);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Admin().Get(lone_path).status, 404);
  EXPECT_EQ(Admin().Get(dup_path).status, 404);
  EXPECT_EQ(Admin().Request("DELETE", lone_path).status, 404);
  // Their identities are free again.
  EXPECT_EQ(Admin().Post("/api/v1/customers", json{{"name", "New"}, {"identities", {{{"kind", "line"}, {"value", "Ulone"}}}}}).status,
            201);
}

TEST_F(ApiTest, ACustomerHasAnAccountOwnerAmongTheActiveAgents) {
  auto owner = Admin().Post("/api/v1/agents", json{{"email", "owner@acme.test"}, {"password", "owner-password-1"}});
  ASSERT_EQ(owner.status, 201) << owner.body;
  const auto owner_id = owner.Json()["id"];
  auto customer = Admin().Post("/api/v1/customers", json{{"name", "Vũ Thị Hoa"}, {"account_owner_id", owner_id}});
  ASSERT_EQ(customer.status, 201) << customer.body;
  EXPECT_EQ(customer.Json()["account_owner_id"], owner_id);
  const std::string path = "/api/v1/customers/" + std::to_string(customer.Json()["id"].get<int>());

  auto unknown = Admin().Patch(path, json{{"account_owner_id", 999999}});
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(unknown.Json()["field"], "account_owner_id");
  auto wrong_type = Admin().Patch(path, json{{"account_owner_id", "owner@acme.test"}});
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  EXPECT_EQ(Admin().Get(path).Json()["account_owner_id"], owner_id) << "a refused change changes nothing";

  auto cleared = Admin().Patch(path, json{{"account_owner_id", nullptr}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.Json()["account_owner_id"].is_null());

  // A deactivated agent keeps no customers.
  const std::string owner_path = "/api/v1/agents/" + std::to_string(owner_id.get<int>());
  ASSERT_EQ(Admin().Patch(owner_path, json{{"active", false}}).status, 200);
  auto inactive = Admin().Patch(path, json{{"account_owner_id", owner_id}});
  EXPECT_EQ(inactive.status, 400) << inactive.body;
}

TEST_F(ApiTest, NullClearsACustomersTierNotesAndBirthdayButNotTheirName) {
  auto customer = Admin().Post("/api/v1/customers", json{{"name", "Park Ji-woo"},
                                                          {"tier", "Gold"},
                                                          {"notes", "Prefers email"},
                                                          {"birthday", "1990-04-01"}});
  ASSERT_EQ(customer.status, 201) << customer.body;
  EXPECT_EQ(customer.Json()["tier"], "gold");
  const std::string path = "/api/v1/customers/" + std::to_string(customer.Json()["id"].get<int>());
  auto no_name = Admin().Patch(path, json{{"name", nullptr}});
  EXPECT_EQ(no_name.status, 400) << no_name.body;
  EXPECT_EQ(no_name.Json().value("field", ""), "name");
  auto cleared = Admin().Patch(path, json{{"tier", nullptr}, {"notes", nullptr}, {"birthday", nullptr}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(cleared.Json()["tier"], "") << cleared.body;
  EXPECT_EQ(cleared.Json()["notes"], "");
  EXPECT_TRUE(cleared.Json()["birthday"].is_null() || cleared.Json()["birthday"] == "") << cleared.body;
  EXPECT_EQ(cleared.Json()["name"], "Park Ji-woo");
}

TEST_F(ApiTest, TeamsAndOrganisationsCanBeRenamed) {
  auto team = Admin().Post("/api/v1/teams", json{{"name", "Billing"}});
  ASSERT_EQ(team.status, 201);
  std::string path = "/api/v1/teams/" + std::to_string(team.Json()["id"].get<int>());
  auto renamed = Admin().Patch(path, json{{"name", "請求"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.Json()["name"], "請求");
  EXPECT_EQ(Admin().Patch(path, json{{"name", ""}}).status, 400);
  ASSERT_EQ(Admin().Post("/api/v1/teams", json{{"name", "Shipping"}}).status, 201);
  EXPECT_EQ(Admin().Patch(path, json{{"name", "Shipping"}}).status, 409);
  auto org = Admin().Post("/api/v1/organisations", json{{"name", "Acme KK"}});
  ASSERT_EQ(org.status, 201);
  std::string org_path = "/api/v1/organisations/" + std::to_string(org.Json()["id"].get<int>());
  auto changed = Admin().Patch(org_path, json{{"domain", "ACME.example"}});
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(changed.Json()["domain"], "acme.example");
  EXPECT_EQ(changed.Json()["name"], "Acme KK");
}

TEST_F(ApiTest, SessionsNeedTheCsrfTokenForChanges) {
  Client admin = Admin();
  ASSERT_EQ(admin.Post("/api/v1/agents", json{{"email", "web@acme.test"}, {"role", "agent"},
                                              {"password", "agent-password-1"}}).status,
            201);
  Client web(server_->port());
  ASSERT_EQ(web.SignIn("acme", "web@acme.test", "agent-password-1").status, 200);
  EXPECT_EQ(web.Get("/api/v1/tickets").status, 200);
  json body{{"subject", "from the web"}, {"body", "x"}, {"requester", {{"email", "w@example.com"}}}};
  EXPECT_EQ(web.Post("/api/v1/tickets", body).status, 201);
  web.set_csrf("wrong");
  auto refused = web.Post("/api/v1/tickets", body);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Json()["code"], "csrf_token_invalid");
  // An agent may not create agents.
  auto session = web.Get("/api/v1/auth/session").Json();
  web.set_csrf(session["csrf_token"].get<std::string>());
  EXPECT_EQ(web.Post("/api/v1/agents", json{{"email", "x@acme.test"}}).status, 403);
  EXPECT_EQ(web.Post("/api/v1/auth/sign-out", json::object()).status, 200);
  EXPECT_EQ(web.Get("/api/v1/tickets").status, 401);
}

TEST_F(ApiTest, ADeactivatedAgentIsSignedOutAtOnce) {
  auto created = Admin().Post("/api/v1/agents", json{{"email", "leaver@acme.test"}, {"password", "leaver-password-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client leaver(server_->port());
  ASSERT_EQ(leaver.SignIn("acme", "leaver@acme.test", "leaver-password-1").status, 200);
  ASSERT_EQ(leaver.Get("/api/v1/tickets").status, 200);
  std::string path = "/api/v1/agents/" + std::to_string(created.Json()["id"].get<int>());
  auto deactivated = Admin().Patch(path, json{{"active", false}});
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_FALSE(deactivated.Json()["active"].get<bool>());
  EXPECT_EQ(leaver.Get("/api/v1/tickets").status, 401);
  EXPECT_EQ(leaver.SignIn("acme", "leaver@acme.test", "leaver-password-1").status, 401);
  // An admin cannot lock themself out.
  auto me = Admin().Get("/api/v1/auth/session").Json()["agent"]["id"].get<int>();
  EXPECT_EQ(Admin().Patch("/api/v1/agents/" + std::to_string(me), json{{"active", false}}).status, 409);
}

TEST_F(ApiTest, AnAgentKeepsTheirOwnLanguageOnTheServer) {
  auto changed = Admin().Patch("/api/v1/me", json{{"locale", "ko"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json()["locale"], "ko");
  EXPECT_EQ(Admin().Get("/api/v1/auth/session").Json()["agent"]["locale"], "ko");
  auto bad = Admin().Patch("/api/v1/me", json{{"locale", "fr"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["field"], "locale");
  EXPECT_EQ(Admin().Patch("/api/v1/me", json{{"role", "admin"}}).status, 400);  // not a profile field
  EXPECT_EQ(Admin().Patch("/api/v1/me", json{{"locale", ""}}).Json()["locale"], "");
}

TEST_F(ApiTest, WrongPasswordsAreThrottled) {
  Client client(server_->port());
  int last = 0;
  for (int idx = 0; idx < 12; ++idx) last = client.SignIn("acme", "admin@acme.test", "wrong-password-x").status;
  EXPECT_EQ(last, 429);
}

// Behind nginx every request comes from the proxy's address: with server.trusted_proxies,
// limits count the client X-Forwarded-For names instead.
int WrongSignIn(const KizunaProcess& server, const std::string& forwarded_for, int attempt) {
  Client client(server.port());
  return client
      .Post("/api/v1/auth/sign-in",
            json{{"workspace", "proxy"}, {"email", "nobody" + std::to_string(attempt) + "@proxy.test"},
                 {"password", "wrong-password"}},
            {{"X-Forwarded-For", forwarded_for}})
      .status;
}

TEST(ProxyTest, BehindATrustedProxyEachClientHasItsOwnSignInLimit) {
  KizunaProcess server(std::vector<std::pair<std::string, std::string>>{{"KIZUNA_SERVER_TRUSTED_PROXIES", "127.0.0.1"}});
  server.Start();
  server.CreateWorkspaceWithToken("proxy", "admin@proxy.test");
  int last = 0;
  for (int attempt = 0; attempt < 51; ++attempt) last = WrongSignIn(server, "203.0.113.7", attempt);
  EXPECT_EQ(last, 429) << "one client's 51st attempt in five minutes";
  EXPECT_EQ(WrongSignIn(server, "198.51.100.9", 100), 401) << "another client behind the same proxy";
  EXPECT_EQ(WrongSignIn(server, "203.0.113.7, 198.51.100.9", 101), 401) << "the right-most address is the client";
  EXPECT_EQ(WrongSignIn(server, "198.51.100.9, 203.0.113.7", 102), 429)
      << "what the client writes in front of its own address is not believed";
}

TEST(ProxyTest, WithoutTrustedProxiesForwardedForIsIgnored) {
  KizunaProcess server;
  server.Start();
  server.CreateWorkspaceWithToken("proxy", "admin@proxy.test");
  int last = 0;
  for (int attempt = 0; attempt < 51; ++attempt) {
    last = WrongSignIn(server, "203.0.113." + std::to_string(attempt), attempt);
  }
  EXPECT_EQ(last, 429) << "every attempt counted against the connection's address";
}

TEST_F(ApiTest, TokensAreLimitedToTheirScopes) {
  auto created = Admin().Post("/api/v1/tokens", json{{"name", "reader"}, {"scopes", {"tickets:read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Client reader(server_->port());
  reader.set_token(created.Json()["token"].get<std::string>());
  EXPECT_EQ(reader.Get("/api/v1/tickets").status, 200);
  EXPECT_EQ(reader.Post("/api/v1/tickets", json{{"subject", "x"}}).status, 403);
  EXPECT_EQ(reader.Get("/api/v1/customers").status, 403);
  auto id = created.Json()["id"].get<int>();
  EXPECT_EQ(Admin().Request("DELETE", "/api/v1/tokens/" + std::to_string(id)).status, 200);
  EXPECT_EQ(reader.Get("/api/v1/tickets").status, 401);
}

TEST_F(ApiTest, HealthReadinessAndMetricsAnswer) {
  Client anonymous(server_->port());
  EXPECT_EQ(anonymous.Get("/healthz").status, 200);
  EXPECT_EQ(anonymous.Get("/readyz").status, 200);
  auto metrics = anonymous.Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("kizuna_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("kizuna_store_duration_seconds_bucket{op=\"read\""), std::string::npos);
}

}  // namespace
}  // namespace kizuna::testing
