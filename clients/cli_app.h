// The client's top level, independent of which commands exist: splits the
// command line, finds the command in the registry, shows help, reports
// usage errors, resolves the options and runs the handler.
#ifndef BAOXUE_CLIENTS_CLI_APP_H_
#define BAOXUE_CLIENTS_CLI_APP_H_

#include <ostream>
#include <string>
#include <vector>

#include "clients/cli_options.h"
#include "clients/cli_registry.h"

namespace baoxue::clients {

// Runs one command line (`args` is argv without the program name) and
// returns the exit code (see cli_status.h). Help goes to `out`; usage
// errors and failures to `err`.
int RunCli(const CommandRegistry& registry,
           const std::vector<std::string>& args, const Environment& env,
           std::ostream& out, std::ostream& err);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_APP_H_
