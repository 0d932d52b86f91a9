#include "clients/cli_app.h"

#include "absl/strings/str_cat.h"
#include "clients/cli_args.h"
#include "clients/cli_context.h"
#include "clients/cli_help.h"
#include "clients/cli_status.h"

namespace baoxue::clients {
namespace {

// Where the words of a command line lead.
struct Target {
  std::string group;                   // The deepest group reached.
  const CommandSpec* command = nullptr;  // Set if the words name a command.
  std::vector<std::string> extra;      // Words after the command.
  std::string unknown;                 // The first word that matches nothing.
};

Target Resolve(const CommandRegistry& registry,
               const std::vector<std::string>& words) {
  Target target;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string path = target.group.empty()
                           ? words[i]
                           : absl::StrCat(target.group, " ", words[i]);
    if (const CommandSpec* command = registry.FindCommand(path)) {
      target.command = command;
      target.extra.assign(words.begin() + i + 1, words.end());
      return target;
    }
    if (registry.FindGroup(path) == nullptr) {
      target.unknown = path;
      return target;
    }
    target.group = path;
  }
  return target;
}

int Usage(Lang lang, std::ostream& err, const Text& message,
          absl::string_view help_path) {
  bool en = lang == Lang::kEn;
  std::string prefix =
      help_path.empty() ? "baoxue" : absl::StrCat("baoxue ", help_path);
  err << ErrorLine(lang, message.In(lang)) << "\n"
      << (en ? absl::StrCat("Run \"", prefix, " --help\" for usage.")
             : absl::StrCat("用“", prefix, " --help”查看用法。"))
      << "\n";
  return kExitUsage;
}

}  // namespace

int RunCli(const CommandRegistry& registry,
           const std::vector<std::string>& args, const Environment& env,
           std::ostream& out, std::ostream& err) {
  SplitResult split;
  Text error;
  if (!SplitArgs(args, GlobalFlagSpecs(), &split, &error)) {
    return Usage(ResolveLang(split.globals, env), err, error, "");
  }
  Lang lang = ResolveLang(split.globals, env);

  std::vector<std::string> words = split.words;
  bool help = split.globals.GetBool("help");
  if (!words.empty() && words[0] == "help") {
    help = true;
    words.erase(words.begin());
  }
  Target target = Resolve(registry, words);
  if (!target.unknown.empty()) {
    return Usage(lang, err,
                 {absl::StrCat("未知命令“", target.unknown, "”"),
                  absl::StrCat("unknown command \"", target.unknown, "\"")},
                 target.group);
  }
  if (help) {
    out << (target.command != nullptr
                ? CommandHelp(*target.command, lang)
                : GroupHelp(registry, target.group, lang));
    return kExitOk;
  }
  if (target.command == nullptr) {
    // A group without a command: show what it offers, as an error.
    if (!split.rest.empty()) {
      return Usage(lang, err,
                   {absl::StrCat("未知选项 ", split.rest[0]),
                    absl::StrCat("unknown option ", split.rest[0])},
                   target.group);
    }
    err << ErrorLine(lang, lang == Lang::kEn ? "missing command" : "缺少命令")
        << "\n\n"
        << GroupHelp(registry, target.group, lang);
    return kExitUsage;
  }

  const CommandSpec& command = *target.command;
  std::vector<std::string> rest = target.extra;
  if (!command.positional.empty() && !rest.empty()) {
    // `bureau ledger dropout`: the word is the positional flag's value.
    rest.insert(rest.begin(), absl::StrCat("--", command.positional));
  }
  rest.insert(rest.end(), split.rest.begin(), split.rest.end());
  FlagValues flags;
  if (!ParseFlags(rest, command.flags, &flags, &error)) {
    return Usage(lang, err,
                 {absl::StrCat(error.zh, "（baoxue ", command.path, "）"),
                  absl::StrCat(error.en, " (baoxue ", command.path, ")")},
                 command.path);
  }
  CliOptions options;
  if (!ResolveOptions(split.globals, env, &options, &error)) {
    return Usage(lang, err, error, command.path);
  }
  CliContext context(std::move(options), out, err);
  return command.run(context, flags);
}

}  // namespace baoxue::clients
