// Mail intake: the raw bytes of one inbound email, however they arrived (IMAP poll or an
// MTA pipe), parsed, their files and original kept in the blob store, and ingested in one
// durable write. A message that cannot be parsed is kept and recorded as a rejection.
#pragma once

#include <optional>
#include <string_view>

#include "core/email.h"
#include "ports/blob_store.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/store.h"
#include "services/mail_ingest.h"

namespace kizuna::email {

struct IntakeContext {
  ports::Store& store;
  ports::BlobStore& blobs;
  ports::Crypto& crypto;
  const ports::Clock& clock;
  services::MailPolicy policy;
  std::int64_t max_message_bytes = 25 << 20;
};

// Returns once the outcome is durable. Errors are only those worth retrying later
// (the store or blob store unavailable); bad mail is an outcome ("rejected"), not an error.
// Without a mailbox, and with `choose_from`, the mailbox is the one of them the email was
// addressed to (MailboxFor).
Result<services::IngestOutcome> IngestRawEmail(const IntakeContext& context, WorkspaceId ws,
                                               std::optional<Mailbox> mailbox, std::string_view raw,
                                               const std::vector<Mailbox>* choose_from = nullptr);

// The workspace's mailbox a message was addressed to (To, Cc, Delivered-To, X-Original-To,
// including per-ticket reply addresses), else its first enabled mailbox, else none.
std::optional<Mailbox> MailboxFor(const std::vector<Mailbox>& mailboxes, const InboundEmail& email);

}  // namespace kizuna::email
