-- Service levels (C1, C2). Each ticket keeps the SLA-relevant part of its history (its
-- creation, public replies, customer messages and status changes) in a compact form with the
-- ticket version it is of, so that re-evaluating every open ticket after a calendar or
-- policy change reads no events. NULL, or of an older version: read from the events.
ALTER TABLE tickets ADD COLUMN sla_history TEXT;

-- One index orders tickets by due time for every inbox view: nothing due sorts last, open
-- tickets before solved ones, so the unsolved tickets are its first part. (Two indexes did
-- this before, and a re-evaluation rewrote both for each ticket.)
DROP INDEX tickets_by_due;
DROP INDEX tickets_by_unsolved_due;
CREATE INDEX tickets_by_due ON tickets (workspace_id, COALESCE(next_due_at, 9223372036854775807 - unsolved), id);
