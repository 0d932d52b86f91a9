// TownshipService: the townships' RPCs (see township.proto).
#ifndef BAOXUE_SERVICES_TOWNSHIP_SERVICE_H_
#define BAOXUE_SERVICES_TOWNSHIP_SERVICE_H_

#include "baoxue/v1/township.grpc.pb.h"
#include "services/rpc.h"
#include "storage/clock.h"
#include "storage/database.h"

namespace baoxue::services {

// Thread-safe; every pointer must outlive the service.
class TownshipServiceImpl final : public v1::TownshipService::CallbackService {
 public:
  TownshipServiceImpl(RpcRunner* rpc, const storage::Database* database,
                      Clock* clock)
      : rpc_(rpc), database_(database), clock_(clock) {}

#define BAOXUE_RPC(Name)                                                  \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* context,   \
                                 const v1::Name##Request* request,       \
                                 v1::Name##Response* response) override;
  BAOXUE_RPC(GetTownshipSession)
  BAOXUE_RPC(ListTownshipStudents)
  BAOXUE_RPC(GetTownshipReportingStatus)
  BAOXUE_RPC(ListCases)
  BAOXUE_RPC(GetCase)
  BAOXUE_RPC(VerifyCase)
  BAOXUE_RPC(RecordAction)
  BAOXUE_RPC(ArrangeCase)
  BAOXUE_RPC(AssignResponsible)
  BAOXUE_RPC(ReportChildOutOfSchool)
  BAOXUE_RPC(UpdateRoster)
  BAOXUE_RPC(ListRoster)
#undef BAOXUE_RPC

 private:
  RpcRunner* const rpc_;
  const storage::Database* const database_;
  Clock* const clock_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_TOWNSHIP_SERVICE_H_
