-- Inbox counters in shards: each writer of a PostgreSQL node adds to its own row of a key, so
-- concurrent writers never wait on one another's counter rows; a count is the sum of a key's
-- shards. SQLite's single writer uses shard 0.
CREATE TABLE inbox_counter_shards (
  workspace_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  shard BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, key, shard)
);
INSERT INTO inbox_counter_shards (workspace_id, key, shard, count)
  SELECT workspace_id, key, 0, count FROM inbox_counters;
DROP TABLE inbox_counters;
