#include "adapters/channels/email/mime_content.h"

#include <algorithm>

#include "adapters/channels/email/charset.h"
#include "adapters/channels/email/header_fields.h"
#include "adapters/channels/email/nfc_compose.h"

namespace kizuna::email::mime {

bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F && std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
  });
}

std::string MediaType(std::string_view value) {
  std::size_t slash = value.find('/');
  if (slash == std::string_view::npos) return {};
  if (!IsToken(value.substr(0, slash)) || !IsToken(value.substr(slash + 1))) return {};
  return std::string(value);
}

namespace {

constexpr std::size_t kMaxFileNameBytes = 255;

std::string ExtensionFor(std::string_view type) {
  struct Known {
    std::string_view type;
    std::string_view extension;
  };
  static constexpr Known kKnown[] = {
      {"application/pdf", "pdf"}, {"image/png", "png"}, {"image/jpeg", "jpg"}, {"image/jpg", "jpg"},
      {"image/gif", "gif"}, {"image/webp", "webp"}, {"image/svg+xml", "svg"}, {"image/heic", "heic"},
      {"text/plain", "txt"}, {"text/html", "html"}, {"text/csv", "csv"}, {"text/calendar", "ics"},
      {"text/rfc822-headers", "txt"}, {"message/rfc822", "eml"}, {"message/global", "eml"},
      {"message/delivery-status", "txt"}, {"message/disposition-notification", "txt"},
      {"application/zip", "zip"}, {"application/json", "json"}, {"application/xml", "xml"}, {"text/xml", "xml"},
      {"application/msword", "doc"}, {"application/vnd.ms-excel", "xls"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
      {"application/pgp-signature", "asc"}, {"application/pkcs7-signature", "p7s"},
      {"audio/mpeg", "mp3"}, {"video/mp4", "mp4"},
  };
  for (const Known& known : kKnown) {
    if (known.type == type) return std::string(known.extension);
  }
  return "bin";
}

}  // namespace

std::string GeneratedName(std::size_t number, std::string_view type) {
  return "attachment-" + std::to_string(number) + "." + ExtensionFor(type);
}

std::string SanitisedFileName(std::string_view name) {
  std::string clean = mime::OneLine(name);
  std::size_t slash = clean.find_last_of("/\\");
  if (slash != std::string::npos) clean.erase(0, slash + 1);
  if (clean.size() > kMaxFileNameBytes) {
    std::size_t dot = clean.rfind('.');
    std::string extension = dot != std::string::npos && clean.size() - dot <= 16 ? clean.substr(dot) : std::string();
    clean = std::string(mime::Utf8Prefix(clean, kMaxFileNameBytes - extension.size())) + extension;
  }
  std::size_t begin = clean.find_first_not_of(' ');
  std::size_t end = clean.find_last_not_of(' ');
  clean = begin == std::string::npos ? std::string() : clean.substr(begin, end - begin + 1);
  if (clean == "." || clean == "..") return {};
  return clean;
}

std::string CleanBodyText(std::string_view text, std::vector<std::string>& warnings) {
  std::string out;
  out.reserve(text.size());
  bool nul = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '\r') {
      out += '\n';
      if (pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
      continue;
    }
    auto byte = static_cast<unsigned char>(c);
    if (byte == 0) nul = true;
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F) continue;
    out += c;
  }
  if (nul) AddWarning(warnings, "NUL bytes removed from the body");
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
  // Removing controls may have put a letter next to its combining mark.
  return mime::ComposeNfc(out);
}

std::string Unflow(std::string_view text, bool delete_space) {
  std::string out;
  bool continuing = false;
  bool first = true;
  std::size_t previous_depth = 0;
  std::size_t pos = 0;
  while (true) {
    std::size_t newline = text.find('\n', pos);
    std::string_view line = text.substr(pos, newline == std::string_view::npos ? text.size() - pos : newline - pos);
    std::size_t depth = 0;
    while (depth < line.size() && line[depth] == '>') ++depth;
    std::string_view content = line.substr(depth);
    if (!content.empty() && content.front() == ' ') content.remove_prefix(1);  // space-stuffing
    bool signature = content == "-- ";
    bool flowed = !signature && !content.empty() && content.back() == ' ';
    if (flowed && delete_space) content.remove_suffix(1);
    if (!(continuing && depth == previous_depth)) {
      if (!first) out += '\n';
      if (depth > 0) out += std::string(depth, '>') + " ";
    }
    first = false;
    out += content;
    continuing = flowed;
    previous_depth = depth;
    if (newline == std::string_view::npos) break;
    pos = newline + 1;
  }
  return out;
}

std::optional<std::string> GuessBoundary(std::string_view content) {
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t newline = content.find('\n', pos);
    if (newline == std::string_view::npos) break;
    std::string_view line = content.substr(pos, newline - pos);
    pos = newline + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.starts_with("--")) continue;
    std::string_view boundary = line.substr(2);
    while (!boundary.empty() && (boundary.back() == ' ' || boundary.back() == '\t')) boundary.remove_suffix(1);
    if (boundary.empty() || boundary.size() > 200) continue;
    bool valid = std::all_of(boundary.begin(), boundary.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
    });
    if (!valid || boundary.find_first_not_of('-') == std::string_view::npos) continue;
    std::size_t next_end = content.find('\n', pos);
    std::string_view next = content.substr(pos, next_end == std::string_view::npos ? content.size() - pos
                                                                                 : next_end - pos);
    if (!next.empty() && next.back() == '\r') next.remove_suffix(1);
    std::size_t colon = next.find(':');
    bool header_next = colon != std::string_view::npos && colon > 0 && IsToken(next.substr(0, colon));
    if (next.empty() || header_next) return std::string(boundary);
  }
  return std::nullopt;
}

}  // namespace kizuna::email::mime
