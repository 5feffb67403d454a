// ComposeEmail: what an outbox job of kind "reply" (an agent's public reply) or "email"
// (an acknowledgement, a help-centre sign-in link) sends, in the customer's language.
// Writing the MIME and speaking SMTP are the email adapter's.
#pragma once

#include <optional>
#include <string>

#include "core/email.h"
#include "ports/blob_store.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace kizuna::services {

struct OutboundSettings {
  std::string default_from = "support@kizuna.invalid";  // when the workspace has no mailbox
  std::string public_url = "http://127.0.0.1:8080";     // links in mail (the help centre)
  std::string loop_marker = "kizuna.invalid";            // X-Kizuna-Loop and the Message-ID domain
  std::int64_t max_attachment_bytes = 20 << 20;          // larger files go as a note, not attached
};

struct ComposedEmail {
  OutboundEmail email;
  std::string envelope_from;
  std::vector<std::string> recipients;
};

// nullopt when the job sends nothing by email (the requester has no email address).
// NotFound when what it refers to is gone; the outbox then fails the job for good.
Result<std::optional<ComposedEmail>> ComposeEmail(ports::ReadTx& tx, ports::BlobStore& blobs, ports::Crypto& crypto,
                                                  const ports::OutboxJob& job, const OutboundSettings& settings,
                                                  Timestamp now);

}  // namespace kizuna::services
