// The SQL store's community (C22): topics, posts, votes and bans. Counts kept on the rows
// (votes of a post; answers, pending posts, votes and the official flag of a topic) are
// recomputed by one UPDATE each, so that concurrent writers cannot drift them.
#include <algorithm>

#include "adapters/storage/sql/sql_rows.h"
#include "adapters/storage/sql/sql_tx.h"

namespace kizuna::storage {
namespace {

// The author's name comes from the customer or agent the row names, in the same workspace.
#define KZ_AUTHOR_JOIN(alias)                                                                              \
  " LEFT JOIN customers c ON " alias ".author_kind = 'customer' AND c.id = " alias ".author_id AND "        \
  "c.workspace_id = " alias ".workspace_id LEFT JOIN agents a ON " alias ".author_kind = 'agent' AND a.id = " \
  alias ".author_id AND a.workspace_id = " alias ".workspace_id"

const char* kTopicCols =
    "t.id, t.workspace_id, t.author_kind, t.author_id, COALESCE(c.name, a.name, ''), t.title, t.body_md, t.locale, "
    "t.status, t.pending_reason, t.accepted_post_id, t.article_id, t.answers, t.pending_posts, t.votes, t.official, "
    "t.created_at, t.updated_at, t.version";
const char* kTopicFrom = " FROM community_topics t" KZ_AUTHOR_JOIN("t");

ports::CommunityTopic ReadTopic(Query& q) {
  ports::CommunityTopic t;
  t.id = q.Int(0);
  t.workspace_id = q.Int(1);
  t.author_kind = q.Text(2);
  t.author_id = q.Int(3);
  t.author_name = q.Text(4);
  t.title = q.Text(5);
  t.body_md = q.Text(6);
  t.locale = q.Text(7);
  t.status = q.Text(8);
  t.pending_reason = q.Text(9);
  t.accepted_post_id = q.OptInt(10);
  t.article_id = q.OptInt(11);
  t.answers = q.Int(12);
  t.pending_posts = q.Int(13);
  t.votes = q.Int(14);
  t.official = q.Int(15) != 0;
  t.created_at = q.Int(16);
  t.updated_at = q.Int(17);
  t.version = q.Int(18);
  return t;
}

const char* kPostCols =
    "p.id, p.workspace_id, p.topic_id, p.author_kind, p.author_id, COALESCE(c.name, a.name, ''), p.body_md, "
    "p.status, p.pending_reason, p.official, p.votes, p.created_at, p.updated_at, p.version";
const char* kPostFrom = " FROM community_posts p" KZ_AUTHOR_JOIN("p");

ports::CommunityPost ReadPost(Query& q) {
  ports::CommunityPost p;
  p.id = q.Int(0);
  p.workspace_id = q.Int(1);
  p.topic_id = q.Int(2);
  p.author_kind = q.Text(3);
  p.author_id = q.Int(4);
  p.author_name = q.Text(5);
  p.body_md = q.Text(6);
  p.status = q.Text(7);
  p.pending_reason = q.Text(8);
  p.official = q.Int(9) != 0;
  p.votes = q.Int(10);
  p.created_at = q.Int(11);
  p.updated_at = q.Int(12);
  p.version = q.Int(13);
  return p;
}

ports::CommunityBan ReadBan(Query& q) {
  return ports::CommunityBan{q.Int(0), q.Int(1), q.Text(2), q.Text(3), q.Int(4), q.Int(5)};
}

}  // namespace

Result<ports::CommunityTopic> SqlTx::GetTopic(WorkspaceId ws, std::int64_t id) {
  ports::CommunityTopic topic;
  {
    KZ_QUERY(q, std::string("SELECT ") + kTopicCols + kTopicFrom + " WHERE t.workspace_id = ? AND t.id = ?");
    q.Bind(ws).Bind(id);
    KZ_ASSIGN(topic, One<ports::CommunityTopic>(q, ReadTopic, "topic"));
  }
  KZ_QUERY(q, std::string("SELECT ") + kPostCols + kPostFrom +
                  " WHERE p.workspace_id = ? AND p.topic_id = ? ORDER BY p.id");
  q.Bind(ws).Bind(id);
  KZ_ASSIGN(topic.posts, All<ports::CommunityPost>(q, ReadPost));
  return topic;
}

Result<std::vector<ports::CommunityTopic>> SqlTx::ListTopics(WorkspaceId ws, const ports::TopicFilter& filter) {
  std::string sql = std::string("SELECT ") + kTopicCols + kTopicFrom + " WHERE t.workspace_id = ?";
  if (!filter.statuses.empty()) {
    std::string match = "t.status IN (";
    for (std::size_t status_idx = 0; status_idx < filter.statuses.size(); ++status_idx) {
      match += status_idx ? ", ?" : "?";
    }
    match += ")";
    if (std::find(filter.statuses.begin(), filter.statuses.end(), "pending") != filter.statuses.end()) {
      match += " OR t.pending_posts > 0";
    }
    if (filter.or_author) match += " OR (t.author_kind = 'customer' AND t.author_id = ? AND t.status = 'pending')";
    sql += " AND (" + match + ")";
  }
  if (filter.after_id > 0) {
    sql += filter.by_votes ? " AND (t.votes < (SELECT votes FROM community_topics WHERE workspace_id = ? AND id = ?)"
                             " OR (t.votes = (SELECT votes FROM community_topics WHERE workspace_id = ? AND id = ?)"
                             " AND t.id < ?))"
                           : " AND t.id < ?";
  }
  sql += filter.by_votes ? " ORDER BY t.votes DESC, t.id DESC LIMIT ?" : " ORDER BY t.id DESC LIMIT ?";
  KZ_QUERY(q, sql);
  q.Bind(ws);
  if (!filter.statuses.empty()) {
    for (const auto& status : filter.statuses) q.Bind(status);
    if (filter.or_author) q.Bind(*filter.or_author);
  }
  if (filter.after_id > 0) {
    if (filter.by_votes) q.Bind(ws).Bind(filter.after_id).Bind(ws).Bind(filter.after_id);
    q.Bind(filter.after_id);
  }
  q.Bind(std::clamp(filter.limit, 1, 200));
  return All<ports::CommunityTopic>(q, ReadTopic);
}

Result<ports::CommunityPost> SqlTx::GetPost(WorkspaceId ws, std::int64_t id) {
  KZ_QUERY(q, std::string("SELECT ") + kPostCols + kPostFrom + " WHERE p.workspace_id = ? AND p.id = ?");
  q.Bind(ws).Bind(id);
  return One<ports::CommunityPost>(q, ReadPost, "post");
}

Result<std::map<std::int64_t, int>> SqlTx::ListTopicVotes(WorkspaceId ws, std::int64_t topic_id,
                                                          CustomerId customer) {
  KZ_QUERY(q, "SELECT post_id, value FROM community_votes WHERE workspace_id = ? AND topic_id = ? AND customer_id = ?");
  q.Bind(ws).Bind(topic_id).Bind(customer);
  std::map<std::int64_t, int> votes;
  while (q.Step()) votes[q.Int(0)] = static_cast<int>(q.Int(1));
  KZ_TRY(q.status());
  return votes;
}

Result<ports::CommunityAuthor> SqlTx::GetCommunityAuthor(WorkspaceId ws, CustomerId customer, Timestamp since) {
  ports::CommunityAuthor author;
  {
    KZ_QUERY(q,
             "SELECT (SELECT COUNT(*) FROM community_topics WHERE workspace_id = ? AND author_kind = 'customer' AND "
             "author_id = ? AND status = 'visible') + (SELECT COUNT(*) FROM community_posts WHERE workspace_id = ? "
             "AND author_kind = 'customer' AND author_id = ? AND status = 'visible')");
    q.Bind(ws).Bind(customer).Bind(ws).Bind(customer);
    if (q.Step()) author.visible_posts = q.Int(0);
    KZ_TRY(q.status());
  }
  {
    KZ_QUERY(q,
             "SELECT created_at FROM community_topics WHERE workspace_id = ? AND author_kind = 'customer' AND "
             "author_id = ? AND created_at >= ? UNION ALL SELECT created_at FROM community_posts WHERE "
             "workspace_id = ? AND author_kind = 'customer' AND author_id = ? AND created_at >= ? ORDER BY 1");
    q.Bind(ws).Bind(customer).Bind(since).Bind(ws).Bind(customer).Bind(since);
    while (q.Step()) author.recent.push_back(q.Int(0));
    KZ_TRY(q.status());
  }
  KZ_QUERY(q,
           "SELECT body_md FROM (SELECT body_md, created_at, id, 0 AS kind FROM community_topics WHERE "
           "workspace_id = ? AND author_kind = 'customer' AND author_id = ? UNION ALL SELECT body_md, created_at, "
           "id, 1 AS kind FROM community_posts WHERE workspace_id = ? AND author_kind = 'customer' AND author_id = ?) "
           "AS written ORDER BY created_at DESC, kind DESC, id DESC LIMIT 1");
  q.Bind(ws).Bind(customer).Bind(ws).Bind(customer);
  if (q.Step()) author.last_body = q.Text(0);
  KZ_TRY(q.status());
  return author;
}

Result<ports::CommunityBan> SqlTx::GetCommunityBan(WorkspaceId ws, CustomerId customer) {
  KZ_QUERY(q,
           "SELECT b.workspace_id, b.customer_id, COALESCE(c.name, ''), b.reason, b.banned_by, b.created_at FROM "
           "community_bans b LEFT JOIN customers c ON c.id = b.customer_id AND c.workspace_id = b.workspace_id "
           "WHERE b.workspace_id = ? AND b.customer_id = ?");
  q.Bind(ws).Bind(customer);
  return One<ports::CommunityBan>(q, ReadBan, "ban");
}

Result<std::vector<ports::CommunityBan>> SqlTx::ListCommunityBans(WorkspaceId ws) {
  KZ_QUERY(q,
           "SELECT b.workspace_id, b.customer_id, COALESCE(c.name, ''), b.reason, b.banned_by, b.created_at FROM "
           "community_bans b LEFT JOIN customers c ON c.id = b.customer_id AND c.workspace_id = b.workspace_id "
           "WHERE b.workspace_id = ? ORDER BY b.created_at DESC, b.customer_id DESC");
  q.Bind(ws);
  return All<ports::CommunityBan>(q, ReadBan);
}

Status SqlTx::InsertTopic(ports::CommunityTopic& t) {
  KZ_QUERY(q,
           "INSERT INTO community_topics (workspace_id, author_kind, author_id, title, body_md, locale, status, "
           "pending_reason, accepted_post_id, article_id, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, "
           "?, ?, ?, ?, ?, ?, ?) RETURNING id");
  q.Bind(t.workspace_id).Bind(t.author_kind).Bind(t.author_id).Bind(t.title).Bind(t.body_md).Bind(t.locale);
  q.Bind(t.status).Bind(t.pending_reason).Bind(t.accepted_post_id).Bind(t.article_id).Bind(t.created_at);
  q.Bind(t.updated_at).Bind(t.version);
  KZ_ASSIGN(t.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdateTopic(const ports::CommunityTopic& t) {
  KZ_QUERY(q,
           "UPDATE community_topics SET title = ?, body_md = ?, locale = ?, status = ?, pending_reason = ?, "
           "accepted_post_id = ?, article_id = ?, updated_at = ?, version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(t.title).Bind(t.body_md).Bind(t.locale).Bind(t.status).Bind(t.pending_reason).Bind(t.accepted_post_id);
  q.Bind(t.article_id).Bind(t.updated_at).Bind(t.version).Bind(t.workspace_id).Bind(t.id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("topic not found");
  return Ok();
}

Status SqlTx::InsertPost(ports::CommunityPost& p) {
  KZ_QUERY(q,
           "INSERT INTO community_posts (workspace_id, topic_id, author_kind, author_id, body_md, status, "
           "pending_reason, official, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "RETURNING id");
  q.Bind(p.workspace_id).Bind(p.topic_id).Bind(p.author_kind).Bind(p.author_id).Bind(p.body_md).Bind(p.status);
  q.Bind(p.pending_reason).Bind(p.official ? 1 : 0).Bind(p.created_at).Bind(p.updated_at).Bind(p.version);
  KZ_ASSIGN(p.id, q.InsertId());
  return Ok();
}

Status SqlTx::UpdatePost(const ports::CommunityPost& p) {
  KZ_QUERY(q,
           "UPDATE community_posts SET body_md = ?, status = ?, pending_reason = ?, official = ?, updated_at = ?, "
           "version = ? WHERE workspace_id = ? AND id = ?");
  q.Bind(p.body_md).Bind(p.status).Bind(p.pending_reason).Bind(p.official ? 1 : 0).Bind(p.updated_at);
  q.Bind(p.version).Bind(p.workspace_id).Bind(p.id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("post not found");
  return Ok();
}

Status SqlTx::SetVote(WorkspaceId ws, std::int64_t topic_id, std::int64_t post_id, CustomerId customer, int value,
                      Timestamp now) {
  if (value == 0) {
    KZ_QUERY(q, "DELETE FROM community_votes WHERE workspace_id = ? AND post_id = ? AND customer_id = ?");
    q.Bind(ws).Bind(post_id).Bind(customer);
    return q.Exec();
  }
  KZ_QUERY(q,
           "INSERT INTO community_votes (workspace_id, topic_id, post_id, customer_id, value, created_at) VALUES "
           "(?, ?, ?, ?, ?, ?) ON CONFLICT (post_id, customer_id) DO UPDATE SET value = excluded.value");
  q.Bind(ws).Bind(topic_id).Bind(post_id).Bind(customer).Bind(value).Bind(now);
  return q.Exec();
}

Status SqlTx::RecountPost(WorkspaceId ws, std::int64_t post_id) {
  KZ_QUERY(q,
           "UPDATE community_posts SET votes = (SELECT COALESCE(SUM(value), 0) FROM community_votes WHERE "
           "workspace_id = ? AND post_id = ?) WHERE workspace_id = ? AND id = ?");
  q.Bind(ws).Bind(post_id).Bind(ws).Bind(post_id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("post not found");
  return Ok();
}

Status SqlTx::RecountTopic(WorkspaceId ws, std::int64_t topic_id) {
  KZ_QUERY(q,
           "UPDATE community_topics SET "
           "answers = (SELECT COUNT(*) FROM community_posts WHERE workspace_id = ? AND topic_id = ? AND "
           "status = 'visible'), "
           "pending_posts = (SELECT COUNT(*) FROM community_posts WHERE workspace_id = ? AND topic_id = ? AND "
           "status = 'pending'), "
           "votes = (SELECT COALESCE(SUM(votes), 0) FROM community_posts WHERE workspace_id = ? AND topic_id = ?), "
           "official = CASE WHEN EXISTS (SELECT 1 FROM community_posts WHERE workspace_id = ? AND topic_id = ? AND "
           "status = 'visible' AND official = 1) THEN 1 ELSE 0 END "
           "WHERE workspace_id = ? AND id = ?");
  for (int pair_idx = 0; pair_idx < 5; ++pair_idx) q.Bind(ws).Bind(topic_id);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("topic not found");
  return Ok();
}

Status SqlTx::InsertCommunityBan(const ports::CommunityBan& ban) {
  KZ_QUERY(q,
           "INSERT INTO community_bans (workspace_id, customer_id, reason, banned_by, created_at) VALUES (?, ?, ?, ?, "
           "?) ON CONFLICT (workspace_id, customer_id) DO UPDATE SET reason = excluded.reason, banned_by = "
           "excluded.banned_by, created_at = excluded.created_at");
  q.Bind(ban.workspace_id).Bind(ban.customer_id).Bind(ban.reason).Bind(ban.banned_by).Bind(ban.created_at);
  return q.Exec();
}

Status SqlTx::DeleteCommunityBan(WorkspaceId ws, CustomerId customer) {
  KZ_QUERY(q, "DELETE FROM community_bans WHERE workspace_id = ? AND customer_id = ?");
  q.Bind(ws).Bind(customer);
  KZ_TRY(q.Exec());
  if (q.Changes() == 0) return Error::NotFound("this customer is not banned");
  return Ok();
}

}  // namespace kizuna::storage
