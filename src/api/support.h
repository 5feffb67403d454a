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

// The version in an If-Match header ("3" or W/"3"), nullopt when absent.
Result<std::optional<std::int64_t>> IfMatchVersion(const HttpRequest& request);

// Runs a read transaction, timed into the metrics.
Status TimedRead(App& app, const ports::ReadFn& fn);

// The answer of a write: status and JSON body, built inside the transaction.
using WriteAnswer = std::pair<int, nlohmann::json>;
using AnsweringWrite = std::function<Result<WriteAnswer>(ports::WriteTx&)>;

// Runs `fn` as one durable write. With an Idempotency-Key header, the first
// answer is stored in the same transaction and replayed for retries; a reuse of
// the key for a different request is refused with 422.
HttpResponse RunWrite(App& app, const HttpRequest& request, const Principal& principal, AnsweringWrite fn);

}  // namespace kizuna::api
