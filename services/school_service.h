// SchoolService: the schools' RPCs (see school.proto).
#ifndef BAOXUE_SERVICES_SCHOOL_SERVICE_H_
#define BAOXUE_SERVICES_SCHOOL_SERVICE_H_

#include "baoxue/v1/school.grpc.pb.h"
#include "services/rpc.h"
#include "storage/clock.h"
#include "storage/database.h"

namespace baoxue::services {

// Thread-safe; every pointer must outlive the service.
class SchoolServiceImpl final : public v1::SchoolService::CallbackService {
 public:
  SchoolServiceImpl(RpcRunner* rpc, const storage::Database* database,
                    Clock* clock)
      : rpc_(rpc), database_(database), clock_(clock) {}

#define BAOXUE_RPC(Name)                                                  \
  grpc::ServerUnaryReactor* Name(grpc::CallbackServerContext* context,   \
                                 const v1::Name##Request* request,       \
                                 v1::Name##Response* response) override;
  BAOXUE_RPC(GetSchoolSession)
  BAOXUE_RPC(RegisterStudent)
  BAOXUE_RPC(UpdateStudent)
  BAOXUE_RPC(ChangeEnrolment)
  BAOXUE_RPC(ListStudents)
  BAOXUE_RPC(GetStudent)
  BAOXUE_RPC(SubmitAttendanceReport)
  BAOXUE_RPC(GetAttendanceReport)
  BAOXUE_RPC(GetReportingStatus)
  BAOXUE_RPC(ListSchoolCases)
  BAOXUE_RPC(GetSchoolCase)
  BAOXUE_RPC(RecordSchoolAction)
  BAOXUE_RPC(ConfirmReturn)
#undef BAOXUE_RPC

  grpc::ServerReadReactor<v1::ImportStudentsRequest>* ImportStudents(
      grpc::CallbackServerContext* context,
      v1::ImportStudentsResponse* response) override;

 private:
  RpcRunner* const rpc_;
  const storage::Database* const database_;
  Clock* const clock_;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_SCHOOL_SERVICE_H_
