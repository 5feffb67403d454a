-- Community (C22): customers ask and answer each other; agents answer officially, moderate
-- and turn threads into knowledge-base articles.
--
-- status of a topic or post: visible (everyone sees it), pending (held by the spam check
-- until an agent approves it; pending_reason says why) or hidden (by a moderator).
-- author_kind: customer or agent (author_id is of that table). Counts are kept on the rows
-- (recounted in the transaction of each change): a topic's answers (visible posts),
-- pending_posts, votes (the sum of its posts' votes) and official (a visible agent answer).
-- article_id names the knowledge-base article made from the thread (no foreign key: the
-- knowledge base has its own migration).
CREATE TABLE community_topics (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  author_kind TEXT NOT NULL,
  author_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL,
  locale TEXT NOT NULL,
  status TEXT NOT NULL,
  pending_reason TEXT NOT NULL,
  accepted_post_id BIGINT,
  article_id BIGINT,
  answers BIGINT NOT NULL DEFAULT 0,
  pending_posts BIGINT NOT NULL DEFAULT 0,
  votes BIGINT NOT NULL DEFAULT 0,
  official INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX community_topics_by_id ON community_topics (workspace_id, id);
CREATE INDEX community_topics_by_votes ON community_topics (workspace_id, votes, id);
CREATE INDEX community_topics_by_author ON community_topics (workspace_id, author_kind, author_id, created_at);

-- The answers of a topic. official: written by an agent.
CREATE TABLE community_posts (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  topic_id BIGINT NOT NULL REFERENCES community_topics(id),
  author_kind TEXT NOT NULL,
  author_id BIGINT NOT NULL,
  body_md TEXT NOT NULL,
  status TEXT NOT NULL,
  pending_reason TEXT NOT NULL,
  official INTEGER NOT NULL DEFAULT 0,
  votes BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX community_posts_by_topic ON community_posts (workspace_id, topic_id, id);
CREATE INDEX community_posts_by_author ON community_posts (workspace_id, author_kind, author_id, created_at);

-- One vote per customer and post: +1 or -1 (taking a vote back deletes the row). Customer ids
-- carry no foreign key here so that votes and bans never keep a customer from being deleted.
CREATE TABLE community_votes (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  topic_id BIGINT NOT NULL REFERENCES community_topics(id),
  post_id BIGINT NOT NULL REFERENCES community_posts(id),
  customer_id BIGINT NOT NULL,
  value INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (post_id, customer_id)
);
CREATE INDEX community_votes_by_topic ON community_votes (workspace_id, topic_id, customer_id);

-- Customers who may not post in the workspace's community.
CREATE TABLE community_bans (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  customer_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  banned_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, customer_id)
);
