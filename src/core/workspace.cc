#include "core/workspace.h"

namespace kizuna {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kSupervisor: return "supervisor";
    case Role::kAgent: return "agent";
  }
  return "agent";
}

Result<Role> ParseRole(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "supervisor") return Role::kSupervisor;
  if (text == "agent") return Role::kAgent;
  return Error::Invalid("role", "role must be one of admin, supervisor, agent");
}

const char* PresenceName(Presence presence) {
  switch (presence) {
    case Presence::kOnline: return "online";
    case Presence::kAway: return "away";
    case Presence::kOffline: return "offline";
  }
  return "offline";
}

Result<Presence> ParsePresence(std::string_view text) {
  if (text == "online") return Presence::kOnline;
  if (text == "away") return Presence::kAway;
  if (text == "offline") return Presence::kOffline;
  return Error::Invalid("presence", "presence must be one of online, away, offline");
}

bool RoleAtLeast(Role role, Role needed) {
  auto rank = [](Role r) {
    switch (r) {
      case Role::kAdmin: return 3;
      case Role::kSupervisor: return 2;
      case Role::kAgent: return 1;
    }
    return 0;
  };
  return rank(role) >= rank(needed);
}

}  // namespace kizuna
