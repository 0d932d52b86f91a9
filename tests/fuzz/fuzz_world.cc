#include "tests/fuzz/fuzz_world.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "baoxue/v1/bureau.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/township.pb.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "services/accounts.h"
#include "services/attendance.h"
#include "services/case_commands.h"
#include "services/case_engine.h"
#include "services/ledger_projector.h"
#include "services/limits.h"
#include "services/registry.h"
#include "services/rpc.h"
#include "services/students.h"
#include "services/validation.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::fuzz {
namespace {

using services::Caller;
using storage::ModelTxn;

// Builds a table row for request type `Request`: parse, check string
// lengths and the request_id as RpcRunner does, then `prepare`.
template <typename Request, typename Prepare>
RequestCommand Command(const char* rpc, Sender sender, Prepare prepare) {
  static const Request* prototype = new Request();
  return RequestCommand{
      rpc, sender, prototype,
      [prepare](absl::string_view bytes, const Caller& caller,
                const ModelTxn& model, v1::Event* event) -> absl::Status {
        Request request;
        if (!request.ParseFromArray(bytes.data(),
                                    static_cast<int>(bytes.size()))) {
          return absl::InvalidArgumentError("request does not parse");
        }
        // What RpcRunner does before the service: the string-length floor
        // of services/limits.h (the interceptor), then the request_id.
        RETURN_IF_ERROR(services::CheckStringLengths(
            request, services::Limits().max_string_bytes));
        RETURN_IF_ERROR(services::ValidateRequestId(request.request_id()));
        return prepare(request, caller, model, event);
      }};
}

const std::string& SchoolOf(const Caller& caller) {
  return caller.account.school_id();
}

std::vector<RequestCommand>* BuildCommands() {
  auto* c = new std::vector<RequestCommand>();
  using M = const ModelTxn&;
  using E = v1::Event*;
  using C = const Caller&;
  // ---- BureauService (services/bureau_service.cc).
  c->push_back(Command<v1::CreateAccountRequest>(
      "CreateAccount", Sender::kBureau,
      [](const v1::CreateAccountRequest& r, C, M m, E e) {
        // The service hashes a fresh token; any hash will do here.
        return services::PrepareCreateAccount(
            m, r.account(), std::string(64, 'a'), e);
      }));
  c->push_back(Command<v1::RevokeAccountRequest>(
      "RevokeAccount", Sender::kBureau,
      [](const v1::RevokeAccountRequest& r, C, M m, E e) {
        return services::PrepareRevokeAccount(m, r.account_id(), r.reason(), e);
      }));
  c->push_back(Command<v1::ConfigureCountyRequest>(
      "ConfigureCounty", Sender::kBureau,
      [](const v1::ConfigureCountyRequest& r, C, M m, E e) {
        return services::PrepareConfigureCounty(m, r.county(), e);
      }));
  c->push_back(Command<v1::CreateTownshipRequest>(
      "CreateTownship", Sender::kBureau,
      [](const v1::CreateTownshipRequest& r, C, M m, E e) {
        return services::PrepareCreateTownship(m, r.township(), e);
      }));
  c->push_back(Command<v1::RenameTownshipRequest>(
      "RenameTownship", Sender::kBureau,
      [](const v1::RenameTownshipRequest& r, C, M m, E e) {
        return services::PrepareRenameTownship(m, r.township_code(), r.name(), e);
      }));
  c->push_back(Command<v1::CreateVillageRequest>(
      "CreateVillage", Sender::kBureau,
      [](const v1::CreateVillageRequest& r, C, M m, E e) {
        return services::PrepareCreateVillage(m, r.village(), e);
      }));
  c->push_back(Command<v1::RenameVillageRequest>(
      "RenameVillage", Sender::kBureau,
      [](const v1::RenameVillageRequest& r, C, M m, E e) {
        return services::PrepareRenameVillage(m, r.village_code(), r.name(), e);
      }));
  c->push_back(Command<v1::CreateSchoolRequest>(
      "CreateSchool", Sender::kBureau,
      [](const v1::CreateSchoolRequest& r, C, M m, E e) {
        return services::PrepareCreateSchool(m, r.school(), e);
      }));
  c->push_back(Command<v1::UpdateSchoolRequest>(
      "UpdateSchool", Sender::kBureau,
      [](const v1::UpdateSchoolRequest& r, C, M m, E e) {
        return services::PrepareUpdateSchool(m, r.school(), e);
      }));
  c->push_back(Command<v1::SetCalendarRequest>(
      "SetCalendar", Sender::kBureau,
      [](const v1::SetCalendarRequest& r, C, M m, E e) {
        return services::PrepareSetCalendar(m, r.calendar(), e);
      }));
  c->push_back(Command<v1::UpdateSettingsRequest>(
      "UpdateSettings", Sender::kBureau,
      [](const v1::UpdateSettingsRequest& r, C, M m, E e) {
        return services::PrepareUpdateSettings(m, r.settings(), e);
      }));
  c->push_back(Command<v1::DecideClosureRequest>(
      "DecideClosure", Sender::kBureau,
      [](const v1::DecideClosureRequest& r, C caller, M m, E e) {
        return services::PrepareDecideClosure(m, caller, r.case_id(),
                                              r.approved(), r.reason(), e);
      }));
  c->push_back(Command<v1::AssignBureauLeadRequest>(
      "AssignBureauLead", Sender::kBureau,
      [](const v1::AssignBureauLeadRequest& r, C caller, M m,
         E e) -> absl::Status {
        ASSIGN_OR_RETURN(auto found, services::FindCase(m, r.case_id()));
        v1::ResponsiblePeople people;
        if (found.has_value()) people = found->responsible();
        if (r.bureau_lead().empty()) {
          return services::FieldError({"bureau_lead", "包片领导"}, "必填",
                                      "is required");
        }
        people.set_bureau_lead(r.bureau_lead());
        return services::PrepareAssignResponsible(m, caller, r.case_id(),
                                                  people, e);
      }));
  // ---- SchoolService (services/school_service.cc).
  c->push_back(Command<v1::RegisterStudentRequest>(
      "RegisterStudent", Sender::kSchool,
      [](const v1::RegisterStudentRequest& r, C caller, M m, E e) {
        return services::PrepareRegisterStudent(m, SchoolOf(caller), r, e);
      }));
  c->push_back(Command<v1::UpdateStudentRequest>(
      "UpdateStudent", Sender::kSchool,
      [](const v1::UpdateStudentRequest& r, C caller, M m, E e) {
        return services::PrepareUpdateStudent(m, SchoolOf(caller), r.student(),
                                              e);
      }));
  c->push_back(Command<v1::ChangeEnrolmentRequest>(
      "ChangeEnrolment", Sender::kSchool,
      [](const v1::ChangeEnrolmentRequest& r, C caller, M m, E e) {
        return services::PrepareChangeEnrolment(m, SchoolOf(caller), r.change(),
                                                e);
      }));
  c->push_back(Command<v1::SubmitAttendanceReportRequest>(
      "SubmitAttendanceReport", Sender::kSchool,
      [](const v1::SubmitAttendanceReportRequest& r, C caller, M m, E e) {
        return services::PrepareAttendanceReport(
            m, SchoolOf(caller), caller.account.account_id(), r, e);
      }));
  c->push_back(Command<v1::ImportStudentsRequest>(
      "ImportStudents", Sender::kSchool,
      [](const v1::ImportStudentsRequest& r, C caller, M m, E e) {
        services::ImportOutcome outcome;
        return services::PrepareImportStudents(
            m, SchoolOf(caller), r,
            r.mode() == v1::IMPORT_MODE_VALIDATE_ONLY, &outcome, e);
      }));
  c->push_back(Command<v1::RecordSchoolActionRequest>(
      "RecordSchoolAction", Sender::kSchool,
      [](const v1::RecordSchoolActionRequest& r, C caller, M m, E e) {
        return services::PrepareRecordAction(m, caller, r.case_id(), r.action(),
                                             e);
      }));
  c->push_back(Command<v1::ConfirmReturnRequest>(
      "ConfirmReturn", Sender::kSchool,
      [](const v1::ConfirmReturnRequest& r, C caller, M m, E e) {
        return services::PrepareConfirmReturn(m, caller, r.case_id(),
                                              r.return_date(), e);
      }));
  // ---- TownshipService (services/township_service.cc).
  c->push_back(Command<v1::VerifyCaseRequest>(
      "VerifyCase", Sender::kTownship,
      [](const v1::VerifyCaseRequest& r, C caller, M m, E e) {
        v1::CaseVerified v;
        v.set_case_id(r.case_id());
        v.set_outcome(r.outcome());
        v.set_dropout_reason(r.dropout_reason());
        v.set_note(r.note());
        *v.mutable_verify_date() = r.verify_date();
        return services::PrepareVerifyCase(m, caller, v, e);
      }));
  c->push_back(Command<v1::RecordActionRequest>(
      "RecordAction", Sender::kTownship,
      [](const v1::RecordActionRequest& r, C caller, M m, E e) {
        return services::PrepareRecordAction(m, caller, r.case_id(), r.action(),
                                             e);
      }));
  c->push_back(Command<v1::ArrangeCaseRequest>(
      "ArrangeCase", Sender::kTownship,
      [](const v1::ArrangeCaseRequest& r, C caller, M m, E e) {
        return services::PrepareArrangeCase(m, caller, r.case_id(), r.note(), e);
      }));
  c->push_back(Command<v1::AssignResponsibleRequest>(
      "AssignResponsible", Sender::kTownship,
      [](const v1::AssignResponsibleRequest& r, C caller, M m, E e) {
        return services::PrepareAssignResponsible(m, caller, r.case_id(),
                                                  r.responsible(), e);
      }));
  c->push_back(Command<v1::ReportChildOutOfSchoolRequest>(
      "ReportChildOutOfSchool", Sender::kTownship,
      [](const v1::ReportChildOutOfSchoolRequest& r, C caller, M m, E e) {
        return services::PrepareReportOutOfSchool(m, caller, r.child(), r.note(),
                                                  r.found_date(), e);
      }));
  c->push_back(Command<v1::UpdateRosterRequest>(
      "UpdateRoster", Sender::kTownship,
      [](const v1::UpdateRosterRequest& r, C caller, M m, E e) {
        v1::RosterUpdated update;
        update.set_village_code(r.village_code());
        *update.mutable_entries() = r.entries();
        *update.mutable_removed_id_numbers() = r.removed_id_numbers();
        return services::PrepareUpdateRoster(m, caller, update, e);
      }));
  return c;
}

Caller MakeCaller(Sender sender) {
  Caller caller;
  v1::Account& a = caller.account;
  switch (sender) {
    case Sender::kBureau:
      a.set_account_id("bureau-admin");
      a.set_role(v1::ROLE_BUREAU);
      break;
    case Sender::kTownship:
      a.set_account_id("xz-official");
      a.set_role(v1::ROLE_TOWNSHIP);
      a.set_township_code("350526100");
      break;
    case Sender::kSchool:
      a.set_account_id("xz-clerk");
      a.set_role(v1::ROLE_SCHOOL);
      a.set_school_id("xunzhong-primary");
      break;
  }
  a.set_display_name(a.account_id());
  return caller;
}

void DiscardLog(google::protobuf::LogLevel, const char*, int,
                const std::string&) {}

// The seed commands, in order: (rpc, text-format request).
constexpr std::pair<const char*, const char*> kSeedCommands[] = {
    {"ConfigureCounty", R"(county { county_code: "350526" name: "德化县" })"},
    {"CreateTownship",
     R"(township { township_code: "350526100" name: "浔中镇" })"},
    {"CreateTownship",
     R"(township { township_code: "350526200" name: "杨梅乡" })"},
    {"CreateVillage",
     R"(village { village_code: "350526100001" name: "浔中村"
                  township_code: "350526100" })"},
    {"CreateSchool",
     R"(school { school_id: "xunzhong-primary" name: "德化县浔中中心小学"
                 township_code: "350526100" kind: SCHOOL_KIND_PRIMARY
                 grades: [1, 2, 3, 4, 5, 6] })"},
    {"SetCalendar",
     R"(calendar {
          school_year: 2026
          terms { name: "秋季学期" start_date { year: 2026 month: 9 day: 1 }
                  end_date { year: 2027 month: 1 day: 22 } }
          terms { name: "春季学期" start_date { year: 2027 month: 2 day: 22 }
                  end_date { year: 2027 month: 6 day: 30 } }
          holidays { year: 2026 month: 9 day: 25 }
          holidays { year: 2026 month: 10 day: 1 }
          makeup_days { year: 2026 month: 9 day: 20 } })"},
    {"CreateAccount",
     R"(account { account_id: "xz-clerk" display_name: "浔中小学教务"
                  role: ROLE_SCHOOL school_id: "xunzhong-primary" })"},
    {"CreateAccount",
     R"(account { account_id: "xz-official" display_name: "浔中镇专干"
                  role: ROLE_TOWNSHIP township_code: "350526100" })"},
    {"UpdateSettings", R"(settings { consecutive_absence_days: 3 })"},
    {"RegisterStudent",
     R"(student { student_number: "G350526201705100012"
                  id_number: "350526201705100012" name: "林小明"
                  sex: SEX_MALE birth_date { year: 2017 month: 5 day: 10 }
                  household_township_code: "350526100"
                  household_village_code: "350526100001"
                  guardians { name: "林大山" relation: "父亲"
                              phone: "13800138000" } }
        grade: 3 class_name: "三(1)班"
        enrol_date { year: 2026 month: 9 day: 1 }
        request_id: "seed-register-1")"},
    {"SubmitAttendanceReport",
     R"(date { year: 2026 month: 9 day: 14 }
        absences { student_number: "G350526201705100012"
                   category: ABSENCE_CATEGORY_UNEXCUSED reason: "未到校" })"},
    {"ReportChildOutOfSchool",
     R"(child { id_number: "350526201403020121" name: "陈小芳"
                sex: SEX_FEMALE birth_date { year: 2014 month: 3 day: 2 }
                household_township_code: "350526100"
                household_village_code: "350526100001" }
        note: "村干部摸排发现在家务农"
        found_date { year: 2026 month: 9 day: 14 })"},
};

}  // namespace

const std::vector<RequestCommand>& RequestCommands() {
  static const std::vector<RequestCommand>* commands = BuildCommands();
  return *commands;
}

size_t CommandIndex(absl::string_view rpc) {
  const std::vector<RequestCommand>& commands = RequestCommands();
  for (size_t i = 0; i < commands.size(); ++i) {
    if (rpc == commands[i].rpc) return i;
  }
  std::fprintf(stderr, "no command %s\n", std::string(rpc).c_str());
  std::abort();
}

void SilenceProtobufLogs() { google::protobuf::SetLogHandler(&DiscardLog); }

FuzzWorld& FuzzWorld::Get() {
  static FuzzWorld* world = [] {
    SilenceProtobufLogs();
    auto* w = new FuzzWorld();
    absl::Status seeded = w->Seed();
    if (!seeded.ok()) {
      std::fprintf(stderr, "fuzz world: %s\n",
                   MessageIn(seeded, Lang::kEn).c_str());
      std::abort();
    }
    // libFuzzer ends with exit(); remove the directory then.
    std::atexit([] { delete world; });
    return w;
  }();
  return *world;
}

FuzzWorld::~FuzzWorld() {
  model_.reset();
  database_.reset();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

absl::Status FuzzWorld::Seed() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                   "/baoxue-fuzz-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern));
  }
  dir_ = pattern;
  storage::Database::Options options;
  options.path = dir_ + "/data";
  options.block_cache_bytes = 1 << 20;
  ASSIGN_OR_RETURN(database_, storage::Database::Open(options));
  model_ = std::make_unique<ModelTxn>(database_.get(), storage::Family::kModel);
  for (const auto& [rpc, text] : kSeedCommands) {
    absl::Status status = RunText(rpc, text);
    if (!status.ok()) {
      return LocalizedError(
          status.code(), absl::StrCat(rpc, ": ", MessageIn(status, Lang::kZh)),
          absl::StrCat(rpc, ": ", MessageIn(status, Lang::kEn)));
    }
  }
  for (const v1::Event& e : seed_events_) {
    if (e.has_student_registered()) {
      student_id_ = e.student_registered().student().student_id();
    }
  }
  ASSIGN_OR_RETURN(auto open,
                   services::FindOpenCaseOf(
                       *model_, absl::StrCat("stu-", seed_events_.back().sequence())));
  if (open.has_value()) case_id_ = open->case_id();
  if (case_id_.empty()) return absl::InternalError("the seed opened no case");
  return absl::OkStatus();
}

absl::Status FuzzWorld::RunText(absl::string_view rpc, absl::string_view text) {
  size_t index = CommandIndex(rpc);
  std::unique_ptr<google::protobuf::Message> request(
      RequestCommands()[index].prototype->New());
  if (!google::protobuf::TextFormat::ParseFromString(std::string(text),
                                                     request.get())) {
    return absl::InvalidArgumentError(absl::StrCat("bad seed text for ", rpc));
  }
  v1::Event event;
  RETURN_IF_ERROR(Run(index, request->SerializeAsString(), true, &event));
  if (event.body_case() != v1::Event::BODY_NOT_SET) {
    seed_events_.push_back(std::move(event));
  }
  return absl::OkStatus();
}

absl::Status FuzzWorld::Run(size_t index, absl::string_view request, bool keep,
                            v1::Event* event_out) {
  const RequestCommand& command = RequestCommands()[index];
  Caller caller = MakeCaller(command.sender);
  ModelTxn child(model_.get());
  v1::Event event;
  event.set_sequence(next_sequence_);
  event.mutable_record_time()->set_seconds(kRecordSeconds);
  event.set_account_id(caller.account.account_id());
  RETURN_IF_ERROR(command.prepare(request, caller, child, &event));
  if (event.body_case() != v1::Event::BODY_NOT_SET) {
    RETURN_IF_ERROR(applier_.Apply(event, &child));
    if (keep) {
      child.CommitToParent();
      ++next_sequence_;
    }
  }
  if (event_out != nullptr) *event_out = std::move(event);
  return absl::OkStatus();
}

absl::Status FuzzWorld::ApplyAsWorker(const v1::Event& event) {
  ModelTxn mirror(model_.get());
  ModelTxn projection(database_.get(), storage::Family::kProjection);
  services::LedgerProjector ledgers;
  ledgers.Bind(&projection);
  services::WriteModelApplier applier(&ledgers);
  return applier.Apply(event, &mirror);
}

}  // namespace baoxue::fuzz
