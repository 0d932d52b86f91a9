// Simulated time (baoxue-server --simulated_time, BureauService.AdvanceClock)
// over a real gRPC channel: the clock moves only when the bureau says so,
// every tick the ticker would have appended is appended (and recorded at its
// own time), deadlines fire from those ticks, the clock never goes back, a
// restart resumes where the simulation was, and a server on its ordinary
// clock refuses the call naming the flag.
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/county_time.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::HasSubstr;
using google::protobuf::util::TimeUtil;
using Bureau = v1::BureauService::Stub;

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

class SimulatedClockTest : public ServerFixture {
 protected:
  SimulatedClockTest() { simulated_start_ = absl::CivilDay(2026, 8, 31); }

  grpc::Status Advance(int year, int month, int day, int hour,
                       v1::AdvanceClockResponse* response,
                       const std::string* token = nullptr) {
    v1::AdvanceClockRequest request;
    *request.mutable_date() = D(year, month, day);
    request.set_minute_of_day(hour * 60);
    return Call(bureau_.get(), &Bureau::AdvanceClock,
                token != nullptr ? *token : admin_token_, request, response);
  }

  std::vector<v1::Event> EventsAfter(uint64_t sequence) {
    std::vector<v1::Event> events;
    uint64_t last = LastSequence();
    if (last > sequence) {
      EXPECT_TRUE(server_->log()->Read(sequence + 1, last - sequence, &events).ok());
    }
    return events;
  }
};

TEST_F(SimulatedClockTest, StartsAtTheGivenDayAndMovesOnlyWhenTold) {
  v1::GetSystemStatusResponse status = SystemStatus();
  ASSERT_TRUE(status.has_simulated_time());
  EXPECT_EQ(ToTime(status.simulated_time()), CountyTime(2026, 8, 31));
  // The start-up tick, at the simulated time.
  std::vector<v1::Event> events = EventsAfter(0);
  ASSERT_FALSE(events.empty());
  EXPECT_TRUE(events.back().has_clock_tick());
  EXPECT_EQ(ToTime(events.back().clock_tick().tick_time()), CountyTime(2026, 8, 31));
  EXPECT_EQ(ToTime(SystemStatus().simulated_time()), CountyTime(2026, 8, 31));
}

TEST_F(SimulatedClockTest, AppendsEveryTickTheTickerWouldHaveAppended) {
  uint64_t before = LastSequence();
  v1::AdvanceClockResponse response;
  BX_ASSERT_OK(Advance(2026, 9, 1, 8, &response));
  EXPECT_EQ(ToTime(response.now()), CountyTime(2026, 9, 1, 8));
  // 31 August 01:00..23:00 (18:00 is the reporting cutoff), midnight, then
  // 1 September 01:00..08:00.
  std::vector<v1::Event> events = EventsAfter(before);
  ASSERT_EQ(events.size(), 32u);
  EXPECT_EQ(response.ticks(), 32);
  EXPECT_EQ(response.last_sequence(), events.back().sequence());
  int hourly = 0, cutoff = 0, midnight = 0;
  absl::Time previous = CountyTime(2026, 8, 31);
  for (const v1::Event& e : events) {
    ASSERT_TRUE(e.has_clock_tick());
    absl::Time at = ToTime(e.clock_tick().tick_time());
    EXPECT_EQ(at - previous, absl::Hours(1));
    previous = at;
    // Recorded at its own time, as the wall-clock ticker would record it.
    EXPECT_EQ(ToTime(e.record_time()), at);
    switch (e.clock_tick().kind()) {
      case v1::CLOCK_TICK_KIND_HOURLY: ++hourly; break;
      case v1::CLOCK_TICK_KIND_REPORTING_CUTOFF:
        ++cutoff;
        EXPECT_EQ(at, CountyTime(2026, 8, 31, 18));
        break;
      case v1::CLOCK_TICK_KIND_MIDNIGHT:
        ++midnight;
        EXPECT_EQ(at, CountyTime(2026, 9, 1));
        break;
      default: ADD_FAILURE() << "unexpected tick kind";
    }
  }
  EXPECT_EQ(hourly, 30);
  EXPECT_EQ(cutoff, 1);
  EXPECT_EQ(midnight, 1);
  EXPECT_EQ(ToTime(SystemStatus().simulated_time()), CountyTime(2026, 9, 1, 8));

  // Within the hour: the clock moves, no boundary, no tick.
  before = LastSequence();
  v1::AdvanceClockRequest request;
  *request.mutable_date() = D(2026, 9, 1);
  request.set_minute_of_day(8 * 60 + 30);
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::AdvanceClock, admin_token_, request,
                    &response));
  EXPECT_EQ(response.ticks(), 0);
  EXPECT_EQ(response.last_sequence(), 0u);
  EXPECT_EQ(LastSequence(), before);
  // Events the services record now carry the simulated time.
  v1::ConfigureCountyRequest county;
  county.mutable_county()->set_county_code(kCountyCode);
  county.mutable_county()->set_name(kCountyName);
  v1::ConfigureCountyResponse configured;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::ConfigureCounty, admin_token_, county,
                    &configured));
  EXPECT_EQ(ToTime(EventsAfter(before).back().record_time()),
            CountyTime(2026, 9, 1, 8, 30));
}

TEST_F(SimulatedClockTest, NeverGoesBackAndRefusesBadInputWritingNothing) {
  v1::AdvanceClockResponse response;
  BX_ASSERT_OK(Advance(2026, 9, 2, 8, &response));
  uint64_t before = LastSequence();
  grpc::Status back = Advance(2026, 9, 1, 8, &response, nullptr);
  EXPECT_EQ(back.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(back.error_message(), HasSubstr("2026-09-02 08:00"));
  // The same time again is not backwards: nothing to do.
  BX_EXPECT_OK(Advance(2026, 9, 2, 8, &response));
  EXPECT_EQ(response.ticks(), 0);

  v1::AdvanceClockRequest request;
  *request.mutable_date() = D(2026, 9, 3);
  request.set_minute_of_day(1440);
  grpc::Status bad = Call(bureau_.get(), &Bureau::AdvanceClock, admin_token_,
                          request, &response, "en");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("minute_of_day"));
  request.clear_date();
  request.set_minute_of_day(0);
  bad = Call(bureau_.get(), &Bureau::AdvanceClock, admin_token_, request,
             &response, "en");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("date"));
  EXPECT_EQ(LastSequence(), before);
  EXPECT_EQ(ToTime(SystemStatus().simulated_time()), CountyTime(2026, 9, 2, 8));
}

TEST_F(SimulatedClockTest, OnlyTheBureauMovesTheClock) {
  SeedCounty();
  std::string viewer = MakeAccount("viewer", v1::ROLE_BUREAU_VIEWER);
  std::string school = MakeAccount("xz-clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
  uint64_t before = LastSequence();
  v1::AdvanceClockResponse response;
  EXPECT_EQ(Advance(2026, 9, 1, 8, &response, &viewer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Advance(2026, 9, 1, 8, &response, &school).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  std::string none;
  EXPECT_EQ(Advance(2026, 9, 1, 8, &response, &none).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(LastSequence(), before);
  EXPECT_EQ(ToTime(SystemStatus().simulated_time()), CountyTime(2026, 8, 31));
}

TEST_F(SimulatedClockTest, DeadlinesFireFromTheTicksItAppends) {
  SeedCounty();
  std::string clerk = MakeAccount("xz-clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
  v1::AdvanceClockResponse response;
  BX_ASSERT_OK(Advance(2026, 9, 1, 8, &response));
  v1::Student child = RegisterOk(clerk, Child("林小明", absl::CivilDay(2018, 3, 7), 13),
                                 3, "2班", D(2026, 9, 1));
  // Three unexcused school days (Tue–Thu): R1 opens a case.
  for (int day = 1; day <= 3; ++day) {
    BX_ASSERT_OK(Advance(2026, 9, day, 9, &response));
    v1::SubmitAttendanceReportRequest report;
    *report.mutable_date() = D(2026, 9, day);
    v1::Absence* a = report.add_absences();
    a->set_student_number(child.student_number());
    a->set_category(v1::ABSENCE_CATEGORY_UNEXCUSED);
    v1::SubmitAttendanceReportResponse submitted;
    BX_ASSERT_OK(SubmitReport(clerk, report, &submitted));
    last_sequence_ = submitted.sequence();
  }
  v1::ListCountyCasesRequest list;
  list.set_min_sequence(last_sequence_);
  v1::ListCountyCasesResponse cases;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::ListCountyCases, admin_token_, list, &cases));
  ASSERT_EQ(cases.rows_size(), 1);
  const std::string case_id = cases.rows(0).case_().case_id();
  EXPECT_FALSE(cases.rows(0).case_().overdue());

  // Nobody contacts the family: a few days on, the first-contact deadline
  // has been missed — fired by a tick AdvanceClock appended.
  BX_ASSERT_OK(Advance(2026, 9, 7, 9, &response));
  v1::GetCountyCaseRequest get;
  get.set_case_id(case_id);
  get.set_min_sequence(response.last_sequence());
  v1::GetCountyCaseResponse got;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::GetCountyCase, admin_token_, get, &got));
  EXPECT_TRUE(got.row().case_().overdue());
  bool missed = false;
  for (const v1::Deadline& d : got.row().case_().deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_FIRST_CONTACT) {
      missed = d.status() == v1::DEADLINE_STATUS_MISSED;
    }
  }
  EXPECT_TRUE(missed);
}

TEST_F(SimulatedClockTest, ARestartResumesWhereTheSimulationWas) {
  v1::AdvanceClockResponse response;
  BX_ASSERT_OK(Advance(2026, 9, 3, 8, &response));
  uint64_t before = LastSequence();
  RestartServer();
  // The flag still says 31 August; the clock resumes at the last tick and
  // appends no start-up tick of its own (one is already there).
  EXPECT_EQ(ToTime(SystemStatus().simulated_time()), CountyTime(2026, 9, 3, 8));
  EXPECT_EQ(LastSequence(), before);
  BX_EXPECT_OK(Advance(2026, 9, 3, 10, &response));
  EXPECT_EQ(response.ticks(), 2);
}

// A server on its ordinary clock refuses, naming the flag.
class WallClockTest : public ServerFixture {};

TEST_F(WallClockTest, AdvanceClockIsRefusedNamingTheFlag) {
  uint64_t before = LastSequence();
  v1::AdvanceClockRequest request;
  *request.mutable_date() = D(2026, 9, 1);
  v1::AdvanceClockResponse response;
  grpc::Status status = Call(bureau_.get(), &Bureau::AdvanceClock, admin_token_,
                             request, &response, "en");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("--simulated_time"));
  status = Call(bureau_.get(), &Bureau::AdvanceClock, admin_token_, request,
                &response);
  EXPECT_THAT(status.error_message(), HasSubstr("--simulated_time"));
  EXPECT_EQ(LastSequence(), before);
  EXPECT_FALSE(SystemStatus().has_simulated_time());
}

}  // namespace
}  // namespace baoxue::services::testing_server
