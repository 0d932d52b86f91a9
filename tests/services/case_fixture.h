// A fixture for the follow-up rules and the life of a case (issue 4): the
// shared in-process server (tests/services/test_server.h) seeded with
// 德化县, accounts for each school, township and the bureau, and helpers that
//   - move time (the sequencer's ManualClock and ClockTick events),
//   - write through the real RPCs where they exist (registration,
//     enrolment changes, attendance, settings) and through the sequencer
//     with the case_commands.h Prepare* functions where they do not yet,
//   - read the worker's projections (its mirror of the model, case
//     history, counters) after waiting for it to apply the log.
// Nothing here sleeps: reads wait on Worker::WaitForApplied.
#ifndef BAOXUE_TESTS_SERVICES_CASE_FIXTURE_H_
#define BAOXUE_TESTS_SERVICES_CASE_FIXTURE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/events.pb.h"
#include "services/auth.h"
#include "services/ledger_projector.h"
#include "storage/model_txn.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {

// What a Prepare* call does inside a sequencer command.
using PrepareFn =
    std::function<absl::Status(const storage::ModelTxn& model, v1::Event* event)>;

// One row of a day's report.
struct Absent {
  v1::Student student;
  v1::AbsenceCategory category = v1::ABSENCE_CATEGORY_UNEXCUSED;
  bool half_day = false;
};

// An instant at county midnight ending `day` (the start of the next day).
absl::Time EndOfCountyDay(absl::CivilDay day);
// The `n`-th school day after `from` in Calendar2026(), counted here
// independently of the server's calendar module.
absl::CivilDay NthSchoolDayAfter(absl::CivilDay from, int n);
// Whether `day` is a school day of Calendar2026() (same independent count).
bool IsSchoolDay2026(absl::CivilDay day);
// A Date from a CivilDay.
v1::Date ToD(absl::CivilDay day);

class CaseFixture : public ServerFixture {
 protected:
  // Account ids.
  static constexpr char kXzClerk[] = "xz-clerk";      // 浔中中心小学
  static constexpr char kLxClerk[] = "lx-clerk";      // 龙浔中学
  static constexpr char kSbClerk[] = "sb-clerk";      // 三班中心学校
  static constexpr char kXzOfficial[] = "xz-official";  // 浔中镇
  static constexpr char kLxOfficial[] = "lx-official";  // 龙浔镇
  static constexpr char kBureauStaff[] = "bureau-staff";

  // The county wall-clock time the server starts at, before anything is
  // written. Tuesday 2026-09-01 07:00, the first day of the autumn term.
  virtual absl::Time StartTime() const { return CountyTime(2026, 9, 1, 7); }

  void SetUp() override;

  // ---- Time.
  absl::Time Now() const { return clock_->Now(); }
  absl::CivilDay Today() const;
  // Moves the clock forward to `t` (never back).
  void Advance(absl::Time t);
  void AdvanceTo(int year, int month, int day, int hour = 0, int minute = 0) {
    Advance(CountyTime(year, month, day, hour, minute));
  }
  // Moves the clock to `t` and appends a ClockTick for `t`; waits until the
  // worker has applied it. Returns the tick's sequence.
  uint64_t Tick(absl::Time t,
                v1::ClockTickKind kind = v1::CLOCK_TICK_KIND_HOURLY);

  // ---- Writes through the sequencer (no RPC yet). The result is the
  // event's sequence (0 when valid but nothing was recorded) or the
  // command's error.
  absl::StatusOr<uint64_t> Submit(const Caller& caller, PrepareFn prepare);
  // Submits every command at once (so they may share a group) and waits for
  // all of them.
  std::vector<absl::StatusOr<uint64_t>> SubmitAll(
      const std::vector<std::pair<Caller, PrepareFn>>& commands);

  absl::StatusOr<uint64_t> Verify(
      const Caller& caller, const std::string& case_id,
      v1::VerificationOutcome outcome,
      v1::DropoutReason reason = v1::DROPOUT_REASON_UNSPECIFIED,
      std::optional<v1::Date> date = std::nullopt, const std::string& note = "");
  absl::StatusOr<uint64_t> Act(const Caller& caller, const std::string& case_id,
                               v1::ActionKind kind,
                               std::optional<v1::Date> date = std::nullopt,
                               std::optional<v1::Date> notice_deadline = std::nullopt);
  absl::StatusOr<uint64_t> Arrange(const Caller& caller,
                                   const std::string& case_id,
                                   const std::string& note = "安排送教上门");
  absl::StatusOr<uint64_t> ConfirmReturn(const Caller& caller,
                                         const std::string& case_id,
                                         std::optional<v1::Date> date = std::nullopt);
  absl::StatusOr<uint64_t> DecideClosure(const Caller& caller,
                                         const std::string& case_id,
                                         bool approved,
                                         const std::string& reason = "");
  absl::StatusOr<uint64_t> AssignResponsible(const Caller& caller,
                                             const std::string& case_id,
                                             const v1::ResponsiblePeople& people);
  absl::StatusOr<uint64_t> ReportOutOfSchool(
      const Caller& caller, const v1::Student& child,
      std::optional<v1::Date> found = std::nullopt,
      const std::string& note = "村干部摸排发现在家务农");
  absl::StatusOr<uint64_t> UpdateRoster(const Caller& caller,
                                        const v1::RosterUpdated& update);

  // ---- Writes through the real RPCs.
  // Registers `child` at the school of `token` (enrolled 2026-09-01).
  v1::Student Enrol(const std::string& token, const v1::Student& child,
                    int grade = 3);
  // The school's report for `day`, submitted at `day` 16:00 (or now, if
  // later): the absences given, or a zero report. Fails the test on error.
  uint64_t Report(const std::string& token, absl::CivilDay day,
                  const std::vector<Absent>& absent);
  grpc::Status TryReport(const std::string& token, absl::CivilDay day,
                         const std::vector<Absent>& absent,
                         v1::SubmitAttendanceReportResponse* response);
  // An enrolment change effective `day`, submitted now. Fails the test on
  // error; returns the sequence.
  uint64_t Change(const std::string& token, v1::EnrolmentChange change);
  // Updates the rule settings (zero fields keep their values).
  uint64_t UpdateSettings(const v1::RuleSettings& settings);

  // Cases opened by R1 for children reported absent (as given) by
  // 浔中中心小学 on Wed 9-9, Thu 9-10 and Fri 9-11, all in the same reports;
  // the cases open Fri 2026-09-11 16:00 in one event. One case per row, in
  // order.
  std::vector<v1::Case> OpenR1CasesFor(const std::vector<Absent>& rows);
  // One such case, for a new child.
  v1::Case OpenR1Case(const std::string& name = "林小明");

  // ---- Reads of the worker's projections (each waits for the worker to
  // apply the whole log first).
  void Sync();
  std::optional<v1::Case> OpenCaseOf(const std::string& student_id);
  std::optional<v1::Case> FindCaseById(const std::string& case_id);
  // The case, failing the test if it is missing.
  v1::Case CaseById(const std::string& case_id);
  std::vector<v1::Case> AllCases();
  std::vector<v1::CaseHistoryEntry> History(const std::string& case_id);
  std::optional<v1::Student> StudentById(const std::string& student_id);
  std::optional<v1::Student> StudentByIdNumber(const std::string& id_number);
  std::optional<v1::ReportingAlert> Alert(const std::string& school_id);
  uint64_t Counter(LedgerScope scope, const std::string& scope_id,
                   const std::string& name);
  uint64_t StateCount(LedgerScope scope, const std::string& scope_id,
                      v1::CaseState state) {
    return Counter(scope, scope_id, StateCounterName(state));
  }
  // The deadline of `kind` most recently set on `c`.
  static const v1::Deadline* LastDeadline(const v1::Case& c,
                                          v1::DeadlineKind kind);

  // Tokens and callers.
  std::string xz_token_, lx_token_, sb_token_;
  Caller xz_school_, lx_school_, sb_school_, xz_town_, lx_town_, bureau_staff_;

  // A fresh child of 浔中镇 for 浔中中心小学 (grade 3), unique per call.
  v1::Student NewChild(const std::string& name,
                       absl::CivilDay birth = absl::CivilDay(2017, 5, 10));

 private:
  int next_child_ = 1;
};

}  // namespace baoxue::services::testing_server

#endif  // BAOXUE_TESTS_SERVICES_CASE_FIXTURE_H_
