// Routing: which agent gets a conversation, and in which order waiting conversations are served.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "core/ticket.h"
#include "core/workspace.h"  // Presence

namespace kizuna {

// The kinds of work an agent's capacity is counted in.
enum class WorkKind { kTicket = 0, kChat = 1, kCall = 2 };
inline constexpr int kWorkKinds = 3;
// chat, sms and messaging apps (line, messenger, zalo, kakaotalk) are kChat, phone is kCall,
// everything else (email, web, form, api, internal) kTicket.
WorkKind WorkKindOfChannel(std::string_view channel);

// Skills are interned to small integers ("lang:ja", "product:billing", "region:apac") so that a
// decision among hundreds of agents compares integers, not strings.
using SkillId = std::uint16_t;
class SkillCatalog {
 public:
  // The id of `name`, adding it when new.
  SkillId Intern(std::string_view name);
  // nullopt when unknown: no agent has it, so no agent qualifies.
  std::optional<SkillId> Find(std::string_view name) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::unordered_map<std::string, SkillId> ids_;
  std::vector<std::string> names_;
};

struct RoutingAgent {
  AgentId id = 0;
  Presence presence = Presence::kOffline;
  std::array<int, kWorkKinds> capacity{};  // at once, per kind; 0 = never this kind
  std::array<int, kWorkKinds> load{};      // currently assigned, per kind
  // Proficiency 1..5 indexed by SkillId; 0 or out of range = lacks the skill.
  std::vector<std::uint8_t> skill_levels;
  Timestamp last_assigned_at = 0;  // tie-break: the longest-waiting agent first

  int SkillLevel(SkillId skill) const { return skill < skill_levels.size() ? skill_levels[skill] : 0; }
  void SetSkill(SkillId skill, int level);
};

struct RequiredSkill {
  SkillId skill = 0;
  int min_level = 1;
};

// A conversation waiting for an agent.
struct WorkItem {
  TicketId ticket_id = 0;
  WorkKind kind = WorkKind::kTicket;
  Priority priority = Priority::kNormal;
  Timestamp enqueued_at = 0;
  std::vector<RequiredSkill> required_skills;
  std::optional<AgentId> account_owner_id;  // the customer's account owner
  std::optional<AgentId> last_agent_id;     // the agent who last handled this customer
};

enum class RoutingStrategy {
  kRoundRobin,   // the next eligible agent after the queue's cursor, by id, wrapping
  kLeastLoaded,  // the lowest share of capacity in use for this kind
  kBestSkill,    // the highest total proficiency in the required skills
  kOwnerFirst,   // the account owner, else the last agent, else `fallback`
};

enum class CapacityModel {
  kPerKind,  // each kind counted on its own: 3 chats and 8 tickets and 1 call at once
  kShared,   // capacities are alternatives: 1 call, or 3 chats, or 8 tickets (or mixes that fit)
};

struct QueueConfig {
  RoutingStrategy strategy = RoutingStrategy::kLeastLoaded;
  RoutingStrategy fallback = RoutingStrategy::kLeastLoaded;  // for kOwnerFirst; not kOwnerFirst
  CapacityModel capacity_model = CapacityModel::kPerKind;
};

// Why no agent could take the item.
enum class NoAgentReason { kNoneOnline, kNoneSkilled, kAllAtCapacity };
const char* NoAgentReasonName(NoAgentReason reason);

struct RoutingDecision {
  enum class Kind { kAssigned, kNoAgentAvailable };
  Kind kind = Kind::kNoAgentAvailable;
  std::size_t agent_idx = 0;  // into the agents span, when assigned
  AgentId agent_id = 0;
  NoAgentReason reason = NoAgentReason::kNoneOnline;  // when not assigned
  const char* explanation = "";                       // for the routing log, in English
};

// Whether `agent` may take `item` now: online, below capacity for the item's kind, and holding
// every required skill at the required level.
bool IsEligible(const RoutingAgent& agent, const WorkItem& item, CapacityModel model);

// Chooses an agent for `item`. Pure; never picks an ineligible agent.
// `round_robin_cursor` is the id of the agent the queue last assigned to (kRoundRobin only).
RoutingDecision ChooseAgent(const WorkItem& item, std::span<const RoutingAgent> agents, const QueueConfig& config,
                            std::optional<AgentId> round_robin_cursor = std::nullopt);

// Fairness: waiting raises an item by one priority level per `step_ms`, so a low-priority
// item waiting 3 steps ranks with a fresh urgent one and low priority never starves.
struct AgingPolicy {
  std::int64_t step_ms = 10 * 60'000;
};

// The order in which to offer waiting items: highest effective priority first, then the
// longest waiting, then ticket id. Returns indexes into `items`.
std::vector<std::size_t> QueueOrder(std::span<const WorkItem> items, Timestamp now, const AgingPolicy& aging);

struct Assignment {
  std::size_t item_idx = 0;
  std::size_t agent_idx = 0;
};

// Offers every waiting item in queue order and assigns what can be assigned, updating the
// agents' load (and last_assigned_at) in place. Items left unassigned stay waiting.
// `round_robin_cursor` is read and advanced.
std::vector<Assignment> RouteQueue(std::span<const WorkItem> items, std::span<RoutingAgent> agents,
                                   const QueueConfig& config, const AgingPolicy& aging, Timestamp now,
                                   std::optional<AgentId>& round_robin_cursor);

}  // namespace kizuna
