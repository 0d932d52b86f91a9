// The rules for accounts (DESIGN §6): what a valid account is, and when one
// may be revoked. Used by BureauService and by the server's first start.
#ifndef BAOXUE_SERVICES_ACCOUNTS_H_
#define BAOXUE_SERVICES_ACCOUNTS_H_

#include <string>

#include "absl/status/status.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/events.pb.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// The id of the BUREAU account created on first start.
inline constexpr char kFirstBureauAccountId[] = "bureau-admin";

// Validates `account` against the model and fills `event` with an
// AccountCreated carrying only the token's hash.
absl::Status PrepareCreateAccount(const storage::ModelTxn& model,
                                  const v1::Account& account,
                                  const std::string& token_sha256,
                                  v1::Event* event);

// Validates a revocation against the model and fills `event`.
absl::Status PrepareRevokeAccount(const storage::ModelTxn& model,
                                  const std::string& account_id,
                                  const std::string& reason, v1::Event* event);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_ACCOUNTS_H_
