// `baoxue bureau ...`: the county education bureau's commands.
#include <string>

#include "absl/strings/str_cat.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/commands.h"
#include "clients/labels.h"
#include "clients/table.h"

namespace baoxue::clients {
namespace {

int CreateAccount(CliContext& context, const FlagValues& flags) {
  v1::CreateAccountRequest request;
  v1::Account* account = request.mutable_account();
  account->set_account_id(flags.Get("id"));
  account->set_display_name(flags.Get("name"));
  v1::Role role;
  if (!ParseRole(flags.Get("role"), &role)) {
    return context.UsageError(
        {absl::StrCat("--role 只能是 school、township、bureau 或 viewer，而不是“",
                      flags.Get("role"), "”"),
         absl::StrCat("--role must be school, township, bureau or viewer, "
                      "not \"",
                      flags.Get("role"), "\"")});
  }
  account->set_role(role);
  account->set_school_id(flags.Get("school"));
  account->set_township_code(flags.Get("township"));
  std::string request_id =
      flags.Has("request_id") ? flags.Get("request_id") : NewRequestId();
  request.set_request_id(request_id);

  v1::CreateAccountResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->CreateAccount(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue bureau accounts create --id ", flags.Get("id"),
                     " ..."));
  }

  Text replayed = {
      absl::StrCat("此请求（请求编号 ", request_id,
                   "）已处理过。令牌只在第一次应答中显示，无法再次显示；如已遗"
                   "失，请吊销此账号后重新创建。"),
      absl::StrCat("This request (request id ", request_id,
                   ") was already done. The token was shown only in the first "
                   "response and cannot be shown again; if it is lost, revoke "
                   "the account and create a new one.")};
  Text warning = {
      "注意：令牌只显示这一次，请立即妥善保存（例如存入只有本人可读的文件）。"
      "遗失后只能吊销此账号并重新创建。",
      "Note: the token is shown only this once. Store it now (e.g. in a file "
      "only you can read). If it is lost, revoke the account and create a "
      "new one."};
  if (context.json()) {
    context.PrintJson(response);
    context.Note(response.token().empty() ? replayed : warning);
    return kExitOk;
  }
  bool en = context.lang() == Lang::kEn;
  auto fields = AccountFields(response.account(), context.lang());
  fields.emplace_back(en ? "Event sequence" : "事件序号",
                      absl::StrCat(response.sequence()));
  fields.emplace_back(en ? "Request id" : "请求编号", request_id);
  context.out() << context.T("已创建账号：\n", "Account created:\n")
                << RenderFields(fields) << "\n";
  if (response.token().empty()) {
    context.out() << context.T(replayed) << "\n";
  } else {
    context.out() << RenderFields({{en ? "Token" : "令牌", response.token()}})
                  << context.T(warning) << "\n";
  }
  return kExitOk;
}

int ListAccounts(CliContext& context, const FlagValues& flags) {
  bool all = flags.GetBool("all");
  v1::ListAccountsRequest request;
  request.set_page_size(static_cast<int32_t>(flags.GetInt("page_size")));
  request.set_page_token(flags.Get("page_token"));
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::BureauService>();

  v1::ListAccountsResponse listing;
  grpc::Status status = ReadPages(
      context, all, request,
      [&](grpc::ClientContext* call, const v1::ListAccountsRequest& r,
          v1::ListAccountsResponse* page) {
        return stub->ListAccounts(call, r, page);
      },
      [&](v1::ListAccountsResponse& page) {
        for (v1::Account& account : *page.mutable_accounts()) {
          *listing.add_accounts() = std::move(account);
        }
        return true;
      },
      &listing);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(listing);

  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Account", "Name", "Role",
                                                "School", "Township", "Status",
                                                "Created"}
                     : std::vector<std::string>{"账号", "名称", "角色", "学校",
                                                "乡镇", "状态", "创建时间"});
  table.SetMaxWidth(1, 30);
  for (const v1::Account& account : listing.accounts()) {
    table.AddRow({account.account_id(), account.display_name(),
                  RoleLabel(account.role(), lang), account.school_id(),
                  account.township_code(), AccountStateLabel(account, lang),
                  FormatTimestamp(account.create_time())});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", listing.accounts_size(),
                                          " 个账号"),
                             absl::StrCat(listing.accounts_size(),
                                          listing.accounts_size() == 1
                                              ? " account"
                                              : " accounts"))
                << "\n";
  if (!listing.next_page_token().empty()) {
    context.Note({absl::StrCat("还有更多账号：加 --all 显示全部，或用 "
                               "--page_token ",
                               listing.next_page_token(), " 继续"),
                  absl::StrCat("more accounts follow: add --all to list them "
                               "all, or continue with --page_token ",
                               listing.next_page_token())});
  }
  return kExitOk;
}

int RevokeAccount(CliContext& context, const FlagValues& flags) {
  v1::RevokeAccountRequest request;
  request.set_account_id(flags.Get("id"));
  request.set_reason(flags.Get("reason"));
  std::string request_id =
      flags.Has("request_id") ? flags.Get("request_id") : NewRequestId();
  request.set_request_id(request_id);
  v1::RevokeAccountResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->RevokeAccount(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue bureau accounts revoke --id ", flags.Get("id"),
                     " --reason ..."));
  }
  if (context.json()) return context.PrintJson(response);
  context.out() << context.T(
                       absl::StrCat("已吊销账号 ", request.account_id(),
                                    "，其令牌即刻失效（事件序号 ",
                                    response.sequence(), "）"),
                       absl::StrCat("Account ", request.account_id(),
                                    " revoked; its token stops working now "
                                    "(event sequence ",
                                    response.sequence(), ")"))
                << "\n";
  return kExitOk;
}

int SystemStatus(CliContext& context, const FlagValues& flags) {
  v1::GetSystemStatusResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetSystemStatus(
      call.get(), v1::GetSystemStatusRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  bool en = context.lang() == Lang::kEn;
  context.out() << RenderFields({
      {en ? "Server version" : "服务器版本", response.version()},
      {en ? "Last event sequence" : "最新事件序号",
       absl::StrCat(response.last_sequence())},
      {en ? "Worker applied up to" : "后台处理已应用到",
       absl::StrCat(response.worker_applied_sequence())},
      {en ? "Worker lag" : "后台处理积压",
       en ? absl::StrCat(response.worker_lag_events(), " events, ",
                         response.worker_lag_millis(), " ms")
          : absl::StrCat(response.worker_lag_events(), " 个事件，",
                         response.worker_lag_millis(), " 毫秒")},
      {en ? "Keys read from storage" : "存储已读键数",
       absl::StrCat(response.storage_keys_read())},
  });
  return kExitOk;
}

std::vector<std::pair<std::string, std::string>> BackupFields(
    const v1::BackupInfo& backup, bool en) {
  return {
      {en ? "Backup" : "备份", backup.path()},
      {en ? "Last event sequence" : "最新事件序号",
       absl::StrCat(backup.last_sequence())},
      {en ? "Size" : "大小",
       en ? absl::StrCat(backup.size_bytes(), " bytes in ", backup.file_count(),
                         " files")
          : absl::StrCat(backup.size_bytes(), " 字节，", backup.file_count(),
                         " 个文件")},
      {en ? "Taken at" : "备份时间", FormatTimestamp(backup.create_time())},
  };
}

int CreateBackup(CliContext& context, const FlagValues& flags) {
  v1::CreateBackupResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->CreateBackup(
      call.get(), v1::CreateBackupRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  bool en = context.lang() == Lang::kEn;
  auto fields = BackupFields(response.backup(), en);
  fields.emplace_back(en ? "Took" : "用时",
                      en ? absl::StrCat(response.duration_millis(), " ms")
                         : absl::StrCat(response.duration_millis(), " 毫秒"));
  context.out() << context.T("已完成备份：\n", "Backup taken:\n")
                << RenderFields(fields)
                << context.T(
                       absl::StrCat("恢复：baoxue-server --restore_from=",
                                    response.backup().path(),
                                    " --data_dir=新的空目录\n"),
                       absl::StrCat("To restore: baoxue-server --restore_from=",
                                    response.backup().path(),
                                    " --data_dir=NEW_EMPTY_DIR\n"));
  return kExitOk;
}

int ListBackups(CliContext& context, const FlagValues& flags) {
  v1::ListBackupsResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->ListBackups(
      call.get(), v1::ListBackupsRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  bool en = context.lang() == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Backup", "Last sequence",
                                                "Bytes", "Files", "Taken at"}
                     : std::vector<std::string>{"备份", "最新事件序号", "字节",
                                                "文件数", "备份时间"});
  for (const v1::BackupInfo& backup : response.backups()) {
    table.AddRow({backup.name(), absl::StrCat(backup.last_sequence()),
                  absl::StrCat(backup.size_bytes()),
                  absl::StrCat(backup.file_count()),
                  FormatTimestamp(backup.create_time())});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", response.backups_size(),
                                          " 个备份，位于 ", response.backup_dir()),
                             absl::StrCat(response.backups_size(),
                                          response.backups_size() == 1
                                              ? " backup in "
                                              : " backups in ",
                                          response.backup_dir()))
                << "\n";
  return kExitOk;
}

int CountyReporting(CliContext& context, const FlagValues& flags) {
  v1::GetCountyReportingStatusRequest request;
  if (!ReadRangeFlags(context, flags, request.mutable_start_date(),
                      request.mutable_end_date())) {
    return kExitUsage;
  }
  request.set_township_code(flags.Get("township"));
  request.set_min_sequence(context.options().min_sequence);
  v1::GetCountyReportingStatusResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::BureauService>()->GetCountyReportingStatus(
          call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderSchoolsReporting(
      response.schools(), context.lang());
  return kExitOk;
}

int FindStudent(CliContext& context, const FlagValues& flags) {
  v1::FindStudentRequest request;
  request.set_student_id(flags.Get("student_id"));
  request.set_student_number(flags.Get("student_number"));
  request.set_id_number(flags.Get("id_number"));
  int keys = flags.Has("student_id") + flags.Has("student_number") +
             flags.Has("id_number");
  if (keys != 1) {
    return context.UsageError(
        {"请给出且只给出 --student_id、--student_number、--id_number 之一",
         "give exactly one of --student_id, --student_number, --id_number"});
  }
  request.set_min_sequence(context.options().min_sequence);
  v1::FindStudentResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->FindStudent(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  // The bureau sees the full ID number.
  context.out() << RenderFields(
      StudentFields(response.student(), context.lang(), /*mask_id=*/false));
  return kExitOk;
}

}  // namespace

void RegisterBureauCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "bureau",
      .summary = {"县教育局：台账、汇总、销号审批、月报与导出、审计、县域设置、"
                  "账号与上报情况",
                  "county bureau: ledgers, summary, closure approval, monthly "
                  "report and export, audit, the county's set-up, accounts "
                  "and reporting"},
      .examples = {"baoxue --token_file ./data/bureau-admin.token bureau "
                   "accounts list",
                   "baoxue bureau county set --code 350526 --name 德化县",
                   "baoxue bureau reporting --from 2026-09-01 --to today",
                   "baoxue bureau summary",
                   "baoxue bureau ledger dropout",
                   "baoxue bureau monthly --month 2026-11",
                   "baoxue bureau export dropout --out 辍学台账.csv",
                   "baoxue bureau status"},
  });
  RegisterBureauCountyCommands(registry);
  registry->AddGroup({
      .path = "bureau accounts",
      .summary = {"账号与访问令牌：创建、列出、吊销",
                  "accounts and access tokens: create, list, revoke"},
      .examples = {"baoxue bureau accounts create --id xz-school-01 --name "
                   "浔中中心小学 --role school --school 350526-xz-01",
                   "baoxue bureau accounts list --all"},
  });
  registry->AddCommand({
      .path = "bureau accounts create",
      .summary = {"创建账号，并显示其访问令牌（仅此一次）",
                  "create an account and show its access token (only once)"},
      .details =
          {"学校账号须用 --school 绑定学校，乡镇账号须用 --township 绑定 9 位"
           "乡镇代码；教育局账号两者都不带。令牌只在此时显示一次，请立即保存。",
           "A school account needs --school, a township account --township "
           "(the 9-digit township code); bureau accounts take neither. The "
           "token is shown only now: store it."},
      .examples = {"baoxue bureau accounts create --id xz-school-01 --name "
                   "浔中中心小学 --role school --school 350526-xz-01",
                   "baoxue bureau accounts create --id xz-town --name "
                   "浔中镇控辍专干 --role township --township 350526100"},
      .flags =
          {
              {.name = "id",
               .value_name = "ID",
               .help = {"账号（登录名）：3–64 个 a-z、0-9、.、_、- 字符",
                        "account id (login name): 3-64 of a-z, 0-9, '.', "
                        "'_', '-'"},
               .required = true},
              {.name = "name",
               .value_name = "NAME",
               .help = {"名称，如 浔中镇控辍专干",
                        "display name, e.g. 浔中镇控辍专干"},
               .required = true},
              {.name = "role",
               .value_name = "ROLE",
               .help = {"角色：school（学校）、township（乡镇）、bureau（教育局）"
                        "或 viewer（教育局只读）",
                        "role: school, township, bureau or viewer (bureau, "
                        "read-only)"},
               .required = true},
              {.name = "school",
               .value_name = "SCHOOL_ID",
               .help = {"学校账号所属学校", "the school of a school account"}},
              {.name = "township",
               .value_name = "CODE",
               .help = {"乡镇账号所属乡镇的 9 位代码",
                        "the 9-digit code of a township account's township"}},
              RequestIdFlag(),
          },
      .run = CreateAccount,
  });
  registry->AddCommand({
      .path = "bureau accounts list",
      .summary = {"列出账号", "list accounts"},
      .examples = {"baoxue bureau accounts list",
                   "baoxue bureau accounts list --all --json"},
      .flags = PagingFlags(),
      .run = ListAccounts,
  });
  registry->AddCommand({
      .path = "bureau accounts revoke",
      .summary = {"吊销账号：其令牌即刻失效", "revoke an account: its token "
                                             "stops working at once"},
      .examples = {"baoxue bureau accounts revoke --id xz-school-01 --reason "
                   "人员调离"},
      .flags =
          {
              {.name = "id",
               .value_name = "ID",
               .help = {"要吊销的账号", "the account to revoke"},
               .required = true},
              {.name = "reason",
               .value_name = "TEXT",
               .help = {"原因，1–500 字", "why, 1-500 characters"},
               .required = true},
              RequestIdFlag(),
          },
      .run = RevokeAccount,
  });
  registry->AddCommand({
      .path = "bureau status",
      .summary = {"系统状态：事件日志与后台处理进度",
                  "system status: the event log and the worker's progress"},
      .examples = {"baoxue bureau status", "baoxue bureau status --json"},
      .run = SystemStatus,
  });
  registry->AddCommand({
      .path = "bureau backup",
      .summary = {"在线备份：把整个数据库的一致快照写入服务器 --backup_dir "
                  "下带时间戳的新目录",
                  "online backup: a consistent snapshot of the whole database "
                  "into a new timestamped directory under the server's "
                  "--backup_dir"},
      .details = {"备份期间服务照常读写。备份目录在服务器所在的机器上；请再把它复制"
                  "到别的机器或介质上。恢复：baoxue-server --restore_from=备份目录 "
                  "--data_dir=新的空目录。",
                  "The server keeps serving while it runs. The backup lies on "
                  "the server's machine; copy it to another machine or medium "
                  "as well. To restore: baoxue-server --restore_from=BACKUP "
                  "--data_dir=NEW_EMPTY_DIR."},
      .examples = {"baoxue bureau backup", "baoxue bureau backup --json"},
      .run = CreateBackup,
  });
  registry->AddCommand({
      .path = "bureau backups",
      .summary = {"列出服务器 --backup_dir 下的备份", "list the backups under "
                  "the server's --backup_dir"},
      .examples = {"baoxue bureau backups", "baoxue bureau backups --json"},
      .run = ListBackups,
  });
  registry->AddCommand({
      .path = "bureau reporting",
      .summary = {"各校每日考勤上报情况（可按乡镇）",
                  "which school days each school reported (optionally of one "
                  "township)"},
      .details = {"每所学校一行：区间内的上课日数、已上报、未上报、截至目前连续"
                  "未上报的天数，以及未上报的日期（月-日）。",
                  "One line per school: the school days in the range, how "
                  "many were reported and missed, the missing days in a row "
                  "up to now, and the missing dates (month-day)."},
      .examples = {"baoxue bureau reporting --from 2026-11-02 --to today",
                   "baoxue bureau reporting --from 2026-11-02 --to 2026-11-27 "
                   "--township 350526100 --json"},
      .flags =
          {
              RangeFlags()[0],
              RangeFlags()[1],
              {.name = "township",
               .value_name = "CODE",
               .help = {"只看这个乡镇（9 位代码）的学校",
                        "only the schools of this township (9-digit code)"}},
          },
      .run = CountyReporting,
  });
  registry->AddGroup({
      .path = "bureau students",
      .summary = {"查找全县的学生", "find a child anywhere in the county"},
      .examples = {"baoxue bureau students find --id_number "
                   "350526201803070013"},
  });
  registry->AddCommand({
      .path = "bureau students find",
      .summary = {"按学生编号、学籍号或身份证号查找学生（显示完整身份证号）",
                  "find a child by student id, student number or ID number "
                  "(shows the full ID number)"},
      .examples = {"baoxue bureau students find --id_number "
                   "350526201803070013",
                   "baoxue bureau students find --student_number "
                   "G350526201803070013 --json"},
      .flags =
          {
              {.name = "student_id",
               .value_name = "ID",
               .help = {"服务器分配的学生编号", "the server-assigned id"}},
              {.name = "student_number",
               .value_name = "NUMBER",
               .help = {"学籍号", "the student number (学籍号)"}},
              {.name = "id_number",
               .value_name = "ID_NUMBER",
               .help = {"身份证号", "the ID number"}},
          },
      .run = FindStudent,
  });
  RegisterBureauCaseCommands(registry);
  RegisterBureauReportCommands(registry);
}

}  // namespace baoxue::clients
