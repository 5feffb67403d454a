// What the store keeps for the community (C22): topics (a question with its title), their
// posts (answers), customers' votes on posts, and bans. Included by store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"

namespace kizuna::ports {

// status of a topic or post: "visible", "pending" (held by the spam check; pending_reason
// names the rule) or "hidden" (by a moderator). author_kind: "customer" or "agent".
struct CommunityPost {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::int64_t topic_id = 0;
  std::string author_kind;
  std::int64_t author_id = 0;
  std::string author_name;  // read only: the customer's or agent's name ("" when deleted)
  std::string body_md;
  std::string status = "visible";
  std::string pending_reason;
  bool official = false;  // written by an agent
  std::int64_t votes = 0;  // kept by RecountPost
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// A topic: the question, and (from GetTopic only) every post of it by id, whatever its
// status; callers filter what their reader may see.
struct CommunityTopic {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::string author_kind;
  std::int64_t author_id = 0;
  std::string author_name;  // read only
  std::string title;
  std::string body_md;
  std::string locale;  // en, ja, ko, vi
  std::string status = "visible";
  std::string pending_reason;
  std::optional<std::int64_t> accepted_post_id;
  std::optional<std::int64_t> article_id;  // the knowledge-base article made from it
  // Kept by RecountTopic: visible posts, pending posts, the sum of its posts' votes, and
  // whether a visible agent answer exists.
  std::int64_t answers = 0;
  std::int64_t pending_posts = 0;
  std::int64_t votes = 0;
  bool official = false;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
  std::vector<CommunityPost> posts;  // GetTopic only
};

// Which topics ListTopics gives, newest first (or by votes, then newest), after the topic
// `after_id` of the previous page.
struct TopicFilter {
  // Empty: any status. "pending" also matches topics with pending posts.
  std::vector<std::string> statuses;
  // With statuses: this customer's pending topics match too (an author sees their own).
  std::optional<CustomerId> or_author;
  bool by_votes = false;
  std::int64_t after_id = 0;  // 0: from the first
  int limit = 25;             // REQUIRES: 1..200
};

// A customer's standing in the community, for the spam check and the rate limit.
struct CommunityAuthor {
  std::int64_t visible_posts = 0;      // visible topics and posts written before
  std::vector<Timestamp> recent;       // creation times of topics and posts since `since`, oldest first
  std::optional<std::string> last_body;  // the body of their latest topic or post
};

struct CommunityBan {
  WorkspaceId workspace_id = 0;
  CustomerId customer_id = 0;
  std::string customer_name;  // read only
  std::string reason;
  AgentId banned_by = 0;
  Timestamp created_at = 0;
};

}  // namespace kizuna::ports
