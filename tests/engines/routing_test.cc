#include "engines/routing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

namespace kizuna {
namespace {

constexpr std::int64_t kMinute = 60'000;

RoutingAgent Agent(AgentId id, std::array<int, kWorkKinds> load = {}) {
  RoutingAgent agent;
  agent.id = id;
  agent.presence = Presence::kOnline;
  agent.capacity = {8, 3, 1};  // tickets, chats, calls
  agent.load = load;
  return agent;
}

WorkItem Item(WorkKind kind, std::vector<RequiredSkill> skills = {}) {
  WorkItem item;
  item.ticket_id = 1;
  item.kind = kind;
  item.required_skills = std::move(skills);
  return item;
}

TEST(Routing, EligibilityNeedsPresenceCapacityAndSkills) {
  SkillCatalog catalog;
  const SkillId ja = catalog.Intern("lang:ja");
  const SkillId ko = catalog.Intern("lang:ko");
  EXPECT_EQ(catalog.Intern("lang:ja"), ja);
  EXPECT_FALSE(catalog.Find("lang:xx").has_value());

  RoutingAgent agent = Agent(1, {0, 2, 0});
  agent.SetSkill(ja, 4);
  struct Case {
    const char* name;
    Presence presence;
    WorkItem item;
    CapacityModel model;
    bool eligible;
  } cases[] = {
      {"chat with room", Presence::kOnline, Item(WorkKind::kChat), CapacityModel::kPerKind, true},
      {"away", Presence::kAway, Item(WorkKind::kChat), CapacityModel::kPerKind, false},
      {"offline", Presence::kOffline, Item(WorkKind::kTicket), CapacityModel::kPerKind, false},
      {"has ja 4 >= 3", Presence::kOnline, Item(WorkKind::kTicket, {{ja, 3}}), CapacityModel::kPerKind, true},
      {"needs ja 5", Presence::kOnline, Item(WorkKind::kTicket, {{ja, 5}}), CapacityModel::kPerKind, false},
      {"lacks ko", Presence::kOnline, Item(WorkKind::kTicket, {{ja, 1}, {ko, 1}}), CapacityModel::kPerKind, false},
      {"per kind: a call besides two chats", Presence::kOnline, Item(WorkKind::kCall), CapacityModel::kPerKind, true},
      {"shared: two chats leave no room for a call", Presence::kOnline, Item(WorkKind::kCall), CapacityModel::kShared, false},
      {"shared: a third chat fits", Presence::kOnline, Item(WorkKind::kChat), CapacityModel::kShared, true},
      {"shared: two of three chats leave 1/3, room for 2 tickets", Presence::kOnline, Item(WorkKind::kTicket), CapacityModel::kShared, true},
  };
  for (const Case& c : cases) {
    agent.presence = c.presence;
    EXPECT_EQ(IsEligible(agent, c.item, c.model), c.eligible) << c.name;
  }
  RoutingAgent full = Agent(2, {8, 0, 0});
  EXPECT_FALSE(IsEligible(full, Item(WorkKind::kTicket), CapacityModel::kPerKind));
  RoutingAgent mixed = Agent(3, {6, 0, 0});  // 6/8 tickets used: 1/4 left, less than a chat's 1/3
  EXPECT_FALSE(IsEligible(mixed, Item(WorkKind::kChat), CapacityModel::kShared));
  EXPECT_TRUE(IsEligible(mixed, Item(WorkKind::kTicket), CapacityModel::kShared));
}

TEST(Routing, StrategiesPickTheExpectedAgent) {
  SkillCatalog catalog;
  const SkillId vi = catalog.Intern("lang:vi");
  std::vector<RoutingAgent> agents = {Agent(10, {4, 0, 0}), Agent(20, {1, 0, 0}), Agent(30, {2, 0, 0}),
                                      Agent(40, {0, 0, 0})};
  agents[0].SetSkill(vi, 5);
  agents[1].SetSkill(vi, 2);
  agents[2].SetSkill(vi, 4);
  agents[3].presence = Presence::kAway;  // least loaded but away
  WorkItem item = Item(WorkKind::kTicket, {{vi, 1}});
  item.account_owner_id = 30;
  item.last_agent_id = 10;

  struct Case {
    const char* name;
    RoutingStrategy strategy;
    std::optional<AgentId> cursor;
    AgentId expected;
  } cases[] = {
      {"least loaded", RoutingStrategy::kLeastLoaded, std::nullopt, 20},
      {"best skill", RoutingStrategy::kBestSkill, std::nullopt, 10},
      {"round robin from the start", RoutingStrategy::kRoundRobin, std::nullopt, 10},
      {"round robin after 10", RoutingStrategy::kRoundRobin, 10, 20},
      {"round robin wraps after 30", RoutingStrategy::kRoundRobin, 30, 10},
      {"owner first", RoutingStrategy::kOwnerFirst, std::nullopt, 30},
  };
  for (const Case& c : cases) {
    QueueConfig config;
    config.strategy = c.strategy;
    RoutingDecision decision = ChooseAgent(item, agents, config, c.cursor);
    ASSERT_EQ(decision.kind, RoutingDecision::Kind::kAssigned) << c.name;
    EXPECT_EQ(decision.agent_id, c.expected) << c.name;
    EXPECT_EQ(agents[decision.agent_idx].id, c.expected) << c.name;
  }

  QueueConfig owner_first;
  owner_first.strategy = RoutingStrategy::kOwnerFirst;
  agents[2].load = {8, 0, 0};  // the owner is full: the last agent gets it
  EXPECT_EQ(ChooseAgent(item, agents, owner_first).agent_id, 10);
  agents[0].presence = Presence::kOffline;  // and without him, the fallback (least loaded)
  EXPECT_EQ(ChooseAgent(item, agents, owner_first).agent_id, 20);
}

TEST(Routing, NoAgentAvailableSaysWhy) {
  SkillCatalog catalog;
  const SkillId ko = catalog.Intern("lang:ko");
  std::vector<RoutingAgent> agents = {Agent(1, {0, 0, 1}), Agent(2)};
  agents[0].SetSkill(ko, 3);
  agents[1].presence = Presence::kAway;
  QueueConfig config;

  RoutingDecision at_capacity = ChooseAgent(Item(WorkKind::kCall, {{ko, 1}}), agents, config);
  EXPECT_EQ(at_capacity.kind, RoutingDecision::Kind::kNoAgentAvailable);
  EXPECT_EQ(at_capacity.reason, NoAgentReason::kAllAtCapacity);

  RoutingDecision unskilled = ChooseAgent(Item(WorkKind::kTicket, {{ko, 4}}), agents, config);
  EXPECT_EQ(unskilled.reason, NoAgentReason::kNoneSkilled);
  EXPECT_STREQ(unskilled.explanation, "no_skilled_agent_online");

  agents[0].presence = Presence::kOffline;
  EXPECT_EQ(ChooseAgent(Item(WorkKind::kTicket), agents, config).reason, NoAgentReason::kNoneOnline);
  EXPECT_EQ(ChooseAgent(Item(WorkKind::kTicket), {}, config).reason, NoAgentReason::kNoneOnline);
}

TEST(Routing, ChannelsMapToWorkKinds) {
  EXPECT_EQ(WorkKindOfChannel("chat"), WorkKind::kChat);
  EXPECT_EQ(WorkKindOfChannel("line"), WorkKind::kChat);
  EXPECT_EQ(WorkKindOfChannel("phone"), WorkKind::kCall);
  EXPECT_EQ(WorkKindOfChannel("zalo"), WorkKind::kChat);
  EXPECT_EQ(WorkKindOfChannel("email"), WorkKind::kTicket);
  EXPECT_EQ(WorkKindOfChannel("api"), WorkKind::kTicket);
}

TEST(RoutingQueue, AgingLiftsWaitingItemsOneLevelPerStep) {
  const Timestamp now = 1'000 * kMinute;
  AgingPolicy aging;
  aging.step_ms = 10 * kMinute;
  std::vector<WorkItem> items(4);
  items[0] = {1, WorkKind::kTicket, Priority::kLow, now - 35 * kMinute};     // 3.5 levels: above a fresh urgent
  items[1] = {2, WorkKind::kTicket, Priority::kUrgent, now - 1 * kMinute};
  items[2] = {3, WorkKind::kTicket, Priority::kNormal, now - 5 * kMinute};
  items[3] = {4, WorkKind::kTicket, Priority::kHigh, now - 5 * kMinute};
  const std::vector<std::size_t> order = QueueOrder(items, now, aging);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(items[order[0]].ticket_id, 1);
  EXPECT_EQ(items[order[1]].ticket_id, 2);
  EXPECT_EQ(items[order[2]].ticket_id, 4);
  EXPECT_EQ(items[order[3]].ticket_id, 3);
}

// ---- A day of traffic: 50 agents, 20,000 tickets, one routing round a minute. ----

struct DayResult {
  std::size_t assigned = 0;
  std::array<std::int64_t, 4> max_wait{};  // by priority
  std::int64_t capacity_violations = 0;
  std::int64_t skill_violations = 0;
  std::int64_t presence_violations = 0;
  // An item left waiting while one with the same needs that ranked below it got an agent.
  std::int64_t overtaken = 0;
  int minutes = 0;
};

DayResult SimulateDay(const QueueConfig& config, const AgingPolicy& aging, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  SkillCatalog catalog;
  const SkillId languages[] = {catalog.Intern("lang:ja"), catalog.Intern("lang:ko"), catalog.Intern("lang:vi"),
                               catalog.Intern("lang:en")};
  const SkillId products[] = {catalog.Intern("product:billing"), catalog.Intern("product:app")};

  std::vector<RoutingAgent> agents;
  std::vector<int> shift_start;  // minute of the day each agent comes online, for 10 hours
  for (AgentId id = 1; id <= 50; ++id) {
    RoutingAgent agent;
    agent.id = id;
    agent.capacity = {8, 3, 1};
    agent.SetSkill(languages[id % 4], 3 + static_cast<int>(rng() % 3));
    agent.SetSkill(languages[3], std::max(agent.SkillLevel(languages[3]), 1 + static_cast<int>(rng() % 5)));
    if (id % 3 == 0) agent.SetSkill(languages[(id + 1) % 4], 1 + static_cast<int>(rng() % 3));
    agent.SetSkill(products[0], 2 + static_cast<int>(rng() % 4));
    agent.SetSkill(products[1], 2 + static_cast<int>(rng() % 4));
    agents.push_back(agent);
    // Three shifts: 20 agents from 06:00, 20 from 12:00, 10 overnight from 20:00.
    const int shift = id <= 20 ? 360 : id <= 40 ? 720 : 1200;
    shift_start.push_back(shift + static_cast<int>(rng() % 30));
  }
  auto anyone_skilled = [&](const WorkItem& item) {
    return std::any_of(agents.begin(), agents.end(), [&](const RoutingAgent& agent) {
      return std::all_of(item.required_skills.begin(), item.required_skills.end(),
                         [&](const RequiredSkill& required) { return agent.SkillLevel(required.skill) >= required.min_level; });
    });
  };

  struct Active {
    std::size_t agent_idx;
    WorkKind kind;
    int ends_at;
  };
  std::vector<Active> active;
  std::vector<WorkItem> waiting;
  DayResult result;
  const int kTickets = 20'000;
  const int kDayMinutes = 1440;
  int created = 0;
  std::optional<AgentId> cursor;
  // Arrivals follow the staffing (two thirds of a ticket a minute per online agent); the run
  // ends when all 20,000 have arrived and been assigned.
  int minute = 0;
  for (; minute < kDayMinutes * 3 && (created < kTickets || !waiting.empty()); ++minute) {
    const Timestamp now = static_cast<Timestamp>(minute) * kMinute;
    int online = 0;
    for (RoutingAgent& agent : agents) {
      const int start = shift_start[static_cast<std::size_t>(agent.id - 1)];
      const int local = minute % kDayMinutes;
      const bool on_shift = (local - start + kDayMinutes) % kDayMinutes < 600;
      agent.presence = on_shift ? (rng() % 50 == 0 ? Presence::kAway : Presence::kOnline) : Presence::kOffline;
      online += agent.presence == Presence::kOnline;
    }
    std::erase_if(active, [&](const Active& work) {
      if (work.ends_at > minute) return false;
      --agents[work.agent_idx].load[static_cast<int>(work.kind)];
      return true;
    });
    const int arrivals = created >= kTickets ? 0 : static_cast<int>(rng() % static_cast<unsigned>(online * 4 / 3 + 1));
    for (int arrival = 0; arrival < arrivals && created < kTickets; ++arrival, ++created) {
      WorkItem item;
      item.ticket_id = created + 1;
      const auto roll = rng() % 10;
      item.kind = roll < 6 ? WorkKind::kTicket : roll < 9 ? WorkKind::kChat : WorkKind::kCall;
      item.priority = static_cast<Priority>(rng() % 4);
      item.enqueued_at = now;
      item.required_skills.push_back({languages[rng() % 4], 1 + static_cast<int>(rng() % 3)});
      if (rng() % 4 == 0) item.required_skills.push_back({products[rng() % 2], 1 + static_cast<int>(rng() % 2)});
      if (!anyone_skilled(item)) item.required_skills.resize(1);
      if (!anyone_skilled(item)) item.required_skills[0].min_level = 1;
      if (rng() % 5 == 0) item.account_owner_id = 1 + static_cast<AgentId>(rng() % 50);
      waiting.push_back(std::move(item));
    }

    const std::vector<Assignment> assignments = RouteQueue(waiting, agents, config, aging, now, cursor);
    std::vector<bool> taken(waiting.size(), false);
    for (const Assignment& assignment : assignments) {
      const WorkItem& item = waiting[assignment.item_idx];
      const RoutingAgent& agent = agents[assignment.agent_idx];
      for (const RequiredSkill& required : item.required_skills) {
        if (agent.SkillLevel(required.skill) < required.min_level) ++result.skill_violations;
      }
      if (agent.presence != Presence::kOnline) ++result.presence_violations;
      // Minutes the agent holds it: a call 1–5, a chat 3–9, a ticket 2–10.
      const int duration = item.kind == WorkKind::kCall ? 1 + static_cast<int>(rng() % 5)
                           : item.kind == WorkKind::kChat ? 3 + static_cast<int>(rng() % 7)
                                                          : 2 + static_cast<int>(rng() % 9);
      active.push_back({assignment.agent_idx, item.kind, minute + duration});
      auto& max_wait = result.max_wait[static_cast<std::size_t>(item.priority)];
      max_wait = std::max(max_wait, now - item.enqueued_at);
      taken[assignment.item_idx] = true;
      ++result.assigned;
    }
    for (const RoutingAgent& agent : agents) {
      for (int kind_idx = 0; kind_idx < kWorkKinds; ++kind_idx) {
        if (agent.load[kind_idx] > agent.capacity[kind_idx]) ++result.capacity_violations;
      }
      if (config.capacity_model == CapacityModel::kShared) {
        const double used = agent.load[0] / 8.0 + agent.load[1] / 3.0 + agent.load[2] / 1.0;
        if (used > 1.0 + 1e-9) ++result.capacity_violations;
      }
    }
    // Fairness within a round: the queue order's rank of every item, then for each set of
    // needs (kind and skills) the best-ranked item left waiting must rank below every
    // assigned item with those needs.
    std::vector<std::size_t> rank(waiting.size());
    const std::vector<std::size_t> order = QueueOrder(waiting, now, aging);
    for (std::size_t position = 0; position < order.size(); ++position) rank[order[position]] = position;
    std::map<std::string, std::size_t> best_waiting;
    auto needs = [](const WorkItem& item) {
      std::string key(1, static_cast<char>('0' + static_cast<int>(item.kind)));
      for (const RequiredSkill& required : item.required_skills) {
        key += ":" + std::to_string(required.skill) + "@" + std::to_string(required.min_level);
      }
      return key;
    };
    for (std::size_t item_idx = 0; item_idx < waiting.size(); ++item_idx) {
      if (taken[item_idx]) continue;
      auto [it, inserted] = best_waiting.emplace(needs(waiting[item_idx]), rank[item_idx]);
      if (!inserted) it->second = std::min(it->second, rank[item_idx]);
    }
    for (const Assignment& assignment : assignments) {
      auto it = best_waiting.find(needs(waiting[assignment.item_idx]));
      if (it != best_waiting.end() && it->second < rank[assignment.item_idx]) ++result.overtaken;
    }
    std::vector<WorkItem> still_waiting;
    for (std::size_t item_idx = 0; item_idx < waiting.size(); ++item_idx) {
      if (!taken[item_idx]) still_waiting.push_back(std::move(waiting[item_idx]));
    }
    waiting = std::move(still_waiting);
  }
  result.minutes = minute;
  return result;
}

class RoutingDay : public ::testing::TestWithParam<std::tuple<RoutingStrategy, CapacityModel>> {};

TEST_P(RoutingDay, NeverExceedsCapacityGivesSkilledAgentsAndStarvesNoOne) {
  QueueConfig config;
  config.strategy = std::get<0>(GetParam());
  config.capacity_model = std::get<1>(GetParam());
  AgingPolicy aging;
  aging.step_ms = 10 * kMinute;
  const DayResult day = SimulateDay(config, aging, 2026);
  EXPECT_EQ(day.assigned, 20'000u);
  EXPECT_EQ(day.capacity_violations, 0);
  EXPECT_EQ(day.skill_violations, 0);
  EXPECT_EQ(day.presence_violations, 0);
  EXPECT_EQ(day.overtaken, 0);
  // No starvation: with aging, the longest low-priority wait stays within twice the longest
  // urgent wait plus the three aging steps that separate them (without aging it is 7x and
  // more on the overloaded days: see RoutingDayWithoutAging).
  const std::int64_t longest_urgent = day.max_wait[static_cast<int>(Priority::kUrgent)];
  EXPECT_LE(day.max_wait[static_cast<int>(Priority::kLow)], 2 * longest_urgent + 3 * aging.step_ms)
      << "low " << day.max_wait[0] / kMinute << " min, urgent " << longest_urgent / kMinute << " min";
}

INSTANTIATE_TEST_SUITE_P(Strategies, RoutingDay,
                         ::testing::Combine(::testing::Values(RoutingStrategy::kRoundRobin,
                                                              RoutingStrategy::kLeastLoaded,
                                                              RoutingStrategy::kBestSkill,
                                                              RoutingStrategy::kOwnerFirst),
                                            ::testing::Values(CapacityModel::kPerKind, CapacityModel::kShared)));

TEST(RoutingDayWithoutAging, LowPriorityStarvesUnderLoad) {
  // The control for the fairness bound above: the same overloaded day (shared capacity) with
  // aging off leaves low priority waiting until every higher-priority item is served.
  QueueConfig config;
  config.capacity_model = CapacityModel::kShared;
  AgingPolicy no_aging;
  no_aging.step_ms = std::int64_t{1} << 50;
  const DayResult day = SimulateDay(config, no_aging, 2026);
  const std::int64_t longest_urgent = day.max_wait[static_cast<int>(Priority::kUrgent)];
  EXPECT_GT(day.max_wait[static_cast<int>(Priority::kLow)], 2 * longest_urgent + 3 * AgingPolicy{}.step_ms);
}

}  // namespace
}  // namespace kizuna
