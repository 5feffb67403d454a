#include "engines/sla.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace kizuna {
namespace {

template <typename T>
bool AnyOrContains(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <typename T>
bool AnyOrContainsOptional(const std::vector<T>& allowed, const std::optional<T>& value) {
  return allowed.empty() || (value && std::find(allowed.begin(), allowed.end(), *value) != allowed.end());
}

bool Matches(const SlaConditions& conditions, const SlaSubject& subject) {
  if (!AnyOrContains(conditions.priorities, subject.priority)) return false;
  if (!AnyOrContains(conditions.channels, subject.channel)) return false;
  if (!AnyOrContainsOptional(conditions.organisation_ids, subject.organisation_id)) return false;
  if (!AnyOrContains(conditions.customer_tiers, subject.customer_tier)) return false;
  if (!AnyOrContainsOptional(conditions.team_ids, subject.team_id)) return false;
  for (const std::string& tag : conditions.tags) {
    if (std::find(subject.tags.begin(), subject.tags.end(), tag) == subject.tags.end()) return false;
  }
  return true;
}

// One target's clock while the history is replayed. A cycle is one measured wait (the first
// reply, one customer message awaiting an answer, …); it runs in segments between pauses.
class TargetClock {
 public:
  TargetClock(const SlaTarget& target, const BusinessCalendar& calendar)
      : target_(target), calendar_(calendar), target_ms_(target.minutes * kMinuteMs) {}

  SlaMetric metric() const { return target_.metric; }
  bool cycle_open() const { return cycle_open_; }

  void StartCycle() {
    cycle_open_ = true;
    elapsed_ = 0;
    breached_at_.reset();
    ++cycles_;
  }
  // Ends the open cycle (its running segment must already be closed by Sync).
  void EndCycle(bool fulfilled) {
    if (!cycle_open_) return;
    cycle_open_ = false;
    if (breached_at_) ++breached_cycles_;
    ended_state_ = fulfilled ? SlaTargetState::kFulfilled : SlaTargetState::kInactive;
  }

  // Starts or stops the running segment so that it runs exactly when `should_run`.
  Status Sync(bool should_run, Timestamp at) {
    should_run = should_run && cycle_open_;
    if (running_ && !should_run) {
      KZ_ASSIGN(DurationMs segment, Measure(segment_start_, at));
      if (!breached_at_ && elapsed_ + segment > target_ms_) {
        KZ_ASSIGN(Timestamp due, Locate(segment_start_, target_ms_ - elapsed_));
        breached_at_ = due;
      }
      elapsed_ += segment;
      running_ = false;
    } else if (!running_ && should_run) {
      running_ = true;
      segment_start_ = at;
    }
    return Ok();
  }

  // The status at `now`. `stopped_state` is what an open but stopped cycle shows.
  Result<SlaTargetStatus> StatusAt(Timestamp now, SlaTargetState stopped_state, double warning_fraction) const {
    SlaTargetStatus status;
    status.metric = target_.metric;
    status.clock = target_.clock;
    status.target = target_ms_;
    status.cycles = cycles_;
    status.breached_cycles = breached_cycles_;
    status.elapsed = elapsed_;
    status.breached_at = breached_at_;
    if (!cycle_open_) {
      status.state = cycles_ == 0 ? SlaTargetState::kInactive : ended_state_;
    } else if (running_) {
      status.state = SlaTargetState::kRunning;
      if (breached_at_) {
        status.due_at = breached_at_;
      } else {
        KZ_ASSIGN(Timestamp due, Locate(segment_start_, target_ms_ - elapsed_));
        status.due_at = due;
        if (now > due) status.breached_at = due;
      }
      KZ_ASSIGN(DurationMs segment, Measure(segment_start_, now));
      status.elapsed += segment;
      if (!breached_at_ && status.breached_at) ++status.breached_cycles;
      if (!status.breached_at) {
        const auto warn_ms = static_cast<DurationMs>(std::ceil(warning_fraction * static_cast<double>(target_ms_)));
        KZ_ASSIGN(Timestamp warn_at, Locate(segment_start_, std::max<DurationMs>(0, warn_ms - elapsed_)));
        status.warning_at = warn_at;
      }
    } else {
      status.state = stopped_state;
    }
    status.breached = status.breached_at.has_value();
    status.remaining = target_ms_ - status.elapsed;
    const bool counting = status.state == SlaTargetState::kRunning || status.state == SlaTargetState::kPaused;
    status.warning = counting && !status.breached &&
                     static_cast<double>(status.elapsed) >= warning_fraction * static_cast<double>(target_ms_);
    return status;
  }

 private:
  Result<DurationMs> Measure(Timestamp from, Timestamp to) const {
    if (target_.clock == SlaClock::kCalendar) return to - from;
    return calendar_.BusinessTimeBetween(from, to);
  }
  Result<Timestamp> Locate(Timestamp from, DurationMs amount) const {
    if (target_.clock == SlaClock::kCalendar) return from + amount;
    return calendar_.AddBusinessTime(from, amount);
  }

  const SlaTarget& target_;
  const BusinessCalendar& calendar_;
  DurationMs target_ms_;
  bool cycle_open_ = false;
  bool running_ = false;
  Timestamp segment_start_ = 0;
  DurationMs elapsed_ = 0;  // closed segments of the open (or last) cycle
  std::optional<Timestamp> breached_at_;
  int cycles_ = 0;
  int breached_cycles_ = 0;
  SlaTargetState ended_state_ = SlaTargetState::kInactive;
};

Status ValidateHistory(std::span<const SlaEvent> history, Timestamp now) {
  if (history.empty() || history.front().kind != SlaEventKind::kCreated) {
    return Error::Invalid("history", "must start with the ticket's creation");
  }
  for (std::size_t event_idx = 0; event_idx < history.size(); ++event_idx) {
    const SlaEvent& event = history[event_idx];
    if (event_idx > 0 && event.kind == SlaEventKind::kCreated) return Error::Invalid("history", "created twice");
    if (event_idx > 0 && event.at < history[event_idx - 1].at) return Error::Invalid("history", "not in time order");
    if (event.at > now) return Error::Invalid("history", "an event after now");
  }
  return Ok();
}

}  // namespace

const char* SlaMetricName(SlaMetric metric) {
  switch (metric) {
    case SlaMetric::kFirstReply: return "first_reply";
    case SlaMetric::kNextReply: return "next_reply";
    case SlaMetric::kPeriodicUpdate: return "periodic_update";
    case SlaMetric::kResolution: return "resolution";
  }
  return "unknown";
}

SlaSubject SubjectOf(const Ticket& ticket, std::optional<OrganisationId> organisation_id, std::string customer_tier) {
  return SlaSubject{ticket.priority, ticket.channel, ticket.tags, organisation_id, std::move(customer_tier),
                    ticket.team_id};
}

const SlaPolicy* MatchPolicy(std::span<const SlaPolicy> policies, const SlaSubject& subject) {
  for (const SlaPolicy& policy : policies) {
    if (Matches(policy.conditions, subject)) return &policy;
  }
  return nullptr;
}

Status ValidatePolicy(const SlaPolicy& policy) {
  std::array<bool, 4> seen{};
  for (const SlaTarget& target : policy.targets) {
    // Ten years of minutes: beyond that a target is a typo, and the calendar horizon applies.
    if (target.minutes <= 0 || target.minutes > 10LL * 366 * 1440) {
      return Error::Invalid("targets", "a target must be between 1 minute and 10 years");
    }
    auto& slot = seen[static_cast<std::size_t>(target.metric)];
    if (slot) return Error::Invalid("targets", std::string("two targets for ") + SlaMetricName(target.metric));
    slot = true;
  }
  return Ok();
}

Result<SlaDecision> EvaluatePolicy(const SlaPolicy& policy, const BusinessCalendar& calendar,
                                   std::span<const SlaEvent> history, Timestamp now, const SlaOptions& options) {
  if (!(options.warning_fraction > 0.0 && options.warning_fraction <= 1.0)) {
    return Error::Invalid("warning_fraction", "must be in (0, 1]");
  }
  KZ_TRY(ValidatePolicy(policy));
  KZ_TRY(ValidateHistory(history, now));

  std::vector<TargetClock> clocks;
  clocks.reserve(policy.targets.size());
  for (const SlaTarget& target : policy.targets) clocks.emplace_back(target, calendar);

  bool paused = false;
  bool solved = false;
  bool replied = false;  // a public agent reply has been sent
  auto for_metric = [&](SlaMetric metric, auto&& action) {
    for (TargetClock& clock : clocks) {
      if (clock.metric() == metric) action(clock);
    }
  };

  for (const SlaEvent& event : history) {
    switch (event.kind) {
      case SlaEventKind::kCreated:
        for_metric(SlaMetric::kFirstReply, [](TargetClock& clock) { clock.StartCycle(); });
        for_metric(SlaMetric::kResolution, [](TargetClock& clock) { clock.StartCycle(); });
        break;
      case SlaEventKind::kAgentReply:
        // The reply ends waits first (their segments close at the reply), then restarts the
        // periodic update; stopping before ending keeps the segment accounting in one place.
        for (TargetClock& clock : clocks) {
          const SlaMetric metric = clock.metric();
          if (metric == SlaMetric::kFirstReply || metric == SlaMetric::kNextReply ||
              metric == SlaMetric::kPeriodicUpdate) {
            KZ_TRY(clock.Sync(false, event.at));
            clock.EndCycle(/*fulfilled=*/true);
          }
        }
        replied = true;
        if (!solved) for_metric(SlaMetric::kPeriodicUpdate, [](TargetClock& clock) { clock.StartCycle(); });
        break;
      case SlaEventKind::kCustomerReply:
        paused = false;
        if (replied && !solved) {
          for_metric(SlaMetric::kNextReply, [](TargetClock& clock) {
            if (!clock.cycle_open()) clock.StartCycle();
          });
        }
        break;
      case SlaEventKind::kStatusChanged:
        switch (event.status) {
          case TicketStatus::kPending:
          case TicketStatus::kOnHold:
            paused = true;
            solved = false;
            break;
          case TicketStatus::kNew:
          case TicketStatus::kOpen:
            paused = false;
            solved = false;
            break;
          case TicketStatus::kSolved:
          case TicketStatus::kClosed:
            paused = false;
            solved = true;
            for (TargetClock& clock : clocks) {
              if (clock.metric() == SlaMetric::kNextReply || clock.metric() == SlaMetric::kPeriodicUpdate) {
                KZ_TRY(clock.Sync(false, event.at));
                clock.EndCycle(/*fulfilled=*/false);
              }
            }
            break;
        }
        break;
    }
    for (TargetClock& clock : clocks) KZ_TRY(clock.Sync(!paused && !solved, event.at));
  }

  SlaDecision decision;
  decision.kind = SlaDecision::Kind::kApplied;
  decision.policy_id = policy.id;
  decision.targets.reserve(clocks.size());
  for (const TargetClock& clock : clocks) {
    // An open cycle that is not running waits on the customer, or the ticket is solved.
    SlaTargetState stopped = SlaTargetState::kPaused;
    if (solved) stopped = clock.metric() == SlaMetric::kResolution ? SlaTargetState::kFulfilled : SlaTargetState::kInactive;
    KZ_ASSIGN(SlaTargetStatus status, clock.StatusAt(now, stopped, options.warning_fraction));
    if (status.state == SlaTargetState::kRunning && status.due_at &&
        (!decision.next_due_at || *status.due_at < *decision.next_due_at)) {
      decision.next_due_at = status.due_at;
    }
    decision.targets.push_back(std::move(status));
  }
  return decision;
}

namespace {

constexpr std::string_view kStatusLetters = "nophsx";  // in TicketStatus order
constexpr Timestamp kLastStoredTime = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

}  // namespace

std::string EncodeSlaHistory(std::span<const SlaEvent> history) {
  std::string out;
  out.reserve(history.size() * 10 + 8);
  Timestamp last = 0;
  bool first = true;
  for (const SlaEvent& event : history) {
    if (!first) out += ',';
    switch (event.kind) {
      case SlaEventKind::kCreated: out += 'c'; break;
      case SlaEventKind::kAgentReply: out += 'a'; break;
      case SlaEventKind::kCustomerReply: out += 'u'; break;
      case SlaEventKind::kStatusChanged:
        out += 's';
        out += kStatusLetters[static_cast<std::size_t>(event.status)];
        break;
    }
    out += std::to_string(first ? event.at : event.at - last);
    last = event.at;
    first = false;
  }
  return out;
}

Result<std::vector<SlaEvent>> DecodeSlaHistory(std::string_view text) {
  std::vector<SlaEvent> history;
  std::size_t pos = 0;
  Timestamp last = 0;
  while (pos < text.size()) {
    if (!history.empty() && text[pos++] != ',') return Error::Invalid("history", "entries are separated by ','");
    if (pos >= text.size()) return Error::Invalid("history", "an empty entry");
    SlaEvent event;
    switch (text[pos++]) {
      case 'c': event.kind = SlaEventKind::kCreated; break;
      case 'a': event.kind = SlaEventKind::kAgentReply; break;
      case 'u': event.kind = SlaEventKind::kCustomerReply; break;
      case 's': {
        const std::size_t letter = pos < text.size() ? kStatusLetters.find(text[pos++]) : std::string_view::npos;
        if (letter == std::string_view::npos) return Error::Invalid("history", "an unknown status");
        event.kind = SlaEventKind::kStatusChanged;
        event.status = static_cast<TicketStatus>(letter);
        break;
      }
      default: return Error::Invalid("history", "an unknown kind of event");
    }
    const std::size_t digits_from = pos;
    Timestamp value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      value = value * 10 + (text[pos++] - '0');
      if (value > kLastStoredTime) return Error::Invalid("history", "a time out of range");
    }
    if (pos == digits_from || pos - digits_from > 15) return Error::Invalid("history", "an entry without its time");
    if ((event.kind == SlaEventKind::kCreated) != history.empty()) {
      return Error::Invalid("history", "the creation comes first, once");
    }
    event.at = history.empty() ? value : last + value;
    if (event.at > kLastStoredTime) return Error::Invalid("history", "a time out of range");
    last = event.at;
    history.push_back(event);
  }
  if (history.empty()) return Error::Invalid("history", "no creation");
  return history;
}

Result<SlaDecision> EvaluateSla(std::span<const SlaPolicy> policies, const SlaSubject& subject,
                                const BusinessCalendar& calendar, std::span<const SlaEvent> history, Timestamp now,
                                const SlaOptions& options) {
  const SlaPolicy* policy = MatchPolicy(policies, subject);
  if (policy == nullptr) return SlaDecision{};
  return EvaluatePolicy(*policy, calendar, history, now, options);
}

}  // namespace kizuna
