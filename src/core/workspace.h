// Workspaces (tenants), agents, teams and organisations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace kizuna {

struct Workspace {
  WorkspaceId id = 0;
  std::string name;  // unique slug-like name, used to sign in and in the CLI
  std::string time_zone = "UTC";
  std::string locale = "en";
  std::string service_style = "classic";
  Timestamp created_at = 0;
};

enum class Role { kAdmin, kSupervisor, kAgent };
const char* RoleName(Role role);
Result<Role> ParseRole(std::string_view text);
// True when `role` has at least the rights of `needed` (admin > supervisor > agent).
bool RoleAtLeast(Role role, Role needed);

struct Agent {
  AgentId id = 0;
  WorkspaceId workspace_id = 0;
  std::string email;  // lower-cased
  std::string name;
  Role role = Role::kAgent;
  std::vector<std::string> languages;
  std::string locale;  // the web app's language the agent chose (en, ja, ko, vi); empty: not chosen
  std::string password_hash;  // argon2id encoded string; empty when no password set
  bool active = true;
  Timestamp created_at = 0;
};

struct Team {
  TeamId id = 0;
  WorkspaceId workspace_id = 0;
  std::string name;
  std::string description;
  Timestamp created_at = 0;
};

struct Organisation {
  OrganisationId id = 0;
  WorkspaceId workspace_id = 0;
  std::string name;
  std::string domain;
  std::string notes;
  Timestamp created_at = 0;
};

}  // namespace kizuna
