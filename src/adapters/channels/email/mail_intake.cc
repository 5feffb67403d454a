#include "adapters/channels/email/mail_intake.h"

#include "adapters/channels/email/mime.h"
#include "core/text.h"
#include "engines/email_text.h"

namespace kizuna::email {
namespace {

bool SameMailbox(std::string_view address, const Mailbox& mailbox) {
  std::string lower = ToLowerAscii(address);
  return lower == mailbox.address || ParseReplyAddress(lower, mailbox.address).has_value();
}

}  // namespace

std::optional<Mailbox> MailboxFor(const std::vector<Mailbox>& mailboxes, const InboundEmail& email) {
  std::vector<std::string> recipients;
  for (const auto& list : {email.to, email.cc}) {
    for (const auto& address : list) recipients.push_back(address.address);
  }
  for (const char* header : {"delivered-to", "x-original-to"}) {
    std::string value = HeaderValue(email, header);
    if (!value.empty()) recipients.push_back(value);
  }
  for (const auto& recipient : recipients) {
    for (const auto& mailbox : mailboxes) {
      if (mailbox.enabled && SameMailbox(recipient, mailbox)) return mailbox;
    }
  }
  for (const auto& mailbox : mailboxes) {
    if (mailbox.enabled) return mailbox;
  }
  return std::nullopt;
}

Result<services::IngestOutcome> IngestRawEmail(const IntakeContext& context, WorkspaceId ws,
                                               std::optional<Mailbox> mailbox, std::string_view raw,
                                               const std::vector<Mailbox>* choose_from) {
  std::optional<std::int64_t> mailbox_id;
  if (mailbox) mailbox_id = mailbox->id;
  const Timestamp now = context.clock.Now();

  // The original is kept whatever happens next, so a rejection loses nothing.
  if (static_cast<std::int64_t>(raw.size()) > context.max_message_bytes) {
    std::string reason = "the message is larger than " + std::to_string(context.max_message_bytes >> 20) + " MiB";
    KZ_ASSIGN(std::string digest, context.blobs.Put(raw.substr(0, 64 * 1024)));
    services::IngestOutcome outcome;
    Status written = context.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(outcome, services::RejectEmail(tx, ws, mailbox_id, "sha256:" + digest, "", "", reason, digest, now));
      return Ok();
    });
    if (!written.ok()) return written.error();
    return outcome;
  }
  KZ_ASSIGN(std::string raw_sha256, context.blobs.Put(raw));
  MimeLimits limits;
  limits.max_bytes = context.max_message_bytes;
  auto parsed = ParseEmail(raw, limits);
  services::IngestOutcome outcome;
  if (!parsed.ok()) {
    std::string reason = "not a readable email: " + parsed.error().message;
    Status written = context.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
      KZ_ASSIGN(outcome,
                services::RejectEmail(tx, ws, mailbox_id, "sha256:" + raw_sha256, "", "", reason, raw_sha256, now));
      return Ok();
    });
    if (!written.ok()) return written.error();
    return outcome;
  }
  if (!mailbox && choose_from) {
    mailbox = MailboxFor(*choose_from, *parsed);
    if (mailbox) mailbox_id = mailbox->id;
  }
  services::IngestInput input;
  input.mailbox = mailbox;
  input.raw_sha256 = raw_sha256;
  for (const auto& part : parsed->attachments) {
    KZ_ASSIGN(std::string digest, context.blobs.Put(part.data));
    input.files.push_back(Attachment{0, part.name, part.content_type, static_cast<std::int64_t>(part.data.size()), digest});
  }
  for (auto& part : parsed->attachments) std::string().swap(part.data);  // the blob store has them
  input.email = std::move(*parsed);
  Status written = context.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(outcome, services::IngestEmail(tx, context.crypto, ws, input, context.policy, now));
    return Ok();
  });
  if (written.ok()) return outcome;
  const ErrorCode code = written.error().code;
  if (code == ErrorCode::kUnavailable || code == ErrorCode::kInternal) return written.error();
  // Mail the rules refuse (say a sender address no customer may have) is kept as a rejection.
  std::string reason = "refused: " + written.error().message;
  std::string key = services::MessageKey(input.email, raw_sha256);
  written = context.store.WriteAndWait([&](ports::WriteTx& tx) -> Status {
    KZ_ASSIGN(outcome, services::RejectEmail(tx, ws, mailbox_id, key, ToLowerAscii(input.email.from.address),
                                             input.email.subject, reason, raw_sha256, now));
    return Ok();
  });
  if (!written.ok()) return written.error();
  return outcome;
}

}  // namespace kizuna::email
