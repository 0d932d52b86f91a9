// Scope, tested for each RPC (issue 5, DOMAIN §8): every RPC of the three
// services — enumerated from their descriptors, so a new RPC without a row
// here fails the test — is called by each role with a well-formed request
// through grpc::GenericStub: no token → UNAUTHENTICATED; a role the service
// is not for → PERMISSION_DENIED; a viewer on a bureau write →
// PERMISSION_DENIED; the role it is for → the row's expected status. Every
// successful write's events carry the caller's account_id; a refused call
// or a read writes nothing.
//
// Then object-level scope: a township asking for another township's case,
// a school asking for another school's case → PERMISSION_DENIED.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

using Bureau = v1::BureauService::Stub;
using School = v1::SchoolService::Stub;
using Township = v1::TownshipService::Stub;

// ---- Calling any RPC by name with serialized bytes.

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

struct Outcome {
  grpc::Status status;
  int responses = 0;
};

// Calls `method` with one request message. Unary RPCs go through
// GenericStub::UnaryCall; streaming ones (ImportStudents, ExportLedger,
// WatchCases) open the stream, write the one message, half-close and read
// what comes back — cancelling after `max_reads` messages, for a stream
// that stays open.
Outcome CallGeneric(grpc::GenericStub* stub,
                    const google::protobuf::MethodDescriptor* method,
                    const std::string* token, const std::string& request,
                    int max_reads = 0) {
  const std::string path =
      absl::StrCat("/", method->service()->full_name(), "/", method->name());
  grpc::ClientContext context;
  Prepare(&context, token);
  grpc::ByteBuffer request_buffer = ToBuffer(request);
  Outcome outcome;
  if (!method->client_streaming() && !method->server_streaming()) {
    grpc::ByteBuffer response;
    absl::Notification done;
    stub->UnaryCall(&context, path, grpc::StubOptions(), &request_buffer,
                    &response, [&](grpc::Status status) {
                      outcome.status = std::move(status);
                      done.Notify();
                    });
    done.WaitForNotification();
    outcome.responses = outcome.status.ok() ? 1 : 0;
    return outcome;
  }
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub->PrepareCall(&context, path, &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](intptr_t want) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), want);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  bool open = step(1);
  if (open) {
    call->Write(request_buffer, reinterpret_cast<void*>(2));
    open = step(2);
  }
  if (open) {
    call->WritesDone(reinterpret_cast<void*>(3));
    step(3);
  }
  for (int i = 0; i < 1000; ++i) {
    grpc::ByteBuffer response;
    call->Read(&response, reinterpret_cast<void*>(4));
    if (!step(4)) break;
    ++outcome.responses;
    if (max_reads > 0 && outcome.responses == max_reads) context.TryCancel();
  }
  call->Finish(&outcome.status, reinterpret_cast<void*>(5));
  step(5);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return outcome;
}

// ---- The matrix.

enum class Kind { kRead, kWrite };

struct Row {
  Kind kind = Kind::kRead;
  // A well-formed request for the role the service is for.
  std::function<std::string()> request;
  // What that role gets (OK unless the request cannot succeed now).
  grpc::StatusCode expect = grpc::StatusCode::OK;
  // For a stream that stays open: cancel after this many messages.
  int max_reads = 0;
};

template <typename Message>
std::function<std::string()> Bytes(std::function<Message()> make) {
  return [make] { return make().SerializeAsString(); };
}

class ScopeMatrixTest : public ServerFixture {
 protected:
  static constexpr char kXzClerk[] = "xz-clerk";        // school A: 浔中中心小学
  static constexpr char kSbClerk[] = "sb-clerk";        // school B: 三班中心学校
  static constexpr char kLxClerk[] = "lx-clerk";        // 龙浔中学
  static constexpr char kXzOfficial[] = "xz-official";  // township A: 浔中镇
  static constexpr char kSbOfficial[] = "sb-official";  // township B: 三班镇
  static constexpr char kStaff[] = "bureau-staff";
  static constexpr char kViewer[] = "bureau-viewer";

  void SetUp() override {
    clock_->Set(CountyTime(2026, 9, 1, 7));
    StartServer();
    ASSERT_NE(server_, nullptr);
    SeedCounty();
    xz_clerk_ = MakeAccount(kXzClerk, v1::ROLE_SCHOOL, kXunzhongPrimary);
    sb_clerk_ = MakeAccount(kSbClerk, v1::ROLE_SCHOOL, kSanbanSchool);
    lx_clerk_ = MakeAccount(kLxClerk, v1::ROLE_SCHOOL, kLongxunMiddle);
    xz_official_ = MakeAccount(kXzOfficial, v1::ROLE_TOWNSHIP, "", kXunzhong);
    sb_official_ = MakeAccount(kSbOfficial, v1::ROLE_TOWNSHIP, "", kSanban);
    staff_ = MakeAccount(kStaff, v1::ROLE_BUREAU);
    viewer_ = MakeAccount(kViewer, v1::ROLE_BUREAU_VIEWER);
    MakeAccount("to-revoke", v1::ROLE_SCHOOL, kXunzhongPrimary);

    SetCountyTime(2026, 9, 1, 8);
    a1_ = RegisterOk(xz_clerk_, Child("甲一", absl::CivilDay(2017, 5, 10), 11));
    a2_ = RegisterOk(xz_clerk_, Child("甲二", absl::CivilDay(2017, 6, 10), 13));
    a3_ = RegisterOk(xz_clerk_, Child("甲三", absl::CivilDay(2017, 7, 10), 15));
    v1::Student b = Child("乙一", absl::CivilDay(2016, 5, 10), 17);
    b.set_household_township_code(kSanban);
    b.set_household_village_code(kSanbanVillage);
    b1_ = RegisterOk(sb_clerk_, b);
    // A child of 浔中镇 at a school of 龙浔镇: the township line follows the
    // household, the education line the school.
    v1::Student x = Child("丙一", absl::CivilDay(2013, 5, 10), 19);
    x.set_household_village_code(kXunzhongVillage2);
    x1_ = RegisterOk(lx_clerk_, x, 7);

    // Three unexcused days open an R1 case for each.
    for (int d : {9, 10, 11}) {
      Absent(xz_clerk_, d, {a1_, a2_});
      Absent(sb_clerk_, d, {b1_});
      Absent(lx_clerk_, d, {x1_});
    }
    SetCountyTime(2026, 9, 14, 10);
    case_a1_ = CaseOf(a1_);
    case_a2_ = CaseOf(a2_);
    case_b1_ = CaseOf(b1_);
    case_x1_ = CaseOf(x1_);
    // A2 is confirmed, ready to be arranged.
    v1::VerifyCaseRequest verify;
    verify.set_case_id(case_a2_);
    verify.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
    verify.set_dropout_reason(v1::DROPOUT_REASON_DISABILITY);
    *verify.mutable_verify_date() = D(2026, 9, 14);
    v1::VerifyCaseResponse verified;
    BX_ASSERT_OK(Call(township_.get(), &Township::VerifyCase, xz_official_,
                      verify, &verified));
    last_sequence_ = verified.sequence();
  }

  void Absent(const std::string& token, int day,
              const std::vector<v1::Student>& children) {
    SetCountyTime(2026, 9, day, 16);
    v1::SubmitAttendanceReportRequest request;
    *request.mutable_date() = D(2026, 9, day);
    for (const v1::Student& c : children) {
      v1::Absence* a = request.add_absences();
      a->set_student_number(c.student_number());
      a->set_category(v1::ABSENCE_CATEGORY_UNEXCUSED);
    }
    v1::SubmitAttendanceReportResponse response;
    BX_ASSERT_OK(SubmitReport(token, request, &response));
    last_sequence_ = response.sequence();
  }

  std::string CaseOf(const v1::Student& s) {
    v1::ListCountyCasesRequest request;
    request.set_min_sequence(last_sequence_);
    v1::ListCountyCasesResponse response;
    EXPECT_TRUE(Call(bureau_.get(), &Bureau::ListCountyCases, staff_, request,
                     &response)
                    .ok());
    for (const v1::CaseRow& row : response.rows()) {
      if (row.case_().student_id() == s.student_id()) return row.case_().case_id();
    }
    ADD_FAILURE() << "no case for " << s.name();
    return "";
  }

  // A row per RPC, by full method name.
  std::map<std::string, Row> Matrix();

  std::string xz_clerk_, sb_clerk_, lx_clerk_, xz_official_, sb_official_,
      staff_, viewer_;
  v1::Student a1_, a2_, a3_, b1_, x1_;
  std::string case_a1_, case_a2_, case_b1_, case_x1_;
};

std::map<std::string, Row> ScopeMatrixTest::Matrix() {
  std::map<std::string, Row> m;
  auto read = [](auto make) {
    using M = decltype(make());
    return Row{Kind::kRead, Bytes<M>(make)};
  };
  auto write = [](auto make, grpc::StatusCode expect = grpc::StatusCode::OK) {
    using M = decltype(make());
    return Row{Kind::kWrite, Bytes<M>(make), expect};
  };
  const std::string T = "baoxue.v1.TownshipService.";
  const std::string S = "baoxue.v1.SchoolService.";
  const std::string B = "baoxue.v1.BureauService.";
  const v1::Date today = D(2026, 9, 14);

  // ---- TownshipService (township A).
  m[T + "GetTownshipSession"] = read([] { return v1::GetTownshipSessionRequest(); });
  m[T + "ListTownshipStudents"] = read([] { return v1::ListTownshipStudentsRequest(); });
  m[T + "GetTownshipReportingStatus"] = read([] {
    v1::GetTownshipReportingStatusRequest r;
    *r.mutable_start_date() = D(2026, 9, 1);
    *r.mutable_end_date() = D(2026, 9, 14);
    return r;
  });
  m[T + "ListCases"] = read([] { return v1::ListCasesRequest(); });
  m[T + "GetCase"] = read([this] {
    v1::GetCaseRequest r;
    r.set_case_id(case_a1_);
    return r;
  });
  m[T + "VerifyCase"] = write([this, today] {
    v1::VerifyCaseRequest r;
    r.set_case_id(case_a1_);
    r.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
    r.set_dropout_reason(v1::DROPOUT_REASON_LEARNING_DIFFICULTY);
    *r.mutable_verify_date() = today;
    r.set_request_id("matrix-verify");
    return r;
  });
  m[T + "RecordAction"] = write([this, today] {
    v1::RecordActionRequest r;
    r.set_case_id(case_a1_);
    r.mutable_action()->set_kind(v1::ACTION_KIND_HOME_VISIT);
    *r.mutable_action()->mutable_action_date() = today;
    r.mutable_action()->set_actors("浔中镇控辍专干");
    r.mutable_action()->set_attitude(v1::GUARDIAN_ATTITUDE_HESITANT);
    return r;
  });
  m[T + "ArrangeCase"] = write([this] {
    v1::ArrangeCaseRequest r;
    r.set_case_id(case_a2_);
    r.set_note("安排送教上门，每周两次");
    return r;
  });
  m[T + "AssignResponsible"] = write([this] {
    v1::AssignResponsibleRequest r;
    r.set_case_id(case_a1_);
    r.mutable_responsible()->set_township_official("张明华");
    r.mutable_responsible()->set_class_teacher("李秀英");
    r.mutable_responsible()->set_village_cadre("王村长");
    return r;
  });
  m[T + "ReportChildOutOfSchool"] = write([today] {
    v1::ReportChildOutOfSchoolRequest r;
    r.mutable_child()->set_id_number(
        IdNumber(kCountyCode, absl::CivilDay(2015, 6, 1), 31));
    r.mutable_child()->set_name("丁一");
    r.mutable_child()->set_household_township_code(kXunzhong);
    r.mutable_child()->set_household_village_code(kXunzhongVillage1);
    r.set_note("摸排发现在家");
    *r.mutable_found_date() = today;
    return r;
  });
  m[T + "UpdateRoster"] = write([this] {
    v1::UpdateRosterRequest r;
    r.set_village_code(kXunzhongVillage1);
    v1::RosterEntry* e = r.add_entries();
    e->set_id_number(a3_.id_number());
    e->set_name(a3_.name());
    return r;
  });
  m[T + "ListRoster"] = read([] {
    v1::ListRosterRequest r;
    r.set_village_code(kXunzhongVillage1);
    return r;
  });

  // ---- SchoolService (school A).
  m[S + "GetSchoolSession"] = read([] { return v1::GetSchoolSessionRequest(); });
  m[S + "RegisterStudent"] = write([] {
    v1::RegisterStudentRequest r;
    *r.mutable_student() = Child("戊一", absl::CivilDay(2018, 2, 2), 33);
    r.set_grade(2);
    r.set_class_name("1班");
    *r.mutable_enrol_date() = D(2026, 9, 1);
    return r;
  });
  m[S + "UpdateStudent"] = write([this] {
    v1::UpdateStudentRequest r;
    *r.mutable_student() = a1_;
    r.mutable_student()->mutable_guardians(0)->set_phone("13805950000");
    return r;
  });
  m[S + "ChangeEnrolment"] = write([this, today] {
    v1::ChangeEnrolmentRequest r;
    r.mutable_change()->set_student_id(a3_.student_id());
    *r.mutable_change()->mutable_effective_date() = today;
    *r.mutable_change()->mutable_suspend()->mutable_end_date() = D(2027, 1, 22);
    r.mutable_change()->mutable_suspend()->set_certificate_reference("德医证〔2026〕12号");
    return r;
  });
  m[S + "ListStudents"] = read([] { return v1::ListStudentsRequest(); });
  m[S + "GetStudent"] = read([this] {
    v1::GetStudentRequest r;
    r.set_student_id(a1_.student_id());
    return r;
  });
  m[S + "SubmitAttendanceReport"] = write([today] {
    v1::SubmitAttendanceReportRequest r;
    *r.mutable_date() = today;
    r.set_zero_report(true);
    return r;
  });
  m[S + "GetAttendanceReport"] = read([] {
    v1::GetAttendanceReportRequest r;
    *r.mutable_date() = D(2026, 9, 11);
    return r;
  });
  m[S + "GetReportingStatus"] = read([] {
    v1::GetReportingStatusRequest r;
    *r.mutable_start_date() = D(2026, 9, 1);
    *r.mutable_end_date() = D(2026, 9, 14);
    return r;
  });
  m[S + "ImportStudents"] = write([] {
    v1::ImportStudentsRequest r;
    v1::ImportStudentRow* row = r.add_rows();
    *row->mutable_student() = Child("戊二", absl::CivilDay(2018, 3, 3), 35);
    row->set_grade(2);
    row->set_class_name("1班");
    *row->mutable_enrol_date() = D(2026, 9, 1);
    row->set_line(2);
    r.set_request_id("matrix-import-1");
    return r;
  });
  m[S + "ListSchoolCases"] = read([] { return v1::ListSchoolCasesRequest(); });
  m[S + "GetSchoolCase"] = read([this] {
    v1::GetSchoolCaseRequest r;
    r.set_case_id(case_a1_);
    return r;
  });
  m[S + "RecordSchoolAction"] = write([this, today] {
    v1::RecordSchoolActionRequest r;
    r.set_case_id(case_a1_);
    r.mutable_action()->set_kind(v1::ACTION_KIND_PHONE_CALL);
    *r.mutable_action()->mutable_action_date() = today;
    r.mutable_action()->set_actors("班主任 李秀英");
    return r;
  });
  // After the township's verification and visit, A1 is persuading.
  m[S + "ConfirmReturn"] = write([this, today] {
    v1::ConfirmReturnRequest r;
    r.set_case_id(case_a1_);
    *r.mutable_return_date() = today;
    return r;
  });

  // ---- BureauService (BUREAU; reads also the viewer).
  m[B + "CreateAccount"] = write([] {
    v1::CreateAccountRequest r;
    r.mutable_account()->set_account_id("matrix-new");
    r.mutable_account()->set_display_name("新账号");
    r.mutable_account()->set_role(v1::ROLE_TOWNSHIP);
    r.mutable_account()->set_township_code(kYangmei);
    return r;
  });
  m[B + "ListAccounts"] = read([] { return v1::ListAccountsRequest(); });
  m[B + "RevokeAccount"] = write([] {
    v1::RevokeAccountRequest r;
    r.set_account_id("to-revoke");
    r.set_reason("调离岗位");
    return r;
  });
  m[B + "GetSystemStatus"] = read([] { return v1::GetSystemStatusRequest(); });
  m[B + "ConfigureCounty"] = write([] {
    v1::ConfigureCountyRequest r;
    r.mutable_county()->set_county_code(kCountyCode);
    r.mutable_county()->set_name("福建省德化县");
    return r;
  });
  m[B + "GetCounty"] = read([] { return v1::GetCountyRequest(); });
  m[B + "CreateTownship"] = write([] {
    v1::CreateTownshipRequest r;
    r.mutable_township()->set_township_code("350526103");
    r.mutable_township()->set_name("龙门滩镇");
    return r;
  });
  m[B + "RenameTownship"] = write([] {
    v1::RenameTownshipRequest r;
    r.set_township_code(kYangmei);
    r.set_name("杨梅乡人民政府");
    return r;
  });
  m[B + "ListTownships"] = read([] { return v1::ListTownshipsRequest(); });
  m[B + "CreateVillage"] = write([] {
    v1::CreateVillageRequest r;
    r.mutable_village()->set_village_code("350526200002");
    r.mutable_village()->set_name("云路村");
    return r;
  });
  m[B + "RenameVillage"] = write([] {
    v1::RenameVillageRequest r;
    r.set_village_code(kYangmeiVillage);
    r.set_name("杨梅村委会");
    return r;
  });
  m[B + "ListVillages"] = read([] {
    v1::ListVillagesRequest r;
    r.set_township_code(kXunzhong);
    return r;
  });
  m[B + "CreateSchool"] = write([] {
    v1::CreateSchoolRequest r;
    r.mutable_school()->set_school_id("yangmei-school");
    r.mutable_school()->set_name("德化县杨梅中心小学");
    r.mutable_school()->set_township_code(kYangmei);
    r.mutable_school()->set_kind(v1::SCHOOL_KIND_PRIMARY);
    for (int g = 1; g <= 6; ++g) r.mutable_school()->add_grades(g);
    return r;
  });
  m[B + "UpdateSchool"] = write([] {
    v1::UpdateSchoolRequest r;
    r.mutable_school()->set_school_id(kSanbanSchool);
    r.mutable_school()->set_name("德化县三班中心学校（九年一贯）");
    r.mutable_school()->set_township_code(kSanban);
    r.mutable_school()->set_kind(v1::SCHOOL_KIND_NINE_YEAR);
    for (int g = 1; g <= 9; ++g) r.mutable_school()->add_grades(g);
    return r;
  });
  m[B + "ListSchools"] = read([] { return v1::ListSchoolsRequest(); });
  m[B + "SetCalendar"] = write([] {
    v1::SetCalendarRequest r;
    *r.mutable_calendar() = Calendar2026();
    r.mutable_calendar()->add_holidays()->CopyFrom(D(2027, 4, 5));  // 清明
    return r;
  });
  m[B + "GetCalendar"] = read([] {
    v1::GetCalendarRequest r;
    r.set_school_year(2026);
    return r;
  });
  m[B + "GetSettings"] = read([] { return v1::GetSettingsRequest(); });
  m[B + "UpdateSettings"] = write([] {
    v1::UpdateSettingsRequest r;
    r.mutable_settings()->set_verification_days(6);
    return r;
  });
  m[B + "GetCountyReportingStatus"] = read([] {
    v1::GetCountyReportingStatusRequest r;
    *r.mutable_start_date() = D(2026, 9, 1);
    *r.mutable_end_date() = D(2026, 9, 14);
    return r;
  });
  m[B + "FindStudent"] = read([this] {
    v1::FindStudentRequest r;
    r.set_student_id(a1_.student_id());
    return r;
  });
  // Needs ROLE_BUREAU though it writes no event.
  m[B + "RebuildProjections"] = write([] { return v1::RebuildProjectionsRequest(); });
  // This server runs on its test clock, not in simulated time: the bureau
  // is admitted and then refused for the clock (tests/services/clock_test.cc
  // covers the simulated server).
  m[B + "AdvanceClock"] = write(
      [] {
        v1::AdvanceClockRequest r;
        *r.mutable_date() = D(2026, 9, 2);
        return r;
      },
      grpc::StatusCode::FAILED_PRECONDITION);
  // BUREAU only; this server has no --backup_dir (backup_test takes them).
  m[B + "CreateBackup"] = write([] { return v1::CreateBackupRequest(); },
                                grpc::StatusCode::FAILED_PRECONDITION);
  m[B + "ListBackups"] = write([] { return v1::ListBackupsRequest(); },
                               grpc::StatusCode::FAILED_PRECONDITION);
  m[B + "ListCountyCases"] = read([] { return v1::ListCountyCasesRequest(); });
  m[B + "GetCountyCase"] = read([this] {
    v1::GetCountyCaseRequest r;
    r.set_case_id(case_b1_);
    return r;
  });
  // No case is pending closure: well-formed, refused for the state.
  m[B + "DecideClosure"] = write(
      [this] {
        v1::DecideClosureRequest r;
        r.set_case_id(case_b1_);
        r.set_approved(true);
        return r;
      },
      grpc::StatusCode::FAILED_PRECONDITION);
  m[B + "AssignBureauLead"] = write([this] {
    v1::AssignBureauLeadRequest r;
    r.set_case_id(case_b1_);
    r.set_bureau_lead("陈副局长");
    return r;
  });
  m[B + "GetSummary"] = read([] { return v1::GetSummaryRequest(); });
  m[B + "ListReportingAlerts"] = read([] { return v1::ListReportingAlertsRequest(); });
  m[B + "GetMonthlyReport"] = read([] {
    v1::GetMonthlyReportRequest r;
    r.set_year(2026);
    r.set_month(9);
    return r;
  });
  m[B + "ExportLedger"] = read([] { return v1::ExportLedgerRequest(); });
  m[B + "ListAuditTrail"] = read([] {
    v1::ListAuditTrailRequest r;
    r.set_account_id(kXzClerk);
    return r;
  });
  // A watch stays open: the caller cancels after the first change.
  Row watch = read([] { return v1::WatchCasesRequest(); });
  watch.expect = grpc::StatusCode::CANCELLED;
  watch.max_reads = 1;
  m[B + "WatchCases"] = watch;
  return m;
}

struct Role {
  std::string name;
  const std::string* token;  // null: no token
  std::string account_id;
};

TEST_F(ScopeMatrixTest, EveryRpcEveryRole) {
  const std::map<std::string, Row> matrix = Matrix();
  const google::protobuf::DescriptorPool* pool =
      google::protobuf::DescriptorPool::generated_pool();
  struct ServiceSpec {
    const google::protobuf::ServiceDescriptor* descriptor;
    v1::Role owner;
  };
  std::vector<ServiceSpec> services = {
      {pool->FindServiceByName(v1::TownshipService::service_full_name()),
       v1::ROLE_TOWNSHIP},
      {pool->FindServiceByName(v1::SchoolService::service_full_name()),
       v1::ROLE_SCHOOL},
      {pool->FindServiceByName(v1::BureauService::service_full_name()),
       v1::ROLE_BUREAU},
  };
  // Every RPC has a row, and every row an RPC.
  std::vector<std::string> missing;
  std::set<std::string> known;
  for (const ServiceSpec& spec : services) {
    ASSERT_NE(spec.descriptor, nullptr);
    for (int i = 0; i < spec.descriptor->method_count(); ++i) {
      const std::string name = spec.descriptor->method(i)->full_name();
      known.insert(name);
      if (matrix.count(name) == 0) missing.push_back(name);
    }
  }
  EXPECT_TRUE(missing.empty()) << "RPCs without a row in the scope matrix: "
                               << absl::StrJoin(missing, ", ");
  for (const auto& [name, row] : matrix) {
    EXPECT_EQ(known.count(name), 1u) << "a row for an RPC that does not exist: "
                                     << name;
  }

  const std::vector<std::pair<v1::Role, Role>> roles = {
      {v1::ROLE_UNSPECIFIED, {"no token", nullptr, ""}},
      {v1::ROLE_SCHOOL, {"SCHOOL of school A", &xz_clerk_, kXzClerk}},
      {v1::ROLE_TOWNSHIP, {"TOWNSHIP of township A", &xz_official_, kXzOfficial}},
      {v1::ROLE_BUREAU_VIEWER, {"BUREAU_VIEWER", &viewer_, kViewer}},
      {v1::ROLE_BUREAU, {"BUREAU", &staff_, kStaff}},
  };

  grpc::GenericStub stub(channel_);
  int calls = 0, successful_writes = 0;
  for (const ServiceSpec& spec : services) {
    for (int i = 0; i < spec.descriptor->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = spec.descriptor->method(i);
      auto it = matrix.find(method->full_name());
      if (it == matrix.end()) continue;
      const Row& row = it->second;
      // A request with a request_id is a write; the table must agree.
      if (method->input_type()->FindFieldByName("request_id") != nullptr) {
        EXPECT_EQ(row.kind, Kind::kWrite) << method->full_name();
      }
      const std::string request = row.request();
      for (const auto& [role, who] : roles) {
        SCOPED_TRACE(absl::StrCat(method->full_name(), " as ", who.name));
        grpc::StatusCode want;
        if (role == v1::ROLE_UNSPECIFIED) {
          want = grpc::StatusCode::UNAUTHENTICATED;
        } else if (role == spec.owner ||
                   (role == v1::ROLE_BUREAU_VIEWER &&
                    spec.owner == v1::ROLE_BUREAU && row.kind == Kind::kRead)) {
          want = row.expect;
        } else {
          want = grpc::StatusCode::PERMISSION_DENIED;
        }
        const uint64_t before = LastSequence();
        Outcome outcome =
            CallGeneric(&stub, method, who.token, request, row.max_reads);
        ++calls;
        EXPECT_EQ(outcome.status.error_code(), want)
            << Describe(outcome.status);
        if (want == row.expect && method->server_streaming()) {
          EXPECT_GE(outcome.responses, 1) << "a stream that sent nothing";
        }
        const uint64_t after = LastSequence();
        if (!outcome.status.ok() || row.kind == Kind::kRead) {
          EXPECT_EQ(after, before) << "a read or a refused call wrote events";
          continue;
        }
        // The audit point: what the write recorded names the caller.
        std::vector<v1::Event> events;
        ASSERT_TRUE(server_->log()->Read(before + 1, after - before, &events).ok());
        ASSERT_EQ(events.size(), after - before);
        for (const v1::Event& e : events) {
          EXPECT_EQ(e.account_id(), who.account_id)
              << "event " << e.sequence() << " (" << e.body_case() << ")";
        }
        if (method->name() != "RebuildProjections") {
          EXPECT_GT(after, before) << "a successful write recorded nothing";
        }
        ++successful_writes;
      }
    }
  }
  EXPECT_EQ(calls, static_cast<int>(roles.size() * matrix.size()));
  // Every write row but DecideClosure succeeds for its role.
  int write_rows = 0;
  for (const auto& [name, row] : matrix) {
    if (row.kind == Kind::kWrite && row.expect == grpc::StatusCode::OK) ++write_rows;
  }
  EXPECT_EQ(successful_writes, write_rows);
}

// ---------------------------------------------------------------------------
// Object-level scope.

TEST_F(ScopeMatrixTest, ATownshipOrASchoolCannotReachAnothersCase) {
  const uint64_t before = LastSequence();
  const v1::Date today = D(2026, 9, 14);
  auto denied = [](const grpc::Status& status, const std::string& what) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << what << ": " << Describe(status);
  };

  // ---- Township A (浔中) and township B's case (三班).
  {
    v1::GetCaseRequest request;
    request.set_case_id(case_b1_);
    v1::GetCaseResponse response;
    denied(Call(township_.get(), &Township::GetCase, xz_official_, request, &response),
           "GetCase");
    EXPECT_FALSE(response.has_row());
    // And the other way round.
    request.set_case_id(case_a1_);
    denied(Call(township_.get(), &Township::GetCase, sb_official_, request, &response),
           "GetCase by township B");
  }
  {
    v1::VerifyCaseRequest request;
    request.set_case_id(case_b1_);
    request.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
    request.set_dropout_reason(v1::DROPOUT_REASON_WORKING);
    *request.mutable_verify_date() = today;
    v1::VerifyCaseResponse response;
    denied(Call(township_.get(), &Township::VerifyCase, xz_official_, request,
                &response),
           "VerifyCase");
  }
  {
    v1::RecordActionRequest request;
    request.set_case_id(case_b1_);
    request.mutable_action()->set_kind(v1::ACTION_KIND_HOME_VISIT);
    *request.mutable_action()->mutable_action_date() = today;
    request.mutable_action()->set_actors("浔中镇控辍专干");
    v1::RecordActionResponse response;
    denied(Call(township_.get(), &Township::RecordAction, xz_official_, request,
                &response),
           "RecordAction");
  }
  {
    v1::ArrangeCaseRequest request;
    request.set_case_id(case_b1_);
    request.set_note("送教上门");
    v1::ArrangeCaseResponse response;
    denied(Call(township_.get(), &Township::ArrangeCase, xz_official_, request,
                &response),
           "ArrangeCase");
    v1::AssignResponsibleRequest assign;
    assign.set_case_id(case_b1_);
    assign.mutable_responsible()->set_township_official("张明华");
    v1::AssignResponsibleResponse assigned;
    denied(Call(township_.get(), &Township::AssignResponsible, xz_official_, assign,
                &assigned),
           "AssignResponsible");
  }
  {
    v1::ListCasesRequest request;
    request.mutable_filter()->set_township_code(kSanban);
    v1::ListCasesResponse response;
    denied(Call(township_.get(), &Township::ListCases, xz_official_, request,
                &response),
           "ListCases of township B");
    // The own listing holds the township's children, wherever enrolled,
    // and nobody else's.
    request.Clear();
    request.set_min_sequence(before);
    BX_ASSERT_OK(Call(township_.get(), &Township::ListCases, xz_official_, request,
                      &response));
    std::set<std::string> ids;
    for (const v1::CaseRow& row : response.rows()) ids.insert(row.case_().case_id());
    EXPECT_EQ(ids, (std::set<std::string>{case_a1_, case_a2_, case_x1_}));
    response.Clear();
    BX_ASSERT_OK(Call(township_.get(), &Township::ListCases, sb_official_, request,
                      &response));
    ASSERT_EQ(response.rows_size(), 1);
    EXPECT_EQ(response.rows(0).case_().case_id(), case_b1_);
  }
  {
    v1::ListRosterRequest request;
    request.set_village_code(kSanbanVillage);
    v1::ListRosterResponse response;
    denied(Call(township_.get(), &Township::ListRoster, xz_official_, request,
                &response),
           "ListRoster of township B");
  }
  // 浔中's child at 龙浔中学: the township of the household sees the case.
  {
    v1::GetCaseRequest request;
    request.set_case_id(case_x1_);
    v1::GetCaseResponse response;
    BX_EXPECT_OK(Call(township_.get(), &Township::GetCase, xz_official_, request,
                      &response));
    EXPECT_EQ(response.row().case_().school_id(), kLongxunMiddle);
  }

  // ---- School A (浔中中心小学) and school B's case.
  {
    v1::GetSchoolCaseRequest request;
    request.set_case_id(case_b1_);
    v1::GetSchoolCaseResponse response;
    denied(Call(school_.get(), &School::GetSchoolCase, xz_clerk_, request, &response),
           "GetSchoolCase");
    request.set_case_id(case_x1_);
    denied(Call(school_.get(), &School::GetSchoolCase, xz_clerk_, request, &response),
           "GetSchoolCase of a 浔中 child at 龙浔中学");
    BX_EXPECT_OK(Call(school_.get(), &School::GetSchoolCase, lx_clerk_, request,
                      &response));
  }
  {
    v1::RecordSchoolActionRequest request;
    request.set_case_id(case_b1_);
    request.mutable_action()->set_kind(v1::ACTION_KIND_PHONE_CALL);
    *request.mutable_action()->mutable_action_date() = today;
    request.mutable_action()->set_actors("班主任");
    v1::RecordSchoolActionResponse response;
    denied(Call(school_.get(), &School::RecordSchoolAction, xz_clerk_, request,
                &response),
           "RecordSchoolAction");
  }
  {
    v1::ConfirmReturnRequest request;
    request.set_case_id(case_a2_);  // confirmed, at school A
    *request.mutable_return_date() = today;
    v1::ConfirmReturnResponse response;
    denied(Call(school_.get(), &School::ConfirmReturn, sb_clerk_, request, &response),
           "ConfirmReturn by another school");
  }
  {
    v1::ListSchoolCasesRequest request;
    request.mutable_filter()->set_school_id(kSanbanSchool);
    v1::ListSchoolCasesResponse response;
    denied(Call(school_.get(), &School::ListSchoolCases, xz_clerk_, request,
                &response),
           "ListSchoolCases of school B");
    request.Clear();
    BX_ASSERT_OK(Call(school_.get(), &School::ListSchoolCases, xz_clerk_, request,
                      &response));
    std::set<std::string> ids;
    for (const v1::CaseRow& row : response.rows()) ids.insert(row.case_().case_id());
    EXPECT_EQ(ids, (std::set<std::string>{case_a1_, case_a2_}));
  }

  // ---- Township calls cannot name a bureau lead.
  {
    v1::AssignResponsibleRequest request;
    request.set_case_id(case_a1_);
    request.mutable_responsible()->set_bureau_lead("自封领导");
    v1::AssignResponsibleResponse response;
    denied(Call(township_.get(), &Township::AssignResponsible, xz_official_,
                request, &response),
           "bureau lead by a township");
  }
  EXPECT_EQ(LastSequence(), before) << "a refused call wrote events";
}

// The bureau's area lead stays on a case when the township names its own
// people (包保责任人): a township cannot send bureau_lead, so a replacement
// that drops it must not erase the bureau's choice.
TEST_F(ScopeMatrixTest, ATownshipsAssignmentKeepsTheBureauLead) {
  v1::AssignBureauLeadRequest lead;
  lead.set_case_id(case_a1_);
  lead.set_bureau_lead("陈副局长");
  v1::AssignBureauLeadResponse lead_response;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::AssignBureauLead, staff_, lead,
                    &lead_response));
  v1::AssignResponsibleRequest request;
  request.set_case_id(case_a1_);
  request.mutable_responsible()->set_township_official("张明华");
  request.mutable_responsible()->set_class_teacher("李秀英");
  v1::AssignResponsibleResponse response;
  BX_ASSERT_OK(Call(township_.get(), &Township::AssignResponsible, xz_official_,
                    request, &response));
  v1::GetCountyCaseRequest get;
  get.set_case_id(case_a1_);
  get.set_min_sequence(response.sequence());
  v1::GetCountyCaseResponse got;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::GetCountyCase, viewer_, get, &got));
  const v1::ResponsiblePeople& people = got.row().case_().responsible();
  EXPECT_EQ(people.township_official(), "张明华");
  EXPECT_EQ(people.class_teacher(), "李秀英");
  EXPECT_EQ(people.bureau_lead(), "陈副局长");
}

}  // namespace
}  // namespace baoxue::services::testing_server
