// IngestEmail: one parsed inbound email becomes a new ticket, a message on the ticket it
// answers, or a recorded rejection — once, however often it is delivered.
//
// The steps, in order (docs/architecture.md "The life of an email"):
//   1. already taken (same Message-ID, or the same bytes)? → duplicate, nothing written
//   2. noise: our own mail coming back, a bounce, an automatic reply → rejection
//   3. a sender without a usable address, or over the hourly limit → rejection
//   4. threading: the ticket's reply address, In-Reply-To/References, "[#123]" in the
//      subject → a message on that ticket (quoted history stripped, the whole kept)
//   5. otherwise a new ticket; an acknowledgement is queued unless the mail was bulk
// Everything happens in the caller's one write transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/email.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace kizuna::services {

struct MailPolicy {
  // The Message-ID domain of this installation's mail (see LoopMarker).
  std::string loop_marker = "kizuna.invalid";
  // More messages than this from one sender within an hour are rejected (kept as rejections).
  int sender_hourly_limit = 60;
};

struct IngestInput {
  std::optional<Mailbox> mailbox;  // the mailbox it arrived at; nullopt: the workspace's default
  InboundEmail email;
  std::string raw_sha256;          // the original bytes in the blob store
  std::vector<Attachment> files;   // email.attachments, stored in the blob store (same order)
};

struct IngestOutcome {
  std::string outcome;  // ticket, message, duplicate, rejected
  std::optional<TicketId> ticket_id;
  std::int64_t ticket_number = 0;
  std::optional<MessageId> message_id;
  std::string reason;  // why it was rejected
};

// The X-Kizuna-Loop value of this installation's mail: "kizuna@<mail domain>". Mail whose
// Message-ID ends in "@<mail domain>" is recognised as ours even when a relay drops the header.
std::string LoopMarker(const std::string& mail_domain);

// The key an email is remembered by: its Message-ID, or "sha256:<digest of its bytes>".
std::string MessageKey(const InboundEmail& email, const std::string& raw_sha256);

// The tag of a ticket's reply address (support+t123-<tag>@…), from the mailbox's key.
std::string ReplyTag(ports::Crypto& crypto, const Mailbox& mailbox, std::int64_t ticket_number);

Result<IngestOutcome> IngestEmail(ports::WriteTx& tx, ports::Crypto& crypto, WorkspaceId ws, const IngestInput& input,
                                  const MailPolicy& policy, Timestamp now);

// Records mail that could not even be parsed (or was refused before parsing), once per key.
Result<IngestOutcome> RejectEmail(ports::WriteTx& tx, WorkspaceId ws, std::optional<std::int64_t> mailbox_id,
                                  const std::string& message_key, const std::string& sender, const std::string& subject,
                                  const std::string& reason, const std::string& raw_sha256, Timestamp now);

}  // namespace kizuna::services
