// `baoxue school ...`: the commands of a school's clerk, class teachers and
// principal: who am I, the day's attendance report and reporting status.
// The students commands are in commands_school_students.cc.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "baoxue/v1/school.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/cli_values.h"
#include "clients/commands.h"
#include "clients/import_files.h"
#include "clients/labels.h"
#include "clients/table.h"

namespace baoxue::clients {
namespace {

int WhoAmI(CliContext& context, const FlagValues& flags) {
  v1::GetSchoolSessionResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->GetSchoolSession(
      call.get(), v1::GetSchoolSessionRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderFields(
      AccountFields(response.account(), context.lang()));
  return kExitOk;
}

// The server names a bad row of a report by its index, "absences[3]".
// Where each absence came from, so the error can name the file's line.
struct AbsenceSource {
  int line = 0;     // The CSV line, or 0 for an --absent argument,
  int argument = 0; // ... the 1-based --absent index.
};

Text SourceText(const AbsenceSource& source) {
  if (source.line > 0) {
    return {absl::StrCat("文件第 ", source.line, " 行"),
            absl::StrCat("file line ", source.line)};
  }
  return {absl::StrCat("第 ", source.argument, " 个 --absent"),
          absl::StrCat("--absent #", source.argument)};
}

// Rewrites the server's row references so they name where each row came
// from: "第 4 行（absences[3]" -> "文件第 5 行（absences[3]", and
// "absences[3] (" -> "file line 5 (absences[3], ".
std::string NameSources(const std::string& message,
                        const std::vector<AbsenceSource>& sources, Lang lang) {
  std::string out;
  size_t pos = 0;
  const std::string token = "absences[";
  while (true) {
    size_t at = message.find(token, pos);
    if (at == std::string::npos) break;
    size_t close = message.find(']', at);
    int index;
    if (close == std::string::npos ||
        !absl::SimpleAtoi(message.substr(at + token.size(),
                                         close - at - token.size()),
                          &index) ||
        index < 0 || index >= static_cast<int>(sources.size())) {
      out.append(message, pos, at + token.size() - pos);
      pos = at + token.size();
      continue;
    }
    Text where = SourceText(sources[index]);
    std::string zh_prefix = absl::StrCat("第 ", index + 1, " 行（");
    std::string before = message.substr(pos, at - pos);
    if (lang == Lang::kZh && before.size() >= zh_prefix.size() &&
        before.compare(before.size() - zh_prefix.size(), zh_prefix.size(),
                       zh_prefix) == 0) {
      before.resize(before.size() - zh_prefix.size());
      absl::StrAppend(&out, before, where.zh, "（",
                      message.substr(at, close + 1 - at));
    } else if (lang == Lang::kEn) {
      absl::StrAppend(&out, before, where.en, " (",
                      message.substr(at, close + 1 - at), ")");
    } else {
      absl::StrAppend(&out, before, message.substr(at, close + 1 - at), "，",
                      where.zh);
    }
    pos = close + 1;
  }
  out.append(message, pos, std::string::npos);
  return out;
}

bool ReadWholeFile(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *bytes = buffer.str();
  return true;
}

int SubmitAttendance(CliContext& context, const FlagValues& flags) {
  v1::SubmitAttendanceReportRequest request;
  if (!ReadDateFlag(context, flags, "date", request.mutable_date())) {
    return kExitUsage;
  }
  std::vector<AbsenceSource> sources;
  if (flags.Has("file")) {
    std::string bytes;
    if (!ReadWholeFile(flags.Get("file"), &bytes)) {
      return context.UsageError(
          {absl::StrCat("无法读取文件 ", flags.Get("file")),
           absl::StrCat("cannot read the file ", flags.Get("file"))});
    }
    absl::StatusOr<AbsenceFile> file = ReadAbsencesCsv(bytes);
    if (!file.ok()) {
      return context.UsageError(
          {absl::StrCat(flags.Get("file"), "：", file.status().message()),
           absl::StrCat(flags.Get("file"), ": ", file.status().message())});
    }
    if (!file->errors.empty()) {
      context.UsageError(
          {absl::StrCat(flags.Get("file"), " 有 ", file->errors.size(),
                        " 行错误，考勤未提交："),
           absl::StrCat(flags.Get("file"), " has ", file->errors.size(),
                        " bad rows; nothing was submitted:")});
      PrintRowErrors(context, file->errors);
      return kExitUsage;
    }
    for (size_t i = 0; i < file->absences.size(); ++i) {
      *request.add_absences() = file->absences[i];
      sources.push_back({.line = file->lines[i]});
    }
  }
  int argument = 0;
  for (const std::string& text : flags.GetAll("absent")) {
    Text error;
    if (!ParseAbsenceArg(text, request.add_absences(), &error)) {
      return context.UsageError(error);
    }
    sources.push_back({.argument = ++argument});
  }
  bool zero = flags.GetBool("zero");
  if (zero && request.absences_size() > 0) {
    return context.UsageError(
        {"--zero（零报告）不能与 --file 或 --absent 同时使用",
         "--zero (a zero report) cannot be given with --file or --absent"});
  }
  if (!zero && request.absences_size() == 0) {
    return context.UsageError(
        {"没有缺勤名单：用 --file 或 --absent 列出缺勤，或用 --zero 提交零报告",
         "no absences: list them with --file or --absent, or send a zero "
         "report with --zero"});
  }
  request.set_zero_report(zero);
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::SubmitAttendanceReportResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::SchoolService>()->SubmitAttendanceReport(
          call.get(), request, &response);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      status = grpc::Status(
          status.error_code(),
          NameSources(status.error_message(), sources, context.lang()));
    }
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue school attendance submit --date ",
                     flags.Get("date"), " ..."));
  }
  if (context.json()) return context.PrintJson(response);
  const v1::AttendanceReport& report = response.report();
  std::string date = FormatDate(report.date());
  Text what =
      report.zero_report()
          ? Text{absl::StrCat("已提交 ", date, " 的零报告"),
                 absl::StrCat("Zero report for ", date, " submitted")}
          : Text{absl::StrCat("已提交 ", date, " 的考勤：", report.absences_size(),
                              " 人缺勤"),
                 absl::StrCat("Report for ", date, " submitted: ",
                              report.absences_size(), " absent")};
  if (report.revision() > 1) {
    absl::StrAppend(&what.zh, "（第 ", report.revision(), " 版，已更正）");
    absl::StrAppend(&what.en, " (revision ", report.revision(),
                    ", a correction)");
  }
  PrintDone(context, what, response.sequence());
  return kExitOk;
}

int ShowAttendance(CliContext& context, const FlagValues& flags) {
  v1::GetAttendanceReportRequest request;
  if (!ReadDateFlag(context, flags, "date", request.mutable_date())) {
    return kExitUsage;
  }
  request.set_min_sequence(context.options().min_sequence);
  v1::GetAttendanceReportResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->GetAttendanceReport(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  const v1::AttendanceReport& r = response.report();
  context.out() << RenderFields(
      {{en ? "Date" : "日期",
        absl::StrCat(FormatDate(r.date()), " ",
                     WeekdayLabel(ToDay(r.date()), lang))},
       {en ? "School" : "学校", r.school_id()},
       {en ? "Revision" : "版本", absl::StrCat(r.revision())},
       {en ? "Submitted" : "提交时间", FormatTimestamp(r.submit_time())},
       {en ? "Submitted by" : "提交人", r.submitted_by()},
       {en ? "Absences" : "缺勤人数",
        r.zero_report() ? (en ? "0 (zero report)" : "0（零报告）")
                        : absl::StrCat(r.absences_size())}});
  if (r.absences_size() > 0) {
    TextTable table(en ? std::vector<std::string>{"Student number", "Category",
                                                  "Half day", "Reason"}
                       : std::vector<std::string>{"学籍号", "类别", "半天",
                                                  "原因"});
    table.SetMaxWidth(3, 40);
    for (const v1::Absence& a : r.absences()) {
      table.AddRow({a.student_number(), AbsenceCategoryLabel(a.category(), lang),
                    a.half_day() ? (en ? "half" : "半天") : "",
                    a.reason()});
    }
    context.out() << "\n" << table.Render();
  }
  return kExitOk;
}

int SchoolReporting(CliContext& context, const FlagValues& flags) {
  v1::GetReportingStatusRequest request;
  if (!ReadRangeFlags(context, flags, request.mutable_start_date(),
                      request.mutable_end_date())) {
    return kExitUsage;
  }
  request.set_min_sequence(context.options().min_sequence);
  v1::GetReportingStatusResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->GetReportingStatus(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderSchoolDays(response.status(), context.lang());
  return kExitOk;
}

int ListSchoolCases(CliContext& context, const FlagValues& flags) {
  v1::ListSchoolCasesRequest request;
  if (!ReadCaseFilter(context, flags, request.mutable_filter())) {
    return kExitUsage;
  }
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::SchoolService>();
  return RunCaseListing(
      context, flags, CaseAudience::kSchool,
      [&](grpc::ClientContext* call, const std::string& token, int32_t size,
          v1::ListCasesResponse* page) {
        request.set_page_token(token);
        request.set_page_size(size);
        v1::ListSchoolCasesResponse response;
        grpc::Status status = stub->ListSchoolCases(call, request, &response);
        *page->mutable_rows() = std::move(*response.mutable_rows());
        page->set_next_page_token(response.next_page_token());
        return status;
      });
}

int ShowSchoolCase(CliContext& context, const FlagValues& flags) {
  v1::GetSchoolCaseRequest request;
  request.set_case_id(flags.Get("case"));
  request.set_min_sequence(context.options().min_sequence);
  v1::GetSchoolCaseResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->GetSchoolCase(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  return PrintCase(context, response, response.row(), response.student(),
                   response.history());
}

int RecordSchoolNote(CliContext& context, const FlagValues& flags) {
  v1::RecordSchoolActionRequest request;
  request.set_case_id(flags.Get("case"));
  if (!ReadAction(context, flags, v1::ACTION_KIND_OTHER,
                  request.mutable_action())) {
    return kExitUsage;
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::RecordSchoolActionResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->RecordSchoolAction(
      call.get(), request, &response);
  v1::ActionKind kind = request.action().kind();
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue school case note --case ", request.case_id(),
                   " ..."),
      {absl::StrCat("已记录案件 ", request.case_id(), " 的",
                    LabelOf(kind, Lang::kZh)),
       absl::StrCat("recorded a ", LabelOf(kind, Lang::kEn), " on case ",
                    request.case_id())});
}

int ConfirmReturn(CliContext& context, const FlagValues& flags) {
  v1::ConfirmReturnRequest request;
  request.set_case_id(flags.Get("case"));
  if (flags.Has("date")) {
    if (!ReadDateFlag(context, flags, "date", request.mutable_return_date())) {
      return kExitUsage;
    }
  } else {
    *request.mutable_return_date() = ToDate(CountyToday());
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::ConfirmReturnResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::SchoolService>()->ConfirmReturn(
      call.get(), request, &response);
  std::string day = FormatDate(request.return_date());
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue school case return --case ", request.case_id(),
                   " --date ", day),
      {absl::StrCat("已确认案件 ", request.case_id(), " 的学生于 ", day,
                    " 复学，进入观察期"),
       absl::StrCat("case ", request.case_id(), ": the child is back since ",
                    day, "; the observation period begins")});
}

}  // namespace

void RegisterSchoolCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "school",
      .summary = {"学校：本校的学生、每日考勤、上报情况和案件",
                  "school: its students, daily attendance, reporting and "
                  "cases"},
      .examples = {"baoxue --token_file ~/xz-school-01.token school whoami",
                   "baoxue school attendance submit --date today --file "
                   "absences.csv",
                   "baoxue school students import --file students.csv",
                   "baoxue school cases",
                   "baoxue school case return --case 350526-2026-00042 "
                   "--date today"},
  });
  registry->AddCommand({
      .path = "school whoami",
      .summary = {"显示当前账号及其学校", "show the calling account and its "
                                         "school"},
      .examples = {"baoxue --token_file ~/xz-school-01.token school whoami"},
      .run = WhoAmI,
  });
  RegisterSchoolStudentCommands(registry);

  registry->AddGroup({
      .path = "school attendance",
      .summary = {"每日考勤：提交（或更正）缺勤名单、零报告，查看",
                  "daily attendance: submit (or correct) absences or a zero "
                  "report, show"},
      .examples = {"baoxue school attendance submit --date 2026-11-27 --file "
                   "absences.csv",
                   "baoxue school attendance submit --date 2026-11-27 --zero"},
  });
  registry->AddCommand({
      .path = "school attendance submit",
      .summary = {"提交一个上课日的考勤；再次提交即为更正",
                  "submit one school day's attendance; submitting again "
                  "corrects it"},
      .details =
          {"缺勤名单来自 CSV 文件（--file）和/或命令行（--absent，可多次）；没有"
           "缺勤时用 --zero 提交零报告。类别：病假（sick）、事假（personal）、"
           "旷课（unexcused）、去向不明（unknown）。\n"
           "CSV（UTF-8 或 GBK，表头中英文皆可）：学籍号,姓名,类别,原因,半天\n"
           "  G350526201803070013,林小明,病假,发烧,否\n"
           "  G350526201805120029,陈小红,旷课,,半天\n"
           "整份报告要么全部保存，要么一行也不保存：有错误的行会连同行号一起列出，"
           "退出码为 1。",
           "Absences come from a CSV file (--file) and/or the command line "
           "(--absent, repeatable); with nobody absent send a zero report "
           "with --zero. Categories: sick (病假), personal (事假), unexcused "
           "(旷课), unknown (去向不明).\n"
           "CSV (UTF-8 or GBK, Chinese or English headers): "
           "student_number,name,category,reason,half_day\n"
           "  G350526201803070013,林小明,sick,fever,no\n"
           "  G350526201805120029,陈小红,unexcused,,half\n"
           "The report is saved whole or not at all: every bad row is listed "
           "with its line number, and the exit code is 1."},
      .examples = {"baoxue school attendance submit --date 2026-11-27 --file "
                   "absences.csv",
                   "baoxue school attendance submit --date 2026-11-27 --absent "
                   "G350526201803070013:病假:发烧 --absent "
                   "G350526201805120029:旷课::半天",
                   "baoxue school attendance submit --date today --zero"},
      .flags =
          {
              {.name = "date",
               .value_name = "DATE",
               .help = {"上课日，如 2026-11-27 或 today",
                        "the school day, e.g. 2026-11-27 or today"},
               .required = true},
              {.name = "file",
               .value_name = "CSV",
               .help = {"缺勤名单 CSV 文件", "a CSV file of absences"}},
              {.name = "absent",
               .value_name = "学籍号:类别[:原因][:半天]",
               .help = {"一名缺勤学生，如 G350526201803070013:旷课",
                        "one absent child, e.g. G350526201803070013:unexcused"},
               .repeated = true},
              {.name = "zero",
               .kind = FlagKind::kBool,
               .help = {"零报告：今天无人缺勤", "zero report: nobody absent"}},
              RequestIdFlag(),
          },
      .run = SubmitAttendance,
  });
  registry->AddCommand({
      .path = "school attendance show",
      .summary = {"查看某天已提交的考勤", "show the report of one day"},
      .examples = {"baoxue school attendance show --date 2026-11-27",
                   "baoxue school attendance show --date today --json"},
      .flags = {{.name = "date",
                 .value_name = "DATE",
                 .help = {"日期", "the day"},
                 .required = true}},
      .run = ShowAttendance,
  });
  registry->AddCommand({
      .path = "school reporting",
      .summary = {"本校在一段时间内每个上课日的上报情况",
                  "which school days the school reported over a range"},
      .examples = {"baoxue school reporting --from 2026-11-02 --to today",
                   "baoxue school reporting --from 2026-11-02 --to 2026-11-27 "
                   "--json"},
      .flags = RangeFlags(),
      .run = SchoolReporting,
  });
  registry->AddCommand({
      .path = "school cases",
      .summary = {"本校学生的案件，最紧急的在前",
                  "the cases of the school's students, most urgent first"},
      .examples = {"baoxue school cases",
                   "baoxue school cases --ledger dropout --json"},
      .flags = CaseListFlags(CaseAudience::kSchool),
      .run = ListSchoolCases,
  });
  registry->AddGroup({
      .path = "school case",
      .summary = {"本校学生的一个案件：查看、记录、确认复学",
                  "one case of the school: show, note, confirm the return"},
      .examples = {"baoxue school case return --case 350526-2026-00042 "
                   "--date 2026-12-01"},
  });
  registry->AddCommand({
      .path = "school case show",
      .summary = {"案件详情和完整时间线", "a case in full, with its timeline"},
      .examples = {"baoxue school case show --case 350526-2026-00042"},
      .flags = {CaseIdFlag()},
      .run = ShowSchoolCase,
  });
  registry->AddCommand({
      .path = "school case note",
      .summary = {"记录班主任的措施或情况", "record a class teacher's action "
                                           "or note"},
      .examples = {"baoxue school case note --case 350526-2026-00042 "
                   "--actors 班主任王丽 --notes 已与母亲电话沟通，答应周一返校",
                   "baoxue school case note --case 350526-2026-00042 --kind "
                   "phone --actors 班主任王丽 --outcome 母亲答应周一送来"},
      .flags = ActionFlags(ActionFlagSet::kSchoolNote),
      .run = RecordSchoolNote,
  });
  registry->AddCommand({
      .path = "school case return",
      .summary = {"确认学生已复学（只有学生在读的学校可以确认）",
                  "confirm the child is back at school (only the school of "
                  "enrolment)"},
      .examples = {"baoxue school case return --case 350526-2026-00042 "
                   "--date 2026-12-01"},
      .flags =
          {
              CaseIdFlag(),
              {.name = "date",
               .value_name = "DATE",
               .help = {"返校第一天，默认今天", "the first day back, default "
                                               "today"}},
              RequestIdFlag(),
          },
      .run = ConfirmReturn,
  });
}

}  // namespace baoxue::clients
