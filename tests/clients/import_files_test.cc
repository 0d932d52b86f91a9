// The client's file readers (students, absences, calendar), its value
// parsers and its label table.
#include "clients/import_files.h"

#include <iconv.h>

#include <string>

#include "absl/strings/string_view.h"
#include "clients/cli_values.h"
#include "clients/labels.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace baoxue::clients {
namespace {

using ::testing::HasSubstr;

std::string ToGbk(absl::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string in(utf8), out(in.size() * 2 + 16, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

constexpr absl::string_view kStudents =
    "学籍号,身份证号,姓名,性别,出生日期,户籍乡镇,户籍村,监护人,重点群体,年级,班级,入学日期\r\n"
    "G350526201803070013,350526201803070013,林小明,,,350526100,350526100001,"
    "林建国:父亲:13905951234,留守、脱贫户,3,2班,2026-09-01\r\n"
    "G350526201805120029,350526201805120029,陈小红,女,2018/5/12,350526100,"
    "350526100002,\"王芳：母亲：13800138000；陈强:父亲:0595-23512345\",,三年级,"
    "2班,2026/9/1\r\n";

TEST(ReadStudentsCsvTest, ReadsChineseHeadersAndDerivesSexAndBirthDate) {
  auto file = ReadStudentsCsv(kStudents);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->encoding, "UTF-8");
  ASSERT_EQ(file->rows.size(), 2u);
  EXPECT_TRUE(file->errors.empty());
  const v1::ImportStudentRow& first = file->rows[0];
  EXPECT_EQ(first.line(), 2);
  EXPECT_EQ(first.student().sex(), v1::SEX_MALE);
  EXPECT_EQ(first.student().birth_date().year(), 2018);
  EXPECT_EQ(first.student().birth_date().month(), 3);
  EXPECT_EQ(first.student().priority_groups_size(), 2);
  EXPECT_EQ(first.student().guardians(0).relation(), "父亲");
  EXPECT_EQ(first.grade(), 3);
  const v1::ImportStudentRow& second = file->rows[1];
  EXPECT_EQ(second.student().guardians_size(), 2);
  EXPECT_EQ(second.student().guardians(1).phone(), "0595-23512345");
  EXPECT_EQ(second.grade(), 3);
  EXPECT_EQ(second.enrol_date().day(), 1);
}

TEST(ReadStudentsCsvTest, GbkAndUtf8WithBomReadTheSameWithTheSameHash) {
  auto utf8 = ReadStudentsCsv(kStudents);
  auto bom = ReadStudentsCsv(std::string("\xEF\xBB\xBF") + std::string(kStudents));
  auto gbk = ReadStudentsCsv(ToGbk(kStudents));
  ASSERT_TRUE(utf8.ok() && bom.ok() && gbk.ok());
  EXPECT_EQ(bom->encoding, "UTF-8-BOM");
  EXPECT_EQ(gbk->encoding, "GB18030");
  EXPECT_EQ(gbk->content_hash, bom->content_hash);
  ASSERT_EQ(gbk->rows.size(), 2u);
  EXPECT_EQ(gbk->rows[1].SerializeAsString(), bom->rows[1].SerializeAsString());
}

TEST(ReadStudentsCsvTest, ListsEveryBadRowWithItsLine) {
  std::string text =
      "student_number,name,sex,household_township,household_village,grade,"
      "class_name,enrol_date\n"
      "J35052620180000000A,甲,x,350526100,350526100001,3,1班,2026-09-01\n"
      "J35052620180000000B,乙,男,350526100,350526100001,十,1班,2026-09-01\n"
      "J35052620180000000C,丙,男,350526100,350526100001,3,1班,2026年9月1日\n"
      "J35052620180000000C,丁,男,350526100,350526100001,3,1班,2026-09-01\n"
      "J35052620180000000D,戊,男,350526100,350526100001,3,1班,2026-09-01\n";
  auto file = ReadStudentsCsv(text);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->data_rows, 5);
  ASSERT_EQ(file->rows.size(), 2u);  // Lines 4 (repeated on 5) and 6.
  ASSERT_EQ(file->errors.size(), 3u);
  EXPECT_EQ(file->errors[0].line, 2);
  EXPECT_THAT(file->errors[0].message.zh, HasSubstr("性别"));
  EXPECT_EQ(file->errors[1].line, 3);
  EXPECT_THAT(file->errors[1].message.en, HasSubstr("grade"));
  EXPECT_EQ(file->errors[2].line, 5);
  EXPECT_THAT(file->errors[2].message.zh, HasSubstr("第 4 行"));
}

TEST(ReadStudentsCsvTest, AnUnknownColumnFailsTheFile) {
  auto file = ReadStudentsCsv("学籍号,姓名,备注\nG1,a,b\n");
  EXPECT_FALSE(file.ok());
}

TEST(ReadAbsencesCsvTest, AcceptsChineseAndEnglishWords) {
  auto file = ReadAbsencesCsv(
      "学籍号,姓名,类别,原因,半天\n"
      "G350526201803070013,林小明,病假,发烧,否\n"
      "G350526201805120029,陈小红,unexcused,,半天\n"
      "G35052620190214003X,,去向不明,,\n");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->absences.size(), 3u);
  EXPECT_EQ(file->absences[0].category(), v1::ABSENCE_CATEGORY_SICK_LEAVE);
  EXPECT_FALSE(file->absences[0].half_day());
  EXPECT_EQ(file->absences[1].category(), v1::ABSENCE_CATEGORY_UNEXCUSED);
  EXPECT_TRUE(file->absences[1].half_day());
  EXPECT_EQ(file->absences[2].category(),
            v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN);
  EXPECT_EQ(file->lines[2], 4);
}

TEST(ReadAbsencesCsvTest, BadRowsNameTheirLines) {
  auto file = ReadAbsencesCsv(
      "student_number,category\nG1,迟到\nG2,sick\nG2,sick\n");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->errors.size(), 2u);
  EXPECT_EQ(file->errors[0].line, 2);
  EXPECT_THAT(file->errors[0].message.zh, HasSubstr("迟到"));
  EXPECT_EQ(file->errors[1].line, 4);
}

TEST(ReadCalendarCsvTest, TermsHolidayRangesAndMakeupDays) {
  auto file = ReadCalendarCsv(
      "类型,名称,开始日期,结束日期\n"
      "学期,秋季学期,2026-09-01,2027-01-22\n"
      "假期,国庆节,2026-10-01,2026-10-07\n"
      "调休,,2026-09-27,\n");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(file->errors.empty());
  ASSERT_EQ(file->calendar.terms_size(), 1);
  EXPECT_EQ(file->calendar.holidays_size(), 7);
  ASSERT_EQ(file->calendar.makeup_days_size(), 1);
  EXPECT_EQ(file->calendar.makeup_days(0).day(), 27);
}

TEST(ArgsTest, AbsenceAndTermArguments) {
  v1::Absence absence;
  Text error;
  ASSERT_TRUE(ParseAbsenceArg("G1:旷课::半天", &absence, &error));
  EXPECT_EQ(absence.category(), v1::ABSENCE_CATEGORY_UNEXCUSED);
  EXPECT_TRUE(absence.half_day());
  ASSERT_TRUE(ParseAbsenceArg("G1：sick：发烧", &absence, &error));
  EXPECT_EQ(absence.reason(), "发烧");
  EXPECT_FALSE(absence.half_day());
  EXPECT_FALSE(ParseAbsenceArg("G1", &absence, &error));
  EXPECT_FALSE(ParseAbsenceArg("G1:late", &absence, &error));
  EXPECT_THAT(error.en, HasSubstr("unexcused"));

  v1::Term term;
  ASSERT_TRUE(ParseTermArg("秋季学期:2026-09-01:2027-01-22", &term, &error));
  EXPECT_EQ(term.end_date().year(), 2027);
  EXPECT_FALSE(ParseTermArg("秋季学期:2026-09-01", &term, &error));
}

TEST(ValuesTest, DatesGradesMaskAndClock) {
  absl::CivilDay day;
  EXPECT_TRUE(ParseDay("2026-09-01", &day));
  EXPECT_TRUE(ParseDay("2026/9/1", &day));
  EXPECT_EQ(FormatDay(day), "2026-09-01");
  EXPECT_TRUE(ParseDay("20260901", &day));
  EXPECT_TRUE(ParseDay("2026年9月1日", &day));
  EXPECT_FALSE(ParseDay("2026-02-30", &day));
  EXPECT_FALSE(ParseDay("9/1/2026", &day));
  absl::CivilDay first, last;
  ASSERT_TRUE(ParseDayRange("2026-10-01..2026-10-07", &first, &last));
  EXPECT_EQ(last - first, 6);
  EXPECT_FALSE(ParseDayRange("2026-10-07..2026-10-01", &first, &last));

  std::vector<int> grades;
  ASSERT_TRUE(ParseGrades("1-3,5", &grades));
  EXPECT_EQ(FormatGrades(grades), "1-3,5");
  EXPECT_FALSE(ParseGrades("3,2", &grades));
  EXPECT_FALSE(ParseGrades("0-6", &grades));

  EXPECT_EQ(MaskIdNumber("35052620180307123X"), "350526********123X");
  EXPECT_EQ(MaskIdNumber(""), "");
  EXPECT_EQ(MaskStudentNumber("G35052620180307123X"), "G350526********123X");
  EXPECT_EQ(MaskStudentNumber("J35052620180000000A"), "J35052620180000000A");
  int minutes;
  ASSERT_TRUE(ParseClockTime("18:00", &minutes));
  EXPECT_EQ(minutes, 1080);
  EXPECT_EQ(FormatClockTime(1050), "17:30");
  int grade;
  EXPECT_TRUE(ParseGrade("初二", &grade));
  EXPECT_EQ(grade, 8);
}

TEST(LabelsTest, OneTableForOutputAndInput) {
  v1::AbsenceCategory category;
  for (const char* word : {"病假", "sick", "SICK_LEAVE", "Sick Leave"}) {
    ASSERT_TRUE(ParseAbsenceCategory(word, &category)) << word;
    EXPECT_EQ(category, v1::ABSENCE_CATEGORY_SICK_LEAVE);
  }
  EXPECT_EQ(AbsenceCategoryLabel(v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN,
                                 Lang::kZh),
            "去向不明");
  EXPECT_EQ(EnrolmentStatusLabel(v1::ENROLMENT_STATUS_SUSPENDED, Lang::kZh),
            "休学");
  v1::PriorityGroup group;
  ASSERT_TRUE(ParsePriorityGroup("建档立卡", &group));
  EXPECT_EQ(group, v1::PRIORITY_GROUP_POOR_HOUSEHOLD);
  v1::SchoolKind kind;
  ASSERT_TRUE(ParseSchoolKind("九年一贯制", &kind));
  EXPECT_EQ(kind, v1::SCHOOL_KIND_NINE_YEAR);
  EXPECT_THAT(AcceptedWords(LabelSet::kAbsenceCategory, Lang::kEn),
              HasSubstr("unknown (去向不明)"));
}

}  // namespace
}  // namespace baoxue::clients
