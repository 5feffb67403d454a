// Mailbox administration: the addresses a workspace receives mail at, and their IMAP accounts.
#pragma once

#include <optional>
#include <string>

#include "core/email.h"
#include "ports/crypto.h"
#include "ports/store.h"
#include "services/actor.h"

namespace kizuna::services {

// A change to a mailbox; unset fields keep their value (all are set on create).
struct MailboxInput {
  std::optional<std::string> address;
  std::optional<std::string> display_name;
  std::optional<std::string> imap_url;
  std::optional<std::string> imap_username;
  std::optional<std::string> imap_password;  // plain; sealed before it is stored
  std::optional<std::string> imap_folder;
  std::optional<std::string> imap_move_to;
  std::optional<bool> enabled;
  std::optional<bool> ack_enabled;
  std::optional<std::string> ack_template;
  std::optional<std::int64_t> expected_version;  // If-Match
};

// Checks and normalises what needs no store: the address, an imap:// or imaps:// URL
// with a host, folder names, the template's length.
Status ValidateMailbox(MailboxInput& input, bool creating);

Result<Mailbox> CreateMailbox(ports::WriteTx& tx, ports::Crypto& crypto, const Actor& actor, const MailboxInput& input,
                              Timestamp now);
Result<Mailbox> UpdateMailbox(ports::WriteTx& tx, ports::Crypto& crypto, const Actor& actor, std::int64_t id,
                              const MailboxInput& input, Timestamp now);

}  // namespace kizuna::services
