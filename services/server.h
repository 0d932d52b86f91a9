// Server assembles one Baoxue node: the data directory, the event log, the
// sequencer, the follow-up worker, the ticker and the gRPC services. The
// binary's main() and the in-process integration tests both use it.
#ifndef BAOXUE_SERVICES_SERVER_H_
#define BAOXUE_SERVICES_SERVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "grpcpp/grpcpp.h"
#include "services/auth.h"
#include "services/backup.h"
#include "services/bureau_service.h"
#include "services/limits.h"
#include "services/rpc.h"
#include "services/school_service.h"
#include "services/ticker.h"
#include "services/township_service.h"
#include "services/worker.h"
#include "services/write_model.h"
#include "storage/clock.h"
#include "storage/database.h"
#include "storage/event_log.h"
#include "storage/sequencer.h"

namespace baoxue::services {

struct ServerOptions {
  // host:port; port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:7070";
  std::string data_dir = "./data";
  // PEM files. With tls_cert and tls_key the server speaks TLS; with
  // tls_client_ca as well it requires and verifies client certificates.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // Allow a non-loopback address without TLS.
  bool insecure = false;
  // Defaults to the wall clock. Not owned.
  Clock* clock = nullptr;
  // The ticker appends clock events on its own; tests drive time instead.
  bool run_ticker = true;
  // Simulated time (--simulated_time): the server owns a clock that starts
  // at the county midnight of this day — or at the last clock tick in the
  // log, if that is later, so a restart resumes where the simulation was —
  // and moves only through BureauService.AdvanceClock. `clock` and
  // `run_ticker` are then ignored.
  std::optional<absl::CivilDay> simulated_start;
  int query_threads = 4;
  // Drop every projection and replay the log before serving.
  bool rebuild = false;
  // For fault-injection tests. Not owned.
  rocksdb::Env* env = nullptr;
  // Message size, string length and per-account concurrency limits.
  Limits limits;
  // When set, one line per call (services/rpc.h, RpcInterceptorFactory).
  std::function<void(const std::string&)> debug_log;
  // Where CreateBackup writes; empty refuses backups. Must not be the data
  // directory or inside it.
  std::string backup_dir;
};

// Checks the listen address and the TLS options together: a non-loopback
// address needs TLS unless `insecure` is set.
absl::Status ValidateListenOptions(const ServerOptions& options);

// Thread-safe after Start().
class Server {
 public:
  // Opens the data directory (creating the first bureau account and its
  // token file if the log is empty), starts every component and listens.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const ServerOptions& options);

  ~Server();

  // Stops accepting calls, finishes calls in flight and queued commands,
  // stops the worker at a committed offset and closes the database.
  // Idempotent.
  void Shutdown();
  // Blocks until Shutdown() has been called.
  void Wait();

  int port() const { return port_; }
  // Where the first bureau account's token was written.
  const std::string& token_file() const { return token_file_; }
  // True if this start created the first bureau account.
  bool created_first_account() const { return created_first_account_; }

  storage::Database* database() { return database_.get(); }
  storage::EventLog* log() { return log_.get(); }
  storage::Sequencer* sequencer() { return sequencer_.get(); }
  Worker* worker() { return worker_.get(); }
  Ticker* ticker() { return ticker_.get(); }
  // The simulated clock, or null on the wall clock (or a test's clock).
  ManualClock* simulated_clock() { return simulated_clock_; }
  CallGate* gate() { return gate_.get(); }

 private:
  Server() = default;
  absl::Status CreateFirstAccount();

  ServerOptions options_;
  std::unique_ptr<Clock> owned_clock_;
  Clock* clock_ = nullptr;
  ManualClock* simulated_clock_ = nullptr;
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<storage::RocksEventLog> log_;
  WriteModelApplier applier_;
  Authenticator auth_;
  std::unique_ptr<storage::Sequencer> sequencer_;
  std::unique_ptr<Worker> worker_;
  std::unique_ptr<Ticker> ticker_;
  std::unique_ptr<ThreadPool> pool_;
  std::unique_ptr<CallGate> gate_;
  std::unique_ptr<RpcRunner> rpc_;
  std::unique_ptr<BackupManager> backups_;
  std::unique_ptr<BureauServiceImpl> bureau_;
  std::unique_ptr<SchoolServiceImpl> school_;
  std::unique_ptr<TownshipServiceImpl> township_;
  std::unique_ptr<grpc::Server> grpc_;
  int port_ = 0;
  std::string token_file_;
  bool created_first_account_ = false;
  absl::Mutex mu_;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_SERVER_H_
