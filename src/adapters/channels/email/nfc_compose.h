// Canonical composition (the C of NFC) for the scripts whose decomposed forms reach us in
// mail: Latin with diacritics (Vietnamese tone marks typed as combining characters, macOS
// file names), kana with voiced marks, and conjoining Hangul jamo. Internal to the MIME
// adapter; a general NFC belongs in core once something else needs it.
#pragma once

#include <string>
#include <string_view>

namespace kizuna::email::mime {

// `utf8` with every base letter and the combining marks after it canonically ordered and
// composed where Unicode has a precomposed character. Other text is unchanged.
// REQUIRES: valid UTF-8.
std::string ComposeNfc(std::string_view utf8);

}  // namespace kizuna::email::mime
