// Tickets and their messages: the conversation with a customer about one matter.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "core/ticket_sla.h"

namespace kizuna {

enum class TicketStatus { kNew, kOpen, kPending, kOnHold, kSolved, kClosed };
enum class Priority { kLow, kNormal, kHigh, kUrgent };

const char* StatusName(TicketStatus status);
Result<TicketStatus> ParseStatus(std::string_view text);
const char* PriorityName(Priority priority);
Result<Priority> ParsePriority(std::string_view text);
// True for the statuses in which a ticket still needs work (new, open, pending, on_hold).
bool IsUnsolved(TicketStatus status);
// Whether a ticket may move from `from` to `to`. Closed is final.
bool IsAllowedTransition(TicketStatus from, TicketStatus to);

// The channels a conversation can come through.
bool IsKnownChannel(std::string_view channel);

struct Ticket {
  TicketId id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t number = 0;  // per-workspace, shown to people as #number
  std::string subject;
  TicketStatus status = TicketStatus::kNew;
  Priority priority = Priority::kNormal;
  std::string channel = "api";
  CustomerId requester_id = 0;
  std::optional<AgentId> assignee_id;
  std::optional<TeamId> team_id;
  std::vector<std::string> tags;  // sorted, unique, lower-case
  std::map<std::string, std::string> fields;  // custom fields
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> first_reply_at;
  std::optional<Timestamp> solved_at;
  std::int64_t version = 1;  // bumped on every change; the ETag
  std::string requester_name;  // read with the ticket for display; not stored on it
  std::optional<TicketSla> sla;  // nullopt: no policy applies. Saved by RefreshTicketSla, not UpdateTicket
  // Ownership (C5), kept by services/ownership.h on every change.
  std::int64_t handoffs = 0;                   // times it went from one agent to another
  std::vector<AgentId> agent_path;             // agents it was assigned to, in order, no immediate repeats
  std::optional<bool> first_contact_resolved;  // nullopt until first solved
  std::optional<Timestamp> queued_at;          // waiting unassigned in its team's queue since
};

enum class MessageKind { kPublic, kNote };
enum class AuthorType { kAgent, kCustomer, kSystem };
const char* AuthorTypeName(AuthorType type);

struct Attachment {
  std::int64_t id = 0;  // in the attachments table; 0 in data written before it existed
  std::string name;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;  // key in the blob store
};

struct Message {
  MessageId id = 0;
  WorkspaceId workspace_id = 0;
  TicketId ticket_id = 0;
  MessageKind kind = MessageKind::kPublic;
  AuthorType author_type = AuthorType::kCustomer;
  std::int64_t author_id = 0;
  std::string body_text;
  std::string body_html;  // sanitised; may be empty
  std::string body_full;  // a channel message's whole text before quoted history was stripped; empty: same
  std::string external_id;  // its id on the channel (an email's Message-ID); may be empty
  std::vector<Attachment> attachments;
  Timestamp created_at = 0;
};

// Normalises a tag list: trims, lower-cases ASCII, drops empties and duplicates, sorts.
// Fails when a tag is too long or contains spaces or control characters.
Result<std::vector<std::string>> NormaliseTags(const std::vector<std::string>& tags);

// Keys of the inbox counters a ticket contributes to ("unsolved", "unassigned",
// "assignee:7", "team:3", "status:open"). The store keeps one count per key so that
// every inbox view's count is a single lookup, whatever the number of tickets.
std::vector<std::string> InboxCounterKeys(const Ticket& ticket);

}  // namespace kizuna
