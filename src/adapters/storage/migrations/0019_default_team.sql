-- Routing (C4): tickets that arrive without a team (an email to a shared address, a help-centre
-- request, an API call that names none) join the queue of the workspace's default team, so
-- they are routed like any other. NULL: they wait, unassigned, for an agent to take them.
ALTER TABLE workspaces ADD COLUMN default_team_id BIGINT;
-- What the routing pass adopts into that team, oldest first.
CREATE INDEX tickets_teamless_waiting ON tickets (workspace_id, id)
  WHERE team_id IS NULL AND assignee_id IS NULL AND unsolved = 1;
