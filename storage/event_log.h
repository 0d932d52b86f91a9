// The event log: the only write path and the source of truth (DESIGN §1).
//
// EventLog is deliberately narrow — append, read from, wait — so that the
// RocksDB implementation can later give way to a partitioned log (DESIGN §8)
// without touching its users.
#ifndef BAOXUE_STORAGE_EVENT_LOG_H_
#define BAOXUE_STORAGE_EVENT_LOG_H_

#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "baoxue/v1/events.pb.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"

namespace baoxue::storage {

class EventLog {
 public:
  virtual ~EventLog() = default;

  // Sequence number of the newest durable event; 0 for an empty log.
  virtual uint64_t LastSequence() const = 0;

  // Appends `events`, whose sequences must run on from LastSequence()
  // without a gap, together with `side_writes` (write-model changes and
  // idempotency keys), atomically and durably: when this returns OK all of
  // it is on stable storage; otherwise none of it is visible. Not
  // thread-safe against other Append calls: the sequencer is the one writer.
  virtual absl::Status Append(const std::vector<const v1::Event*>& events,
                              rocksdb::WriteBatch* side_writes) = 0;

  // Reads up to `max_events` events with sequence >= `from`, in order.
  virtual absl::Status Read(uint64_t from, size_t max_events,
                            std::vector<v1::Event>* out) const = 0;

  // Blocks until LastSequence() > `after`, the deadline passes, or Close()
  // is called. Returns true if there are events after `after`.
  virtual bool WaitForEventsAfter(uint64_t after, absl::Time deadline) const = 0;

  // Wakes every waiter; later waits return at once.
  virtual void Close() = 0;

  // Reads the last sequence from storage again, after the database was
  // reopened (which may recover events whose write had been reported as
  // failed). Called by the one writer only.
  virtual absl::Status Reload() = 0;
};

// The event log in the `events` column family of a Database. Thread-safe;
// "*database" must outlive it.
class RocksEventLog : public EventLog {
 public:
  // Reads the last sequence from the database.
  static absl::StatusOr<std::unique_ptr<RocksEventLog>> Open(
      Database* database);

  uint64_t LastSequence() const override;
  absl::Status Append(const std::vector<const v1::Event*>& events,
                      rocksdb::WriteBatch* side_writes) override;
  absl::Status Read(uint64_t from, size_t max_events,
                    std::vector<v1::Event>* out) const override;
  bool WaitForEventsAfter(uint64_t after, absl::Time deadline) const override;
  void Close() override;
  absl::Status Reload() override;

 private:
  static absl::StatusOr<uint64_t> ReadLastSequence(Database* database);

  RocksEventLog(Database* database, uint64_t last)
      : database_(database), last_(last) {}

  Database* const database_;
  mutable absl::Mutex mu_;
  uint64_t last_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace baoxue::storage

#endif  // BAOXUE_STORAGE_EVENT_LOG_H_
