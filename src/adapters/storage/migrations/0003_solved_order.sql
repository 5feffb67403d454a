-- "Recently solved" sorts by when a ticket was solved, not by its last update.
CREATE INDEX tickets_by_solved ON tickets (workspace_id, status, COALESCE(solved_at, 0), id);
