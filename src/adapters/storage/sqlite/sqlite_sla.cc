// The SQLite store's service levels: calendars, SLA policies, the workspace's SLA revision
// and the SLA-relevant activity of a ticket. (A ticket's own SLA state is read and written
// with the ticket, in sqlite_tx.cc.)
#include "adapters/storage/sqlite/sqlite_tx.h"
#include "adapters/storage/sqlite/sqlite_rows.h"

namespace kizuna::storage {
namespace {


const char* kCalendarCols =
    "id, workspace_id, name, time_zone, hours, holidays, exceptions, created_at, updated_at, version";
ports::StoredCalendar ReadCalendar(Query& q) {
  return ports::StoredCalendar{q.Int(0),  q.Int(1), q.Text(2), q.Text(3), q.Text(4),
                               q.Text(5), q.Text(6), q.Int(7),  q.Int(8),  q.Int(9)};
}

const char* kPolicyCols =
    "id, workspace_id, position, name, conditions, targets, calendar_id, created_at, updated_at, version";
ports::StoredSlaPolicy ReadPolicy(Query& q) {
  return ports::StoredSlaPolicy{q.Int(0),  q.Int(1),    q.Int(2), q.Text(3), q.Text(4),
                                q.Text(5), q.OptInt(6), q.Int(7), q.Int(8),  q.Int(9)};
}

}  // namespace

Result<std::int64_t> SqliteTx::GetSlaRevision(WorkspaceId ws) {
  KZ_QUERY(q, "SELECT sla_revision FROM workspaces WHERE id = ?");
  q.Bind(ws);
  return One<std::int64_t>(q, [](Query& r) { return r.Int(0); }, "workspace");
}

Result<std::vector<ports::StoredCalendar>> SqliteTx::ListCalendars(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kCalendarCols + " FROM calendars WHERE workspace_id = ? ORDER BY id");
  q.Bind(ws);
  return All<ports::StoredCalendar>(q, ReadCalendar);
}

Result<ports::StoredCalendar> SqliteTx::GetCalendar(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kCalendarCols + " FROM calendars WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::StoredCalendar>(q, ReadCalendar, "calendar");
}

Result<std::vector<ports::StoredSlaPolicy>> SqliteTx::ListSlaPolicies(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kPolicyCols +
                  " FROM sla_policies WHERE workspace_id = ? ORDER BY position, id");
  q.Bind(ws);
  return All<ports::StoredSlaPolicy>(q, ReadPolicy);
}

Result<ports::StoredSlaPolicy> SqliteTx::GetSlaPolicy(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kPolicyCols + " FROM sla_policies WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::StoredSlaPolicy>(q, ReadPolicy, "SLA policy");
}

Result<std::vector<ports::TicketActivity>> SqliteTx::ListTicketActivity(WorkspaceId ws, TicketId ticket) {
  // This runs on every change to a ticket with an SLA, over all its events, so it avoids
  // parsing their data where it can (a parse costs more than reading the row): customers'
  // messages are public; an agent's message says "kind":"public" or "kind":"note" in the
  // compact JSON the services write (json_extract decides otherwise); data without a
  // "status" key changed no status.
  KZ_QUERY(q,
           "SELECT type, actor_type, "
           "CASE WHEN type <> 'message.created' THEN '' "
           "WHEN actor_type = 'customer' OR instr(data, '\"kind\":\"public\"') > 0 THEN 'public' "
           "WHEN instr(data, '\"kind\":\"note\"') > 0 THEN 'note' "
           "ELSE COALESCE(json_extract(data, '$.kind'), '') END, "
           "CASE WHEN instr(data, '\"status\"') = 0 THEN '' "
           "WHEN type = 'ticket.created' THEN COALESCE(json_extract(data, '$.status'), '') "
           "ELSE COALESCE(json_extract(data, '$.changes.status[1]'), '') END, "
           "created_at FROM events WHERE workspace_id = ? AND ticket_id = ? "
           "AND type IN ('ticket.created', 'ticket.updated', 'message.created') ORDER BY id");
  q.Bind(ws).Bind(ticket);
  return All<ports::TicketActivity>(
      q, [](Query& r) { return ports::TicketActivity{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)}; });
}

Status SqliteTx::InsertCalendar(ports::StoredCalendar& c) {
  KZ_QUERY(q,
           "INSERT INTO calendars (workspace_id, name, time_zone, hours, holidays, exceptions, created_at, updated_at, "
           "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.Bind(c.workspace_id).Bind(c.name).Bind(c.time_zone).Bind(c.hours).Bind(c.holidays).Bind(c.exceptions);
  q.Bind(c.created_at).Bind(c.updated_at).Bind(c.version);
  KZ_TRY(q.Exec());
  c.id = db_->LastInsertId();
  return Ok();
}

Status SqliteTx::UpdateCalendar(const ports::StoredCalendar& c) {
  KZ_QUERY(q,
           "UPDATE calendars SET name = ?, time_zone = ?, hours = ?, holidays = ?, exceptions = ?, updated_at = ?, "
           "version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(c.name).Bind(c.time_zone).Bind(c.hours).Bind(c.holidays).Bind(c.exceptions).Bind(c.updated_at);
  q.Bind(c.version).Bind(c.workspace_id).Bind(c.id);
  KZ_TRY(q.Exec());
  if (db_->Changes() == 0) return Error::NotFound("calendar not found");
  return Ok();
}

Status SqliteTx::DeleteCalendar(WorkspaceId ws, std::int64_t id) {
  {
    KZ_QUERY(q, "SELECT 1 FROM sla_policies WHERE workspace_id = ? AND calendar_id = ? LIMIT 1");
    q.Bind(ws).Bind(id);
    if (q.Step()) return Error::Conflict("an SLA policy uses this calendar", "id");
    KZ_TRY(q.status());
  }
  KZ_QUERY(q, "DELETE FROM calendars WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (db_->Changes() == 0) return Error::NotFound("calendar not found");
  return Ok();
}

Status SqliteTx::InsertSlaPolicy(ports::StoredSlaPolicy& p) {
  KZ_QUERY(q,
           "INSERT INTO sla_policies (workspace_id, position, name, conditions, targets, calendar_id, created_at, "
           "updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.Bind(p.workspace_id).Bind(p.position).Bind(p.name).Bind(p.conditions).Bind(p.targets).Bind(p.calendar_id);
  q.Bind(p.created_at).Bind(p.updated_at).Bind(p.version);
  KZ_TRY(q.Exec());
  p.id = db_->LastInsertId();
  return Ok();
}

Status SqliteTx::UpdateSlaPolicy(const ports::StoredSlaPolicy& p) {
  KZ_QUERY(q,
           "UPDATE sla_policies SET position = ?, name = ?, conditions = ?, targets = ?, calendar_id = ?, "
           "updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(p.position).Bind(p.name).Bind(p.conditions).Bind(p.targets).Bind(p.calendar_id).Bind(p.updated_at);
  q.Bind(p.version).Bind(p.workspace_id).Bind(p.id);
  KZ_TRY(q.Exec());
  if (db_->Changes() == 0) return Error::NotFound("SLA policy not found");
  return Ok();
}

Status SqliteTx::DeleteSlaPolicy(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, "DELETE FROM sla_policies WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (db_->Changes() == 0) return Error::NotFound("SLA policy not found");
  return Ok();
}

Status SqliteTx::SetSlaRevision(WorkspaceId ws, std::int64_t revision) {
  KZ_QUERY(q, "UPDATE workspaces SET sla_revision = ? WHERE id = ?");
  q.Bind(revision).Bind(ws);
  KZ_TRY(q.Exec());
  if (db_->Changes() == 0) return Error::NotFound("workspace not found");
  return Ok();
}

}  // namespace kizuna::storage
