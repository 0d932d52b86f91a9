#include "storage/database.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "openssl/evp.h"
#include "rocksdb/cache.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/keys.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::storage {
namespace {

// Order matters: Database's accessors index handles_ by position.
const char* const kFamilyNames[] = {"default",
                                 "events", "idempotency", "model",
                                 "projection", "meta"};

// A directory that holds database files but no CURRENT has lost the
// pointer to its MANIFEST. RocksDB, told to create a missing database,
// would start an empty one beside the old files: every event would be
// silently gone. Refused instead.
absl::Status CheckCurrentFilePresent(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec)) {
    return absl::OkStatus();
  }
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "MANIFEST-") || absl::EndsWith(name, ".sst") ||
        absl::EndsWith(name, ".log") || name == "IDENTITY") {
      return LocalizedError(
          absl::StatusCode::kDataLoss,
          absl::StrCat("存储数据损坏：数据目录 ", path, " 中有数据库文件（", name,
                       "），但缺少 CURRENT 文件。请从备份恢复，不要强行修复。"),
          absl::StrCat("storage is corrupt: the data directory ", path,
                       " holds database files (", name,
                       ") but no CURRENT file. Restore from a backup; do not "
                       "force a repair."));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  std::string detail = status.ToString();
  if (status.IsCorruption()) {
    return LocalizedError(
        absl::StatusCode::kDataLoss,
        absl::StrCat("存储数据损坏（", what, "）：", detail,
                     "。请从备份恢复，不要强行修复。"),
        absl::StrCat("storage is corrupt (", what, "): ", detail,
                     ". Restore from a backup; do not force a repair."));
  }
  if (status.IsNotFound()) {
    return NotFoundError(absl::StrCat("存储中找不到（", what, "）：", detail),
                         absl::StrCat("not found in storage (", what,
                                      "): ", detail));
  }
  return UnavailableError(
      absl::StrCat("存储暂不可用（", what, "）：", detail,
                   "。本次请求未被接受，请稍后重试。"),
      absl::StrCat("storage is unavailable (", what, "): ", detail,
                   ". Nothing was accepted; retry later."));
}

namespace {

// The Databases whose Access the current thread holds, so that nested
// Accesses neither count twice nor wait for a swap they are part of.
thread_local std::vector<const Database*> accesses_on_this_thread;

bool HeldOnThisThread(const Database* database) {
  for (const Database* d : accesses_on_this_thread) {
    if (d == database) return true;
  }
  return false;
}

void ForgetOnThisThread(const Database* database) {
  auto& held = accesses_on_this_thread;
  for (auto it = held.rbegin(); it != held.rend(); ++it) {
    if (*it == database) {
      held.erase(std::next(it).base());
      return;
    }
  }
}

absl::Status ClosedError() {
  return UnavailableError(
      "存储暂不可用：数据目录正在重新打开。本次请求未被接受，请稍后重试。",
      "storage is unavailable: the data directory is being reopened. Nothing "
      "was accepted; retry later.");
}

}  // namespace

Database::Access::Access(const Database* database) : database_(database) {
  if (HeldOnThisThread(database)) return;
  outer_ = true;
  {
    absl::MutexLock lock(&database->gate_mu_);
    auto open = [database]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(database->gate_mu_) {
      return !database->swapping_;
    };
    database->gate_mu_.Await(absl::Condition(&open));
    ++database->open_accesses_;
  }
  accesses_on_this_thread.push_back(database);
}

Database::Access::~Access() {
  if (!outer_) return;
  ForgetOnThisThread(database_);
  absl::MutexLock lock(&database_->gate_mu_);
  --database_->open_accesses_;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const Options& options) {
  RETURN_IF_ERROR(CheckCurrentFilePresent(options.path));
  auto database = std::unique_ptr<Database>(new Database());
  database->options_ = options;
  database->path_ = options.path;
  // Tickers only: the timers would cost a clock read per operation.
  database->statistics_ = rocksdb::CreateDBStatistics();
  database->statistics_->set_stats_level(rocksdb::StatsLevel::kExceptTimers);
  RETURN_IF_ERROR(database->OpenInstance());
  RETURN_IF_ERROR(database->CheckSchemaVersion());
  return database;
}

absl::Status Database::OpenInstance() {
  rocksdb::Options db_options;
  db_options.create_if_missing = !options_.read_only;
  db_options.create_missing_column_families = !options_.read_only;
  db_options.paranoid_checks = true;
  // Any damage to the log refuses the open: never a quiet repair. Every
  // acknowledged write was synced, and a process crash leaves no torn
  // record (the kernel keeps what was written), so the only tolerable
  // damage is a tail torn by a power cut mid-write — but RocksDB's
  // tail-tolerant modes drop a whole damaged 32 KiB block, acknowledged
  // records in it included (CorruptionTest.ALogDamagedInTheMiddleIsRefused).
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kAbsoluteConsistency;
  if (options_.env != nullptr) db_options.env = options_.env;
  db_options.IncreaseParallelism(2);
  db_options.statistics = statistics_;

  // Every memtable together, so that memory stays bounded however many
  // families are written at once (issue 8: ≤ 512 MB resident).
  db_options.db_write_buffer_size = options_.write_buffer_bytes;

  // Point reads dominate both write paths (the sequencer's checks, the
  // worker's projections), many of them of absent keys (is this ID number
  // registered?). Measured at 1,000,000 students (issue 8), a Get read and
  // decompressed a whole index block from disk each time: most of the
  // import's CPU. So: Bloom filters skip files without the key, and
  // partitioned, uncompressed index and filter blocks in the block cache
  // (top level pinned) make a miss cost one small block, with memory still
  // bounded by the cache.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options_.block_cache_bytes);
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_top_level_index_and_filter = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.enable_index_compression = false;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.optimize_filters_for_memory = true;
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // The same for the memtables, where recent writes are: a miss (a new
  // request_id, a child with no absence record when a report arrives)
  // otherwise walks the whole skip list like a hit. 2% of the memtable.
  family_options.memtable_whole_key_filtering = true;
  family_options.memtable_prefix_bloom_size_ratio = 0.02;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) {
    descriptors.emplace_back(name, family_options);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      options_.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options_.path, descriptors,
                                         &handles, &raw)
          : rocksdb::DB::Open(db_options, options_.path, descriptors, &handles,
                              &raw);
  read_only_ = options_.read_only;
  RETURN_IF_ERROR(FromRocks(s, absl::StrCat("open ", options_.path)));
  for (int i = 0; i < kFamilies; ++i) handles_[i].store(handles[i]);
  db_.store(raw);
  return absl::OkStatus();
}

void Database::CloseInstance() {
  rocksdb::DB* db = db_.exchange(nullptr);
  if (db == nullptr) return;
  for (auto& handle : handles_) {
    rocksdb::ColumnFamilyHandle* h = handle.exchange(nullptr);
    if (h != nullptr) db->DestroyColumnFamilyHandle(h);
  }
  // After a failed write Close() reports that error again; there is
  // nothing more to do about it here.
  db->Close().PermitUncheckedError();
  delete db;
}

Database::~Database() { CloseInstance(); }

absl::Status Database::Reopen() {
  {
    absl::MutexLock lock(&gate_mu_);
    swapping_ = true;
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(gate_mu_) {
      return open_accesses_ == 0;
    };
    // Bounded, so that an Access waiting on something the caller would do
    // next (a long rebuild, say) cannot deadlock it: the caller retries.
    if (!gate_mu_.AwaitWithTimeout(absl::Condition(&idle), absl::Seconds(2))) {
      swapping_ = false;
      return UnavailableError(
          "存储暂不可用：数据目录仍在使用中，稍后再重新打开。",
          "storage is unavailable: the data directory is still in use; it "
          "will be reopened later.");
    }
  }
  // This thread's own calls (the schema check) pass the gate it holds.
  accesses_on_this_thread.push_back(this);
  CloseInstance();
  absl::Status status = OpenInstance();
  if (status.ok()) status = CheckSchemaVersion();
  ForgetOnThisThread(this);
  if (status.ok()) needs_reopen_ = false;
  absl::MutexLock lock(&gate_mu_);
  swapping_ = false;
  return status;
}

uint64_t Database::KeysRead() const {
  uint64_t keys = 0;
  for (rocksdb::Tickers ticker :
       {rocksdb::NUMBER_KEYS_READ, rocksdb::NUMBER_MULTIGET_KEYS_READ,
        rocksdb::NUMBER_DB_SEEK, rocksdb::NUMBER_DB_NEXT,
        rocksdb::NUMBER_DB_PREV}) {
    keys += statistics_->getTickerCount(ticker);
  }
  return keys;
}

std::unique_ptr<rocksdb::Iterator> Database::NewIterator(
    const rocksdb::ReadOptions& options, Family family) const {
  Access access(this);
  rocksdb::DB* db = db_.load();
  if (db == nullptr) {
    return std::unique_ptr<rocksdb::Iterator>(rocksdb::NewErrorIterator(
        rocksdb::Status::IOError("the data directory is closed")));
  }
  return std::unique_ptr<rocksdb::Iterator>(
      db->NewIterator(options, handle(family)));
}

absl::Status Database::CheckSchemaVersion() {
  ASSIGN_OR_RETURN(auto stored, Get(Family::kMeta, SchemaVersionKey()));
  if (!stored.has_value() && read_only_) {
    return FailedPreconditionError(
        absl::StrCat(path_, " 不是 baoxue 的数据目录（没有数据格式版本）"),
        absl::StrCat(path_,
                     " is not a baoxue data directory (it has no schema "
                     "version)"));
  }
  if (!stored.has_value()) {
    rocksdb::WriteBatch batch;
    batch.Put(meta(), SchemaVersionKey(), EncodeFixed64(kSchemaVersion));
    return Write(&batch, /*sync=*/true);
  }
  uint64_t version = 0;
  if (!DecodeFixed64(*stored, &version)) {
    return LocalizedError(absl::StatusCode::kDataLoss,
                          "数据目录的版本记录已损坏",
                          "the data directory's schema version is corrupt");
  }
  if (version > kSchemaVersion) {
    return FailedPreconditionError(
        absl::StrCat("数据目录 ", path_, " 由更新的版本写入（数据格式 ", version,
                     "），本程序只支持到 ", kSchemaVersion,
                     "。请升级 baoxue-server 后再打开。"),
        absl::StrCat("the data directory ", path_,
                     " was written by a newer version (schema ", version,
                     "); this server understands up to ", kSchemaVersion,
                     ". Upgrade baoxue-server to open it."));
  }
  return absl::OkStatus();
}

absl::Status Database::Write(rocksdb::WriteBatch* batch, bool sync) {
  if (write_fault_) RETURN_IF_ERROR(write_fault_());
  Access access(this);
  rocksdb::DB* db = db_.load();
  if (db == nullptr) return ClosedError();
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  absl::Status status = FromRocks(db->Write(write_options, batch), "write");
  if (!status.ok()) needs_reopen_ = true;
  return status;
}

absl::StatusOr<std::optional<std::string>> Database::Get(
    Family family, absl::string_view key) const {
  std::string value;
  ASSIGN_OR_RETURN(bool found, GetInto(family, key, &value));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<bool> Database::GetInto(Family family, absl::string_view key,
                                       std::string* value) const {
  Access access(this);
  rocksdb::DB* db = db_.load();
  if (db == nullptr) return ClosedError();
  rocksdb::Status s = db->Get(rocksdb::ReadOptions(), handle(family),
                              rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return false;
  RETURN_IF_ERROR(FromRocks(s, "read"));
  return true;
}

absl::StatusOr<uint64_t> Database::ConsumerOffset(absl::string_view name) const {
  ASSIGN_OR_RETURN(auto stored, Get(Family::kMeta, ConsumerOffsetKey(name)));
  if (!stored.has_value()) return uint64_t{0};
  uint64_t offset = 0;
  if (!DecodeFixed64(*stored, &offset)) {
    return LocalizedError(absl::StatusCode::kDataLoss,
                          absl::StrCat("消费者 ", name, " 的位置记录已损坏"),
                          absl::StrCat("the offset of consumer ", name,
                                       " is corrupt"));
  }
  return offset;
}

void Database::PutConsumerOffset(rocksdb::WriteBatch* batch,
                                 rocksdb::ColumnFamilyHandle* meta,
                                 absl::string_view name, uint64_t sequence) {
  batch->Put(meta, ConsumerOffsetKey(name), EncodeFixed64(sequence));
}

void Database::AddClearFamily(rocksdb::WriteBatch* batch,
                              rocksdb::ColumnFamilyHandle* family) {
  // DeleteRange over the whole key space: one tombstone instead of one
  // delete per key. Every key we write starts with a byte below 0xff or is
  // an 8-byte event key, so [ "", "\xff\xff..." ) covers them all.
  batch->DeleteRange(family, rocksdb::Slice(""),
                     rocksdb::Slice(std::string(9, '\xff')));
}

absl::Status Database::ClearFamily(rocksdb::ColumnFamilyHandle* family) {
  rocksdb::WriteBatch batch;
  AddClearFamily(&batch, family);
  return Write(&batch, /*sync=*/true);
}

absl::StatusOr<uint64_t> Database::SchemaVersion() const {
  ASSIGN_OR_RETURN(auto stored, Get(Family::kMeta, SchemaVersionKey()));
  uint64_t version = 0;
  if (!stored.has_value() || !DecodeFixed64(*stored, &version)) {
    return LocalizedError(absl::StatusCode::kDataLoss,
                          "数据目录的版本记录缺失或已损坏",
                          "the data directory's schema version is missing or "
                          "corrupt");
  }
  return version;
}

absl::Status Database::CreateCheckpoint(const std::string& dir) const {
  Access access(this);
  rocksdb::DB* db = db_.load();
  if (db == nullptr) return ClosedError();
  rocksdb::Checkpoint* raw = nullptr;
  RETURN_IF_ERROR(
      FromRocks(rocksdb::Checkpoint::Create(db, &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush = 0: memtables are flushed first, so the checkpoint
  // is self-contained SST files plus whatever WAL the flush left live; the
  // WAL is copied, so a checkpoint holds exactly what was acknowledged at
  // its moment, across every column family.
  return FromRocks(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0),
                   absl::StrCat("checkpoint into ", dir));
}

absl::StatusOr<Database::FamilyDigest> Database::Digest(Family family) const {
  Access access(this);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> sha(EVP_MD_CTX_new(),
                                                              &EVP_MD_CTX_free);
  EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr);
  FamilyDigest digest;
  rocksdb::ReadOptions read_options;
  read_options.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it = NewIterator(read_options, family);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    // Length-prefixed, so that ("ab","c") and ("a","bc") differ.
    for (rocksdb::Slice part : {it->key(), it->value()}) {
      std::string length = EncodeFixed64(part.size());
      EVP_DigestUpdate(sha.get(), length.data(), length.size());
      EVP_DigestUpdate(sha.get(), part.data(), part.size());
    }
    ++digest.keys;
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "digest"));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_size = 0;
  EVP_DigestFinal_ex(sha.get(), out, &out_size);
  digest.sha256_hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(out), out_size));
  return digest;
}

absl::StatusOr<DirectoryUsage> MeasureDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  DirectoryUsage usage;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    usage.bytes += it->file_size(ec);
    ++usage.files;
  }
  if (ec) {
    return UnavailableError(
        absl::StrCat("无法读取目录 ", dir, "：", ec.message()),
        absl::StrCat("cannot read the directory ", dir, ": ", ec.message()));
  }
  return usage;
}

namespace {

absl::Status SyncPath(const std::string& path, bool directory) {
  int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) |
                                    O_CLOEXEC);
  bool ok = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ok = (::close(fd) == 0) && ok;
  if (!ok) {
    return UnavailableError(absl::StrCat("无法同步到磁盘：", path),
                            absl::StrCat("cannot sync to disk: ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CopyCheckpoint(const std::string& from, const std::string& to,
                            const std::vector<std::string>& skip) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(from, ec) || !fs::exists(fs::path(from) / "CURRENT", ec)) {
    return InvalidArgumentError(
        absl::StrCat("--restore_from：", from, " 不是一个备份目录（没有 CURRENT 文件）"),
        absl::StrCat("--restore_from: ", from,
                     " is not a backup directory (it has no CURRENT file)"));
  }
  if (fs::exists(to, ec) && !fs::is_empty(to, ec)) {
    return FailedPreconditionError(
        absl::StrCat("--data_dir：", to,
                     " 不是空目录。恢复只写入不存在或空的目录，绝不覆盖已有数据。"),
        absl::StrCat("--data_dir: ", to,
                     " is not empty. A restore writes only into a missing or "
                     "empty directory; it never overwrites data."));
  }
  fs::create_directories(to, ec);
  if (ec) {
    return UnavailableError(
        absl::StrCat("无法创建目录 ", to, "：", ec.message()),
        absl::StrCat("cannot create the directory ", to, ": ", ec.message()));
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(from, ec)) {
    std::string name = entry.path().filename().string();
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    if (!entry.is_regular_file()) {
      return InvalidArgumentError(
          absl::StrCat("--restore_from：备份中有意外的条目 ", name),
          absl::StrCat("--restore_from: unexpected entry in the backup: ", name));
    }
    fs::path target = fs::path(to) / name;
    // A copy, never a hard link: the restored directory must not share
    // files with the backup it came from.
    fs::copy_file(entry.path(), target, fs::copy_options::none, ec);
    if (ec) {
      return UnavailableError(
          absl::StrCat("无法复制 ", entry.path().string(), "：", ec.message()),
          absl::StrCat("cannot copy ", entry.path().string(), ": ",
                       ec.message()));
    }
    RETURN_IF_ERROR(SyncPath(target.string(), /*directory=*/false));
  }
  if (ec) {
    return UnavailableError(
        absl::StrCat("无法读取目录 ", from, "：", ec.message()),
        absl::StrCat("cannot read the directory ", from, ": ", ec.message()));
  }
  return SyncPath(to, /*directory=*/true);
}

}  // namespace baoxue::storage
