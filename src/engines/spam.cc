#include "engines/spam.h"

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace kizuna {
namespace {

constexpr int kManyLinks = 5;
constexpr int kRepeatedRun = 10;
constexpr int kRepeatedWordRun = 4;
constexpr std::size_t kWordShareMinimum = 12;
constexpr int kShoutingLetters = 20;

// Lowercase, matched as substrings of the text with ASCII letters lowered. Kept short and
// unambiguous: words a customer asking for help would not write.
constexpr std::array<std::string_view, 28> kBannedWords = {
    // en
    "viagra", "cialis", "online casino", "casino bonus", "payday loan", "buy followers", "crypto giveaway",
    "porn", "escort service", "work from home and earn",
    // ja
    "出会い系", "カジノ", "副業で稼", "簡単に稼げ", "即日融資", "アダルト",
    // ko
    "카지노", "바카라", "토토사이트", "먹튀", "성인용품", "대출상담",
    // vi
    "cá cược", "cờ bạc", "lô đề", "nhà cái", "vay tiền nhanh", "tài xỉu",
};

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Code points of UTF-8 text; a stray byte counts as one code point of its own.
std::vector<char32_t> CodePoints(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int extra = lead < 0x80 ? 0 : (lead >> 5) == 0x6 ? 1 : (lead >> 4) == 0xE ? 2 : (lead >> 3) == 0x1E ? 3 : -1;
    bool whole = extra >= 0 && i + static_cast<std::size_t>(extra) < text.size();
    for (int k = 1; whole && k <= extra; ++k) whole = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!whole) {
      out.push_back(lead);
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? lead : (lead & (0x3F >> extra));
    for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Markdown draws rules and headings with runs of these; they are not spam.
bool IsMarkupOrSpace(char32_t cp) {
  switch (cp) {
    case ' ': case '\n': case '\r': case '\t': case '-': case '=': case '_': case '*': case '#': case '`':
    case '~': case '.': case '|': case '>':
      return true;
    default:
      return false;
  }
}

bool HasRepeatedCharacters(std::string_view text) {
  const auto cps = CodePoints(text);
  int run = 0;
  for (std::size_t cp_idx = 0; cp_idx < cps.size(); ++cp_idx) {
    run = cp_idx > 0 && cps[cp_idx] == cps[cp_idx - 1] ? run + 1 : 1;
    if (run >= kRepeatedRun && !IsMarkupOrSpace(cps[cp_idx])) return true;
  }
  return false;
}

bool HasRepeatedWords(std::string_view lowered) {
  std::vector<std::string_view> words;
  std::size_t start = std::string_view::npos;
  for (std::size_t i = 0; i <= lowered.size(); ++i) {
    const bool space = i == lowered.size() || lowered[i] == ' ' || lowered[i] == '\n' || lowered[i] == '\r' ||
                       lowered[i] == '\t' || lowered[i] == ',' || lowered[i] == '!' || lowered[i] == '?';
    if (!space && start == std::string_view::npos) start = i;
    if (space && start != std::string_view::npos) {
      words.push_back(lowered.substr(start, i - start));
      start = std::string_view::npos;
    }
  }
  int run = 0;
  std::map<std::string_view, std::size_t> counts;
  for (std::size_t word_idx = 0; word_idx < words.size(); ++word_idx) {
    run = word_idx > 0 && words[word_idx] == words[word_idx - 1] ? run + 1 : 1;
    if (run >= kRepeatedWordRun) return true;
    if (words[word_idx].size() >= 2) ++counts[words[word_idx]];
  }
  if (words.size() < kWordShareMinimum) return false;
  for (const auto& [word, count] : counts) {
    if (count * 2 > words.size()) return true;
  }
  return false;
}

bool IsShouting(std::string_view text) {
  int letters = 0;
  int upper = 0;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') ++upper;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) ++letters;
  }
  return letters >= kShoutingLetters && upper * 5 >= letters * 4;
}

}  // namespace

int CountLinks(std::string_view text) {
  const std::string lowered = LowerAscii(text);
  int links = 0;
  for (std::string_view marker : {std::string_view("http://"), std::string_view("https://"), std::string_view("www.")}) {
    for (auto pos = lowered.find(marker); pos != std::string::npos; pos = lowered.find(marker, pos + marker.size())) {
      // "https://www.example.com" is one link, not two.
      if (marker == "www." && pos >= 3 && lowered.compare(pos - 3, 3, "://") == 0) continue;
      ++links;
    }
  }
  return links;
}

SpamVerdict CheckSpam(const SpamInput& input) {
  const std::string_view body = Trim(input.body);
  if (input.previous_body && !body.empty() && Trim(*input.previous_body) == body) return {true, "duplicate"};
  const std::string whole = std::string(input.title) + "\n" + std::string(body);
  const std::string_view text = whole;
  const std::string lowered = LowerAscii(text);
  for (std::string_view word : kBannedWords) {
    if (lowered.find(word) != std::string::npos) return {true, "banned_words"};
  }
  if (input.earlier_visible_posts > 0) return {};
  const int links = CountLinks(text);
  if (links >= kManyLinks) return {true, "too_many_links"};
  if (links > 0) return {true, "links_new_user"};
  if (HasRepeatedCharacters(text)) return {true, "repeated_characters"};
  if (HasRepeatedWords(lowered)) return {true, "repeated_words"};
  if (IsShouting(text)) return {true, "shouting"};
  return {};
}

}  // namespace kizuna
