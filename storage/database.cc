#include "storage/database.h"

#include "absl/strings/str_cat.h"
#include "rocksdb/cache.h"
#include "rocksdb/table.h"
#include "storage/keys.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::storage {
namespace {

// Order matters: Database's accessors index handles_ by position.
const char* const kFamilies[] = {"default",
                                 "events", "idempotency", "model",
                                 "projection", "meta"};

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

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const Options& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.paranoid_checks = true;
  // Recovery stops at the first inconsistency instead of silently dropping
  // data: a damaged log is a refusal to start, not a quiet repair.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  if (options.env != nullptr) db_options.env = options.env;
  db_options.IncreaseParallelism(2);

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  table.cache_index_and_filter_blocks = true;
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilies) {
    descriptors.emplace_back(name, family_options);
  }
  auto database = std::unique_ptr<Database>(new Database());
  database->path_ = options.path;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, descriptors,
                                        &database->handles_, &raw);
  RETURN_IF_ERROR(FromRocks(s, absl::StrCat("open ", options.path)));
  database->db_.reset(raw);
  RETURN_IF_ERROR(database->CheckSchemaVersion());
  return database;
}

Database::~Database() {
  if (db_ == nullptr) return;
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  db_->Close();
}

absl::Status Database::CheckSchemaVersion() {
  ASSIGN_OR_RETURN(auto stored, Get(meta(), SchemaVersionKey()));
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
  rocksdb::WriteOptions write_options;
  write_options.sync = sync;
  return FromRocks(db_->Write(write_options, batch), "write");
}

absl::StatusOr<std::optional<std::string>> Database::Get(
    rocksdb::ColumnFamilyHandle* family, absl::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family,
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  RETURN_IF_ERROR(FromRocks(s, "read"));
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<uint64_t> Database::ConsumerOffset(absl::string_view name) const {
  ASSIGN_OR_RETURN(auto stored, Get(meta(), ConsumerOffsetKey(name)));
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

absl::Status Database::ClearFamily(rocksdb::ColumnFamilyHandle* family) {
  // DeleteRange over the whole key space: one tombstone instead of one
  // delete per key. Every key we write starts with a byte below 0xff or is
  // an 8-byte event key, so [ "", "\xff\xff..." ) covers them all.
  rocksdb::WriteBatch batch;
  batch.DeleteRange(family, rocksdb::Slice(""),
                    rocksdb::Slice(std::string(9, '\xff')));
  return Write(&batch, /*sync=*/true);
}

}  // namespace baoxue::storage
