#include "clients/commands.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/cli_values.h"
#include "clients/labels.h"
#include "clients/table.h"

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

FlagSpec RequestIdFlag() {
  return {.name = "request_id",
          .value_name = "ID",
          .help = {"幂等请求编号：重试时给出同一编号，服务器不会重复执行"
                   "（默认自动生成）",
                   "idempotency key: a retry with the same id is not done "
                   "twice (generated if omitted)"}};
}

std::string RequestIdOf(const FlagValues& flags) {
  return flags.Has("request_id") ? flags.Get("request_id") : NewRequestId();
}

int FailWithRetryHint(CliContext& context, const grpc::Status& status,
                      const std::string& request_id,
                      const std::string& retry_command) {
  int code = context.Fail(status);
  if (code == kExitFailed) {
    context.Note(
        {absl::StrCat("请求编号 ", request_id,
                      "：结果不明时可原样重试，服务器不会重复执行：\n  ",
                      retry_command, " --request_id ", request_id),
         absl::StrCat("request id ", request_id,
                      ": if the outcome is unknown, retry with the same id; "
                      "the server will not do it twice:\n  ",
                      retry_command, " --request_id ", request_id)});
  }
  return code;
}

bool ReadDateFlag(CliContext& context, const FlagValues& flags,
                  absl::string_view name, v1::Date* date) {
  if (!flags.Has(name)) return true;
  std::string value = flags.Get(name);
  if (ParseDate(value, date)) return true;
  context.UsageError(
      {absl::StrCat("--", name, " 须为日期，如 2026-09-01，而不是“", value, "”"),
       absl::StrCat("--", name, " must be a date such as 2026-09-01, not \"",
                    value, "\"")});
  return false;
}

void PrintDone(CliContext& context, const Text& done, uint64_t sequence) {
  context.out() << context.T(
                       absl::StrCat(done.zh, "（事件序号 ", sequence, "）"),
                       absl::StrCat(done.en, " (event sequence ", sequence,
                                    ")"))
                << "\n";
}

void PrintRowErrors(CliContext& context, std::vector<RowError> errors) {
  std::stable_sort(errors.begin(), errors.end(),
                   [](const RowError& a, const RowError& b) {
                     return a.line < b.line;
                   });
  for (const RowError& error : errors) {
    context.err() << context.T(
                         absl::StrCat("  第 ", error.line, " 行：",
                                      error.message.zh),
                         absl::StrCat("  line ", error.line, ": ",
                                      error.message.en))
                  << "\n";
  }
}

std::vector<std::pair<std::string, std::string>> StudentFields(
    const v1::Student& s, Lang lang, bool mask_id) {
  bool en = lang == Lang::kEn;
  std::vector<std::pair<std::string, std::string>> fields = {
      {en ? "Student id" : "学生编号", s.student_id()},
      {en ? "Student number" : "学籍号", s.student_number()},
      {en ? "ID number" : "身份证号",
       mask_id ? MaskIdNumber(s.id_number()) : s.id_number()},
      {en ? "Name" : "姓名", s.name()},
      {en ? "Sex" : "性别", SexLabel(s.sex(), lang)},
      {en ? "Birth date" : "出生日期", FormatDate(s.birth_date())},
      {en ? "Household township" : "户籍乡镇", s.household_township_code()},
      {en ? "Household village" : "户籍村", s.household_village_code()},
  };
  std::vector<std::string> guardians;
  for (const v1::Guardian& g : s.guardians()) {
    guardians.push_back(FormatGuardian(g, lang));
  }
  fields.emplace_back(en ? "Guardians" : "监护人",
                      absl::StrJoin(guardians, en ? "; " : "；"));
  std::vector<std::string> groups;
  for (int g : s.priority_groups()) {
    groups.push_back(
        PriorityGroupLabel(static_cast<v1::PriorityGroup>(g), lang));
  }
  fields.emplace_back(en ? "Priority groups" : "重点群体",
                      absl::StrJoin(groups, en ? ", " : "、"));
  const v1::Enrolment& e = s.enrolment();
  fields.emplace_back(en ? "Status" : "学籍状态",
                      EnrolmentStatusLabel(e.status(), lang));
  fields.emplace_back(en ? "School" : "学校", e.school_id());
  if (e.grade() > 0) {
    fields.emplace_back(en ? "Grade / class" : "年级 / 班级",
                        absl::StrCat(e.grade(), " / ", e.class_name()));
  }
  fields.emplace_back(en ? "Since" : "生效日期",
                      FormatDate(e.effective_date()));
  if (!e.transfer_to_school_id().empty()) {
    fields.emplace_back(en ? "Transferring to" : "转入学校",
                        e.transfer_to_school_id());
  }
  if (!e.transfer_to_description().empty()) {
    fields.emplace_back(
        en ? "Transferred to" : "转往",
        absl::StrCat(e.transfer_to_description(),
                     e.transfer_proof_received()
                         ? (en ? " (proof received)" : "（已收接收证明）")
                         : (en ? " (no proof yet)" : "（未收接收证明）")));
  }
  if (e.has_end_date()) {
    fields.emplace_back(en ? "Until" : "截止日期", FormatDate(e.end_date()));
  }
  if (!e.certificate_reference().empty()) {
    fields.emplace_back(en ? "Certificate" : "证明文号",
                        e.certificate_reference());
  }
  std::vector<std::string> spans;
  for (const v1::EnrolmentSpan& span : s.enrolment_spans()) {
    spans.push_back(absl::StrCat(span.school_id(), " ",
                                 FormatDate(span.start_date()), "..",
                                 FormatDate(span.end_date())));
  }
  fields.emplace_back(en ? "Enrolment history" : "就读经历",
                      absl::StrJoin(spans, en ? "; " : "；"));
  if (!s.former_student_numbers().empty()) {
    fields.emplace_back(en ? "Former numbers" : "曾用学籍号",
                        absl::StrJoin(s.former_student_numbers(), ", "));
  }
  fields.emplace_back(en ? "Registered" : "登记时间",
                      FormatTimestamp(s.register_time()));
  return fields;
}

std::string StudentTable(
    const google::protobuf::RepeatedPtrField<v1::Student>& students, Lang lang,
    bool with_school) {
  bool en = lang == Lang::kEn;
  std::vector<std::string> header =
      en ? std::vector<std::string>{"Student number", "Name", "Sex",
                                    "ID number"}
         : std::vector<std::string>{"学籍号", "姓名", "性别", "身份证号"};
  if (with_school) header.push_back(en ? "School" : "学校");
  for (const char* h : {en ? "Grade" : "年级", en ? "Class" : "班级",
                        en ? "Status" : "学籍状态",
                        en ? "Village" : "户籍村",
                        en ? "Priority groups" : "重点群体"}) {
    header.push_back(h);
  }
  TextTable table(header);
  table.SetMaxWidth(1, 20);
  size_t grade_column = with_school ? 5 : 4;
  table.SetAlign(grade_column, TextTable::Align::kRight);
  for (const v1::Student& s : students) {
    std::vector<std::string> groups;
    for (int g : s.priority_groups()) {
      groups.push_back(
          PriorityGroupLabel(static_cast<v1::PriorityGroup>(g), lang));
    }
    std::vector<std::string> row = {MaskStudentNumber(s.student_number()),
                                    s.name(),
                                    SexLabel(s.sex(), lang),
                                    MaskIdNumber(s.id_number())};
    if (with_school) row.push_back(s.enrolment().school_id());
    row.push_back(s.enrolment().grade() > 0
                      ? absl::StrCat(s.enrolment().grade())
                      : "");
    row.push_back(s.enrolment().class_name());
    row.push_back(EnrolmentStatusLabel(s.enrolment().status(), lang));
    row.push_back(s.household_village_code());
    row.push_back(absl::StrJoin(groups, en ? ", " : "、"));
    table.AddRow(std::move(row));
  }
  return table.Render();
}

std::string RenderSchoolDays(const v1::SchoolReportingStatus& status,
                             Lang lang) {
  bool en = lang == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Date", "Day", "Report",
                                                "Absences"}
                     : std::vector<std::string>{"日期", "星期", "上报情况",
                                                "缺勤人数"});
  table.SetAlign(3, TextTable::Align::kRight);
  for (const v1::ReportingDay& day : status.days()) {
    table.AddRow({FormatDate(day.date()),
                  WeekdayLabel(ToDay(day.date()), lang),
                  ReportingDayLabel(day, lang),
                  day.reported() ? absl::StrCat(day.absence_count()) : ""});
  }
  std::string out = absl::StrCat(status.school_name(), " (",
                                 status.school_id(), ")\n", table.Render());
  absl::StrAppend(
      &out,
      en ? absl::StrCat(status.days_size(), " school days: ",
                        status.reported_days(), " reported, ",
                        status.missing_days(), " missing, ",
                        status.consecutive_missing_days(),
                        " missing in a row up to now\n")
         : absl::StrCat("共 ", status.days_size(), " 个上课日：已上报 ",
                        status.reported_days(), " 天，未上报 ",
                        status.missing_days(), " 天，截至目前连续未上报 ",
                        status.consecutive_missing_days(), " 天\n"));
  return out;
}

std::string RenderSchoolsReporting(
    const google::protobuf::RepeatedPtrField<v1::SchoolReportingStatus>&
        schools,
    Lang lang) {
  bool en = lang == Lang::kEn;
  TextTable table(
      en ? std::vector<std::string>{"School", "Name", "School days",
                                    "Reported", "Missing", "In a row",
                                    "Missing dates"}
         : std::vector<std::string>{"学校", "名称", "上课日", "已上报",
                                    "未上报", "连续未报", "未上报日期"});
  for (size_t c = 2; c <= 5; ++c) table.SetAlign(c, TextTable::Align::kRight);
  table.SetMaxWidth(1, 24);
  table.SetMaxWidth(6, 40);
  int missing_schools = 0;
  for (const v1::SchoolReportingStatus& s : schools) {
    std::vector<std::string> missing;
    for (const v1::ReportingDay& day : s.days()) {
      if (day.missing()) missing.push_back(FormatDate(day.date()).substr(5));
    }
    if (s.missing_days() > 0) ++missing_schools;
    table.AddRow({s.school_id(), s.school_name(), absl::StrCat(s.days_size()),
                  absl::StrCat(s.reported_days()),
                  absl::StrCat(s.missing_days()),
                  absl::StrCat(s.consecutive_missing_days()),
                  absl::StrJoin(missing, " ")});
  }
  return absl::StrCat(
      table.Render(),
      en ? absl::StrCat(schools.size(), " schools, ", missing_schools,
                        " with missing reports\n")
         : absl::StrCat("共 ", schools.size(), " 所学校，其中 ",
                        missing_schools, " 所有未上报的日子\n"));
}

std::vector<FlagSpec> RangeFlags() {
  return {
      {.name = "from",
       .value_name = "DATE",
       .help = {"开始日期，如 2026-09-01", "first day, e.g. 2026-09-01"},
       .required = true},
      {.name = "to",
       .value_name = "DATE",
       .help = {"结束日期（含），最多 366 天；可写 today",
                "last day (inclusive), at most 366 days on; `today` works"},
       .required = true},
  };
}

std::vector<FlagSpec> PagingFlags() {
  return {
      {.name = "page_size",
       .kind = FlagKind::kInt,
       .value_name = "N",
       .help = {"每页条数，1–1000，默认 100",
                "rows per page, 1-1000, default 100"}},
      {.name = "page_token",
       .value_name = "TOKEN",
       .help = {"从上一页末尾继续", "continue after a previous page"}},
      {.name = "all",
       .kind = FlagKind::kBool,
       .help = {"逐页取回全部", "fetch every page"}},
  };
}

void NoteMorePages(CliContext& context, const std::string& next_page_token) {
  context.Note({absl::StrCat("还有更多：加 --all 显示全部，或用 "
                             "--page_token ",
                             next_page_token, " 继续"),
                absl::StrCat("more follow: add --all to list them all, or "
                             "continue with --page_token ",
                             next_page_token)});
}

bool ReadRangeFlags(CliContext& context, const FlagValues& flags,
                    v1::Date* start, v1::Date* end) {
  return ReadDateFlag(context, flags, "from", start) &&
         ReadDateFlag(context, flags, "to", end);
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
