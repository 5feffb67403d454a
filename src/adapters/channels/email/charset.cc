#include "adapters/channels/email/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>
#include <utility>

#include "adapters/channels/email/nfc_compose.h"

namespace kizuna::email::mime {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
constexpr std::size_t kMaxWarnings = 40;
// Guessing an undeclared charset looks at this much text, cut at a line end.
constexpr std::size_t kGuessSampleBytes = 64 * 1024;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool HasEightBit(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool HasIso2022Escape(std::string_view bytes) {
  return bytes.find("\x1b$B") != std::string_view::npos || bytes.find("\x1b$@") != std::string_view::npos ||
         bytes.find("\x1b(J") != std::string_view::npos || bytes.find("\x1b(I") != std::string_view::npos;
}

bool IsValidUtf8Text(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t len = Utf8SequenceLength(text, pos);
    if (len == 0) return false;
    pos += len;
  }
  return true;
}

struct Converted {
  std::string text;
  std::size_t invalid = 0;  // bytes (or sequences) replaced with U+FFFD
};

// iconv to UTF-8; an invalid or truncated sequence becomes U+FFFD and skips one byte.
// nullopt when iconv does not know `from`.
std::optional<Converted> ConvertWithIconv(std::string_view bytes, const std::string& from) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  Converted out;
  out.text.reserve(bytes.size() + bytes.size() / 2 + 16);
  char buffer[16384];
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (in_left > 0) {
    char* out_ptr = buffer;
    std::size_t out_left = sizeof buffer;
    std::size_t rc = iconv(cd, &in, &in_left, &out_ptr, &out_left);
    out.text.append(buffer, static_cast<std::size_t>(out_ptr - buffer));
    if (rc != static_cast<std::size_t>(-1) || errno == E2BIG) continue;
    out.text += kReplacement;
    ++out.invalid;
    ++in;
    --in_left;
  }
  char* out_ptr = buffer;
  std::size_t out_left = sizeof buffer;
  iconv(cd, nullptr, nullptr, &out_ptr, &out_left);
  out.text.append(buffer, static_cast<std::size_t>(out_ptr - buffer));
  iconv_close(cd);
  return out;
}

// ISO-2022-JP (with the JIS X 0201 kana and JIS X 0212 sets clients use) rewritten as
// EUC-JP, so that EUC-JP-MS decodes it with the NEC and IBM extensions (①, ㈱) that
// Windows mail puts in ISO-2022-JP and glibc's ISO-2022-JP decoder refuses. A line end
// returns to ASCII, as every sender means it to.
std::string Iso2022JpToEucJp(std::string_view in) {
  enum class Mode { kAscii, kJisX0208, kKatakana, kJisX0212 };
  Mode mode = Mode::kAscii;
  std::string out;
  out.reserve(in.size());
  auto at = [&](std::size_t i) -> unsigned char { return i < in.size() ? static_cast<unsigned char>(in[i]) : 0; };
  for (std::size_t i = 0; i < in.size();) {
    unsigned char c = at(i);
    if (c == 0x1B) {
      std::string_view rest = in.substr(i);
      if (rest.starts_with("\x1b$B") || rest.starts_with("\x1b$@")) { mode = Mode::kJisX0208; i += 3; continue; }
      if (rest.starts_with("\x1b$(D")) { mode = Mode::kJisX0212; i += 4; continue; }
      if (rest.starts_with("\x1b$(Q") || rest.starts_with("\x1b$(O")) { mode = Mode::kJisX0208; i += 4; continue; }
      if (rest.starts_with("\x1b(B") || rest.starts_with("\x1b(J") || rest.starts_with("\x1b(H")) {
        mode = Mode::kAscii;
        i += 3;
        continue;
      }
      if (rest.starts_with("\x1b(I")) { mode = Mode::kKatakana; i += 3; continue; }
      out += '\xFF';  // an unknown escape: invalid in EUC-JP, so it is counted and replaced
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r') {
      mode = Mode::kAscii;
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    bool graphic = c >= 0x21 && c <= 0x7E;
    bool pair = graphic && at(i + 1) >= 0x21 && at(i + 1) <= 0x7E;
    switch (mode) {
      case Mode::kAscii:
        out += static_cast<char>(c);
        ++i;
        break;
      case Mode::kJisX0208:
      case Mode::kJisX0212:
        if (!pair) {
          out += graphic ? '\xFF' : static_cast<char>(c);
          ++i;
          break;
        }
        if (mode == Mode::kJisX0212) out += '\x8F';
        out += static_cast<char>(c | 0x80);
        out += static_cast<char>(at(i + 1) | 0x80);
        i += 2;
        break;
      case Mode::kKatakana:
        if (c >= 0x21 && c <= 0x5F) {
          out += '\x8E';
          out += static_cast<char>(c | 0x80);
        } else {
          out += static_cast<char>(c);
        }
        ++i;
        break;
    }
  }
  return out;
}

constexpr std::string_view kIso2022Jp = "ISO-2022-JP";

std::optional<Converted> Convert(std::string_view bytes, const std::string& iconv_name) {
  if (iconv_name == kIso2022Jp) return ConvertWithIconv(Iso2022JpToEucJp(bytes), "EUC-JP-MS");
  return ConvertWithIconv(bytes, iconv_name);
}

bool IsSingleByteCharset(const std::string& iconv_name) {
  return iconv_name.starts_with("CP125") || iconv_name.starts_with("ISO-8859") || iconv_name.starts_with("KOI8") ||
         iconv_name == "CP874" || iconv_name == "TIS-620" || iconv_name == "MACINTOSH";
}

std::string FriendlyName(const std::string& iconv_name) {
  if (iconv_name == "CP932") return "Shift_JIS";
  if (iconv_name == "EUC-JP-MS") return "EUC-JP";
  if (iconv_name == "CP949") return "EUC-KR";
  return iconv_name;
}

// How much decoded text looks like Japanese or Korean. Text garbled by the wrong decoder
// lands in half-width kana, lone jamo, private use and box drawing, which cost points.
struct Plausibility {
  long score = 0;
  long kana = 0;
  long hangul = 0;
  long ideographs = 0;
  bool odd = false;
};

Plausibility Score(std::string_view utf8) {
  Plausibility p;
  for (std::size_t pos = 0; pos < utf8.size();) {
    std::size_t len = Utf8SequenceLength(utf8, pos);
    if (len == 0) { ++pos; continue; }
    std::uint32_t cp = static_cast<unsigned char>(utf8[pos]);
    if (len > 1) {
      cp &= 0xFFu >> (len + 1);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[pos + k]) & 0x3F);
    }
    pos += len;
    if (cp < 0x80) continue;
    if ((cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF)) { p.score += 3; ++p.kana; }
    else if (cp >= 0xAC00 && cp <= 0xD7A3) { p.score += 3; ++p.hangul; }
    else if (cp >= 0x4E00 && cp <= 0x9FFF) { p.score += 1; ++p.ideographs; }
    else if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF5E)) p.score += 1;
    else if (cp >= 0xFF61 && cp <= 0xFF9F) { p.score -= 1; p.odd = true; }
    else if (cp >= 0x3130 && cp <= 0x318F) { p.score -= 2; p.odd = true; }
    else if (cp >= 0xE000 && cp <= 0xF8FF) { p.score -= 3; p.odd = true; }
    else if (cp >= 0x2500 && cp <= 0x257F) { p.score -= 1; p.odd = true; }
    else if (cp >= 0x0370 && cp <= 0x04FF) { p.score -= 1; p.odd = true; }
    else if (cp == 0xFFFD) p.score -= 3;
  }
  return p;
}

bool Plausible(const Plausibility& p) {
  if (p.kana > 0 || p.hangul > 0) return p.score > 0;
  return p.ideographs >= 2 && !p.odd;
}

// Byte pairs in CP949's extension area (a lead or trail byte below 0xA1): the 8,822
// syllables EUC-KR lacks. Real Korean text rarely needs them, but Shift_JIS text read as
// CP949 is made of nothing else.
long UhcExtensionPairs(std::string_view bytes) {
  long pairs = 0;
  for (std::size_t pos = 0; pos < bytes.size();) {
    auto lead = static_cast<unsigned char>(bytes[pos]);
    if (lead < 0x80 || pos + 1 >= bytes.size()) {
      ++pos;
      continue;
    }
    auto trail = static_cast<unsigned char>(bytes[pos + 1]);
    if (lead < 0xA1 || trail < 0xA1) ++pairs;
    pos += 2;
  }
  return pairs;
}

struct Guess {
  std::string iconv_name;
  Converted sample;
  Plausibility plausibility;
};

std::string_view SampleOf(std::string_view bytes) {
  if (bytes.size() <= kGuessSampleBytes) return bytes;
  std::string_view head = bytes.substr(0, kGuessSampleBytes);
  std::size_t line_end = head.rfind('\n');
  return line_end == std::string_view::npos || line_end == 0 ? head : head.substr(0, line_end + 1);
}

// The best of the East Asian charsets mail goes out in for 8-bit text that is not UTF-8.
std::optional<Guess> GuessCharset(std::string_view bytes, std::string_view hint) {
  std::vector<std::string> candidates;
  std::string hinted = IconvNameFor(hint);
  if (!hinted.empty() && !IsSingleByteCharset(hinted) && hinted != "UTF-8") candidates.push_back(hinted);
  if (HasIso2022Escape(bytes)) candidates.emplace_back(kIso2022Jp);
  for (const char* name : {"CP932", "EUC-JP-MS", "CP949"}) candidates.emplace_back(name);
  std::string_view sample = SampleOf(bytes);
  std::optional<Guess> best;
  for (std::size_t idx = 0; idx < candidates.size(); ++idx) {
    const std::string& name = candidates[idx];
    if (std::find(candidates.begin(), candidates.begin() + static_cast<long>(idx), name) !=
        candidates.begin() + static_cast<long>(idx)) {
      continue;
    }
    auto converted = Convert(sample, name);
    if (!converted) continue;
    Guess guess{name, std::move(*converted), {}};
    guess.plausibility = Score(guess.sample.text);
    if (name == "CP949") guess.plausibility.score -= 4 * UhcExtensionPairs(sample);
    if (!Plausible(guess.plausibility)) continue;
    // Fewer invalid bytes first; then the more plausible; the hint wins ties by coming first.
    if (!best || guess.sample.invalid < best->sample.invalid ||
        (guess.sample.invalid == best->sample.invalid && guess.plausibility.score > best->plausibility.score)) {
      best = std::move(guess);
    }
  }
  return best;
}

std::string Where(std::string_view where) { return where.empty() ? std::string("text") : std::string(where); }

std::string ReplaceInvalid(std::string_view bytes, std::string_view where, std::vector<std::string>& warnings,
                           const std::string& reason) {
  std::string text(bytes);
  std::size_t replaced = RepairUtf8(text);
  if (replaced > 0) {
    AddWarning(warnings, reason + ": " + std::to_string(replaced) + " invalid byte(s) in " + Where(where) +
                             " replaced with U+FFFD");
  }
  return text;
}

// 8-bit text with no usable label: UTF-8, else a plausible East Asian charset, else U+FFFD.
std::string DecodeUndeclared(std::string_view bytes, std::string_view where, std::vector<std::string>& warnings,
                             std::string_view hint, const std::string& why) {
  if (IsValidUtf8Text(bytes)) return std::string(bytes);
  // Raw 8-bit headers are in the charset the client wrote the body in.
  std::string hinted = IconvNameFor(hint);
  if (IsSingleByteCharset(hinted)) {
    if (auto converted = Convert(bytes, hinted)) {
      AddWarning(warnings, why + ": " + Where(where) + " decoded as " + Lower(hint));
      return std::move(converted->text);
    }
  }
  if (auto guess = GuessCharset(bytes, hint)) {
    std::size_t sample_invalid = guess->sample.invalid;
    std::size_t eight_bit = static_cast<std::size_t>(std::count_if(
        bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }));
    if (sample_invalid * 50 <= eight_bit) {
      auto full = Convert(bytes, guess->iconv_name);
      if (full) {
        std::string note = why + ": " + Where(where) + " decoded as " + FriendlyName(guess->iconv_name);
        if (full->invalid > 0) note += ", " + std::to_string(full->invalid) + " invalid byte(s) replaced";
        AddWarning(warnings, note);
        return std::move(full->text);
      }
    }
  }
  return ReplaceInvalid(bytes, where, warnings, why);
}

std::string Decode(std::string_view bytes, std::string_view label, std::string_view where,
                   std::vector<std::string>& warnings, std::string_view hint) {
  std::string lower = Lower(label);
  std::string iconv_name = IconvNameFor(label);
  bool undeclared = lower.empty() || iconv_name == "US-ASCII";
  bool wide = iconv_name.starts_with("UTF-16") || iconv_name.starts_with("UTF-32") || iconv_name.starts_with("UCS");
  if (!wide && !HasEightBit(bytes) && (iconv_name != kIso2022Jp && !(undeclared && HasIso2022Escape(bytes)))) {
    if (iconv_name.empty() || undeclared || iconv_name == "UTF-8" || IsSingleByteCharset(iconv_name) ||
        iconv_name == "CP932" || iconv_name == "EUC-JP-MS" || iconv_name == "CP949") {
      return std::string(bytes);  // ASCII reads the same in all of these
    }
  }
  if (iconv_name == "UTF-8") {
    if (IsValidUtf8Text(bytes)) return std::string(bytes);
    // Shift_JIS or EUC-KR sent as "utf-8" happens; only a clean, plausible guess overrides it.
    if (auto guess = GuessCharset(bytes, hint); guess && guess->sample.invalid == 0) {
      if (auto full = Convert(bytes, guess->iconv_name); full && full->invalid == 0) {
        AddWarning(warnings, Where(where) + " labelled utf-8 is " + FriendlyName(guess->iconv_name));
        return std::move(full->text);
      }
    }
    return ReplaceInvalid(bytes, where, warnings, "invalid UTF-8");
  }
  if (undeclared) {
    std::string why = lower.empty() ? "no charset declared" : "8-bit text labelled " + lower;
    if (!HasEightBit(bytes)) {
      // 7-bit but escaped: ISO-2022-JP without a label.
      if (auto converted = Convert(bytes, std::string(kIso2022Jp)); converted && converted->invalid == 0) {
        AddWarning(warnings, why + ": " + Where(where) + " decoded as ISO-2022-JP");
        return std::move(converted->text);
      }
      return std::string(bytes);
    }
    if (IsValidUtf8Text(bytes)) {
      if (!lower.empty()) AddWarning(warnings, Where(where) + " labelled " + lower + " is UTF-8");
      return std::string(bytes);
    }
    return DecodeUndeclared(bytes, where, warnings, hint, why);
  }
  if (iconv_name.empty()) {
    return DecodeUndeclared(bytes, where, warnings, hint, "malformed charset label");
  }
  if (IsSingleByteCharset(iconv_name) && HasEightBit(bytes) && IsValidUtf8Text(bytes)) {
    // Real Latin-1 text is almost never valid UTF-8; valid UTF-8 under a Latin label is UTF-8.
    AddWarning(warnings, Where(where) + " labelled " + lower + " is UTF-8");
    return std::string(bytes);
  }
  if (iconv_name == kIso2022Jp && HasEightBit(bytes)) {
    return DecodeUndeclared(bytes, where, warnings, hint, "8-bit text labelled iso-2022-jp");
  }
  auto converted = Convert(bytes, iconv_name);
  if (!converted) {
    std::string why = "unknown charset '" + lower + "'";
    AddWarning(warnings, why + " in " + Where(where));
    return DecodeUndeclared(bytes, where, warnings, hint, why);
  }
  if (converted->invalid == 0) return std::move(converted->text);
  if (IsValidUtf8Text(bytes)) {
    AddWarning(warnings, Where(where) + " labelled " + lower + " is UTF-8");
    return std::string(bytes);
  }
  if (auto guess = GuessCharset(bytes, {}); guess && guess->iconv_name != iconv_name && guess->sample.invalid == 0) {
    if (auto full = Convert(bytes, guess->iconv_name); full && full->invalid == 0) {
      AddWarning(warnings, Where(where) + " labelled " + lower + " is " + FriendlyName(guess->iconv_name));
      return std::move(full->text);
    }
  }
  AddWarning(warnings, std::to_string(converted->invalid) + " invalid byte(s) for " + lower + " in " + Where(where) +
                           " replaced with U+FFFD");
  return std::move(converted->text);
}

}  // namespace

void AddWarning(std::vector<std::string>& warnings, std::string message) {
  if (std::find(warnings.begin(), warnings.end(), message) != warnings.end()) return;
  if (warnings.size() == kMaxWarnings) {
    warnings.emplace_back("more repairs not listed");
    return;
  }
  if (warnings.size() > kMaxWarnings) return;
  RepairUtf8(message);
  warnings.push_back(std::move(message));
}

std::size_t Utf8SequenceLength(std::string_view text, std::size_t pos) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  std::size_t len = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) len = 2;
  else if (lead == 0xE0) { len = 3; low = 0xA0; }
  else if (lead >= 0xE1 && lead <= 0xEC) len = 3;
  else if (lead == 0xED) { len = 3; high = 0x9F; }
  else if (lead >= 0xEE && lead <= 0xEF) len = 3;
  else if (lead == 0xF0) { len = 4; low = 0x90; }
  else if (lead >= 0xF1 && lead <= 0xF3) len = 4;
  else if (lead == 0xF4) { len = 4; high = 0x8F; }
  else return 0;
  if (pos + len > text.size()) return 0;
  if (byte(pos + 1) < low || byte(pos + 1) > high) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if ((byte(pos + k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

std::size_t RepairUtf8(std::string& text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t len = Utf8SequenceLength(text, pos);
    if (len == 0) break;
    pos += len;
  }
  if (pos == text.size()) return 0;
  std::string out(text, 0, pos);
  out.reserve(text.size() + 16);
  std::size_t replaced = 0;
  while (pos < text.size()) {
    std::size_t len = Utf8SequenceLength(text, pos);
    if (len == 0) {
      out += kReplacement;
      ++replaced;
      ++pos;
    } else {
      out.append(text, pos, len);
      pos += len;
    }
  }
  text = std::move(out);
  return replaced;
}

std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string IconvNameFor(std::string_view label) {
  std::string lower = Lower(label);
  while (!lower.empty() && (lower.back() == ' ' || lower.back() == '"' || lower.back() == '\'')) lower.pop_back();
  std::size_t start = lower.find_first_not_of(" \"'");
  lower = start == std::string::npos ? std::string() : lower.substr(start);
  if (lower.empty() || lower.size() > 40) return {};
  for (char c : lower) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':' ||
              c == '+' || c == '(' || c == ')';
    if (!ok) return {};
  }
  struct Alias {
    std::string_view label;
    std::string_view iconv;
  };
  static constexpr Alias kAliases[] = {
      {"utf-8", "UTF-8"}, {"utf8", "UTF-8"}, {"unicode-1-1-utf-8", "UTF-8"}, {"x-unicode20utf8", "UTF-8"},
      {"us-ascii", "US-ASCII"}, {"ascii", "US-ASCII"}, {"ansi_x3.4-1968", "US-ASCII"}, {"iso646-us", "US-ASCII"},
      {"unknown-8bit", "US-ASCII"}, {"x-unknown", "US-ASCII"}, {"unknown", "US-ASCII"}, {"default", "US-ASCII"},
      {"iso-2022-jp", kIso2022Jp}, {"csiso2022jp", kIso2022Jp}, {"iso-2022-jp-ms", kIso2022Jp},
      {"cp50220", kIso2022Jp}, {"cp50221", kIso2022Jp}, {"cp50222", kIso2022Jp}, {"jis", kIso2022Jp},
      {"shift_jis", "CP932"}, {"shift-jis", "CP932"}, {"sjis", "CP932"}, {"x-sjis", "CP932"},
      {"ms_kanji", "CP932"}, {"csshiftjis", "CP932"}, {"windows-31j", "CP932"}, {"cp932", "CP932"},
      {"ms932", "CP932"}, {"x-ms-cp932", "CP932"},
      {"euc-jp", "EUC-JP-MS"}, {"x-euc-jp", "EUC-JP-MS"}, {"eucjp", "EUC-JP-MS"}, {"euc-jp-ms", "EUC-JP-MS"},
      {"eucjp-ms", "EUC-JP-MS"}, {"cseucpkdfmtjapanese", "EUC-JP-MS"}, {"cp51932", "EUC-JP-MS"},
      {"euc-kr", "CP949"}, {"ks_c_5601-1987", "CP949"}, {"ks_c_5601", "CP949"}, {"ks_c_5601-1989", "CP949"},
      {"ksc5601", "CP949"}, {"ksc_5601", "CP949"}, {"csksc56011987", "CP949"}, {"korean", "CP949"},
      {"cseuckr", "CP949"}, {"cp949", "CP949"}, {"windows-949", "CP949"}, {"x-windows-949", "CP949"},
      {"uhc", "CP949"}, {"ms949", "CP949"}, {"iso-ir-149", "CP949"},
      {"iso-8859-1", "CP1252"}, {"iso8859-1", "CP1252"}, {"iso_8859-1", "CP1252"}, {"latin1", "CP1252"},
      {"l1", "CP1252"}, {"cp819", "CP1252"}, {"ibm819", "CP1252"}, {"windows-1252", "CP1252"},
      {"cp1252", "CP1252"}, {"x-cp1252", "CP1252"},
      {"windows-1258", "CP1258"}, {"cp1258", "CP1258"}, {"x-cp1258", "CP1258"},
      {"gb2312", "GB18030"}, {"gbk", "GB18030"}, {"cp936", "GB18030"}, {"x-gbk", "GB18030"},
      {"euc-cn", "GB18030"}, {"csgb2312", "GB18030"}, {"gb18030", "GB18030"},
      {"big5", "BIG5-HKSCS"}, {"big5-hkscs", "BIG5-HKSCS"}, {"cn-big5", "BIG5-HKSCS"}, {"x-x-big5", "BIG5-HKSCS"},
      {"windows-874", "CP874"}, {"tis-620", "CP874"}, {"iso-8859-11", "CP874"},
  };
  for (const Alias& alias : kAliases) {
    if (alias.label == lower) return std::string(alias.iconv);
  }
  if (lower.starts_with("windows-125")) return "CP125" + lower.substr(11);
  std::string upper = lower;
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return upper;
}

std::string DecodeToUtf8(std::string_view bytes, std::string_view label, std::string_view where,
                         std::vector<std::string>& warnings, std::string_view hint) {
  std::string text = Decode(bytes, label, where, warnings, hint);
  RepairUtf8(text);  // belt and braces: every path above already yields UTF-8
  return ComposeNfc(text);
}

}  // namespace kizuna::email::mime
