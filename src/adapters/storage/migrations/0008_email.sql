-- The email channel.

-- Addresses a workspace receives mail at: polled over IMAP when imap_url is set, or fed
-- by `kizuna mail-ingest` from an MTA. Replies go out from the address.
CREATE TABLE mailboxes (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  address TEXT NOT NULL,            -- lower case
  display_name TEXT NOT NULL,
  imap_url TEXT NOT NULL,           -- imap:// or imaps://; empty: delivered by the MTA
  imap_username TEXT NOT NULL,
  imap_password TEXT NOT NULL,      -- sealed with the server's secret key
  imap_folder TEXT NOT NULL,
  imap_move_to TEXT NOT NULL,       -- empty: mark seen instead of moving
  enabled INTEGER NOT NULL,
  ack_enabled INTEGER NOT NULL,     -- acknowledge new tickets automatically
  ack_template TEXT NOT NULL,       -- empty: the built-in text in the customer's language
  reply_key TEXT NOT NULL,          -- secret behind the tags of per-ticket reply addresses
  uidvalidity BIGINT NOT NULL,
  last_uid BIGINT NOT NULL,
  last_checked_at BIGINT,
  last_error TEXT NOT NULL,
  ingested BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE UNIQUE INDEX mailboxes_by_address ON mailboxes (workspace_id, address);

-- Every inbound message taken, by Message-ID (or the digest of its bytes when it has
-- none): a re-delivery never makes a second ticket or message.
CREATE TABLE inbound_emails (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  message_key TEXT NOT NULL,
  sender TEXT NOT NULL,             -- lower-case address
  outcome TEXT NOT NULL,            -- ticket, message, rejected
  ticket_id BIGINT,
  message_id BIGINT,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, message_key)
);
CREATE INDEX inbound_emails_by_sender ON inbound_emails (workspace_id, sender, received_at);

-- Mail that became neither a ticket nor a message, and why. The original stays in the
-- blob store (raw_sha256) so nothing is lost.
CREATE TABLE mail_rejections (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  mailbox_id BIGINT,
  message_key TEXT NOT NULL,
  sender TEXT NOT NULL,
  subject TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw_sha256 TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
CREATE INDEX mail_rejections_by_workspace ON mail_rejections (workspace_id, id);

-- A message from a channel keeps its whole original text (before quoted history was
-- stripped) and its id on that channel (an email's Message-ID).
ALTER TABLE messages ADD COLUMN body_full TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
