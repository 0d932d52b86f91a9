#include "services/school_service.h"

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/attendance.h"
#include "services/case_commands.h"
#include "services/case_reads.h"
#include "services/scope.h"
#include "services/dates.h"
#include "services/registry.h"
#include "services/student_reads.h"
#include "services/students.h"
#include "services/write_model.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

// The school a SCHOOL caller acts for.
const std::string& SchoolOf(const Caller& caller) {
  return caller.account.school_id();
}

// Drives one ImportStudents stream: each chunk becomes one command; the
// next chunk is read only when the previous one is decided, so a client
// cannot queue unbounded work. Deletes itself when done.
class ImportReactor : public grpc::ServerReadReactor<v1::ImportStudentsRequest> {
 public:
  ImportReactor(RpcRunner* rpc, Caller caller,
                v1::ImportStudentsResponse* response)
      : rpc_(rpc), caller_(std::move(caller)), response_(response) {
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client has sent every chunk
      Finish(grpc::Status::OK);
      return;
    }
    if (first_) {
      validate_only_ = chunk_.mode() == v1::IMPORT_MODE_VALIDATE_ONLY;
      first_ = false;
    }
    // Each chunk arrives after the call was admitted, so it is held to the
    // request limits here.
    absl::Status early = rpc_->CheckRequest(chunk_);
    if (early.ok()) early = ValidateRequestId(chunk_.request_id());
    if (!early.ok()) {
      Finish(ToGrpcStatus(early, caller_.lang));
      return;
    }
    auto outcome = std::make_shared<ImportOutcome>();
    storage::Command command;
    command.account_id = caller_.account.account_id();
    command.request_id = validate_only_ ? "" : chunk_.request_id();
    command.fingerprint = Sha256Hex(chunk_.SerializeAsString());
    command.prepare = [this, outcome](const storage::ModelTxn& model,
                                      v1::Event* event) {
      return PrepareImportStudents(model, SchoolOf(caller_), chunk_,
                                   validate_only_, outcome.get(), event);
    };
    command.done = [this, outcome](const storage::CommandResult& result) {
      if (!result.status.ok()) {
        Finish(ToGrpcStatus(result.status, caller_.lang));
        return;
      }
      if (result.replayed) {
        response_->set_unchanged(response_->unchanged() + chunk_.rows_size());
      } else {
        response_->set_accepted(response_->accepted() + outcome->accepted);
        response_->set_unchanged(response_->unchanged() + outcome->unchanged);
        response_->set_rejected(response_->rejected() +
                                static_cast<int>(outcome->rejected.size()));
        for (const auto& [line, status] : outcome->rejected) {
          v1::ImportRowError* error = response_->add_errors();
          error->set_line(line);
          error->set_message(MessageIn(status, caller_.lang));
        }
      }
      if (result.event != nullptr) {
        response_->set_last_sequence(result.event->sequence());
      }
      StartRead(&chunk_);
    };
    rpc_->sequencer()->Submit(std::move(command));
  }

  void OnDone() override { delete this; }

 private:
  RpcRunner* const rpc_;
  const Caller caller_;
  v1::ImportStudentsResponse* const response_;
  v1::ImportStudentsRequest chunk_;
  bool first_ = true;
  bool validate_only_ = false;
};

// A reactor that has already failed (authentication or authorization).
class RefusedImport : public grpc::ServerReadReactor<v1::ImportStudentsRequest> {
 public:
  explicit RefusedImport(grpc::Status status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerUnaryReactor* SchoolServiceImpl::GetSchoolSession(
    grpc::CallbackServerContext* context,
    const v1::GetSchoolSessionRequest* request,
    v1::GetSchoolSessionResponse* response) {
  return rpc_->Read(context, Access::kSchool, 0,
                    [response](const Caller& caller) {
                      *response->mutable_account() = caller.account;
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::RegisterStudent(
    grpc::CallbackServerContext* context,
    const v1::RegisterStudentRequest* request,
    v1::RegisterStudentResponse* response) {
  return rpc_->Write(
      context, Access::kSchool, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareRegisterStudent(model, SchoolOf(caller), *request, e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        *response->mutable_student() =
            result.event->student_registered().student();
        response->set_sequence(result.event->sequence());
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::UpdateStudent(
    grpc::CallbackServerContext* context,
    const v1::UpdateStudentRequest* request,
    v1::UpdateStudentResponse* response) {
  return rpc_->Write(
      context, Access::kSchool, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareUpdateStudent(model, SchoolOf(caller), request->student(),
                                    e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        *response->mutable_student() = result.event->student_updated().student();
        response->set_sequence(result.event->sequence());
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::ChangeEnrolment(
    grpc::CallbackServerContext* context,
    const v1::ChangeEnrolmentRequest* request,
    v1::ChangeEnrolmentResponse* response) {
  return rpc_->Write(
      context, Access::kSchool, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareChangeEnrolment(model, SchoolOf(caller), request->change(),
                                      e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        *response->mutable_student() =
            result.event->enrolment_changed().student();
        response->set_sequence(result.event->sequence());
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::ListStudents(
    grpc::CallbackServerContext* context, const v1::ListStudentsRequest* request,
    v1::ListStudentsResponse* response) {
  return rpc_->Read(context, Access::kSchool, request->min_sequence(),
                    [this, request, response](const Caller& caller) {
                      auto mirror = OpenMirror(database_);
                      return ListStudentPage(
                          *mirror, StudentsOfSchoolPrefix(SchoolOf(caller)),
                          request->page_size(), request->page_token(),
                          response->mutable_students(),
                          response->mutable_next_page_token());
                    });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::GetStudent(
    grpc::CallbackServerContext* context, const v1::GetStudentRequest* request,
    v1::GetStudentResponse* response) {
  return rpc_->Read(
      context, Access::kSchool, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        auto mirror = OpenMirror(database_);
        ASSIGN_OR_RETURN(
            v1::Student student,
            LookUpStudent(*mirror, request->student_id(),
                          request->student_number(), request->id_number()));
        RETURN_IF_ERROR(CheckStudentVisibleToSchool(caller, student));
        *response->mutable_student() = std::move(student);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::SubmitAttendanceReport(
    grpc::CallbackServerContext* context,
    const v1::SubmitAttendanceReportRequest* request,
    v1::SubmitAttendanceReportResponse* response) {
  // An identical resubmission is answered with the report on record, which
  // prepare has just read; both run on the sequencer thread, one after the
  // other.
  auto on_record = std::make_shared<std::optional<v1::AttendanceReport>>();
  return rpc_->Write(
      context, Access::kSchool, *request, request->request_id(),
      [request, on_record](const Caller& caller,
                           const storage::ModelTxn& model, v1::Event* e) {
        v1::AttendanceReport report;
        absl::Status status =
            PrepareAttendanceReport(model, SchoolOf(caller),
                                    caller.account.account_id(), *request, e,
                                    &report);
        if (status.ok() && e->body_case() == v1::Event::BODY_NOT_SET) {
          *on_record = std::move(report);
        }
        return status;
      },
      [this, request, response, on_record](
          const Caller& caller, const storage::CommandResult& result) {
        if (result.event != nullptr) {
          *response->mutable_report() =
              result.event->attendance_reported().report();
          response->set_sequence(result.event->sequence());
          return;
        }
        if (on_record->has_value()) {
          *response->mutable_report() = std::move(**on_record);
          return;
        }
        // Not prepared here (cannot happen today): read the report on
        // record. The sequencer thread may read the model it writes.
        storage::ModelTxn model(database_, storage::Family::kModel);
        auto report = FindAttendanceReport(model, SchoolOf(caller),
                                           ToCivilDay(request->date()));
        if (report.ok() && report->has_value()) {
          *response->mutable_report() = **report;
        }
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::GetAttendanceReport(
    grpc::CallbackServerContext* context,
    const v1::GetAttendanceReportRequest* request,
    v1::GetAttendanceReportResponse* response) {
  return rpc_->Read(
      context, Access::kSchool, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(absl::CivilDay day,
                         CheckDate({"date", "日期"}, request->date()));
        auto mirror = OpenMirror(database_);
        ASSIGN_OR_RETURN(auto report,
                         FindAttendanceReport(*mirror, SchoolOf(caller), day));
        if (!report.has_value()) {
          return NotFoundError(
              absl::StrCat(FormatDay(day), " 尚未上报考勤"),
              absl::StrCat("no attendance report for ", FormatDay(day)));
        }
        *response->mutable_report() = std::move(*report);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::GetReportingStatus(
    grpc::CallbackServerContext* context,
    const v1::GetReportingStatusRequest* request,
    v1::GetReportingStatusResponse* response) {
  return rpc_->Read(
      context, Access::kSchool, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        absl::CivilDay start, end;
        RETURN_IF_ERROR(CheckDateRange(request->start_date(),
                                       request->end_date(), &start, &end));
        auto mirror = OpenMirror(database_);
        ASSIGN_OR_RETURN(v1::School school,
                         RequireSchool(*mirror, SchoolOf(caller)));
        ASSIGN_OR_RETURN(*response->mutable_status(),
                         ReportingStatus(*mirror, school, start, end,
                                         clock_->Now()));
        return absl::OkStatus();
      });
}

grpc::ServerReadReactor<v1::ImportStudentsRequest>*
SchoolServiceImpl::ImportStudents(grpc::CallbackServerContext* context,
                                  v1::ImportStudentsResponse* response) {
  absl::StatusOr<Caller> caller = rpc_->Admit(*context, Access::kSchool);
  if (!caller.ok()) {
    return new RefusedImport(ToGrpcStatus(caller.status(), LangOf(*context)));
  }
  return new ImportReactor(rpc_, *std::move(caller), response);
}

}  // namespace baoxue::services

// ---- The school's cases (issue 5).

namespace baoxue::services {

grpc::ServerUnaryReactor* SchoolServiceImpl::ListSchoolCases(
    grpc::CallbackServerContext* context,
    const v1::ListSchoolCasesRequest* request,
    v1::ListSchoolCasesResponse* response) {
  return rpc_->Read(
      context, Access::kSchool, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        const v1::CaseFilter& f = request->filter();
        if (!f.school_id().empty() && f.school_id() != SchoolOf(caller)) {
          RETURN_IF_ERROR(CheckSchoolScope(caller, f.school_id()));
        }
        return ListCasePage(database_, caller, LedgerScope::kSchool,
                            SchoolOf(caller), f, request->page_size(),
                            request->page_token(), response->mutable_rows(),
                            response->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::GetSchoolCase(
    grpc::CallbackServerContext* context, const v1::GetSchoolCaseRequest* request,
    v1::GetSchoolCaseResponse* response) {
  return rpc_->Read(
      context, Access::kSchool, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(CaseDetail detail,
                         ReadCaseDetail(database_, caller, request->case_id(),
                                        [&](const v1::Case& c) {
                                          return CheckSchoolScope(caller,
                                                                  c.school_id());
                                        }));
        *response->mutable_row() = std::move(detail.row);
        *response->mutable_student() = std::move(detail.student);
        for (auto& e : detail.history) *response->add_history() = std::move(e);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::RecordSchoolAction(
    grpc::CallbackServerContext* context,
    const v1::RecordSchoolActionRequest* request,
    v1::RecordSchoolActionResponse* response) {
  return rpc_->Write(
      context, Access::kSchool, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareRecordAction(model, caller, request->case_id(),
                                   request->action(), e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        response->set_sequence(result.event->sequence());
      });
}

grpc::ServerUnaryReactor* SchoolServiceImpl::ConfirmReturn(
    grpc::CallbackServerContext* context, const v1::ConfirmReturnRequest* request,
    v1::ConfirmReturnResponse* response) {
  return rpc_->Write(
      context, Access::kSchool, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareConfirmReturn(model, caller, request->case_id(),
                                    request->return_date(), e);
      },
      [response](const Caller&, const storage::CommandResult& result) {
        response->set_sequence(result.event->sequence());
      });
}

}  // namespace baoxue::services
