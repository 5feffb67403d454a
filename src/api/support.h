// What handlers share: JSON answers, ids from paths, timed store calls and
// idempotent writes.
#pragma once

#include <functional>
#include <utility>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/http.h"
#include "api/router.h"

namespace kizuna::api {

HttpResponse JsonResponse(int status, const nlohmann::json& body);

// The positive integer path parameter `name`, or InvalidArgument.
Result<std::int64_t> PathId(const HttpRequest& request, const std::string& name);

// A positive integer query parameter. REQUIRES: the parameter is present.
Result<std::int64_t> QueryInt(const HttpRequest& request, const std::string& name);

// The version in an If-Match header ("3" or W/"3"), nullopt when absent.
Result<std::optional<std::int64_t>> IfMatchVersion(const HttpRequest& request);

// Adds the ETag of `version` to a successful answer.
HttpResponse WithEtag(HttpResponse response, std::int64_t version);

// On a 201, adds Location (collection + "/" + id) and ETag (version) read from the
// answer's body, so that an answer replayed for an Idempotency-Key carries them too.
HttpResponse WithLocation(HttpResponse response, const std::string& collection);

// A Set-Cookie value for an HttpOnly, SameSite=Lax cookie on the whole site
// (Secure when the server is configured so). max_age 0 deletes it.
std::string CookieHeader(const App& app, std::string_view name, const std::string& value, int max_age);

// Checks a new password against the policy and hashes it, at most two hashes at once.
Result<std::string> HashNewPassword(App& app, std::string_view password);

// kOneQuery: `fn` runs a single query, which needs no transaction (Store::ReadOneQuery);
// kByKey: that query reads rows by their key (Store::ReadByKey).
enum class ReadKind { kTransaction, kOneQuery, kByKey };

// Runs a read, timed into the metrics.
Status TimedRead(App& app, const ports::ReadFn& fn, ReadKind kind = ReadKind::kTransaction);

// The answer of a write: status and JSON body, built inside the transaction.
using WriteAnswer = std::pair<int, nlohmann::json>;
using AnsweringWrite = std::function<Result<WriteAnswer>(ports::WriteTx&)>;

// Runs `fn` as one durable write. With an Idempotency-Key header, the first
// answer is stored in the same transaction and replayed for retries; a reuse of
// the key for a different request is refused with 422.
HttpResponse RunWrite(App& app, const HttpRequest& request, const Principal& principal, AnsweringWrite fn);

}  // namespace kizuna::api
