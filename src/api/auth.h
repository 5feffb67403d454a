// Authentication: session cookies and API tokens become a Principal.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/http.h"
#include "core/result.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/event_bus.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::api {

inline constexpr const char* kSessionCookie = "kizuna_session";

// The authenticated caller of a request.
struct Principal {
  services::Actor actor;
  bool via_session = false;
  std::string credential_hash;  // session or token digest
  std::string csrf_token;       // sessions only
  std::vector<std::string> scopes;  // tokens only; sessions may do what their role allows
  std::optional<Timestamp> expires_at;  // sessions only

  // The idempotency namespace of this caller.
  std::string Key() const;
  bool HasScope(const std::string& scope) const;
};

// Resolves credentials, with a short cache so that a token is not looked up on
// every request. Thread-safe.
class Authenticator {
 public:
  // Follows `bus` (every workspace) so that what revokes a credential on any node (events
  // agent.updated, agent.signed_out, token.revoked, which reach this node's bus from the
  // others) drops the agent's cached credentials here too.
  Authenticator(ports::Store& store, ports::Clock& clock, ports::Crypto& crypto, ports::EventBus& bus);
  ~Authenticator();
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // Unauthenticated when the request carries no valid credential.
  Result<Principal> Authenticate(const HttpRequest& request);
  // Forgets a cached credential (sign-out, revocation) on this node.
  void Forget(const std::string& credential_hash);
  // Forgets every cached credential of an agent (role change, deactivation) on this node.
  void ForgetAgent(WorkspaceId ws, AgentId agent);

 private:
  Result<Principal> Load(const std::string& hash, bool session);

  struct Cached {
    Principal principal;
    std::chrono::steady_clock::time_point until;
  };
  ports::Store& store_;
  ports::Clock& clock_;
  ports::Crypto& crypto_;
  ports::EventBus& bus_;
  std::uint64_t subscription_ = 0;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

// Sliding-window attempt counter (sign-in throttling). Thread-safe.
class AttemptLimiter {
 public:
  AttemptLimiter(int limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  // Records an attempt for `key`; false when the key is over its limit.
  bool Allow(const std::string& key);

 private:
  int limit_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> attempts_;
};

}  // namespace kizuna::api
