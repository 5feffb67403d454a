-- Voice (C18): phone calls reported by a phone system (CTI events, docs/voice.md).

-- One row per call, keyed by the phone system's own id. The call's ticket (channel phone)
-- is created by its first event, ringing. state: ringing, answered, hold or ended.
-- agent_id is who answered; hold_since is when the hold in progress began; hold_ms adds up
-- the holds that ended. Instants are those the phone system reported (ms since the epoch).
-- version goes up with each event, so two events of one call taken at once cannot both apply.
CREATE TABLE calls (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  external_id TEXT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  direction TEXT NOT NULL,
  from_number TEXT NOT NULL,
  to_number TEXT NOT NULL,
  team_id BIGINT,
  state TEXT NOT NULL,
  agent_id BIGINT,
  rang_at BIGINT NOT NULL,
  answered_at BIGINT,
  hold_since BIGINT,
  hold_ms BIGINT NOT NULL,
  ended_at BIGINT,
  last_event_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX calls_by_external_id ON calls (workspace_id, external_id);

-- Every event taken for a call, so that a phone system's retry of any of them (same type
-- and instant) is recognised and answered without a second write.
CREATE TABLE call_events (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  call_id BIGINT NOT NULL REFERENCES calls(id),
  type TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX call_events_by_call ON call_events (workspace_id, call_id, type, occurred_at);

-- A call_answer measure of a call that ended unanswered (a missed call): it meets no
-- standard, however short the ringing was. 0 for every other measure.
ALTER TABLE service_measures ADD COLUMN missed BIGINT NOT NULL DEFAULT 0;
