// The SLA timer on a real SQLite store: warnings and breaches given once per cycle, with
// their escalations; alarms kept across restarts; open tickets re-evaluated after a policy
// change, resuming where a restart left off (services/sla_timer.h).
#include "services/sla_timer.h"

#include <gtest/gtest.h>

#include <mutex>

#include "adapters/storage/sqlite/sqlite_db.h"
#include "fakes/temp_store.h"
#include "services/customers.h"
#include "services/directory.h"
#include "services/sla.h"
#include "services/sla_compiled.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

constexpr Timestamp kMinute = 60'000;
constexpr Timestamp kStart = 1'780'646'400'000;  // Friday 2026-06-05 08:00 UTC

class SlaTimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"timer"}, 1));
      actor_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      services::AgentInput lead{"lead@timer.test", "Lead", "supervisor", {"en"}, ""};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, actor_, lead, 1));
      actor_.id = a.id;
      services::AgentInput agent{"mai@timer.test", "Mai", "agent", {"vi"}, ""};
      KZ_ASSIGN(Agent m, services::CreateAgent(tx, actor_, agent, 1));
      agent_id_ = m.id;
      KZ_ASSIGN(Team t, services::CreateTeam(tx, actor_, services::TeamInput{"Escalations", ""}, 1));
      team_id_ = t.id;
      return Ok();
    }).ok());
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) { return db_.WriteValue<T>(std::move(fn)); }

  Result<ports::StoredSlaPolicy> Policy(json conditions, json targets, json escalations = nullptr,
                                        std::optional<std::int64_t> warning_percent = std::nullopt) {
    services::SlaPolicyInput in;
    in.name = "Policy";
    in.conditions = std::move(conditions);
    in.targets = std::move(targets);
    if (!escalations.is_null()) in.escalations = std::move(escalations);
    in.warning_percent = warning_percent;
    KZ_TRY(services::ValidateSlaPolicy(in, true));
    return WriteValue<ports::StoredSlaPolicy>(
        [&](ports::WriteTx& tx) { return services::CreateSlaPolicy(tx, actor_, in, clock_.Now()); });
  }

  // Replaces a policy's targets, as an admin's edit does.
  Status SetTargets(std::int64_t policy_id, json targets) {
    services::SlaPolicyInput change;
    change.targets = std::move(targets);
    KZ_TRY(services::ValidateSlaPolicy(change, false));
    return Write([&](ports::WriteTx& tx) -> Status {
      KZ_TRY(services::UpdateSlaPolicy(tx, actor_, policy_id, change, clock_.Now()));
      return Ok();
    });
  }

  static json Target(const char* metric, std::int64_t minutes) {
    return json{{"metric", metric}, {"minutes", minutes}, {"clock", "calendar"}};
  }

  Ticket Create(std::optional<AgentId> assignee = std::nullopt, const std::string& email = "an@example.vn") {
    services::CreateTicketInput in;
    in.subject = "Đơn hàng chưa đến";
    in.body = "Tôi chưa nhận được hàng";
    in.requester.email = email;
    in.assignee_id = assignee;
    EXPECT_TRUE(services::ValidateCreateTicket(in).ok());
    auto t = WriteValue<Ticket>([&](ports::WriteTx& tx) { return services::CreateTicket(tx, actor_, in, clock_.Now()); });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : Ticket{};
  }

  services::SlaAlarmReport RunAlarms() {
    auto report = WriteValue<services::SlaAlarmReport>(
        [&](ports::WriteTx& tx) { return services::RunSlaAlarms(tx, clock_.Now(), 100); });
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : services::SlaAlarmReport{};
  }

  std::vector<std::string> SlaEvents(TicketId id) {
    std::vector<std::string> out;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto events, tx.ListTicketEvents(actor_.workspace_id, id));
      for (const auto& e : events) {
        if (e.type.rfind("sla.", 0) == 0) out.push_back(e.type + ":" + json::parse(e.data).value("metric", ""));
      }
      return Ok();
    }).ok());
    return out;
  }

  // The sla_alert emails queued: "stage:agent id".
  std::vector<std::string> Alerts() {
    std::vector<std::string> out;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto jobs, tx.ListOutbox(actor_.workspace_id, 100));
      for (auto it = jobs.rbegin(); it != jobs.rend(); ++it) {
        json payload = json::parse(it->payload);
        if (payload.value("template", "") != "sla_alert") continue;
        out.push_back(payload.value("stage", "") + ":" + std::to_string(payload.value("agent_id", 0)));
      }
      return Ok();
    }).ok());
    return out;
  }

  Ticket Get(TicketId id) {
    Ticket t;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(t, tx.GetTicket(actor_.workspace_id, id));
      return Ok();
    }).ok());
    return t;
  }

  TempStore db_;
  FakeClock clock_{kStart};
  services::Actor actor_;
  AgentId agent_id_ = 0;
  TeamId team_id_ = 0;
};

TEST_F(SlaTimerTest, WarnsThenEscalatesTheBreachOnceEach) {
  auto policy = Policy({{"priorities", {"normal"}}}, {Target("first_reply", 60)},
                       {{"breach", {{"raise_priority", "urgent"}, {"assign_team_id", team_id_}}}});
  ASSERT_TRUE(policy.ok()) << policy.error().message;
  Ticket t = Create(agent_id_);
  EXPECT_EQ(t.sla->targets[0].warning_at, kStart + 45 * kMinute);

  clock_.Advance(44 * kMinute);
  EXPECT_EQ(RunAlarms().tickets, 0) << "nothing due before the warning";
  clock_.Advance(1 * kMinute);
  auto warned = RunAlarms();
  EXPECT_EQ(warned.warnings, 1);
  EXPECT_EQ(warned.breaches, 0);
  EXPECT_EQ(SlaEvents(t.id), (std::vector<std::string>{"sla.warning:first_reply"}));
  EXPECT_EQ(Alerts(), (std::vector<std::string>{"warning:" + std::to_string(agent_id_)})) << "to the assignee";
  clock_.Advance(10 * kMinute);
  EXPECT_EQ(RunAlarms().tickets, 0) << "a warning is given once";

  clock_.Advance(6 * kMinute);  // 61 minutes: missed
  auto breached = RunAlarms();
  EXPECT_EQ(breached.breaches, 1);
  Ticket after = Get(t.id);
  EXPECT_EQ(after.priority, Priority::kUrgent);
  EXPECT_EQ(after.team_id, team_id_);
  EXPECT_FALSE(after.assignee_id.has_value()) << "moved to the team's queue";
  EXPECT_EQ(SlaEvents(t.id), (std::vector<std::string>{"sla.warning:first_reply", "sla.breached:first_reply"}));
  EXPECT_EQ(Alerts().size(), 2u);
  EXPECT_EQ(Alerts().back(), "breach:" + std::to_string(agent_id_));
  ASSERT_TRUE(after.sla.has_value()) << "an escalated ticket keeps its policy, though it no longer matches";
  EXPECT_EQ(after.sla->policy_id, policy->id);
  EXPECT_TRUE(after.sla->targets[0].breached);
  EXPECT_FALSE(after.sla->AlarmAt().has_value()) << "nothing left to wait for";

  clock_.Advance(60 * kMinute);
  EXPECT_EQ(RunAlarms().tickets, 0) << "a breach is escalated once";
  EXPECT_EQ(SlaEvents(t.id).size(), 2u);
}

TEST_F(SlaTimerTest, EachNextReplyCycleIsWarnedOfAgainAndUnassignedTicketsAlertSupervisors) {
  auto policy = Policy(json::object(), {Target("next_reply", 100)}, {{"warning", {{"notify", true}}}}, 50);
  ASSERT_TRUE(policy.ok());
  Ticket t = Create();
  auto reply = [&](bool customer) {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      if (customer) {
        KZ_ASSIGN(Ticket before, tx.GetTicket(actor_.workspace_id, t.id));
        services::CustomerMessageInput in{"Còn chưa đến", {}, {}};
        KZ_TRY(services::AddCustomerMessage(tx, actor_.workspace_id, before.requester_id, before, in, clock_.Now()));
        return Ok();
      }
      services::AddMessageInput in;
      in.body = "Chúng tôi đang kiểm tra";
      KZ_TRY(services::AddMessage(tx, actor_, t.id, in, clock_.Now()));
      return Ok();
    }).ok());
  };
  for (int cycle = 1; cycle <= 2; ++cycle) {
    reply(false);
    clock_.Advance(kMinute);
    reply(true);  // starts a next-reply wait
    clock_.Advance(50 * kMinute);
    EXPECT_EQ(RunAlarms().warnings, 1) << "cycle " << cycle;
    EXPECT_EQ(RunAlarms().warnings, 0) << "cycle " << cycle;
  }
  EXPECT_EQ(SlaEvents(t.id), (std::vector<std::string>{"sla.warning:next_reply", "sla.warning:next_reply"}));
  // Nobody is assigned: the supervisor (the only agent above the agent role) hears of it.
  EXPECT_EQ(Alerts(), (std::vector<std::string>{"warning:" + std::to_string(actor_.id),
                                                "warning:" + std::to_string(actor_.id)}));
}

TEST_F(SlaTimerTest, AlarmsSurviveARestartAndFireOnce) {
  auto policy = Policy(json::object(), {Target("first_reply", 30)}, {{"warning", {{"notify", false}}}});
  ASSERT_TRUE(policy.ok());
  Ticket t = Create(agent_id_);
  db_.Close();  // the node stops before anything is due…
  clock_.Advance(2 * 60 * kMinute);
  db_.Open();  // …and starts again long after the due time
  auto late = RunAlarms();
  EXPECT_EQ(late.tickets, 1);
  EXPECT_EQ(late.breaches, 1);
  EXPECT_EQ(late.warnings, 0) << "past due: the breach says it all";
  db_.Close();
  db_.Open();
  EXPECT_EQ(RunAlarms().tickets, 0);
  EXPECT_EQ(SlaEvents(t.id), (std::vector<std::string>{"sla.breached:first_reply"}));
  EXPECT_EQ(Alerts(), (std::vector<std::string>{"breach:" + std::to_string(agent_id_)}));
}

TEST_F(SlaTimerTest, OpenTicketsAreReevaluatedAfterAPolicyChangeResumingAfterARestart) {
  auto policy = Policy(json::object(), {Target("first_reply", 60)});
  ASSERT_TRUE(policy.ok());
  std::vector<Ticket> open;
  for (int idx = 0; idx < 5; ++idx) open.push_back(Create());
  Ticket solved = Create();
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::UpdateTicketInput in;
    in.status = "solved";
    KZ_TRY(services::UpdateTicket(tx, actor_, solved.id, in, clock_.Now()));
    return Ok();
  }).ok());
  const auto solved_sla = Get(solved.id).sla;
  // The revision is new and nothing changed since: re-evaluating finds everything current.
  auto first = services::ReevaluateSlas(db_.store(), clock_.Now(), 2);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->tickets, 5);
  EXPECT_EQ(first->changed, 0);

  ASSERT_TRUE(SetTargets(policy->id, json::array({Target("first_reply", 15)})).ok());
  EXPECT_EQ(Get(open[0].id).sla->next_due_at, kStart + 60 * kMinute) << "not yet re-evaluated";

  auto partial = services::ReevaluateSlas(db_.store(), clock_.Now(), 2, /*max_batches=*/1);
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->finished);
  EXPECT_EQ(partial->changed, 2);
  db_.Close();
  db_.Open();
  auto rest = services::ReevaluateSlas(db_.store(), clock_.Now(), 2);
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->finished);
  EXPECT_EQ(rest->tickets, 3) << "resumed after the first two";
  EXPECT_EQ(rest->changed, 3);
  for (const Ticket& t : open) EXPECT_EQ(Get(t.id).sla->next_due_at, kStart + 15 * kMinute) << t.id;
  EXPECT_EQ(Get(solved.id).sla, solved_sla) << "solved tickets are left alone";
  auto again = services::ReevaluateSlas(db_.store(), clock_.Now(), 2);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->workspaces, 0);

  // A re-evaluation that moves a due time into the past leaves an alarm the timer finds.
  clock_.Advance(20 * kMinute);
  EXPECT_EQ(RunAlarms().breaches, 5);
}

// A store whose second write fails (the disk filled up) once the third is queued behind it.
class SecondWriteFails final : public ports::Store {
 public:
  explicit SecondWriteFails(ports::Store& store) : store_(store) {}
  Status Read(const ports::ReadFn& fn) override { return store_.Read(fn); }
  void Write(ports::WriteFn fn, std::function<void(Status)> done) override {
    std::lock_guard lock(mu_);
    ++writes_;
    if (writes_ == 2) {
      held_ = [fn](ports::WriteTx& tx) -> Status {
        KZ_TRY(fn(tx));
        return Error::Unavailable("database or disk is full");
      };
      held_done_ = std::move(done);
      return;
    }
    if (writes_ == 3) store_.Write(std::move(held_), std::move(held_done_));
    store_.Write(std::move(fn), std::move(done));
  }

 private:
  ports::Store& store_;
  std::mutex mu_;
  int writes_ = 0;
  ports::WriteFn held_;
  std::function<void(Status)> held_done_;
};

TEST_F(SlaTimerTest, ABatchThatFailsToSaveIsDoneAgainWithTheOnesQueuedAfterIt) {
  auto policy = Policy(json::object(), {Target("first_reply", 60)});
  ASSERT_TRUE(policy.ok());
  std::vector<Ticket> open;
  for (int idx = 0; idx < 6; ++idx) open.push_back(Create());
  ASSERT_TRUE(SetTargets(policy->id, json::array({Target("first_reply", 15)})).ok());

  SecondWriteFails failing(db_.store());
  auto failed = services::ReevaluateSlas(failing, clock_.Now(), 2);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "database or disk is full");
  EXPECT_EQ(Get(open[0].id).sla->next_due_at, kStart + 15 * kMinute) << "the first batch was saved";
  EXPECT_EQ(Get(open[2].id).sla->next_due_at, kStart + 60 * kMinute) << "the second was not";
  EXPECT_EQ(Get(open[4].id).sla->next_due_at, kStart + 60 * kMinute) << "nor the third, queued behind it";

  // The work resumes after the last batch saved: nothing is skipped.
  auto rest = services::ReevaluateSlas(db_.store(), clock_.Now(), 2);
  ASSERT_TRUE(rest.ok()) << rest.error().message;
  EXPECT_EQ(rest->tickets, 4);
  EXPECT_EQ(rest->changed, 4);
  for (const Ticket& t : open) EXPECT_EQ(Get(t.id).sla->next_due_at, kStart + 15 * kMinute) << t.id;
}

TEST_F(SlaTimerTest, PoliciesMatchTheRequestersTierWhateverItsCase) {
  auto gold = Policy({{"customer_tiers", {"Gold"}}}, {Target("first_reply", 10)});
  ASSERT_TRUE(gold.ok());
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::CustomerInput in;
    in.name = "Bảo";
    in.tier = " GOLD ";
    in.identities = std::vector<services::IdentityInput>{{"email", "bao@example.vn"}};
    KZ_TRY(services::ValidateCustomer(in, true));
    KZ_ASSIGN(Customer c, services::CreateCustomer(tx, actor_, in, 1));
    EXPECT_EQ(c.tier, "gold");
    return Ok();
  }).ok());
  EXPECT_EQ(Create(std::nullopt, "bao@example.vn").sla->policy_id, gold->id);
  EXPECT_FALSE(Create(std::nullopt, "someone@example.vn").sla.has_value());
}

TEST_F(SlaTimerTest, BadEscalationsAreRefusedWithTheField) {
  struct Case {
    json escalations;
    std::int64_t warning_percent;
    const char* field;
  } cases[] = {
      {{{"breach", {{"raise_priority", "low"}}}}, 75, "escalations.breach.raise_priority"},
      {{{"warning", {{"raise_priority", "urgent"}}}}, 75, "escalations.warning.raise_priority"},
      {{{"breach", {{"notify", "yes"}}}}, 75, "escalations.breach.notify"},
      {{{"later", json::object()}}, 75, "escalations.later"},
      {{{"breach", {{"assign_team_id", -3}}}}, 75, "escalations.breach.assign_team_id"},
      {json::object(), 100, "warning_percent"},
      {json::object(), 0, "warning_percent"},
  };
  for (const auto& c : cases) {
    auto result = Policy(json::object(), {Target("first_reply", 10)}, c.escalations, c.warning_percent);
    ASSERT_FALSE(result.ok()) << c.field;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << c.field;
    EXPECT_EQ(result.error().field, c.field);
  }
  auto missing_team = Policy(json::object(), {Target("first_reply", 10)}, {{"breach", {{"assign_team_id", 999}}}});
  ASSERT_FALSE(missing_team.ok());
  EXPECT_EQ(missing_team.error().field, "escalations.breach.assign_team_id");
}

TEST_F(SlaTimerTest, StoredTargetsReadBackExactlyWhateverTheirText) {
  auto policy = Policy(json::object(), {Target("first_reply", 60)});
  ASSERT_TRUE(policy.ok());
  Ticket t = Create();
  TicketSla sla;
  sla.policy_id = policy->id;
  sla.next_due_at = -5;
  sla.targets = {
      TicketSlaTarget{"first_reply", "running", kStart + 1, false, std::nullopt, kStart, 3, 2, 1},
      TicketSlaTarget{"resolution", "fulfilled", std::nullopt, true, kStart + 7, std::nullopt, 1, 1, 1},
      // Text the fast reader leaves to the careful one: quotes, backslashes, non-ASCII.
      TicketSlaTarget{"odd \"metric\" \\ 指標", "paused", 0, false, std::nullopt, std::nullopt, 0, 0, 0},
  };
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return tx.SaveTicketSla(actor_.workspace_id, t.id, sla, std::nullopt); }).ok());
  EXPECT_EQ(Get(t.id).sla, sla);
  sla.targets.pop_back();
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return tx.SaveTicketSla(actor_.workspace_id, t.id, sla, std::nullopt); }).ok());
  EXPECT_EQ(Get(t.id).sla, sla);
  sla.targets.clear();
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) { return tx.SaveTicketSla(actor_.workspace_id, t.id, sla, std::nullopt); }).ok());
  EXPECT_EQ(Get(t.id).sla, sla);
}

TEST_F(SlaTimerTest, TargetsStoredWithNamedKeysAreStillReadAndReevaluated) {
  // Rows written before targets were stored positionally hold an object per target.
  auto policy = Policy(json::object(), {Target("first_reply", 60)});
  ASSERT_TRUE(policy.ok());
  const Ticket t = Create();
  ASSERT_TRUE(t.sla);
  const TicketSla expected = *t.sla;
  std::string legacy = "[";
  for (const TicketSlaTarget& target : expected.targets) {
    if (legacy.size() > 1) legacy += ",";
    legacy += json{{"breached", target.breached},
                   {"breached_at", target.breached_at ? json(*target.breached_at) : json()},
                   {"cycle", target.cycle},
                   {"due_at", target.due_at ? json(*target.due_at) : json()},
                   {"escalated_cycle", target.escalated_cycle},
                   {"metric", target.metric},
                   {"state", target.state},
                   {"warned_cycle", target.warned_cycle},
                   {"warning_at", target.warning_at ? json(*target.warning_at) : json()}}
                  .dump();
  }
  legacy += "]";
  db_.Close();
  {
    auto raw = storage::SqliteDb::Open(db_.path(), false, false);
    ASSERT_TRUE(raw.ok()) << raw.error().message;
    auto& conn = **raw;
    std::string escaped;
    for (char c : legacy) escaped += c == '\'' ? std::string("''") : std::string(1, c);
    ASSERT_TRUE(conn.Exec("UPDATE tickets SET sla_targets = '" + escaped + "' WHERE id = " + std::to_string(t.id)).ok());
  }
  db_.Open();
  EXPECT_EQ(Get(t.id).sla, expected);
  // A policy change re-evaluates it (the row is rewritten positionally), as it does new rows.
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::SlaPolicyInput change;
    change.targets = json::array({Target("first_reply", 120)});
    KZ_TRY(services::ValidateSlaPolicy(change, false));
    KZ_ASSIGN(auto updated, services::UpdateSlaPolicy(tx, actor_, policy->id, change, clock_.Now()));
    return updated.id == policy->id ? Ok() : Error::Internal("another policy changed");
  }).ok());
  auto report = services::ReevaluateSlas(db_.store(), clock_.Now(), 100);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->changed, 1);
  const Ticket after = Get(t.id);
  ASSERT_TRUE(after.sla && !after.sla->targets.empty());
  ASSERT_TRUE(expected.targets.front().due_at && after.sla->targets.front().due_at);
  EXPECT_EQ(*after.sla->targets.front().due_at - *expected.targets.front().due_at, 60 * 60'000);
}

// The SLA history kept with a ticket, as re-evaluation reads it: the text and whether it is of
// the ticket's current version.
struct Kept {
  std::optional<std::string> text;
  std::int64_t version = 0;
};

class SlaHistoryTest : public SlaTimerTest {
 protected:
  Kept KeptOf(TicketId id) {
    Kept kept;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto items, tx.ListSlaWork(actor_.workspace_id, id - 1, 1, false));
      if (items.empty() || items[0].ticket.id != id) return Error::NotFound("not an open ticket");
      kept = Kept{items[0].history, items[0].ticket.version};
      return Ok();
    }).ok());
    return kept;
  }
  std::vector<SlaEvent> FromEvents(TicketId id) {
    std::vector<SlaEvent> history;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(auto activity, tx.ListTicketActivity(actor_.workspace_id, id));
      history = services::HistoryOf(activity);
      return Ok();
    }).ok());
    return history;
  }
  void SetKept(TicketId id, const std::string& sql_value) {
    db_.Close();
    {
      auto raw = storage::SqliteDb::Open(db_.path(), false, false);
      ASSERT_TRUE(raw.ok()) << raw.error().message;
      ASSERT_TRUE((*raw)->Exec("UPDATE tickets SET sla_history = " + sql_value + " WHERE id = " + std::to_string(id)).ok());
    }
    db_.Open();
  }
  // Agent reply, customer reply, waiting on the customer, the customer answers.
  Ticket Converse(Ticket t) {
    EXPECT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      services::AddMessageInput reply;
      reply.body = "Chúng tôi đang kiểm tra";
      KZ_TRY(services::AddMessage(tx, actor_, t.id, reply, clock_.Now() + 5 * kMinute));
      KZ_ASSIGN(Ticket now, tx.GetTicket(actor_.workspace_id, t.id));
      services::CustomerMessageInput answer{"Vẫn chưa thấy", {}, {}};
      KZ_TRY(services::AddCustomerMessage(tx, actor_.workspace_id, now.requester_id, now, answer,
                                          clock_.Now() + 10 * kMinute));
      services::AddMessageInput ask;
      ask.body = "Mã đơn hàng là gì?";
      ask.status = "pending";
      KZ_TRY(services::AddMessage(tx, actor_, t.id, ask, clock_.Now() + 15 * kMinute));
      KZ_ASSIGN(now, tx.GetTicket(actor_.workspace_id, t.id));
      services::CustomerMessageInput code{"VN-2231", {}, {}};
      KZ_TRY(services::AddCustomerMessage(tx, actor_.workspace_id, now.requester_id, now, code,
                                          clock_.Now() + 20 * kMinute));
      return Ok();
    }).ok());
    clock_.Advance(30 * kMinute);
    return Get(t.id);
  }
  // A change to the policy's first target, and the re-evaluation that follows.
  void ChangePolicy(std::int64_t policy_id, std::int64_t next_reply_minutes) {
    services::SlaPolicyInput change;
    change.targets = json::array({Target("first_reply", 60), Target("next_reply", next_reply_minutes)});
    ASSERT_TRUE(services::ValidateSlaPolicy(change, false).ok());
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_TRY(services::UpdateSlaPolicy(tx, actor_, policy_id, change, clock_.Now()));
      return Ok();
    }).ok());
    auto report = services::ReevaluateSlas(db_.store(), clock_.Now(), 100);
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_TRUE(report->finished);
  }
};

TEST_F(SlaHistoryTest, EachChangeKeepsTheHistoryItsEventsTell) {
  ASSERT_TRUE(Policy(json::object(), {Target("first_reply", 60), Target("next_reply", 30)}).ok());
  const Ticket created = Create();
  EXPECT_FALSE(KeptOf(created.id).text) << "a new ticket's history is its creation: nothing to keep";
  const Ticket t = Converse(created);
  const Kept kept = KeptOf(t.id);
  ASSERT_TRUE(kept.text);
  EXPECT_EQ(kept.version, t.version);
  const std::vector<SlaEvent> events = FromEvents(t.id);
  // Created, reply, customer, reply and pending, reopened by the customer's message.
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(*kept.text, services::StoredSlaHistory(t.version, events));
  EXPECT_EQ(services::KeptSlaHistory(*kept.text, t.version), events);
  EXPECT_FALSE(services::KeptSlaHistory(*kept.text, t.version + 1)) << "of another version: not used";

  // A change that moves no clock (a tag): the SLA stays as it was, the history follows the
  // ticket's new version.
  Ticket tagged;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    services::UpdateTicketInput in;
    in.tags = std::vector<std::string>{"vip"};
    KZ_ASSIGN(tagged, services::UpdateTicket(tx, actor_, t.id, in, clock_.Now()));
    return Ok();
  }).ok());
  ASSERT_GT(tagged.version, t.version);
  EXPECT_EQ(Get(t.id).sla, t.sla);
  const Kept after_tag = KeptOf(t.id);
  ASSERT_TRUE(after_tag.text);
  EXPECT_EQ(*after_tag.text, services::StoredSlaHistory(tagged.version, events));
}

TEST_F(SlaHistoryTest, ReevaluationReadsTheKeptHistoryOfTheTicketsVersion) {
  auto policy = Policy(json::object(), {Target("first_reply", 60), Target("next_reply", 30)});
  ASSERT_TRUE(policy.ok());
  const Ticket t = Converse(Create());
  ASSERT_TRUE(t.sla);
  EXPECT_EQ(t.sla->targets[0].state, "fulfilled");
  // A kept history that says no agent ever replied (of the ticket's version) is believed: the
  // events are not read again.
  const std::string unanswered = services::StoredSlaHistory(t.version, {SlaEvent{t.created_at, SlaEventKind::kCreated}});
  SetKept(t.id, "'" + unanswered + "'");
  ChangePolicy(policy->id, 45);
  EXPECT_EQ(Get(t.id).sla->targets[0].state, "running");
  EXPECT_EQ(KeptOf(t.id).text, unanswered);
}

TEST_F(SlaHistoryTest, AHistoryOfAnOlderVersionUnreadableOrMissingIsReadFromTheEventsAndKept) {
  auto policy = Policy(json::object(), {Target("first_reply", 60), Target("next_reply", 30)});
  ASSERT_TRUE(policy.ok());
  const Ticket t = Converse(Create());
  const std::string expected = services::StoredSlaHistory(t.version, FromEvents(t.id));
  const std::string unanswered =
      services::StoredSlaHistory(t.version - 1, {SlaEvent{t.created_at, SlaEventKind::kCreated}});
  int minutes = 40;
  for (const std::string& value : {"'" + unanswered + "'", std::string("'") + std::to_string(t.version) + "|c12,x'",
                                   std::string("'nonsense'"), std::string("NULL")}) {
    SetKept(t.id, value);
    ChangePolicy(policy->id, ++minutes);
    const Ticket after = Get(t.id);
    ASSERT_TRUE(after.sla) << value;
    EXPECT_EQ(after.sla->targets[0].state, "fulfilled") << value;
    // The customer's last message (at +20 min, while the next reply was waiting) starts the
    // next-reply clock: due `minutes` after it.
    EXPECT_EQ(after.sla->targets[1].due_at, kStart + 20 * kMinute + minutes * kMinute) << value;
    EXPECT_EQ(KeptOf(t.id).text, expected) << value;
  }
}

}  // namespace
}  // namespace kizuna::testing
