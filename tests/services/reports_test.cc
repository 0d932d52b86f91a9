// The bureau's reports over a real gRPC channel: the monthly report, the
// ledger export stream, the audit trail and the case watch stream.
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/dates.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

class ReportsTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    SeedCounty();
    school_token_ = MakeAccount("school-xz", v1::ROLE_SCHOOL, kXunzhongPrimary);
    township_token_ = MakeAccount("township-xz", v1::ROLE_TOWNSHIP, "", kXunzhong);
    SetCountyTime(2026, 9, 1, 9);
    child_ = RegisterOk(school_token_, Child("林小明", absl::CivilDay(2017, 3, 5), 11));
  }

  // Reports `children` (by default `child_`) unexcused on each day (school
  // days of early September 2026) and returns the last sequence.
  uint64_t ReportAbsent(const std::vector<v1::Date>& days,
                        const std::vector<v1::Student>& children = {}) {
    uint64_t sequence = 0;
    for (const v1::Date& day : days) {
      SetCountyTime(day.year(), day.month(), day.day(), 17);
      v1::SubmitAttendanceReportRequest request;
      *request.mutable_date() = day;
      const std::vector<v1::Student>& absent =
          children.empty() ? std::vector<v1::Student>{child_} : children;
      for (const v1::Student& c : absent) {
        v1::Absence* a = request.add_absences();
        a->set_student_number(c.student_number());
        a->set_category(v1::ABSENCE_CATEGORY_UNEXCUSED);
      }
      v1::SubmitAttendanceReportResponse response;
      EXPECT_TRUE(SubmitReport(school_token_, request, &response).ok());
      sequence = response.sequence();
    }
    return sequence;
  }

  // Every case of the county (up to 1,000), once the worker has applied
  // `min_sequence`.
  v1::ListCountyCasesResponse AllCases(uint64_t min_sequence) {
    v1::ListCountyCasesRequest request;
    request.set_page_size(1000);
    request.set_min_sequence(min_sequence);
    v1::ListCountyCasesResponse response;
    grpc::Status status = Call(bureau_.get(), &v1::BureauService::Stub::ListCountyCases,
                               admin_token_, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response;
  }

  std::string OpenCaseId(uint64_t min_sequence) {
    v1::ListCountyCasesResponse all = AllCases(min_sequence);
    return all.rows().empty() ? "" : all.rows(0).case_().case_id();
  }

  v1::GetMonthlyReportResponse Monthly(int year, int month, uint64_t min_sequence) {
    v1::GetMonthlyReportRequest request;
    request.set_year(year);
    request.set_month(month);
    request.set_min_sequence(min_sequence);
    v1::GetMonthlyReportResponse response;
    grpc::Status status = Call(bureau_.get(), &v1::BureauService::Stub::GetMonthlyReport,
                               admin_token_, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response;
  }

  static const v1::MonthlyReportLine* Line(const v1::GetMonthlyReportResponse& r,
                                           const std::string& code) {
    for (const auto& line : r.lines()) {
      if (line.township_code() == code) return &line;
    }
    return nullptr;
  }

  std::string school_token_;
  std::string township_token_;
  v1::Student child_;
};

TEST_F(ReportsTest, MonthlyReportCountsTheMonthAndTheMonthEnd) {
  uint64_t seq = ReportAbsent({D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)});
  std::string case_id = OpenCaseId(seq);
  ASSERT_FALSE(case_id.empty());

  v1::GetMonthlyReportResponse september = Monthly(2026, 9, seq);
  EXPECT_FALSE(september.month_complete());
  const v1::MonthlyReportLine* county = Line(september, "");
  const v1::MonthlyReportLine* xunzhong = Line(september, kXunzhong);
  const v1::MonthlyReportLine* longxun = Line(september, kLongxun);
  ASSERT_NE(county, nullptr);
  ASSERT_NE(xunzhong, nullptr);
  ASSERT_NE(longxun, nullptr);
  EXPECT_EQ(county->name(), kCountyName);
  EXPECT_EQ(county->opened(), 1);
  EXPECT_EQ(county->open_at_month_end(), 1);
  EXPECT_EQ(xunzhong->opened(), 1);
  EXPECT_EQ(longxun->opened(), 0);
  EXPECT_EQ(longxun->open_at_month_end(), 0);

  // In October the township dismisses the case: September's month-end
  // count stays as it was, October counts the dismissal.
  SetCountyTime(2026, 10, 9, 10);
  v1::VerifyCaseRequest verify;
  verify.set_case_id(case_id);
  verify.set_outcome(v1::VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE);
  *verify.mutable_verify_date() = D(2026, 10, 9);
  v1::VerifyCaseResponse verified;
  BX_ASSERT_OK(Call(township_.get(), &v1::TownshipService::Stub::VerifyCase,
                    township_token_, verify, &verified));

  september = Monthly(2026, 9, verified.sequence());
  EXPECT_TRUE(september.month_complete());
  EXPECT_EQ(Line(september, "")->open_at_month_end(), 1);
  EXPECT_EQ(Line(september, "")->dismissed(), 0);
  v1::GetMonthlyReportResponse october = Monthly(2026, 10, verified.sequence());
  EXPECT_EQ(Line(october, "")->dismissed(), 1);
  EXPECT_EQ(Line(october, "")->opened(), 0);
  EXPECT_EQ(Line(october, "")->open_at_month_end(), 0);
  EXPECT_GT(Line(october, "")->mean_hours_to_first_contact(), 0.0);
}

TEST_F(ReportsTest, MonthlyReportRefusesAFutureOrInvalidMonth) {
  for (auto [year, month] : {std::pair{2026, 11}, std::pair{2026, 13}, std::pair{1999, 5}}) {
    v1::GetMonthlyReportRequest request;
    request.set_year(year);
    request.set_month(month);
    v1::GetMonthlyReportResponse response;
    grpc::Status status = Call(bureau_.get(), &v1::BureauService::Stub::GetMonthlyReport,
                               admin_token_, request, &response, "en");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << year << "-" << month;
    EXPECT_NE(status.error_message().find("month"), std::string::npos);
  }
}

TEST_F(ReportsTest, ExportStreamsLedgerRowsWithNames) {
  uint64_t seq = ReportAbsent({D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)});
  grpc::ClientContext context;
  Prepare(&context, &admin_token_);
  v1::ExportLedgerRequest request;
  request.set_min_sequence(seq);
  auto reader = bureau_->ExportLedger(&context, request);
  std::vector<v1::CaseRow> rows;
  v1::ExportLedgerResponse chunk;
  while (reader->Read(&chunk)) {
    for (const auto& row : chunk.rows()) rows.push_back(row);
  }
  BX_ASSERT_OK(reader->Finish());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id_number(), child_.id_number());  // bureau: full number
  EXPECT_FALSE(rows[0].school_name().empty());
  EXPECT_EQ(rows[0].township_name(), TownshipName(kXunzhong));
  EXPECT_FALSE(rows[0].village_name().empty());
  EXPECT_EQ(rows[0].case_().kind(), v1::CASE_KIND_CONSECUTIVE_ABSENCE);

  // A viewer's export masks the ID number.
  std::string viewer = MakeAccount("viewer-1", v1::ROLE_BUREAU_VIEWER);
  grpc::ClientContext viewer_context;
  Prepare(&viewer_context, &viewer);
  auto viewer_reader = bureau_->ExportLedger(&viewer_context, request);
  ASSERT_TRUE(viewer_reader->Read(&chunk));
  EXPECT_NE(chunk.rows(0).id_number(), child_.id_number());
  EXPECT_NE(chunk.rows(0).id_number().find("********"), std::string::npos);
  while (viewer_reader->Read(&chunk)) {
  }
  BX_EXPECT_OK(viewer_reader->Finish());

  // A school account may not export the county's ledger.
  grpc::ClientContext school_context;
  Prepare(&school_context, &school_token_);
  auto refused = bureau_->ExportLedger(&school_context, request);
  while (refused->Read(&chunk)) {
  }
  EXPECT_EQ(refused->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReportsTest, AuditTrailByAccountCaseAndChild) {
  uint64_t seq = ReportAbsent({D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)});
  std::string case_id = OpenCaseId(seq);

  auto trail = [&](const std::string& field, const std::string& value) {
    v1::ListAuditTrailRequest request;
    if (field == "account") request.set_account_id(value);
    if (field == "case") request.set_case_id(value);
    if (field == "student") request.set_student_id(value);
    request.set_min_sequence(seq);
    v1::ListAuditTrailResponse response;
    grpc::Status status = Call(bureau_.get(), &v1::BureauService::Stub::ListAuditTrail,
                               admin_token_, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    std::vector<std::string> actions;
    for (const auto& e : response.entries()) actions.push_back(e.action());
    return actions;
  };
  std::vector<std::string> by_account = trail("account", "school-xz");
  EXPECT_EQ(by_account, (std::vector<std::string>{
                            "student_registered", "attendance_reported",
                            "attendance_reported", "attendance_reported"}));
  std::vector<std::string> by_child = trail("student", child_.student_id());
  EXPECT_EQ(by_child.size(), 4u);
  std::vector<std::string> by_case = trail("case", case_id);
  ASSERT_FALSE(by_case.empty());
  EXPECT_EQ(by_case.front(), "attendance_reported");

  v1::ListAuditTrailRequest both;
  both.set_account_id("school-xz");
  both.set_case_id(case_id);
  v1::ListAuditTrailResponse response;
  EXPECT_EQ(Call(bureau_.get(), &v1::BureauService::Stub::ListAuditTrail,
                 admin_token_, both, &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ReportsTest, AuditTrailPagesThroughEveryEntry) {
  ReportAbsent({D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)});
  uint64_t seq = LastSequence();
  std::vector<uint64_t> sequences;
  std::string token;
  do {
    v1::ListAuditTrailRequest request;
    request.set_account_id("school-xz");
    request.set_page_size(1);
    request.set_page_token(token);
    request.set_min_sequence(seq);
    v1::ListAuditTrailResponse response;
    BX_ASSERT_OK(Call(bureau_.get(), &v1::BureauService::Stub::ListAuditTrail,
                      admin_token_, request, &response));
    ASSERT_LE(response.entries_size(), 1);
    for (const auto& e : response.entries()) sequences.push_back(e.sequence());
    token = response.next_page_token();
  } while (!token.empty());
  ASSERT_EQ(sequences.size(), 4u);
  EXPECT_TRUE(std::is_sorted(sequences.begin(), sequences.end()));
}

TEST_F(ReportsTest, WatchSendsCaseChangesAndResumesAfterASequence) {
  uint64_t seq = ReportAbsent({D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)});
  std::string case_id = OpenCaseId(seq);

  grpc::ClientContext context;
  Prepare(&context, &admin_token_);
  v1::WatchCasesRequest request;
  auto reader = bureau_->WatchCases(&context, request);
  v1::WatchCasesResponse change;
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.case_().case_id(), case_id);
  uint64_t opened_at = change.sequence();

  // A change made while the stream is open arrives on it.
  SetCountyTime(2026, 9, 4, 10);
  v1::VerifyCaseRequest verify;
  verify.set_case_id(case_id);
  verify.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
  verify.set_dropout_reason(v1::DROPOUT_REASON_WORKING);
  *verify.mutable_verify_date() = D(2026, 9, 4);
  v1::VerifyCaseResponse verified;
  BX_ASSERT_OK(Call(township_.get(), &v1::TownshipService::Stub::VerifyCase,
                    township_token_, verify, &verified));
  ASSERT_TRUE(reader->Read(&change));
  EXPECT_EQ(change.sequence(), verified.sequence());
  EXPECT_EQ(change.case_().state(), v1::CASE_STATE_CONFIRMED);
  context.TryCancel();
  while (reader->Read(&change)) {
  }
  reader->Finish();

  // Resuming after the opening sequence skips it.
  grpc::ClientContext resumed_context;
  Prepare(&resumed_context, &admin_token_);
  request.set_after_sequence(opened_at);
  auto resumed = bureau_->WatchCases(&resumed_context, request);
  ASSERT_TRUE(resumed->Read(&change));
  EXPECT_EQ(change.sequence(), verified.sequence());
  resumed_context.TryCancel();
  while (resumed->Read(&change)) {
  }
  resumed->Finish();
}

// A page is read in rounds of index entries (issue 8). With a filter that
// rejects most entries, each page reads on round after round, and walking
// the tokens yields every match once, in ledger order.
TEST_F(ReportsTest, AFilteredListingPagesThroughEveryMatchOnce) {
  const std::vector<std::string> names = {
      "陈小红", "黄小华", "郑小刚", "王小芳", "李晓东", "林晓梅", "陈志强", "黄秀英", "郑建国",
      "王丽娟", "李海燕", "林文博", "陈雨涵", "黄子轩", "郑欣怡", "王浩然", "李梓涵"};
  std::vector<v1::Student> early, late, both;
  for (size_t i = 0; i < names.size(); ++i) {
    v1::Student s = RegisterOk(
        school_token_, Child(names[i], absl::CivilDay(2016, 6, 1), 300 + static_cast<int>(i)));
    (i % 5 < 3 ? early : late).push_back(s);
    both.push_back(s);
  }
  // Three unexcused days running open a case (R1): the early children's on
  // 9月3日, the late children's on 9月4日.
  ReportAbsent({D(2026, 9, 1)}, early);
  ReportAbsent({D(2026, 9, 2), D(2026, 9, 3)}, both);
  uint64_t sequence = ReportAbsent({D(2026, 9, 4)}, late);

  using Stub = v1::BureauService::Stub;
  v1::ListCountyCasesResponse every = AllCases(sequence);
  ASSERT_EQ(every.rows_size(), static_cast<int>(names.size()));
  std::vector<std::string> expected;
  for (const v1::CaseRow& row : every.rows()) {
    if (CountyDayOf(row.case_().open_time()) == absl::CivilDay(2026, 9, 4)) {
      expected.push_back(row.case_().student_id());
    }
  }
  ASSERT_EQ(expected.size(), late.size());

  v1::ListCountyCasesRequest page;
  page.set_page_size(2);
  *page.mutable_filter()->mutable_opened_from() = D(2026, 9, 4);
  *page.mutable_filter()->mutable_opened_to() = D(2026, 9, 4);
  std::vector<std::string> walked;
  for (int pages = 0; pages < 20; ++pages) {
    v1::ListCountyCasesResponse response;
    BX_ASSERT_OK(Call(bureau_.get(), &Stub::ListCountyCases, admin_token_, page, &response));
    EXPECT_LE(response.rows_size(), 2);
    for (const v1::CaseRow& row : response.rows()) {
      walked.push_back(row.case_().student_id());
      EXPECT_FALSE(row.student_number().empty()) << "the row lost its child";
    }
    if (response.next_page_token().empty()) break;
    page.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(walked, expected);
}

// Issue 8: no ledger query reads every case. GetSystemStatus counts the keys
// the server has read; around a query on an idle server the difference is
// what the query read.
TEST_F(ReportsTest, LedgerQueriesReadOnlyWhatTheyShow) {
  constexpr int kChildren = 120;
  const std::vector<std::string> surnames = {"林", "陈", "黄", "郑", "王", "李"};
  const std::vector<std::string> given = {"小明", "小红", "小华", "小刚", "小芳",
                                          "晓东", "晓梅", "志强", "秀英", "建国",
                                          "丽娟", "海燕", "文博", "雨涵", "子轩",
                                          "欣怡", "浩然", "梓涵", "俊杰", "佳怡"};
  std::vector<v1::Student> children;
  for (int i = 0; i < kChildren; ++i) {
    children.push_back(RegisterOk(
        school_token_, Child(surnames[i % surnames.size()] + given[i / surnames.size()],
                             absl::CivilDay(2016, 5, 9), 100 + i)));
  }
  uint64_t sequence =
      ReportAbsent({D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)}, children);
  using Stub = v1::BureauService::Stub;
  ASSERT_EQ(AllCases(sequence).rows_size(), kChildren);

  auto keys_read = [&](const std::function<void()>& query) {
    uint64_t before = SystemStatus().storage_keys_read();
    query();
    return SystemStatus().storage_keys_read() - before;
  };
  // Reading every case reads at least a key per case: the count is real.
  EXPECT_GE(keys_read([&] { AllCases(sequence); }),
            static_cast<uint64_t>(kChildren));
  v1::ListCountyCasesRequest page;
  page.set_page_size(5);
  page.mutable_filter()->set_township_code(kXunzhong);
  v1::ListCountyCasesResponse first;
  uint64_t page_keys = keys_read([&] {
    BX_EXPECT_OK(Call(bureau_.get(), &Stub::ListCountyCases, admin_token_, page, &first));
  });
  EXPECT_EQ(first.rows_size(), 5);
  EXPECT_GT(page_keys, 0u);
  EXPECT_LT(page_keys, static_cast<uint64_t>(kChildren) / 2);
  page.set_page_token(first.next_page_token());
  EXPECT_LT(keys_read([&] {
              v1::ListCountyCasesResponse second;
              BX_EXPECT_OK(Call(bureau_.get(), &Stub::ListCountyCases,
                                  admin_token_, page, &second));
              EXPECT_EQ(second.rows_size(), 5);
            }),
            static_cast<uint64_t>(kChildren) / 2);
  v1::GetSummaryResponse summary;
  EXPECT_LT(keys_read([&] {
              BX_EXPECT_OK(Call(bureau_.get(), &Stub::GetSummary, admin_token_,
                                  v1::GetSummaryRequest(), &summary));
            }),
            static_cast<uint64_t>(kChildren) / 2);
  EXPECT_EQ(summary.summary().open(), kChildren);
}

}  // namespace
}  // namespace baoxue::services::testing_server
