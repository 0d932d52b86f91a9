// Database owns the RocksDB instance of one data directory and its column
// families (DESIGN §3): events, idempotency, model, projection, meta.
//
// One process owns a data directory; RocksDB's LOCK file enforces it.
// Thread-safe: RocksDB handles concurrent readers and writers; the fault
// hook is for tests and must be set before concurrent use.
//
// After a failed write RocksDB refuses every later write, and Resume()
// cannot clear a failed log write. Reopen() closes and reopens the
// instance instead; the one writer (the sequencer) calls it. Code that uses
// the instance or its family handles does so inside an Access, which
// Reopen() waits for; whatever must live longer (ModelTxn) keeps a Family,
// not a handle.
#ifndef BAOXUE_STORAGE_DATABASE_H_
#define BAOXUE_STORAGE_DATABASE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/db.h"
#include "rocksdb/statistics.h"
#include "rocksdb/write_batch.h"

namespace baoxue::storage {

// The layout version this build writes. A directory with a newer version is
// refused at open; an older one would be migrated here.
inline constexpr uint64_t kSchemaVersion = 1;

// Converts a RocksDB status into an absl::Status a person can act on:
// corruption is DATA_LOSS, I/O trouble is UNAVAILABLE.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what);

// The column families, by position.
enum class Family { kDefault, kEvents, kIdempotency, kModel, kProjection, kMeta };

class Database {
 public:
  // Marks a stretch of code that uses the RocksDB instance or its family
  // handles: Reopen() waits until none is open and holds new ones back
  // while it swaps the instance. Re-entrant on one thread; cheap when
  // nested. Database's own methods open one themselves.
  class Access {
   public:
    explicit Access(const Database* database);
    ~Access();
    Access(const Access&) = delete;
    Access& operator=(const Access&) = delete;

   private:
    const Database* const database_;
    bool outer_ = false;
  };

  struct Options {
    std::string path;
    // Tests substitute an Env that injects faults.
    rocksdb::Env* env = nullptr;
    // Block cache shared by every family (data, index and filter blocks),
    // in bytes.
    size_t block_cache_bytes = 128 << 20;
    // All memtables together, in bytes.
    size_t write_buffer_bytes = 128 << 20;
    // Opens without writing anything (to inspect a backup): nothing is
    // created, and a directory without a schema version is refused.
    bool read_only = false;
  };

  // The number of keys of a column family and a SHA-256 over its keys and
  // values in key order: two families hold the same data exactly when their
  // digests agree.
  struct FamilyDigest {
    uint64_t keys = 0;
    std::string sha256_hex;
  };

  // Opens (creating if needed) the data directory at options.path. Refuses
  // a directory written by a newer schema, and reports corruption as
  // DATA_LOSS without trying to repair it.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const Options& options);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // The instance and its handles: valid only inside an Access (or on the
  // thread that calls Reopen()). db() is null while a failed Reopen()
  // leaves the directory closed.
  rocksdb::DB* db() const { return db_.load(); }
  rocksdb::ColumnFamilyHandle* handle(Family family) const {
    return handles_[static_cast<int>(family)].load();
  }
  rocksdb::ColumnFamilyHandle* events() const { return handle(Family::kEvents); }
  rocksdb::ColumnFamilyHandle* idempotency() const {
    return handle(Family::kIdempotency);
  }
  rocksdb::ColumnFamilyHandle* model() const { return handle(Family::kModel); }
  rocksdb::ColumnFamilyHandle* projection() const {
    return handle(Family::kProjection);
  }
  rocksdb::ColumnFamilyHandle* meta() const { return handle(Family::kMeta); }
  const std::string& path() const { return path_; }

  // An iterator over `family`; an iterator holding UNAVAILABLE while the
  // directory is closed. Use it inside an Access.
  std::unique_ptr<rocksdb::Iterator> NewIterator(
      const rocksdb::ReadOptions& options, Family family) const;

  // True once a write has failed and until Reopen() succeeds.
  bool needs_reopen() const { return needs_reopen_.load(); }
  // Closes the instance and opens the directory again, which RocksDB
  // recovers from its log: every write that returned OK is there, and a
  // write whose sync failed may be there too. Waits (bounded) for open
  // Accesses to end; UNAVAILABLE if they do not, or if the directory cannot
  // be opened (then every call fails with UNAVAILABLE until a later
  // Reopen() succeeds). Called by the one writer only.
  absl::Status Reopen();

  // Writes `batch` atomically. With `sync`, returns only once the batch is
  // on stable storage.
  absl::Status Write(rocksdb::WriteBatch* batch, bool sync);

  // Point read. Returns nullopt when the key is absent. It takes a Family,
  // not a handle, so that a handle fetched before a Reopen() cannot reach
  // the reopened instance.
  absl::StatusOr<std::optional<std::string>> Get(Family family,
                                                 absl::string_view key) const;
  // Like Get, into "*value", whose capacity is reused: a caller reading
  // many records in a row allocates once. False when absent.
  absl::StatusOr<bool> GetInto(Family family, absl::string_view key,
                               std::string* value) const;

  // The sequence consumer `name` has committed (0 if it never has).
  absl::StatusOr<uint64_t> ConsumerOffset(absl::string_view name) const;
  // Adds "consumer `name` has applied up to `sequence`" to `batch`, so the
  // offset commits atomically with the state derived up to it.
  static void PutConsumerOffset(rocksdb::WriteBatch* batch,
                                rocksdb::ColumnFamilyHandle* meta,
                                absl::string_view name, uint64_t sequence);

  // Deletes every key of `family` (used by rebuild).
  absl::Status ClearFamily(rocksdb::ColumnFamilyHandle* family);
  // Adds "delete every key of `family`" to `batch`, so a clear can commit
  // atomically with other writes.
  static void AddClearFamily(rocksdb::WriteBatch* batch,
                             rocksdb::ColumnFamilyHandle* family);

  // Writes a consistent copy of the whole database — every column family as
  // of one moment — into `dir`, which must not exist yet. Writes may go on
  // meanwhile. Immutable files are hard-linked when `dir` is on the same
  // filesystem, so a checkpoint is quick and small.
  absl::Status CreateCheckpoint(const std::string& dir) const;

  // Reads all of `family` (see FamilyDigest).
  absl::StatusOr<FamilyDigest> Digest(Family family) const;

  // The schema version stored in the directory.
  absl::StatusOr<uint64_t> SchemaVersion() const;

  // Keys read from storage since Open(), by every reader: point reads plus
  // iterator seeks and steps. Read around a query on an idle server, it
  // says what the query cost (issue 8: no ledger query may scan all cases).
  uint64_t KeysRead() const;

  // Test hook: called before every Write; a non-OK result fails that write
  // as if storage had.
  void SetWriteFaultForTesting(std::function<absl::Status()> fault) {
    write_fault_ = std::move(fault);
  }

 private:
  static constexpr int kFamilies = 6;

  Database() = default;
  // Opens the RocksDB instance of options_ into db_ and handles_.
  absl::Status OpenInstance();
  // Destroys the handles and closes the instance, if open.
  void CloseInstance();
  absl::Status CheckSchemaVersion();

  Options options_;
  // Shared by every instance Reopen() opens, so counts survive a reopen.
  std::shared_ptr<rocksdb::Statistics> statistics_;
  std::string path_;
  std::atomic<rocksdb::DB*> db_{nullptr};
  std::array<std::atomic<rocksdb::ColumnFamilyHandle*>, kFamilies> handles_{};
  std::function<absl::Status()> write_fault_;
  bool read_only_ = false;
  std::atomic<bool> needs_reopen_{false};

  // The gate between Accesses and Reopen().
  mutable absl::Mutex gate_mu_;
  mutable int open_accesses_ ABSL_GUARDED_BY(gate_mu_) = 0;
  bool swapping_ ABSL_GUARDED_BY(gate_mu_) = false;
};

// The bytes and number of regular files under a directory.
struct DirectoryUsage {
  uint64_t bytes = 0;
  uint64_t files = 0;
};
absl::StatusOr<DirectoryUsage> MeasureDirectory(const std::string& dir);

// Copies the files of a checkpoint directory `from` into the data directory
// `to`, which must be missing or empty (a restore never overwrites data).
// Files named in `skip` are left out. Every copied file and `to` itself are
// synced before it returns.
absl::Status CopyCheckpoint(const std::string& from, const std::string& to,
                            const std::vector<std::string>& skip);

}  // namespace baoxue::storage

#endif  // BAOXUE_STORAGE_DATABASE_H_
