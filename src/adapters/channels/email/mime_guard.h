// Checks on the raw bytes of a message before GMime parses them. GMime builds every part
// and header it finds (about 1.3 kB each) and reads header values as C strings, so a 25 MB
// message of empty parts or header lines would cost gigabytes, and a NUL cuts a header.
// Internal to the MIME adapter.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kizuna::email::mime {

// Where the header block starts: after a UTF-8 BOM, an mbox "From " line and blank lines.
// nullopt when the bytes do not start with header fields, one of them a field every email
// has (From, To, Subject, Date, Message-ID, Received, MIME-Version, Content-Type…).
std::optional<std::size_t> HeaderBlockStart(std::string_view raw);

// The message with NUL bytes in header blocks replaced by spaces, header fields past
// 1000 per block or 10000 in all dropped, and everything cut from the delimiter that would
// start part number 2 * max_parts + 16 (or from the 50001st line starting with "--"), with
// a warning for each. nullopt when nothing needed changing. Follows multipart boundaries
// the way GMime does (raw and RFC 2231 forms, every Content-Type of a block), erring
// towards counting more parts; attached messages are leaves (see InitGMime).
std::optional<std::string> GuardMessage(std::string_view raw, int max_parts, std::vector<std::string>& warnings);

}  // namespace kizuna::email::mime
