// Router: the route table and the checks every request passes (auth, role, scope, CSRF).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/app.h"
#include "api/http.h"
#include "api/static_site.h"

namespace kizuna::api {

struct Access {
  bool is_public = false;       // no credentials needed
  Role min_role = Role::kAgent;
  std::string scope;            // what an API token needs ("tickets:read"); empty: none
};

using Handler = std::function<HttpResponse(App&, const HttpRequest&, const Principal*)>;

struct Route {
  std::string method;
  std::string pattern;  // /api/v1/tickets/{id}
  Access access;
  Handler handler;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, Handler handler);
  // Runs the request through matching, authentication, permission checks and the
  // handler. Never throws; a handler's exception becomes a logged 500.
  HttpResponse Dispatch(App& app, HttpRequest& request) const;
  const std::vector<Route>& routes() const { return routes_; }
  // Serves the web app for GET requests that match no route.
  void set_site(StaticSite site) { site_ = std::move(site); }

 private:
  std::vector<Route> routes_;
  StaticSite site_;
};

// Every route of the API.
Router BuildRouter();

// Route groups, one per resource file.
void AddHealthRoutes(Router& router);
void AddAuthRoutes(Router& router);
void AddTicketRoutes(Router& router);
void AddCustomerRoutes(Router& router);
void AddDirectoryRoutes(Router& router);
void AddPortalRoutes(Router& router);
void AddAttachmentRoutes(Router& router);
void AddMailRoutes(Router& router);
void AddSlaRoutes(Router& router);
void AddStandardRoutes(Router& router);  // service standards (C3)
void AddSearchRoutes(Router& router);    // search and suggestions (C20)
void AddRoutingRoutes(Router& router);   // routing (C4): presence
void AddKbRoutes(Router& router);        // knowledge base (C20), for agents
void AddPortalKbRoutes(Router& router);  // knowledge base (C20): the help centre
void AddCommunityRoutes(Router& router);        // community (C22): moderation, for agents
void AddPortalCommunityRoutes(Router& router);  // community (C22): the help centre
void AddVoiceRoutes(Router& router);  // voice (C18): events from a phone system

}  // namespace kizuna::api
