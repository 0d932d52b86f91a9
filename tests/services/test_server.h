// A shared fixture for in-process integration tests: a real
// services::Server on 127.0.0.1:0 with a temporary data directory and a
// ManualClock, called over a real gRPC channel; plus helpers that set up
// 德化县 (350526) through the real RPCs and build valid children.
#ifndef BAOXUE_TESTS_SERVICES_TEST_SERVER_H_
#define BAOXUE_TESTS_SERVICES_TEST_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "baoxue/v1/township.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "storage/clock.h"
#include "tests/storage/test_util.h"

namespace baoxue::services::testing_server {

// ---- 德化县 as the tests configure it.
inline constexpr char kCountyCode[] = "350526";
inline constexpr char kCountyName[] = "德化县";
inline constexpr char kXunzhong[] = "350526100";  // 浔中镇
inline constexpr char kLongxun[] = "350526101";   // 龙浔镇
inline constexpr char kSanban[] = "350526102";    // 三班镇
inline constexpr char kYangmei[] = "350526200";   // 杨梅乡
// Villages (村/社区).
inline constexpr char kXunzhongVillage1[] = "350526100001";
inline constexpr char kXunzhongVillage2[] = "350526100002";
inline constexpr char kLongxunVillage[] = "350526101001";
inline constexpr char kSanbanVillage[] = "350526102001";
inline constexpr char kYangmeiVillage[] = "350526200001";
// Schools.
inline constexpr char kXunzhongPrimary[] = "xunzhong-primary";  // 浔中, 1–6
inline constexpr char kLongxunMiddle[] = "longxun-middle";      // 龙浔, 7–9
inline constexpr char kSanbanSchool[] = "sanban-school";        // 三班, 1–9

// The name the tests give a township code (德化's towns where known).
std::string TownshipName(const std::string& code);

// ---- Dates and times.
v1::Date D(int year, int month, int day);
absl::CivilDay Day(const v1::Date& date);
// An instant at a county (Asia/Shanghai) wall-clock time.
absl::Time CountyTime(int year, int month, int day, int hour = 0,
                      int minute = 0);

// The 2026–27 calendar: autumn 2026-09-01..2027-01-22, spring
// 2027-02-22..2027-06-30; 中秋 2026-09-25 and 国庆 2026-10-01/02/05/06/07
// and 元旦 2027-01-01 are holidays; Sunday 2026-09-20 and Saturday
// 2026-10-10 are make-up school days (调休).
v1::SchoolYearCalendar Calendar2026();
// Counts the school days of `calendar` independently of the server's
// calendar module: weekdays inside a term, minus holidays, plus make-up days.
int CountSchoolDays(const v1::SchoolYearCalendar& calendar);

// ---- Children.
// A valid 18-character ID number: 6-digit area code, birth date, 3-digit
// sequence (odd = male) and the GB 11643 check character.
std::string IdNumber(const std::string& area, absl::CivilDay birth,
                     int sequence);
// The GB 11643 check character of the first 17 characters.
char IdCheckChar(const std::string& first17);
// A valid child of 浔中镇 (village 1), with a G number from its ID number and
// one guardian. `sequence` makes it unique (odd = male).
v1::Student Child(const std::string& name, absl::CivilDay birth, int sequence);
// The same child with an L number (area + birth date + 4 digits) and no ID
// number.
v1::Student ChildWithLNumber(const std::string& name, absl::CivilDay birth,
                             bool male, int serial);

// Sets `authorization` (when `token` is not null), `accept-language` and a
// 30-second deadline.
void Prepare(grpc::ClientContext* context, const std::string* token,
             const std::string& lang = "");

// Calls one unary RPC on `stub` with `token` and `lang`.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(Stub* stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const std::string& token, const Request& request,
                  Response* response, const std::string& lang = "") {
  grpc::ClientContext context;
  Prepare(&context, &token, lang);
  return (stub->*method)(&context, request, response);
}

// gtest printing of a failed status.
std::string Describe(const grpc::Status& status);

#define BX_ASSERT_OK(expr)                                          \
  do {                                                              \
    const ::grpc::Status bx_status_ = (expr);                       \
    ASSERT_TRUE(bx_status_.ok())                                    \
        << ::baoxue::services::testing_server::Describe(bx_status_); \
  } while (0)
#define BX_EXPECT_OK(expr)                                          \
  do {                                                              \
    const ::grpc::Status bx_status_ = (expr);                       \
    EXPECT_TRUE(bx_status_.ok())                                    \
        << ::baoxue::services::testing_server::Describe(bx_status_); \
  } while (0)

// The fixture. Each test gets a fresh server and data directory; the clock
// starts at Monday 2026-08-24 08:00 in the county, a week before the autumn
// term, and moves only when told. Move it forward only: the sequencer never
// stamps an event earlier than the one before it, so a clock set back is
// read as the time of the last event.
class ServerFixture : public ::testing::Test {
 protected:
  ServerFixture();
  ~ServerFixture() override;

  void SetUp() override { StartServer(); }
  void TearDown() override;

  void StartServer();
  // Lets a test change the server's options before each start.
  virtual void CustomizeOptions(ServerOptions* options) {}
  // Shuts the server down and starts it again on the same data directory
  // (and the same clock).
  void RestartServer();

  // Moves the server's clock to a county wall-clock time.
  void SetCountyTime(int year, int month, int day, int hour = 0,
                     int minute = 0);

  // The log's newest sequence number, read from the server itself.
  uint64_t LastSequence() { return server_->log()->LastSequence(); }
  v1::GetSystemStatusResponse SystemStatus();

  // ---- The county, through the real RPCs (as the bureau administrator).
  // Each Ensure* creates what is missing (the county before a township, the
  // township before a school) and returns the sequence of its last write,
  // or 0 if nothing needed writing.
  uint64_t EnsureCounty();
  uint64_t EnsureTownship(const std::string& code);
  // A missing school is created as a 九年一贯制 school (grades 1–9) in
  // `township_code` (浔中镇 when empty).
  uint64_t EnsureSchool(const std::string& school_id,
                        const std::string& township_code = "");
  // Configures the county, townships 浔中镇, 龙浔镇, 三班镇 and 杨梅乡,
  // villages in each, the three schools above and the 2026–27 calendar;
  // returns the last sequence.
  uint64_t SeedCounty();

  // Creates an account (creating its school or township first when
  // needed) and returns its token; sets last_sequence_.
  std::string MakeAccount(const std::string& id, v1::Role role,
                          const std::string& school = "",
                          const std::string& township = "");

  // ---- Common writes, as the bureau administrator unless a token is given.
  grpc::Status CreateTownship(const std::string& code, const std::string& name,
                              v1::CreateTownshipResponse* response = nullptr,
                              const std::string& lang = "");
  grpc::Status CreateVillage(const std::string& code, const std::string& name,
                             v1::CreateVillageResponse* response = nullptr,
                             const std::string& lang = "");
  grpc::Status CreateSchool(const v1::School& school,
                            v1::CreateSchoolResponse* response = nullptr,
                            const std::string& lang = "");
  grpc::Status SetCalendar(const v1::SchoolYearCalendar& calendar,
                           v1::SetCalendarResponse* response = nullptr,
                           const std::string& lang = "");

  // ---- A school's writes.
  grpc::Status Register(const std::string& token, const v1::Student& student,
                        int grade, const std::string& class_name,
                        const v1::Date& enrol_date,
                        v1::RegisterStudentResponse* response,
                        const std::string& lang = "");
  // Registers and returns the registered child; fails the test otherwise.
  v1::Student RegisterOk(const std::string& token, const v1::Student& student,
                         int grade = 3, const std::string& class_name = "2班",
                         const v1::Date& enrol_date = D(2026, 9, 1));
  grpc::Status ChangeEnrolment(const std::string& token,
                               const v1::EnrolmentChange& change,
                               v1::ChangeEnrolmentResponse* response,
                               const std::string& lang = "");
  grpc::Status SubmitReport(const std::string& token,
                            const v1::SubmitAttendanceReportRequest& request,
                            v1::SubmitAttendanceReportResponse* response,
                            const std::string& lang = "");

  testing_util::TempDir dir_;
  // The server's RocksDB Env when set (fault injection); must outlive it.
  rocksdb::Env* env_ = nullptr;
  std::unique_ptr<ManualClock> clock_;
  // When set before StartServer(), the server runs in simulated time from
  // this day (ServerOptions::simulated_start) and clock_ is not used: time
  // moves only through BureauService.AdvanceClock.
  std::optional<absl::CivilDay> simulated_start_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BureauService::Stub> bureau_;
  std::unique_ptr<v1::SchoolService::Stub> school_;
  std::unique_ptr<v1::TownshipService::Stub> township_;
  std::string admin_token_;
  uint64_t last_sequence_ = 0;

 private:
  bool county_ = false;
  std::set<std::string> townships_;
  std::set<std::string> villages_;
  std::set<std::string> schools_;
  bool calendar_2026_ = false;
};

}  // namespace baoxue::services::testing_server

#endif  // BAOXUE_TESTS_SERVICES_TEST_SERVER_H_
