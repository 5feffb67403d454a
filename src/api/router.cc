#include "api/router.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "api/error_mapping.h"

namespace kizuna::api {
namespace {

// Matches "/api/v1/tickets/{id}" against a path, filling params.
bool MatchPattern(const std::string& pattern, const std::string& path, std::map<std::string, std::string>& params) {
  std::size_t p = 0;
  std::size_t s = 0;
  std::map<std::string, std::string> found;
  while (p < pattern.size() && s < path.size()) {
    if (pattern[p] == '{') {
      auto close = pattern.find('}', p);
      std::string name = pattern.substr(p + 1, close - p - 1);
      auto end = path.find('/', s);
      if (end == std::string::npos) end = path.size();
      if (end == s) return false;
      found[name] = path.substr(s, end - s);
      p = close + 1;
      s = end;
    } else {
      if (pattern[p] != path[s]) return false;
      ++p;
      ++s;
    }
  }
  if (p != pattern.size() || s != path.size()) return false;
  params = std::move(found);
  return true;
}

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

// Authenticates and checks role, scope and CSRF. Returns the refusal, if any.
std::optional<HttpResponse> Admit(App& app, const Route& route, const HttpRequest& request,
                                  std::optional<Principal>& principal) {
  if (route.access.is_public) return std::nullopt;
  auto auth = app.auth.Authenticate(request);
  if (!auth.ok()) return ProblemResponse(auth.error());
  principal = std::move(auth).value();
  if (!RoleAtLeast(principal->actor.role, route.access.min_role)) {
    return ProblemResponse(Error::Denied(std::string("this needs the ") + RoleName(route.access.min_role) + " role"));
  }
  if (!route.access.scope.empty() && !principal->HasScope(route.access.scope)) {
    return ProblemResponse(Error::Denied("the API token lacks the scope " + route.access.scope));
  }
  if (principal->via_session && !IsSafeMethod(request.method) &&
      !app.crypto.Equal(request.Header("x-csrf-token"), principal->csrf_token)) {
    return ProblemResponse(403, "csrf_token_invalid", "send the X-CSRF-Token header given at sign-in with every change",
                           "X-CSRF-Token");
  }
  return std::nullopt;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Access access, Handler handler) {
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(access), std::move(handler)});
}

HttpResponse Router::Dispatch(App& app, HttpRequest& request) const {
  auto started = std::chrono::steady_clock::now();
  const Route* route = nullptr;
  bool path_matched = false;
  std::string allowed;
  for (const auto& candidate : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(candidate.pattern, request.path, params)) continue;
    path_matched = true;
    allowed += (allowed.empty() ? "" : ", ") + candidate.method;
    if (candidate.method == request.method || (request.method == "HEAD" && candidate.method == "GET")) {
      route = &candidate;
      request.params = std::move(params);
      break;
    }
  }
  HttpResponse response;
  std::string label = route ? route->pattern : "unmatched";
  std::optional<HttpResponse> page;
  if (!route && !path_matched && (request.method == "GET" || request.method == "HEAD")) {
    page = site_.Serve(request.path);
  }
  if (page) {
    response = std::move(*page);
    label = "static";
  } else if (!route) {
    if (path_matched) {
      response = ProblemResponse(405, "method_not_allowed", request.method + " is not allowed here; use " + allowed);
      response.AddHeader("Allow", allowed);
    } else {
      response = ProblemResponse(404, "not_found", "no such resource: " + request.path);
    }
  } else {
    std::optional<Principal> principal;
    std::optional<HttpResponse> refused = Admit(app, *route, request, principal);
    if (refused) {
      response = std::move(*refused);
    } else {
      try {
        response = route->handler(app, request, principal ? &*principal : nullptr);
      } catch (const std::exception& e) {
        spdlog::error("handler {} {} failed: {}", request.method, route->pattern, e.what());
        response = ProblemResponse(Error::Internal(e.what()));
      }
    }
  }
  if (response.status >= 500) {
    spdlog::error("{} {} answered {}: {}", request.method, request.path, response.status, response.body);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  app.metrics.ObserveRequest(request.method, label, response.status, seconds);
  return response;
}

Router BuildRouter() {
  Router router;
  AddHealthRoutes(router);
  AddAuthRoutes(router);
  AddTicketRoutes(router);
  AddCustomerRoutes(router);
  AddDirectoryRoutes(router);
  AddPortalRoutes(router);
  AddAttachmentRoutes(router);
  AddMailRoutes(router);
  AddSlaRoutes(router);
  AddStandardRoutes(router);
  AddRoutingRoutes(router);
  AddKbRoutes(router);
  AddPortalKbRoutes(router);
  AddCommunityRoutes(router);
  AddPortalCommunityRoutes(router);
  AddSearchRoutes(router);
  AddVoiceRoutes(router);
  return router;
}

}  // namespace kizuna::api
