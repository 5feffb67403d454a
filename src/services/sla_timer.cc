#include "services/sla_timer.h"

#include <algorithm>
#include <chrono>
#include <deque>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "services/events.h"
#include "services/sla_compiled.h"
#include "services/tickets.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

enum class Stage { kWarning, kBreach };

struct Fired {
  Stage stage;
  std::string metric;
  Timestamp due_at;
};

// Who hears of a warning or breach: the assignee, else the workspace's supervisors and admins.
Result<std::vector<AgentId>> AlertRecipients(ports::WriteTx& tx, const Ticket& ticket) {
  if (ticket.assignee_id) {
    auto assignee = tx.GetAgent(ticket.workspace_id, *ticket.assignee_id);
    if (assignee.ok() && assignee->active) return std::vector<AgentId>{assignee->id};
  }
  KZ_ASSIGN(auto agents, tx.ListAgents(ticket.workspace_id));
  std::vector<AgentId> out;
  for (const Agent& agent : agents) {
    if (agent.active && agent.role != Role::kAgent) out.push_back(agent.id);
  }
  return out;
}

Status Notify(ports::WriteTx& tx, const Ticket& ticket, const Fired& fired, SlaAlarmReport& report) {
  KZ_ASSIGN(auto recipients, AlertRecipients(tx, ticket));
  for (AgentId agent : recipients) {
    ports::OutboxJob job;
    job.workspace_id = ticket.workspace_id;
    job.kind = "email";
    job.payload = json{{"template", "sla_alert"},
                       {"ticket_id", ticket.id},
                       {"agent_id", agent},
                       {"metric", fired.metric},
                       {"stage", fired.stage == Stage::kBreach ? "breach" : "warning"},
                       {"due_at", fired.due_at}}
                      .dump();
    job.run_after = 0;
    KZ_TRY(tx.EnqueueOutbox(job));
    ++report.notices;
  }
  return Ok();
}

// The breach's escalation as a change to the ticket by the system; nothing when it changes nothing.
std::optional<UpdateTicketInput> EscalationOf(const SlaEscalations& escalations, const Ticket& ticket) {
  UpdateTicketInput change;
  bool any = false;
  if (escalations.raise_priority && *escalations.raise_priority > ticket.priority) {
    change.priority = PriorityName(*escalations.raise_priority);
    any = true;
  }
  if (escalations.assign_team_id && ticket.team_id != escalations.assign_team_id) {
    change.team_id = Patch<TeamId>{true, escalations.assign_team_id};
    change.assignee_id = Patch<AgentId>{true, std::nullopt};
    any = true;
  }
  if (!any) return std::nullopt;
  return change;
}

Status HandleAlarm(ports::WriteTx& tx, const ports::SlaAlarm& alarm, Timestamp now, SlaAlarmReport& report) {
  auto found = tx.GetTicket(alarm.workspace_id, alarm.ticket_id);
  if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? Ok() : Status(found.error());
  Ticket ticket = std::move(*found);
  std::shared_ptr<const CompiledSlas> compiled;
  KZ_ASSIGN(SlaOutcome outcome, EvaluateStoredTicketSla(tx, ticket, now, &compiled));
  ++report.tickets;
  std::vector<Fired> fired;
  if (outcome.sla) {
    for (TicketSlaTarget& target : outcome.sla->targets) {
      if (target.state != "running") continue;
      const bool past_due = target.due_at && *target.due_at <= now;
      if (past_due && target.escalated_cycle < target.cycle) {
        fired.push_back(Fired{Stage::kBreach, target.metric, *target.due_at});
        target.escalated_cycle = target.cycle;
        target.warned_cycle = target.cycle;  // a warning after the breach says nothing new
      } else if (!past_due && target.warning_at && *target.warning_at <= now && target.warned_cycle < target.cycle) {
        fired.push_back(Fired{Stage::kWarning, target.metric, target.due_at.value_or(now)});
        target.warned_cycle = target.cycle;
      }
    }
  }
  // Moves the alarm on (or clears it) whatever fired, so the ticket is not looked at again
  // before its next alarm.
  KZ_TRY(tx.SaveTicketSla(ticket.workspace_id, ticket.id, outcome.sla, outcome.history));
  ticket.sla = outcome.sla;
  if (fired.empty()) return Ok();

  const Actor system = Actor::System(ticket.workspace_id);
  const SlaEscalations& escalations = compiled->escalations[outcome.policy_idx];
  bool escalate = false;
  for (const Fired& f : fired) {
    const bool breach = f.stage == Stage::kBreach;
    KZ_TRY(RecordEvent(tx, system, ticket.id, breach ? "sla.breached" : "sla.warning",
                       json{{"metric", f.metric}, {"due_at", FormatTimestamp(f.due_at)}, {"number", ticket.number}},
                       now));
    if (breach ? escalations.breach_notify : escalations.warning_notify) KZ_TRY(Notify(tx, ticket, f, report));
    (breach ? report.breaches : report.warnings) += 1;
    escalate = escalate || breach;
  }
  if (!escalate) return Ok();
  auto change = EscalationOf(escalations, ticket);
  if (!change) return Ok();
  // A team deleted since the policy named it: the breach is recorded and notified; the
  // move is left out rather than failing the alarm.
  auto updated = UpdateTicket(tx, system, ticket.id, *change, now);
  if (!updated.ok() && updated.error().code != ErrorCode::kInvalidArgument) return updated.error();
  return Ok();
}

}  // namespace

Result<SlaAlarmReport> RunSlaAlarms(ports::WriteTx& tx, Timestamp now, int limit) {
  SlaAlarmReport report;
  KZ_ASSIGN(auto alarms, tx.ClaimSlaAlarms(now, limit));
  for (const auto& alarm : alarms) KZ_TRY(HandleAlarm(tx, alarm, now, report));
  return report;
}

namespace {

// The writes of a re-evaluation in flight: the next batch is read and evaluated on a reader
// connection while the writer saves the ones before, with one more queued so the writer never
// waits for the reader. Each write records how far the work got only if the one before did
// (SaveSlaReevaluation), so a write that fails fails the one queued after it.
class WritesInFlight {
 public:
  ~WritesInFlight() { (void)WaitBelow(1); }  // the writer's callbacks refer to this
  // Waits until fewer than `n` writes are in flight; the first failure so far.
  Status WaitBelow(int n) {
    std::unique_lock lock(mu_);
    done_.wait(lock, [&] { return in_flight_ < n; });
    return status_;
  }
  int in_flight() {
    std::lock_guard lock(mu_);
    return in_flight_;
  }
  void Queue(ports::Store& store, ports::WriteFn fn) {
    {
      std::lock_guard lock(mu_);
      ++in_flight_;
    }
    store.Write(std::move(fn), [this](Status status) {
      std::lock_guard lock(mu_);
      --in_flight_;
      if (!status.ok() && status_.ok()) status_ = status;
      done_.notify_all();
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  int in_flight_ = 0;
  Status status_ = Ok();
};

struct SlaChange {
  TicketId ticket = 0;
  std::int64_t version = 0;
  ports::SlaAsRead before;
  ports::SlaColumns after;  // encoded here, on the reading thread
  std::optional<std::string> history;  // to keep with the ticket: it had none of its version
};

}  // namespace

Result<ReevaluationReport> ReevaluateSlas(ports::Store& store, Timestamp now, int batch, int max_batches) {
  ReevaluationReport report;
  std::vector<ports::SlaReevaluation> pending;
  KZ_TRY(store.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(pending, tx.ListSlaReevaluations());
    return Ok();
  }));
  // The batches the writer has, oldest first, owned here and freed on this thread once saved:
  // glibc frees memory on the thread that allocated it only under that thread's arena lock,
  // and a writer freeing the reader's strings while the reader allocates the next batch spent
  // a fifth of its time waiting for that lock.
  std::deque<std::vector<SlaChange>> writing;
  WritesInFlight writes;  // declared after `writing`: waited for before it is freed
  int batches = 0;
  for (ports::SlaReevaluation work : pending) {
    bool done = false;
    ++report.workspaces;
    while (!done) {
      if (max_batches > 0 && batches >= max_batches) {
        KZ_TRY(writes.WaitBelow(1));
        return report;
      }
      ++batches;
      std::vector<SlaChange> changes;
      TicketId from_id = 0;
      KZ_TRY(store.Read([&](ports::ReadTx& tx) -> Status {
        // A newer change to the policies starts the work again from the first ticket.
        KZ_ASSIGN(std::int64_t revision, tx.GetSlaRevision(work.workspace_id));
        if (revision != work.revision) {
          work.revision = revision;
          work.after_id = 0;
        }
        from_id = work.after_id;
        KZ_ASSIGN(auto compiled, CompiledSlasOf(tx, work.workspace_id));
        const bool evaluate = compiled && !compiled->policies.empty();
        KZ_ASSIGN(auto items,
                  tx.ListSlaWork(work.workspace_id, work.after_id, batch, evaluate && compiled->uses_customer));
        for (auto& item : items) {
          std::optional<TicketSla> sla;
          std::optional<std::string> to_keep;
          if (evaluate) {
            KZ_ASSIGN(std::vector<SlaEvent> history, TicketSlaHistory(tx, item.ticket, item.history, to_keep));
            sla = EvaluateTicketSla(*compiled, item.ticket, item.organisation_id, item.customer_tier, history, now).sla;
          }
          ++report.tickets;
          if (sla != item.ticket.sla) ++report.changed;
          if (sla != item.ticket.sla || to_keep) {
            changes.push_back(SlaChange{item.ticket.id, item.ticket.version, std::move(item.as_read),
                                        ports::SlaColumns::Of(sla), std::move(to_keep)});
          }
          work.after_id = item.ticket.id;
        }
        done = static_cast<int>(items.size()) < batch;
        return Ok();
      }));
      KZ_TRY(writes.WaitBelow(2));
      // Writes finish in the order they were queued: the batches before those in flight are saved.
      for (int saved = static_cast<int>(writing.size()) - writes.in_flight(); saved > 0; --saved) writing.pop_front();
      writing.push_back(std::move(changes));
      // A ticket written since it was read has had its SLA refreshed by that write: it is
      // left as it is.
      writes.Queue(store, [batch = &writing.back(), work, from_id, done](ports::WriteTx& tx) -> Status {
        for (const SlaChange& change : *batch) {
          KZ_TRY(tx.SaveTicketSlaIfUnchanged(work.workspace_id, change.ticket, change.version, change.before,
                                             change.after, change.history));
        }
        return tx.SaveSlaReevaluation(work.workspace_id, work.revision, from_id, work.after_id, done);
      });
    }
  }
  KZ_TRY(writes.WaitBelow(1));
  report.finished = true;
  return report;
}

SlaTimer::SlaTimer(ports::Store& store, const ports::Clock& clock, SlaTimerOptions options)
    : store_(store), clock_(clock), options_(options) {}

SlaTimer::~SlaTimer() { Stop(); }

void SlaTimer::Start() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void SlaTimer::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SlaTimer::Loop() {
  for (;;) {
    bool busy = false;
    SlaAlarmReport alarms;
    Status ran = store_.WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(alarms, RunSlaAlarms(tx, clock_.Now(), options_.alarms_per_round));
      return Ok();
    });
    busy = ran.ok() && alarms.tickets >= options_.alarms_per_round;
    // A few batches a round, so alarms are never kept waiting behind a long re-evaluation.
    auto reevaluated = ReevaluateSlas(store_, clock_.Now(), options_.reevaluation_batch, 4);
    busy = busy || (reevaluated.ok() && !reevaluated->finished);
    std::unique_lock lock(mutex_);
    if (!busy) wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms), [this] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace kizuna::services
