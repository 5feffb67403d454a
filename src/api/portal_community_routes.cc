// /api/v1/portal/{workspace}/community: the help centre's community (C22). Anyone reads the
// visible topics; signed-in customers (the portal session, X-CSRF-Token on writes) ask,
// answer, vote and accept, and also see their own pending topics and posts.
#include "api/community_http.h"
#include "api/json_body.h"
#include "api/portal_session.h"

namespace kizuna::api {
namespace {

using nlohmann::json;

// The signed-in customer, when there is one: a stale or foreign cookie reads as signed out.
std::optional<CustomerId> Viewer(App& app, const HttpRequest& req, WorkspaceId ws) {
  if (req.Cookie(kPortalCookie).empty()) return std::nullopt;
  auto session = PortalCustomer(app, req, ws, false);
  if (!session.ok()) return std::nullopt;
  return session->customer_id;
}

// A customer's write failed: over the posting limit, the answer says when to come back.
HttpResponse WriteFailed(App& app, const Error& error, WorkspaceId ws, CustomerId customer) {
  if (error.code != ErrorCode::kRateLimited) return ProblemResponse(error);
  std::int64_t wait = 60;
  (void)TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(wait, services::SecondsUntilMayPost(tx, ws, customer, app.clock.Now()));
    return Ok();
  });
  return PostingLimited(error, wait);
}

// What every signed-in write on a topic or a post starts from: the help centre, the customer
// (whose X-CSRF-Token was checked), the id in the path, and the JSON body.
struct CustomerWrite {
  Workspace ws;
  ports::PortalSession session;
  std::int64_t id = 0;
};
Result<CustomerWrite> StartCustomerWrite(App& app, const HttpRequest& req) {
  CustomerWrite write;
  KZ_ASSIGN(write.ws, PortalWorkspace(app, req));
  KZ_ASSIGN(write.session, PortalCustomer(app, req, write.ws.id, true));
  KZ_ASSIGN(write.id, PathId(req, "id"));
  return write;
}

json ThreadJson(App& app, const ports::Markdown& markdown, WorkspaceId ws, std::int64_t topic_id,
                CustomerId viewer, Status* status) {
  json out;
  *status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(auto topic, services::ReadTopic(tx, ws, topic_id, viewer));
    KZ_ASSIGN(auto votes, tx.ListTopicVotes(ws, topic_id, viewer));
    out = services::TopicJson(topic, markdown, viewer, votes);
    return Ok();
  });
  return out;
}

HttpResponse ListTopics(App& app, const HttpRequest& req, const Principal*) {
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto page = CommunityPage(req);
  if (!page.ok()) return ProblemResponse(page.error());
  ports::TopicFilter filter;
  if (const std::string* sort = req.Query("sort")) {
    if (*sort != "recent" && *sort != "votes") return ProblemResponse(Error::Invalid("sort", "sort is recent or votes"));
    filter.by_votes = *sort == "votes";
  }
  filter.statuses = {"visible"};
  const auto viewer = Viewer(app, req, ws->id);
  std::vector<ports::CommunityTopic> topics;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    filter.after_id = page->first;
    filter.limit = page->second + 1;
    if (viewer) filter.or_author = *viewer;
    KZ_ASSIGN(topics, tx.ListTopics(ws->id, filter));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, TopicPageJson(std::move(topics), page->second));
}

HttpResponse GetTopic(App& app, const HttpRequest& req, const Principal*) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto id = PathId(req, "id");
  if (!id.ok()) return ProblemResponse(id.error());
  const auto viewer = Viewer(app, req, ws->id);
  Status status = Ok();
  // A reader who is not signed in is nobody's author: customer id 0 matches no one.
  json out = ThreadJson(app, **markdown, ws->id, *id, viewer.value_or(0), &status);
  if (!status.ok()) return ProblemResponse(status.error());
  if (!viewer) {
    for (auto& post : out["posts"]) post.erase("my_vote");
    out["can_accept"] = false;
  }
  return JsonResponse(200, out);
}

HttpResponse CreateTopic(App& app, const HttpRequest& req, const Principal*) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto ws = PortalWorkspace(app, req);
  if (!ws.ok()) return ProblemResponse(ws.error());
  auto session = PortalCustomer(app, req, ws->id, true);
  if (!session.ok()) return ProblemResponse(session.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  services::NewTopic input;
  input.title = r.Str("title").value_or("");
  input.body_md = r.Str("body_md").value_or("");
  input.locale = r.Str("locale");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (auto valid = services::ValidateNewTopic(input); !valid.ok()) return ProblemResponse(valid.error());
  const CustomerId customer = session->customer_id;
  ports::CommunityTopic created;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(created, services::CreateTopic(tx, ws->id, customer, input, app.clock.Now()));
    return Ok();
  });
  if (!status.ok()) return WriteFailed(app, status.error(), ws->id, customer);
  json out = ThreadJson(app, **markdown, ws->id, created.id, customer, &status);
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(201, out);
}

HttpResponse Answer(App& app, const HttpRequest& req, const Principal*) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto write = StartCustomerWrite(app, req);
  if (!write.ok()) return ProblemResponse(write.error());
  auto text = PostBodyField(req.body);
  if (!text.ok()) return ProblemResponse(text.error());
  const WorkspaceId ws = write->ws.id;
  const CustomerId customer = write->session.customer_id;
  json out;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(auto post, services::AddPost(tx, ws, services::Poster::Customer(customer), write->id, *text,
                                           app.clock.Now()));
    KZ_ASSIGN(auto topic, tx.GetTopic(ws, write->id));
    out = services::PostJson(post, **markdown, topic.accepted_post_id);
    out["my_vote"] = 0;
    return Ok();
  });
  if (!status.ok()) return WriteFailed(app, status.error(), ws, customer);
  return JsonResponse(201, out);
}

HttpResponse Vote(App& app, const HttpRequest& req, const Principal*) {
  auto write = StartCustomerWrite(app, req);
  if (!write.ok()) return ProblemResponse(write.error());
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::optional<std::int64_t> value = r.Int("value");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!value || *value < -1 || *value > 1) return ProblemResponse(Error::Invalid("value", "value must be 1, -1 or 0"));
  services::VoteOutcome outcome;
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(outcome, services::Vote(tx, write->ws.id, write->session.customer_id, write->id,
                                      static_cast<int>(*value), app.clock.Now()));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, json{{"votes", outcome.votes}, {"my_vote", outcome.my_vote}});
}

HttpResponse Accept(App& app, const HttpRequest& req, const Principal*) {
  auto markdown = CommunityMarkdown(app);
  if (!markdown.ok()) return ProblemResponse(markdown.error());
  auto write = StartCustomerWrite(app, req);
  if (!write.ok()) return ProblemResponse(write.error());
  const WorkspaceId ws = write->ws.id;
  const CustomerId customer = write->session.customer_id;
  auto body = ParseJsonObject(req.body);
  if (!body.ok()) return ProblemResponse(body.error());
  FieldReader r(*body);
  std::optional<std::int64_t> post_id = r.Int("post_id");
  if (auto finished = r.Finish(); !finished.ok()) return ProblemResponse(finished.error());
  if (!post_id || *post_id <= 0) return ProblemResponse(Error::Invalid("post_id", "choose the answer to accept"));
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_TRY(services::AcceptPost(tx, ws, customer, write->id, *post_id, app.clock.Now()));
    return Ok();
  });
  if (!status.ok()) return ProblemResponse(status.error());
  json out = ThreadJson(app, **markdown, ws, write->id, customer, &status);
  if (!status.ok()) return ProblemResponse(status.error());
  return JsonResponse(200, out);
}

}  // namespace

void AddPortalCommunityRoutes(Router& router) {
  const Access open{.is_public = true};  // customers are checked by each handler
  router.Add("GET", "/api/v1/portal/{workspace}/community/topics", open, ListTopics);
  router.Add("POST", "/api/v1/portal/{workspace}/community/topics", open, CreateTopic);
  router.Add("GET", "/api/v1/portal/{workspace}/community/topics/{id}", open, GetTopic);
  router.Add("POST", "/api/v1/portal/{workspace}/community/topics/{id}/posts", open, Answer);
  router.Add("POST", "/api/v1/portal/{workspace}/community/topics/{id}/accept", open, Accept);
  router.Add("POST", "/api/v1/portal/{workspace}/community/posts/{id}/vote", open, Vote);
}

}  // namespace kizuna::api
