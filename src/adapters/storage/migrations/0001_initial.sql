-- Kizuna schema, version 1. Every table carries workspace_id (the tenant and,
-- later, the distribution column). @ID@ is the auto-increment primary key of
-- the dialect; timestamps are milliseconds since the Unix epoch (UTC).

CREATE TABLE workspaces (
  id @ID@,
  name TEXT NOT NULL UNIQUE,
  time_zone TEXT NOT NULL,
  locale TEXT NOT NULL,
  service_style TEXT NOT NULL,
  next_ticket_number BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);

CREATE TABLE agents (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  languages TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (workspace_id, email)
);

CREATE TABLE teams (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (workspace_id, name)
);

CREATE TABLE organisations (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  notes TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX organisations_by_workspace ON organisations (workspace_id, name);

CREATE TABLE customers (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  language TEXT NOT NULL,
  organisation_id BIGINT REFERENCES organisations(id),
  notes TEXT NOT NULL,
  birthday TEXT NOT NULL,
  merged_into BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX customers_by_workspace ON customers (workspace_id, id);

CREATE TABLE customer_identities (
  workspace_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  PRIMARY KEY (workspace_id, kind, value)
);
CREATE INDEX customer_identities_by_customer ON customer_identities (workspace_id, customer_id, kind, value);

CREATE TABLE tickets (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  number BIGINT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  unsolved INTEGER NOT NULL,
  priority TEXT NOT NULL,
  channel TEXT NOT NULL,
  requester_id BIGINT NOT NULL REFERENCES customers(id),
  assignee_id BIGINT,
  team_id BIGINT,
  tags TEXT NOT NULL,
  fields TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  first_reply_at BIGINT,
  solved_at BIGINT,
  version BIGINT NOT NULL,
  UNIQUE (workspace_id, number)
);
CREATE INDEX tickets_by_updated ON tickets (workspace_id, updated_at, id);
CREATE INDEX tickets_by_status ON tickets (workspace_id, status, updated_at, id);
CREATE INDEX tickets_by_unsolved ON tickets (workspace_id, unsolved, updated_at, id);
CREATE INDEX tickets_by_team ON tickets (workspace_id, team_id, unsolved, updated_at, id);
CREATE INDEX tickets_by_assignee ON tickets (workspace_id, assignee_id, unsolved, updated_at, id);
CREATE INDEX tickets_by_requester ON tickets (workspace_id, requester_id, updated_at, id);

CREATE TABLE ticket_tags (
  workspace_id BIGINT NOT NULL,
  tag TEXT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  PRIMARY KEY (workspace_id, tag, ticket_id)
);

-- One row per inbox view key (core InboxCounterKeys), kept in the same
-- transaction as the ticket change, so a view's count is one lookup.
CREATE TABLE inbox_counters (
  workspace_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, key)
);

CREATE TABLE messages (
  id @ID@,
  workspace_id BIGINT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  author_type TEXT NOT NULL,
  author_id BIGINT NOT NULL,
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  attachments TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_by_ticket ON messages (workspace_id, ticket_id, id);

CREATE TABLE events (
  id @ID@,
  workspace_id BIGINT NOT NULL,
  ticket_id BIGINT,
  type TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  data TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX events_by_ticket ON events (workspace_id, ticket_id, id);

CREATE TABLE outbox (
  id @ID@,
  workspace_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  run_after BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, run_after);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  workspace_id BIGINT NOT NULL,
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id @ID@,
  workspace_id BIGINT NOT NULL,
  agent_id BIGINT NOT NULL REFERENCES agents(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE idempotency_keys (
  workspace_id BIGINT NOT NULL,
  principal TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, principal, key)
);
