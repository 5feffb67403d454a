// Service levels through the API: calendars and SLA policies, the SLA on tickets, and the
// inbox sorted by due time. The real binary with the real clock, so times are checked
// relative to each ticket's creation.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr long long kMinuteMs = 60'000;

// Milliseconds since the epoch of the API's "2026-11-23T12:46:04.123Z".
long long Millis(const json& value) {
  std::tm tm{};
  int ms = 0;
  const std::string text = value.get<std::string>();
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                        &tm.tm_min, &tm.tm_sec, &ms),
            7)
      << text;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<long long>(timegm(&tm)) * 1000 + ms;
}

json Target(const char* metric, int minutes, const char* clock) {
  return json{{"metric", metric}, {"minutes", minutes}, {"clock", clock}};
}

class SlaApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new KizunaProcess();
    server_->Start();
    token_ = server_->CreateWorkspaceWithToken("sla", "admin@sla.test");
    reader_token_ = server_->CreateWorkspaceWithToken("slareader", "admin@reader.test", "tickets:read");
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
  json NewTicket(const std::string& priority) {
    auto res = Admin().Post("/api/v1/tickets", json{{"subject", "至急 " + priority},
                                                    {"body", "確認してください"},
                                                    {"priority", priority},
                                                    {"requester", {{"email", "hana@example.jp"}}}});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.Json();
  }

  static KizunaProcess* server_;
  static std::string token_;
  static std::string reader_token_;
};

KizunaProcess* SlaApiTest::server_ = nullptr;
std::string SlaApiTest::token_;
std::string SlaApiTest::reader_token_;

TEST_F(SlaApiTest, PoliciesGiveTicketsDueTimesAndTheInboxSortsByThem) {
  json day = json::array({{{"start", "09:00"}, {"end", "18:00"}}});
  auto calendar = Admin().Post("/api/v1/calendars", {{"name", "東京オフィス"},
                                                     {"time_zone", "Asia/Tokyo"},
                                                     {"hours", {{"mon", day}, {"tue", day}, {"wed", day}, {"thu", day},
                                                                {"fri", day}}},
                                                     {"holidays", {"2027-01-01"}}});
  ASSERT_EQ(calendar.status, 201) << calendar.body;
  const int calendar_id = calendar.Json()["id"].get<int>();
  EXPECT_EQ(calendar.Header("location"), "/api/v1/calendars/" + std::to_string(calendar_id));
  EXPECT_EQ(calendar.Json()["hours"]["sat"], json::array());

  auto urgent = Admin().Post("/api/v1/sla/policies", {{"name", "Urgent"},
                                                      {"conditions", {{"priorities", {"urgent"}}}},
                                                      {"targets", {Target("first_reply", 30, "calendar")}}});
  ASSERT_EQ(urgent.status, 201) << urgent.body;
  auto high = Admin().Post("/api/v1/sla/policies",
                           {{"name", "High, office hours"},
                            {"calendar_id", calendar_id},
                            {"conditions", {{"priorities", {"high"}}}},
                            {"targets",
                             {Target("first_reply", 60, "calendar"), Target("resolution", 480, "business")}}});
  ASSERT_EQ(high.status, 201) << high.body;
  EXPECT_GT(high.Json()["position"], urgent.Json()["position"]);
  auto listed = Admin().Get("/api/v1/sla/policies");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json()["policies"].size(), 2u);
  EXPECT_EQ(listed.Json()["policies"][0]["name"], "Urgent");

  json normal = NewTicket("normal");
  json urgent1 = NewTicket("urgent");
  json high1 = NewTicket("high");
  json urgent2 = NewTicket("urgent");

  EXPECT_TRUE(normal["sla"].is_null()) << normal.dump();
  ASSERT_TRUE(urgent1["sla"].is_object()) << urgent1.dump();
  EXPECT_EQ(urgent1["sla"]["policy_id"], urgent.Json()["id"]);
  const json& first_reply = urgent1["sla"]["targets"][0];
  EXPECT_EQ(first_reply["metric"], "first_reply");
  EXPECT_EQ(first_reply["state"], "running");
  EXPECT_EQ(first_reply["breached"], false);
  EXPECT_EQ(Millis(first_reply["due_at"]) - Millis(urgent1["created_at"]), 30 * kMinuteMs);
  EXPECT_EQ(urgent1["sla"]["next_due_at"], first_reply["due_at"]);

  // The high ticket's resolution counts Tokyo office hours: due on a weekday within 09:00–18:00.
  auto got = Admin().Get("/api/v1/tickets/" + std::to_string(high1["id"].get<int>()));
  ASSERT_EQ(got.status, 200);
  const json resolution = got.Json()["sla"]["targets"][1];
  EXPECT_EQ(resolution["metric"], "resolution");
  const long long due = Millis(resolution["due_at"]);
  EXPECT_GE(due - Millis(high1["created_at"]), 480 * kMinuteMs);
  std::time_t tokyo = static_cast<std::time_t>(due / 1000 + 9 * 3600);
  std::tm local{};
  gmtime_r(&tokyo, &local);
  EXPECT_TRUE(local.tm_wday >= 1 && local.tm_wday <= 5) << resolution.dump();
  // After 09:00:00 (a clock running out at opening time is due at 18:00 the day before), and
  // by 18:00:00; to the second, as a ticket made at 10:00:04 is due at 09:00:04 next morning.
  const int second = local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec;
  EXPECT_TRUE(second > 9 * 3600 && second <= 18 * 3600) << resolution.dump();

  // Soonest due first, two at a time, the ticket without an SLA last.
  std::vector<int> order;
  std::string target = "/api/v1/tickets?sort=due_at&limit=2";
  for (int guard = 0; guard < 10; ++guard) {
    auto res = Admin().Get(target);
    ASSERT_EQ(res.status, 200) << res.body;
    const json page = res.Json();
    for (const auto& t : page["tickets"]) order.push_back(t["id"].get<int>());
    if (page["next_cursor"].is_null()) break;
    target = "/api/v1/tickets?sort=due_at&limit=2&cursor=" + page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(order, (std::vector<int>{urgent1["id"].get<int>(), urgent2["id"].get<int>(), high1["id"].get<int>(),
                                     normal["id"].get<int>()}));

  // Answering the first urgent ticket meets its target and sends it to the end of the queue.
  auto reply = Admin().Post("/api/v1/tickets/" + std::to_string(urgent1["id"].get<int>()) + "/messages",
                            {{"body", "承知しました"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(reply.Json()["ticket"]["sla"]["targets"][0]["state"], "fulfilled");
  EXPECT_TRUE(reply.Json()["ticket"]["sla"]["next_due_at"].is_null());
  auto unsolved = Admin().Get("/api/v1/tickets?status=unsolved&sort=due_at");
  ASSERT_EQ(unsolved.status, 200);
  EXPECT_EQ(unsolved.Json()["tickets"][0]["id"], urgent2["id"]);
  auto descending = Admin().Get("/api/v1/tickets?sort=-due_at&limit=1");
  ASSERT_EQ(descending.status, 200);
  EXPECT_TRUE(descending.Json()["tickets"][0]["sla"].is_null() ||
              descending.Json()["tickets"][0]["sla"]["next_due_at"].is_null());
}

TEST_F(SlaApiTest, BadShapesAnswer400WithTheField) {
  json day = json::array({{{"start", "09:00"}, {"end", "18:00"}}});
  const struct {
    const char* what;
    const char* path;
    json body;
    const char* field;
  } cases[] = {
      {"unknown metric", "/api/v1/sla/policies", {{"name", "x"}, {"targets", {Target("first_hug", 5, "calendar")}}},
       "targets[0].metric"},
      {"zero minutes", "/api/v1/sla/policies", {{"name", "x"}, {"targets", {Target("first_reply", 0, "business")}}},
       "targets[0].minutes"},
      {"negative minutes", "/api/v1/sla/policies",
       {{"name", "x"}, {"targets", {Target("resolution", 60, "business"), Target("first_reply", -1, "business")}}},
       "targets[1].minutes"},
      {"targets not a list", "/api/v1/sla/policies", {{"name", "x"}, {"targets", "first_reply"}}, "targets"},
      {"no targets", "/api/v1/sla/policies", {{"name", "x"}}, "targets"},
      {"bad priority", "/api/v1/sla/policies",
       {{"name", "x"}, {"conditions", {{"priorities", {"asap"}}}}, {"targets", {Target("first_reply", 5, "calendar")}}},
       "conditions.priorities[0]"},
      {"unknown calendar", "/api/v1/sla/policies",
       {{"name", "x"}, {"calendar_id", 987654}, {"targets", {Target("first_reply", 5, "calendar")}}}, "calendar_id"},
      {"unknown field", "/api/v1/sla/policies", {{"name", "x"}, {"targets", json::array()}, {"colour", "red"}},
       "colour"},
      {"unknown time zone", "/api/v1/calendars",
       {{"name", "x"}, {"time_zone", "Mars/Olympus"}, {"hours", {{"mon", day}}}}, "time_zone"},
      {"no open hours", "/api/v1/calendars", {{"name", "x"}, {"time_zone", "Asia/Tokyo"}, {"hours", json::object()}},
       "hours"},
      {"hours not an object", "/api/v1/calendars", {{"name", "x"}, {"time_zone", "Asia/Tokyo"}, {"hours", day}},
       "hours"},
      {"bad end", "/api/v1/calendars",
       {{"name", "x"}, {"time_zone", "Asia/Tokyo"}, {"hours", {{"mon", {{{"start", "09:00"}, {"end", "9pm"}}}}}}},
       "hours.mon[0].end"},
      {"bad holiday", "/api/v1/calendars",
       {{"name", "x"}, {"time_zone", "Asia/Tokyo"}, {"hours", {{"mon", day}}}, {"holidays", {"tomorrow"}}},
       "holidays[0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto res = Admin().Post(c.path, c.body);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.Json().value("field", ""), c.field) << res.body;
  }
  auto sort = Admin().Get("/api/v1/tickets?sort=due");
  EXPECT_EQ(sort.status, 400);
  EXPECT_EQ(sort.Json().value("field", ""), "sort");
}

TEST_F(SlaApiTest, PoliciesAndCalendarsChangeWithIfMatchAndOnlyAdminsSeeThem) {
  json day = json::array({{{"start", "08:00"}, {"end", "17:00"}}});
  auto calendar = Admin().Post("/api/v1/calendars",
                               {{"name", "Hà Nội"}, {"time_zone", "Asia/Ho_Chi_Minh"}, {"hours", {{"mon", day}}}});
  ASSERT_EQ(calendar.status, 201) << calendar.body;
  const std::string calendar_path = "/api/v1/calendars/" + std::to_string(calendar.Json()["id"].get<int>());
  auto policy = Admin().Post("/api/v1/sla/policies", {{"name", "Hanoi"},
                                                      {"calendar_id", calendar.Json()["id"]},
                                                      {"conditions", {{"channels", {"email"}}}},
                                                      {"targets", {Target("first_reply", 60, "business")}}});
  ASSERT_EQ(policy.status, 201) << policy.body;
  const std::string policy_path = "/api/v1/sla/policies/" + std::to_string(policy.Json()["id"].get<int>());

  auto renamed = Admin().Patch(calendar_path, {{"name", "Hanoi office"}}, {{"If-Match", "\"1\""}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.Header("etag"), "\"2\"");
  EXPECT_EQ(renamed.Json()["hours"]["mon"], day) << "hours left out keep their value";
  EXPECT_EQ(Admin().Patch(calendar_path, {{"name", "stale"}}, {{"If-Match", "\"1\""}}).status, 412);
  EXPECT_EQ(Admin().Patch(calendar_path, {{"hours", json::object()}}).status, 400);

  auto in_use = Admin().Request("DELETE", calendar_path);
  EXPECT_EQ(in_use.status, 409) << in_use.body;
  auto to_24_7 = Admin().Patch(policy_path, {{"calendar_id", nullptr}});
  ASSERT_EQ(to_24_7.status, 200) << to_24_7.body;
  EXPECT_TRUE(to_24_7.Json()["calendar_id"].is_null());
  EXPECT_EQ(Admin().Request("DELETE", calendar_path).status, 200);
  EXPECT_EQ(Admin().Get(calendar_path).status, 404);
  EXPECT_EQ(Admin().Request("DELETE", policy_path).status, 200);
  EXPECT_EQ(Admin().Get(policy_path).status, 404);

  Client reader(server_->port());
  reader.set_token(reader_token_);
  EXPECT_EQ(reader.Get("/api/v1/sla/policies").status, 403);
  EXPECT_EQ(reader.Get("/api/v1/calendars").status, 403);
  EXPECT_EQ(reader.Get("/api/v1/tickets?sort=due_at").status, 200);
}

// A policy change reaches the open tickets it governs: the SLA timer re-evaluates them in the
// background (on PostgreSQL too, where each batch's progress is saved only after the batch
// before it).
TEST_F(SlaApiTest, APolicyChangeMovesTheDueTimesOfOpenTickets) {
  Client admin(server_->port());
  admin.set_token(server_->CreateWorkspaceWithToken("slareeval", "admin@reeval.test"));
  auto policy = admin.Post("/api/v1/sla/policies", {{"name", "Everyone"},
                                                    {"conditions", json::object()},
                                                    {"targets", {Target("first_reply", 60, "calendar")}}});
  ASSERT_EQ(policy.status, 201) << policy.body;
  std::vector<json> tickets;
  for (const char* who : {"an", "binh", "chi"}) {
    auto res = admin.Post("/api/v1/tickets", json{{"subject", "Đơn hàng chưa đến"},
                                                  {"body", "Tôi chưa nhận được hàng"},
                                                  {"requester", {{"email", std::string(who) + "@example.vn"}}}});
    ASSERT_EQ(res.status, 201) << res.body;
    tickets.push_back(res.Json());
    EXPECT_EQ(Millis(tickets.back()["sla"]["next_due_at"]) - Millis(tickets.back()["created_at"]), 60 * kMinuteMs);
  }
  auto changed = admin.Patch("/api/v1/sla/policies/" + std::to_string(policy.Json()["id"].get<int>()),
                             {{"targets", {Target("first_reply", 15, "calendar")}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  for (const json& ticket : tickets) {
    const std::string path = "/api/v1/tickets/" + std::to_string(ticket["id"].get<int>());
    long long due_after = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto got = admin.Get(path);
      ASSERT_EQ(got.status, 200) << got.body;
      due_after = Millis(got.Json()["sla"]["next_due_at"]) - Millis(ticket["created_at"]);
      if (due_after == 15 * kMinuteMs) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(due_after, 15 * kMinuteMs) << path << " was not re-evaluated within 10 s";
  }
}

// The SLA timer in the running server: a warning given once, also for a ticket whose warning
// fell due while the server was killed. A 1-minute target warned at 1 % warns after 0.6 s.
std::vector<json> SlaEventsOf(Client& client, long long ticket) {
  auto res = client.Get("/api/v1/tickets/" + std::to_string(ticket) + "/events");
  EXPECT_EQ(res.status, 200) << res.body;
  std::vector<json> out;
  json events = res.Json();
  const json& list = events.is_array() ? events : events["events"];
  for (const auto& e : list) {
    if (e.value("type", "").rfind("sla.", 0) == 0) out.push_back(e);
  }
  return out;
}

std::vector<json> WaitForSlaEvents(Client& client, long long ticket, std::size_t count) {
  std::vector<json> events;
  for (int attempt = 0; attempt < 100; ++attempt) {
    events = SlaEventsOf(client, ticket);
    if (events.size() >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return events;
}

TEST(SlaTimerApiTest, WarnsOnceAndCatchesUpAfterAKill) {
  KizunaProcess server;
  server.Start();
  const std::string token = server.CreateWorkspaceWithToken("timer", "admin@timer.test");
  Client admin(server.port());
  admin.set_token(token);
  auto policy = admin.Post("/api/v1/sla/policies", {{"name", "Fast"},
                                                    {"targets", {Target("first_reply", 1, "calendar")}},
                                                    {"warning_percent", 1},
                                                    {"escalations", {{"warning", {{"notify", false}}}}}});
  ASSERT_EQ(policy.status, 201) << policy.body;
  EXPECT_EQ(policy.Json()["warning_percent"], 1);
  EXPECT_EQ(policy.Json()["escalations"]["breach"]["notify"], true) << "defaults kept";
  auto new_ticket = [&]() {
    auto res = admin.Post("/api/v1/tickets", json{{"subject", "Cần hỗ trợ gấp"},
                                                 {"body", "Xin hãy kiểm tra"},
                                                 {"requester", {{"email", "lan@example.vn"}}}});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.Json();
  };
  json first = new_ticket();
  const long long first_id = first["id"].get<long long>();
  const json& target = first["sla"]["targets"][0];
  EXPECT_EQ(Millis(target["warning_at"]) - Millis(first["created_at"]), 600);
  auto warned = WaitForSlaEvents(admin, first_id, 1);
  ASSERT_EQ(warned.size(), 1u) << "the timer warns within seconds";
  EXPECT_EQ(warned[0]["type"], "sla.warning");
  EXPECT_EQ(warned[0]["data"]["metric"], "first_reply");

  // Acknowledged, then the server dies before the warning falls due; it comes back later.
  json second = new_ticket();
  const long long second_id = second["id"].get<long long>();
  server.Kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  server.Start();
  Client after(server.port());
  after.set_token(token);
  auto caught_up = WaitForSlaEvents(after, second_id, 1);
  ASSERT_EQ(caught_up.size(), 1u) << "the warning that fell due while it was down is given";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // a round or more of the timer
  EXPECT_EQ(SlaEventsOf(after, second_id).size(), 1u) << "once";
  EXPECT_EQ(SlaEventsOf(after, first_id).size(), 1u) << "not again after the restart";
}

}  // namespace
}  // namespace kizuna::testing
