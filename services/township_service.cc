#include "services/township_service.h"

#include <vector>

#include "services/attendance.h"
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
