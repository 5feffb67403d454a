// What the community's two route files share (agents: community_routes.cc; customers:
// portal_community_routes.cc): paging parameters, the Markdown renderer, a page's JSON and
// the 429 of the posting limit.
#pragma once

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/error_mapping.h"
#include "api/http.h"
#include "api/json_body.h"
#include "api/support.h"
#include "services/community.h"

namespace kizuna::api {

// ?after=<topic id>&limit=1..100 (default 25). InvalidArgument names the parameter.
inline Result<std::pair<std::int64_t, int>> CommunityPage(const HttpRequest& req) {
  std::int64_t after = 0;
  int limit = 25;
  if (req.Query("after")) {
    KZ_ASSIGN(after, QueryInt(req, "after"));
  }
  if (req.Query("limit")) {
    KZ_ASSIGN(std::int64_t asked, QueryInt(req, "limit"));
    if (asked > 100) return Error::Invalid("limit", "limit is 1 to 100");
    limit = static_cast<int>(asked);
  }
  return std::make_pair(after, limit);
}

// The renderer, or Unavailable when the server runs without one.
inline Result<const ports::Markdown*> CommunityMarkdown(const App& app) {
  if (!app.markdown) return Error::Unavailable("Markdown rendering is not configured on this server");
  return app.markdown;
}

// {"topics":[TopicSummary], "next": id|null}; `topics` holds one more than the page when
// there is a next page (that extra one is dropped).
inline nlohmann::json TopicPageJson(std::vector<ports::CommunityTopic> topics, int limit) {
  nlohmann::json next = nullptr;
  if (topics.size() > static_cast<std::size_t>(limit)) {
    topics.resize(static_cast<std::size_t>(limit));
    next = topics.back().id;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : topics) list.push_back(services::TopicSummaryJson(t));
  return nlohmann::json{{"topics", list}, {"next", next}};
}

// An answer's {"body_md": "…"}, checked: InvalidArgument names the field.
inline Result<std::string> PostBodyField(const std::string& request_body) {
  KZ_ASSIGN(auto body, ParseJsonObject(request_body));
  FieldReader r(body);
  std::string text = r.Str("body_md").value_or("");
  KZ_TRY(r.Finish());
  KZ_TRY(services::ValidatePostBody(text));
  return text;
}

// The 429 for a customer over the posting limit, with Retry-After in seconds.
inline HttpResponse PostingLimited(const Error& error, std::int64_t retry_after_seconds) {
  HttpResponse limited = ProblemResponse(error);
  limited.AddHeader("Retry-After", std::to_string(std::max<std::int64_t>(1, retry_after_seconds)));
  return limited;
}

}  // namespace kizuna::api
