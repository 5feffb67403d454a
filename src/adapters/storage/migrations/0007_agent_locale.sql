-- The language an agent chose for the web app; empty: the workspace's, then the browser's.
ALTER TABLE agents ADD COLUMN locale TEXT NOT NULL DEFAULT '';
