#include "storage/model_txn.h"

#include <algorithm>
#include <cassert>
#include <memory>
#include <vector>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::storage {

ModelTxn::ModelTxn(const Database* database, Family family, std::string prefix,
                   const ModelTxn* pending)
    : database_(database),
      family_(family),
      prefix_(std::move(prefix)),
      pending_(pending) {
  assert(pending == nullptr ||
         (pending->parent_ == nullptr && pending->family_ == family_ &&
          pending->prefix_ == prefix_));
}

ModelTxn::ModelTxn(ModelTxn* parent) : parent_(parent) {}

absl::StatusOr<std::optional<std::string>> ModelTxn::Get(
    absl::string_view key) const {
  std::string value;
  ASSIGN_OR_RETURN(bool found, GetInto(key, &value));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(value));
}

namespace {

// Reads `key` from the database under the root's `prefix`; the key is
// copied only when there is a prefix to put before it.
absl::StatusOr<bool> GetFromDatabase(const Database* database, Family family,
                                     const std::string& prefix,
                                     absl::string_view key, std::string* value) {
  if (prefix.empty()) return database->GetInto(family, key, value);
  return database->GetInto(family, absl::StrCat(prefix, key), value);
}

}  // namespace

const std::optional<std::string>* ModelTxn::FindStaged(
    absl::string_view key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second->second;
}

void ModelTxn::Stage(absl::string_view key, std::optional<std::string> value) {
  auto it = by_key_.find(key);
  if (it != by_key_.end()) {
    it->second->second = std::move(value);
    return;
  }
  auto [entry, inserted] = staged_.emplace(std::string(key), std::move(value));
  assert(inserted);
  by_key_.emplace(entry->first, entry);
}

absl::StatusOr<const std::string*> ModelTxn::Find(absl::string_view key,
                                                  std::string* buffer) const {
  for (const ModelTxn* t = this; t != nullptr; t = t->parent_) {
    const std::optional<std::string>* staged = t->FindStaged(key);
    if (staged == nullptr && t->pending_ != nullptr) {
      staged = t->pending_->FindStaged(key);
    }
    if (staged != nullptr) return staged->has_value() ? &**staged : nullptr;
    if (t->parent_ == nullptr) {
      ASSIGN_OR_RETURN(bool found, GetFromDatabase(t->database_, t->family_,
                                                   t->prefix_, key, buffer));
      return found ? buffer : nullptr;
    }
  }
  return nullptr;  // unreachable: the root has a database
}

absl::StatusOr<bool> ModelTxn::GetInto(absl::string_view key,
                                       std::string* value) const {
  ASSIGN_OR_RETURN(const std::string* found, Find(key, value));
  if (found == nullptr) return false;
  if (found != value) *value = *found;
  return true;
}

void ModelTxn::Put(absl::string_view key, absl::string_view value) {
  Stage(key, std::string(value));
}

void ModelTxn::Delete(absl::string_view key) {
  Stage(key, std::nullopt);
}

absl::StatusOr<bool> ModelTxn::GetProto(
    absl::string_view key, google::protobuf::MessageLite* out) const {
  // A staged record is parsed where it lies; a stored one is read into the
  // reused buffer.
  ASSIGN_OR_RETURN(const std::string* value, Find(key, &scratch_));
  if (value == nullptr) return false;
  if (!out->ParseFromString(*value)) {
    return LocalizedError(
        absl::StatusCode::kDataLoss, "存储的记录无法解析",
        absl::StrCat("a stored ", out->GetTypeName(), " record cannot be read"));
  }
  return true;
}

void ModelTxn::PutProto(absl::string_view key,
                        const google::protobuf::MessageLite& m) {
  std::string value;
  {
    google::protobuf::io::StringOutputStream stream(&value);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    m.SerializeToCodedStream(&out);
  }
  Put(key, value);
}

absl::Status ModelTxn::Scan(
    absl::string_view prefix,
    const std::function<bool(absl::string_view, absl::string_view)>& visit,
    absl::string_view start) const {
  std::string first(std::max(prefix, start));
  std::vector<const ModelTxn*> chain;
  for (const ModelTxn* t = this; t != nullptr; t = t->parent_) {
    chain.push_back(t);
  }
  const ModelTxn* root = chain.back();
  std::vector<const Staged*> layers;
  if (root->pending_ != nullptr) layers.push_back(&root->pending_->staged_);
  for (auto t = chain.rbegin(); t != chain.rend(); ++t) {
    layers.push_back(&(*t)->staged_);
  }
  // The staged writes in range, a later layer overriding an earlier one.
  // They are few (one group's or one batch's writes), while the stored
  // range can be large — every timer, every child of a school — so the two
  // are merged as the scan goes, and a visit that stops early has read only
  // what it saw.
  Staged overlay;
  for (const Staged* layer : layers) {
    for (auto s = layer->lower_bound(first);
         s != layer->end() &&
         absl::string_view(s->first).substr(0, prefix.size()) == prefix;
         ++s) {
      overlay[s->first] = s->second;
    }
  }
  std::string full_prefix = absl::StrCat(root->prefix_, prefix);
  std::string limit = PrefixSuccessor(full_prefix);
  rocksdb::ReadOptions options;
  rocksdb::Slice upper(limit);
  if (!limit.empty()) options.iterate_upper_bound = &upper;
  // The iterator lives inside an Access, so a Reopen() cannot close the
  // instance under it.
  Database::Access access(root->database_);
  std::unique_ptr<rocksdb::Iterator> it =
      root->database_->NewIterator(options, root->family_);
  it->Seek(absl::StrCat(root->prefix_, first));
  auto staged = overlay.begin();
  while (true) {
    absl::string_view stored;
    if (it->Valid()) {
      stored = absl::string_view(it->key().data(), it->key().size());
      stored.remove_prefix(root->prefix_.size());
    }
    if (staged != overlay.end() &&
        (!it->Valid() || absl::string_view(staged->first) <= stored)) {
      // A staged write hides the stored record under the same key.
      if (it->Valid() && staged->first == stored) it->Next();
      if (staged->second.has_value() && !visit(staged->first, *staged->second)) {
        return absl::OkStatus();
      }
      ++staged;
      continue;
    }
    if (!it->Valid()) break;
    if (!visit(stored, absl::string_view(it->value().data(), it->value().size()))) {
      return absl::OkStatus();
    }
    it->Next();
  }
  return FromRocks(it->status(), "scan");
}

void ModelTxn::CommitToParent() {
  assert(parent_ != nullptr);
  for (auto& [key, value] : staged_) parent_->Stage(key, std::move(value));
  Clear();
}

void ModelTxn::WriteTo(rocksdb::WriteBatch* batch) const {
  assert(parent_ == nullptr);
  Database::Access access(database_);
  rocksdb::ColumnFamilyHandle* family = database_->handle(family_);
  for (const auto& [key, value] : staged_) {
    std::string full = absl::StrCat(prefix_, key);
    if (value.has_value()) {
      batch->Put(family, full, *value);
    } else {
      batch->Delete(family, full);
    }
  }
}

}  // namespace baoxue::storage
