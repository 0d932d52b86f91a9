// Help screens for the root, a group and a command, in the chosen
// language, built from the registry so that every command documents itself.
#ifndef BAOXUE_CLIENTS_CLI_HELP_H_
#define BAOXUE_CLIENTS_CLI_HELP_H_

#include <string>

#include "absl/strings/string_view.h"
#include "clients/cli_registry.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

// Help for group `path` ("" is the root: also lists the global options).
std::string GroupHelp(const CommandRegistry& registry, absl::string_view path,
                      Lang lang);

// Help for one command: usage line, details, options, examples.
std::string CommandHelp(const CommandSpec& command, Lang lang);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_HELP_H_
