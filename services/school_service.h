// SchoolService: the schools' RPCs (see school.proto).
#ifndef BAOXUE_SERVICES_SCHOOL_SERVICE_H_
#define BAOXUE_SERVICES_SCHOOL_SERVICE_H_

#include "baoxue/v1/school.grpc.pb.h"
#include "services/rpc.h"
#include "storage/database.h"

namespace baoxue::services {

// Thread-safe; every pointer must outlive the service.
class SchoolServiceImpl final : public v1::SchoolService::CallbackService {
 public:
  SchoolServiceImpl(RpcRunner* rpc, const storage::Database* database)
      : rpc_(rpc), database_(database) {}

  grpc::ServerUnaryReactor* GetSchoolSession(
      grpc::CallbackServerContext* context,
      const v1::GetSchoolSessionRequest* request,
      v1::GetSchoolSessionResponse* response) override;

 private:
  RpcRunner* const rpc_;
  const storage::Database* const database_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_SCHOOL_SERVICE_H_
