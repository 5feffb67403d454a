#include "services/portal.h"

#include "core/text.h"
#include "services/attachments.h"
#include "services/events.h"

namespace kizuna::services {

using nlohmann::json;

Status ValidateWebRequest(WebRequestInput& in) {
  if (!in.customer_id) {
    KZ_ASSIGN(in.name, CheckText("name", in.name, TextRule{.max_code_points = 200}));
    auto email = NormaliseIdentity("email", in.email);
    if (!email.ok()) return Error::Invalid("email", "enter a valid email address");
    in.email = email->value;
  }
  KZ_ASSIGN(in.subject, CheckText("subject", in.subject, TextRule{.max_code_points = 250}));
  KZ_ASSIGN(in.body, CheckText("body", in.body, TextRule{.max_code_points = 65536, .allow_newlines = true}));
  if (in.language.size() > 35) return Error::Invalid("language", "language must be a tag such as ja");
  return Ok();
}

Result<Ticket> SubmitWebRequest(ports::WriteTx& tx, WorkspaceId ws, const WebRequestInput& in, Timestamp now) {
  CreateTicketInput create;
  create.subject = in.subject;
  create.body = in.body;
  create.channel = "web";
  create.attachment_tokens = in.attachment_tokens;
  if (in.customer_id) {
    create.requester.id = in.customer_id;
  } else {
    create.requester.name = in.name;
    create.requester.email = in.email;
    create.requester.language = in.language;
  }
  Actor actor{ws, "customer", in.customer_id.value_or(0), Role::kAgent};
  return CreateTicket(tx, actor, create, now);
}

Result<MessageResult> AddCustomerReply(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, std::int64_t number,
                                       const std::string& body, const std::vector<std::string>& attachment_tokens,
                                       Timestamp now) {
  auto found = tx.GetTicketByNumber(ws, number);
  if (!found.ok() || found->requester_id != customer) return Error::NotFound("request not found");
  return AddCustomerMessage(tx, ws, customer, *found, CustomerMessageInput{body, attachment_tokens, {}}, now);
}

Status IssueSignInLink(ports::WriteTx& tx, WorkspaceId ws, const Identity& email, const std::string& secret,
                       const std::string& secret_hash, Timestamp now) {
  KZ_ASSIGN(Customer customer, tx.FindCustomerByIdentity(ws, email));
  CustomerId id = customer.merged_into.value_or(customer.id);
  KZ_TRY(tx.InsertPortalLink(ports::PortalLink{secret_hash, ws, id, now, now + kSignInLinkLifetime, {}}));
  ports::OutboxJob job;
  job.workspace_id = ws;
  job.kind = "email";
  // The secret travels only in the email; it expires in 30 minutes and works once.
  job.payload = json{{"template", "portal_sign_in"}, {"to", email.value}, {"customer_id", id}, {"token", secret}}.dump();
  job.run_after = now;
  return tx.EnqueueOutbox(job);
}

}  // namespace kizuna::services
