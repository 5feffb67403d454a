// Email as the rest of Kizuna sees it: a parsed inbound message and an outbound one to
// write. Plain values; parsing and writing MIME live in adapters/channels/email.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.h"

namespace kizuna {

struct MailAddress {
  std::string name;     // display name, UTF-8 (decoded from RFC 2047), may be empty
  std::string address;  // addr-spec as written ("Ana@Example.com"); lower-case it to compare
};

struct MailPart {
  std::string name;          // file name, UTF-8 (RFC 2231/2047 decoded); generated when missing
  std::string content_type;  // lower-case "type/subtype"
  std::string content_id;    // without <>; set for inline images referenced by cid:
  bool is_inline = false;
  std::string data;          // decoded bytes
};

struct InboundEmail {
  std::string message_id;               // without <>; empty when missing
  std::string in_reply_to;              // without <>
  std::vector<std::string> references;  // without <>, oldest first
  MailAddress from;
  std::vector<MailAddress> to;
  std::vector<MailAddress> cc;
  std::optional<MailAddress> reply_to;
  std::string subject;                  // UTF-8, unfolded, encoded-words decoded
  std::optional<Timestamp> date;        // from the Date header when it parses
  std::string text;                     // the body as UTF-8 text (from text/plain, else from the HTML)
  std::string html;                     // sanitised HTML (no script, handlers, javascript: URLs), may be empty
  std::vector<MailPart> attachments;    // attachments and inline images
  // Headers that decide loops and noise, names lower-case, values unfolded and
  // decoded: auto-submitted, precedence, x-autoreply, x-autorespond, list-id,
  // list-unsubscribe, list-post, return-path, x-kizuna-ticket, x-kizuna-loop, x-loop,
  // x-failed-recipients, x-auto-response-suppress, content-type of the top part
  // (multipart/report marks a DSN).
  std::vector<std::pair<std::string, std::string>> headers;
  std::int64_t raw_size = 0;
  std::vector<std::string> warnings;  // what was repaired (mislabelled charset, broken boundary…)
};

// The value of the first header named `name` (lower-case), or empty.
inline std::string HeaderValue(const InboundEmail& email, std::string_view name) {
  for (const auto& [key, value] : email.headers) {
    if (key == name) return value;
  }
  return {};
}

struct OutboundEmail {
  std::string message_id;  // without <>; stable per outbox job so a re-send is recognised
  MailAddress from;
  std::vector<MailAddress> to;
  std::optional<MailAddress> reply_to;
  std::string in_reply_to;              // without <>
  std::vector<std::string> references;  // without <>
  std::string subject;                  // UTF-8
  std::string text;                     // UTF-8
  std::string html;                     // UTF-8, optional
  std::vector<MailPart> attachments;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Auto-Submitted, X-Kizuna-…)
  Timestamp date = 0;
};

// An address a workspace receives mail at (see migrations/0008_email.sql).
struct Mailbox {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::string address;  // lower case
  std::string display_name;
  std::string imap_url;  // empty: mail arrives through `kizuna mail-ingest`
  std::string imap_username;
  std::string imap_password;  // sealed; only the poller opens it
  std::string imap_folder = "INBOX";
  std::string imap_move_to;
  bool enabled = true;
  bool ack_enabled = true;
  std::string ack_template;
  std::string reply_key;
  std::int64_t uidvalidity = 0;
  std::int64_t last_uid = 0;
  std::optional<Timestamp> last_checked_at;
  std::string last_error;
  std::int64_t ingested = 0;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::int64_t version = 1;
};

// One inbound message taken, by its Message-ID (or the digest of its bytes).
struct InboundRecord {
  WorkspaceId workspace_id = 0;
  std::string message_key;
  std::string sender;
  std::string outcome;  // ticket, message, rejected
  std::optional<TicketId> ticket_id;
  std::optional<MessageId> message_id;
  Timestamp received_at = 0;
};

// Mail that became no ticket or message, and why; the original is kept as a blob.
struct MailRejection {
  std::int64_t id = 0;
  WorkspaceId workspace_id = 0;
  std::optional<std::int64_t> mailbox_id;
  std::string message_key;
  std::string sender;
  std::string subject;
  std::string reason;
  std::string raw_sha256;
  Timestamp received_at = 0;
};

}  // namespace kizuna
