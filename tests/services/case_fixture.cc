#include "tests/services/case_fixture.h"

#include <memory>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "services/case_commands.h"
#include "services/case_engine.h"
#include "services/county_time.h"
#include "services/write_model.h"

namespace baoxue::services::testing_server {

absl::Time EndOfCountyDay(absl::CivilDay day) {
  return CountyTime(static_cast<int>((day + 1).year()), (day + 1).month(),
                    (day + 1).day());
}

bool IsSchoolDay2026(absl::CivilDay day) {
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
    if (IsSchoolDay2026(day)) ++i;
  }
  return day;
}

v1::Date ToD(absl::CivilDay day) {
  return D(static_cast<int>(day.year()), day.month(), day.day());
}

namespace {

Caller MakeCaller(const std::string& id, v1::Role role,
                  const std::string& school, const std::string& township) {
  Caller caller;
  caller.account.set_account_id(id);
  caller.account.set_role(role);
  caller.account.set_school_id(school);
  caller.account.set_township_code(township);
  return caller;
}

}  // namespace

void CaseFixture::SetUp() {
  // The clock is set before the server writes anything: the sequencer's
  // record times never go backwards.
  clock_->Set(StartTime());
  StartServer();
  ASSERT_NE(server_, nullptr);
  SeedCounty();
  xz_token_ = MakeAccount(kXzClerk, v1::ROLE_SCHOOL, kXunzhongPrimary);
  lx_token_ = MakeAccount(kLxClerk, v1::ROLE_SCHOOL, kLongxunMiddle);
  sb_token_ = MakeAccount(kSbClerk, v1::ROLE_SCHOOL, kSanbanSchool);
  MakeAccount(kXzOfficial, v1::ROLE_TOWNSHIP, "", kXunzhong);
  MakeAccount(kLxOfficial, v1::ROLE_TOWNSHIP, "", kLongxun);
  MakeAccount(kBureauStaff, v1::ROLE_BUREAU);
  xz_school_ = MakeCaller(kXzClerk, v1::ROLE_SCHOOL, kXunzhongPrimary, "");
  lx_school_ = MakeCaller(kLxClerk, v1::ROLE_SCHOOL, kLongxunMiddle, "");
  sb_school_ = MakeCaller(kSbClerk, v1::ROLE_SCHOOL, kSanbanSchool, "");
  xz_town_ = MakeCaller(kXzOfficial, v1::ROLE_TOWNSHIP, "", kXunzhong);
  lx_town_ = MakeCaller(kLxOfficial, v1::ROLE_TOWNSHIP, "", kLongxun);
  bureau_staff_ = MakeCaller(kBureauStaff, v1::ROLE_BUREAU, "", "");
}

absl::CivilDay CaseFixture::Today() const { return CountyDay(clock_->Now()); }

void CaseFixture::Advance(absl::Time t) {
  if (t > clock_->Now()) clock_->Set(t);
}

uint64_t CaseFixture::Tick(absl::Time t, v1::ClockTickKind kind) {
  Advance(t);
  absl::StatusOr<uint64_t> sequence = server_->ticker()->TickAt(t, kind);
  EXPECT_TRUE(sequence.ok()) << sequence.status();
  Sync();
  return sequence.value_or(0);
}

absl::StatusOr<uint64_t> CaseFixture::Submit(const Caller& caller,
                                             PrepareFn prepare) {
  return std::move(SubmitAll({{caller, std::move(prepare)}})[0]);
}

std::vector<absl::StatusOr<uint64_t>> CaseFixture::SubmitAll(
    const std::vector<std::pair<Caller, PrepareFn>>& commands) {
  struct Pending {
    absl::Notification done;
    absl::StatusOr<uint64_t> result;
  };
  std::vector<std::unique_ptr<Pending>> pending;
  for (const auto& [caller, prepare] : commands) {
    pending.push_back(std::make_unique<Pending>());
    Pending* p = pending.back().get();
    storage::Command command;
    command.account_id = caller.account.account_id();
    command.prepare = prepare;
    command.done = [p](const storage::CommandResult& r) {
      if (!r.status.ok()) {
        p->result = r.status;
      } else {
        p->result = r.event != nullptr ? r.event->sequence() : 0;
      }
      p->done.Notify();
    };
    server_->sequencer()->Submit(std::move(command));
  }
  std::vector<absl::StatusOr<uint64_t>> results;
  for (auto& p : pending) {
    p->done.WaitForNotification();
    results.push_back(std::move(p->result));
  }
  return results;
}

absl::StatusOr<uint64_t> CaseFixture::Verify(const Caller& caller,
                                             const std::string& case_id,
                                             v1::VerificationOutcome outcome,
                                             v1::DropoutReason reason,
                                             std::optional<v1::Date> date,
                                             const std::string& note) {
  v1::CaseVerified verification;
  verification.set_case_id(case_id);
  verification.set_outcome(outcome);
  verification.set_dropout_reason(reason);
  verification.set_note(note);
  *verification.mutable_verify_date() = date.value_or(ToD(Today()));
  return Submit(caller, [caller, verification](const storage::ModelTxn& model,
                                               v1::Event* event) {
    return PrepareVerifyCase(model, caller, verification, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::Act(const Caller& caller,
                                          const std::string& case_id,
                                          v1::ActionKind kind,
                                          std::optional<v1::Date> date,
                                          std::optional<v1::Date> notice_deadline) {
  v1::CaseAction action;
  action.set_kind(kind);
  *action.mutable_action_date() = date.value_or(ToD(Today()));
  action.set_actors("王老师、村主任李明");
  action.set_met("父亲");
  action.set_attitude(v1::GUARDIAN_ATTITUDE_HESITANT);
  action.set_outcome("家长答应下周送孩子返校");
  if (notice_deadline.has_value()) *action.mutable_notice_deadline() = *notice_deadline;
  return Submit(caller, [caller, case_id, action](const storage::ModelTxn& model,
                                                  v1::Event* event) {
    return PrepareRecordAction(model, caller, case_id, action, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::Arrange(const Caller& caller,
                                              const std::string& case_id,
                                              const std::string& note) {
  return Submit(caller, [caller, case_id, note](const storage::ModelTxn& model,
                                                v1::Event* event) {
    return PrepareArrangeCase(model, caller, case_id, note, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::ConfirmReturn(const Caller& caller,
                                                    const std::string& case_id,
                                                    std::optional<v1::Date> date) {
  v1::Date day = date.value_or(ToD(Today()));
  return Submit(caller, [caller, case_id, day](const storage::ModelTxn& model,
                                               v1::Event* event) {
    return PrepareConfirmReturn(model, caller, case_id, day, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::DecideClosure(const Caller& caller,
                                                    const std::string& case_id,
                                                    bool approved,
                                                    const std::string& reason) {
  return Submit(caller, [=](const storage::ModelTxn& model, v1::Event* event) {
    return PrepareDecideClosure(model, caller, case_id, approved, reason, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::AssignResponsible(
    const Caller& caller, const std::string& case_id,
    const v1::ResponsiblePeople& people) {
  return Submit(caller, [=](const storage::ModelTxn& model, v1::Event* event) {
    return PrepareAssignResponsible(model, caller, case_id, people, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::ReportOutOfSchool(
    const Caller& caller, const v1::Student& child, std::optional<v1::Date> found,
    const std::string& note) {
  v1::Date day = found.value_or(ToD(Today()));
  return Submit(caller, [=](const storage::ModelTxn& model, v1::Event* event) {
    return PrepareReportOutOfSchool(model, caller, child, note, day, event);
  });
}

absl::StatusOr<uint64_t> CaseFixture::UpdateRoster(
    const Caller& caller, const v1::RosterUpdated& update) {
  return Submit(caller, [=](const storage::ModelTxn& model, v1::Event* event) {
    return PrepareUpdateRoster(model, caller, update, event);
  });
}

v1::Student CaseFixture::NewChild(const std::string& name,
                                  absl::CivilDay birth) {
  return Child(name, birth, next_child_++);
}

v1::Student CaseFixture::Enrol(const std::string& token,
                               const v1::Student& child, int grade) {
  return RegisterOk(token, child, grade, "2班", D(2026, 9, 1));
}

grpc::Status CaseFixture::TryReport(const std::string& token,
                                    absl::CivilDay day,
                                    const std::vector<Absent>& absent,
                                    v1::SubmitAttendanceReportResponse* response) {
  Advance(CountyTime(static_cast<int>(day.year()), day.month(), day.day(), 16));
  v1::SubmitAttendanceReportRequest request;
  *request.mutable_date() = ToD(day);
  if (absent.empty()) request.set_zero_report(true);
  for (const Absent& a : absent) {
    v1::Absence* row = request.add_absences();
    row->set_student_number(a.student.student_number());
    row->set_category(a.category);
    row->set_half_day(a.half_day);
    row->set_reason(a.category == v1::ABSENCE_CATEGORY_SICK_LEAVE ? "发烧" : "");
  }
  return SubmitReport(token, request, response);
}

uint64_t CaseFixture::Report(const std::string& token, absl::CivilDay day,
                             const std::vector<Absent>& absent) {
  v1::SubmitAttendanceReportResponse response;
  grpc::Status status = TryReport(token, day, absent, &response);
  EXPECT_TRUE(status.ok()) << day << ": " << Describe(status);
  last_sequence_ = response.sequence();
  return response.sequence();
}

uint64_t CaseFixture::Change(const std::string& token,
                             v1::EnrolmentChange change) {
  v1::ChangeEnrolmentResponse response;
  grpc::Status status = ChangeEnrolment(token, change, &response);
  EXPECT_TRUE(status.ok()) << change.ShortDebugString() << ": " << Describe(status);
  last_sequence_ = response.sequence();
  return response.sequence();
}

uint64_t CaseFixture::UpdateSettings(const v1::RuleSettings& settings) {
  v1::UpdateSettingsRequest request;
  *request.mutable_settings() = settings;
  v1::UpdateSettingsResponse response;
  grpc::Status status =
      Call(bureau_.get(), &v1::BureauService::Stub::UpdateSettings, admin_token_,
           request, &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
  return response.sequence();
}

std::vector<v1::Case> CaseFixture::OpenR1CasesFor(
    const std::vector<Absent>& rows) {
  for (absl::CivilDay d : {absl::CivilDay(2026, 9, 9), absl::CivilDay(2026, 9, 10),
                           absl::CivilDay(2026, 9, 11)}) {
    Report(xz_token_, d, rows);
  }
  std::vector<v1::Case> cases;
  for (const Absent& row : rows) {
    std::optional<v1::Case> c = OpenCaseOf(row.student.student_id());
    EXPECT_TRUE(c.has_value()) << row.student.name();
    cases.push_back(c.value_or(v1::Case()));
  }
  return cases;
}

v1::Case CaseFixture::OpenR1Case(const std::string& name) {
  return OpenR1CasesFor({{Enrol(xz_token_, NewChild(name))}})[0];
}

void CaseFixture::Sync() {
  uint64_t last = LastSequence();
  ASSERT_TRUE(server_->worker()->WaitForApplied(last, absl::Now() + absl::Seconds(30)))
      << "the worker did not reach " << last << ": "
      << server_->worker()->last_error();
}

std::optional<v1::Case> CaseFixture::OpenCaseOf(const std::string& student_id) {
  Sync();
  auto mirror = OpenMirror(server_->database());
  auto found = FindOpenCaseOf(*mirror, student_id);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::nullopt;
}

std::optional<v1::Case> CaseFixture::FindCaseById(const std::string& case_id) {
  Sync();
  auto mirror = OpenMirror(server_->database());
  auto found = FindCase(*mirror, case_id);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::nullopt;
}

v1::Case CaseFixture::CaseById(const std::string& case_id) {
  std::optional<v1::Case> c = FindCaseById(case_id);
  EXPECT_TRUE(c.has_value()) << "no case " << case_id;
  return c.value_or(v1::Case());
}

std::vector<v1::Case> CaseFixture::AllCases() {
  Sync();
  auto mirror = OpenMirror(server_->database());
  std::vector<v1::Case> cases;
  absl::Status s = ForEachRecord<v1::Case>(*mirror, CaseKeyPrefix(),
                                           [&](v1::Case&& c) {
                                             cases.push_back(std::move(c));
                                             return true;
                                           });
  EXPECT_TRUE(s.ok()) << s;
  return cases;
}

std::vector<v1::CaseHistoryEntry> CaseFixture::History(
    const std::string& case_id) {
  Sync();
  auto mirror = OpenMirror(server_->database());
  std::vector<v1::CaseHistoryEntry> entries;
  absl::Status s = ForEachRecord<v1::CaseHistoryEntry>(
      *mirror, CaseHistoryPrefix(case_id), [&](v1::CaseHistoryEntry&& e) {
        entries.push_back(std::move(e));
        return true;
      });
  EXPECT_TRUE(s.ok()) << s;
  return entries;
}

std::optional<v1::Student> CaseFixture::StudentById(const std::string& id) {
  Sync();
  auto mirror = OpenMirror(server_->database());
  auto found = FindStudent(*mirror, id);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::nullopt;
}

std::optional<v1::Student> CaseFixture::StudentByIdNumber(
    const std::string& id_number) {
  Sync();
  auto mirror = OpenMirror(server_->database());
  auto found = FindStudentByIdNumber(*mirror, id_number);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::nullopt;
}

std::optional<v1::ReportingAlert> CaseFixture::Alert(
    const std::string& school_id) {
  Sync();
  auto mirror = OpenMirror(server_->database());
  auto found = FindReportingAlert(*mirror, school_id);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::nullopt;
}

uint64_t CaseFixture::Counter(LedgerScope scope, const std::string& scope_id,
                              const std::string& name) {
  Sync();
  storage::ModelTxn projection(server_->database(),
                               storage::Family::kProjection);
  auto value = ReadCounter(projection, scope, scope_id, name);
  EXPECT_TRUE(value.ok()) << value.status();
  return value.value_or(0);
}

const v1::Deadline* CaseFixture::LastDeadline(const v1::Case& c,
                                              v1::DeadlineKind kind) {
  const v1::Deadline* found = nullptr;
  for (const v1::Deadline& d : c.deadlines()) {
    if (d.kind() == kind) found = &d;
  }
  return found;
}

}  // namespace baoxue::services::testing_server
