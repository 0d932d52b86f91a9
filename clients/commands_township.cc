// `baoxue township ...`: the commands of township officials and village
// cadres.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "baoxue/v1/township.grpc.pb.h"
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
  v1::GetTownshipSessionResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::TownshipService>()->GetTownshipSession(
          call.get(), v1::GetTownshipSessionRequest(), &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderFields(
      AccountFields(response.account(), context.lang()));
  return kExitOk;
}

int ListStudents(CliContext& context, const FlagValues& flags) {
  bool all = flags.GetBool("all");
  v1::ListTownshipStudentsRequest request;
  request.set_page_size(static_cast<int32_t>(flags.GetInt("page_size")));
  request.set_page_token(flags.Get("page_token"));
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::TownshipService>();
  v1::ListTownshipStudentsResponse listing;
  grpc::Status status = ReadPages(
      context, all, request,
      [&](grpc::ClientContext* call, const v1::ListTownshipStudentsRequest& r,
          v1::ListTownshipStudentsResponse* page) {
        return stub->ListTownshipStudents(call, r, page);
      },
      [&](v1::ListTownshipStudentsResponse& page) {
        for (v1::Student& s : *page.mutable_students()) {
          *listing.add_students() = std::move(s);
        }
        return true;
      },
      &listing);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(listing);
  context.out() << StudentTable(
                       listing.students(),
                       context.lang(), /*with_school=*/true)
                << context.T(absl::StrCat("共 ", listing.students_size(),
                                          " 名儿童"),
                             absl::StrCat(listing.students_size(),
                                          " children"))
                << "\n";
  if (!listing.next_page_token().empty()) {
    context.Note({absl::StrCat("还有更多：加 --all 显示全部，或用 "
                               "--page_token ",
                               listing.next_page_token(), " 继续"),
                  absl::StrCat("more follow: add --all to list them all, or "
                               "continue with --page_token ",
                               listing.next_page_token())});
  }
  return kExitOk;
}

int TownshipReporting(CliContext& context, const FlagValues& flags) {
  v1::GetTownshipReportingStatusRequest request;
  if (!ReadRangeFlags(context, flags, request.mutable_start_date(),
                      request.mutable_end_date())) {
    return kExitUsage;
  }
  request.set_min_sequence(context.options().min_sequence);
  v1::GetTownshipReportingStatusResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::TownshipService>()->GetTownshipReportingStatus(
          call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << RenderSchoolsReporting(
      response.schools(), context.lang());
  return kExitOk;
}

int ListCases(CliContext& context, const FlagValues& flags) {
  v1::ListCasesRequest request;
  if (!ReadCaseFilter(context, flags, request.mutable_filter())) {
    return kExitUsage;
  }
  request.set_min_sequence(context.options().min_sequence);
  auto stub = context.Stub<v1::TownshipService>();
  return RunCaseListing(
      context, flags, CaseAudience::kTownship,
      [&](grpc::ClientContext* call, const std::string& token, int32_t size,
          v1::ListCasesResponse* page) {
        request.set_page_token(token);
        request.set_page_size(size);
        return stub->ListCases(call, request, page);
      });
}

grpc::Status GetCase(CliContext& context, const std::string& case_id,
                     v1::GetCaseResponse* response) {
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  request.set_min_sequence(context.options().min_sequence);
  auto call = context.NewCall();
  return context.Stub<v1::TownshipService>()->GetCase(call.get(), request,
                                                       response);
}

int ShowCase(CliContext& context, const FlagValues& flags) {
  v1::GetCaseResponse response;
  grpc::Status status = GetCase(context, flags.Get("case"), &response);
  if (!status.ok()) return context.Fail(status);
  return PrintCase(context, response, response.row(), response.student(),
                   response.history());
}

int VerifyCase(CliContext& context, const FlagValues& flags) {
  v1::VerifyCaseRequest request;
  request.set_case_id(flags.Get("case"));
  v1::VerificationOutcome outcome = v1::VERIFICATION_OUTCOME_UNSPECIFIED;
  v1::DropoutReason reason = v1::DROPOUT_REASON_UNSPECIFIED;
  if (!ReadVerification(context, flags, &outcome, &reason)) return kExitUsage;
  if (outcome == v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL &&
      reason == v1::DROPOUT_REASON_UNSPECIFIED) {
    return context.UsageError(
        {absl::StrCat("确认辍学须用 --reason 写明辍学原因：",
                      AcceptedWords(LabelSet::kDropoutReason, Lang::kZh)),
         absl::StrCat("confirming a dropout needs --reason: ",
                      AcceptedWords(LabelSet::kDropoutReason, Lang::kEn))});
  }
  request.set_outcome(outcome);
  request.set_dropout_reason(reason);
  request.set_note(flags.Get("note"));
  if (flags.Has("date")) {
    if (!ReadDateFlag(context, flags, "date", request.mutable_verify_date())) {
      return kExitUsage;
    }
  } else {
    *request.mutable_verify_date() = ToDate(CountyToday());
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::VerifyCaseResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::TownshipService>()->VerifyCase(
      call.get(), request, &response);
  bool confirmed = outcome == v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL;
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue township case verify --case ", request.case_id(),
                   " ..."),
      {absl::StrCat("已核查案件 ", request.case_id(), "：",
                    LabelOf(outcome, Lang::kZh),
                    confirmed ? "，确认辍学" : "，案件排除"),
       absl::StrCat("verified case ", request.case_id(), ": ",
                    LabelOf(outcome, Lang::kEn),
                    confirmed ? ", dropout confirmed" : ", case dismissed")});
}

int RecordActionOf(CliContext& context, const FlagValues& flags,
                   v1::ActionKind kind) {
  v1::RecordActionRequest request;
  request.set_case_id(flags.Get("case"));
  if (!ReadAction(context, flags, kind, request.mutable_action())) {
    return kExitUsage;
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::RecordActionResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::TownshipService>()->RecordAction(
      call.get(), request, &response);
  v1::ActionKind done = request.action().kind();
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue township case ",
                   kind == v1::ACTION_KIND_HOME_VISIT && !flags.Has("kind")
                       ? "visit"
                       : "action",
                   " --case ", request.case_id(), " ..."),
      {absl::StrCat("已记录案件 ", request.case_id(), " 的",
                    LabelOf(done, Lang::kZh)),
       absl::StrCat("recorded a ", LabelOf(done, Lang::kEn), " on case ",
                    request.case_id())});
}

int RecordVisit(CliContext& context, const FlagValues& flags) {
  return RecordActionOf(context, flags, v1::ACTION_KIND_HOME_VISIT);
}

int RecordOtherAction(CliContext& context, const FlagValues& flags) {
  return RecordActionOf(context, flags, v1::ACTION_KIND_UNSPECIFIED);
}

int ArrangeCase(CliContext& context, const FlagValues& flags) {
  v1::ArrangeCaseRequest request;
  request.set_case_id(flags.Get("case"));
  request.set_note(flags.Get("note"));
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::ArrangeCaseResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::TownshipService>()->ArrangeCase(
      call.get(), request, &response);
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue township case arrange --case ", request.case_id(),
                   " ..."),
      {absl::StrCat("案件 ", request.case_id(), " 已妥善安置"),
       absl::StrCat("case ", request.case_id(), " arranged")});
}

int AssignResponsible(CliContext& context, const FlagValues& flags) {
  if (!flags.Has("official") && !flags.Has("teacher") && !flags.Has("cadre")) {
    return context.UsageError(
        {"请至少给出 --official、--teacher、--cadre 之一",
         "give at least one of --official, --teacher, --cadre"});
  }
  // The server replaces all three names: start from the case's current ones
  // so that a name not given stays as it is.
  v1::GetCaseResponse current;
  grpc::Status read = GetCase(context, flags.Get("case"), &current);
  if (!read.ok()) return context.Fail(read);
  v1::AssignResponsibleRequest request;
  request.set_case_id(flags.Get("case"));
  v1::ResponsiblePeople* people = request.mutable_responsible();
  *people = current.row().case_().responsible();
  people->clear_bureau_lead();  // The bureau names its own lead.
  if (flags.Has("official")) people->set_township_official(flags.Get("official"));
  if (flags.Has("teacher")) people->set_class_teacher(flags.Get("teacher"));
  if (flags.Has("cadre")) people->set_village_cadre(flags.Get("cadre"));
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::AssignResponsibleResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::TownshipService>()->AssignResponsible(
          call.get(), request, &response);
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue township case responsible --case ",
                   request.case_id(), " ..."),
      {absl::StrCat("已指定案件 ", request.case_id(), " 的包保责任人"),
       absl::StrCat("named the responsible people of case ",
                    request.case_id())});
}

int ReportChild(CliContext& context, const FlagValues& flags) {
  v1::ReportChildOutOfSchoolRequest request;
  v1::Student* child = request.mutable_child();
  child->set_id_number(flags.Get("id_number"));
  child->set_name(flags.Get("name"));
  child->set_household_village_code(flags.Get("village"));
  if (!child->household_village_code().empty()) {
    // The village code starts with its township's 9 digits.
    child->set_household_township_code(
        child->household_village_code().substr(0, 9));
  }
  for (const std::string& text : flags.GetAll("guardian")) {
    if (!ParseGuardian(text, child->add_guardians())) {
      return context.UsageError(
          {absl::StrCat("--guardian 应写成 姓名:关系:电话，而不是“", text, "”"),
           absl::StrCat("--guardian must be name:relation:phone, not \"",
                        text, "\"")});
    }
  }
  for (const std::string& word : flags.GetAll("priority")) {
    v1::PriorityGroup group;
    if (!ParsePriorityGroup(word, &group)) {
      return context.UsageError(
          {absl::StrCat("--priority “", word, "”无法识别，可用：",
                        AcceptedWords(LabelSet::kPriorityGroup, Lang::kZh)),
           absl::StrCat("--priority \"", word, "\" is not known; use ",
                        AcceptedWords(LabelSet::kPriorityGroup, Lang::kEn))});
    }
    child->add_priority_groups(group);
  }
  request.set_note(flags.Get("note"));
  if (flags.Has("date")) {
    if (!ReadDateFlag(context, flags, "date", request.mutable_found_date())) {
      return kExitUsage;
    }
  } else {
    *request.mutable_found_date() = ToDate(CountyToday());
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::ReportChildOutOfSchoolResponse response;
  auto call = context.NewCall();
  grpc::Status status =
      context.Stub<v1::TownshipService>()->ReportChildOutOfSchool(
          call.get(), request, &response);
  return FinishWrite(
      context, status, response, request_id,
      absl::StrCat("baoxue township report-child --id_number ",
                   MaskIdNumber(child->id_number()), " ..."),
      {absl::StrCat("已上报失学儿童，案件号 ", response.case_id(),
                    "（学生编号 ", response.student_id(), "）"),
       absl::StrCat("reported the child out of school: case ",
                    response.case_id(), " (student ", response.student_id(),
                    ")")});
}

// A roster file is sent in chunks of at most this many entries (the
// server's limit per UpdateRoster call).
constexpr size_t kRosterChunk = 1000;

int ImportRoster(CliContext& context, const FlagValues& flags) {
  std::string path = flags.Get("file");
  std::string village = flags.Get("village");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return context.UsageError({absl::StrCat("无法读取文件 ", path),
                               absl::StrCat("cannot read the file ", path)});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<RosterFile> file = ReadRosterCsv(buffer.str());
  if (!file.ok()) {
    return context.UsageError(
        {absl::StrCat(path, "：", file.status().message()),
         absl::StrCat(path, ": ", file.status().message())});
  }
  if (!context.json()) {
    context.Note({absl::StrCat(path, "：", file->encoding, " 编码，",
                               file->data_rows, " 行数据"),
                  absl::StrCat(path, ": ", file->encoding, ", ",
                               file->data_rows, " data rows")});
  }
  // All or nothing: every row is checked here first (the server checks
  // each chunk again and refuses a chunk with any bad entry).
  if (!file->errors.empty()) {
    context.UsageError(
        {absl::StrCat("有 ", file->errors.size(),
                      " 行错误，整个文件都没有导入（改正后重新运行）："),
         absl::StrCat(file->errors.size(),
                      " bad rows; nothing was imported (fix them and run "
                      "again):")});
    PrintRowErrors(context, file->errors);
    return kExitUsage;
  }
  if (file->entries.empty()) {
    return context.UsageError({absl::StrCat(path, "：没有数据行"),
                               absl::StrCat(path, ": no data rows")});
  }
  // The request ids come from the village and the file's content, so
  // running the same file again does nothing twice.
  std::string id_base = absl::StrCat(
      "roster-", Sha256Hex(absl::StrCat(village, "\n", file->content_hash))
                     .substr(0, 32));
  bool progress = isatty(STDERR_FILENO) == 1 && !context.json();
  auto stub = context.Stub<v1::TownshipService>();
  v1::UpdateRosterResponse last;
  size_t chunks = (file->entries.size() + kRosterChunk - 1) / kRosterChunk;
  for (size_t chunk = 0; chunk < chunks; ++chunk) {
    size_t begin = chunk * kRosterChunk;
    size_t end = std::min(file->entries.size(), begin + kRosterChunk);
    v1::UpdateRosterRequest request;
    request.set_village_code(village);
    for (size_t i = begin; i < end; ++i) {
      *request.add_entries() = file->entries[i];
    }
    request.set_request_id(absl::StrCat(id_base, "-", chunk));
    v1::UpdateRosterResponse response;
    auto call = context.NewCall();
    grpc::Status status = stub->UpdateRoster(call.get(), request, &response);
    if (!status.ok()) {
      int code = context.Fail(status);
      if (chunk > 0) {
        context.Note(
            {absl::StrCat("前 ", begin, " 行已导入；可原样重新运行同一文件，"
                                         "已导入的部分不会重复"),
             absl::StrCat("the first ", begin, " rows were imported; run the "
                          "same file again: what was imported is not "
                          "imported twice")});
      } else if (code == kExitFailed) {
        context.Note({"结果不明时可原样重新运行同一文件：已导入的部分不会重复",
                      "if the outcome is unknown, run the same file again: "
                      "what was imported is not imported twice"});
      }
      return code;
    }
    last = response;
    if (progress) {
      context.err() << "\r" << end << "/" << file->entries.size()
                    << std::flush;
    }
  }
  if (progress) context.err() << "\n";
  if (context.json()) return context.PrintJson(last);
  PrintDone(context,
            {absl::StrCat("已导入村 ", village, " 的适龄儿童台账 ",
                          file->entries.size(), " 人"),
             absl::StrCat("imported ", file->entries.size(),
                          " children into the roster of village ", village)},
            last.sequence());
  return kExitOk;
}

int ListRoster(CliContext& context, const FlagValues& flags) {
  v1::ListRosterRequest request;
  request.set_village_code(flags.Get("village"));
  request.set_min_sequence(context.options().min_sequence);
  v1::ListRosterResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::TownshipService>()->ListRoster(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  bool en = context.lang() == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"ID number", "Name",
                                                "Guardian", "Phone"}
                     : std::vector<std::string>{"身份证号", "姓名", "监护人",
                                                "联系电话"});
  for (const v1::RosterEntry& e : response.entries()) {
    table.AddRow({e.id_number(), e.name(), e.guardian_name(),
                  e.guardian_phone()});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", response.entries_size(), " 人"),
                             absl::StrCat(response.entries_size(), " children"))
                << "\n";
  return kExitOk;
}

}  // namespace

void RegisterTownshipCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "township",
      .summary = {"乡镇：本乡镇儿童的核查、家访与劝返",
                  "township: verification, home visits and persuasion for "
                  "its children"},
      .examples = {"baoxue --token_file ~/xz-town.token township whoami",
                   "baoxue township cases --overdue",
                   "baoxue township case show --case 350526-2026-00042",
                   "baoxue township roster import --village 350526100001 "
                   "--file roster.csv"},
  });
  registry->AddCommand({
      .path = "township whoami",
      .summary = {"显示当前账号及其乡镇", "show the calling account and its "
                                         "township"},
      .examples = {"baoxue --token_file ~/xz-town.token township whoami"},
      .run = WhoAmI,
  });
  registry->AddGroup({
      .path = "township students",
      .summary = {"户籍在本乡镇的儿童", "the children whose household is in "
                                       "the township"},
      .examples = {"baoxue township students list --all"},
  });
  registry->AddCommand({
      .path = "township students list",
      .summary = {"列出户籍在本乡镇的儿童（身份证号部分隐藏）",
                  "list the children whose household is in the township (ID "
                  "numbers masked)"},
      .examples = {"baoxue township students list",
                   "baoxue township students list --all --json"},
      .flags = PagingFlags(),
      .run = ListStudents,
  });
  registry->AddCommand({
      .path = "township reporting",
      .summary = {"本乡镇各校每日考勤上报情况",
                  "which school days each school of the township reported"},
      .examples = {"baoxue township reporting --from 2026-11-02 --to today",
                   "baoxue township reporting --from 2026-11-02 --to "
                   "2026-11-27 --json"},
      .flags = RangeFlags(),
      .run = TownshipReporting,
  });
  registry->AddCommand({
      .path = "township cases",
      .summary = {"本乡镇的案件，最紧急的在前", "the township's cases, most "
                                             "urgent first"},
      .details = {"包括户籍在本乡镇、在县内其他学校就读的儿童。排序：紧急、重点、"
                  "逾期，然后按立案时间。",
                  "Includes children whose household is in the township but "
                  "who attend a school elsewhere in the county. Order: "
                  "urgent, high, overdue, then by opening time."},
      .examples = {"baoxue township cases",
                   "baoxue township cases --ledger suspected --overdue",
                   "baoxue township cases --village 350526100001 --all --json"},
      .flags = CaseListFlags(CaseAudience::kTownship),
      .run = ListCases,
  });
  registry->AddGroup({
      .path = "township case",
      .summary = {"一个案件：查看、核查、家访、劝返措施、安置、责任人",
                  "one case: show, verify, visit, actions, arrange, "
                  "responsible people"},
      .examples = {"baoxue township case show --case 350526-2026-00042"},
  });
  registry->AddCommand({
      .path = "township case show",
      .summary = {"案件详情：儿童、监护人、责任人、期限和完整时间线",
                  "a case in full: the child, guardians, responsible people, "
                  "deadlines and the whole timeline"},
      .examples = {"baoxue township case show --case 350526-2026-00042",
                   "baoxue --lang en township case show --case "
                   "350526-2026-00042"},
      .flags = {CaseIdFlag()},
      .run = ShowCase,
  });
  registry->AddCommand({
      .path = "township case verify",
      .summary = {"核查疑似案件：排除（写明结果）或确认辍学（写明原因）",
                  "verify a suspected case: dismiss it with an outcome, or "
                  "confirm the dropout with a reason"},
      .examples = {"baoxue township case verify --case 350526-2026-00042 "
                   "--outcome out_of_school --reason working --note "
                   "随父亲在厦门务工",
                   "baoxue township case verify --case 350526-2026-00043 "
                   "--outcome in_province --note 已在泉州市某校就读"},
      .flags =
          {
              CaseIdFlag(),
              {.name = "outcome",
               .value_name = "OUTCOME",
               .help = {absl::StrCat("核查结果：", AcceptedWords(
                                                    LabelSet::kVerificationOutcome,
                                                    Lang::kZh)),
                        absl::StrCat("what verification found: ",
                                     AcceptedWords(
                                         LabelSet::kVerificationOutcome,
                                         Lang::kEn))},
               .required = true},
              {.name = "reason",
               .value_name = "REASON",
               .help = {absl::StrCat("辍学原因（确认辍学时必填）：",
                                     AcceptedWords(LabelSet::kDropoutReason,
                                                   Lang::kZh)),
                        absl::StrCat("dropout reason (required with "
                                     "out_of_school): ",
                                     AcceptedWords(LabelSet::kDropoutReason,
                                                   Lang::kEn))}},
              {.name = "note",
               .value_name = "TEXT",
               .help = {"核查说明，最多 1000 字", "a note, up to 1000 "
                                                 "characters"}},
              {.name = "date",
               .value_name = "DATE",
               .help = {"核查日期，默认今天", "the day of verification, "
                                            "default today"}},
              RequestIdFlag(),
          },
      .run = VerifyCase,
  });
  registry->AddCommand({
      .path = "township case visit",
      .summary = {"记录一次家访", "record a home visit (家访)"},
      .details = {"确认辍学的案件记录第一项措施后转为“劝返中”。",
                  "The first action on a confirmed case starts persuasion."},
      .examples = {"baoxue township case visit --case 350526-2026-00042 "
                   "--date 2026-11-27 --actors 林强、王老师 --met 母亲 "
                   "--attitude hesitant --outcome 答应下周一送孩子返校 "
                   "--next 2026-11-30"},
      .flags = ActionFlags(ActionFlagSet::kVisit),
      .run = RecordVisit,
  });
  registry->AddCommand({
      .path = "township case action",
      .summary = {"记录其他劝返措施：电话、村干部走访、限期返校通知书等",
                  "record another persuasion step: phone call, cadre visit, "
                  "notice to return, ..."},
      .examples = {"baoxue township case action --case 350526-2026-00042 "
                   "--kind phone --actors 林强 --outcome 监护人未接听",
                   "baoxue township case action --case 350526-2026-00042 "
                   "--kind notice --date 2026-11-28 --actors 浔中镇人民政府 "
                   "--deadline 2026-12-05"},
      .flags = ActionFlags(ActionFlagSet::kAnyKind),
      .run = RecordOtherAction,
  });
  registry->AddCommand({
      .path = "township case arrange",
      .summary = {"妥善安置（送教上门、延缓入学、休学等）并结案",
                  "close a case with a lawful arrangement (home teaching, "
                  "deferral, suspension)"},
      .examples = {"baoxue township case arrange --case 350526-2026-00042 "
                   "--note 重度残疾，已安排送教上门"},
      .flags =
          {
              CaseIdFlag(),
              {.name = "note",
               .value_name = "TEXT",
               .help = {"安置情况，1–500 字", "the arrangement, 1-500 "
                                             "characters"},
               .required = true},
              RequestIdFlag(),
          },
      .run = ArrangeCase,
  });
  registry->AddCommand({
      .path = "township case responsible",
      .summary = {"指定包保责任人（未给出的保持不变）",
                  "name the responsible people (those not given stay)"},
      .examples = {"baoxue township case responsible --case "
                   "350526-2026-00042 --official 林强 --teacher 王丽 --cadre "
                   "陈福生"},
      .flags =
          {
              CaseIdFlag(),
              {.name = "official",
               .value_name = "NAME",
               .help = {"乡镇责任人", "the township official"}},
              {.name = "teacher",
               .value_name = "NAME",
               .help = {"班主任", "the class teacher"}},
              {.name = "cadre",
               .value_name = "NAME",
               .help = {"村干部", "the village cadre"}},
              RequestIdFlag(),
          },
      .run = AssignResponsible,
  });
  registry->AddCommand({
      .path = "township report-child",
      .summary = {"上报摸排发现的失学儿童（县里未登记的儿童一并登记）",
                  "report a child found out of school (registering a child "
                  "the county has never seen)"},
      .examples = {"baoxue township report-child --id_number "
                   "350526201503070012 --name 郑小龙 --village 350526100001 "
                   "--guardian 郑大海:父亲:13905951234 --note "
                   "入户摸排发现未入学 --date 2026-11-27"},
      .flags =
          {
              {.name = "id_number",
               .value_name = "ID_NUMBER",
               .help = {"儿童身份证号", "the child's ID number"},
               .required = true},
              {.name = "name",
               .value_name = "NAME",
               .help = {"姓名（县里未登记的儿童必填）",
                        "name (required for a child the county has never "
                        "seen)"}},
              {.name = "village",
               .value_name = "CODE",
               .help = {"户籍村 12 位代码（未登记的儿童必填）",
                        "household village, 12-digit code (required for a "
                        "new child)"}},
              {.name = "guardian",
               .value_name = "姓名:关系:电话",
               .help = {"监护人，可多次给出", "a guardian, repeatable"},
               .repeated = true},
              {.name = "priority",
               .value_name = "GROUP",
               .help = {"重点群体，可多次给出", "a priority group, repeatable"},
               .repeated = true},
              {.name = "note",
               .value_name = "TEXT",
               .help = {"发现情况，1–1000 字", "what was found, 1-1000 "
                                              "characters"},
               .required = true},
              {.name = "date",
               .value_name = "DATE",
               .help = {"发现日期，默认今天", "the day the child was found, "
                                            "default today"}},
              RequestIdFlag(),
          },
      .run = ReportChild,
  });
  registry->AddGroup({
      .path = "township roster",
      .summary = {"适龄儿童台账（按村）", "the villages' rosters of "
                                          "school-age children"},
      .examples = {"baoxue township roster import --village 350526100001 "
                   "--file 城东社区适龄儿童.csv"},
  });
  registry->AddCommand({
      .path = "township roster import",
      .summary = {"从 CSV 导入一个村的适龄儿童台账（全部正确才导入）",
                  "import a village's roster from CSV (all rows or none)"},
      .details = {"列：身份证号、姓名、监护人、联系电话（也可用英文表头 "
                  "id_number, name, guardian_name, guardian_phone）。UTF-8 或 "
                  "GBK 自动识别。每批最多 1000 行；同一文件重新运行不会重复导入。",
                  "Columns: 身份证号 id_number, 姓名 name, 监护人 "
                  "guardian_name, 联系电话 guardian_phone. UTF-8 or GBK, "
                  "detected. Sent in chunks of at most 1000 rows; running "
                  "the same file again does nothing twice."},
      .examples = {"baoxue township roster import --village 350526100001 "
                   "--file 城东社区适龄儿童.csv"},
      .flags =
          {
              {.name = "village",
               .value_name = "CODE",
               .help = {"村 12 位代码", "the village, 12-digit code"},
               .required = true},
              {.name = "file",
               .value_name = "roster.csv",
               .help = {"台账 CSV 文件", "the roster CSV file"},
               .required = true},
          },
      .run = ImportRoster,
  });
  registry->AddCommand({
      .path = "township roster list",
      .summary = {"列出一个村的适龄儿童台账", "list a village's roster"},
      .examples = {"baoxue township roster list --village 350526100001"},
      .flags = {{.name = "village",
                 .value_name = "CODE",
                 .help = {"村 12 位代码", "the village, 12-digit code"},
                 .required = true}},
      .run = ListRoster,
  });
}

}  // namespace baoxue::clients
