#include "services/school_service.h"

namespace baoxue::services {

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

}  // namespace baoxue::services
