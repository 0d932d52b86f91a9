// The files people bring to the client, read into requests: a students
// roster (the term-start export of the provincial student-status system), a
// day's absences, a school-year calendar. Each is CSV as Excel saves it
// (UTF-8 with or without a BOM, or GB18030/GBK, detected by csv.h) with
// Chinese or English column headers.
//
// Reading never stops at a bad row: every row that cannot become part of a
// request is listed with its 1-based line number and the reason in both
// languages, and the good rows are returned too, so the caller decides
// (all or nothing, or only the good rows). A file that cannot be read at
// all (not CSV, an unknown or missing column) is an error Status instead,
// with an English message naming the line.
//
// Columns (header cells match case-insensitively, either name):
//
//   students.csv   学籍号 student_number*, 身份证号 id_number, 姓名 name*,
//                  性别 sex, 出生日期 birth_date, 户籍乡镇 household_township*,
//                  户籍村 household_village*, 监护人 guardians, 重点群体
//                  priority_groups, 年级 grade*, 班级 class_name*,
//                  入学日期 enrol_date*
//     sex and birth_date may be left empty when the ID number is given
//     (they are read from it); guardians are "姓名:关系:电话" separated by
//     ';' or '；'; priority groups are words such as 脱贫户 or left_behind
//     separated by ';', '；' or '、'; grade is 1-9, 3年级 or 初一..初三.
//   absences.csv   学籍号 student_number*, 姓名 name (not sent; for people
//                  reading the file), 类别 category* (病假 sick, 事假
//                  personal, 旷课 unexcused, 去向不明 unknown), 原因 reason,
//                  半天 half_day (是/否, half/full, 1/0; empty = whole day)
//   roster.csv     身份证号 id_number*, 姓名 name*, 监护人 guardian_name,
//                  联系电话 guardian_phone (a village's 适龄儿童台账; the
//                  ID number is checked as the server checks it, with
//                  services/domain/identifiers.h)
//   calendar.csv   类型 kind* (学期 term, 假期 holiday, 调休 makeup),
//                  名称 name (a term's name), 开始日期 start*, 结束日期 end
//     a term needs name, start and end; a holiday is one day (start) or a
//     range (start..end, weekend days included are fine); a make-up school
//     day is one weekend day.
#ifndef BAOXUE_CLIENTS_IMPORT_FILES_H_
#define BAOXUE_CLIENTS_IMPORT_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/student.pb.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

// A row that was not taken, and why.
struct RowError {
  int line = 0;
  Text message;
};

struct StudentFile {
  std::string encoding;  // kEncodingUtf8Bom, kEncodingUtf8 or kEncodingGb18030.
  // Hex SHA-256 of the decoded text: the same roster saved as GBK or as
  // UTF-8 has the same hash.
  std::string content_hash;
  int data_rows = 0;  // Non-blank rows after the header.
  std::vector<v1::ImportStudentRow> rows;  // The good rows, `line` set.
  std::vector<RowError> errors;            // By line.
};
absl::StatusOr<StudentFile> ReadStudentsCsv(absl::string_view bytes);

struct AbsenceFile {
  std::string encoding;
  int data_rows = 0;
  std::vector<v1::Absence> absences;  // The good rows.
  std::vector<int> lines;             // The line of each good row.
  std::vector<RowError> errors;
};
absl::StatusOr<AbsenceFile> ReadAbsencesCsv(absl::string_view bytes);

struct RosterFile {
  std::string encoding;
  // Hex SHA-256 of the decoded text (as StudentFile::content_hash).
  std::string content_hash;
  int data_rows = 0;
  std::vector<v1::RosterEntry> entries;  // The good rows, village unset.
  std::vector<int> lines;                // The line of each good row.
  std::vector<RowError> errors;          // By line.
};
absl::StatusOr<RosterFile> ReadRosterCsv(absl::string_view bytes);

struct CalendarFile {
  std::string encoding;
  v1::SchoolYearCalendar calendar;  // school_year left 0.
  std::vector<RowError> errors;
};
absl::StatusOr<CalendarFile> ReadCalendarCsv(absl::string_view bytes);

// Reads one absence as given on the command line:
// "学籍号:类别[:原因][:half]" (full-width colons too); the last part may be
// half / 半天 for a half-day absence. On failure returns false with *error.
bool ParseAbsenceArg(absl::string_view text, v1::Absence* absence,
                     Text* error);

// Reads one term as given on the command line: "名称:开始日期:结束日期",
// e.g. "秋季学期:2026-09-01:2027-01-22".
bool ParseTermArg(absl::string_view text, v1::Term* term, Text* error);

// A grade as written in a roster: "3", "3年级", "三年级", "初一" (= 7).
bool ParseGrade(absl::string_view text, int* grade);

// Fills sex and birth date from an 18-character ID number where they are
// unset (the server checks that they agree in any case).
void FillFromIdNumber(v1::Student* student);

// The lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_IMPORT_FILES_H_
