// Help-centre use cases: a customer submits a request, follows it and replies.
#pragma once

#include <string>

#include "ports/store.h"
#include "services/actor.h"
#include "services/tickets.h"

namespace kizuna::services {

struct WebRequestInput {
  std::string name;
  std::string email;
  std::string language;
  std::string subject;
  std::string body;
  std::optional<CustomerId> customer_id;  // set when the customer is signed in
  std::vector<std::string> attachment_tokens;  // digests of upload tokens
};

Status ValidateWebRequest(WebRequestInput& input);
// Creates a ticket on the web channel; the requester is found or created by email.
Result<Ticket> SubmitWebRequest(ports::WriteTx& tx, WorkspaceId ws, const WebRequestInput& input, Timestamp now);

// A customer's reply to one of their own requests. NotFound for anyone else's.
// A reply to a pending or solved request opens it again.
Result<MessageResult> AddCustomerReply(ports::WriteTx& tx, WorkspaceId ws, CustomerId customer, std::int64_t number,
                                       const std::string& body, const std::vector<std::string>& attachment_tokens,
                                       Timestamp now);

// Records a one-time sign-in link for the customer with `email` and queues the
// email that carries it. NotFound when no customer has that email (the caller
// must not reveal this).
Status IssueSignInLink(ports::WriteTx& tx, WorkspaceId ws, const Identity& email, const std::string& secret,
                       const std::string& secret_hash, Timestamp now);

inline constexpr Timestamp kSignInLinkLifetime = 30 * 60 * 1000;

}  // namespace kizuna::services
