// The help centre's session: which workspace a /api/v1/portal/{workspace} path names and
// which customer is signed in to it. Shared by every portal route file.
#pragma once

#include <string>

#include "api/app.h"
#include "api/http.h"
#include "core/result.h"
#include "core/workspace.h"
#include "ports/store.h"

namespace kizuna::api {

inline constexpr const char* kPortalCookie = "kizuna_portal";

// The workspace named in the path's {workspace}; NotFound for unknown names.
Result<Workspace> PortalWorkspace(App& app, const HttpRequest& req);

// The signed-in customer of workspace `ws`'s help centre: Unauthenticated when signed out,
// expired or signed in elsewhere. With `write`, the X-CSRF-Token header must match the
// session's token (PermissionDenied otherwise).
Result<ports::PortalSession> PortalCustomer(App& app, const HttpRequest& req, WorkspaceId ws, bool write);

}  // namespace kizuna::api
