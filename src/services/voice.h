// Voice (C18): phone calls as a phone system (PBX/CTI connector) reports them. The first
// event of a call, ringing, opens a ticket on channel phone; each event is recorded on that
// ticket's timeline; answering assigns the ticket to the agent who took the call; and the
// waits a caller had on the phone become service measures (call_answer, call_hold) that the
// service standards are applied to (services/standards.h). docs/voice.md is the contract.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/ticket.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

// One event of a call, as the phone system sent it.
//   call_id    the phone system's id of the call, 1 to 200 characters
//   type       ringing (the first event of every call), answered, hold, resumed, ended
//   at         when it happened, by the phone system's clock
//   direction  inbound (default) or outbound; read on ringing
//   from, to   phone numbers; on ringing the customer's number is required (from on an
//              inbound call, to on an outbound one)
//   agent_id   answered: the active agent who took the call (required)
//   team_id    ringing: the team whose queue it rang in (optional)
struct CallEventInput {
  std::string call_id;
  std::string type;
  Timestamp at = 0;
  std::string direction = "inbound";
  std::string from;
  std::string to;
  std::optional<AgentId> agent_id;
  std::optional<TeamId> team_id;
};

// Checks what needs no store: InvalidArgument naming call_id, type, direction, from, to or
// agent_id. Normalises the numbers (digits with a leading +).
Status ValidateCallEvent(CallEventInput& input);

struct CallEventResult {
  ports::StoredCall call;
  bool created = false;   // this event opened the call (and its ticket)
  bool replayed = false;  // the call had this event already: nothing was written
};

// Records one event of a call in the caller's transaction: the call's row, the ticket event
// call.<type>, and on ringing the ticket (channel phone, requester found or created by the
// phone identity); on answered the ticket's assignee (when it has none) through UpdateTicket,
// and the call_answer measure (inbound calls); on resumed, or ended while on hold, a
// call_hold measure; on ended unanswered a missed call_answer measure (inbound calls).
// An event the call had already (same type and at) is a replay: nothing is written.
// Errors, with nothing written:
//   InvalidArgument "at"       more than 5 minutes ahead of `now`, more than 30 days before
//                              it, or before the call's previous event
//   InvalidArgument "type"     an event the call's state does not allow (answered twice,
//                              resumed without hold, anything after ended, ringing again)
//   InvalidArgument "agent_id" no such active agent; "team_id": no such team
//   NotFound "call_id"         the first event of an unknown call is not ringing
//   Conflict "call_id"         another event of the call was taken at the same moment (retry)
// REQUIRES: ValidateCallEvent(input) succeeded.
Result<CallEventResult> RecordCallEvent(ports::WriteTx& tx, const Actor& actor, const CallEventInput& input,
                                        Timestamp now);

// {"id", "call_id", "ticket_id", "direction", "from", "to", "team_id", "state", "agent_id",
//  "rang_at", "answered_at", "ended_at", "hold_ms", "on_hold_since"}
nlohmann::json CallJson(const ports::StoredCall& call);

}  // namespace kizuna::services
