// Engines benchmarks (issue 6): SLA due times, routing decisions, mass SLA re-evaluation.
// Run: ./build/bench/engines_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "engines/calendar.h"
#include "engines/routing.h"
#include "engines/sla.h"

namespace kizuna {
namespace {

constexpr DurationMs kHour = 60 * kMinuteMs;
constexpr Timestamp kStart = 1'767'225'600'000;  // 2026-01-01T00:00Z

// New York office hours with US holidays: DST changes and holidays on the path.
BusinessCalendar NewYorkOffice(int open_hour = 9) {
  CalendarSpec spec;
  spec.time_zone = "America/New_York";
  for (int weekday = kMonday; weekday <= kFriday; ++weekday) spec.weekly[weekday] = {{open_hour * 60, 17 * 60}};
  spec.holidays = {{2026, 1, 1}, {2026, 1, 19}, {2026, 2, 16}, {2026, 5, 25}, {2026, 7, 3},
                   {2026, 9, 7}, {2026, 11, 26}, {2026, 12, 25}};
  return std::move(BusinessCalendar::Create(spec)).value();
}

SlaPolicy BusinessPolicy() {
  SlaPolicy policy;
  policy.id = 1;
  policy.targets = {{SlaMetric::kFirstReply, 60, SlaClock::kBusiness},
                    {SlaMetric::kNextReply, 4 * 60, SlaClock::kBusiness},
                    {SlaMetric::kPeriodicUpdate, 24 * 60, SlaClock::kCalendar},
                    {SlaMetric::kResolution, 3 * 8 * 60, SlaClock::kBusiness}};
  return policy;
}

std::vector<Timestamp> RandomInstants(std::size_t count) {
  std::mt19937_64 rng(1);
  std::vector<Timestamp> instants(count);
  for (Timestamp& t : instants) t = kStart + static_cast<Timestamp>(rng() % (365ULL * 86'400'000ULL));
  return instants;
}

// One due time: a one-business-hour first-reply target from a random creation instant.
void BM_SlaDueTime(benchmark::State& state) {
  const BusinessCalendar calendar = NewYorkOffice();
  const std::vector<Timestamp> created = RandomInstants(1 << 16);
  std::size_t idx = 0;
  for (auto _ : state) {
    auto due = calendar.AddBusinessTime(created[idx++ & 0xffff], kHour);
    benchmark::DoNotOptimize(due);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SlaDueTime);

// A whole ticket: match nothing fancy, replay created → agent reply → customer reply and report
// all four targets (due, elapsed, remaining, warning, breach).
void BM_SlaEvaluateTicket(benchmark::State& state) {
  const BusinessCalendar calendar = NewYorkOffice();
  const SlaPolicy policy = BusinessPolicy();
  const std::vector<Timestamp> created = RandomInstants(1 << 16);
  std::size_t idx = 0;
  for (auto _ : state) {
    const Timestamp t0 = created[idx++ & 0xffff];
    const SlaEvent history[] = {{t0, SlaEventKind::kCreated},
                                {t0 + 2 * kHour, SlaEventKind::kAgentReply},
                                {t0 + 5 * kHour, SlaEventKind::kCustomerReply}};
    auto decision = EvaluatePolicy(policy, calendar, history, t0 + 6 * kHour);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SlaEvaluateTicket);

// A routing decision among 500 online agents: two required skills, capacities part used.
void BM_RoutingDecision(benchmark::State& state) {
  std::mt19937_64 rng(2);
  SkillCatalog catalog;
  const SkillId languages[] = {catalog.Intern("lang:ja"), catalog.Intern("lang:ko"), catalog.Intern("lang:vi"),
                               catalog.Intern("lang:en")};
  const SkillId product = catalog.Intern("product:billing");
  std::vector<RoutingAgent> agents(500);
  for (std::size_t agent_idx = 0; agent_idx < agents.size(); ++agent_idx) {
    RoutingAgent& agent = agents[agent_idx];
    agent.id = static_cast<AgentId>(agent_idx + 1);
    agent.presence = rng() % 10 == 0 ? Presence::kAway : Presence::kOnline;
    agent.capacity = {8, 3, 1};
    agent.load = {static_cast<int>(rng() % 9), static_cast<int>(rng() % 4), static_cast<int>(rng() % 2)};
    agent.SetSkill(languages[agent_idx % 4], 1 + static_cast<int>(rng() % 5));
    agent.SetSkill(languages[3], 1 + static_cast<int>(rng() % 5));
    if (agent_idx % 2 == 0) agent.SetSkill(product, 1 + static_cast<int>(rng() % 5));
  }
  WorkItem item;
  item.kind = WorkKind::kTicket;
  item.required_skills = {{languages[0], 2}, {product, 1}};
  QueueConfig config;
  config.strategy = static_cast<RoutingStrategy>(state.range(0));
  for (auto _ : state) {
    RoutingDecision decision = ChooseAgent(item, agents, config, AgentId{250});
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "round_robin" : state.range(0) == 1 ? "least_loaded" : "best_skill");
}
BENCHMARK(BM_RoutingDecision)->Arg(0)->Arg(1)->Arg(2);

// After a calendar change: every open ticket's SLA recomputed against the new calendar, on one core.
void BM_ReevaluateOpenTickets(benchmark::State& state) {
  const std::size_t tickets = static_cast<std::size_t>(state.range(0));
  const SlaPolicy policy = BusinessPolicy();
  const BusinessCalendar changed = NewYorkOffice(8);  // opens an hour earlier now
  std::mt19937_64 rng(3);
  std::vector<SlaEvent> events;
  std::vector<std::pair<std::size_t, std::size_t>> histories;  // offset, length
  const Timestamp now = kStart + 300LL * 86'400'000LL;
  events.reserve(tickets * 4);
  histories.reserve(tickets);
  for (std::size_t ticket_idx = 0; ticket_idx < tickets; ++ticket_idx) {
    const std::size_t offset = events.size();
    // Open tickets created within the last two weeks, in one of four shapes.
    const Timestamp t0 = now - static_cast<Timestamp>(rng() % (14ULL * 86'400'000ULL));
    const Timestamp step = static_cast<Timestamp>(rng() % static_cast<std::uint64_t>(now - t0)) / 4;
    events.push_back({t0, SlaEventKind::kCreated});
    switch (ticket_idx % 4) {
      case 0: break;  // waiting for a first reply
      case 1: events.push_back({t0 + step, SlaEventKind::kAgentReply}); break;
      case 2:
        events.push_back({t0 + step, SlaEventKind::kAgentReply});
        events.push_back({t0 + 2 * step, SlaEventKind::kCustomerReply});
        break;
      case 3:
        events.push_back({t0 + step, SlaEventKind::kAgentReply});
        events.push_back({t0 + step, SlaEventKind::kStatusChanged, TicketStatus::kPending});
        events.push_back({t0 + 3 * step, SlaEventKind::kCustomerReply});
        break;
    }
    histories.emplace_back(offset, events.size() - offset);
  }
  for (auto _ : state) {
    std::int64_t breached = 0;
    for (const auto& [offset, length] : histories) {
      auto decision = EvaluatePolicy(policy, changed, std::span<const SlaEvent>(events).subspan(offset, length), now);
      for (const SlaTargetStatus& target : decision->targets) breached += target.breached;
    }
    benchmark::DoNotOptimize(breached);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(tickets));
}
BENCHMARK(BM_ReevaluateOpenTickets)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace kizuna

BENCHMARK_MAIN();
