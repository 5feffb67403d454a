#include "engines/local_time.h"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace kizuna {

std::string FormatLocalTime(Timestamp at, std::string_view time_zone, std::string_view language) {
  const date::time_zone* zone = nullptr;
  std::string zone_name(time_zone);
  try {
    zone = date::locate_zone(zone_name);
  } catch (const std::exception&) {
    zone_name = "UTC";
    zone = date::locate_zone(zone_name);
  }
  auto instant = date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(at));
  auto local = zone->to_local(std::chrono::time_point_cast<std::chrono::minutes>(instant));
  auto day = date::floor<date::days>(local);
  date::year_month_day ymd(day);
  date::hh_mm_ss<std::chrono::minutes> clock(std::chrono::duration_cast<std::chrono::minutes>(local - day));
  const unsigned weekday = date::weekday(day).c_encoding();  // 0 = Sunday
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned dom = static_cast<unsigned>(ymd.day());
  char hm[8];
  std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  const std::string lang(language.substr(0, 2));
  if (lang == "ja") {
    static const char* kDays[] = {"日", "月", "火", "水", "木", "金", "土"};
    return std::to_string(month) + "月" + std::to_string(dom) + "日(" + kDays[weekday] + ") " + hm + "（" + zone_name +
           "）";
  }
  if (lang == "ko") {
    static const char* kDays[] = {"일", "월", "화", "수", "목", "금", "토"};
    return std::to_string(month) + "월 " + std::to_string(dom) + "일 (" + kDays[weekday] + ") " + hm + " (" +
           zone_name + ")";
  }
  if (lang == "vi") {
    static const char* kDays[] = {"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"};
    char dm[8];
    std::snprintf(dm, sizeof dm, "%02u/%02u", dom, month);
    return std::string(hm) + " " + kDays[weekday] + ", " + dm + " (" + zone_name + ")";
  }
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return std::string(kDays[weekday]) + " " + std::to_string(dom) + " " + kMonths[month - 1] + ", " + hm + " (" +
         zone_name + ")";
}

}  // namespace kizuna
