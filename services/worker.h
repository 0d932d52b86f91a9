// The follow-up worker: tails the event log from its committed offset and
// maintains every projection (DESIGN §2): its copy of the write model, the
// audit indexes, counters — and, with the rules, cases and ledgers.
//
// Exactly-once: each batch of derived state is written in one WriteBatch
// together with the worker's offset, so a crash at any moment leaves state
// and offset agreeing. Projections are a pure function of the log: the
// worker never reads the wall clock while applying events. Its writes are
// not synced; after a crash they are re-derived from the synced log.
//
// Batches are pipelined over two threads: while one batch is applied in
// memory, a helper writes the one before it (which the applying batch reads
// through as if it were written) and reads the events after it.
//
// Thread-safe. "*database" and "*log" must outlive the Worker.
#ifndef BAOXUE_SERVICES_WORKER_H_
#define BAOXUE_SERVICES_WORKER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/ledger_projector.h"
#include "services/rpc.h"
#include "services/write_model.h"
#include "storage/database.h"
#include "storage/event_log.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// The audit indexes the worker keeps: events by account and by child.
std::string AuditByAccountPrefix(absl::string_view account_id);
std::string AuditByStudentPrefix(absl::string_view student_id);
// The sequence at the end of an audit index key built from `prefix`.
uint64_t SequenceFromAuditKey(absl::string_view key, size_t prefix_size);

class Worker : public AppliedWaiter {
 public:
  // The name under which the worker's offset is stored in `meta`.
  static constexpr char kConsumerName[] = "follow-up-worker";

  // A batch is cut at whichever limit comes first. Large batches are what
  // make a backlog or a rebuild fast: the records many events touch (a
  // case, the ledger counters, the day's reporting state) are read and
  // written once per batch, in memory, instead of once per event through
  // RocksDB (issue 8: a 200,000-event rebuild took 15.5 s at 512 events a
  // batch, 8.6 s at 8,192). The byte and key limits bound the memory a batch
  // of big events (imports of 1,000 students) holds.
  struct Options {
    // Events applied per WriteBatch, at most.
    size_t batch_size = 8192;
    // Bytes of events read into one batch, at most (one event may pass it).
    size_t batch_bytes = 16 << 20;
    // Keys written by one batch: once past it, the batch ends after the
    // event that passed it.
    size_t batch_keys = 200000;
  };

  Worker(storage::Database* database, storage::EventLog* log, Options options);
  Worker(storage::Database* database, storage::EventLog* log)
      : Worker(database, log, Options()) {}
  ~Worker() override;

  // Reads the committed offset and starts the thread.
  absl::Status Start();
  // Stops after the batch in progress; the offset stays committed.
  void Stop();

  // Applies everything in the log now, on the calling thread. For tests,
  // tools and rebuild; must not run while the thread does.
  absl::Status CatchUp();

  // Drops every projection and the offset, then replays the log from the
  // start on the calling thread. Must not run while the thread does.
  absl::Status Rebuild();

  // Stops the thread, rebuilds, and starts it again. Thread-safe against
  // itself (one rebuild at a time).
  absl::Status RebuildOnline();

  uint64_t applied_sequence() const;

  // Calls `listener` on the worker thread after each batch is committed.
  // Returns an id for Unsubscribe; once Unsubscribe returns the listener
  // is not running and never runs again. The listener must not block and
  // must not call Subscribe or Unsubscribe.
  int Subscribe(std::function<void()> listener);
  void Unsubscribe(int id);
  bool WaitForApplied(uint64_t sequence, absl::Time deadline) override;
  // The last error the worker met (it retries); OK when healthy.
  absl::Status last_error() const;

  // The number of events applied since the projections were last rebuilt,
  // as stored in the projection (a check on exactly-once application).
  absl::StatusOr<uint64_t> EventsApplied() const;

 private:
  // Events applied in memory, and their changes, not yet written.
  struct Batch;

  void Run();
  // Applies batches from the applied offset on until the log has no more
  // or "*stop" (may be null) turns true; what was applied is written before
  // it returns. Runs on the worker's thread, or in CatchUp on the caller's.
  absl::Status ApplyAvailable(const std::atomic<bool>* stop);
  // Reads into "*events", which must be empty, the events from sequence
  // `from` on, up to the batch limits; "*bytes" is their encoded size.
  absl::Status ReadEvents(uint64_t from, std::vector<v1::Event>* events,
                          size_t* bytes) const;
  // Applies the first events of "*events" (at least one, and as many as
  // the batch limits allow), which move into the returned batch; the rest
  // stay in "*events". Reads see "*pending" (may be null), the batch before
  // it, as if it were written.
  absl::StatusOr<std::unique_ptr<Batch>> ApplyEvents(
      std::vector<v1::Event>* events, const Batch* pending);
  // Writes `batch` with the worker's offset, then tells the listeners.
  absl::Status CommitBatch(const Batch& batch);
  absl::Status ApplyEvent(const v1::Event& event, storage::ModelTxn* projection,
                          storage::ModelTxn* mirror);

  storage::Database* const database_;
  storage::EventLog* const log_;
  const Options options_;
  LedgerProjector ledgers_;
  WriteModelApplier model_applier_{&ledgers_};

  mutable absl::Mutex mu_;
  uint64_t applied_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> stopping_{false};
  absl::Mutex rebuild_mu_;
  absl::Mutex listeners_mu_;
  std::map<int, std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  int next_listener_ ABSL_GUARDED_BY(listeners_mu_) = 0;
  std::thread thread_;
  // Writes each batch while the next is applied (ApplyAvailable). Last, so
  // that it is joined before anything its jobs use is destroyed.
  ThreadPool helper_{1};
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_WORKER_H_
