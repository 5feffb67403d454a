// WriteEmail: the message is composed here rather than through GMime's writer so that
// every header value passes one place (HeaderValue/Mailbox) that turns CR and LF into
// spaces, line ends are CRLF throughout and the output is byte-for-byte deterministic.
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/channels/email/charset.h"
#include "adapters/channels/email/header_fields.h"
#include "adapters/channels/email/mime.h"
#include "core/time.h"

namespace kizuna::email {
namespace {

constexpr std::size_t kLineLimit = 78;
constexpr std::size_t kEncodedLineLimit = 76;
// Past these an id, address or type is garbage; dropping it keeps every line within the
// 998 octets RFC 5322 allows (a word longer than that could not be folded).
constexpr std::size_t kMaxIdBytes = 900;
constexpr std::size_t kMaxAddressBytes = 500;
constexpr std::size_t kMaxTypeBytes = 200;
// Longer ASCII phrases and file names are encoded (RFC 2047 / 2231), which splits them.
constexpr std::size_t kMaxPlainPhraseBytes = 200;

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte > 0x7E) return false;
  }
  return true;
}

std::string Trimmed(std::string_view text) {
  std::size_t begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  std::size_t end = text.find_last_not_of(' ');
  return std::string(text.substr(begin, end - begin + 1));
}

// One line of valid UTF-8: the only way any value reaches a header.
std::string Clean(std::string_view text) { return Trimmed(mime::OneLine(text)); }

// Breaks an ASCII value at spaces so that lines stay within 78 columns where they can.
std::string Fold(std::string_view value, std::size_t column) {
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t space = value.find(' ', pos + 1);
    std::size_t end = space == std::string_view::npos ? value.size() : space;
    std::string_view word = value.substr(pos, end - pos);  // starts with its space, except the first
    if (column + word.size() > kLineLimit && pos > 0 && word.front() == ' ') {
      out += "\r\n";
      column = 0;
    }
    out += word;
    column += word.size();
    pos = end;
  }
  return out;
}

// An unstructured header value: folded ASCII, or RFC 2047 words when it is not ASCII (or
// holds "=?", which a reader would take for an encoded word).
std::string HeaderValue(std::string_view name, std::string_view value) {
  std::string clean = Clean(value);
  bool foldable = true;
  for (std::size_t start = 0; foldable && start < clean.size();) {
    std::size_t space = clean.find(' ', start);
    std::size_t end = space == std::string::npos ? clean.size() : space;
    foldable = end - start <= kMaxPlainPhraseBytes;
    start = end + 1;
  }
  if (foldable && IsPrintableAscii(clean) && clean.find("=?") == std::string::npos) {
    return Fold(clean, name.size() + 2);
  }
  return mime::EncodeWords(clean);
}

std::string CleanAddress(std::string_view address) {
  std::string out;
  for (char c : mime::OneLine(address)) {
    if (c == ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')') continue;
    out += c;
  }
  return out.size() <= kMaxAddressBytes ? out : std::string();
}

std::string Mailbox(const MailAddress& mailbox) {
  std::string address = CleanAddress(mailbox.address);
  std::string name = Clean(mailbox.name);
  if (name.empty()) return address;
  std::string phrase;
  if (!IsPrintableAscii(name) || name.find("=?") != std::string::npos || name.size() > kMaxPlainPhraseBytes) {
    phrase = mime::EncodeWords(name);
  } else if (name.find_first_of("()<>[]:;@\\,.\"") == std::string::npos) {
    phrase = name;
  } else {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  }
  return phrase + " <" + address + ">";
}

std::string AddressList(const std::vector<MailAddress>& mailboxes) {
  std::string out;
  for (const MailAddress& mailbox : mailboxes) {
    if (CleanAddress(mailbox.address).empty()) continue;
    if (!out.empty()) out += ",\r\n ";
    out += Mailbox(mailbox);
  }
  return out;
}

// A message or content id: printable ASCII without brackets (ids are compared byte for
// byte, and a bracket or space would end one early).
std::string CleanId(std::string_view id) {
  std::string out;
  for (char c : id) {
    auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7F && c != '<' && c != '>') out += c;
  }
  return out.size() <= kMaxIdBytes ? out : std::string();
}

// RFC 5322 date-time in UTC: "Fri, 20 Nov 2026 01:00:00 +0000".
std::string FormatDate(Timestamp ms) {
  static constexpr const char* kDays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string iso = FormatTimestamp(ms);  // 2026-11-20T01:00:00.000Z
  if (iso.size() < 19 || iso[4] != '-') return "Thu, 01 Jan 1970 00:00:00 +0000";
  std::int64_t days = ms / 86'400'000;
  if (ms % 86'400'000 < 0) --days;
  int month = std::stoi(iso.substr(5, 2));
  std::string out = kDays[((days % 7) + 7) % 7];
  out += ", " + iso.substr(8, 2) + " " + kMonths[(month + 11) % 12] + " " + iso.substr(0, 4) + " " + iso.substr(11, 8);
  return out + " +0000";
}

std::string CrlfLines(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '\r') {
      if (pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      out += "\r\n";
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find("\r\n", pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
    std::size_t column = 0;
    for (std::size_t idx = 0; idx < line.size(); ++idx) {
      auto byte = static_cast<unsigned char>(line[idx]);
      bool last = idx + 1 == line.size();
      char literal[1] = {line[idx]};
      std::string_view piece;
      char escaped[3] = {'=', kHex[byte >> 4], kHex[byte & 0x0F]};
      if ((byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !last)) {
        piece = std::string_view(literal, 1);
      } else {
        piece = std::string_view(escaped, 3);
      }
      if (column + piece.size() > kEncodedLineLimit - 1) {
        out += "=\r\n";
        column = 0;
      }
      out += piece;
      column += piece.size();
    }
    if (end == std::string_view::npos) break;
    out += "\r\n";
    pos = end + 2;
  }
  return out;
}

std::string Base64Lines(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(data.size() * 4 / 3 + data.size() / 38 + 8);
  std::size_t column = 0;
  for (std::size_t pos = 0; pos < data.size(); pos += 3) {
    std::uint32_t bits = static_cast<std::uint32_t>(static_cast<unsigned char>(data[pos])) << 16;
    if (pos + 1 < data.size()) bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[pos + 1])) << 8;
    if (pos + 2 < data.size()) bits |= static_cast<unsigned char>(data[pos + 2]);
    if (column == kEncodedLineLimit) {
      out += "\r\n";
      column = 0;
    }
    out += kAlphabet[(bits >> 18) & 0x3F];
    out += kAlphabet[(bits >> 12) & 0x3F];
    out += pos + 1 < data.size() ? kAlphabet[(bits >> 6) & 0x3F] : '=';
    out += pos + 2 < data.size() ? kAlphabet[bits & 0x3F] : '=';
    column += 4;
  }
  return out;
}

// A MIME entity: its Content-* header lines (each ending in CRLF) and its encoded body.
struct Entity {
  std::string headers;
  std::string body;
};

Entity TextEntity(std::string_view text, std::string_view subtype) {
  std::string utf8(text);
  mime::RepairUtf8(utf8);
  std::string content = CrlfLines(utf8);
  std::string quoted = QuotedPrintable(content);
  std::string base64 = Base64Lines(content);
  bool use_base64 = base64.size() < quoted.size();
  Entity entity;
  entity.headers = "Content-Type: text/" + std::string(subtype) + "; charset=utf-8\r\nContent-Transfer-Encoding: " +
                   (use_base64 ? "base64" : "quoted-printable") + "\r\n";
  entity.body = use_base64 ? std::move(base64) : std::move(quoted);
  return entity;
}

bool IsTokenChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte > 0x20 && byte < 0x7F && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

std::string SafeMediaType(std::string_view type) {
  std::string lower;
  for (char c : type) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  std::size_t slash = lower.find('/');
  bool valid = slash != std::string::npos && slash > 0 && slash + 1 < lower.size() &&
               lower.find('/', slash + 1) == std::string::npos;
  for (std::size_t idx = 0; valid && idx < lower.size(); ++idx) {
    valid = idx == slash || IsTokenChar(lower[idx]);
  }
  // A file is never a multipart: a reader would look for a boundary in it.
  valid = valid && lower.size() <= kMaxTypeBytes && !lower.starts_with("multipart/");
  return valid ? lower : "application/octet-stream";
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// ;\r\n filename*0*=utf-8''%E8%A6%8B…;\r\n filename*1*=… (RFC 2231), lines within 78 columns.
std::string ExtendedParam(std::string_view param, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::vector<std::string> chunks{"utf-8''"};
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    std::string piece = plain ? std::string(1, c) : std::string{'%', kHex[byte >> 4], kHex[byte & 0x0F]};
    if (chunks.back().size() + piece.size() > 60) chunks.emplace_back();
    chunks.back() += piece;
  }
  std::string out;
  for (std::size_t idx = 0; idx < chunks.size(); ++idx) {
    out += ";\r\n " + std::string(param) + "*" + (chunks.size() > 1 ? std::to_string(idx) + "*" : "") + "=" +
           chunks[idx];
  }
  return out;
}

Entity AttachmentEntity(const MailPart& part) {
  std::string type = SafeMediaType(part.content_type);
  std::string name = Clean(part.name);
  Entity entity;
  entity.headers = "Content-Type: " + type;
  std::string disposition = std::string("Content-Disposition: ") + (part.is_inline ? "inline" : "attachment");
  if (!name.empty()) {
    if (IsPrintableAscii(name) && name.find("=?") == std::string::npos && name.size() <= kMaxPlainPhraseBytes) {
      entity.headers += ";\r\n name=" + Quoted(name);
      disposition += ";\r\n filename=" + Quoted(name);
    } else {
      // RFC 2231 is the standard; the RFC 2047 name= is what older Outlook reads.
      entity.headers += ";\r\n name=\"" + mime::EncodeWords(name) + "\"";
      disposition += ExtendedParam("filename", name);
    }
  }
  entity.headers += "\r\n" + disposition + "\r\nContent-Transfer-Encoding: base64\r\n";
  std::string content_id = CleanId(part.content_id);
  if (!content_id.empty()) entity.headers += "Content-ID: <" + content_id + ">\r\n";
  entity.body = Base64Lines(part.data);
  return entity;
}

std::uint64_t Fnv1a(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// "=_" never occurs in quoted-printable or base64 text, so these boundaries cannot either.
std::string Boundary(std::string_view seed, int level) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t hash = Fnv1a(std::string(seed) + "/" + std::to_string(level));
  std::string out = "=_kz_";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(hash >> shift) & 0xF];
  return out + "_" + std::to_string(level);
}

Entity Multipart(std::string_view subtype, const std::vector<Entity>& parts, const std::string& boundary) {
  Entity entity;
  entity.headers = "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" + boundary + "\"\r\n";
  for (const Entity& part : parts) {
    entity.body += "--" + boundary + "\r\n" + part.headers + "\r\n" + part.body + "\r\n";
  }
  entity.body += "--" + boundary + "--";
  return entity;
}

bool IsHeaderName(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == ':') return false;
  }
  return true;
}

bool WrittenHere(std::string_view name) {
  std::string lower;
  for (char c : name) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  static constexpr std::string_view kOwn[] = {"date",        "from",       "to",           "cc",
                                              "bcc",         "reply-to",   "subject",      "message-id",
                                              "in-reply-to", "references", "mime-version", "sender"};
  for (std::string_view own : kOwn) {
    if (lower == own) return true;
  }
  return lower.starts_with("content-");
}

void AddHeader(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

std::string WriteEmail(const OutboundEmail& email) {
  std::string out;
  AddHeader(out, "Date", FormatDate(email.date));
  AddHeader(out, "From", Mailbox(email.from));
  std::string to = AddressList(email.to);
  if (!to.empty()) AddHeader(out, "To", to);
  if (email.reply_to && !CleanAddress(email.reply_to->address).empty()) {
    AddHeader(out, "Reply-To", Mailbox(*email.reply_to));
  }
  AddHeader(out, "Subject", HeaderValue("Subject", email.subject));
  std::string message_id = CleanId(email.message_id);
  if (!message_id.empty()) AddHeader(out, "Message-ID", "<" + message_id + ">");
  std::string in_reply_to = CleanId(email.in_reply_to);
  if (!in_reply_to.empty()) AddHeader(out, "In-Reply-To", "<" + in_reply_to + ">");
  std::string references;
  for (const std::string& reference : email.references) {
    std::string id = CleanId(reference);
    if (id.empty()) continue;
    if (!references.empty()) references += "\r\n ";
    references += "<" + id + ">";
  }
  if (!references.empty()) AddHeader(out, "References", references);
  AddHeader(out, "MIME-Version", "1.0");
  for (const auto& [name, value] : email.headers) {
    if (!IsHeaderName(name) || WrittenHere(name)) continue;
    AddHeader(out, name, HeaderValue(name, value));
  }

  std::string seed = message_id + "\n" + email.subject;
  Entity body = TextEntity(email.text, "plain");
  if (!email.html.empty()) body = Multipart("alternative", {body, TextEntity(email.html, "html")}, Boundary(seed, 1));
  std::vector<Entity> inline_parts{body};
  std::vector<Entity> attached{};
  for (const MailPart& part : email.attachments) {
    bool related = part.is_inline && !email.html.empty() && !CleanId(part.content_id).empty();
    (related ? inline_parts : attached).push_back(AttachmentEntity(part));
  }
  if (inline_parts.size() > 1) body = Multipart("related", inline_parts, Boundary(seed, 2));
  if (!attached.empty()) {
    attached.insert(attached.begin(), body);
    body = Multipart("mixed", attached, Boundary(seed, 3));
  }
  out += body.headers;
  out += "\r\n";
  out += body.body;
  out += "\r\n";
  return out;
}

}  // namespace kizuna::email
