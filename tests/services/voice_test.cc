// Voice (C18) on a real SQLite store: calls reported event by event open a phone ticket,
// record their events, assign the agent who answered, and measure call_answer and call_hold
// for the service standards (services/voice.h, services/standards.h).
#include "services/voice.h"

#include <gtest/gtest.h>

#include <functional>

#include "fakes/temp_store.h"
#include "services/directory.h"
#include "services/standards.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr Timestamp kSecond = 1000;
constexpr Timestamp kT0 = 1'780'000'000'000;  // 2026-05-28T20:26:40Z
const ports::MeasureRange kAllTime{1, kT0 * 2, 0, 0, 10000};

class VoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.store().WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"voice", "UTC"}, 1));
      admin_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      services::AgentInput ana_input{"ana@voice.test", "Ana", "admin"};
      KZ_ASSIGN(Agent ana, services::CreateAgent(tx, admin_, ana_input, 1));
      admin_.id = ana.id;
      // The phone system's token acts for Ana.
      connector_ = services::Actor{w.id, "token", ana.id, Role::kAdmin};
      KZ_ASSIGN(Agent bo, services::CreateAgent(tx, admin_, services::AgentInput{"bo@voice.test", "Bo", "agent"}, 1));
      bo_ = bo.id;
      KZ_ASSIGN(Team desk, services::CreateTeam(tx, admin_, services::TeamInput{"Phone desk", ""}, 1));
      desk_ = desk.id;
      return Ok();
    }).ok());
  }

  Result<services::CallEventResult> Send(services::CallEventInput in, Timestamp now = kT0 + 3600 * kSecond) {
    KZ_TRY(services::ValidateCallEvent(in));
    return db_.WriteValue<services::CallEventResult>(
        [&](ports::WriteTx& tx) { return services::RecordCallEvent(tx, connector_, in, now); });
  }

  static services::CallEventInput Event(const std::string& call_id, const std::string& type, Timestamp at) {
    services::CallEventInput in;
    in.call_id = call_id;
    in.type = type;
    in.at = at;
    return in;
  }

  services::CallEventInput Ringing(const std::string& call_id, Timestamp at,
                                   const std::string& from = "+81 90-1234-5678") {
    auto in = Event(call_id, "ringing", at);
    in.from = from;
    in.to = "+81 3-1234-0000";
    in.team_id = desk_;
    return in;
  }

  services::CallEventInput Answered(const std::string& call_id, Timestamp at) {
    auto in = Event(call_id, "answered", at);
    in.agent_id = bo_;
    return in;
  }

  // What the store holds, to show that a refused event wrote nothing.
  struct Counts {
    std::size_t events = 0;
    std::size_t measures = 0;
    std::string call_state;
    bool operator==(const Counts&) const = default;
  };
  Counts Count(TicketId ticket, const std::string& call_id) {
    Counts out;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto events, tx.ListTicketEvents(admin_.workspace_id, ticket));
      out.events = events.size();
      KZ_ASSIGN(auto call, tx.FindCallByExternalId(admin_.workspace_id, call_id));
      out.call_state = call.state;
      return Ok();
    }).ok());
    out.measures = Measures().size();
    return out;
  }

  std::vector<ports::ServiceMeasure> Measures() {
    std::vector<ports::ServiceMeasure> out;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(out, tx.ListServiceMeasures(admin_.workspace_id, kAllTime));
      return Ok();
    }).ok());
    return out;
  }

  TempStore db_;
  services::Actor admin_;
  services::Actor connector_;
  AgentId bo_ = 0;
  TeamId desk_ = 0;
};

TEST_F(VoiceTest, ACallOpensOnePhoneTicketRecordsEachEventAndMeasuresAnswerAndHolds) {
  auto rang = Send(Ringing("pbx-1", kT0));
  ASSERT_TRUE(rang.ok()) << rang.error().message;
  EXPECT_TRUE(rang->created);
  const TicketId ticket_id = rang->call.ticket_id;
  EXPECT_EQ(rang->call.from_number, "+819012345678");
  ASSERT_TRUE(Send(Answered("pbx-1", kT0 + 12 * kSecond)).ok());
  ASSERT_TRUE(Send(Event("pbx-1", "hold", kT0 + 60 * kSecond)).ok());
  ASSERT_TRUE(Send(Event("pbx-1", "resumed", kT0 + 105 * kSecond)).ok());
  ASSERT_TRUE(Send(Event("pbx-1", "hold", kT0 + 200 * kSecond)).ok());
  auto ended = Send(Event("pbx-1", "ended", kT0 + 220 * kSecond));  // hung up while on hold
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  EXPECT_EQ(ended->call.state, "ended");
  EXPECT_EQ(ended->call.hold_ms, 65 * kSecond);
  EXPECT_EQ(ended->call.ticket_id, ticket_id);

  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(Ticket t, tx.GetTicket(admin_.workspace_id, ticket_id));
    EXPECT_EQ(t.channel, "phone");
    EXPECT_EQ(t.subject, "Call from +81 90-1234-5678");
    EXPECT_EQ(t.assignee_id, std::optional<AgentId>(bo_));
    EXPECT_EQ(t.team_id, std::optional<TeamId>(desk_));
    KZ_ASSIGN(Customer requester, tx.GetCustomer(admin_.workspace_id, t.requester_id));
    EXPECT_EQ(requester.identities.at(0).value, "+819012345678");
    KZ_ASSIGN(auto events, tx.ListTicketEvents(admin_.workspace_id, ticket_id));
    std::vector<std::string> types;
    for (const auto& e : events) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"ticket.created", "call.ringing", "ticket.updated", "call.answered",
                                               "call.hold", "call.resumed", "call.hold", "call.ended"}));
    const json answered = json::parse(events[3].data);
    EXPECT_EQ(answered["wait_ms"], 12 * kSecond);
    EXPECT_EQ(answered["agent_id"], bo_);
    EXPECT_EQ(json::parse(events[5].data)["hold_ms"], 45 * kSecond);
    const json end = json::parse(events[7].data);
    EXPECT_EQ(end["hold_ms"], 20 * kSecond);
    EXPECT_EQ(end["talk_ms"], 208 * kSecond);
    EXPECT_EQ(end["total_hold_ms"], 65 * kSecond);
    EXPECT_EQ(end["answered"], true);
    return Ok();
  }).ok());

  auto measures = Measures();
  ASSERT_EQ(measures.size(), 3u);
  std::vector<std::string> seen;
  for (const auto& m : measures) {
    seen.push_back(m.metric + " " + std::to_string((m.ended_at - m.started_at) / kSecond) + "s" +
                   (m.missed ? " missed" : ""));
    EXPECT_EQ(m.agent_id, std::optional<AgentId>(bo_));
    EXPECT_EQ(m.team_id, std::optional<TeamId>(desk_));
    EXPECT_EQ(m.channel, "phone");
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"call_answer 12s", "call_hold 45s", "call_hold 20s"}));
}

TEST_F(VoiceTest, ARetriedEventIsAnsweredWithoutASecondWrite) {
  auto rang = Send(Ringing("pbx-2", kT0));
  ASSERT_TRUE(rang.ok());
  ASSERT_TRUE(Send(Answered("pbx-2", kT0 + 5 * kSecond)).ok());
  const Counts before = Count(rang->call.ticket_id, "pbx-2");
  for (const auto& retry : {Ringing("pbx-2", kT0), Answered("pbx-2", kT0 + 5 * kSecond)}) {
    auto again = Send(retry);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_TRUE(again->replayed);
    EXPECT_FALSE(again->created);
  }
  EXPECT_EQ(Count(rang->call.ticket_id, "pbx-2"), before);
}

TEST_F(VoiceTest, EventsTheCallCannotTakeAreRefusedWithTheFieldAndWriteNothing) {
  auto rang = Send(Ringing("pbx-3", kT0));
  ASSERT_TRUE(rang.ok());
  ASSERT_TRUE(Send(Answered("pbx-3", kT0 + 5 * kSecond)).ok());
  const Counts before = Count(rang->call.ticket_id, "pbx-3");
  auto stranger = Answered("pbx-3", kT0 + 6 * kSecond);
  stranger.agent_id = 987654;
  const struct {
    const char* what;
    services::CallEventInput event;
    ErrorCode code;
    const char* field;
  } bad[] = {
      {"answered twice", Answered("pbx-3", kT0 + 6 * kSecond), ErrorCode::kInvalidArgument, "type"},
      {"resumed without hold", Event("pbx-3", "resumed", kT0 + 6 * kSecond), ErrorCode::kInvalidArgument, "type"},
      {"ringing again", Ringing("pbx-3", kT0 + 6 * kSecond), ErrorCode::kInvalidArgument, "type"},
      {"before the previous event", Event("pbx-3", "hold", kT0 + 4 * kSecond), ErrorCode::kInvalidArgument, "at"},
      {"far in the future", Event("pbx-3", "hold", kT0 + 7200 * kSecond), ErrorCode::kInvalidArgument, "at"},
      {"an unknown call", Answered("pbx-404", kT0 + 6 * kSecond), ErrorCode::kNotFound, "call_id"},
      {"an unknown team", [&] { auto e = Ringing("pbx-5", kT0); e.team_id = 987654; return e; }(),
       ErrorCode::kInvalidArgument, "team_id"},
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.what);
    auto res = Send(c.event);
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code, c.code) << res.error().message;
    EXPECT_EQ(res.error().field, c.field) << res.error().message;
  }
  // An unknown agent answering another call.
  ASSERT_TRUE(Send(Ringing("pbx-6", kT0)).ok());
  auto other = Answered("pbx-6", kT0 + 1 * kSecond);
  other.agent_id = 987654;
  EXPECT_EQ(Send(other).error().field, "agent_id");
  EXPECT_EQ(Count(rang->call.ticket_id, "pbx-3"), before);

  ASSERT_TRUE(Send(Event("pbx-3", "ended", kT0 + 9 * kSecond)).ok());
  auto after_end = Send(Event("pbx-3", "hold", kT0 + 10 * kSecond));
  ASSERT_FALSE(after_end.ok());
  EXPECT_EQ(after_end.error().field, "type");
  EXPECT_NE(after_end.error().message.find("ended"), std::string::npos) << after_end.error().message;
}

TEST_F(VoiceTest, InputWithoutAStoreIsCheckedFieldByField) {
  const struct {
    const char* what;
    std::function<void(services::CallEventInput&)> change;
    const char* field;
  } bad[] = {
      {"no call_id", [](auto& e) { e.call_id = ""; }, "call_id"},
      {"call_id too long", [](auto& e) { e.call_id = std::string(201, 'x'); }, "call_id"},
      {"unknown type", [](auto& e) { e.type = "transferred"; }, "type"},
      {"unknown direction", [](auto& e) { e.direction = "sideways"; }, "direction"},
      {"no caller", [](auto& e) { e.from = ""; }, "from"},
      {"caller not a number", [](auto& e) { e.from = "anonymous"; }, "from"},
      {"outbound without to", [](auto& e) { e.direction = "outbound"; e.to = ""; }, "to"},
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.what);
    auto event = Ringing("pbx-7", kT0);
    c.change(event);
    auto status = services::ValidateCallEvent(event);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().field, c.field) << status.error().message;
  }
  auto answered = Event("pbx-7", "answered", kT0);
  EXPECT_EQ(services::ValidateCallEvent(answered).error().field, "agent_id");
}

TEST_F(VoiceTest, MissedCallsMeetNoCallAnswerStandardAndTheSameCallerIsOneCustomer) {
  // Answered after 10 s and after 40 s; one caller hung up after 3 s of ringing.
  ASSERT_TRUE(Send(Ringing("c1", kT0)).ok());
  ASSERT_TRUE(Send(Answered("c1", kT0 + 10 * kSecond)).ok());
  ASSERT_TRUE(Send(Ringing("c2", kT0 + 100 * kSecond)).ok());
  ASSERT_TRUE(Send(Answered("c2", kT0 + 140 * kSecond)).ok());
  auto missed = Send(Ringing("c3", kT0 + 200 * kSecond, "090 1234 5678 "));
  ASSERT_TRUE(missed.ok());
  ASSERT_TRUE(Send(Event("c3", "ended", kT0 + 203 * kSecond)).ok());
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    auto events = tx.ListTicketEvents(admin_.workspace_id, missed->call.ticket_id);
    const json end = json::parse(events->back().data);
    EXPECT_EQ(end["answered"], false);
    EXPECT_EQ(end["ring_ms"], 3 * kSecond);
    EXPECT_TRUE(end["talk_ms"].is_null());
    return Ok();
  }).ok());

  services::ServiceStandardInput in;
  in.name = "Answer within 15 s";
  in.metric = "call_answer";
  in.target_seconds = 15;
  ASSERT_TRUE(services::ValidateServiceStandard(in, true).ok());
  auto standard = db_.WriteValue<ports::StoredServiceStandard>(
      [&](ports::WriteTx& tx) { return services::CreateServiceStandard(tx, admin_, in, 1); });
  ASSERT_TRUE(standard.ok()) << standard.error().message;
  EXPECT_EQ(standard->clock, "calendar");
  EXPECT_EQ(standard->channels, R"(["phone"])");

  services::ComplianceRequest request;
  request.group_by = services::ComplianceGroupBy::kAgent;
  std::optional<services::ComplianceReport> report;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(report, services::Compliance(tx, admin_.workspace_id, request, kT0 + 3600 * kSecond));
    return Ok();
  }).ok());
  ASSERT_EQ(report->standards.size(), 1u);
  const auto& figures = report->standards[0];
  EXPECT_EQ(figures.overall.met, 1);
  EXPECT_EQ(figures.overall.total, 3);
  ASSERT_EQ(figures.groups.size(), 2u);
  EXPECT_EQ(figures.groups[0].label, std::optional<std::string>("Bo"));
  EXPECT_EQ(figures.groups[0].met, 1);
  EXPECT_EQ(figures.groups[0].total, 2);
  EXPECT_FALSE(figures.groups[1].id.has_value());  // the missed call: nobody answered
  EXPECT_EQ(figures.groups[1].total, 1);
  EXPECT_EQ(figures.groups[1].met, 0);

  // "090 1234 5678" is not "+81 90…" as digits: a second customer; c1 and c2 share one.
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(auto c1, tx.FindCallByExternalId(admin_.workspace_id, "c1"));
    KZ_ASSIGN(auto c2, tx.FindCallByExternalId(admin_.workspace_id, "c2"));
    KZ_ASSIGN(Ticket t1, tx.GetTicket(admin_.workspace_id, c1.ticket_id));
    KZ_ASSIGN(Ticket t2, tx.GetTicket(admin_.workspace_id, c2.ticket_id));
    EXPECT_NE(t1.id, t2.id);
    EXPECT_EQ(t1.requester_id, t2.requester_id);
    return Ok();
  }).ok());
}

TEST_F(VoiceTest, CallStandardsCountElapsedTimeOnly) {
  services::ServiceStandardInput in;
  in.name = "Hold at most 30 s";
  in.metric = "call_hold";
  in.target_seconds = 30;
  in.clock = "business";
  ASSERT_TRUE(services::ValidateServiceStandard(in, true).ok());
  auto refused = db_.WriteValue<ports::StoredServiceStandard>(
      [&](ports::WriteTx& tx) { return services::CreateServiceStandard(tx, admin_, in, 1); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "clock");

  // A reply standard changed to a call metric keeps its business clock: refused too.
  in.metric = "first_reply";
  auto reply = db_.WriteValue<ports::StoredServiceStandard>(
      [&](ports::WriteTx& tx) { return services::CreateServiceStandard(tx, admin_, in, 1); });
  ASSERT_TRUE(reply.ok());
  services::ServiceStandardInput change;
  change.metric = "call_answer";
  ASSERT_TRUE(services::ValidateServiceStandard(change, false).ok());
  auto changed = db_.WriteValue<ports::StoredServiceStandard>(
      [&](ports::WriteTx& tx) { return services::UpdateServiceStandard(tx, admin_, reply->id, change, 2); });
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().field, "clock");
}

}  // namespace
}  // namespace kizuna::testing
