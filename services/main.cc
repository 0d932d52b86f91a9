// baoxue-server: one Baoxue node. See README.md for how to run it.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/county_time.h"
#include "absl/synchronization/mutex.h"
#include "services/backup.h"
#include "services/server.h"
#include "storage/localized_status.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7070",
          "Address to listen on, host:port. A non-loopback address needs TLS "
          "or --insecure.");
ABSL_FLAG(std::string, data_dir, "./data",
          "The data directory (RocksDB). Created if missing.");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain for TLS.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key for TLS.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA bundle; when set, clients must present a certificate it "
          "signed (mutual TLS).");
ABSL_FLAG(bool, insecure, false,
          "Allow a non-loopback --listen address without TLS.");
ABSL_FLAG(bool, rebuild, false,
          "Drop every projection and replay the whole event log before "
          "serving.");
ABSL_FLAG(std::string, backup_dir, "",
          "Where BureauService.CreateBackup (`baoxue bureau backup`) writes "
          "its timestamped backups. Empty refuses backups. Must not be the "
          "data directory or inside it.");
ABSL_FLAG(std::string, restore_from, "",
          "Restore the backup directory DIR into --data_dir (which must be "
          "missing or empty), verify it, report and exit without serving.");
ABSL_FLAG(std::string, log_level, "info",
          "Least severe messages to print: debug, info, warning or error. "
          "debug adds one line per call (method, account, status); never "
          "tokens or ID numbers.");
ABSL_FLAG(int, max_message_bytes, 16 << 20,
          "Largest request message accepted; larger ones are refused with "
          "RESOURCE_EXHAUSTED.");
ABSL_FLAG(int, max_string_bytes, 4096,
          "Longest string field of any request, in bytes; longer ones are "
          "refused with INVALID_ARGUMENT naming the field.");
ABSL_FLAG(int, max_calls_per_account, 32,
          "Calls one account may have in flight at once; more are refused "
          "with RESOURCE_EXHAUSTED.");
ABSL_FLAG(std::string, lang, "zh",
          "Language of the server's own messages: zh or en.");
ABSL_FLAG(std::string, simulated_time, "",
          "YYYY-MM-DD: run in simulated time. The county clock starts at "
          "midnight of that day (or at the last clock tick of the data "
          "directory, if later) and moves only when a bureau account calls "
          "BureauService.AdvanceClock (the demo county uses this).");

namespace {

baoxue::Lang g_lang = baoxue::Lang::kZh;
// Informational lines are printed only at --log_level=info; errors always.
bool g_info = true;

void Say(absl::string_view zh, absl::string_view en) {
  std::cerr << (g_lang == baoxue::Lang::kZh ? zh : en) << std::endl;
}

void Info(absl::string_view zh, absl::string_view en) {
  if (g_info) Say(zh, en);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "baoxue-server: the Baoxue (保学) dropout-control service.\n"
      "Example: baoxue-server --data_dir=./data --listen=127.0.0.1:7070");
  absl::ParseCommandLine(argc, argv);
  g_lang = absl::GetFlag(FLAGS_lang) == "en" ? baoxue::Lang::kEn
                                             : baoxue::Lang::kZh;
  std::string level = absl::GetFlag(FLAGS_log_level);
  if (level != "debug" && level != "info" && level != "warning" &&
      level != "error") {
    Say("--log_level 只能是 debug、info、warning 或 error",
        "--log_level must be debug, info, warning or error");
    return 1;
  }
  g_info = level == "info" || level == "debug";
  if (absl::GetFlag(FLAGS_max_message_bytes) < 1024 ||
      absl::GetFlag(FLAGS_max_string_bytes) < 64 ||
      absl::GetFlag(FLAGS_max_calls_per_account) < 1) {
    Say("--max_message_bytes 至少 1024，--max_string_bytes 至少 64，"
        "--max_calls_per_account 至少 1",
        "--max_message_bytes must be at least 1024, --max_string_bytes at "
        "least 64 and --max_calls_per_account at least 1");
    return 1;
  }

  if (!absl::GetFlag(FLAGS_restore_from).empty()) {
    std::string from = absl::GetFlag(FLAGS_restore_from);
    std::string to = absl::GetFlag(FLAGS_data_dir);
    Info(absl::StrCat("正在把备份 ", from, " 恢复到 ", to, " 并校验……"),
         absl::StrCat("restoring the backup ", from, " into ", to,
                      " and verifying it..."));
    auto report = baoxue::services::RestoreBackup(from, to);
    if (!report.ok()) {
      std::string message = baoxue::MessageIn(report.status(), g_lang);
      Say(absl::StrCat("恢复失败：", message),
          absl::StrCat("restore failed: ", message));
      return 1;
    }
    std::cout << baoxue::services::DescribeRestore(*report, to, g_lang);
    return 0;
  }

  // Signals are taken by sigwait below, on this thread, so no other thread
  // (gRPC's, RocksDB's) is interrupted by them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  baoxue::services::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca);
  options.insecure = absl::GetFlag(FLAGS_insecure);
  options.rebuild = absl::GetFlag(FLAGS_rebuild);
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  options.limits.max_receive_message_bytes =
      absl::GetFlag(FLAGS_max_message_bytes);
  options.limits.max_string_bytes = absl::GetFlag(FLAGS_max_string_bytes);
  options.limits.max_calls_per_account =
      absl::GetFlag(FLAGS_max_calls_per_account);
  if (level == "debug") {
    options.debug_log = [](const std::string& line) {
      static absl::Mutex mu(absl::kConstInit);
      absl::MutexLock lock(&mu);
      std::cerr << line << std::endl;
    };
  }
  std::string simulated = absl::GetFlag(FLAGS_simulated_time);
  if (!simulated.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(simulated, &day)) {
      Say(absl::StrCat("--simulated_time：", simulated,
                       " 不是 YYYY-MM-DD 形式的日期"),
          absl::StrCat("--simulated_time: ", simulated,
                       " is not a date YYYY-MM-DD"));
      return 1;
    }
    options.simulated_start = day;
  }
  if (options.rebuild) {
    Info("正在重建全部投影（重放事件日志）……",
        "rebuilding every projection (replaying the event log)...");
  }

  auto server = baoxue::services::Server::Start(options);
  if (!server.ok()) {
    std::string message = baoxue::MessageIn(server.status(), g_lang);
    Say(absl::StrCat("baoxue-server 无法启动：", message),
        absl::StrCat("baoxue-server cannot start: ", message));
    return 1;
  }
  std::string address = options.listen.substr(0, options.listen.rfind(':') + 1) +
                        std::to_string((*server)->port());
  std::string token_note =
      (*server)->created_first_account()
          ? absl::StrCat((*server)->token_file())
          : absl::StrCat((*server)->token_file(),
                         g_lang == baoxue::Lang::kZh ? "（首次启动时创建）"
                                                     : " (created at first start)");
  Info(absl::StrCat("baoxue-server ", BAOXUE_VERSION, " 已启动：监听 ", address,
                   "，数据目录 ", options.data_dir, "，教育局管理员令牌在 ",
                   token_note),
      absl::StrCat("baoxue-server ", BAOXUE_VERSION, " started: listening on ",
                   address, ", data directory ", options.data_dir,
                   ", bureau admin token in ", token_note));

  if (auto* clock = (*server)->simulated_clock(); clock != nullptr) {
    std::string now = absl::FormatTime("%Y-%m-%d %H:%M", clock->Now(),
                                       baoxue::services::CountyTimeZone());
    Info(absl::StrCat("模拟时间：县时钟现在是 ", now,
                      "，只在教育局调用 AdvanceClock 时前进"),
         absl::StrCat("simulated time: the county clock is at ", now,
                      " and moves only when the bureau calls AdvanceClock"));
  }

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Info("收到停止信号，正在停止……", "stopping on signal...");
  (*server)->Shutdown();
  server->reset();
  Info("baoxue-server 已停止。", "baoxue-server stopped.");
  return 0;
}
