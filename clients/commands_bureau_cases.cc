// `baoxue bureau ...` for the county's cases: the ledgers (台账), overdue and
// escalated lists, one case, closure approval (销号), the area lead, the
// summary and the reporting alerts.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "baoxue/v1/bureau.grpc.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_output.h"
#include "clients/cli_status.h"
#include "clients/cli_values.h"
#include "clients/commands.h"
#include "clients/labels.h"
#include "clients/table.h"

namespace baoxue::clients {
namespace {

// What a listing adds to the flags: nothing, only overdue, only escalated.
enum class Forced { kNone, kOverdue, kEscalated };

int ListLedger(CliContext& context, const FlagValues& flags, Forced forced) {
  v1::ListCountyCasesRequest request;
  if (!ReadCaseFilter(context, flags, request.mutable_filter())) {
    return kExitUsage;
  }
  if (forced == Forced::kOverdue) request.mutable_filter()->set_overdue_only(true);
  if (forced == Forced::kEscalated) {
    request.mutable_filter()->set_escalated_only(true);
  }
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::BureauService>();
  if (!context.json()) {
    const v1::CaseFilter& f = request.filter();
    std::string title =
        f.state() != v1::CASE_STATE_UNSPECIFIED
            ? LabelOf(f.state(), context.lang())
            : LedgerLabel(f.ledger(), context.lang());
    if (f.overdue_only()) {
      absl::StrAppend(&title, context.T("（逾期）", " (overdue)"));
    }
    if (f.escalated_only()) {
      absl::StrAppend(&title, context.T("（已升级至教育局）",
                                        " (escalated to the bureau)"));
    }
    context.out() << title << "\n";
  }
  return RunCaseListing(
      context, flags, CaseAudience::kBureau,
      [&](grpc::ClientContext* call, const std::string& token, int32_t size,
          v1::ListCasesResponse* page) {
        request.set_page_token(token);
        request.set_page_size(size);
        v1::ListCountyCasesResponse response;
        grpc::Status status = stub->ListCountyCases(call, request, &response);
        *page->mutable_rows() = std::move(*response.mutable_rows());
        page->set_next_page_token(response.next_page_token());
        return status;
      });
}

int Ledger(CliContext& context, const FlagValues& flags) {
  return ListLedger(context, flags, Forced::kNone);
}
int Overdue(CliContext& context, const FlagValues& flags) {
  return ListLedger(context, flags, Forced::kOverdue);
}
int Escalated(CliContext& context, const FlagValues& flags) {
  return ListLedger(context, flags, Forced::kEscalated);
}

int ShowCountyCase(CliContext& context, const FlagValues& flags) {
  v1::GetCountyCaseRequest request;
  request.set_case_id(flags.Get("case"));
  request.set_min_sequence(context.options().min_sequence);
  v1::GetCountyCaseResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetCountyCase(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  return PrintCase(context, response, response.row(), response.student(),
                   response.history());
}

int DecideClosure(CliContext& context, const FlagValues& flags,
                  bool approved) {
  if (!approved && !flags.Has("reason")) {
    return context.UsageError({"退回销号必须用 --reason 写明原因",
                               "rejecting a closure needs --reason"});
  }
  v1::DecideClosureRequest request;
  request.set_case_id(flags.Get("case"));
  request.set_approved(approved);
  request.set_reason(flags.Get("reason"));
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::DecideClosureResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->DecideClosure(
      call.get(), request, &response);
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue bureau closure ", approved ? "approve" : "reject",
                   " --case ", request.case_id(), " ..."),
      approved ? Text{absl::StrCat("案件 ", request.case_id(), " 已销号"),
                      absl::StrCat("case ", request.case_id(), " closed")}
               : Text{absl::StrCat("案件 ", request.case_id(),
                                   " 的销号已退回，重新劝返"),
                      absl::StrCat("closure of case ", request.case_id(),
                                   " rejected; back to persuasion")});
}

int ApproveClosure(CliContext& context, const FlagValues& flags) {
  return DecideClosure(context, flags, /*approved=*/true);
}
int RejectClosure(CliContext& context, const FlagValues& flags) {
  return DecideClosure(context, flags, /*approved=*/false);
}

int AssignLead(CliContext& context, const FlagValues& flags) {
  v1::AssignBureauLeadRequest request;
  request.set_case_id(flags.Get("case"));
  request.set_bureau_lead(flags.Get("name"));
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::AssignBureauLeadResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->AssignBureauLead(
      call.get(), request, &response);
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue bureau case lead --case ", request.case_id(),
                   " ..."),
      {absl::StrCat("已指定案件 ", request.case_id(), " 的包片领导：",
                    request.bureau_lead()),
       absl::StrCat("case ", request.case_id(), ": area lead ",
                    request.bureau_lead())});
}

int Summary(CliContext& context, const FlagValues& flags) {
  if (flags.Has("township") && flags.Has("school")) {
    return context.UsageError({"--township 和 --school 只能给出一个",
                               "give --township or --school, not both"});
  }
  v1::GetSummaryRequest request;
  request.set_township_code(flags.Get("township"));
  request.set_school_id(flags.Get("school"));
  request.set_min_sequence(context.options().min_sequence);
  v1::GetSummaryResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetSummary(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  const v1::CaseSummary& s = response.summary();
  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  std::string scope =
      flags.Has("township")
          ? absl::StrCat(en ? "Township " : "乡镇 ", flags.Get("township"))
      : flags.Has("school")
          ? absl::StrCat(en ? "School " : "学校 ", flags.Get("school"))
          : std::string(en ? "The county" : "全县");
  TextTable table(en ? std::vector<std::string>{"Item", "Count"}
                     : std::vector<std::string>{"项目", "数量"});
  table.SetAlign(1, TextTable::Align::kRight);
  auto add = [&](absl::string_view zh, absl::string_view label_en,
                 const std::string& value) {
    table.AddRow({std::string(en ? label_en : zh), value});
  };
  for (int state = v1::CASE_STATE_SUSPECTED; state <= v1::CASE_STATE_CLOSED;
       ++state) {
    int64_t count = state < s.by_state_size() ? s.by_state(state) : 0;
    table.AddRow({LabelOf(static_cast<v1::CaseState>(state), lang),
                  absl::StrCat(count)});
  }
  add("在办案件", "open", absl::StrCat(s.open()));
  add("其中重点", "of which high priority", absl::StrCat(s.high_priority()));
  add("其中紧急", "of which urgent", absl::StrCat(s.urgent()));
  add("其中逾期", "of which overdue", absl::StrCat(s.overdue()));
  add("其中升级至教育局", "of which escalated to the bureau",
      absl::StrCat(s.escalated_to_bureau()));
  add("辍学在外（确认辍学 + 劝返中）",
      "out of school (confirmed + persuading)", absl::StrCat(s.out_of_school()));
  add("动态清零", "zero dropout (动态清零)",
      s.zero_dropout() ? (en ? "yes" : "是") : (en ? "no" : "否"));
  if (!flags.Has("school")) {
    add("连续未上报的学校", "schools not reporting",
        absl::StrCat(s.schools_not_reporting()));
  }
  context.out() << scope << "\n" << table.Render();
  return kExitOk;
}

int Alerts(CliContext& context, const FlagValues& flags) {
  v1::ListReportingAlertsRequest request;
  request.set_include_resolved(flags.GetBool("all"));
  request.set_min_sequence(context.options().min_sequence);
  v1::ListReportingAlertsResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::BureauService>()->ListReportingAlerts(
          call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  bool en = context.lang() == Lang::kEn;
  TextTable table(
      en ? std::vector<std::string>{"School", "First missing day",
                                    "Days missing", "Raised", "Status"}
         : std::vector<std::string>{"学校", "首个未报日", "连续未报天数",
                                    "预警时间", "状态"});
  table.SetAlign(2, TextTable::Align::kRight);
  for (const v1::ReportingAlert& a : response.alerts()) {
    table.AddRow({a.school_id(), FormatDate(a.first_missing_date()),
                  absl::StrCat(a.missing_days()),
                  FormatTimestamp(a.raise_time()),
                  a.resolved() ? (en ? "reporting again" : "已恢复上报")
                               : (en ? "open" : "未解决")});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", response.alerts_size(), " 条预警"),
                             absl::StrCat(response.alerts_size(), " alerts"))
                << "\n";
  return kExitOk;
}

std::vector<FlagSpec> WithRequestId(std::vector<FlagSpec> flags) {
  flags.push_back(RequestIdFlag());
  return flags;
}

}  // namespace

void RegisterBureauCaseCommands(CommandRegistry* registry) {
  registry->AddCommand({
      .path = "bureau ledger",
      .summary = {"全县台账：疑似辍学、辍学、在办、已结，最紧急的在前",
                  "the county's ledgers: suspected, dropout, open, closed; "
                  "most urgent first"},
      .details = {"台账名可直接写在命令后（bureau ledger dropout），默认在办案件。",
                  "The ledger may follow the command as a word (bureau ledger "
                  "dropout); the default is every open case."},
      .examples = {"baoxue bureau ledger dropout",
                   "baoxue bureau ledger suspected --township 350526100 "
                   "--overdue",
                   "baoxue bureau ledger closed --opened_from 2026-09-01 "
                   "--all --json"},
      .flags = CaseListFlags(CaseAudience::kBureau),
      .run = Ledger,
      .positional = "ledger",
  });
  registry->AddCommand({
      .path = "bureau overdue",
      .summary = {"逾期案件（台账加 --overdue）", "overdue cases (the ledger "
                                                 "with --overdue)"},
      .examples = {"baoxue bureau overdue", "baoxue bureau overdue --township "
                                            "350526100"},
      .flags = CaseListFlags(CaseAudience::kBureau),
      .run = Overdue,
  });
  registry->AddCommand({
      .path = "bureau escalated",
      .summary = {"已升级至教育局的案件", "cases escalated to the bureau"},
      .examples = {"baoxue bureau escalated", "baoxue bureau escalated --all "
                                              "--json"},
      .flags = CaseListFlags(CaseAudience::kBureau),
      .run = Escalated,
  });
  registry->AddGroup({
      .path = "bureau case",
      .summary = {"全县的一个案件：查看、指定包片领导",
                  "one case of the county: show it, name the area lead"},
      .examples = {"baoxue bureau case show --case 350526-2026-00042"},
  });
  registry->AddCommand({
      .path = "bureau case show",
      .summary = {"案件详情和完整时间线", "a case in full, with its timeline"},
      .examples = {"baoxue bureau case show --case 350526-2026-00042"},
      .flags = {CaseIdFlag()},
      .run = ShowCountyCase,
  });
  registry->AddCommand({
      .path = "bureau case lead",
      .summary = {"指定案件的包片领导", "name the case's area lead (包片领导)"},
      .examples = {"baoxue bureau case lead --case 350526-2026-00042 --name "
                   "陈副局长"},
      .flags = WithRequestId(
          {CaseIdFlag(),
           {.name = "name",
            .value_name = "NAME",
            .help = {"包片领导姓名，1–50 字", "the area lead's name, 1-50 "
                                              "characters"},
            .required = true}}),
      .run = AssignLead,
  });
  registry->AddGroup({
      .path = "bureau closure",
      .summary = {"销号审批：批准或退回待销号的案件",
                  "closure (销号): approve or reject a case pending closure"},
      .examples = {"baoxue bureau ledger --state pending",
                   "baoxue bureau closure approve --case 350526-2026-00042"},
  });
  registry->AddCommand({
      .path = "bureau closure approve",
      .summary = {"批准销号", "approve the closure"},
      .examples = {"baoxue bureau closure approve --case 350526-2026-00042",
                   "baoxue bureau closure approve --case 350526-2026-00042 "
                   "--reason 复学后出勤正常"},
      .flags = WithRequestId(
          {CaseIdFlag(),
           {.name = "reason",
            .value_name = "TEXT",
            .help = {"审批意见，最多 500 字", "a remark, up to 500 "
                                             "characters"}}}),
      .run = ApproveClosure,
  });
  registry->AddCommand({
      .path = "bureau closure reject",
      .summary = {"退回销号（须写明原因），案件回到劝返中",
                  "reject the closure (with a reason); the case goes back "
                  "to persuasion"},
      .examples = {"baoxue bureau closure reject --case 350526-2026-00042 "
                   "--reason 观察期内仍有旷课"},
      .flags = WithRequestId(
          {CaseIdFlag(),
           {.name = "reason",
            .value_name = "TEXT",
            .help = {"退回原因，1–500 字", "why, 1-500 characters"},
            .required = false}}),
      .run = RejectClosure,
  });
  registry->AddCommand({
      .path = "bureau summary",
      .summary = {"全县、一个乡镇或一所学校的案件汇总（含动态清零）",
                  "case counts of the county, a township or a school (with "
                  "动态清零)"},
      .examples = {"baoxue bureau summary",
                   "baoxue bureau summary --township 350526100",
                   "baoxue --lang en bureau summary --school xunzhong-primary "
                   "--json"},
      .flags =
          {
              {.name = "township",
               .value_name = "CODE",
               .help = {"汇总这个乡镇", "summarise this township"}},
              {.name = "school",
               .value_name = "SCHOOL_ID",
               .help = {"汇总这所学校", "summarise this school"}},
          },
      .run = Summary,
  });
  registry->AddCommand({
      .path = "bureau alerts",
      .summary = {"连续未上报考勤的学校（预警）",
                  "schools whose daily reports have stopped (alerts)"},
      .examples = {"baoxue bureau alerts", "baoxue bureau alerts --all"},
      .flags = {{.name = "all",
                 .kind = FlagKind::kBool,
                 .help = {"包括已恢复上报的", "include alerts already "
                                             "resolved"}}},
      .run = Alerts,
  });
}

}  // namespace baoxue::clients
