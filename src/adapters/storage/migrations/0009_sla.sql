-- Service levels (C1, C2): business calendars, SLA policies and each ticket's SLA state.

-- When a workspace is open. hours, holidays and exceptions are JSON written by the SLA
-- service after validation (services/sla.cc): {"mon": [{"start": "09:00", "end": "18:00"}], …},
-- ["2026-01-01", …] and [{"date": "2026-12-28", "hours": […]}, …].
CREATE TABLE calendars (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  time_zone TEXT NOT NULL,          -- IANA name
  hours TEXT NOT NULL,
  holidays TEXT NOT NULL,
  exceptions TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX calendars_by_workspace ON calendars (workspace_id, id);

-- Ordered by position (then id): the first whose conditions match a ticket applies.
-- conditions and targets are JSON written by the SLA service; no calendar = 24/7.
CREATE TABLE sla_policies (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  conditions TEXT NOT NULL,
  targets TEXT NOT NULL,
  calendar_id BIGINT REFERENCES calendars(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX sla_policies_by_position ON sla_policies (workspace_id, position, id);

-- Changed (to a new random value) with every change to a workspace's calendars or policies,
-- so a node can keep them compiled and check with one lookup that they are current.
-- 0: the workspace never had any, and ticket writes skip SLAs at once.
ALTER TABLE workspaces ADD COLUMN sla_revision BIGINT NOT NULL DEFAULT 0;

-- A ticket's SLA as of its last change: the policy that applies (NULL: none), its targets
-- (JSON: metric, state, due_at, breached, breached_at) and the earliest due time of the
-- running ones (NULL when none runs), which the inbox sorts by.
ALTER TABLE tickets ADD COLUMN sla_policy_id BIGINT;
ALTER TABLE tickets ADD COLUMN sla_targets TEXT;
ALTER TABLE tickets ADD COLUMN next_due_at BIGINT;
-- "Soonest due first", tickets without a due time last (the sentinel is INT64_MAX, the same
-- expression as ListTickets' sort column so the index serves it); all tickets, and unsolved ones.
CREATE INDEX tickets_by_due ON tickets (workspace_id, COALESCE(next_due_at, 9223372036854775807), id);
CREATE INDEX tickets_by_unsolved_due ON tickets (workspace_id, unsolved, COALESCE(next_due_at, 9223372036854775807), id);
