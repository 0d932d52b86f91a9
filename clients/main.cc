// baoxue: the Baoxue (保学) command-line client. See `baoxue --help`.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "clients/cli_app.h"
#include "clients/cli_options.h"
#include "clients/cli_registry.h"
#include "clients/commands.h"

extern char** environ;

int main(int argc, char** argv) {
  // gRPC's own log lines would clutter a command's output; its status
  // messages still reach the user through the client's error lines.
  setenv("GRPC_VERBOSITY", "NONE", /*overwrite=*/0);

  baoxue::clients::Environment env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string pair = *entry;
    size_t eq = pair.find('=');
    if (eq != std::string::npos) env[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  baoxue::clients::CommandRegistry registry;
  baoxue::clients::RegisterAllCommands(&registry);
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = baoxue::clients::RunCli(registry, args, env, std::cout, std::cerr);
  std::cout.flush();
  return code;
}
