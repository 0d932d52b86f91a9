// TownshipService: the townships' RPCs (see township.proto).
#ifndef BAOXUE_SERVICES_TOWNSHIP_SERVICE_H_
#define BAOXUE_SERVICES_TOWNSHIP_SERVICE_H_

#include "baoxue/v1/township.grpc.pb.h"
#include "services/rpc.h"
#include "storage/database.h"

namespace baoxue::services {

// Thread-safe; every pointer must outlive the service.
class TownshipServiceImpl final : public v1::TownshipService::CallbackService {
 public:
  TownshipServiceImpl(RpcRunner* rpc, const storage::Database* database)
      : rpc_(rpc), database_(database) {}

  grpc::ServerUnaryReactor* GetTownshipSession(
      grpc::CallbackServerContext* context,
      const v1::GetTownshipSessionRequest* request,
      v1::GetTownshipSessionResponse* response) override;

 private:
  RpcRunner* const rpc_;
  const storage::Database* const database_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_TOWNSHIP_SERVICE_H_
