// Inside the services: a workspace's SLA policies compiled for the engine (cached per node and
// revision), and a ticket's SLA evaluated with them. Shared by the ticket writes (sla.cc), the
// SLA timer and the bulk re-evaluation (sla_timer.cc).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/ticket.h"
#include "engines/calendar.h"
#include "engines/sla.h"
#include "ports/store.h"

namespace kizuna::services {

// What a policy does when a target is about to be missed and when it is missed.
struct SlaEscalations {
  bool warning_notify = true;
  bool breach_notify = true;
  std::optional<Priority> raise_priority;  // high or urgent; never lowers
  std::optional<TeamId> assign_team_id;    // moves the ticket to the team's queue, unassigned
};

// The policies of one workspace at one revision, ready for the engine.
struct CompiledSlas {
  std::int64_t revision = 0;
  std::vector<SlaPolicy> policies;          // in matching order
  std::vector<std::size_t> calendar_of;     // per policy: its index in `calendars`
  std::vector<SlaEscalations> escalations;  // per policy
  std::vector<double> warning_fraction;     // per policy
  std::vector<BusinessCalendar> calendars;  // [0] is 24/7
  bool uses_customer = false;               // some policy looks at the requester's organisation or tier
};

// The workspace's compiled policies; nullptr when it never had any.
Result<std::shared_ptr<const CompiledSlas>> CompiledSlasOf(ports::ReadTx& tx, WorkspaceId ws);

struct SlaOutcome {
  std::optional<TicketSla> sla;  // nullopt: no policy applies
  std::size_t policy_idx = 0;    // into CompiledSlas::policies, when sla is set
  // The ticket's SLA history in its stored form (StoredSlaHistory), when it was read from the
  // ticket's events: to keep with the ticket.
  std::optional<std::string> history;
};

// The engine's history of a ticket's SLA-relevant activity. Times never go backwards.
std::vector<SlaEvent> HistoryOf(const std::vector<ports::TicketActivity>& activity);
// The history of a ticket still at version 1: every change bumps the version, so it has only
// its creation behind it and its events need not be read.
std::vector<SlaEvent> CreationHistory(const Ticket& ticket);
// A history as kept with the ticket: the ticket version it is of, '|', EncodeSlaHistory.
std::string StoredSlaHistory(std::int64_t version, const std::vector<SlaEvent>& history);
// The history kept with a ticket when it is of `version` and reads; nullopt when it is of
// another version (a change since) or unreadable: then the events tell.
std::optional<std::vector<SlaEvent>> KeptSlaHistory(std::string_view stored, std::int64_t version);

// The ticket's SLA history: its creation alone at version 1, else `kept` (the text kept with
// the ticket) when that is of its version and reads, else read from its events, and then
// `to_keep` receives its stored form.
Result<std::vector<SlaEvent>> TicketSlaHistory(ports::ReadTx& tx, const Ticket& ticket,
                                               const std::optional<std::string>& kept,
                                               std::optional<std::string>& to_keep);

// The ticket's SLA now over its `history`, keeping the warnings given and breaches escalated
// recorded on `ticket.sla`.
SlaOutcome EvaluateTicketSla(const CompiledSlas& compiled, const Ticket& ticket,
                             std::optional<OrganisationId> organisation_id, const std::string& customer_tier,
                             std::span<const SlaEvent> history, Timestamp now);

// The same for a ticket as stored: reads the workspace's policies, the requester's
// organisation and tier when a policy looks at them, and the ticket's activity (unless it is
// at version 1), whose history the outcome carries to keep. `used`, when given, receives the
// compiled policies (nullptr: none).
Result<SlaOutcome> EvaluateStoredTicketSla(ports::ReadTx& tx, const Ticket& ticket, Timestamp now,
                                           std::shared_ptr<const CompiledSlas>* used = nullptr);

}  // namespace kizuna::services
