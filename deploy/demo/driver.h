// DemoDriver plays a demo county (dataset.h) into a running baoxue-server
// that runs in simulated time (--simulated_time), through the public gRPC
// API only, the way the people of the county would:
//
//   1. the bureau configures the county, townships, villages, schools, the
//      2026–27 calendar and the rule settings, and creates an account for
//      each school and township (their tokens go to files in tokens_dir);
//   2. each school imports its students, 1,000 rows per request;
//   3. each township uploads its village rosters;
//   4. then, day by day, the bureau moves the county clock (AdvanceClock)
//      and on each school day the townships verify, visit and persuade, the
//      schools confirm returns, transfer and withdraw children and send
//      their attendance reports (a few do not), and the bureau approves
//      closures.
//
// Every write carries a request id derived from the seed, the size and what
// it is, so running the driver again with the same options repeats nothing:
// finished set-up steps are answered from the server's idempotency record,
// and days the clock has already passed are skipped.
//
// Not thread-safe: one Run() at a time.
#ifndef BAOXUE_DEPLOY_DEMO_DRIVER_H_
#define BAOXUE_DEPLOY_DEMO_DRIVER_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "baoxue/v1/cases.pb.h"
#include "deploy/demo/dataset.h"
#include "deploy/demo/demo_client.h"
#include "storage/localized_status.h"

namespace baoxue::demo {

struct DriverOptions {
  std::string bureau_token;
  // Where each school's and township's token is kept (one file per
  // account, mode 0600); a token found here is reused.
  std::string tokens_dir;
  int weeks = 6;
  // The demo shortens the observation period after a return (default 20
  // school days) so that 待销号 and 已销号 appear within a few weeks.
  int observation_school_days = 5;
  Lang lang = Lang::kZh;
  std::ostream* log = nullptr;  // progress lines; not owned
};

// What a run did, for the closing summary and the timing table.
struct DriverReport {
  int schools = 0;
  int townships = 0;
  int students_imported = 0;
  int school_days = 0;
  int reports_sent = 0;
  int reports_missing = 0;
  int actions = 0;
  absl::Duration setup, import, simulate;
};

class DemoDriver {
 public:
  // `data` and `client` must outlive the driver.
  DemoDriver(const Dataset* data, DemoClient* client, DriverOptions options);

  absl::StatusOr<DriverReport> Run();

  // The last school day the simulation covers.
  absl::CivilDay LastDay() const;

 private:
  absl::Status CheckServer();
  absl::Status ConfigureCounty();
  absl::Status CreateAccounts();
  absl::StatusOr<std::string> EnsureAccount(const v1::Account& account);
  absl::Status ImportStudents();
  absl::Status UploadRosters();
  absl::Status Simulate();
  // Moves the county clock to `minute` minutes after midnight of `day`.
  absl::Status Advance(absl::CivilDay day, int minute);
  absl::Status SchoolDay(int index);
  absl::StatusOr<std::vector<v1::CaseRow>> AllCases();
  absl::Status WorkCase(int index, const v1::CaseRow& row);
  absl::Status Verify(int index, const v1::CaseRow& row);
  absl::Status Act(int index, const v1::CaseRow& row);
  absl::Status ConfirmReturn(const v1::CaseRow& row, absl::CivilDay day);
  absl::Status MakeChanges(int index);
  absl::Status ReportAttendance(int index);
  absl::Status ReportFoundChild(int index);

  // "demo-<seed>-<students>-<parts>": the request id of one write.
  std::string RequestId(const std::string& what) const;
  void Say(const std::string& zh, const std::string& en);
  void Seen(uint64_t sequence) { last_sequence_ = std::max(last_sequence_, sequence); }
  // The student index of a case's child, or -1 (a child who was never a
  // pupil: roster or township report).
  int StudentOf(const v1::CaseRow& row) const;

  const Dataset& data_;
  DemoClient& client_;
  DriverOptions options_;
  DriverReport report_;
  std::map<std::string, int> by_number_;  // 学籍号 -> index in students()
  std::map<std::string, int> by_id_unenrolled_;  // ID number -> unenrolled()
  std::map<std::string, std::string> school_tokens_;    // school id -> token
  std::map<std::string, std::string> township_tokens_;  // code -> token
  std::set<int> returned_;  // children whose return a school confirmed
  absl::Time clock_;        // the server's county clock, as last seen
  uint64_t last_sequence_ = 0;
};

}  // namespace baoxue::demo

#endif  // BAOXUE_DEPLOY_DEMO_DRIVER_H_
