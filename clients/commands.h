// The commands of the `baoxue` client, one registration function per group
// (each in commands_<group>.cc), and the helpers they share.
//
// To add a command: write its handler in the commands_<group>.cc of the
// people who use it and add one registry->AddCommand({...}) call in that
// file's Register function (with help in both languages and a real
// example); a new group also needs registry->AddGroup({...}) and, for a new
// file, a line in RegisterAllCommands() and in clients/CMakeLists.txt.
#ifndef BAOXUE_CLIENTS_COMMANDS_H_
#define BAOXUE_CLIENTS_COMMANDS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/student.pb.h"
#include "baoxue/v1/township.pb.h"
#include "clients/case_views.h"
#include "clients/cli_context.h"
#include "clients/cli_registry.h"
#include "clients/cli_status.h"
#include "clients/cli_text.h"
#include "clients/import_files.h"

namespace baoxue::clients {

void RegisterBureauCommands(CommandRegistry* registry);
// The bureau's set-up of the county (commands_bureau_county.cc): county,
// townships, villages, schools, calendar, settings. Called by
// RegisterBureauCommands() once the "bureau" group exists.
void RegisterBureauCountyCommands(CommandRegistry* registry);
// The bureau's case commands (commands_bureau_cases.cc): ledgers, overdue,
// escalated, case show and lead, closure, summary, alerts.
void RegisterBureauCaseCommands(CommandRegistry* registry);
// The bureau's reports and tools (commands_bureau_reports.cc): monthly
// report, ledger export, audit trail, watch, rebuild.
void RegisterBureauReportCommands(CommandRegistry* registry);
void RegisterSchoolCommands(CommandRegistry* registry);
// `school students ...` (commands_school_students.cc), called by
// RegisterSchoolCommands().
void RegisterSchoolStudentCommands(CommandRegistry* registry);
void RegisterTownshipCommands(CommandRegistry* registry);

// All of the above.
void RegisterAllCommands(CommandRegistry* registry);

// A fresh idempotency key for a mutating call, "cli-" and 32 hex digits.
std::string NewRequestId();

// The --request_id flag of every mutating command.
FlagSpec RequestIdFlag();
// --request_id if given, else NewRequestId().
std::string RequestIdOf(const FlagValues& flags);

// context.Fail(status), and after a failure whose outcome is unknown (the
// server could not be reached or did not answer) a note on how to retry
// the same request safely: `retry_command --request_id <id>`.
int FailWithRetryHint(CliContext& context, const grpc::Status& status,
                      const std::string& request_id,
                      const std::string& retry_command);

// Reads flag `name` as a date (cli_values.h) into *date. On a bad value
// reports a usage error and returns false. An absent flag leaves *date
// alone and returns true.
bool ReadDateFlag(CliContext& context, const FlagValues& flags,
                  absl::string_view name, v1::Date* date);

// Prints "<done>（事件序号 N）" / "<done> (event sequence N)".
void PrintDone(CliContext& context, const Text& done, uint64_t sequence);

// Prints every bad row of a file or batch on err(), one per line:
// "第 12 行：<reason>" / "line 12: <reason>", ordered by line.
void PrintRowErrors(CliContext& context, std::vector<RowError> errors);

// A child's record as label/value pairs: 学籍号, 身份证号 (masked if
// `mask_id`), name, sex, birth date, household, guardians, priority groups,
// enrolment and its history.
std::vector<std::pair<std::string, std::string>> StudentFields(
    const v1::Student& student, Lang lang, bool mask_id);

// An aligned table of children, one per line: 学籍号 and 身份证号 (both
// masked: a G number embeds the ID number), 姓名, 性别, 学校, 年级, 班级,
// 学籍状态, 户籍村, 重点群体. `with_school` adds the school column (township
// lists).
std::string StudentTable(
    const google::protobuf::RepeatedPtrField<v1::Student>& students, Lang lang,
    bool with_school);

// Reporting status: for one school, a table of its school days (date,
// weekday, status, absences) and a summary; for several schools, one line
// per school (reported, missing, in a row, the missing dates).
std::string RenderSchoolDays(const v1::SchoolReportingStatus& status,
                             Lang lang);
std::string RenderSchoolsReporting(
    const google::protobuf::RepeatedPtrField<v1::SchoolReportingStatus>&
        schools,
    Lang lang);

// --page_size (rows per page, 1-1000, default 100), --page_token and --all
// of a listing.
std::vector<FlagSpec> PagingFlags();
// After a listing that stopped before its end: a note on err() saying how
// to go on (--all, or --page_token `next_page_token`).
void NoteMorePages(CliContext& context, const std::string& next_page_token);

// Reads a paged listing into *listing: the page at request's page_token
// and, with `all`, every next page until the last. `fetch` makes one call;
// `take` moves one page's rows into *listing and returns false to stop
// early. *listing keeps the token to go on from (none after `all` or an
// early stop). A server that repeats a token ends the loop rather than
// spin on it.
template <typename Request, typename Response, typename Fetch, typename Take>
grpc::Status ReadPages(CliContext& context, bool all, Request request,
                       Fetch fetch, Take take, Response* listing) {
  while (true) {
    Response page;
    auto call = context.NewCall();
    grpc::Status status = fetch(call.get(), request, &page);
    if (!status.ok()) return status;
    // A listing `take` ended has nothing more to offer.
    bool go_on = take(page);
    listing->set_next_page_token(go_on ? page.next_page_token() : "");
    if (!go_on || !all || page.next_page_token().empty() ||
        page.next_page_token() == request.page_token()) {
      break;
    }
    request.set_page_token(page.next_page_token());
  }
  if (all) listing->clear_next_page_token();
  return grpc::Status::OK;
}

// Reads --from and --to into a date range (both required flags).
bool ReadRangeFlags(CliContext& context, const FlagValues& flags,
                    v1::Date* start, v1::Date* end);
// The --from / --to flag specs.
std::vector<FlagSpec> RangeFlags();

// An account as label/value pairs for RenderFields(): id, name, role, its
// school or township, state, creation time and creator.
std::vector<std::pair<std::string, std::string>> AccountFields(
    const v1::Account& account, Lang lang);

// The end of a write command: on failure FailWithRetryHint(); otherwise
// the response as JSON, or "<done>（事件序号 N）".
template <typename Response>
int FinishWrite(CliContext& context, const grpc::Status& status,
                const Response& response, const std::string& request_id,
                const std::string& retry_command, const Text& done) {
  if (!status.ok()) {
    return FailWithRetryHint(context, status, request_id, retry_command);
  }
  if (context.json()) return context.PrintJson(response);
  PrintDone(context, done, response.sequence());
  return kExitOk;
}

// ---- Cases, shared by the three groups (commands_cases.cc) ----

// --case CASE_ID (required).
FlagSpec CaseIdFlag();

// The ledger filters of a listing (--ledger, --state, --kind, --priority,
// --overdue, --escalated, --opened_from/--opened_to; --school and --village
// for townships and the bureau, --township for the bureau) and paging
// (--page_size, --page_token, --all).
std::vector<FlagSpec> CaseListFlags(CaseAudience audience);
// Reads those filters; on a bad value reports a usage error (listing the
// accepted words) and returns false.
bool ReadCaseFilter(CliContext& context, const FlagValues& flags,
                    v1::CaseFilter* filter);

// Fetches one page of a case listing with the caller's own RPC.
using CasePageFetch = std::function<grpc::Status(
    grpc::ClientContext* call, const std::string& page_token,
    int32_t page_size, v1::ListCasesResponse* page)>;
// Lists cases page by page (every page with --all) and prints the table
// for `audience`, or the rows as one JSON document {rows, next_page_token}.
int RunCaseListing(CliContext& context, const FlagValues& flags,
                   CaseAudience audience, const CasePageFetch& fetch);

// Prints one case: `response` as JSON, or CaseDetail().
int PrintCase(CliContext& context, const google::protobuf::Message& response,
              const v1::CaseRow& row, const v1::Student& student,
              const google::protobuf::RepeatedPtrField<v1::CaseHistoryEntry>&
                  history);

// The flags of a persuasion action: --case, --date, --actors, --met,
// --attitude, --outcome, --notes, --next, --deadline, --request_id.
//   kVisit       a home visit: --date, --met, --attitude and --outcome are
//                required; no --deadline;
//   kAnyKind     --kind is required (phone, notice, order, ...);
//   kSchoolNote  --kind is optional (default other: a note).
enum class ActionFlagSet { kVisit, kAnyKind, kSchoolNote };
std::vector<FlagSpec> ActionFlags(ActionFlagSet set);
// Reads them into *action (`kind` unless --kind says otherwise; --date
// defaults to today). A notice or order without --deadline, or a bad word
// or date, is a usage error: returns false.
bool ReadAction(CliContext& context, const FlagValues& flags,
                v1::ActionKind kind, v1::CaseAction* action);

// Reads --outcome and --reason of a verification.
bool ReadVerification(CliContext& context, const FlagValues& flags,
                      v1::VerificationOutcome* outcome,
                      v1::DropoutReason* reason);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_COMMANDS_H_
