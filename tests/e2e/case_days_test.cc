// "A township's day" and "the bureau's day", end to end through the real
// binaries. A school reports a child absent without excuse on three school
// days in a row; the township finds the case in `township cases`, reads its
// timeline, verifies it, visits the family, serves a 限期返校通知书 and
// names the responsible people; the school confirms the return; the bureau
// reads its ledgers, the summary, overdue and escalated lists and alerts,
// names its area lead, and closure decisions are refused where they must be.
// The bureau's tools follow: monthly report, CSV export, audit trail, watch
// (a background process read line by line) and rebuild.
//
// The server runs on the wall clock and the CLI cannot advance it, so a
// case goes no further than RETURNED here (the observation period and the
// closure approval are covered by tests/services with a manual clock).
//
// No sleeps: every read after a write passes --min_sequence with the
// sequence the write's --json answer gave.
#include <iconv.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
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
#include "clients/csv.h"
#include "google/protobuf/struct.pb.h"
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

// A valid ID number (GB 11643 check character) of a child of 350526.
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

class CaseDayTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    SeedCounty();
    if (HasFatalFailure()) return;
    // A term around today (the server runs on the wall clock), Monday to
    // Friday school days.
    today_ = clients::CountyToday();
    int year = today_.month() >= 9 ? static_cast<int>(today_.year())
                                   : static_cast<int>(today_.year()) - 1;
    term_start_ = std::max(absl::CivilDay(year, 8, 1), today_ - 40);
    absl::CivilDay term_end = std::min(absl::CivilDay(year + 1, 8, 31),
                                       today_ + 30);
    RunResult calendar = BureauCli(
        {"bureau", "calendar", "set", "--year", std::to_string(year),
         "--term",
         absl::StrCat("秋季学期:", Day(term_start_), ":", Day(term_end)),
         "--json"});
    ASSERT_EQ(calendar.exit_code, 0) << Describe(calendar);

    school_token_ = CreateAccount("xz-clerk", "浔中中心小学教务处", "school",
                                  "--school", "xunzhong-primary");
    township_token_ = CreateAccount("xz-town", "浔中镇控辍专干", "township",
                                    "--township", "350526100");
    ASSERT_FALSE(school_token_.empty());
    ASSERT_FALSE(township_token_.empty());
  }

  std::string CreateAccount(const std::string& id, const std::string& name,
                            const std::string& role, const std::string& flag,
                            const std::string& value) {
    RunResult run = BureauCli({"bureau", "accounts", "create", "--id", id,
                               "--name", name, "--role", role, flag, value,
                               "--json"});
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    return ParseJson<v1::CreateAccountResponse>(run).token();
  }

  RunResult SchoolCli(std::vector<std::string> args) {
    return Cli(args, {{"BAOXUE_TOKEN", school_token_}});
  }
  RunResult TownshipCli(std::vector<std::string> args) {
    return Cli(args, {{"BAOXUE_TOKEN", township_token_}});
  }

  // Runs a write with --json and returns its sequence; fails the test
  // unless it succeeded.
  template <typename Response>
  uint64_t Write(RunResult run) {
    EXPECT_EQ(run.exit_code, 0) << Describe(run);
    uint64_t sequence = ParseJson<Response>(run).sequence();
    EXPECT_GT(sequence, 0u) << Describe(run);
    return sequence;
  }

  std::string WriteFile(const std::string& name, const std::string& bytes) {
    std::string path = home_dir() + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return path;
  }

  // The `n` school days (Monday to Friday) before today, oldest first.
  std::vector<absl::CivilDay> LastSchoolDays(int n) {
    std::vector<absl::CivilDay> days;
    for (absl::CivilDay d = today_ - 1; static_cast<int>(days.size()) < n;
         --d) {
      absl::Weekday w = absl::GetWeekday(d);
      if (w != absl::Weekday::saturday && w != absl::Weekday::sunday) {
        days.insert(days.begin(), d);
      }
    }
    return days;
  }

  // The school registers 林小明 (or `name`; 留守, so HIGH priority) and
  // reports him absent without excuse on the last three school days,
  // through the CLI. Returns the last report's sequence.
  uint64_t ThreeUnexcusedDays(const std::string& name = "林小明") {
    std::string id = IdNumber(absl::CivilDay(2017, 3, 7), 1);
    student_number_ = "G" + id;
    uint64_t registered = Write<v1::RegisterStudentResponse>(SchoolCli(
        {"school", "students", "register", "--student_number",
         student_number_, "--id_number", id, "--name", name, "--township",
         "350526100", "--village", "350526100001", "--guardian",
         "林建国:父亲:13905951234", "--priority", "留守", "--grade", "3",
         "--class", "2班", "--enrol_date", Day(term_start_), "--json"}));
    uint64_t sequence = registered;
    for (absl::CivilDay day : LastSchoolDays(3)) {
      sequence = Write<v1::SubmitAttendanceReportResponse>(SchoolCli(
          {"school", "attendance", "submit", "--date", Day(day), "--absent",
           student_number_ + ":unexcused:无故未到校", "--json"}));
    }
    return sequence;
  }

  // The one case `township cases` lists after `sequence`.
  std::string OnlyCaseId(uint64_t sequence) {
    RunResult listed = TownshipCli({"--json", "--min_sequence",
                                    std::to_string(sequence), "township",
                                    "cases"});
    EXPECT_EQ(listed.exit_code, 0) << Describe(listed);
    auto cases = ParseJson<v1::ListCasesResponse>(listed);
    EXPECT_EQ(cases.rows_size(), 1) << listed.out;
    return cases.rows_size() > 0 ? cases.rows(0).case_().case_id() : "";
  }

  absl::CivilDay today_, term_start_;
  std::string school_token_, township_token_, student_number_;
};

TEST_F(CaseDayTest, TownshipsDay) {
  uint64_t reported = ThreeUnexcusedDays();
  std::string seq = std::to_string(reported);

  // 1. My cases, by urgency: the child's case is there, suspected, high.
  RunResult cases = TownshipCli({"--min_sequence", seq, "township", "cases"});
  ASSERT_EQ(cases.exit_code, 0) << Describe(cases);
  for (const char* word : {"案件号", "姓名", "学校", "村", "类型", "状态",
                           "优先级", "逾期", "立案日期", "最近措施", "林小明",
                           "xunzhong-primary", "350526100001", "连续旷课",
                           "疑似", "重点", "共 1 件"}) {
    EXPECT_THAT(cases.out, HasSubstr(word)) << word;
  }
  std::string case_id = OnlyCaseId(reported);
  ASSERT_FALSE(case_id.empty());
  // Filters narrow it; a bad word is a usage error listing the words.
  RunResult closed = TownshipCli(
      {"--min_sequence", seq, "township", "cases", "--ledger", "closed"});
  ASSERT_EQ(closed.exit_code, 0) << Describe(closed);
  EXPECT_THAT(closed.out, HasSubstr("共 0 件"));
  RunResult bad_state =
      TownshipCli({"township", "cases", "--state", "asleep"});
  EXPECT_EQ(bad_state.exit_code, 1) << Describe(bad_state);
  EXPECT_THAT(bad_state.err, HasSubstr("suspected"));
  RunResult english = TownshipCli({"--lang", "en", "--min_sequence", seq,
                                   "township", "cases", "--priority", "high"});
  ASSERT_EQ(english.exit_code, 0) << Describe(english);
  for (const char* word : {"Case", "Village", "Last action",
                           "consecutive absence", "suspected", "high",
                           "1 cases"}) {
    EXPECT_THAT(english.out, HasSubstr(word)) << word;
  }

  // 2. The case's timeline: what opened it and the deadlines.
  RunResult shown = TownshipCli(
      {"--min_sequence", seq, "township", "case", "show", "--case", case_id});
  ASSERT_EQ(shown.exit_code, 0) << Describe(shown);
  for (const char* word : {"儿童", "林建国", "留守", "包保责任人", "期限",
                           "首次联系", "核查", "进行中", "时间线", "立案：连续旷课",
                           "阈值 3", "xz-clerk"}) {
    EXPECT_THAT(shown.out, HasSubstr(word)) << word;
  }

  // 3. Verification: confirming needs a reason (refused locally, exit 1).
  RunResult no_reason = TownshipCli({"township", "case", "verify", "--case",
                                     case_id, "--outcome", "out_of_school"});
  EXPECT_EQ(no_reason.exit_code, 1) << Describe(no_reason);
  EXPECT_THAT(no_reason.err, HasSubstr("--reason"));
  uint64_t verified = Write<v1::VerifyCaseResponse>(TownshipCli(
      {"township", "case", "verify", "--case", case_id, "--outcome",
       "out_of_school", "--reason", "working", "--note", "随父亲在厦门务工",
       "--json"}));
  // Verifying twice is refused by the server (wrong state): exit 1.
  RunResult twice = TownshipCli({"township", "case", "verify", "--case",
                                 case_id, "--outcome", "excused"});
  EXPECT_EQ(twice.exit_code, 1) << Describe(twice);
  EXPECT_THAT(twice.err, HasSubstr("确认辍学"));

  // 4. A home visit starts persuasion; a notice needs its deadline.
  Write<v1::RecordActionResponse>(TownshipCli(
      {"township", "case", "visit", "--case", case_id, "--date", Day(today_),
       "--actors", "林强、王老师", "--met", "母亲", "--attitude", "hesitant",
       "--outcome", "答应考虑", "--next", Day(today_ + 3), "--json"}));
  RunResult no_deadline = TownshipCli(
      {"township", "case", "action", "--case", case_id, "--kind", "notice",
       "--actors", "浔中镇人民政府"});
  EXPECT_EQ(no_deadline.exit_code, 1) << Describe(no_deadline);
  EXPECT_THAT(no_deadline.err, HasSubstr("--deadline"));
  uint64_t noticed = Write<v1::RecordActionResponse>(TownshipCli(
      {"township", "case", "action", "--case", case_id, "--kind", "notice",
       "--actors", "浔中镇人民政府", "--deadline", Day(today_ + 7), "--json"}));
  EXPECT_GT(noticed, verified);
  uint64_t named = Write<v1::AssignResponsibleResponse>(TownshipCli(
      {"township", "case", "responsible", "--case", case_id, "--official",
       "林强", "--teacher", "王丽", "--json"}));
  // A second call naming only the cadre keeps the other two.
  named = Write<v1::AssignResponsibleResponse>(
      TownshipCli({"--min_sequence", std::to_string(named), "township",
                   "case", "responsible", "--case", case_id, "--cadre",
                   "陈福生", "--json"}));

  RunResult persuading = TownshipCli({"--min_sequence", std::to_string(named),
                                      "township", "cases", "--state",
                                      "persuading"});
  ASSERT_EQ(persuading.exit_code, 0) << Describe(persuading);
  EXPECT_THAT(persuading.out, HasSubstr("劝返中"));
  EXPECT_THAT(persuading.out, HasSubstr("限期返校通知书"));

  // 5. The school confirms the return.
  RunResult school_cases = SchoolCli(
      {"--min_sequence", std::to_string(named), "school", "cases"});
  ASSERT_EQ(school_cases.exit_code, 0) << Describe(school_cases);
  EXPECT_THAT(school_cases.out,
              HasSubstr("G350526********" + student_number_.substr(15)));
  EXPECT_THAT(school_cases.out, HasSubstr("2班"));
  Write<v1::RecordSchoolActionResponse>(SchoolCli(
      {"school", "case", "note", "--case", case_id, "--actors", "班主任王丽",
       "--notes", "已与母亲通话", "--json"}));
  uint64_t returned = Write<v1::ConfirmReturnResponse>(SchoolCli(
      {"school", "case", "return", "--case", case_id, "--date", Day(today_),
       "--json"}));
  std::string rseq = std::to_string(returned);

  // The whole timeline, in Chinese and English, with the shared words.
  RunResult timeline = TownshipCli(
      {"--min_sequence", rseq, "township", "case", "show", "--case", case_id});
  ASSERT_EQ(timeline.exit_code, 0) << Describe(timeline);
  for (const char* word :
       {"已复学", "外出务工", "确属辍学/失学", "疑似 → 确认辍学", "家访",
        "犹豫", "限期返校通知书", "返校期限", "林强", "王丽", "陈福生",
        "随父亲在厦门务工", "复学观察期", "xz-town", "xz-clerk",
        "已与母亲通话"}) {
    EXPECT_THAT(timeline.out, HasSubstr(word)) << word;
  }
  RunResult timeline_en =
      TownshipCli({"--lang", "en", "--min_sequence", rseq, "township", "case",
                   "show", "--case", case_id});
  ASSERT_EQ(timeline_en.exit_code, 0) << Describe(timeline_en);
  for (const char* word : {"returned", "home visit", "hesitant",
                           "notice to return", "working", "Timeline",
                           "observation period"}) {
    EXPECT_THAT(timeline_en.out, HasSubstr(word)) << word;
  }
  EXPECT_THAT(timeline_en.out, Not(HasSubstr("时间线")));
  RunResult json = TownshipCli({"--json", "--min_sequence", rseq, "township",
                                "case", "show", "--case", case_id});
  auto detail = ParseJson<v1::GetCaseResponse>(json);
  EXPECT_EQ(detail.row().case_().state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(detail.row().case_().responsible().village_cadre(), "陈福生");
  EXPECT_EQ(detail.row().case_().responsible().township_official(), "林强");
  EXPECT_GE(detail.history_size(), 6);

  // 6. The bureau's summary sees it back at school: 动态清零.
  RunResult summary = BureauCli({"--min_sequence", rseq, "bureau", "summary"});
  ASSERT_EQ(summary.exit_code, 0) << Describe(summary);
  EXPECT_THAT(summary.out, HasSubstr("动态清零"));
  EXPECT_THAT(summary.out, HasSubstr("全县"));
  auto counts = ParseJson<v1::GetSummaryResponse>(BureauCli(
      {"--json", "--min_sequence", rseq, "bureau", "summary", "--township",
       "350526100"}));
  ASSERT_GT(counts.summary().by_state_size(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(counts.summary().by_state(v1::CASE_STATE_RETURNED), 1);
  EXPECT_EQ(counts.summary().out_of_school(), 0);
  EXPECT_TRUE(counts.summary().zero_dropout());
}

TEST_F(CaseDayTest, TownshipImportsRosterAndReportsAChild) {
  std::string good1 = IdNumber(absl::CivilDay(2019, 2, 14), 3);
  std::string good2 = IdNumber(absl::CivilDay(2018, 8, 20), 4);
  std::string bad = good1.substr(0, 17) + (good1[17] == '1' ? "2" : "1");
  // A GBK file with one bad ID number and one bad phone: nothing is sent.
  std::string with_errors = absl::StrCat(
      "身份证号,姓名,监护人,联系电话\r\n", good1, ",黄志强,黄海,13805951111\r\n",
      bad, ",郑雨欣,郑伟,13805952222\r\n", good2, ",陈思思,陈强,12345\r\n");
  RunResult refused = TownshipCli(
      {"township", "roster", "import", "--village", "350526100001", "--file",
       WriteFile("roster-bad.csv", ToGbk(with_errors))});
  EXPECT_EQ(refused.exit_code, 1) << Describe(refused);
  EXPECT_THAT(refused.err, HasSubstr("GB18030"));
  EXPECT_THAT(refused.err, HasSubstr("第 3 行"));
  EXPECT_THAT(refused.err, HasSubstr("第 4 行"));
  EXPECT_THAT(refused.err, Not(HasSubstr("第 2 行")));
  RunResult empty = TownshipCli(
      {"--json", "township", "roster", "list", "--village", "350526100001"});
  ASSERT_EQ(empty.exit_code, 0) << Describe(empty);
  EXPECT_EQ(ParseJson<v1::ListRosterResponse>(empty).entries_size(), 0);

  // English headers, UTF-8 with a BOM: imported; the same file again is
  // safe (the request ids come from the file).
  std::string fixed = absl::StrCat(
      "\xEF\xBB\xBFid_number,name,guardian_name,guardian_phone\n", good1,
      ",黄志强,黄海,13805951111\n", good2, ",陈思思,陈强,0595-23512345\n");
  std::string path = WriteFile("roster.csv", fixed);
  uint64_t imported = Write<v1::UpdateRosterResponse>(
      TownshipCli({"--json", "township", "roster", "import", "--village",
                   "350526100001", "--file", path}));
  uint64_t again = Write<v1::UpdateRosterResponse>(
      TownshipCli({"--json", "township", "roster", "import", "--village",
                   "350526100001", "--file", path}));
  EXPECT_EQ(again, imported);
  RunResult listed =
      TownshipCli({"--min_sequence", std::to_string(imported), "township",
                   "roster", "list", "--village", "350526100001"});
  ASSERT_EQ(listed.exit_code, 0) << Describe(listed);
  EXPECT_THAT(listed.out, HasSubstr("黄志强"));
  EXPECT_THAT(listed.out, HasSubstr("陈思思"));
  EXPECT_THAT(listed.out, HasSubstr("共 2 人"));

  // A child found out of school whom the county has never seen.
  std::string found = IdNumber(absl::CivilDay(2015, 6, 1), 5);
  RunResult report = TownshipCli(
      {"--json", "township", "report-child", "--id_number", found, "--name",
       "郑小龙", "--village", "350526100002", "--guardian",
       "郑大海:父亲:13905950000", "--note", "入户摸排发现未入学"});
  ASSERT_EQ(report.exit_code, 0) << Describe(report);
  auto opened = ParseJson<v1::ReportChildOutOfSchoolResponse>(report);
  EXPECT_FALSE(opened.case_id().empty());
  RunResult reported = TownshipCli(
      {"--min_sequence", std::to_string(opened.sequence()), "township",
       "cases", "--kind", "reported"});
  ASSERT_EQ(reported.exit_code, 0) << Describe(reported);
  EXPECT_THAT(reported.out, HasSubstr(opened.case_id()));
  EXPECT_THAT(reported.out, HasSubstr("摸排发现"));
  // A bad ID number is refused by the server: exit 1.
  RunResult bad_child = TownshipCli(
      {"township", "report-child", "--id_number", bad, "--name", "某某",
       "--village", "350526100002", "--note", "摸排"});
  EXPECT_EQ(bad_child.exit_code, 1) << Describe(bad_child);
}

TEST_F(CaseDayTest, BureausDay) {
  uint64_t reported = ThreeUnexcusedDays();
  std::string case_id = OnlyCaseId(reported);
  ASSERT_FALSE(case_id.empty());
  std::string seq = std::to_string(reported);

  // The suspected ledger, the ledger word as a positional argument.
  RunResult suspected =
      BureauCli({"--min_sequence", seq, "bureau", "ledger", "suspected"});
  ASSERT_EQ(suspected.exit_code, 0) << Describe(suspected);
  for (const char* word : {"疑似辍学台账", case_id.c_str(), "林小明",
                           "350526100", "乡镇", "责任层级", "共 1 件"}) {
    EXPECT_THAT(suspected.out, HasSubstr(word)) << word;
  }
  RunResult dropout_before =
      BureauCli({"--min_sequence", seq, "bureau", "ledger", "dropout"});
  EXPECT_THAT(dropout_before.out, HasSubstr("共 0 件"));
  RunResult bogus = BureauCli({"bureau", "ledger", "everything"});
  EXPECT_EQ(bogus.exit_code, 1) << Describe(bogus);
  EXPECT_THAT(bogus.err, HasSubstr("dropout"));

  uint64_t verified = Write<v1::VerifyCaseResponse>(TownshipCli(
      {"township", "case", "verify", "--case", case_id, "--outcome",
       "out_of_school", "--reason", "learning", "--json"}));
  std::string vseq = std::to_string(verified);
  auto dropout = ParseJson<v1::ListCasesResponse>(
      BureauCli({"--json", "--min_sequence", vseq, "bureau", "ledger",
                 "dropout", "--township", "350526100", "--all"}));
  ASSERT_EQ(dropout.rows_size(), 1);
  EXPECT_EQ(dropout.rows(0).case_().state(), v1::CASE_STATE_CONFIRMED);
  EXPECT_EQ(dropout.rows(0).case_().dropout_reason(),
            v1::DROPOUT_REASON_LEARNING_DIFFICULTY);

  // The summary while the child is out of school: not 动态清零.
  RunResult summary_en = BureauCli({"--lang", "en", "--min_sequence", vseq,
                                    "bureau", "summary"});
  ASSERT_EQ(summary_en.exit_code, 0) << Describe(summary_en);
  EXPECT_THAT(summary_en.out, HasSubstr("zero dropout"));
  EXPECT_THAT(summary_en.out, HasSubstr("schools not reporting"));
  auto counts = ParseJson<v1::GetSummaryResponse>(
      BureauCli({"--json", "--min_sequence", vseq, "bureau", "summary"}));
  EXPECT_EQ(counts.summary().out_of_school(), 1);
  EXPECT_FALSE(counts.summary().zero_dropout());
  EXPECT_EQ(counts.summary().by_state(v1::CASE_STATE_CONFIRMED), 1);

  // Overdue, escalated and alerts answer (nothing is late yet).
  for (const char* command : {"overdue", "escalated"}) {
    RunResult run = BureauCli({"--min_sequence", vseq, "bureau", command});
    ASSERT_EQ(run.exit_code, 0) << command << Describe(run);
    EXPECT_THAT(run.out, HasSubstr("共 0 件")) << command;
  }
  RunResult alerts = BureauCli({"--min_sequence", vseq, "bureau", "alerts",
                                "--all"});
  ASSERT_EQ(alerts.exit_code, 0) << Describe(alerts);
  EXPECT_THAT(alerts.out, HasSubstr("预警"));

  // The area lead, seen in the case.
  uint64_t lead = Write<v1::AssignBureauLeadResponse>(
      BureauCli({"bureau", "case", "lead", "--case", case_id, "--name",
                 "陈副局长", "--json"}));
  RunResult shown = BureauCli({"--min_sequence", std::to_string(lead),
                               "bureau", "case", "show", "--case", case_id});
  ASSERT_EQ(shown.exit_code, 0) << Describe(shown);
  EXPECT_THAT(shown.out, HasSubstr("陈副局长"));
  EXPECT_THAT(shown.out, HasSubstr("厌学/学习困难"));

  // Closure: a rejection needs a reason (exit 1 before any call); a case
  // that is not pending closure is refused by the server (exit 1).
  RunResult no_reason =
      BureauCli({"bureau", "closure", "reject", "--case", case_id});
  EXPECT_EQ(no_reason.exit_code, 1) << Describe(no_reason);
  EXPECT_THAT(no_reason.err, HasSubstr("--reason"));
  RunResult empty_reason = BureauCli(
      {"bureau", "closure", "reject", "--case", case_id, "--reason", ""});
  EXPECT_EQ(empty_reason.exit_code, 1) << Describe(empty_reason);
  RunResult not_pending =
      BureauCli({"bureau", "closure", "approve", "--case", case_id});
  EXPECT_EQ(not_pending.exit_code, 1) << Describe(not_pending);
  EXPECT_THAT(not_pending.err, HasSubstr("待销号"));
  RunResult unknown = BureauCli(
      {"bureau", "closure", "approve", "--case", "350526-2026-99999"});
  EXPECT_EQ(unknown.exit_code, 1) << Describe(unknown);

  // The case goes back to school; the ledger follows it to RETURNED and
  // the summary counts it (the observation period needs time to pass,
  // which the CLI cannot do, so closure approval stops here).
  Write<v1::RecordActionResponse>(TownshipCli(
      {"township", "case", "action", "--case", case_id, "--kind", "phone",
       "--actors", "林强", "--outcome", "母亲答应周一送回", "--json"}));
  uint64_t returned = Write<v1::ConfirmReturnResponse>(SchoolCli(
      {"school", "case", "return", "--case", case_id, "--json"}));
  std::string rseq = std::to_string(returned);
  auto after = ParseJson<v1::ListCasesResponse>(BureauCli(
      {"--json", "--min_sequence", rseq, "bureau", "ledger", "--state",
       "returned"}));
  ASSERT_EQ(after.rows_size(), 1);
  EXPECT_EQ(after.rows(0).case_().case_id(), case_id);
  auto final_counts = ParseJson<v1::GetSummaryResponse>(BureauCli(
      {"--json", "--min_sequence", rseq, "bureau", "summary", "--school",
       "xunzhong-primary"}));
  EXPECT_EQ(final_counts.summary().by_state(v1::CASE_STATE_RETURNED), 1);
  EXPECT_EQ(final_counts.summary().out_of_school(), 0);
  EXPECT_TRUE(final_counts.summary().zero_dropout());

  // Scope and reachability: a school may not read the county's ledger
  // (exit 1); an unreachable server is exit 2.
  RunResult school_ledger = SchoolCli({"bureau", "ledger"});
  EXPECT_EQ(school_ledger.exit_code, 1) << Describe(school_ledger);
  RunResult unreachable = RawCli(
      {"--server", absl::StrCat("127.0.0.1:", ClosedPort()), "--token",
       "bx_nothing", "--timeout", "3", "bureau", "summary"});
  EXPECT_EQ(unreachable.exit_code, 2) << Describe(unreachable);
}

// The bureau's reports and tools: the monthly report, a ledger exported as
// CSV (with a child whose name is a spreadsheet formula), the audit trail,
// a live watch and a rebuild.
TEST_F(CaseDayTest, BureausReportsAndTools) {
  const std::string formula = "=HYPERLINK(\"http://x.invalid\",\"林\")";
  uint64_t reported = ThreeUnexcusedDays(formula);
  std::string case_id = OnlyCaseId(reported);
  ASSERT_FALSE(case_id.empty());
  std::string seq = std::to_string(reported);
  std::string token_file = server().token_file();

  // 1. Watch: started before the change, it prints the change as a JSON
  // line; a second watch replays from the start in words. Each is read
  // until its line arrives (bounded), then stopped with Ctrl-C / SIGTERM.
  auto watch_json = StartCli({"--token_file", token_file, "--json", "bureau",
                              "watch", "--after", seq});
  auto watch_text = StartCli({"--token_file", token_file, "bureau", "watch",
                              "--after", "0"});
  ASSERT_NE(watch_json, nullptr);
  ASSERT_NE(watch_text, nullptr);
  uint64_t verified = Write<v1::VerifyCaseResponse>(TownshipCli(
      {"township", "case", "verify", "--case", case_id, "--outcome",
       "out_of_school", "--reason", "learning", "--json"}));
  std::string vseq = std::to_string(verified);
  std::string line;
  v1::WatchCasesResponse change;
  ASSERT_TRUE(watch_json->ReadLineUntil(
      [&](const std::string& l) {
        change.Clear();
        return google::protobuf::util::JsonStringToMessage(l, &change).ok() &&
               change.sequence() == verified;
      },
      std::chrono::seconds(10), &line))
      << watch_json->Stop().err;
  EXPECT_EQ(change.case_().case_id(), case_id);
  EXPECT_EQ(change.case_().state(), v1::CASE_STATE_CONFIRMED);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  RunResult stopped = watch_json->Stop(SIGINT);
  EXPECT_EQ(stopped.exit_code, 0) << Describe(stopped);
  EXPECT_THAT(stopped.err, HasSubstr("--after " + vseq));
  // Each line shows the case as it is now, so the replayed lines of the
  // earlier events already say 确认辍学: wait for the verification's own.
  ASSERT_TRUE(watch_text->ReadLineUntil(
      [&](const std::string& l) {
        return l.find("事件 " + vseq + " ") != std::string::npos;
      },
      std::chrono::seconds(10), &line))
      << watch_text->Stop().err;
  EXPECT_THAT(line, HasSubstr(case_id));
  EXPECT_THAT(line, HasSubstr("确认辍学"));
  EXPECT_THAT(line, HasSubstr("350526100"));
  RunResult stopped_text = watch_text->Stop(SIGTERM);
  EXPECT_EQ(stopped_text.exit_code, 0) << Describe(stopped_text);

  // 2. The monthly report of this month: a row for 浔中镇 and the total.
  std::string month = Day(today_).substr(0, 7);
  RunResult monthly = BureauCli(
      {"--min_sequence", vseq, "bureau", "monthly", "--month", month});
  ASSERT_EQ(monthly.exit_code, 0) << Describe(monthly);
  for (const char* word : {"月报", "乡镇", "月末在办", "本月立案", "复辍率",
                           "350526100", "浔中镇", "合计", "德化县"}) {
    EXPECT_THAT(monthly.out, HasSubstr(word)) << word;
  }
  auto report = ParseJson<v1::GetMonthlyReportResponse>(BureauCli(
      {"--json", "--min_sequence", vseq, "bureau", "monthly", "--month",
       month, "--township", "350526100"}));
  ASSERT_EQ(report.lines_size(), 1);
  EXPECT_EQ(report.lines(0).name(), "浔中镇");
  EXPECT_EQ(report.lines(0).opened(), 1);
  EXPECT_EQ(report.lines(0).out_of_school_at_month_end(), 1);
  std::string monthly_csv = home_dir() + "/monthly.csv";
  RunResult monthly_en = BureauCli({"--lang", "en", "--min_sequence", vseq,
                                    "bureau", "monthly", "--month", month,
                                    "--csv", monthly_csv});
  ASSERT_EQ(monthly_en.exit_code, 0) << Describe(monthly_en);
  EXPECT_THAT(monthly_en.out, HasSubstr("Open at month end"));
  std::ifstream monthly_in(monthly_csv, std::ios::binary);
  std::string monthly_bytes((std::istreambuf_iterator<char>(monthly_in)),
                            std::istreambuf_iterator<char>());
  EXPECT_EQ(monthly_bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(monthly_bytes, HasSubstr("Relapse rate"));
  EXPECT_EQ(BureauCli({"bureau", "monthly", "--month", "2026-13"}).exit_code,
            1);
  RunResult future = BureauCli({"bureau", "monthly", "--month",
                                absl::StrCat(today_.year() + 1, "-01")});
  EXPECT_EQ(future.exit_code, 1) << Describe(future);

  // 3. Export: the dropout ledger as a file that starts with the BOM, is
  // valid CSV, and shows the formula name as text (a leading ').
  std::string out = home_dir() + "/dropout.csv";
  RunResult exported = BureauCli({"--min_sequence", vseq, "bureau", "export",
                                  "dropout", "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << Describe(exported);
  EXPECT_THAT(exported.out, HasSubstr("已导出 1 件案件"));
  std::ifstream in(out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  ASSERT_GE(bytes.size(), 3u);
  EXPECT_EQ(bytes.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_TRUE(clients::IsValidUtf8(bytes));
  auto records = clients::ParseCsv(bytes);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u) << bytes;
  EXPECT_EQ((*records)[0].fields[0], "案件号");
  EXPECT_EQ((*records)[0].fields[1], "姓名");
  EXPECT_EQ((*records)[1].fields[0], case_id);
  EXPECT_EQ((*records)[1].fields[1], "'" + formula);
  EXPECT_EQ((*records)[0].fields.size(), (*records)[1].fields.size());
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  // Without --out the CSV is standard output and the count standard error;
  // --json with --out gives the count as JSON.
  RunResult piped = BureauCli({"--lang", "en", "--min_sequence", vseq,
                               "bureau", "export", "--state", "confirmed"});
  ASSERT_EQ(piped.exit_code, 0) << Describe(piped);
  EXPECT_EQ(piped.out.substr(0, 7), "\xEF\xBB\xBF" "Case");
  EXPECT_THAT(piped.err, HasSubstr("exported 1 case"));
  RunResult counted = BureauCli({"--json", "--min_sequence", vseq, "bureau",
                                 "export", "--ledger", "suspected", "--out",
                                 home_dir() + "/suspected.csv"});
  ASSERT_EQ(counted.exit_code, 0) << Describe(counted);
  google::protobuf::Struct count;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(counted.out, &count).ok())
      << counted.out;
  EXPECT_EQ(count.fields().at("rows").number_value(), 0);
  EXPECT_EQ(SchoolCli({"bureau", "export", "--out", home_dir() + "/x.csv"})
                .exit_code,
            1);
  EXPECT_FALSE(std::filesystem::exists(home_dir() + "/x.csv"));

  // 4. The audit trail lists the school's writes, with the words for them.
  RunResult audit = BureauCli({"--min_sequence", vseq, "bureau", "audit",
                               "--account", "xz-clerk"});
  ASSERT_EQ(audit.exit_code, 0) << Describe(audit);
  for (const char* word : {"事件序号", "操作人", "xz-clerk", "登记学生",
                           "上报考勤", "共 4 条"}) {
    EXPECT_THAT(audit.out, HasSubstr(word)) << word;
  }
  auto trail = ParseJson<v1::ListAuditTrailResponse>(
      BureauCli({"--json", "--min_sequence", vseq, "bureau", "audit",
                 "--account", "xz-clerk", "--page_size", "2", "--all"}));
  ASSERT_EQ(trail.entries_size(), 4);
  EXPECT_EQ(trail.entries(0).action(), "student_registered");
  EXPECT_EQ(trail.entries(3).action(), "attendance_reported");
  EXPECT_EQ(trail.entries(3).sequence(), reported);
  RunResult by_case = BureauCli({"--lang", "en", "--min_sequence", vseq,
                                 "bureau", "audit", "--case", case_id});
  ASSERT_EQ(by_case.exit_code, 0) << Describe(by_case);
  EXPECT_THAT(by_case.out, HasSubstr("case verified"));
  EXPECT_THAT(by_case.out, HasSubstr("xz-town"));
  ASSERT_FALSE(change.case_().student_id().empty());
  auto by_child = ParseJson<v1::ListAuditTrailResponse>(
      BureauCli({"--json", "--min_sequence", vseq, "bureau", "audit",
                 "--student", change.case_().student_id()}));
  ASSERT_GE(by_child.entries_size(), 1);
  EXPECT_EQ(by_child.entries(0).action(), "student_registered");
  RunResult later = BureauCli({"--min_sequence", vseq, "bureau", "audit",
                               "--account", "xz-clerk", "--from",
                               Day(today_ + 1)});
  ASSERT_EQ(later.exit_code, 0) << Describe(later);
  EXPECT_THAT(later.out, HasSubstr("共 0 条"));
  EXPECT_EQ(BureauCli({"bureau", "audit"}).exit_code, 1);

  // 5. Rebuild: the projections come back from the log, the ledger intact.
  auto rebuilt = ParseJson<v1::RebuildProjectionsResponse>(
      BureauCli({"--json", "bureau", "rebuild"}));
  EXPECT_GE(rebuilt.applied_sequence(), verified);
  RunResult rebuilt_text = BureauCli({"bureau", "rebuild"});
  ASSERT_EQ(rebuilt_text.exit_code, 0) << Describe(rebuilt_text);
  EXPECT_THAT(rebuilt_text.out, HasSubstr("重建"));
  auto after = ParseJson<v1::ListCasesResponse>(
      BureauCli({"--json", "--min_sequence", vseq, "bureau", "ledger",
                 "dropout"}));
  ASSERT_EQ(after.rows_size(), 1);
  EXPECT_EQ(after.rows(0).case_().case_id(), case_id);
  EXPECT_EQ(TownshipCli({"bureau", "rebuild"}).exit_code, 1);
}

TEST_F(CaseDayTest, HelpShowsRealExamples) {
  for (std::vector<std::string> path :
       {std::vector<std::string>{"township", "cases"},
        {"township", "case", "verify"},
        {"township", "case", "visit"},
        {"township", "roster", "import"},
        {"school", "case", "return"},
        {"bureau", "ledger"},
        {"bureau", "closure", "reject"},
        {"bureau", "summary"},
        {"bureau", "monthly"},
        {"bureau", "export"},
        {"bureau", "audit"},
        {"bureau", "watch"},
        {"bureau", "rebuild"}}) {
    path.push_back("--help");
    RunResult help = RawCli(path);
    EXPECT_EQ(help.exit_code, 0) << Describe(help);
    EXPECT_THAT(help.out, HasSubstr("示例：")) << path[0] << " " << path[1];
    EXPECT_THAT(help.out, HasSubstr("baoxue " + path[0] + " " + path[1]));
  }
  RunResult ledger = RawCli({"--lang", "en", "bureau", "ledger", "--help"});
  EXPECT_THAT(ledger.out, HasSubstr("[LEDGER]"));
  EXPECT_THAT(ledger.out, HasSubstr("dropout (辍学台账)"));
}

}  // namespace
}  // namespace baoxue::e2e
