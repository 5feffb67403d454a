#include "api/portal_session.h"

#include "api/support.h"
#include "core/text.h"

namespace kizuna::api {

Result<Workspace> PortalWorkspace(App& app, const HttpRequest& req) {
  auto it = req.params.find("workspace");
  std::string name = it == req.params.end() ? "" : ToLowerAscii(it->second);
  if (name.empty() || name.size() > 63) return Error::NotFound("no such help centre");
  Workspace ws;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    auto found = tx.FindWorkspace(name);
    if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? Error::NotFound("no such help centre") : found.error();
    ws = *found;
    return Ok();
  });
  if (!status.ok()) return status.error();
  return ws;
}

Result<ports::PortalSession> PortalCustomer(App& app, const HttpRequest& req, WorkspaceId ws, bool write) {
  const std::string secret = req.Cookie(kPortalCookie);
  Error signed_out{ErrorCode::kUnauthenticated, "sign in to see your requests", {}};
  if (secret.empty() || secret.size() > 200) return signed_out;
  ports::PortalSession session;
  Status status = TimedRead(app, [&](ports::ReadTx& tx) -> Status {
    auto found = tx.FindPortalSession(app.crypto.DigestToken(secret));
    if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? Status(signed_out) : Status(found.error());
    session = *found;
    return Ok();
  });
  if (!status.ok()) return status.error();
  if (session.workspace_id != ws || session.expires_at <= app.clock.Now()) return signed_out;
  if (write && !app.crypto.Equal(req.Header("x-csrf-token"), session.csrf_token)) {
    return Error{ErrorCode::kPermissionDenied, "send the X-CSRF-Token given at sign-in with every change", "X-CSRF-Token"};
  }
  return session;
}

}  // namespace kizuna::api
