// SLA policies and the clocks they start: which policy applies to a ticket, and for each of
// its targets the due time, pause, elapsed and remaining time, warning and breach.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "core/ticket.h"
#include "engines/calendar.h"

namespace kizuna {

enum class SlaMetric {
  kFirstReply,      // created → first public agent reply
  kNextReply,       // a customer reply after an agent reply → the next public agent reply
  kPeriodicUpdate,  // a public agent reply → the next one, while the ticket is unsolved
  kResolution,      // created → solved; resumes from where it was when the ticket reopens
};
const char* SlaMetricName(SlaMetric metric);

enum class SlaClock { kBusiness, kCalendar };

struct SlaTarget {
  SlaMetric metric = SlaMetric::kFirstReply;
  std::int64_t minutes = 0;  // > 0
  SlaClock clock = SlaClock::kBusiness;
};

// Which tickets a policy applies to. An empty list matches anything; a non-empty list matches
// when the ticket's value is in it. `tags` match when the ticket has every one of them.
struct SlaConditions {
  std::vector<Priority> priorities;
  std::vector<std::string> channels;
  std::vector<std::string> tags;
  std::vector<OrganisationId> organisation_ids;
  std::vector<std::string> customer_tiers;
  std::vector<TeamId> team_ids;
};

struct SlaPolicy {
  std::int64_t id = 0;
  std::string name;
  SlaConditions conditions;
  std::vector<SlaTarget> targets;  // at most one per metric
};

// What a policy's conditions look at: the ticket plus its requester's organisation and tier.
struct SlaSubject {
  Priority priority = Priority::kNormal;
  std::string channel;
  std::vector<std::string> tags;  // sorted, as on Ticket
  std::optional<OrganisationId> organisation_id;
  std::string customer_tier;
  std::optional<TeamId> team_id;
};
SlaSubject SubjectOf(const Ticket& ticket, std::optional<OrganisationId> organisation_id, std::string customer_tier);

// One change in a ticket's SLA-relevant history.
enum class SlaEventKind {
  kCreated,        // must come first
  kAgentReply,     // a public agent message (internal notes do not count)
  kCustomerReply,  // resumes paused clocks; on a solved ticket it starts nothing, so a reply
                   // that reopens a ticket comes after the kStatusChanged to open
  kStatusChanged,  // to `status`: pending/on_hold pause, new/open resume, solved/closed stop
};
struct SlaEvent {
  Timestamp at = 0;
  SlaEventKind kind = SlaEventKind::kCreated;
  TicketStatus status = TicketStatus::kOpen;  // for kStatusChanged
  bool operator==(const SlaEvent&) const = default;
};

// A history in a compact text form, to keep with the ticket so that re-evaluating its SLA
// needs no reading of its events: one entry per event, separated by ',', each a letter for
// its kind (c created, a agent reply, u customer reply, s status change followed by the
// status's letter: n new, o open, p pending, h on hold, s solved, x closed) and its time, the
// first in ms since the epoch and each next in ms after the one before:
// "c1780646400000,a1000,u1000,sp60000".
std::string EncodeSlaHistory(std::span<const SlaEvent> history);
// The history EncodeSlaHistory wrote; InvalidArgument for any other text (it must start with
// the creation, at a time from 0 to year 9999, and never go back in time).
Result<std::vector<SlaEvent>> DecodeSlaHistory(std::string_view text);

enum class SlaTargetState {
  kInactive,   // not started (no cycle yet) or stopped by solving before it was met
  kRunning,    // counting now
  kPaused,     // the ticket waits on the customer or a third party
  kFulfilled,  // the last cycle was met (in time or late: see breached)
};

// The state of one target at `now`, for the current cycle (or the last one when none is open).
struct SlaTargetStatus {
  SlaMetric metric = SlaMetric::kFirstReply;
  SlaClock clock = SlaClock::kBusiness;
  DurationMs target = 0;
  SlaTargetState state = SlaTargetState::kInactive;
  std::optional<Timestamp> due_at;       // when running: the instant it breaches if nothing happens
  DurationMs elapsed = 0;                // in the target's clock, excluding paused and solved time
  DurationMs remaining = 0;              // target - elapsed; negative once breached
  bool breached = false;                 // this cycle's elapsed reached the target
  std::optional<Timestamp> breached_at;  // when it did
  bool warning = false;                  // elapsed >= warning fraction of the target, not breached
  // When running and not breached: the instant elapsed reaches the warning fraction (at or
  // before `now` once it has), so a timer can be set for it.
  std::optional<Timestamp> warning_at;
  int cycles = 0;                        // cycles started so far (next reply, periodic update)
  int breached_cycles = 0;               // of which breached
};

struct SlaOptions {
  double warning_fraction = 0.75;  // in (0, 1]
};

// The outcome: either no policy matched (a normal outcome, not an error) or the statuses.
struct SlaDecision {
  enum class Kind { kNoPolicy, kApplied };
  Kind kind = Kind::kNoPolicy;
  std::int64_t policy_id = 0;
  std::vector<SlaTargetStatus> targets;  // in the policy's order
  // The earliest due time among running targets: the inbox sorts by it.
  std::optional<Timestamp> next_due_at;
};

// The first policy, in order, whose conditions match; nullptr when none does.
const SlaPolicy* MatchPolicy(std::span<const SlaPolicy> policies, const SlaSubject& subject);

// Checks a policy when an admin saves it: positive targets, one per metric.
Status ValidatePolicy(const SlaPolicy& policy);

// Evaluates one policy over a ticket's history at `now`. Pure; thread-safe.
// REQUIRES: `history` starts with kCreated and is ordered by `at`; every `at` <= now.
// Fails with InvalidArgument when it does not, or when the calendar cannot place a due time
// (no open hours within its horizon).
Result<SlaDecision> EvaluatePolicy(const SlaPolicy& policy, const BusinessCalendar& calendar,
                                   std::span<const SlaEvent> history, Timestamp now,
                                   const SlaOptions& options = {});

// MatchPolicy then EvaluatePolicy; kNoPolicy when nothing matches.
Result<SlaDecision> EvaluateSla(std::span<const SlaPolicy> policies, const SlaSubject& subject,
                                const BusinessCalendar& calendar, std::span<const SlaEvent> history,
                                Timestamp now, const SlaOptions& options = {});

}  // namespace kizuna
