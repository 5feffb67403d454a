// The SQL store's service levels: calendars, SLA policies, the workspace's SLA revision
// and re-evaluation progress, the SLA-relevant activity of tickets and the SLA timer's alarms. (A ticket's own SLA state is read and written
// with the ticket, in sql_tx.cc.)
#include "adapters/storage/sql/sql_tx.h"
#include "adapters/storage/sql/sql_rows.h"

namespace kizuna::storage {
namespace {


const char* kCalendarCols =
    "id, workspace_id, name, time_zone, hours, holidays, exceptions, created_at, updated_at, version";
ports::StoredCalendar ReadCalendar(Query& q) {
  return ports::StoredCalendar{q.Int(0),  q.Int(1), q.Text(2), q.Text(3), q.Text(4),
                               q.Text(5), q.Text(6), q.Int(7),  q.Int(8),  q.Int(9)};
}

const char* kPolicyCols =
    "id, workspace_id, position, name, conditions, targets, calendar_id, created_at, updated_at, version, "
    "warning_percent, escalations";
ports::StoredSlaPolicy ReadPolicy(Query& q) {
  return ports::StoredSlaPolicy{q.Int(0),  q.Int(1),    q.Int(2), q.Text(3), q.Text(4), q.Text(5),
                                q.OptInt(6), q.Int(7), q.Int(8),  q.Int(9), q.Int(10), q.Text(11)};
}

// The SLA-relevant facts of events, without parsing their data where it can be avoided (a
// parse costs more than reading the row): customers' messages are public; an agent's message
// says "kind":"public" or "kind":"note" in the compact JSON the services write (json_extract
// decides otherwise); data without a "status" key changed no status.
std::string ActivityColumns(Dialect dialect) {
  if (dialect == Dialect::kPostgres) {
    return "type, actor_type, "
           "CASE WHEN type <> 'message.created' THEN '' "
           "WHEN actor_type = 'customer' OR strpos(data, '\"kind\":\"public\"') > 0 THEN 'public' "
           "WHEN strpos(data, '\"kind\":\"note\"') > 0 THEN 'note' "
           "ELSE COALESCE(data::jsonb ->> 'kind', '') END, "
           "CASE WHEN strpos(data, '\"status\"') = 0 THEN '' "
           "WHEN type = 'ticket.created' THEN COALESCE(data::jsonb ->> 'status', '') "
           "ELSE COALESCE(data::jsonb -> 'changes' -> 'status' ->> 1, '') END, "
           "created_at";
  }
  return "type, actor_type, "
         "CASE WHEN type <> 'message.created' THEN '' "
         "WHEN actor_type = 'customer' OR instr(data, '\"kind\":\"public\"') > 0 THEN 'public' "
         "WHEN instr(data, '\"kind\":\"note\"') > 0 THEN 'note' "
         "ELSE COALESCE(json_extract(data, '$.kind'), '') END, "
         "CASE WHEN instr(data, '\"status\"') = 0 THEN '' "
         "WHEN type = 'ticket.created' THEN COALESCE(json_extract(data, '$.status'), '') "
         "ELSE COALESCE(json_extract(data, '$.changes.status[1]'), '') END, "
         "created_at";
}
#define KZ_ACTIVITY_TYPES "type IN ('ticket.created', 'ticket.updated', 'message.created')"

ports::TicketActivity ReadActivity(Query& r, int first) {
  return ports::TicketActivity{r.Text(first), r.Text(first + 1), r.Text(first + 2), r.Text(first + 3),
                               r.Int(first + 4)};
}

}  // namespace

Result<std::int64_t> SqlTx::GetSlaRevision(WorkspaceId ws) {
  KZ_QUERY(q, "SELECT sla_revision FROM workspaces WHERE id = ?");
  q.Bind(ws);
  return One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "workspace");
}

Result<std::vector<ports::StoredCalendar>> SqlTx::ListCalendars(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kCalendarCols + " FROM calendars WHERE workspace_id = ? ORDER BY id");
  q.Bind(ws);
  return All<ports::StoredCalendar>(q, ReadCalendar);
}

Result<ports::StoredCalendar> SqlTx::GetCalendar(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kCalendarCols + " FROM calendars WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::StoredCalendar>(q, ReadCalendar, "calendar");
}

Result<std::vector<ports::StoredSlaPolicy>> SqlTx::ListSlaPolicies(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kPolicyCols +
                  " FROM sla_policies WHERE workspace_id = ? ORDER BY position, id");
  q.Bind(ws);
  return All<ports::StoredSlaPolicy>(q, ReadPolicy);
}

Result<ports::StoredSlaPolicy> SqlTx::GetSlaPolicy(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kPolicyCols + " FROM sla_policies WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::StoredSlaPolicy>(q, ReadPolicy, "SLA policy");
}

Result<std::vector<ports::TicketActivity>> SqlTx::ListTicketActivity(WorkspaceId ws, TicketId ticket) {
  // This runs on every change to a ticket with an SLA, over all its events.
  KZ_QUERY(q, "SELECT " + ActivityColumns(db_->dialect()) +
                  " FROM events WHERE workspace_id = ? AND ticket_id = ? AND " KZ_ACTIVITY_TYPES " ORDER BY id");
  q.Bind(ws).Bind(ticket);
  return All<ports::TicketActivity>(q, [](Query& r) { return ReadActivity(r, 0); });
}

Result<std::vector<ports::SlaReevaluation>> SqlTx::ListSlaReevaluations() {
  KZ_QUERY(q,
           "SELECT id, sla_revision, CASE WHEN sla_reeval_of = sla_revision THEN sla_reeval_after ELSE 0 END "
           "FROM workspaces WHERE sla_revision <> sla_reevaluated ORDER BY id");
  return All<ports::SlaReevaluation>(q, [](Query& r) { return ports::SlaReevaluation{r.Int(0), r.Int(1), r.Int(2)}; });
}

Result<std::vector<ports::SlaWorkItem>> SqlTx::ListSlaWork(WorkspaceId ws, TicketId after_id, int limit,
                                                          bool with_customer) {
  // Walks the table in id order from `after_id` (the unary + keeps the planner off the
  // unsolved indexes, which would read and sort every unsolved ticket for each batch).
  std::string sql = std::string("SELECT ") + SlaTicketColumns() + ", tickets.sla_history";
  sql += with_customer ? ", customers.organisation_id, customers.tier FROM tickets LEFT JOIN customers ON "
                         "customers.id = tickets.requester_id"
                       : " FROM tickets";
  sql += " WHERE tickets.id > ? AND +tickets.workspace_id = ? AND +tickets.unsolved = 1 ORDER BY tickets.id LIMIT ?";
  KZ_QUERY(q, sql);
  q.Bind(after_id).Bind(ws).Bind(limit);
  std::vector<ports::SlaWorkItem> out;
  out.reserve(static_cast<std::size_t>(limit));
  const int history_col = SlaTicketColumnCount();
  while (q.Step()) {
    ports::SlaWorkItem& item = out.emplace_back();
    item.ticket = ReadSlaTicketRow(q);
    item.as_read.policy_id = q.OptInt(13);  // SlaTicketColumns: sla_policy_id, sla_targets
    if (item.as_read.policy_id) item.as_read.targets = q.Text(14);
    if (!q.IsNull(history_col)) item.history = q.Text(history_col);
    if (with_customer) {
      item.organisation_id = q.OptInt(history_col + 1);
      item.customer_tier = q.Text(history_col + 2);
    }
  }
  KZ_TRY(q.status());
  return out;
}

Result<std::vector<ports::SlaAlarm>> SqlTx::ClaimSlaAlarms(Timestamp now, int limit) {
  // SQLite has one writer: the transaction that reads these is the only one that can move
  // them. On PostgreSQL another node's claim holds its rows, and they are skipped.
  KZ_QUERY(q, std::string("SELECT workspace_id, id, sla_alarm_at FROM tickets WHERE sla_alarm_at IS NOT NULL AND "
                          "sla_alarm_at <= ? ORDER BY sla_alarm_at LIMIT ?") + SkipLocked());
  q.Bind(now).Bind(limit);
  return All<ports::SlaAlarm>(q, [](Query& r) { return ports::SlaAlarm{r.Int(0), r.Int(1), r.Int(2)}; });
}

Status SqlTx::SaveSlaReevaluation(WorkspaceId ws, std::int64_t revision, TicketId from_id, TicketId after_id,
                                  bool done) {
  KZ_QUERY(q,
           "UPDATE workspaces SET sla_reeval_of = ?, sla_reeval_after = ?, "
           "sla_reevaluated = CASE WHEN ? = 1 THEN ? ELSE sla_reevaluated END "
           "WHERE id = ? AND (? = 0 OR (sla_reeval_of = ? AND sla_reeval_after = ?))");
  q.Bind(revision).Bind(after_id).Bind(std::int64_t{done ? 1 : 0}).Bind(revision).Bind(ws);
  q.Bind(from_id).Bind(revision).Bind(from_id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) {
    return Error::Conflict("the SLA re-evaluation did not get to ticket " + std::to_string(from_id) +
                           ": the batch before was not saved");
  }
  return Ok();
}

Status SqlTx::InsertCalendar(ports::StoredCalendar& c) {
  KZ_QUERY(q,
           "INSERT INTO calendars (workspace_id, name, time_zone, hours, holidays, exceptions, created_at, updated_at, "
           "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(c.workspace_id).Bind(c.name).Bind(c.time_zone).Bind(c.hours).Bind(c.holidays).Bind(c.exceptions);
  q.Bind(c.created_at).Bind(c.updated_at).Bind(c.version);
  KZ_ASSIGN(c.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateCalendar(const ports::StoredCalendar& c) {
  KZ_QUERY(q,
           "UPDATE calendars SET name = ?, time_zone = ?, hours = ?, holidays = ?, exceptions = ?, updated_at = ?, "
           "version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(c.name).Bind(c.time_zone).Bind(c.hours).Bind(c.holidays).Bind(c.exceptions).Bind(c.updated_at);
  q.Bind(c.version).Bind(c.workspace_id).Bind(c.id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("calendar not found");
  return Ok();
}

Status SqlTx::DeleteCalendar(WorkspaceId ws, std::int64_t id) {
  {
    KZ_QUERY(q, "SELECT 1 FROM sla_policies WHERE workspace_id = ? AND calendar_id = ? LIMIT 1");
    q.Bind(ws).Bind(id);
    if (q.Step()) return Error::Conflict("an SLA policy uses this calendar", "id");
    KZ_TRY(q.status());
  }
  KZ_QUERY(q, "DELETE FROM calendars WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("calendar not found");
  return Ok();
}

Status SqlTx::InsertSlaPolicy(ports::StoredSlaPolicy& p) {
  KZ_QUERY(q,
           "INSERT INTO sla_policies (workspace_id, position, name, conditions, targets, calendar_id, created_at, "
           "updated_at, version, warning_percent, escalations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(p.workspace_id).Bind(p.position).Bind(p.name).Bind(p.conditions).Bind(p.targets).Bind(p.calendar_id);
  q.Bind(p.created_at).Bind(p.updated_at).Bind(p.version).Bind(p.warning_percent).Bind(p.escalations);
  KZ_ASSIGN(p.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateSlaPolicy(const ports::StoredSlaPolicy& p) {
  KZ_QUERY(q,
           "UPDATE sla_policies SET position = ?, name = ?, conditions = ?, targets = ?, calendar_id = ?, "
           "updated_at = ?, version = ?, warning_percent = ?, escalations = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(p.position).Bind(p.name).Bind(p.conditions).Bind(p.targets).Bind(p.calendar_id).Bind(p.updated_at);
  q.Bind(p.version).Bind(p.warning_percent).Bind(p.escalations).Bind(p.workspace_id).Bind(p.id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("SLA policy not found");
  return Ok();
}

Status SqlTx::DeleteSlaPolicy(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, "DELETE FROM sla_policies WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("SLA policy not found");
  return Ok();
}

Status SqlTx::SetSlaRevision(WorkspaceId ws, std::int64_t revision) {
  KZ_QUERY(q, "UPDATE workspaces SET sla_revision = ? WHERE id = ?");
  q.Bind(revision).Bind(ws);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("workspace not found");
  return Ok();
}

}  // namespace kizuna::storage
