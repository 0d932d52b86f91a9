// Fixtures for end-to-end tests of the real binaries: a temporary
// directory, a `baoxue-server` child process on a free loopback port with
// its own data directory, and a runner for the `baoxue` client that captures
// what it prints and its exit code.
//
// The binaries' paths come from the compile definitions BAOXUE_SERVER_BIN
// and BAOXUE_CLI_BIN (see tests/e2e/CMakeLists.txt).
#ifndef BAOXUE_TESTS_E2E_SERVER_FIXTURE_H_
#define BAOXUE_TESTS_E2E_SERVER_FIXTURE_H_

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace baoxue::e2e {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on
// destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What one run of a program printed, and how it ended.
struct RunResult {
  // The exit code; 128 + N if it was killed by signal N; -1 if it could
  // not be started.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `binary` with `args` and exactly the environment `env` (in the
// current directory), capturing its output in files under `dir`; kills it
// after `timeout_s` seconds.
RunResult RunProgram(const std::string& binary,
                     const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env,
                     const std::string& dir, int timeout_s = 60);

// A program running in the background (e.g. `baoxue bureau watch`) whose
// standard output the test reads line by line as it arrives, through a
// pipe; its standard error goes to a file. Not thread-safe.
class BackgroundProgram {
 public:
  // Starts `binary` with `args` and exactly the environment `env`. On
  // failure returns null and sets *error.
  static std::unique_ptr<BackgroundProgram> Start(
      const std::string& binary, const std::vector<std::string>& args,
      const std::map<std::string, std::string>& env, const std::string& dir,
      std::string* error);

  // Kills the program if it is still running.
  ~BackgroundProgram();

  // Reads standard output until a whole line for which `match` is true
  // arrives, and returns true with it in *line (lines before it are
  // skipped). Returns false if `timeout` passes or the output ends first.
  bool ReadLineUntil(const std::function<bool(const std::string&)>& match,
                     std::chrono::milliseconds timeout, std::string* line);

  // Sends `signal`, waits (bounded) for the program to exit and returns how
  // it ended: the exit code, the standard output not yet read, and all of
  // its standard error.
  RunResult Stop(int signal = SIGINT);

 private:
  BackgroundProgram() = default;

  pid_t pid_ = -1;
  int out_fd_ = -1;
  bool stopped_ = false;
  std::string buffer_;  // Output read but not yet returned.
  std::string err_path_;
};

// A running baoxue-server. Not thread-safe.
class ServerProcess {
 public:
  // Starts the server with `--listen=127.0.0.1:0 --data_dir=<data_dir>`
  // (plus `extra_args`), its stderr going to <log_dir>/server-N.log, and
  // waits (bounded) for its start-up line, from which it reads the port.
  // On failure returns null and sets *error (with the server's output).
  // `extra_env` is added to the server's (otherwise minimal) environment.
  static std::unique_ptr<ServerProcess> Start(
      const std::string& data_dir, const std::string& log_dir,
      std::string* error, const std::vector<std::string>& extra_args = {},
      const std::map<std::string, std::string>& extra_env = {});

  // Starts the server as Start() does but returns at once, without waiting
  // for it to listen: for killing it while it starts (port() is 0).
  static std::unique_ptr<ServerProcess> Launch(
      const std::string& data_dir, const std::string& log_dir,
      std::string* error, const std::vector<std::string>& extra_args = {},
      const std::map<std::string, std::string>& extra_env = {});

  // Kills the server if it is still running.
  ~ServerProcess();

  // Sends `signal` and waits (bounded) for the server to exit; returns its
  // exit code as RunResult::exit_code does. Later calls return the same.
  int Stop(int signal = SIGTERM);

  int port() const { return port_; }
  // The server's process id (its /proc entry tells its memory).
  pid_t pid() const { return pid_; }
  // "127.0.0.1:<port>".
  std::string address() const;
  // The bureau administrator's token file in the data directory.
  const std::string& token_file() const { return token_file_; }
  // The token in token_file().
  std::string ReadToken() const;
  // Everything the server has printed on stderr so far.
  std::string Log() const;

 private:
  ServerProcess() = default;

  pid_t pid_ = -1;
  int exit_code_ = -1;
  bool stopped_ = false;
  int port_ = 0;
  std::string log_path_;
  std::string token_file_;
};

// "exit N", stdout and stderr of a run, for failure messages.
std::string DescribeRun(const RunResult& run);

// A valid 18-character ID number of a child of 350526 (德化县) born on
// year-month-day, with the GB 11643 check character; an odd `seq` is a boy.
std::string ChildIdNumber(int year, int month, int day, int seq);

// A free loopback TCP port with nothing listening on it (bound, then
// closed), for "server unreachable" tests.
int ClosedPort();

// Base for tests that talk to a fresh server: SetUp() starts one on an
// empty data directory; Cli() runs the client against it.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs `baoxue --server <address> args...` with HOME set to an empty
  // directory (so no user config applies), no BAOXUE_* variables other than
  // those in `env`, and `env` added.
  RunResult Cli(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env = {});
  // Cli() as the bureau administrator (--token_file).
  RunResult BureauCli(const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env = {});
  // Starts `baoxue --server <address> args...` in the background, with the
  // environment Cli() gives it. Fails the test (and returns null) if it
  // cannot be started.
  std::unique_ptr<BackgroundProgram> StartCli(
      const std::vector<std::string>& args,
      const std::map<std::string, std::string>& env = {});
  // Runs the client with exactly `args` and `env` (plus PATH and the empty
  // HOME): no --server is added.
  RunResult RawCli(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {});

  // Stops the server with SIGTERM (expecting exit code 0) and starts it
  // again on the same data directory.
  void RestartServer();

  // Sets the county up through the client, as the bureau, the way a new
  // county starts: 德化县 (350526); 浔中镇 (350526100) with its villages
  // 城东社区 (350526100001) and 城西社区 (350526100002); and the primary
  // school xunzhong-primary (浔中中心小学, grades 1-6). Accounts for a
  // school or township need these to exist. Fails the test if a command
  // fails.
  void SeedCounty();
  // Creates a primary school of 浔中镇 through the client (once per id;
  // later calls with the same id do nothing).
  void EnsureSchool(const std::string& school_id,
                    const std::string& name = "浔中中心小学");

  // What SetUp() and RestartServer() add to the server's command line and
  // environment; tests override them.
  virtual std::vector<std::string> ServerArgs() const { return {}; }
  virtual std::map<std::string, std::string> ServerEnv() const { return {}; }

  ServerProcess& server() { return *server_; }
  // A directory of the test's own, next to the data directory.
  const std::string& run_dir() const { return run_dir_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& home_dir() const { return home_dir_; }

 private:
  // PATH, the empty HOME, and `env`.
  std::map<std::string, std::string> CliEnvironment(
      const std::map<std::string, std::string>& env) const;

  TempDir temp_;
  std::string data_dir_;
  std::string home_dir_;
  std::string run_dir_;
  std::unique_ptr<ServerProcess> server_;
  std::vector<std::string> schools_;
};

}  // namespace baoxue::e2e

#endif  // BAOXUE_TESTS_E2E_SERVER_FIXTURE_H_
