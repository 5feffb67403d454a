#include "engines/routing.h"

#include <algorithm>
#include <numeric>

namespace kizuna {
namespace {

int KindIdx(WorkKind kind) { return static_cast<int>(kind); }

bool HasCapacity(const RoutingAgent& agent, WorkKind kind, CapacityModel model) {
  const int kind_idx = KindIdx(kind);
  if (agent.capacity[kind_idx] <= 0 || agent.load[kind_idx] >= agent.capacity[kind_idx]) return false;
  if (model == CapacityModel::kPerKind) return true;
  // Shared: each item uses 1/capacity of the agent; compare in whole units of the product.
  std::int64_t whole = 1;
  for (int cap : agent.capacity) whole *= cap > 0 ? cap : 1;
  std::int64_t used = 0;
  for (int other = 0; other < kWorkKinds; ++other) {
    if (agent.load[other] <= 0) continue;
    if (agent.capacity[other] <= 0) return false;  // busy with work it should not have: full
    used += agent.load[other] * (whole / agent.capacity[other]);
  }
  return used + whole / agent.capacity[kind_idx] <= whole;
}

bool HasSkills(const RoutingAgent& agent, const WorkItem& item) {
  for (const RequiredSkill& required : item.required_skills) {
    if (agent.SkillLevel(required.skill) < std::max(1, required.min_level)) return false;
  }
  return true;
}

int SkillScore(const RoutingAgent& agent, const WorkItem& item) {
  int score = 0;
  for (const RequiredSkill& required : item.required_skills) score += agent.SkillLevel(required.skill);
  return score;
}

// True when `a` is less loaded than `b` for `kind`; ties go to the agent idle longest, then the lower id.
bool LessLoaded(const RoutingAgent& a, const RoutingAgent& b, int kind_idx) {
  const std::int64_t lhs = static_cast<std::int64_t>(a.load[kind_idx]) * b.capacity[kind_idx];
  const std::int64_t rhs = static_cast<std::int64_t>(b.load[kind_idx]) * a.capacity[kind_idx];
  if (lhs != rhs) return lhs < rhs;
  if (a.last_assigned_at != b.last_assigned_at) return a.last_assigned_at < b.last_assigned_at;
  return a.id < b.id;
}

// Whether candidate `a` beats the current best `b` under `strategy`.
bool Better(const RoutingAgent& a, const RoutingAgent& b, const WorkItem& item, RoutingStrategy strategy,
            std::optional<AgentId> cursor) {
  switch (strategy) {
    case RoutingStrategy::kRoundRobin: {
      // The first id after the cursor, wrapping: ids after the cursor rank before the rest.
      const bool a_after = !cursor || a.id > *cursor;
      const bool b_after = !cursor || b.id > *cursor;
      if (a_after != b_after) return a_after;
      return a.id < b.id;
    }
    case RoutingStrategy::kBestSkill: {
      const int a_score = SkillScore(a, item);
      const int b_score = SkillScore(b, item);
      if (a_score != b_score) return a_score > b_score;
      return LessLoaded(a, b, KindIdx(item.kind));
    }
    case RoutingStrategy::kLeastLoaded:
    case RoutingStrategy::kOwnerFirst:
      return LessLoaded(a, b, KindIdx(item.kind));
  }
  return false;
}

RoutingDecision Assigned(std::span<const RoutingAgent> agents, std::size_t agent_idx, const char* explanation) {
  RoutingDecision decision;
  decision.kind = RoutingDecision::Kind::kAssigned;
  decision.agent_idx = agent_idx;
  decision.agent_id = agents[agent_idx].id;
  decision.explanation = explanation;
  return decision;
}

std::optional<std::size_t> FindEligible(std::span<const RoutingAgent> agents, std::optional<AgentId> id,
                                        const WorkItem& item, CapacityModel model) {
  if (!id) return std::nullopt;
  for (std::size_t agent_idx = 0; agent_idx < agents.size(); ++agent_idx) {
    if (agents[agent_idx].id == *id) {
      if (IsEligible(agents[agent_idx], item, model)) return agent_idx;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

WorkKind WorkKindOfChannel(std::string_view channel) {
  // The channels of core/ticket.cc's kChannels that are live conversations.
  if (channel == "chat" || channel == "sms" || channel == "line" || channel == "messenger" || channel == "zalo" ||
      channel == "kakaotalk") {
    return WorkKind::kChat;
  }
  if (channel == "phone") return WorkKind::kCall;
  return WorkKind::kTicket;
}

SkillId SkillCatalog::Intern(std::string_view name) {
  auto it = ids_.find(std::string(name));
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<SkillId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(std::string(name), id);
  return id;
}

std::optional<SkillId> SkillCatalog::Find(std::string_view name) const {
  auto it = ids_.find(std::string(name));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void RoutingAgent::SetSkill(SkillId skill, int level) {
  if (skill >= skill_levels.size()) skill_levels.resize(static_cast<std::size_t>(skill) + 1, 0);
  skill_levels[skill] = static_cast<std::uint8_t>(std::clamp(level, 0, 5));
}

const char* NoAgentReasonName(NoAgentReason reason) {
  switch (reason) {
    case NoAgentReason::kNoneOnline: return "no_agent_online";
    case NoAgentReason::kNoneSkilled: return "no_skilled_agent_online";
    case NoAgentReason::kAllAtCapacity: return "all_skilled_agents_at_capacity";
  }
  return "unknown";
}

bool IsEligible(const RoutingAgent& agent, const WorkItem& item, CapacityModel model) {
  return agent.presence == Presence::kOnline && HasCapacity(agent, item.kind, model) && HasSkills(agent, item);
}

RoutingDecision ChooseAgent(const WorkItem& item, std::span<const RoutingAgent> agents, const QueueConfig& config,
                            std::optional<AgentId> round_robin_cursor) {
  RoutingStrategy strategy = config.strategy;
  if (strategy == RoutingStrategy::kOwnerFirst) {
    if (auto owner = FindEligible(agents, item.account_owner_id, item, config.capacity_model)) {
      return Assigned(agents, *owner, "account owner");
    }
    if (auto last = FindEligible(agents, item.last_agent_id, item, config.capacity_model)) {
      return Assigned(agents, *last, "last agent");
    }
    strategy = config.fallback == RoutingStrategy::kOwnerFirst ? RoutingStrategy::kLeastLoaded : config.fallback;
  }

  bool any_online = false;
  bool any_skilled = false;
  std::optional<std::size_t> best;
  for (std::size_t agent_idx = 0; agent_idx < agents.size(); ++agent_idx) {
    const RoutingAgent& agent = agents[agent_idx];
    if (agent.presence != Presence::kOnline) continue;
    any_online = true;
    if (!HasSkills(agent, item)) continue;
    any_skilled = true;
    if (!HasCapacity(agent, item.kind, config.capacity_model)) continue;
    if (!best || Better(agent, agents[*best], item, strategy, round_robin_cursor)) best = agent_idx;
  }
  if (best) {
    static constexpr const char* kWhy[] = {"round robin", "least loaded", "best skill match", "owner unavailable"};
    return Assigned(agents, *best, kWhy[static_cast<int>(config.strategy)]);
  }
  RoutingDecision decision;
  decision.reason = !any_online    ? NoAgentReason::kNoneOnline
                    : !any_skilled ? NoAgentReason::kNoneSkilled
                                   : NoAgentReason::kAllAtCapacity;
  decision.explanation = NoAgentReasonName(decision.reason);
  return decision;
}

std::vector<std::size_t> QueueOrder(std::span<const WorkItem> items, Timestamp now, const AgingPolicy& aging) {
  std::vector<std::size_t> order(items.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const std::int64_t step = std::max<std::int64_t>(1, aging.step_ms);
  auto score = [&](const WorkItem& item) {
    return static_cast<std::int64_t>(item.priority) * step + (now - item.enqueued_at);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const std::int64_t a_score = score(items[a]);
    const std::int64_t b_score = score(items[b]);
    if (a_score != b_score) return a_score > b_score;
    if (items[a].enqueued_at != items[b].enqueued_at) return items[a].enqueued_at < items[b].enqueued_at;
    return items[a].ticket_id < items[b].ticket_id;
  });
  return order;
}

std::vector<Assignment> RouteQueue(std::span<const WorkItem> items, std::span<RoutingAgent> agents,
                                   const QueueConfig& config, const AgingPolicy& aging, Timestamp now,
                                   std::optional<AgentId>& round_robin_cursor) {
  std::vector<Assignment> assignments;
  for (std::size_t item_idx : QueueOrder(items, now, aging)) {
    const WorkItem& item = items[item_idx];
    RoutingDecision decision = ChooseAgent(item, agents, config, round_robin_cursor);
    if (decision.kind != RoutingDecision::Kind::kAssigned) continue;
    RoutingAgent& agent = agents[decision.agent_idx];
    ++agent.load[KindIdx(item.kind)];
    agent.last_assigned_at = now;
    round_robin_cursor = agent.id;
    assignments.push_back({item_idx, decision.agent_idx});
  }
  return assignments;
}

}  // namespace kizuna
