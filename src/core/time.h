// Instants as text: RFC 3339 in UTC with milliseconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"

namespace kizuna {

// 2026-11-23T12:46:04.123Z
std::string FormatTimestamp(Timestamp ms);
// Accepts RFC 3339 with Z or a numeric offset, with or without fraction. nullopt when malformed.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace kizuna
