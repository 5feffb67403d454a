#include "adapters/storage/postgres/pg_sql.h"

#include <vector>

namespace kizuna::storage {
namespace {

// Identifier characters by byte: ASCII letters, '_' and every byte of a multi-byte UTF-8
// character start a word; digits and '$' may continue one (PostgreSQL's own rule).
bool IsWordStart(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || u == '_' || u >= 0x80;
}
bool IsWordChar(char c) { return IsWordStart(c) || (c >= '0' && c <= '9') || c == '$'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 'a' + 'A') : a[i];
    char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 'a' + 'A') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::size_t WordEnd(std::string_view sql, std::size_t at) {
  while (at < sql.size() && IsWordChar(sql[at])) ++at;
  return at;
}

std::size_t SkipSpace(std::string_view sql, std::size_t at) {
  while (at < sql.size() && IsSpace(sql[at])) ++at;
  return at;
}

// Length of the string literal, quoted identifier, dollar-quoted string or comment that
// starts at `at`, copied verbatim by the rewriters; 0 when none starts there. One left open
// runs to the end of the text (the server reports it).
std::size_t VerbatimLength(std::string_view sql, std::size_t at) {
  const std::size_t n = sql.size();
  const char c = sql[at];
  const bool after_word = at > 0 && IsWordChar(sql[at - 1]);
  if (c == '\'' || c == '"') {
    // E'…' strings take backslash escapes; in all others a doubled quote is the escape.
    const bool backslashes = c == '\'' && at > 0 && (sql[at - 1] == 'E' || sql[at - 1] == 'e') &&
                             (at < 2 || !IsWordChar(sql[at - 2]));
    std::size_t j = at + 1;
    while (j < n) {
      if (backslashes && sql[j] == '\\') {
        j += 2;
      } else if (sql[j] == c) {
        if (j + 1 < n && sql[j + 1] == c) {
          j += 2;
        } else {
          return j + 1 - at;
        }
      } else {
        ++j;
      }
    }
    return n - at;
  }
  if (c == '-' && at + 1 < n && sql[at + 1] == '-') {
    std::size_t end = sql.find('\n', at);
    return (end == std::string_view::npos ? n : end) - at;
  }
  if (c == '/' && at + 1 < n && sql[at + 1] == '*') {
    // Block comments nest in PostgreSQL.
    int depth = 1;
    std::size_t j = at + 2;
    while (j < n && depth > 0) {
      if (sql[j] == '/' && j + 1 < n && sql[j + 1] == '*') {
        ++depth;
        j += 2;
      } else if (sql[j] == '*' && j + 1 < n && sql[j + 1] == '/') {
        --depth;
        j += 2;
      } else {
        ++j;
      }
    }
    return j - at;
  }
  if (c == '$' && !after_word) {
    // $$…$$ or $tag$…$tag$; `$1` (a digit after the dollar) is a positional parameter.
    std::size_t j = at + 1;
    if (j < n && IsWordStart(sql[j])) {
      while (j < n && (IsWordStart(sql[j]) || (sql[j] >= '0' && sql[j] <= '9'))) ++j;
    }
    if (j >= n || sql[j] != '$') return 0;
    std::string_view tag = sql.substr(at, j + 1 - at);
    std::size_t close = sql.find(tag, j + 1);
    return close == std::string_view::npos ? n - at : close + tag.size() - at;
  }
  return 0;
}

void AppendPlaceholder(std::string& out, int number) {
  out += '$';
  out += std::to_string(number);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Every password the URL (or key=value connection string) carries, as written.
std::vector<std::string_view> PasswordsIn(std::string_view url) {
  std::vector<std::string_view> found;
  // URI: scheme://user:password@host… — libpq ends the user part at the first '@' before
  // any '/', and so do we.
  if (std::size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    std::size_t start = scheme + 3;
    std::size_t end = start;
    while (end < url.size() && url[end] != '@' && url[end] != '/') ++end;
    if (end < url.size() && url[end] == '@') {
      std::string_view user_info = url.substr(start, end - start);
      if (std::size_t colon = user_info.find(':'); colon != std::string_view::npos) {
        found.push_back(user_info.substr(colon + 1));
      }
    }
  }
  // password=… as a URI query parameter or a key=value setting, possibly 'quoted'.
  for (std::size_t at = url.find("password"); at != std::string_view::npos; at = url.find("password", at + 1)) {
    std::size_t j = SkipSpace(url, at + 8);
    if (j >= url.size() || url[j] != '=') continue;
    j = SkipSpace(url, j + 1);
    std::size_t end = j;
    if (j < url.size() && url[j] == '\'') {
      end = j + 1;
      while (end < url.size() && url[end] != '\'') end += url[end] == '\\' ? 2 : 1;
      found.push_back(url.substr(j + 1, std::min(end, url.size()) - j - 1));
    } else {
      while (end < url.size() && url[end] != '&' && !IsSpace(url[end])) ++end;
      found.push_back(url.substr(j, end - j));
    }
  }
  return found;
}

void ReplaceAll(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

std::string TranslateForPostgres(std::string_view sql, int* param_count) {
  std::string out;
  out.reserve(sql.size() + sql.size() / 8);
  int params = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::size_t len = VerbatimLength(sql, i)) {
      out.append(sql.substr(i, len));
      i += len;
      continue;
    }
    const char c = sql[i];
    if (c == '?') {
      AppendPlaceholder(out, ++params);
      ++i;
      continue;
    }
    if (!IsWordStart(c) || (i > 0 && IsWordChar(sql[i - 1]))) {
      out += c;
      ++i;
      continue;
    }
    const std::size_t end = WordEnd(sql, i);
    const std::string_view word = sql.substr(i, end - i);
    if (EqualsIgnoreCase(word, "IS")) {
      // SQLite's `a IS ?` is null-safe equality; PostgreSQL's IS takes only NULL/TRUE/….
      std::size_t next = SkipSpace(sql, end);
      bool negated = false;
      if (next > end && next < sql.size() && IsWordStart(sql[next])) {
        std::size_t not_end = WordEnd(sql, next);
        if (EqualsIgnoreCase(sql.substr(next, not_end - next), "NOT")) {
          negated = true;
          next = SkipSpace(sql, not_end);
        }
      }
      if (next < sql.size() && sql[next] == '?') {
        out += negated ? "IS DISTINCT FROM " : "IS NOT DISTINCT FROM ";
        AppendPlaceholder(out, ++params);
        i = next + 1;
        continue;
      }
    }
    out.append(word);
    i = end;
  }
  if (param_count) *param_count = params;
  return out;
}

std::string MigrationForPostgres(std::string_view sql) {
  static constexpr std::string_view kIdPlaceholder = "@ID@";
  static constexpr std::string_view kIdentity = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
  std::string out;
  out.reserve(sql.size() + sql.size() / 4);
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::size_t len = VerbatimLength(sql, i)) {
      out.append(sql.substr(i, len));
      i += len;
      continue;
    }
    if (sql.substr(i, kIdPlaceholder.size()) == kIdPlaceholder) {
      out.append(kIdentity);
      i += kIdPlaceholder.size();
      continue;
    }
    if (IsWordStart(sql[i]) && (i == 0 || !IsWordChar(sql[i - 1]))) {
      const std::size_t end = WordEnd(sql, i);
      const std::string_view word = sql.substr(i, end - i);
      out.append(EqualsIgnoreCase(word, "INTEGER") ? std::string_view("BIGINT") : word);
      i = end;
      continue;
    }
    out += sql[i];
    ++i;
  }
  return out;
}

ErrorCode PgErrorCode(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return ErrorCode::kInternal;
  const std::string_view error_class = sqlstate.substr(0, 2);
  if (error_class == "23") return ErrorCode::kConflict;
  if (error_class == "08" || error_class == "53") return ErrorCode::kUnavailable;
  for (std::string_view retryable : {"40001", "40P01", "55P03", "57P01", "57P02", "57P03"}) {
    if (sqlstate == retryable) return ErrorCode::kUnavailable;
  }
  return ErrorCode::kInternal;
}

std::string WithoutPasswords(std::string_view text, std::string_view url) {
  std::string out(text);
  for (std::string_view password : PasswordsIn(url)) {
    ReplaceAll(out, password, "***");
    ReplaceAll(out, PercentDecoded(password), "***");
  }
  return out;
}

}  // namespace kizuna::storage
