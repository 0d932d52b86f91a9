#include "clients/cli_help.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli_options.h"
#include "clients/table.h"

namespace baoxue::clients {
namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;

// Two indented columns, the second lined up.
std::string Columns(const Rows& rows) {
  int width = 0;
  for (const auto& row : rows) width = std::max(width, DisplayWidth(row.first));
  std::string out;
  for (const auto& [left, right] : rows) {
    absl::StrAppend(&out, "  ", left);
    out.append(width - DisplayWidth(left) + 3, ' ');
    absl::StrAppend(&out, right, "\n");
  }
  return out;
}

std::string FlagUsage(const FlagSpec& flag) {
  return flag.kind == FlagKind::kBool
             ? absl::StrCat("--", flag.name)
             : absl::StrCat("--", flag.name, " ", flag.value_name,
                            flag.repeated ? "..." : "");
}

Rows FlagRows(const std::vector<FlagSpec>& flags, Lang lang) {
  Rows rows;
  for (const FlagSpec& flag : flags) {
    if (flag.hidden) continue;
    std::string help = flag.help.In(lang);
    if (flag.required) {
      absl::StrAppend(&help, lang == Lang::kEn ? " (required)" : "（必填）");
    }
    rows.emplace_back(FlagUsage(flag), help);
  }
  return rows;
}

std::string Examples(const std::vector<std::string>& examples, Lang lang) {
  if (examples.empty()) return "";
  std::string out = lang == Lang::kEn ? "\nExamples:\n" : "\n示例：\n";
  for (const std::string& example : examples) {
    absl::StrAppend(&out, "  ", example, "\n");
  }
  return out;
}

// The last word of a path: "bureau accounts" -> "accounts".
std::string LastWord(const std::string& path) {
  size_t space = path.rfind(' ');
  return space == std::string::npos ? path : path.substr(space + 1);
}

}  // namespace

std::string GroupHelp(const CommandRegistry& registry, absl::string_view path,
                      Lang lang) {
  bool en = lang == Lang::kEn;
  const GroupSpec* group = registry.FindGroup(path);
  std::string prefix = path.empty() ? "baoxue" : absl::StrCat("baoxue ", path);
  std::string out;
  if (group != nullptr && !group->summary.In(lang).empty()) {
    absl::StrAppend(&out, prefix, en ? ": " : "：", group->summary.In(lang),
                    "\n\n");
  }
  absl::StrAppend(&out, en ? "Usage:\n" : "用法：\n", "  ", prefix,
                  path.empty() ? (en ? " [global options]" : " [全局选项]") : "",
                  en ? " <command> [options]\n" : " <命令> [选项]\n");
  Rows rows;
  for (const GroupSpec* sub : registry.SubGroups(path)) {
    rows.emplace_back(LastWord(sub->path), sub->summary.In(lang));
  }
  for (const CommandSpec* command : registry.Commands(path)) {
    rows.emplace_back(LastWord(command->path), command->summary.In(lang));
  }
  if (path.empty()) {
    rows.emplace_back("help", en ? "show help for a command: baoxue help "
                                   "bureau accounts create"
                                 : "显示某个命令的帮助：baoxue help bureau "
                                   "accounts create");
  }
  absl::StrAppend(&out, en ? "\nCommands:\n" : "\n命令：\n", Columns(rows));
  if (path.empty()) {
    absl::StrAppend(&out, en ? "\nGlobal options:\n" : "\n全局选项：\n",
                    Columns(FlagRows(GlobalFlagSpecs(), lang)));
    absl::StrAppend(
        &out,
        en ? "\nThe server address, token file, language and TLS files can "
             "also be set in ~/.config/baoxue/config (`key = value` lines: "
             "server, token_file, lang, tls_ca, tls_cert, tls_key, timeout).\n"
             "Exit codes: 0 success, 1 refused or wrong usage, 2 server "
             "unreachable or failed.\n"
           : "\n服务器地址、令牌文件、语言和 TLS 文件也可写在 "
             "~/.config/baoxue/config（每行“键 = 值”：server、token_file、"
             "lang、tls_ca、tls_cert、tls_key、timeout）。\n"
             "退出码：0 成功；1 请求被拒绝或用法有误；2 无法连接服务器或服务器"
             "出错。\n");
  }
  if (group != nullptr) absl::StrAppend(&out, Examples(group->examples, lang));
  absl::StrAppend(&out, "\n",
                  en ? absl::StrCat("Run \"", prefix,
                                    " <command> --help\" for a command's "
                                    "options.\n")
                     : absl::StrCat("用“", prefix,
                                    " <命令> --help”查看命令的选项。\n"));
  return out;
}

std::string CommandHelp(const CommandSpec& command, Lang lang) {
  bool en = lang == Lang::kEn;
  std::string out = absl::StrCat("baoxue ", command.path, en ? ": " : "：",
                                 command.summary.In(lang), "\n\n");
  std::string usage = absl::StrCat("baoxue ", command.path);
  for (const FlagSpec& flag : command.flags) {
    if (flag.hidden) continue;
    if (flag.name == command.positional) {
      absl::StrAppend(&usage, " [", flag.value_name, "]");
      continue;
    }
    absl::StrAppend(&usage, " ",
                    flag.required ? FlagUsage(flag)
                                  : absl::StrCat("[", FlagUsage(flag), "]"));
  }
  absl::StrAppend(&out, en ? "Usage:\n  " : "用法：\n  ", usage, "\n");
  if (!command.details.In(lang).empty()) {
    absl::StrAppend(&out, "\n", command.details.In(lang), "\n");
  }
  Rows rows = FlagRows(command.flags, lang);
  if (!rows.empty()) {
    absl::StrAppend(&out, en ? "\nOptions:\n" : "\n选项：\n", Columns(rows));
  }
  absl::StrAppend(&out, Examples(command.examples, lang));
  absl::StrAppend(&out, en ? "\nGlobal options (--server, --token_file, "
                             "--lang, --json, ...): baoxue --help\n"
                           : "\n全局选项（--server、--token_file、--lang、"
                             "--json 等）：baoxue --help\n");
  return out;
}

}  // namespace baoxue::clients
