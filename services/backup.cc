#include "services/backup.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/worker.h"
#include "storage/event_log.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

namespace fs = std::filesystem;

constexpr char kNamePrefix[] = "baoxue-backup-";
constexpr char kPartialSuffix[] = ".partial";

absl::Status FileError(absl::string_view zh, absl::string_view en,
                       const std::string& path, const std::error_code& ec) {
  return UnavailableError(absl::StrCat(zh, " ", path, "：", ec.message()),
                          absl::StrCat(en, " ", path, ": ", ec.message()));
}

// Writes the manifest durably: a backup is only listed once it is there.
absl::Status WriteManifest(const std::string& dir, uint64_t last_sequence,
                           absl::Time created) {
  std::string path = (fs::path(dir) / kManifestName).string();
  std::string text =
      absl::StrCat("format=1\nlast_sequence=", last_sequence,
                   "\ncreate_time_unix=", absl::ToUnixSeconds(created),
                   "\nserver_version=", BAOXUE_VERSION, "\n");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  bool ok = fd >= 0 &&
            ::write(fd, text.data(), text.size()) ==
                static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  if (fd >= 0) ok = (::close(fd) == 0) && ok;
  if (!ok) {
    return UnavailableError(absl::StrCat("无法写入备份清单 ", path),
                            absl::StrCat("cannot write the backup manifest ", path));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool ok = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ok = (::close(fd) == 0) && ok;
  if (!ok) {
    return UnavailableError(absl::StrCat("无法同步目录 ", dir),
                            absl::StrCat("cannot sync the directory ", dir));
  }
  return absl::OkStatus();
}

// The last event of the checkpoint in `dir`, read without changing it.
absl::StatusOr<uint64_t> CheckpointLastSequence(const std::string& dir) {
  storage::Database::Options options;
  options.path = dir;
  options.read_only = true;
  options.block_cache_bytes = 1 << 20;
  ASSIGN_OR_RETURN(auto database, storage::Database::Open(options));
  ASSIGN_OR_RETURN(auto log, storage::RocksEventLog::Open(database.get()));
  return log->LastSequence();
}

// `path` made absolute, with symbolic links resolved where it exists and
// without a trailing separator, so that paths compare component by
// component.
fs::path Normalized(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path), ec).lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) {
    p = p.parent_path();
  }
  return p;
}

}  // namespace

absl::Status ValidateBackupDir(const std::string& backup_dir,
                               const std::string& data_dir) {
  if (backup_dir.empty()) return absl::OkStatus();
  fs::path backup = Normalized(backup_dir);
  fs::path data = Normalized(data_dir);
  auto [data_end, backup_at] =
      std::mismatch(data.begin(), data.end(), backup.begin(), backup.end());
  if (data_end == data.end()) {
    return InvalidArgumentError(
        absl::StrCat("--backup_dir：", backup_dir, " 不能是数据目录 ", data_dir,
                     " 或其子目录"),
        absl::StrCat("--backup_dir: ", backup_dir,
                     " must not be the data directory ", data_dir,
                     " or inside it"));
  }
  return absl::OkStatus();
}

absl::Status BackupManager::RequireBackupDir() const {
  if (!backup_dir_.empty()) return absl::OkStatus();
  return FailedPreconditionError(
      "服务器启动时没有指定 --backup_dir，无法备份。请以 --backup_dir=目录 "
      "重新启动 baoxue-server。",
      "the server was started without --backup_dir, so it cannot take "
      "backups. Restart baoxue-server with --backup_dir=DIR.");
}

absl::StatusOr<v1::BackupInfo> BackupManager::Create() {
  RETURN_IF_ERROR(RequireBackupDir());
  absl::MutexLock lock(&mu_);
  std::error_code ec;
  fs::create_directories(backup_dir_, ec);
  if (ec) return FileError("无法创建备份目录", "cannot create the backup directory",
                           backup_dir_, ec);
  absl::Time created = absl::Now();
  std::string base = absl::StrCat(
      kNamePrefix, absl::FormatTime("%Y%m%dT%H%M%SZ", created, absl::UTCTimeZone()));
  // Two backups within one second get -2, -3, ...
  std::string name = base;
  for (int n = 2; fs::exists(fs::path(backup_dir_) / name, ec) ||
                  fs::exists(fs::path(backup_dir_) / (name + kPartialSuffix), ec);
       ++n) {
    name = absl::StrCat(base, "-", n);
  }
  std::string final_path = fs::absolute(fs::path(backup_dir_) / name).string();
  std::string partial = final_path + kPartialSuffix;

  absl::Status made = database_->CreateCheckpoint(partial);
  if (made.ok()) {
    // Read from the checkpoint itself: writes went on while it was taken.
    absl::StatusOr<uint64_t> last = CheckpointLastSequence(partial);
    made = last.ok() ? WriteManifest(partial, *last, created) : last.status();
  }
  if (made.ok()) {
    fs::rename(partial, final_path, ec);
    if (ec) made = FileError("无法重命名", "cannot rename", partial, ec);
  }
  if (made.ok()) made = SyncDirectory(backup_dir_);
  if (!made.ok()) {
    fs::remove_all(partial, ec);  // a half-made backup is never listed
    return made;
  }
  return ReadBackupInfo(final_path);
}

absl::StatusOr<v1::BackupInfo> ReadBackupInfo(const std::string& path) {
  std::ifstream in(fs::path(path) / kManifestName);
  if (!in) {
    return NotFoundError(
        absl::StrCat(path, " 不是完整的 baoxue 备份（没有 ", kManifestName, "）"),
        absl::StrCat(path, " is not a complete baoxue backup (no ",
                     kManifestName, ")"));
  }
  std::stringstream text;
  text << in.rdbuf();
  v1::BackupInfo info;
  info.set_name(fs::path(path).filename().string());
  info.set_path(fs::absolute(path).string());
  for (absl::string_view line : absl::StrSplit(text.str(), '\n')) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    uint64_t number = 0;
    if (kv.first == "last_sequence" && absl::SimpleAtoi(kv.second, &number)) {
      info.set_last_sequence(number);
    } else if (kv.first == "create_time_unix" &&
               absl::SimpleAtoi(kv.second, &number)) {
      *info.mutable_create_time() =
          google::protobuf::util::TimeUtil::SecondsToTimestamp(number);
    } else if (kv.first == "server_version") {
      info.set_server_version(kv.second);
    }
  }
  ASSIGN_OR_RETURN(storage::DirectoryUsage usage, storage::MeasureDirectory(path));
  info.set_size_bytes(usage.bytes);
  info.set_file_count(usage.files);
  return info;
}

absl::StatusOr<std::vector<v1::BackupInfo>> BackupManager::List() const {
  RETURN_IF_ERROR(RequireBackupDir());
  std::vector<v1::BackupInfo> backups;
  std::error_code ec;
  if (!fs::exists(backup_dir_, ec)) return backups;
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(backup_dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind(kNamePrefix, 0) != 0) continue;
    if (!fs::exists(entry.path() / kManifestName)) continue;  // incomplete
    names.push_back(entry.path().string());
  }
  if (ec) return FileError("无法读取备份目录", "cannot read the backup directory",
                           backup_dir_, ec);
  for (const std::string& path : names) {
    ASSIGN_OR_RETURN(v1::BackupInfo info, ReadBackupInfo(path));
    backups.push_back(std::move(info));
  }
  // Names sort by time within a second only up to -9; the manifest's
  // sequence breaks the tie, then the name.
  std::sort(backups.begin(), backups.end(),
            [](const v1::BackupInfo& a, const v1::BackupInfo& b) {
              return std::make_tuple(a.create_time().seconds(), a.last_sequence(),
                                     a.name()) <
                     std::make_tuple(b.create_time().seconds(), b.last_sequence(),
                                     b.name());
            });
  return backups;
}

absl::StatusOr<RestoreReport> VerifyDataDirectory(const std::string& data_dir) {
  absl::Time start = absl::Now();
  RestoreReport report;
  storage::Database::Options options;
  options.path = data_dir;
  // Open refuses a newer schema and reports corruption as DATA_LOSS.
  ASSIGN_OR_RETURN(auto database, storage::Database::Open(options));
  ASSIGN_OR_RETURN(report.schema_version, database->SchemaVersion());
  ASSIGN_OR_RETURN(auto log, storage::RocksEventLog::Open(database.get()));
  report.last_sequence = log->LastSequence();

  ASSIGN_OR_RETURN(storage::Database::FamilyDigest events,
                   database->Digest(storage::Family::kEvents));
  report.events = events.keys;
  if (events.keys != report.last_sequence) {
    return LocalizedError(
        absl::StatusCode::kDataLoss,
        absl::StrCat("事件日志不完整：最后一条是第 ", report.last_sequence,
                     " 条，却只有 ", events.keys, " 条事件"),
        absl::StrCat("the event log is incomplete: its last event is ",
                     report.last_sequence, " but it holds ", events.keys,
                     " events"));
  }
  ASSIGN_OR_RETURN(storage::Database::FamilyDigest model,
                   database->Digest(storage::Family::kModel));
  report.model_keys = model.keys;

  // The backup may have been taken while the worker lagged: let it apply
  // the rest first, exactly as a starting server would.
  Worker worker(database.get(), log.get());
  ASSIGN_OR_RETURN(uint64_t offset,
                   database->ConsumerOffset(Worker::kConsumerName));
  if (offset > report.last_sequence) {
    return LocalizedError(
        absl::StatusCode::kDataLoss,
        absl::StrCat("投影已应用到第 ", offset, " 条事件，但日志只到第 ",
                     report.last_sequence, " 条"),
        absl::StrCat("the projections have applied event ", offset,
                     " but the log ends at ", report.last_sequence));
  }
  report.events_caught_up = report.last_sequence - offset;
  RETURN_IF_ERROR(worker.CatchUp());
  ASSIGN_OR_RETURN(storage::Database::FamilyDigest restored,
                   database->Digest(storage::Family::kProjection));

  RETURN_IF_ERROR(worker.Rebuild());
  ASSIGN_OR_RETURN(storage::Database::FamilyDigest rebuilt,
                   database->Digest(storage::Family::kProjection));
  if (restored.sha256_hex != rebuilt.sha256_hex) {
    return LocalizedError(
        absl::StatusCode::kDataLoss,
        absl::StrCat("恢复出的投影与从事件日志重建的结果不一致（", restored.keys,
                     " 个键对 ", rebuilt.keys, " 个键）"),
        absl::StrCat("the restored projections differ from a rebuild from the "
                     "event log (",
                     restored.keys, " keys against ", rebuilt.keys, ")"));
  }
  report.projection_keys = rebuilt.keys;
  report.projection_sha256 = rebuilt.sha256_hex;
  report.rebuild_matches = true;
  report.duration_millis = absl::ToInt64Milliseconds(absl::Now() - start);
  return report;
}

absl::StatusOr<RestoreReport> RestoreBackup(const std::string& backup,
                                            const std::string& data_dir) {
  // Only a complete backup: a live data directory, or a backup whose
  // manifest never got written, is no consistent copy.
  std::error_code ec;
  if (!fs::exists(fs::path(backup) / kManifestName, ec)) {
    return InvalidArgumentError(
        absl::StrCat("--restore_from：", backup, " 不是完整的 baoxue 备份（没有 ",
                     kManifestName, "）。请给出 baoxue bureau backups 列出的目录。"),
        absl::StrCat("--restore_from: ", backup,
                     " is not a complete baoxue backup (it has no ",
                     kManifestName,
                     "). Give a directory `baoxue bureau backups` lists."));
  }
  RETURN_IF_ERROR(storage::CopyCheckpoint(backup, data_dir, {kManifestName}));
  absl::StatusOr<RestoreReport> report = VerifyDataDirectory(data_dir);
  if (!report.ok()) {
    return WithContext(
        report.status(),
        absl::StrCat("已复制到 ", data_dir, "，但校验失败（目录保留以便检查，请勿用它启动服务）："),
        absl::StrCat("copied into ", data_dir,
                     " but the verification failed (the directory is kept for "
                     "inspection; do not serve from it): "));
  }
  return report;
}

std::string DescribeRestore(const RestoreReport& r, const std::string& data_dir,
                            Lang lang) {
  if (lang == Lang::kEn) {
    return absl::StrCat(
        "restored and verified ", data_dir, ":\n",
        "  schema version        ", r.schema_version, "\n",
        "  last event sequence   ", r.last_sequence, "\n",
        "  events                ", r.events, "\n",
        "  write-model keys      ", r.model_keys, "\n",
        "  projection keys       ", r.projection_keys, "\n",
        "  events caught up      ", r.events_caught_up, "\n",
        "  rebuild matches       yes (sha256 ", r.projection_sha256, ")\n",
        "  took                  ", r.duration_millis, " ms\n",
        "Start the server with --data_dir=", data_dir, ".\n");
  }
  return absl::StrCat(
      "已恢复并校验 ", data_dir, "：\n",
      "  数据格式版本      ", r.schema_version, "\n",
      "  最新事件序号      ", r.last_sequence, "\n",
      "  事件数            ", r.events, "\n",
      "  写模型键数        ", r.model_keys, "\n",
      "  投影键数          ", r.projection_keys, "\n",
      "  补应用的事件      ", r.events_caught_up, "\n",
      "  与重建结果一致    是（sha256 ", r.projection_sha256, "）\n",
      "  用时              ", r.duration_millis, " 毫秒\n",
      "请以 --data_dir=", data_dir, " 启动服务器。\n");
}

}  // namespace baoxue::services
