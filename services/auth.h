// Authentication: who is calling. Every RPC of the Baoxue services passes
// through Authenticator::Authenticate before anything else happens.
//
// Bearer tokens are long random strings shown once; only their SHA-256 is
// stored (in the AccountCreated event and the model). The Authenticator
// keeps an in-memory index of token hashes so that a reactor never touches
// disk to authenticate; the sequencer updates it after each durable group,
// before any caller learns of the change, so a revocation takes effect on
// the very next call. Thread-safe.
#ifndef BAOXUE_SERVICES_AUTH_H_
#define BAOXUE_SERVICES_AUTH_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/events.pb.h"
#include "grpcpp/server_context.h"
#include "storage/database.h"
#include "storage/localized_status.h"

namespace baoxue::services {

// The authenticated caller of one RPC.
struct Caller {
  v1::Account account;
  // The language the caller reads: from the `accept-language` metadata;
  // Chinese unless it asks for English.
  Lang lang = Lang::kZh;
};

// A new bearer token: "bx_" followed by 43 base64url characters (256 bits
// from the kernel's CSPRNG).
std::string NewToken();
// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);
// The caller's language from the request metadata.
Lang LangOf(const grpc::ServerContextBase& context);

class Authenticator {
 public:
  // Loads every account and token hash from the model. "*database" must
  // outlive the Authenticator.
  absl::Status Load(const storage::Database* database);

  // Resolves the `authorization: Bearer <token>` metadata to an account.
  // UNAUTHENTICATED for a missing, malformed, unknown or revoked token.
  absl::StatusOr<Caller> Authenticate(
      const grpc::ServerContextBase& context) const;

  // Applies committed account events (a Sequencer commit listener).
  void OnCommitted(const std::vector<const v1::Event*>& events);

 private:
  const storage::Database* database_ = nullptr;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> account_by_hash_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, v1::Account> accounts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_AUTH_H_
