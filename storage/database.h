// Database owns the RocksDB instance of one data directory and its column
// families (DESIGN §3): events, idempotency, model, projection, meta.
//
// One process owns a data directory; RocksDB's LOCK file enforces it.
// Thread-safe: RocksDB handles concurrent readers and writers; the fault
// hook is for tests and must be set before concurrent use.
#ifndef BAOXUE_STORAGE_DATABASE_H_
#define BAOXUE_STORAGE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace baoxue::storage {

// The layout version this build writes. A directory with a newer version is
// refused at open; an older one would be migrated here.
inline constexpr uint64_t kSchemaVersion = 1;

// Converts a RocksDB status into an absl::Status a person can act on:
// corruption is DATA_LOSS, I/O trouble is UNAVAILABLE.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what);

class Database {
 public:
  struct Options {
    std::string path;
    // Tests substitute an Env that injects faults.
    rocksdb::Env* env = nullptr;
    // Block cache for the projection and model families, in bytes.
    size_t block_cache_bytes = 64 << 20;
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

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* events() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* idempotency() const { return handles_[2]; }
  rocksdb::ColumnFamilyHandle* model() const { return handles_[3]; }
  rocksdb::ColumnFamilyHandle* projection() const { return handles_[4]; }
  rocksdb::ColumnFamilyHandle* meta() const { return handles_[5]; }
  const std::string& path() const { return path_; }

  // Writes `batch` atomically. With `sync`, returns only once the batch is
  // on stable storage.
  absl::Status Write(rocksdb::WriteBatch* batch, bool sync);

  // Point read. Returns nullopt when the key is absent.
  absl::StatusOr<std::optional<std::string>> Get(
      rocksdb::ColumnFamilyHandle* family, absl::string_view key) const;

  // The sequence consumer `name` has committed (0 if it never has).
  absl::StatusOr<uint64_t> ConsumerOffset(absl::string_view name) const;
  // Adds "consumer `name` has applied up to `sequence`" to `batch`, so the
  // offset commits atomically with the state derived up to it.
  static void PutConsumerOffset(rocksdb::WriteBatch* batch,
                                rocksdb::ColumnFamilyHandle* meta,
                                absl::string_view name, uint64_t sequence);

  // Deletes every key of `family` (used by rebuild).
  absl::Status ClearFamily(rocksdb::ColumnFamilyHandle* family);

  // Writes a consistent copy of the whole database — every column family as
  // of one moment — into `dir`, which must not exist yet. Writes may go on
  // meanwhile. Immutable files are hard-linked when `dir` is on the same
  // filesystem, so a checkpoint is quick and small.
  absl::Status CreateCheckpoint(const std::string& dir) const;

  // Reads all of `family` (see FamilyDigest).
  absl::StatusOr<FamilyDigest> Digest(rocksdb::ColumnFamilyHandle* family) const;

  // The schema version stored in the directory.
  absl::StatusOr<uint64_t> SchemaVersion() const;

  // Test hook: called before every Write; a non-OK result fails that write
  // as if storage had.
  void SetWriteFaultForTesting(std::function<absl::Status()> fault) {
    write_fault_ = std::move(fault);
  }

 private:
  Database() = default;
  absl::Status CheckSchemaVersion();

  std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::function<absl::Status()> write_fault_;
  bool read_only_ = false;
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
