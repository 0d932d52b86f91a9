// Daily attendance reports and reporting completeness over a real gRPC
// channel (issue 3). The server's ManualClock says what "today" and "the
// cutoff" are; reads name the sequence of the write they follow.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/identifiers.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using Bureau = v1::BureauService::Stub;
using School = v1::SchoolService::Stub;
using Township = v1::TownshipService::Stub;

void ExpectError(const grpc::Status& status, grpc::StatusCode code,
                 const std::string& text, const std::string& what = "") {
  EXPECT_EQ(status.error_code(), code) << what << ": " << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr(text)) << what;
}

const absl::CivilDay kBirth(2018, 3, 12);

v1::SubmitAttendanceReportRequest ZeroReport(const v1::Date& date) {
  v1::SubmitAttendanceReportRequest request;
  *request.mutable_date() = date;
  request.set_zero_report(true);
  return request;
}

v1::Absence Absent(const std::string& student_number,
                   v1::AbsenceCategory category, const std::string& reason = "",
                   bool half_day = false) {
  v1::Absence a;
  a.set_student_number(student_number);
  a.set_category(category);
  a.set_reason(reason);
  a.set_half_day(half_day);
  return a;
}

v1::SubmitAttendanceReportRequest Report(const v1::Date& date,
                                         std::vector<v1::Absence> absences) {
  v1::SubmitAttendanceReportRequest request;
  *request.mutable_date() = date;
  for (auto& a : absences) *request.add_absences() = std::move(a);
  return request;
}

class AttendanceTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    SetCountyTime(2026, 10, 8, 8);
    SeedCounty();
    xunzhong_ = MakeAccount("xunzhong-clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
    sanban_ = MakeAccount("sanban-clerk", v1::ROLE_SCHOOL, kSanbanSchool);
    longxun_ = MakeAccount("longxun-clerk", v1::ROLE_SCHOOL, kLongxunMiddle);
    // 浔中's three pupils and 三班's one, all enrolled since 1 September.
    ming_ = RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
    li_ = RegisterOk(xunzhong_, Child("林小丽", kBirth, 24));
    qiang_ = RegisterOk(xunzhong_, Child("林小强", kBirth, 35));
    wei_ = RegisterOk(sanban_, Child("陈小伟", kBirth, 37), 3, "1班");
    // Tests move the clock forward from Thursday 10-08 08:00.
  }

  // Friday 10-16 09:00: the morning of the last day of the week reported.
  void FridayMorning() { SetCountyTime(2026, 10, 16, 9); }

  grpc::Status Submit(const std::string& token,
                      const v1::SubmitAttendanceReportRequest& request,
                      v1::SubmitAttendanceReportResponse* response = nullptr,
                      const std::string& lang = "") {
    v1::SubmitAttendanceReportResponse local;
    grpc::Status status =
        SubmitReport(token, request, response ? response : &local, lang);
    if (status.ok()) {
      uint64_t sequence = (response ? response : &local)->sequence();
      if (sequence != 0) last_sequence_ = sequence;
    }
    return status;
  }

  grpc::Status GetReport(const std::string& token, const v1::Date& date,
                         uint64_t min_sequence, v1::AttendanceReport* out) {
    v1::GetAttendanceReportRequest request;
    *request.mutable_date() = date;
    request.set_min_sequence(min_sequence);
    v1::GetAttendanceReportResponse response;
    grpc::Status status = Call(school_.get(), &School::GetAttendanceReport,
                               token, request, &response);
    *out = response.report();
    return status;
  }

  v1::SchoolReportingStatus SchoolStatus(const std::string& token,
                                         const v1::Date& start,
                                         const v1::Date& end) {
    v1::GetReportingStatusRequest request;
    *request.mutable_start_date() = start;
    *request.mutable_end_date() = end;
    request.set_min_sequence(last_sequence_);
    v1::GetReportingStatusResponse response;
    grpc::Status status = Call(school_.get(), &School::GetReportingStatus, token,
                               request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response.status();
  }

  std::vector<v1::SchoolReportingStatus> TownshipStatus(
      const std::string& token, const v1::Date& start, const v1::Date& end) {
    v1::GetTownshipReportingStatusRequest request;
    *request.mutable_start_date() = start;
    *request.mutable_end_date() = end;
    request.set_min_sequence(last_sequence_);
    v1::GetTownshipReportingStatusResponse response;
    grpc::Status status = Call(township_.get(),
                               &Township::GetTownshipReportingStatus, token,
                               request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return {response.schools().begin(), response.schools().end()};
  }

  std::vector<v1::SchoolReportingStatus> CountyStatus(
      const v1::Date& start, const v1::Date& end,
      const std::string& township = "") {
    v1::GetCountyReportingStatusRequest request;
    *request.mutable_start_date() = start;
    *request.mutable_end_date() = end;
    request.set_township_code(township);
    request.set_min_sequence(last_sequence_);
    v1::GetCountyReportingStatusResponse response;
    grpc::Status status = Call(bureau_.get(), &Bureau::GetCountyReportingStatus,
                               admin_token_, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return {response.schools().begin(), response.schools().end()};
  }

  std::string xunzhong_, sanban_, longxun_;
  v1::Student ming_, li_, qiang_, wei_;
};

// The dates of a status's days, as "MM-DD" with a mark: R reported,
// M missing, . neither (today before the cutoff).
std::vector<std::string> Days(const v1::SchoolReportingStatus& status) {
  std::vector<std::string> out;
  for (const auto& d : status.days()) {
    out.push_back(absl::StrFormat("%02d-%02d%s", d.date().month(), d.date().day(),
                                  d.reported() ? "R" : d.missing() ? "M" : "."));
  }
  return out;
}

// ---- The date.

TEST_F(AttendanceTest, OnlyASchoolDayMayBeReported) {
  FridayMorning();
  uint64_t before = LastSequence();
  const std::vector<std::pair<v1::Date, std::string>> not_school_days = {
      {D(2026, 10, 11), "a Sunday"},
      {D(2026, 10, 3), "a Saturday of the 国庆 week"},
      {D(2026, 10, 1), "国庆"},
      {D(2026, 10, 5), "a Monday inside the 国庆 holiday"},
      {D(2026, 9, 25), "中秋"},
  };
  for (const auto& [date, what] : not_school_days) {
    for (const std::string lang : {"", "en"}) {
      grpc::Status status = Submit(xunzhong_, ZeroReport(date), nullptr, lang);
      ExpectError(status, grpc::StatusCode::INVALID_ARGUMENT,
                  lang.empty() ? "不是上课日" : "is not a school day", what);
      EXPECT_THAT(status.error_message(), HasSubstr("date")) << what;
    }
  }
  EXPECT_EQ(LastSequence(), before);
  // The make-up days (调休) are school days: Saturday 10-10, Sunday 09-20.
  v1::SubmitAttendanceReportResponse response;
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 10, 10)), &response));
  EXPECT_EQ(response.report().revision(), 1);
  EXPECT_TRUE(response.report().zero_report());
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 9, 20))));
  // A weekday of the winter break, outside every term.
  SetCountyTime(2027, 1, 26, 10);
  before = LastSequence();
  ExpectError(Submit(xunzhong_, ZeroReport(D(2027, 1, 25)), nullptr, "en"),
              grpc::StatusCode::INVALID_ARGUMENT,
              "date: 2027-01-25 is not a school day");
  // The last day of the term is one.
  EXPECT_EQ(LastSequence(), before);
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2027, 1, 22))));
  // A date that is not a date.
  ExpectError(Submit(xunzhong_, ZeroReport(D(2027, 1, 32))),
              grpc::StatusCode::INVALID_ARGUMENT, "date");
  ExpectError(Submit(xunzhong_, ZeroReport(v1::Date())),
              grpc::StatusCode::INVALID_ARGUMENT, "date");
}

TEST_F(AttendanceTest, NotInTheFutureAndNotTooOld) {
  FridayMorning();
  uint64_t before = LastSequence();
  // Friday 09:00: today may be reported, Monday may not.
  ExpectError(Submit(xunzhong_, ZeroReport(D(2026, 10, 19)), nullptr, "en"),
              grpc::StatusCode::INVALID_ARGUMENT, "date");
  EXPECT_EQ(LastSequence(), before);
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 10, 16))));
  // Once the clock reaches Monday, it may.
  SetCountyTime(2026, 10, 19, 0, 1);
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 10, 19))));

  // 30 days back by default: 35 days is refused, 30 is accepted.
  SetCountyTime(2026, 11, 20, 10);
  before = LastSequence();
  grpc::Status old = Submit(xunzhong_, ZeroReport(D(2026, 10, 16)), nullptr, "en");
  ExpectError(old, grpc::StatusCode::INVALID_ARGUMENT,
              "date: 2026-10-16 is more than 30 days ago");
  ExpectError(Submit(xunzhong_, ZeroReport(D(2026, 10, 16))),
              grpc::StatusCode::INVALID_ARGUMENT, "30 天");
  EXPECT_EQ(LastSequence(), before);
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 10, 21))));
  // The window is the report_max_age_days setting.
  v1::UpdateSettingsRequest settings;
  settings.mutable_settings()->set_report_max_age_days(40);
  v1::UpdateSettingsResponse updated;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::UpdateSettings, admin_token_,
                    settings, &updated));
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 10, 15))));
  ExpectError(Submit(xunzhong_, ZeroReport(D(2026, 10, 9))),
              grpc::StatusCode::INVALID_ARGUMENT, "40 天");
}

// ---- The rows.

TEST_F(AttendanceTest, EveryBadRowIsListedAndNothingIsWritten) {
  FridayMorning();
  // 林小强 transferred to 三班 from Monday 10-12; a newcomer enrolled 10-14.
  v1::EnrolmentChange out;
  out.set_student_id(qiang_.student_id());
  *out.mutable_effective_date() = D(2026, 10, 12);
  out.mutable_transfer_out()->set_to_school_id(kSanbanSchool);
  v1::ChangeEnrolmentResponse changed;
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, out, &changed));
  v1::Student newcomer = RegisterOk(xunzhong_, Child("林小新", kBirth, 47), 3,
                                    "2班", D(2026, 10, 14));

  v1::SubmitAttendanceReportRequest bad = Report(
      D(2026, 10, 13),
      {Absent(ming_.student_number(), v1::ABSENCE_CATEGORY_UNEXCUSED, "未到校"),
       Absent("G110105194912310021", v1::ABSENCE_CATEGORY_SICK_LEAVE),  // [1] unknown
       Absent(wei_.student_number(), v1::ABSENCE_CATEGORY_SICK_LEAVE),   // [2] 三班's
       Absent(qiang_.student_number(), v1::ABSENCE_CATEGORY_UNEXCUSED),  // [3] left
       Absent(newcomer.student_number(), v1::ABSENCE_CATEGORY_UNEXCUSED),  // [4] not yet
       Absent(ming_.student_number(), v1::ABSENCE_CATEGORY_SICK_LEAVE),  // [5] twice
       Absent(li_.student_number(), v1::ABSENCE_CATEGORY_UNSPECIFIED),   // [6]
       Absent("", v1::ABSENCE_CATEGORY_UNEXCUSED),                       // [7]
       // [8] and [9] fail before the number is looked up.
       Absent("J3505262018000008AA", v1::ABSENCE_CATEGORY_PERSONAL_LEAVE,
              std::string(201, 'x')),                                    // [8]
       Absent("J3505262018000009AA", static_cast<v1::AbsenceCategory>(9))});  // [9]
  uint64_t before = LastSequence();
  v1::SubmitAttendanceReportResponse response;
  grpc::Status en = Submit(xunzhong_, bad, &response, "en");
  ASSERT_EQ(en.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(en);
  const std::string& m = en.error_message();
  EXPECT_THAT(m, HasSubstr("the report has 9 bad rows; nothing was saved"));
  EXPECT_THAT(m, Not(HasSubstr("absences[0]")));
  // G numbers embed the ID number, so messages show them masked.
  auto shown = [](const std::string& number) {
    return domain::MaskStudentNumber(number);
  };
  EXPECT_THAT(m, HasSubstr("absences[1] (student number G110105********0021): "
                           "no child of the county has this number"));
  EXPECT_THAT(m, Not(HasSubstr("110105194912310021")));
  EXPECT_THAT(m, HasSubstr("absences[2] (student number " +
                           shown(wei_.student_number()) +
                           "): 陈小伟 was not attending this school on 2026-10-13"));
  EXPECT_THAT(m, HasSubstr("absences[3] (student number " +
                           shown(qiang_.student_number()) + "): 林小强 was not attending"));
  EXPECT_THAT(m, HasSubstr("absences[4] (student number " +
                           shown(newcomer.student_number()) + "): 林小新 was not attending"));
  EXPECT_THAT(m, HasSubstr("absences[5] (student number " + shown(ming_.student_number()) +
                           "): the same student appears twice"));
  EXPECT_THAT(m, HasSubstr("absences[6]"));
  EXPECT_THAT(m, HasSubstr("category must be"));
  EXPECT_THAT(m, HasSubstr("absences[7] (student number ): student_number is required"));
  EXPECT_THAT(m, HasSubstr("absences[8] (student number J3505262018000008AA): "
                           "reason"));
  EXPECT_THAT(m, HasSubstr("absences[9] (student number J3505262018000009AA): "
                           "category must be"));
  // In row order, though a row's own checks and the children's lookup run
  // in separate passes.
  size_t previous = 0;
  for (int row = 1; row <= 9; ++row) {
    size_t at = m.find(absl::StrCat("absences[", row, "]"));
    EXPECT_GT(at, previous) << "absences[" << row << "] is out of order in " << m;
    previous = at;
  }
  grpc::Status zh = Submit(xunzhong_, bad, &response);
  EXPECT_EQ(zh.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(zh.error_message(), HasSubstr("考勤报告有 9 行错误，整份报告未保存"));
  for (int row : {2, 3, 4, 5, 6, 7, 8, 9, 10}) {
    EXPECT_THAT(zh.error_message(), HasSubstr(absl::StrCat("第 ", row, " 行")));
  }
  EXPECT_THAT(zh.error_message(), HasSubstr("同一学生在本报告中出现了两次"));
  EXPECT_THAT(zh.error_message(), HasSubstr("本县没有这个学籍号"));
  EXPECT_EQ(LastSequence(), before);  // all or nothing
  v1::AttendanceReport stored;
  ExpectError(GetReport(xunzhong_, D(2026, 10, 13), before, &stored),
              grpc::StatusCode::NOT_FOUND, "2026-10-13");

  // One bad row is enough to refuse the rest.
  v1::SubmitAttendanceReportRequest one_bad = Report(
      D(2026, 10, 13),
      {Absent(ming_.student_number(), v1::ABSENCE_CATEGORY_UNEXCUSED),
       Absent(wei_.student_number(), v1::ABSENCE_CATEGORY_UNEXCUSED)});
  ExpectError(Submit(xunzhong_, one_bad), grpc::StatusCode::INVALID_ARGUMENT,
              "1 行错误");
  EXPECT_EQ(LastSequence(), before);

  // Before its transfer, 林小强 was 浔中's pupil; after it, the newcomer is.
  BX_ASSERT_OK(Submit(xunzhong_,
                      Report(D(2026, 10, 9), {Absent(qiang_.student_number(),
                                                     v1::ABSENCE_CATEGORY_UNEXCUSED)})));
  BX_ASSERT_OK(Submit(xunzhong_,
                      Report(D(2026, 10, 14),
                             {Absent(newcomer.student_number(),
                                     v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN,
                                     "家长电话无人接听", true)})));
}

TEST_F(AttendanceTest, ZeroReportAndAbsencesExcludeEachOther) {
  FridayMorning();
  uint64_t before = LastSequence();
  v1::SubmitAttendanceReportRequest both =
      Report(D(2026, 10, 12),
             {Absent(ming_.student_number(), v1::ABSENCE_CATEGORY_SICK_LEAVE)});
  both.set_zero_report(true);
  ExpectError(Submit(xunzhong_, both), grpc::StatusCode::INVALID_ARGUMENT,
              "zero_report");
  v1::SubmitAttendanceReportRequest neither = Report(D(2026, 10, 12), {});
  ExpectError(Submit(xunzhong_, neither, nullptr, "en"),
              grpc::StatusCode::INVALID_ARGUMENT,
              "absences: is empty; send zero_report when nobody is absent");
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(AttendanceTest, AResubmissionIsACorrectionAndTheSameOneIsNothing) {
  SetCountyTime(2026, 10, 12, 16);
  v1::SubmitAttendanceReportResponse first;
  BX_ASSERT_OK(Submit(xunzhong_,
                      Report(D(2026, 10, 12),
                             {Absent(ming_.student_number(),
                                     v1::ABSENCE_CATEGORY_UNEXCUSED, "未请假")}),
                      &first));
  EXPECT_EQ(first.report().revision(), 1);
  EXPECT_EQ(first.report().submitted_by(), "xunzhong-clerk");
  EXPECT_EQ(first.report().school_id(), kXunzhongPrimary);
  ASSERT_EQ(first.report().absences_size(), 1);
  EXPECT_EQ(first.report().absences(0).student_id(), ming_.student_id());

  // The next morning the family brings a doctor's note: a correction.
  SetCountyTime(2026, 10, 13, 8, 30);
  v1::SubmitAttendanceReportRequest corrected =
      Report(D(2026, 10, 12),
             {Absent(ming_.student_number(), v1::ABSENCE_CATEGORY_SICK_LEAVE,
                     "发烧，有医院证明"),
              Absent(li_.student_number(), v1::ABSENCE_CATEGORY_PERSONAL_LEAVE,
                     "", true)});
  v1::SubmitAttendanceReportResponse second;
  BX_ASSERT_OK(Submit(xunzhong_, corrected, &second));
  EXPECT_EQ(second.report().revision(), 2);
  EXPECT_EQ(second.sequence(), first.sequence() + 1);
  EXPECT_EQ(second.report().submit_time().seconds(),
            absl::ToUnixSeconds(CountyTime(2026, 10, 13, 8, 30)));
  // The worker sees the correction with what it replaced.
  std::vector<v1::Event> events;
  ASSERT_TRUE(server_->log()->Read(second.sequence(), 1, &events).ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].attendance_reported().previous().revision(), 1);
  EXPECT_EQ(events[0].attendance_reported().previous().absences(0).category(),
            v1::ABSENCE_CATEGORY_UNEXCUSED);

  v1::AttendanceReport stored;
  BX_ASSERT_OK(GetReport(xunzhong_, D(2026, 10, 12), second.sequence(), &stored));
  EXPECT_EQ(stored.revision(), 2);
  ASSERT_EQ(stored.absences_size(), 2);
  EXPECT_EQ(stored.absences(0).category(), v1::ABSENCE_CATEGORY_SICK_LEAVE);
  EXPECT_TRUE(stored.absences(1).half_day());

  // The same report again appends nothing and answers with the one on record.
  uint64_t before = LastSequence();
  v1::SubmitAttendanceReportResponse same;
  BX_ASSERT_OK(Submit(xunzhong_, corrected, &same));
  EXPECT_EQ(LastSequence(), before);
  EXPECT_EQ(same.report().revision(), 2);
  EXPECT_EQ(same.report().absences_size(), 2);

  // A correction to a zero report is revision 3; another school's day is its
  // own.
  v1::SubmitAttendanceReportResponse third;
  BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(D(2026, 10, 12)), &third));
  EXPECT_EQ(third.report().revision(), 3);
  EXPECT_TRUE(third.report().zero_report());
  v1::SubmitAttendanceReportResponse other;
  BX_ASSERT_OK(Submit(sanban_, ZeroReport(D(2026, 10, 12)), &other));
  EXPECT_EQ(other.report().revision(), 1);
  BX_ASSERT_OK(GetReport(sanban_, D(2026, 10, 12), other.sequence(), &stored));
  EXPECT_EQ(stored.school_id(), kSanbanSchool);
  ExpectError(GetReport(longxun_, D(2026, 10, 12), other.sequence(), &stored),
              grpc::StatusCode::NOT_FOUND, "");
}

TEST_F(AttendanceTest, OnlySchoolsReport) {
  FridayMorning();
  std::string official = MakeAccount("official", v1::ROLE_TOWNSHIP, "", kXunzhong);
  std::string viewer = MakeAccount("viewer", v1::ROLE_BUREAU_VIEWER);
  uint64_t before = LastSequence();
  for (const std::string* token : {&official, &viewer, &admin_token_}) {
    EXPECT_EQ(Submit(*token, ZeroReport(D(2026, 10, 12))).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(LastSequence(), before);
  // The date range of a status is checked.
  v1::GetReportingStatusRequest request;
  *request.mutable_start_date() = D(2026, 10, 16);
  *request.mutable_end_date() = D(2026, 10, 15);
  v1::GetReportingStatusResponse response;
  ExpectError(Call(school_.get(), &School::GetReportingStatus, xunzhong_,
                   request, &response),
              grpc::StatusCode::INVALID_ARGUMENT, "end_date");
  *request.mutable_start_date() = D(2025, 10, 1);
  ExpectError(Call(school_.get(), &School::GetReportingStatus, xunzhong_,
                   request, &response, "en"),
              grpc::StatusCode::INVALID_ARGUMENT, "366 days");
  request.clear_start_date();
  ExpectError(Call(school_.get(), &School::GetReportingStatus, xunzhong_,
                   request, &response),
              grpc::StatusCode::INVALID_ARGUMENT, "start_date");
}

// ---- The scenario.

TEST_F(AttendanceTest, AWeekOfReportsAndTheReportingStatusAroundTheCutoff) {
  // 浔中 reports every school day from Thursday 10-08 to Friday 10-16, the
  // 调休 Saturday 10-10 included, at 16:00 each day, and corrects Tuesday
  // the next morning. 三班 reports until Monday 10-12 and then stops. 龙浔
  // never reports.
  std::vector<absl::CivilDay> week;
  for (int day : {8, 9, 10, 12, 13, 14, 15, 16}) {
    week.push_back(absl::CivilDay(2026, 10, day));
  }
  for (absl::CivilDay day : week) {
    SetCountyTime(day.year(), day.month(), day.day(), 16);
    const v1::Date date = D(day.year(), day.month(), day.day());
    if (day == absl::CivilDay(2026, 10, 13)) {
      BX_ASSERT_OK(Submit(
          xunzhong_, Report(date, {Absent(ming_.student_number(),
                                          v1::ABSENCE_CATEGORY_UNEXCUSED)})));
    } else if (day == absl::CivilDay(2026, 10, 14)) {
      SetCountyTime(2026, 10, 14, 8);  // the correction of Tuesday
      v1::SubmitAttendanceReportResponse correction;
      BX_ASSERT_OK(Submit(
          xunzhong_,
          Report(D(2026, 10, 13),
                 {Absent(ming_.student_number(), v1::ABSENCE_CATEGORY_SICK_LEAVE),
                  Absent(li_.student_number(), v1::ABSENCE_CATEGORY_SICK_LEAVE)}),
          &correction));
      EXPECT_EQ(correction.report().revision(), 2);
      SetCountyTime(2026, 10, 14, 16);
      BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(date)));
    } else {
      BX_ASSERT_OK(Submit(xunzhong_, ZeroReport(date)));
    }
    if (day <= absl::CivilDay(2026, 10, 12)) {
      BX_ASSERT_OK(Submit(sanban_, ZeroReport(date)));
    }
  }
  const v1::Date start = D(2026, 10, 1), end = D(2026, 10, 31);

  // Friday 17:59, before the cutoff: today is neither reported nor missing
  // for the schools that have not reported it.
  SetCountyTime(2026, 10, 16, 17, 59);
  v1::SchoolReportingStatus xunzhong = SchoolStatus(xunzhong_, start, end);
  EXPECT_EQ(xunzhong.school_id(), kXunzhongPrimary);
  EXPECT_EQ(xunzhong.school_name(), "德化县浔中中心小学");
  EXPECT_THAT(Days(xunzhong),
              ElementsAre("10-08R", "10-09R", "10-10R", "10-12R", "10-13R",
                          "10-14R", "10-15R", "10-16R"));
  EXPECT_EQ(xunzhong.reported_days(), 8);
  EXPECT_EQ(xunzhong.missing_days(), 0);
  EXPECT_EQ(xunzhong.consecutive_missing_days(), 0);
  // Tuesday shows the corrected report.
  EXPECT_FALSE(xunzhong.days(4).zero_report());
  EXPECT_EQ(xunzhong.days(4).absence_count(), 2);
  EXPECT_TRUE(xunzhong.days(3).zero_report());

  v1::SchoolReportingStatus sanban = SchoolStatus(sanban_, start, end);
  EXPECT_THAT(Days(sanban),
              ElementsAre("10-08R", "10-09R", "10-10R", "10-12R", "10-13M",
                          "10-14M", "10-15M", "10-16."));
  EXPECT_EQ(sanban.reported_days(), 4);
  EXPECT_EQ(sanban.missing_days(), 3);
  EXPECT_EQ(sanban.consecutive_missing_days(), 3);
  v1::SchoolReportingStatus longxun = SchoolStatus(longxun_, start, end);
  EXPECT_EQ(longxun.reported_days(), 0);
  EXPECT_EQ(longxun.missing_days(), 7);
  EXPECT_EQ(longxun.consecutive_missing_days(), 7);

  // Friday 18:00: the cutoff has passed; today is missing too.
  SetCountyTime(2026, 10, 16, 18, 0);
  sanban = SchoolStatus(sanban_, start, end);
  EXPECT_EQ(Days(sanban).back(), "10-16M");
  EXPECT_EQ(sanban.missing_days(), 4);
  EXPECT_EQ(sanban.consecutive_missing_days(), 4);

  // The township sees the schools located in it; the bureau sees all.
  std::string xunzhong_official =
      MakeAccount("xunzhong-official", v1::ROLE_TOWNSHIP, "", kXunzhong);
  std::string sanban_official =
      MakeAccount("sanban-official", v1::ROLE_TOWNSHIP, "", kSanban);
  std::string yangmei_official =
      MakeAccount("yangmei-official", v1::ROLE_TOWNSHIP, "", kYangmei);
  std::vector<v1::SchoolReportingStatus> in_xunzhong =
      TownshipStatus(xunzhong_official, start, end);
  ASSERT_EQ(in_xunzhong.size(), 1u);
  EXPECT_EQ(in_xunzhong[0].school_id(), kXunzhongPrimary);
  EXPECT_EQ(in_xunzhong[0].missing_days(), 0);
  std::vector<v1::SchoolReportingStatus> in_sanban =
      TownshipStatus(sanban_official, start, end);
  ASSERT_EQ(in_sanban.size(), 1u);
  EXPECT_EQ(in_sanban[0].consecutive_missing_days(), 4);
  EXPECT_TRUE(TownshipStatus(yangmei_official, start, end).empty());

  std::vector<v1::SchoolReportingStatus> county = CountyStatus(start, end);
  ASSERT_EQ(county.size(), 3u);
  EXPECT_EQ(county[0].school_id(), kLongxunMiddle);
  EXPECT_EQ(county[0].missing_days(), 8);
  EXPECT_EQ(county[0].consecutive_missing_days(), 8);
  EXPECT_EQ(county[1].school_id(), kSanbanSchool);
  EXPECT_EQ(county[1].reported_days(), 4);
  EXPECT_EQ(county[1].consecutive_missing_days(), 4);
  EXPECT_EQ(county[2].school_id(), kXunzhongPrimary);
  EXPECT_EQ(county[2].reported_days(), 8);
  std::vector<v1::SchoolReportingStatus> filtered =
      CountyStatus(start, end, kSanban);
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].school_id(), kSanbanSchool);

  // A late report ends the run of missing days, from the latest day back.
  SetCountyTime(2026, 10, 16, 19, 0);
  BX_ASSERT_OK(Submit(sanban_, ZeroReport(D(2026, 10, 16))));
  sanban = SchoolStatus(sanban_, start, end);
  EXPECT_EQ(Days(sanban).back(), "10-16R");
  EXPECT_EQ(sanban.missing_days(), 3);
  EXPECT_EQ(sanban.consecutive_missing_days(), 0);

  // The cutoff is a setting: at 20:00 Monday 10-19, before a 20:30 cutoff,
  // Monday is not yet missing; at 20:30 it is.
  v1::UpdateSettingsRequest settings;
  settings.mutable_settings()->set_reporting_cutoff_minutes(20 * 60 + 30);
  v1::UpdateSettingsResponse updated;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::UpdateSettings, admin_token_,
                    settings, &updated));
  last_sequence_ = updated.sequence();
  SetCountyTime(2026, 10, 19, 20, 0);
  v1::SchoolReportingStatus monday =
      SchoolStatus(xunzhong_, D(2026, 10, 19), D(2026, 10, 19));
  EXPECT_THAT(Days(monday), ElementsAre("10-19."));
  EXPECT_EQ(monday.consecutive_missing_days(), 0);
  SetCountyTime(2026, 10, 19, 20, 30);
  monday = SchoolStatus(xunzhong_, D(2026, 10, 19), D(2026, 10, 19));
  EXPECT_THAT(Days(monday), ElementsAre("10-19M"));
  EXPECT_EQ(monday.consecutive_missing_days(), 1);
  // Days after today are not listed.
  monday = SchoolStatus(xunzhong_, D(2026, 10, 16), D(2026, 10, 31));
  EXPECT_THAT(Days(monday), ElementsAre("10-16R", "10-19M"));
}

}  // namespace
}  // namespace baoxue::services::testing_server
