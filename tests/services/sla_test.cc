// Service levels on a real SQLite store: calendars and policies, and each ticket's SLA as
// its ticket changes (services/sla.h).
#include "services/sla.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <cstdio>

#include "fakes/temp_store.h"
#include "services/directory.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr Timestamp kMinute = 60'000;
constexpr Timestamp kHour = 60 * kMinute;
// Friday 2026-06-05 17:00 in Tokyo (08:00 UTC).
constexpr Timestamp kFriday1700Tokyo = 1'780'646'400'000;

class SlaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"sla"}, 1));
      actor_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      services::AgentInput agent{"ren@sla.test", "Ren", "admin", {"ja"}, ""};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, actor_, agent, 1));
      actor_.id = a.id;
      return Ok();
    }).ok());
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) { return db_.WriteValue<T>(std::move(fn)); }

  // Tokyo office: Monday to Friday, 09:00–18:00.
  Result<ports::StoredCalendar> TokyoCalendar() {
    services::CalendarInput in;
    in.name = "Tokyo office";
    in.time_zone = "Asia/Tokyo";
    json day = json::array({{{"start", "09:00"}, {"end", "18:00"}}});
    in.hours = json{{"mon", day}, {"tue", day}, {"wed", day}, {"thu", day}, {"fri", day}};
    KZ_TRY(services::ValidateCalendar(in, true));
    return WriteValue<ports::StoredCalendar>(
        [&](ports::WriteTx& tx) { return services::CreateCalendar(tx, actor_, in, clock_.Now()); });
  }

  Result<ports::StoredSlaPolicy> Policy(const std::string& name, json conditions, json targets,
                                        std::optional<std::int64_t> calendar_id = std::nullopt) {
    services::SlaPolicyInput in;
    in.name = name;
    in.conditions = std::move(conditions);
    in.targets = std::move(targets);
    in.calendar_id = services::Patch<std::int64_t>{calendar_id.has_value(), calendar_id};
    KZ_TRY(services::ValidateSlaPolicy(in, true));
    return WriteValue<ports::StoredSlaPolicy>(
        [&](ports::WriteTx& tx) { return services::CreateSlaPolicy(tx, actor_, in, clock_.Now()); });
  }

  static json Target(const char* metric, std::int64_t minutes, const char* clock = "business") {
    return json{{"metric", metric}, {"minutes", minutes}, {"clock", clock}};
  }

  Ticket Create(const std::string& priority = "normal", const std::string& channel = "api",
                const std::string& email = "aiko@example.jp") {
    services::CreateTicketInput in;
    in.subject = "注文について";
    in.body = "届きません";
    in.priority = priority;
    in.channel = channel;
    in.requester.email = email;
    EXPECT_TRUE(services::ValidateCreateTicket(in).ok());
    auto t = WriteValue<Ticket>(
        [&](ports::WriteTx& tx) { return services::CreateTicket(tx, actor_, in, clock_.Now()); });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : Ticket{};
  }

  Ticket Reply(TicketId id, bool note = false, std::optional<std::string> status = std::nullopt) {
    services::AddMessageInput in;
    in.body = note ? "社内メモ" : "確認します";
    in.internal_note = note;
    in.status = status;
    EXPECT_TRUE(services::ValidateAddMessage(in).ok());
    auto r = WriteValue<services::MessageResult>(
        [&](ports::WriteTx& tx) { return services::AddMessage(tx, actor_, id, in, clock_.Now()); });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->ticket : Ticket{};
  }

  Ticket CustomerReply(TicketId id) {
    auto r = WriteValue<services::MessageResult>([&](ports::WriteTx& tx) -> Result<services::MessageResult> {
      KZ_ASSIGN(Ticket before, tx.GetTicket(actor_.workspace_id, id));
      services::CustomerMessageInput in{"まだ届きません", {}, {}};
      return services::AddCustomerMessage(tx, actor_.workspace_id, before.requester_id, before, in, clock_.Now());
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->ticket : Ticket{};
  }

  Ticket SetStatus(TicketId id, const std::string& status) {
    services::UpdateTicketInput in;
    in.status = status;
    auto t = WriteValue<Ticket>(
        [&](ports::WriteTx& tx) { return services::UpdateTicket(tx, actor_, id, in, clock_.Now()); });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : Ticket{};
  }

  Ticket Get(TicketId id) {
    Ticket t;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(t, tx.GetTicket(actor_.workspace_id, id));
      return Ok();
    }).ok());
    return t;
  }

  static const TicketSlaTarget& TargetOf(const Ticket& t, const std::string& metric) {
    static const TicketSlaTarget kNone;
    if (!t.sla) return kNone;
    for (const auto& target : t.sla->targets) {
      if (target.metric == metric) return target;
    }
    return kNone;
  }

  TempStore db_;
  FakeClock clock_{kFriday1700Tokyo};
  services::Actor actor_;
};

TEST_F(SlaServiceTest, AWorkspaceWithoutPoliciesGivesTicketsNoSla) {
  Ticket t = Create("urgent");
  EXPECT_FALSE(t.sla.has_value());
  EXPECT_FALSE(Get(t.id).sla.has_value());
}

TEST_F(SlaServiceTest, TheFirstPolicyWhoseConditionsMatchAppliesByPriorityAndChannel) {
  auto urgent_email = Policy("Urgent email", {{"priorities", {"urgent"}}, {"channels", {"email"}}},
                             {Target("first_reply", 30, "calendar")});
  auto urgent = Policy("Urgent", {{"priorities", {"urgent", "high"}}}, {Target("first_reply", 60, "calendar")});
  auto rest = Policy("Everything else", json::object(), {Target("first_reply", 480, "calendar")});
  ASSERT_TRUE(urgent_email.ok() && urgent.ok() && rest.ok());
  EXPECT_LT(urgent_email->position, urgent->position);

  const struct {
    const char* priority;
    const char* channel;
    std::int64_t policy_id;
    Timestamp due_in;
  } cases[] = {
      {"urgent", "email", urgent_email->id, 30 * kMinute},
      {"urgent", "api", urgent->id, 60 * kMinute},
      {"high", "email", urgent->id, 60 * kMinute},
      {"normal", "email", rest->id, 480 * kMinute},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.priority) + " " + c.channel);
    Ticket t = Create(c.priority, c.channel);
    ASSERT_TRUE(t.sla.has_value());
    EXPECT_EQ(t.sla->policy_id, c.policy_id);
    EXPECT_EQ(t.sla->next_due_at, clock_.Now() + c.due_in);
    EXPECT_EQ(Get(t.id).sla, t.sla) << "stored as returned";
  }

  // Raising the priority moves the ticket to the stricter policy, measured from its creation.
  Ticket t = Create("normal", "api");
  const Timestamp created = clock_.Now();
  clock_.Advance(10 * kMinute);
  services::UpdateTicketInput raise;
  raise.priority = "urgent";
  auto raised = WriteValue<Ticket>(
      [&](ports::WriteTx& tx) { return services::UpdateTicket(tx, actor_, t.id, raise, clock_.Now()); });
  ASSERT_TRUE(raised.ok());
  ASSERT_TRUE(raised->sla.has_value());
  EXPECT_EQ(raised->sla->policy_id, urgent->id);
  EXPECT_EQ(raised->sla->next_due_at, created + 60 * kMinute);
}

TEST_F(SlaServiceTest, DueTimesCountOnlyBusinessHoursInTokyo) {
  auto calendar = TokyoCalendar();
  ASSERT_TRUE(calendar.ok()) << calendar.error().message;
  auto policy = Policy("Office hours", json::object(),
                       {Target("first_reply", 120), Target("resolution", 480),
                        Target("periodic_update", 24 * 60, "calendar")},
                       calendar->id);
  ASSERT_TRUE(policy.ok()) << policy.error().message;

  // Friday 17:00: one business hour left this week, then Monday from 09:00 (00:00 UTC).
  Ticket t = Create();
  ASSERT_TRUE(t.sla.has_value());
  const Timestamp monday_0900 = kFriday1700Tokyo + 3 * 24 * kHour - 8 * kHour;
  EXPECT_EQ(TargetOf(t, "first_reply").state, "running");
  EXPECT_EQ(TargetOf(t, "first_reply").due_at, monday_0900 + 1 * kHour);
  EXPECT_EQ(TargetOf(t, "resolution").due_at, monday_0900 + 7 * kHour);
  EXPECT_EQ(TargetOf(t, "periodic_update").state, "inactive") << "starts with the first reply";
  EXPECT_EQ(t.sla->next_due_at, monday_0900 + 1 * kHour);

  // Answered on Monday 09:30: first reply met; periodic update runs on calendar time.
  clock_.Advance(monday_0900 + 30 * kMinute - clock_.Now());
  t = Reply(t.id);
  EXPECT_EQ(TargetOf(t, "first_reply").state, "fulfilled");
  EXPECT_FALSE(TargetOf(t, "first_reply").breached);
  EXPECT_FALSE(TargetOf(t, "first_reply").due_at.has_value());
  EXPECT_EQ(TargetOf(t, "periodic_update").due_at, clock_.Now() + 24 * kHour);
  EXPECT_EQ(t.sla->next_due_at, monday_0900 + 7 * kHour) << "now the resolution is due first";
}

TEST_F(SlaServiceTest, PendingPausesTheClocksAndACustomerReplyResumesThem) {
  auto policy = Policy("Resolve in 4 hours", json::object(), {Target("resolution", 240, "calendar")});
  ASSERT_TRUE(policy.ok());
  Ticket t = Create();
  const Timestamp created = clock_.Now();
  EXPECT_EQ(t.sla->next_due_at, created + 4 * kHour);

  clock_.Advance(1 * kHour);
  t = Reply(t.id, false, "pending");
  EXPECT_EQ(t.status, TicketStatus::kPending);
  EXPECT_EQ(TargetOf(t, "resolution").state, "paused");
  EXPECT_FALSE(TargetOf(t, "resolution").due_at.has_value());
  EXPECT_FALSE(t.sla->next_due_at.has_value()) << "nothing runs while waiting on the customer";

  // Two hours later the customer answers: the ticket reopens and 3 hours remain.
  clock_.Advance(2 * kHour);
  t = CustomerReply(t.id);
  EXPECT_EQ(t.status, TicketStatus::kOpen);
  EXPECT_EQ(TargetOf(t, "resolution").state, "running");
  EXPECT_EQ(TargetOf(t, "resolution").due_at, clock_.Now() + 3 * kHour);
  EXPECT_EQ(Get(t.id).sla->next_due_at, clock_.Now() + 3 * kHour);

  // Solving stops it, met; nothing is due any more.
  clock_.Advance(1 * kHour);
  t = SetStatus(t.id, "solved");
  EXPECT_EQ(TargetOf(t, "resolution").state, "fulfilled");
  EXPECT_FALSE(TargetOf(t, "resolution").breached);
  EXPECT_FALSE(t.sla->next_due_at.has_value());
}

TEST_F(SlaServiceTest, TheFirstReplyIsMetByAPublicAgentReplyNotByANote) {
  auto policy = Policy("Answer within the hour", json::object(),
                       {Target("first_reply", 60, "calendar"), Target("next_reply", 30, "calendar")});
  ASSERT_TRUE(policy.ok());
  Ticket t = Create();
  clock_.Advance(10 * kMinute);
  t = Reply(t.id, /*note=*/true);
  EXPECT_EQ(TargetOf(t, "first_reply").state, "running");
  clock_.Advance(10 * kMinute);
  t = Reply(t.id);
  EXPECT_EQ(TargetOf(t, "first_reply").state, "fulfilled");
  EXPECT_FALSE(TargetOf(t, "first_reply").breached);
  EXPECT_EQ(TargetOf(t, "next_reply").state, "inactive");
  EXPECT_FALSE(t.sla->next_due_at.has_value());

  // The customer writes back: the next reply is due within 30 minutes.
  clock_.Advance(5 * kMinute);
  t = CustomerReply(t.id);
  EXPECT_EQ(TargetOf(t, "next_reply").state, "running");
  EXPECT_EQ(t.sla->next_due_at, clock_.Now() + 30 * kMinute);
}

TEST_F(SlaServiceTest, ATargetPastItsDueTimeIsBreached) {
  auto policy = Policy("Answer within the hour", json::object(), {Target("first_reply", 60, "calendar")});
  ASSERT_TRUE(policy.ok());
  Ticket t = Create();
  const Timestamp due = clock_.Now() + 60 * kMinute;
  EXPECT_FALSE(TargetOf(t, "first_reply").breached);
  EXPECT_FALSE(TargetOf(t, "first_reply").BreachedAt(due)) << "due is the last moment in time";
  EXPECT_TRUE(TargetOf(t, "first_reply").BreachedAt(due + 1)) << "overdue as seen from the API";

  // Re-evaluated later without any change to the ticket (what a timer will do).
  clock_.Advance(90 * kMinute);
  auto refreshed = WriteValue<std::optional<TicketSla>>([&](ports::WriteTx& tx) {
    return services::RefreshTicketSla(tx, actor_.workspace_id, t.id, clock_.Now());
  });
  ASSERT_TRUE(refreshed.ok());
  ASSERT_TRUE(refreshed->has_value());
  EXPECT_TRUE((*refreshed)->targets[0].breached);
  EXPECT_EQ((*refreshed)->targets[0].breached_at, due);
  EXPECT_EQ((*refreshed)->targets[0].state, "running");
  EXPECT_TRUE(TargetOf(Get(t.id), "first_reply").breached) << "stored";

  // Answered late: met, but breached.
  t = Reply(t.id);
  EXPECT_EQ(TargetOf(t, "first_reply").state, "fulfilled");
  EXPECT_TRUE(TargetOf(t, "first_reply").breached);
  EXPECT_EQ(TargetOf(t, "first_reply").breached_at, due);
}

TEST_F(SlaServiceTest, ListingByDueTimePagesSoonestFirstWithUndueTicketsLast) {
  ASSERT_TRUE(Policy("Urgent", {{"priorities", {"urgent"}}}, {Target("first_reply", 30, "calendar")}).ok());
  ASSERT_TRUE(Policy("High", {{"priorities", {"high"}}}, {Target("first_reply", 60, "calendar")}).ok());
  ASSERT_TRUE(Policy("Normal", {{"priorities", {"normal"}}}, {Target("first_reply", 240, "calendar")}).ok());
  // Low priority has no policy; a replied ticket has nothing due.
  std::vector<TicketId> expected_due;  // in due order
  std::vector<TicketId> without_due;
  // A solved ticket has nothing due and comes after the open tickets with nothing due.
  Ticket solved = Create("urgent");
  SetStatus(solved.id, "solved");
  clock_.Advance(kMinute);
  Ticket normal1 = Create("normal");
  clock_.Advance(kMinute);
  Ticket low1 = Create("low");
  clock_.Advance(kMinute);
  Ticket urgent1 = Create("urgent");
  clock_.Advance(kMinute);
  Ticket high1 = Create("high");
  clock_.Advance(kMinute);
  Ticket replied = Create("urgent");
  Reply(replied.id);
  clock_.Advance(kMinute);
  Ticket urgent2 = Create("urgent");
  clock_.Advance(kMinute);
  Ticket low2 = Create("low");
  expected_due = {urgent1.id, urgent2.id, high1.id, normal1.id};
  without_due = {low1.id, replied.id, low2.id};  // by id

  // Every page of `filter` to its end, by the cursor each page gives.
  auto all_pages = [&](ports::TicketFilter filter) {
    std::vector<TicketId> ids;
    for (int page_idx = 0; page_idx < 10; ++page_idx) {
      ports::TicketPage page;
      EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
        KZ_ASSIGN(page, tx.ListTickets(actor_.workspace_id, filter));
        return Ok();
      }).ok());
      for (const auto& t : page.tickets) ids.push_back(t.id);
      if (!page.has_more) break;
      const Ticket& last = page.tickets.back();
      filter.after = ports::TicketCursor{ports::SortValue(last, filter.sort), last.id};
    }
    return ids;
  };
  ports::TicketFilter filter;
  filter.sort = ports::TicketSortKey::kDueAt;
  filter.descending = false;
  filter.limit = 2;
  std::vector<TicketId> seen = all_pages(filter);
  std::vector<TicketId> expected = expected_due;
  expected.insert(expected.end(), without_due.begin(), without_due.end());
  expected.push_back(solved.id);
  EXPECT_EQ(seen, expected);

  // The unsolved view sorts the same way (the first part of the same index).
  filter = ports::TicketFilter{};
  filter.sort = ports::TicketSortKey::kDueAt;
  filter.descending = false;
  filter.statuses = {TicketStatus::kNew, TicketStatus::kOpen, TicketStatus::kPending, TicketStatus::kOnHold};
  filter.limit = 3;
  ports::TicketPage first;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(first, tx.ListTickets(actor_.workspace_id, filter));
    return Ok();
  }).ok());
  ASSERT_EQ(first.tickets.size(), 3u);
  EXPECT_EQ(first.tickets[0].id, urgent1.id);
  EXPECT_EQ(first.tickets[2].id, high1.id);
  EXPECT_EQ(ports::SortValue(Get(low1.id), ports::TicketSortKey::kDueAt), kNoDueTime - 1);
  EXPECT_EQ(ports::SortValue(Get(solved.id), ports::TicketSortKey::kDueAt), kNoDueTime);
  // Paged to its end, the unsolved view holds every open ticket once and no solved one.
  seen = all_pages(filter);
  expected.pop_back();
  EXPECT_EQ(seen, expected);
}

TEST_F(SlaServiceTest, APolicyChangeAppliesFromTheNextTicketWrite) {
  auto policy = Policy("All", json::object(), {Target("first_reply", 60, "calendar")});
  ASSERT_TRUE(policy.ok());
  Ticket before = Create();
  EXPECT_EQ(before.sla->next_due_at, clock_.Now() + 60 * kMinute);

  services::SlaPolicyInput change;
  change.targets = json::array({Target("first_reply", 15, "calendar")});
  ASSERT_TRUE(services::ValidateSlaPolicy(change, false).ok());
  auto changed = WriteValue<ports::StoredSlaPolicy>(
      [&](ports::WriteTx& tx) { return services::UpdateSlaPolicy(tx, actor_, policy->id, change, clock_.Now()); });
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->version, 2);
  Ticket after = Create();
  EXPECT_EQ(after.sla->next_due_at, clock_.Now() + 15 * kMinute);

  // Without policies the tickets' SLA goes with their next change.
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return services::DeleteSlaPolicy(tx, actor_, policy->id, clock_.Now()); })
                  .ok());
  EXPECT_FALSE(Create().sla.has_value());
  EXPECT_FALSE(SetStatus(before.id, "open").sla.has_value());
}

TEST_F(SlaServiceTest, PoliciesMatchTheRequestersOrganisation) {
  OrganisationId org = 0;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::OrganisationInput sakura{"Sakura", "", ""};
    KZ_ASSIGN(Organisation o, services::CreateOrganisation(tx, actor_, sakura, 1));
    org = o.id;
    Customer c;
    c.workspace_id = actor_.workspace_id;
    c.name = "Sato";
    c.organisation_id = org;
    c.identities = {Identity{"email", "sato@sakura.jp"}};
    return tx.InsertCustomer(c);
  }).ok());
  auto vip = Policy("Sakura", {{"organisation_ids", {org}}}, {Target("first_reply", 10, "calendar")});
  ASSERT_TRUE(vip.ok()) << vip.error().message;
  EXPECT_EQ(Create("normal", "api", "sato@sakura.jp").sla->policy_id, vip->id);
  EXPECT_FALSE(Create("normal", "api", "someone@else.jp").sla.has_value());
}

TEST_F(SlaServiceTest, BadCalendarsAndPoliciesAreRefusedWithTheField) {
  json day = json::array({{{"start", "09:00"}, {"end", "18:00"}}});
  const struct {
    const char* what;
    json hours;
    const char* time_zone;
    const char* field;
  } calendars[] = {
      {"unknown time zone", {{"mon", day}}, "Asia/Atlantis", "time_zone"},
      {"no open hours", json::object(), "Asia/Tokyo", "hours"},
      {"only empty days", {{"mon", json::array()}}, "Asia/Tokyo", "hours"},
      {"not a day", {{"monday", day}}, "Asia/Tokyo", "hours.monday"},
      {"hours not a list", {{"mon", "09:00-18:00"}}, "Asia/Tokyo", "hours.mon"},
      {"25 o'clock", {{"mon", {{{"start", "25:00"}, {"end", "26:00"}}}}}, "Asia/Tokyo", "hours.mon[0].start"},
      {"no end", {{"mon", {{{"start", "09:00"}}}}}, "Asia/Tokyo", "hours.mon[0].end"},
      {"overlap", {{"mon", {{{"start", "09:00"}, {"end", "12:00"}}, {{"start", "11:00"}, {"end", "13:00"}}}}},
       "Asia/Tokyo", "hours.mon"},
  };
  for (const auto& c : calendars) {
    SCOPED_TRACE(c.what);
    services::CalendarInput in;
    in.name = "x";
    in.time_zone = c.time_zone;
    in.hours = c.hours;
    Status s = services::ValidateCalendar(in, true);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, c.field) << s.error().message;
  }
  services::CalendarInput bad_holiday;
  bad_holiday.holidays = json::array({"2026-02-30"});
  EXPECT_EQ(services::ValidateCalendar(bad_holiday, false).error().field, "holidays[0]");

  const struct {
    const char* what;
    json conditions;
    json targets;
    const char* field;
  } policies[] = {
      {"unknown metric", json::object(), {{{"metric", "first_hug"}, {"minutes", 5}}}, "targets[0].metric"},
      {"zero minutes", json::object(), {{{"metric", "first_reply"}, {"minutes", 0}}}, "targets[0].minutes"},
      {"negative minutes", json::object(), {Target("resolution", 60), {{"metric", "first_reply"}, {"minutes", -5}}},
       "targets[1].minutes"},
      {"minutes as text", json::object(), {{{"metric", "first_reply"}, {"minutes", "60"}}}, "targets[0].minutes"},
      {"unknown clock", json::object(), {{{"metric", "first_reply"}, {"minutes", 60}, {"clock", "moon"}}},
       "targets[0].clock"},
      {"two first replies", json::object(), {Target("first_reply", 60), Target("first_reply", 30)},
       "targets[1].metric"},
      {"no targets", json::object(), json::array(), "targets"},
      {"targets not a list", json::object(), {{"metric", "first_reply"}}, "targets"},
      {"unknown condition", {{"moods", {"angry"}}}, {Target("first_reply", 60)}, "conditions.moods"},
      {"unknown priority", {{"priorities", {"asap"}}}, {Target("first_reply", 60)}, "conditions.priorities[0]"},
      {"unknown channel", {{"channels", {"pigeon"}}}, {Target("first_reply", 60)}, "conditions.channels[0]"},
      {"bad id", {{"team_ids", {"one"}}}, {Target("first_reply", 60)}, "conditions.team_ids[0]"},
  };
  for (const auto& c : policies) {
    SCOPED_TRACE(c.what);
    services::SlaPolicyInput in;
    in.name = "x";
    in.conditions = c.conditions;
    in.targets = c.targets;
    Status s = services::ValidateSlaPolicy(in, true);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().field, c.field) << s.error().message;
  }

  // References the workspace does not have.
  auto missing_calendar = Policy("x", json::object(), {Target("first_reply", 60)}, 999);
  ASSERT_FALSE(missing_calendar.ok());
  EXPECT_EQ(missing_calendar.error().field, "calendar_id");
  auto missing_team = Policy("x", {{"team_ids", {999}}}, {Target("first_reply", 60)});
  ASSERT_FALSE(missing_team.ok());
  EXPECT_EQ(missing_team.error().field, "conditions.team_ids");
}

TEST_F(SlaServiceTest, CalendarsRoundTripAndCannotBeDeletedWhileAPolicyUsesThem) {
  services::CalendarInput in;
  in.name = "Night desk";
  in.time_zone = "Asia/Ho_Chi_Minh";
  in.hours = json{{"fri", {{{"start", "22:00"}, {"end", "06:00"}}}}, {"sat", {{{"start", "00:00"}, {"end", "24:00"}}}}};
  in.holidays = json::array({"2026-09-02", "2026-01-01", "2026-01-01"});
  in.exceptions = json::array({{{"date", "2026-12-31"}, {"hours", {{{"start", "09:00"}, {"end", "12:00"}}}}}});
  ASSERT_TRUE(services::ValidateCalendar(in, true).ok());
  auto calendar = WriteValue<ports::StoredCalendar>(
      [&](ports::WriteTx& tx) { return services::CreateCalendar(tx, actor_, in, clock_.Now()); });
  ASSERT_TRUE(calendar.ok()) << calendar.error().message;
  json shown = services::CalendarJson(*calendar);
  EXPECT_EQ(shown["hours"]["fri"], json::array({{{"start", "22:00"}, {"end", "06:00"}}}));
  EXPECT_EQ(shown["hours"]["sat"], json::array({{{"start", "00:00"}, {"end", "24:00"}}}));
  EXPECT_EQ(shown["hours"]["mon"], json::array());
  EXPECT_EQ(shown["holidays"], json::array({"2026-01-01", "2026-09-02"}));
  EXPECT_EQ(shown["exceptions"][0]["date"], "2026-12-31");

  auto policy = Policy("Nights", json::object(), {Target("first_reply", 60)}, calendar->id);
  ASSERT_TRUE(policy.ok());
  Status in_use =
      Write([&](ports::WriteTx& tx) { return services::DeleteCalendar(tx, actor_, calendar->id, clock_.Now()); });
  ASSERT_FALSE(in_use.ok());
  EXPECT_EQ(in_use.error().code, ErrorCode::kConflict);

  services::CalendarInput stale;
  stale.name = "Renamed";
  stale.expected_version = 7;
  ASSERT_TRUE(services::ValidateCalendar(stale, false).ok());
  auto refused = WriteValue<ports::StoredCalendar>(
      [&](ports::WriteTx& tx) { return services::UpdateCalendar(tx, actor_, calendar->id, stale, clock_.Now()); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kPreconditionFailed);
}


}  // namespace
}  // namespace kizuna::testing
