// Voice (C18) through the API: a phone system's events (POST /api/v1/voice/events) become one
// phone ticket per call with its events on the timeline, retries write nothing twice, bad
// events are refused naming the field without writing anything, and the call_answer and
// call_hold standards' compliance comes out by agent and by day. The real binary, on SQLite
// and on PostgreSQL; the instants are the phone system's (`at`), a few minutes back.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kSecond = 1000;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// RFC 3339 in UTC with milliseconds, as the API writes instants.
std::string Iso(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return out;
}

std::string Day(std::int64_t ms) { return Iso(ms).substr(0, 10); }

// A workspace (time zone UTC) with an admin, an agent Ana, a phone desk team and the phone
// system's API token (tickets:write, acting for the admin).
struct Desk {
  Client admin;
  Client cti;
  int admin_id = 0;
  int ana_id = 0;
  int team_id = 0;
};

Desk OpenDesk(const KizunaProcess& server, const std::string& name) {
  Desk desk{Client(server.port()), Client(server.port())};
  desk.admin.set_token(server.CreateWorkspaceWithToken(name, "admin@" + name + ".test"));
  auto agents = desk.admin.Get("/api/v1/agents");
  EXPECT_EQ(agents.status, 200) << agents.body;
  desk.admin_id = agents.Json()["agents"][0]["id"].get<int>();  // the only one yet
  auto ana = desk.admin.Post("/api/v1/agents", {{"email", "ana@" + name + ".test"}, {"name", "Ana"}, {"role", "agent"},
                                                {"password", "ana-password-1"}});
  EXPECT_EQ(ana.status, 201) << ana.body;
  desk.ana_id = ana.Json()["id"].get<int>();
  auto team = desk.admin.Post("/api/v1/teams", {{"name", "Phone desk"}});
  EXPECT_EQ(team.status, 201) << team.body;
  desk.team_id = team.Json()["id"].get<int>();
  auto token = desk.admin.Post("/api/v1/tokens", {{"name", "pbx"}, {"scopes", {"tickets:write"}}});
  EXPECT_EQ(token.status, 201) << token.body;
  desk.cti.set_token(token.Json()["token"].get<std::string>());
  return desk;
}

class VoiceApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new KizunaProcess();
    server_->Start();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  static json Ringing(const std::string& call_id, std::int64_t at, const Desk& desk) {
    return {{"call_id", call_id}, {"type", "ringing"},  {"at", Iso(at)},
            {"from", "+81 90-1234-5678"}, {"to", "+81 3-1234-0000"}, {"team_id", desk.team_id}};
  }
  static json Event(const std::string& call_id, const std::string& type, std::int64_t at) {
    return {{"call_id", call_id}, {"type", type}, {"at", Iso(at)}};
  }
  static json Answered(const std::string& call_id, std::int64_t at, int agent_id) {
    json event = Event(call_id, "answered", at);
    event["agent_id"] = agent_id;
    return event;
  }
  static HttpResult Send(const Desk& desk, const json& event, const std::map<std::string, std::string>& headers = {}) {
    return desk.cti.Post("/api/v1/voice/events", event, headers);
  }

  // Rows of the tables a call writes, across the whole database.
  static std::string Rows() {
    std::string out;
    for (const char* table : {"tickets", "calls", "call_events", "events", "service_measures", "customers"}) {
      out += std::string(table) + "=" + QueryRows(*server_, std::string("SELECT COUNT(*) FROM ") + table)[0][0] + " ";
    }
    return out;
  }

  static KizunaProcess* server_;
};

KizunaProcess* VoiceApiTest::server_ = nullptr;

TEST_F(VoiceApiTest, ACallBecomesOnePhoneTicketWithItsEventsAndDurations) {
  Desk desk = OpenDesk(*server_, "voicelife");
  const std::int64_t t0 = NowMs() - 10 * 60 * kSecond;
  auto rang = Send(desk, Ringing("life-1", t0, desk));
  ASSERT_EQ(rang.status, 201) << rang.body;
  const json call = rang.Json()["call"];
  EXPECT_EQ(call["state"], "ringing");
  EXPECT_EQ(call["from"], "+819012345678");
  EXPECT_EQ(rang.Json()["replayed"], false);
  const int ticket_id = call["ticket_id"].get<int>();
  for (const json& event :
       {Answered("life-1", t0 + 12 * kSecond, desk.ana_id), Event("life-1", "hold", t0 + 60 * kSecond),
        Event("life-1", "resumed", t0 + 105 * kSecond), Event("life-1", "ended", t0 + 252 * kSecond)}) {
    auto res = Send(desk, event);
    ASSERT_EQ(res.status, 200) << event.dump() << " " << res.body;
  }

  auto ticket = desk.admin.Get("/api/v1/tickets/" + std::to_string(ticket_id));
  ASSERT_EQ(ticket.status, 200) << ticket.body;
  EXPECT_EQ(ticket.Json()["channel"], "phone");
  EXPECT_EQ(ticket.Json()["subject"], "Call from +81 90-1234-5678");
  EXPECT_EQ(ticket.Json()["assignee_id"], desk.ana_id);
  EXPECT_EQ(ticket.Json()["team_id"], desk.team_id);
  EXPECT_EQ(ticket.Json()["status"], "open");

  auto events = desk.admin.Get("/api/v1/tickets/" + std::to_string(ticket_id) + "/events");
  ASSERT_EQ(events.status, 200) << events.body;
  std::vector<std::string> types;
  std::map<std::string, json> data;
  const json listed = events.Json();
  for (const auto& e : listed["events"]) {
    types.push_back(e["type"].get<std::string>());
    data[e["type"].get<std::string>()] = e["data"];
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ticket.created", "call.ringing", "ticket.updated", "call.answered",
                                             "call.hold", "call.resumed", "call.ended"}));
  EXPECT_EQ(data["call.ringing"]["from"], "+81 90-1234-5678");
  EXPECT_EQ(data["call.answered"]["wait_ms"], 12 * kSecond);
  EXPECT_EQ(data["call.answered"]["agent_id"], desk.ana_id);
  EXPECT_EQ(data["call.resumed"]["hold_ms"], 45 * kSecond);
  EXPECT_EQ(data["call.ended"]["talk_ms"], 240 * kSecond);
  EXPECT_EQ(data["call.ended"]["total_hold_ms"], 45 * kSecond);
  EXPECT_EQ(data["call.ended"]["at"], Iso(t0 + 252 * kSecond));

  const auto rows = QueryRows(*server_,
                              "SELECT state, hold_ms, agent_id, ticket_id FROM calls WHERE external_id = 'life-1'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"ended", std::to_string(45 * kSecond), std::to_string(desk.ana_id),
                                               std::to_string(ticket_id)}));
  const auto measures = QueryRows(*server_,
                                  "SELECT metric, ended_at - started_at, agent_id, missed FROM service_measures "
                                  "WHERE ticket_id = " + std::to_string(ticket_id) + " ORDER BY id");
  const std::string ana = std::to_string(desk.ana_id);
  EXPECT_EQ(measures, (std::vector<std::vector<std::string>>{{"call_answer", "12000", ana, "0"},
                                                              {"call_hold", "45000", ana, "0"}}));
  // The same caller again: a new ticket for the same customer.
  auto again = Send(desk, Ringing("life-2", t0 + 300 * kSecond, desk));
  ASSERT_EQ(again.status, 201) << again.body;
  auto second = desk.admin.Get("/api/v1/tickets/" + std::to_string(again.Json()["call"]["ticket_id"].get<int>()));
  EXPECT_EQ(second.Json()["requester_id"], ticket.Json()["requester_id"]);
}

TEST_F(VoiceApiTest, ARetriedEventIsASuccessWithoutASecondWrite) {
  Desk desk = OpenDesk(*server_, "voiceretry");
  const std::int64_t t0 = NowMs() - 5 * 60 * kSecond;
  ASSERT_EQ(Send(desk, Ringing("retry-1", t0, desk)).status, 201);
  ASSERT_EQ(Send(desk, Answered("retry-1", t0 + 3 * kSecond, desk.ana_id)).status, 200);
  const std::string before = Rows();
  // The phone system did not hear our answers and sends both again.
  auto ring_again = Send(desk, Ringing("retry-1", t0, desk));
  EXPECT_EQ(ring_again.status, 200) << ring_again.body;
  EXPECT_EQ(ring_again.Json()["replayed"], true);
  auto answer_again = Send(desk, Answered("retry-1", t0 + 3 * kSecond, desk.ana_id));
  EXPECT_EQ(answer_again.status, 200) << answer_again.body;
  EXPECT_EQ(answer_again.Json()["replayed"], true);
  EXPECT_EQ(answer_again.Json()["call"]["state"], "answered");
  EXPECT_EQ(Rows(), before);

  // With an Idempotency-Key, as on every POST: the stored answer comes back.
  const json hold = Event("retry-1", "hold", t0 + 20 * kSecond);
  auto first = Send(desk, hold, {{"Idempotency-Key", "pbx-retry-1-hold"}});
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string after_hold = Rows();
  auto replay = Send(desk, hold, {{"Idempotency-Key", "pbx-retry-1-hold"}});
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.Header("idempotent-replayed"), "true");
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(Rows(), after_hold);
}

TEST_F(VoiceApiTest, BadEventsAreRefusedNamingTheFieldAndWriteNothing) {
  Desk desk = OpenDesk(*server_, "voicebad");
  const std::int64_t t0 = NowMs() - 5 * 60 * kSecond;
  ASSERT_EQ(Send(desk, Ringing("bad-1", t0, desk)).status, 201);
  ASSERT_EQ(Send(desk, Answered("bad-1", t0 + 5 * kSecond, desk.ana_id)).status, 200);
  ASSERT_EQ(Send(desk, Ringing("bad-done", t0, desk)).status, 201);
  ASSERT_EQ(Send(desk, Event("bad-done", "ended", t0 + 5 * kSecond)).status, 200);
  json unknown_type = Event("bad-1", "transferred", t0 + 9 * kSecond);
  json no_call_id = Event("bad-1", "hold", t0 + 9 * kSecond);
  no_call_id.erase("call_id");
  json long_call_id = Ringing(std::string(201, 'x'), t0, desk);
  json no_from = Ringing("bad-2", t0, desk);
  no_from.erase("from");
  json epoch_at = Event("bad-1", "hold", t0 + 9 * kSecond);
  epoch_at["at"] = t0 + 9 * kSecond;
  json unknown_agent = Answered("bad-3", t0 + 9 * kSecond, 987654);
  json unknown_team = Ringing("bad-4", t0, desk);
  unknown_team["team_id"] = 987654;
  json extra_field = Event("bad-1", "hold", t0 + 9 * kSecond);
  extra_field["colour"] = "red";
  ASSERT_EQ(Send(desk, Ringing("bad-3", t0, desk)).status, 201);

  const std::string before = Rows();
  const struct {
    const char* what;
    std::string body;
    int status;
    const char* field;
  } bad[] = {
      {"unknown type", unknown_type.dump(), 400, "type"},
      {"missing call_id", no_call_id.dump(), 400, "call_id"},
      {"call_id over 200 characters", long_call_id.dump(), 400, "call_id"},
      {"ringing without the caller", no_from.dump(), 400, "from"},
      {"at as a number", epoch_at.dump(), 400, "at"},
      {"unknown field", extra_field.dump(), 400, "colour"},
      {"not JSON", "{call_id: 1", 400, "body"},
      {"an unknown call that is not ringing", Event("bad-404", "hold", t0 + 9 * kSecond).dump(), 404, "call_id"},
      {"answered twice", Answered("bad-1", t0 + 9 * kSecond, desk.ana_id).dump(), 400, "type"},
      {"resumed without hold", Event("bad-1", "resumed", t0 + 9 * kSecond).dump(), 400, "type"},
      {"an event after ended", Event("bad-done", "hold", t0 + 9 * kSecond).dump(), 400, "type"},
      {"ringing a known call again", Ringing("bad-1", t0 + 9 * kSecond, desk).dump(), 400, "type"},
      {"at before the previous event", Event("bad-1", "hold", t0 + 2 * kSecond).dump(), 400, "at"},
      {"at an hour ahead", Event("bad-1", "hold", NowMs() + 3600 * kSecond).dump(), 400, "at"},
      {"an unknown agent", unknown_agent.dump(), 400, "agent_id"},
      {"an unknown team", unknown_team.dump(), 400, "team_id"},
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.what);
    auto res = desk.cti.Request("POST", "/api/v1/voice/events", c.body);
    EXPECT_EQ(res.status, c.status) << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/problem+json");
    EXPECT_EQ(res.Json().value("field", ""), c.field) << res.body;
    EXPECT_FALSE(res.Json().value("detail", "").empty()) << res.body;
  }
  EXPECT_EQ(Rows(), before);

  // A token that may only read tickets may not report calls.
  auto reader = desk.admin.Post("/api/v1/tokens", {{"name", "reader"}, {"scopes", {"tickets:read"}}});
  ASSERT_EQ(reader.status, 201) << reader.body;
  Client read_only(server_->port());
  read_only.set_token(reader.Json()["token"].get<std::string>());
  EXPECT_EQ(read_only.Post("/api/v1/voice/events", Ringing("bad-5", t0, desk)).status, 403);
  Client nobody(server_->port());
  EXPECT_EQ(nobody.Post("/api/v1/voice/events", Ringing("bad-5", t0, desk)).status, 401);
  EXPECT_EQ(Rows(), before);
}

TEST_F(VoiceApiTest, CallStandardsComplianceByAgentAndDayCountsMetAndMissedCalls) {
  Desk desk = OpenDesk(*server_, "voicestd");
  for (const auto& [name, metric, target] : {std::tuple{"Answer within 15 s", "call_answer", 15},
                                             std::tuple{"Hold at most 30 s", "call_hold", 30}}) {
    auto created = desk.admin.Post("/api/v1/service-standards",
                                   {{"name", name}, {"metric", metric}, {"target_seconds", target}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.Json()["channels"], json({"phone"}));
    EXPECT_EQ(created.Json()["clock"], "calendar");
  }
  auto business = desk.admin.Post("/api/v1/service-standards", {{"name", "x"}, {"metric", "call_hold"},
                                                                {"target_seconds", 30}, {"clock", "business"}});
  EXPECT_EQ(business.status, 400) << business.body;
  EXPECT_EQ(business.Json().value("field", ""), "clock");

  // Ana answers after 10 s and holds 20 s (both met); the admin answers after 40 s and holds
  // 45 s (neither met); a third caller hangs up after 5 s of ringing (missed).
  const std::int64_t t0 = NowMs() - 15 * 60 * kSecond;
  const std::vector<json> events = {
      Ringing("std-1", t0, desk),
      Answered("std-1", t0 + 10 * kSecond, desk.ana_id),
      Event("std-1", "hold", t0 + 30 * kSecond),
      Event("std-1", "resumed", t0 + 50 * kSecond),
      Event("std-1", "ended", t0 + 90 * kSecond),
      Ringing("std-2", t0 + 100 * kSecond, desk),
      Answered("std-2", t0 + 140 * kSecond, desk.admin_id),
      Event("std-2", "hold", t0 + 150 * kSecond),
      Event("std-2", "ended", t0 + 195 * kSecond),
      Ringing("std-3", t0 + 200 * kSecond, desk),
      Event("std-3", "ended", t0 + 205 * kSecond),
  };
  for (const auto& event : events) {
    auto res = Send(desk, event);
    ASSERT_TRUE(res.status == 200 || res.status == 201) << event.dump() << " " << res.body;
  }

  const std::string range = "from=" + Day(t0 - 86'400'000) + "&to=" + Day(NowMs());
  auto by_agent = desk.admin.Get("/api/v1/service-standards/compliance?" + range + "&group_by=agent");
  ASSERT_EQ(by_agent.status, 200) << by_agent.body;
  // "label met/total" per group, in the report's order.
  auto groups = [](const json& standard) {
    std::vector<std::string> out;
    for (const auto& g : standard["groups"]) {
      out.push_back((g["label"].is_null() ? "-" : g["label"].get<std::string>()) + " " +
                    std::to_string(g["met"].get<int>()) + "/" + std::to_string(g["total"].get<int>()));
    }
    return out;
  };
  const json answer = by_agent.Json()["standards"][0];
  const json hold = by_agent.Json()["standards"][1];
  ASSERT_EQ(answer["metric"], "call_answer");
  EXPECT_EQ(answer["met"], 1);
  EXPECT_EQ(answer["total"], 3);
  // By id: the admin was created first; the missed call has no agent and comes last.
  EXPECT_EQ(groups(answer), (std::vector<std::string>{"admin 0/1", "Ana 1/1", "- 0/1"}));
  ASSERT_EQ(hold["metric"], "call_hold");
  EXPECT_EQ(groups(hold), (std::vector<std::string>{"admin 0/1", "Ana 1/1"}));

  auto by_day = desk.admin.Get("/api/v1/service-standards/compliance?" + range + "&group_by=day");
  ASSERT_EQ(by_day.status, 200) << by_day.body;
  std::map<std::string, std::pair<int, int>> answer_days;  // day -> met, total
  const json days = by_day.Json();
  for (const auto& g : days["standards"][0]["groups"]) {
    if (g["total"].get<int>() == 0) continue;
    answer_days[g["key"].get<std::string>()] = {g["met"].get<int>(), g["total"].get<int>()};
  }
  std::map<std::string, std::pair<int, int>> want;
  want[Day(t0 + 10 * kSecond)].first += 1;
  want[Day(t0 + 10 * kSecond)].second += 1;
  want[Day(t0 + 140 * kSecond)].second += 1;
  want[Day(t0 + 205 * kSecond)].second += 1;
  EXPECT_EQ(answer_days, want);
}

}  // namespace
}  // namespace kizuna::testing
