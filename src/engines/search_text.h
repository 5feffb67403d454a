// The text rules of search (C20): which script a character belongs to, how text is folded
// for matching, how it is cut into tokens, and how what a person typed becomes a safe SQLite
// FTS5 MATCH expression. Pure functions over UTF-8; no I/O. The FTS5 adapter
// (adapters/search) runs Tokenize inside its tokenizer, so index and query agree.
//
// Tokens:
//  - Latin (and Greek/Cyrillic) letters and digits form words, folded: lowercase, Latin
//    diacritics removed (Vietnamese tone and vowel marks included: ắ→a, ơ→o, ư→u, đ→d),
//    fullwidth forms made ASCII. Combining marks inside a word are dropped.
//  - A run of Han, kana and Hangul (no spaces in Japanese, Korean or Chinese) becomes its
//    overlapping bigrams, 返金手続 → 返金 金手 手続 (a query phrase of bigrams finds any longer
//    word), and (outside queries) every character on its own too, at the position of the
//    bigram it starts (colocated), the last one at its own position: 返 金 手 続. A
//    one-character query is then one term lookup; a prefix query (金*) over the bigrams would
//    have to merge the doclists of every bigram starting with that character (docs/search.md).
//  - Everything else separates tokens.
// Every token carries the byte range of the original text it came from, so highlights land
// on what was written, not on the folded form.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kizuna::search_text {

enum class Script {
  kOther,     // punctuation, spaces, symbols, emoji, private use: separators
  kLatin,     // Latin letters (with diacritics), also Greek and Cyrillic letters
  kDigit,     // 0-9 (and fullwidth digits)
  kHan,       // CJK ideographs and 々〆〇
  kHiragana,
  kKatakana,  // also halfwidth katakana and ー
  kHangul,    // syllables and jamo
  kMark,      // combining marks (U+0300–U+036F…): part of the word they follow
};

Script Classify(char32_t cp);
inline bool IsCjk(Script s) {
  return s == Script::kHan || s == Script::kHiragana || s == Script::kKatakana || s == Script::kHangul;
}
inline bool IsWordChar(Script s) { return s == Script::kLatin || s == Script::kDigit; }

// The folded form of one code point: lowercase, without Latin diacritics, fullwidth ASCII and
// halfwidth katakana made ordinary. Other code points come back unchanged.
char32_t Fold(char32_t cp);
// Folds a whole UTF-8 string (combining marks removed); invalid bytes become U+FFFD.
std::string FoldText(std::string_view utf8);

// Decodes one code point at `pos`; advances pos. Invalid or truncated sequences yield U+FFFD
// and advance one byte.
char32_t DecodeUtf8(std::string_view text, std::size_t& pos);
void AppendUtf8(std::string& out, char32_t cp);

struct Token {
  std::string text;   // folded
  std::size_t start;  // byte offset of the first source byte
  std::size_t end;    // byte offset after the last source byte
  bool cjk = false;   // a CJK bigram or single character
  // A single CJK character at the position of the bigram it starts (FTS5_TOKEN_COLOCATED):
  // one-character queries find it as a plain term, not as a prefix over every bigram.
  bool colocated = false;
};

// kDocument: what is indexed (bigrams and their colocated single characters).
// kQuery: what a query phrase becomes (bigrams only, unless the run has one character).
enum class TokenizeMode { kDocument, kQuery };

// Calls emit(const Token&) for every token in order. Never fails; any bytes are accepted.
template <typename Emit>
void ForEachToken(std::string_view text, TokenizeMode mode, Emit&& emit);
std::vector<Token> Tokenize(std::string_view text, TokenizeMode mode = TokenizeMode::kDocument);

// One part of a typed query: a Latin/digit word, or a CJK run (folded).
struct QueryTerm {
  std::string text;
  bool cjk = false;
  bool marked = false;  // a Latin word typed with diacritics (đỏ, not do)
};

// The terms of what a person typed, with all query syntax ignored: quotes, parentheses,
// AND/OR/NOT/NEAR (as words they are ordinary words, lowercased), `*`, `^`, `:`, control
// characters. A CJK run is cut where its script changes, and its hiragana parts (particles,
// verb endings: パスワードを忘れた → パスワード, 忘) are left out unless it has nothing else —
// a poor man's word segmentation, so a typed sentence finds documents that say the same in
// other words, and a long phrase of common bigrams is never required. At most kMaxQueryTerms
// terms; CJK segments longer than kMaxCjkRun characters are cut. Repeated terms are kept once.
inline constexpr std::size_t kMaxQueryTerms = 12;
inline constexpr std::size_t kMaxCjkRun = 24;
std::vector<QueryTerm> ParseQuery(std::string_view typed);

// One term as an FTS5 expression: a word as a quoted string ("refund"), a CJK run as a
// quoted phrase the tokenizer cuts into bigrams ("返金手続"), a single CJK character as
// itself ("金", indexed colocated with the bigrams it starts). Quotes are doubled, so the
// result is always valid FTS5 syntax.
std::string TermExpression(const QueryTerm& term);

// A safe FTS5 MATCH expression for what a person typed: every term required (AND), each as
// TermExpression; "" when nothing is searchable (the caller must then not query at all).
// `columns` (e.g. "{title body tags}") restricts every term to those columns when not empty.
std::string BuildMatchExpression(std::string_view typed, std::string_view columns = {});

// Edit distance over code points (insert, delete, replace, swap of two neighbours: optimal
// string alignment), giving up above `max`: returns max + 1 then.
int EditDistance(std::string_view a, std::string_view b, int max);

// The largest edit distance a typed Latin word may be from a vocabulary word to count as a
// typo of it: 0 below 4 letters, 1 below 8, 2 from 8.
int TypoBudget(std::string_view word);

// Words longer than this (in bytes, folded) are cut to it.
inline constexpr std::size_t kMaxWordBytes = 64;

// ---- implementation of the template ----

namespace detail {
struct CharInfo {
  char32_t folded;
  Script script;
  std::size_t start;
  std::size_t end;
};
}  // namespace detail

template <typename Emit>
void ForEachToken(std::string_view text, TokenizeMode mode, Emit&& emit) {
  std::size_t pos = 0;
  Token word;
  bool in_word = false;
  // The current CJK run: the previous character, whether one was emitted as a bigram start.
  bool in_run = false;
  detail::CharInfo prev{};
  std::size_t run_len = 0;
  auto end_run = [&]() {
    if (!in_run) return;
    if (mode == TokenizeMode::kDocument || run_len == 1) {
      Token t;
      AppendUtf8(t.text, prev.folded);
      t.start = prev.start;
      t.end = prev.end;
      t.cjk = true;
      emit(static_cast<const Token&>(t));
    }
    in_run = false;
    run_len = 0;
  };
  auto end_word = [&]() {
    if (!in_word) return;
    if (!word.text.empty()) emit(static_cast<const Token&>(word));
    word.text.clear();
    in_word = false;
  };
  while (pos < text.size()) {
    std::size_t start = pos;
    char32_t cp = DecodeUtf8(text, pos);
    char32_t folded = Fold(cp);
    Script script = Classify(folded);
    if (script == Script::kMark) {
      if (in_word) word.end = pos;  // a combining accent belongs to its letter, and is dropped
      continue;
    }
    if (IsWordChar(script)) {
      end_run();
      if (!in_word) {
        in_word = true;
        word.start = start;
        word.cjk = false;
      }
      // Very long "words" (a pasted hash, 10 KB of one letter) are cut, not refused.
      if (word.text.size() < kMaxWordBytes) AppendUtf8(word.text, folded);
      word.end = pos;
      continue;
    }
    end_word();
    if (IsCjk(script)) {
      detail::CharInfo cur{folded, script, start, pos};
      if (in_run) {
        Token t;
        AppendUtf8(t.text, prev.folded);
        AppendUtf8(t.text, cur.folded);
        t.start = prev.start;
        t.end = cur.end;
        t.cjk = true;
        emit(static_cast<const Token&>(t));
        if (mode == TokenizeMode::kDocument) {
          Token u;
          AppendUtf8(u.text, prev.folded);
          u.start = prev.start;
          u.end = prev.end;
          u.cjk = true;
          u.colocated = true;
          emit(static_cast<const Token&>(u));
        }
      }
      in_run = true;
      ++run_len;
      prev = cur;
      continue;
    }
    end_run();
  }
  end_word();
  end_run();
}

}  // namespace kizuna::search_text
