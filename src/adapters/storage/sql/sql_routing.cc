// Routing (C4) in the SQL store: a team's queue and the agents' load.
#include "adapters/storage/sql/sql_rows.h"
#include "adapters/storage/sql/sql_tx.h"

namespace kizuna::storage {

Result<std::vector<ports::RoutingQueueEntry>> SqlTx::ListRoutingQueue(WorkspaceId ws, TeamId team, int limit) {
  // The requester's last agent: the assignee of their most recently updated other ticket
  // (tickets_by_requester serves it).
  KZ_QUERY(q, std::string("SELECT ") + TicketColumns() +
                  ", (SELECT language FROM customers c WHERE c.workspace_id = tickets.workspace_id AND "
                  "c.id = tickets.requester_id), "
                  "(SELECT account_owner_id FROM customers c WHERE c.workspace_id = tickets.workspace_id AND "
                  "c.id = tickets.requester_id), "
                  "(SELECT o.assignee_id FROM tickets o WHERE o.workspace_id = tickets.workspace_id AND "
                  "o.requester_id = tickets.requester_id AND o.id <> tickets.id AND o.assignee_id IS NOT NULL "
                  "ORDER BY o.updated_at DESC, o.id DESC LIMIT 1) "
                  "FROM tickets WHERE workspace_id = ? AND team_id = ? AND queued_at IS NOT NULL "
                  "AND assignee_id IS NULL AND unsolved = 1 ORDER BY queued_at, id LIMIT ?");
  q.Bind(ws).Bind(team).Bind(limit);
  const int extra = TicketColumnCount();
  return All<ports::RoutingQueueEntry>(q, [extra](Query& r) {
    ports::RoutingQueueEntry entry;
    entry.ticket = ReadTicketRow(r);
    entry.requester_language = r.Text(extra);
    entry.account_owner_id = r.OptInt(extra + 1);
    entry.last_agent_id = r.OptInt(extra + 2);
    return entry;
  });
}

Result<std::vector<ports::AgentLoad>> SqlTx::ListAgentLoads(WorkspaceId ws) {
  KZ_QUERY(q,
           "SELECT assignee_id, channel, count(*) FROM tickets WHERE workspace_id = ? AND assignee_id IS NOT NULL "
           "AND unsolved = 1 GROUP BY assignee_id, channel ORDER BY assignee_id, channel");
  q.Bind(ws);
  return All<ports::AgentLoad>(q, [](Query& r) {
    return ports::AgentLoad{r.Int(0), r.Text(1), static_cast<int>(r.Int(2))};
  });
}

Result<std::vector<ports::DefaultTeam>> SqlTx::ListDefaultTeams() {
  KZ_QUERY(q, "SELECT id, default_team_id FROM workspaces WHERE default_team_id IS NOT NULL ORDER BY id");
  return All<ports::DefaultTeam>(q, [](Query& r) { return ports::DefaultTeam{r.Int(0), r.Int(1)}; });
}

Result<std::vector<Ticket>> SqlTx::ListTeamlessWaiting(WorkspaceId ws, int limit) {
  // tickets_teamless_waiting holds exactly these rows.
  KZ_QUERY(q, std::string("SELECT ") + TicketColumns() +
                  " FROM tickets WHERE workspace_id = ? AND team_id IS NULL AND assignee_id IS NULL AND unsolved = 1 "
                  "ORDER BY id LIMIT ?");
  q.Bind(ws).Bind(limit);
  return All<Ticket>(q, ReadTicketRow);
}

}  // namespace kizuna::storage
