// Reading and showing the values commands take and print: dates, date
// ranges, grades, guardians, times of day, masked ID numbers.
//
// Dates are written 2026-09-01 (also 2026/9/1, 2026.9.1 and 20260901, as
// Excel and people write them, and `today` / 今天); they are calendar days in
// the county's time zone (Asia/Shanghai, UTC+8).
#ifndef BAOXUE_CLIENTS_CLI_VALUES_H_
#define BAOXUE_CLIENTS_CLI_VALUES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/student.pb.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

// Today in the county (UTC+8).
absl::CivilDay CountyToday();

// Parses a date (see above). Returns false for anything else, including
// days that do not exist (2026-02-30).
bool ParseDay(absl::string_view text, absl::CivilDay* day);
bool ParseDate(absl::string_view text, v1::Date* date);

v1::Date ToDate(absl::CivilDay day);
absl::CivilDay ToDay(const v1::Date& date);

// "2026-09-01"; "" for an unset date.
std::string FormatDate(const v1::Date& date);
std::string FormatDay(absl::CivilDay day);

// 周一 ... 周日, or Mon ... Sun.
std::string WeekdayLabel(absl::CivilDay day, Lang lang);

// "2026-10-01..2026-10-07" (both inclusive) or one date. Returns false if
// either end is not a date or the range runs backwards or spans more than
// 366 days.
bool ParseDayRange(absl::string_view text, absl::CivilDay* first,
                   absl::CivilDay* last);

// Grades as "1-6", "7,8,9", "1-3,5" or "1–6" (en dash): ascending, no
// repeats, 1 to 9. Returns false otherwise.
bool ParseGrades(absl::string_view text, std::vector<int>* grades);
// The reverse: "1-6", "1-3,5".
std::string FormatGrades(const std::vector<int>& grades);

// A guardian as "姓名:关系:电话" (full-width colons too), e.g.
// "王芳:母亲:13800138000". Returns false unless there are three non-empty
// parts.
bool ParseGuardian(absl::string_view text, v1::Guardian* guardian);
// "王芳（母亲）13800138000" / "王芳 (母亲) 13800138000".
std::string FormatGuardian(const v1::Guardian& guardian, Lang lang);

// "18:00" -> 1080 minutes after midnight. Returns false unless HH:MM with
// HH 0-23 and MM 0-59.
bool ParseClockTime(absl::string_view text, int* minutes);
std::string FormatClockTime(int minutes);

// Masks an ID number for lists (DOMAIN §8): an 18-character number keeps its
// first 6 and last 4 characters, "350526********123X"; anything else keeps
// only its last 2 ("****34"); "" stays "".
std::string MaskIdNumber(absl::string_view id);
// A 学籍号 for lists: a G number embeds the ID number, so it is masked the
// same way ("G350526********123X"); J and L numbers are shown as they are.
std::string MaskStudentNumber(absl::string_view number);

// Splits a list cell on ';', '；', '、', ',' and '，' (trimming each part and
// dropping empty parts), as people separate several values in one cell.
std::vector<std::string> SplitList(absl::string_view text);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_VALUES_H_
