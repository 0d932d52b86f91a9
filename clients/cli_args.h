// Command-line parsing for the `baoxue` client.
//
// A command line is: global options, the command's words, the command's
// own flags; global options may also appear anywhere after the words:
//
//   baoxue --lang en bureau accounts list --page_size 20 --json
//          ^global   ^words                ^command flag  ^global
//
// Parsing is in two steps because a command flag's arity is only known once
// the words have named the command: SplitArgs() takes out the global
// options and the words, and ParseFlags() then reads the rest against the
// command's FlagSpecs. Flags are written `--name value` or `--name=value`;
// a boolean flag takes no value (`--all`), or `--all=true|false`.
#ifndef BAOXUE_CLIENTS_CLI_ARGS_H_
#define BAOXUE_CLIENTS_CLI_ARGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

// How a flag takes its value.
enum class FlagKind { kString, kInt, kBool };

// One flag a command (or the client as a whole) understands.
struct FlagSpec {
  std::string name;        // Without dashes: "page_size".
  FlagKind kind = FlagKind::kString;
  std::string value_name;  // Shown in help: "N", "ID"; empty for booleans.
  Text help;
  bool required = false;
  bool hidden = false;     // Accepted but not listed in help.
  // May be given more than once (`--guardian a --guardian b`); read all the
  // values with FlagValues::GetAll().
  bool repeated = false;
};

// The values of the flags given on a command line, already checked against
// their specs (an int flag holds a valid integer).
class FlagValues {
 public:
  bool Has(absl::string_view name) const { return values_.contains(name); }
  // The value, or `fallback` if the flag was not given.
  std::string Get(absl::string_view name,
                  absl::string_view fallback = "") const;
  int64_t GetInt(absl::string_view name, int64_t fallback = 0) const;
  bool GetBool(absl::string_view name) const;

  // Every value of a repeated flag, in command-line order; empty if absent.
  std::vector<std::string> GetAll(absl::string_view name) const;

  void Set(absl::string_view name, absl::string_view value) {
    values_[std::string(name)] = {std::string(value)};
  }
  void Add(absl::string_view name, absl::string_view value) {
    values_[std::string(name)].push_back(std::string(value));
  }

 private:
  absl::flat_hash_map<std::string, std::vector<std::string>> values_;
};

// What SplitArgs() found.
struct SplitResult {
  FlagValues globals;
  // The words before the first command flag: the command path (and, after
  // `help`, the path to explain).
  std::vector<std::string> words;
  // Everything else, in order: the command's flags and their values.
  std::vector<std::string> rest;
};

// Takes the global options (`global_specs`) and the command words out of
// `args` (argv without the program name). Returns false and sets *error on
// a malformed global option (unknown value of a boolean, missing value).
bool SplitArgs(absl::Span<const std::string> args,
               absl::Span<const FlagSpec> global_specs, SplitResult* result,
               Text* error);

// Reads `rest` against `specs`. Fails (with *error naming the flag or word)
// on an unknown flag, a missing or malformed value, a flag given twice
// (unless it is `repeated`), a stray word, or a required flag that is
// missing.
bool ParseFlags(absl::Span<const std::string> rest,
                absl::Span<const FlagSpec> specs, FlagValues* values,
                Text* error);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_ARGS_H_
