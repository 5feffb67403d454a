// What a MIME part's decoded content becomes in an InboundEmail: body text (line ends,
// control characters, format=flowed), file names (as sent, made safe, or generated) and,
// for a multipart whose boundary matched nothing, the delimiter its content really uses.
// Internal to the MIME adapter; no GMime here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kizuna::email::mime {

// True when `text` is a MIME token (RFC 2045).
bool IsToken(std::string_view text);

// "type/subtype" when `value` is one, else empty.
std::string MediaType(std::string_view value);

// "attachment-3.pdf": the name of the 3rd file of `type` when the sender gave none.
std::string GeneratedName(std::size_t number, std::string_view type);

// A file name as sent, minus any directory part and control characters, at most 255
// bytes (the extension kept), trimmed; empty when nothing usable is left.
std::string SanitisedFileName(std::string_view name);

// Plain text as the rest of Kizuna wants it: LF line ends, no NUL (noted in `warnings`) or
// other control character but tab, no trailing blank space, composed to NFC.
std::string CleanBodyText(std::string_view text, std::vector<std::string>& warnings);

// RFC 3676 format=flowed: a line ending in a space continues on the next line of the same
// quote depth; `delete_space` is delsp=yes. REQUIRES: LF line ends.
std::string Unflow(std::string_view text, bool delete_space);

// The first line of a multipart's unmatched content that looks like a delimiter: "--x"
// followed by a header field or a blank line; returns x.
std::optional<std::string> GuessBoundary(std::string_view content);

}  // namespace kizuna::email::mime
