// Workspace directory use cases: workspaces, agents, teams, organisations, API tokens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/workspace.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

struct WorkspaceInput {
  std::string name;
  std::string time_zone = "UTC";
  std::string locale = "en";
  std::string service_style = "classic";
};
Status ValidateWorkspace(WorkspaceInput& input);
Result<Workspace> CreateWorkspace(ports::WriteTx& tx, const WorkspaceInput& input, Timestamp now);

struct AgentInput {
  std::string email;
  std::string name;
  std::string role = "agent";
  std::vector<std::string> languages;
  std::string password_hash;  // already hashed (hashing is slow; never on the writer)
};
// Password policy: 10 to 256 bytes of valid UTF-8.
Status ValidatePassword(std::string_view password);
Status ValidateAgent(AgentInput& input);
Result<Agent> CreateAgent(ports::WriteTx& tx, const Actor& actor, const AgentInput& input, Timestamp now);

struct AgentChange {
  std::optional<std::string> name;
  std::optional<std::string> role;
  std::optional<std::vector<std::string>> languages;
  std::optional<bool> active;
  std::optional<std::string> password_hash;  // already hashed
};
Status ValidateAgentChange(AgentChange& change);

// What an agent may change of their own profile.
struct ProfileChange {
  std::optional<std::string> name;
  std::optional<std::string> locale;  // en, ja, ko, vi, or empty to follow the workspace
};
Status ValidateProfileChange(ProfileChange& change);
Result<Agent> UpdateOwnProfile(ports::WriteTx& tx, const Actor& actor, const ProfileChange& change, Timestamp now);
// Changes an agent. An admin cannot demote or deactivate themself (the workspace
// would risk having no admin left).
Result<Agent> UpdateAgent(ports::WriteTx& tx, const Actor& actor, AgentId id, const AgentChange& change, Timestamp now);

struct TeamInput {
  std::string name;
  std::string description;
};
Status ValidateTeam(TeamInput& input);
Result<Team> CreateTeam(ports::WriteTx& tx, const Actor& actor, const TeamInput& input, Timestamp now);
// Renames or redescribes a team. REQUIRES: `input` validated.
Result<Team> UpdateTeam(ports::WriteTx& tx, const Actor& actor, TeamId id, const TeamInput& input, Timestamp now);

struct OrganisationInput {
  std::string name;
  std::string domain;
  std::string notes;
};
Status ValidateOrganisation(OrganisationInput& input);
Result<Organisation> CreateOrganisation(ports::WriteTx& tx, const Actor& actor, const OrganisationInput& input,
                                        Timestamp now);
// REQUIRES: `input` validated.
Result<Organisation> UpdateOrganisation(ports::WriteTx& tx, const Actor& actor, OrganisationId id,
                                        const OrganisationInput& input, Timestamp now);

// The scopes an API token may carry.
const std::vector<std::string>& KnownScopes();
Status ValidateScopes(const std::vector<std::string>& scopes);

}  // namespace kizuna::services
