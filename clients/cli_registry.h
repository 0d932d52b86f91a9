// The table of the client's commands. Each command has a path of words
// ("bureau accounts create"), help in both languages with a real example,
// its flags and a handler; groups ("bureau", "bureau accounts") carry a
// summary and are listed in help with their children in registration order.
//
// A later issue adds a command with one AddCommand() call in the
// commands_<group>.cc that owns its group:
//
//   registry->AddCommand({
//       .path = "school cases list",
//       .summary = {"列出本校的案件", "list the school's cases"},
//       .examples = {"baoxue school cases list --state open"},
//       .flags = {{.name = "state", .value_name = "STATE", .help = {...}}},
//       .run = [](CliContext& ctx, const FlagValues& flags) { ... },
//   });
#ifndef BAOXUE_CLIENTS_CLI_REGISTRY_H_
#define BAOXUE_CLIENTS_CLI_REGISTRY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clients/cli_args.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

class CliContext;

// Runs a command; returns the process exit code (see cli_status.h).
using CommandHandler =
    std::function<int(CliContext& context, const FlagValues& flags)>;

struct CommandSpec {
  std::string path;  // Words separated by single spaces.
  Text summary;      // One line, for listings.
  Text details;      // Optional paragraphs for the command's own help.
  std::vector<std::string> examples;  // Full command lines that work.
  std::vector<FlagSpec> flags;
  CommandHandler run;
  // Optional: the name of one of `flags` that may also be given as a single
  // word right after the command, so `bureau ledger dropout` reads as
  // `bureau ledger --ledger dropout`.
  std::string positional = "";
};

struct GroupSpec {
  std::string path;  // "" is the root.
  Text summary;
  std::vector<std::string> examples;
};

// Not thread-safe; filled once at start-up, then only read.
class CommandRegistry {
 public:
  // Registers a group. Its parent group must already be registered (the
  // root always is).
  void AddGroup(GroupSpec group);
  // Sets the summary and examples of the root ("baoxue --help").
  void SetRoot(Text summary, std::vector<std::string> examples);
  // Registers a command. Its group must already be registered.
  void AddCommand(CommandSpec command);

  // Exact look-ups by path; nullptr if absent.
  const CommandSpec* FindCommand(absl::string_view path) const;
  const GroupSpec* FindGroup(absl::string_view path) const;

  // The entries directly under group `path`, in registration order.
  std::vector<const GroupSpec*> SubGroups(absl::string_view path) const;
  std::vector<const CommandSpec*> Commands(absl::string_view path) const;

  // Every command, in registration order.
  const std::vector<CommandSpec>& all_commands() const { return commands_; }

 private:
  std::vector<GroupSpec> groups_ = {GroupSpec{}};
  std::vector<CommandSpec> commands_;
};

// The parent of a path: "bureau accounts" -> "bureau", "bureau" -> "".
std::string ParentPath(absl::string_view path);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_REGISTRY_H_
