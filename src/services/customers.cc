#include "services/customers.h"

#include <algorithm>

#include "core/text.h"
#include "core/time.h"
#include "services/events.h"

namespace kizuna::services {
namespace {

using nlohmann::json;

Status CheckBirthday(const std::string& text) {
  if (text.empty()) return Ok();
  // A birthday is a calendar date; reuse the timestamp parser on midnight UTC.
  if (text.size() != 10 || !ParseTimestamp(text + "T00:00:00Z")) {
    return Error::Invalid("birthday", "birthday must be a date as YYYY-MM-DD");
  }
  return Ok();
}

// A tier is a short label ("gold", "enterprise"), compared case-blind: stored lower-cased.
Result<std::string> NormaliseTier(const std::string& text) {
  KZ_ASSIGN(std::string tier, CheckText("tier", text, TextRule{.max_code_points = 40, .allow_empty = true}));
  return ToLowerAscii(tier);
}

Status CheckLanguage(const std::string& tag) {
  if (tag.empty()) return Ok();
  if (tag.size() > 35) return Error::Invalid("language", "language must be a BCP 47 tag such as ja or vi");
  for (char c : tag) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return Error::Invalid("language", "language must be a BCP 47 tag such as ja or vi");
  }
  return Ok();
}

Result<std::vector<Identity>> NormaliseAll(const std::vector<IdentityInput>& in) {
  if (in.size() > 20) return Error::Invalid("identities", "at most 20 identities per customer");
  std::vector<Identity> out;
  for (const auto& item : in) {
    KZ_ASSIGN(auto identity, NormaliseIdentity(item.kind, item.value));
    if (std::find(out.begin(), out.end(), identity) == out.end()) out.push_back(identity);
  }
  return out;
}

json CustomerChanges(const Customer& before, const Customer& after) {
  json changes = json::object();
  if (before.name != after.name) changes["name"] = {before.name, after.name};
  if (before.language != after.language) changes["language"] = {before.language, after.language};
  if (before.notes != after.notes) changes["notes"] = {before.notes, after.notes};
  if (before.birthday != after.birthday) changes["birthday"] = {before.birthday, after.birthday};
  if (before.tier != after.tier) changes["tier"] = {before.tier, after.tier};
  if (before.organisation_id != after.organisation_id) {
    changes["organisation_id"] = {before.organisation_id ? json(*before.organisation_id) : json(nullptr),
                                  after.organisation_id ? json(*after.organisation_id) : json(nullptr)};
  }
  if (before.account_owner_id != after.account_owner_id) {
    changes["account_owner_id"] = {before.account_owner_id ? json(*before.account_owner_id) : json(nullptr),
                                   after.account_owner_id ? json(*after.account_owner_id) : json(nullptr)};
  }
  if (before.identities != after.identities) {
    json ids = json::array();
    for (const auto& i : after.identities) ids.push_back(i.kind + ":" + i.value);
    changes["identities"] = ids;
  }
  return changes;
}

Status CheckOrganisation(ports::WriteTx& tx, WorkspaceId ws, const Patch<OrganisationId>& patch) {
  if (!patch.present || !patch.value) return Ok();
  auto org = tx.GetOrganisation(ws, *patch.value);
  if (!org.ok()) {
    if (org.error().code == ErrorCode::kNotFound) return Error::Invalid("organisation_id", "no such organisation");
    return org.error();
  }
  return Ok();
}

// An account owner is an active agent of the workspace.
Status CheckAccountOwner(ports::WriteTx& tx, WorkspaceId ws, const Patch<AgentId>& patch) {
  if (!patch.present || !patch.value) return Ok();
  auto agent = tx.GetAgent(ws, *patch.value);
  if (!agent.ok()) {
    if (agent.error().code == ErrorCode::kNotFound) return Error::Invalid("account_owner_id", "no such agent");
    return agent.error();
  }
  if (!agent->active) return Error::Invalid("account_owner_id", "the agent is deactivated");
  return Ok();
}

}  // namespace

Status ValidateCustomer(CustomerInput& in, bool creating) {
  if (creating && !in.name) return Error::Invalid("name", "name is required");
  if (in.name) { KZ_ASSIGN(*in.name, CheckText("name", *in.name, TextRule{.max_code_points = 200})); }
  if (in.language) KZ_TRY(CheckLanguage(*in.language));
  if (in.notes) {
    KZ_ASSIGN(*in.notes, CheckText("notes", *in.notes,
                                   TextRule{.max_code_points = 10000, .allow_empty = true, .allow_newlines = true}));
  }
  if (in.birthday) KZ_TRY(CheckBirthday(*in.birthday));
  if (in.tier) { KZ_ASSIGN(*in.tier, NormaliseTier(*in.tier)); }
  if (in.identities) KZ_TRY(NormaliseAll(*in.identities));
  return Ok();
}

Result<Customer> CreateCustomer(ports::WriteTx& tx, const Actor& actor, const CustomerInput& in, Timestamp now) {
  Customer c;
  c.workspace_id = actor.workspace_id;
  c.name = in.name.value_or("");
  c.language = in.language.value_or("");
  KZ_TRY(CheckOrganisation(tx, actor.workspace_id, in.organisation_id));
  c.organisation_id = in.organisation_id.value;
  c.notes = in.notes.value_or("");
  c.birthday = in.birthday.value_or("");
  c.tier = in.tier.value_or("");
  KZ_TRY(CheckAccountOwner(tx, actor.workspace_id, in.account_owner_id));
  c.account_owner_id = in.account_owner_id.value;
  if (in.identities) { KZ_ASSIGN(c.identities, NormaliseAll(*in.identities)); }
  c.created_at = now;
  c.updated_at = now;
  KZ_TRY(tx.InsertCustomer(c));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "customer.created", json{{"customer_id", c.id}, {"name", c.name}}, now));
  return c;
}

Result<Customer> UpdateCustomer(ports::WriteTx& tx, const Actor& actor, CustomerId id, const CustomerInput& in,
                                Timestamp now) {
  KZ_ASSIGN(Customer before, tx.GetCustomer(actor.workspace_id, id));
  if (in.expected_version && *in.expected_version != before.version) {
    return Error{ErrorCode::kPreconditionFailed, "the customer changed since you loaded it", "If-Match"};
  }
  if (before.merged_into) return Error::Conflict("the customer was merged into another", "id");
  Customer c = before;
  if (in.name) c.name = *in.name;
  if (in.language) c.language = *in.language;
  if (in.organisation_id.present) {
    KZ_TRY(CheckOrganisation(tx, actor.workspace_id, in.organisation_id));
    c.organisation_id = in.organisation_id.value;
  }
  if (in.notes) c.notes = *in.notes;
  if (in.birthday) c.birthday = *in.birthday;
  if (in.tier) c.tier = *in.tier;
  if (in.account_owner_id.present) {
    KZ_TRY(CheckAccountOwner(tx, actor.workspace_id, in.account_owner_id));
    c.account_owner_id = in.account_owner_id.value;
  }
  if (in.identities) {
    KZ_ASSIGN(c.identities, NormaliseAll(*in.identities));
    std::sort(c.identities.begin(), c.identities.end(),
              [](const Identity& a, const Identity& b) { return std::tie(a.kind, a.value) < std::tie(b.kind, b.value); });
  }
  json changes = CustomerChanges(before, c);
  if (changes.empty()) return before;
  c.updated_at = now;
  c.version = before.version + 1;
  KZ_TRY(tx.UpdateCustomer(c));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "customer.updated", json{{"customer_id", c.id}, {"changes", changes}},
                     now));
  return c;
}

Status DeleteCustomer(ports::WriteTx& tx, const Actor& actor, CustomerId id, Timestamp now) {
  KZ_ASSIGN(Customer customer, tx.GetCustomer(actor.workspace_id, id));
  KZ_TRY(tx.DeleteCustomer(actor.workspace_id, id));
  // The event names the customer by id only: their personal data is gone.
  return RecordEvent(tx, actor, std::nullopt, "customer.deleted", json{{"customer_id", customer.id}}, now);
}

Result<Customer> MergeCustomers(ports::WriteTx& tx, const Actor& actor, CustomerId source_id, CustomerId target_id,
                                Timestamp now) {
  if (source_id == target_id) return Error::Invalid("into_id", "a customer cannot be merged into itself");
  KZ_ASSIGN(Customer source, tx.GetCustomer(actor.workspace_id, source_id));
  KZ_ASSIGN(Customer target, tx.GetCustomer(actor.workspace_id, target_id));
  if (source.merged_into) return Error::Conflict("this customer was already merged into another", "id");
  if (target.merged_into) return Error::Conflict("the customer to keep was itself merged into another", "into_id");

  // Identities move first: the source gives them up, then the target takes them.
  std::vector<Identity> moved = source.identities;
  source.identities.clear();
  source.merged_into = target.id;
  source.updated_at = now;
  source.version += 1;
  KZ_TRY(tx.UpdateCustomer(source));

  for (const auto& identity : moved) {
    if (std::find(target.identities.begin(), target.identities.end(), identity) == target.identities.end()) {
      target.identities.push_back(identity);
    }
  }
  if (target.language.empty()) target.language = source.language;
  if (target.birthday.empty()) target.birthday = source.birthday;
  if (target.tier.empty()) target.tier = source.tier;
  if (!target.organisation_id) target.organisation_id = source.organisation_id;
  if (!target.account_owner_id) target.account_owner_id = source.account_owner_id;
  if (!source.notes.empty()) target.notes = target.notes.empty() ? source.notes : target.notes + "\n\n" + source.notes;
  target.updated_at = now;
  target.version += 1;
  KZ_TRY(tx.UpdateCustomer(target));
  KZ_TRY(tx.ReassignRequester(actor.workspace_id, source.id, target.id, now));
  KZ_TRY(RecordEvent(tx, actor, std::nullopt, "customer.merged",
                     json{{"source_id", source.id}, {"target_id", target.id}}, now));
  return target;
}

}  // namespace kizuna::services
