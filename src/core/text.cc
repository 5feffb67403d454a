#include "core/text.h"

namespace kizuna {

bool IsValidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) { ++p; continue; }
    int extra;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; }
    else return false;
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

std::size_t CodePointCount(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string TrimSpaces(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

Result<std::string> CheckText(std::string_view field, std::string_view text, TextRule rule) {
  if (!IsValidUtf8(text)) return Error::Invalid(std::string(field), std::string(field) + " must be valid UTF-8");
  for (unsigned char c : text) {
    bool newline = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(rule.allow_newlines && newline)) || c == 0x7f) {
      return Error::Invalid(std::string(field), std::string(field) + " contains a control character");
    }
  }
  std::string trimmed = TrimSpaces(text);
  if (trimmed.empty() && !rule.allow_empty) {
    return Error::Invalid(std::string(field), std::string(field) + " must not be empty");
  }
  if (CodePointCount(trimmed) > rule.max_code_points) {
    return Error::Invalid(std::string(field),
                          std::string(field) + " is longer than " + std::to_string(rule.max_code_points) + " characters");
  }
  return trimmed;
}

}  // namespace kizuna
