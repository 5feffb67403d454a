#include "api/support.h"

#include <chrono>
#include <charconv>

#include "api/error_mapping.h"
#include "core/text.h"
#include "services/directory.h"

namespace kizuna::api {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Result<std::int64_t> PathId(const HttpRequest& request, const std::string& name) {
  auto it = request.params.find(name);
  const std::string text = it == request.params.end() ? "" : it->second;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    // A malformed id names nothing: answer as for any missing resource.
    return Error::NotFound("no such resource: " + request.path);
  }
  return value;
}

Result<std::optional<std::int64_t>> IfMatchVersion(const HttpRequest& request) {
  std::string text = request.Header("if-match");
  if (text.empty()) return std::optional<std::int64_t>();
  if (text.starts_with("W/")) text = text.substr(2);
  if (text.size() < 3 || text.front() != '"' || text.back() != '"') {
    return Error::Invalid("If-Match", "If-Match must be the ETag given with the resource, such as \"3\"");
  }
  std::int64_t version = 0;
  auto [end, ec] = std::from_chars(text.data() + 1, text.data() + text.size() - 1, version);
  if (ec != std::errc() || end != text.data() + text.size() - 1) {
    return Error{ErrorCode::kPreconditionFailed, "the If-Match value matches no version", "If-Match"};
  }
  return std::optional<std::int64_t>(version);
}

HttpResponse WithEtag(HttpResponse response, std::int64_t version) {
  if (response.status < 300) response.AddHeader("ETag", "\"" + std::to_string(version) + "\"");
  return response;
}

HttpResponse WithLocation(HttpResponse response, const std::string& collection) {
  if (response.status != 201) return response;
  auto created = nlohmann::json::parse(response.body, nullptr, false);
  if (!created.is_object() || !created.contains("id")) return response;
  response.AddHeader("Location", collection + "/" + std::to_string(created.value("id", std::int64_t{0})));
  return WithEtag(std::move(response), created.value("version", std::int64_t{1}));
}

std::string CookieHeader(const App& app, std::string_view name, const std::string& value, int max_age) {
  std::string cookie = std::string(name) + "=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       std::to_string(max_age);
  if (app.settings.secure_cookies) cookie += "; Secure";
  return cookie;
}

Result<std::string> HashNewPassword(App& app, std::string_view password) {
  KZ_TRY(services::ValidatePassword(password));
  app.password_slots.acquire();
  auto hash = app.crypto.HashPassword(password);
  app.password_slots.release();
  return hash;
}

Status TimedRead(App& app, const ports::ReadFn& fn, ReadKind kind) {
  auto started = std::chrono::steady_clock::now();
  Status status = kind == ReadKind::kByKey      ? app.store.ReadByKey(fn)
                  : kind == ReadKind::kOneQuery ? app.store.ReadOneQuery(fn)
                                                : app.store.Read(fn);
  app.metrics.ObserveStore("read", SecondsSince(started));
  return status;
}

HttpResponse RunWrite(App& app, const HttpRequest& request, const Principal& principal, AnsweringWrite fn) {
  const std::string& key = request.Header("idempotency-key");
  if (!key.empty() && (key.size() > 200 || !IsValidUtf8(key))) {
    return ProblemResponse(Error::Invalid("Idempotency-Key", "an Idempotency-Key has at most 200 characters"));
  }
  const std::string request_hash =
      key.empty() ? "" : app.crypto.DigestToken(request.method + " " + request.path + "\n" + request.body);
  const WorkspaceId ws = principal.actor.workspace_id;
  const Timestamp now = app.clock.Now();
  WriteAnswer answer;
  bool replayed = false;
  bool key_reused = false;
  auto started = std::chrono::steady_clock::now();
  Status status = app.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    if (!key.empty()) {
      auto stored = tx.FindIdempotent(ws, principal.Key(), key);
      if (stored.ok()) {
        if (stored->request_hash != request_hash) {
          key_reused = true;
          return Error::Conflict("this Idempotency-Key was used for a different request", "Idempotency-Key");
        }
        answer = {stored->status, nlohmann::json::parse(stored->body, nullptr, false)};
        replayed = true;
        return Ok();
      }
      if (stored.error().code != ErrorCode::kNotFound) return stored.error();
    }
    KZ_ASSIGN(answer, fn(tx));
    if (!key.empty()) {
      KZ_TRY(tx.SaveIdempotent(ws, principal.Key(), key,
                               ports::StoredResponse{request_hash, answer.first, answer.second.dump()}, now));
    }
    return Ok();
  });
  app.metrics.ObserveStore("write", SecondsSince(started));
  if (!status.ok()) {
    if (key_reused) return ProblemResponse(422, "idempotency_key_reused", status.error().message, "Idempotency-Key");
    return ProblemResponse(status.error());
  }
  HttpResponse response = JsonResponse(answer.first, answer.second);
  if (replayed) response.AddHeader("Idempotent-Replayed", "true");
  return response;
}

Result<std::int64_t> QueryInt(const HttpRequest& req, const std::string& name) {
  const std::string* text = req.Query(name);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value <= 0) {
    return Error::Invalid(name, name + " must be a positive integer");
  }
  return value;
}

}  // namespace kizuna::api
