-- Knowledge base (C20): categories > sections > articles, each article translated into the
-- workspace's locales (en, ja, ko, vi), every saved change of a translation kept as a
-- version, "was this helpful?" votes, and the counters of the self-service figures.

-- names: JSON object locale -> name, written by the store ({"en":"Billing","ja":"請求"}).
CREATE TABLE kb_categories (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  position BIGINT NOT NULL,
  names TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX kb_categories_by_position ON kb_categories (workspace_id, position, id);

CREATE TABLE kb_sections (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  category_id BIGINT NOT NULL REFERENCES kb_categories(id),
  position BIGINT NOT NULL,
  names TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX kb_sections_by_category ON kb_sections (workspace_id, category_id, position, id);

-- status: draft or published (customers see published only); tags: JSON list of strings;
-- source_topic_id: the community topic the article was made from (no foreign key: topics
-- may be deleted); helpful_yes/helpful_no/views: running counts.
CREATE TABLE kb_articles (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  section_id BIGINT NOT NULL REFERENCES kb_sections(id),
  status TEXT NOT NULL,
  tags TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_at BIGINT,
  source_topic_id BIGINT,
  helpful_yes BIGINT NOT NULL DEFAULT 0,
  helpful_no BIGINT NOT NULL DEFAULT 0,
  views BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX kb_articles_by_section ON kb_articles (workspace_id, section_id, id);
CREATE INDEX kb_articles_by_status ON kb_articles (workspace_id, status, id);

-- The current text of each locale of an article; revision counts its saved changes.
CREATE TABLE kb_article_translations (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  article_id BIGINT NOT NULL REFERENCES kb_articles(id),
  locale TEXT NOT NULL,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL,
  revision BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT,
  PRIMARY KEY (article_id, locale)
);

-- Every revision of every locale, written with the change that made it (author NULL: system).
CREATE TABLE kb_article_versions (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  article_id BIGINT NOT NULL REFERENCES kb_articles(id),
  locale TEXT NOT NULL,
  revision BIGINT NOT NULL,
  title TEXT NOT NULL,
  body_md TEXT NOT NULL,
  author_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX kb_article_versions_by_article ON kb_article_versions (workspace_id, article_id, locale, revision);

-- One vote per voter (a digest of the reader's address) per article per day (since the epoch).
CREATE TABLE kb_feedback (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  article_id BIGINT NOT NULL REFERENCES kb_articles(id),
  voter TEXT NOT NULL,
  day BIGINT NOT NULL,
  helpful INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, article_id, voter, day)
);

-- "This answered my question": a customer read a suggested article and left without asking.
-- The article id is kept without a foreign key so the count survives the article.
CREATE TABLE kb_deflections (
  id @ID@,
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  article_id BIGINT NOT NULL,
  query TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX kb_deflections_by_time ON kb_deflections (workspace_id, created_at);

-- Workspace counters of the self-service figures (suggestions_shown).
CREATE TABLE kb_counters (
  workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, name)
);
