// The shape every unary RPC of the Baoxue services takes, in one place:
// authenticate, authorize, then either hand a command to the sequencer
// (writes) or run a query on the query pool once the worker has applied the
// caller's min_sequence (reads). Reactors never block: writes finish from
// the sequencer thread, reads from a pool thread.
#ifndef BAOXUE_SERVICES_RPC_H_
#define BAOXUE_SERVICES_RPC_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"
#include "services/auth.h"
#include "services/limits.h"
#include "services/scope.h"
#include "storage/sequencer.h"

namespace baoxue::services {

// A gRPC status carrying the text of `status` in `lang`.
grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang);

// A fixed pool of threads, starting tasks in the order scheduled: the
// queries' (so that disk reads never run on a gRPC reactor) and the
// worker's catch-up helper. Thread-safe; the destructor runs what is queued
// and joins.
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  void Schedule(std::function<void()> task);

 private:
  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

// Something that can tell when the follow-up worker has applied a sequence
// number (read-your-writes).
class AppliedWaiter {
 public:
  virtual ~AppliedWaiter() = default;
  // Blocks until the applied sequence is >= `sequence` or `deadline`
  // passes; returns whether it was reached.
  virtual bool WaitForApplied(uint64_t sequence, absl::Time deadline) = 0;
};

class RpcRunner {
 public:
  // Validates the command against the model and fills in the event body.
  using Prepare = std::function<absl::Status(
      const Caller& caller, const storage::ModelTxn& model, v1::Event* event)>;
  // Fills the response from the committed event; runs on the sequencer
  // thread just before the RPC finishes.
  using Respond = std::function<void(const Caller& caller,
                                     const storage::CommandResult& result)>;
  // Runs a query and fills the response; runs on the query pool.
  using Query = std::function<absl::Status(const Caller& caller)>;
  // Optional cheap check on the request before it is queued (e.g. that a
  // school account names its own school), run on the reactor thread.
  using Precheck = std::function<absl::Status(const Caller& caller)>;

  // All pointers must outlive the runner. `gate` may be null (no limits);
  // with a gate, the server must install RpcInterceptorFactory with it.
  // With `database`, every query runs inside a storage::Database::Access,
  // so that a reopen of the data directory never happens under it.
  RpcRunner(Authenticator* auth, storage::Sequencer* sequencer,
            AppliedWaiter* applied, ThreadPool* pool, CallGate* gate = nullptr,
            storage::Database* database = nullptr)
      : auth_(auth),
        sequencer_(sequencer),
        applied_(applied),
        pool_(pool),
        gate_(gate),
        database_(database) {}

  // A mutating RPC. `request` is fingerprinted for idempotency.
  grpc::ServerUnaryReactor* Write(grpc::CallbackServerContext* context,
                                  Access access,
                                  const google::protobuf::Message& request,
                                  const std::string& request_id,
                                  Prepare prepare, Respond respond,
                                  Precheck precheck = nullptr);

  // A query. Waits (bounded by the call's deadline) until the worker has
  // applied `min_sequence`.
  grpc::ServerUnaryReactor* Read(grpc::CallbackServerContext* context,
                                 Access access, uint64_t min_sequence,
                                 Query query);

  // Authenticates, authorizes and admits the call under the limits (see
  // services/limits.h); for streaming RPCs that drive their own reactors.
  absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context,
                               Access access) const;

  // Holds a message that arrives after admission (a chunk of a client
  // stream) to the request limits.
  absl::Status CheckRequest(const google::protobuf::Message& request) const;

  storage::Sequencer* sequencer() const { return sequencer_; }
  ThreadPool* pool() const { return pool_; }
  AppliedWaiter* applied() const { return applied_; }

 private:
  Authenticator* const auth_;
  storage::Sequencer* const sequencer_;
  AppliedWaiter* const applied_;
  ThreadPool* const pool_;
  CallGate* const gate_;
  storage::Database* const database_;
};

// `text` made safe for a log line: any run of 15 or more digits (with a
// trailing X: an ID number, also inside a G 学籍号) keeps only its first 6
// and last 4 characters, and anything shaped like a token ("bx_" and
// more) keeps only its prefix. A last guard: messages are built masked.
std::string MaskForLog(absl::string_view text);

// Installed on the gRPC server for every call: hands each request of a
// Baoxue method to the CallGate as it arrives, frees the call's slot when
// its status is sent (or the call is destroyed), and, when `debug_log` is
// set, logs one line per call — method, account, status code, duration and
// the status message. It never logs metadata (tokens) or requests (ID
// numbers); status messages mask ID numbers where they are built.
class RpcInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  using DebugLog = std::function<void(const std::string& line)>;
  // `gate` must outlive every call.
  RpcInterceptorFactory(CallGate* gate, DebugLog debug_log)
      : gate_(gate), debug_log_(std::move(debug_log)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallGate* const gate_;
  const DebugLog debug_log_;
};

// Checks a client-chosen request_id: at most 128 printable ASCII
// characters (empty means no idempotency).
absl::Status ValidateRequestId(const std::string& request_id);

// The digest a command carries of its request (storage::Command::
// fingerprint): the type name, a NUL and the deterministic serialization,
// SHA-256 in hex.
std::string RequestFingerprint(const google::protobuf::Message& request);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_RPC_H_
