// Result<T>: the value of an operation that can fail for reasons outside the program.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kizuna {

// Stable error codes. api/error_mapping.cc is the one place they become HTTP statuses.
enum class ErrorCode {
  kInvalidArgument,     // the caller sent something malformed or out of range
  kNotFound,            // no such thing in the caller's workspace
  kConflict,            // the change collides with the current state (duplicate, wrong state)
  kPreconditionFailed,  // If-Match did not match the current version
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // signed in but the role may not do this
  kRateLimited,         // too many attempts; try again later
  kPayloadTooLarge,     // body over the configured limit
  kUnavailable,         // a dependency is down; retrying later may succeed
  kInternal,            // a bug or an unexpected failure
};

// The stable machine-readable name of a code, e.g. "not_found".
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // for people, in English
  std::string field;    // the offending field ("subject", "status"), empty when none

  static Error Invalid(std::string field, std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
  }
  static Error NotFound(std::string message) { return Error{ErrorCode::kNotFound, std::move(message), {}}; }
  static Error Conflict(std::string message, std::string field = {}) {
    return Error{ErrorCode::kConflict, std::move(message), std::move(field)};
  }
  static Error Internal(std::string message) { return Error{ErrorCode::kInternal, std::move(message), {}}; }
  static Error Unavailable(std::string message) { return Error{ErrorCode::kUnavailable, std::move(message), {}}; }
  static Error Denied(std::string message) { return Error{ErrorCode::kPermissionDenied, std::move(message), {}}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status Ok() { return Unit{}; }

}  // namespace kizuna

// Propagates an error from an expression returning Result<...>.
#define KZ_TRY(expr)                                   \
  do {                                                 \
    auto kz_result_ = (expr);                          \
    if (!kz_result_.ok()) return kz_result_.error();   \
  } while (0)

#define KZ_CONCAT_INNER(a, b) a##b
#define KZ_CONCAT(a, b) KZ_CONCAT_INNER(a, b)
// Declares `lhs` from the value of a Result expression, or returns its error.
#define KZ_ASSIGN(lhs, expr) KZ_ASSIGN_IMPL(KZ_CONCAT(kz_result_, __LINE__), lhs, expr)
#define KZ_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                   \
  if (!tmp.ok()) return tmp.error();   \
  lhs = std::move(tmp).value()
