// What the store keeps for the knowledge base (C20): categories hold sections, sections hold
// articles; each article has one translation per locale (en, ja, ko, vi), a revision history
// per locale, helpful/not-helpful votes and view counts. Included by store.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"

namespace kizuna::ports {

// A top-level group of the help centre ("Billing"), named in each locale it is shown in.
struct KbCategory {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t position = 0;
  std::map<std::string, std::string> names;  // locale -> name
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// A group of articles inside a category ("Invoices").
struct KbSection {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t category_id = 0;
  std::int64_t position = 0;
  std::map<std::string, std::string> names;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// An article in one locale. revision counts the changes of this locale (1 on creation); each
// revision is also kept as a KbArticleVersion. body_md may be empty where the store was asked
// for titles only (see KbArticleFilter::with_bodies).
struct KbTranslation {
  std::string locale;  // en, ja, ko, vi
  std::string title;
  std::string body_md;
  std::int64_t revision = 1;
  Timestamp updated_at = 0;
  std::optional<AgentId> updated_by;  // none: written by the system
};

struct KbArticle {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t section_id = 0;
  std::string status = "draft";  // draft, published
  std::vector<std::string> tags;
  std::int64_t version = 1;  // optimistic concurrency: +1 on every change of the article
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> published_at;         // the last time it was published
  std::optional<std::int64_t> source_topic_id;  // the community topic it was made from
  std::int64_t helpful_yes = 0;
  std::int64_t helpful_no = 0;
  std::int64_t views = 0;
  std::vector<KbTranslation> translations;  // by locale
};

// One saved revision of one locale of an article.
struct KbArticleVersion {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t article_id = 0;
  std::string locale;
  std::int64_t revision = 0;
  std::string title;
  std::string body_md;
  std::optional<AgentId> author_id;  // none: the system
  Timestamp created_at = 0;
};

// Which articles to list: by id ascending after `after_id`.
struct KbArticleFilter {
  std::optional<std::int64_t> section_id;
  std::optional<std::string> status;  // draft, published; none: both
  std::int64_t after_id = 0;
  int limit = 50;            // REQUIRES: 1..10000
  bool with_bodies = false;  // false: translations carry titles only (body_md empty)
};

// A "was this helpful?" vote: one per voter (a digest of the reader's address) per article
// per day (days since the epoch, UTC).
struct KbFeedback {
  WorkspaceId workspace_id = 0;
  std::int64_t article_id = 0;
  std::string voter;
  std::int64_t day = 0;
  bool helpful = false;
  Timestamp created_at = 0;
};

// Workspace totals for the agents' knowledge-base page.
struct KbStats {
  std::int64_t articles = 0;
  std::int64_t published = 0;
  std::int64_t views = 0;
  std::int64_t helpful_yes = 0;
  std::int64_t helpful_no = 0;
  std::int64_t deflections = 0;
  std::int64_t suggestions_shown = 0;
};

}  // namespace kizuna::ports
