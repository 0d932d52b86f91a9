// `baoxue bureau ...` for the bureau's reports and tools: the monthly report
// (月报), a ledger exported as CSV for Excel, the audit trail, a live watch
// of case changes, and the rebuild of the read projections.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/cli_values.h"
#include "clients/commands.h"
#include "clients/csv.h"
#include "clients/labels.h"
#include "clients/table.h"
#include "google/protobuf/struct.pb.h"

namespace baoxue::clients {
namespace {

// ---- Files.

// Where a CSV goes: standard output, or a file that appears only once it
// is complete (written as "<path>.partial", renamed by Commit()), so a
// failed export never leaves half a ledger that looks whole. Not
// thread-safe.
class CsvOutput {
 public:
  // `path` empty or "-": standard output (`stdout`).
  CsvOutput(std::string path, std::ostream& stdout_stream)
      : path_(std::move(path)), stdout_(stdout_stream) {}
  ~CsvOutput() {
    if (file_.is_open()) {
      file_.close();
      std::remove(partial_path().c_str());
    }
  }
  CsvOutput(const CsvOutput&) = delete;
  CsvOutput& operator=(const CsvOutput&) = delete;

  bool to_stdout() const { return path_.empty() || path_ == "-"; }
  const std::string& path() const { return path_; }

  // Opens the partial file. On failure reports a usage error and returns
  // false.
  bool Open(CliContext& context) {
    if (to_stdout()) return true;
    file_.open(partial_path(), std::ios::binary | std::ios::trunc);
    if (file_) return true;
    context.UsageError({absl::StrCat("无法写入文件 ", path_),
                        absl::StrCat("cannot write the file ", path_)});
    return false;
  }

  void Write(const std::string& bytes) {
    if (to_stdout()) {
      stdout_ << bytes;
    } else {
      file_ << bytes;
    }
  }

  // Flushes and puts the file in place. On failure reports it and returns
  // false (the partial file is removed).
  bool Commit(CliContext& context) {
    if (to_stdout()) {
      stdout_.flush();
      return true;
    }
    file_.close();
    if (!file_.fail() &&
        std::rename(partial_path().c_str(), path_.c_str()) == 0) {
      return true;
    }
    std::remove(partial_path().c_str());
    context.UsageError({absl::StrCat("无法写入文件 ", path_),
                        absl::StrCat("cannot write the file ", path_)});
    return false;
  }

 private:
  std::string partial_path() const { return path_ + ".partial"; }

  const std::string path_;
  std::ostream& stdout_;
  std::ofstream file_;
};

// ---- bureau monthly.

// Reads "2026-11" (also 2026/11, 2026.11, 2026-1, 202611). Returns false
// for anything else.
bool ParseMonth(absl::string_view text, absl::CivilMonth* month) {
  std::string s = absl::StrReplaceAll(absl::StripAsciiWhitespace(text),
                                      {{"/", "-"}, {".", "-"}});
  if (s.size() == 6 && s.find('-') == std::string::npos) {
    s = absl::StrCat(s.substr(0, 4), "-", s.substr(4));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(s, '-');
  int year = 0, number = 0;
  if (parts.size() != 2 || parts[0].size() != 4 || parts[1].empty() ||
      parts[1].size() > 2 || !absl::SimpleAtoi(parts[0], &year) ||
      !absl::SimpleAtoi(parts[1], &number) || number < 1 || number > 12) {
    return false;
  }
  *month = absl::CivilMonth(year, number);
  return true;
}

// The county day (UTC+8) of a timestamp.
absl::CivilDay CountyDayOf(const google::protobuf::Timestamp& time) {
  static const absl::TimeZone kShanghai = absl::FixedTimeZone(8 * 60 * 60);
  return absl::ToCivilDay(absl::FromUnixSeconds(time.seconds()), kShanghai);
}

// A mean shown with one decimal, or "—" when nothing was measured.
std::string Mean(double value, bool measured, Lang lang) {
  if (!measured) return lang == Lang::kEn ? "-" : "—";
  return absl::StrFormat("%.1f", value);
}

// The report's columns, shared by the table and the CSV file.
std::vector<std::string> MonthlyHeader(Lang lang) {
  if (lang == Lang::kEn) {
    return {"Township code", "Township", "Open at month end",
            "Out of school at month end", "Opened", "Dismissed", "Returned",
            "Closed", "Relapses", "Hours to first contact", "Days to return",
            "Relapse rate"};
  }
  return {"乡镇代码", "乡镇", "月末在办", "月末辍学在外", "本月立案",
          "本月排除", "本月复学", "本月销号", "本月复辍", "首次联系（小时）",
          "复学用时（天）", "复辍率"};
}

std::vector<std::string> MonthlyCells(const v1::MonthlyReportLine& line,
                                      Lang lang) {
  bool en = lang == Lang::kEn;
  bool returns = line.returned() > 0;
  return {
      line.township_code().empty() ? (en ? "total" : "合计")
                                   : line.township_code(),
      line.name(),
      absl::StrCat(line.open_at_month_end()),
      absl::StrCat(line.out_of_school_at_month_end()),
      absl::StrCat(line.opened()),
      absl::StrCat(line.dismissed()),
      absl::StrCat(line.returned()),
      absl::StrCat(line.closed()),
      absl::StrCat(line.relapses()),
      // The server sends 0 when no first contact was made in the month.
      Mean(line.mean_hours_to_first_contact(),
           line.mean_hours_to_first_contact() > 0, lang),
      Mean(line.mean_days_to_return(), returns, lang),
      returns ? absl::StrFormat("%.1f%%", line.relapse_rate() * 100)
              : Mean(0, false, lang),
  };
}

int MonthlyReport(CliContext& context, const FlagValues& flags) {
  absl::CivilMonth month(CountyToday());
  if (flags.Has("month") && !ParseMonth(flags.Get("month"), &month)) {
    return context.UsageError(
        {absl::StrCat("--month 须为年月，如 2026-11，而不是“",
                      flags.Get("month"), "”"),
         absl::StrCat("--month must be a year and month such as 2026-11, "
                      "not \"",
                      flags.Get("month"), "\"")});
  }
  CsvOutput csv(flags.Get("csv"), context.out());
  if (flags.Has("csv") && csv.to_stdout()) {
    return context.UsageError({"--csv 须给出文件名", "--csv needs a file name"});
  }
  v1::GetMonthlyReportRequest request;
  request.set_year(static_cast<int32_t>(month.year()));
  request.set_month(month.month());
  request.set_min_sequence(context.options().min_sequence);
  v1::GetMonthlyReportResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetMonthlyReport(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);

  if (flags.Has("township")) {
    std::string code = flags.Get("township");
    v1::GetMonthlyReportResponse only;
    only.set_month_complete(response.month_complete());
    for (const v1::MonthlyReportLine& line : response.lines()) {
      if (!code.empty() && line.township_code() == code) {
        *only.add_lines() = line;
      }
    }
    if (only.lines().empty()) {
      return context.UsageError(
          {absl::StrCat("本县没有代码为 ", code, " 的乡镇"),
           absl::StrCat("the county has no township with code ", code)});
    }
    response = std::move(only);
  }

  Lang lang = context.lang();
  if (flags.Has("csv")) {
    CsvWriter writer;
    writer.WriteRow(MonthlyHeader(lang));
    for (const v1::MonthlyReportLine& line : response.lines()) {
      writer.WriteRow(MonthlyCells(line, lang));
    }
    if (!csv.Open(context)) return kExitUsage;
    csv.Write(writer.data());
    if (!csv.Commit(context)) return kExitUsage;
    context.Note({absl::StrCat("月报已写入 ", csv.path()),
                  absl::StrCat("monthly report written to ", csv.path())});
  }
  if (context.json()) return context.PrintJson(response);

  std::string title = absl::StrFormat("%04d-%02d", month.year(), month.month());
  context.out() << context.T(
                       absl::StrCat(title, " 月报",
                                    response.month_complete()
                                        ? ""
                                        : "（本月未结束，为截至目前的数字）"),
                       absl::StrCat("Monthly report ", title,
                                    response.month_complete()
                                        ? ""
                                        : " (month not over: counts so far)"))
                << "\n";
  TextTable table(MonthlyHeader(lang));
  for (size_t column = 2; column < MonthlyHeader(lang).size(); ++column) {
    table.SetAlign(column, TextTable::Align::kRight);
  }
  for (const v1::MonthlyReportLine& line : response.lines()) {
    table.AddRow(MonthlyCells(line, lang));
  }
  context.out() << table.Render();
  return kExitOk;
}

// ---- bureau export.

std::vector<std::string> ExportHeader(Lang lang) {
  if (lang == Lang::kEn) {
    return {"Case", "Name", "Student number", "ID number", "Sex",
            "Township code", "Township", "Village code", "Village",
            "School id", "School", "Grade", "Class", "Guardian",
            "Guardian phone", "Kind", "State", "Priority", "Priority groups",
            "Overdue", "Answerable", "Opened", "Verification",
            "Dropout reason", "Actions", "Last action", "Returned on",
            "Relapses", "Closed"};
  }
  return {"案件号", "姓名", "学籍号", "身份证号", "性别", "户籍乡镇代码",
          "户籍乡镇", "户籍村代码", "户籍村", "学校代码", "学校", "年级",
          "班级", "监护人", "监护人电话", "类型", "状态", "优先级",
          "重点群体", "逾期", "责任层级", "立案时间", "核查结果", "辍学原因",
          "劝返措施次数", "最近措施", "复学日期", "复辍次数", "结案时间"};
}

// An unset enum is an empty cell in a file (LabelOf() shows "—").
template <typename Enum>
std::string Cell(Enum value, Lang lang) {
  return static_cast<int>(value) == 0 ? "" : LabelOf(value, lang);
}

std::vector<std::string> ExportCells(const v1::CaseRow& row, Lang lang) {
  const v1::Case& c = row.case_();
  std::string groups;
  for (int g : c.priority_groups()) {
    absl::StrAppend(&groups, groups.empty() ? "" : (lang == Lang::kEn ? "; " : "、"),
                    LabelOf(static_cast<v1::PriorityGroup>(g), lang));
  }
  return {
      c.case_id(),
      c.student_name(),
      row.student_number(),
      row.id_number(),  // As the server gives it to the caller's role.
      Cell(row.sex(), lang),
      c.household_township_code(),
      row.township_name(),
      c.household_village_code(),
      row.village_name(),
      c.school_id(),
      row.school_name(),
      row.grade() > 0 ? absl::StrCat(row.grade()) : "",
      row.class_name(),
      row.guardian_name(),
      row.guardian_phone(),
      Cell(c.kind(), lang),
      Cell(c.state(), lang),
      Cell(c.priority(), lang),
      groups,
      c.overdue() ? (lang == Lang::kEn ? "yes" : "是") : "",
      Cell(c.escalation_level(), lang),
      FormatTimestamp(c.open_time()),
      Cell(c.verification_outcome(), lang),
      Cell(c.dropout_reason(), lang),
      absl::StrCat(c.action_count()),
      Cell(c.last_action(), lang),
      FormatDate(c.return_date()),
      absl::StrCat(c.relapse_count()),
      FormatTimestamp(c.close_time()),
  };
}

int ExportLedger(CliContext& context, const FlagValues& flags) {
  v1::ExportLedgerRequest request;
  if (!ReadCaseFilter(context, flags, request.mutable_filter())) {
    return kExitUsage;
  }
  CsvOutput output(flags.Get("out"), context.out());
  if (context.json() && output.to_stdout()) {
    return context.UsageError(
        {"--json 只用于 --out 导出文件时的结果汇总（否则标准输出是 CSV 本身）",
         "--json needs --out (without it, standard output is the CSV "
         "itself)"});
  }
  request.set_min_sequence(context.options().min_sequence);
  if (!output.Open(context)) return kExitUsage;

  Lang lang = context.lang();
  bool progress = isatty(STDERR_FILENO) == 1;
  CsvWriter writer;
  writer.WriteRow(ExportHeader(lang));
  int64_t rows = 0;
  auto call = context.NewCall();
  auto reader =
      context.Stub<v1::BureauService>()->ExportLedger(call.get(), request);
  v1::ExportLedgerResponse chunk;
  while (reader->Read(&chunk)) {
    for (const v1::CaseRow& row : chunk.rows()) {
      writer.WriteRow(ExportCells(row, lang));
    }
    rows += chunk.rows_size();
    // The first Release() carries the BOM.
    output.Write(writer.Release());
    if (progress) {
      context.err() << "\r" << context.T("已导出 ", "exported ") << rows
                    << std::flush;
    }
  }
  grpc::Status status = reader->Finish();
  if (progress && rows > 0) context.err() << "\n";  // Ends the progress line.
  if (!status.ok()) {
    int code = context.Fail(status);
    if (!output.to_stdout()) {
      context.Note({absl::StrCat("导出未完成，没有写入 ", output.path()),
                    absl::StrCat("the export did not finish; ", output.path(),
                                 " was not written")});
    }
    return code;
  }
  output.Write(writer.Release());  // The header of an empty ledger.
  if (!output.Commit(context)) return kExitUsage;

  if (context.json()) {
    google::protobuf::Struct result;
    (*result.mutable_fields())["rows"].set_number_value(
        static_cast<double>(rows));
    (*result.mutable_fields())["out"].set_string_value(output.path());
    return context.PrintJson(result);
  }
  std::string where_zh, where_en;
  if (!output.to_stdout()) {
    where_zh = absl::StrCat("到 ", output.path());
    where_en = absl::StrCat(" to ", output.path());
  }
  Text done = {absl::StrCat("已导出 ", rows, " 件案件", where_zh),
               absl::StrCat("exported ", rows, rows == 1 ? " case" : " cases",
                            where_en)};
  // With the CSV on standard output the count goes to standard error.
  if (output.to_stdout()) {
    context.Note(done);
  } else {
    context.out() << context.T(done) << "\n";
  }
  return kExitOk;
}

// The ledger filters of `bureau ledger`, without its paging.
std::vector<FlagSpec> ExportFlags() {
  std::vector<FlagSpec> flags;
  for (FlagSpec& flag : CaseListFlags(CaseAudience::kBureau)) {
    if (flag.name != "page_size" && flag.name != "page_token" &&
        flag.name != "all") {
      flags.push_back(std::move(flag));
    }
  }
  flags.push_back({.name = "out",
                   .value_name = "FILE.csv",
                   .help = {"写入此文件（UTF-8 带 BOM，Excel 可直接打开）；"
                            "不给则写到标准输出",
                            "write to this file (UTF-8 with a BOM, opens in "
                            "Excel as it is); standard output if omitted"}});
  return flags;
}

// ---- bureau audit.

std::vector<FlagSpec> WithPaging(std::vector<FlagSpec> flags) {
  for (FlagSpec& flag : PagingFlags()) flags.push_back(std::move(flag));
  return flags;
}

int AuditTrail(CliContext& context, const FlagValues& flags) {
  int keys = flags.Has("account") + flags.Has("case") + flags.Has("student");
  if (keys != 1) {
    return context.UsageError(
        {"请给出且只给出 --account、--case、--student 之一",
         "give exactly one of --account, --case, --student"});
  }
  // The dates filter on the client: the trail is kept by account, case and
  // child, oldest first, so a range is read from the start and the reading
  // stops past its end.
  absl::CivilDay from = absl::CivilDay::min(), to = absl::CivilDay::max();
  bool ranged = flags.Has("from") || flags.Has("to");
  v1::Date date;
  if (flags.Has("from")) {
    if (!ReadDateFlag(context, flags, "from", &date)) return kExitUsage;
    from = ToDay(date);
  }
  if (flags.Has("to")) {
    if (!ReadDateFlag(context, flags, "to", &date)) return kExitUsage;
    to = ToDay(date);
  }
  if (from > to) {
    return context.UsageError({"--from 不能晚于 --to",
                               "--from cannot be after --to"});
  }
  bool all = flags.GetBool("all") || ranged;

  v1::ListAuditTrailRequest request;
  request.set_account_id(flags.Get("account"));
  request.set_case_id(flags.Get("case"));
  request.set_student_id(flags.Get("student"));
  request.set_page_size(static_cast<int32_t>(flags.GetInt("page_size")));
  request.set_page_token(flags.Get("page_token"));
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::BureauService>();
  v1::ListAuditTrailResponse listing;
  grpc::Status status = ReadPages(
      context, all, request,
      [&](grpc::ClientContext* call, const v1::ListAuditTrailRequest& r,
          v1::ListAuditTrailResponse* page) {
        return stub->ListAuditTrail(call, r, page);
      },
      // The trail is oldest first: reading stops at the first entry
      // past --to.
      [&](v1::ListAuditTrailResponse& page) {
        for (v1::AuditEntry& entry : *page.mutable_entries()) {
          absl::CivilDay day = CountyDayOf(entry.record_time());
          if (day > to) return false;
          if (day >= from) *listing.add_entries() = std::move(entry);
        }
        return true;
      },
      &listing);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(listing);

  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Sequence", "Time", "By",
                                                "Action"}
                     : std::vector<std::string>{"事件序号", "时间", "操作人",
                                                "操作"});
  table.SetAlign(0, TextTable::Align::kRight);
  for (const v1::AuditEntry& entry : listing.entries()) {
    table.AddRow({absl::StrCat(entry.sequence()),
                  FormatTimestamp(entry.record_time()),
                  entry.account_id().empty() ? (en ? "system" : "系统")
                                             : entry.account_id(),
                  AuditActionLabel(entry.action(), lang)});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", listing.entries_size(), " 条"),
                             absl::StrCat(listing.entries_size(),
                                          listing.entries_size() == 1
                                              ? " entry"
                                              : " entries"))
                << "\n";
  if (!listing.next_page_token().empty()) {
    NoteMorePages(context, listing.next_page_token());
  }
  return kExitOk;
}

// ---- bureau watch.

// Turns Ctrl-C (SIGINT) and SIGTERM into a cancelled call, so that a
// watch ends with its output flushed and exit code 0 instead of being
// killed mid-line. The signals are blocked in the constructing thread
// (and so in every thread it starts later, gRPC's included) and taken by
// a thread of its own with sigwait(). Construct it before the channel.
// Not thread-safe; one per command run.
class InterruptCanceller {
 public:
  InterruptCanceller() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR1);  // Wakes the thread when the call ends.
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
  }
  ~InterruptCanceller() {
    Stop();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  InterruptCanceller(const InterruptCanceller&) = delete;
  InterruptCanceller& operator=(const InterruptCanceller&) = delete;

  // Starts waiting; on SIGINT or SIGTERM cancels `call`, which must outlive
  // this object.
  void Watch(grpc::ClientContext* call) {
    thread_ = std::thread([this, call] {
      int signal = 0;
      if (sigwait(&signals_, &signal) == 0 && signal != SIGUSR1) {
        interrupted_ = true;
        call->TryCancel();
      }
    });
  }

  // Stops waiting. Call it before the call given to Watch() is destroyed.
  void Stop() {
    if (thread_.joinable()) {
      pthread_kill(thread_.native_handle(), SIGUSR1);
      thread_.join();
    }
  }

  // True once a signal has cancelled the call. Read after the call ended
  // (the cancellation happens before the call can end because of it).
  bool interrupted() const { return interrupted_.load(); }

 private:
  sigset_t signals_;
  sigset_t previous_;
  std::thread thread_;
  std::atomic<bool> interrupted_{false};
};

std::string ChangeLine(const v1::WatchCasesResponse& change, Lang lang) {
  const v1::Case& c = change.case_();
  bool en = lang == Lang::kEn;
  std::vector<std::string> parts = {
      FormatTimestamp(c.update_time()),
      absl::StrCat(en ? "event " : "事件 ", change.sequence()),
      c.case_id(),
      c.student_name(),
      c.household_township_code(),
      c.school_id(),
      LabelOf(c.state(), lang),
      LabelOf(c.priority(), lang),
  };
  if (c.overdue()) parts.push_back(en ? "overdue" : "逾期");
  if (c.escalation_level() != v1::ESCALATION_LEVEL_UNSPECIFIED) {
    parts.push_back(absl::StrCat(en ? "answerable: " : "责任层级：",
                                 LabelOf(c.escalation_level(), lang)));
  }
  std::string line;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    absl::StrAppend(&line, line.empty() ? "" : "  ", part);
  }
  // One change is one line, whatever a name holds.
  absl::StrReplaceAll({{"\n", " "}, {"\r", " "}}, &line);
  return line;
}

int WatchCases(CliContext& context, const FlagValues& flags) {
  InterruptCanceller canceller;  // Before the channel starts its threads.
  auto stub = context.Stub<v1::BureauService>();
  v1::WatchCasesRequest request;
  if (flags.Has("after")) {
    if (flags.GetInt("after") < 0) {
      return context.UsageError({"--after 不能为负数",
                                 "--after cannot be negative"});
    }
    request.set_after_sequence(static_cast<uint64_t>(flags.GetInt("after")));
  } else {
    // From now: after the newest event in the log.
    v1::GetSystemStatusResponse system;
    auto call = context.NewCall();
    grpc::Status status =
        stub->GetSystemStatus(call.get(), v1::GetSystemStatusRequest(), &system);
    if (!status.ok()) return context.Fail(status);
    request.set_after_sequence(system.last_sequence());
  }
  context.Note(
      {absl::StrCat("正在监视案件变化（事件序号 ", request.after_sequence(),
                    " 之后），按 Ctrl-C 结束"),
       absl::StrCat("watching case changes after event sequence ",
                    request.after_sequence(), "; Ctrl-C stops")});

  // A watch has no deadline: it runs until stopped.
  auto call = context.NewCall();
  call->set_deadline(std::chrono::system_clock::time_point::max());
  canceller.Watch(call.get());
  auto reader = stub->WatchCases(call.get(), request);
  v1::WatchCasesResponse change;
  uint64_t last = request.after_sequence();
  while (reader->Read(&change)) {
    last = change.sequence();
    context.out() << (context.json() ? ToJsonLine(change)
                                     : ChangeLine(change, context.lang()) + "\n")
                  << std::flush;
  }
  grpc::Status status = reader->Finish();
  canceller.Stop();
  if (canceller.interrupted()) {
    context.Note({absl::StrCat("已停止；从此处继续：baoxue bureau watch --after ",
                               last),
                  absl::StrCat("stopped; continue from here: baoxue bureau "
                               "watch --after ",
                               last)});
    return kExitOk;
  }
  if (!status.ok()) return context.Fail(status);
  return kExitOk;
}

// ---- bureau rebuild.

int Rebuild(CliContext& context, const FlagValues& flags) {
  v1::RebuildProjectionsResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->RebuildProjections(
      call.get(), v1::RebuildProjectionsRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << context.T(
                       absl::StrCat("台账与统计已按事件日志重建：已应用到事件序号 ",
                                    response.applied_sequence(), "，用时 ",
                                    response.duration_millis(), " 毫秒"),
                       absl::StrCat("ledgers and counts rebuilt from the event "
                                    "log: applied up to event sequence ",
                                    response.applied_sequence(), " in ",
                                    response.duration_millis(), " ms"))
                << "\n";
  return kExitOk;
}

int AdvanceClock(CliContext& context, const FlagValues& flags) {
  v1::AdvanceClockRequest request;
  if (!ReadDateFlag(context, flags, "to", request.mutable_date())) {
    return kExitUsage;
  }
  if (flags.Has("time")) {
    int hours = 0;
    int minutes = 0;
    std::vector<std::string> parts = absl::StrSplit(flags.Get("time"), ':');
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &hours) ||
        !absl::SimpleAtoi(parts[1], &minutes) || hours < 0 || hours > 23 ||
        minutes < 0 || minutes > 59) {
      return context.UsageError(
          {absl::StrCat("--time 须为 HH:MM，如 18:00，而不是“",
                        flags.Get("time"), "”"),
           absl::StrCat("--time must be HH:MM such as 18:00, not \"",
                        flags.Get("time"), "\"")});
    }
    request.set_minute_of_day(hours * 60 + minutes);
  }
  v1::AdvanceClockResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->AdvanceClock(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << context.T(
                       absl::StrCat("县时钟已推进到 ", flags.Get("to"), " ",
                                    flags.Has("time") ? flags.Get("time")
                                                      : "00:00",
                                    "：追加 ", response.ticks(),
                                    " 个时钟事件，最新事件序号 ",
                                    response.last_sequence()),
                       absl::StrCat("the county clock is now at ",
                                    flags.Get("to"), " ",
                                    flags.Has("time") ? flags.Get("time")
                                                      : "00:00",
                                    ": ", response.ticks(),
                                    " clock ticks appended, last event "
                                    "sequence ",
                                    response.last_sequence()))
                << "\n";
  return kExitOk;
}

}  // namespace

void RegisterBureauReportCommands(CommandRegistry* registry) {
  registry->AddCommand({
      .path = "bureau clock",
      .summary = {"推进模拟时间的县时钟（仅限以 --simulated_time 启动的服务器）",
                  "move the county clock of a server in simulated time"},
      .details = {"演示与培训用：服务器须以 --simulated_time=YYYY-MM-DD 启动；"
                  "途中每个整点、每日上报截止和午夜的时钟事件都会依次追加，"
                  "期限与升级照常触发。时钟不能后退；真实时钟的服务器拒绝此命令。",
                  "For demos and training: the server must run with "
                  "--simulated_time=YYYY-MM-DD. Every tick on the way (each "
                  "hour, the reporting cutoff, midnight) is appended in turn, "
                  "so deadlines and escalations fire as they would. The clock "
                  "never goes back; a server on the wall clock refuses."},
      .examples = {"baoxue bureau clock --to 2026-10-12 --time 18:00",
                   "baoxue --lang en bureau clock --to 2026-10-13 --json"},
      .flags =
          {
              {.name = "to",
               .value_name = "DATE",
               .help = {"推进到的日期", "the day to move the clock to"},
               .required = true},
              {.name = "time",
               .value_name = "HH:MM",
               .help = {"当天的时刻，默认 00:00", "the time of day, default 00:00"}},
          },
      .run = AdvanceClock,
  });
  registry->AddCommand({
      .path = "bureau monthly",
      .summary = {"月报：各乡镇的月末在办、本月变化、首次联系与复学用时、复辍率",
                  "monthly report (月报) by township: month-end counts, the "
                  "month's changes, time to first contact and to return, "
                  "relapse rate"},
      .details = {"每个乡镇一行，最后一行为全县合计。本月的月报是截至目前的数字。"
                  "--csv 另存为 Excel 可直接打开的 CSV 文件。",
                  "One line per township, the county total last. The current "
                  "month's report counts so far. --csv also saves it as a CSV "
                  "file that Excel opens as it is."},
      .examples = {"baoxue bureau monthly --month 2026-11",
                   "baoxue bureau monthly --month 2026-11 --township 350526100",
                   "baoxue --lang en bureau monthly --month 2026-11 --csv "
                   "monthly-2026-11.csv"},
      .flags =
          {
              {.name = "month",
               .value_name = "YYYY-MM",
               .help = {"月份，如 2026-11；默认本月",
                        "the month, e.g. 2026-11; default this month"}},
              {.name = "township",
               .value_name = "CODE",
               .help = {"只看此乡镇（9 位代码）",
                        "only this township (9-digit code)"}},
              {.name = "csv",
               .value_name = "FILE.csv",
               .help = {"同时写入此 CSV 文件（UTF-8 带 BOM）",
                        "also write it to this CSV file (UTF-8 with a BOM)"}},
          },
      .run = MonthlyReport,
  });
  registry->AddCommand({
      .path = "bureau export",
      .summary = {"把台账导出为 CSV（Excel 可直接打开）",
                  "export a ledger as CSV (opens in Excel as it is)"},
      .details =
          {"筛选条件与 bureau ledger 相同，台账名可直接写在命令后。文件为 UTF-8 "
           "带 BOM；以 =、+、-、@ 开头的单元格前加 ' ，表格软件不会把它当公式执行。"
           "导出完成后文件才出现，失败时不留下半个文件。",
           "The filters are those of bureau ledger; the ledger may follow the "
           "command as a word. The file is UTF-8 with a BOM; a cell beginning "
           "with =, +, - or @ gets a leading ' so a spreadsheet never runs it "
           "as a formula. The file appears only when the export is complete."},
      .examples = {"baoxue bureau export dropout --out 辍学台账.csv",
                   "baoxue bureau export --ledger suspected --township "
                   "350526100 --out suspected-350526100.csv",
                   "baoxue --lang en bureau export --state persuading "
                   "--overdue > overdue.csv"},
      .flags = ExportFlags(),
      .run = ExportLedger,
      .positional = "ledger",
  });
  registry->AddCommand({
      .path = "bureau audit",
      .summary = {"审计记录：某账号、某案件或某儿童的全部操作（谁、何时、做了什么）",
                  "audit trail: who did what and when, for an account, a case "
                  "or a child"},
      .examples = {"baoxue bureau audit --account xz-clerk",
                   "baoxue bureau audit --case 350526-2026-00042 --all",
                   "baoxue --lang en bureau audit --account xz-town --from "
                   "2026-11-01 --to 2026-11-30"},
      .flags = WithPaging(
          {
              {.name = "account",
               .value_name = "ID",
               .help = {"此账号做的操作", "what this account did"}},
              {.name = "case",
               .value_name = "CASE_ID",
               .help = {"改变了此案件的操作", "what changed this case"}},
              {.name = "student",
               .value_name = "STUDENT_ID",
               .help = {"涉及此儿童的操作（学生编号，见 bureau students find）",
                        "what concerns this child (the student id; see bureau "
                        "students find)"}},
              {.name = "from",
               .value_name = "DATE",
               .help = {"只看此日及以后的（读取全部页）",
                        "only on or after this day (reads every page)"}},
              {.name = "to",
               .value_name = "DATE",
               .help = {"只看此日及以前的（读取全部页）",
                        "only on or before this day (reads every page)"}},
          }),
      .run = AuditTrail,
  });
  registry->AddCommand({
      .path = "bureau watch",
      .summary = {"实时显示案件变化，每个变化一行，直到 Ctrl-C",
                  "show case changes as they happen, one line each, until "
                  "Ctrl-C"},
      .details = {"默认从现在开始；--after N 从事件序号 N 之后继续（0 为从头）。"
                  "--json 每行输出一个 JSON 对象（JSON Lines）。",
                  "Starts from now by default; --after N continues after event "
                  "sequence N (0: from the start). With --json each line is "
                  "one JSON object (JSON Lines)."},
      .examples = {"baoxue bureau watch",
                   "baoxue --lang en bureau watch --after 1200 --json"},
      .flags = {{.name = "after",
                 .kind = FlagKind::kInt,
                 .value_name = "SEQUENCE",
                 .help = {"从此事件序号之后开始（停止时会显示）",
                          "start after this event sequence (shown when it "
                          "stops)"}}},
      .run = WatchCases,
  });
  registry->AddCommand({
      .path = "bureau rebuild",
      .summary = {"按事件日志重建全部台账与统计（维护用）",
                  "rebuild every ledger and count from the event log "
                  "(maintenance)"},
      .details = {"重建期间台账读数不完整。大县可能需要较长时间，可用 --timeout "
                  "放宽时限。",
                  "Reads see partial ledgers until it finishes. A large county "
                  "may take a while: raise --timeout."},
      .examples = {"baoxue bureau rebuild",
                   "baoxue --lang en --timeout 600 bureau rebuild --json"},
      .run = Rebuild,
  });
}

}  // namespace baoxue::clients
