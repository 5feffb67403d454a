#include "engines/email_text.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

#include "core/text.h"

namespace kizuna {
namespace {

// ---------------------------------------------------------------------------------------------
// Small UTF-8 helpers. Full-width forms are matched as their UTF-8 bytes.

constexpr std::string_view kIdeographicSpace = "\u3000";
constexpr std::string_view kNoBreakSpace = "\u00a0";

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The byte length of a space (ASCII, NBSP, U+3000) at the start of `text`, or 0.
std::size_t SpaceAt(std::string_view text) {
  if (text.empty()) return 0;
  if (IsAsciiSpace(text[0])) return 1;
  if (text.starts_with(kNoBreakSpace)) return kNoBreakSpace.size();
  if (text.starts_with(kIdeographicSpace)) return kIdeographicSpace.size();
  return 0;
}

// The byte length of a space ending `text`, or 0.
std::size_t SpaceBefore(std::string_view text) {
  if (text.empty()) return 0;
  if (IsAsciiSpace(text.back())) return 1;
  if (text.ends_with(kNoBreakSpace)) return kNoBreakSpace.size();
  if (text.ends_with(kIdeographicSpace)) return kIdeographicSpace.size();
  return 0;
}

std::string_view TrimView(std::string_view text) {
  while (std::size_t n = SpaceAt(text)) text.remove_prefix(n);
  while (std::size_t n = SpaceBefore(text)) text.remove_suffix(n);
  return text;
}

bool IsBlank(std::string_view line) { return TrimView(line).empty(); }

// The byte length of a colon (":" or full-width "：") at the start of `text`, or 0.
std::size_t ColonAt(std::string_view text) {
  if (text.starts_with(':')) return 1;
  if (text.starts_with("\uff1a")) return 3;
  return 0;
}

std::string_view StripTrailingColon(std::string_view text) {
  if (text.ends_with(':')) return text.substr(0, text.size() - 1);
  if (text.ends_with("\uff1a")) return text.substr(0, text.size() - 3);
  return text;
}

// `text` with every space removed and ASCII letters lower-cased: "Original Message" and
// "원본 메시지" compare as "originalmessage" and "원본메시지".
std::string Squeeze(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    if (std::size_t n = SpaceAt(text)) {
      text.remove_prefix(n);
      continue;
    }
    char c = text.front();
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    text.remove_prefix(1);
  }
  return out;
}

template <std::size_t N>
bool IsOneOf(std::string_view value, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return ToLowerAscii(text.substr(0, prefix.size())) == prefix;
}

// ---------------------------------------------------------------------------------------------
// Quoted history.

bool IsQuoted(std::string_view line) {
  std::string_view trimmed = TrimView(line);
  return trimmed.starts_with('>');
}

// Dashes and bars mail clients draw lines with: ― — – ─ ━ －.
constexpr std::string_view kWideSeparators[] = {"\u2015", "\u2014", "\u2013", "\u2500", "\u2501", "\uff0d"};

// The byte length of a separator character (- _ = or a wide one) at the start of `text`, or 0.
std::size_t SeparatorAt(std::string_view text) {
  if (text.empty()) return 0;
  if (text[0] == '-' || text[0] == '_' || text[0] == '=') return 1;
  for (std::string_view wide : kWideSeparators) {
    if (text.starts_with(wide)) return wide.size();
  }
  return 0;
}

std::size_t SeparatorBefore(std::string_view text) {
  if (text.empty()) return 0;
  if (text.back() == '-' || text.back() == '_' || text.back() == '=') return 1;
  for (std::string_view wide : kWideSeparators) {
    if (text.ends_with(wide)) return wide.size();
  }
  return 0;
}

// The squeezed label of a separator line such as "-----Original Message-----" (at least two
// separator characters first), or empty.
std::string SeparatorLabel(std::string_view trimmed) {
  if (trimmed.size() > 200) return {};
  int leading = 0;
  while (std::size_t n = SeparatorAt(trimmed)) {
    trimmed.remove_prefix(n);
    ++leading;
  }
  if (leading < 2) return {};
  while (std::size_t n = SeparatorBefore(trimmed)) trimmed.remove_suffix(n);
  return Squeeze(StripTrailingColon(TrimView(trimmed)));
}

constexpr std::string_view kOriginalMessageLabels[] = {
    "originalmessage", "original", "元のメッセージ", "オリジナルメッセージ", "원본메시지", "원본메일", "thưgốc",
    "messaged'origine", "ursprünglichenachricht", "mensajeoriginal", "messaggiooriginale", "mensagemoriginal",
    "原始邮件",
};

constexpr std::string_view kForwardedLabels[] = {
    "forwardedmessage", "転送メッセージ", "転送されたメッセージ", "전달된메시지", "전달메시지", "thưđượcchuyểntiếp",
    "thưđãchuyểntiếp", "messagetransféré", "weitergeleitetenachricht", "mensajereenviado", "转发的邮件",
};

// Whole lines that open a forwarded message (Apple Mail and its localisations), squeezed.
constexpr std::string_view kForwardLines[] = {
    "beginforwardedmessage", "転送されたメッセージ", "전달된메시지", "bắtđầuthưđượcchuyểntiếp",
    "débutdumessageréexpédié", "anfangderweitergeleitetennachricht",
};

// The squeezed label of a header line ("From: …", "*差出人:* …", "보낸사람 : …"), or empty.
std::string HeaderLabel(std::string_view trimmed) {
  while (trimmed.starts_with('*')) trimmed.remove_prefix(1);
  std::size_t limit = std::min<std::size_t>(trimmed.size(), 48);
  for (std::size_t pos = 0; pos < limit; ++pos) {
    if (ColonAt(trimmed.substr(pos))) {
      std::string label = Squeeze(trimmed.substr(0, pos));
      std::erase(label, '*');
      return label;
    }
  }
  return {};
}

constexpr std::string_view kFromLabels[] = {"from", "差出人", "送信者", "보낸사람", "từ", "de", "von"};

constexpr std::string_view kOtherHeaderLabels[] = {
    "sent", "date", "to", "cc", "bcc", "subject", "reply-to",                  // en
    "送信日時", "送信日", "日付", "日時", "宛先", "件名",                         // ja
    "보낸날짜", "날짜", "받는사람", "제목", "참조", "숨은참조",                  // ko
    "Đãgửi", "đãgửi", "ngày", "Đến", "đến", "chủđề", "tiêuđề",                 // vi
    "envoyé", "à", "objet", "gesendet", "an", "betreff", "enviado", "para",   // fr, de, es
    "asunto", "fecha",
};

bool IsFromHeader(std::string_view trimmed) { return IsOneOf(HeaderLabel(trimmed), kFromLabels); }

// The index of the first non-blank line at or after `from`, or lines.size().
std::size_t NextNonBlank(const std::vector<std::string_view>& lines, std::size_t from) {
  while (from < lines.size() && IsBlank(lines[from])) ++from;
  return from;
}

// A From: line followed by at least two more header lines among the next six non-blank.
bool StartsHeaderBlock(const std::vector<std::string_view>& lines, std::size_t line_idx) {
  if (!IsFromHeader(TrimView(lines[line_idx]))) return false;
  int headers = 0;
  std::size_t next = line_idx + 1;
  for (int seen = 0; seen < 6; ++seen) {
    next = NextNonBlank(lines, next);
    if (next >= lines.size()) break;
    if (IsOneOf(HeaderLabel(TrimView(lines[next])), kOtherHeaderLabels) && ++headers >= 2) return true;
    ++next;
  }
  return false;
}

enum class Evidence { kNone, kWeak, kStrong };

bool StartsWithOnWord(std::string_view trimmed) {
  while (!trimmed.empty() && (trimmed.front() == '-' || IsAsciiSpace(trimmed.front()))) trimmed.remove_prefix(1);
  static constexpr std::string_view kOnWords[] = {"on ", "vào ", "le ", "am ", "el "};
  for (std::string_view word : kOnWords) {
    if (StartsWithIgnoreCase(trimmed, word)) return true;
  }
  return false;
}

// "2026年…", "2026년…", "2026/11/20 …", "2026-11-20 …", "20/11/2026 …", "23.11.2026 …".
bool StartsWithDate(std::string_view trimmed) {
  std::size_t digits = 0;
  while (digits < trimmed.size() && IsAsciiDigit(trimmed[digits])) ++digits;
  if (digits == 0 || digits > 4 || digits == trimmed.size()) return false;
  std::string_view after = trimmed.substr(digits);
  if (digits == 4 && (after.starts_with("年") || after.starts_with("년"))) return true;
  return (after[0] == '/' || after[0] == '.' || after[0] == '-') && after.size() > 1 && IsAsciiDigit(after[1]);
}

// A clock time "10:00" anywhere in `text`: every client's attribution has one.
bool HasTime(std::string_view text) {
  for (std::size_t pos = 1; pos + 2 < text.size(); ++pos) {
    if (text[pos] == ':' && IsAsciiDigit(text[pos - 1]) && IsAsciiDigit(text[pos + 1]) && IsAsciiDigit(text[pos + 2])) {
      return true;
    }
  }
  return false;
}

// How much `trimmed` (one line, or two joined) looks like "On <date>, <name> wrote:".
// Strong needs a time, a leading date, a leading "On " or an address (not for "…<addr>:",
// which "Please write to <billing@example.com>:" also ends with, nor for "…のメール:",
// which "11月20日のメール:" above a pasted mail also ends with).
Evidence AttributionEvidence(std::string_view trimmed) {
  if (trimmed.size() > 400) return Evidence::kNone;
  std::string_view body = StripTrailingColon(trimmed);
  if (body.size() == trimmed.size()) return Evidence::kNone;
  body = TrimView(body);
  const std::string lower = ToLowerAscii(body);
  const bool dated = HasTime(body) || StartsWithDate(body) || StartsWithOnWord(body);
  const bool has_at = body.find('@') != std::string_view::npos;

  if (lower.ends_with('>')) {
    std::size_t open = lower.rfind('<');
    if (open == std::string::npos || lower.find('@', open) == std::string::npos) return Evidence::kNone;
    return dated ? Evidence::kStrong : Evidence::kWeak;
  }
  if (lower.ends_with("さんは書きました")) return Evidence::kStrong;
  if (lower.ends_with("のメール")) return dated || has_at ? Evidence::kStrong : Evidence::kWeak;
  static constexpr std::string_view kEndings[] = {
      "wrote", "書きました", "작성", "작성함", "viết", "a écrit", "escribió", "ha scritto", "escreveu",
  };
  bool ends = false;
  for (std::string_view ending : kEndings) {
    if (lower.ends_with(ending)) ends = true;
  }
  if (!ends) return Evidence::kNone;
  return dated || has_at ? Evidence::kStrong : Evidence::kWeak;
}

// Whether `trimmed` could be the first line of an attribution the mail client wrapped:
// "On <date> …", a date, or an address cut after its "<".
bool CouldStartAttribution(std::string_view trimmed) {
  if (StartsWithOnWord(trimmed) && std::any_of(trimmed.begin(), trimmed.end(), IsAsciiDigit)) return true;
  if (StartsWithDate(trimmed)) return true;
  std::size_t open = trimmed.rfind('<');
  return open != std::string_view::npos && trimmed.find('>', open) == std::string_view::npos;
}

enum class Start { kNone, kHistory, kAttribution, kForward };

struct Marker {
  Start start = Start::kNone;
  std::size_t lines = 1;  // how many lines the marker itself spans
};

// What starts at an unquoted, non-blank line, not counting weak attributions.
Marker ClassifyLine(const std::vector<std::string_view>& lines, std::size_t line_idx) {
  std::string_view trimmed = TrimView(lines[line_idx]);

  std::string label = SeparatorLabel(trimmed);
  if (!label.empty()) {
    if (IsOneOf(label, kOriginalMessageLabels)) return {Start::kHistory, 1};
    if (IsOneOf(label, kForwardedLabels)) return {Start::kForward, 1};
  }
  if (trimmed.size() <= 80) {
    std::string squeezed = Squeeze(StripTrailingColon(trimmed));
    if (IsOneOf(squeezed, kForwardLines)) return {Start::kForward, 1};
    if (squeezed.size() >= 8 && squeezed.find_first_not_of('_') == std::string::npos) {
      std::size_t next = NextNonBlank(lines, line_idx + 1);
      if (next < lines.size() && IsFromHeader(TrimView(lines[next]))) return {Start::kHistory, 1};
    }
  }
  if (StartsHeaderBlock(lines, line_idx)) return {Start::kHistory, 1};

  if (AttributionEvidence(trimmed) == Evidence::kStrong) return {Start::kAttribution, 1};
  // A wrapped attribution joins with the next line, unless that line starts one itself.
  if (line_idx + 1 < lines.size() && trimmed.size() <= 300 && CouldStartAttribution(trimmed)) {
    std::string_view second = TrimView(lines[line_idx + 1]);
    if (!second.empty() && !second.starts_with('>') && !CouldStartAttribution(second)) {
      std::string joined = std::string(trimmed) + " " + std::string(second);
      if (AttributionEvidence(joined) == Evidence::kStrong) return {Start::kAttribution, 2};
    }
  }
  return {};
}

// The lines of `text` split at "\n" (the text already has "\r\n" and "\r" turned into "\n").
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (true) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(begin));
      break;
    }
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return lines;
}

std::string NormaliseLineEnds(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '\r') {
      out.push_back('\n');
      if (pos + 1 < text.size() && text[pos + 1] == '\n') ++pos;
    } else {
      out.push_back(text[pos]);
    }
  }
  return out;
}

// Collects kept lines, dropping quoted ones and the blank lines a dropped quote leaves
// doubled.
class KeptLines {
 public:
  void Add(std::string_view line) {
    if (IsQuoted(line)) {
      after_quote_ = true;
      return;
    }
    if (IsBlank(line)) {
      if (after_quote_ && (lines_.empty() || IsBlank(lines_.back()))) return;
    } else {
      after_quote_ = false;
    }
    lines_.push_back(line);
  }
  void AddVerbatim(std::string_view line) { lines_.push_back(line); }

  // The kept lines joined by "\n", without leading blank lines and trailing whitespace.
  std::string Join() const {
    std::size_t first = 0;
    while (first < lines_.size() && IsBlank(lines_[first])) ++first;
    std::string out;
    for (std::size_t line_idx = first; line_idx < lines_.size(); ++line_idx) {
      if (line_idx > first) out.push_back('\n');
      out.append(lines_[line_idx]);
    }
    while (std::size_t n = SpaceBefore(out)) out.resize(out.size() - n);
    return out;
  }

 private:
  std::vector<std::string_view> lines_;
  bool after_quote_ = false;
};

}  // namespace

std::string StripQuotedHistory(std::string_view text) {
  const std::string normalised = NormaliseLineEnds(text);
  const std::vector<std::string_view> lines = SplitLines(normalised);
  const std::size_t n = lines.size();

  // next_text[i]: the first unquoted, non-blank line at or after i (n when none), to confirm
  // a weak attribution ("Ana wrote:") by what follows it in O(1).
  std::vector<std::size_t> next_text(n + 1, n);
  for (std::size_t line_idx = n; line_idx-- > 0;) {
    bool text_line = !IsBlank(lines[line_idx]) && !IsQuoted(lines[line_idx]);
    next_text[line_idx] = text_line ? line_idx : next_text[line_idx + 1];
  }

  auto find_start = [&](std::size_t from) -> std::pair<std::size_t, Marker> {
    for (std::size_t line_idx = next_text[from]; line_idx < n; line_idx = next_text[line_idx + 1]) {
      Marker marker = ClassifyLine(lines, line_idx);
      if (marker.start != Start::kNone) return {line_idx, marker};
      if (AttributionEvidence(TrimView(lines[line_idx])) == Evidence::kWeak) {
        std::size_t after = next_text[line_idx + 1];
        if (after == n || ClassifyLine(lines, after).start != Start::kNone) {
          return {line_idx, Marker{Start::kAttribution, 1}};
        }
      }
    }
    return {n, Marker{}};
  };

  auto [start_idx, marker] = find_start(0);
  KeptLines kept;
  for (std::size_t line_idx = 0; line_idx < start_idx; ++line_idx) kept.Add(lines[line_idx]);

  if (marker.start == Start::kForward) {
    for (std::size_t line_idx = start_idx; line_idx < n; ++line_idx) kept.AddVerbatim(lines[line_idx]);
  } else if (marker.start == Start::kAttribution && next_text[0] == start_idx) {
    // Nothing new above the attribution: a bottom-posted or inline answer. The new part is
    // what is not quoted between the attribution's ">" block and the next history start.
    std::size_t body = start_idx + marker.lines;
    std::size_t first = NextNonBlank(lines, body);
    if (first < n && IsQuoted(lines[first])) {
      std::size_t end = find_start(body).first;
      for (std::size_t line_idx = body; line_idx < end; ++line_idx) kept.Add(lines[line_idx]);
    }
  }

  std::string result = kept.Join();
  if (result.empty()) return TrimSpaces(normalised);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Subjects.

namespace {

struct TicketRef {
  std::size_t begin = 0;  // byte offsets in the subject, [begin, end)
  std::size_t end = 0;
  std::int64_t number = 0;
};

std::size_t OpenBracketAt(std::string_view text) {
  if (text.starts_with('[')) return 1;
  if (text.starts_with("\uff3b")) return 3;
  return 0;
}

std::size_t CloseBracketAt(std::string_view text) {
  if (text.starts_with(']')) return 1;
  if (text.starts_with("\uff3d")) return 3;
  return 0;
}

std::size_t HashAt(std::string_view text) {
  if (text.starts_with('#')) return 1;
  if (text.starts_with("\uff03")) return 3;
  return 0;
}

// The value of an ASCII or full-width digit at the start of `text` and its byte length.
std::pair<int, std::size_t> DigitAt(std::string_view text) {
  if (!text.empty() && IsAsciiDigit(text[0])) return {text[0] - '0', 1};
  // U+FF10..U+FF19 are EF BC 90..99.
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF && static_cast<unsigned char>(text[1]) == 0xBC) {
    auto third = static_cast<unsigned char>(text[2]);
    if (third >= 0x90 && third <= 0x99) return {third - 0x90, 3};
  }
  return {-1, 0};
}

std::size_t SkipSpaces(std::string_view text, std::size_t pos) {
  while (std::size_t n = SpaceAt(text.substr(pos))) pos += n;
  return pos;
}

// The well-formed "[#123]" references in `subject`, in order.
std::vector<TicketRef> FindTicketRefs(std::string_view subject) {
  std::vector<TicketRef> refs;
  std::size_t pos = 0;
  while (pos < subject.size()) {
    std::size_t open = OpenBracketAt(subject.substr(pos));
    if (open == 0) {
      ++pos;
      continue;
    }
    std::size_t cursor = SkipSpaces(subject, pos + open);
    std::size_t hash = HashAt(subject.substr(cursor));
    if (hash == 0) {
      pos += open;
      continue;
    }
    cursor += hash;
    std::int64_t number = 0;
    int significant_digits = 0;
    int digits = 0;
    while (true) {
      auto [digit, length] = DigitAt(subject.substr(cursor));
      if (length == 0) break;
      ++digits;
      if (number > 0 || digit > 0) ++significant_digits;
      // 17 significant digits already exceed 10^15; stop growing to stay in range.
      if (significant_digits <= 17) number = number * 10 + digit;
      cursor += length;
    }
    cursor = SkipSpaces(subject, cursor);
    std::size_t close = digits > 0 ? CloseBracketAt(subject.substr(cursor)) : 0;
    if (close == 0) {
      pos += open;
      continue;
    }
    cursor += close;
    if (significant_digits <= 16 && number >= 1 && number <= kMaxMailTicketNumber) {
      refs.push_back(TicketRef{pos, cursor, number});
    }
    pos = cursor;
  }
  return refs;
}

// Reply and forward prefixes, with ASCII lower-cased (so "RÉF" is "rÉf").
constexpr std::string_view kSubjectPrefixes[] = {
    "re", "fw", "fwd", "aw", "wg", "sv", "tr", "rv", "réf", "rÉf", "antw",  // en, de, nordic, fr, es, nl
    "返信", "転送",                                                          // ja
    "답장", "전달", "회신",                                                  // ko
    "trả lời", "trẢ lỜi", "tl", "chuyển tiếp", "chuyỂn tiẾp",               // vi
    "回复", "回覆", "答复", "转发", "轉寄",                                  // zh
};

// The byte length of a reply/forward prefix ("Re:", "RE :", "Re[2]:", "返信：") at the start of
// `text`, or 0.
std::size_t ReplyPrefixAt(std::string_view text) {
  std::size_t limit = std::min<std::size_t>(text.size(), 40);
  std::size_t colon_pos = std::string_view::npos;
  std::size_t colon_len = 0;
  for (std::size_t pos = 0; pos < limit; ++pos) {
    if ((colon_len = ColonAt(text.substr(pos))) != 0) {
      colon_pos = pos;
      break;
    }
  }
  if (colon_pos == std::string_view::npos || colon_pos == 0) return 0;
  std::string_view word = text.substr(0, colon_pos);
  while (!word.empty() && word.back() == ' ') word.remove_suffix(1);
  // A counter: "Re[2]", "Re(2)", "Re^2".
  auto strip_counter = [&word](char open, char close) {
    if (close != '\0' && !word.ends_with(close)) return;
    std::size_t open_pos = word.rfind(open);
    if (open_pos == std::string_view::npos || open_pos == 0) return;
    std::string_view digits = word.substr(open_pos + 1, word.size() - open_pos - 1 - (close != '\0' ? 1 : 0));
    if (digits.empty() || digits.size() > 4 || !std::all_of(digits.begin(), digits.end(), IsAsciiDigit)) return;
    word = word.substr(0, open_pos);
  };
  strip_counter('[', ']');
  strip_counter('(', ')');
  strip_counter('^', '\0');
  if (!IsOneOf(ToLowerAscii(word), kSubjectPrefixes)) return 0;
  return colon_pos + colon_len;
}

// The byte length of a list tag ("[ml-name]", "[users:01234]") at the start of `text`, or 0.
std::size_t ListTagAt(std::string_view text) {
  if (!text.starts_with('[')) return 0;
  std::size_t close = text.substr(0, 42).find(']');
  if (close == std::string_view::npos || close < 2) return 0;
  std::string_view inner = text.substr(1, close - 1);
  bool letter = false;
  for (char c : inner) {
    if (IsAsciiLetter(c)) {
      letter = true;
    } else if (!IsAsciiDigit(c) && std::string_view("-_.:/+").find(c) == std::string_view::npos) {
      return 0;
    }
  }
  return letter ? close + 1 : 0;
}

}  // namespace

std::optional<std::int64_t> TicketNumberInSubject(std::string_view subject) {
  std::vector<TicketRef> refs = FindTicketRefs(subject);
  if (refs.empty()) return std::nullopt;
  return refs.back().number;
}

std::string NormaliseSubject(std::string_view subject) {
  std::string without_refs;
  std::size_t copied = 0;
  for (const TicketRef& ref : FindTicketRefs(subject)) {
    without_refs.append(subject.substr(copied, ref.begin - copied));
    without_refs.push_back(' ');
    copied = ref.end;
  }
  without_refs.append(subject.substr(copied));

  std::string_view rest = TrimView(without_refs);
  while (true) {
    std::size_t prefix = ReplyPrefixAt(rest);
    if (prefix == 0) prefix = ListTagAt(rest);
    if (prefix == 0) break;
    rest = TrimView(rest.substr(prefix));
  }

  std::string out;
  out.reserve(rest.size());
  for (char c : rest) {
    if (IsAsciiSpace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return std::string(TrimView(out));
}

std::string SubjectWithReference(std::string_view subject, std::int64_t number) {
  std::string normalised = NormaliseSubject(subject);
  std::string out = "Re: ";
  if (!normalised.empty()) {
    out += normalised;
    out += ' ';
  }
  out += "[#" + std::to_string(number) + "]";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Noise.

namespace {

bool HasHeader(const InboundEmail& email, std::string_view name) {
  return std::any_of(email.headers.begin(), email.headers.end(),
                     [name](const auto& header) { return header.first == name; });
}

std::string LowerHeader(const InboundEmail& email, std::string_view name) {
  return ToLowerAscii(TrimView(HeaderValue(email, name)));
}

// "multipart/report; report-type=delivery-status" and the disposition-notification kind.
bool IsDeliveryReport(std::string_view content_type) {
  std::string lower = ToLowerAscii(content_type);
  std::string_view rest = lower;
  std::size_t semicolon = rest.find(';');
  if (TrimView(rest.substr(0, semicolon)) != "multipart/report" || semicolon == std::string_view::npos) return false;
  rest.remove_prefix(semicolon + 1);
  while (!rest.empty()) {
    semicolon = rest.find(';');
    std::string_view parameter = rest.substr(0, semicolon);
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos || TrimView(parameter.substr(0, equals)) != "report-type") continue;
    std::string_view value = TrimView(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    return value == "delivery-status" || value == "disposition-notification";
  }
  return false;
}

bool IsMailerDaemon(const MailAddress& from) {
  std::string address = ToLowerAscii(TrimView(from.address));
  std::string_view local = address;
  if (std::size_t at = local.rfind('@'); at != std::string_view::npos) local = local.substr(0, at);
  return local == "mailer-daemon" || local == "postmaster";
}

bool ReadsLikeDeliveryReport(std::string_view subject) {
  static constexpr std::string_view kPhrases[] = {
      "undeliver", "delivery status", "delivery failure", "delivery failed", "delivery has failed",
      "failure notice", "returned mail", "returned to sender", "could not be delivered", "not delivered",
      "delivery notification", "mail delivery", "non-deliver", "nondeliver", "delivery problem",
      "配信", "不達", "送信できません", "届きません", "エラー",
      "전송 실패", "배달 실패", "반송", "전달되지",
      "không gửi được", "không thể gửi", "không thể chuyển",
  };
  std::string lower = ToLowerAscii(subject);
  return std::any_of(std::begin(kPhrases), std::end(kPhrases),
                     [&lower](std::string_view phrase) { return lower.find(phrase) != std::string::npos; });
}

bool ReadsLikeAutoReply(std::string_view subject) {
  static constexpr std::string_view kStarts[] = {
      "out of office", "automatic reply", "auto-reply", "autoreply", "auto reply", "auto-response",
      "autoresponse", "auto response", "réponse automatique", "abwesenheitsnotiz",
      "自動返信", "自動応答", "不在通知",
      "자동 회신", "자동회신", "자동 응답", "자동응답", "부재중",
      "trả lời tự động",
  };
  std::string lower = ToLowerAscii(TrimView(subject));
  return std::any_of(std::begin(kStarts), std::end(kStarts),
                     [&lower](std::string_view start) { return lower.starts_with(start); });
}

bool IsOwnLoop(const InboundEmail& email, std::string_view marker) {
  marker = TrimView(marker);
  if (marker.empty()) return false;
  if (HasHeader(email, "x-kizuna-loop") && TrimView(HeaderValue(email, "x-kizuna-loop")) == marker) return true;
  std::size_t at = marker.rfind('@');
  if (at == std::string_view::npos || at + 1 == marker.size()) return false;
  std::string suffix = ToLowerAscii(marker.substr(at));
  std::string message_id = ToLowerAscii(TrimView(email.message_id));
  if (message_id.ends_with('>')) message_id.pop_back();
  return message_id.size() > suffix.size() && message_id.ends_with(suffix);
}

bool IsAutoReply(const InboundEmail& email) {
  std::string auto_submitted = LowerHeader(email, "auto-submitted");
  std::string_view token = TrimView(std::string_view(auto_submitted).substr(0, auto_submitted.find(';')));
  if (!token.empty() && token != "no") return true;
  for (std::string_view name : {std::string_view("x-autoreply"), std::string_view("x-autorespond")}) {
    if (!HasHeader(email, name)) continue;
    // The first word decides ("no", "false" or "0" deny); what follows it is noise.
    std::string value = LowerHeader(email, name);
    std::string_view word = TrimView(value);
    word = word.substr(0, word.find_first_of(" \t;"));
    if (word != "no" && word != "false" && word != "0") return true;
  }
  if (LowerHeader(email, "precedence") == "auto_reply") return true;
  return ReadsLikeAutoReply(email.subject);
}

}  // namespace

const char* MailNoiseName(MailNoise noise) {
  switch (noise) {
    case MailNoise::kNone: return "none";
    case MailNoise::kAutoReply: return "auto_reply";
    case MailNoise::kBounce: return "bounce";
    case MailNoise::kBulk: return "bulk";
    case MailNoise::kOwnLoop: return "own_loop";
  }
  return "none";
}

MailNoise ClassifyNoise(const InboundEmail& email, std::string_view own_loop_marker) {
  if (IsOwnLoop(email, own_loop_marker)) return MailNoise::kOwnLoop;
  if (IsDeliveryReport(HeaderValue(email, "content-type"))) return MailNoise::kBounce;
  if (IsMailerDaemon(email.from) && ReadsLikeDeliveryReport(email.subject)) return MailNoise::kBounce;
  if (IsAutoReply(email)) return MailNoise::kAutoReply;
  std::string return_path = Squeeze(HeaderValue(email, "return-path"));
  if (return_path == "<>") return MailNoise::kBounce;
  std::string precedence = LowerHeader(email, "precedence");
  if (precedence == "bulk" || precedence == "junk" || precedence == "list") return MailNoise::kBulk;
  if (HasHeader(email, "list-id") || HasHeader(email, "list-unsubscribe")) return MailNoise::kBulk;
  return MailNoise::kNone;
}

// ---------------------------------------------------------------------------------------------
// Reply addresses.

namespace {

struct AddressParts {
  std::string_view local;
  std::string_view domain;
};

// "local@domain" with exactly one '@' and both parts non-empty, no spaces or quotes.
std::optional<AddressParts> SplitAddress(std::string_view address) {
  std::size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return std::nullopt;
  if (address.find('@', at + 1) != std::string_view::npos) return std::nullopt;
  for (char c : address) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>') return std::nullopt;
  }
  return AddressParts{address.substr(0, at), address.substr(at + 1)};
}

bool IsTagChar(char c) { return (c >= 'a' && c <= 'z') || IsAsciiDigit(c); }

}  // namespace

std::string ReplyAddress(std::string_view mailbox_address, std::int64_t ticket_number, std::string_view tag) {
  std::size_t at = mailbox_address.rfind('@');
  std::string_view local = mailbox_address.substr(0, at);
  std::string out(local);
  out += "+t" + std::to_string(ticket_number) + "-";
  out += tag;
  if (at != std::string_view::npos) out += mailbox_address.substr(at);
  return out;
}

std::optional<ReplyTarget> ParseReplyAddress(std::string_view address, std::string_view mailbox_address) {
  std::optional<AddressParts> mailbox = SplitAddress(TrimView(mailbox_address));
  std::optional<AddressParts> parts = SplitAddress(TrimView(address));
  if (!mailbox || !parts) return std::nullopt;
  if (ToLowerAscii(parts->domain) != ToLowerAscii(mailbox->domain)) return std::nullopt;
  if (!parts->local.starts_with(mailbox->local)) return std::nullopt;
  std::string_view suffix = parts->local.substr(mailbox->local.size());
  if (!suffix.starts_with("+t")) return std::nullopt;
  suffix.remove_prefix(2);

  std::size_t digits = 0;
  while (digits < suffix.size() && IsAsciiDigit(suffix[digits])) ++digits;
  if (digits == 0 || digits > 16 || suffix[0] == '0') return std::nullopt;
  std::int64_t number = 0;
  for (std::size_t digit_idx = 0; digit_idx < digits; ++digit_idx) number = number * 10 + (suffix[digit_idx] - '0');
  if (number > kMaxMailTicketNumber) return std::nullopt;
  suffix.remove_prefix(digits);

  if (!suffix.starts_with('-')) return std::nullopt;
  suffix.remove_prefix(1);
  if (suffix.empty() || suffix.size() > 16) return std::nullopt;
  if (!std::all_of(suffix.begin(), suffix.end(), IsTagChar)) return std::nullopt;
  return ReplyTarget{number, std::string(suffix)};
}

}  // namespace kizuna
