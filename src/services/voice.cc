#include "services/voice.h"

#include <algorithm>
#include <array>

#include "core/customer.h"
#include "core/text.h"
#include "core/time.h"
#include "services/events.h"
#include "services/standards.h"
#include "services/tickets.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCallId = 200;
constexpr std::size_t kMaxNumber = 64;
constexpr Timestamp kMaxAhead = 5 * 60 * 1000;              // the phone system's clock may run a little fast
constexpr Timestamp kMaxAge = 30LL * 24 * 60 * 60 * 1000;  // a connector replaying a backlog
constexpr std::array<const char*, 5> kTypes = {"ringing", "answered", "hold", "resumed", "ended"};

json OptJson(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }

// The customer's number: the caller of an inbound call, the one called on an outbound call.
const std::string& CustomerNumber(const CallEventInput& in) { return in.direction == "inbound" ? in.from : in.to; }

// Whether the call, in its state, may take an event of this type; the message says why not.
Status CheckTransition(const ports::StoredCall& call, const std::string& type) {
  const std::string& state = call.state;
  auto refuse = [&](const std::string& why) {
    return Error::Invalid("type", "call " + call.external_id + " cannot take " + type + ": " + why);
  };
  if (state == "ended") return refuse("it ended already");
  if (type == "ringing") return refuse("it rang already (ringing is only its first event)");
  if (type == "answered" && state != "ringing") return refuse("it was answered already");
  if (type == "hold" && state == "ringing") return refuse("it was not answered yet");
  if (type == "hold" && state == "hold") return refuse("it is on hold already");
  if (type == "resumed" && state != "hold") return refuse("it is not on hold");
  return Ok();
}

// Opens the call's ticket: channel phone, the customer found or created by their number.
Result<Ticket> OpenCallTicket(ports::WriteTx& tx, const Actor& actor, const CallEventInput& in, Timestamp now) {
  const std::string& number = CustomerNumber(in);
  CreateTicketInput ticket;
  ticket.channel = "phone";
  ticket.subject = (in.direction == "inbound" ? "Call from " : "Call to ") + number;
  ticket.body = (in.direction == "inbound" ? "Phone call from " : "Phone call to ") + number + ".";
  ticket.requester.phone = number;
  ticket.team_id = in.team_id;
  KZ_TRY(ValidateCreateTicket(ticket));
  return CreateTicket(tx, actor, ticket, now);
}

Result<CallEventResult> StartCall(ports::WriteTx& tx, const Actor& actor, const CallEventInput& in, Timestamp now) {
  KZ_ASSIGN(Ticket ticket, OpenCallTicket(tx, actor, in, now));
  ports::StoredCall call;
  call.workspace_id = actor.workspace_id;
  call.external_id = in.call_id;
  call.ticket_id = ticket.id;
  call.direction = in.direction;
  // Numbers as identities keep them (digits and +); a short extension stays as sent.
  for (auto [sent, kept] : {std::pair{&in.from, &call.from_number}, std::pair{&in.to, &call.to_number}}) {
    auto identity = NormaliseIdentity("phone", *sent);
    *kept = identity.ok() ? identity->value : *sent;
  }
  call.team_id = in.team_id;
  call.state = "ringing";
  call.rang_at = in.at;
  call.last_event_at = in.at;
  call.created_at = now;
  call.updated_at = now;
  KZ_TRY(tx.InsertCall(call));
  return CallEventResult{call, true, false};
}

}  // namespace

Status ValidateCallEvent(CallEventInput& in) {
  if (in.call_id.empty()) return Error::Invalid("call_id", "give call_id, the phone system's id of the call");
  KZ_ASSIGN(in.call_id, CheckText("call_id", in.call_id, TextRule{.max_code_points = kMaxCallId}));
  if (std::find(kTypes.begin(), kTypes.end(), in.type) == kTypes.end()) {
    return Error::Invalid("type", "type is ringing, answered, hold, resumed or ended");
  }
  if (in.direction != "inbound" && in.direction != "outbound") {
    return Error::Invalid("direction", "direction is inbound or outbound");
  }
  for (auto [field, value] : {std::pair{"from", &in.from}, std::pair{"to", &in.to}}) {
    KZ_ASSIGN(*value, CheckText(field, *value, TextRule{.max_code_points = kMaxNumber, .allow_empty = true}));
  }
  if (in.type == "ringing") {
    const char* field = in.direction == "inbound" ? "from" : "to";
    const std::string& number = CustomerNumber(in);
    if (number.empty()) {
      return Error::Invalid(field, std::string("give ") + field + ", the customer's phone number, on ringing");
    }
    auto identity = NormaliseIdentity("phone", number);
    if (!identity.ok()) return Error::Invalid(field, identity.error().message);
  }
  if (in.type == "answered" && !in.agent_id) {
    return Error::Invalid("agent_id", "give agent_id, the agent who answered the call");
  }
  return Ok();
}

Result<CallEventResult> RecordCallEvent(ports::WriteTx& tx, const Actor& actor, const CallEventInput& in,
                                        Timestamp now) {
  const WorkspaceId ws = actor.workspace_id;
  if (in.at > now + kMaxAhead) return Error::Invalid("at", "at is more than 5 minutes ahead of this server's clock");
  if (in.at < now - kMaxAge) return Error::Invalid("at", "at is more than 30 days ago");
  auto found = tx.FindCallByExternalId(ws, in.call_id);
  if (!found.ok() && found.error().code != ErrorCode::kNotFound) return found.error();

  CallEventResult result;
  json data{{"call_id", in.call_id}, {"at", FormatTimestamp(in.at)}};
  if (!found.ok()) {
    if (in.type != "ringing") {
      return Error{ErrorCode::kNotFound,
                   "no call " + in.call_id + " is known here: the first event of a call is ringing", "call_id"};
    }
    if (in.team_id) KZ_TRY(CheckTeamOf(tx, ws, *in.team_id, "team_id"));
    KZ_ASSIGN(result, StartCall(tx, actor, in, now));
    // The numbers as the phone system wrote them, for people to read; the call keeps digits.
    data.update({{"from", in.from}, {"to", in.to}, {"team_id", OptJson(result.call.team_id)}});
  } else {
    result.call = std::move(found).value();
    auto& call = result.call;
    KZ_ASSIGN(bool seen, tx.HasCallEvent(ws, call.id, in.type, in.at));
    if (seen) {
      result.replayed = true;
      return result;
    }
    KZ_TRY(CheckTransition(call, in.type));
    if (in.at < call.last_event_at) {
      return Error::Invalid("at", "at (" + FormatTimestamp(in.at) + ") is before the call's previous event (" +
                                      FormatTimestamp(call.last_event_at) + ")");
    }
    KZ_ASSIGN(Ticket ticket, tx.GetTicket(ws, call.ticket_id));
    const bool inbound = call.direction == "inbound";
    if (in.type == "answered") {
      KZ_TRY(CheckActiveAgent(tx, ws, *in.agent_id, "agent_id"));
      if (!ticket.assignee_id) {
        UpdateTicketInput assign;
        assign.assignee_id = Patch<AgentId>{true, *in.agent_id};
        KZ_ASSIGN(ticket, UpdateTicket(tx, actor, ticket.id, assign, now));
      }
      call.state = "answered";
      call.agent_id = in.agent_id;
      call.answered_at = in.at;
      const Timestamp wait = in.at - call.rang_at;
      if (inbound) KZ_TRY(RecordServiceMeasure(tx, ticket, "call_answer", call.agent_id, call.rang_at, in.at));
      data.update({{"agent_id", *in.agent_id}, {"wait_ms", wait}});
    } else if (in.type == "hold") {
      call.state = "hold";
      call.hold_since = in.at;
      data["agent_id"] = OptJson(call.agent_id);
    } else {  // resumed, ended
      if (call.hold_since) {
        const Timestamp hold = in.at - *call.hold_since;
        KZ_TRY(RecordServiceMeasure(tx, ticket, "call_hold", call.agent_id, *call.hold_since, in.at));
        call.hold_ms += hold;
        call.hold_since.reset();
        data["hold_ms"] = hold;
      }
      data["agent_id"] = OptJson(call.agent_id);
      if (in.type == "resumed") {
        call.state = "answered";
      } else {
        call.state = "ended";
        call.ended_at = in.at;
        const bool answered = call.answered_at.has_value();
        // A caller who hung up while it rang is a missed call: a wait no standard was met in.
        if (!answered && inbound) {
          KZ_TRY(RecordServiceMeasure(tx, ticket, "call_answer", std::nullopt, call.rang_at, in.at, true));
        }
        data.update({{"answered", answered},
                     {"ring_ms", (answered ? *call.answered_at : in.at) - call.rang_at},
                     {"talk_ms", answered ? json(in.at - *call.answered_at) : json(nullptr)},
                     {"total_hold_ms", call.hold_ms}});
      }
    }
    call.last_event_at = in.at;
    call.updated_at = std::max(now, call.updated_at);
    call.version += 1;
    KZ_TRY(tx.UpdateCall(call));
  }
  KZ_TRY(tx.InsertCallEvent(ws, result.call.id, in.type, in.at, now));
  data["state"] = result.call.state;
  data["direction"] = result.call.direction;
  KZ_TRY(RecordEvent(tx, actor, result.call.ticket_id, "call." + in.type, data, now));
  return result;
}

json CallJson(const ports::StoredCall& c) {
  auto instant = [](const std::optional<Timestamp>& at) { return at ? json(FormatTimestamp(*at)) : json(nullptr); };
  return json{{"id", c.id},
              {"call_id", c.external_id},
              {"ticket_id", c.ticket_id},
              {"direction", c.direction},
              {"from", c.from_number},
              {"to", c.to_number},
              {"team_id", OptJson(c.team_id)},
              {"state", c.state},
              {"agent_id", OptJson(c.agent_id)},
              {"rang_at", FormatTimestamp(c.rang_at)},
              {"answered_at", instant(c.answered_at)},
              {"ended_at", instant(c.ended_at)},
              {"hold_ms", c.hold_ms},
              {"on_hold_since", instant(c.hold_since)}};
}

}  // namespace kizuna::services
