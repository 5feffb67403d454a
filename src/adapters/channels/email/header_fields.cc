#include "adapters/channels/email/header_fields.h"

#include <algorithm>
#include <cstdint>
#include <map>

#include "adapters/channels/email/charset.h"

namespace kizuna::email::mime {
namespace {

constexpr std::size_t kMaxAddresses = 1000;
constexpr std::size_t kMaxMessageIdBytes = 998;
constexpr int kMaxContinuations = 1000;

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

bool AllBlank(std::string_view text) { return std::all_of(text.begin(), text.end(), IsBlank); }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Base64 as mail clients write it: characters outside the alphabet are skipped, padding
// may be missing.
std::string DecodeBase64Loose(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    int value;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    else if (c >= '0' && c <= '9') value = c - '0' + 52;
    else if (c == '+') value = 62;
    else if (c == '/') value = 63;
    else if (c == '=') break;
    else continue;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xFF);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  }
  return out;
}

std::string DecodeQ(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '_') {
      out += ' ';
    } else if (c == '=' && pos + 2 < text.size() && HexValue(text[pos + 1]) >= 0 && HexValue(text[pos + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[pos + 1]) * 16 + HexValue(text[pos + 2]));
      pos += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '%' && pos + 2 < text.size() && HexValue(text[pos + 1]) >= 0 && HexValue(text[pos + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[pos + 1]) * 16 + HexValue(text[pos + 2]));
      pos += 2;
    } else {
      out += text[pos];
    }
  }
  return out;
}

struct EncodedWord {
  std::size_t end = 0;  // one past "?="
  std::string charset;  // lower-case, language suffix removed
  std::string bytes;    // decoded, still in `charset`
};

// The encoded-word "=?charset?B|Q?text?=" starting at `start`, or nullopt.
std::optional<EncodedWord> ParseEncodedWord(std::string_view value, std::size_t start) {
  std::size_t pos = start + 2;
  std::size_t charset_end = pos;
  while (charset_end < value.size() && charset_end - pos <= 64 && value[charset_end] != '?') {
    char c = value[charset_end];
    if (IsBlank(c) || c == '=' || static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    ++charset_end;
  }
  if (charset_end == pos || charset_end + 2 >= value.size() || value[charset_end] != '?') return std::nullopt;
  char encoding = value[charset_end + 1];
  if (value[charset_end + 2] != '?') return std::nullopt;
  bool base64 = encoding == 'B' || encoding == 'b';
  if (!base64 && encoding != 'Q' && encoding != 'q') return std::nullopt;
  std::size_t text_start = charset_end + 3;
  std::size_t text_end = value.find('?', text_start);
  if (text_end == std::string_view::npos || text_end + 1 >= value.size() || value[text_end + 1] != '=') {
    return std::nullopt;
  }
  EncodedWord word;
  word.end = text_end + 2;
  std::string_view charset = value.substr(pos, charset_end - pos);
  charset = charset.substr(0, charset.find('*'));
  word.charset = Lower(charset);
  std::string_view text = value.substr(text_start, text_end - text_start);
  word.bytes = base64 ? DecodeBase64Loose(text) : DecodeQ(text);
  return word;
}

// Removes the quotes of quoted strings and their backslash escapes; the rest is kept.
std::string Unquote(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool quoted = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '\\' && quoted && pos + 1 < text.size()) {
      out += text[++pos];
    } else {
      out += c;
    }
  }
  return out;
}

// Splits at `separators` outside quoted strings, comments and angle brackets.
struct Scanner {
  std::string_view text;
  std::size_t pos = 0;
  bool quoted = false;
  int comment_depth = 0;
  bool angle = false;

  // Advances over one character; returns true when it is structural (outside quotes and
  // comments) so the caller may act on it.
  bool Step() {
    char c = text[pos];
    if (quoted) {
      if (c == '\\') ++pos;
      else if (c == '"') quoted = false;
      ++pos;
      return false;
    }
    if (comment_depth > 0) {
      if (c == '\\') ++pos;
      else if (c == '(') ++comment_depth;
      else if (c == ')') --comment_depth;
      ++pos;
      return false;
    }
    if (c == '"') { quoted = true; ++pos; return false; }
    if (c == '(') { comment_depth = 1; ++pos; return false; }
    if (c == '<') angle = true;
    if (c == '>') angle = false;
    return true;
  }
};

// Text outside comments, and the text of the first comment.
std::pair<std::string, std::string> SplitComments(std::string_view text) {
  std::string outside;
  std::string first_comment;
  bool seen_comment = false;
  int depth = 0;
  bool quoted = false;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    char c = text[pos];
    if (depth == 0) {
      if (c == '"') quoted = !quoted;
      if (c == '(' && !quoted) { depth = 1; continue; }
      outside += c;
      continue;
    }
    if (c == '\\' && pos + 1 < text.size()) {
      if (!seen_comment) first_comment += text[pos + 1];
      ++pos;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) { seen_comment = true; continue; }
    if (!seen_comment) first_comment += c;
  }
  return {outside, first_comment};
}

std::string CleanAddress(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F || c == '<' || c == '>') continue;
    out += c;
  }
  // An obsolete source route: <@relay.example:user@example.com>
  if (!out.empty() && out.front() == '@') {
    std::size_t colon = out.find(':');
    out = colon == std::string::npos ? std::string() : out.substr(colon + 1);
  }
  RepairUtf8(out);
  return out;
}

std::optional<MailAddress> ParseMailbox(std::string_view item, const FieldContext& context) {
  item = Trim(item);
  if (item.empty()) return std::nullopt;
  Scanner scanner{item};
  std::size_t open = std::string_view::npos;
  while (scanner.pos < item.size()) {
    std::size_t at = scanner.pos;
    if (scanner.Step()) {
      if (item[at] == '<') { open = at; break; }
      ++scanner.pos;
    }
  }
  if (open == std::string_view::npos) open = item.rfind('<');  // an unbalanced quote hid it
  MailAddress mailbox;
  std::string phrase;
  if (open != std::string_view::npos) {
    std::size_t close = item.find('>', open + 1);
    mailbox.address = CleanAddress(item.substr(open + 1, close == std::string_view::npos ? std::string_view::npos
                                                                                        : close - open - 1));
    phrase = Unquote(SplitComments(item.substr(0, open)).first);
  } else {
    auto [outside, comment] = SplitComments(item);
    mailbox.address = CleanAddress(outside);
    phrase = comment;
  }
  if (mailbox.address.empty()) return std::nullopt;
  std::string name = DecodeText(phrase, context);
  std::string_view trimmed = Trim(name);
  while (trimmed.size() >= 2 && ((trimmed.front() == '\'' && trimmed.back() == '\'') ||
                                 (trimmed.front() == '"' && trimmed.back() == '"'))) {
    trimmed = Trim(trimmed.substr(1, trimmed.size() - 2));
  }
  mailbox.name = std::string(trimmed);
  return mailbox;
}

bool IsTokenChar(char c) {
  auto byte = static_cast<unsigned char>(c);
  return byte > 0x20 && byte < 0x7F && c != ';' && c != '"' && c != '=' && c != ',';
}

struct RawParam {
  std::string name;  // lower-case, as written ("filename*0*")
  std::string value;  // unquoted
};

// The value before the first ';' and every name=value after it, quotes removed.
std::pair<std::string, std::vector<RawParam>> SplitParams(std::string_view text) {
  std::vector<std::string_view> segments;
  Scanner scanner{text};
  std::size_t segment_start = 0;
  while (scanner.pos < text.size()) {
    std::size_t at = scanner.pos;
    if (scanner.Step()) {
      if (text[at] == ';') {
        segments.push_back(text.substr(segment_start, at - segment_start));
        segment_start = at + 1;
      }
      ++scanner.pos;
    }
  }
  segments.push_back(text.substr(segment_start));
  std::string_view head = Trim(segments.front());
  // "text/plain charset=utf-8" (a missing ';') still yields the parameter.
  std::size_t space = head.find_first_of(" \t");
  std::vector<std::string_view> param_texts;
  if (space != std::string_view::npos && head.find('=', space) != std::string_view::npos) {
    param_texts.push_back(head.substr(space + 1));
    head = head.substr(0, space);
  }
  param_texts.insert(param_texts.end(), segments.begin() + 1, segments.end());
  std::string value = Lower(SplitComments(head).first);
  value = std::string(Trim(value));
  std::vector<RawParam> params;
  for (std::string_view param_text : param_texts) {
    std::size_t equals = param_text.find('=');
    if (equals == std::string_view::npos) continue;
    std::string name = Lower(Trim(param_text.substr(0, equals)));
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) continue;
    std::string_view raw = Trim(param_text.substr(equals + 1));
    std::string unquoted;
    if (!raw.empty() && raw.front() == '"') {
      for (std::size_t pos = 1; pos < raw.size(); ++pos) {
        if (raw[pos] == '\\' && pos + 1 < raw.size()) {
          unquoted += raw[++pos];
        } else if (raw[pos] == '"') {
          break;
        } else {
          unquoted += raw[pos];
        }
      }
    } else {
      unquoted = std::string(raw);
    }
    params.push_back(RawParam{std::move(name), std::move(unquoted)});
  }
  return {std::move(value), std::move(params)};
}

// "charset'language'percent-encoded" -> (charset, bytes)
std::pair<std::string, std::string> SplitExtendedValue(std::string_view value) {
  std::size_t first = value.find('\'');
  std::size_t second = first == std::string_view::npos ? std::string_view::npos : value.find('\'', first + 1);
  if (second == std::string_view::npos) return {{}, PercentDecode(value)};
  return {std::string(value.substr(0, first)), PercentDecode(value.substr(second + 1))};
}

}  // namespace

std::string Unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t pos = 0; pos < raw.size(); ++pos) {
    char c = raw[pos];
    if (c != '\r' && c != '\n') {
      out += c;
      continue;
    }
    while (pos + 1 < raw.size() && (raw[pos + 1] == '\r' || raw[pos + 1] == '\n')) ++pos;
    if (pos + 1 < raw.size() && raw[pos + 1] != ' ' && raw[pos + 1] != '\t') out += ' ';
  }
  return std::string(Trim(out));
}

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  RepairUtf8(out);
  // C1 controls (NEL among them) and the Unicode line and paragraph separators.
  std::string result;
  result.reserve(out.size());
  for (std::size_t pos = 0; pos < out.size(); ++pos) {
    auto byte = static_cast<unsigned char>(out[pos]);
    if (byte == 0xC2 && pos + 1 < out.size() && static_cast<unsigned char>(out[pos + 1]) < 0xA0) {
      result += ' ';
      ++pos;
    } else if (byte == 0xE2 && pos + 2 < out.size() && static_cast<unsigned char>(out[pos + 1]) == 0x80 &&
               (static_cast<unsigned char>(out[pos + 2]) == 0xA8 || static_cast<unsigned char>(out[pos + 2]) == 0xA9)) {
      result += ' ';
      pos += 2;
    } else {
      result += out[pos];
    }
  }
  return result;
}

std::string DecodeText(std::string_view unfolded, const FieldContext& context) {
  struct Segment {
    bool encoded = false;
    std::string charset;
    std::string bytes;
  };
  std::vector<Segment> segments;
  std::size_t pos = 0;
  std::size_t plain_start = 0;
  while (pos < unfolded.size()) {
    std::size_t start = unfolded.find("=?", pos);
    if (start == std::string_view::npos) break;
    auto word = ParseEncodedWord(unfolded, start);
    if (!word) {
      pos = start + 2;
      continue;
    }
    std::string_view between = unfolded.substr(plain_start, start - plain_start);
    bool after_word = !segments.empty() && segments.back().encoded && AllBlank(between);
    if (!after_word && !between.empty()) segments.push_back(Segment{false, {}, std::string(between)});
    // Adjacent words of one charset are one byte stream: a multi-byte character or an
    // ISO-2022-JP escape state may continue across them.
    if (after_word && segments.back().charset == word->charset) {
      segments.back().bytes += word->bytes;
    } else {
      segments.push_back(Segment{true, std::move(word->charset), std::move(word->bytes)});
    }
    pos = plain_start = word->end;
  }
  if (plain_start < unfolded.size()) segments.push_back(Segment{false, {}, std::string(unfolded.substr(plain_start))});
  std::string out;
  for (const Segment& segment : segments) {
    out += DecodeToUtf8(segment.bytes, segment.encoded ? std::string_view(segment.charset) : std::string_view(),
                        context.where, context.warnings, context.charset_hint);
  }
  return std::string(Trim(OneLine(out)));
}

std::vector<MailAddress> ParseAddressList(std::string_view unfolded, const FieldContext& context) {
  std::vector<MailAddress> out;
  Scanner scanner{unfolded};
  std::size_t item_start = 0;
  bool warned = false;
  auto emit = [&](std::size_t end) {
    if (out.size() >= kMaxAddresses) {
      if (!warned) {
        AddWarning(context.warnings, "more than " + std::to_string(kMaxAddresses) + " addresses in " +
                                         std::string(context.where) + ": the rest were dropped");
        warned = true;
      }
      return;
    }
    if (auto mailbox = ParseMailbox(unfolded.substr(item_start, end - item_start), context)) {
      out.push_back(std::move(*mailbox));
    }
  };
  while (scanner.pos < unfolded.size()) {
    std::size_t at = scanner.pos;
    if (!scanner.Step()) continue;
    char c = unfolded[at];
    if (!scanner.angle && (c == ',' || c == ';')) {
      emit(at);
      item_start = at + 1;
    } else if (!scanner.angle && c == ':') {
      // "Team: a@example.com, b@example.com;" - the group's name is not an address.
      std::string_view so_far = unfolded.substr(item_start, at - item_start);
      if (so_far.find('@') == std::string_view::npos) item_start = at + 1;
    }
    ++scanner.pos;
  }
  emit(unfolded.size());
  return out;
}

std::vector<std::string> ParseMessageIds(std::string_view unfolded) {
  std::vector<std::string> ids;
  auto clean = [](std::string_view text) {
    std::string id;
    for (char c : text) {
      auto byte = static_cast<unsigned char>(c);
      if (byte > 0x20 && byte != 0x7F && c != '<' && c != '>' && c != '"') id += c;
    }
    RepairUtf8(id);
    return id;
  };
  std::size_t pos = 0;
  while (pos < unfolded.size()) {
    std::size_t open = unfolded.find('<', pos);
    if (open == std::string_view::npos) break;
    std::size_t close = unfolded.find('>', open + 1);
    if (close == std::string_view::npos) break;
    std::string id = clean(unfolded.substr(open + 1, close - open - 1));
    if (!id.empty() && id.size() <= kMaxMessageIdBytes) ids.push_back(std::move(id));
    pos = close + 1;
  }
  if (!ids.empty()) return ids;
  std::size_t start = 0;
  while (start < unfolded.size()) {
    std::size_t end = unfolded.find_first_of(" \t,", start);
    if (end == std::string_view::npos) end = unfolded.size();
    std::string_view token = unfolded.substr(start, end - start);
    if (token.find('@') != std::string_view::npos) {
      std::string id = clean(token);
      if (!id.empty() && id.size() <= kMaxMessageIdBytes) ids.push_back(std::move(id));
    }
    start = end + 1;
  }
  return ids;
}

std::optional<std::string> StructuredField::Param(std::string_view name) const {
  for (const auto& [key, param_value] : params) {
    if (key == name) return param_value;
  }
  return std::nullopt;
}

StructuredField ParseStructured(std::string_view unfolded, const FieldContext& context) {
  auto [value, raw_params] = SplitParams(unfolded);
  StructuredField field;
  field.value = OneLine(value);
  struct Piece {
    int index;
    bool extended;
    std::string value;
  };
  std::vector<std::string> order;
  std::map<std::string, std::string> simple;
  std::map<std::string, std::vector<Piece>> continued;
  for (RawParam& param : raw_params) {
    std::size_t star = param.name.find('*');
    std::string base = param.name.substr(0, star);
    if (base.empty()) continue;
    if (std::find(order.begin(), order.end(), base) == order.end()) order.push_back(base);
    if (star == std::string::npos) {
      if (!simple.emplace(base, std::move(param.value)).second) {
        AddWarning(context.warnings, "duplicated parameter '" + base + "' in " + std::string(context.where));
      }
      continue;
    }
    std::string_view rest = std::string_view(param.name).substr(star + 1);
    Piece piece{0, false, std::move(param.value)};
    if (rest.empty()) {
      piece.extended = true;  // name*=charset'lang'value
    } else {
      bool extended = rest.back() == '*';
      if (extended) rest.remove_suffix(1);
      if (rest.empty() || rest.size() > 4 || !std::all_of(rest.begin(), rest.end(), [](char c) {
            return c >= '0' && c <= '9';
          })) {
        continue;
      }
      piece.index = std::stoi(std::string(rest));
      piece.extended = extended;
    }
    auto& pieces = continued[base];
    if (piece.index > kMaxContinuations) continue;
    if (std::any_of(pieces.begin(), pieces.end(), [&](const Piece& p) { return p.index == piece.index; })) continue;
    pieces.push_back(std::move(piece));
  }
  for (const std::string& base : order) {
    auto pieces_it = continued.find(base);
    if (pieces_it != continued.end() && !pieces_it->second.empty()) {
      auto& pieces = pieces_it->second;
      std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.index < b.index; });
      std::string charset;
      std::string bytes;
      for (std::size_t idx = 0; idx < pieces.size(); ++idx) {
        if (!pieces[idx].extended) {
          bytes += pieces[idx].value;
        } else if (idx == 0) {
          auto [declared, decoded] = SplitExtendedValue(pieces[idx].value);
          charset = std::move(declared);
          bytes += decoded;
        } else {
          bytes += PercentDecode(pieces[idx].value);
        }
      }
      std::string decoded = DecodeToUtf8(bytes, charset, context.where, context.warnings, context.charset_hint);
      field.params.emplace_back(base, std::string(Trim(OneLine(decoded))));
      continue;
    }
    auto simple_it = simple.find(base);
    if (simple_it == simple.end()) continue;
    // RFC 2047 inside a quoted parameter is forbidden and everywhere (Outlook, Gmail).
    field.params.emplace_back(base, DecodeText(simple_it->second, context));
  }
  return field;
}

std::vector<std::string> RawParamValues(std::string_view unfolded, std::string_view name) {
  std::vector<std::string> values;
  for (RawParam& param : SplitParams(unfolded).second) {
    if (param.name == name) {
      values.push_back(std::move(param.value));
    } else if (param.name.size() == name.size() + 1 && param.name.starts_with(name) && param.name.back() == '*') {
      values.push_back(SplitExtendedValue(param.value).second);
    }
  }
  return values;
}

std::string EncodeWords(std::string_view text) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // 39 bytes of UTF-8 make 52 base64 characters: "Subject: " plus one word fits 78 columns.
  constexpr std::size_t kChunkBytes = 39;
  std::string out;
  while (!text.empty()) {
    std::string_view chunk = Utf8Prefix(text, kChunkBytes);
    if (chunk.empty()) chunk = text.substr(0, 1);
    text.remove_prefix(chunk.size());
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    for (std::size_t pos = 0; pos < chunk.size(); pos += 3) {
      std::uint32_t bits = static_cast<std::uint32_t>(static_cast<unsigned char>(chunk[pos])) << 16;
      if (pos + 1 < chunk.size()) bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(chunk[pos + 1])) << 8;
      if (pos + 2 < chunk.size()) bits |= static_cast<unsigned char>(chunk[pos + 2]);
      out += kAlphabet[(bits >> 18) & 0x3F];
      out += kAlphabet[(bits >> 12) & 0x3F];
      out += pos + 1 < chunk.size() ? kAlphabet[(bits >> 6) & 0x3F] : '=';
      out += pos + 2 < chunk.size() ? kAlphabet[bits & 0x3F] : '=';
    }
    out += "?=";
  }
  return out;
}

}  // namespace kizuna::email::mime
