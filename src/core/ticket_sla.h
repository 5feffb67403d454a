// A ticket's service level as of its last change: the policy that applies and, per target,
// its state and due time. Written by the SLA service in the transaction of each ticket change.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"

namespace kizuna {

struct TicketSlaTarget {
  std::string metric;  // first_reply, next_reply, periodic_update, resolution
  std::string state;   // inactive, running, paused, fulfilled
  std::optional<Timestamp> due_at;       // while running: when it breaches if nothing happens
  bool breached = false;                 // its current (or last) cycle missed the target
  std::optional<Timestamp> breached_at;  // when it did
  // While running and not breached: when the warning falls due (at or before now once it has).
  std::optional<Timestamp> warning_at;
  int cycle = 0;            // cycles started so far; each wait for a reply is one
  int warned_cycle = 0;     // the last cycle whose warning was given
  int escalated_cycle = 0;  // the last cycle whose breach was escalated
  friend bool operator==(const TicketSlaTarget&, const TicketSlaTarget&) = default;

  // Breached as seen at `now`: also when it is still running past its due time, which the
  // stored flag only shows after the ticket's next change.
  bool BreachedAt(Timestamp now) const { return breached || (state == "running" && due_at && *due_at < now); }
};

struct TicketSla {
  std::int64_t policy_id = 0;
  std::optional<Timestamp> next_due_at;  // the earliest due_at of the running targets
  std::vector<TicketSlaTarget> targets;  // in the policy's order
  friend bool operator==(const TicketSla&, const TicketSla&) = default;

  // When the SLA timer must next look at the ticket: the earliest warning not yet given or
  // breach not yet escalated among the running targets. nullopt: nothing to wait for.
  std::optional<Timestamp> AlarmAt() const {
    std::optional<Timestamp> alarm;
    auto consider = [&](const std::optional<Timestamp>& at) {
      if (at && (!alarm || *at < *alarm)) alarm = at;
    };
    for (const auto& target : targets) {
      if (target.state != "running") continue;
      if (target.warned_cycle < target.cycle && !target.breached) consider(target.warning_at);
      if (target.escalated_cycle < target.cycle) consider(target.due_at);
    }
    return alarm;
  }
};

// The stored text of a ticket's targets (tickets.sla_targets): a JSON array with one array
// per target, its fields in a fixed order (metric, state, due_at, breached, breached_at,
// warning_at, cycle, warned_cycle, escalated_cycle), e.g.
//   [["first_reply","running",1780880400050,0,null,1780878600050,1,0,0],...]
// Every SLA refresh and re-evaluation writes it and it is most of a ticket row, so it is
// positional (a third of the size of objects with named keys) and written by hand. The
// store reads it (and the named-key objects of rows written before).
std::string EncodeSlaTargets(const std::vector<TicketSlaTarget>& targets);

// The sort value of "no due time": after every real instant, so those tickets come last.
inline constexpr Timestamp kNoDueTime = std::numeric_limits<Timestamp>::max();

}  // namespace kizuna
