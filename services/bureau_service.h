// BureauService: the county education bureau's RPCs (see bureau.proto).
#ifndef BAOXUE_SERVICES_BUREAU_SERVICE_H_
#define BAOXUE_SERVICES_BUREAU_SERVICE_H_

#include "baoxue/v1/bureau.grpc.pb.h"
#include "services/rpc.h"
#include "services/worker.h"
#include "storage/clock.h"
#include "storage/database.h"
#include "storage/event_log.h"

namespace baoxue::services {

// Thread-safe; every pointer must outlive the service.
class BureauServiceImpl final : public v1::BureauService::CallbackService {
 public:
  BureauServiceImpl(RpcRunner* rpc, const storage::Database* database,
                    const storage::EventLog* log, const Worker* worker,
                    Clock* clock)
      : rpc_(rpc), database_(database), log_(log), worker_(worker),
        clock_(clock) {}

  grpc::ServerUnaryReactor* CreateAccount(
      grpc::CallbackServerContext* context,
      const v1::CreateAccountRequest* request,
      v1::CreateAccountResponse* response) override;
  grpc::ServerUnaryReactor* ListAccounts(
      grpc::CallbackServerContext* context,
      const v1::ListAccountsRequest* request,
      v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeAccount(
      grpc::CallbackServerContext* context,
      const v1::RevokeAccountRequest* request,
      v1::RevokeAccountResponse* response) override;
  grpc::ServerUnaryReactor* GetSystemStatus(
      grpc::CallbackServerContext* context,
      const v1::GetSystemStatusRequest* request,
      v1::GetSystemStatusResponse* response) override;

 private:
  RpcRunner* const rpc_;
  const storage::Database* const database_;
  const storage::EventLog* const log_;
  const Worker* const worker_;
  Clock* const clock_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_BUREAU_SERVICE_H_
