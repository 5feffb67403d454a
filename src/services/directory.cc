#include "services/directory.h"

#include <algorithm>

#include "core/customer.h"
#include "core/text.h"
#include "services/events.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

bool IsSlug(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

const std::vector<std::string> kStyles = {"aggregator", "bargain",   "classic",     "old_shoe", "safe_choice",
                                          "solutions",  "specialist", "trendsetter", "utility"};
const std::vector<std::string> kLocales = {"en", "ja", "ko", "vi"};

}  // namespace

Status ValidateWorkspace(WorkspaceInput& in) {
  in.name = ToLowerAscii(TrimSpaces(in.name));
  if (!IsSlug(in.name)) return Error::Invalid("name", "a workspace name has 1 to 63 characters a-z, 0-9, - or _");
  if (in.time_zone.empty() || in.time_zone.size() > 64 || !IsValidUtf8(in.time_zone)) {
    return Error::Invalid("time_zone", "time_zone must be an IANA zone such as Asia/Tokyo");
  }
  if (std::find(kLocales.begin(), kLocales.end(), in.locale) == kLocales.end()) {
    return Error::Invalid("locale", "locale must be one of en, ja, ko, vi");
  }
  if (std::find(kStyles.begin(), kStyles.end(), in.service_style) == kStyles.end()) {
    return Error::Invalid("service_style", "unknown service style: " + in.service_style);
  }
  return Ok();
}

Result<Workspace> CreateWorkspace(ports::WriteTx& tx, const WorkspaceInput& in, Timestamp now) {
  auto existing = tx.FindWorkspace(in.name);
  if (existing.ok()) return Error::Conflict("a workspace named " + in.name + " already exists", "name");
  Workspace w{0, in.name, in.time_zone, in.locale, in.service_style, now};
  KZ_TRY(tx.InsertWorkspace(w));
  return w;
}

Status ValidatePassword(std::string_view password) {
  if (!IsValidUtf8(password)) return Error::Invalid("password", "password must be valid UTF-8");
  if (password.size() < 10) return Error::Invalid("password", "a password has at least 10 characters");
  if (password.size() > 256) return Error::Invalid("password", "a password has at most 256 bytes");
  return Ok();
}

Status ValidateAgent(AgentInput& in) {
  KZ_ASSIGN(auto email, NormaliseIdentity("email", in.email));
  in.email = email.value;
  if (in.name.empty()) in.name = in.email.substr(0, in.email.find('@'));
  KZ_ASSIGN(in.name, CheckText("name", in.name, TextRule{.max_code_points = 200}));
  KZ_TRY(ParseRole(in.role));
  if (in.languages.size() > 20) return Error::Invalid("languages", "at most 20 languages");
  for (auto& lang : in.languages) {
    lang = ToLowerAscii(TrimSpaces(lang));
    if (lang.empty() || lang.size() > 35 || !IsValidUtf8(lang)) {
      return Error::Invalid("languages", "languages are BCP 47 tags such as ja, ko, vi, en");
    }
  }
  return Ok();
}

Result<Agent> CreateAgent(ports::WriteTx& tx, const Actor& actor, const AgentInput& in, Timestamp now) {
  Agent a;
  a.workspace_id = actor.workspace_id;
  a.email = in.email;
  a.name = in.name;
  a.role = *ParseRole(in.role);
  a.languages = in.languages;
  a.password_hash = in.password_hash;
  a.created_at = now;
  KZ_TRY(tx.InsertAgent(a));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "agent.created",
                     json{{"agent_id", a.id}, {"email", a.email}, {"role", RoleName(a.role)}}, now));
  return a;
}

Status ValidateAgentChange(AgentChange& in) {
  if (in.name) { KZ_ASSIGN(*in.name, CheckText("name", *in.name, TextRule{.max_code_points = 200})); }
  if (in.role) KZ_TRY(ParseRole(*in.role));
  if (in.languages) {
    AgentInput probe{"probe@example.com", "probe", "agent", *in.languages, ""};
    KZ_TRY(ValidateAgent(probe));
    in.languages = probe.languages;
  }
  return Ok();
}

Result<Agent> UpdateAgent(ports::WriteTx& tx, const Actor& actor, AgentId id, const AgentChange& in, Timestamp now) {
  KZ_ASSIGN(Agent agent, tx.GetAgent(actor.workspace_id, id));
  json changes = json::object();
  if (in.name && *in.name != agent.name) {
    changes["name"] = {agent.name, *in.name};
    agent.name = *in.name;
  }
  if (in.role) {
    Role role = *ParseRole(*in.role);
    if (role != agent.role) {
      if (id == actor.id) return Error::Conflict("you cannot change your own role", "role");
      changes["role"] = {RoleName(agent.role), RoleName(role)};
      agent.role = role;
    }
  }
  if (in.languages && *in.languages != agent.languages) {
    changes["languages"] = {agent.languages, *in.languages};
    agent.languages = *in.languages;
  }
  if (in.active && *in.active != agent.active) {
    if (id == actor.id && !*in.active) return Error::Conflict("you cannot deactivate yourself", "active");
    changes["active"] = {agent.active, *in.active};
    agent.active = *in.active;
  }
  if (in.password_hash) {
    changes["password"] = "changed";
    agent.password_hash = *in.password_hash;
  }
  if (changes.empty()) return agent;
  KZ_TRY(tx.UpdateAgent(agent));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "agent.updated", json{{"agent_id", id}, {"changes", changes}}, now));
  return agent;
}

Status ValidateProfileChange(ProfileChange& in) {
  if (in.name) { KZ_ASSIGN(*in.name, CheckText("name", *in.name, TextRule{.max_code_points = 200})); }
  if (in.locale && !in.locale->empty() &&
      std::find(kLocales.begin(), kLocales.end(), *in.locale) == kLocales.end()) {
    return Error::Invalid("locale", "locale must be one of en, ja, ko, vi, or empty");
  }
  return Ok();
}

Result<Agent> UpdateOwnProfile(ports::WriteTx& tx, const Actor& actor, const ProfileChange& in, Timestamp now) {
  KZ_ASSIGN(Agent agent, tx.GetAgent(actor.workspace_id, actor.id));
  json changes = json::object();
  if (in.name && *in.name != agent.name) {
    changes["name"] = {agent.name, *in.name};
    agent.name = *in.name;
  }
  if (in.locale && *in.locale != agent.locale) {
    changes["locale"] = {agent.locale, *in.locale};
    agent.locale = *in.locale;
  }
  if (changes.empty()) return agent;
  KZ_TRY(tx.UpdateAgent(agent));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "agent.updated", json{{"agent_id", agent.id}, {"changes", changes}}, now));
  return agent;
}

Status ValidateTeam(TeamInput& in) {
  KZ_ASSIGN(in.name, CheckText("name", in.name, TextRule{.max_code_points = 100}));
  KZ_ASSIGN(in.description,
            CheckText("description", in.description, TextRule{.max_code_points = 1000, .allow_empty = true}));
  return Ok();
}

Result<Team> CreateTeam(ports::WriteTx& tx, const Actor& actor, const TeamInput& in, Timestamp now) {
  Team t{0, actor.workspace_id, in.name, in.description, now};
  KZ_TRY(tx.InsertTeam(t));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "team.created", json{{"team_id", t.id}, {"name", t.name}}, now));
  return t;
}

Result<Team> UpdateTeam(ports::WriteTx& tx, const Actor& actor, TeamId id, const TeamInput& in, Timestamp now) {
  KZ_ASSIGN(Team team, tx.GetTeam(actor.workspace_id, id));
  if (team.name == in.name && team.description == in.description) return team;
  json changes = json::object();
  if (team.name != in.name) changes["name"] = {team.name, in.name};
  if (team.description != in.description) changes["description"] = {team.description, in.description};
  team.name = in.name;
  team.description = in.description;
  KZ_TRY(tx.UpdateTeam(team));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "team.updated", json{{"team_id", id}, {"changes", changes}}, now));
  return team;
}

Status ValidateOrganisation(OrganisationInput& in) {
  KZ_ASSIGN(in.name, CheckText("name", in.name, TextRule{.max_code_points = 200}));
  KZ_ASSIGN(in.domain, CheckText("domain", in.domain, TextRule{.max_code_points = 253, .allow_empty = true}));
  in.domain = ToLowerAscii(in.domain);
  KZ_ASSIGN(in.notes,
            CheckText("notes", in.notes, TextRule{.max_code_points = 10000, .allow_empty = true, .allow_newlines = true}));
  return Ok();
}

Result<Organisation> CreateOrganisation(ports::WriteTx& tx, const Actor& actor, const OrganisationInput& in,
                                        Timestamp now) {
  Organisation o{0, actor.workspace_id, in.name, in.domain, in.notes, now};
  KZ_TRY(tx.InsertOrganisation(o));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "organisation.created",
                     json{{"organisation_id", o.id}, {"name", o.name}}, now));
  return o;
}

Result<Organisation> UpdateOrganisation(ports::WriteTx& tx, const Actor& actor, OrganisationId id,
                                        const OrganisationInput& in, Timestamp now) {
  KZ_ASSIGN(Organisation org, tx.GetOrganisation(actor.workspace_id, id));
  json changes = json::object();
  if (org.name != in.name) changes["name"] = {org.name, in.name};
  if (org.domain != in.domain) changes["domain"] = {org.domain, in.domain};
  if (org.notes != in.notes) changes["notes"] = {org.notes, in.notes};
  if (changes.empty()) return org;
  org.name = in.name;
  org.domain = in.domain;
  org.notes = in.notes;
  KZ_TRY(tx.UpdateOrganisation(org));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "organisation.updated",
                     json{{"organisation_id", id}, {"changes", changes}}, now));
  return org;
}

const std::vector<std::string>& KnownScopes() {
  static const std::vector<std::string> kScopes = {"tickets:read", "tickets:write", "customers:read",
                                                    "customers:write", "admin"};
  return kScopes;
}

Status ValidateScopes(const std::vector<std::string>& scopes) {
  if (scopes.empty()) return Error::Invalid("scopes", "give at least one scope");
  for (const auto& scope : scopes) {
    if (std::find(KnownScopes().begin(), KnownScopes().end(), scope) == KnownScopes().end()) {
      return Error::Invalid("scopes", "unknown scope: " + scope +
                                          " (known: tickets:read, tickets:write, customers:read, customers:write, admin)");
    }
  }
  return Ok();
}

}  // namespace kizuna::services
