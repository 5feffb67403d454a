#include "api/auth.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace kizuna::api {
namespace {
constexpr auto kCacheTtl = std::chrono::seconds(10);
constexpr std::size_t kCacheMax = 100000;
}  // namespace

std::string Principal::Key() const {
  return (via_session ? "agent:" : "token:") + std::to_string(actor.id) + (via_session ? "" : ":" + credential_hash.substr(0, 16));
}

bool Principal::HasScope(const std::string& scope) const {
  if (via_session) return true;
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end() ||
         std::find(scopes.begin(), scopes.end(), "admin") != scopes.end();
}

Result<Principal> Authenticator::Authenticate(const HttpRequest& request) {
  std::string secret;
  bool session = false;
  const std::string& authorization = request.Header("authorization");
  if (!authorization.empty()) {
    if (authorization.size() < 8 || authorization.compare(0, 7, "Bearer ") != 0) {
      return Error{ErrorCode::kUnauthenticated, "use Authorization: Bearer <token>", "Authorization"};
    }
    secret = authorization.substr(7);
  } else {
    secret = request.Cookie(kSessionCookie);
    session = true;
  }
  if (secret.empty() || secret.size() > 200) {
    return Error{ErrorCode::kUnauthenticated, "sign in or send an API token", {}};
  }
  std::string hash = crypto_.DigestToken(secret);
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(hash);
    const auto& expires_at = it == cache_.end() ? std::nullopt : it->second.principal.expires_at;
    if (it != cache_.end() && it->second.until > now && (!expires_at || *expires_at > clock_.Now())) {
      return it->second.principal;
    }
  }
  KZ_ASSIGN(Principal principal, Load(hash, session));
  {
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kCacheMax) cache_.clear();
    cache_[hash] = Cached{principal, now + kCacheTtl};
  }
  return principal;
}

Result<Principal> Authenticator::Load(const std::string& hash, bool session) {
  Principal principal;
  Error invalid{ErrorCode::kUnauthenticated, session ? "the session has ended; sign in again" : "the API token is not valid", {}};
  Status status = store_.Read([&](ports::ReadTx& tx) -> Status {
    WorkspaceId ws = 0;
    AgentId agent_id = 0;
    if (session) {
      auto found = tx.FindSession(hash);
      if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? Status(invalid) : Status(found.error());
      if (found->expires_at <= clock_.Now()) return invalid;
      ws = found->workspace_id;
      agent_id = found->agent_id;
      principal.csrf_token = found->csrf_token;
      principal.expires_at = found->expires_at;
    } else {
      auto found = tx.FindApiToken(hash);
      if (!found.ok()) return found.error().code == ErrorCode::kNotFound ? Status(invalid) : Status(found.error());
      if (found->revoked_at) return invalid;
      ws = found->workspace_id;
      agent_id = found->agent_id;
      principal.scopes = found->scopes;
    }
    auto agent = tx.GetAgent(ws, agent_id);
    if (!agent.ok() || !agent->active) return invalid;
    principal.actor = services::Actor{ws, session ? "agent" : "token", agent_id, agent->role};
    return Ok();
  });
  if (!status.ok()) return status.error();
  principal.via_session = session;
  principal.credential_hash = hash;
  return principal;
}

Authenticator::Authenticator(ports::Store& store, ports::Clock& clock, ports::Crypto& crypto, ports::EventBus& bus)
    : store_(store), clock_(clock), crypto_(crypto), bus_(bus) {
  subscription_ = bus_.Subscribe(ports::EventBus::kEveryWorkspace, [this](const Event& e) {
    if (e.type != "agent.updated" && e.type != "agent.signed_out" && e.type != "token.revoked") return;
    auto data = nlohmann::json::parse(e.data, nullptr, false);
    auto agent = data.is_object() ? data.find("agent_id") : data.end();
    if (agent != data.end() && agent->is_number_integer()) ForgetAgent(e.workspace_id, agent->get<AgentId>());
  });
}

Authenticator::~Authenticator() { bus_.Unsubscribe(subscription_); }

void Authenticator::Forget(const std::string& credential_hash) {
  std::lock_guard lock(mutex_);
  cache_.erase(credential_hash);
}

void Authenticator::ForgetAgent(WorkspaceId ws, AgentId agent) {
  std::lock_guard lock(mutex_);
  std::erase_if(cache_, [&](const auto& entry) {
    return entry.second.principal.actor.workspace_id == ws && entry.second.principal.actor.id == agent;
  });
}

bool AttemptLimiter::Allow(const std::string& key) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (attempts_.size() > 100000) attempts_.clear();
  auto& list = attempts_[key];
  while (!list.empty() && list.front() + window_ < now) list.pop_front();
  if (static_cast<int>(list.size()) >= limit_) return false;
  list.push_back(now);
  return true;
}

}  // namespace kizuna::api
