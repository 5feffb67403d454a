// The SQL store's service standards (C3): the standards, and the measured intervals of
// tickets that the compliance figures are computed from.
#include <algorithm>

#include "adapters/storage/sql/sql_rows.h"
#include "adapters/storage/sql/sql_tx.h"

namespace kizuna::storage {
namespace {

const char* kStandardCols =
    "id, workspace_id, position, name, metric, channels, target_seconds, clock, calendar_id, created_at, "
    "updated_at, version";
ports::StoredServiceStandard ReadStandard(Query& q) {
  return ports::StoredServiceStandard{q.Int(0),  q.Int(1),    q.Int(2),  q.Text(3), q.Text(4),  q.Text(5),
                                      q.Int(6),  q.Text(7),   q.OptInt(8), q.Int(9), q.Int(10), q.Int(11)};
}

const char* kMeasureCols =
    "id, workspace_id, ticket_id, metric, channel, team_id, agent_id, started_at, ended_at, missed";
ports::ServiceMeasure ReadMeasure(Query& q) {
  return ports::ServiceMeasure{q.Int(0),    q.Int(1),    q.Int(2), q.Text(3), q.Text(4),
                               q.OptInt(5), q.OptInt(6), q.Int(7), q.Int(8),  q.Int(9) != 0};
}

}  // namespace

Result<std::vector<ports::StoredServiceStandard>> SqlTx::ListServiceStandards(WorkspaceId ws) {
  KZ_QUERY(q, std::string("SELECT ") + kStandardCols +
                  " FROM service_standards WHERE workspace_id = ? ORDER BY position, id");
  q.Bind(ws);
  return All<ports::StoredServiceStandard>(q, ReadStandard);
}

Result<ports::StoredServiceStandard> SqlTx::GetServiceStandard(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kStandardCols + " FROM service_standards WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::StoredServiceStandard>(q, ReadStandard, "service standard");
}

Result<std::vector<ports::ServiceMeasure>> SqlTx::ListServiceMeasures(WorkspaceId ws,
                                                                         const ports::MeasureRange& range) {
  // Keyset paging on the service_measures_by_end index (workspace_id, ended_at, id).
  KZ_QUERY(q, std::string("SELECT ") + kMeasureCols +
                  " FROM service_measures WHERE workspace_id = ? AND ended_at >= ? AND ended_at < ? "
                  "AND (ended_at, id) > (?, ?) ORDER BY ended_at, id LIMIT ?");
  q.Bind(ws).Bind(range.ended_from).Bind(range.ended_before).Bind(range.after_ended_at).Bind(range.after_id);
  q.Bind(std::clamp(range.limit, 1, 10000));
  return All<ports::ServiceMeasure>(q, ReadMeasure);
}

Status SqlTx::InsertServiceStandard(ports::StoredServiceStandard& s) {
  KZ_QUERY(q,
           "INSERT INTO service_standards (workspace_id, position, name, metric, channels, target_seconds, clock, "
           "calendar_id, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(s.workspace_id).Bind(s.position).Bind(s.name).Bind(s.metric).Bind(s.channels).Bind(s.target_seconds);
  q.Bind(s.clock).Bind(s.calendar_id).Bind(s.created_at).Bind(s.updated_at).Bind(s.version);
  KZ_ASSIGN(s.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateServiceStandard(const ports::StoredServiceStandard& s) {
  KZ_QUERY(q,
           "UPDATE service_standards SET position = ?, name = ?, metric = ?, channels = ?, target_seconds = ?, "
           "clock = ?, calendar_id = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(s.position).Bind(s.name).Bind(s.metric).Bind(s.channels).Bind(s.target_seconds).Bind(s.clock);
  q.Bind(s.calendar_id).Bind(s.updated_at).Bind(s.version).Bind(s.workspace_id).Bind(s.id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("service standard not found");
  return Ok();
}

Status SqlTx::DeleteServiceStandard(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, "DELETE FROM service_standards WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("service standard not found");
  return Ok();
}

Status SqlTx::InsertServiceMeasure(ports::ServiceMeasure& m) {
  KZ_QUERY(q,
           "INSERT INTO service_measures (workspace_id, ticket_id, metric, channel, team_id, agent_id, started_at, "
           "ended_at, missed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(m.workspace_id).Bind(m.ticket_id).Bind(m.metric).Bind(m.channel).Bind(m.team_id).Bind(m.agent_id);
  q.Bind(m.started_at).Bind(m.ended_at).Bind(m.missed ? 1 : 0);
  KZ_ASSIGN(m.id, q.InsertId());
  return Ok();
}

}  // namespace kizuna::storage
