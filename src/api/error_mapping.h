// The one place an error code becomes an HTTP status and a problem+json body (RFC 9457).
#pragma once

#include "api/http.h"
#include "core/result.h"

namespace kizuna::api {

int HttpStatusFor(ErrorCode code);
// {"type","title","status","detail","code","field"} as application/problem+json.
HttpResponse ProblemResponse(const Error& error);
// For failures found by the server before a handler runs (413, 431, 404 route, 405).
HttpResponse ProblemResponse(int status, std::string code, std::string detail, std::string field = {});

}  // namespace kizuna::api
