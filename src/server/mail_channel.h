// Wiring of the email channel into the server: the SMTP deliverers and the outbox
// worker that runs them, the IMAP poller, and the `mail-ingest` command for MTAs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/app.h"
#include "ports/blob_store.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/store.h"
#include "server/config.h"

namespace kizuna::server {

class MailChannel {
 public:
  MailChannel(const Config& config, ports::Store& store, ports::BlobStore& blobs, ports::Crypto& crypto,
              const ports::Clock& clock);
  ~MailChannel();  // stops
  // Starts delivering the outbox and polling mailboxes; lets the API check a mailbox now.
  void Start(api::App& app);
  void Stop();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// `kizuna mail-ingest`: one message on standard input, delivered by an MTA to the
// workspace (and mailbox address, when given), or many .eml files named on the command
// line (a batch, taken on several threads). Exit codes follow sysexits.h: 0 taken (as a
// ticket, a message, a duplicate or a recorded rejection), 66 a named file cannot be
// read, 67 no such workspace or mailbox, 75 try again later (the database is unavailable).
int MailIngest(const Config& config, ports::Store& store, ports::BlobStore& blobs, ports::Crypto& crypto,
               const ports::Clock& clock, const std::string& workspace, const std::string& mailbox_address,
               const std::vector<std::string>& files);

}  // namespace kizuna::server
