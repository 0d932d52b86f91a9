// The Sequencer is the one writer of the event log (DESIGN §2, "group
// commit"). RPC handlers submit Commands and are completed by callback; the
// sequencer thread takes every waiting command, validates each against the
// write model with the earlier commands of the same group visible, packs
// the accepted ones — events, write-model changes and idempotency keys —
// into one WriteBatch, writes it once with sync, and then completes every
// command with its event or its own error.
//
// A rejected command writes nothing and does not disturb its group. A
// storage error fails the whole group with UNAVAILABLE and acknowledges
// nothing; the sequencer then reopens the database, on its own thread, so
// the next group can be written once storage works again. Thread-safe:
// Submit may be called from any thread.
#ifndef BAOXUE_STORAGE_SEQUENCER_H_
#define BAOXUE_STORAGE_SEQUENCER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "baoxue/v1/events.pb.h"
#include "storage/clock.h"
#include "storage/database.h"
#include "storage/event_log.h"
#include "storage/model_txn.h"

namespace baoxue::storage {

// Applies an accepted event to the write model. The domain supplies it
// (services/model_applier.h); the same function maintains the worker's
// copy of the model, so both always agree on what an event means.
class EventApplier {
 public:
  virtual ~EventApplier() = default;
  virtual absl::Status Apply(const v1::Event& event, ModelTxn* model) = 0;
};

// What a command's completion callback receives.
struct CommandResult {
  // OK, the command's own validation error, or UNAVAILABLE for storage.
  absl::Status status;
  // The committed event (for a replayed request_id, the first one). Null
  // unless status is OK, and null when the command was valid but had
  // nothing to record; valid only during the callback.
  const v1::Event* event = nullptr;
  // True when the request_id had been used before and nothing new was
  // written.
  bool replayed = false;
};

struct Command {
  // The caller; recorded on the event.
  std::string account_id;
  // The client's idempotency key; empty for none.
  std::string request_id;
  // A digest of the request, so that reusing a request_id for a different
  // request is refused rather than silently answered with the old result.
  std::string fingerprint;
  // Validates the command against `model` and fills in the event's body.
  // Leaving the body unset means "valid, nothing to record". The event's
  // sequence and record_time are already set. Must not write to `model`:
  // the applier does, from the event. Runs on the sequencer thread; must
  // not block on anything but the model.
  std::function<absl::Status(const ModelTxn& model, v1::Event* event)> prepare;
  // The caller's deadline (the gRPC call's). A command still queued when it
  // passes is not executed: it fails with DEADLINE_EXCEEDED and writes
  // nothing, so a client that gave up is never acted for behind its back.
  absl::Time deadline = absl::InfiniteFuture();
  // Called exactly once, on the sequencer thread, after the group is durable
  // (or has failed). Must not block.
  std::function<void(const CommandResult& result)> done;
};

class Sequencer {
 public:
  struct Options {
    // Upper bound on commands per group, to bound a batch's size and the
    // latency of its first command.
    size_t max_group_size = 2048;
  };

  // Counters for tests and the status RPC.
  struct Stats {
    uint64_t commands = 0;
    uint64_t groups = 0;  // synced writes
    uint64_t rejected = 0;
    uint64_t failed_groups = 0;
    // Times the data directory was reopened after a failed write.
    uint64_t reopens = 0;
  };

  // Called after each durable group, on the sequencer thread, before the
  // commands' callbacks: the in-memory caches (accounts) learn of a change
  // before anyone is told it happened.
  using CommitListener = std::function<void(const std::vector<const v1::Event*>&)>;

  // "*database", "*log", "*applier" and "*clock" must outlive the
  // Sequencer.
  Sequencer(Database* database, EventLog* log, EventApplier* applier,
            Clock* clock, Options options);
  Sequencer(Database* database, EventLog* log, EventApplier* applier,
            Clock* clock)
      : Sequencer(database, log, applier, clock, Options()) {}
  ~Sequencer();

  void AddCommitListener(CommitListener listener);
  void Start();
  // Stops taking commands (later Submits fail with UNAVAILABLE), finishes
  // every command already queued, and joins the thread.
  void Stop();

  // Queues `command`. Its `done` is always called, exactly once.
  void Submit(Command command);

  Stats stats() const;

 private:
  void Run();
  void ProcessGroup(std::vector<Command>& group);
  // After a failed write: reopens the database (RocksDB refuses writes
  // until then), rereads the log's end, and tells the commit listeners of
  // any events the reopen recovered (a group whose sync failed may have
  // reached the log file after all; its commands were answered UNAVAILABLE
  // and their retries are answered from it).
  absl::Status Recover();

  Database* const database_;
  EventLog* const log_;
  EventApplier* const applier_;
  Clock* const clock_;
  const Options options_;
  std::vector<CommitListener> listeners_;
  // Sequencer thread only: events' record times never go backwards, even
  // if the wall clock does.
  absl::Time last_record_time_ = absl::InfinitePast();

  mutable absl::Mutex mu_;
  std::deque<Command> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace baoxue::storage

#endif  // BAOXUE_STORAGE_SEQUENCER_H_
