// The SQL store's voice calls (C18): calls reported by a phone system and the events taken
// for each.
#include "adapters/storage/sql/sql_rows.h"
#include "adapters/storage/sql/sql_tx.h"

namespace kizuna::storage {
namespace {

const char* kCallCols =
    "id, workspace_id, external_id, ticket_id, direction, from_number, to_number, team_id, state, agent_id, "
    "rang_at, answered_at, hold_since, hold_ms, ended_at, last_event_at, created_at, updated_at, version";
ports::StoredCall ReadCall(Query& q) {
  return ports::StoredCall{q.Int(0),     q.Int(1),     q.Text(2),    q.Int(3),     q.Text(4),   q.Text(5),
                           q.Text(6),    q.OptInt(7),  q.Text(8),    q.OptInt(9),  q.Int(10),   q.OptInt(11),
                           q.OptInt(12), q.Int(13),    q.OptInt(14), q.Int(15),    q.Int(16),   q.Int(17),
                           q.Int(18)};
}

}  // namespace

Result<ports::StoredCall> SqlTx::FindCallByExternalId(WorkspaceId ws, std::string_view external_id) {
  KZ_QUERY(q, std::string("SELECT ") + kCallCols + " FROM calls WHERE workspace_id = ? AND external_id = ?");
  q.Bind(ws).Bind(external_id);
  return One<ports::StoredCall>(q, ReadCall, "call");
}

Result<bool> SqlTx::HasCallEvent(WorkspaceId ws, std::int64_t call_id, std::string_view type, Timestamp at) {
  KZ_QUERY(q,
           "SELECT 1 FROM call_events WHERE workspace_id = ? AND call_id = ? AND type = ? AND occurred_at = ?");
  q.Bind(ws).Bind(call_id).Bind(type).Bind(at);
  const bool found = q.Step();
  KZ_TRY(q.status());
  return found;
}

Status SqlTx::InsertCall(ports::StoredCall& c) {
  KZ_QUERY(q,
           "INSERT INTO calls (workspace_id, external_id, ticket_id, direction, from_number, to_number, team_id, "
           "state, agent_id, rang_at, answered_at, hold_since, hold_ms, ended_at, last_event_at, created_at, "
           "updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(c.workspace_id).Bind(c.external_id).Bind(c.ticket_id).Bind(c.direction).Bind(c.from_number);
  q.Bind(c.to_number).Bind(c.team_id).Bind(c.state).Bind(c.agent_id).Bind(c.rang_at).Bind(c.answered_at);
  q.Bind(c.hold_since).Bind(c.hold_ms).Bind(c.ended_at).Bind(c.last_event_at).Bind(c.created_at).Bind(c.updated_at);
  q.Bind(c.version);
  KZ_ASSIGN(c.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateCall(const ports::StoredCall& c) {
  KZ_QUERY(q,
           "UPDATE calls SET state = ?, agent_id = ?, answered_at = ?, hold_since = ?, hold_ms = ?, ended_at = ?, "
           "last_event_at = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ? AND version = ?");
  q.Bind(c.state).Bind(c.agent_id).Bind(c.answered_at).Bind(c.hold_since).Bind(c.hold_ms).Bind(c.ended_at);
  q.Bind(c.last_event_at).Bind(c.updated_at).Bind(c.version).Bind(c.workspace_id).Bind(c.id).Bind(c.version - 1);
  KZ_TRY(q.Exec());
  if (q.Changes() > 0) return Ok();
  KZ_QUERY(found, "SELECT 1 FROM calls WHERE workspace_id = ? AND id = ?");
  found.Bind(c.workspace_id).Bind(c.id);
  const bool exists = found.Step();
  KZ_TRY(found.status());
  if (!exists) return Error::NotFound("call not found");
  return Error::Conflict("another event of call " + c.external_id + " was taken at the same time: send it again",
                         "call_id");
}

Status SqlTx::InsertCallEvent(WorkspaceId ws, std::int64_t call_id, std::string_view type, Timestamp at,
                              Timestamp now) {
  KZ_QUERY(q,
           "INSERT INTO call_events (workspace_id, call_id, type, occurred_at, created_at) VALUES (?, ?, ?, ?, ?)");
  q.Bind(ws).Bind(call_id).Bind(type).Bind(at).Bind(now);
  return q.Exec();
}

}  // namespace kizuna::storage
