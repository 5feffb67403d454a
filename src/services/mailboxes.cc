#include "services/mailboxes.h"

#include "core/customer.h"
#include "core/text.h"

namespace kizuna::services {
namespace {

Status CheckImapUrl(const std::string& url) {
  if (url.empty()) return Ok();
  std::string lower = ToLowerAscii(url);
  std::string_view rest;
  if (lower.rfind("imap://", 0) == 0) rest = std::string_view(url).substr(7);
  else if (lower.rfind("imaps://", 0) == 0) rest = std::string_view(url).substr(8);
  else return Error::Invalid("imap_url", "use imap://host:port or imaps://host:port");
  std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty() || host.front() == ':') return Error::Invalid("imap_url", "the IMAP URL needs a host");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Error::Invalid("imap_url", "the IMAP URL cannot contain spaces or control characters");
    }
  }
  return Ok();
}

Status CheckFolder(const char* field, const std::string& folder) {
  if (folder.size() > 200) return Error::Invalid(field, "a folder name has at most 200 bytes");
  for (char c : folder) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '*' || c == '%') {
      return Error::Invalid(field, "a folder name cannot contain quotes, backslashes, wildcards or control characters");
    }
  }
  return Ok();
}

}  // namespace

Status ValidateMailbox(MailboxInput& in, bool creating) {
  if (creating && !in.address) return Error::Invalid("address", "give the mailbox's email address");
  if (in.address) {
    auto address = NormaliseIdentity("email", *in.address);
    if (!address.ok()) return Error::Invalid("address", "enter a valid email address");
    if (address->value.find('+') != std::string::npos) {
      return Error::Invalid("address", "the mailbox address cannot contain +; Kizuna adds +t<number> for replies");
    }
    in.address = address->value;
  }
  if (in.display_name) {
    KZ_ASSIGN(*in.display_name,
              CheckText("display_name", *in.display_name, TextRule{.max_code_points = 100, .allow_empty = true}));
  }
  if (in.imap_url) {
    *in.imap_url = TrimSpaces(*in.imap_url);
    KZ_TRY(CheckImapUrl(*in.imap_url));
  }
  if (in.imap_username) {
    KZ_ASSIGN(*in.imap_username,
              CheckText("imap_username", *in.imap_username, TextRule{.max_code_points = 320, .allow_empty = true}));
  }
  if (in.imap_password && (in.imap_password->size() > 1000 || !IsValidUtf8(*in.imap_password))) {
    return Error::Invalid("imap_password", "the password must be valid UTF-8 of at most 1000 bytes");
  }
  if (in.imap_folder) {
    *in.imap_folder = TrimSpaces(*in.imap_folder);
    if (in.imap_folder->empty()) *in.imap_folder = "INBOX";
    KZ_TRY(CheckFolder("imap_folder", *in.imap_folder));
  }
  if (in.imap_move_to) {
    *in.imap_move_to = TrimSpaces(*in.imap_move_to);
    KZ_TRY(CheckFolder("imap_move_to", *in.imap_move_to));
  }
  if (in.ack_template) {
    KZ_ASSIGN(*in.ack_template, CheckText("ack_template", *in.ack_template,
                                          TextRule{.max_code_points = 5000, .allow_empty = true, .allow_newlines = true}));
  }
  return Ok();
}

namespace {

void Apply(Mailbox& m, ports::Crypto& crypto, const MailboxInput& in) {
  if (in.address) m.address = *in.address;
  if (in.display_name) m.display_name = *in.display_name;
  if (in.imap_url) m.imap_url = *in.imap_url;
  if (in.imap_username) m.imap_username = *in.imap_username;
  if (in.imap_password) m.imap_password = in.imap_password->empty() ? "" : crypto.Seal(*in.imap_password);
  if (in.imap_folder) m.imap_folder = *in.imap_folder;
  if (in.imap_move_to) m.imap_move_to = *in.imap_move_to;
  if (in.enabled) m.enabled = *in.enabled;
  if (in.ack_enabled) m.ack_enabled = *in.ack_enabled;
  if (in.ack_template) m.ack_template = *in.ack_template;
}

}  // namespace

Result<Mailbox> CreateMailbox(ports::WriteTx& tx, ports::Crypto& crypto, const Actor& actor, const MailboxInput& in,
                              Timestamp now) {
  Mailbox m;
  m.workspace_id = actor.workspace_id;
  Apply(m, crypto, in);
  m.reply_key = crypto.RandomToken(24);
  m.created_at = now;
  m.updated_at = now;
  KZ_TRY(tx.InsertMailbox(m));
  return m;
}

Result<Mailbox> UpdateMailbox(ports::WriteTx& tx, ports::Crypto& crypto, const Actor& actor, std::int64_t id,
                              const MailboxInput& in, Timestamp now) {
  KZ_ASSIGN(Mailbox m, tx.GetMailbox(actor.workspace_id, id));
  if (in.expected_version && *in.expected_version != m.version) {
    return Error{ErrorCode::kPreconditionFailed,
                 "the mailbox changed since you loaded it (now version " + std::to_string(m.version) + ")", "If-Match"};
  }
  const std::string before_url = m.imap_url, before_user = m.imap_username, before_folder = m.imap_folder;
  Apply(m, crypto, in);
  // Another account or folder starts afresh: its UIDs mean nothing here.
  if (m.imap_url != before_url || m.imap_username != before_user || m.imap_folder != before_folder) {
    m.uidvalidity = 0;
    m.last_uid = 0;
  }
  m.updated_at = now;
  m.version += 1;
  KZ_TRY(tx.UpdateMailbox(m));
  return m;
}

}  // namespace kizuna::services
