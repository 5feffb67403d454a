// When something will happen, said to a customer: an instant as a date and time in their
// time zone, in their language.
#pragma once

#include <string>
#include <string_view>

#include "core/ids.h"

namespace kizuna {

// e.g. en "Tue 24 Nov, 10:00 (Asia/Tokyo)", ja "11月24日(火) 10:00（Asia/Tokyo）",
// ko "11월 24일 (화) 10:00 (Asia/Seoul)", vi "10:00 Thứ Ba, 24/11 (Asia/Ho_Chi_Minh)".
// An unknown time zone is UTC; an unknown language English.
std::string FormatLocalTime(Timestamp at, std::string_view time_zone, std::string_view language);

}  // namespace kizuna
