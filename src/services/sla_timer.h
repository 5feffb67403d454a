// The SLA timer (C1, C2): gives each warning before a target is missed and escalates each
// breach (notify, raise the priority, move to a team), and re-evaluates the open tickets
// after their calendars or policies change. Its work list lives in the database (each
// ticket's SLA alarm, each workspace's re-evaluation progress), so it survives restarts, and
// is claimed in write transactions, so several nodes never do the same work twice.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "ports/clock.h"
#include "ports/store.h"

namespace kizuna::services {

struct SlaAlarmReport {
  int tickets = 0;    // tickets whose alarm was due
  int warnings = 0;   // sla.warning events recorded
  int breaches = 0;   // sla.breached events recorded (and escalated)
  int notices = 0;    // emails queued to agents
};

// Handles up to `limit` due alarms in this transaction: for each running target whose
// warning time has come (once per cycle) records `sla.warning` and notifies; for each whose
// due time has passed (once per cycle) records `sla.breached`, notifies and applies the
// policy's escalation (raise the priority, move to a team). Then moves the alarm on.
Result<SlaAlarmReport> RunSlaAlarms(ports::WriteTx& tx, Timestamp now, int limit);

struct ReevaluationReport {
  int workspaces = 0;  // workspaces whose re-evaluation moved on
  int tickets = 0;     // unsolved tickets evaluated
  int changed = 0;     // of which the SLA changed
  bool finished = false;  // nothing left to re-evaluate
};

// Re-evaluates the unsolved tickets of workspaces whose calendars or policies changed, in
// write transactions of `batch` tickets, recording progress with each, for at most
// `max_batches` batches (0: until done).
Result<ReevaluationReport> ReevaluateSlas(ports::Store& store, Timestamp now, int batch, int max_batches = 0);

struct SlaTimerOptions {
  std::int64_t interval_ms = 1'000;  // how often it looks
  int alarms_per_round = 200;
  int reevaluation_batch = 5'000;
};

// Runs RunSlaAlarms and ReevaluateSlas in a background thread until stopped.
class SlaTimer {
 public:
  SlaTimer(ports::Store& store, const ports::Clock& clock, SlaTimerOptions options = {});
  ~SlaTimer();  // stops and joins
  void Start();
  void Stop();

 private:
  void Loop();
  ports::Store& store_;
  const ports::Clock& clock_;
  SlaTimerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kizuna::services
