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

#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/student.pb.h"
#include "clients/cli_context.h"
#include "clients/cli_registry.h"
#include "clients/cli_text.h"
#include "clients/import_files.h"

namespace baoxue::clients {

void RegisterBureauCommands(CommandRegistry* registry);
// The bureau's set-up of the county (commands_bureau_county.cc): county,
// townships, villages, schools, calendar, settings. Called by
// RegisterBureauCommands() once the "bureau" group exists.
void RegisterBureauCountyCommands(CommandRegistry* registry);
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

// An aligned table of children, one per line: 学籍号, 姓名, 性别, 身份证号
// (masked), 学校, 年级, 班级, 学籍状态, 户籍村, 重点群体. `with_school` adds
// the school column (township lists).
std::string StudentTable(const google::protobuf::RepeatedPtrField<v1::Student>& students, Lang lang,
                         bool with_school);

// Reporting status: for one school, a table of its school days (date,
// weekday, status, absences) and a summary; for several schools, one line
// per school (reported, missing, in a row, the missing dates).
std::string RenderSchoolDays(const v1::SchoolReportingStatus& status,
                             Lang lang);
std::string RenderSchoolsReporting(
    const google::protobuf::RepeatedPtrField<v1::SchoolReportingStatus>& schools, Lang lang);

// Reads --from and --to into a date range (both required flags).
bool ReadRangeFlags(CliContext& context, const FlagValues& flags,
                    v1::Date* start, v1::Date* end);
// The --from / --to flag specs.
std::vector<FlagSpec> RangeFlags();

// An account as label/value pairs for RenderFields(): id, name, role, its
// school or township, state, creation time and creator.
std::vector<std::pair<std::string, std::string>> AccountFields(
    const v1::Account& account, Lang lang);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_COMMANDS_H_
