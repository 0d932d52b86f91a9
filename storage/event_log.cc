#include "storage/event_log.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "storage/keys.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::storage {

absl::StatusOr<uint64_t> RocksEventLog::ReadLastSequence(Database* database) {
  Database::Access access(database);
  std::unique_ptr<rocksdb::Iterator> it =
      database->NewIterator(rocksdb::ReadOptions(), Family::kEvents);
  it->SeekToLast();
  uint64_t last = 0;
  if (it->Valid()) {
    rocksdb::Slice key = it->key();
    if (!DecodeEventKey(absl::string_view(key.data(), key.size()), &last)) {
      return LocalizedError(absl::StatusCode::kDataLoss,
                            "事件日志中有无法识别的键",
                            "the event log holds a key it cannot read");
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "event log"));
  return last;
}

absl::StatusOr<std::unique_ptr<RocksEventLog>> RocksEventLog::Open(
    Database* database) {
  ASSIGN_OR_RETURN(uint64_t last, ReadLastSequence(database));
  return std::unique_ptr<RocksEventLog>(new RocksEventLog(database, last));
}

absl::Status RocksEventLog::Reload() {
  ASSIGN_OR_RETURN(uint64_t last, ReadLastSequence(database_));
  absl::MutexLock lock(&mu_);
  last_ = last;
  return absl::OkStatus();
}

uint64_t RocksEventLog::LastSequence() const {
  absl::MutexLock lock(&mu_);
  return last_;
}

absl::Status RocksEventLog::Append(const std::vector<const v1::Event*>& events,
                                   rocksdb::WriteBatch* side_writes) {
  uint64_t expected = LastSequence() + 1;
  std::string value;
  for (const v1::Event* event : events) {
    // Refused, not asserted: a gap is a caller's bug the log must not
    // absorb in any build.
    if (event->sequence() != expected) {
      return absl::InternalError(absl::StrCat("event sequence ",
                                              event->sequence(), " expected ",
                                              expected));
    }
    value.clear();
    event->SerializeToString(&value);
    side_writes->Put(database_->events(), EventKey(event->sequence()), value);
    ++expected;
  }
  RETURN_IF_ERROR(database_->Write(side_writes, /*sync=*/true));
  if (!events.empty()) {
    absl::MutexLock lock(&mu_);
    last_ = events.back()->sequence();
  }
  return absl::OkStatus();
}

absl::Status RocksEventLog::Read(uint64_t from, size_t max_events,
                                 std::vector<v1::Event>* out) const {
  Database::Access access(database_);
  std::unique_ptr<rocksdb::Iterator> it =
      database_->NewIterator(rocksdb::ReadOptions(), Family::kEvents);
  std::string start = EventKey(from);
  for (it->Seek(start); it->Valid() && max_events > 0; it->Next(), --max_events) {
    v1::Event event;
    rocksdb::Slice value = it->value();
    if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      uint64_t seq = 0;
      DecodeEventKey(absl::string_view(it->key().data(), it->key().size()),
                     &seq);
      return LocalizedError(
          absl::StatusCode::kDataLoss,
          absl::StrCat("事件日志第 ", seq, " 条无法解析"),
          absl::StrCat("event ", seq, " in the log cannot be decoded"));
    }
    out->push_back(std::move(event));
  }
  return FromRocks(it->status(), "event log read");
}

bool RocksEventLog::WaitForEventsAfter(uint64_t after,
                                       absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto ready = [this, after]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return last_ > after || closed_;
  };
  mu_.AwaitWithDeadline(absl::Condition(&ready), deadline);
  return last_ > after;
}

void RocksEventLog::Close() {
  absl::MutexLock lock(&mu_);
  closed_ = true;
}

}  // namespace baoxue::storage
