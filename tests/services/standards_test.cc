// Service standards (C3) on a real SQLite store: the intervals measured as tickets change
// through the real ticket service, and compliance by day, team and agent
// (services/standards.h).
#include "services/standards.h"

#include <gtest/gtest.h>

#include <ctime>
#include <functional>

#include "fakes/temp_store.h"
#include "services/directory.h"
#include "services/sla.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr Timestamp kSecond = 1000;
constexpr Timestamp kMinute = 60 * kSecond;
constexpr Timestamp kHour = 60 * kMinute;

// An instant given as Tokyo wall-clock time (UTC+9, no daylight saving).
Timestamp Tokyo(int year, int month, int day, int hour, int minute, int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<Timestamp>(timegm(&tm)) * 1000 - 9 * kHour;
}

class StandardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      services::WorkspaceInput workspace{"standards", "Asia/Tokyo"};
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, workspace, 1));
      ren_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      KZ_ASSIGN(Agent ren, services::CreateAgent(tx, ren_, services::AgentInput{"ren@std.test", "Ren", "admin"}, 1));
      ren_.id = ren.id;
      KZ_ASSIGN(Agent mei, services::CreateAgent(tx, ren_, services::AgentInput{"mei@std.test", "Mei", "agent"}, 1));
      mei_ = services::Actor{w.id, "agent", mei.id, Role::kAgent};
      KZ_ASSIGN(Team tokyo, services::CreateTeam(tx, ren_, services::TeamInput{"Tokyo desk", ""}, 1));
      KZ_ASSIGN(Team osaka, services::CreateTeam(tx, ren_, services::TeamInput{"Osaka desk", ""}, 1));
      tokyo_team_ = tokyo.id;
      osaka_team_ = osaka.id;
      return Ok();
    }).ok());
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) { return db_.WriteValue<T>(std::move(fn)); }

  Ticket Create(Timestamp at, const std::string& channel = "email", std::optional<TeamId> team = std::nullopt,
                const std::string& status = "new") {
    services::CreateTicketInput in;
    in.subject = "配送について";
    in.body = "荷物が届きません";
    in.channel = channel;
    in.team_id = team;
    in.status = status;
    in.requester.email = "aiko@example.jp";
    EXPECT_TRUE(services::ValidateCreateTicket(in).ok());
    auto t = WriteValue<Ticket>([&](ports::WriteTx& tx) { return services::CreateTicket(tx, ren_, in, at); });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : Ticket{};
  }

  void Reply(const services::Actor& actor, TicketId id, Timestamp at, bool note = false,
             std::optional<std::string> status = std::nullopt) {
    services::AddMessageInput in;
    in.body = note ? "社内メモ" : "確認いたします";
    in.internal_note = note;
    in.status = std::move(status);
    ASSERT_TRUE(services::ValidateAddMessage(in).ok());
    auto r = WriteValue<services::MessageResult>(
        [&](ports::WriteTx& tx) { return services::AddMessage(tx, actor, id, in, at); });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  void CustomerReply(TicketId id, Timestamp at) {
    auto r = WriteValue<services::MessageResult>([&](ports::WriteTx& tx) -> Result<services::MessageResult> {
      KZ_ASSIGN(Ticket before, tx.GetTicket(ren_.workspace_id, id));
      services::CustomerMessageInput in{"まだ届いていません", {}, {}};
      return services::AddCustomerMessage(tx, ren_.workspace_id, before.requester_id, before, in, at);
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  void Update(const services::Actor& actor, TicketId id, Timestamp at, services::UpdateTicketInput in) {
    ASSERT_TRUE(services::ValidateUpdateTicket(in).ok());
    auto t = WriteValue<Ticket>([&](ports::WriteTx& tx) { return services::UpdateTicket(tx, actor, id, in, at); });
    ASSERT_TRUE(t.ok()) << t.error().message;
  }

  void Solve(const services::Actor& actor, TicketId id, Timestamp at) {
    services::UpdateTicketInput in;
    in.status = "solved";
    Update(actor, id, at, in);
  }

  void MoveToTeam(TicketId id, TeamId team, Timestamp at) {
    services::UpdateTicketInput in;
    in.team_id = services::Patch<TeamId>{true, team};
    Update(ren_, id, at, in);
  }

  std::vector<ports::ServiceMeasure> Measures(WorkspaceId ws = 0) {
    std::vector<ports::ServiceMeasure> out;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      ports::MeasureRange range{1, Tokyo(2099, 1, 1, 0, 0), 0, 0, 10000};
      KZ_ASSIGN(out, tx.ListServiceMeasures(ws ? ws : ren_.workspace_id, range));
      return Ok();
    }).ok());
    return out;
  }

  Result<ports::StoredServiceStandard> Standard(const std::string& name, const std::string& metric,
                                                std::int64_t target_seconds, const std::string& clock = "calendar",
                                                std::vector<std::string> channels = {},
                                                std::optional<std::int64_t> calendar_id = std::nullopt) {
    services::ServiceStandardInput in;
    in.name = name;
    in.metric = metric;
    in.target_seconds = target_seconds;
    in.clock = clock;
    in.channels = std::move(channels);
    in.calendar_id = services::Patch<std::int64_t>{calendar_id.has_value(), calendar_id};
    KZ_TRY(services::ValidateServiceStandard(in, true));
    return WriteValue<ports::StoredServiceStandard>(
        [&](ports::WriteTx& tx) { return services::CreateServiceStandard(tx, ren_, in, 1); });
  }

  Result<ports::StoredCalendar> TokyoOffice() {
    services::CalendarInput in;
    in.name = "Tokyo office";
    in.time_zone = "Asia/Tokyo";
    json day = json::array({{{"start", "09:00"}, {"end", "18:00"}}});
    in.hours = json{{"mon", day}, {"tue", day}, {"wed", day}, {"thu", day}, {"fri", day}};
    KZ_TRY(services::ValidateCalendar(in, true));
    return WriteValue<ports::StoredCalendar>(
        [&](ports::WriteTx& tx) { return services::CreateCalendar(tx, ren_, in, 1); });
  }

  Result<services::ComplianceReport> Report(const std::string& from, const std::string& to,
                                            const std::string& group_by, Timestamp now = Tokyo(2026, 6, 30, 12, 0),
                                            WorkspaceId ws = 0) {
    auto given = [](const std::string& text) { return text.empty() ? std::nullopt : std::optional<std::string>(text); };
    KZ_ASSIGN(auto request,
              services::ValidateComplianceQuery(services::ComplianceQuery{given(from), given(to), given(group_by)}));
    std::optional<services::ComplianceReport> out;
    Status s = db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(out, services::Compliance(tx, ws ? ws : ren_.workspace_id, request, now));
      return Ok();
    });
    if (!s.ok()) return s.error();
    return std::move(*out);
  }

  static const services::StandardCompliance& Of(const services::ComplianceReport& report, const std::string& name) {
    for (const auto& item : report.standards) {
      if (item.standard.name == name) return item;
    }
    ADD_FAILURE() << "no standard " << name;
    static const services::StandardCompliance kNone;
    return kNone;
  }

  // "key met/total" per group, e.g. "2026-06-02 1/1", "Tokyo desk 2/2", "- 1/1" (no team).
  static std::vector<std::string> Groups(const services::StandardCompliance& item) {
    std::vector<std::string> out;
    for (const auto& g : item.groups) {
      out.push_back(g.label.value_or("-") + " " + std::to_string(g.met) + "/" + std::to_string(g.total));
    }
    return out;
  }

  TempStore db_;
  services::Actor ren_;
  services::Actor mei_;
  TeamId tokyo_team_ = 0;
  TeamId osaka_team_ = 0;
};

using Strings = std::vector<std::string>;

TEST_F(StandardsTest, TicketChangesRecordFirstReplyNextReplyAndTheFirstResolution) {
  const Timestamp t0 = Tokyo(2026, 6, 2, 10, 0);
  Ticket t = Create(t0, "email", tokyo_team_);
  CustomerReply(t.id, t0 + 2 * kMinute);           // still waiting for the first reply
  Reply(ren_, t.id, t0 + 5 * kMinute, /*note=*/true);  // a note answers no one
  Reply(mei_, t.id, t0 + 20 * kMinute);            // first reply: 20 min, by Mei
  Reply(ren_, t.id, t0 + 22 * kMinute);            // nobody was waiting: no next reply
  CustomerReply(t.id, t0 + 30 * kMinute);          // the wait starts here…
  CustomerReply(t.id, t0 + 33 * kMinute);          // …not here
  Reply(ren_, t.id, t0 + 34 * kMinute, true);      // a note does not end it
  MoveToTeam(t.id, osaka_team_, t0 + 40 * kMinute);
  Reply(ren_, t.id, t0 + 45 * kMinute);            // next reply: 15 min, by Ren, Osaka's
  Reply(mei_, t.id, t0 + 60 * kMinute, false, "solved");  // resolution: 1 h, by Mei
  CustomerReply(t.id, t0 + 90 * kMinute);          // reopens
  Reply(ren_, t.id, t0 + 100 * kMinute, false, "solved");  // next reply: 10 min; solved again: no resolution
  services::Actor token{ren_.workspace_id, "token", mei_.id, Role::kAgent};
  CustomerReply(t.id, t0 + 120 * kMinute);
  Reply(token, t.id, t0 + 125 * kMinute);          // an API token acting for Mei replies: 5 min

  auto m = Measures();
  ASSERT_EQ(m.size(), 5u);
  const struct {
    const char* metric;
    Timestamp started;
    Timestamp ended;
    std::optional<AgentId> agent;
    std::optional<TeamId> team;
  } want[] = {
      {"first_reply", t0, t0 + 20 * kMinute, mei_.id, tokyo_team_},
      {"next_reply", t0 + 30 * kMinute, t0 + 45 * kMinute, ren_.id, osaka_team_},
      {"resolution", t0, t0 + 60 * kMinute, mei_.id, osaka_team_},
      {"next_reply", t0 + 90 * kMinute, t0 + 100 * kMinute, ren_.id, osaka_team_},
      {"next_reply", t0 + 120 * kMinute, t0 + 125 * kMinute, mei_.id, osaka_team_},
  };
  for (std::size_t idx = 0; idx < m.size(); ++idx) {
    SCOPED_TRACE(idx);
    EXPECT_EQ(m[idx].metric, want[idx].metric);
    EXPECT_EQ(m[idx].started_at, want[idx].started);
    EXPECT_EQ(m[idx].ended_at, want[idx].ended);
    EXPECT_EQ(m[idx].agent_id, want[idx].agent);
    EXPECT_EQ(m[idx].team_id, want[idx].team);
    EXPECT_EQ(m[idx].ticket_id, t.id);
    EXPECT_EQ(m[idx].channel, "email");
  }
}

TEST_F(StandardsTest, NotesSystemMessagesAndTicketsCreatedSolvedMeasureNothing) {
  const Timestamp t0 = Tokyo(2026, 6, 2, 10, 0);
  Ticket noted = Create(t0);
  Reply(ren_, noted.id, t0 + kMinute, true);
  Reply(mei_, noted.id, t0 + 2 * kMinute, true);
  EXPECT_TRUE(Measures().empty()) << "notes ended a wait";

  // Solved by the system (an automation): a resolution by nobody.
  Solve(services::Actor::System(ren_.workspace_id), noted.id, t0 + 3 * kHour);
  auto m = Measures();
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].metric, "resolution");
  EXPECT_EQ(m[0].ended_at - m[0].started_at, 3 * kHour);
  EXPECT_FALSE(m[0].agent_id.has_value());

  // Logged already solved (a phone call handled on the spot): nobody waited.
  Ticket logged = Create(t0, "phone", std::nullopt, "solved");
  CustomerReply(logged.id, t0 + kHour);
  Solve(ren_, logged.id, t0 + 2 * kHour);
  EXPECT_EQ(Measures().size(), 1u);
}

TEST_F(StandardsTest, ComplianceByDayTeamAndAgentInTheWorkspacesTimeZone) {
  ASSERT_TRUE(Standard("First reply within 30 min", "first_reply", 30 * 60).ok());
  ASSERT_TRUE(Standard("Next reply within 10 min", "next_reply", 10 * 60).ok());
  ASSERT_TRUE(Standard("Resolved within 2 h", "resolution", 2 * 3600).ok());
  ASSERT_TRUE(Standard("Chat greeting within 60 s", "first_reply", 60, "calendar", {"chat"}).ok());
  ASSERT_TRUE(Standard("First reply within 20 min", "first_reply", 20 * 60).ok());  // t1 meets it exactly

  // Tuesday 2 June: first reply 20 min (Ren, Tokyo), next reply 15 min (Mei), solved in 1 h (Mei).
  Ticket t1 = Create(Tokyo(2026, 6, 2, 10, 0), "email", tokyo_team_);
  Reply(ren_, t1.id, Tokyo(2026, 6, 2, 10, 20));
  CustomerReply(t1.id, Tokyo(2026, 6, 2, 10, 30));
  Reply(mei_, t1.id, Tokyo(2026, 6, 2, 10, 45));
  Reply(mei_, t1.id, Tokyo(2026, 6, 2, 11, 0), false, "solved");
  // Created late on Tuesday, answered after midnight: Wednesday in Tokyo (still Tuesday in UTC).
  // First reply 40 min (Mei, Osaka), next reply 5 min (Ren), solved after 3 h 10 min (Ren).
  Ticket t2 = Create(Tokyo(2026, 6, 2, 23, 50), "email", osaka_team_);
  Reply(mei_, t2.id, Tokyo(2026, 6, 3, 0, 30));
  CustomerReply(t2.id, Tokyo(2026, 6, 3, 0, 35));
  Reply(ren_, t2.id, Tokyo(2026, 6, 3, 0, 40));
  Solve(ren_, t2.id, Tokyo(2026, 6, 3, 3, 0));
  // Wednesday, no team: first reply 10 min (Ren).
  Ticket t3 = Create(Tokyo(2026, 6, 3, 9, 0), "web");
  Reply(ren_, t3.id, Tokyo(2026, 6, 3, 9, 10));
  // Wednesday chats: greeted after 45 s (Mei, Tokyo) and after 2 min (Ren, no team).
  Ticket t4 = Create(Tokyo(2026, 6, 3, 12, 0), "chat", tokyo_team_);
  Reply(mei_, t4.id, Tokyo(2026, 6, 3, 12, 0, 45));
  Ticket t5 = Create(Tokyo(2026, 6, 3, 13, 0), "chat");
  Reply(ren_, t5.id, Tokyo(2026, 6, 3, 13, 2));

  auto by_day = Report("2026-06-01", "2026-06-04", "day");
  ASSERT_TRUE(by_day.ok()) << by_day.error().message;
  EXPECT_EQ(by_day->time_zone, "Asia/Tokyo");
  ASSERT_EQ(by_day->standards.size(), 5u);
  const auto& first = Of(*by_day, "First reply within 30 min");
  EXPECT_EQ(first.overall.met, 4);
  EXPECT_EQ(first.overall.total, 5);
  EXPECT_EQ(Groups(first), (Strings{"2026-06-01 0/0", "2026-06-02 1/1", "2026-06-03 3/4", "2026-06-04 0/0"}));
  EXPECT_EQ(Groups(Of(*by_day, "Next reply within 10 min")),
            (Strings{"2026-06-01 0/0", "2026-06-02 0/1", "2026-06-03 1/1", "2026-06-04 0/0"}));
  EXPECT_EQ(Groups(Of(*by_day, "Resolved within 2 h")),
            (Strings{"2026-06-01 0/0", "2026-06-02 1/1", "2026-06-03 0/1", "2026-06-04 0/0"}));
  EXPECT_EQ(Groups(Of(*by_day, "First reply within 20 min")),
            (Strings{"2026-06-01 0/0", "2026-06-02 1/1", "2026-06-03 3/4", "2026-06-04 0/0"}));
  const auto& chat = Of(*by_day, "Chat greeting within 60 s");
  EXPECT_EQ(chat.overall.met, 1);
  EXPECT_EQ(chat.overall.total, 2);

  auto by_team = Report("2026-06-01", "2026-06-04", "team");
  ASSERT_TRUE(by_team.ok());
  EXPECT_EQ(Groups(Of(*by_team, "First reply within 30 min")),
            (Strings{"Tokyo desk 2/2", "Osaka desk 0/1", "- 2/2"}));  // by id, no team last
  EXPECT_EQ(Of(*by_team, "First reply within 30 min").groups[0].id, tokyo_team_);
  EXPECT_FALSE(Of(*by_team, "First reply within 30 min").groups[2].id.has_value());
  EXPECT_EQ(Groups(Of(*by_team, "Resolved within 2 h")), (Strings{"Tokyo desk 1/1", "Osaka desk 0/1"}));

  auto by_agent = Report("2026-06-01", "2026-06-04", "agent");
  ASSERT_TRUE(by_agent.ok());
  EXPECT_EQ(Groups(Of(*by_agent, "First reply within 30 min")), (Strings{"Ren 3/3", "Mei 1/2"}));
  EXPECT_EQ(Groups(Of(*by_agent, "Next reply within 10 min")), (Strings{"Ren 1/1", "Mei 0/1"}));
  EXPECT_EQ(Groups(Of(*by_agent, "Chat greeting within 60 s")), (Strings{"Ren 0/1", "Mei 1/1"}));

  // Only the days asked for: Wednesday alone.
  auto wednesday = Report("2026-06-03", "2026-06-03", "day");
  ASSERT_TRUE(wednesday.ok());
  EXPECT_EQ(Groups(Of(*wednesday, "First reply within 30 min")), (Strings{"2026-06-03 3/4"}));

  // As the API shows it: compliance is a share, null without intervals.
  json shown = services::ComplianceJson(*by_day);
  EXPECT_EQ(shown["from"], "2026-06-01");
  EXPECT_EQ(shown["group_by"], "day");
  const json& first_json = shown["standards"][0];
  EXPECT_EQ(first_json["name"], "First reply within 30 min");
  EXPECT_DOUBLE_EQ(first_json["compliance"].get<double>(), 0.8);
  EXPECT_TRUE(first_json["groups"][0]["compliance"].is_null());
  EXPECT_EQ(first_json["groups"][2]["key"], "2026-06-03");
  EXPECT_DOUBLE_EQ(first_json["groups"][2]["compliance"].get<double>(), 0.75);
  json teams = services::ComplianceJson(*by_team);
  EXPECT_EQ(teams["standards"][0]["groups"][0]["key"], tokyo_team_);
  EXPECT_TRUE(teams["standards"][0]["groups"][2]["key"].is_null());
}

TEST_F(StandardsTest, BusinessHoursStandardsSkipNightsAndWeekends) {
  auto office = TokyoOffice();
  ASSERT_TRUE(office.ok()) << office.error().message;
  ASSERT_TRUE(Standard("Email reply within 1 business hour", "first_reply", 3600, "business", {"email"}, office->id)
                  .ok());
  ASSERT_TRUE(Standard("Email reply within 1 hour", "first_reply", 3600, "calendar", {"email"}).ok());
  ASSERT_TRUE(Standard("Email reply within 1 hour, 24/7 business", "first_reply", 3600, "business", {"email"}).ok());

  // Friday 17:30 → Monday 09:20: 30 + 20 = 50 business minutes; 63 h 50 min elapsed.
  Ticket weekend = Create(Tokyo(2026, 6, 5, 17, 30));
  Reply(ren_, weekend.id, Tokyo(2026, 6, 8, 9, 20));
  // Tuesday 17:50 → Wednesday 09:30: 10 + 30 = 40 business minutes overnight.
  Ticket night = Create(Tokyo(2026, 6, 9, 17, 50));
  Reply(ren_, night.id, Tokyo(2026, 6, 10, 9, 30));
  // Wednesday 10:00 → 11:30: 90 minutes either way.
  Ticket slow = Create(Tokyo(2026, 6, 10, 10, 0));
  Reply(ren_, slow.id, Tokyo(2026, 6, 10, 11, 30));
  // Wednesday 12:00 → 12:30.
  Ticket quick = Create(Tokyo(2026, 6, 10, 12, 0));
  Reply(ren_, quick.id, Tokyo(2026, 6, 10, 12, 30));
  // A chat is no email.
  Ticket chat = Create(Tokyo(2026, 6, 10, 12, 0), "chat");
  Reply(ren_, chat.id, Tokyo(2026, 6, 13, 12, 0));

  auto report = Report("2026-06-08", "2026-06-10", "day");
  ASSERT_TRUE(report.ok()) << report.error().message;
  const auto& business = Of(*report, "Email reply within 1 business hour");
  EXPECT_EQ(business.overall.met, 3);
  EXPECT_EQ(business.overall.total, 4);
  EXPECT_EQ(Groups(business), (Strings{"2026-06-08 1/1", "2026-06-09 0/0", "2026-06-10 2/3"}));
  const auto& elapsed = Of(*report, "Email reply within 1 hour");
  EXPECT_EQ(Groups(elapsed), (Strings{"2026-06-08 0/1", "2026-06-09 0/0", "2026-06-10 1/3"}));
  EXPECT_EQ(Groups(Of(*report, "Email reply within 1 hour, 24/7 business")), Groups(elapsed));
}

TEST_F(StandardsTest, ANewOrChangedStandardCountsTheHistory) {
  Ticket t = Create(Tokyo(2026, 6, 2, 10, 0));
  Reply(ren_, t.id, Tokyo(2026, 6, 2, 10, 45));
  auto standard = Standard("First reply within 30 min", "first_reply", 30 * 60);
  ASSERT_TRUE(standard.ok());
  auto before = Report("2026-06-02", "2026-06-02", "day");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Groups(before->standards.at(0)), (Strings{"2026-06-02 0/1"}));

  services::ServiceStandardInput change;
  change.target_seconds = 3600;
  change.name = "First reply within 1 h";
  change.expected_version = 1;
  ASSERT_TRUE(services::ValidateServiceStandard(change, false).ok());
  auto changed = WriteValue<ports::StoredServiceStandard>(
      [&](ports::WriteTx& tx) { return services::UpdateServiceStandard(tx, ren_, standard->id, change, 2); });
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->version, 2);
  auto after = Report("2026-06-02", "2026-06-02", "day");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(Groups(after->standards.at(0)), (Strings{"2026-06-02 1/1"}));

  // A stale version is refused; a deleted standard is gone, and its measures stay.
  auto stale = WriteValue<ports::StoredServiceStandard>(
      [&](ports::WriteTx& tx) { return services::UpdateServiceStandard(tx, ren_, standard->id, change, 3); });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kPreconditionFailed);
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::DeleteServiceStandard(tx, ren_, standard->id, 4); })
                  .ok());
  Status again = Write([&](ports::WriteTx& tx) { return services::DeleteServiceStandard(tx, ren_, standard->id, 5); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Measures().size(), 1u);
  EXPECT_TRUE(Report("2026-06-02", "2026-06-02", "day")->standards.empty());
}

TEST_F(StandardsTest, AnotherWorkspaceSeesNeitherTheStandardsNorTheMeasures) {
  auto standard = Standard("First reply within 30 min", "first_reply", 30 * 60);
  ASSERT_TRUE(standard.ok());
  Ticket t = Create(Tokyo(2026, 6, 2, 10, 0));
  Reply(ren_, t.id, Tokyo(2026, 6, 2, 10, 5));

  services::Actor other;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"other", "Asia/Tokyo"}, 1));
    other = services::Actor{w.id, "agent", 0, Role::kAdmin};
    return Ok();
  }).ok());
  services::ServiceStandardInput in;
  in.name = "Theirs";
  in.metric = "first_reply";
  in.target_seconds = 60;
  ASSERT_TRUE(services::ValidateServiceStandard(in, true).ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::CreateServiceStandard(tx, other, in, 1));
    auto theirs = tx.GetServiceStandard(other.workspace_id, standard->id);
    EXPECT_FALSE(theirs.ok());
    if (!theirs.ok()) {
      EXPECT_EQ(theirs.error().code, ErrorCode::kNotFound);
    }
    auto change = services::UpdateServiceStandard(tx, other, standard->id, in, 1);
    EXPECT_FALSE(change.ok());
    if (!change.ok()) {
      EXPECT_EQ(change.error().code, ErrorCode::kNotFound);
    }
    return Ok();
  }).ok());
  EXPECT_TRUE(Measures(other.workspace_id).empty());
  auto report = Report("2026-06-02", "2026-06-02", "agent", Tokyo(2026, 6, 30, 12, 0), other.workspace_id);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->standards.size(), 1u);
  EXPECT_EQ(report->standards[0].standard.name, "Theirs");
  EXPECT_EQ(report->standards[0].overall.total, 0);
  // Ours is untouched.
  EXPECT_EQ(Report("2026-06-02", "2026-06-02", "day")->standards.at(0).overall.total, 1);
}

TEST_F(StandardsTest, TheRangeDefaultsToThirtyDaysEndingTodayInTheWorkspacesTimeZone) {
  // 23:30 UTC on 14 June is already 15 June in Tokyo.
  const Timestamp now = Tokyo(2026, 6, 15, 8, 30);
  auto report = Report("", "", "", now);
  ASSERT_TRUE(report.ok()) << report.error().message;
  json shown = services::ComplianceJson(*report);
  EXPECT_EQ(shown["from"], "2026-05-17");
  EXPECT_EQ(shown["to"], "2026-06-15");
  EXPECT_EQ(shown["group_by"], "day");
  // Only `to`: the 30 days ending then.
  auto until = Report("", "2026-03-01", "", now);
  ASSERT_TRUE(until.ok());
  EXPECT_EQ(services::ComplianceJson(*until)["from"], "2026-01-31");
  // Only `from`: until today.
  auto since = Report("2026-06-10", "", "", now);
  ASSERT_TRUE(since.ok());
  EXPECT_EQ(services::ComplianceJson(*since)["to"], "2026-06-15");

  // A parameter given empty (?from=) is no date.
  auto empty = services::ValidateComplianceQuery(services::ComplianceQuery{"", std::nullopt, std::nullopt});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "from");
}

TEST_F(StandardsTest, BadStandardsAndRangesAreRefusedWithTheField) {
  const struct {
    const char* what;
    std::function<void(services::ServiceStandardInput&)> change;
    const char* field;
  } cases[] = {
      {"no name", [](auto& in) { in.name.reset(); }, "name"},
      {"empty name", [](auto& in) { in.name = "  "; }, "name"},
      {"name of 121 characters", [](auto& in) { in.name = std::string(121, 'x'); }, "name"},
      {"no metric", [](auto& in) { in.metric.reset(); }, "metric"},
      {"unknown metric", [](auto& in) { in.metric = "periodic_update"; }, "metric"},
      {"no target", [](auto& in) { in.target_seconds.reset(); }, "target_seconds"},
      {"zero target", [](auto& in) { in.target_seconds = 0; }, "target_seconds"},
      {"target over 30 days", [](auto& in) { in.target_seconds = 30 * 86400 + 1; }, "target_seconds"},
      {"unknown clock", [](auto& in) { in.clock = "moon"; }, "clock"},
      {"unknown channel", [](auto& in) { in.channels = std::vector<std::string>{"chat", "pigeon"}; }, "channels[1]"},
      {"negative position", [](auto& in) { in.position = -1; }, "position"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    services::ServiceStandardInput in;
    in.name = "First reply";
    in.metric = "first_reply";
    in.target_seconds = 60;
    c.change(in);
    Status s = services::ValidateServiceStandard(in, true);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, c.field) << s.error().message;
  }
  // The edges are allowed.
  services::ServiceStandardInput edge;
  edge.name = std::string(120, 'x');
  edge.metric = "resolution";
  edge.target_seconds = 30 * 86400;
  edge.channels = std::vector<std::string>{"email", "chat", "email"};
  ASSERT_TRUE(services::ValidateServiceStandard(edge, true).ok());
  EXPECT_EQ(*edge.channels, (std::vector<std::string>{"chat", "email"}));

  auto missing_calendar = Standard("x", "first_reply", 60, "business", {}, 999);
  ASSERT_FALSE(missing_calendar.ok());
  EXPECT_EQ(missing_calendar.error().field, "calendar_id");

  const struct {
    const char* from;
    const char* to;
    const char* group_by;
    const char* field;
  } ranges[] = {
      {"2026/06/01", "2026-06-02", "day", "from"},
      {"2026-02-30", "2026-03-02", "day", "from"},
      {"2026-06-01", "tomorrow", "day", "to"},
      {"2026-06-01", "2100-01-01", "day", "to"},
      {"2026-06-02", "2026-06-01", "day", "from"},
      {"2025-01-01", "2026-01-02", "day", "to"},  // 367 days
      {"2026-06-01", "2026-06-02", "week", "group_by"},
  };
  for (const auto& r : ranges) {
    SCOPED_TRACE(std::string(r.from) + ".." + r.to + " by " + r.group_by);
    auto request = services::ValidateComplianceQuery(services::ComplianceQuery{r.from, r.to, r.group_by});
    ASSERT_FALSE(request.ok());
    EXPECT_EQ(request.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(request.error().field, r.field) << request.error().message;
  }
  // 366 days, a leap day and 1 January 2025 to 1 January 2026 are fine.
  EXPECT_TRUE(services::ValidateComplianceQuery({"2025-01-01", "2026-01-01", "agent"}).ok());
  EXPECT_TRUE(services::ValidateComplianceQuery({"2028-02-29", "2028-02-29", "team"}).ok());
  // Only `from`, too long ago to reach today within 366 days.
  auto long_ago = Report("2024-01-01", "", "day");
  ASSERT_FALSE(long_ago.ok());
}

}  // namespace
}  // namespace kizuna::testing
