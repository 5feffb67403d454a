#include "services/community.h"

#include <algorithm>
#include <array>

#include "core/text.h"
#include "core/time.h"
#include "engines/spam.h"
#include "services/events.h"
#include "services/kb.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kLocales = {"en", "ja", "ko", "vi"};
constexpr std::size_t kMaxBanReason = 500;

bool IsLocale(std::string_view locale) {
  return std::find(kLocales.begin(), kLocales.end(), locale) != kLocales.end();
}

Actor CustomerActor(WorkspaceId ws, CustomerId customer) { return Actor{ws, "customer", customer, Role::kAgent}; }

Error Banned() { return Error::Denied("you cannot post in this community"); }

// Banned customers may neither write nor vote.
Status CheckNotBanned(ports::ReadTx& tx, WorkspaceId ws, CustomerId customer) {
  auto ban = tx.GetCommunityBan(ws, customer);
  if (ban.ok()) return Banned();
  if (ban.error().code != ErrorCode::kNotFound) return ban.error();
  return Ok();
}

// The rate limit, then the spam check: the status a customer's new text starts in.
Result<std::pair<std::string, std::string>> Screen(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer,
                                                   std::string_view title, std::string_view body, Timestamp now) {
  KZ_ASSIGN(auto author, tx.GetCommunityAuthor(ws, customer, now - kCommunityWindowMs + 1));
  if (author.recent.size() >= static_cast<std::size_t>(kCommunityPostsPerWindow)) {
    return Error{ErrorCode::kRateLimited, "you can write 5 topics or answers per 10 minutes; please wait a little", {}};
  }
  SpamInput input;
  input.title = title;
  input.body = body;
  input.earlier_visible_posts = author.visible_posts;
  if (author.last_body) input.previous_body = *author.last_body;
  const SpamVerdict verdict = CheckSpam(input);
  if (verdict.hold) return std::make_pair(std::string("pending"), verdict.reason);
  return std::make_pair(std::string("visible"), std::string());
}

Status Recount(ports::WriteTx& tx, WorkspaceId ws, std::int64_t topic_id) { return tx.RecountTopic(ws, topic_id); }

Status CheckVersion(std::optional<std::int64_t> expected, std::int64_t actual, const char* what) {
  if (expected && *expected != actual) {
    return Error{ErrorCode::kPreconditionFailed, std::string("the ") + what + " changed since you loaded it",
                 "version"};
  }
  return Ok();
}

json AuthorJson(const std::string& kind, std::int64_t id, const std::string& name) {
  return json{{"kind", kind}, {"id", id}, {"name", name}};
}

std::string PendingReasonText(const std::string& code) {
  if (code == "duplicate") return "it repeats your previous post";
  if (code == "banned_words") return "it contains words that are not allowed here";
  if (code == "links_new_user") return "links from new members are checked by a moderator first";
  if (code == "too_many_links") return "it contains many links";
  if (code == "repeated_characters") return "it repeats the same character many times";
  if (code == "repeated_words") return "it repeats the same word many times";
  if (code == "shouting") return "it is written mostly in capital letters";
  return "";
}

}  // namespace

Status ValidateNewTopic(NewTopic& topic) {
  KZ_ASSIGN(topic.title, CheckText("title", topic.title, TextRule{.max_code_points = kCommunityTitleMax}));
  KZ_ASSIGN(topic.body_md, ValidatePostBody(topic.body_md));
  if (topic.locale && !IsLocale(*topic.locale)) return Error::Invalid("locale", "locale must be en, ja, ko or vi");
  return Ok();
}

Result<std::string> ValidatePostBody(std::string_view body_md) {
  if (body_md.size() > kCommunityBodyMax) return Error::Invalid("body_md", "the text may be at most 50 KB");
  return CheckText("body_md", body_md, TextRule{.max_code_points = kCommunityBodyMax, .allow_newlines = true});
}

Status ValidateModerationStatus(std::string_view status) {
  if (status != "visible" && status != "hidden") return Error::Invalid("status", "status must be visible or hidden");
  return Ok();
}

Result<std::int64_t> SecondsUntilMayPost(ports::ReadTx& tx, WorkspaceId ws, CustomerId customer, Timestamp now) {
  KZ_ASSIGN(auto author, tx.GetCommunityAuthor(ws, customer, now - kCommunityWindowMs + 1));
  const auto limit = static_cast<std::size_t>(kCommunityPostsPerWindow);
  if (author.recent.size() < limit) return std::int64_t{0};
  // The wait ends when the oldest of the last `limit` writes leaves the window.
  const Timestamp frees_at = author.recent[author.recent.size() - limit] + kCommunityWindowMs;
  return std::max<std::int64_t>(1, (frees_at - now + 999) / 1000);
}

Result<ports::CommunityTopic> CreateTopic(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, NewTopic input,
                                          Timestamp now) {
  KZ_TRY(ValidateNewTopic(input));
  KZ_ASSIGN(Customer author, tx.GetCustomer(ws, customer));
  KZ_TRY(CheckNotBanned(tx, ws, customer));
  KZ_ASSIGN(auto screened, Screen(tx, ws, customer, input.title, input.body_md, now));
  ports::CommunityTopic topic;
  topic.workspace_id = ws;
  topic.author_kind = "customer";
  topic.author_id = customer;
  topic.author_name = author.name;
  topic.title = input.title;
  topic.body_md = input.body_md;
  topic.locale = input.locale ? *input.locale : IsLocale(author.language) ? author.language : "en";
  topic.status = screened.first;
  topic.pending_reason = screened.second;
  topic.created_at = now;
  topic.updated_at = now;
  KZ_TRY(tx.InsertTopic(topic));
  KZ_TRY(RecordEvent(tx, CustomerActor(ws, customer), std::nullopt, "community.topic.created",
                     json{{"topic_id", topic.id}, {"status", topic.status}}, now));
  return topic;
}

Result<ports::CommunityPost> AddPost(ports::WriteTx& tx, WorkspaceId ws, const Poster& poster, std::int64_t topic_id,
                                     std::string_view body_md, Timestamp now) {
  KZ_ASSIGN(std::string body, ValidatePostBody(body_md));
  KZ_ASSIGN(auto topic, tx.GetTopic(ws, topic_id));
  ports::CommunityPost post;
  post.workspace_id = ws;
  post.topic_id = topic_id;
  post.author_kind = poster.kind;
  post.author_id = poster.id;
  post.body_md = body;
  post.created_at = now;
  post.updated_at = now;
  Actor actor;
  if (poster.kind == "agent") {
    KZ_ASSIGN(Agent agent, tx.GetAgent(ws, poster.id));
    post.author_name = agent.name;
    post.official = true;
    actor = Actor{ws, "agent", agent.id, agent.role};
  } else {
    if (topic.status != "visible") return Error::NotFound("topic not found");
    KZ_ASSIGN(Customer author, tx.GetCustomer(ws, poster.id));
    post.author_name = author.name;
    KZ_TRY(CheckNotBanned(tx, ws, poster.id));
    KZ_ASSIGN(auto screened, Screen(tx, ws, poster.id, "", body, now));
    post.status = screened.first;
    post.pending_reason = screened.second;
    actor = CustomerActor(ws, poster.id);
  }
  KZ_TRY(tx.InsertPost(post));
  KZ_TRY(Recount(tx, ws, topic_id));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "community.post.created",
                     json{{"topic_id", topic_id}, {"post_id", post.id}, {"status", post.status}}, now));
  return post;
}

Result<VoteOutcome> Vote(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, std::int64_t post_id, int value,
                         Timestamp now) {
  if (value < -1 || value > 1) return Error::Invalid("value", "value must be 1, -1 or 0");
  auto post = tx.GetPost(ws, post_id);
  if (!post.ok()) return post.error();
  KZ_ASSIGN(auto topic, tx.GetTopic(ws, post->topic_id));
  if (post->status != "visible" || topic.status != "visible") return Error::NotFound("post not found");
  if (post->author_kind == "customer" && post->author_id == customer) {
    return Error::Denied("you cannot vote on your own answer");
  }
  KZ_TRY(CheckNotBanned(tx, ws, customer));
  KZ_TRY(tx.SetVote(ws, topic.id, post_id, customer, value, now));
  KZ_TRY(tx.RecountPost(ws, post_id));
  KZ_TRY(Recount(tx, ws, topic.id));
  KZ_ASSIGN(auto updated, tx.GetPost(ws, post_id));
  KZ_TRY(RecordEvent(tx, CustomerActor(ws, customer), std::nullopt, "community.vote",
                     json{{"topic_id", topic.id}, {"post_id", post_id}, {"value", value}}, now));
  return VoteOutcome{updated.votes, value};
}

Result<ports::CommunityTopic> AcceptPost(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer,
                                         std::int64_t topic_id, std::int64_t post_id, Timestamp now) {
  KZ_ASSIGN(auto topic, tx.GetTopic(ws, topic_id));
  if (topic.status == "hidden") return Error::NotFound("topic not found");
  if (topic.author_kind != "customer" || topic.author_id != customer) {
    if (topic.status != "visible") return Error::NotFound("topic not found");
    return Error::Denied("only the person who asked can accept an answer");
  }
  const auto it = std::find_if(topic.posts.begin(), topic.posts.end(),
                               [&](const ports::CommunityPost& p) { return p.id == post_id; });
  if (it == topic.posts.end() || it->status != "visible") {
    return Error::Invalid("post_id", "choose a visible answer of this topic");
  }
  topic.accepted_post_id = post_id;
  topic.updated_at = now;
  topic.version += 1;
  KZ_TRY(tx.UpdateTopic(topic));
  KZ_TRY(RecordEvent(tx, CustomerActor(ws, customer), std::nullopt, "community.accepted",
                     json{{"topic_id", topic_id}, {"post_id", post_id}}, now));
  return tx.GetTopic(ws, topic_id);
}

Result<ports::CommunityTopic> SetTopicStatus(ports::WriteTx& tx, const Actor& actor, std::int64_t topic_id,
                                             const std::string& status, std::optional<std::int64_t> expected_version,
                                             Timestamp now) {
  KZ_TRY(ValidateModerationStatus(status));
  KZ_ASSIGN(auto topic, tx.GetTopic(actor.workspace_id, topic_id));
  KZ_TRY(CheckVersion(expected_version, topic.version, "topic"));
  if (topic.status == status) return topic;
  topic.status = status;
  topic.pending_reason.clear();
  topic.updated_at = now;
  topic.version += 1;
  KZ_TRY(tx.UpdateTopic(topic));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "community.topic." + status, json{{"topic_id", topic_id}}, now));
  return tx.GetTopic(actor.workspace_id, topic_id);
}

Result<ports::CommunityPost> SetPostStatus(ports::WriteTx& tx, const Actor& actor, std::int64_t post_id,
                                           const std::string& status, std::optional<std::int64_t> expected_version,
                                           Timestamp now) {
  KZ_TRY(ValidateModerationStatus(status));
  KZ_ASSIGN(auto post, tx.GetPost(actor.workspace_id, post_id));
  KZ_TRY(CheckVersion(expected_version, post.version, "post"));
  if (post.status == status) return post;
  post.status = status;
  post.pending_reason.clear();
  post.updated_at = now;
  post.version += 1;
  KZ_TRY(tx.UpdatePost(post));
  KZ_ASSIGN(auto topic, tx.GetTopic(actor.workspace_id, post.topic_id));
  // A hidden answer stays accepted only while visible: un-accept it so the thread does not
  // point at something customers cannot see.
  if (status == "hidden" && topic.accepted_post_id == post_id) {
    topic.accepted_post_id.reset();
    topic.updated_at = now;
    topic.version += 1;
    KZ_TRY(tx.UpdateTopic(topic));
  }
  KZ_TRY(Recount(tx, actor.workspace_id, post.topic_id));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "community.post." + status,
                     json{{"topic_id", post.topic_id}, {"post_id", post_id}}, now));
  return post;
}

Result<ports::CommunityBan> BanCustomer(ports::WriteTx& tx, const Actor& actor, CustomerId customer,
                                        std::string_view reason, Timestamp now) {
  KZ_ASSIGN(std::string checked,
            CheckText("reason", reason, TextRule{.max_code_points = kMaxBanReason, .allow_empty = true}));
  auto found = tx.GetCustomer(actor.workspace_id, customer);
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) return Error::Invalid("customer_id", "no such customer");
    return found.error();
  }
  ports::CommunityBan ban{actor.workspace_id, customer, found->name, checked, actor.id, now};
  KZ_TRY(tx.InsertCommunityBan(ban));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "community.ban.created",
                     json{{"customer_id", customer}, {"reason", checked}}, now));
  return ban;
}

Status LiftBan(ports::WriteTx& tx, const Actor& actor, CustomerId customer, Timestamp now) {
  KZ_TRY(tx.DeleteCommunityBan(actor.workspace_id, customer));
  return RecordEvent(tx, actor, std::nullopt, "community.ban.lifted", json{{"customer_id", customer}}, now);
}

Result<std::int64_t> MakeArticle(ports::WriteTx& tx, const Actor& actor, std::int64_t topic_id,
                                 std::int64_t section_id, Timestamp now) {
  KZ_ASSIGN(auto topic, tx.GetTopic(actor.workspace_id, topic_id));
  const ports::CommunityPost* answer = nullptr;
  for (const auto& post : topic.posts) {
    if (post.status != "visible") continue;
    if (topic.accepted_post_id == post.id) {
      answer = &post;
      break;
    }
    if (post.official) answer = &post;  // the latest official answer, unless one is accepted
  }
  std::string body = topic.body_md;
  if (answer) body += "\n\n---\n\n" + answer->body_md;
  KZ_ASSIGN(std::int64_t article_id, CreateDraftArticle(tx, actor, section_id, topic.locale, topic.title, body,
                                                        topic.id, now));
  topic.article_id = article_id;
  topic.updated_at = now;
  topic.version += 1;
  KZ_TRY(tx.UpdateTopic(topic));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "community.topic.updated",
                     json{{"topic_id", topic_id}, {"article_id", article_id}}, now));
  return article_id;
}

Result<ports::CommunityTopic> ReadTopic(ports::ReadTx& tx, WorkspaceId ws, std::int64_t topic_id,
                                        std::optional<CustomerId> viewer) {
  auto topic = tx.GetTopic(ws, topic_id);
  if (!topic.ok()) return topic.error();
  if (!viewer) return topic;
  const auto own = [&](const std::string& kind, std::int64_t id) { return kind == "customer" && id == *viewer; };
  const bool readable =
      topic->status == "visible" || (topic->status == "pending" && own(topic->author_kind, topic->author_id));
  if (!readable) return Error::NotFound("topic not found");
  std::erase_if(topic->posts, [&](const ports::CommunityPost& p) {
    return !(p.status == "visible" || (p.status == "pending" && own(p.author_kind, p.author_id)));
  });
  return topic;
}

json TopicSummaryJson(const ports::CommunityTopic& t) {
  json out{{"id", t.id},
           {"title", t.title},
           {"status", t.status},
           {"locale", t.locale},
           {"author", AuthorJson(t.author_kind, t.author_id, t.author_name)},
           {"created_at", FormatTimestamp(t.created_at)},
           {"updated_at", FormatTimestamp(t.updated_at)},
           {"answers", t.answers},
           {"pending_posts", t.pending_posts},
           {"votes", t.votes},
           {"accepted_post_id", t.accepted_post_id ? json(*t.accepted_post_id) : json(nullptr)},
           {"official", t.official},
           {"version", t.version}};
  if (t.status == "pending") {
    out["pending_reason"] = t.pending_reason;
    out["pending_reason_text"] = PendingReasonText(t.pending_reason);
  }
  return out;
}

json PostJson(const ports::CommunityPost& p, const ports::Markdown& markdown,
              std::optional<std::int64_t> accepted_post_id) {
  json out{{"id", p.id},
           {"topic_id", p.topic_id},
           {"author", AuthorJson(p.author_kind, p.author_id, p.author_name)},
           {"body_md", p.body_md},
           {"body_html", markdown.ToHtml(p.body_md)},
           {"status", p.status},
           {"votes", p.votes},
           {"official", p.official},
           {"accepted", accepted_post_id && *accepted_post_id == p.id},
           {"created_at", FormatTimestamp(p.created_at)},
           {"version", p.version}};
  if (p.status == "pending") {
    out["pending_reason"] = p.pending_reason;
    out["pending_reason_text"] = PendingReasonText(p.pending_reason);
  }
  return out;
}

json TopicJson(const ports::CommunityTopic& t, const ports::Markdown& markdown, std::optional<CustomerId> viewer,
               const std::map<std::int64_t, int>& my_votes) {
  json out = TopicSummaryJson(t);
  out["body_md"] = t.body_md;
  out["body_html"] = markdown.ToHtml(t.body_md);
  out["article_id"] = t.article_id ? json(*t.article_id) : json(nullptr);
  json posts = json::array();
  for (const auto& p : t.posts) {
    json post = PostJson(p, markdown, t.accepted_post_id);
    if (viewer) {
      auto vote = my_votes.find(p.id);
      post["my_vote"] = vote == my_votes.end() ? 0 : vote->second;
    }
    posts.push_back(std::move(post));
  }
  out["posts"] = std::move(posts);
  if (viewer) out["can_accept"] = t.author_kind == "customer" && t.author_id == *viewer && t.status == "visible";
  return out;
}

json BanJson(const ports::CommunityBan& b) {
  return json{{"customer_id", b.customer_id},
              {"customer_name", b.customer_name},
              {"reason", b.reason},
              {"banned_by", b.banned_by},
              {"created_at", FormatTimestamp(b.created_at)}};
}

}  // namespace kizuna::services
