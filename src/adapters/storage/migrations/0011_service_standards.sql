-- Service standards (C3): what admins promise ("first email reply within 1 business hour"),
-- and the measured intervals the compliance figures are computed from.

-- Ordered by position (then id). metric: first_reply, next_reply or resolution; channels is
-- a JSON list of channel names written by the standards service (empty: every channel);
-- clock: business (in the calendar's hours; no calendar: 24/7) or calendar (elapsed time).
CREATE TABLE service_standards (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  position BIGINT NOT NULL,
  name TEXT NOT NULL,
  metric TEXT NOT NULL,
  channels TEXT NOT NULL,
  target_seconds BIGINT NOT NULL,
  clock TEXT NOT NULL,
  calendar_id BIGINT REFERENCES calendars(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX service_standards_by_position ON service_standards (workspace_id, position, id);

-- One row per interval a customer waited, written in the transaction of the ticket change
-- that ended it: first_reply (creation to the first public agent reply), next_reply (the
-- first customer message after a public agent reply to the next one) and resolution
-- (creation to the first time solved). team_id is the ticket's team when it ended, agent_id
-- who replied or solved (NULL: the system). Standards are applied when figures are read, so
-- a new or changed standard counts the history too.
CREATE TABLE service_measures (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  metric TEXT NOT NULL,
  channel TEXT NOT NULL,
  team_id BIGINT,
  agent_id BIGINT,
  started_at BIGINT NOT NULL,
  ended_at BIGINT NOT NULL
);
CREATE INDEX service_measures_by_end ON service_measures (workspace_id, ended_at, id);
