// "A school's day", end to end through the real binaries: the bureau sets
// the county and a calendar with a 调休 Saturday up; the school registers
// two children, imports a roster saved as GBK and again as UTF-8 with a
// BOM, submits a day's absences from a CSV, corrects it, sends a zero
// report for another day, and reads the reporting status back; a bad
// absences file is refused with its line numbers and changes nothing.
//
// The server runs on the wall clock, so the calendar is built around
// today: a term from (about) 40 days ago to 30 days ahead, the last
// Saturday before today as the make-up school day (M), and the Friday
// before it as a holiday.
#include <iconv.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "baoxue/v1/bureau.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/township.pb.h"
#include "clients/cli_values.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

template <typename Message>
Message ParseJson(const RunResult& run) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(run.out, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << run.out << run.err;
  return message;
}

std::string Describe(const RunResult& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out +
         "\nstderr:\n" + run.err;
}

std::string Day(absl::CivilDay day) { return clients::FormatDay(day); }

// A valid 18-character ID number (GB 11643 check character) for a child
// of 350526 born on `birth`; an odd `seq` is a boy.
std::string IdNumber(absl::CivilDay birth, int seq) {
  std::string s17 = absl::StrCat(
      "350526", absl::StrFormat("%04d%02d%02d%03d", birth.year(),
                                birth.month(), birth.day(), seq));
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
                                 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s17[i] - '0') * kWeights[i];
  return s17 + "10X98765432"[sum % 11];
}

std::string ToGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string in = utf8, out(utf8.size() * 2 + 16, '\0');
  char* src = in.data();
  char* dst = out.data();
  size_t src_left = in.size(), dst_left = out.size();
  EXPECT_NE(iconv(cd, &src, &src_left, &dst, &dst_left),
            static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - dst_left);
  return out;
}

class SchoolDayTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedCounty();
    if (HasFatalFailure()) return;
    today_ = clients::CountyToday();
    int year = today_.month() >= 9 ? static_cast<int>(today_.year())
                                   : static_cast<int>(today_.year()) - 1;
    year_ = year;
    term_start_ = std::max(absl::CivilDay(year, 8, 1), today_ - 40);
    term_end_ = std::min(absl::CivilDay(year + 1, 8, 31), today_ + 30);
    makeup_ = today_ - 1;
    while (absl::GetWeekday(makeup_) != absl::Weekday::saturday) --makeup_;
    holiday_ = makeup_ - 1;  // The Friday before: rest, then work Saturday.

    RunResult calendar = BureauCli(
        {"bureau", "calendar", "set", "--year", std::to_string(year_),
         "--term",
         absl::StrCat("秋季学期:", Day(term_start_), ":", Day(term_end_)),
         "--holiday", Day(holiday_), "--makeup", Day(makeup_), "--json"});
    ASSERT_EQ(calendar.exit_code, 0) << Describe(calendar);
    ASSERT_GT(ParseJson<v1::SetCalendarResponse>(calendar).school_days(), 0);

    RunResult account = BureauCli(
        {"bureau", "accounts", "create", "--id", "xz-clerk", "--name",
         "浔中中心小学教务处", "--role", "school", "--school",
         "xunzhong-primary", "--json"});
    ASSERT_EQ(account.exit_code, 0) << Describe(account);
    school_token_ = ParseJson<v1::CreateAccountResponse>(account).token();
    RunResult town = BureauCli(
        {"bureau", "accounts", "create", "--id", "xz-town", "--name",
         "浔中镇控辍专干", "--role", "township", "--township", "350526100",
         "--json"});
    ASSERT_EQ(town.exit_code, 0) << Describe(town);
    township_token_ = ParseJson<v1::CreateAccountResponse>(town).token();
  }

  RunResult SchoolCli(std::vector<std::string> args) {
    return Cli(args, {{"BAOXUE_TOKEN", school_token_}});
  }
  RunResult TownshipCli(std::vector<std::string> args) {
    return Cli(args, {{"BAOXUE_TOKEN", township_token_}});
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    std::string path = data_dir() + "/../" + name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return path;
  }

  uint64_t LastSequence() {
    RunResult status = BureauCli({"--json", "bureau", "status"});
    EXPECT_EQ(status.exit_code, 0) << Describe(status);
    return ParseJson<v1::GetSystemStatusResponse>(status).last_sequence();
  }

  absl::CivilDay today_, term_start_, term_end_, makeup_, holiday_;
  int year_ = 0;
  std::string school_token_, township_token_;
};

TEST_F(SchoolDayTest, RegisterImportReportCorrectZeroReportAndReadStatus) {
  // The calendar reads back with its make-up Saturday and holiday.
  RunResult shown = BureauCli({"--json", "bureau", "calendar", "show",
                               "--year", std::to_string(year_)});
  ASSERT_EQ(shown.exit_code, 0) << Describe(shown);
  auto calendar = ParseJson<v1::GetCalendarResponse>(shown).calendar();
  ASSERT_EQ(calendar.makeup_days_size(), 1);
  EXPECT_EQ(clients::FormatDate(calendar.makeup_days(0)), Day(makeup_));
  RunResult shown_zh = BureauCli(
      {"bureau", "calendar", "show", "--year", std::to_string(year_)});
  EXPECT_THAT(shown_zh.out, HasSubstr("调休上课日"));
  EXPECT_THAT(shown_zh.out, HasSubstr("周六"));

  // Two children registered one by one.
  std::string id1 = IdNumber(absl::CivilDay(2018, 3, 7), 1);   // A boy.
  std::string id2 = IdNumber(absl::CivilDay(2018, 5, 12), 2);  // A girl.
  RunResult first = SchoolCli(
      {"school", "students", "register", "--student_number", "G" + id1,
       "--id_number", id1, "--name", "林小明", "--township", "350526100",
       "--village", "350526100001", "--guardian", "林建国:父亲:13905951234",
       "--priority", "留守", "--grade", "3", "--class", "2班", "--enrol_date",
       Day(term_start_), "--json"});
  ASSERT_EQ(first.exit_code, 0) << Describe(first);
  auto registered = ParseJson<v1::RegisterStudentResponse>(first);
  EXPECT_EQ(registered.student().sex(), v1::SEX_MALE);  // From the ID number.
  EXPECT_EQ(registered.student().enrolment().status(),
            v1::ENROLMENT_STATUS_ENROLLED);
  RunResult second = SchoolCli(
      {"school", "students", "register", "--student_number", "G" + id2,
       "--id_number", id2, "--name", "陈小红", "--sex", "女", "--township",
       "350526100", "--village", "350526100002", "--guardian",
       "王芳:母亲:0595-23512345", "--grade", "3", "--class", "2班",
       "--enrol_date", Day(term_start_)});
  ASSERT_EQ(second.exit_code, 0) << Describe(second);
  EXPECT_THAT(second.out, HasSubstr("已登记并入学"));
  EXPECT_THAT(second.out, HasSubstr("在读"));
  // The same child again is refused.
  RunResult again = SchoolCli(
      {"school", "students", "register", "--student_number", "G" + id2,
       "--id_number", id2, "--name", "陈小红", "--township", "350526100",
       "--village", "350526100002", "--grade", "3", "--class", "2班",
       "--enrol_date", Day(term_start_)});
  EXPECT_EQ(again.exit_code, 1) << Describe(again);

  // A roster saved by Excel as GBK, then the same roster as UTF-8 with a
  // BOM: the second run finds every row already there.
  std::string id3 = IdNumber(absl::CivilDay(2019, 2, 14), 3);
  std::string id4 = IdNumber(absl::CivilDay(2019, 8, 20), 4);
  std::string id5 = IdNumber(absl::CivilDay(2017, 6, 11), 5);
  std::string roster = absl::StrCat(
      "学籍号,身份证号,姓名,性别,出生日期,户籍乡镇,户籍村,监护人,重点群体,"
      "年级,班级,入学日期\r\n",
      "G", id3, ",", id3, ",黄志强,男,,350526100,350526100001,",
      "黄海:父亲:13805951111,脱贫户,2,1班,", Day(term_start_), "\r\n",
      "G", id4, ",", id4, ",郑雨欣,,,350526100,350526100002,",
      "\"郑伟:父亲:13805952222;李梅:母亲:13805953333\",低保、留守,1,1班,",
      Day(term_start_), "\r\n",
      "G", id5, ",", id5, ",苏文杰,男,,350526100,350526100001,,,4,3班,",
      Day(term_start_), "\r\n");
  std::string gbk = WriteFile("students-gbk.csv", ToGbk(roster));
  std::string bom = WriteFile("students-bom.csv", "\xEF\xBB\xBF" + roster);
  RunResult imported =
      SchoolCli({"--json", "school", "students", "import", "--file", gbk});
  ASSERT_EQ(imported.exit_code, 0) << Describe(imported);
  auto result = ParseJson<v1::ImportStudentsResponse>(imported);
  EXPECT_EQ(result.accepted(), 3);
  EXPECT_EQ(result.unchanged(), 0);
  EXPECT_EQ(result.rejected(), 0);
  RunResult rerun = SchoolCli({"--json", "school", "students", "import",
                               "--file", bom});
  ASSERT_EQ(rerun.exit_code, 0) << Describe(rerun);
  auto rerun_result = ParseJson<v1::ImportStudentsResponse>(rerun);
  EXPECT_EQ(rerun_result.accepted(), 0);
  EXPECT_EQ(rerun_result.unchanged(), 3);
  EXPECT_EQ(rerun_result.rejected(), 0);
  RunResult rerun_zh = SchoolCli({"school", "students", "import", "--file",
                                  bom});
  ASSERT_EQ(rerun_zh.exit_code, 0) << Describe(rerun_zh);
  EXPECT_THAT(rerun_zh.out, HasSubstr("已存在未变 3 行"));
  EXPECT_THAT(rerun_zh.err, HasSubstr("UTF-8-BOM"));

  std::string seq = std::to_string(LastSequence());
  RunResult listed = SchoolCli({"--json", "--min_sequence", seq, "school",
                                "students", "list", "--all"});
  ASSERT_EQ(listed.exit_code, 0) << Describe(listed);
  EXPECT_EQ(ParseJson<v1::ListStudentsResponse>(listed).students_size(), 5);
  RunResult table = SchoolCli({"--min_sequence", seq, "school", "students",
                               "list"});
  EXPECT_THAT(table.out, HasSubstr("郑雨欣"));
  EXPECT_THAT(table.out, HasSubstr(id4.substr(0, 6) + "********" +
                                   id4.substr(14)));
  EXPECT_THAT(table.out, Not(HasSubstr("," + id4)));
  EXPECT_THAT(table.out, Not(HasSubstr(" " + id4)));

  // The township sees the children of its households, ID numbers masked;
  // the bureau finds one with the full number.
  RunResult town = TownshipCli({"--min_sequence", seq, "township", "students",
                                "list", "--all"});
  ASSERT_EQ(town.exit_code, 0) << Describe(town);
  EXPECT_THAT(town.out, HasSubstr("xunzhong-primary"));
  EXPECT_THAT(town.out, HasSubstr("350526********"));
  EXPECT_THAT(town.out, Not(HasSubstr(id1)));
  RunResult found = BureauCli({"--min_sequence", seq, "bureau", "students",
                               "find", "--id_number", id1});
  ASSERT_EQ(found.exit_code, 0) << Describe(found);
  EXPECT_THAT(found.out, HasSubstr(id1));
  EXPECT_THAT(found.out, HasSubstr("留守"));

  // The 调休 Saturday's absences from a CSV: revision 1.
  std::string absences = WriteFile(
      "absences.csv",
      absl::StrCat("学籍号,姓名,类别,原因,半天\n", "G", id1,
                   ",林小明,病假,发烧,否\n", "G", id3, ",黄志强,旷课,,半天\n"));
  RunResult submitted = SchoolCli({"--json", "school", "attendance", "submit",
                                   "--date", Day(makeup_), "--file", absences});
  ASSERT_EQ(submitted.exit_code, 0) << Describe(submitted);
  auto report = ParseJson<v1::SubmitAttendanceReportResponse>(submitted);
  EXPECT_EQ(report.report().revision(), 1);
  ASSERT_EQ(report.report().absences_size(), 2);
  EXPECT_EQ(report.report().absences(0).category(),
            v1::ABSENCE_CATEGORY_SICK_LEAVE);
  EXPECT_TRUE(report.report().absences(1).half_day());

  // The correction: 黄志强 was away all day, whereabouts unknown; 郑雨欣
  // was on personal leave. Revision 2.
  RunResult corrected = SchoolCli(
      {"school", "attendance", "submit", "--date", Day(makeup_), "--absent",
       "G" + id1 + ":sick:发烧", "--absent", "G" + id3 + ":去向不明",
       "--absent", "G" + id4 + ":事假:家中有事"});
  ASSERT_EQ(corrected.exit_code, 0) << Describe(corrected);
  EXPECT_THAT(corrected.out, HasSubstr("第 2 版"));
  seq = std::to_string(LastSequence());
  RunResult day = SchoolCli({"--json", "--min_sequence", seq, "school",
                             "attendance", "show", "--date", Day(makeup_)});
  ASSERT_EQ(day.exit_code, 0) << Describe(day);
  auto stored = ParseJson<v1::GetAttendanceReportResponse>(day).report();
  EXPECT_EQ(stored.revision(), 2);
  ASSERT_EQ(stored.absences_size(), 3);
  EXPECT_EQ(stored.absences(1).category(),
            v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN);
  RunResult day_en = SchoolCli({"--lang", "en", "--min_sequence", seq,
                                "school", "attendance", "show", "--date",
                                Day(makeup_)});
  EXPECT_THAT(day_en.out, HasSubstr("whereabouts unknown"));
  EXPECT_THAT(day_en.out, HasSubstr("personal leave"));

  // A bad absences file: line 3 has an unknown category; nothing is sent.
  std::string bad = WriteFile(
      "bad-absences.csv",
      absl::StrCat("student_number,category\n", "G", id1, ",sick\n", "G", id3,
                   ",迟到\n"));
  uint64_t before = LastSequence();
  RunResult refused = SchoolCli({"school", "attendance", "submit", "--date",
                                 Day(makeup_), "--file", bad});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_THAT(refused.err, HasSubstr("第 3 行"));
  EXPECT_THAT(refused.err, HasSubstr("迟到"));
  // A child the county does not know, on line 3 of the file: the server
  // refuses the whole report and the client names the file's line.
  std::string unknown = WriteFile(
      "unknown-absences.csv",
      absl::StrCat("学籍号,类别\n", "G", id1, ",病假\n",
                   "G350526201001010000,旷课\n"));
  RunResult refused_server = SchoolCli(
      {"--lang", "en", "school", "attendance", "submit", "--date",
       Day(makeup_), "--file", unknown});
  EXPECT_EQ(refused_server.exit_code, 1) << Describe(refused_server);
  EXPECT_THAT(refused_server.err, HasSubstr("file line 3"));
  // The holiday is not a school day.
  RunResult holiday = SchoolCli({"school", "attendance", "submit", "--date",
                                 Day(holiday_), "--zero"});
  EXPECT_EQ(holiday.exit_code, 1) << Describe(holiday);
  EXPECT_EQ(LastSequence(), before);
  day = SchoolCli({"--json", "school", "attendance", "show", "--date",
                   Day(makeup_)});
  EXPECT_EQ(ParseJson<v1::GetAttendanceReportResponse>(day).report().revision(),
            2);

  // A zero report on the Thursday before.
  RunResult zero = SchoolCli({"--json", "school", "attendance", "submit",
                              "--date", Day(makeup_ - 2), "--zero"});
  ASSERT_EQ(zero.exit_code, 0) << Describe(zero);
  EXPECT_TRUE(
      ParseJson<v1::SubmitAttendanceReportResponse>(zero).report().zero_report());

  // Reporting status Monday..Saturday: Thursday (zero) and the 调休
  // Saturday reported, Monday-Wednesday missing, the Friday holiday absent.
  seq = std::to_string(LastSequence());
  RunResult status = SchoolCli({"--json", "--min_sequence", seq, "school",
                                "reporting", "--from", Day(makeup_ - 5),
                                "--to", Day(makeup_)});
  ASSERT_EQ(status.exit_code, 0) << Describe(status);
  auto own = ParseJson<v1::GetReportingStatusResponse>(status).status();
  ASSERT_EQ(own.days_size(), 5) << status.out;
  EXPECT_EQ(own.reported_days(), 2);
  EXPECT_EQ(own.missing_days(), 3);
  EXPECT_EQ(own.consecutive_missing_days(), 0);
  EXPECT_EQ(clients::FormatDate(own.days(4).date()), Day(makeup_));
  EXPECT_EQ(own.days(4).absence_count(), 3);
  EXPECT_TRUE(own.days(3).zero_report());
  for (const v1::ReportingDay& d : own.days()) {
    EXPECT_NE(clients::FormatDate(d.date()), Day(holiday_));
  }
  RunResult status_zh = SchoolCli({"--min_sequence", seq, "school",
                                   "reporting", "--from", Day(makeup_ - 5),
                                   "--to", Day(makeup_)});
  EXPECT_THAT(status_zh.out, HasSubstr("零报告"));
  EXPECT_THAT(status_zh.out, HasSubstr("未上报"));
  EXPECT_THAT(status_zh.out, HasSubstr("周六"));

  RunResult township = TownshipCli({"--json", "--min_sequence", seq,
                                    "township", "reporting", "--from",
                                    Day(makeup_ - 5), "--to", Day(makeup_)});
  ASSERT_EQ(township.exit_code, 0) << Describe(township);
  auto town_status = ParseJson<v1::GetTownshipReportingStatusResponse>(township);
  ASSERT_EQ(town_status.schools_size(), 1);
  EXPECT_EQ(town_status.schools(0).missing_days(), 3);
  RunResult county = BureauCli({"--min_sequence", seq, "bureau", "reporting",
                                "--from", Day(makeup_ - 5), "--to",
                                Day(makeup_), "--township", "350526100"});
  ASSERT_EQ(county.exit_code, 0) << Describe(county);
  EXPECT_THAT(county.out, HasSubstr("浔中中心小学"));
  EXPECT_THAT(county.out, HasSubstr(Day(makeup_ - 5).substr(5)));
}

TEST_F(SchoolDayTest, AllOrNothingImportListsEveryBadRowAndWritesNothing) {
  std::string id3 = IdNumber(absl::CivilDay(2019, 2, 14), 3);
  std::string id4 = IdNumber(absl::CivilDay(2019, 8, 20), 4);
  std::string roster = absl::StrCat(
      "student_number,id_number,name,household_township,household_village,"
      "grade,class_name,enrol_date\n",
      "G", id3, ",", id3, ",黄志强,350526100,350526100001,2,1班,",
      Day(term_start_), "\n",
      // Line 3: grade 8 is not taught at a primary school (the server says).
      "G", id4, ",", id4, ",郑雨欣,350526100,350526100002,8,1班,",
      Day(term_start_), "\n",
      // Line 4: a bad priority word would be here; a bad date instead.
      "J35052620190000000A,,无名,350526100,350526100001,1,1班,明天\n");
  std::string path = WriteFile("roster.csv", roster);
  uint64_t before = LastSequence();
  RunResult run = SchoolCli({"school", "students", "import", "--file", path});
  EXPECT_EQ(run.exit_code, 1) << Describe(run);
  EXPECT_THAT(run.err, HasSubstr("第 3 行"));
  EXPECT_THAT(run.err, HasSubstr("第 4 行"));
  EXPECT_THAT(run.err, HasSubstr("--good_rows_only"));
  EXPECT_EQ(LastSequence(), before);

  // Only the good rows, on request.
  RunResult good = SchoolCli({"--json", "school", "students", "import",
                              "--file", path, "--good_rows_only"});
  EXPECT_EQ(good.exit_code, 1) << Describe(good);
  auto result = ParseJson<v1::ImportStudentsResponse>(good);
  EXPECT_EQ(result.accepted(), 1);
  EXPECT_EQ(result.rejected(), 2);
  ASSERT_EQ(result.errors_size(), 2);
  EXPECT_EQ(result.errors(0).line(), 3);
  EXPECT_EQ(result.errors(1).line(), 4);
}

}  // namespace
}  // namespace baoxue::e2e
