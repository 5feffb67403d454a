-- Attachments: bytes live in the blob store by SHA-256; this is who uploaded what,
-- and which message it belongs to once sent (NULL until then).
CREATE TABLE attachments (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  token_hash TEXT NOT NULL UNIQUE,  -- digest of the secret the uploader refers to it by
  sha256 TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  uploader_type TEXT NOT NULL,
  uploader_id BIGINT NOT NULL,
  message_id BIGINT REFERENCES messages(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (workspace_id, message_id);
