-- Service levels, continued: warnings and escalations run by a timer, customer tiers.

-- A customer's service tier ("gold", lower case; empty: none), which SLA policies match on.
ALTER TABLE customers ADD COLUMN tier TEXT NOT NULL DEFAULT '';

-- How early a policy warns (percent of a target passed), and what happens at the warning and
-- at the breach: JSON written by the SLA service,
-- {"warning": {"notify": true}, "breach": {"notify": true, "raise_priority": "urgent", "assign_team_id": 3}}.
ALTER TABLE sla_policies ADD COLUMN warning_percent BIGINT NOT NULL DEFAULT 75;
ALTER TABLE sla_policies ADD COLUMN escalations TEXT NOT NULL DEFAULT '{}';

-- When the SLA timer must next look at a ticket: its earliest warning not yet given or breach
-- not yet escalated (NULL: nothing to wait for). Kept with the ticket's SLA in the same
-- write, so the timer's work list survives restarts; across workspaces, soonest first.
ALTER TABLE tickets ADD COLUMN sla_alarm_at BIGINT;
CREATE INDEX tickets_by_sla_alarm ON tickets (sla_alarm_at) WHERE sla_alarm_at IS NOT NULL;

-- Re-evaluating the open tickets after a change to the calendars or policies: the revision
-- whose re-evaluation finished, the one in progress and how far it got (ticket id), so the
-- work resumes after a restart instead of starting again.
ALTER TABLE workspaces ADD COLUMN sla_reevaluated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN sla_reeval_of BIGINT NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN sla_reeval_after BIGINT NOT NULL DEFAULT 0;
