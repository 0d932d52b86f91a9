// The client's exit codes and how a gRPC status maps to them:
//   0  success;
//   1  the request was refused (bad input, state, scope, credentials,
//      limits) or the command line was wrong;
//   2  the server could not be reached or failed.
#ifndef BAOXUE_CLIENTS_CLI_STATUS_H_
#define BAOXUE_CLIENTS_CLI_STATUS_H_

#include "grpcpp/support/status.h"

namespace baoxue::clients {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitFailed = 2;

// True for the codes that mean the server understood and said no:
// INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION,
// PERMISSION_DENIED, UNAUTHENTICATED, OUT_OF_RANGE, RESOURCE_EXHAUSTED.
bool IsRefusal(grpc::StatusCode code);

// kExitOk, kExitRefused or kExitFailed for `code`.
int ExitCodeFor(grpc::StatusCode code);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_STATUS_H_
