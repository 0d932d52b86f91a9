// Backups of a data directory and their restore (issue 7, README "Backup and
// restore").
//
// A backup is a RocksDB checkpoint of the live database — every column
// family as of one moment, so the event log, the write model and the
// projections agree — in its own timestamped directory under the server's
// --backup_dir, with a small manifest (kManifestName) saying what it holds.
// It is taken online: writes go on while it runs. A backup directory
// appears under its final name only once it is complete.
//
// A restore copies a backup into a fresh data directory and verifies it
// before anyone serves from it: it opens it, checks the schema version and
// that the log runs 1..last without a gap, lets the worker apply what the
// backup's projections had not yet applied, then rebuilds every projection
// from the log and compares the rebuild with the restored projections.
//
// Every RocksDB access goes through storage::Database.
#ifndef BAOXUE_SERVICES_BACKUP_H_
#define BAOXUE_SERVICES_BACKUP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "baoxue/v1/bureau.pb.h"
#include "storage/database.h"
#include "storage/localized_status.h"

namespace baoxue::services {

// The manifest file inside every backup directory.
inline constexpr char kManifestName[] = "BAOXUE-BACKUP";

// Takes and lists the backups of one database. Thread-safe: backups are
// taken one at a time. "*database" must outlive the manager.
class BackupManager {
 public:
  // `backup_dir` may be empty: then Create and List refuse with
  // FAILED_PRECONDITION naming --backup_dir.
  BackupManager(const storage::Database* database, std::string backup_dir)
      : database_(database), backup_dir_(std::move(backup_dir)) {}

  // Takes a backup into <backup_dir>/baoxue-backup-<UTC time>[-n].
  absl::StatusOr<v1::BackupInfo> Create();

  // The complete backups under backup_dir, oldest first.
  absl::StatusOr<std::vector<v1::BackupInfo>> List() const;

  const std::string& backup_dir() const { return backup_dir_; }

 private:
  absl::Status RequireBackupDir() const;

  const storage::Database* const database_;
  const std::string backup_dir_;
  absl::Mutex mu_;  // one backup at a time
};

// Reads the manifest and measures the backup directory `path`.
absl::StatusOr<v1::BackupInfo> ReadBackupInfo(const std::string& path);

// Refuses a backup directory that is, or lies inside, the data directory.
absl::Status ValidateBackupDir(const std::string& backup_dir,
                               const std::string& data_dir);

// What the verification of a data directory found.
struct RestoreReport {
  uint64_t schema_version = 0;
  uint64_t last_sequence = 0;
  uint64_t events = 0;
  uint64_t model_keys = 0;
  uint64_t projection_keys = 0;
  // Events the restored projections had not yet applied (the worker lagged
  // when the backup was taken); applied during verification.
  uint64_t events_caught_up = 0;
  std::string projection_sha256;
  // The rebuilt projections equal the restored ones (always true in a
  // report: a difference is an error).
  bool rebuild_matches = false;
  int64_t duration_millis = 0;
};

// Verifies the data directory `data_dir` (see the file comment). Any
// disagreement is DATA_LOSS naming what differs.
absl::StatusOr<RestoreReport> VerifyDataDirectory(const std::string& data_dir);

// Copies the backup `backup` into `data_dir`, which must be missing or
// empty, then verifies it. On a verification failure the copied directory
// is left in place for inspection, and the error says so.
absl::StatusOr<RestoreReport> RestoreBackup(const std::string& backup,
                                            const std::string& data_dir);

// The report as lines for a person, in `lang`.
std::string DescribeRestore(const RestoreReport& report,
                            const std::string& data_dir, Lang lang);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_BACKUP_H_
