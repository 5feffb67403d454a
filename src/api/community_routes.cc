// /api/v1/community: the community (C22) for agents: every topic and post whatever its
// status, official answers, moderation (hide, show, approve), bans and "make article".
#include "api/community_http.h"
#include "api/json_body.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

HttpResponse ListTopics(App& app, const HttpRequest& req, const Principal* p) {
  auto page = CommunityPage(req);
  if (!page.ok()) return ProblemResponse(page.error());
  ports::TopicFilter filter;
  if (const std::string* status = req.Query("status")) {
    if (*status != "pending" && *status != "visible" && *status != "hidden") {
      return ProblemResponse(Error::Invalid("status", "status must be pending, visible or hidden"));
    }
    filter.statuses = {*status};
  }
  filter.after_id = page->first;
  filter.limit = page->second + 1;
  std::vector<ports::CommunityTopic> topics;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(topics, tx.ListTopics(p->actor.workspace_id, filter));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, TopicPageJson(std::move(topics), page->second));
}

HttpResponse GetTopic(App& app, const HttpRequest& req, const Principal* p) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  ports::CommunityTopic topic;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(topic, services::ReadTopic(tx, p->actor.workspace_id, *id, std::nullopt));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, services::TopicJson(topic, **markdown, std::nullopt, {}));
}

HttpResponse AnswerTopic(App& app, const HttpRequest& req, const Principal* p) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto text = PostBodyField(req.body);
  if (!text.ok()) return ProblemResponse(text.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto post, services::AddPost(tx, p->actor.workspace_id, services::Poster::Agent(p->actor.id), *id, *text,
                                           now));
    KZ_ASSIGN(auto topic, tx.GetTopic(p->actor.workspace_id, *id));
    return WriteAnswer{201, services::PostJson(post, **markdown, topic.accepted_post_id)};
  });
}

// {status: visible|hidden, version?}
Result<std::pair<std::string, std::optional<std::int64_t>>> ReadModeration(const HttpRequest& req) {
  KZ_ASSIGN(auto body, ParseJsonObject(req.body));
  FieldReader r(body);
  std::optional<std::string> status = r.Str("status");
  std::optional<std::int64_t> version = r.Int("version");
  KZ_TRY(r.Finish());
  if (!status) return Error::Invalid("status", "status is required: visible or hidden");
  KZ_TRY(services::ValidateModerationStatus(*status));
  return std::make_pair(*status, version);
}

HttpResponse ModerateTopic(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto change = ReadModeration(req);
  if (!change.ok()) return ProblemResponse(change.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto topic, services::SetTopicStatus(tx, p->actor, *id, change->first, change->second, now));
    return WriteAnswer{200, services::TopicSummaryJson(topic)};
  });
}

HttpResponse ModeratePost(App& app, const HttpRequest& req, const Principal* p) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto change = ReadModeration(req);
  if (!change.ok()) return ProblemResponse(change.error());
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto post, services::SetPostStatus(tx, p->actor, *id, change->first, change->second, now));
    KZ_ASSIGN(auto topic, tx.GetTopic(p->actor.workspace_id, post.topic_id));
    return WriteAnswer{200, services::PostJson(post, **markdown, topic.accepted_post_id)};
  });
}

HttpResponse MakeArticle(App& app, const HttpRequest& req, const Principal* p) {
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::optional<std::int64_t> section_id = r.Int("section_id");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!section_id || *section_id <= 0) {
    return ProblemResponse(Error::Invalid("section_id", "choose the section the article goes in"));
  }
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(std::int64_t article_id, services::MakeArticle(tx, p->actor, *id, *section_id, now));
    return WriteAnswer{201, json{{"article_id", article_id}}};
  });
}

HttpResponse ListBans(App& app, const HttpRequest&, const Principal* p) {
  std::vector<ports::CommunityBan> bans;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(bans, tx.ListCommunityBans(p->actor.workspace_id));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json list = json::array();
  for (const auto& b : bans) list.push_back(services::BanJson(b));
  return JsonResponse(200, json{{"bans", list}});
}

HttpResponse Ban(App& app, const HttpRequest& req, const Principal* p) {
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::optional<std::int64_t> customer_id = r.Int("customer_id");
  std::string reason = r.Str("reason").value_or("");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!customer_id || *customer_id <= 0) return ProblemResponse(Error::Invalid("customer_id", "choose a customer"));
  const Timestamp now = app.clock.Now();
  return RunWrite(app, req, *p, [&](ports::WriteTx& tx) -> Result<WriteAnswer> {
    KZ_ASSIGN(auto ban, services::BanCustomer(tx, p->actor, *customer_id, reason, now));
    return WriteAnswer{201, services::BanJson(ban)};
  });
}

HttpResponse Unban(App& app, const HttpRequest& req, const Principal* p) {
  auto customer_id = PathId(req, "id");  // a customer's id
  if (!customer_id.ok()) return ProblemResponse(customer_id.error());
  const Timestamp now = app.clock.Now();
  Status status = app.store.WriteAndWait(
      [&](ports::WriteTx& tx) { return services::LiftBan(tx, p->actor, *customer_id, now); });
  if (!status.ok()) return ProblemResponse(status.error());
  HttpResponse response;
  response.status = 204;
  return response;
}

}  // namespace

void AddCommunityRoutes(Router& router) {
  const Access read{.scope = "tickets:read"};
  const Access write{.scope = "tickets:write"};
  router.Add("GET", "/api/v1/community/topics", read, ListTopics);
  router.Add("GET", "/api/v1/community/topics/{id}", read, GetTopic);
  router.Add("PATCH", "/api/v1/community/topics/{id}", write, ModerateTopic);
  router.Add("POST", "/api/v1/community/topics/{id}/posts", write, AnswerTopic);
  router.Add("POST", "/api/v1/community/topics/{id}/article", write, MakeArticle);
  router.Add("PATCH", "/api/v1/community/posts/{id}", write, ModeratePost);
  router.Add("GET", "/api/v1/community/bans", read, ListBans);
  router.Add("POST", "/api/v1/community/bans", write, Ban);
  // {id}: the banned customer's id.
  router.Add("DELETE", "/api/v1/community/bans/{id}", write, Unban);
}

}  // namespace kizuna::api
