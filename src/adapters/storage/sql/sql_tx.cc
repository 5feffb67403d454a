#include "adapters/storage/sql/sql_tx.h"
#include "adapters/storage/sql/sql_rows.h"

#include <algorithm>
#include <unordered_map>
#include <charconv>
#include <limits>

#include <nlohmann/json.hpp>

namespace kizuna::storage {
namespace {

using nlohmann::json;

std::string ToJson(const std::vector<std::string>& list) { return json(list).dump(); }
std::string ToJson(const std::map<std::string, std::string>& map) { return json(map).dump(); }

std::vector<std::string> ListFromJson(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (parsed.is_array()) {
    for (const auto& item : parsed) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::map<std::string, std::string> MapFromJson(const std::string& text) {
  auto parsed = json::parse(text, nullptr, false);
  std::map<std::string, std::string> out;
  if (parsed.is_object()) {
    for (const auto& [key, value] : parsed.items()) {
      if (value.is_string()) out[key] = value.get<std::string>();
    }
  }
  return out;
}

std::string AttachmentsToJson(const std::vector<Attachment>& attachments) {
  json out = json::array();
  for (const auto& a : attachments) {
    out.push_back({{"id", a.id}, {"name", a.name}, {"content_type", a.content_type}, {"size", a.size}, {"sha256", a.sha256}});
  }
  return out.dump();
}

std::vector<Attachment> AttachmentsFromJson(const std::string& text) {
  std::vector<Attachment> out;
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (!item.is_object()) continue;
    out.push_back(Attachment{item.value("id", std::int64_t{0}), item.value("name", ""), item.value("content_type", ""),
                             item.value("size", std::int64_t{0}), item.value("sha256", "")});
  }
  return out;
}

const char* kWorkspaceCols = "id, name, time_zone, locale, service_style, created_at, default_team_id";
Workspace ReadWorkspace(Query& q) {
  return Workspace{q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Int(5), q.OptInt(6)};
}

const char* kAgentCols =
    "id, workspace_id, email, name, role, languages, password_hash, active, created_at, locale, presence, presence_at, "
    "capacity, skills";

// Routing (C4): {"ticket": 8, "chat": 3, "call": 1} and {"lang:ja": 5}.
std::string CapacityToJson(const WorkCapacity& c) {
  return json{{"ticket", c.ticket}, {"chat", c.chat}, {"call", c.call}}.dump();
}
WorkCapacity CapacityFromJson(const std::string& text) {
  WorkCapacity c;
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return c;
  auto get = [&](const char* key, int fallback) {
    auto it = parsed.find(key);
    return it != parsed.end() && it->is_number_integer() ? it->get<int>() : fallback;
  };
  return WorkCapacity{get("ticket", c.ticket), get("chat", c.chat), get("call", c.call)};
}
std::string LevelsToJson(const std::map<std::string, int>& levels) { return json(levels).dump(); }
std::map<std::string, int> LevelsFromJson(const std::string& text) {
  std::map<std::string, int> out;
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_object()) return out;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_number_integer()) out[key] = value.get<int>();
  }
  return out;
}
Agent ReadAgent(Query& q) {
  Agent a;
  a.id = q.Int(0);
  a.workspace_id = q.Int(1);
  a.email = q.Text(2);
  a.name = q.Text(3);
  auto role = ParseRole(q.Text(4));
  a.role = role.ok() ? *role : Role::kAgent;
  a.languages = ListFromJson(q.Text(5));
  a.password_hash = q.Text(6);
  a.active = q.Int(7) != 0;
  a.created_at = q.Int(8);
  a.locale = q.Text(9);
  auto presence = ParsePresence(q.Text(10));
  a.presence = presence.ok() ? *presence : Presence::kOffline;
  a.presence_at = q.OptInt(11);
  a.capacity = CapacityFromJson(q.Text(12));
  a.skills = LevelsFromJson(q.Text(13));
  return a;
}

const char* kTeamCols =
    "id, workspace_id, name, description, created_at, routing_enabled, strategy, overflow_team_id, "
    "overflow_after_minutes, match_language, required_skills, round_robin_cursor";
constexpr int kTeamColCount = 12;
Team ReadTeam(Query& r) {
  Team t{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), {}, {}};
  t.routing.enabled = r.Int(5) != 0;
  t.routing.strategy = r.Text(6);
  t.routing.overflow_team_id = r.OptInt(7);
  t.routing.overflow_after_minutes = r.OptInt(8);
  t.routing.match_language = r.Int(9) != 0;
  t.routing.required_skills = LevelsFromJson(r.Text(10));
  t.routing.round_robin_cursor = r.OptInt(11);
  return t;
}

std::string IdsToJson(const std::vector<std::int64_t>& ids) { return json(ids).dump(); }
std::vector<std::int64_t> IdsFromJson(const std::string& text) {
  std::vector<std::int64_t> out;
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_number_integer()) out.push_back(item.get<std::int64_t>());
  }
  return out;
}

const char* kCustomerCols =
    "id, workspace_id, name, language, organisation_id, notes, birthday, merged_into, created_at, updated_at, version, tier, "
    "account_owner_id";
constexpr int kCustomerColCount = 13;
Customer ReadCustomer(Query& q) {
  Customer c;
  c.id = q.Int(0);
  c.workspace_id = q.Int(1);
  c.name = q.Text(2);
  c.language = q.Text(3);
  c.organisation_id = q.OptInt(4);
  c.notes = q.Text(5);
  c.birthday = q.Text(6);
  c.merged_into = q.OptInt(7);
  c.created_at = q.Int(8);
  c.updated_at = q.Int(9);
  c.version = q.Int(10);
  c.tier = q.Text(11);
  c.account_owner_id = q.OptInt(12);
  return c;
}

const char* kTicketCols =
    "id, workspace_id, number, subject, status, priority, channel, requester_id, assignee_id, team_id, tags, fields, "
    "created_at, updated_at, first_reply_at, solved_at, version, "
    "(SELECT name FROM customers WHERE customers.id = tickets.requester_id), sla_policy_id, sla_targets, next_due_at, "
    "handoffs, agent_path, first_contact_resolved, queued_at";

// A ticket's SLA targets as stored in sla_targets: see EncodeSlaTargets (core/ticket_sla.h).
// Read by hand in the positional form it writes, and in the named-key objects that rows
// written before kept; anything the fast reader does not expect goes through nlohmann.
constexpr const char* kTargetFields[] = {"metric",     "state",       "due_at", "breached", "breached_at",
                                         "warning_at", "cycle", "warned_cycle", "escalated_cycle"};

// One JSON value of a target as the fast reader sees it: a plain string, an integer,
// a boolean or null.
struct FastValue {
  enum Kind { kString, kNumber, kBool, kNull } kind = kNull;
  std::string_view text;
  std::int64_t number = 0;
};

// Sets the field named `name` of `t` from `v`; false when the value does not fit it.
// Sets field `idx` (of kTargetFields) of `t` from `v`; false when the value does not fit it.
bool SetTargetField(TicketSlaTarget& t, std::size_t idx, const FastValue& v) {
  auto time = [&](std::optional<Timestamp>& field) {
    if (v.kind == FastValue::kNull) return field.reset(), true;
    if (v.kind != FastValue::kNumber) return false;
    return field = v.number, true;
  };
  auto count = [&](int& field) {
    if (v.kind != FastValue::kNumber) return false;
    return field = static_cast<int>(v.number), true;
  };
  auto text = [&](std::string& field) {
    if (v.kind != FastValue::kString) return false;
    return field = v.text, true;
  };
  switch (idx) {
    case 0: return text(t.metric);
    case 1: return text(t.state);
    case 2: return time(t.due_at);
    case 3:
      if (v.kind != FastValue::kBool && v.kind != FastValue::kNumber) return false;
      return t.breached = v.number != 0, true;
    case 4: return time(t.breached_at);
    case 5: return time(t.warning_at);
    case 6: return count(t.cycle);
    case 7: return count(t.warned_cycle);
    case 8: return count(t.escalated_cycle);
  }
  return false;
}

// The index in kTargetFields of a named key (rows written before), or past its end.
std::size_t TargetFieldIndex(std::string_view name) {
  return static_cast<std::size_t>(std::find(std::begin(kTargetFields), std::end(kTargetFields), name) -
                                  std::begin(kTargetFields));
}

// The fast reader: an array of targets, each an array in kTargetFields order or (rows
// written before) a flat object, whose values are plain strings, integers, booleans or
// null. nullopt on anything else.
std::optional<std::vector<TicketSlaTarget>> ReadSlaTargetsFast(std::string_view text) {
  std::vector<TicketSlaTarget> out;
  out.reserve(4);  // a policy has at most one target of each of the four metrics
  std::size_t at = 0;
  auto eat = [&](char c) {
    if (at < text.size() && text[at] == c) return ++at, true;
    return false;
  };
  auto plain = [&]() -> std::optional<std::string_view> {
    if (!eat('"')) return std::nullopt;
    const std::size_t end = text.find('"', at);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view value = text.substr(at, end - at);
    if (value.find('\\') != std::string_view::npos) return std::nullopt;
    at = end + 1;
    return value;
  };
  auto value = [&]() -> std::optional<FastValue> {
    FastValue v;
    if (at < text.size() && text[at] == '"') {
      auto string_value = plain();
      if (!string_value) return std::nullopt;
      v.kind = FastValue::kString, v.text = *string_value;
    } else if (text.substr(at, 4) == "null") {
      at += 4;
    } else if (text.substr(at, 4) == "true") {
      at += 4, v.kind = FastValue::kBool, v.number = 1;
    } else if (text.substr(at, 5) == "false") {
      at += 5, v.kind = FastValue::kBool;
    } else {
      auto [end, ec] = std::from_chars(text.data() + at, text.data() + text.size(), v.number);
      if (ec != std::errc()) return std::nullopt;
      at = static_cast<std::size_t>(end - text.data());
      v.kind = FastValue::kNumber;
    }
    return v;
  };
  if (!eat('[')) return std::nullopt;
  if (eat(']')) return at == text.size() ? std::optional(out) : std::nullopt;
  do {
    TicketSlaTarget& t = out.emplace_back();
    if (eat('[')) {
      for (std::size_t field = 0; field < std::size(kTargetFields); ++field) {
        if (field > 0 && !eat(',')) return std::nullopt;
        auto v = value();
        if (!v || !SetTargetField(t, field, *v)) return std::nullopt;
      }
      if (!eat(']')) return std::nullopt;
      continue;
    }
    if (!eat('{')) return std::nullopt;
    if (!eat('}')) {
      do {
        auto name = plain();
        if (!name || !eat(':')) return std::nullopt;
        auto v = value();
        // Unknown or mistyped: the careful reader decides.
        if (!v || !SetTargetField(t, TargetFieldIndex(*name), *v)) return std::nullopt;
      } while (eat(','));
      if (!eat('}')) return std::nullopt;
    }
  } while (eat(','));
  if (!eat(']') || at != text.size()) return std::nullopt;
  return out;
}

std::vector<TicketSlaTarget> SlaTargetsFromJson(const std::string& text) {
  if (auto fast = ReadSlaTargetsFast(text)) return std::move(*fast);
  std::vector<TicketSlaTarget> out;
  auto parsed = json::parse(text, nullptr, false);
  if (!parsed.is_array()) return out;
  auto time = [](const json& v) -> std::optional<Timestamp> {
    if (!v.is_number_integer()) return std::nullopt;
    return v.get<Timestamp>();
  };
  auto count = [](const json& v) { return v.is_number_integer() ? v.get<int>() : 0; };
  for (const auto& item : parsed) {
    // Positional, or an object with named keys; a missing or mistyped field keeps its default.
    if (!item.is_array() && !item.is_object()) continue;
    auto field = [&](std::size_t idx) {
      if (item.is_array()) return idx < item.size() ? item[idx] : json();
      const auto it = item.find(kTargetFields[idx]);
      return it == item.end() ? json() : *it;
    };
    TicketSlaTarget& t = out.emplace_back();
    if (field(0).is_string()) t.metric = field(0).get<std::string>();
    if (field(1).is_string()) t.state = field(1).get<std::string>();
    t.due_at = time(field(2));
    t.breached = field(3).is_boolean() ? field(3).get<bool>() : count(field(3)) != 0;
    t.breached_at = time(field(4));
    t.warning_at = time(field(5));
    t.cycle = count(field(6));
    t.warned_cycle = count(field(7));
    t.escalated_cycle = count(field(8));
  }
  return out;
}

Ticket ReadTicket(Query& q) {
  Ticket t;
  t.id = q.Int(0);
  t.workspace_id = q.Int(1);
  t.number = q.Int(2);
  t.subject = q.Text(3);
  auto status = ParseStatus(q.Text(4));
  t.status = status.ok() ? *status : TicketStatus::kOpen;
  auto priority = ParsePriority(q.Text(5));
  t.priority = priority.ok() ? *priority : Priority::kNormal;
  t.channel = q.Text(6);
  t.requester_id = q.Int(7);
  t.assignee_id = q.OptInt(8);
  t.team_id = q.OptInt(9);
  t.tags = ListFromJson(q.Text(10));
  t.fields = MapFromJson(q.Text(11));
  t.created_at = q.Int(12);
  t.updated_at = q.Int(13);
  t.first_reply_at = q.OptInt(14);
  t.solved_at = q.OptInt(15);
  t.version = q.Int(16);
  t.requester_name = q.Text(17);
  if (auto policy_id = q.OptInt(18)) {
    t.sla = TicketSla{*policy_id, q.OptInt(20), SlaTargetsFromJson(q.Text(19))};
  }
  t.handoffs = q.Int(21);
  t.agent_path = IdsFromJson(q.Text(22));
  if (auto fcr = q.OptInt(23)) t.first_contact_resolved = *fcr != 0;
  t.queued_at = q.OptInt(24);
  return t;
}

const char* kMessageCols =
    "id, workspace_id, ticket_id, kind, author_type, author_id, body_text, body_html, attachments, created_at, "
    "body_full, external_id";
Message ReadMessage(Query& q) {
  Message m;
  m.id = q.Int(0);
  m.workspace_id = q.Int(1);
  m.ticket_id = q.Int(2);
  m.kind = q.Text(3) == "note" ? MessageKind::kNote : MessageKind::kPublic;
  std::string author = q.Text(4);
  m.author_type = author == "agent" ? AuthorType::kAgent : author == "customer" ? AuthorType::kCustomer : AuthorType::kSystem;
  m.author_id = q.Int(5);
  m.body_text = q.Text(6);
  m.body_html = q.Text(7);
  m.attachments = AttachmentsFromJson(q.Text(8));
  m.created_at = q.Int(9);
  m.body_full = q.Text(10);
  m.external_id = q.Text(11);
  return m;
}

const char* kEventCols = "id, workspace_id, ticket_id, type, actor_type, actor_id, data, created_at";
Event ReadEvent(Query& q) {
  return Event{q.Int(0), q.Int(1), q.OptInt(2), q.Text(3), q.Text(4), q.Int(5), q.Text(6), q.Int(7)};
}

const char* kTokenCols = "id, workspace_id, agent_id, name, token_hash, scopes, created_at, revoked_at";
ports::ApiToken ReadToken(Query& q) {
  return ports::ApiToken{q.Int(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), ListFromJson(q.Text(5)), q.Int(6),
                         q.OptInt(7)};
}


const char* SortColumn(ports::TicketSortKey key) {
  switch (key) {
    case ports::TicketSortKey::kUpdatedAt: return "updated_at";
    case ports::TicketSortKey::kCreatedAt: return "created_at";
    case ports::TicketSortKey::kNumber: return "number";
    case ports::TicketSortKey::kSolvedAt: return "COALESCE(solved_at, 0)";  // the tickets_by_solved index
    case ports::TicketSortKey::kDueAt:  // tickets_by_due: see ports::SortValue
      return "COALESCE(next_due_at, 9223372036854775807 - unsolved)";
  }
  return "updated_at";
}

bool IsUnsolvedSet(const std::vector<TicketStatus>& statuses) {
  if (statuses.size() != 4) return false;
  for (auto s : statuses) {
    if (!IsUnsolved(s)) return false;
  }
  // four distinct unsolved statuses
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    for (std::size_t j = i + 1; j < statuses.size(); ++j) {
      if (statuses[i] == statuses[j]) return false;
    }
  }
  return true;
}

const char* kAttachmentCols =
    "id, workspace_id, token_hash, sha256, name, content_type, size, uploader_type, uploader_id, message_id, created_at";
ports::StoredAttachment ReadAttachment(Query& r) {
  return ports::StoredAttachment{r.Int(0),  r.Int(1),    r.Text(2),   r.Text(3), r.Text(4), r.Text(5),
                                 r.Int(6),  r.Text(7),   r.Int(8),    r.OptInt(9), r.Int(10)};
}

const char* kOutboxCols = "id, workspace_id, kind, payload, run_after, state, attempts, last_error";
ports::OutboxJob ReadOutbox(Query& r) {
  return ports::OutboxJob{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5),
                          static_cast<int>(r.Int(6)), r.Text(7)};
}

const char* kMailboxCols =
    "id, workspace_id, address, display_name, imap_url, imap_username, imap_password, imap_folder, imap_move_to, "
    "enabled, ack_enabled, ack_template, reply_key, uidvalidity, last_uid, last_checked_at, last_error, ingested, "
    "created_at, updated_at, version";
Mailbox ReadMailbox(Query& q) {
  Mailbox m;
  m.id = q.Int(0);
  m.workspace_id = q.Int(1);
  m.address = q.Text(2);
  m.display_name = q.Text(3);
  m.imap_url = q.Text(4);
  m.imap_username = q.Text(5);
  m.imap_password = q.Text(6);
  m.imap_folder = q.Text(7);
  m.imap_move_to = q.Text(8);
  m.enabled = q.Int(9) != 0;
  m.ack_enabled = q.Int(10) != 0;
  m.ack_template = q.Text(11);
  m.reply_key = q.Text(12);
  m.uidvalidity = q.Int(13);
  m.last_uid = q.Int(14);
  m.last_checked_at = q.OptInt(15);
  m.last_error = q.Text(16);
  m.ingested = q.Int(17);
  m.created_at = q.Int(18);
  m.updated_at = q.Int(19);
  m.version = q.Int(20);
  return m;
}

const char* kRejectionCols =
    "id, workspace_id, mailbox_id, message_key, sender, subject, reason, raw_sha256, received_at";
MailRejection ReadRejection(Query& q) {
  return MailRejection{q.Int(0), q.Int(1), q.OptInt(2), q.Text(3), q.Text(4), q.Text(5), q.Text(6), q.Text(7), q.Int(8)};
}

}  // namespace

// ---- reads ----

Result<Workspace> SqlTx::GetWorkspace(WorkspaceId id) {
  KZ_QUERY(q, std::string("SELECT ") + kWorkspaceCols + " FROM workspaces WHERE id = ?");
  q.Bind(id);
  return One<Workspace>(q, ReadWorkspace, "workspace");
}

Result<Workspace> SqlTx::FindWorkspace(std::string_view name) {
  KZ_QUERY(q, std::string("SELECT ") + kWorkspaceCols + " FROM workspaces WHERE name = ?");
  q.Bind(name);
  return One<Workspace>(q, ReadWorkspace, "workspace");
}

Result<Agent> SqlTx::GetAgent(WorkspaceId ws, AgentId id) {
  KZ_QUERY(q, std::string("SELECT ") + kAgentCols + " FROM agents WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<Agent>(q, ReadAgent, "agent");
}

Result<Agent> SqlTx::FindAgentByEmail(WorkspaceId ws, std::string_view email) {
  KZ_QUERY(q, std::string("SELECT ") + kAgentCols + " FROM agents WHERE workspace_id = ? AND email = ?");
  q.Bind(ws).Bind(email);
  return One<Agent>(q, ReadAgent, "agent");
}

Result<std::vector<Agent>> SqlTx::ListAgents(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kAgentCols + " FROM agents WHERE workspace_id = ? ORDER BY id");
  q.Bind(ws);
  return All<Agent>(q, ReadAgent);
}

Result<Team> SqlTx::GetTeam(WorkspaceId ws, TeamId id) {
  // One query: the team's row once per member, in member order (once, with no member, when
  // it has none).
  static const std::string sql = std::string("SELECT t.*, m.agent_id FROM (SELECT ") + kTeamCols +
                                 " FROM teams WHERE workspace_id = ? AND id = ?) t LEFT JOIN team_members m ON "
                                 "m.workspace_id = t.workspace_id AND m.team_id = t.id ORDER BY m.agent_id";
  KZ_QUERY(q, sql);
  q.Bind(ws).Bind(id);
  std::optional<Team> team;
  while (q.Step()) {
    if (!team) team = ReadTeam(q);
    if (!q.IsNull(kTeamColCount)) team->member_ids.push_back(q.Int(kTeamColCount));
  }
  KZ_TRY(q.status());
  if (!team) return Error::NotFound("team not found");
  return std::move(*team);
}

Result<std::vector<Team>> SqlTx::ListTeams(WorkspaceId ws) {
  std::vector<Team> teams;
  {
    KZ_QUERY(q, std::string("SELECT ") + kTeamCols + " FROM teams WHERE workspace_id = ? ORDER BY name");
    q.Bind(ws);
    KZ_ASSIGN(teams, All<Team>(q, ReadTeam));
  }
  KZ_TRY(LoadMembers(ws, teams));
  return teams;
}

Status SqlTx::LoadMembers(WorkspaceId ws, std::vector<Team>& teams) {
  if (teams.empty()) return Ok();
  std::map<TeamId, std::vector<AgentId>> members;
  {
    KZ_QUERY(q, "SELECT team_id, agent_id FROM team_members WHERE workspace_id = ? ORDER BY team_id, agent_id");
    q.Bind(ws);
    while (q.Step()) members[q.Int(0)].push_back(q.Int(1));
    KZ_TRY(q.status());
  }
  for (auto& team : teams) team.member_ids = members[team.id];
  return Ok();
}

Result<std::vector<Team>> SqlTx::ListRoutingTeams() {
  std::vector<Team> teams;
  {
    KZ_QUERY(q, std::string("SELECT ") + kTeamCols + " FROM teams WHERE routing_enabled = 1 ORDER BY workspace_id, id");
    KZ_ASSIGN(teams, All<Team>(q, ReadTeam));
  }
  for (std::size_t first = 0; first < teams.size();) {
    std::size_t end = first;
    while (end < teams.size() && teams[end].workspace_id == teams[first].workspace_id) ++end;
    std::vector<Team> group(std::make_move_iterator(teams.begin() + static_cast<std::ptrdiff_t>(first)),
                            std::make_move_iterator(teams.begin() + static_cast<std::ptrdiff_t>(end)));
    KZ_TRY(LoadMembers(group.front().workspace_id, group));
    std::move(group.begin(), group.end(), teams.begin() + static_cast<std::ptrdiff_t>(first));
    first = end;
  }
  return teams;
}

Status SqlTx::SetTeamMembers(WorkspaceId ws, TeamId team, const std::vector<AgentId>& agent_ids) {
  {
    KZ_QUERY(del, "DELETE FROM team_members WHERE workspace_id = ? AND team_id = ?");
    del.Bind(ws).Bind(team);
    KZ_TRY(del.Exec());
  }
  for (AgentId agent : agent_ids) {
    KZ_QUERY(q, "INSERT INTO team_members (workspace_id, team_id, agent_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    q.Bind(ws).Bind(team).Bind(agent);
    KZ_TRY(q.Exec());
  }
  return Ok();
}

Result<Organisation> SqlTx::GetOrganisation(WorkspaceId ws, OrganisationId id) {
  KZ_QUERY(q, "SELECT id, workspace_id, name, domain, notes, created_at FROM organisations WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<Organisation>(
      q, [](Query& r) { return Organisation{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)}; },
      "organisation");
}

Result<std::vector<Organisation>> SqlTx::ListOrganisations(WorkspaceId ws) {
  KZ_QUERY(q,
           "SELECT id, workspace_id, name, domain, notes, created_at FROM organisations WHERE workspace_id = ? ORDER BY name");
  q.Bind(ws);
  return All<Organisation>(
      q, [](Query& r) { return Organisation{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)}; });
}


namespace {

// A customer and its identities from one query: the customer's columns (kCustomerCols) and
// then an identity's kind and value, a row per identity in order (one row of NULLs when it
// has none). `customers` is the customer row (or none) to select from.
std::string CustomerWithIdentities(const std::string& customers) {
  return "SELECT c.*, i.kind, i.value FROM (" + customers +
         ") c LEFT JOIN customer_identities i ON i.workspace_id = c.workspace_id AND i.customer_id = c.id "
         "ORDER BY i.kind, i.value";
}

Result<Customer> ReadCustomerWithIdentities(Query& q) {
  std::optional<Customer> customer;
  while (q.Step()) {
    if (!customer) customer = ReadCustomer(q);
    if (!q.IsNull(kCustomerColCount)) {
      customer->identities.push_back(Identity{q.Text(kCustomerColCount), q.Text(kCustomerColCount + 1)});
    }
  }
  KZ_TRY(q.status());
  if (!customer) return Error::NotFound("customer not found");
  return std::move(*customer);
}

}  // namespace

Result<Customer> SqlTx::GetCustomer(WorkspaceId ws, CustomerId id) {
  static const std::string sql =
      CustomerWithIdentities(std::string("SELECT ") + kCustomerCols + " FROM customers WHERE workspace_id = ? AND id = ?");
  KZ_QUERY(q, sql);
  q.Bind(ws).Bind(id);
  return ReadCustomerWithIdentities(q);
}

Result<Customer> SqlTx::FindCustomerByIdentity(WorkspaceId ws, const Identity& identity) {
  static const std::string sql = CustomerWithIdentities(
      std::string("SELECT ") + kCustomerCols +
      " FROM customers WHERE workspace_id = ? AND id = (SELECT customer_id FROM customer_identities WHERE workspace_id = ? "
      "AND kind = ? AND value = ?)");
  KZ_QUERY(q, sql);
  q.Bind(ws).Bind(ws).Bind(identity.kind).Bind(identity.value);
  return ReadCustomerWithIdentities(q);
}

Result<std::vector<Customer>> SqlTx::ListCustomers(WorkspaceId ws, std::string_view query, CustomerId after_id,
                                                      int limit) {
  std::vector<Customer> out;
  if (query.empty()) {
    KZ_QUERY(q, std::string("SELECT ") + kCustomerCols +
                    " FROM customers WHERE workspace_id = ? AND id > ? AND merged_into IS NULL ORDER BY id LIMIT ?");
    q.Bind(ws).Bind(after_id).Bind(limit);
    KZ_ASSIGN(out, All<Customer>(q, ReadCustomer));
  } else {
    std::string pattern(query);
    // LIKE wildcards typed by people are matched literally.
    std::string escaped;
    for (char c : pattern) {
      if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
    // SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE does the same.
    const std::string like = db_->dialect() == Dialect::kPostgres ? " ILIKE " : " LIKE ";
    KZ_QUERY(q, std::string("SELECT ") + kCustomerCols +
                    " FROM customers c WHERE workspace_id = ? AND id > ? AND merged_into IS NULL AND (name" + like +
                    "? ESCAPE '\\' OR EXISTS (SELECT 1 FROM customer_identities i WHERE i.workspace_id = "
                    "c.workspace_id AND i.customer_id = c.id AND i.value" + like + "? ESCAPE '\\')) ORDER BY id LIMIT ?");
    q.Bind(ws).Bind(after_id).Bind("%" + escaped + "%").Bind(escaped + "%").Bind(limit);
    KZ_ASSIGN(out, All<Customer>(q, ReadCustomer));
  }
  KZ_TRY(LoadIdentities(ws, out));
  return out;
}

Result<Ticket> SqlTx::GetTicket(WorkspaceId ws, TicketId id) {
  KZ_QUERY(q, std::string("SELECT ") + kTicketCols + " FROM tickets WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<Ticket>(q, ReadTicket, "ticket");
}

Result<Ticket> SqlTx::GetTicketByNumber(WorkspaceId ws, std::int64_t number) {
  KZ_QUERY(q, std::string("SELECT ") + kTicketCols + " FROM tickets WHERE workspace_id = ? AND number = ?");
  q.Bind(ws).Bind(number);
  return One<Ticket>(q, ReadTicket, "ticket");
}

Result<ports::TicketPage> SqlTx::ListTickets(WorkspaceId ws, const ports::TicketFilter& f) {
  std::string sql = std::string("SELECT ") + kTicketCols + " FROM tickets WHERE workspace_id = ?";
  // Binding happens in the same order the clauses are appended.
  std::vector<std::function<void(Query&)>> binds;
  if (IsUnsolvedSet(f.statuses)) {
    sql += " AND unsolved = 1";
    // The unsolved tickets are the first part of tickets_by_due: the scan stops at its end.
    if (f.sort == ports::TicketSortKey::kDueAt) {
      sql += std::string(" AND ") + SortColumn(f.sort) + " < 9223372036854775807";
    }
  } else if (f.statuses.size() == 1) {
    sql += " AND status = ?";
    binds.push_back([s = StatusName(f.statuses[0])](Query& q) { q.Bind(s); });
  } else if (!f.statuses.empty()) {
    sql += " AND status IN (";
    for (std::size_t i = 0; i < f.statuses.size(); ++i) {
      sql += i ? ",?" : "?";
      binds.push_back([s = StatusName(f.statuses[i])](Query& q) { q.Bind(s); });
    }
    sql += ")";
  }
  if (f.unassigned) sql += " AND assignee_id IS NULL";
  if (f.assignee_id) {
    sql += " AND assignee_id = ?";
    binds.push_back([v = *f.assignee_id](Query& q) { q.Bind(v); });
  }
  if (f.team_id) {
    sql += " AND team_id = ?";
    binds.push_back([v = *f.team_id](Query& q) { q.Bind(v); });
  }
  if (f.requester_id) {
    sql += " AND requester_id = ?";
    binds.push_back([v = *f.requester_id](Query& q) { q.Bind(v); });
  }
  if (f.channel) {
    sql += " AND channel = ?";
    binds.push_back([v = *f.channel](Query& q) { q.Bind(v); });
  }
  if (f.tag) {
    sql += " AND EXISTS (SELECT 1 FROM ticket_tags g WHERE g.workspace_id = tickets.workspace_id AND g.tag = ? AND g.ticket_id = tickets.id)";
    binds.push_back([v = *f.tag](Query& q) { q.Bind(v); });
  }
  if (f.updated_since) {
    sql += " AND updated_at >= ?";
    binds.push_back([v = *f.updated_since](Query& q) { q.Bind(v); });
  }
  const std::string col = SortColumn(f.sort);
  const char* cmp = f.descending ? "<" : ">";
  const char* dir = f.descending ? " DESC" : " ASC";
  if (f.after) {
    // The bound on the sort value alone lets SQLite seek an expression index (due time,
    // solve time): it does not for a row value over an expression.
    sql += " AND " + col + (f.descending ? " <= ?" : " >= ?") + " AND (" + col + ", id) " + cmp + " (?, ?)";
    binds.push_back([c = *f.after](Query& q) { q.Bind(c.sort_value).Bind(c.sort_value).Bind(c.id); });
  }
  sql += " ORDER BY " + col + dir + ", id" + dir + " LIMIT ?";
  KZ_QUERY(q, sql);
  q.Bind(ws);
  for (auto& bind : binds) bind(q);
  q.Bind(f.limit + 1);
  ports::TicketPage page;
  KZ_ASSIGN(page.tickets, All<Ticket>(q, ReadTicket));
  if (static_cast<int>(page.tickets.size()) > f.limit) {
    page.tickets.pop_back();
    page.has_more = true;
  }
  return page;
}

// The sum of the shards of each of `n` keys (n >= 1), as rows of (key, sum), for
// `workspace_id = ?` and the keys bound after it.
static std::string InboxSumsSql(std::size_t n) {
  std::string sql = "SELECT key, SUM(count) FROM inbox_counter_shards WHERE workspace_id = ? AND key IN (?";
  for (std::size_t i = 1; i < n; ++i) sql += ", ?";
  return sql + ") GROUP BY key";
}

Result<std::map<std::string, std::int64_t>> SqlTx::CountInbox(WorkspaceId ws, const std::vector<std::string>& keys) {
  std::map<std::string, std::int64_t> out;
  for (const auto& key : keys) out[key] = 0;
  if (db_->dialect() == Dialect::kSqlite) {  // in-process: a primary-key range per key is cheapest
    for (const auto& key : keys) {
      KZ_QUERY(q, "SELECT SUM(count) FROM inbox_counter_shards WHERE workspace_id = ? AND key = ?");
      q.Bind(ws).Bind(key);
      if (q.Step() && !q.IsNull(0)) out[key] = q.Int(0);
      KZ_TRY(q.status());
    }
    return out;
  }
  // Over the network: up to 50 keys a query, each the sum of its shards.
  constexpr std::size_t kKeysPerQuery = 50;
  for (std::size_t from = 0; from < keys.size(); from += kKeysPerQuery) {
    const std::size_t n = std::min(kKeysPerQuery, keys.size() - from);
    KZ_QUERY(q, InboxSumsSql(n));
    q.Bind(ws);
    for (std::size_t i = 0; i < n; ++i) q.Bind(keys[from + i]);
    while (q.Step()) out[q.Text(0)] = q.Int(1);
    KZ_TRY(q.status());
  }
  return out;
}

Result<std::map<std::string, std::int64_t>> SqlTx::CountInboxAndTeams(WorkspaceId ws,
                                                                       const std::vector<std::string>& keys) {
  if (db_->dialect() == Dialect::kSqlite) {  // in-process: the teams, then a key at a time
    std::vector<std::string> all = keys;
    KZ_QUERY(q, "SELECT id FROM teams WHERE workspace_id = ? ORDER BY id");
    q.Bind(ws);
    while (q.Step()) all.push_back("team:" + std::to_string(q.Int(0)));
    KZ_TRY(q.status());
    return CountInbox(ws, all);
  }
  std::map<std::string, std::int64_t> out;
  for (const auto& key : keys) out[key] = 0;
  // No keys: one that counts nothing, for the teams alone.
  const std::vector<std::string> asked = keys.empty() ? std::vector<std::string>{""} : keys;
  const std::string sql = InboxSumsSql(asked.size()) +
                          " UNION ALL SELECT 'team:' || CAST(t.id AS TEXT), COALESCE((SELECT SUM(s.count) FROM "
                          "inbox_counter_shards s WHERE s.workspace_id = t.workspace_id AND s.key = 'team:' || "
                          "CAST(t.id AS TEXT)), 0) FROM teams t WHERE t.workspace_id = ?";
  KZ_QUERY(q, sql);
  q.Bind(ws);
  for (const auto& key : asked) q.Bind(key);
  q.Bind(ws);
  while (q.Step()) out[q.Text(0)] = q.Int(1);
  KZ_TRY(q.status());
  return out;
}

Result<std::vector<Message>> SqlTx::ListMessages(WorkspaceId ws, TicketId ticket) {
  KZ_QUERY(q, std::string("SELECT ") + kMessageCols + " FROM messages WHERE workspace_id = ? AND ticket_id = ? ORDER BY id");
  q.Bind(ws).Bind(ticket);
  return All<Message>(q, ReadMessage);
}

Result<std::vector<Event>> SqlTx::ListTicketEvents(WorkspaceId ws, TicketId ticket) {
  KZ_QUERY(q, std::string("SELECT ") + kEventCols + " FROM events WHERE workspace_id = ? AND ticket_id = ? ORDER BY id");
  q.Bind(ws).Bind(ticket);
  return All<Event>(q, ReadEvent);
}

Result<std::vector<Event>> SqlTx::ListEventsSince(WorkspaceId ws, EventId after_id, std::size_t limit) {
  KZ_QUERY(q, std::string("SELECT ") + kEventCols + " FROM events WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  q.Bind(ws).Bind(after_id).Bind(static_cast<std::int64_t>(limit));
  return All<Event>(q, ReadEvent);
}

Result<std::vector<Event>> SqlTx::ListAllEventsSince(EventId after_id, std::size_t limit) {
  KZ_QUERY(q, std::string("SELECT ") + kEventCols + " FROM events WHERE id > ? ORDER BY id LIMIT ?");
  q.Bind(after_id).Bind(static_cast<std::int64_t>(limit));
  return All<Event>(q, ReadEvent);
}

Result<EventId> SqlTx::LastEventId() {
  KZ_QUERY(q, "SELECT COALESCE(MAX(id), 0) FROM events");
  if (!q.Step()) {
    KZ_TRY(q.status());
    return EventId{0};
  }
  return EventId{q.Int(0)};
}

Result<std::vector<WorkspaceId>> SqlTx::ListWorkspaceIds() {
  KZ_QUERY(q, "SELECT id FROM workspaces ORDER BY id");
  return All<WorkspaceId>(q, [](Query& r) { return r.Int(0); });
}

Result<std::vector<ports::TicketWithMessages>> SqlTx::ListTicketsWithMessages(WorkspaceId ws, TicketId after_id,
                                                                              int limit) {
  KZ_QUERY(tq, std::string("SELECT ") + kTicketCols + " FROM tickets WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?");
  tq.Bind(ws).Bind(after_id).Bind(static_cast<std::int64_t>(limit));
  KZ_ASSIGN(std::vector<Ticket> tickets, All<Ticket>(tq, ReadTicket));
  std::vector<ports::TicketWithMessages> out;
  out.reserve(tickets.size());
  for (auto& ticket : tickets) out.push_back({std::move(ticket), {}});
  if (out.empty()) return out;
  // One query for the messages of the whole page, matched to their tickets in id order.
  KZ_QUERY(mq, std::string("SELECT ") + kMessageCols +
                   " FROM messages WHERE workspace_id = ? AND ticket_id > ? AND ticket_id <= ? ORDER BY ticket_id, id");
  mq.Bind(ws).Bind(after_id).Bind(out.back().ticket.id);
  KZ_ASSIGN(std::vector<Message> messages, All<Message>(mq, ReadMessage));
  std::size_t at = 0;
  for (auto& message : messages) {
    while (at < out.size() && out[at].ticket.id < message.ticket_id) ++at;
    if (at < out.size() && out[at].ticket.id == message.ticket_id) out[at].messages.push_back(std::move(message));
  }
  return out;
}

namespace {

// IN lists of ids: up to kIdsPerQuery in one statement, padded (the last id repeated) to one
// of a few lengths, so that a connection prepares a handful of statements rather than one
// per length. Calls `fn(placeholders, chunk)` for each chunk of the sorted, unique `ids`.
constexpr std::size_t kIdsPerQuery = 256;

template <typename Fn>
Status ForIdChunks(const std::vector<std::int64_t>& ids, Fn&& fn) {
  std::vector<std::int64_t> sorted(ids);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (std::size_t at = 0; at < sorted.size(); at += kIdsPerQuery) {
    std::vector<std::int64_t> chunk(sorted.begin() + static_cast<std::ptrdiff_t>(at),
                                    sorted.begin() + static_cast<std::ptrdiff_t>(std::min(sorted.size(), at + kIdsPerQuery)));
    std::size_t length = 1;
    while (length < chunk.size()) length *= 4;
    chunk.resize(length, chunk.back());
    std::string placeholders = "?";
    for (std::size_t idx = 1; idx < length; ++idx) placeholders += ", ?";
    KZ_TRY(fn(placeholders, chunk));
  }
  return Ok();
}

}  // namespace

Result<std::vector<ports::TicketWithMessages>> SqlTx::GetTicketsWithMessages(WorkspaceId ws,
                                                                             const std::vector<TicketId>& ids) {
  std::vector<ports::TicketWithMessages> out;
  KZ_TRY(ForIdChunks(ids, [&](const std::string& in, const std::vector<std::int64_t>& chunk) -> Status {
    const std::size_t first = out.size();
    {
      KZ_QUERY(tq, std::string("SELECT ") + kTicketCols + " FROM tickets WHERE workspace_id = ? AND id IN (" + in +
                       ") ORDER BY id");
      tq.Bind(ws);
      for (std::int64_t id : chunk) tq.Bind(id);
      KZ_ASSIGN(std::vector<Ticket> tickets, All<Ticket>(tq, ReadTicket));
      for (auto& ticket : tickets) out.push_back({std::move(ticket), {}});
    }
    if (out.size() == first) return Ok();
    KZ_QUERY(mq, std::string("SELECT ") + kMessageCols + " FROM messages WHERE workspace_id = ? AND ticket_id IN (" +
                     in + ") ORDER BY ticket_id, id");
    mq.Bind(ws);
    for (std::int64_t id : chunk) mq.Bind(id);
    KZ_ASSIGN(std::vector<Message> messages, All<Message>(mq, ReadMessage));
    std::size_t at = first;
    for (auto& message : messages) {
      while (at < out.size() && out[at].ticket.id < message.ticket_id) ++at;
      if (at < out.size() && out[at].ticket.id == message.ticket_id) out[at].messages.push_back(std::move(message));
    }
    return Ok();
  }));
  return out;
}

Result<std::vector<Customer>> SqlTx::GetCustomers(WorkspaceId ws, const std::vector<CustomerId>& ids) {
  std::vector<Customer> out;
  KZ_TRY(ForIdChunks(ids, [&](const std::string& in, const std::vector<std::int64_t>& chunk) -> Status {
    KZ_QUERY(q, std::string("SELECT ") + kCustomerCols + " FROM customers WHERE workspace_id = ? AND id IN (" + in +
                    ") ORDER BY id");
    q.Bind(ws);
    for (std::int64_t id : chunk) q.Bind(id);
    KZ_ASSIGN(std::vector<Customer> customers, All<Customer>(q, ReadCustomer));
    for (auto& customer : customers) out.push_back(std::move(customer));
    return Ok();
  }));
  KZ_TRY(LoadIdentities(ws, out));
  return out;
}

Status SqlTx::LoadIdentities(WorkspaceId ws, std::vector<Customer>& customers) {
  std::unordered_map<CustomerId, Customer*> by_id;
  std::vector<CustomerId> ids;
  for (auto& customer : customers) {
    customer.identities.clear();
    by_id[customer.id] = &customer;
    ids.push_back(customer.id);
  }
  return ForIdChunks(ids, [&](const std::string& in, const std::vector<std::int64_t>& chunk) -> Status {
    KZ_QUERY(q, "SELECT customer_id, kind, value FROM customer_identities WHERE workspace_id = ? AND customer_id IN (" +
                    in + ") ORDER BY customer_id, kind, value");
    q.Bind(ws);
    for (std::int64_t id : chunk) q.Bind(id);
    while (q.Step()) {
      if (auto it = by_id.find(q.Int(0)); it != by_id.end()) it->second->identities.push_back(Identity{q.Text(1), q.Text(2)});
    }
    return q.status();
  });
}


Result<ports::Session> SqlTx::FindSession(std::string_view token_hash) {
  KZ_QUERY(q, "SELECT token_hash, workspace_id, agent_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ?");
  q.Bind(token_hash);
  return One<ports::Session>(
      q, [](Query& r) { return ports::Session{r.Text(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4), r.Int(5)}; },
      "session");
}

Result<ports::ApiToken> SqlTx::FindApiToken(std::string_view token_hash) {
  KZ_QUERY(q, std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE token_hash = ?");
  q.Bind(token_hash);
  return One<ports::ApiToken>(q, ReadToken, "token");
}

Result<std::vector<ports::ApiToken>> SqlTx::ListApiTokens(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE workspace_id = ? ORDER BY id");
  q.Bind(ws);
  return All<ports::ApiToken>(q, ReadToken);
}

Result<ports::PortalLink> SqlTx::FindPortalLink(std::string_view token_hash) {
  KZ_QUERY(q, "SELECT token_hash, workspace_id, customer_id, created_at, expires_at, used_at FROM portal_links WHERE token_hash = ?");
  q.Bind(token_hash);
  return One<ports::PortalLink>(
      q, [](Query& r) { return ports::PortalLink{r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.OptInt(5)}; },
      "sign-in link");
}

Result<ports::StoredAttachment> SqlTx::GetAttachment(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kAttachmentCols + " FROM attachments WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::StoredAttachment>(q, ReadAttachment, "attachment");
}

Result<ports::StoredAttachment> SqlTx::FindAttachmentByToken(WorkspaceId ws, std::string_view token_hash) {
  KZ_QUERY(q, std::string("SELECT ") + kAttachmentCols + " FROM attachments WHERE workspace_id = ? AND token_hash = ?");
  q.Bind(ws).Bind(token_hash);
  return One<ports::StoredAttachment>(q, ReadAttachment, "attachment");
}

Result<Message> SqlTx::GetMessage(WorkspaceId ws, MessageId id) {
  KZ_QUERY(q, std::string("SELECT ") + kMessageCols + " FROM messages WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<Message>(q, ReadMessage, "message");
}

Status SqlTx::InsertAttachment(ports::StoredAttachment& a) {
  KZ_QUERY(q,
           "INSERT INTO attachments (workspace_id, token_hash, sha256, name, content_type, size, uploader_type, "
           "uploader_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(a.workspace_id).Bind(a.token_hash).Bind(a.sha256).Bind(a.name).Bind(a.content_type).Bind(a.size);
  q.Bind(a.uploader_type).Bind(a.uploader_id).Bind(a.created_at);
  KZ_ASSIGN(a.id, q.InsertId());
  return Ok();
}

Status SqlTx::AttachToMessage(WorkspaceId ws, std::int64_t attachment_id, MessageId message) {
  KZ_QUERY(q, "UPDATE attachments SET message_id = ? WHERE workspace_id = ? AND id = ? AND message_id IS NULL");
  q.Bind(message).Bind(ws).Bind(attachment_id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::Conflict("the attachment was already sent with another message", "attachments");
  return Ok();
}

Result<ports::PortalSession> SqlTx::FindPortalSession(std::string_view token_hash) {
  KZ_QUERY(q,
           "SELECT token_hash, workspace_id, customer_id, csrf_token, created_at, expires_at FROM portal_sessions "
           "WHERE token_hash = ?");
  q.Bind(token_hash);
  return One<ports::PortalSession>(
      q, [](Query& r) { return ports::PortalSession{r.Text(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4), r.Int(5)}; },
      "session");
}

Result<ports::StoredResponse> SqlTx::FindIdempotent(WorkspaceId ws, std::string_view principal,
                                                       std::string_view key) {
  KZ_QUERY(q, "SELECT request_hash, status, body FROM idempotency_keys WHERE workspace_id = ? AND principal = ? AND key = ?");
  q.Bind(ws).Bind(principal).Bind(key);
  return One<ports::StoredResponse>(
      q, [](Query& r) { return ports::StoredResponse{r.Text(0), static_cast<int>(r.Int(1)), r.Text(2)}; },
      "idempotency key");
}

Result<std::vector<Mailbox>> SqlTx::ListMailboxes(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kMailboxCols + " FROM mailboxes WHERE workspace_id = ? ORDER BY address");
  q.Bind(ws);
  return All<Mailbox>(q, ReadMailbox);
}

Result<Mailbox> SqlTx::GetMailbox(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kMailboxCols + " FROM mailboxes WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<Mailbox>(q, ReadMailbox, "mailbox");
}

Result<std::vector<Mailbox>> SqlTx::ListPolledMailboxes() {
  KZ_QUERY(q, std::string("SELECT ") + kMailboxCols + " FROM mailboxes WHERE enabled = 1 AND imap_url <> '' ORDER BY id");
  return All<Mailbox>(q, ReadMailbox);
}

Result<InboundRecord> SqlTx::FindInboundEmail(WorkspaceId ws, std::string_view message_key) {
  KZ_QUERY(q,
           "SELECT workspace_id, message_key, sender, outcome, ticket_id, message_id, received_at FROM inbound_emails "
           "WHERE workspace_id = ? AND message_key = ?");
  q.Bind(ws).Bind(message_key);
  return One<InboundRecord>(
      q,
      [](Query& r) {
        return InboundRecord{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.OptInt(4), r.OptInt(5), r.Int(6)};
      },
      "inbound email");
}

Result<std::int64_t> SqlTx::CountInboundFrom(WorkspaceId ws, std::string_view sender, Timestamp since) {
  KZ_QUERY(q, "SELECT count(*) FROM inbound_emails WHERE workspace_id = ? AND sender = ? AND received_at >= ?");
  q.Bind(ws).Bind(sender).Bind(since);
  return One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "count");
}

Result<std::vector<MailRejection>> SqlTx::ListMailRejections(WorkspaceId ws, std::int64_t before_id, int limit) {
  KZ_QUERY(q, std::string("SELECT ") + kRejectionCols +
                  " FROM mail_rejections WHERE workspace_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
  q.Bind(ws).Bind(before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max()).Bind(limit);
  return All<MailRejection>(q, ReadRejection);
}

// ---- writes ----

Status SqlTx::InsertWorkspace(Workspace& w) {
  KZ_QUERY(q, "INSERT INTO workspaces (name, time_zone, locale, service_style, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
  q.Bind(w.name).Bind(w.time_zone).Bind(w.locale).Bind(w.service_style).Bind(w.created_at);
  KZ_ASSIGN(w.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateWorkspace(const Workspace& w) {
  KZ_QUERY(q,
           "UPDATE workspaces SET name = ?, time_zone = ?, locale = ?, service_style = ?, default_team_id = ? WHERE id = ?");
  q.Bind(w.name).Bind(w.time_zone).Bind(w.locale).Bind(w.service_style).Bind(w.default_team_id).Bind(w.id);
  return q.Exec();
}

Status SqlTx::InsertAgent(Agent& a) {
  KZ_QUERY(q,
           "INSERT INTO agents (workspace_id, email, name, role, languages, password_hash, active, created_at, locale, "
           "presence, presence_at, capacity, skills) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(a.workspace_id).Bind(a.email).Bind(a.name).Bind(RoleName(a.role)).Bind(ToJson(a.languages));
  q.Bind(a.password_hash).Bind(a.active ? 1 : 0).Bind(a.created_at).Bind(a.locale).Bind(PresenceName(a.presence));
  q.Bind(a.presence_at).Bind(CapacityToJson(a.capacity)).Bind(LevelsToJson(a.skills));
  auto inserted = q.InsertId();
  if (!inserted.ok() && inserted.error().code == ErrorCode::kConflict) {
    return Error::Conflict("an agent with this email already exists", "email");
  }
  KZ_TRY(inserted);
  a.id = *inserted;
  return Ok();
}

Status SqlTx::UpdateAgent(const Agent& a) {
  KZ_QUERY(q,
           "UPDATE agents SET email = ?, name = ?, role = ?, languages = ?, password_hash = ?, active = ?, locale = ?, "
           "presence = ?, presence_at = ?, capacity = ?, skills = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(a.email).Bind(a.name).Bind(RoleName(a.role)).Bind(ToJson(a.languages)).Bind(a.password_hash);
  q.Bind(a.active ? 1 : 0).Bind(a.locale).Bind(PresenceName(a.presence)).Bind(a.presence_at);
  q.Bind(CapacityToJson(a.capacity)).Bind(LevelsToJson(a.skills)).Bind(a.workspace_id).Bind(a.id);
  return q.Exec();
}

Status SqlTx::InsertTeam(Team& t) {
  KZ_QUERY(q,
           "INSERT INTO teams (workspace_id, name, description, created_at, routing_enabled, strategy, overflow_team_id, "
           "overflow_after_minutes, match_language, required_skills, round_robin_cursor) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(t.workspace_id).Bind(t.name).Bind(t.description).Bind(t.created_at).Bind(t.routing.enabled ? 1 : 0);
  q.Bind(t.routing.strategy).Bind(t.routing.overflow_team_id).Bind(t.routing.overflow_after_minutes);
  q.Bind(t.routing.match_language ? 1 : 0).Bind(LevelsToJson(t.routing.required_skills)).Bind(t.routing.round_robin_cursor);
  auto inserted = q.InsertId();
  if (!inserted.ok() && inserted.error().code == ErrorCode::kConflict) {
    return Error::Conflict("a team with this name already exists", "name");
  }
  KZ_TRY(inserted);
  t.id = *inserted;
  return Ok();
}

Status SqlTx::UpdateTeam(const Team& t) {
  KZ_QUERY(q,
           "UPDATE teams SET name = ?, description = ?, routing_enabled = ?, strategy = ?, overflow_team_id = ?, "
           "overflow_after_minutes = ?, match_language = ?, required_skills = ?, round_robin_cursor = ? "
           "WHERE workspace_id = ? AND id = ?");
  q.Bind(t.name).Bind(t.description).Bind(t.routing.enabled ? 1 : 0).Bind(t.routing.strategy);
  q.Bind(t.routing.overflow_team_id).Bind(t.routing.overflow_after_minutes).Bind(t.routing.match_language ? 1 : 0);
  q.Bind(LevelsToJson(t.routing.required_skills)).Bind(t.routing.round_robin_cursor).Bind(t.workspace_id).Bind(t.id);
  auto status = q.Exec();
  if (!status.ok() && status.error().code == ErrorCode::kConflict) {
    return Error::Conflict("a team with this name already exists", "name");
  }
  return status;
}

Status SqlTx::UpdateOrganisation(const Organisation& o) {
  KZ_QUERY(q, "UPDATE organisations SET name = ?, domain = ?, notes = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(o.name).Bind(o.domain).Bind(o.notes).Bind(o.workspace_id).Bind(o.id);
  return q.Exec();
}

Status SqlTx::DeleteCustomer(WorkspaceId ws, CustomerId id) {
  {
    KZ_QUERY(q, "SELECT 1 FROM tickets WHERE workspace_id = ? AND requester_id = ? LIMIT 1");
    q.Bind(ws).Bind(id);
    if (q.Step()) return Error::Conflict("the customer has tickets; merge them into another customer instead", "id");
    KZ_TRY(q.status());
  }
  // Duplicates merged into this customer gave it their tickets and identities: they go too.
  std::int64_t deleted = 0;
  for (const char* sql : {"DELETE FROM customers WHERE workspace_id = ? AND merged_into = ?",
                          "DELETE FROM customer_identities WHERE workspace_id = ? AND customer_id = ?",
                          "DELETE FROM portal_links WHERE workspace_id = ? AND customer_id = ?",
                          "DELETE FROM portal_sessions WHERE workspace_id = ? AND customer_id = ?",
                          "DELETE FROM customers WHERE workspace_id = ? AND id = ?"}) {
    KZ_QUERY(q, sql);
    q.Bind(ws).Bind(id);
    KZ_TRY(q.Exec());
    deleted = q.Changes();  // the last statement's: the customer's own row
  }
  if (deleted == 0) return Error::NotFound("customer not found");
  return Ok();
}

Status SqlTx::InsertOrganisation(Organisation& o) {
  KZ_QUERY(q, "INSERT INTO organisations (workspace_id, name, domain, notes, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
  q.Bind(o.workspace_id).Bind(o.name).Bind(o.domain).Bind(o.notes).Bind(o.created_at);
  KZ_ASSIGN(o.id, q.InsertId());
  return Ok();
}

Status SqlTx::WriteIdentities(const Customer& c, bool replace) {
  if (replace) {  // a new customer has none to replace
    KZ_QUERY(del, "DELETE FROM customer_identities WHERE workspace_id = ? AND customer_id = ?");
    del.Bind(c.workspace_id).Bind(c.id);
    KZ_TRY(del.Exec());
  }
  for (const auto& identity : c.identities) {
    KZ_QUERY(q, "INSERT INTO customer_identities (workspace_id, kind, value, customer_id) VALUES (?, ?, ?, ?)");
    q.Bind(c.workspace_id).Bind(identity.kind).Bind(identity.value).Bind(c.id);
    auto status = q.Exec();
    if (!status.ok() && status.error().code == ErrorCode::kConflict) {
      return Error::Conflict("another customer already has the identity " + identity.kind + ":" + identity.value,
                             "identities");
    }
    KZ_TRY(status);
  }
  return Ok();
}

Status SqlTx::InsertCustomer(Customer& c) {
  // In a savepoint: when another transaction took one of the identities first, the caller
  // gets Conflict with nothing of this customer written and its transaction still usable
  // (PostgreSQL aborts a transaction at its first error otherwise).
  return Guarded([&]() -> Status {
    KZ_QUERY(q,
             "INSERT INTO customers (workspace_id, name, language, organisation_id, notes, birthday, merged_into, "
             "created_at, updated_at, version, tier, account_owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
             "RETURNING id");
    q.Bind(c.workspace_id).Bind(c.name).Bind(c.language).Bind(c.organisation_id).Bind(c.notes).Bind(c.birthday);
    q.Bind(c.merged_into).Bind(c.created_at).Bind(c.updated_at).Bind(c.version).Bind(c.tier).Bind(c.account_owner_id);
    KZ_ASSIGN(c.id, q.InsertId());
    return WriteIdentities(c, false);
  });
}

Status SqlTx::Guarded(const std::function<Status()>& body) {
  // SQLite's single writer meets no other transaction's rows, and its savepoints cost more
  // the larger the database: there the caller's own savepoint is enough.
  if (db_->dialect() == Dialect::kSqlite) return body();
  const std::string name = "g" + std::to_string(++savepoints_);
  KZ_TRY(db_->ExecLater("SAVEPOINT " + name));
  Status status = body();
  if (!status.ok()) KZ_TRY(db_->ExecLater("ROLLBACK TO SAVEPOINT " + name));
  KZ_TRY(db_->ExecLater("RELEASE SAVEPOINT " + name));
  return status;
}

Status SqlTx::UpdateCustomer(const Customer& c) {
  {
    KZ_QUERY(q,
             "UPDATE customers SET name = ?, language = ?, organisation_id = ?, notes = ?, birthday = ?, merged_into = ?, "
             "updated_at = ?, version = ?, tier = ?, account_owner_id = ? WHERE workspace_id = ? AND id = ?");
    q.Bind(c.name).Bind(c.language).Bind(c.organisation_id).Bind(c.notes).Bind(c.birthday).Bind(c.merged_into);
    q.Bind(c.updated_at).Bind(c.version).Bind(c.tier).Bind(c.account_owner_id).Bind(c.workspace_id).Bind(c.id);
    KZ_TRY(q.Exec());
    if (q.Changes() == 0) return Error::NotFound("customer not found");
  }
  return WriteIdentities(c, true);
}

Status SqlTx::ReassignRequester(WorkspaceId ws, CustomerId from, CustomerId to, Timestamp now) {
  KZ_QUERY(q, std::string("UPDATE tickets SET requester_id = ?, version = version + 1, updated_at = ") +
                  (db_->dialect() == Dialect::kPostgres ? "GREATEST" : "MAX") +
                  "(updated_at, ?) WHERE workspace_id = ? AND requester_id = ?");
  q.Bind(to).Bind(now).Bind(ws).Bind(from);
  return q.Exec();
}

Status SqlTx::AdjustCounters(WorkspaceId ws, const std::map<std::string, int>& deltas) {
  CounterDeltas changes;
  for (const auto& [key, delta] : deltas) {
    if (delta != 0) changes[{ws, key}] += delta;
  }
  if (!options_.batch_counters) return AddCounters(*db_, options_.counter_shard, changes);
  for (const auto& [key, delta] : changes) counters_[key] += delta;
  return Ok();
}

Status SqlTx::AddCounters(SqlConn& db, std::int64_t shard, const CounterDeltas& deltas) {
  std::string sql = "INSERT INTO inbox_counter_shards (workspace_id, key, shard, count) VALUES ";
  int rows = 0;
  for (const auto& [key, delta] : deltas) {
    if (delta != 0) sql += rows++ ? ", (?, ?, ?, ?)" : "(?, ?, ?, ?)";
  }
  if (rows == 0) return Ok();
  sql += " ON CONFLICT (workspace_id, key, shard) DO UPDATE SET count = inbox_counter_shards.count + excluded.count";
  KZ_ASSIGN(SqlStmt * stmt, db.Prepare(sql));
  Query q(stmt);
  for (const auto& [key, delta] : deltas) {
    if (delta != 0) q.Bind(key.first).Bind(key.second).Bind(shard).Bind(delta);
  }
  return q.ExecLater();  // nothing waits for its answer
}


// A ticket's inbox counter keys, each counted `delta` times, added to `deltas`.
static void CountKeys(const Ticket& ticket, int delta, std::map<std::string, int>& deltas) {
  for (auto& key : InboxCounterKeys(ticket)) deltas[std::move(key)] += delta;
}

Status SqlTx::WriteTags(const Ticket& t, bool replace) {
  if (replace) {
    KZ_QUERY(del, "DELETE FROM ticket_tags WHERE workspace_id = ? AND ticket_id = ?");
    del.Bind(t.workspace_id).Bind(t.id);
    KZ_TRY(del.Exec());
  }
  if (t.tags.empty()) return Ok();
  // One statement for all of them.
  std::string sql = "INSERT INTO ticket_tags (workspace_id, tag, ticket_id) VALUES (?, ?, ?)";
  for (std::size_t idx = 1; idx < t.tags.size(); ++idx) sql += ", (?, ?, ?)";
  KZ_QUERY(q, sql + " ON CONFLICT DO NOTHING");
  for (const auto& tag : t.tags) q.Bind(t.workspace_id).Bind(tag).Bind(t.id);
  return q.ExecLater();
}

Status SqlTx::InsertTicket(Ticket& t) {
  if (options_.next_ticket_number) {
    KZ_ASSIGN(t.number, options_.next_ticket_number(t.workspace_id));
  } else {
    // Two statements rather than UPDATE … RETURNING, which SQLite runs with a statement
    // journal (see SqliteStmt).
    {
      KZ_QUERY(bump, "UPDATE workspaces SET next_ticket_number = next_ticket_number + 1 WHERE id = ?");
      bump.Bind(t.workspace_id);
      KZ_TRY(bump.Exec());
    }
    KZ_QUERY(q, "SELECT next_ticket_number - 1 FROM workspaces WHERE id = ?");
    q.Bind(t.workspace_id);
    KZ_ASSIGN(t.number, One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "workspace"));
  }
  {
    KZ_QUERY(q,
             "INSERT INTO tickets (workspace_id, number, subject, status, unsolved, priority, channel, requester_id, "
             "assignee_id, team_id, tags, fields, created_at, updated_at, first_reply_at, solved_at, version, handoffs, "
             "agent_path, first_contact_resolved, queued_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    q.Bind(t.workspace_id).Bind(t.number).Bind(t.subject).Bind(StatusName(t.status)).Bind(IsUnsolved(t.status) ? 1 : 0);
    q.Bind(PriorityName(t.priority)).Bind(t.channel).Bind(t.requester_id).Bind(t.assignee_id).Bind(t.team_id);
    q.Bind(ToJson(t.tags)).Bind(ToJson(t.fields)).Bind(t.created_at).Bind(t.updated_at).Bind(t.first_reply_at);
    q.Bind(t.solved_at).Bind(t.version).Bind(t.handoffs).Bind(IdsToJson(t.agent_path));
    q.Bind(t.first_contact_resolved ? std::optional<int>(*t.first_contact_resolved ? 1 : 0) : std::nullopt);
    q.Bind(t.queued_at);
    KZ_ASSIGN(t.id, q.InsertId());
  }
  KZ_TRY(WriteTags(t, false));
  std::map<std::string, int> deltas;
  CountKeys(t, +1, deltas);
  return AdjustCounters(t.workspace_id, deltas);
}

Status SqlTx::UpdateTicket(const Ticket& before, const Ticket& t) {
  {
    KZ_QUERY(q,
             "UPDATE tickets SET subject = ?, status = ?, unsolved = ?, priority = ?, channel = ?, requester_id = ?, "
             "assignee_id = ?, team_id = ?, tags = ?, fields = ?, updated_at = ?, first_reply_at = ?, solved_at = ?, "
             "version = ?, handoffs = ?, agent_path = ?, first_contact_resolved = ?, queued_at = ? "
             "WHERE workspace_id = ? AND id = ? AND version = ?");
    q.Bind(t.subject).Bind(StatusName(t.status)).Bind(IsUnsolved(t.status) ? 1 : 0).Bind(PriorityName(t.priority));
    q.Bind(t.channel).Bind(t.requester_id).Bind(t.assignee_id).Bind(t.team_id).Bind(ToJson(t.tags));
    q.Bind(ToJson(t.fields)).Bind(t.updated_at).Bind(t.first_reply_at).Bind(t.solved_at).Bind(t.version);
    q.Bind(t.handoffs).Bind(IdsToJson(t.agent_path));
    q.Bind(t.first_contact_resolved ? std::optional<int>(*t.first_contact_resolved ? 1 : 0) : std::nullopt);
    q.Bind(t.queued_at);
    q.Bind(t.workspace_id).Bind(t.id).Bind(before.version);
    KZ_TRY(q.Exec());
    if (q.Changes() == 0) return Error::Conflict("the ticket was changed by someone else");
  }
  if (before.tags != t.tags) KZ_TRY(WriteTags(t, true));
  std::map<std::string, int> deltas;
  CountKeys(before, -1, deltas);
  CountKeys(t, +1, deltas);
  return AdjustCounters(t.workspace_id, deltas);
}

const char* TicketColumns() { return kTicketCols; }
int TicketColumnCount() { return 25; }
Ticket ReadTicketRow(Query& q) { return ReadTicket(q); }

const char* SlaTicketColumns() {
  return "tickets.id, tickets.workspace_id, tickets.number, tickets.status, tickets.priority, tickets.channel, "
         "tickets.requester_id, tickets.assignee_id, tickets.team_id, tickets.tags, tickets.created_at, "
         "tickets.updated_at, tickets.version, tickets.sla_policy_id, tickets.sla_targets, tickets.next_due_at";
}
int SlaTicketColumnCount() { return 16; }
Ticket ReadSlaTicketRow(Query& q) {
  Ticket t;
  t.id = q.Int(0);
  t.workspace_id = q.Int(1);
  t.number = q.Int(2);
  auto status = ParseStatus(q.Text(3));
  t.status = status.ok() ? *status : TicketStatus::kOpen;
  auto priority = ParsePriority(q.Text(4));
  t.priority = priority.ok() ? *priority : Priority::kNormal;
  t.channel = q.Text(5);
  t.requester_id = q.Int(6);
  t.assignee_id = q.OptInt(7);
  t.team_id = q.OptInt(8);
  const std::string tags = q.Text(9);
  if (tags != "[]") t.tags = ListFromJson(tags);
  t.created_at = q.Int(10);
  t.updated_at = q.Int(11);
  t.version = q.Int(12);
  if (auto policy_id = q.OptInt(13)) t.sla = TicketSla{*policy_id, q.OptInt(15), SlaTargetsFromJson(q.Text(14))};
  return t;
}

Result<bool> SqlTx::SaveTicketSlaIfUnchanged(WorkspaceId ws, TicketId ticket, std::int64_t version,
                                                const ports::SlaAsRead& before, const ports::SlaColumns& sla,
                                                const std::optional<std::string>& history) {
  KZ_QUERY(q,
           "UPDATE tickets SET sla_policy_id = ?, sla_targets = ?, next_due_at = ?, sla_alarm_at = ?, "
           "sla_history = COALESCE(?, sla_history) "
           "WHERE workspace_id = ? AND id = ? AND version = ? AND sla_policy_id IS ? AND sla_targets IS ?");
  // The texts are the caller's for the whole call: bound without a copy.
  q.Bind(sla.policy_id).BindKept(sla.targets).Bind(sla.next_due_at).Bind(sla.alarm_at).BindKept(history);
  q.Bind(ws).Bind(ticket).Bind(version).Bind(before.policy_id).BindKept(before.targets);
  KZ_TRY(q.Exec());
  return q.Changes() > 0;
}

Status SqlTx::SaveTicketSla(WorkspaceId ws, TicketId ticket, const std::optional<TicketSla>& sla,
                            const std::optional<std::string>& history) {
  // The SLA columns are compared as text (the due and alarm times follow from the targets):
  // a ticket change that moves no clock writes nothing here.
  KZ_QUERY(q,
           "UPDATE tickets SET sla_policy_id = ?, sla_targets = ?, next_due_at = ?, sla_alarm_at = ?, "
           "sla_history = COALESCE(?, sla_history) WHERE workspace_id = ? AND id = ? AND NOT (sla_policy_id IS ? "
           "AND sla_targets IS ? AND (CAST(? AS TEXT) IS NULL OR sla_history IS ?))");
  const ports::SlaColumns columns = ports::SlaColumns::Of(sla);
  q.Bind(columns.policy_id).BindKept(columns.targets).Bind(columns.next_due_at).Bind(columns.alarm_at);
  q.BindKept(history).Bind(ws).Bind(ticket);
  q.Bind(columns.policy_id).BindKept(columns.targets).BindKept(history).BindKept(history);
  return q.Exec();
}

Status SqlTx::SaveTicketSlaHistory(WorkspaceId ws, TicketId ticket, const std::string& history) {
  KZ_QUERY(q, "UPDATE tickets SET sla_history = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(history).Bind(ws).Bind(ticket);
  return q.Exec();
}

Status SqlTx::InsertMessage(Message& m) {
  KZ_QUERY(q,
           "INSERT INTO messages (workspace_id, ticket_id, kind, author_type, author_id, body_text, body_html, "
           "attachments, created_at, body_full, external_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(m.workspace_id).Bind(m.ticket_id).Bind(m.kind == MessageKind::kNote ? "note" : "public");
  q.Bind(AuthorTypeName(m.author_type)).Bind(m.author_id).Bind(m.body_text).Bind(m.body_html);
  q.Bind(AttachmentsToJson(m.attachments)).Bind(m.created_at).Bind(m.body_full).Bind(m.external_id);
  KZ_ASSIGN(m.id, q.InsertId());
  return Ok();
}

Status SqlTx::AppendEvent(const Event& e) {
  KZ_QUERY(q,
           "INSERT INTO events (workspace_id, ticket_id, type, actor_type, actor_id, data, created_at) VALUES (?, ?, ?, "
           "?, ?, ?, ?) RETURNING id");
  q.Bind(e.workspace_id).Bind(e.ticket_id).Bind(e.type).Bind(e.actor_type).Bind(e.actor_id).Bind(e.data);
  q.Bind(e.created_at);
  events_.push_back(e);
  // Its id is needed once the write is done, to publish it: the insert may go with the next
  // statement.
  const std::size_t at = events_.size() - 1;
  return q.InsertIdLater([this, at](std::int64_t id) { events_[at].id = id; });
}

Status SqlTx::InsertMailbox(Mailbox& m) {
  KZ_QUERY(q,
           "INSERT INTO mailboxes (workspace_id, address, display_name, imap_url, imap_username, imap_password, "
           "imap_folder, imap_move_to, enabled, ack_enabled, ack_template, reply_key, uidvalidity, last_uid, "
           "last_checked_at, last_error, ingested, created_at, updated_at, version) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, NULL, '', 0, ?, ?, 1) RETURNING id");
  q.Bind(m.workspace_id).Bind(m.address).Bind(m.display_name).Bind(m.imap_url).Bind(m.imap_username);
  q.Bind(m.imap_password).Bind(m.imap_folder).Bind(m.imap_move_to).Bind(m.enabled ? 1 : 0).Bind(m.ack_enabled ? 1 : 0);
  q.Bind(m.ack_template).Bind(m.reply_key).Bind(m.created_at).Bind(m.updated_at);
  auto inserted = q.InsertId();
  if (!inserted.ok() && inserted.error().code == ErrorCode::kConflict) {
    return Error::Conflict("the workspace already has a mailbox with this address", "address");
  }
  KZ_TRY(inserted);
  m.id = *inserted;
  m.version = 1;
  return Ok();
}

Status SqlTx::UpdateMailbox(const Mailbox& m) {
  KZ_QUERY(q,
           "UPDATE mailboxes SET address = ?, display_name = ?, imap_url = ?, imap_username = ?, imap_password = ?, "
           "imap_folder = ?, imap_move_to = ?, enabled = ?, ack_enabled = ?, ack_template = ?, uidvalidity = ?, "
           "last_uid = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(m.address).Bind(m.display_name).Bind(m.imap_url).Bind(m.imap_username).Bind(m.imap_password);
  q.Bind(m.imap_folder).Bind(m.imap_move_to).Bind(m.enabled ? 1 : 0).Bind(m.ack_enabled ? 1 : 0).Bind(m.ack_template);
  q.Bind(m.uidvalidity).Bind(m.last_uid).Bind(m.updated_at).Bind(m.version).Bind(m.workspace_id).Bind(m.id);
  auto status = q.Exec();
  if (!status.ok() && status.error().code == ErrorCode::kConflict) {
    return Error::Conflict("the workspace already has a mailbox with this address", "address");
  }
  KZ_TRY(status);
  if (q.Changes() == 0) return Error::NotFound("mailbox not found");
  return Ok();
}

Status SqlTx::DeleteMailbox(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, "DELETE FROM mailboxes WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("mailbox not found");
  return Ok();
}

Status SqlTx::RecordMailboxCheck(WorkspaceId ws, std::int64_t id, std::int64_t uidvalidity, std::int64_t last_uid,
                                    Timestamp checked_at, std::string_view error) {
  KZ_QUERY(q,
           "UPDATE mailboxes SET uidvalidity = ?, last_uid = ?, last_checked_at = ?, last_error = ? "
           "WHERE workspace_id = ? AND id = ?");
  q.Bind(uidvalidity).Bind(last_uid).Bind(checked_at).Bind(error).Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("mailbox not found");
  return Ok();
}

Result<bool> SqlTx::ClaimMailboxCheck(WorkspaceId ws, std::int64_t id, Timestamp now, Timestamp until) {
  // One statement: on PostgreSQL a second node's update waits for the first to commit, then
  // finds the claim in the future and changes nothing.
  KZ_QUERY(q,
           "UPDATE mailboxes SET poll_claimed_until = ? WHERE workspace_id = ? AND id = ? AND "
           "(poll_claimed_until IS NULL OR poll_claimed_until <= ?)");
  q.Bind(until).Bind(ws).Bind(id).Bind(now);
  KZ_TRY(q.Exec());
  return q.Changes() > 0;
}

Status SqlTx::CountMailboxIntake(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, "UPDATE mailboxes SET ingested = ingested + 1 WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("mailbox not found");
  return Ok();
}

Status SqlTx::InsertInboundEmail(const InboundRecord& r) {
  KZ_QUERY(q,
           "INSERT INTO inbound_emails (workspace_id, message_key, sender, outcome, ticket_id, message_id, received_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)");
  q.Bind(r.workspace_id).Bind(r.message_key).Bind(r.sender).Bind(r.outcome).Bind(r.ticket_id).Bind(r.message_id);
  q.Bind(r.received_at);
  auto status = q.Exec();
  if (!status.ok() && status.error().code == ErrorCode::kConflict) {
    return Error::Conflict("this message was taken already", "message_id");
  }
  return status;
}

Status SqlTx::InsertMailRejection(MailRejection& r) {
  KZ_QUERY(q,
           "INSERT INTO mail_rejections (workspace_id, mailbox_id, message_key, sender, subject, reason, raw_sha256, "
           "received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(r.workspace_id).Bind(r.mailbox_id).Bind(r.message_key).Bind(r.sender).Bind(r.subject).Bind(r.reason);
  q.Bind(r.raw_sha256).Bind(r.received_at);
  KZ_ASSIGN(r.id, q.InsertId());
  return Ok();
}

Status SqlTx::EnqueueOutbox(ports::OutboxJob& job) {
  KZ_QUERY(q,
           "INSERT INTO outbox (workspace_id, kind, payload, state, attempts, run_after, last_error, created_at) VALUES "
           "(?, ?, ?, 'queued', 0, ?, '', ?) RETURNING id");
  q.Bind(job.workspace_id).Bind(job.kind).Bind(job.payload).Bind(job.run_after).Bind(job.run_after);
  KZ_ASSIGN(job.id, q.InsertId());
  return Ok();
}

Result<std::vector<ports::OutboxJob>> SqlTx::ListOutbox(WorkspaceId ws, int limit) {
  KZ_QUERY(q, std::string("SELECT ") + kOutboxCols + " FROM outbox WHERE workspace_id = ? ORDER BY id DESC LIMIT ?");
  q.Bind(ws).Bind(limit);
  return All<ports::OutboxJob>(q, ReadOutbox);
}

Result<std::vector<ports::OutboxJob>> SqlTx::ClaimOutbox(const std::vector<std::string>& kinds, Timestamp now,
                                                            Timestamp claim_until, int limit) {
  std::vector<ports::OutboxJob> jobs;
  for (const char* state : {"queued", "sending"}) {
    for (const auto& kind : kinds) {
      if (static_cast<int>(jobs.size()) >= limit) break;
      // Several nodes claim from one PostgreSQL: rows another claim holds are skipped.
      KZ_QUERY(q, std::string("SELECT ") + kOutboxCols +
                      " FROM outbox WHERE state = ? AND run_after <= ? AND kind = ? ORDER BY run_after, id LIMIT ?" +
                      SkipLocked());
      q.Bind(state).Bind(now).Bind(kind).Bind(limit - static_cast<int>(jobs.size()));
      KZ_ASSIGN(auto found, All<ports::OutboxJob>(q, ReadOutbox));
      jobs.insert(jobs.end(), found.begin(), found.end());
    }
  }
  for (auto& job : jobs) {
    KZ_QUERY(q, "UPDATE outbox SET state = 'sending', run_after = ? WHERE id = ?");
    q.Bind(claim_until).Bind(job.id);
    KZ_TRY(q.Exec());
    job.state = "sending";
  }
  return jobs;
}

Status SqlTx::FinishOutbox(const ports::OutboxJob& job) {
  KZ_QUERY(q, "UPDATE outbox SET state = ?, attempts = ?, run_after = ?, last_error = ? WHERE id = ? AND workspace_id = ?");
  q.Bind(job.state).Bind(job.attempts).Bind(job.run_after).Bind(job.last_error).Bind(job.id).Bind(job.workspace_id);
  return q.Exec();
}

Status SqlTx::InsertSession(const ports::Session& s) {
  KZ_QUERY(q,
           "INSERT INTO sessions (token_hash, workspace_id, agent_id, csrf_token, created_at, expires_at) VALUES (?, ?, "
           "?, ?, ?, ?)");
  q.Bind(s.token_hash).Bind(s.workspace_id).Bind(s.agent_id).Bind(s.csrf_token).Bind(s.created_at).Bind(s.expires_at);
  return q.Exec();
}

Status SqlTx::DeleteSession(std::string_view token_hash) {
  KZ_QUERY(q, "DELETE FROM sessions WHERE token_hash = ?");
  q.Bind(token_hash);
  return q.Exec();
}

Status SqlTx::InsertApiToken(ports::ApiToken& t) {
  KZ_QUERY(q,
           "INSERT INTO api_tokens (workspace_id, agent_id, name, token_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(t.workspace_id).Bind(t.agent_id).Bind(t.name).Bind(t.token_hash).Bind(ToJson(t.scopes)).Bind(t.created_at);
  KZ_ASSIGN(t.id, q.InsertId());
  return Ok();
}

Status SqlTx::RevokeApiToken(WorkspaceId ws, std::int64_t id, Timestamp when) {
  KZ_QUERY(q, "UPDATE api_tokens SET revoked_at = ? WHERE workspace_id = ? AND id = ? AND revoked_at IS NULL");
  q.Bind(when).Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("token not found");
  return Ok();
}

Status SqlTx::InsertPortalLink(const ports::PortalLink& l) {
  KZ_QUERY(q,
           "INSERT INTO portal_links (token_hash, workspace_id, customer_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)");
  q.Bind(l.token_hash).Bind(l.workspace_id).Bind(l.customer_id).Bind(l.created_at).Bind(l.expires_at);
  return q.Exec();
}

Status SqlTx::UsePortalLink(std::string_view token_hash, Timestamp now) {
  KZ_QUERY(q, "UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL");
  q.Bind(now).Bind(token_hash);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::Conflict("this sign-in link was already used");
  return Ok();
}

Status SqlTx::InsertPortalSession(const ports::PortalSession& s) {
  KZ_QUERY(q,
           "INSERT INTO portal_sessions (token_hash, workspace_id, customer_id, csrf_token, created_at, expires_at) "
           "VALUES (?, ?, ?, ?, ?, ?)");
  q.Bind(s.token_hash).Bind(s.workspace_id).Bind(s.customer_id).Bind(s.csrf_token).Bind(s.created_at).Bind(s.expires_at);
  return q.Exec();
}

Status SqlTx::DeletePortalSession(std::string_view token_hash) {
  KZ_QUERY(q, "DELETE FROM portal_sessions WHERE token_hash = ?");
  q.Bind(token_hash);
  return q.Exec();
}

Status SqlTx::SaveIdempotent(WorkspaceId ws, std::string_view principal, std::string_view key,
                                const ports::StoredResponse& r, Timestamp now) {
  KZ_QUERY(q,
           "INSERT INTO idempotency_keys (workspace_id, principal, key, request_hash, status, body, created_at) VALUES "
           "(?, ?, ?, ?, ?, ?, ?)");
  q.Bind(ws).Bind(principal).Bind(key).Bind(r.request_hash).Bind(r.status).Bind(r.body).Bind(now);
  return q.Exec();
}

}  // namespace kizuna::storage
