#include "services/server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "google/protobuf/util/time_util.h"
#include "services/accounts.h"
#include "services/county_time.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

constexpr char kTokenFileName[] = "bureau-admin.token";

// Only literal loopback addresses and "localhost" count: a name such as
// "127.example.com" could resolve anywhere.
bool IsLoopbackHost(absl::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  if (!absl::StartsWith(host, "127.")) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     absl::string_view flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return InvalidArgumentError(
        absl::StrCat("--", flag, "：无法读取文件 ", path),
        absl::StrCat("--", flag, ": cannot read ", path));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Writes `contents` to `path` readable by the owner only, durably: the
// file is complete on disk before the account it belongs to is committed.
absl::Status WriteSecretFile(const std::string& path,
                             const std::string& contents) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError(absl::StrCat("无法创建令牌文件 ", tmp),
                            absl::StrCat("cannot create the token file ", tmp));
  }
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, contents.data(), contents.size()) ==
                static_cast<ssize_t>(contents.size()) &&
            ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) {
    return UnavailableError(absl::StrCat("无法写入令牌文件 ", path),
                            absl::StrCat("cannot write the token file ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateListenOptions(const ServerOptions& options) {
  size_t colon = options.listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(options.listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return InvalidArgumentError(
        absl::StrCat("--listen：", options.listen,
                     " 不是 主机:端口 的形式，例如 127.0.0.1:7070"),
        absl::StrCat("--listen: ", options.listen,
                     " is not host:port, e.g. 127.0.0.1:7070"));
  }
  std::string host = options.listen.substr(0, colon);
  bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls && (options.tls_cert.empty() || options.tls_key.empty())) {
    return InvalidArgumentError("--tls_cert 与 --tls_key 必须同时提供",
                                "--tls_cert and --tls_key go together");
  }
  if (!options.tls_client_ca.empty() && !tls) {
    return InvalidArgumentError(
        "--tls_client_ca 需要同时提供 --tls_cert 与 --tls_key",
        "--tls_client_ca needs --tls_cert and --tls_key");
  }
  if (!IsLoopbackHost(host) && !tls && !options.insecure) {
    return InvalidArgumentError(
        absl::StrCat("--listen：", options.listen,
                     " 不是本机回环地址，必须启用 TLS（--tls_cert/--tls_key），"
                     "或明确加上 --insecure"),
        absl::StrCat("--listen: ", options.listen,
                     " is not a loopback address; it needs TLS (--tls_cert, "
                     "--tls_key) or an explicit --insecure"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const ServerOptions& options) {
  RETURN_IF_ERROR(ValidateListenOptions(options));
  RETURN_IF_ERROR(ValidateBackupDir(options.backup_dir, options.data_dir));
  auto server = std::unique_ptr<Server>(new Server());
  Server& s = *server;
  s.options_ = options;
  if (options.simulated_start.has_value()) {
    auto clock = std::make_unique<ManualClock>(
        CountyMidnight(*options.simulated_start));
    s.simulated_clock_ = clock.get();
    s.owned_clock_ = std::move(clock);
    s.clock_ = s.owned_clock_.get();
  } else if (options.clock != nullptr) {
    s.clock_ = options.clock;
  } else {
    s.owned_clock_ = std::make_unique<SystemClock>();
    s.clock_ = s.owned_clock_.get();
  }

  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  storage::Database::Options db_options;
  db_options.path = options.data_dir;
  db_options.env = options.env;
  ASSIGN_OR_RETURN(s.database_, storage::Database::Open(db_options));
  ASSIGN_OR_RETURN(s.log_, storage::RocksEventLog::Open(s.database_.get()));
  RETURN_IF_ERROR(s.auth_.Load(s.database_.get()));
  std::optional<absl::Time> last_tick;
  if (s.simulated_clock_ != nullptr) {
    storage::ModelTxn model(s.database_.get(), storage::Family::kModel);
    ASSIGN_OR_RETURN(auto tick, LastClockTick(model));
    if (tick.has_value()) {
      last_tick = absl::FromUnixNanos(
          google::protobuf::util::TimeUtil::TimestampToNanoseconds(
              tick->tick_time()));
      // Resume a simulation rather than refuse to go back in time.
      if (*last_tick > s.clock_->Now()) s.simulated_clock_->Set(*last_tick);
    }
  }

  s.sequencer_ = std::make_unique<storage::Sequencer>(
      s.database_.get(), s.log_.get(), &s.applier_, s.clock_);
  s.sequencer_->AddCommitListener(
      [&auth = s.auth_](const std::vector<const v1::Event*>& events) {
        auth.OnCommitted(events);
      });
  s.sequencer_->Start();

  s.token_file_ =
      (std::filesystem::path(options.data_dir) / kTokenFileName).string();
  if (s.log_->LastSequence() == 0) RETURN_IF_ERROR(s.CreateFirstAccount());

  s.worker_ = std::make_unique<Worker>(s.database_.get(), s.log_.get());
  if (options.rebuild) RETURN_IF_ERROR(s.worker_->Rebuild());
  RETURN_IF_ERROR(s.worker_->Start());
  s.ticker_ = std::make_unique<Ticker>(s.sequencer_.get(), s.clock_);

  s.pool_ = std::make_unique<ThreadPool>(options.query_threads);
  s.gate_ = std::make_unique<CallGate>(options.limits);
  s.rpc_ = std::make_unique<RpcRunner>(&s.auth_, s.sequencer_.get(),
                                       s.worker_.get(), s.pool_.get(),
                                       s.gate_.get(), s.database_.get());
  s.backups_ =
      std::make_unique<BackupManager>(s.database_.get(), options.backup_dir);
  s.bureau_ = std::make_unique<BureauServiceImpl>(
      s.rpc_.get(), s.database_.get(), s.log_.get(), s.worker_.get(),
      s.clock_, s.ticker_.get(), s.simulated_clock_, s.backups_.get());
  s.school_ = std::make_unique<SchoolServiceImpl>(s.rpc_.get(),
                                                  s.database_.get(), s.clock_);
  s.township_ = std::make_unique<TownshipServiceImpl>(
      s.rpc_.get(), s.database_.get(), s.clock_);

  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (!options.tls_cert.empty()) {
    grpc::SslServerCredentialsOptions ssl;
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    ASSIGN_OR_RETURN(pair.private_key, ReadFile(options.tls_key, "tls_key"));
    ASSIGN_OR_RETURN(pair.cert_chain, ReadFile(options.tls_cert, "tls_cert"));
    ssl.pem_key_cert_pairs.push_back(pair);
    if (!options.tls_client_ca.empty()) {
      ASSIGN_OR_RETURN(ssl.pem_root_certs,
                       ReadFile(options.tls_client_ca, "tls_client_ca"));
      ssl.client_certificate_request =
          GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  } else {
    credentials = grpc::InsecureServerCredentials();
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &s.port_);
  builder.RegisterService(s.bureau_.get());
  builder.RegisterService(s.school_.get());
  builder.RegisterService(s.township_.get());
  builder.SetMaxReceiveMessageSize(options.limits.max_receive_message_bytes);
  std::vector<std::unique_ptr<
      grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<RpcInterceptorFactory>(
      s.gate_.get(), options.debug_log));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  s.grpc_ = builder.BuildAndStart();
  if (s.grpc_ == nullptr || s.port_ == 0) {
    s.Shutdown();
    return UnavailableError(
        absl::StrCat("无法在 ", options.listen, " 上监听（端口被占用？）"),
        absl::StrCat("cannot listen on ", options.listen,
                     " (is the port in use?)"));
  }
  s.grpc_->GetHealthCheckService()->SetServingStatus(true);
  if (s.simulated_clock_ != nullptr) {
    // The start-up tick Run() would append, unless the log already has one
    // at this time (a restart of a simulation).
    if (!last_tick.has_value() || *last_tick < s.clock_->Now()) {
      RETURN_IF_ERROR(
          s.ticker_->TickAt(s.clock_->Now(), v1::CLOCK_TICK_KIND_HOURLY)
              .status());
    }
  } else if (options.run_ticker) {
    s.ticker_->Start();
  }
  return server;
}

absl::Status Server::CreateFirstAccount() {
  std::string token = NewToken();
  // The token file is durable before the account exists: a crash between
  // the two leaves an empty log, and the next start simply begins again.
  RETURN_IF_ERROR(WriteSecretFile(token_file_, token + "\n"));
  v1::Account account;
  account.set_account_id(kFirstBureauAccountId);
  account.set_display_name("县教育局管理员");
  account.set_role(v1::ROLE_BUREAU);
  std::string hash = Sha256Hex(token);
  absl::Notification done;
  absl::Status status;
  storage::Command command;
  command.prepare = [&account, &hash](const storage::ModelTxn& model,
                                      v1::Event* event) {
    return PrepareCreateAccount(model, account, hash, event);
  };
  command.done = [&](const storage::CommandResult& result) {
    status = result.status;
    done.Notify();
  };
  sequencer_->Submit(std::move(command));
  done.WaitForNotification();
  RETURN_IF_ERROR(status);
  created_first_account_ = true;
  return absl::OkStatus();
}

void Server::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
  }
  if (ticker_) ticker_->Stop();
  if (grpc_) {
    grpc_->GetHealthCheckService()->SetServingStatus(false);
    // Calls in flight finish: their commands are still taken by the
    // sequencer, which stops only after this.
    grpc_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }
  if (sequencer_) sequencer_->Stop();
  if (worker_) worker_->Stop();
  pool_.reset();
  if (log_) log_->Close();
}

void Server::Wait() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&shut_down_));
}

Server::~Server() {
  Shutdown();
  grpc_.reset();
  rpc_.reset();
  backups_.reset();
  gate_.reset();
  worker_.reset();
  sequencer_.reset();
  ticker_.reset();
  log_.reset();
  database_.reset();
}

}  // namespace baoxue::services
