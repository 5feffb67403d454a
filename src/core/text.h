// Text rules applied at the edge: valid UTF-8, no control characters, bounded length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kizuna {

bool IsValidUtf8(std::string_view text);
// Number of Unicode code points; REQUIRES: valid UTF-8.
std::size_t CodePointCount(std::string_view text);

struct TextRule {
  std::size_t max_code_points = 1000;
  bool allow_empty = false;
  bool allow_newlines = false;
};

// Checks a user-supplied string: UTF-8, no control characters (tab and newlines only
// when allowed), within the length. Returns the text with surrounding spaces trimmed.
Result<std::string> CheckText(std::string_view field, std::string_view text, TextRule rule);

std::string ToLowerAscii(std::string_view text);
std::string TrimSpaces(std::string_view text);

}  // namespace kizuna
