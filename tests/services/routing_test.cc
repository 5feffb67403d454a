// Routing (C4) and ownership (C5) on a real SQLite store: presence, capacity and skills,
// team routing settings, the routing pass (services/routing.h) and the handoffs, agent path
// and first-contact resolution kept on every ticket change (services/ownership.h).
#include "services/routing.h"

#include <gtest/gtest.h>

#include "fakes/temp_store.h"
#include "services/customers.h"
#include "services/directory.h"
#include "services/routing_setup.h"
#include "services/tickets.h"

namespace kizuna::testing {
namespace {

constexpr Timestamp kMinute = 60'000;

class RoutingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"routing"}, 1));
      admin_ = services::Actor{w.id, "agent", 0, Role::kAdmin};
      services::AgentInput agent{"boss@routing.test", "Boss", "admin", {}, ""};
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, admin_, agent, 1));
      admin_.id = a.id;
      return Ok();
    }).ok());
  }

  Status Write(const ports::WriteFn& fn) { return db_.store().WriteAndWait(fn); }

  template <typename T, typename Fn>
  Result<T> WriteValue(Fn fn) { return db_.WriteValue<T>(std::move(fn)); }

  // An agent with these skills, capacity and presence.
  AgentId NewAgent(const std::string& name, Presence presence, std::map<std::string, int> skills = {},
                   WorkCapacity capacity = {}) {
    auto agent = WriteValue<Agent>([&](ports::WriteTx& tx) -> Result<Agent> {
      services::AgentInput in{name + "@routing.test", name, "agent", {}, ""};
      KZ_TRY(services::ValidateAgent(in));
      KZ_ASSIGN(Agent a, services::CreateAgent(tx, admin_, in, clock_.Now()));
      services::AgentRoutingChange change{capacity, skills};
      KZ_TRY(services::ValidateAgentRoutingChange(change));
      KZ_TRY(services::UpdateAgentRouting(tx, admin_, a.id, change, clock_.Now()));
      return services::SetPresence(tx, services::Actor{admin_.workspace_id, "agent", a.id, Role::kAgent}, presence,
                                   clock_.Now());
    });
    EXPECT_TRUE(agent.ok()) << agent.error().message;
    return agent.ok() ? agent->id : 0;
  }

  void SetPresence(AgentId id, Presence presence) {
    auto agent = WriteValue<Agent>([&](ports::WriteTx& tx) {
      return services::SetPresence(tx, services::Actor{admin_.workspace_id, "agent", id, Role::kAgent}, presence,
                                   clock_.Now());
    });
    ASSERT_TRUE(agent.ok()) << agent.error().message;
  }

  // A team with routing on by `strategy`, these members, and `extra` settings.
  TeamId NewTeam(const std::string& name, const std::string& strategy, std::vector<AgentId> members,
                 services::TeamRoutingChange extra = {}) {
    auto team = WriteValue<Team>([&](ports::WriteTx& tx) -> Result<Team> {
      KZ_ASSIGN(Team t, services::CreateTeam(tx, admin_, services::TeamInput{name, ""}, clock_.Now()));
      services::TeamRoutingChange change = extra;
      if (!change.enabled) change.enabled = true;
      change.strategy = strategy;
      change.member_ids = members;
      KZ_TRY(services::ValidateTeamRoutingChange(change));
      return services::UpdateTeamRouting(tx, admin_, t.id, change, clock_.Now());
    });
    EXPECT_TRUE(team.ok()) << team.error().message;
    return team.ok() ? team->id : 0;
  }

  Ticket Create(std::optional<TeamId> team, const std::string& email = "aiko@example.jp",
                const std::string& language = "ja", const std::string& channel = "email",
                std::optional<AgentId> assignee = std::nullopt, const std::string& priority = "normal") {
    services::CreateTicketInput in;
    in.subject = "注文について";
    in.body = "届きません";
    in.channel = channel;
    in.priority = priority;
    in.requester.email = email;
    in.requester.language = language;
    in.team_id = team;
    in.assignee_id = assignee;
    EXPECT_TRUE(services::ValidateCreateTicket(in).ok());
    auto t = WriteValue<Ticket>([&](ports::WriteTx& tx) { return services::CreateTicket(tx, admin_, in, clock_.Now()); });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : Ticket{};
  }

  Ticket Update(TicketId id, services::UpdateTicketInput in) {
    EXPECT_TRUE(services::ValidateUpdateTicket(in).ok());
    auto t = WriteValue<Ticket>(
        [&](ports::WriteTx& tx) { return services::UpdateTicket(tx, admin_, id, in, clock_.Now()); });
    EXPECT_TRUE(t.ok()) << t.error().message;
    return t.ok() ? *t : Ticket{};
  }
  Ticket Assign(TicketId id, std::optional<AgentId> agent) {
    services::UpdateTicketInput in;
    in.assignee_id = services::Patch<AgentId>{true, agent};
    return Update(id, in);
  }
  Ticket SetStatus(TicketId id, const std::string& status) {
    services::UpdateTicketInput in;
    in.status = status;
    return Update(id, in);
  }
  Ticket CustomerReply(TicketId id) {
    auto r = WriteValue<services::MessageResult>([&](ports::WriteTx& tx) -> Result<services::MessageResult> {
      KZ_ASSIGN(Ticket before, tx.GetTicket(admin_.workspace_id, id));
      services::CustomerMessageInput in{"まだ届きません", {}, {}};
      return services::AddCustomerMessage(tx, admin_.workspace_id, before.requester_id, before, in, clock_.Now());
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->ticket : Ticket{};
  }

  services::RoutingReport Route() {
    auto report = WriteValue<services::RoutingReport>(
        [&](ports::WriteTx& tx) { return services::RouteQueues(tx, clock_.Now()); });
    EXPECT_TRUE(report.ok()) << report.error().message;
    return report.ok() ? *report : services::RoutingReport{};
  }

  Ticket Get(TicketId id) {
    Ticket t;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(t, tx.GetTicket(admin_.workspace_id, id));
      return Ok();
    }).ok());
    return t;
  }

  std::vector<Event> Events(TicketId id) {
    std::vector<Event> events;
    EXPECT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(events, tx.ListTicketEvents(admin_.workspace_id, id));
      return Ok();
    }).ok());
    return events;
  }

  TempStore db_;
  FakeClock clock_;
  services::Actor admin_;
};

TEST_F(RoutingServiceTest, PresenceCapacityAndSkillsAreKept) {
  const AgentId ren = NewAgent("ren", Presence::kAway, {{"lang:ja", 5}, {"product:billing", 2}}, {4, 2, 0});
  Agent agent;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(agent, tx.GetAgent(admin_.workspace_id, ren));
    return Ok();
  }).ok());
  EXPECT_EQ(agent.presence, Presence::kAway);
  EXPECT_EQ(agent.presence_at, clock_.Now());
  EXPECT_EQ(agent.capacity, (WorkCapacity{4, 2, 0}));
  EXPECT_EQ(agent.skills, (std::map<std::string, int>{{"lang:ja", 5}, {"product:billing", 2}}));
}

TEST_F(RoutingServiceTest, TeamRoutingSettingsAndMembersAreKept) {
  const AgentId ren = NewAgent("ren", Presence::kOnline);
  const AgentId mai = NewAgent("mai", Presence::kOnline);
  const TeamId second = NewTeam("second line", "least_loaded", {});
  services::TeamRoutingChange extra;
  extra.overflow_team_id = services::Patch<TeamId>{true, second};
  extra.overflow_after_minutes = services::Patch<std::int64_t>{true, 15};
  extra.match_language = true;
  extra.required_skills = std::map<std::string, int>{{"product:billing", 2}};
  const TeamId first = NewTeam("first line", "best_skill", {mai, ren, mai}, extra);
  Team team;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(team, tx.GetTeam(admin_.workspace_id, first));
    return Ok();
  }).ok());
  EXPECT_TRUE(team.routing.enabled);
  EXPECT_EQ(team.routing.strategy, "best_skill");
  EXPECT_EQ(team.routing.overflow_team_id, second);
  EXPECT_EQ(team.routing.overflow_after_minutes, 15);
  EXPECT_TRUE(team.routing.match_language);
  EXPECT_EQ(team.routing.required_skills, (std::map<std::string, int>{{"product:billing", 2}}));
  EXPECT_EQ(team.member_ids, (std::vector<AgentId>{ren, mai}));
}

TEST_F(RoutingServiceTest, BadRoutingSettingsNameTheirField) {
  struct Case {
    const char* what;
    services::TeamRoutingChange change;
    const char* field;
  };
  std::vector<Case> cases;
  cases.push_back({"unknown strategy", {}, "strategy"});
  cases.back().change.strategy = "fastest";
  cases.push_back({"zero minutes", {}, "overflow_after_minutes"});
  cases.back().change.overflow_after_minutes = services::Patch<std::int64_t>{true, 0};
  cases.push_back({"skill level 6", {}, "required_skills"});
  cases.back().change.required_skills = std::map<std::string, int>{{"lang:ja", 6}};
  cases.push_back({"skill with a space", {}, "required_skills"});
  cases.back().change.required_skills = std::map<std::string, int>{{"lang ja", 1}};
  cases.push_back({"negative member", {}, "member_ids"});
  cases.back().change.member_ids = std::vector<AgentId>{-1};
  for (auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto status = services::ValidateTeamRoutingChange(c.change);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(status.error().field, c.field);
  }
  services::AgentRoutingChange capacity{WorkCapacity{8, -1, 1}, std::nullopt};
  auto status = services::ValidateAgentRoutingChange(capacity);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "capacity.chat");

  // Checked against the workspace: an agent or team it does not have, itself as overflow.
  const TeamId team = NewTeam("team", "least_loaded", {});
  for (auto [what, change, field] : {std::tuple{"unknown member", services::TeamRoutingChange{}, "member_ids"},
                                     std::tuple{"unknown overflow", services::TeamRoutingChange{}, "overflow_team_id"},
                                     std::tuple{"itself", services::TeamRoutingChange{}, "overflow_team_id"}}) {
    SCOPED_TRACE(what);
    if (std::string(what) == "unknown member") change.member_ids = std::vector<AgentId>{987654};
    if (std::string(what) == "unknown overflow") change.overflow_team_id = services::Patch<TeamId>{true, 987654};
    if (std::string(what) == "itself") change.overflow_team_id = services::Patch<TeamId>{true, team};
    auto updated = WriteValue<Team>(
        [&](ports::WriteTx& tx) { return services::UpdateTeamRouting(tx, admin_, team, change, clock_.Now()); });
    ASSERT_FALSE(updated.ok());
    EXPECT_EQ(updated.error().field, field);
  }
}

TEST_F(RoutingServiceTest, OnlyAdminsChangeRoutingSettings) {
  const TeamId team = NewTeam("team", "least_loaded", {});
  services::Actor supervisor{admin_.workspace_id, "agent", admin_.id, Role::kSupervisor};
  services::TeamRoutingChange change;
  change.enabled = false;
  auto updated = WriteValue<Team>(
      [&](ports::WriteTx& tx) { return services::UpdateTeamRouting(tx, supervisor, team, change, clock_.Now()); });
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::kPermissionDenied);
  auto agent = WriteValue<Agent>([&](ports::WriteTx& tx) {
    return services::UpdateAgentRouting(tx, supervisor, admin_.id,
                                        services::AgentRoutingChange{WorkCapacity{1, 1, 1}, std::nullopt}, clock_.Now());
  });
  ASSERT_FALSE(agent.ok());
  EXPECT_EQ(agent.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(RoutingServiceTest, AssignsToTheOnlineMemberWithTheRequestersLanguage) {
  const AgentId english = NewAgent("english", Presence::kOnline, {{"lang:en", 5}});
  const AgentId japanese = NewAgent("japanese", Presence::kOnline, {{"lang:ja", 3}});
  const AgentId away = NewAgent("away", Presence::kAway, {{"lang:ja", 5}});
  const AgentId offline = NewAgent("offline", Presence::kOffline, {{"lang:ja", 5}});
  services::TeamRoutingChange extra;
  extra.match_language = true;
  const TeamId team = NewTeam("japan", "best_skill", {english, japanese, away, offline}, extra);
  const Ticket ja = Create(team, "aiko@example.jp", "ja");
  const Ticket en = Create(team, "sam@example.com", "en");
  const Ticket ko = Create(team, "minji@example.kr", "ko");
  EXPECT_TRUE(ja.queued_at.has_value());

  auto report = Route();
  EXPECT_EQ(report.assigned, 2);
  EXPECT_EQ(Get(ja.id).assignee_id, japanese);
  EXPECT_EQ(Get(ja.id).status, TicketStatus::kOpen);
  EXPECT_FALSE(Get(ja.id).queued_at.has_value());
  EXPECT_EQ(Get(en.id).assignee_id, english);
  // Nobody speaks Korean: it keeps waiting.
  EXPECT_FALSE(Get(ko.id).assignee_id.has_value());
  EXPECT_TRUE(Get(ko.id).queued_at.has_value());

  // The assignment is an ordinary change by the system.
  const auto events = Events(ja.id);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "ticket.updated");
  EXPECT_EQ(events.back().actor_type, "system");
  EXPECT_NE(events.back().data.find("assignee_id"), std::string::npos) << events.back().data;
}

TEST_F(RoutingServiceTest, RequiredSkillsNeedTheirLevel) {
  const AgentId novice = NewAgent("novice", Presence::kOnline, {{"product:billing", 1}});
  const AgentId expert = NewAgent("expert", Presence::kOnline, {{"product:billing", 4}});
  services::TeamRoutingChange extra;
  extra.required_skills = std::map<std::string, int>{{"product:billing", 3}};
  const TeamId team = NewTeam("billing", "least_loaded", {novice, expert}, extra);
  const Ticket first = Create(team);
  const Ticket second = Create(team, "ken@example.jp");
  Route();
  EXPECT_EQ(Get(first.id).assignee_id, expert);
  EXPECT_EQ(Get(second.id).assignee_id, expert);
}

TEST_F(RoutingServiceTest, NeverAssignsOverCapacityCountingWorkAlreadyHeld) {
  const AgentId ren = NewAgent("ren", Presence::kOnline, {}, WorkCapacity{3, 1, 0});
  const TeamId team = NewTeam("small", "least_loaded", {ren});
  Create(std::nullopt, "held@example.jp", "ja", "email", ren);  // already holds one ticket
  std::vector<Ticket> tickets;
  for (int ticket_idx = 0; ticket_idx < 4; ++ticket_idx) {
    tickets.push_back(Create(team, "c" + std::to_string(ticket_idx) + "@example.jp"));
  }
  const Ticket chat = Create(team, "chat@example.jp", "ja", "chat");
  const Ticket call = Create(team, "call@example.jp", "ja", "phone");
  auto report = Route();
  // Two more tickets (3 in all), the chat (a kind of its own), never the call (capacity 0).
  EXPECT_EQ(report.assigned, 3);
  int assigned = 0;
  for (const auto& t : tickets) assigned += Get(t.id).assignee_id ? 1 : 0;
  EXPECT_EQ(assigned, 2);
  EXPECT_EQ(Get(chat.id).assignee_id, ren);
  EXPECT_FALSE(Get(call.id).assignee_id.has_value());
  EXPECT_EQ(Route().assigned, 0);

  // Solving one frees room for the next.
  SetStatus(tickets[0].id, "solved");
  EXPECT_EQ(Route().assigned, 1);
}

TEST_F(RoutingServiceTest, AwayAndOfflineMembersGetNothing) {
  const AgentId away = NewAgent("away", Presence::kAway);
  const AgentId offline = NewAgent("offline", Presence::kOffline);
  const TeamId team = NewTeam("quiet", "round_robin", {away, offline});
  const Ticket t = Create(team);
  EXPECT_EQ(Route().assigned, 0);
  EXPECT_FALSE(Get(t.id).assignee_id.has_value());
  SetPresence(away, Presence::kOnline);
  EXPECT_EQ(Route().assigned, 1);
  EXPECT_EQ(Get(t.id).assignee_id, away);
}

TEST_F(RoutingServiceTest, AnOnlineAgentNotHeardFromForTenMinutesGetsNothingUntilTheyAre) {
  const AgentId quiet = NewAgent("quiet", Presence::kOnline);
  const TeamId team = NewTeam("desk", "least_loaded", {quiet});
  clock_.Advance(10 * kMinute + 1);  // the laptop was closed
  const Ticket t = Create(team);
  EXPECT_EQ(Route().assigned, 0);
  services::RoutingWorker worker(db_.store(), clock_);
  auto idle = worker.RunOnce();
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->teams, 0) << "no member can take work: the worker does not take the writer";
  SetPresence(quiet, Presence::kOnline);  // the web app's heartbeat
  EXPECT_EQ(Route().assigned, 1);
  EXPECT_EQ(Get(t.id).assignee_id, quiet);
}

TEST_F(RoutingServiceTest, NonMembersAndOtherTeamsAreLeftAlone) {
  const AgentId member = NewAgent("member", Presence::kOffline);
  NewAgent("outsider", Presence::kOnline);
  const TeamId team = NewTeam("team", "least_loaded", {member});
  const Ticket in_team = Create(team);
  const Ticket no_team = Create(std::nullopt, "ken@example.jp");
  EXPECT_EQ(Route().assigned, 0);
  EXPECT_FALSE(Get(in_team.id).assignee_id.has_value());
  EXPECT_FALSE(Get(no_team.id).assignee_id.has_value());
}

TEST_F(RoutingServiceTest, RoundRobinSpreadsWithinAndAcrossPasses) {
  const AgentId a = NewAgent("a", Presence::kOnline);
  const AgentId b = NewAgent("b", Presence::kOnline);
  const AgentId c = NewAgent("c", Presence::kOnline);
  const TeamId team = NewTeam("rr", "round_robin", {a, b, c});
  std::map<AgentId, int> count;
  for (int ticket_idx = 0; ticket_idx < 3; ++ticket_idx) {
    Create(team, "c" + std::to_string(ticket_idx) + "@example.jp");
  }
  Route();
  // Then one at a time: the cursor is kept between passes.
  std::vector<Ticket> later;
  for (int ticket_idx = 0; ticket_idx < 3; ++ticket_idx) {
    later.push_back(Create(team, "l" + std::to_string(ticket_idx) + "@example.jp"));
    clock_.Advance(1000);
    Route();
  }
  ports::TicketFilter filter;
  filter.team_id = team;
  filter.limit = 100;
  ports::TicketPage page;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(page, tx.ListTickets(admin_.workspace_id, filter));
    return Ok();
  }).ok());
  for (const auto& t : page.tickets) {
    ASSERT_TRUE(t.assignee_id.has_value());
    ++count[*t.assignee_id];
  }
  EXPECT_EQ(count, (std::map<AgentId, int>{{a, 2}, {b, 2}, {c, 2}}));
  EXPECT_NE(Get(later[0].id).assignee_id, Get(later[1].id).assignee_id);
  EXPECT_NE(Get(later[1].id).assignee_id, Get(later[2].id).assignee_id);
}

TEST_F(RoutingServiceTest, OwnerFirstPicksTheCustomersLastAgentWhenOnline) {
  const AgentId busy_owner = NewAgent("owner", Presence::kOnline);
  const AgentId idle = NewAgent("idle", Presence::kOnline);
  const TeamId team = NewTeam("owners", "owner_first", {busy_owner, idle});
  // The customer's earlier ticket is with `busy_owner`, who also holds another.
  Create(std::nullopt, "aiko@example.jp", "ja", "email", busy_owner);
  Create(std::nullopt, "someone@example.jp", "ja", "email", busy_owner);
  clock_.Advance(1000);
  const Ticket again = Create(team, "aiko@example.jp");
  Route();
  EXPECT_EQ(Get(again.id).assignee_id, busy_owner);

  // When the last agent is away, the fallback (least loaded) decides.
  SetPresence(busy_owner, Presence::kAway);
  clock_.Advance(1000);
  const Ticket third = Create(team, "aiko@example.jp");
  Route();
  EXPECT_EQ(Get(third.id).assignee_id, idle);
}

TEST_F(RoutingServiceTest, OwnerFirstGivesTheAccountOwnerTheirCustomerBeforeTheLastAgent) {
  const AgentId owner = NewAgent("keeper", Presence::kOnline);
  const AgentId last = NewAgent("lastone", Presence::kOnline);
  const AgentId idle = NewAgent("idle", Presence::kOnline);
  const TeamId team = NewTeam("accounts", "owner_first", {owner, last, idle});
  const Ticket earlier = Create(std::nullopt, "linh@example.vn", "vi", "email", last);
  // The relationship is with `owner`, who has more work than anyone.
  Create(std::nullopt, "other1@example.vn", "vi", "email", owner);
  Create(std::nullopt, "other2@example.vn", "vi", "email", owner);
  services::CustomerInput set_owner;
  set_owner.account_owner_id = services::Patch<AgentId>{true, owner};
  auto updated = WriteValue<Customer>([&](ports::WriteTx& tx) {
    return services::UpdateCustomer(tx, admin_, earlier.requester_id, set_owner, clock_.Now());
  });
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->account_owner_id, owner);
  clock_.Advance(1000);
  const Ticket next = Create(team, "linh@example.vn", "vi");
  Route();
  EXPECT_EQ(Get(next.id).assignee_id, owner) << "the owner before the last agent and the least loaded";

  // The owner away (and, having taken `next`, the customer's last agent too): the least loaded.
  SetPresence(owner, Presence::kAway);
  clock_.Advance(1000);
  const Ticket while_away = Create(team, "linh@example.vn", "vi");
  Route();
  EXPECT_EQ(Get(while_away.id).assignee_id, idle);
}

TEST_F(RoutingServiceTest, AnAccountOwnerIsAnActiveAgentOfTheWorkspace) {
  const Ticket t = Create(std::nullopt, "minh@example.vn", "vi");
  services::CustomerInput bad;
  bad.account_owner_id = services::Patch<AgentId>{true, 987654};
  auto refused = WriteValue<Customer>([&](ports::WriteTx& tx) {
    return services::UpdateCustomer(tx, admin_, t.requester_id, bad, clock_.Now());
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(refused.error().field, "account_owner_id");
}

TEST_F(RoutingServiceTest, OverflowMovesATicketAfterItsWait) {
  const AgentId second_agent = NewAgent("second", Presence::kOnline);
  const AgentId first_agent = NewAgent("first", Presence::kOffline);
  services::TeamRoutingChange off;
  off.enabled = false;
  const TeamId second = NewTeam("second line", "least_loaded", {second_agent}, off);
  services::TeamRoutingChange extra;
  extra.overflow_team_id = services::Patch<TeamId>{true, second};
  extra.overflow_after_minutes = services::Patch<std::int64_t>{true, 10};
  const TeamId first = NewTeam("first line", "least_loaded", {first_agent}, extra);
  const Ticket t = Create(first);
  const Timestamp queued = *t.queued_at;

  clock_.Advance(9 * kMinute);
  EXPECT_EQ(Route().overflowed, 0);
  EXPECT_EQ(Get(t.id).team_id, first);

  clock_.Advance(1 * kMinute);
  auto report = Route();
  EXPECT_EQ(report.overflowed, 1);
  const Ticket moved = Get(t.id);
  EXPECT_EQ(moved.team_id, second);
  EXPECT_FALSE(moved.assignee_id.has_value());
  EXPECT_EQ(moved.queued_at, clock_.Now());  // waiting in the new team's queue from now
  EXPECT_NE(moved.queued_at, queued);
  const auto events = Events(t.id);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.back().type, "ticket.overflowed");
  EXPECT_EQ(events[events.size() - 2].type, "ticket.updated");
  EXPECT_EQ(Route().overflowed, 0);
}

TEST_F(RoutingServiceTest, AnOnlineMemberTakesTheTicketBeforeItWouldOverflow) {
  const AgentId second_agent = NewAgent("second", Presence::kOnline);
  const AgentId first_agent = NewAgent("first", Presence::kOnline);
  const TeamId second = NewTeam("second line", "least_loaded", {second_agent});
  services::TeamRoutingChange extra;
  extra.overflow_team_id = services::Patch<TeamId>{true, second};
  extra.overflow_after_minutes = services::Patch<std::int64_t>{true, 1};
  const TeamId first = NewTeam("first line", "least_loaded", {first_agent}, extra);
  const Ticket t = Create(first);
  clock_.Advance(5 * kMinute);
  auto report = Route();
  EXPECT_EQ(report.assigned, 1);
  EXPECT_EQ(report.overflowed, 0);
  EXPECT_EQ(Get(t.id).assignee_id, first_agent);
  EXPECT_EQ(Get(t.id).team_id, first);
}

TEST_F(RoutingServiceTest, ThePassIsIdempotent) {
  const AgentId a = NewAgent("a", Presence::kOnline);
  const AgentId b = NewAgent("b", Presence::kOnline);
  const TeamId team = NewTeam("team", "round_robin", {a, b});
  for (int ticket_idx = 0; ticket_idx < 5; ++ticket_idx) Create(team, "c" + std::to_string(ticket_idx) + "@x.jp");
  EXPECT_EQ(Route().assigned, 5);
  std::vector<Event> before;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(before, tx.ListEventsSince(admin_.workspace_id, 0, 1000));
    return Ok();
  }).ok());
  auto again = Route();
  EXPECT_EQ(again.assigned, 0);
  EXPECT_EQ(again.overflowed, 0);
  std::vector<Event> after;
  ASSERT_TRUE(db_.store().Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(after, tx.ListEventsSince(admin_.workspace_id, 0, 1000));
    return Ok();
  }).ok());
  EXPECT_EQ(after.size(), before.size());
}

TEST_F(RoutingServiceTest, UrgentTicketsAndLongWaitsGoFirst) {
  const AgentId ren = NewAgent("ren", Presence::kOffline, {}, WorkCapacity{1, 1, 1});
  const TeamId team = NewTeam("one seat", "least_loaded", {ren});
  const Ticket low = Create(team, "low@x.jp", "ja", "email", std::nullopt, "low");
  clock_.Advance(kMinute);
  const Ticket urgent = Create(team, "urgent@x.jp", "ja", "email", std::nullopt, "urgent");
  SetPresence(ren, Presence::kOnline);
  Route();
  EXPECT_EQ(Get(urgent.id).assignee_id, ren);
  EXPECT_FALSE(Get(low.id).assignee_id.has_value());
}

TEST_F(RoutingServiceTest, TheWorkerRunsPasses) {
  const AgentId ren = NewAgent("ren", Presence::kOnline);
  const TeamId team = NewTeam("team", "least_loaded", {ren});
  const Ticket t = Create(team);
  services::RoutingWorker worker(db_.store(), clock_);
  auto report = worker.RunOnce();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->assigned, 1);
  EXPECT_EQ(Get(t.id).assignee_id, ren);
  const Ticket later = Create(team, "ken@x.jp");
  worker.Start();
  for (int wait_idx = 0; wait_idx < 100 && !Get(later.id).assignee_id; ++wait_idx) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  worker.Stop();
  EXPECT_EQ(Get(later.id).assignee_id, ren);
}

TEST_F(RoutingServiceTest, TicketsWithoutATeamJoinTheDefaultTeamAndAreRouted) {
  const AgentId ren = NewAgent("ren", Presence::kOnline);
  const TeamId front = NewTeam("front desk", "least_loaded", {ren});
  const Ticket before_default = Create(std::nullopt, "early@x.jp");
  const Ticket held = Create(std::nullopt, "held@x.jp", "ja", "email", admin_.id);
  const Ticket solved = Create(std::nullopt, "done@x.jp");
  SetStatus(solved.id, "solved");
  // Without a default team, tickets without one wait where they are.
  services::RoutingWorker worker(db_.store(), clock_);
  auto idle = worker.RunOnce();
  ASSERT_TRUE(idle.ok()) << idle.error().message;
  EXPECT_EQ(idle->adopted, 0);
  EXPECT_FALSE(Get(before_default.id).team_id);

  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(Workspace w, tx.GetWorkspace(admin_.workspace_id));
    w.default_team_id = front;
    return tx.UpdateWorkspace(w);
  }).ok());
  const Ticket after_default = Create(std::nullopt, "late@x.jp");
  auto report = worker.RunOnce();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->adopted, 2);
  EXPECT_EQ(report->assigned, 2);
  for (TicketId id : {before_default.id, after_default.id}) {
    EXPECT_EQ(Get(id).team_id, front);
    EXPECT_EQ(Get(id).assignee_id, ren);
  }
  // Assigned or solved tickets keep having no team; the system's move is an event.
  EXPECT_FALSE(Get(held.id).team_id);
  EXPECT_FALSE(Get(solved.id).team_id);
  bool moved = false;
  for (const Event& e : Events(after_default.id)) {
    if (e.type == "ticket.updated" && e.actor_type == "system" && e.data.find("team_id") != std::string::npos) moved = true;
  }
  EXPECT_TRUE(moved);
  auto again = worker.RunOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->adopted, 0);
}

TEST_F(RoutingServiceTest, ADefaultTeamWithoutRoutingStillGathersTheTickets) {
  // The team's queue (and inbox view) holds them; nobody is assigned by routing.
  const TeamId triage = WriteValue<Team>([&](ports::WriteTx& tx) {
                          return services::CreateTeam(tx, admin_, services::TeamInput{"triage", ""}, clock_.Now());
                        })->id;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(Workspace w, tx.GetWorkspace(admin_.workspace_id));
    w.default_team_id = triage;
    return tx.UpdateWorkspace(w);
  }).ok());
  const Ticket t = Create(std::nullopt);
  auto report = services::RoutingWorker(db_.store(), clock_).RunOnce();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->adopted, 1);
  EXPECT_EQ(Get(t.id).team_id, triage);
  EXPECT_FALSE(Get(t.id).assignee_id);
  EXPECT_TRUE(Get(t.id).queued_at);
}

TEST_F(RoutingServiceTest, LanguagesMatchByTheirPrimarySubtag) {
  const AgentId korean = NewAgent("korean", Presence::kOnline, {{"lang:ko", 2}});
  NewAgent("japanese", Presence::kOnline, {{"lang:ja", 5}});
  services::TeamRoutingChange extra;
  extra.match_language = true;
  const TeamId team = NewTeam("seoul", "best_skill", {korean}, extra);
  const Ticket t = Create(team, "minji@example.kr", "ko-KR");
  Route();
  EXPECT_EQ(Get(t.id).assignee_id, korean);
}

TEST_F(RoutingServiceTest, TheWorkerTakesTheWriterOnlyWhenWorkCanMove) {
  const AgentId ren = NewAgent("ren", Presence::kOffline);
  const TeamId second = NewTeam("second line", "least_loaded", {});
  services::TeamRoutingChange extra;
  extra.overflow_team_id = services::Patch<TeamId>{true, second};
  extra.overflow_after_minutes = services::Patch<std::int64_t>{true, 30};
  const TeamId team = NewTeam("first line", "least_loaded", {ren}, extra);
  const Ticket t = Create(team);
  services::RoutingWorker worker(db_.store(), clock_);
  const auto events_before = Events(t.id).size();
  // Nobody online, no overflow due: nothing happens.
  auto idle = worker.RunOnce();
  ASSERT_TRUE(idle.ok());
  EXPECT_EQ(idle->teams, 0);
  EXPECT_EQ(Events(t.id).size(), events_before);
  // The overflow falls due.
  clock_.Advance(30 * kMinute);
  auto moved = worker.RunOnce();
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->overflowed, 1);
  EXPECT_EQ(Get(t.id).team_id, second);
}

TEST_F(RoutingServiceTest, EachWorkspaceIsRoutedOnItsOwn) {
  const AgentId ren = NewAgent("ren", Presence::kOnline);
  const TeamId team = NewTeam("here", "least_loaded", {ren});
  const Ticket here = Create(team);
  // Another workspace with its own routing team, member and waiting ticket.
  services::Actor other;
  TicketId there = 0;
  ASSERT_TRUE(Write([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(Workspace w, services::CreateWorkspace(tx, services::WorkspaceInput{"elsewhere"}, 1));
    other = services::Actor{w.id, "agent", 0, Role::kAdmin};
    KZ_ASSIGN(Agent a, services::CreateAgent(tx, other, services::AgentInput{"mai@else.test", "Mai", "admin", {}, ""}, 1));
    other.id = a.id;
    KZ_TRY(services::SetPresence(tx, other, Presence::kOnline, clock_.Now()));
    KZ_ASSIGN(Team t, services::CreateTeam(tx, other, services::TeamInput{"there", ""}, 1));
    services::TeamRoutingChange change;
    change.enabled = true;
    change.member_ids = std::vector<AgentId>{a.id};
    KZ_TRY(services::UpdateTeamRouting(tx, other, t.id, change, 1));
    services::CreateTicketInput in;
    in.subject = "elsewhere";
    in.body = "hello";
    in.requester.email = "x@else.test";
    in.team_id = t.id;
    KZ_TRY(services::ValidateCreateTicket(in));
    KZ_ASSIGN(Ticket created, services::CreateTicket(tx, other, in, 1));
    there = created.id;
    return Ok();
  }).ok());
  auto only_here = WriteValue<services::RoutingReport>(
      [&](ports::WriteTx& tx) { return services::RouteQueues(tx, clock_.Now(), {}, admin_.workspace_id); });
  ASSERT_TRUE(only_here.ok());
  EXPECT_EQ(only_here->assigned, 1);
  EXPECT_EQ(Get(here.id).assignee_id, ren);
  Ticket elsewhere;
  auto read_there = [&] {
    return db_.store().Read([&](ports::ReadTx& tx) -> Status {
      KZ_ASSIGN(elsewhere, tx.GetTicket(other.workspace_id, there));
      return Ok();
    });
  };
  ASSERT_TRUE(read_there().ok());
  EXPECT_FALSE(elsewhere.assignee_id.has_value());
  // The worker routes every workspace, each with its own agents.
  services::RoutingWorker worker(db_.store(), clock_);
  auto report = worker.RunOnce();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->assigned, 1);
  ASSERT_TRUE(read_there().ok());
  EXPECT_EQ(elsewhere.assignee_id, other.id);
}

// ---- ownership (C5) ----

TEST_F(RoutingServiceTest, HandoffsCountAgentToAgentNotTheFirstAssignment) {
  const AgentId a = NewAgent("a", Presence::kOnline);
  const AgentId b = NewAgent("b", Presence::kOnline);
  const Ticket t = Create(std::nullopt);
  EXPECT_EQ(t.handoffs, 0);
  EXPECT_TRUE(t.agent_path.empty());

  Ticket now = Assign(t.id, a);  // none -> A
  EXPECT_EQ(now.handoffs, 0);
  EXPECT_EQ(now.agent_path, (std::vector<AgentId>{a}));
  now = Assign(t.id, b);  // A -> B
  EXPECT_EQ(now.handoffs, 1);
  EXPECT_EQ(now.agent_path, (std::vector<AgentId>{a, b}));
  now = Assign(t.id, std::nullopt);  // B -> nobody: not yet a handoff
  EXPECT_EQ(now.handoffs, 1);
  now = Assign(t.id, b);  // back to B: no repeat
  EXPECT_EQ(now.handoffs, 1);
  EXPECT_EQ(now.agent_path, (std::vector<AgentId>{a, b}));
  Assign(t.id, std::nullopt);
  now = Assign(t.id, a);  // B -> (nobody) -> A
  EXPECT_EQ(now.handoffs, 2);
  EXPECT_EQ(now.agent_path, (std::vector<AgentId>{a, b, a}));
  const Ticket stored = Get(t.id);
  EXPECT_EQ(stored.handoffs, 2);
  EXPECT_EQ(stored.agent_path, (std::vector<AgentId>{a, b, a}));

  // Created assigned: the first agent on the path, no handoff.
  const Ticket direct = Create(std::nullopt, "ken@x.jp", "ja", "email", b);
  EXPECT_EQ(Get(direct.id).agent_path, (std::vector<AgentId>{b}));
  EXPECT_EQ(Get(direct.id).handoffs, 0);
}

TEST_F(RoutingServiceTest, FirstContactResolution) {
  const AgentId a = NewAgent("a", Presence::kOnline);
  const AgentId b = NewAgent("b", Presence::kOnline);
  // Solved by the one agent, no handoff: resolved at first contact, until reopened.
  const Ticket first = Create(std::nullopt, "aiko@x.jp", "ja", "email", a);
  EXPECT_FALSE(Get(first.id).first_contact_resolved.has_value());
  EXPECT_EQ(SetStatus(first.id, "solved").first_contact_resolved, true);
  EXPECT_EQ(SetStatus(first.id, "open").first_contact_resolved, false);
  EXPECT_EQ(SetStatus(first.id, "solved").first_contact_resolved, false);
  EXPECT_EQ(Get(first.id).first_contact_resolved, false);

  // The customer writing back reopens it too.
  const Ticket second = Create(std::nullopt, "ken@x.jp", "ja", "email", a);
  EXPECT_EQ(SetStatus(second.id, "solved").first_contact_resolved, true);
  EXPECT_EQ(CustomerReply(second.id).first_contact_resolved, false);

  // Solved after a handoff: not at first contact.
  const Ticket third = Create(std::nullopt, "sam@x.jp", "ja", "email", a);
  Assign(third.id, b);
  EXPECT_EQ(SetStatus(third.id, "solved").first_contact_resolved, false);

  // Pending and back is no reopen.
  const Ticket fourth = Create(std::nullopt, "minji@x.jp", "ja", "email", a);
  SetStatus(fourth.id, "pending");
  SetStatus(fourth.id, "open");
  EXPECT_EQ(SetStatus(fourth.id, "solved").first_contact_resolved, true);
}

}  // namespace
}  // namespace kizuna::testing
