// Customer use cases: create, update, merge duplicates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/customer.h"
#include "ports/store.h"
#include "services/actor.h"
#include "services/tickets.h"

namespace kizuna::services {

struct IdentityInput {
  std::string kind;
  std::string value;
};

struct CustomerInput {
  std::optional<std::string> name;
  std::optional<std::string> language;
  Patch<OrganisationId> organisation_id;
  std::optional<std::string> notes;
  std::optional<std::string> birthday;
  std::optional<std::string> tier;  // "" clears; lower-cased
  Patch<AgentId> account_owner_id;  // an active agent of the workspace; null clears
  std::optional<std::vector<IdentityInput>> identities;  // replaces all identities
  std::optional<std::int64_t> expected_version;
};

Status ValidateCustomer(CustomerInput& input, bool creating);
Result<Customer> CreateCustomer(ports::WriteTx& tx, const Actor& actor, const CustomerInput& input, Timestamp now);
Result<Customer> UpdateCustomer(ports::WriteTx& tx, const Actor& actor, CustomerId id, const CustomerInput& input,
                                Timestamp now);
// Deletes a customer without tickets (and the duplicates merged into them).
Status DeleteCustomer(ports::WriteTx& tx, const Actor& actor, CustomerId id, Timestamp now);
// Moves the tickets and identities of `source` to `target`; `source` is marked merged.
Result<Customer> MergeCustomers(ports::WriteTx& tx, const Actor& actor, CustomerId source, CustomerId target,
                                Timestamp now);

}  // namespace kizuna::services
