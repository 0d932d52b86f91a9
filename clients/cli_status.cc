#include "clients/cli_status.h"

namespace baoxue::clients {

bool IsRefusal(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

int ExitCodeFor(grpc::StatusCode code) {
  if (code == grpc::StatusCode::OK) return kExitOk;
  return IsRefusal(code) ? kExitRefused : kExitFailed;
}

}  // namespace baoxue::clients
