#include "services/tickets.h"

#include "core/text.h"
#include "core/time.h"
#include "services/attachments.h"
#include "services/customers.h"
#include "services/events.h"
#include "services/ownership.h"
#include "services/sla.h"
#include "services/standards.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSubject = 250;
constexpr std::size_t kMaxBody = 65536;
constexpr std::size_t kMaxFields = 50;

Status ValidateFields(const std::map<std::string, std::optional<std::string>>& fields) {
  if (fields.size() > kMaxFields) return Error::Invalid("fields", "at most 50 custom fields");
  for (const auto& [key, value] : fields) {
    if (key.empty() || key.size() > 64) return Error::Invalid("fields", "a field name has 1 to 64 characters");
    for (char c : key) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) return Error::Invalid("fields", "field names use a-z, 0-9 and _ only: " + key);
    }
    if (value) KZ_TRY(CheckText("fields", *value, TextRule{.max_code_points = 2000, .allow_empty = true}));
  }
  return Ok();
}


json TicketSummary(const Ticket& t) {
  json out = {{"number", t.number},   {"subject", t.subject},         {"status", StatusName(t.status)},
              {"priority", PriorityName(t.priority)}, {"channel", t.channel}, {"requester_id", t.requester_id}};
  out["assignee_id"] = t.assignee_id ? json(*t.assignee_id) : json(nullptr);
  out["version"] = t.version;
  out["updated_at"] = FormatTimestamp(t.updated_at);
  out["team_id"] = t.team_id ? json(*t.team_id) : json(nullptr);
  return out;
}

template <typename T>
json OptJson(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// Applies a status change with its side effects on solved_at.
Status ApplyStatus(Ticket& t, TicketStatus to, Timestamp now) {
  if (!IsAllowedTransition(t.status, to)) {
    return Error::Conflict(std::string("a ticket cannot go from ") + StatusName(t.status) + " to " + StatusName(to),
                           "status");
  }
  if (to == TicketStatus::kSolved && t.status != TicketStatus::kSolved) t.solved_at = now;
  if (IsUnsolved(to)) t.solved_at.reset();
  t.status = to;
  return Ok();
}

}  // namespace

Status CheckActiveAgent(ports::WriteTx& tx, WorkspaceId ws, AgentId id, const char* field) {
  auto agent = tx.GetAgent(ws, id);
  if (!agent.ok()) {
    if (agent.error().code == ErrorCode::kNotFound) return Error::Invalid(field, "no such agent");
    return agent.error();
  }
  if (!agent->active) return Error::Invalid(field, "the agent is deactivated");
  return Ok();
}

Status CheckTeamOf(ports::WriteTx& tx, WorkspaceId ws, TeamId id, const char* field) {
  auto team = tx.GetTeam(ws, id);
  if (!team.ok()) {
    if (team.error().code == ErrorCode::kNotFound) return Error::Invalid(field, "no such team");
    return team.error();
  }
  return Ok();
}

Result<CustomerId> ResolveRequester(ports::WriteTx& tx, const Actor& actor, const RequesterInput& in, Timestamp now,
                                    std::string* name) {
  // The customer `c` stands for (its merge target, whose name is read only then).
  auto chosen = [&](const Customer& c) -> Result<CustomerId> {
    if (!c.merged_into) {
      if (name) *name = c.name;
      return c.id;
    }
    if (name) {
      KZ_ASSIGN(Customer target, tx.GetCustomer(actor.workspace_id, *c.merged_into));
      *name = target.name;
    }
    return *c.merged_into;
  };
  if (in.id) {
    auto customer = tx.GetCustomer(actor.workspace_id, *in.id);
    if (!customer.ok()) {
      if (customer.error().code == ErrorCode::kNotFound) return Error::Invalid("requester.id", "no such customer");
      return customer.error();
    }
    return chosen(*customer);
  }
  std::vector<Identity> identities;
  if (!in.email.empty()) {
    KZ_ASSIGN(auto identity, NormaliseIdentity("email", in.email));
    identities.push_back(identity);
  }
  if (!in.phone.empty()) {
    KZ_ASSIGN(auto identity, NormaliseIdentity("phone", in.phone));
    identities.push_back(identity);
  }
  for (const auto& identity : identities) {
    auto found = tx.FindCustomerByIdentity(actor.workspace_id, identity);
    if (found.ok()) return chosen(*found);
    if (found.error().code != ErrorCode::kNotFound) return found.error();
  }
  CustomerInput create;
  create.name = in.name.empty() ? (in.email.empty() ? in.phone : in.email.substr(0, in.email.find('@'))) : in.name;
  create.language = in.language;
  std::vector<IdentityInput> ids;
  for (const auto& identity : identities) ids.push_back(IdentityInput{identity.kind, identity.value});
  create.identities = ids;
  KZ_TRY(ValidateCustomer(create, true));
  auto customer = CreateCustomer(tx, actor, create, now);
  if (!customer.ok() && customer.error().code == ErrorCode::kConflict) {
    // Another node created this customer since we looked: theirs it is.
    for (const auto& identity : identities) {
      auto found = tx.FindCustomerByIdentity(actor.workspace_id, identity);
      if (found.ok()) return chosen(*found);
    }
  }
  KZ_TRY(customer);
  return chosen(*customer);
}

Status ValidateCreateTicket(CreateTicketInput& in) {
  KZ_ASSIGN(in.subject, CheckText("subject", in.subject, TextRule{.max_code_points = kMaxSubject}));
  KZ_ASSIGN(in.body, CheckText("body", in.body, TextRule{.max_code_points = kMaxBody, .allow_newlines = true}));
  if (in.status) KZ_TRY(ParseStatus(*in.status));
  if (in.priority) KZ_TRY(ParsePriority(*in.priority));
  if (!IsKnownChannel(in.channel)) return Error::Invalid("channel", "unknown channel: " + in.channel);
  KZ_ASSIGN(in.tags, NormaliseTags(in.tags));
  std::map<std::string, std::optional<std::string>> fields(in.fields.begin(), in.fields.end());
  KZ_TRY(ValidateFields(fields));
  auto& r = in.requester;
  if (!r.id && r.email.empty() && r.phone.empty()) {
    return Error::Invalid("requester", "give requester.id, requester.email or requester.phone");
  }
  if (!r.name.empty()) { KZ_ASSIGN(r.name, CheckText("requester.name", r.name, TextRule{.max_code_points = 200})); }
  for (auto [kind, value, field] : {std::tuple{"email", &r.email, "requester.email"},
                                    std::tuple{"phone", &r.phone, "requester.phone"}}) {
    if (value->empty()) continue;
    auto identity = NormaliseIdentity(kind, *value);
    if (!identity.ok()) return Error::Invalid(field, identity.error().message);
  }
  return Ok();
}

Status ValidateUpdateTicket(UpdateTicketInput& in) {
  if (in.subject) { KZ_ASSIGN(*in.subject, CheckText("subject", *in.subject, TextRule{.max_code_points = kMaxSubject})); }
  if (in.status) KZ_TRY(ParseStatus(*in.status));
  if (in.priority) KZ_TRY(ParsePriority(*in.priority));
  if (in.tags) { KZ_ASSIGN(*in.tags, NormaliseTags(*in.tags)); }
  if (in.fields) KZ_TRY(ValidateFields(*in.fields));
  return Ok();
}

Status ValidateAddMessage(AddMessageInput& in) {
  // A message may be files alone; without files it needs words.
  const bool files = !in.attachment_tokens.empty();
  KZ_ASSIGN(in.body, CheckText("body", in.body,
                               TextRule{.max_code_points = kMaxBody, .allow_empty = files, .allow_newlines = true}));
  if (in.status) KZ_TRY(ParseStatus(*in.status));
  return Ok();
}

Result<Ticket> CreateTicket(ports::WriteTx& tx, const Actor& actor, const CreateTicketInput& in, Timestamp now) {
  Ticket t;
  t.workspace_id = actor.workspace_id;
  t.subject = in.subject;
  t.status = in.status ? *ParseStatus(*in.status) : TicketStatus::kNew;
  if (t.status == TicketStatus::kClosed) return Error::Invalid("status", "a new ticket cannot be closed");
  t.priority = in.priority ? *ParsePriority(*in.priority) : Priority::kNormal;
  t.channel = in.channel;
  t.tags = in.tags;
  t.fields = in.fields;
  if (in.assignee_id) {
    KZ_TRY(CheckActiveAgent(tx, actor.workspace_id, *in.assignee_id, "assignee_id"));
    t.assignee_id = in.assignee_id;
    if (t.status == TicketStatus::kNew) t.status = TicketStatus::kOpen;
  }
  if (in.team_id) {
    KZ_TRY(CheckTeamOf(tx, actor.workspace_id, *in.team_id, "team_id"));
    t.team_id = in.team_id;
  }
  KZ_ASSIGN(t.requester_id, ResolveRequester(tx, actor, in.requester, now, &t.requester_name));
  KZ_ASSIGN(auto uploads, ClaimUploads(tx, actor.workspace_id, Uploader{actor.type, actor.id}, in.attachment_tokens));
  if (!in.content.files.empty()) {
    KZ_ASSIGN(auto files, RecordChannelFiles(tx, actor.workspace_id, Uploader{"customer", t.requester_id},
                                             in.content.files, in.content.external_id, now));
    uploads.insert(uploads.end(), files.begin(), files.end());
  }
  t.created_at = now;
  t.updated_at = now;
  if (t.status == TicketStatus::kSolved) t.solved_at = now;
  TrackOwnership(nullptr, t, now);  // C4/C5: agent path, queue
  KZ_TRY(tx.InsertTicket(t));

  Message m;
  m.workspace_id = t.workspace_id;
  m.ticket_id = t.id;
  m.kind = MessageKind::kPublic;
  m.author_type = AuthorType::kCustomer;
  m.author_id = t.requester_id;
  m.body_text = in.body;
  m.body_html = in.content.html;
  m.body_full = in.content.full_text;
  m.external_id = in.content.external_id;
  m.attachments = AttachmentsOf(uploads);
  m.created_at = now;
  KZ_TRY(tx.InsertMessage(m));
  KZ_TRY(MarkSent(tx, actor.workspace_id, uploads, m.id));

  json data = TicketSummary(t);
  data["message_id"] = m.id;
  KZ_TRY(RecordEvent(tx, actor, t.id, "ticket.created", data, now));
  KZ_TRY(RefreshTicketSla(tx, t, now));
  return t;
}

Result<Ticket> UpdateTicket(ports::WriteTx& tx, const Actor& actor, TicketId id, const UpdateTicketInput& in,
                            Timestamp now) {
  KZ_ASSIGN(Ticket before, tx.GetTicket(actor.workspace_id, id));
  if (in.expected_version && *in.expected_version != before.version) {
    return Error{ErrorCode::kPreconditionFailed,
                 "the ticket changed since you loaded it (now version " + std::to_string(before.version) + ")",
                 "If-Match"};
  }
  Ticket t = before;
  json changes = json::object();
  if (in.subject && *in.subject != t.subject) {
    changes["subject"] = {t.subject, *in.subject};
    t.subject = *in.subject;
  }
  if (in.priority) {
    Priority p = *ParsePriority(*in.priority);
    if (p != t.priority) {
      changes["priority"] = {PriorityName(t.priority), PriorityName(p)};
      t.priority = p;
    }
  }
  if (in.assignee_id.present && in.assignee_id.value != t.assignee_id) {
    if (in.assignee_id.value) KZ_TRY(CheckActiveAgent(tx, actor.workspace_id, *in.assignee_id.value, "assignee_id"));
    changes["assignee_id"] = {OptJson(t.assignee_id), OptJson(in.assignee_id.value)};
    t.assignee_id = in.assignee_id.value;
  }
  if (in.team_id.present && in.team_id.value != t.team_id) {
    if (in.team_id.value) KZ_TRY(CheckTeamOf(tx, actor.workspace_id, *in.team_id.value, "team_id"));
    changes["team_id"] = {OptJson(t.team_id), OptJson(in.team_id.value)};
    t.team_id = in.team_id.value;
  }
  if (in.tags && *in.tags != t.tags) {
    changes["tags"] = {t.tags, *in.tags};
    t.tags = *in.tags;
  }
  if (in.fields) {
    auto fields = t.fields;
    for (const auto& [key, value] : *in.fields) {
      if (value) fields[key] = *value;
      else fields.erase(key);
    }
    if (fields.size() > kMaxFields) return Error::Invalid("fields", "at most 50 custom fields");
    if (fields != t.fields) {
      changes["fields"] = {t.fields, fields};
      t.fields = std::move(fields);
    }
  }
  std::optional<TicketStatus> status;
  if (in.status) status = *ParseStatus(*in.status);
  // Assigning a ticket nobody has looked at opens it.
  if (!status && t.status == TicketStatus::kNew && t.assignee_id && !before.assignee_id) status = TicketStatus::kOpen;
  if (status && *status != t.status) {
    changes["status"] = {StatusName(t.status), StatusName(*status)};
    KZ_TRY(ApplyStatus(t, *status, now));
  }
  if (changes.empty()) return before;
  TrackOwnership(&before, t, now);  // C4/C5: handoffs, agent path, first-contact resolution, queue
  t.updated_at = std::max(now, before.updated_at);
  t.version = before.version + 1;
  KZ_TRY(tx.UpdateTicket(before, t));
  // Service standards (C3): before the event, which the measures read the history without.
  KZ_TRY(RecordServiceMeasures(tx, actor, before, t, false, now));
  KZ_TRY(RecordEvent(tx, actor, t.id, "ticket.updated", json{{"changes", changes}, {"number", t.number}, {"version", t.version},
                                                      {"updated_at", FormatTimestamp(t.updated_at)}},
                     now));
  KZ_TRY(RefreshTicketSla(tx, t, now));
  return t;
}

Result<MessageResult> AddMessage(ports::WriteTx& tx, const Actor& actor, TicketId id, const AddMessageInput& in,
                                 Timestamp now) {
  KZ_ASSIGN(Ticket before, tx.GetTicket(actor.workspace_id, id));
  if (before.status == TicketStatus::kClosed) {
    return Error::Conflict("the ticket is closed; open a follow-up ticket instead", "status");
  }
  Ticket t = before;
  Message m;
  m.workspace_id = actor.workspace_id;
  m.ticket_id = id;
  m.kind = in.internal_note ? MessageKind::kNote : MessageKind::kPublic;
  m.author_type = AuthorType::kAgent;
  m.author_id = actor.id;
  m.body_text = in.body;
  KZ_ASSIGN(auto uploads, ClaimUploads(tx, actor.workspace_id, Uploader{actor.type, actor.id}, in.attachment_tokens));
  m.attachments = AttachmentsOf(uploads);
  m.created_at = now;
  KZ_TRY(tx.InsertMessage(m));
  KZ_TRY(MarkSent(tx, actor.workspace_id, uploads, m.id));

  json changes = json::object();
  std::optional<TicketStatus> status;
  if (in.status) status = *ParseStatus(*in.status);
  if (!in.internal_note) {
    if (!t.first_reply_at) {
      t.first_reply_at = now;
      changes["first_reply_at"] = {nullptr, FormatTimestamp(now)};
    }
    // An agent's public reply on a new ticket opens it.
    if (!status && t.status == TicketStatus::kNew) status = TicketStatus::kOpen;
  }
  if (status && *status != t.status) {
    changes["status"] = {StatusName(t.status), StatusName(*status)};
    KZ_TRY(ApplyStatus(t, *status, now));
  }
  TrackOwnership(&before, t, now);  // C5: first-contact resolution on solve and reopen
  t.updated_at = std::max(now, before.updated_at);
  t.version = before.version + 1;
  KZ_TRY(tx.UpdateTicket(before, t));

  // Service standards (C3): before the event, which the measures read the history without.
  KZ_TRY(RecordServiceMeasures(tx, actor, before, t, !in.internal_note, now));
  KZ_TRY(RecordEvent(tx, actor, id, "message.created",
                     json{{"message_id", m.id},
                          {"kind", in.internal_note ? "note" : "public"},
                          {"number", t.number},
                          {"version", t.version},
                          {"updated_at", FormatTimestamp(t.updated_at)},
                          {"changes", changes}},
                     now));
  if (!in.internal_note) {
    // The reply leaves through the outbox: delivered on the ticket's channel by a worker, with retries.
    ports::OutboxJob job;
    job.workspace_id = actor.workspace_id;
    job.kind = "reply";
    job.payload = json{{"ticket_id", id}, {"message_id", m.id}, {"channel", t.channel}}.dump();
    job.run_after = now;
    KZ_TRY(tx.EnqueueOutbox(job));
  }
  KZ_TRY(RefreshTicketSla(tx, t, now));
  return MessageResult{m, t};
}

Result<MessageResult> AddCustomerMessage(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, const Ticket& before,
                                         const CustomerMessageInput& in, Timestamp now) {
  if (before.status == TicketStatus::kClosed) {
    return Error::Conflict("this request is closed; please submit a new one", "status");
  }
  Message m;
  m.workspace_id = ws;
  m.ticket_id = before.id;
  m.kind = MessageKind::kPublic;
  m.author_type = AuthorType::kCustomer;
  m.author_id = customer;
  m.body_text = in.body;
  m.body_html = in.content.html;
  m.body_full = in.content.full_text;
  m.external_id = in.content.external_id;
  KZ_ASSIGN(auto uploads, ClaimUploads(tx, ws, Uploader{"customer", customer}, in.attachment_tokens));
  if (!in.content.files.empty()) {
    KZ_ASSIGN(auto files, RecordChannelFiles(tx, ws, Uploader{"customer", customer}, in.content.files,
                                             in.content.external_id, now));
    uploads.insert(uploads.end(), files.begin(), files.end());
  }
  m.attachments = AttachmentsOf(uploads);
  m.created_at = now;
  KZ_TRY(tx.InsertMessage(m));
  KZ_TRY(MarkSent(tx, ws, uploads, m.id));
  Ticket t = before;
  json changes = json::object();
  if (t.status == TicketStatus::kPending || t.status == TicketStatus::kSolved) {
    changes["status"] = {StatusName(t.status), "open"};
    t.status = TicketStatus::kOpen;
    t.solved_at.reset();
  }
  TrackOwnership(&before, t, now);  // C5: a reopen
  t.updated_at = std::max(now, before.updated_at);
  t.version = before.version + 1;
  KZ_TRY(tx.UpdateTicket(before, t));
  Actor actor{ws, "customer", customer, Role::kAgent};
  KZ_TRY(RecordEvent(tx, actor, t.id, "message.created",
                     json{{"message_id", m.id}, {"kind", "public"}, {"number", t.number}, {"changes", changes}}, now));
  KZ_TRY(RefreshTicketSla(tx, t, now));
  return MessageResult{m, t};
}

}  // namespace kizuna::services
