// The case RPCs of issue 5 over a real gRPC channel: one child from three
// unexcused school days through verification, two home visits, a
// 限期返校通知书, return, the observation period and closure approval, and
// another through a dismissal — with the ledgers of the three services and
// the summaries at every step; ledger order, filters and paging; ID-number
// masking; R7 and R4 through the township's RPCs; reporting alerts; and
// every bad input refused with the right status and nothing written.
//
// Reads name the sequence of the write they must see (min_sequence); time
// moves only through the ManualClock and ClockTick events. Nothing sleeps.
#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using Bureau = v1::BureauService::Stub;
using School = v1::SchoolService::Stub;
using Township = v1::TownshipService::Stub;

// ---- Calendar facts, counted here from Calendar2026() independently of
// the server's calendar module.

bool IsSchoolDay(absl::CivilDay day) {
  static const v1::SchoolYearCalendar calendar = Calendar2026();
  bool in_term = false;
  for (const v1::Term& t : calendar.terms()) {
    in_term = in_term || (day >= Day(t.start_date()) && day <= Day(t.end_date()));
  }
  if (!in_term) return false;
  for (const v1::Date& d : calendar.makeup_days()) {
    if (Day(d) == day) return true;
  }
  for (const v1::Date& d : calendar.holidays()) {
    if (Day(d) == day) return false;
  }
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday;
}

absl::CivilDay NthSchoolDayAfter(absl::CivilDay from, int n) {
  absl::CivilDay day = from;
  for (int i = 0; i < n;) {
    ++day;
    if (IsSchoolDay(day)) ++i;
  }
  return day;
}

v1::Date ToD(absl::CivilDay day) {
  return D(static_cast<int>(day.year()), day.month(), day.day());
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(t));
}

// 350526********123X: the division code, eight stars, the last four.
std::string Masked(const std::string& id_number) {
  return id_number.substr(0, 6) + std::string(8, '*') + id_number.substr(14);
}
bool LooksMasked(const std::string& id_number) {
  static const std::regex kPattern("^350526\\*{8}[0-9]{3}[0-9X]$");
  return std::regex_match(id_number, kPattern);
}

void ExpectError(const grpc::Status& status, grpc::StatusCode code,
                 const std::string& text = "", const std::string& what = "") {
  EXPECT_EQ(status.error_code(), code) << what << ": " << Describe(status);
  if (!text.empty()) {
    EXPECT_THAT(status.error_message(), HasSubstr(text)) << what;
  }
}

// What a summary must say at one step of the scenario.
struct Counts {
  int64_t open = 0;
  int64_t out_of_school = 0;
  bool zero_dropout = true;
  int64_t high_priority = 0;
};

class CaseRpcsTest : public ServerFixture {
 protected:
  static constexpr char kXzClerk[] = "xz-clerk";
  static constexpr char kSbClerk[] = "sb-clerk";
  static constexpr char kXzOfficial[] = "xz-official";
  static constexpr char kSbOfficial[] = "sb-official";
  static constexpr char kStaff[] = "bureau-staff";
  static constexpr char kViewer[] = "bureau-viewer";

  void SetUp() override {
    // Tuesday 2026-09-01 07:00, the first day of the autumn term. Set
    // before the server writes anything (record times never go back).
    clock_->Set(CountyTime(2026, 9, 1, 7));
    StartServer();
    ASSERT_NE(server_, nullptr);
    SeedCounty();
    xz_clerk_ = MakeAccount(kXzClerk, v1::ROLE_SCHOOL, kXunzhongPrimary);
    sb_clerk_ = MakeAccount(kSbClerk, v1::ROLE_SCHOOL, kSanbanSchool);
    xz_official_ = MakeAccount(kXzOfficial, v1::ROLE_TOWNSHIP, "", kXunzhong);
    sb_official_ = MakeAccount(kSbOfficial, v1::ROLE_TOWNSHIP, "", kSanban);
    staff_ = MakeAccount(kStaff, v1::ROLE_BUREAU);
    viewer_ = MakeAccount(kViewer, v1::ROLE_BUREAU_VIEWER);
  }

  // ---- Time.
  void At(int year, int month, int day, int hour, int minute = 0) {
    absl::Time t = CountyTime(year, month, day, hour, minute);
    if (t > clock_->Now()) clock_->Set(t);
  }
  // Moves the clock to `t` and appends a ClockTick for it.
  uint64_t TickAt(absl::Time t) {
    if (t > clock_->Now()) clock_->Set(t);
    absl::StatusOr<uint64_t> sequence =
        server_->ticker()->TickAt(t, v1::CLOCK_TICK_KIND_HOURLY);
    EXPECT_TRUE(sequence.ok()) << sequence.status();
    return sequence.value_or(0);
  }

  // The log's last sequence as the bureau sees it.
  uint64_t Logged() { return SystemStatus().last_sequence(); }

  // ---- Children.
  v1::Student NewChild(const std::string& name, absl::CivilDay birth,
                       int sequence,
                       std::vector<v1::PriorityGroup> groups = {},
                       const std::string& village = kXunzhongVillage1) {
    v1::Student s = Child(name, birth, sequence);
    s.set_household_village_code(village);
    for (v1::PriorityGroup g : groups) s.add_priority_groups(g);
    return s;
  }

  // The school's report of `day`, submitted at 16:00 that day (or now, if
  // later). Returns the event's sequence.
  uint64_t Report(const std::string& token, absl::CivilDay day,
                  const std::vector<std::pair<v1::Student, v1::AbsenceCategory>>&
                      absent) {
    At(static_cast<int>(day.year()), day.month(), day.day(), 16);
    v1::SubmitAttendanceReportRequest request;
    *request.mutable_date() = ToD(day);
    for (const auto& [student, category] : absent) {
      v1::Absence* a = request.add_absences();
      a->set_student_number(student.student_number());
      a->set_category(category);
    }
    request.set_zero_report(absent.empty());
    v1::SubmitAttendanceReportResponse response;
    grpc::Status status = SubmitReport(token, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response.sequence();
  }
  // Unexcused absence of `children` on Wed 9-9, Thu 9-10 and Fri 9-11: R1
  // opens their cases on Fri 2026-09-11 16:00. Returns the last sequence.
  uint64_t AbsentFirstWeek(const std::string& token,
                           const std::vector<v1::Student>& children) {
    uint64_t sequence = 0;
    for (int d : {9, 10, 11}) {
      std::vector<std::pair<v1::Student, v1::AbsenceCategory>> rows;
      for (const v1::Student& c : children) {
        rows.emplace_back(c, v1::ABSENCE_CATEGORY_UNEXCUSED);
      }
      sequence = Report(token, absl::CivilDay(2026, 9, d), rows);
    }
    return sequence;
  }

  // ---- Reads.
  v1::ListCasesResponse Township_List(const std::string& token,
                                      const v1::CaseFilter& filter,
                                      uint64_t min_sequence, int page_size = 0,
                                      const std::string& page_token = "") {
    v1::ListCasesRequest request;
    *request.mutable_filter() = filter;
    request.set_min_sequence(min_sequence);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    v1::ListCasesResponse response;
    BX_EXPECT_OK(Call(township_.get(), &Township::ListCases, token, request,
                      &response));
    return response;
  }
  v1::ListSchoolCasesResponse School_List(const std::string& token,
                                          const v1::CaseFilter& filter,
                                          uint64_t min_sequence,
                                          int page_size = 0,
                                          const std::string& page_token = "") {
    v1::ListSchoolCasesRequest request;
    *request.mutable_filter() = filter;
    request.set_min_sequence(min_sequence);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    v1::ListSchoolCasesResponse response;
    BX_EXPECT_OK(Call(school_.get(), &School::ListSchoolCases, token, request,
                      &response));
    return response;
  }
  v1::ListCountyCasesResponse County_List(const std::string& token,
                                          const v1::CaseFilter& filter,
                                          uint64_t min_sequence,
                                          int page_size = 0,
                                          const std::string& page_token = "") {
    v1::ListCountyCasesRequest request;
    *request.mutable_filter() = filter;
    request.set_min_sequence(min_sequence);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    v1::ListCountyCasesResponse response;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::ListCountyCases, token, request,
                      &response));
    return response;
  }
  template <typename Response>
  static std::vector<std::string> Ids(const Response& response) {
    std::vector<std::string> ids;
    for (const v1::CaseRow& row : response.rows()) ids.push_back(row.case_().case_id());
    return ids;
  }
  static v1::CaseFilter Ledger(v1::Ledger ledger) {
    v1::CaseFilter f;
    f.set_ledger(ledger);
    return f;
  }

  v1::GetCaseResponse GetCase(const std::string& case_id, uint64_t min_sequence,
                              const std::string& token = "") {
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    request.set_min_sequence(min_sequence);
    v1::GetCaseResponse response;
    BX_EXPECT_OK(Call(township_.get(), &Township::GetCase,
                      token.empty() ? xz_official_ : token, request, &response));
    return response;
  }

  v1::CaseSummary Summary(const std::string& township,
                          const std::string& school, uint64_t min_sequence) {
    v1::GetSummaryRequest request;
    request.set_township_code(township);
    request.set_school_id(school);
    request.set_min_sequence(min_sequence);
    v1::GetSummaryResponse response;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetSummary, viewer_, request,
                      &response));
    return response.summary();
  }
  // The county, 浔中镇 and 浔中中心小学 all hold the scenario's children.
  void ExpectSummaries(uint64_t min_sequence, const Counts& want,
                       const std::string& step) {
    SCOPED_TRACE(step);
    for (const auto& [township, school] :
         std::vector<std::pair<std::string, std::string>>{
             {"", ""}, {kXunzhong, ""}, {"", kXunzhongPrimary}}) {
      SCOPED_TRACE(absl::StrCat("summary of township '", township,
                                "' school '", school, "'"));
      v1::CaseSummary s = Summary(township, school, min_sequence);
      EXPECT_EQ(s.open(), want.open);
      EXPECT_EQ(s.out_of_school(), want.out_of_school);
      EXPECT_EQ(s.zero_dropout(), want.zero_dropout);
      EXPECT_EQ(s.high_priority(), want.high_priority);
    }
    // Another township's summary is untouched.
    v1::CaseSummary other = Summary(kSanban, "", min_sequence);
    EXPECT_EQ(other.open(), 0);
    EXPECT_TRUE(other.zero_dropout());
  }
  int64_t StateCount(const v1::CaseSummary& s, v1::CaseState state) {
    return state < s.by_state_size() ? s.by_state(state) : -1;
  }

  // ---- Writes.
  grpc::Status Verify(const std::string& case_id, v1::VerificationOutcome outcome,
                      v1::DropoutReason reason, const v1::Date& date,
                      const std::string& note = "", uint64_t* sequence = nullptr,
                      const std::string& lang = "",
                      const std::string& token = "") {
    v1::VerifyCaseRequest request;
    request.set_case_id(case_id);
    request.set_outcome(outcome);
    request.set_dropout_reason(reason);
    request.set_note(note);
    *request.mutable_verify_date() = date;
    v1::VerifyCaseResponse response;
    grpc::Status status =
        Call(township_.get(), &Township::VerifyCase,
             token.empty() ? xz_official_ : token, request, &response, lang);
    if (sequence != nullptr) *sequence = response.sequence();
    return status;
  }
  grpc::Status Act(const std::string& case_id, const v1::CaseAction& action,
                   uint64_t* sequence = nullptr, const std::string& lang = "") {
    v1::RecordActionRequest request;
    request.set_case_id(case_id);
    *request.mutable_action() = action;
    v1::RecordActionResponse response;
    grpc::Status status = Call(township_.get(), &Township::RecordAction,
                               xz_official_, request, &response, lang);
    if (sequence != nullptr) *sequence = response.sequence();
    return status;
  }
  grpc::Status ConfirmReturn(const std::string& token, const std::string& case_id,
                             const v1::Date& date, uint64_t* sequence = nullptr) {
    v1::ConfirmReturnRequest request;
    request.set_case_id(case_id);
    *request.mutable_return_date() = date;
    v1::ConfirmReturnResponse response;
    grpc::Status status = Call(school_.get(), &School::ConfirmReturn, token,
                               request, &response);
    if (sequence != nullptr) *sequence = response.sequence();
    return status;
  }
  grpc::Status Decide(const std::string& token, const std::string& case_id,
                      bool approved, const std::string& reason,
                      uint64_t* sequence = nullptr) {
    v1::DecideClosureRequest request;
    request.set_case_id(case_id);
    request.set_approved(approved);
    request.set_reason(reason);
    v1::DecideClosureResponse response;
    grpc::Status status =
        Call(bureau_.get(), &Bureau::DecideClosure, token, request, &response);
    if (sequence != nullptr) *sequence = response.sequence();
    return status;
  }

  static v1::CaseAction HomeVisit(const v1::Date& date,
                                  v1::GuardianAttitude attitude,
                                  const std::string& outcome) {
    v1::CaseAction a;
    a.set_kind(v1::ACTION_KIND_HOME_VISIT);
    *a.mutable_action_date() = date;
    a.set_actors("浔中镇控辍专干 张明华；班主任 李秀英");
    a.set_met("父亲 王建国");
    a.set_attitude(attitude);
    a.set_outcome(outcome);
    a.set_notes("孩子在家，父亲在外地务工刚回");
    return a;
  }

  std::string xz_clerk_, sb_clerk_, xz_official_, sb_official_, staff_, viewer_;
};

// ---------------------------------------------------------------------------
// The done-when scenario.

TEST_F(CaseRpcsTest, FromThreeAbsencesToClosureAndADismissal) {
  At(2026, 9, 1, 8);
  // 林小明: a child of a registered-poor household (建档立卡), grade 3.
  v1::Student a = RegisterOk(
      xz_clerk_, NewChild("林小明", absl::CivilDay(2017, 5, 10), 11,
                          {v1::PRIORITY_GROUP_POOR_HOUSEHOLD}));
  // 陈小红: no priority group, village 2.
  v1::Student b = RegisterOk(
      xz_clerk_, NewChild("陈小红", absl::CivilDay(2016, 3, 2), 12, {},
                          kXunzhongVillage2));
  ASSERT_FALSE(a.student_id().empty());
  ASSERT_FALSE(b.student_id().empty());

  // Two unexcused days open nothing.
  uint64_t seq = Report(xz_clerk_, absl::CivilDay(2026, 9, 9),
                        {{a, v1::ABSENCE_CATEGORY_UNEXCUSED},
                         {b, v1::ABSENCE_CATEGORY_UNEXCUSED}});
  seq = Report(xz_clerk_, absl::CivilDay(2026, 9, 10),
               {{a, v1::ABSENCE_CATEGORY_UNEXCUSED},
                {b, v1::ABSENCE_CATEGORY_UNEXCUSED}});
  EXPECT_THAT(Ids(Township_List(xz_official_, {}, seq)), IsEmpty());
  ExpectSummaries(seq, {0, 0, true, 0}, "after two days");

  // The third (R1 default 3) opens both cases.
  seq = Report(xz_clerk_, absl::CivilDay(2026, 9, 11),
               {{a, v1::ABSENCE_CATEGORY_UNEXCUSED},
                {b, v1::ABSENCE_CATEGORY_UNEXCUSED}});
  ASSERT_GT(seq, 0u);

  // ---- SUSPECTED: in the suspected ledger of all three services, the
  // priority child first with HIGH.
  auto township_rows = Township_List(xz_official_, Ledger(v1::LEDGER_SUSPECTED), seq);
  ASSERT_EQ(township_rows.rows_size(), 2);
  const v1::Case& first = township_rows.rows(0).case_();
  EXPECT_EQ(first.student_id(), a.student_id());
  EXPECT_EQ(first.state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(first.priority(), v1::CASE_PRIORITY_HIGH);
  EXPECT_EQ(first.kind(), v1::CASE_KIND_CONSECUTIVE_ABSENCE);
  EXPECT_EQ(first.household_township_code(), kXunzhong);
  EXPECT_EQ(first.school_id(), kXunzhongPrimary);
  EXPECT_EQ(township_rows.rows(1).case_().student_id(), b.student_id());
  EXPECT_EQ(township_rows.rows(1).case_().priority(), v1::CASE_PRIORITY_NORMAL);
  const std::string case_a = first.case_id();
  const std::string case_b = township_rows.rows(1).case_().case_id();
  EXPECT_THAT(case_a, ::testing::MatchesRegex("350526-2026-[0-9]{5}"));

  auto school_rows = School_List(xz_clerk_, Ledger(v1::LEDGER_SUSPECTED), seq);
  EXPECT_THAT(Ids(school_rows), ElementsAre(case_a, case_b));
  ASSERT_GE(school_rows.rows_size(), 1);
  EXPECT_EQ(school_rows.rows(0).case_().priority(), v1::CASE_PRIORITY_HIGH);
  auto county_rows = County_List(staff_, Ledger(v1::LEDGER_SUSPECTED), seq);
  EXPECT_THAT(Ids(county_rows), ElementsAre(case_a, case_b));
  ASSERT_GE(county_rows.rows_size(), 1);
  EXPECT_EQ(county_rows.rows(0).case_().priority(), v1::CASE_PRIORITY_HIGH);
  // Nothing in the dropout ledger yet.
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_DROPOUT), seq)),
              IsEmpty());
  ExpectSummaries(seq, {2, 0, true, 1}, "opened");
  EXPECT_EQ(StateCount(Summary("", "", seq), v1::CASE_STATE_SUSPECTED), 2);

  // ---- GetCase: the child, the trigger's evidence and the OPENED entry.
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    EXPECT_EQ(got.student().student_id(), a.student_id());
    EXPECT_EQ(got.student().name(), "林小明");
    EXPECT_EQ(got.row().case_().student_name(), "林小明");
    EXPECT_EQ(got.row().student_number(), a.student_number());
    EXPECT_EQ(got.row().guardian_name(), "王建国");
    EXPECT_EQ(got.row().grade(), 3);
    ASSERT_EQ(got.row().case_().evidence_size(), 1);
    const v1::RuleEvidence& e = got.row().case_().evidence(0);
    EXPECT_EQ(e.rule(), v1::CASE_KIND_CONSECUTIVE_ABSENCE);
    EXPECT_EQ(e.threshold(), 3);
    EXPECT_EQ(e.count(), 3);
    EXPECT_FALSE(e.whereabouts_unknown());
    std::vector<absl::CivilDay> days;
    for (const v1::Date& d : e.dates()) days.push_back(Day(d));
    EXPECT_THAT(days, ElementsAre(absl::CivilDay(2026, 9, 9),
                                  absl::CivilDay(2026, 9, 10),
                                  absl::CivilDay(2026, 9, 11)));
    EXPECT_EQ(e.sequence(), seq);
    EXPECT_EQ(ToTime(got.row().case_().open_time()), CountyTime(2026, 9, 11, 16));
    ASSERT_EQ(got.history_size(), 1);
    EXPECT_EQ(got.history(0).kind(), v1::CASE_HISTORY_KIND_OPENED);
    EXPECT_EQ(got.history(0).to_state(), v1::CASE_STATE_SUSPECTED);
    EXPECT_EQ(got.history(0).evidence().count(), 3);
    EXPECT_EQ(got.history(0).sequence(), seq);
  }

  // ---- Bad inputs on Monday morning: each refused, nothing written.
  At(2026, 9, 14, 10);
  {
    const uint64_t before = Logged();
    ExpectError(Verify("350526-2026-09999", v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_WORKING, D(2026, 9, 14)),
                grpc::StatusCode::NOT_FOUND, "350526-2026-09999", "unknown case");
    ExpectError(Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_UNSPECIFIED, D(2026, 9, 14)),
                grpc::StatusCode::INVALID_ARGUMENT, "辍学原因", "missing reason");
    ExpectError(Verify(case_a, v1::VERIFICATION_OUTCOME_UNSPECIFIED,
                       v1::DROPOUT_REASON_UNSPECIFIED, D(2026, 9, 14)),
                grpc::StatusCode::INVALID_ARGUMENT, "", "missing outcome");
    ExpectError(Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_WORKING, D(2026, 9, 15)),
                grpc::StatusCode::INVALID_ARGUMENT, "", "future verify date");
    ExpectError(Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_WORKING, D(2026, 9, 10)),
                grpc::StatusCode::INVALID_ARGUMENT, "", "before the case opened");
    ExpectError(Verify(case_a, v1::VERIFICATION_OUTCOME_ATTENDING_IN_COUNTY,
                       v1::DROPOUT_REASON_WORKING, D(2026, 9, 14)),
                grpc::StatusCode::INVALID_ARGUMENT, "", "reason on a dismissal");
    // A written notice is not a step for a suspected case.
    v1::CaseAction notice;
    notice.set_kind(v1::ACTION_KIND_RETURN_NOTICE);
    *notice.mutable_action_date() = D(2026, 9, 14);
    notice.set_actors("浔中镇人民政府");
    *notice.mutable_notice_deadline() = D(2026, 9, 21);
    ExpectError(Act(case_a, notice), grpc::StatusCode::FAILED_PRECONDITION, "疑似",
                "notice on a suspected case (zh)");
    ExpectError(Act(case_a, notice, nullptr, "en"),
                grpc::StatusCode::FAILED_PRECONDITION, "suspected",
                "notice on a suspected case (en)");
    ExpectError(ConfirmReturn(xz_clerk_, case_a, D(2026, 9, 14)),
                grpc::StatusCode::FAILED_PRECONDITION, "疑似", "return while suspected");
    ExpectError(Decide(staff_, case_a, true, ""),
                grpc::StatusCode::FAILED_PRECONDITION, "疑似", "closure while suspected");
    // Another township's official.
    ExpectError(Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_WORKING, D(2026, 9, 14), "", nullptr, "",
                       sb_official_),
                grpc::StatusCode::PERMISSION_DENIED, "", "another township");
    EXPECT_EQ(Logged(), before) << "a refused command wrote an event";
  }

  // ---- VerifyCase OUT_OF_SCHOOL with a reason → CONFIRMED (dropout ledger).
  uint64_t verified = 0;
  BX_ASSERT_OK(Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                      v1::DROPOUT_REASON_WORKING, D(2026, 9, 14),
                      "随父亲在晋江务工，电话联系到父亲", &verified));
  ASSERT_GT(verified, seq);
  seq = verified;
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_DROPOUT), seq)),
              ElementsAre(case_a));
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_SUSPECTED), seq)),
              ElementsAre(case_b));
  EXPECT_THAT(Ids(County_List(viewer_, Ledger(v1::LEDGER_DROPOUT), seq)),
              ElementsAre(case_a));
  EXPECT_THAT(Ids(School_List(xz_clerk_, Ledger(v1::LEDGER_DROPOUT), seq)),
              ElementsAre(case_a));
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_CONFIRMED);
    EXPECT_EQ(got.row().case_().verification_outcome(),
              v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
    EXPECT_EQ(got.row().case_().dropout_reason(), v1::DROPOUT_REASON_WORKING);
    EXPECT_TRUE(got.row().case_().has_first_contact_time());
  }
  ExpectSummaries(seq, {2, 1, false, 1}, "confirmed");

  // Verified again: the wrong state, named in Chinese by default and in
  // English on request.
  {
    const uint64_t before = Logged();
    grpc::Status zh = Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                             v1::DROPOUT_REASON_WORKING, D(2026, 9, 14));
    ExpectError(zh, grpc::StatusCode::FAILED_PRECONDITION, "确认辍学");
    EXPECT_THAT(zh.error_message(), HasSubstr(case_a));
    grpc::Status en = Verify(case_a, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                             v1::DROPOUT_REASON_WORKING, D(2026, 9, 14), "",
                             nullptr, "en");
    ExpectError(en, grpc::StatusCode::FAILED_PRECONDITION, "confirmed");
    EXPECT_THAT(en.error_message(), Not(HasSubstr("确认辍学")));
    EXPECT_EQ(Logged(), before);
  }

  // ---- The second child: attending school elsewhere in the province →
  // DISMISSED; it leaves the open ledgers for the closed one.
  uint64_t dismissed = 0;
  BX_ASSERT_OK(Verify(case_b, v1::VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE,
                      v1::DROPOUT_REASON_UNSPECIFIED, D(2026, 9, 14),
                      "已随父母在泉州市区就读，学校将补办转学手续", &dismissed));
  seq = dismissed;
  EXPECT_THAT(Ids(Township_List(xz_official_, {}, seq)), ElementsAre(case_a));
  EXPECT_THAT(Ids(School_List(xz_clerk_, {}, seq)), ElementsAre(case_a));
  EXPECT_THAT(Ids(County_List(staff_, {}, seq)), ElementsAre(case_a));
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_SUSPECTED), seq)),
              IsEmpty());
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_CLOSED), seq)),
              ElementsAre(case_b));
  {
    v1::GetCaseResponse got = GetCase(case_b, seq);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_DISMISSED);
    EXPECT_EQ(got.row().case_().verification_outcome(),
              v1::VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE);
    EXPECT_TRUE(got.row().case_().has_close_time());
    // OPENED, SUSPECTED→DISMISSED, the verifier's note.
    ASSERT_EQ(got.history_size(), 3);
    EXPECT_EQ(got.history(1).kind(), v1::CASE_HISTORY_KIND_STATE_CHANGED);
    EXPECT_EQ(got.history(1).to_state(), v1::CASE_STATE_DISMISSED);
    EXPECT_EQ(got.history(1).account_id(), kXzOfficial);
    EXPECT_EQ(got.history(2).text(), "已随父母在泉州市区就读，学校将补办转学手续");
  }
  ExpectSummaries(seq, {1, 1, false, 1}, "second child dismissed");
  EXPECT_EQ(StateCount(Summary("", "", seq), v1::CASE_STATE_DISMISSED), 1);
  EXPECT_EQ(StateCount(Summary(kXunzhong, "", seq), v1::CASE_STATE_DISMISSED), 1);

  // ---- First home visit → PERSUADING.
  At(2026, 9, 14, 15);
  uint64_t visit1 = 0;
  v1::CaseAction first_visit =
      HomeVisit(D(2026, 9, 14), v1::GUARDIAN_ATTITUDE_HESITANT, "父亲表示考虑让孩子返校");
  *first_visit.mutable_next_step_date() = D(2026, 9, 16);
  BX_ASSERT_OK(Act(case_a, first_visit, &visit1));
  seq = visit1;
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_PERSUADING);
    EXPECT_EQ(got.row().case_().action_count(), 1);
    EXPECT_EQ(got.row().case_().last_action(), v1::ACTION_KIND_HOME_VISIT);
    EXPECT_TRUE(got.row().case_().has_persuasion_start_time());
  }
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_DROPOUT), seq)),
              ElementsAre(case_a));
  ExpectSummaries(seq, {1, 1, false, 1}, "first home visit");
  EXPECT_EQ(StateCount(Summary("", "", seq), v1::CASE_STATE_PERSUADING), 1);
  EXPECT_EQ(StateCount(Summary("", "", seq), v1::CASE_STATE_CONFIRMED), 0);

  // An action dated tomorrow, and a notice without its deadline: refused.
  {
    const uint64_t before = Logged();
    ExpectError(Act(case_a, HomeVisit(D(2026, 9, 15), v1::GUARDIAN_ATTITUDE_SUPPORTIVE,
                                      "未来")),
                grpc::StatusCode::INVALID_ARGUMENT, "", "future action");
    v1::CaseAction no_deadline;
    no_deadline.set_kind(v1::ACTION_KIND_RETURN_NOTICE);
    *no_deadline.mutable_action_date() = D(2026, 9, 14);
    no_deadline.set_actors("浔中镇人民政府");
    ExpectError(Act(case_a, no_deadline), grpc::StatusCode::INVALID_ARGUMENT,
                "通知书期限", "notice without deadline");
    v1::CaseAction no_actors = HomeVisit(D(2026, 9, 14),
                                         v1::GUARDIAN_ATTITUDE_SUPPORTIVE, "");
    no_actors.clear_actors();
    ExpectError(Act(case_a, no_actors), grpc::StatusCode::INVALID_ARGUMENT, "",
                "visit without actors");
    EXPECT_EQ(Logged(), before);
  }

  // ---- Second home visit: still PERSUADING.
  At(2026, 9, 16, 10);
  uint64_t visit2 = 0;
  BX_ASSERT_OK(Act(case_a,
                   HomeVisit(D(2026, 9, 16), v1::GUARDIAN_ATTITUDE_SUPPORTIVE,
                             "父亲同意下周一送孩子返校"),
                   &visit2));
  seq = visit2;
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_PERSUADING);
    EXPECT_EQ(got.row().case_().action_count(), 2);
  }
  ExpectSummaries(seq, {1, 1, false, 1}, "second home visit");

  // ---- 限期返校通知书 with its deadline.
  At(2026, 9, 17, 10);
  v1::CaseAction notice;
  notice.set_kind(v1::ACTION_KIND_RETURN_NOTICE);
  *notice.mutable_action_date() = D(2026, 9, 17);
  notice.set_actors("浔中镇人民政府");
  notice.set_met("父亲 王建国");
  notice.set_outcome("已送达，父亲签收");
  *notice.mutable_notice_deadline() = D(2026, 9, 24);
  uint64_t noticed = 0;
  BX_ASSERT_OK(Act(case_a, notice, &noticed));
  seq = noticed;
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    const v1::Case& c = got.row().case_();
    EXPECT_EQ(c.state(), v1::CASE_STATE_PERSUADING);
    EXPECT_EQ(c.action_count(), 3);
    EXPECT_EQ(c.last_action(), v1::ACTION_KIND_RETURN_NOTICE);
    bool found = false;
    for (const v1::Deadline& d : c.deadlines()) {
      if (d.kind() != v1::DEADLINE_KIND_NOTICE) continue;
      found = true;
      EXPECT_EQ(ToTime(d.due_time()), CountyTime(2026, 9, 25));
      EXPECT_EQ(d.status(), v1::DEADLINE_STATUS_OPEN);
    }
    EXPECT_TRUE(found) << "no notice deadline on the case";
    ASSERT_GE(got.history_size(), 1);
    const v1::CaseHistoryEntry& last = got.history(got.history_size() - 1);
    EXPECT_EQ(last.kind(), v1::CASE_HISTORY_KIND_ACTION);
    EXPECT_EQ(Day(last.action().notice_deadline()), absl::CivilDay(2026, 9, 24));
  }
  ExpectSummaries(seq, {1, 1, false, 1}, "notice");

  // ---- ConfirmReturn: only the school of enrolment.
  At(2026, 9, 21, 9);
  {
    const uint64_t before = Logged();
    ExpectError(ConfirmReturn(sb_clerk_, case_a, D(2026, 9, 21)),
                grpc::StatusCode::PERMISSION_DENIED, "", "another school");
    ExpectError(ConfirmReturn(xz_clerk_, case_a, D(2026, 9, 22)),
                grpc::StatusCode::INVALID_ARGUMENT, "", "future return date");
    ExpectError(ConfirmReturn(xz_clerk_, "350526-2026-09999", D(2026, 9, 21)),
                grpc::StatusCode::NOT_FOUND, "", "unknown case");
    EXPECT_EQ(Logged(), before);
  }
  uint64_t returned = 0;
  BX_ASSERT_OK(ConfirmReturn(xz_clerk_, case_a, D(2026, 9, 21), &returned));
  seq = returned;
  absl::CivilDay observation_end = NthSchoolDayAfter(absl::CivilDay(2026, 9, 21), 20);
  EXPECT_EQ(observation_end, absl::CivilDay(2026, 10, 26));
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    const v1::Case& c = got.row().case_();
    EXPECT_EQ(c.state(), v1::CASE_STATE_RETURNED);
    EXPECT_EQ(Day(c.return_date()), absl::CivilDay(2026, 9, 21));
    bool found = false;
    for (const v1::Deadline& d : c.deadlines()) {
      if (d.kind() == v1::DEADLINE_KIND_NOTICE) {
        EXPECT_EQ(d.status(), v1::DEADLINE_STATUS_MET);
      }
      if (d.kind() != v1::DEADLINE_KIND_OBSERVATION) continue;
      found = true;
      EXPECT_EQ(ToTime(d.due_time()), CountyTime(2026, 10, 27))
          << "20 school days after 2026-09-21 end with 2026-10-26";
    }
    EXPECT_TRUE(found) << "no observation deadline";
  }
  // Back at school: no longer out of school, still open (observation), still
  // on the dropout ledger.
  ExpectSummaries(seq, {1, 0, true, 1}, "returned");
  EXPECT_EQ(StateCount(Summary("", "", seq), v1::CASE_STATE_RETURNED), 1);
  EXPECT_THAT(Ids(Township_List(xz_official_, Ledger(v1::LEDGER_DROPOUT), seq)),
              ElementsAre(case_a));
  {
    const uint64_t before = Logged();
    ExpectError(ConfirmReturn(xz_clerk_, case_a, D(2026, 9, 21)),
                grpc::StatusCode::FAILED_PRECONDITION, "已复学", "returned twice");
    EXPECT_EQ(Logged(), before);
  }

  // ---- The observation period: the evening of the 20th school day it is
  // still running; at midnight the case waits for the bureau.
  seq = TickAt(CountyTime(2026, 10, 26, 23));
  EXPECT_EQ(GetCase(case_a, seq).row().case_().state(), v1::CASE_STATE_RETURNED);
  seq = TickAt(CountyTime(2026, 10, 27, 0));
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_CLOSURE_PENDING);
    EXPECT_FALSE(got.row().case_().overdue());
    const v1::CaseHistoryEntry& last = got.history(got.history_size() - 1);
    EXPECT_EQ(last.to_state(), v1::CASE_STATE_CLOSURE_PENDING);
    EXPECT_EQ(last.account_id(), "") << "time, not a person, moved the case";
  }
  ExpectSummaries(seq, {1, 0, true, 1}, "closure pending");
  EXPECT_EQ(StateCount(Summary("", "", seq), v1::CASE_STATE_CLOSURE_PENDING), 1);

  // ---- DecideClosure: a rejection needs a reason; a viewer decides
  // nothing; then the bureau approves → CLOSED.
  At(2026, 10, 27, 9);
  {
    const uint64_t before = Logged();
    ExpectError(Decide(staff_, case_a, false, ""), grpc::StatusCode::INVALID_ARGUMENT,
                "退回原因", "rejection without reason");
    ExpectError(Decide(viewer_, case_a, true, ""),
                grpc::StatusCode::PERMISSION_DENIED, "", "viewer");
    ExpectError(Decide(staff_, "350526-2026-09999", true, ""),
                grpc::StatusCode::NOT_FOUND, "", "unknown case");
    EXPECT_EQ(Logged(), before);
  }
  uint64_t closed = 0;
  BX_ASSERT_OK(Decide(staff_, case_a, true, "复学满观察期，同意销号", &closed));
  seq = closed;
  ExpectSummaries(seq, {0, 0, true, 0}, "closed");
  {
    v1::CaseSummary county = Summary("", "", seq);
    EXPECT_EQ(StateCount(county, v1::CASE_STATE_CLOSED), 1);
    EXPECT_EQ(StateCount(county, v1::CASE_STATE_DISMISSED), 1);
    EXPECT_EQ(StateCount(county, v1::CASE_STATE_CLOSURE_PENDING), 0);
  }
  EXPECT_THAT(Ids(Township_List(xz_official_, {}, seq)), IsEmpty());
  EXPECT_THAT(Ids(School_List(xz_clerk_, {}, seq)), IsEmpty());
  EXPECT_THAT(Ids(County_List(staff_, {}, seq)), IsEmpty());
  {
    auto closed_rows = County_List(staff_, Ledger(v1::LEDGER_CLOSED), seq);
    std::vector<std::string> ids = Ids(closed_rows);
    std::sort(ids.begin(), ids.end());
    std::vector<std::string> want = {case_a, case_b};
    std::sort(want.begin(), want.end());
    EXPECT_EQ(ids, want);
  }

  // ---- The timeline: one entry per step, oldest first.
  {
    v1::GetCaseResponse got = GetCase(case_a, seq);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_CLOSED);
    EXPECT_TRUE(got.row().case_().has_close_time());
    std::vector<v1::CaseHistoryKind> kinds;
    std::vector<v1::CaseState> to;
    for (const v1::CaseHistoryEntry& e : got.history()) {
      kinds.push_back(e.kind());
      if (e.kind() == v1::CASE_HISTORY_KIND_STATE_CHANGED) to.push_back(e.to_state());
    }
    EXPECT_THAT(kinds, ElementsAre(v1::CASE_HISTORY_KIND_OPENED,
                                   v1::CASE_HISTORY_KIND_STATE_CHANGED,  // confirmed
                                   v1::CASE_HISTORY_KIND_NOTE,  // verification note
                                   v1::CASE_HISTORY_KIND_ACTION,  // visit 1
                                   v1::CASE_HISTORY_KIND_STATE_CHANGED,  // persuading
                                   v1::CASE_HISTORY_KIND_ACTION,  // visit 2
                                   v1::CASE_HISTORY_KIND_ACTION,  // notice
                                   v1::CASE_HISTORY_KIND_STATE_CHANGED,  // returned
                                   v1::CASE_HISTORY_KIND_STATE_CHANGED,  // pending
                                   v1::CASE_HISTORY_KIND_STATE_CHANGED));  // closed
    EXPECT_THAT(to, ElementsAre(v1::CASE_STATE_CONFIRMED, v1::CASE_STATE_PERSUADING,
                                v1::CASE_STATE_RETURNED,
                                v1::CASE_STATE_CLOSURE_PENDING,
                                v1::CASE_STATE_CLOSED));
    ASSERT_EQ(got.history_size(), 10);
    // The visits as recorded, attributed to the official.
    const v1::CaseHistoryEntry& v1e = got.history(3);
    EXPECT_EQ(v1e.account_id(), kXzOfficial);
    EXPECT_EQ(v1e.action().kind(), v1::ACTION_KIND_HOME_VISIT);
    EXPECT_EQ(v1e.action().actors(), "浔中镇控辍专干 张明华；班主任 李秀英");
    EXPECT_EQ(v1e.action().met(), "父亲 王建国");
    EXPECT_EQ(v1e.action().attitude(), v1::GUARDIAN_ATTITUDE_HESITANT);
    EXPECT_EQ(v1e.action().outcome(), "父亲表示考虑让孩子返校");
    EXPECT_EQ(Day(v1e.action().next_step_date()), absl::CivilDay(2026, 9, 16));
    EXPECT_EQ(got.history(5).action().attitude(), v1::GUARDIAN_ATTITUDE_SUPPORTIVE);
    EXPECT_EQ(got.history(7).account_id(), kXzClerk);   // return
    EXPECT_EQ(got.history(9).account_id(), kStaff);     // closure
    // Sequences never go back.
    for (int i = 1; i < got.history_size(); ++i) {
      EXPECT_LE(got.history(i - 1).sequence(), got.history(i).sequence());
    }
    // The school and the bureau see the same timeline.
    v1::GetSchoolCaseRequest sreq;
    sreq.set_case_id(case_a);
    sreq.set_min_sequence(seq);
    v1::GetSchoolCaseResponse school_view;
    BX_EXPECT_OK(Call(school_.get(), &School::GetSchoolCase, xz_clerk_, sreq,
                      &school_view));
    EXPECT_EQ(school_view.history_size(), 10);
    v1::GetCountyCaseRequest creq;
    creq.set_case_id(case_a);
    creq.set_min_sequence(seq);
    v1::GetCountyCaseResponse county_view;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetCountyCase, viewer_, creq,
                      &county_view));
    EXPECT_EQ(county_view.history_size(), 10);
  }

  // A closed case takes nothing more.
  {
    const uint64_t before = Logged();
    ExpectError(Act(case_a, HomeVisit(D(2026, 10, 27),
                                      v1::GUARDIAN_ATTITUDE_SUPPORTIVE, "回访")),
                grpc::StatusCode::FAILED_PRECONDITION, "已销号", "action on closed");
    ExpectError(Decide(staff_, case_a, true, ""),
                grpc::StatusCode::FAILED_PRECONDITION, "已销号", "closed twice");
    EXPECT_EQ(Logged(), before);
  }
}

// ---------------------------------------------------------------------------
// Ledger order, paging, filters and masking.

TEST_F(CaseRpcsTest, LedgersPageInUrgencyOrderFilterAndMaskIdNumbers) {
  At(2026, 9, 1, 8);
  v1::Student n1 = RegisterOk(xz_clerk_, NewChild("郑一", absl::CivilDay(2017, 1, 5), 21));
  v1::Student u = RegisterOk(xz_clerk_, NewChild("郑二", absl::CivilDay(2017, 2, 5), 23));
  v1::Student h = RegisterOk(
      xz_clerk_, NewChild("郑三", absl::CivilDay(2017, 3, 5), 25,
                          {v1::PRIORITY_GROUP_LEFT_BEHIND}));
  v1::Student n2 = RegisterOk(
      xz_clerk_, NewChild("郑四", absl::CivilDay(2017, 4, 5), 27, {},
                          kXunzhongVillage2));

  // N1: three days in the first week; its first contact (1 school day) is
  // missed by Tuesday 01:00 → overdue.
  AbsentFirstWeek(xz_clerk_, {n1});
  uint64_t seq = Report(xz_clerk_, absl::CivilDay(2026, 9, 14),
                        {{u, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN},
                         {h, v1::ABSENCE_CATEGORY_UNEXCUSED},
                         {n2, v1::ABSENCE_CATEGORY_UNEXCUSED}});
  seq = TickAt(CountyTime(2026, 9, 15, 1));
  // U (whereabouts unknown → URGENT), H (left-behind → HIGH), N2: Mon–Wed of
  // the second week, opened Wednesday 16:00.
  for (int d : {15, 16}) {
    seq = Report(xz_clerk_, absl::CivilDay(2026, 9, d),
                 {{u, v1::ABSENCE_CATEGORY_UNEXCUSED},
                  {h, v1::ABSENCE_CATEGORY_UNEXCUSED},
                  {n2, v1::ABSENCE_CATEGORY_UNEXCUSED}});
  }

  // R7: a child the county has never seen, found by the township.
  At(2026, 9, 16, 17);
  v1::ReportChildOutOfSchoolRequest r7;
  v1::Student* found = r7.mutable_child();
  found->set_id_number(IdNumber(kCountyCode, absl::CivilDay(2015, 6, 1), 31));
  found->set_name("郑五");
  found->set_household_township_code(kXunzhong);
  found->set_household_village_code(kXunzhongVillage1);
  v1::Guardian* g = found->add_guardians();
  g->set_name("郑大山");
  g->set_relation("祖父");
  g->set_phone("13905950001");
  r7.set_note("村干部摸排发现在家帮忙务农");
  *r7.mutable_found_date() = D(2026, 9, 16);
  v1::ReportChildOutOfSchoolResponse r7_response;
  BX_ASSERT_OK(Call(township_.get(), &Township::ReportChildOutOfSchool,
                    xz_official_, r7, &r7_response));
  ASSERT_FALSE(r7_response.case_id().empty());
  ASSERT_FALSE(r7_response.student_id().empty());
  seq = r7_response.sequence();
  {
    v1::GetCaseResponse got = GetCase(r7_response.case_id(), seq);
    EXPECT_EQ(got.row().case_().kind(), v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
    EXPECT_EQ(got.row().case_().state(), v1::CASE_STATE_SUSPECTED);
    EXPECT_EQ(got.row().case_().student_id(), r7_response.student_id());
    EXPECT_EQ(got.student().name(), "郑五");
    EXPECT_EQ(got.student().enrolment().status(), v1::ENROLMENT_STATUS_NOT_ENROLLED);
    EXPECT_EQ(got.student().sex(), v1::SEX_MALE);
    EXPECT_TRUE(got.row().case_().school_id().empty());
    ASSERT_EQ(got.row().case_().evidence_size(), 1);
    EXPECT_EQ(Day(got.row().case_().evidence(0).dates(0)), absl::CivilDay(2026, 9, 16));
  }
  // Reported again: the same open case, no second one.
  {
    r7.set_note("再次走访，仍在家");
    v1::ReportChildOutOfSchoolResponse again;
    BX_ASSERT_OK(Call(township_.get(), &Township::ReportChildOutOfSchool,
                      xz_official_, r7, &again));
    EXPECT_EQ(again.case_id(), r7_response.case_id());
    EXPECT_EQ(again.student_id(), r7_response.student_id());
    seq = again.sequence();
  }

  // Every open case, found by walking pages of one.
  std::vector<std::string> walked;
  std::vector<v1::CaseRow> rows;
  std::string token;
  for (int page = 0; page < 20; ++page) {
    auto response = Township_List(xz_official_, {}, seq, 1, token);
    EXPECT_LE(response.rows_size(), 1);
    for (const v1::CaseRow& row : response.rows()) {
      walked.push_back(row.case_().student_id());
      rows.push_back(row);
    }
    token = response.next_page_token();
    if (token.empty()) break;
  }
  ASSERT_EQ(walked.size(), 5u);
  EXPECT_THAT(walked, ElementsAre(u.student_id(), h.student_id(), n1.student_id(),
                                  n2.student_id(), r7_response.student_id()))
      << "URGENT, HIGH, overdue, then by opening time";
  EXPECT_EQ(rows[0].case_().priority(), v1::CASE_PRIORITY_URGENT);
  EXPECT_TRUE(rows[0].case_().evidence(0).whereabouts_unknown());
  EXPECT_EQ(rows[1].case_().priority(), v1::CASE_PRIORITY_HIGH);
  EXPECT_EQ(rows[2].case_().priority(), v1::CASE_PRIORITY_NORMAL);
  EXPECT_TRUE(rows[2].case_().overdue());
  EXPECT_EQ(rows[2].case_().escalation_level(), v1::ESCALATION_LEVEL_TOWNSHIP);
  EXPECT_FALSE(rows[3].case_().overdue());
  const std::string case_u = rows[0].case_().case_id();
  const std::string case_h = rows[1].case_().case_id();
  const std::string case_n1 = rows[2].case_().case_id();
  const std::string case_n2 = rows[3].case_().case_id();
  const std::string case_r = rows[4].case_().case_id();

  // The same order for the bureau, in pages of two, and for the school
  // (the R7 child has no school).
  {
    std::vector<std::string> county;
    std::string t;
    for (int page = 0; page < 10; ++page) {
      auto response = County_List(viewer_, {}, seq, 2, t);
      EXPECT_LE(response.rows_size(), 2);
      for (const auto& id : Ids(response)) county.push_back(id);
      t = response.next_page_token();
      if (t.empty()) break;
    }
    EXPECT_THAT(county, ElementsAre(case_u, case_h, case_n1, case_n2, case_r));
    std::vector<std::string> school;
    t.clear();
    for (int page = 0; page < 10; ++page) {
      auto response = School_List(xz_clerk_, {}, seq, 1, t);
      for (const auto& id : Ids(response)) school.push_back(id);
      t = response.next_page_token();
      if (t.empty()) break;
    }
    EXPECT_THAT(school, ElementsAre(case_u, case_h, case_n1, case_n2));
  }

  // Filters narrow.
  auto filtered = [&](auto set) {
    v1::CaseFilter f;
    set(&f);
    return Ids(Township_List(xz_official_, f, seq));
  };
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_kind(v1::CASE_KIND_CONSECUTIVE_ABSENCE);
              }),
              ElementsAre(case_u, case_h, case_n1, case_n2));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_kind(v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
              }),
              ElementsAre(case_r));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_priority(v1::CASE_PRIORITY_HIGH);
              }),
              ElementsAre(case_h));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_priority(v1::CASE_PRIORITY_URGENT);
              }),
              ElementsAre(case_u));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_priority(v1::CASE_PRIORITY_NORMAL);
              }),
              ElementsAre(case_n1, case_n2, case_r));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) { f->set_overdue_only(true); }),
              ElementsAre(case_n1));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_village_code(kXunzhongVillage2);
              }),
              ElementsAre(case_n2));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                *f->mutable_opened_from() = D(2026, 9, 16);
              }),
              ElementsAre(case_u, case_h, case_n2, case_r));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                *f->mutable_opened_to() = D(2026, 9, 11);
              }),
              ElementsAre(case_n1));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                *f->mutable_opened_from() = D(2026, 9, 12);
                *f->mutable_opened_to() = D(2026, 9, 15);
              }),
              IsEmpty());
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_school_id(kXunzhongPrimary);
                f->set_priority(v1::CASE_PRIORITY_NORMAL);
              }),
              ElementsAre(case_n1, case_n2));
  EXPECT_THAT(filtered([](v1::CaseFilter* f) {
                f->set_state(v1::CASE_STATE_SUSPECTED);
                f->set_kind(v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
              }),
              ElementsAre(case_r));
  // The bureau filters by township and school too.
  {
    v1::CaseFilter f;
    f.set_township_code(kXunzhong);
    EXPECT_THAT(Ids(County_List(staff_, f, seq)),
                ElementsAre(case_u, case_h, case_n1, case_n2, case_r));
    f.set_township_code(kSanban);
    EXPECT_THAT(Ids(County_List(staff_, f, seq)), IsEmpty());
    v1::CaseFilter s;
    s.set_school_id(kXunzhongPrimary);
    s.set_overdue_only(true);
    EXPECT_THAT(Ids(County_List(staff_, s, seq)), ElementsAre(case_n1));
  }
  // Summaries count urgency, priority and overdue.
  {
    v1::CaseSummary s = Summary("", "", seq);
    EXPECT_EQ(s.open(), 5);
    EXPECT_EQ(s.urgent(), 1);
    EXPECT_EQ(s.high_priority(), 1);
    EXPECT_EQ(s.overdue(), 1);
    v1::CaseSummary school = Summary("", kXunzhongPrimary, seq);
    EXPECT_EQ(school.open(), 4);
  }

  // Bad page tokens and sizes.
  {
    v1::ListCasesRequest request;
    request.set_min_sequence(seq);
    request.set_page_token("this is not a token!");
    v1::ListCasesResponse response;
    ExpectError(Call(township_.get(), &Township::ListCases, xz_official_, request,
                     &response),
                grpc::StatusCode::INVALID_ARGUMENT, "page_token", "garbage token");
    // A token of the open ledger used for the suspected-state listing.
    auto page = Township_List(xz_official_, {}, seq, 1);
    ASSERT_FALSE(page.next_page_token().empty());
    request.set_page_token(page.next_page_token());
    request.mutable_filter()->set_state(v1::CASE_STATE_CONFIRMED);
    ExpectError(Call(township_.get(), &Township::ListCases, xz_official_, request,
                     &response),
                grpc::StatusCode::INVALID_ARGUMENT, "page_token", "foreign token");
    // A township token is no county token.
    v1::ListCountyCasesRequest county;
    county.set_page_token(page.next_page_token());
    v1::ListCountyCasesResponse county_response;
    ExpectError(Call(bureau_.get(), &Bureau::ListCountyCases, staff_, county,
                     &county_response),
                grpc::StatusCode::INVALID_ARGUMENT, "page_token", "township token");
    v1::ListCasesRequest sized;
    sized.set_page_size(-1);
    ExpectError(Call(township_.get(), &Township::ListCases, xz_official_, sized,
                     &response),
                grpc::StatusCode::INVALID_ARGUMENT, "page_size", "negative size");
    sized.set_page_size(1001);
    ExpectError(Call(township_.get(), &Township::ListCases, xz_official_, sized,
                     &response),
                grpc::StatusCode::INVALID_ARGUMENT, "page_size", "huge size");
    v1::ListCasesRequest bad_filter;
    bad_filter.mutable_filter()->set_kind(static_cast<v1::CaseKind>(99));
    ExpectError(Call(township_.get(), &Township::ListCases, xz_official_,
                     bad_filter, &response),
                grpc::StatusCode::INVALID_ARGUMENT, "", "kind out of range");
    v1::ListCasesRequest bad_date;
    *bad_date.mutable_filter()->mutable_opened_from() = D(2026, 2, 30);
    ExpectError(Call(township_.get(), &Township::ListCases, xz_official_,
                     bad_date, &response),
                grpc::StatusCode::INVALID_ARGUMENT, "", "impossible date");
  }

  // Masking: ID numbers are masked in the township's and the school's
  // lists and for the viewer, full for a BUREAU account.
  std::map<std::string, std::string> full;  // student id → ID number
  for (const v1::Student& s : {n1, u, h, n2}) full[s.student_id()] = s.id_number();
  full[r7_response.student_id()] = r7.child().id_number();
  const auto township_rows = Township_List(xz_official_, {}, seq);
  for (const v1::CaseRow& row : township_rows.rows()) {
    const std::string& id = full[row.case_().student_id()];
    EXPECT_EQ(row.id_number(), Masked(id)) << "township list";
    EXPECT_TRUE(LooksMasked(row.id_number())) << row.id_number();
  }
  const auto school_rows = School_List(xz_clerk_, {}, seq);
  for (const v1::CaseRow& row : school_rows.rows()) {
    EXPECT_EQ(row.id_number(), Masked(full[row.case_().student_id()]))
        << "school list";
    EXPECT_TRUE(LooksMasked(row.id_number())) << row.id_number();
  }
  const auto viewer_rows = County_List(viewer_, {}, seq);
  for (const v1::CaseRow& row : viewer_rows.rows()) {
    EXPECT_EQ(row.id_number(), Masked(full[row.case_().student_id()]))
        << "viewer list";
  }
  const auto bureau_rows = County_List(staff_, {}, seq);
  for (const v1::CaseRow& row : bureau_rows.rows()) {
    EXPECT_EQ(row.id_number(), full[row.case_().student_id()]) << "bureau list";
    EXPECT_FALSE(LooksMasked(row.id_number()));
  }
  // The first guardian is on the row.
  for (const v1::CaseRow& row : township_rows.rows()) {
    EXPECT_FALSE(row.guardian_name().empty());
    EXPECT_FALSE(row.guardian_phone().empty());
  }
}

// ---------------------------------------------------------------------------
// R4 through the roster, and reporting alerts.

TEST_F(CaseRpcsTest, ARosterChildWhoIsNotEnrolledOpensAnR4Case) {
  At(2026, 9, 7, 9);
  v1::Student enrolled =
      RegisterOk(xz_clerk_, NewChild("黄在读", absl::CivilDay(2017, 7, 7), 41));
  v1::UpdateRosterRequest request;
  request.set_village_code(kXunzhongVillage1);
  auto add = [&](const std::string& id, const std::string& name) {
    v1::RosterEntry* e = request.add_entries();
    e->set_id_number(id);
    e->set_name(name);
    e->set_guardian_name("黄大伯");
    e->set_guardian_phone("13905959999");
  };
  // School age (8 by 31 August 2026) and never enrolled.
  const std::string out_id = IdNumber(kCountyCode, absl::CivilDay(2018, 3, 15), 43);
  add(out_id, "黄失学");
  // Four years old: not yet of school age.
  add(IdNumber(kCountyCode, absl::CivilDay(2022, 1, 1), 45), "黄幼儿");
  // Enrolled at 浔中中心小学.
  add(enrolled.id_number(), "黄在读");
  v1::UpdateRosterResponse response;
  BX_ASSERT_OK(Call(township_.get(), &Township::UpdateRoster, xz_official_, request,
                    &response));
  uint64_t seq = response.sequence();
  ASSERT_GT(seq, 0u);

  v1::CaseFilter f;
  f.set_kind(v1::CASE_KIND_NOT_ENROLLED);
  auto listed = Township_List(xz_official_, f, seq);
  ASSERT_EQ(listed.rows_size(), 1);
  EXPECT_EQ(listed.rows(0).id_number(), Masked(out_id));
  EXPECT_EQ(listed.rows(0).case_().state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(listed.rows(0).case_().household_village_code(), kXunzhongVillage1);
  EXPECT_EQ(listed.rows(0).case_().student_name(), "黄失学");
  // Only this one case anywhere.
  EXPECT_EQ(Township_List(xz_official_, {}, seq).rows_size(), 1);
  EXPECT_EQ(Summary(kXunzhong, "", seq).open(), 1);

  // The roster, masked.
  v1::ListRosterRequest roster;
  roster.set_village_code(kXunzhongVillage1);
  roster.set_min_sequence(seq);
  v1::ListRosterResponse roster_response;
  BX_ASSERT_OK(Call(township_.get(), &Township::ListRoster, xz_official_, roster,
                    &roster_response));
  ASSERT_EQ(roster_response.entries_size(), 3);
  for (const v1::RosterEntry& e : roster_response.entries()) {
    EXPECT_TRUE(LooksMasked(e.id_number())) << e.id_number();
  }

  // A bad entry refuses the whole batch; another township's village is
  // out of scope. Nothing is written.
  const uint64_t before = Logged();
  v1::UpdateRosterRequest bad;
  bad.set_village_code(kXunzhongVillage1);
  v1::RosterEntry* e = bad.add_entries();
  std::string wrong = out_id;
  wrong.back() = wrong.back() == '0' ? '1' : '0';  // a wrong check character
  e->set_id_number(wrong);
  e->set_name("错号");
  ExpectError(Call(township_.get(), &Township::UpdateRoster, xz_official_, bad,
                   &response),
              grpc::StatusCode::INVALID_ARGUMENT, "", "bad ID number");
  v1::UpdateRosterRequest other;
  other.set_village_code(kSanbanVillage);
  *other.add_entries() = request.entries(0);
  other.mutable_entries(0)->clear_village_code();
  ExpectError(Call(township_.get(), &Township::UpdateRoster, xz_official_, other,
                   &response),
              grpc::StatusCode::PERMISSION_DENIED, "", "another township's village");
  EXPECT_EQ(Logged(), before);
}

TEST_F(CaseRpcsTest, ThreeMissingSchoolDaysRaiseAReportingAlert) {
  // Tuesday 9-1 after the cutoff: the first check counts the day.
  uint64_t seq = TickAt(CountyTime(2026, 9, 1, 19));
  // 浔中中心小学 reports Wednesday and Thursday; the others report nothing.
  Report(xz_clerk_, absl::CivilDay(2026, 9, 2), {});
  seq = TickAt(CountyTime(2026, 9, 2, 19));
  {
    v1::ListReportingAlertsRequest request;
    request.set_min_sequence(seq);
    v1::ListReportingAlertsResponse response;
    BX_ASSERT_OK(Call(bureau_.get(), &Bureau::ListReportingAlerts, viewer_,
                      request, &response));
    EXPECT_THAT(response.alerts(), IsEmpty()) << "two days are not three";
  }
  Report(xz_clerk_, absl::CivilDay(2026, 9, 3), {});
  seq = TickAt(CountyTime(2026, 9, 3, 19));
  v1::ListReportingAlertsRequest request;
  request.set_min_sequence(seq);
  v1::ListReportingAlertsResponse response;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::ListReportingAlerts, viewer_, request,
                    &response));
  std::vector<std::string> schools;
  for (const v1::ReportingAlert& a : response.alerts()) {
    schools.push_back(a.school_id());
    EXPECT_EQ(Day(a.first_missing_date()), absl::CivilDay(2026, 9, 1));
    EXPECT_EQ(a.missing_days(), 3);
    EXPECT_FALSE(a.resolved());
  }
  EXPECT_THAT(schools, ElementsAre(kLongxunMiddle, kSanbanSchool));
  EXPECT_EQ(Summary("", "", seq).schools_not_reporting(), 2);
  EXPECT_EQ(Summary(kSanban, "", seq).schools_not_reporting(), 1);
  EXPECT_EQ(Summary(kXunzhong, "", seq).schools_not_reporting(), 0);

  // 三班 reports Friday: its alert is resolved and leaves the open list.
  Report(sb_clerk_, absl::CivilDay(2026, 9, 4), {});
  seq = TickAt(CountyTime(2026, 9, 4, 19));
  request.set_min_sequence(seq);
  response.Clear();
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::ListReportingAlerts, viewer_, request,
                    &response));
  ASSERT_EQ(response.alerts_size(), 1);
  EXPECT_EQ(response.alerts(0).school_id(), kLongxunMiddle);
  EXPECT_EQ(response.alerts(0).missing_days(), 4);
  request.set_include_resolved(true);
  response.Clear();
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::ListReportingAlerts, viewer_, request,
                    &response));
  ASSERT_EQ(response.alerts_size(), 2);
  EXPECT_TRUE(response.alerts(1).resolved());
  EXPECT_EQ(Summary("", "", seq).schools_not_reporting(), 1);
}

}  // namespace
}  // namespace baoxue::services::testing_server
