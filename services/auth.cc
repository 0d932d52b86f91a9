#include "services/auth.h"

#include <sys/random.h>

#include <array>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "openssl/sha.h"
#include "services/write_model.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

absl::Status NoTokenError() {
  return UnauthenticatedError(
      "未提供有效的访问令牌：请在 authorization 元数据中以 \"Bearer <令牌>\" "
      "的形式提供",
      "no valid access token: send it as \"Bearer <token>\" in the "
      "authorization metadata");
}

absl::Status UnknownTokenError() {
  return UnauthenticatedError("访问令牌无效或已被吊销",
                              "the access token is unknown or revoked");
}

}  // namespace

std::string NewToken() {
  std::array<unsigned char, 32> bytes;
  size_t filled = 0;
  while (filled < bytes.size()) {
    ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n > 0) filled += static_cast<size_t>(n);
  }
  return absl::StrCat(
      "bx_", absl::WebSafeBase64Escape(absl::string_view(
                 reinterpret_cast<const char*>(bytes.data()), bytes.size())));
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), sizeof(digest)));
}

Lang LangOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("accept-language");
  if (it == metadata.end()) return Lang::kZh;
  std::string value = absl::AsciiStrToLower(
      absl::string_view(it->second.data(), it->second.size()));
  return absl::StartsWith(value, "en") ? Lang::kEn : Lang::kZh;
}

absl::Status Authenticator::Load(const storage::Database* database) {
  database_ = database;
  storage::ModelTxn model(database, storage::Family::kModel);
  absl::flat_hash_map<std::string, std::string> by_hash;
  absl::flat_hash_map<std::string, v1::Account> accounts;
  absl::Status parse = absl::OkStatus();
  RETURN_IF_ERROR(model.Scan(AccountKeyPrefix(), [&](absl::string_view,
                                                     absl::string_view value) {
    v1::Account account;
    if (!account.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      parse = absl::DataLossError("an account record cannot be read");
      return false;
    }
    accounts[account.account_id()] = account;
    return true;
  }));
  RETURN_IF_ERROR(parse);
  std::string hash_prefix = storage::Key(storage::KeySpace::kTokenHash).data();
  RETURN_IF_ERROR(model.Scan(hash_prefix, [&](absl::string_view key,
                                              absl::string_view value) {
    storage::KeyReader reader(key);
    storage::KeySpace space;
    std::string hash;
    if (reader.Space(&space) && reader.Str(&hash)) {
      by_hash[hash] = std::string(value);
    }
    return true;
  }));
  absl::MutexLock lock(&mu_);
  account_by_hash_ = std::move(by_hash);
  accounts_ = std::move(accounts);
  return absl::OkStatus();
}

absl::StatusOr<Caller> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  Caller caller;
  caller.lang = LangOf(context);
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return NoTokenError();
  absl::string_view header(it->second.data(), it->second.size());
  constexpr absl::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(header.substr(0, kScheme.size()), kScheme)) {
    return NoTokenError();
  }
  std::string hash = Sha256Hex(header.substr(kScheme.size()));
  absl::MutexLock lock(&mu_);
  auto by_hash = account_by_hash_.find(hash);
  if (by_hash == account_by_hash_.end()) return UnknownTokenError();
  auto account = accounts_.find(by_hash->second);
  if (account == accounts_.end() || account->second.revoked()) {
    return UnknownTokenError();
  }
  caller.account = account->second;
  return caller;
}

void Authenticator::OnCommitted(const std::vector<const v1::Event*>& events) {
  // Re-read each changed account from the model, which the group has just
  // made durable, so the model applier stays the one place that knows what
  // an account event means.
  storage::ModelTxn model(database_, storage::Family::kModel);
  for (const v1::Event* event : events) {
    std::string account_id;
    if (event->has_account_created()) {
      account_id = event->account_created().account().account_id();
    } else if (event->has_account_revoked()) {
      account_id = event->account_revoked().account_id();
    } else {
      continue;
    }
    auto account = FindAccount(model, account_id);
    absl::MutexLock lock(&mu_);
    if (!account.ok() || !account->has_value()) {
      // Unreadable just after a durable write: refuse the account rather
      // than trust a stale copy.
      accounts_.erase(account_id);
      continue;
    }
    if (event->has_account_created()) {
      account_by_hash_[event->account_created().token_sha256()] = account_id;
    }
    accounts_[account_id] = std::move(**account);
  }
}

}  // namespace baoxue::services
