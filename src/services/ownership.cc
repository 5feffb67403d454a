#include "services/ownership.h"

namespace kizuna::services {
namespace {

constexpr std::size_t kMaxAgentPath = 200;

bool IsDone(TicketStatus status) { return status == TicketStatus::kSolved || status == TicketStatus::kClosed; }

bool IsWaiting(const Ticket& t) { return t.team_id && !t.assignee_id && IsUnsolved(t.status); }

}  // namespace

void TrackOwnership(const Ticket* before, Ticket& after, Timestamp now) {
  if (after.assignee_id && (after.agent_path.empty() || after.agent_path.back() != *after.assignee_id)) {
    if (!after.agent_path.empty()) ++after.handoffs;
    after.agent_path.push_back(*after.assignee_id);
    // Bounded, so that a ticket passed back and forth by a script cannot grow without end.
    if (after.agent_path.size() > kMaxAgentPath) {
      after.agent_path.erase(after.agent_path.begin(),
                             after.agent_path.end() - static_cast<std::ptrdiff_t>(kMaxAgentPath));
    }
  }
  const bool was_done = before && IsDone(before->status);
  if (was_done && IsUnsolved(after.status)) {
    after.first_contact_resolved = false;
  } else if (!was_done && IsDone(after.status) && !after.first_contact_resolved) {
    after.first_contact_resolved = after.handoffs == 0;
  }
  if (!IsWaiting(after)) {
    after.queued_at.reset();
  } else if (!before || !IsWaiting(*before) || before->team_id != after.team_id || !after.queued_at) {
    after.queued_at = now;
  }
}

}  // namespace kizuna::services
