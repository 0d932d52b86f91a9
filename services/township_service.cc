#include "services/township_service.h"

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

}  // namespace baoxue::services
