#include "adapters/channels/email/email_deliverer.h"

#include "adapters/channels/email/mime.h"

namespace kizuna::email {

EmailDeliverer::EmailDeliverer(std::string kind, ports::Store& store, ports::BlobStore& blobs, ports::Crypto& crypto,
                               const ports::Clock& clock, SmtpRelay relay, services::OutboundSettings settings)
    : kind_(std::move(kind)), store_(store), blobs_(blobs), crypto_(crypto), clock_(clock), relay_(std::move(relay)),
      settings_(std::move(settings)) {}

Status EmailDeliverer::Deliver(const ports::OutboxJob& job) {
  std::optional<services::ComposedEmail> composed;
  KZ_TRY(store_.Read([&](ports::ReadTx& tx) -> Status {
    KZ_ASSIGN(composed, services::ComposeEmail(tx, blobs_, crypto_, job, settings_, clock_.Now()));
    return Ok();
  }));
  if (!composed) return Ok();  // nothing to send by email
  if (relay_.url.empty()) return Error::Unavailable("no SMTP relay is configured ([mail] smtp_url)");
  std::string message = WriteEmail(composed->email);
  return SendMail(relay_, composed->envelope_from, composed->recipients, message);
}

}  // namespace kizuna::email
