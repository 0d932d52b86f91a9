#include "services/write_model.h"

#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {

using storage::Key;
using storage::KeySpace;
using storage::ModelTxn;

std::string MirrorPrefix() { return Key(KeySpace::kMirror).data(); }

std::string AccountKey(absl::string_view account_id) {
  return Key(KeySpace::kAccount).Str(account_id).data();
}

std::string AccountKeyPrefix() { return Key(KeySpace::kAccount).data(); }

namespace {

std::string TokenHashKey(absl::string_view sha256_hex) {
  return Key(KeySpace::kTokenHash).Str(sha256_hex).data();
}

std::string ClockKey() { return Key(KeySpace::kClock).data(); }

template <typename T>
absl::StatusOr<std::optional<T>> Find(const ModelTxn& model,
                                      absl::string_view key) {
  T record;
  ASSIGN_OR_RETURN(bool found, model.GetProto(key, &record));
  if (!found) return std::optional<T>();
  return std::optional<T>(std::move(record));
}

}  // namespace

absl::StatusOr<std::optional<v1::Account>> FindAccount(
    const ModelTxn& model, absl::string_view account_id) {
  return Find<v1::Account>(model, AccountKey(account_id));
}

absl::StatusOr<std::optional<v1::ClockTick>> LastClockTick(
    const ModelTxn& model) {
  return Find<v1::ClockTick>(model, ClockKey());
}

absl::Status WriteModelApplier::Apply(const v1::Event& event, ModelTxn* model) {
  switch (event.body_case()) {
    case v1::Event::kAccountCreated: {
      v1::Account account = event.account_created().account();
      *account.mutable_create_time() = event.record_time();
      account.set_created_by(event.account_id());
      model->PutProto(AccountKey(account.account_id()), account);
      model->Put(TokenHashKey(event.account_created().token_sha256()),
                 account.account_id());
      return absl::OkStatus();
    }
    case v1::Event::kAccountRevoked: {
      ASSIGN_OR_RETURN(auto account,
                       FindAccount(*model, event.account_revoked().account_id()));
      if (!account.has_value()) {
        return absl::InternalError("revoked account is not in the model");
      }
      account->set_revoked(true);
      model->PutProto(AccountKey(account->account_id()), *account);
      return absl::OkStatus();
    }
    case v1::Event::kClockTick:
      model->PutProto(ClockKey(), event.clock_tick());
      return absl::OkStatus();
    case v1::Event::BODY_NOT_SET:
      break;
  }
  return absl::InternalError("event has no body");
}

}  // namespace baoxue::services
