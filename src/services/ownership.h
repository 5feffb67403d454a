// Ownership of a ticket (C5): one owner at a time, every handoff counted, first-contact
// resolution measured, and when the ticket started waiting in its team's queue (C4).
#pragma once

#include "core/ticket.h"

namespace kizuna::services {

// Brings `after`'s ownership record up to date with the change from `before` (nullptr for a
// new ticket). Call on every ticket change before it is saved.
//  - agent_path: a new assignee who is not the last agent on the path is appended to it
//    (the last 200 are kept);
//  - handoffs: counted when an appended agent is not the first (agent A to agent B, also
//    when the ticket sat unassigned between them); the first assignment is not a handoff;
//  - first_contact_resolved: set when first solved (or closed): true without a handoff;
//    a reopen (solved to an unsolved status) makes it false for good;
//  - queued_at: `now` when the ticket starts waiting, unassigned and unsolved, in a team's
//    queue (kept while it waits in the same team), nullopt when it does not wait.
void TrackOwnership(const Ticket* before, Ticket& after, Timestamp now);

}  // namespace kizuna::services
