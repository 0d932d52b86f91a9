// ModelTxn stages changes to the records of one column family (optionally
// under a key prefix) so a command can be validated against the state that
// includes every earlier command of its group, then either dropped or
// folded into the group's WriteBatch.
//
// Reads see this transaction's own writes, then its parent's, then the
// database. Nothing reaches the database until WriteTo() is applied by the
// caller. Not thread-safe: one thread (the sequencer, or the worker) owns a
// transaction tree. The parent and "*database" must outlive the child.
#ifndef BAOXUE_STORAGE_MODEL_TXN_H_
#define BAOXUE_STORAGE_MODEL_TXN_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"
#include "rocksdb/write_batch.h"
#include "storage/database.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::storage {

class ModelTxn {
 public:
  // A root transaction over `family`, with every key stored under `prefix`
  // (the worker keeps its copy of the model under KeySpace::kMirror).
  //
  // If `pending` is not null it is an earlier root over the same family and
  // prefix whose writes may not have reached the database yet: reads see
  // them as if they had (the worker applies one batch while the one before
  // it is written). "*pending" must not change, and must outlive this
  // transaction; reading it from another thread at the same time is safe.
  ModelTxn(const Database* database, Family family, std::string prefix = "",
           const ModelTxn* pending = nullptr);
  // A child: its writes are visible to it and reach `parent` only on
  // CommitToParent().
  explicit ModelTxn(ModelTxn* parent);

  ModelTxn(const ModelTxn&) = delete;
  ModelTxn& operator=(const ModelTxn&) = delete;

  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) const;
  // Like Get, into "*value" (its capacity reused); false when absent.
  absl::StatusOr<bool> GetInto(absl::string_view key, std::string* value) const;
  void Put(absl::string_view key, absl::string_view value);
  void Delete(absl::string_view key);

  // Reads a protobuf record; returns false if absent.
  absl::StatusOr<bool> GetProto(absl::string_view key,
                                google::protobuf::MessageLite* out) const;
  // The record of type T under `key`; nullopt when absent.
  template <typename T>
  absl::StatusOr<std::optional<T>> FindProto(absl::string_view key) const {
    T record;
    ASSIGN_OR_RETURN(bool found, GetProto(key, &record));
    if (!found) return std::optional<T>();
    return std::optional<T>(std::move(record));
  }

  // Writes a protobuf record with deterministic serialization, so a rebuild
  // writes the same bytes as the live system.
  void PutProto(absl::string_view key, const google::protobuf::MessageLite& m);

  // Visits every live record whose key starts with `prefix` and is not
  // below `start`, in key order, merging staged writes with the database.
  // `visit` returns false to stop.
  absl::Status Scan(
      absl::string_view prefix,
      const std::function<bool(absl::string_view key, absl::string_view value)>&
          visit,
      absl::string_view start = "") const;

  // Moves this child's writes into its parent.
  void CommitToParent();
  // Adds this root's writes to `batch`.
  void WriteTo(rocksdb::WriteBatch* batch) const;
  // Forgets staged writes.
  void Clear() {
    by_key_.clear();
    staged_.clear();
  }
  bool empty() const { return staged_.empty(); }
  // The number of keys staged here.
  size_t size() const { return staged_.size(); }

 private:
  // nullopt marks a delete.
  using Staged = std::map<std::string, std::optional<std::string>, std::less<>>;

  const Database* database_ = nullptr;
  // A Family, not a handle: a reopened database has new handles.
  Family family_ = Family::kDefault;
  std::string prefix_;
  const ModelTxn* pending_ = nullptr;
  ModelTxn* parent_ = nullptr;
  Staged staged_;
  // The same entries by key (the views point into staged_'s nodes, which
  // never move): a point read or a rewrite costs one hash rather than a
  // walk down the tree, whose string compares over long shared prefixes
  // were a quarter of a rebuild's applying thread (issue 8).
  absl::flat_hash_map<absl::string_view, Staged::iterator> by_key_;

  // The value staged here for `key` (nullopt inside marks a delete); null
  // when nothing is.
  const std::optional<std::string>* FindStaged(absl::string_view key) const;
  void Stage(absl::string_view key, std::optional<std::string> value);
  // The record under `key`: staged (in this transaction, a parent or the
  // root's pending one), or read from the database into "*buffer"; null
  // when absent or deleted.
  absl::StatusOr<const std::string*> Find(absl::string_view key,
                                          std::string* buffer) const;

  // GetProto's buffer for records read from the database, so that reading
  // many records in a row does not allocate for each.
  mutable std::string scratch_;
};

}  // namespace baoxue::storage

#endif  // BAOXUE_STORAGE_MODEL_TXN_H_
