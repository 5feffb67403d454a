// The community (C22): customers ask (topics) and answer each other (posts), vote on answers
// and accept the one that solved their question; agents answer officially, moderate (hide,
// show, approve what the spam check held, ban) and turn a thread into a draft article.
//
// Every write appends a `community.*` event in its transaction (data names the topic_id, and
// the post_id where one applies), which the search indexer follows. Customers are held to
// 5 topics and posts per 10 minutes (counted in the store, so across nodes); a new customer's
// text that looks like spam (engines/spam.h) waits, pending, for a moderator.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ports/markdown.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

inline constexpr int kCommunityPostsPerWindow = 5;
inline constexpr Timestamp kCommunityWindowMs = 10 * 60 * 1000;
inline constexpr std::size_t kCommunityTitleMax = 200;      // code points
inline constexpr std::size_t kCommunityBodyMax = 50 * 1024;  // bytes of Markdown

// Who writes: a signed-in customer of the help centre, or an agent (whose posts are official).
struct Poster {
  std::string kind;  // customer, agent
  std::int64_t id = 0;
  static Poster Customer(CustomerId id) { return Poster{"customer", id}; }
  static Poster Agent(AgentId id) { return Poster{"agent", id}; }
};

struct NewTopic {
  std::string title;    // 1..200 code points, one line
  std::string body_md;  // 1 byte..50 KB
  std::optional<std::string> locale;  // en, ja, ko, vi; default: the customer's language, else en
};

// Checks and trims (no store needed). InvalidArgument names the field: title, body_md, locale.
Status ValidateNewTopic(NewTopic& topic);
// A post's body: InvalidArgument on field body_md.
Result<std::string> ValidatePostBody(std::string_view body_md);
// "visible" or "hidden" (moderators); InvalidArgument on field status.
Status ValidateModerationStatus(std::string_view status);

// How long the customer must wait before their next topic or post: 0 when they may write now.
Result<std::int64_t> SecondsUntilMayPost(ports::ReadTx& tx, WorkspaceId ws, CustomerId customer, Timestamp now);

// A customer's new topic: visible, or pending with the spam check's reason. PermissionDenied
// when banned; RateLimited over the limit.
Result<ports::CommunityTopic> CreateTopic(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, NewTopic topic,
                                          Timestamp now);
// An answer to a topic. A customer answers visible topics only (NotFound otherwise), is
// checked like CreateTopic; an agent's answer is official and visible at once.
Result<ports::CommunityPost> AddPost(ports::WriteTx& tx, WorkspaceId ws, const Poster& poster, std::int64_t topic_id,
                                     std::string_view body_md, Timestamp now);

struct VoteOutcome {
  std::int64_t votes = 0;  // the post's total
  int my_vote = 0;
};
// Sets the customer's vote on a visible post of a visible topic: 1, -1 or 0 (taken back).
// InvalidArgument on field value; PermissionDenied on one's own post or when banned.
Result<VoteOutcome> Vote(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, std::int64_t post_id, int value,
                         Timestamp now);
// The topic's author accepts one of its visible answers (PermissionDenied for anyone else;
// InvalidArgument on field post_id for a post of another topic or one not visible).
Result<ports::CommunityTopic> AcceptPost(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer,
                                         std::int64_t topic_id, std::int64_t post_id, Timestamp now);

// Moderation by agents: visible (shows, or approves what was pending) or hidden.
// PreconditionFailed when `expected_version` is given and stale.
Result<ports::CommunityTopic> SetTopicStatus(ports::WriteTx& tx, const Actor& actor, std::int64_t topic_id,
                                             const std::string& status, std::optional<std::int64_t> expected_version,
                                             Timestamp now);
Result<ports::CommunityPost> SetPostStatus(ports::WriteTx& tx, const Actor& actor, std::int64_t post_id,
                                           const std::string& status, std::optional<std::int64_t> expected_version,
                                           Timestamp now);
// InvalidArgument on field customer_id when the workspace has no such customer; the reason
// is 0..500 code points (field reason). Each ban and lift is an event
// (community.ban.created, community.ban.lifted) naming the customer and who did it.
Result<ports::CommunityBan> BanCustomer(ports::WriteTx& tx, const Actor& actor, CustomerId customer,
                                        std::string_view reason, Timestamp now);
// NotFound when the customer is not banned.
Status LiftBan(ports::WriteTx& tx, const Actor& actor, CustomerId customer, Timestamp now);

// "Make article": a draft knowledge-base article in section `section_id`, in the topic's
// language, titled like the topic, whose body is the question followed by the accepted answer
// (else the latest visible official answer, else the question alone); the topic remembers the
// article (community.topic.updated). Errors of services::CreateDraftArticle pass through
// (InvalidArgument on section_id for an unknown section).
Result<std::int64_t> MakeArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t topic_id,
                                 std::int64_t section_id, Timestamp now);

// What a reader may see of a topic. A customer (viewer set) sees a visible topic, or their own
// pending one, with its visible posts and their own pending ones (NotFound otherwise); an
// agent (no viewer) sees everything.
Result<ports::CommunityTopic> ReadTopic(ports::ReadTx& tx, WorkspaceId ws, std::int64_t topic_id,
                                        std::optional<CustomerId> viewer);

// The answers' JSON (see the contract in docs/community.md and docs/openapi.yaml).
nlohmann::json TopicSummaryJson(const ports::CommunityTopic& topic);
nlohmann::json PostJson(const ports::CommunityPost& post, const ports::Markdown& markdown,
                        std::optional<std::int64_t> accepted_post_id);
// With posts. For a customer viewer: my_vote on each post and can_accept.
nlohmann::json TopicJson(const ports::CommunityTopic& topic, const ports::Markdown& markdown,
                         std::optional<CustomerId> viewer, const std::map<std::int64_t, int>& my_votes);
nlohmann::json BanJson(const ports::CommunityBan& ban);

}  // namespace kizuna::services
