// The limits every call to the server is held to (issue 7), in one place,
// so that a hostile or broken client can neither exhaust the server nor
// slip an oversized value into the ledger. services/rpc.cc applies them
// where every RPC is dispatched.
//
// Limits set here (flags of baoxue-server):
//   - max_receive_message_bytes: a larger request message is refused by
//     gRPC itself with RESOURCE_EXHAUSTED before any of our code runs.
//   - max_string_bytes: every string or bytes field of every request, at
//     any depth, is at most this long; INVALID_ARGUMENT names the field's
//     path (e.g. "rows[2].student.name"). Fields have narrower rules of
//     their own (a name is at most 50 characters...); this is the floor
//     under all of them, also for fields no validator looks at.
//   - max_calls_per_account: calls one account may have in flight at once;
//     one more is refused with RESOURCE_EXHAUSTED (calls of other accounts
//     are not affected).
//   - deadlines: a write still queued when its call's deadline passes is
//     not executed (storage::Command::deadline), and a query whose
//     deadline passed before it ran is not run.
//
// Limits kept next to the code they bound (each refused with a clear
// status, each tested):
//   - page sizes: 1..kMaxPageSize (services/paging.h), else INVALID_ARGUMENT;
//   - rows per import chunk: kMaxImportRows = 1000 (services/students.cc), else
//     RESOURCE_EXHAUSTED;
//   - absences per attendance report: kMaxAbsencesPerReport
//     (services/attendance.h);
//   - request_id: at most 128 printable ASCII characters (services/rpc.cc).
#ifndef BAOXUE_SERVICES_LIMITS_H_
#define BAOXUE_SERVICES_LIMITS_H_

#include <cstddef>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"

namespace baoxue::services {

struct Limits {
  int max_receive_message_bytes = 16 << 20;
  size_t max_string_bytes = 4096;
  int max_calls_per_account = 32;
};

// INVALID_ARGUMENT naming the first string or bytes field of `message`
// (searched depth first, in field-number order) longer than `max_bytes`.
absl::Status CheckStringLengths(const google::protobuf::Message& message,
                                size_t max_bytes);

// The limits' view of the calls in flight, keyed by an opaque call id (the
// call's grpc::ServerContextBase): what its request broke, and which
// account holds a slot for it. Thread-safe.
class CallGate {
 public:
  explicit CallGate(const Limits& limits) : limits_(limits) {}

  const Limits& limits() const { return limits_; }

  // Checks a request message as it arrives; a violation is remembered and
  // returned by Admit.
  void OnRequest(const void* call, const google::protobuf::Message& request);
  // Admits the call for `account_id`: the request's violation if any, else
  // a slot of the account's quota (RESOURCE_EXHAUSTED when it is full).
  // Admitting the same call again is a no-op.
  absl::Status Admit(const void* call, const std::string& account_id);
  // The call has ended: frees its slot and forgets it.
  void OnCallEnd(const void* call);

  // The account a call was admitted for ("" if none).
  std::string AccountOf(const void* call) const;
  // Calls of `account_id` in flight (for tests).
  int InFlight(const std::string& account_id) const;

 private:
  struct CallState {
    absl::Status request_error;
    std::string account_id;  // set once admitted
  };

  const Limits limits_;
  mutable absl::Mutex mu_;
  std::map<const void*, CallState> calls_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> in_flight_ ABSL_GUARDED_BY(mu_);
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_LIMITS_H_
