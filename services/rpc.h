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
#include "services/auth.h"
#include "services/scope.h"
#include "storage/sequencer.h"

namespace baoxue::services {

// A gRPC status carrying the text of `status` in `lang`.
grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang);

// A fixed pool of threads for queries, so that disk reads never run on a
// gRPC reactor. Thread-safe; the destructor runs what is queued and joins.
class QueryPool {
 public:
  explicit QueryPool(int threads);
  ~QueryPool();
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

  // All pointers must outlive the runner. With `database`, every query
  // runs inside a storage::Database::Access, so that a reopen of the data
  // directory never happens under it.
  RpcRunner(Authenticator* auth, storage::Sequencer* sequencer,
            AppliedWaiter* applied, QueryPool* pool,
            storage::Database* database = nullptr)
      : auth_(auth),
        sequencer_(sequencer),
        applied_(applied),
        pool_(pool),
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

  // Authenticates and authorizes; for streaming RPCs that drive their own
  // reactors.
  absl::StatusOr<Caller> Admit(const grpc::ServerContextBase& context,
                               Access access) const;

  storage::Sequencer* sequencer() const { return sequencer_; }
  QueryPool* pool() const { return pool_; }
  AppliedWaiter* applied() const { return applied_; }

 private:
  Authenticator* const auth_;
  storage::Sequencer* const sequencer_;
  AppliedWaiter* const applied_;
  QueryPool* const pool_;
  storage::Database* const database_;
};

// Checks a client-chosen request_id: at most 128 printable ASCII
// characters (empty means no idempotency).
absl::Status ValidateRequestId(const std::string& request_id);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_RPC_H_
