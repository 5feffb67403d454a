#include "services/routing.h"

#include <algorithm>
#include <map>

#include "services/actor.h"
#include "services/events.h"
#include "services/tickets.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::int64_t kMinuteMs = 60'000;

RoutingStrategy StrategyOf(const std::string& name) {
  if (name == "round_robin") return RoutingStrategy::kRoundRobin;
  if (name == "best_skill") return RoutingStrategy::kBestSkill;
  if (name == "owner_first") return RoutingStrategy::kOwnerFirst;
  return RoutingStrategy::kLeastLoaded;
}

// "ja-JP" and "JA" are "ja": skills name languages by their primary subtag.
std::string PrimaryLanguage(std::string_view tag) {
  std::string out;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// The active agents of one workspace as routing sees them, their load kept across its teams.
struct WorkspaceAgents {
  SkillCatalog skills;
  std::vector<RoutingAgent> agents;
  std::map<AgentId, std::size_t> index;
};

Result<WorkspaceAgents> LoadAgents(ports::WriteTx& tx, WorkspaceId ws, Timestamp now) {
  WorkspaceAgents out;
  KZ_ASSIGN(auto agents, tx.ListAgents(ws));
  for (const Agent& agent : agents) {
    if (!agent.active) continue;
    RoutingAgent routing;
    routing.id = agent.id;
    // Online without a recent sign of life counts as away.
    routing.presence = agent.presence == Presence::kOnline && !IsAvailable(agent, now) ? Presence::kAway : agent.presence;
    routing.capacity = {agent.capacity.ticket, agent.capacity.chat, agent.capacity.call};
    for (const auto& [name, level] : agent.skills) routing.SetSkill(out.skills.Intern(name), level);
    out.index[agent.id] = out.agents.size();
    out.agents.push_back(std::move(routing));
  }
  KZ_ASSIGN(auto loads, tx.ListAgentLoads(ws));
  for (const auto& load : loads) {
    auto it = out.index.find(load.agent_id);
    if (it == out.index.end()) continue;
    out.agents[it->second].load[static_cast<int>(WorkKindOfChannel(load.channel))] += load.count;
  }
  return out;
}

WorkItem ItemOf(const ports::RoutingQueueEntry& entry, const Team& team, SkillCatalog& skills) {
  const Ticket& t = entry.ticket;
  WorkItem item;
  item.ticket_id = t.id;
  item.kind = WorkKindOfChannel(t.channel);
  item.priority = t.priority;
  item.enqueued_at = t.queued_at.value_or(t.updated_at);
  for (const auto& [name, level] : team.routing.required_skills) {
    item.required_skills.push_back(RequiredSkill{skills.Intern(name), level});
  }
  if (team.routing.match_language) {
    if (auto language = PrimaryLanguage(entry.requester_language); !language.empty()) {
      item.required_skills.push_back(RequiredSkill{skills.Intern("lang:" + language), 1});
    }
  }
  item.account_owner_id = entry.account_owner_id;
  item.last_agent_id = entry.last_agent_id;
  return item;
}

Status RouteTeam(ports::WriteTx& tx, Team& team, std::optional<WorkspaceAgents>& workspace, Timestamp now,
                 const RoutingOptions& options, RoutingReport& report) {
  const WorkspaceId ws = team.workspace_id;
  KZ_ASSIGN(auto queue, tx.ListRoutingQueue(ws, team.id, options.queue_limit));
  if (queue.empty()) return Ok();
  ++report.teams;
  if (!workspace) {
    KZ_ASSIGN(auto loaded, LoadAgents(tx, ws, now));
    workspace = std::move(loaded);
  }
  std::vector<RoutingAgent> members;
  for (AgentId id : team.member_ids) {
    auto it = workspace->index.find(id);
    if (it != workspace->index.end()) members.push_back(workspace->agents[it->second]);
  }
  std::vector<WorkItem> items;
  items.reserve(queue.size());
  for (const auto& entry : queue) items.push_back(ItemOf(entry, team, workspace->skills));

  QueueConfig config;
  config.strategy = StrategyOf(team.routing.strategy);
  std::optional<AgentId> cursor = team.routing.round_robin_cursor;
  const auto assignments = RouteQueue(items, members, config, options.aging, now, cursor);

  const Actor system = Actor::System(ws);
  std::vector<bool> assigned(queue.size(), false);
  for (const Assignment& assignment : assignments) {
    const Ticket& ticket = queue[assignment.item_idx].ticket;
    UpdateTicketInput change;
    change.assignee_id = Patch<AgentId>{true, members[assignment.agent_idx].id};
    change.expected_version = ticket.version;
    KZ_TRY(UpdateTicket(tx, system, ticket.id, change, now));
    assigned[assignment.item_idx] = true;
    ++report.assigned;
  }
  // The members' new load counts in the workspace's other teams too.
  for (const RoutingAgent& member : members) workspace->agents[workspace->index[member.id]] = member;
  if (cursor != team.routing.round_robin_cursor) {
    team.routing.round_robin_cursor = cursor;
    KZ_TRY(tx.UpdateTeam(team));
  }

  const auto& overflow_team = team.routing.overflow_team_id;
  const auto& after_minutes = team.routing.overflow_after_minutes;
  if (!overflow_team || !after_minutes || *overflow_team == team.id) return Ok();
  for (std::size_t item_idx = 0; item_idx < queue.size(); ++item_idx) {
    if (assigned[item_idx]) continue;
    const Ticket& ticket = queue[item_idx].ticket;
    const Timestamp waited = now - ticket.queued_at.value_or(ticket.updated_at);
    if (waited < *after_minutes * kMinuteMs) continue;
    UpdateTicketInput change;
    change.team_id = Patch<TeamId>{true, *overflow_team};
    change.expected_version = ticket.version;
    auto moved = UpdateTicket(tx, system, ticket.id, change, now);
    if (!moved.ok()) {
      // The overflow team is gone: leave the ticket waiting rather than stop all routing.
      if (moved.error().code == ErrorCode::kInvalidArgument) continue;
      return moved.error();
    }
    KZ_TRY(RecordEvent(tx, system, ticket.id, "ticket.overflowed",
                       json{{"number", ticket.number},
                            {"from_team_id", team.id},
                            {"to_team_id", *overflow_team},
                            {"waited_ms", waited}},
                       now));
    ++report.overflowed;
  }
  return Ok();
}

// Tickets without a team join the workspace's default team, as if they had named it: a
// `ticket.updated` by the system, and from then on they wait in that team's queue.
Status AdoptTeamless(ports::WriteTx& tx, const ports::DefaultTeam& target, Timestamp now, const RoutingOptions& options,
                     RoutingReport& report) {
  KZ_ASSIGN(auto waiting, tx.ListTeamlessWaiting(target.workspace_id, options.queue_limit));
  const Actor system = Actor::System(target.workspace_id);
  for (const Ticket& ticket : waiting) {
    UpdateTicketInput change;
    change.team_id = Patch<TeamId>{true, target.team_id};
    change.expected_version = ticket.version;
    auto moved = UpdateTicket(tx, system, ticket.id, change, now);
    if (!moved.ok()) {
      // The default team is gone: the tickets wait, unassigned, as they would without one.
      if (moved.error().code == ErrorCode::kInvalidArgument) return Ok();
      return moved.error();
    }
    ++report.adopted;
  }
  return Ok();
}

// The workspaces in which a pass at `now` may change anything: a ticket without a team waits
// and the workspace names a default team, or a routing team has a ticket waiting and either
// an active member online or an overflow due (its oldest ticket waited long enough).
Result<std::vector<WorkspaceId>> WorkspacesToRoute(ports::ReadTx& tx, Timestamp now) {
  std::vector<WorkspaceId> adopting;
  KZ_ASSIGN(auto defaults, tx.ListDefaultTeams());
  for (const ports::DefaultTeam& target : defaults) {
    KZ_ASSIGN(auto waiting, tx.ListTeamlessWaiting(target.workspace_id, 1));
    if (!waiting.empty()) adopting.push_back(target.workspace_id);
  }
  KZ_ASSIGN(auto teams, tx.ListRoutingTeams());
  std::vector<WorkspaceId> out;
  WorkspaceId loaded_ws = 0;
  std::map<AgentId, bool> online;  // of `loaded_ws`: active and online
  for (const Team& team : teams) {
    if (!out.empty() && out.back() == team.workspace_id) continue;  // teams come by workspace
    KZ_ASSIGN(auto waiting, tx.ListRoutingQueue(team.workspace_id, team.id, 1));
    if (waiting.empty()) continue;
    const Ticket& oldest = waiting.front().ticket;
    const auto& after = team.routing.overflow_after_minutes;
    if (team.routing.overflow_team_id && after && now - oldest.queued_at.value_or(oldest.updated_at) >= *after * kMinuteMs) {
      out.push_back(team.workspace_id);
      continue;
    }
    if (team.workspace_id != loaded_ws) {
      KZ_ASSIGN(auto agents, tx.ListAgents(team.workspace_id));
      online.clear();
      for (const Agent& agent : agents) online[agent.id] = IsAvailable(agent, now);
      loaded_ws = team.workspace_id;
    }
    for (AgentId id : team.member_ids) {
      if (online[id]) {
        out.push_back(team.workspace_id);
        break;
      }
    }
  }
  for (WorkspaceId ws : adopting) {
    if (std::find(out.begin(), out.end(), ws) == out.end()) out.push_back(ws);
  }
  return out;
}

}  // namespace

Result<RoutingReport> RouteQueues(ports::WriteTx& tx, Timestamp now, const RoutingOptions& options,
                                  std::optional<WorkspaceId> only) {
  RoutingReport report;
  KZ_ASSIGN(auto defaults, tx.ListDefaultTeams());
  for (const ports::DefaultTeam& target : defaults) {
    if (only && target.workspace_id != *only) continue;
    KZ_TRY(AdoptTeamless(tx, target, now, options, report));
  }
  KZ_ASSIGN(auto teams, tx.ListRoutingTeams());
  std::optional<WorkspaceAgents> workspace;
  WorkspaceId current = 0;
  for (Team& team : teams) {
    if (only && team.workspace_id != *only) continue;
    if (team.workspace_id != current) {
      workspace.reset();
      current = team.workspace_id;
    }
    KZ_TRY(RouteTeam(tx, team, workspace, now, options, report));
  }
  return report;
}

RoutingWorker::RoutingWorker(ports::Store& store, const ports::Clock& clock, RoutingWorkerOptions options)
    : store_(store), clock_(clock), options_(options) {}

RoutingWorker::~RoutingWorker() { Stop(); }

void RoutingWorker::Start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void RoutingWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<RoutingReport> RoutingWorker::RunOnce() {
  // Most of the time there is nothing to do: look first, and take the writer only when work waits.
  std::vector<WorkspaceId> workspaces;
  KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(workspaces, WorkspacesToRoute(tx, clock_.Now()));
    return Ok();
  }));
  // One transaction per workspace: a workspace whose pass fails does not hold up the others.
  RoutingReport total;
  std::optional<Error> first_error;
  for (WorkspaceId ws : workspaces) {
    RoutingReport report;
    Status ran = store_.WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(report, RouteQueues(tx, clock_.Now(), options_.routing, ws));
      return Ok();
    });
    if (!ran.ok()) {
      if (!first_error) first_error = ran.error();
      continue;
    }
    total.teams += report.teams;
    total.assigned += report.assigned;
    total.overflowed += report.overflowed;
    total.adopted += report.adopted;
  }
  if (first_error) return *first_error;
  return total;
}

void RoutingWorker::Loop() {
  for (;;) {
    // A failed pass (the store busy or down) is simply tried again at the next interval.
    (void)RunOnce();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms), [this] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace kizuna::services
