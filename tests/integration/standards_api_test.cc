// Service standards through the API (C3): kept by supervisors and admins with field errors and
// versions, read by agents, and compliance figures from replies made through the API and the
// help centre. The real binary with the real clock: intervals last milliseconds, except where
// the test waits on purpose.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "harness.h"
#include "outbox_peek.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

// The date in Tokyo (UTC+9) `days_ahead` days from now, "YYYY-MM-DD".
std::string TokyoDate(int days_ahead = 0) {
  std::time_t t = std::time(nullptr) + 9 * 3600 + days_ahead * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

class StandardsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new KizunaProcess();
    server_->Start();
    token_ = server_->CreateWorkspaceWithToken("stdapi", "admin@std.test");
    Client admin = Admin();
    auto agent = admin.Post("/api/v1/agents", {{"email", "mei@std.test"}, {"name", "Mei"}, {"role", "agent"},
                                               {"password", "mei-password-1"}});
    ASSERT_EQ(agent.status, 201) << agent.body;
    mei_id_ = agent.Json()["id"].get<int>();
    auto token = admin.Post("/api/v1/tokens", {{"name", "mei"}, {"scopes", {"admin"}}, {"agent_id", mei_id_}});
    ASSERT_EQ(token.status, 201) << token.body;
    mei_token_ = token.Json()["token"].get<std::string>();
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
  // An agent (not a supervisor): the token's admin scope does not lift the agent's role.
  static Client Mei() {
    Client client(server_->port());
    client.set_token(mei_token_);
    return client;
  }
  static json Created(const HttpResult& res) {
    EXPECT_EQ(res.status, 201) << res.body;
    return res.Json();
  }

  static KizunaProcess* server_;
  static std::string token_;
  static std::string mei_token_;
  static int mei_id_;
};

KizunaProcess* StandardsApiTest::server_ = nullptr;
std::string StandardsApiTest::token_;
std::string StandardsApiTest::mei_token_;
int StandardsApiTest::mei_id_ = 0;

TEST_F(StandardsApiTest, StandardsAreKeptWithFieldErrorsVersionsAndRoles) {
  Client admin = Admin();
  auto created = admin.Post("/api/v1/service-standards", {{"name", "メール初回返信 1 時間以内"},
                                                          {"metric", "first_reply"},
                                                          {"channels", {"email", "chat", "email"}},
                                                          {"target_seconds", 3600}});
  ASSERT_EQ(created.status, 201) << created.body;
  const json standard = created.Json();
  const std::string path = "/api/v1/service-standards/" + std::to_string(standard["id"].get<int>());
  EXPECT_EQ(created.Header("location"), path);
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_EQ(standard["channels"], json({"chat", "email"}));
  EXPECT_EQ(standard["clock"], "business");
  EXPECT_TRUE(standard["calendar_id"].is_null());
  EXPECT_EQ(standard["version"], 1);

  const struct {
    const char* what;
    std::string body;
    const char* field;
  } bad[] = {
      {"no name", json{{"metric", "first_reply"}, {"target_seconds", 60}}.dump(), "name"},
      {"unknown metric", json{{"name", "x"}, {"metric", "first_hug"}, {"target_seconds", 60}}.dump(), "metric"},
      {"zero target", json{{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 0}}.dump(), "target_seconds"},
      {"target as text", json{{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", "60"}}.dump(),
       "target_seconds"},
      {"target over 30 days", json{{"name", "x"}, {"metric", "resolution"}, {"target_seconds", 2592001}}.dump(),
       "target_seconds"},
      {"unknown channel",
       json{{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 60}, {"channels", {"chat", "pigeon"}}}.dump(),
       "channels[1]"},
      {"unknown clock", json{{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 60}, {"clock", "moon"}}.dump(),
       "clock"},
      {"no such calendar",
       json{{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 60}, {"calendar_id", 987654}}.dump(),
       "calendar_id"},
      {"unknown field", json{{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 60}, {"colour", "red"}}.dump(),
       "colour"},
      {"not JSON", "{name: x", "body"},
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.what);
    auto res = admin.Request("POST", "/api/v1/service-standards", c.body);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/problem+json");
    EXPECT_EQ(res.Json().value("field", ""), c.field) << res.body;
  }

  auto changed = admin.Patch(path, {{"target_seconds", 1800}, {"channels", json::array()}}, {{"If-Match", "\"1\""}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json()["version"], 2);
  EXPECT_EQ(changed.Json()["target_seconds"], 1800);
  EXPECT_EQ(changed.Json()["channels"], json::array());
  EXPECT_EQ(changed.Json()["name"], "メール初回返信 1 時間以内");
  auto stale = admin.Patch(path, {{"name", "late"}}, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(admin.Patch(path, {{"metric", "periodic_update"}}).Json().value("field", ""), "metric");
  // What cannot be cleared is refused as null, not taken as "unchanged".
  for (const char* key : {"clock", "metric", "name"}) {
    auto null_field = admin.Patch(path, {{key, nullptr}});
    EXPECT_EQ(null_field.status, 400) << key << ": " << null_field.body;
    EXPECT_EQ(null_field.Json().value("field", ""), key) << null_field.body;
  }
  auto got = admin.Get(path);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Header("etag"), "\"2\"");

  // An agent reads, but does not change.
  Client mei = Mei();
  EXPECT_EQ(mei.Get("/api/v1/service-standards").status, 200);
  EXPECT_EQ(mei.Get(path).status, 200);
  EXPECT_EQ(mei.Get("/api/v1/service-standards/compliance").status, 200);
  EXPECT_EQ(mei.Post("/api/v1/service-standards", {{"name", "x"}, {"metric", "first_reply"}, {"target_seconds", 60}})
                .status,
            403);
  EXPECT_EQ(mei.Patch(path, {{"name", "mine"}}).status, 403);
  EXPECT_EQ(mei.Request("DELETE", path).status, 403);

  auto deleted = admin.Request("DELETE", path);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(admin.Get(path).status, 404);
  EXPECT_EQ(admin.Request("DELETE", path).status, 404);
  EXPECT_EQ(admin.Get("/api/v1/service-standards/abc").status, 404);  // a malformed id names nothing
}

TEST_F(StandardsApiTest, ComplianceComesFromRepliesMadeThroughTheApiAndTheHelpCentre) {
  Client admin = Admin();
  ASSERT_EQ(admin.Request("PATCH", "/api/v1/workspace", json{{"time_zone", "Asia/Tokyo"}}.dump()).status, 200);
  const int team = Created(admin.Post("/api/v1/teams", {{"name", "Support"}}))["id"].get<int>();
  auto standard = [&](const std::string& name, const std::string& metric, int seconds, json channels) {
    return Created(admin.Post("/api/v1/service-standards", {{"name", name},
                                                            {"metric", metric},
                                                            {"target_seconds", seconds},
                                                            {"clock", "calendar"},
                                                            {"channels", channels}}))["id"]
        .get<int>();
  };
  const int within_hour = standard("First reply within 1 h", "first_reply", 3600, json::array());
  const int within_2s = standard("First reply within 2 s", "first_reply", 2, json::array());
  const int next_within_hour = standard("Next reply within 1 h", "next_reply", 3600, json::array());
  const int web_only = standard("Web first reply within 1 h", "first_reply", 3600, {"web"});
  const int resolved = standard("Resolved within 1 h", "resolution", 3600, json::array());
  const std::string before = TokyoDate();

  // A visitor asks in the help centre; the admin answers after 2.2 s (late for "2 s"); the
  // customer signs in and replies; the admin answers again and solves.
  Client visitor(server_->port());
  auto submitted = visitor.Post("/api/v1/portal/stdapi/requests", {{"name", "Lê Văn An"},
                                                                   {"email", "an@example.vn"},
                                                                   {"subject", "Chưa nhận được hàng"},
                                                                   {"body", "Đơn 42 chưa đến."}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  const int number = submitted.Json()["number"].get<int>();
  auto web = admin.Get("/api/v1/tickets?channel=web").Json()["tickets"];
  ASSERT_EQ(web.size(), 1u);
  const std::string web_ticket = "/api/v1/tickets/" + std::to_string(web[0]["id"].get<int>());
  ASSERT_EQ(Created(admin.Post(web_ticket + "/messages", {{"kind", "note"}, {"body", "checking stock"}}))["kind"],
            "note");
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  Created(admin.Post(web_ticket + "/messages", {{"body", "Chúng tôi đang kiểm tra."}}));

  Client customer(server_->port());
  ASSERT_EQ(customer.Post("/api/v1/portal/stdapi/sign-in-link", {{"email", "an@example.vn"}}).status, 202);
  auto opened = customer.Post("/api/v1/portal/stdapi/session", {{"token", SignInTokenFor(*server_, "an@example.vn")}});
  ASSERT_EQ(opened.status, 200) << opened.body;
  const std::string cookie = opened.Header("set-cookie");
  customer.set_cookie(cookie.substr(0, cookie.find(';')));
  customer.set_csrf(opened.Json().value("csrf_token", ""));
  auto replied = customer.Post("/api/v1/portal/stdapi/requests/" + std::to_string(number) + "/messages",
                               {{"body", "Cảm ơn, tôi chờ."}});
  ASSERT_EQ(replied.status, 201) << replied.body;
  Created(admin.Post(web_ticket + "/messages", {{"body", "Đã gửi lại hàng."}}));
  Created(admin.Post(web_ticket + "/messages", {{"body", "Xin cảm ơn."}, {"status", "solved"}}));

  // Mei answers an API ticket of the Support team at once.
  auto api_ticket = Created(admin.Post("/api/v1/tickets", {{"subject", "請求書"},
                                                            {"body", "請求書をください"},
                                                            {"team_id", team},
                                                            {"requester", {{"email", "sato@example.jp"}}}}));
  Created(Mei().Post("/api/v1/tickets/" + std::to_string(api_ticket["id"].get<int>()) + "/messages",
                     {{"body", "お送りします"}}));
  const std::string after = TokyoDate();

  const std::string range = "from=" + TokyoDate(-1) + "&to=" + TokyoDate(1);
  auto by_day = admin.Get("/api/v1/service-standards/compliance?" + range + "&group_by=day");
  ASSERT_EQ(by_day.status, 200) << by_day.body;
  const json report = by_day.Json();
  EXPECT_EQ(report["time_zone"], "Asia/Tokyo");
  EXPECT_EQ(report["group_by"], "day");
  EXPECT_EQ(report["from"], TokyoDate(-1));
  ASSERT_EQ(report["standards"].size(), 5u) << report.dump();
  const struct {
    int id;
    int met;
    int total;
  } want[] = {{within_hour, 2, 2}, {within_2s, 1, 2}, {next_within_hour, 1, 1}, {web_only, 1, 1}, {resolved, 1, 1}};
  for (std::size_t idx = 0; idx < 5; ++idx) {
    const json& s = report["standards"][idx];
    SCOPED_TRACE(s["name"].get<std::string>());
    EXPECT_EQ(s["standard_id"], want[idx].id);
    EXPECT_EQ(s["met"], want[idx].met);
    EXPECT_EQ(s["total"], want[idx].total);
    EXPECT_DOUBLE_EQ(s["compliance"].get<double>(), static_cast<double>(want[idx].met) / want[idx].total);
    ASSERT_EQ(s["groups"].size(), 3u);
    int met = 0;
    int total = 0;
    for (const auto& g : s["groups"]) {
      met += g["met"].get<int>();
      total += g["total"].get<int>();
      EXPECT_EQ(g["key"], g["label"]);
      if (g["total"] == 0) {
        EXPECT_TRUE(g["compliance"].is_null());
      }
    }
    EXPECT_EQ(met, want[idx].met);
    EXPECT_EQ(total, want[idx].total);
    // Everything happened today in Tokyo (the middle day), unless the test ran across midnight.
    if (before == after) {
      EXPECT_EQ(s["groups"][1]["key"], before);
      EXPECT_EQ(s["groups"][1]["total"], want[idx].total);
    }
  }

  auto by_agent = admin.Get("/api/v1/service-standards/compliance?" + range + "&group_by=agent");
  ASSERT_EQ(by_agent.status, 200) << by_agent.body;
  const json agents = by_agent.Json()["standards"][1]["groups"];  // first reply within 2 s
  ASSERT_EQ(agents.size(), 2u) << agents.dump();
  const json admin_agent = admin.Get("/api/v1/auth/session").Json()["agent"];
  EXPECT_EQ(agents[0]["key"], admin_agent["id"]);
  EXPECT_EQ(agents[0]["label"], admin_agent["name"]);  // late, after 2.2 s
  EXPECT_EQ(agents[0]["met"], 0);
  EXPECT_EQ(agents[0]["total"], 1);
  EXPECT_EQ(agents[1]["key"], mei_id_);
  EXPECT_EQ(agents[1]["label"], "Mei");
  EXPECT_EQ(agents[1]["met"], 1);
  EXPECT_EQ(agents[1]["compliance"], 1.0);

  auto by_team = Mei().Get("/api/v1/service-standards/compliance?" + range + "&group_by=team");
  ASSERT_EQ(by_team.status, 200) << by_team.body;
  const json teams = by_team.Json()["standards"][0]["groups"];  // first reply within 1 h
  ASSERT_EQ(teams.size(), 2u) << teams.dump();
  EXPECT_EQ(teams[0]["key"], team);
  EXPECT_EQ(teams[0]["label"], "Support");
  EXPECT_TRUE(teams[1]["key"].is_null()) << "the help-centre ticket has no team";
  EXPECT_EQ(teams[1]["total"], 1);

  // Bad questions are 400 with the parameter, never 500.
  const struct {
    const char* query;
    const char* field;
  } bad[] = {
      {"from=2026-13-01", "from"},
      {"from=2026-06-01&to=2026-05-31", "from"},
      {"from=2025-01-01&to=2026-01-02", "to"},
      {"to=20260601", "to"},
      {"group_by=week", "group_by"},
      {"from=", "from"},
      {"from=%F0%9F%98%80", "from"},
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.query);
    auto res = admin.Get(std::string("/api/v1/service-standards/compliance?") + c.query);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.Json().value("field", ""), c.field) << res.body;
  }
}

}  // namespace
}  // namespace kizuna::testing
