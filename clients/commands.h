// The commands of the `baoxue` client, one registration function per group
// (each in commands_<group>.cc), and the helpers they share.
//
// To add a command: write its handler in the commands_<group>.cc of the
// people who use it and add one registry->AddCommand({...}) call in that
// file's Register function (with help in both languages and a real
// example); a new group also needs registry->AddGroup({...}) and, for a new
// file, a line in RegisterAllCommands() and in clients/CMakeLists.txt.
#ifndef BAOXUE_CLIENTS_COMMANDS_H_
#define BAOXUE_CLIENTS_COMMANDS_H_

#include <string>
#include <utility>
#include <vector>

#include "baoxue/v1/common.pb.h"
#include "clients/cli_registry.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

void RegisterBureauCommands(CommandRegistry* registry);
void RegisterSchoolCommands(CommandRegistry* registry);
void RegisterTownshipCommands(CommandRegistry* registry);

// All of the above.
void RegisterAllCommands(CommandRegistry* registry);

// A fresh idempotency key for a mutating call, "cli-" and 32 hex digits.
std::string NewRequestId();

// An account as label/value pairs for RenderFields(): id, name, role, its
// school or township, state, creation time and creator.
std::vector<std::pair<std::string, std::string>> AccountFields(
    const v1::Account& account, Lang lang);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_COMMANDS_H_
