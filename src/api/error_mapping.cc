#include "api/error_mapping.h"

#include <nlohmann/json.hpp>

namespace kizuna::api {
namespace {

const char* TitleFor(int status) {
  switch (status) {
    case 400: return "Bad request";
    case 401: return "Sign-in required";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 405: return "Method not allowed";
    case 409: return "Conflict";
    case 412: return "Precondition failed";
    case 413: return "Request body too large";
    case 415: return "Unsupported media type";
    case 422: return "Unprocessable request";
    case 426: return "Upgrade required";
    case 429: return "Too many requests";
    case 431: return "Request headers too large";
    case 503: return "Service unavailable";
    default: return status >= 500 ? "Internal error" : "Request failed";
  }
}

}  // namespace

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse ProblemResponse(int status, std::string code, std::string detail, std::string field) {
  nlohmann::json body = {{"type", "about:blank"},
                         {"title", TitleFor(status)},
                         {"status", status},
                         {"detail", std::move(detail)},
                         {"code", std::move(code)}};
  if (!field.empty()) body["field"] = std::move(field);
  HttpResponse response;
  response.status = status;
  response.content_type = "application/problem+json";
  // Strings from the store or from clients may hold invalid UTF-8 in theory; never throw here.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (status == 401) response.AddHeader("WWW-Authenticate", "Bearer realm=\"kizuna\"");
  return response;
}

HttpResponse ProblemResponse(const Error& error) {
  int status = HttpStatusFor(error.code);
  // Internal details stay in the log, not in the answer.
  std::string detail = status == 500 ? "an internal error occurred; it has been logged" : error.message;
  return ProblemResponse(status, ErrorCodeName(error.code), std::move(detail), error.field);
}

}  // namespace kizuna::api
