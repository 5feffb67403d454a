#include "engines/sla.h"

#include <gtest/gtest.h>

#include <random>

namespace kizuna {
namespace {

constexpr DurationMs kHour = 60 * kMinuteMs;
// 2026-11-23 00:00 UTC, a Monday.
constexpr Timestamp kMon = 1'795'392'000'000;

SlaEvent Created(Timestamp at) { return {at, SlaEventKind::kCreated}; }
SlaEvent AgentReply(Timestamp at) { return {at, SlaEventKind::kAgentReply}; }
SlaEvent CustomerReply(Timestamp at) { return {at, SlaEventKind::kCustomerReply}; }
SlaEvent Status(Timestamp at, TicketStatus status) { return {at, SlaEventKind::kStatusChanged, status}; }

SlaPolicy CalendarPolicy() {
  SlaPolicy policy;
  policy.id = 1;
  policy.targets = {{SlaMetric::kFirstReply, 60, SlaClock::kCalendar},
                    {SlaMetric::kNextReply, 120, SlaClock::kCalendar},
                    {SlaMetric::kPeriodicUpdate, 24 * 60, SlaClock::kCalendar},
                    {SlaMetric::kResolution, 8 * 60, SlaClock::kCalendar}};
  return policy;
}

BusinessCalendar UtcOffice() {
  CalendarSpec spec;
  for (int weekday = kizuna::kMonday; weekday <= kFriday; ++weekday) spec.weekly[weekday] = {{9 * 60, 17 * 60}};
  return std::move(BusinessCalendar::Create(spec)).value();
}

const SlaTargetStatus& Target(const SlaDecision& decision, SlaMetric metric) {
  for (const SlaTargetStatus& status : decision.targets) {
    if (status.metric == metric) return status;
  }
  ADD_FAILURE() << "no target " << SlaMetricName(metric);
  return decision.targets.front();
}

TEST(SlaPolicies, FirstMatchWins) {
  SlaPolicy vip;
  vip.id = 1;
  vip.conditions.customer_tiers = {"gold"};
  vip.conditions.priorities = {Priority::kHigh, Priority::kUrgent};
  SlaPolicy chat;
  chat.id = 2;
  chat.conditions.channels = {"chat"};
  SlaPolicy tagged;
  tagged.id = 3;
  tagged.conditions.tags = {"billing", "refund"};
  tagged.conditions.organisation_ids = {42};
  SlaPolicy team;
  team.id = 4;
  team.conditions.team_ids = {7};
  const std::vector<SlaPolicy> policies = {vip, chat, tagged, team};

  struct Case {
    const char* name;
    SlaSubject subject;
    std::int64_t expected;  // 0 = none
  } cases[] = {
      {"gold and urgent", {Priority::kUrgent, "chat", {}, std::nullopt, "gold", std::nullopt}, 1},
      {"gold but normal falls to chat", {Priority::kNormal, "chat", {}, std::nullopt, "gold", std::nullopt}, 2},
      {"all tags and the organisation", {Priority::kLow, "email", {"billing", "refund", "vip"}, 42, "", std::nullopt}, 3},
      {"one tag is not enough", {Priority::kLow, "email", {"billing"}, 42, "", std::nullopt}, 0},
      {"tags without the organisation", {Priority::kLow, "email", {"billing", "refund"}, std::nullopt, "", std::nullopt}, 0},
      {"team", {Priority::kLow, "email", {}, std::nullopt, "", 7}, 4},
      {"nothing", {Priority::kLow, "email", {}, std::nullopt, "silver", 8}, 0},
  };
  for (const Case& c : cases) {
    const SlaPolicy* match = MatchPolicy(policies, c.subject);
    EXPECT_EQ(match ? match->id : 0, c.expected) << c.name;
  }
}

TEST(SlaPolicies, NoMatchIsADecisionNotAnError) {
  SlaPolicy chat_only;
  chat_only.conditions.channels = {"chat"};
  chat_only.targets = {{SlaMetric::kFirstReply, 5, SlaClock::kCalendar}};
  const std::vector<SlaPolicy> policies = {chat_only};
  SlaSubject email;
  email.channel = "email";
  const SlaEvent history[] = {Created(kMon)};
  auto decision = EvaluateSla(policies, email, BusinessCalendar::AlwaysOpen(), history, kMon + kHour);
  ASSERT_TRUE(decision.ok());
  EXPECT_EQ(decision->kind, SlaDecision::Kind::kNoPolicy);
  EXPECT_TRUE(decision->targets.empty());
}

TEST(SlaPolicies, SubjectComesFromTheTicket) {
  Ticket ticket;
  ticket.priority = Priority::kHigh;
  ticket.channel = "email";
  ticket.tags = {"vip"};
  ticket.team_id = 3;
  const SlaSubject subject = SubjectOf(ticket, 9, "gold");
  EXPECT_EQ(subject.priority, Priority::kHigh);
  EXPECT_EQ(subject.organisation_id, 9);
  EXPECT_EQ(subject.customer_tier, "gold");
  EXPECT_EQ(subject.team_id, 3);
}

TEST(SlaPolicies, RejectsBadTargets) {
  SlaPolicy policy;
  policy.targets = {{SlaMetric::kFirstReply, 0, SlaClock::kCalendar}};
  EXPECT_FALSE(ValidatePolicy(policy).ok());
  policy.targets = {{SlaMetric::kFirstReply, 5, SlaClock::kCalendar}, {SlaMetric::kFirstReply, 6, SlaClock::kCalendar}};
  EXPECT_FALSE(ValidatePolicy(policy).ok());
}

TEST(SlaClocks, FirstReplyDueInBusinessHoursAndWarnsAt75Percent) {
  const BusinessCalendar office = UtcOffice();
  SlaPolicy policy;
  policy.targets = {{SlaMetric::kFirstReply, 60, SlaClock::kBusiness}};
  // Created Friday 16:30: due Monday 09:30.
  const Timestamp friday_1630 = kMon + 4 * 24 * kHour + 16 * kHour + 30 * kMinuteMs;
  const SlaEvent history[] = {Created(friday_1630)};
  struct Case {
    const char* name;
    Timestamp now;
    DurationMs elapsed;
    bool warning;
    bool breached;
  } cases[] = {
      {"Friday evening", friday_1630 + 4 * kHour, 30 * kMinuteMs, false, false},
      {"Monday 09:15", friday_1630 + 3 * 24 * kHour - 7 * kHour - 15 * kMinuteMs, 45 * kMinuteMs, true, false},
      {"Monday 09:30 exactly", friday_1630 + 3 * 24 * kHour - 7 * kHour, 60 * kMinuteMs, true, false},
      {"Monday 10:00", friday_1630 + 3 * 24 * kHour - 6 * kHour - 30 * kMinuteMs, 90 * kMinuteMs, false, true},
  };
  for (const Case& c : cases) {
    auto decision = EvaluatePolicy(policy, office, history, c.now);
    ASSERT_TRUE(decision.ok()) << c.name;
    const SlaTargetStatus& first = decision->targets[0];
    EXPECT_EQ(first.state, SlaTargetState::kRunning) << c.name;
    EXPECT_EQ(first.due_at, kMon + 7 * 24 * kHour + 9 * kHour + 30 * kMinuteMs) << c.name;
    EXPECT_EQ(first.elapsed, c.elapsed) << c.name;
    EXPECT_EQ(first.remaining, 60 * kMinuteMs - c.elapsed) << c.name;
    EXPECT_EQ(first.warning, c.warning) << c.name;
    EXPECT_EQ(first.breached, c.breached) << c.name;
    EXPECT_EQ(decision->next_due_at, first.due_at) << c.name;
  }
}

TEST(SlaClocks, PendingAndOnHoldPauseAndARepliesResume) {
  const SlaPolicy policy = CalendarPolicy();
  const Timestamp t0 = kMon + 10 * kHour;
  // Reply after 30 min, pending for 3 h, customer answers, on hold 1 h, open again.
  const std::vector<SlaEvent> history = {
      Created(t0),
      AgentReply(t0 + 30 * kMinuteMs),
      Status(t0 + 30 * kMinuteMs, TicketStatus::kPending),
      CustomerReply(t0 + 3 * kHour + 30 * kMinuteMs),
      Status(t0 + 3 * kHour + 30 * kMinuteMs, TicketStatus::kOpen),
      Status(t0 + 4 * kHour, TicketStatus::kOnHold),
  };
  auto paused = EvaluatePolicy(policy, BusinessCalendar::AlwaysOpen(), history, t0 + 4 * kHour + 30 * kMinuteMs);
  ASSERT_TRUE(paused.ok());
  const SlaTargetStatus& resolution = Target(*paused, SlaMetric::kResolution);
  EXPECT_EQ(resolution.state, SlaTargetState::kPaused);
  EXPECT_FALSE(resolution.due_at.has_value());
  EXPECT_EQ(resolution.elapsed, 60 * kMinuteMs);  // 30 min before pending + 30 min open
  EXPECT_EQ(Target(*paused, SlaMetric::kFirstReply).state, SlaTargetState::kFulfilled);
  EXPECT_FALSE(Target(*paused, SlaMetric::kFirstReply).breached);
  EXPECT_EQ(Target(*paused, SlaMetric::kNextReply).state, SlaTargetState::kPaused);
  EXPECT_EQ(Target(*paused, SlaMetric::kNextReply).elapsed, 30 * kMinuteMs);

  std::vector<SlaEvent> resumed = history;
  resumed.push_back(Status(t0 + 6 * kHour, TicketStatus::kOpen));
  auto running = EvaluatePolicy(policy, BusinessCalendar::AlwaysOpen(), resumed, t0 + 6 * kHour + 10 * kMinuteMs);
  ASSERT_TRUE(running.ok());
  const SlaTargetStatus& resolution2 = Target(*running, SlaMetric::kResolution);
  EXPECT_EQ(resolution2.state, SlaTargetState::kRunning);
  EXPECT_EQ(resolution2.elapsed, 70 * kMinuteMs);
  EXPECT_EQ(resolution2.due_at, t0 + 6 * kHour + (8 * 60 - 60) * kMinuteMs);
}

TEST(SlaClocks, NextReplyCyclesCountBreaches) {
  const SlaPolicy policy = CalendarPolicy();
  const Timestamp t0 = kMon;
  const std::vector<SlaEvent> history = {
      Created(t0),
      AgentReply(t0 + 10 * kMinuteMs),
      CustomerReply(t0 + 1 * kHour),
      CustomerReply(t0 + 2 * kHour),  // still the same wait
      AgentReply(t0 + 4 * kHour),     // 3 h: breached the 2 h target
      CustomerReply(t0 + 5 * kHour),
      AgentReply(t0 + 5 * kHour + 20 * kMinuteMs),  // met
      CustomerReply(t0 + 6 * kHour),
  };
  auto decision = EvaluatePolicy(policy, BusinessCalendar::AlwaysOpen(), history, t0 + 6 * kHour + 90 * kMinuteMs);
  ASSERT_TRUE(decision.ok());
  const SlaTargetStatus& next = Target(*decision, SlaMetric::kNextReply);
  EXPECT_EQ(next.cycles, 3);
  EXPECT_EQ(next.breached_cycles, 1);
  EXPECT_EQ(next.state, SlaTargetState::kRunning);
  EXPECT_EQ(next.due_at, t0 + 8 * kHour);
  EXPECT_TRUE(next.warning);
  EXPECT_FALSE(next.breached);
  const SlaTargetStatus& periodic = Target(*decision, SlaMetric::kPeriodicUpdate);
  EXPECT_EQ(periodic.cycles, 3);
  EXPECT_EQ(periodic.due_at, t0 + 5 * kHour + 20 * kMinuteMs + 24 * kHour);
  const SlaTargetStatus& resolution = Target(*decision, SlaMetric::kResolution);
  EXPECT_FALSE(resolution.breached);
  EXPECT_TRUE(resolution.warning);
  EXPECT_EQ(resolution.due_at, t0 + 8 * kHour);
  EXPECT_EQ(resolution.remaining, 30 * kMinuteMs);
}

TEST(SlaClocks, SolvingStopsAndReopeningResumesResolution) {
  const SlaPolicy policy = CalendarPolicy();
  const Timestamp t0 = kMon;
  std::vector<SlaEvent> history = {
      Created(t0),
      AgentReply(t0 + 2 * kHour),
      Status(t0 + 2 * kHour, TicketStatus::kSolved),
  };
  auto solved = EvaluatePolicy(policy, BusinessCalendar::AlwaysOpen(), history, t0 + 50 * kHour);
  ASSERT_TRUE(solved.ok());
  EXPECT_EQ(Target(*solved, SlaMetric::kResolution).state, SlaTargetState::kFulfilled);
  EXPECT_EQ(Target(*solved, SlaMetric::kResolution).elapsed, 2 * kHour);
  EXPECT_TRUE(Target(*solved, SlaMetric::kFirstReply).breached);  // 2 h against 1 h
  EXPECT_EQ(Target(*solved, SlaMetric::kFirstReply).breached_at, t0 + kHour);
  EXPECT_EQ(Target(*solved, SlaMetric::kPeriodicUpdate).state, SlaTargetState::kInactive);
  EXPECT_FALSE(solved->next_due_at.has_value());

  history.push_back(Status(t0 + 48 * kHour, TicketStatus::kOpen));
  history.push_back(CustomerReply(t0 + 48 * kHour));
  auto reopened = EvaluatePolicy(policy, BusinessCalendar::AlwaysOpen(), history, t0 + 49 * kHour);
  ASSERT_TRUE(reopened.ok());
  const SlaTargetStatus& resolution = Target(*reopened, SlaMetric::kResolution);
  EXPECT_EQ(resolution.state, SlaTargetState::kRunning);
  EXPECT_EQ(resolution.elapsed, 3 * kHour);
  EXPECT_EQ(resolution.due_at, t0 + 48 * kHour + 6 * kHour);
  EXPECT_EQ(Target(*reopened, SlaMetric::kNextReply).state, SlaTargetState::kRunning);
  EXPECT_EQ(Target(*reopened, SlaMetric::kNextReply).due_at, t0 + 50 * kHour);
}

TEST(SlaClocks, SolvedWithoutAReplyLeavesFirstReplyInactive) {
  const SlaPolicy policy = CalendarPolicy();
  const SlaEvent history[] = {Created(kMon), Status(kMon + 10 * kMinuteMs, TicketStatus::kSolved)};
  auto decision = EvaluatePolicy(policy, BusinessCalendar::AlwaysOpen(), history, kMon + 5 * kHour);
  ASSERT_TRUE(decision.ok());
  EXPECT_EQ(Target(*decision, SlaMetric::kFirstReply).state, SlaTargetState::kInactive);
  EXPECT_FALSE(Target(*decision, SlaMetric::kFirstReply).breached);
  EXPECT_EQ(Target(*decision, SlaMetric::kNextReply).cycles, 0);
}

TEST(SlaClocks, RejectsMalformedHistory) {
  const SlaPolicy policy = CalendarPolicy();
  const BusinessCalendar always = BusinessCalendar::AlwaysOpen();
  const std::vector<std::vector<SlaEvent>> bad = {
      {},
      {AgentReply(kMon)},
      {Created(kMon), AgentReply(kMon - 1)},
      {Created(kMon), Created(kMon + 1)},
      {Created(kMon + 10 * kHour)},  // after now
  };
  for (const auto& history : bad) {
    auto decision = EvaluatePolicy(policy, always, history, kMon + kHour);
    ASSERT_FALSE(decision.ok());
    EXPECT_EQ(decision.error().field, "history");
  }
  SlaOptions options;
  options.warning_fraction = 1.5;
  const SlaEvent ok_history[] = {Created(kMon)};
  EXPECT_FALSE(EvaluatePolicy(policy, always, ok_history, kMon, options).ok());
}

// ---- Properties: random pause/resume sequences against a direct account of open time. ----

TEST(SlaProperties, ResolutionClockCountsExactlyTheUnpausedTime) {
  std::mt19937_64 rng(42);
  const BusinessCalendar office = UtcOffice();
  for (int case_idx = 0; case_idx < 2000; ++case_idx) {
    const SlaClock clock = case_idx % 2 == 0 ? SlaClock::kCalendar : SlaClock::kBusiness;
    SlaPolicy policy;
    policy.targets = {{SlaMetric::kResolution, 1 + static_cast<std::int64_t>(rng() % (3 * 24 * 60)), clock}};
    const BusinessCalendar& calendar = clock == SlaClock::kCalendar ? BusinessCalendar::AlwaysOpen() : office;
    std::vector<SlaEvent> history = {Created(kMon + static_cast<Timestamp>(rng() % (7 * 24 * kHour)))};
    Timestamp t = history.front().at;
    bool paused = false;
    bool solved = false;
    std::vector<std::pair<Timestamp, Timestamp>> active;  // unpaused, unsolved intervals
    Timestamp active_since = t;
    const int steps = static_cast<int>(rng() % 12);
    for (int step = 0; step < steps; ++step) {
      t += static_cast<Timestamp>(rng() % (10 * kHour));
      const bool was_running = !paused && !solved;
      switch (rng() % 5) {
        case 0: history.push_back(Status(t, TicketStatus::kPending)); paused = true; solved = false; break;
        case 1: history.push_back(Status(t, TicketStatus::kOnHold)); paused = true; solved = false; break;
        case 2: history.push_back(Status(t, TicketStatus::kOpen)); paused = false; solved = false; break;
        case 3: history.push_back(CustomerReply(t)); paused = false; break;
        case 4: history.push_back(Status(t, TicketStatus::kSolved)); paused = false; solved = true; break;
      }
      const bool is_running = !paused && !solved;
      if (was_running && !is_running) active.emplace_back(active_since, t);
      if (!was_running && is_running) active_since = t;
    }
    const Timestamp now = t + static_cast<Timestamp>(rng() % (10 * kHour));
    if (!paused && !solved) active.emplace_back(active_since, now);

    DurationMs expected = 0;
    for (const auto& [from, to] : active) expected += *calendar.BusinessTimeBetween(from, to);
    auto decision = EvaluatePolicy(policy, calendar, history, now);
    ASSERT_TRUE(decision.ok()) << decision.error().message;
    const SlaTargetStatus& status = decision->targets[0];
    EXPECT_EQ(status.elapsed, expected) << case_idx;
    EXPECT_EQ(status.remaining, status.target - expected);
    EXPECT_EQ(status.breached, expected > status.target) << case_idx;
    const SlaTargetState state = solved ? SlaTargetState::kFulfilled
                                 : paused ? SlaTargetState::kPaused
                                          : SlaTargetState::kRunning;
    EXPECT_EQ(status.state, state);
    if (state == SlaTargetState::kRunning && !status.breached) {
      // Due is where the remaining business time runs out from now, on the target's clock.
      ASSERT_TRUE(status.due_at.has_value());
      EXPECT_EQ(*calendar.BusinessTimeBetween(now, *status.due_at), status.remaining);
    }
    if (status.breached) {
      ASSERT_TRUE(status.breached_at.has_value());
      // The breach instant is where the running total reached the target.
      DurationMs before_breach = 0;
      for (const auto& [from, to] : active) {
        before_breach += *calendar.BusinessTimeBetween(from, std::max(from, std::min(to, *status.breached_at)));
      }
      EXPECT_EQ(before_breach, status.target) << case_idx;
    }
    EXPECT_EQ(status.warning, !status.breached && state != SlaTargetState::kFulfilled &&
                                  static_cast<double>(expected) >= 0.75 * static_cast<double>(status.target));
    if (state == SlaTargetState::kRunning && !status.breached) {
      // The warning instant is where the running total reaches 75 %: at or before now once
      // it has, and exactly there when it lies ahead.
      ASSERT_TRUE(status.warning_at.has_value());
      EXPECT_EQ(*status.warning_at <= now, status.warning) << case_idx;
      if (*status.warning_at > now) {
        EXPECT_EQ(*calendar.BusinessTimeBetween(now, *status.warning_at), 3 * status.target / 4 - expected);
      }
    } else {
      EXPECT_FALSE(status.warning_at.has_value());
    }
  }
}

TEST(SlaClocks, WarningAtFollowsBusinessHours) {
  // First reply within 4 business hours, created Friday 16:00 in a 9–17 office: 1 h passes on
  // Friday, the warning (3 h) falls on Monday 11:00 and the breach on Monday 12:00.
  SlaPolicy policy;
  policy.id = 1;
  policy.targets = {{SlaMetric::kFirstReply, 240, SlaClock::kBusiness}};
  const Timestamp friday_16 = kMon - 3 * 24 * kHour + 16 * kHour;
  const std::vector<SlaEvent> history = {Created(friday_16)};
  auto decision = EvaluatePolicy(policy, UtcOffice(), history, friday_16 + 30 * kMinuteMs);
  ASSERT_TRUE(decision.ok());
  const SlaTargetStatus& first = decision->targets[0];
  EXPECT_EQ(first.warning_at, kMon + 11 * kHour);
  EXPECT_EQ(first.due_at, kMon + 12 * kHour);
  EXPECT_FALSE(first.warning);
  SlaOptions half;
  half.warning_fraction = 0.5;
  auto earlier = EvaluatePolicy(policy, UtcOffice(), history, friday_16 + 30 * kMinuteMs, half);
  ASSERT_TRUE(earlier.ok());
  EXPECT_EQ(earlier->targets[0].warning_at, kMon + 10 * kHour);
}

// ---- The stored form of a history. ----

TEST(SlaHistoryText, EncodesEachEventWithItsTimeAfterTheOneBefore) {
  const std::vector<SlaEvent> history = {Created(kMon), AgentReply(kMon + 1000), CustomerReply(kMon + 2000),
                                         Status(kMon + 62'000, TicketStatus::kPending),
                                         Status(kMon + 62'000, TicketStatus::kClosed)};
  EXPECT_EQ(EncodeSlaHistory(history), "c1795392000000,a1000,u1000,sp60000,sx0");
  auto decoded = DecodeSlaHistory("c1795392000000,a1000,u1000,sp60000,sx0");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, history);
}

TEST(SlaHistoryText, RandomHistoriesComeBackAsTheyWere) {
  std::mt19937_64 rng(7);
  for (int case_idx = 0; case_idx < 2000; ++case_idx) {
    std::vector<SlaEvent> history = {Created(static_cast<Timestamp>(rng() % 253'402'300'799'999ULL))};
    const int steps = static_cast<int>(rng() % 20);
    for (int step = 0; step < steps; ++step) {
      const Timestamp at = history.back().at + static_cast<Timestamp>(rng() % (30 * 24 * kHour));
      if (at > 253'402'300'799'999) break;
      switch (rng() % 3) {
        case 0: history.push_back(AgentReply(at)); break;
        case 1: history.push_back(CustomerReply(at)); break;
        default: history.push_back(Status(at, static_cast<TicketStatus>(rng() % 6))); break;
      }
    }
    auto decoded = DecodeSlaHistory(EncodeSlaHistory(history));
    ASSERT_TRUE(decoded.ok()) << EncodeSlaHistory(history) << ": " << decoded.error().message;
    EXPECT_EQ(*decoded, history) << EncodeSlaHistory(history);
  }
}

TEST(SlaHistoryText, RefusesTextItDidNotWrite) {
  for (const char* text : {"", "c", "x100", "a100", "c100,", "c100,,a1", "c100,c1", "c100,sq1", "c100,s", "c100,a",
                           "c100,a-1", "c100;a1", "c100,a1x", "c1234567890123456", "c253402300800000",
                           "c253402300799999,a1", "c100,a99999999999999999999", " c100", "c100,u1,"}) {
    auto decoded = DecodeSlaHistory(text);
    EXPECT_FALSE(decoded.ok()) << text;
  }
}

}  // namespace
}  // namespace kizuna
