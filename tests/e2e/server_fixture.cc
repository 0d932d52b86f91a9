#include "tests/e2e/server_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace baoxue::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A file name prefix unique within this process.
std::string NextName(const std::string& dir, const char* stem) {
  static std::atomic<int> counter{0};
  return dir + "/" + stem + "-" + std::to_string(++counter);
}

// Starts `binary` with stdin from /dev/null and stdout/stderr into the
// given files (stdout into `out_fd` instead, if it is >= 0). Returns the
// pid, or -1 with *error set.
pid_t Spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env,
            const std::string& out_path, const std::string& err_path,
            std::string* error, int out_fd = -1) {
  std::vector<std::string> argv_strings = {binary};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(),
                       envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    *error = "cannot start " + binary + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits up to `timeout` for `pid` to exit. Returns false if it has not.
bool WaitExit(pid_t pid, Clock::duration timeout, int* exit_code) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      *exit_code = ExitCodeOf(status);
      return true;
    }
    if (done < 0 && errno != EINTR) {
      *exit_code = -1;
      return true;
    }
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The port in the server's start-up line ("... 127.0.0.1:<port>..."), or 0
// while the line is incomplete.
int ParsePort(const std::string& log) {
  const std::string marker = "127.0.0.1:";
  size_t at = log.find(marker);
  if (at == std::string::npos) return 0;
  size_t begin = at + marker.size(), end = begin;
  while (end < log.size() && std::isdigit(static_cast<unsigned char>(log[end]))) {
    ++end;
  }
  // Digits at the very end may still be being written.
  if (end == begin || end == log.size()) return 0;
  return std::atoi(log.substr(begin, end - begin).c_str());
}

std::map<std::string, std::string> BaseEnvironment() {
  std::map<std::string, std::string> env;
  const char* path = std::getenv("PATH");
  env["PATH"] = path != nullptr ? path : "/usr/bin:/bin";
  return env;
}

}  // namespace

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
      "/baoxue-e2e-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

RunResult RunProgram(const std::string& binary,
                     const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env,
                     const std::string& dir, int timeout_s) {
  RunResult result;
  std::string name = NextName(dir, "run");
  std::string error;
  pid_t pid = Spawn(binary, args, env, name + ".out", name + ".err", &error);
  if (pid < 0) {
    result.err = error;
    return result;
  }
  if (!WaitExit(pid, std::chrono::seconds(timeout_s), &result.exit_code)) {
    kill(pid, SIGKILL);
    WaitExit(pid, std::chrono::seconds(10), &result.exit_code);
    ADD_FAILURE() << binary << " did not finish within " << timeout_s << " s";
  }
  result.out = ReadWholeFile(name + ".out");
  result.err = ReadWholeFile(name + ".err");
  return result;
}

std::unique_ptr<BackgroundProgram> BackgroundProgram::Start(
    const std::string& binary, const std::vector<std::string>& args,
    const std::map<std::string, std::string>& env, const std::string& dir,
    std::string* error) {
  int fds[2];
  // Close-on-exec: the child gets the write end only as its stdout.
  if (pipe2(fds, O_CLOEXEC) != 0) {
    *error = std::string("pipe2: ") + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<BackgroundProgram> program(new BackgroundProgram());
  program->out_fd_ = fds[0];
  program->err_path_ = NextName(dir, "background") + ".err";
  program->pid_ = Spawn(binary, args, env, "", program->err_path_, error,
                        /*out_fd=*/fds[1]);
  close(fds[1]);
  if (program->pid_ < 0) return nullptr;
  return program;
}

BackgroundProgram::~BackgroundProgram() {
  if (pid_ > 0 && !stopped_) {
    kill(pid_, SIGKILL);
    int ignored;
    WaitExit(pid_, std::chrono::seconds(10), &ignored);
  }
  if (out_fd_ >= 0) close(out_fd_);
}

bool BackgroundProgram::ReadLineUntil(
    const std::function<bool(const std::string&)>& match,
    std::chrono::milliseconds timeout, std::string* line) {
  Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    size_t newline;
    while ((newline = buffer_.find('\n')) != std::string::npos) {
      std::string next = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      if (match(next)) {
        *line = std::move(next);
        return true;
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return false;
    // Blocks until output arrives (or the time is up): no polling loop.
    pollfd fd = {.fd = out_fd_, .events = POLLIN, .revents = 0};
    int ready = poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char chunk[4096];
    ssize_t n = read(out_fd_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // The program closed its output.
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

RunResult BackgroundProgram::Stop(int signal) {
  RunResult result;
  if (!stopped_) {
    stopped_ = true;
    kill(pid_, signal);
    if (!WaitExit(pid_, std::chrono::seconds(30), &result.exit_code)) {
      ADD_FAILURE() << "the background program did not stop within 30 s";
      kill(pid_, SIGKILL);
      WaitExit(pid_, std::chrono::seconds(10), &result.exit_code);
    }
  }
  // The program has exited: its output is complete.
  char chunk[4096];
  ssize_t n;
  while ((n = read(out_fd_, chunk, sizeof(chunk))) > 0) {
    buffer_.append(chunk, static_cast<size_t>(n));
  }
  result.out = std::move(buffer_);
  buffer_.clear();
  result.err = ReadWholeFile(err_path_);
  return result;
}

std::unique_ptr<ServerProcess> ServerProcess::Launch(
    const std::string& data_dir, const std::string& log_dir,
    std::string* error, const std::vector<std::string>& extra_args,
    const std::map<std::string, std::string>& extra_env) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  std::string name = NextName(log_dir, "server");
  server->log_path_ = name + ".log";
  std::vector<std::string> args = {"--listen=127.0.0.1:0",
                                   "--data_dir=" + data_dir};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::map<std::string, std::string> env = BaseEnvironment();
  for (const auto& [key, value] : extra_env) env[key] = value;
  server->pid_ = Spawn(BAOXUE_SERVER_BIN, args, env,
                       name + ".out", server->log_path_, error);
  if (server->pid_ < 0) return nullptr;
  return server;
}

std::unique_ptr<ServerProcess> ServerProcess::Start(
    const std::string& data_dir, const std::string& log_dir,
    std::string* error, const std::vector<std::string>& extra_args,
    const std::map<std::string, std::string>& extra_env) {
  std::unique_ptr<ServerProcess> server =
      Launch(data_dir, log_dir, error, extra_args, extra_env);
  if (server == nullptr) return nullptr;

  // Wait for the start-up line, which the server prints once it listens.
  Clock::time_point deadline = Clock::now() + std::chrono::seconds(60);
  while (server->port_ == 0) {
    server->port_ = ParsePort(server->Log());
    if (server->port_ != 0) break;
    int exit_code = 0;
    if (WaitExit(server->pid_, std::chrono::milliseconds(0), &exit_code)) {
      server->stopped_ = true;
      server->exit_code_ = exit_code;
      *error = "baoxue-server exited with code " + std::to_string(exit_code) +
               " before listening:\n" + server->Log();
      return nullptr;
    }
    if (Clock::now() >= deadline) {
      *error = "baoxue-server did not start within 60 s:\n" + server->Log();
      return nullptr;  // The destructor kills it.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (const auto& entry : fs::directory_iterator(data_dir)) {
    if (entry.path().filename().string().find("token") != std::string::npos) {
      server->token_file_ = entry.path().string();
    }
  }
  if (server->token_file_.empty()) {
    *error = "no *token* file in " + data_dir;
    return nullptr;
  }
  return server;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0 && !stopped_) {
    kill(pid_, SIGKILL);
    int ignored;
    WaitExit(pid_, std::chrono::seconds(10), &ignored);
  }
}

int ServerProcess::Stop(int signal) {
  if (stopped_) return exit_code_;
  stopped_ = true;
  kill(pid_, signal);
  if (!WaitExit(pid_, std::chrono::seconds(60), &exit_code_)) {
    ADD_FAILURE() << "baoxue-server did not stop within 60 s:\n" << Log();
    kill(pid_, SIGKILL);
    WaitExit(pid_, std::chrono::seconds(10), &exit_code_);
  }
  return exit_code_;
}

std::string ServerProcess::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

std::string ServerProcess::ReadToken() const {
  std::string token = ReadWholeFile(token_file_);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  return token;
}

std::string ServerProcess::Log() const { return ReadWholeFile(log_path_); }

std::string DescribeRun(const RunResult& run) {
  return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out +
         "\nstderr:\n" + run.err;
}

std::string ChildIdNumber(int year, int month, int day, int seq) {
  char s17[18];
  std::snprintf(s17, sizeof(s17), "350526%04d%02d%02d%03d", year, month, day,
                seq % 1000);
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3,
                                 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s17[i] - '0') * kWeights[i];
  return std::string(s17, 17) + "10X98765432"[sum % 11];
}

int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (fd >= 0 &&
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  if (fd >= 0) close(fd);
  return port;
}

void ServerTest::SetUp() {
  data_dir_ = temp_.path() + "/data";
  home_dir_ = temp_.path() + "/home";
  run_dir_ = temp_.path() + "/run";
  fs::create_directories(home_dir_);
  fs::create_directories(run_dir_);
  std::string error;
  server_ = ServerProcess::Start(data_dir_, run_dir_, &error, ServerArgs(),
                                 ServerEnv());
  ASSERT_NE(server_, nullptr) << error;
}

void ServerTest::TearDown() {
  if (server_ != nullptr) server_->Stop(SIGTERM);
}

std::map<std::string, std::string> ServerTest::CliEnvironment(
    const std::map<std::string, std::string>& env) const {
  std::map<std::string, std::string> full = BaseEnvironment();
  full["HOME"] = home_dir_;
  for (const auto& [key, value] : env) full[key] = value;
  return full;
}

RunResult ServerTest::RawCli(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env) {
  return RunProgram(BAOXUE_CLI_BIN, args, CliEnvironment(env), run_dir_);
}

std::unique_ptr<BackgroundProgram> ServerTest::StartCli(
    const std::vector<std::string>& args,
    const std::map<std::string, std::string>& env) {
  std::vector<std::string> full = {"--server", server_->address()};
  full.insert(full.end(), args.begin(), args.end());
  std::string error;
  std::unique_ptr<BackgroundProgram> program = BackgroundProgram::Start(
      BAOXUE_CLI_BIN, full, CliEnvironment(env), run_dir_, &error);
  EXPECT_NE(program, nullptr) << error;
  return program;
}

RunResult ServerTest::Cli(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env) {
  std::vector<std::string> full = {"--server", server_->address()};
  full.insert(full.end(), args.begin(), args.end());
  return RawCli(full, env);
}

RunResult ServerTest::BureauCli(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env) {
  std::vector<std::string> full = {"--token_file", server_->token_file()};
  full.insert(full.end(), args.begin(), args.end());
  return Cli(full, env);
}

void ServerTest::SeedCounty() {
  const std::vector<std::vector<std::string>> commands = {
      {"bureau", "county", "set", "--code", "350526", "--name", "德化县"},
      {"bureau", "townships", "create", "--code", "350526100", "--name",
       "浔中镇"},
      {"bureau", "villages", "create", "--code", "350526100001", "--name",
       "城东社区"},
      {"bureau", "villages", "create", "--code", "350526100002", "--name",
       "城西社区"},
  };
  for (const auto& command : commands) {
    RunResult run = BureauCli(command);
    ASSERT_EQ(run.exit_code, 0) << command[1] << " " << command[2] << "\n"
                                << run.out << run.err;
  }
  EnsureSchool("xunzhong-primary");
}

void ServerTest::EnsureSchool(const std::string& school_id,
                              const std::string& name) {
  for (const std::string& known : schools_) {
    if (known == school_id) return;
  }
  RunResult run = BureauCli({"bureau", "schools", "create", "--id", school_id,
                             "--name", name, "--township", "350526100",
                             "--kind", "primary", "--grades", "1-6"});
  ASSERT_EQ(run.exit_code, 0) << "schools create " << school_id << "\n"
                              << run.out << run.err;
  schools_.push_back(school_id);
}

void ServerTest::RestartServer() {
  ASSERT_EQ(server_->Stop(SIGTERM), 0) << server_->Log();
  std::string error;
  server_ = ServerProcess::Start(data_dir_, run_dir_, &error, ServerArgs(),
                                 ServerEnv());
  ASSERT_NE(server_, nullptr) << error;
}

}  // namespace baoxue::e2e
