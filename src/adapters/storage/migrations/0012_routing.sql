-- Routing (C4) and ownership (C5): agents' presence, capacity and skills, team members and
-- each team's routing settings, and on tickets the handoffs, the agents they passed through,
-- first-contact resolution and when they started waiting in their team's queue.

-- online, away or offline (only online agents get work); when it last changed.
ALTER TABLE agents ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline';
ALTER TABLE agents ADD COLUMN presence_at BIGINT;
-- How much work at once, per kind (services/routing_setup.cc validates): 0 = never this kind.
ALTER TABLE agents ADD COLUMN capacity TEXT NOT NULL DEFAULT '{"ticket":8,"chat":3,"call":1}';
-- Skills with proficiency 1..5: {"lang:ja": 5, "product:billing": 3}.
ALTER TABLE agents ADD COLUMN skills TEXT NOT NULL DEFAULT '{}';

CREATE TABLE team_members (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  team_id BIGINT NOT NULL REFERENCES teams(id),
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  PRIMARY KEY (workspace_id, team_id, agent_id)
);
CREATE INDEX team_members_by_agent ON team_members (workspace_id, agent_id);

-- A team with routing on has its unassigned unsolved tickets given to its online members by
-- `strategy` (round_robin, least_loaded, best_skill, owner_first). A ticket waiting longer
-- than overflow_after_minutes moves to overflow_team_id. Required skills of each ticket:
-- required_skills (JSON {"product:billing": 2}, the minimum level of each) and, when
-- match_language is 1, "lang:<the requester's language>" at level 1.
-- round_robin_cursor: the member the team's queue last assigned to.
ALTER TABLE teams ADD COLUMN routing_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN strategy TEXT NOT NULL DEFAULT 'least_loaded';
ALTER TABLE teams ADD COLUMN overflow_team_id BIGINT;
ALTER TABLE teams ADD COLUMN overflow_after_minutes BIGINT;
ALTER TABLE teams ADD COLUMN match_language INTEGER NOT NULL DEFAULT 0;
ALTER TABLE teams ADD COLUMN required_skills TEXT NOT NULL DEFAULT '{}';
ALTER TABLE teams ADD COLUMN round_robin_cursor BIGINT;
CREATE INDEX teams_routing ON teams (routing_enabled, workspace_id) WHERE routing_enabled = 1;

-- handoffs: times the ticket went from one agent to another (not the first assignment);
-- agent_path: JSON list of the agents it was assigned to, in order, no immediate repeats;
-- first_contact_resolved: NULL until first solved, 1 when solved without a handoff, 0 when
-- solved after one or once reopened; queued_at: when it started waiting, unassigned, in its
-- team's queue (NULL when not waiting).
ALTER TABLE tickets ADD COLUMN handoffs BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN agent_path TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tickets ADD COLUMN first_contact_resolved INTEGER;
ALTER TABLE tickets ADD COLUMN queued_at BIGINT;
UPDATE tickets SET queued_at = updated_at WHERE unsolved = 1 AND assignee_id IS NULL AND team_id IS NOT NULL;
UPDATE tickets SET agent_path = '[' || assignee_id || ']' WHERE assignee_id IS NOT NULL;
-- A team's queue, longest waiting first.
CREATE INDEX tickets_queued ON tickets (workspace_id, team_id, queued_at, id) WHERE queued_at IS NOT NULL;
