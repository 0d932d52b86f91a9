#include "clients/commands.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli_output.h"
#include "clients/labels.h"

namespace baoxue::clients {

void RegisterAllCommands(CommandRegistry* registry) {
  registry->SetRoot(
      {"保学（控辍保学）命令行客户端", "the Baoxue (控辍保学, dropout "
                                     "control) command-line client"},
      {"baoxue --token_file ./data/bureau-admin.token bureau status",
       "baoxue --token_file ./data/bureau-admin.token bureau accounts create "
       "--id xz-school-01 --name 浔中中心小学 --role school --school "
       "350526-xz-01",
       "baoxue --lang en --token_file ~/xz-school-01.token school whoami"});
  RegisterSchoolCommands(registry);
  RegisterTownshipCommands(registry);
  RegisterBureauCommands(registry);
}

std::string NewRequestId() {
  std::random_device random;  // The kernel's CSPRNG on Linux.
  std::string id = "cli-";
  for (int i = 0; i < 4; ++i) absl::StrAppendFormat(&id, "%08x", random());
  return id;
}

std::vector<std::pair<std::string, std::string>> AccountFields(
    const v1::Account& account, Lang lang) {
  bool en = lang == Lang::kEn;
  std::vector<std::pair<std::string, std::string>> fields = {
      {en ? "Account" : "账号", account.account_id()},
      {en ? "Name" : "名称", account.display_name()},
      {en ? "Role" : "角色", RoleLabel(account.role(), lang)},
  };
  if (!account.school_id().empty()) {
    fields.emplace_back(en ? "School" : "学校", account.school_id());
  }
  if (!account.township_code().empty()) {
    fields.emplace_back(en ? "Township" : "乡镇", account.township_code());
  }
  fields.emplace_back(en ? "Status" : "状态", AccountStateLabel(account, lang));
  fields.emplace_back(en ? "Created" : "创建时间",
                      FormatTimestamp(account.create_time()));
  if (!account.created_by().empty()) {
    fields.emplace_back(en ? "Created by" : "创建者", account.created_by());
  }
  return fields;
}

}  // namespace baoxue::clients
