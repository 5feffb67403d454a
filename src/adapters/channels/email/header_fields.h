// Reading header field values: unfolding, RFC 2047 encoded-words, address lists, MIME
// parameters (RFC 2045/2231) and message ids. GMime 3.2.13 truncates adjacent ISO-2022-JP
// encoded-words (in headers and parameters alike), so these are parsed here; GMime is left
// the MIME structure and the transfer encodings. Internal to the MIME adapter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/email.h"

namespace kizuna::email::mime {

// What decoding a field needs to know besides its value.
struct FieldContext {
  std::vector<std::string>& warnings;
  std::string_view charset_hint;  // the message's declared body charset, tried first for raw 8-bit
  std::string_view where;         // "subject", "from"… for warnings
};

// Joins folded lines: CR and LF go, the whitespace after them stays; trims both ends.
std::string Unfold(std::string_view raw);

// Decodes an unstructured value (Subject, List-Id…): encoded-words, with adjacent words of
// one charset joined before conversion; raw 8-bit text decoded like an undeclared body.
// Every control character (CR and LF included) becomes a space, so the result is one line.
std::string DecodeText(std::string_view unfolded, const FieldContext& context);

// A mailbox list (From, To, Cc, Reply-To), groups flattened. Display names decoded; items
// without an address are skipped.
std::vector<MailAddress> ParseAddressList(std::string_view unfolded, const FieldContext& context);

// Every <id> of a Message-ID, In-Reply-To or References value, without the brackets, in
// order. A value without brackets yields its tokens that contain '@'.
std::vector<std::string> ParseMessageIds(std::string_view unfolded);

// A Content-Type or Content-Disposition value: the lower-case value before the first ';'
// ("text/plain", "attachment") and its parameters (lower-case names; values with RFC 2231
// continuations and charsets, and RFC 2047 words, decoded).
struct StructuredField {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;

  // The parameter's value, or nullopt.
  std::optional<std::string> Param(std::string_view name) const;
};
StructuredField ParseStructured(std::string_view unfolded, const FieldContext& context);

// The raw (undecoded) values of parameter `name` in a Content-Type value, for the pre-scan
// that only needs boundaries. Cheap; no charset work.
std::vector<std::string> RawParamValues(std::string_view unfolded, std::string_view name);

// RFC 2047 "B" encoded-words for UTF-8 `text`, each at most 75 characters, joined by
// "\r\n " so that a header stays within 78 columns.
std::string EncodeWords(std::string_view text);

// Replaces CR, LF and other control characters with spaces and invalid UTF-8 with U+FFFD.
std::string OneLine(std::string_view text);

}  // namespace kizuna::email::mime
