// Customers: one profile across channels, with several identities.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace kizuna {

// How a customer can be reached or recognised on one channel.
struct Identity {
  std::string kind;   // email, phone, line, messenger, zalo, kakaotalk, sms, external
  std::string value;  // normalised: emails lower-cased, phones digits with leading +
  bool operator==(const Identity&) const = default;
};

// Validates and normalises an identity. Fails with the field "identities".
Result<Identity> NormaliseIdentity(std::string_view kind, std::string_view value);

struct Customer {
  CustomerId id = 0;
  WorkspaceId workspace_id = 0;
  std::string name;
  std::string language;  // BCP 47 tag such as "ja", "vi"; empty when unknown
  std::optional<OrganisationId> organisation_id;
  std::string notes;
  std::string birthday;  // YYYY-MM-DD or empty
  std::string tier;      // service tier such as "gold" (lower case); empty when none. SLA policies match on it
  std::vector<Identity> identities;
  std::optional<CustomerId> merged_into;  // set on a customer merged into another
  std::optional<AgentId> account_owner_id;  // the agent who keeps the relationship (routing: owner first)
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

}  // namespace kizuna
