#include "api/dto.h"

#include "core/time.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

template <typename T>
json Opt(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json OptTime(const std::optional<Timestamp>& value) { return value ? json(FormatTimestamp(*value)) : json(nullptr); }

// {"policy_id", "next_due_at", "targets": [{"metric", "state", "due_at", "warning_at", "breached", "breached_at"}]};
// null when no policy applies. Without `now`, breach as of the ticket's last change.
json SlaJson(const std::optional<TicketSla>& sla, std::optional<Timestamp> now) {
  if (!sla) return nullptr;
  json targets = json::array();
  for (const auto& target : sla->targets) {
    const bool breached = now ? target.BreachedAt(*now) : target.breached;
    const auto breached_at = breached && !target.breached_at ? target.due_at : target.breached_at;
    targets.push_back({{"metric", target.metric},
                       {"state", target.state},
                       {"due_at", OptTime(target.due_at)},
                       {"warning_at", OptTime(breached ? std::nullopt : target.warning_at)},
                       {"breached", breached},
                       {"breached_at", OptTime(breached_at)}});
  }
  return json{{"policy_id", sla->policy_id}, {"next_due_at", OptTime(sla->next_due_at)}, {"targets", targets}};
}

}  // namespace

json ToJson(const Ticket& t) {
  return json{{"id", t.id},
              {"number", t.number},
              {"subject", t.subject},
              {"status", StatusName(t.status)},
              {"priority", PriorityName(t.priority)},
              {"channel", t.channel},
              {"requester_id", t.requester_id},
              {"requester_name", t.requester_name},
              {"assignee_id", Opt(t.assignee_id)},
              {"team_id", Opt(t.team_id)},
              {"tags", t.tags},
              {"fields", t.fields},
              {"created_at", FormatTimestamp(t.created_at)},
              {"updated_at", FormatTimestamp(t.updated_at)},
              {"first_reply_at", OptTime(t.first_reply_at)},
              {"solved_at", OptTime(t.solved_at)},
              {"version", t.version},
              {"sla", SlaJson(t.sla, std::nullopt)},
              // Ownership (C5) and routing (C4).
              {"handoffs", t.handoffs},
              {"agent_path", t.agent_path},
              {"first_contact_resolved", Opt(t.first_contact_resolved)},
              {"queued_at", OptTime(t.queued_at)}};
}

json ToJson(const Ticket& t, Timestamp now) {
  json out = ToJson(t);
  out["sla"] = SlaJson(t.sla, now);
  return out;
}

json ToJson(const Message& m) {
  json attachments = json::array();
  for (const auto& a : m.attachments) {
    attachments.push_back(
        {{"id", a.id}, {"name", a.name}, {"content_type", a.content_type}, {"size", a.size}, {"sha256", a.sha256}});
  }
  return json{{"id", m.id},
              {"ticket_id", m.ticket_id},
              {"kind", m.kind == MessageKind::kNote ? "note" : "public"},
              {"author_type", AuthorTypeName(m.author_type)},
              {"author_id", m.author_id},
              {"body", m.body_text},
              {"body_html", m.body_html},
              {"body_full", m.body_full},
              {"external_id", m.external_id},
              {"attachments", attachments},
              {"created_at", FormatTimestamp(m.created_at)}};
}

json ToJson(const Event& e) {
  json data = json::parse(e.data, nullptr, false);
  if (data.is_discarded()) data = json::object();
  return json{{"id", e.id},
              {"type", e.type},
              {"ticket_id", Opt(e.ticket_id)},
              {"actor_type", e.actor_type},
              {"actor_id", e.actor_id},
              {"data", data},
              {"created_at", FormatTimestamp(e.created_at)}};
}

json ToJson(const Customer& c) {
  json identities = json::array();
  for (const auto& i : c.identities) identities.push_back({{"kind", i.kind}, {"value", i.value}});
  return json{{"id", c.id},
              {"name", c.name},
              {"language", c.language},
              {"organisation_id", Opt(c.organisation_id)},
              {"notes", c.notes},
              {"birthday", c.birthday.empty() ? json(nullptr) : json(c.birthday)},
              {"tier", c.tier},
              {"account_owner_id", Opt(c.account_owner_id)},
              {"identities", identities},
              {"merged_into", Opt(c.merged_into)},
              {"created_at", FormatTimestamp(c.created_at)},
              {"updated_at", FormatTimestamp(c.updated_at)},
              {"version", c.version}};
}

json ToJson(const Agent& a) {
  return json{{"id", a.id},         {"email", a.email},   {"name", a.name}, {"locale", a.locale},
              {"role", RoleName(a.role)}, {"languages", a.languages}, {"active", a.active},
              {"created_at", FormatTimestamp(a.created_at)},
              // Routing (C4).
              {"presence", PresenceName(a.presence)},
              {"presence_at", OptTime(a.presence_at)},
              {"capacity", {{"ticket", a.capacity.ticket}, {"chat", a.capacity.chat}, {"call", a.capacity.call}}},
              {"skills", a.skills}};
}

json ToJson(const Team& t) {
  return json{{"id", t.id},
              {"name", t.name},
              {"description", t.description},
              {"created_at", FormatTimestamp(t.created_at)},
              // Routing (C4).
              {"routing_enabled", t.routing.enabled},
              {"strategy", t.routing.strategy},
              {"overflow_team_id", Opt(t.routing.overflow_team_id)},
              {"overflow_after_minutes", Opt(t.routing.overflow_after_minutes)},
              {"match_language", t.routing.match_language},
              {"required_skills", t.routing.required_skills},
              {"member_ids", t.member_ids}};
}

json ToJson(const Organisation& o) {
  return json{{"id", o.id},       {"name", o.name}, {"domain", o.domain},
              {"notes", o.notes}, {"created_at", FormatTimestamp(o.created_at)}};
}

json ToJson(const Workspace& w) {
  return json{{"id", w.id},
              {"name", w.name},
              {"time_zone", w.time_zone},
              {"locale", w.locale},
              {"service_style", w.service_style},
              {"default_team_id", w.default_team_id ? json(*w.default_team_id) : json(nullptr)},
              {"created_at", FormatTimestamp(w.created_at)}};
}

json ToJson(const ports::ApiToken& t) {
  return json{{"id", t.id},
              {"name", t.name},
              {"agent_id", t.agent_id},
              {"scopes", t.scopes},
              {"created_at", FormatTimestamp(t.created_at)},
              {"revoked_at", OptTime(t.revoked_at)}};
}

json ToJson(const Mailbox& m) {
  return json{{"id", m.id},
              {"address", m.address},
              {"display_name", m.display_name},
              {"imap_url", m.imap_url},
              {"imap_username", m.imap_username},
              {"imap_password_set", !m.imap_password.empty()},  // the password itself never leaves
              {"imap_folder", m.imap_folder},
              {"imap_move_to", m.imap_move_to},
              {"enabled", m.enabled},
              {"ack_enabled", m.ack_enabled},
              {"ack_template", m.ack_template},
              {"last_checked_at", m.last_checked_at ? json(FormatTimestamp(*m.last_checked_at)) : json(nullptr)},
              {"last_error", m.last_error},
              {"ingested", m.ingested},
              {"created_at", FormatTimestamp(m.created_at)},
              {"updated_at", FormatTimestamp(m.updated_at)},
              {"version", m.version}};
}

json ToJson(const MailRejection& r) {
  return json{{"id", r.id},
              {"mailbox_id", Opt(r.mailbox_id)},
              {"message_id", r.message_key},
              {"sender", r.sender},
              {"subject", r.subject},
              {"reason", r.reason},
              {"received_at", FormatTimestamp(r.received_at)}};
}

}  // namespace kizuna::api
