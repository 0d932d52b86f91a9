#include "clients/cli_values.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace baoxue::clients {
namespace {

bool AllDigits(absl::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return absl::ascii_isdigit(c); });
}

bool MakeDay(int year, int month, int day, absl::CivilDay* out) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > 31) {
    return false;
  }
  absl::CivilDay d(year, month, day);
  if (d.year() != year || d.month() != month || d.day() != day) return false;
  *out = d;
  return true;
}

// Full-width colons and semicolons as their ASCII forms.
std::string Narrow(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"：", ":"}, {"；", ";"}, {"，", ","},
                                    {"、", ","}, {"–", "-"}, {"—", "-"}});
}

}  // namespace

absl::CivilDay CountyToday() {
  return absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(8 * 60 * 60));
}

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  std::string t(absl::StripAsciiWhitespace(text));
  std::string lower = absl::AsciiStrToLower(t);
  if (lower == "today" || t == "今天") {
    *day = CountyToday();
    return true;
  }
  if (t.size() == 8 && AllDigits(t)) {
    int y, m, d;
    return absl::SimpleAtoi(t.substr(0, 4), &y) &&
           absl::SimpleAtoi(t.substr(4, 2), &m) &&
           absl::SimpleAtoi(t.substr(6, 2), &d) && MakeDay(y, m, d, day);
  }
  // 2026年9月1日 -> 2026-9-1-
  t = absl::StrReplaceAll(t, {{"年", "-"}, {"月", "-"}, {"日", ""}});
  std::vector<std::string> parts = absl::StrSplit(t, absl::ByAnyChar("-/."));
  if (parts.size() != 3 || parts[0].size() != 4) return false;
  int values[3];
  for (int i = 0; i < 3; ++i) {
    if (!AllDigits(parts[i]) || parts[i].size() > 4 ||
        !absl::SimpleAtoi(parts[i], &values[i])) {
      return false;
    }
  }
  if (parts[1].size() > 2 || parts[2].size() > 2) return false;
  return MakeDay(values[0], values[1], values[2], day);
}

bool ParseDate(absl::string_view text, v1::Date* date) {
  absl::CivilDay day;
  if (!ParseDay(text, &day)) return false;
  *date = ToDate(day);
  return true;
}

v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::CivilDay ToDay(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

std::string FormatDate(const v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string FormatDay(absl::CivilDay day) { return FormatDate(ToDate(day)); }

std::string WeekdayLabel(absl::CivilDay day, Lang lang) {
  static const char* const kZh[] = {"周一", "周二", "周三", "周四",
                                    "周五", "周六", "周日"};
  static const char* const kEn[] = {"Mon", "Tue", "Wed", "Thu",
                                    "Fri", "Sat", "Sun"};
  int index = 0;
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday: index = 0; break;
    case absl::Weekday::tuesday: index = 1; break;
    case absl::Weekday::wednesday: index = 2; break;
    case absl::Weekday::thursday: index = 3; break;
    case absl::Weekday::friday: index = 4; break;
    case absl::Weekday::saturday: index = 5; break;
    case absl::Weekday::sunday: index = 6; break;
  }
  return lang == Lang::kEn ? kEn[index] : kZh[index];
}

bool ParseDayRange(absl::string_view text, absl::CivilDay* first,
                   absl::CivilDay* last) {
  size_t dots = text.find("..");
  if (dots == absl::string_view::npos) {
    if (!ParseDay(text, first)) return false;
    *last = *first;
    return true;
  }
  if (!ParseDay(text.substr(0, dots), first) ||
      !ParseDay(text.substr(dots + 2), last)) {
    return false;
  }
  return *last >= *first && *last - *first <= 366;
}

bool ParseGrades(absl::string_view text, std::vector<int>* grades) {
  std::vector<int> result;
  for (absl::string_view part :
       absl::StrSplit(Narrow(text), ',', absl::SkipWhitespace())) {
    part = absl::StripAsciiWhitespace(part);
    std::vector<std::string> ends = absl::StrSplit(part, '-');
    int lo, hi;
    if (ends.size() == 1) {
      if (!absl::SimpleAtoi(ends[0], &lo)) return false;
      hi = lo;
    } else if (ends.size() == 2) {
      if (!absl::SimpleAtoi(ends[0], &lo) || !absl::SimpleAtoi(ends[1], &hi)) {
        return false;
      }
    } else {
      return false;
    }
    if (lo < 1 || hi > 9 || hi < lo) return false;
    for (int g = lo; g <= hi; ++g) {
      if (!result.empty() && g <= result.back()) return false;
      result.push_back(g);
    }
  }
  if (result.empty()) return false;
  *grades = std::move(result);
  return true;
}

std::string FormatGrades(const std::vector<int>& grades) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < grades.size();) {
    size_t j = i;
    while (j + 1 < grades.size() && grades[j + 1] == grades[j] + 1) ++j;
    parts.push_back(j > i ? absl::StrCat(grades[i], "-", grades[j])
                          : absl::StrCat(grades[i]));
    i = j + 1;
  }
  return absl::StrJoin(parts, ",");
}

bool ParseGuardian(absl::string_view text, v1::Guardian* guardian) {
  std::vector<std::string> parts = absl::StrSplit(Narrow(text), ':');
  if (parts.size() != 3) return false;
  for (std::string& part : parts) {
    part = std::string(absl::StripAsciiWhitespace(part));
    if (part.empty()) return false;
  }
  guardian->set_name(parts[0]);
  guardian->set_relation(parts[1]);
  guardian->set_phone(parts[2]);
  return true;
}

std::string FormatGuardian(const v1::Guardian& guardian, Lang lang) {
  return lang == Lang::kEn
             ? absl::StrCat(guardian.name(), " (", guardian.relation(), ") ",
                            guardian.phone())
             : absl::StrCat(guardian.name(), "（", guardian.relation(), "）",
                            guardian.phone());
}

bool ParseClockTime(absl::string_view text, int* minutes) {
  std::vector<std::string> parts =
      absl::StrSplit(Narrow(absl::StripAsciiWhitespace(text)), ':');
  int h, m;
  if (parts.size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) ||
      h < 0 || h > 23 || m < 0 || m > 59) {
    return false;
  }
  *minutes = h * 60 + m;
  return true;
}

std::string FormatClockTime(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

std::string MaskIdNumber(absl::string_view id) {
  if (id.empty()) return "";
  if (id.size() == 18) {
    return absl::StrCat(id.substr(0, 6), std::string(8, '*'), id.substr(14));
  }
  if (id.size() <= 2) return std::string(id.size(), '*');
  return absl::StrCat(std::string(id.size() - 2, '*'),
                      id.substr(id.size() - 2));
}

std::string MaskStudentNumber(absl::string_view number) {
  if (number.size() == 19 && number[0] == 'G') {
    return absl::StrCat("G", MaskIdNumber(number.substr(1)));
  }
  return std::string(number);
}

std::vector<std::string> SplitList(absl::string_view text) {
  std::vector<std::string> result;
  for (absl::string_view part :
       absl::StrSplit(Narrow(text), absl::ByAnyChar(";,"))) {
    part = absl::StripAsciiWhitespace(part);
    if (!part.empty()) result.emplace_back(part);
  }
  return result;
}

}  // namespace baoxue::clients
