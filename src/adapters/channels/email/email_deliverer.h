// EmailDeliverer: the outbox's deliverer for the kinds that leave by email ("reply" and
// "email"): composes the message (services/mail_outbound), writes its MIME and sends it
// over SMTP. The Message-ID is stable per job, so a job sent twice after a crash is one
// message to the recipient's mail system.
#pragma once

#include <string>

#include "adapters/channels/email/smtp_sender.h"
#include "ports/blob_store.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/deliverer.h"
#include "ports/store.h"
#include "services/mail_outbound.h"

namespace kizuna::email {

class EmailDeliverer final : public ports::Deliverer {
 public:
  EmailDeliverer(std::string kind, ports::Store& store, ports::BlobStore& blobs, ports::Crypto& crypto,
                 const ports::Clock& clock, SmtpRelay relay, services::OutboundSettings settings);
  std::string kind() const override { return kind_; }
  Status Deliver(const ports::OutboxJob& job) override;

 private:
  std::string kind_;
  ports::Store& store_;
  ports::BlobStore& blobs_;
  ports::Crypto& crypto_;
  const ports::Clock& clock_;
  SmtpRelay relay_;
  services::OutboundSettings settings_;
};

}  // namespace kizuna::email
