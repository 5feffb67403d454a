// Text of an email in whatever character set it claims (or does not claim) to UTF-8.
// Internal to the MIME adapter.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kizuna::email::mime {

// Appends a short note about a repair, once per distinct text and at most ~40 in all.
void AddWarning(std::vector<std::string>& warnings, std::string message);

// Length of the valid UTF-8 sequence starting at text[pos], or 0 when it is not valid.
// REQUIRES: pos < text.size().
std::size_t Utf8SequenceLength(std::string_view text, std::size_t pos);

// Replaces every invalid UTF-8 byte with U+FFFD; returns how many were replaced.
std::size_t RepairUtf8(std::string& text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not split a character.
std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes);

// Decodes `bytes` labelled with the MIME charset `label` (may be empty: undeclared) into
// valid UTF-8, composed to NFC for Latin, kana and Hangul. Repairs, noted in `warnings` with
// `where` ("body", "subject"): a label iconv does not know, text that is valid UTF-8 under a
// us-ascii/latin-1/other label, undeclared 8-bit text (UTF-8, else whichever of Shift_JIS,
// EUC-JP, ISO-2022-JP and EUC-KR decodes cleanly and plausibly, `hint` first), and bytes
// that decode under nothing (each becomes U+FFFD). Control characters are kept; callers
// strip what they must.
std::string DecodeToUtf8(std::string_view bytes, std::string_view label, std::string_view where,
                         std::vector<std::string>& warnings, std::string_view hint = {});

// The label of a charset as iconv knows it ("ks_c_5601-1987" -> "CP949"), or empty when the
// label is malformed. Exposed for tests.
std::string IconvNameFor(std::string_view label);

}  // namespace kizuna::email::mime
