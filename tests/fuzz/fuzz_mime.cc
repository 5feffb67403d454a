// Fuzzes the email MIME adapter: any bytes parse or fail cleanly; whatever parses is valid
// UTF-8 throughout, writes as a well-formed message and parses back to the same subject,
// text and attachments.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/channels/email/mime.h"
#include "core/text.h"

namespace {

using kizuna::InboundEmail;
using kizuna::IsValidUtf8;
using kizuna::MailPart;
using kizuna::OutboundEmail;

void Check(bool condition) {
  if (!condition) std::abort();
}

void CheckOneLine(std::string_view value) {
  Check(IsValidUtf8(value));
  Check(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos);
}

void CheckParsed(const InboundEmail& email) {
  for (std::string_view value : {std::string_view(email.subject), std::string_view(email.from.name),
                                 std::string_view(email.from.address), std::string_view(email.message_id),
                                 std::string_view(email.in_reply_to)}) {
    CheckOneLine(value);
  }
  for (const auto& mailbox : email.to) CheckOneLine(mailbox.name), CheckOneLine(mailbox.address);
  for (const auto& mailbox : email.cc) CheckOneLine(mailbox.name), CheckOneLine(mailbox.address);
  for (const auto& reference : email.references) CheckOneLine(reference);
  for (const auto& [name, value] : email.headers) CheckOneLine(name), CheckOneLine(value);
  for (const auto& part : email.attachments) CheckOneLine(part.name), CheckOneLine(part.content_type);
  for (const auto& warning : email.warnings) Check(IsValidUtf8(warning));
  Check(IsValidUtf8(email.text));
  Check(IsValidUtf8(email.html));
  Check(email.text.find('\r') == std::string::npos);
}

std::vector<std::pair<std::string, std::string>> Files(const std::vector<MailPart>& parts) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& part : parts) files.emplace_back(part.name, part.data);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto parsed = kizuna::email::ParseEmail(raw, kizuna::email::MimeLimits{.max_bytes = 1 << 20});
  if (!parsed.ok()) return 0;
  CheckParsed(*parsed);

  OutboundEmail outbound;
  outbound.message_id = parsed->message_id;
  outbound.from = parsed->from;
  outbound.to = parsed->to;
  outbound.reply_to = parsed->reply_to;
  outbound.in_reply_to = parsed->in_reply_to;
  outbound.references = parsed->references;
  outbound.subject = parsed->subject;
  outbound.text = parsed->text;
  outbound.html = parsed->html;
  outbound.attachments = parsed->attachments;
  outbound.headers = parsed->headers;
  outbound.date = parsed->date.value_or(0);
  std::string wire = kizuna::email::WriteEmail(outbound);
  // CRLF only; 8-bit (UTF-8) only in the top header block, for addresses (RFC 6532).
  std::size_t header_end = wire.find("\r\n\r\n");
  Check(header_end != std::string::npos && IsValidUtf8(wire.substr(0, header_end)));
  std::size_t line_start = 0;
  for (std::size_t pos = 0; pos < wire.size(); ++pos) {
    Check(pos < header_end || static_cast<unsigned char>(wire[pos]) < 0x80);
    if (wire[pos] == '\r') {
      Check(pos - line_start <= 998);
      line_start = pos + 2;
    }
    if (wire[pos] == '\n') Check(pos > 0 && wire[pos - 1] == '\r');
    if (wire[pos] == '\r') Check(pos + 1 < wire.size() && wire[pos + 1] == '\n');
  }

  auto again = kizuna::email::ParseEmail(wire);
  Check(again.ok());
  CheckParsed(*again);
  Check(again->subject == parsed->subject);
  if (!parsed->text.empty()) Check(again->text == parsed->text);
  Check(Files(again->attachments) == Files(parsed->attachments));

  (void)kizuna::email::SanitiseHtml(raw);
  (void)kizuna::email::HtmlToText(raw);
  return 0;
}
