-- Help-centre portal: customers sign in with a one-time link sent by email.

CREATE TABLE portal_links (
  token_hash TEXT PRIMARY KEY,
  workspace_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);

CREATE TABLE portal_sessions (
  token_hash TEXT PRIMARY KEY,
  workspace_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL REFERENCES customers(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE INDEX tickets_by_number ON tickets (workspace_id, number);
