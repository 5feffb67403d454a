// Ticket use cases: create, update, reply or note. Each runs inside one write
// transaction and records its events there.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ticket.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

// The requester of a new ticket: an existing customer, or one found or created by identity.
struct RequesterInput {
  std::optional<CustomerId> id;
  std::string name;
  std::string email;
  std::string phone;
  std::string language;
};

// What a channel brings with a message beyond its text: the sanitised HTML, the whole
// original text (before quoted history was stripped), its id on the channel, and files
// already in the blob store (name, content_type, size, sha256).
struct ChannelContent {
  std::string html;
  std::string full_text;
  std::string external_id;
  std::vector<Attachment> files;
};

struct CreateTicketInput {
  std::string subject;
  std::string body;  // the first message, from the requester
  std::optional<std::string> status;
  std::optional<std::string> priority;
  std::string channel = "api";
  RequesterInput requester;
  std::optional<AgentId> assignee_id;
  std::optional<TeamId> team_id;
  std::vector<std::string> tags;
  std::map<std::string, std::string> fields;
  std::vector<std::string> attachment_tokens;  // digests of upload tokens, sent with the first message
  ChannelContent content;                      // from a channel (email): sent with the first message
};

// A field that may be left alone, set, or cleared (JSON null).
template <typename T>
struct Patch {
  bool present = false;
  std::optional<T> value;  // nullopt with present = cleared
};

struct UpdateTicketInput {
  std::optional<std::string> subject;
  std::optional<std::string> status;
  std::optional<std::string> priority;
  Patch<AgentId> assignee_id;
  Patch<TeamId> team_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::map<std::string, std::optional<std::string>>> fields;  // nullopt value removes the field
  std::optional<std::int64_t> expected_version;  // from If-Match
};

struct AddMessageInput {
  bool internal_note = false;
  std::string body;
  std::optional<std::string> status;  // change status at the same time (reply and solve)
  std::vector<std::string> attachment_tokens;  // digests of the actor's upload tokens
};

struct MessageResult {
  Message message;
  Ticket ticket;
};

// A customer's message on their own ticket (help centre, email).
struct CustomerMessageInput {
  std::string body;
  std::vector<std::string> attachment_tokens;  // digests of the customer's help-centre uploads
  ChannelContent content;
};

// InvalidArgument on `field` ("no such agent", "the agent is deactivated") unless `id` is an
// active agent of the workspace.
Status CheckActiveAgent(ports::WriteTx& tx, WorkspaceId ws, AgentId id, const char* field);
// InvalidArgument on `field` ("no such team") unless the workspace has team `id`.
Status CheckTeamOf(ports::WriteTx& tx, WorkspaceId ws, TeamId id, const char* field);

// The customer a requester names: by id (following merges), found by email or phone, or
// created with those identities; with `name`, that customer's name is put there.
Result<CustomerId> ResolveRequester(ports::WriteTx& tx, const Actor& actor, const RequesterInput& input, Timestamp now,
                                    std::string* name = nullptr);

// Checks and normalises everything that needs no store. Call before queueing the write.
Status ValidateCreateTicket(CreateTicketInput& input);
Status ValidateUpdateTicket(UpdateTicketInput& input);
Status ValidateAddMessage(AddMessageInput& input);

Result<Ticket> CreateTicket(ports::WriteTx& tx, const Actor& actor, const CreateTicketInput& input, Timestamp now);
// PreconditionFailed when expected_version is stale; NotFound outside the workspace.
Result<Ticket> UpdateTicket(ports::WriteTx& tx, const Actor& actor, TicketId id, const UpdateTicketInput& input,
                            Timestamp now);
Result<MessageResult> AddMessage(ports::WriteTx& tx, const Actor& actor, TicketId id, const AddMessageInput& input,
                                 Timestamp now);
// REQUIRES: `before` is the stored ticket and `customer` its requester. Conflict when it
// is closed. Reopens a pending or solved ticket.
Result<MessageResult> AddCustomerMessage(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, const Ticket& before,
                                         const CustomerMessageInput& input, Timestamp now);

}  // namespace kizuna::services
