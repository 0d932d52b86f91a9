#include "services/township_service.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/attendance.h"
#include "services/case_commands.h"
#include "services/case_reads.h"
#include "services/domain/identifiers.h"
#include "services/scope.h"
#include "services/student_reads.h"
#include "services/write_model.h"
#include "storage/status_macros.h"

namespace baoxue::services {

grpc::ServerUnaryReactor* TownshipServiceImpl::GetTownshipSession(
    grpc::CallbackServerContext* context,
    const v1::GetTownshipSessionRequest* request,
    v1::GetTownshipSessionResponse* response) {
  return rpc_->Read(context, Access::kTownship, 0,
                    [response](const Caller& caller) {
                      *response->mutable_account() = caller.account;
                      return absl::OkStatus();
                    });
}

grpc::ServerUnaryReactor* TownshipServiceImpl::ListTownshipStudents(
    grpc::CallbackServerContext* context,
    const v1::ListTownshipStudentsRequest* request,
    v1::ListTownshipStudentsResponse* response) {
  return rpc_->Read(
      context, Access::kTownship, request->min_sequence(),
      [this, request, response](const Caller& caller) {
        auto mirror = OpenMirror(database_);
        return ListStudentPage(
            *mirror, StudentsOfTownshipPrefix(caller.account.township_code()),
            request->page_size(), request->page_token(),
            response->mutable_students(), response->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* TownshipServiceImpl::GetTownshipReportingStatus(
    grpc::CallbackServerContext* context,
    const v1::GetTownshipReportingStatusRequest* request,
    v1::GetTownshipReportingStatusResponse* response) {
  return rpc_->Read(
      context, Access::kTownship, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        absl::CivilDay start, end;
        RETURN_IF_ERROR(CheckDateRange(request->start_date(),
                                       request->end_date(), &start, &end));
        auto mirror = OpenMirror(database_);
        std::vector<v1::School> schools;
        RETURN_IF_ERROR(ForEachRecord<v1::School>(
            *mirror, SchoolKeyPrefix(), [&](v1::School&& s) {
              if (s.township_code() == caller.account.township_code()) {
                schools.push_back(std::move(s));
              }
              return true;
            }));
        absl::Time now = clock_->Now();
        for (const v1::School& school : schools) {
          ASSIGN_OR_RETURN(*response->add_schools(),
                           ReportingStatus(*mirror, school, start, end, now));
        }
        return absl::OkStatus();
      });
}

}  // namespace baoxue::services

// ---- Cases of the township's children (issue 5).

namespace baoxue::services {
namespace {

template <typename Response>
RpcRunner::Respond SequenceOnly(Response* response) {
  return [response](const Caller&, const storage::CommandResult& result) {
    if (result.event != nullptr) response->set_sequence(result.event->sequence());
  };
}

absl::Status OwnTownshipFilter(const Caller& caller, const v1::CaseFilter& f) {
  if (!f.township_code().empty() &&
      f.township_code() != caller.account.township_code()) {
    return CheckTownshipScope(caller, f.township_code());
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* TownshipServiceImpl::ListCases(
    grpc::CallbackServerContext* context, const v1::ListCasesRequest* request,
    v1::ListCasesResponse* response) {
  return rpc_->Read(
      context, Access::kTownship, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        RETURN_IF_ERROR(OwnTownshipFilter(caller, request->filter()));
        return ListCasePage(database_, caller, LedgerScope::kTownship,
                            caller.account.township_code(), request->filter(),
                            request->page_size(), request->page_token(),
                            response->mutable_rows(),
                            response->mutable_next_page_token());
      });
}

grpc::ServerUnaryReactor* TownshipServiceImpl::GetCase(
    grpc::CallbackServerContext* context, const v1::GetCaseRequest* request,
    v1::GetCaseResponse* response) {
  return rpc_->Read(
      context, Access::kTownship, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(
            CaseDetail detail,
            ReadCaseDetail(database_, caller, request->case_id(),
                           [&](const v1::Case& c) {
                             return CheckTownshipScope(
                                 caller, c.household_township_code());
                           }));
        *response->mutable_row() = std::move(detail.row);
        *response->mutable_student() = std::move(detail.student);
        for (auto& e : detail.history) *response->add_history() = std::move(e);
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* TownshipServiceImpl::VerifyCase(
    grpc::CallbackServerContext* context, const v1::VerifyCaseRequest* request,
    v1::VerifyCaseResponse* response) {
  return rpc_->Write(
      context, Access::kTownship, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        v1::CaseVerified v;
        v.set_case_id(request->case_id());
        v.set_outcome(request->outcome());
        v.set_dropout_reason(request->dropout_reason());
        v.set_note(request->note());
        *v.mutable_verify_date() = request->verify_date();
        return PrepareVerifyCase(model, caller, v, e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* TownshipServiceImpl::RecordAction(
    grpc::CallbackServerContext* context, const v1::RecordActionRequest* request,
    v1::RecordActionResponse* response) {
  return rpc_->Write(
      context, Access::kTownship, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareRecordAction(model, caller, request->case_id(),
                                   request->action(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* TownshipServiceImpl::ArrangeCase(
    grpc::CallbackServerContext* context, const v1::ArrangeCaseRequest* request,
    v1::ArrangeCaseResponse* response) {
  return rpc_->Write(
      context, Access::kTownship, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareArrangeCase(model, caller, request->case_id(),
                                  request->note(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* TownshipServiceImpl::AssignResponsible(
    grpc::CallbackServerContext* context,
    const v1::AssignResponsibleRequest* request,
    v1::AssignResponsibleResponse* response) {
  return rpc_->Write(
      context, Access::kTownship, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareAssignResponsible(model, caller, request->case_id(),
                                        request->responsible(), e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* TownshipServiceImpl::ReportChildOutOfSchool(
    grpc::CallbackServerContext* context,
    const v1::ReportChildOutOfSchoolRequest* request,
    v1::ReportChildOutOfSchoolResponse* response) {
  return rpc_->Write(
      context, Access::kTownship, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        return PrepareReportOutOfSchool(model, caller, request->child(),
                                        request->note(), request->found_date(),
                                        e);
      },
      [this, response](const Caller&, const storage::CommandResult& result) {
        const v1::Student& child =
            result.event->child_reported_out_of_school().student();
        response->set_sequence(result.event->sequence());
        response->set_student_id(child.student_id());
        // The sequencer's model already holds the case this event opened
        // or extended; the sequencer thread may read it.
        storage::ModelTxn model(database_, storage::Family::kModel);
        auto open = FindOpenCaseOf(model, child.student_id());
        if (open.ok() && open->has_value()) {
          response->set_case_id((*open)->case_id());
        }
      });
}

grpc::ServerUnaryReactor* TownshipServiceImpl::UpdateRoster(
    grpc::CallbackServerContext* context, const v1::UpdateRosterRequest* request,
    v1::UpdateRosterResponse* response) {
  return rpc_->Write(
      context, Access::kTownship, *request, request->request_id(),
      [request](const Caller& caller, const storage::ModelTxn& model,
                v1::Event* e) {
        v1::RosterUpdated update;
        update.set_village_code(request->village_code());
        *update.mutable_entries() = request->entries();
        *update.mutable_removed_id_numbers() = request->removed_id_numbers();
        return PrepareUpdateRoster(model, caller, update, e);
      },
      SequenceOnly(response));
}

grpc::ServerUnaryReactor* TownshipServiceImpl::ListRoster(
    grpc::CallbackServerContext* context, const v1::ListRosterRequest* request,
    v1::ListRosterResponse* response) {
  return rpc_->Read(
      context, Access::kTownship, request->min_sequence(),
      [this, request, response](const Caller& caller) -> absl::Status {
        auto mirror = OpenMirror(database_);
        ASSIGN_OR_RETURN(auto village, FindVillage(*mirror, request->village_code()));
        if (!village.has_value()) {
          return NotFoundError(
              absl::StrCat("村 ", request->village_code(), " 不存在"),
              absl::StrCat("village ", request->village_code(), " does not exist"));
        }
        RETURN_IF_ERROR(CheckTownshipScope(caller, village->township_code()));
        return ForEachRecord<v1::RosterEntry>(
            *mirror, RosterPrefix(request->village_code()),
            [&](v1::RosterEntry&& e) {
              e.set_id_number(domain::MaskIdNumber(e.id_number()));
              *response->add_entries() = std::move(e);
              return true;
            });
      });
}

}  // namespace baoxue::services
