// MIME for the email channel: raw RFC 5322 bytes to an InboundEmail and an OutboundEmail
// to bytes, plus the HTML clean-up both directions need. GMime and gumbo stay behind this
// header (mime_parser.cc, mime_writer.cc, html.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/email.h"
#include "core/result.h"

namespace kizuna::email {

// Bounds on what one inbound message may cost to parse.
struct MimeLimits {
  std::int64_t max_bytes = 25 << 20;  // larger messages are refused (kPayloadTooLarge)
  int max_parts = 500;                // parts past this many are dropped with a warning
  int max_depth = 30;                 // parts nested deeper are dropped with a warning
};

// Parses one message. Fails only when there is nothing to parse: empty input
// (kInvalidArgument, field "message"), more than limits.max_bytes (kPayloadTooLarge), or
// bytes that do not start with a header block (kInvalidArgument). Anything merely damaged
// (broken or missing boundary, unknown or wrong charset, invalid bytes, duplicated headers,
// too many parts) parses with best effort and says what was repaired in `warnings`.
// Every string in the result is valid UTF-8 (text in NFC for Latin, kana and Hangul).
// Never throws. Thread-safe.
Result<InboundEmail> ParseEmail(std::string_view raw, const MimeLimits& limits = {});

// The complete message with CRLF line ends: Date, From, To, Reply-To, Subject (RFC 2047
// when not ASCII), Message-ID, In-Reply-To, References, MIME-Version, the extra headers,
// then text/plain (and text/html when `html` is set, as multipart/alternative) in UTF-8
// quoted-printable or base64, whichever is shorter, inside multipart/mixed when there are
// attachments (base64; RFC 2231 file names). CR and LF in any header value become spaces,
// so no value can start another header. Invalid UTF-8 is replaced with U+FFFD. The result
// is 7-bit except for an address that is not ASCII, written as UTF-8 (RFC 6532: the
// transport needs SMTPUTF8 for it); ids keep only their printable ASCII. No line passes 998
// octets: ids, addresses and types too long to be real are left out.
std::string WriteEmail(const OutboundEmail& email);

// SanitiseHtml and HtmlToText read at most this much HTML (gumbo's cost grows with nesting).
inline constexpr std::size_t kHtmlMaxBytes = 2 << 20;

// HTML from a message made safe to show: only an allow-list of tags and attributes survives
// (a[href] with http, https or mailto; img[src] with cid: or https:); script, style,
// iframe, object, embed, form, svg and their content, event handlers and every other URL
// scheme are dropped. Returns a well-formed, escaped fragment (the body's content).
std::string SanitiseHtml(std::string_view html);

// What SanitiseHtml keeps beyond its allow-list for mail.
struct HtmlPolicy {
  // HTML rendered from Markdown (knowledge base, community): also keeps del and s
  // (strikethrough), sup, sub, task-list checkboxes (input type=checkbox, always disabled),
  // and links and images relative to the site ("/…", "#…"); images may be http: too; links get
  // rel="nofollow noopener" instead of rel="noopener noreferrer".
  bool markdown = false;
};
std::string SanitiseHtml(std::string_view html, const HtmlPolicy& policy);

// Readable plain text of an HTML body: blocks and <br> become line breaks, list items get
// "- ", quoted blocks get "> ", entities are decoded and whitespace is collapsed.
std::string HtmlToText(std::string_view html);

}  // namespace kizuna::email
