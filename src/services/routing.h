// The routing pass (C4): hands each routing team's waiting tickets to its free online members
// and moves tickets that waited too long to the overflow team; and the worker that runs it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "engines/routing.h"
#include "ports/clock.h"
#include "ports/store.h"

namespace kizuna::services {

struct RoutingReport {
  int teams = 0;       // teams with tickets waiting
  int assigned = 0;    // tickets given to an agent
  int overflowed = 0;  // tickets moved to an overflow team
  int adopted = 0;     // tickets without a team moved to their workspace's default team
};

struct RoutingOptions {
  AgingPolicy aging;
  int queue_limit = 500;  // tickets looked at per team and pass, longest waiting first
};

// First, in each workspace that names a default team, its unassigned unsolved tickets
// without a team (up to queue_limit, oldest first) join that team (a `ticket.updated` by the
// system each), whether or not the team routes: they are then in its queue and its inbox.
// Then, for each team with routing on (of all workspaces): its unassigned unsolved tickets, in
// queue order (priority raised by waiting, engines/routing.h QueueOrder), go to its active
// online members with the skills the ticket needs and room under their capacity for the
// ticket's kind of work (load: their unsolved assigned tickets), by the team's strategy.
// Each assignment goes through UpdateTicket as the system actor (a `ticket.updated` event).
// Tickets still waiting after the team's overflow_after_minutes move to its overflow team
// (a `ticket.updated` and a `ticket.overflowed` event). Idempotent: a second pass at the same
// time changes nothing. With `only`, the teams of that workspace alone.
Result<RoutingReport> RouteQueues(ports::WriteTx& tx, Timestamp now, const RoutingOptions& options = {},
                                  std::optional<WorkspaceId> only = std::nullopt);

struct RoutingWorkerOptions {
  std::int64_t interval_ms = 1'000;
  RoutingOptions routing;
};

// Runs RouteQueues every interval in a background thread until stopped: one write
// transaction per workspace in which a ticket without a team waits for the default team, or
// a routing team has a ticket waiting and an online member or an overflow due (found by a
// read first), so one workspace's failure does not
// stop routing in the others.
class RoutingWorker {
 public:
  RoutingWorker(ports::Store& store, const ports::Clock& clock, RoutingWorkerOptions options = {});
  ~RoutingWorker();  // stops and joins
  void Start();
  void Stop();
  // Runs one pass now, on the caller's thread (tests, and the worker's loop). The first
  // error of a workspace's pass, after the other workspaces were routed.
  Result<RoutingReport> RunOnce();

 private:
  void Loop();
  ports::Store& store_;
  const ports::Clock& clock_;
  RoutingWorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kizuna::services
