// `baoxue bureau county|townships|villages|schools|calendar|settings ...`:
// how the county bureau sets up the county before anyone else can work.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "baoxue/v1/bureau.grpc.pb.h"
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

using Stub = v1::BureauService::Stub;

std::string FormerNames(
    const google::protobuf::RepeatedPtrField<v1::FormerName>& names,
    Lang lang) {
  std::vector<std::string> parts;
  for (const v1::FormerName& n : names) parts.push_back(n.name());
  return absl::StrJoin(parts, lang == Lang::kEn ? ", " : "、");
}

// Runs a write whose response carries only a sequence; prints `done`.
template <typename Request, typename Response>
int SimpleWrite(CliContext& context, const FlagValues& flags,
                Request& request,
                grpc::Status (Stub::*method)(grpc::ClientContext*,
                                             const Request&, Response*),
                const Text& done, const std::string& retry_command) {
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  Response response;
  auto call = context.NewCall();
  auto stub = context.Stub<v1::BureauService>();
  grpc::Status status = ((*stub).*method)(call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(context, status, request_id, retry_command);
  }
  if (context.json()) return context.PrintJson(response);
  PrintDone(context, done, response.sequence());
  return kExitOk;
}

// ---- county ----------------------------------------------------------------

int SetCounty(CliContext& context, const FlagValues& flags) {
  v1::ConfigureCountyRequest request;
  request.mutable_county()->set_county_code(flags.Get("code"));
  request.mutable_county()->set_name(flags.Get("name"));
  return SimpleWrite(
      context, flags, request, &Stub::ConfigureCounty,
      {absl::StrCat("已设置本县：", flags.Get("name"), "（", flags.Get("code"),
                    "）"),
       absl::StrCat("County set: ", flags.Get("name"), " (", flags.Get("code"),
                    ")")},
      absl::StrCat("baoxue bureau county set --code ", flags.Get("code"),
                   " --name ", flags.Get("name")));
}

int ShowCounty(CliContext& context, const FlagValues& flags) {
  v1::GetCountyRequest request;
  request.set_min_sequence(context.options().min_sequence);
  v1::GetCountyResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetCounty(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  if (response.county().county_code().empty()) {
    context.out() << context.T(
                         "尚未设置本县：baoxue bureau county set --code 350526 "
                         "--name 德化县",
                         "The county is not set yet: baoxue bureau county set "
                         "--code 350526 --name 德化县")
                  << "\n";
    return kExitOk;
  }
  bool en = context.lang() == Lang::kEn;
  context.out() << RenderFields(
      {{en ? "County code" : "县级代码", response.county().county_code()},
       {en ? "Name" : "名称", response.county().name()}});
  return kExitOk;
}

// ---- townships -------------------------------------------------------------

int CreateTownship(CliContext& context, const FlagValues& flags) {
  v1::CreateTownshipRequest request;
  request.mutable_township()->set_township_code(flags.Get("code"));
  request.mutable_township()->set_name(flags.Get("name"));
  return SimpleWrite(
      context, flags, request, &Stub::CreateTownship,
      {absl::StrCat("已创建乡镇 ", flags.Get("name"), "（", flags.Get("code"),
                    "）"),
       absl::StrCat("Township created: ", flags.Get("name"), " (",
                    flags.Get("code"), ")")},
      absl::StrCat("baoxue bureau townships create --code ", flags.Get("code"),
                   " --name ", flags.Get("name")));
}

int RenameTownship(CliContext& context, const FlagValues& flags) {
  v1::RenameTownshipRequest request;
  request.set_township_code(flags.Get("code"));
  request.set_name(flags.Get("name"));
  return SimpleWrite(
      context, flags, request, &Stub::RenameTownship,
      {absl::StrCat("乡镇 ", flags.Get("code"), " 已更名为 ", flags.Get("name"),
                    "，原名保留在历史中"),
       absl::StrCat("Township ", flags.Get("code"), " renamed to ",
                    flags.Get("name"), "; the old name is kept")},
      absl::StrCat("baoxue bureau townships rename --code ", flags.Get("code"),
                   " --name ", flags.Get("name")));
}

int ListTownships(CliContext& context, const FlagValues& flags) {
  v1::ListTownshipsRequest request;
  request.set_min_sequence(context.options().min_sequence);
  v1::ListTownshipsResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->ListTownships(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Code", "Name", "Kind",
                                                "Former names"}
                     : std::vector<std::string>{"代码", "名称", "类型",
                                                "曾用名"});
  for (const v1::Township& t : response.townships()) {
    table.AddRow({t.township_code(), t.name(), TownshipKindLabel(t.kind(), lang),
                  FormerNames(t.former_names(), lang)});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", response.townships_size(),
                                          " 个乡镇"),
                             absl::StrCat(response.townships_size(),
                                          " townships"))
                << "\n";
  return kExitOk;
}

// ---- villages --------------------------------------------------------------

int CreateVillage(CliContext& context, const FlagValues& flags) {
  v1::CreateVillageRequest request;
  request.mutable_village()->set_village_code(flags.Get("code"));
  request.mutable_village()->set_name(flags.Get("name"));
  request.mutable_village()->set_township_code(flags.Get("code").substr(0, 9));
  return SimpleWrite(
      context, flags, request, &Stub::CreateVillage,
      {absl::StrCat("已创建村（社区）", flags.Get("name"), "（",
                    flags.Get("code"), "）"),
       absl::StrCat("Village created: ", flags.Get("name"), " (",
                    flags.Get("code"), ")")},
      absl::StrCat("baoxue bureau villages create --code ", flags.Get("code"),
                   " --name ", flags.Get("name")));
}

int RenameVillage(CliContext& context, const FlagValues& flags) {
  v1::RenameVillageRequest request;
  request.set_village_code(flags.Get("code"));
  request.set_name(flags.Get("name"));
  return SimpleWrite(
      context, flags, request, &Stub::RenameVillage,
      {absl::StrCat("村 ", flags.Get("code"), " 已更名为 ", flags.Get("name"),
                    "，原名保留在历史中"),
       absl::StrCat("Village ", flags.Get("code"), " renamed to ",
                    flags.Get("name"), "; the old name is kept")},
      absl::StrCat("baoxue bureau villages rename --code ", flags.Get("code"),
                   " --name ", flags.Get("name")));
}

int ListVillages(CliContext& context, const FlagValues& flags) {
  v1::ListVillagesRequest request;
  request.set_township_code(flags.Get("township"));
  request.set_min_sequence(context.options().min_sequence);
  v1::ListVillagesResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->ListVillages(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Code", "Name", "Former names"}
                     : std::vector<std::string>{"代码", "名称", "曾用名"});
  for (const v1::Village& v : response.villages()) {
    table.AddRow({v.village_code(), v.name(), FormerNames(v.former_names(), lang)});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", response.villages_size(),
                                          " 个村（社区）"),
                             absl::StrCat(response.villages_size(),
                                          " villages"))
                << "\n";
  return kExitOk;
}

// ---- schools ---------------------------------------------------------------

// Reads --kind and --grades into *school (when given). Grades default to
// the kind's (1-6, 7-9, 1-9) when only the kind is given.
bool ReadSchoolKindAndGrades(CliContext& context, const FlagValues& flags,
                             v1::School* school) {
  if (flags.Has("kind")) {
    v1::SchoolKind kind;
    if (!ParseSchoolKind(flags.Get("kind"), &kind)) {
      context.UsageError(
          {absl::StrCat("--kind 只能是 ",
                        AcceptedWords(LabelSet::kSchoolKind, Lang::kZh),
                        "，而不是“", flags.Get("kind"), "”"),
           absl::StrCat("--kind must be ",
                        AcceptedWords(LabelSet::kSchoolKind, Lang::kEn),
                        ", not \"", flags.Get("kind"), "\"")});
      return false;
    }
    school->set_kind(kind);
  }
  if (flags.Has("grades")) {
    std::vector<int> grades;
    if (!ParseGrades(flags.Get("grades"), &grades)) {
      context.UsageError(
          {absl::StrCat("--grades 应写作 1-6 或 7,8,9（1 到 9，升序），而不是“",
                        flags.Get("grades"), "”"),
           absl::StrCat("--grades must look like 1-6 or 7,8,9 (1 to 9, "
                        "ascending), not \"",
                        flags.Get("grades"), "\"")});
      return false;
    }
    school->mutable_grades()->Assign(grades.begin(), grades.end());
  } else if (flags.Has("kind")) {
    int lo = 1, hi = 9;
    if (school->kind() == v1::SCHOOL_KIND_PRIMARY) hi = 6;
    if (school->kind() == v1::SCHOOL_KIND_JUNIOR_SECONDARY) lo = 7;
    school->clear_grades();
    for (int g = lo; g <= hi; ++g) school->add_grades(g);
  }
  return true;
}

int CreateSchool(CliContext& context, const FlagValues& flags) {
  v1::CreateSchoolRequest request;
  v1::School* school = request.mutable_school();
  school->set_school_id(flags.Get("id"));
  school->set_name(flags.Get("name"));
  school->set_township_code(flags.Get("township"));
  if (!ReadSchoolKindAndGrades(context, flags, school)) return kExitUsage;
  return SimpleWrite(
      context, flags, request, &Stub::CreateSchool,
      {absl::StrCat("已创建学校 ", flags.Get("name"), "（", flags.Get("id"),
                    "，", SchoolKindLabel(school->kind(), Lang::kZh), "，",
                    FormatGrades({school->grades().begin(),
                                  school->grades().end()}),
                    " 年级）"),
       absl::StrCat("School created: ", flags.Get("name"), " (",
                    flags.Get("id"), ", ",
                    SchoolKindLabel(school->kind(), Lang::kEn), ", grades ",
                    FormatGrades({school->grades().begin(),
                                  school->grades().end()}),
                    ")")},
      absl::StrCat("baoxue bureau schools create --id ", flags.Get("id"),
                   " ..."));
}

int UpdateSchool(CliContext& context, const FlagValues& flags) {
  if (!flags.Has("name") && !flags.Has("kind") && !flags.Has("grades")) {
    return context.UsageError({"请至少给出 --name、--kind、--grades 之一",
                               "give at least one of --name, --kind, --grades"});
  }
  // The update replaces name, kind and grades: start from the school as it is.
  auto stub = context.Stub<v1::BureauService>();
  v1::ListSchoolsRequest list;
  list.set_min_sequence(context.options().min_sequence);
  v1::ListSchoolsResponse schools;
  auto list_call = context.NewCall();
  grpc::Status status = stub->ListSchools(list_call.get(), list, &schools);
  if (!status.ok()) return context.Fail(status);
  v1::UpdateSchoolRequest request;
  v1::School* school = request.mutable_school();
  for (const v1::School& s : schools.schools()) {
    if (s.school_id() == flags.Get("id")) *school = s;
  }
  if (school->school_id().empty()) {
    return context.Fail(grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        context.T(absl::StrCat("没有编号为 ", flags.Get("id"), " 的学校"),
                  absl::StrCat("no school has the id ", flags.Get("id")))));
  }
  school->clear_former_names();
  if (flags.Has("name")) school->set_name(flags.Get("name"));
  if (!ReadSchoolKindAndGrades(context, flags, school)) return kExitUsage;
  return SimpleWrite(
      context, flags, request, &Stub::UpdateSchool,
      {absl::StrCat("已更新学校 ", school->school_id(), "：", school->name(),
                    "，", SchoolKindLabel(school->kind(), Lang::kZh), "，",
                    FormatGrades({school->grades().begin(),
                                  school->grades().end()}),
                    " 年级"),
       absl::StrCat("School ", school->school_id(), " updated: ",
                    school->name(), ", ",
                    SchoolKindLabel(school->kind(), Lang::kEn), ", grades ",
                    FormatGrades({school->grades().begin(),
                                  school->grades().end()}))},
      absl::StrCat("baoxue bureau schools update --id ", flags.Get("id"),
                   " ..."));
}

int ListSchools(CliContext& context, const FlagValues& flags) {
  v1::ListSchoolsRequest request;
  request.set_township_code(flags.Get("township"));
  request.set_min_sequence(context.options().min_sequence);
  v1::ListSchoolsResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->ListSchools(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  TextTable table(
      en ? std::vector<std::string>{"School", "Name", "Township", "Kind",
                                    "Grades", "Former names"}
         : std::vector<std::string>{"学校", "名称", "乡镇", "类型", "年级",
                                    "曾用名"});
  table.SetMaxWidth(1, 30);
  for (const v1::School& s : response.schools()) {
    table.AddRow({s.school_id(), s.name(), s.township_code(),
                  SchoolKindLabel(s.kind(), lang),
                  FormatGrades({s.grades().begin(), s.grades().end()}),
                  FormerNames(s.former_names(), lang)});
  }
  context.out() << table.Render()
                << context.T(absl::StrCat("共 ", response.schools_size(),
                                          " 所学校"),
                             absl::StrCat(response.schools_size(), " schools"))
                << "\n";
  return kExitOk;
}

// ---- calendar --------------------------------------------------------------

bool ReadFile(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *bytes = buffer.str();
  return true;
}

int SetCalendar(CliContext& context, const FlagValues& flags) {
  v1::SetCalendarRequest request;
  v1::SchoolYearCalendar* calendar = request.mutable_calendar();
  if (flags.Has("file")) {
    std::string bytes;
    if (!ReadFile(flags.Get("file"), &bytes)) {
      return context.UsageError(
          {absl::StrCat("无法读取文件 ", flags.Get("file")),
           absl::StrCat("cannot read the file ", flags.Get("file"))});
    }
    absl::StatusOr<CalendarFile> file = ReadCalendarCsv(bytes);
    if (!file.ok()) {
      return context.UsageError(
          {absl::StrCat(flags.Get("file"), "：", file.status().message()),
           absl::StrCat(flags.Get("file"), ": ", file.status().message())});
    }
    if (!file->errors.empty()) {
      context.UsageError(
          {absl::StrCat(flags.Get("file"), " 有 ", file->errors.size(),
                        " 行错误，校历未保存："),
           absl::StrCat(flags.Get("file"), " has ", file->errors.size(),
                        " bad rows; the calendar was not saved:")});
      PrintRowErrors(context, file->errors);
      return kExitUsage;
    }
    *calendar = file->calendar;
  }
  Text error;
  for (const std::string& term : flags.GetAll("term")) {
    if (!ParseTermArg(term, calendar->add_terms(), &error)) {
      return context.UsageError(error);
    }
  }
  for (const std::string& range : flags.GetAll("holiday")) {
    absl::CivilDay first, last;
    if (!ParseDayRange(range, &first, &last)) {
      return context.UsageError(
          {absl::StrCat("--holiday 应为日期或 开始..结束，如 "
                        "2026-10-01..2026-10-07，而不是“",
                        range, "”"),
           absl::StrCat("--holiday must be a date or first..last, e.g. "
                        "2026-10-01..2026-10-07, not \"",
                        range, "\"")});
    }
    for (absl::CivilDay d = first; d <= last; ++d) {
      *calendar->add_holidays() = ToDate(d);
    }
  }
  for (const std::string& day : flags.GetAll("makeup")) {
    if (!ParseDate(day, calendar->add_makeup_days())) {
      return context.UsageError(
          {absl::StrCat("--makeup 须为日期，如 2026-09-27，而不是“", day, "”"),
           absl::StrCat("--makeup must be a date such as 2026-09-27, not \"",
                        day, "\"")});
    }
  }
  if (calendar->terms().empty()) {
    return context.UsageError(
        {"至少需要一个学期：--term 名称:开始:结束，或 --file calendar.csv",
         "at least one term is needed: --term name:start:end, or --file "
         "calendar.csv"});
  }
  int year = static_cast<int>(flags.GetInt("year"));
  if (!flags.Has("year")) {
    // The school year starts in the autumn term's year.
    const v1::Date& start = calendar->terms(0).start_date();
    year = start.month() >= 8 ? start.year() : start.year() - 1;
  }
  calendar->set_school_year(year);
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::SetCalendarResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->SetCalendar(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(
        context, status, request_id,
        absl::StrCat("baoxue bureau calendar set --year ", year, " ..."));
  }
  if (context.json()) return context.PrintJson(response);
  PrintDone(context,
            {absl::StrCat("已设置 ", year, "–", year + 1, " 学年校历：",
                          calendar->terms_size(), " 个学期，",
                          response.school_days(), " 个上课日"),
             absl::StrCat("Calendar of school year ", year, "-", year + 1,
                          " set: ", calendar->terms_size(), " terms, ",
                          response.school_days(), " school days")},
            response.sequence());
  return kExitOk;
}

// Consecutive days as ranges: "10-01..10-07, 10-12".
std::string DayRanges(const google::protobuf::RepeatedPtrField<v1::Date>& dates,
                      Lang lang) {
  std::vector<absl::CivilDay> days;
  for (const v1::Date& d : dates) days.push_back(ToDay(d));
  std::sort(days.begin(), days.end());
  std::vector<std::string> parts;
  for (size_t i = 0; i < days.size();) {
    size_t j = i;
    while (j + 1 < days.size() && days[j + 1] == days[j] + 1) ++j;
    std::string first = absl::StrCat(FormatDay(days[i]), "（",
                                     WeekdayLabel(days[i], lang), "）");
    if (lang == Lang::kEn) {
      first = absl::StrCat(FormatDay(days[i]), " (", WeekdayLabel(days[i], lang),
                           ")");
    }
    parts.push_back(j > i ? absl::StrCat(FormatDay(days[i]), "..",
                                         FormatDay(days[j]))
                          : first);
    i = j + 1;
  }
  return absl::StrJoin(parts, lang == Lang::kEn ? ", " : "，");
}

int ShowCalendar(CliContext& context, const FlagValues& flags) {
  v1::GetCalendarRequest request;
  request.set_school_year(static_cast<int32_t>(flags.GetInt("year")));
  request.set_min_sequence(context.options().min_sequence);
  v1::GetCalendarResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetCalendar(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  Lang lang = context.lang();
  bool en = lang == Lang::kEn;
  const v1::SchoolYearCalendar& c = response.calendar();
  TextTable terms(en ? std::vector<std::string>{"Term", "Start", "End"}
                     : std::vector<std::string>{"学期", "开始", "结束"});
  for (const v1::Term& t : c.terms()) {
    terms.AddRow({t.name(), FormatDate(t.start_date()),
                  FormatDate(t.end_date())});
  }
  context.out() << (en ? absl::StrCat("School year ", c.school_year(), "-",
                                      c.school_year() + 1, "\n")
                       : absl::StrCat(c.school_year(), "–",
                                      c.school_year() + 1, " 学年\n"))
                << terms.Render() << "\n"
                << RenderFields(
                       {{en ? "Holidays" : "节假日", DayRanges(c.holidays(), lang)},
                        {en ? "Make-up school days" : "调休上课日",
                         DayRanges(c.makeup_days(), lang)},
                        {en ? "School days" : "上课日总数",
                         absl::StrCat(response.school_days())}});
  return kExitOk;
}

// ---- settings --------------------------------------------------------------

// One integer setting: its flag (the proto field's name), label and range.
struct IntSetting {
  const char* name;
  Text label;
  int lo, hi;
  int32_t (v1::RuleSettings::*get)() const;
  void (v1::RuleSettings::*set)(int32_t);
};

const std::vector<IntSetting>& IntSettings() {
  using S = v1::RuleSettings;
  static const auto* settings = new std::vector<IntSetting>{
      {"consecutive_absence_days", {"连续旷课立案天数（上课日）", "R1: consecutive unexcused school days that open a case"}, 2, 30, &S::consecutive_absence_days, &S::set_consecutive_absence_days},
      {"cumulative_absence_days", {"学期累计旷课立案天数", "R2: unexcused days in a term that open a case"}, 2, 100, &S::cumulative_absence_days, &S::set_cumulative_absence_days},
      {"transfer_limbo_days", {"转出待接收最长天数", "R3: days a transfer-out may wait for its transfer-in"}, 1, 180, &S::transfer_limbo_days, &S::set_transfer_limbo_days},
      {"lawful_status_grace_days", {"休学/延缓期满后复学宽限天数", "R6: days after a suspension or deferral ends to enrol again"}, 1, 90, &S::lawful_status_grace_days, &S::set_lawful_status_grace_days},
      {"first_contact_school_days", {"立案后首次联系家庭时限（上课日）", "school days for the first contact after a case opens"}, 1, 10, &S::first_contact_school_days, &S::set_first_contact_school_days},
      {"verification_days", {"核查时限（天）", "days to verify a suspected case"}, 1, 60, &S::verification_days, &S::set_verification_days},
      {"persuasion_action_interval_days", {"劝返行动最长间隔（天）", "days allowed between actions on a persuading case"}, 1, 60, &S::persuasion_action_interval_days, &S::set_persuasion_action_interval_days},
      {"persuasion_escalation_days", {"劝返未果上报教育局天数", "days without return before the bureau is brought in"}, 1, 365, &S::persuasion_escalation_days, &S::set_persuasion_escalation_days},
      {"closure_approval_days", {"销号审批时限（天）", "days the bureau has to decide a closure"}, 1, 60, &S::closure_approval_days, &S::set_closure_approval_days},
      {"observation_school_days", {"复学后观察期（上课日）", "school days of observation after a return"}, 1, 100, &S::observation_school_days, &S::set_observation_school_days},
      {"missing_report_alert_days", {"连续未上报提醒天数（上课日）", "missing school days in a row that alert the bureau"}, 1, 30, &S::missing_report_alert_days, &S::set_missing_report_alert_days},
      {"report_max_age_days", {"补报/更正考勤最长天数", "days back a school may submit or correct a report"}, 1, 365, &S::report_max_age_days, &S::set_report_max_age_days},
  };
  return *settings;
}

std::string SettingsTable(const v1::RuleSettings& s, Lang lang) {
  bool en = lang == Lang::kEn;
  TextTable table(en ? std::vector<std::string>{"Setting (flag)", "Meaning",
                                                "Value", "Range"}
                     : std::vector<std::string>{"设置（选项）", "含义", "当前值",
                                                "范围"});
  table.SetAlign(2, TextTable::Align::kRight);
  for (const IntSetting& setting : IntSettings()) {
    table.AddRow({setting.name, setting.label.In(lang),
                  absl::StrCat((s.*setting.get)()),
                  absl::StrCat(setting.lo, "-", setting.hi)});
  }
  table.AddRow({"half_day_rule",
                en ? "how a half-day unexcused absence counts"
                   : "半天旷课是否计为缺勤",
                HalfDayRuleLabel(s.half_day_rule(), lang),
                AcceptedWords(LabelSet::kHalfDayRule, lang)});
  table.AddRow({"closure_rule", en ? "how a case closes" : "销号方式",
                ClosureRuleLabel(s.closure_rule(), lang),
                AcceptedWords(LabelSet::kClosureRule, lang)});
  table.AddRow({"reporting_cutoff",
                en ? "daily reporting cutoff" : "每日考勤上报截止时间",
                FormatClockTime(s.reporting_cutoff_minutes()), "10:00-23:59"});
  return table.Render();
}

int ShowSettings(CliContext& context, const FlagValues& flags) {
  v1::GetSettingsRequest request;
  request.set_min_sequence(context.options().min_sequence);
  v1::GetSettingsResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->GetSettings(
      call.get(), request, &response);
  if (!status.ok()) return context.Fail(status);
  if (context.json()) return context.PrintJson(response);
  context.out() << SettingsTable(response.settings(), context.lang());
  return kExitOk;
}

int SetSettings(CliContext& context, const FlagValues& flags) {
  v1::UpdateSettingsRequest request;
  v1::RuleSettings* s = request.mutable_settings();
  bool any = false;
  for (const IntSetting& setting : IntSettings()) {
    if (!flags.Has(setting.name)) continue;
    int64_t value = flags.GetInt(setting.name);
    if (value == 0) {
      return context.UsageError(
          {absl::StrCat("--", setting.name, " 不能为 0（范围 ", setting.lo, "-",
                        setting.hi, "）"),
           absl::StrCat("--", setting.name, " cannot be 0 (range ", setting.lo,
                        "-", setting.hi, ")")});
    }
    (s->*setting.set)(static_cast<int32_t>(value));
    any = true;
  }
  if (flags.Has("half_day_rule")) {
    v1::HalfDayRule rule;
    if (!ParseHalfDayRule(flags.Get("half_day_rule"), &rule)) {
      return context.UsageError(
          {absl::StrCat("--half_day_rule 只能是 ",
                        AcceptedWords(LabelSet::kHalfDayRule, Lang::kZh)),
           absl::StrCat("--half_day_rule must be ",
                        AcceptedWords(LabelSet::kHalfDayRule, Lang::kEn))});
    }
    s->set_half_day_rule(rule);
    any = true;
  }
  if (flags.Has("closure_rule")) {
    v1::ClosureRule rule;
    if (!ParseClosureRule(flags.Get("closure_rule"), &rule)) {
      return context.UsageError(
          {absl::StrCat("--closure_rule 只能是 ",
                        AcceptedWords(LabelSet::kClosureRule, Lang::kZh)),
           absl::StrCat("--closure_rule must be ",
                        AcceptedWords(LabelSet::kClosureRule, Lang::kEn))});
    }
    s->set_closure_rule(rule);
    any = true;
  }
  if (flags.Has("reporting_cutoff")) {
    int minutes;
    if (!ParseClockTime(flags.Get("reporting_cutoff"), &minutes) ||
        minutes == 0) {
      return context.UsageError(
          {"--reporting_cutoff 须为时刻，如 18:00",
           "--reporting_cutoff must be a time of day such as 18:00"});
    }
    s->set_reporting_cutoff_minutes(minutes);
    any = true;
  }
  if (!any) {
    return context.UsageError(
        {"没有要修改的设置：见 baoxue bureau settings set --help",
         "nothing to change: see baoxue bureau settings set --help"});
  }
  std::string request_id = RequestIdOf(flags);
  request.set_request_id(request_id);
  v1::UpdateSettingsResponse response;
  auto call = context.NewCall();
  grpc::Status status = context.Stub<v1::BureauService>()->UpdateSettings(
      call.get(), request, &response);
  if (!status.ok()) {
    return FailWithRetryHint(context, status, request_id,
                             "baoxue bureau settings set ...");
  }
  if (context.json()) return context.PrintJson(response);
  PrintDone(context, {"设置已更新，现行设置：", "Settings changed; now in force:"},
            response.sequence());
  context.out() << SettingsTable(response.settings(), context.lang());
  return kExitOk;
}

FlagSpec CodeFlag(Text help) {
  return {.name = "code", .value_name = "CODE", .help = std::move(help),
          .required = true};
}
FlagSpec NameFlag(Text help) {
  return {.name = "name", .value_name = "NAME", .help = std::move(help),
          .required = true};
}

}  // namespace

void RegisterBureauCountyCommands(CommandRegistry* registry) {
  registry->AddGroup({
      .path = "bureau county",
      .summary = {"本县：代码与名称（最先设置）",
                  "the county: its code and name (set first)"},
      .examples = {"baoxue bureau county set --code 350526 --name 德化县"},
  });
  registry->AddCommand({
      .path = "bureau county set",
      .summary = {"设置本县的 6 位行政区划代码和名称",
                  "set the county's 6-digit division code and name"},
      .details = {"一旦建了乡镇，代码就不能再改。",
                  "Once townships exist the code can no longer change."},
      .examples = {"baoxue bureau county set --code 350526 --name 德化县"},
      .flags = {CodeFlag({"6 位县级行政区划代码", "6-digit county code"}),
                NameFlag({"县名", "the county's name"}), RequestIdFlag()},
      .run = SetCounty,
  });
  registry->AddCommand({
      .path = "bureau county show",
      .summary = {"显示本县设置", "show the county"},
      .examples = {"baoxue bureau county show", "baoxue bureau county show --json"},
      .run = ShowCounty,
  });

  registry->AddGroup({
      .path = "bureau townships",
      .summary = {"乡镇（街道）：创建、更名、列出",
                  "townships: create, rename, list"},
      .examples = {"baoxue bureau townships create --code 350526100 --name 浔中镇",
                   "baoxue bureau townships list"},
  });
  registry->AddCommand({
      .path = "bureau townships create",
      .summary = {"创建乡镇", "create a township"},
      .details = {"代码 9 位：县代码 + 3 位（001–099 街道，100–199 镇，200–399 乡）。",
                  "9-digit code: the county's 6 digits and 3 more (001-099 "
                  "subdistrict, 100-199 town, 200-399 township)."},
      .examples = {"baoxue bureau townships create --code 350526100 --name 浔中镇",
                   "baoxue bureau townships create --code 350526202 --name 春美乡"},
      .flags = {CodeFlag({"9 位乡镇代码", "9-digit township code"}),
                NameFlag({"乡镇名称", "the township's name"}), RequestIdFlag()},
      .run = CreateTownship,
  });
  registry->AddCommand({
      .path = "bureau townships rename",
      .summary = {"乡镇更名（保留原名）", "rename a township (the old name is kept)"},
      .examples = {"baoxue bureau townships rename --code 350526100 --name 浔中镇（新）"},
      .flags = {CodeFlag({"9 位乡镇代码", "9-digit township code"}),
                NameFlag({"新名称", "the new name"}), RequestIdFlag()},
      .run = RenameTownship,
  });
  registry->AddCommand({
      .path = "bureau townships list",
      .summary = {"列出本县的乡镇", "list the county's townships"},
      .examples = {"baoxue bureau townships list",
                   "baoxue bureau townships list --json"},
      .run = ListTownships,
  });

  registry->AddGroup({
      .path = "bureau villages",
      .summary = {"村（社区）：创建、更名、列出", "villages: create, rename, list"},
      .examples = {"baoxue bureau villages create --code 350526100001 --name 城东社区",
                   "baoxue bureau villages list --township 350526100"},
  });
  registry->AddCommand({
      .path = "bureau villages create",
      .summary = {"创建村（社区）", "create a village"},
      .details = {"代码 12 位：所属乡镇的 9 位代码 + 3 位（001–999）。",
                  "12-digit code: its township's 9 digits and 3 more (001-999)."},
      .examples = {"baoxue bureau villages create --code 350526100001 --name 城东社区"},
      .flags = {CodeFlag({"12 位村代码", "12-digit village code"}),
                NameFlag({"村（社区）名称", "the village's name"}), RequestIdFlag()},
      .run = CreateVillage,
  });
  registry->AddCommand({
      .path = "bureau villages rename",
      .summary = {"村更名（保留原名）", "rename a village (the old name is kept)"},
      .examples = {"baoxue bureau villages rename --code 350526100001 --name 城东村"},
      .flags = {CodeFlag({"12 位村代码", "12-digit village code"}),
                NameFlag({"新名称", "the new name"}), RequestIdFlag()},
      .run = RenameVillage,
  });
  registry->AddCommand({
      .path = "bureau villages list",
      .summary = {"列出一个乡镇的村（社区）", "list the villages of a township"},
      .examples = {"baoxue bureau villages list --township 350526100"},
      .flags = {{.name = "township",
                 .value_name = "CODE",
                 .help = {"9 位乡镇代码", "9-digit township code"},
                 .required = true}},
      .run = ListVillages,
  });

  std::vector<FlagSpec> school_flags = {
      {.name = "id",
       .value_name = "SCHOOL_ID",
       .help = {"学校编号：3–64 个 a-z、0-9、.、_、- 字符，如 xunzhong-primary",
                "school id: 3-64 of a-z 0-9 . _ -, e.g. xunzhong-primary"},
       .required = true},
      {.name = "name",
       .value_name = "NAME",
       .help = {"校名", "the school's name"}},
      {.name = "township",
       .value_name = "CODE",
       .help = {"学校所在乡镇的 9 位代码", "9-digit code of its township"}},
      {.name = "kind",
       .value_name = "KIND",
       .help = {absl::StrCat("类型：",
                             AcceptedWords(LabelSet::kSchoolKind, Lang::kZh)),
                absl::StrCat("kind: ",
                             AcceptedWords(LabelSet::kSchoolKind, Lang::kEn))}},
      {.name = "grades",
       .value_name = "GRADES",
       .help = {"开设年级，如 1-6、7-9（7–9 即初一至初三）；省略时按类型",
                "grades taught, e.g. 1-6, 7-9 (7-9 are 初一-初三); by kind if "
                "omitted"}},
      RequestIdFlag(),
  };
  std::vector<FlagSpec> create_flags = school_flags;
  create_flags[1].required = true;
  create_flags[2].required = true;
  create_flags[3].required = true;
  std::vector<FlagSpec> update_flags = school_flags;
  update_flags.erase(update_flags.begin() + 2);  // The township cannot change.

  registry->AddGroup({
      .path = "bureau schools",
      .summary = {"学校：创建、修改、列出", "schools: create, update, list"},
      .examples = {"baoxue bureau schools create --id xunzhong-primary --name "
                   "浔中中心小学 --township 350526100 --kind primary --grades 1-6",
                   "baoxue bureau schools list --township 350526100"},
  });
  registry->AddCommand({
      .path = "bureau schools create",
      .summary = {"创建学校", "create a school"},
      .examples = {"baoxue bureau schools create --id xunzhong-primary --name "
                   "浔中中心小学 --township 350526100 --kind primary --grades 1-6",
                   "baoxue bureau schools create --id dehua-no2-middle --name "
                   "德化第二中学 --township 350526100 --kind 初中"},
      .flags = create_flags,
      .run = CreateSchool,
  });
  registry->AddCommand({
      .path = "bureau schools update",
      .summary = {"修改学校的名称、类型或年级（更名保留原名）",
                  "change a school's name, kind or grades (a rename keeps the "
                  "old name)"},
      .examples = {"baoxue bureau schools update --id xunzhong-primary --name "
                   "德化县浔中中心小学",
                   "baoxue bureau schools update --id xunzhong-primary --kind "
                   "nine_year --grades 1-9"},
      .flags = update_flags,
      .run = UpdateSchool,
  });
  registry->AddCommand({
      .path = "bureau schools list",
      .summary = {"列出学校（可按乡镇）", "list schools (optionally of one township)"},
      .examples = {"baoxue bureau schools list",
                   "baoxue bureau schools list --township 350526100 --json"},
      .flags = {{.name = "township",
                 .value_name = "CODE",
                 .help = {"只列这个乡镇的学校", "only this township's schools"}}},
      .run = ListSchools,
  });

  registry->AddGroup({
      .path = "bureau calendar",
      .summary = {"校历：学期、节假日、调休上课日",
                  "the school calendar: terms, holidays, make-up school days"},
      .examples = {"baoxue bureau calendar set --year 2026 --term "
                   "秋季学期:2026-09-01:2027-01-22 --holiday "
                   "2026-10-01..2026-10-07 --makeup 2026-09-27",
                   "baoxue bureau calendar show --year 2026"},
  });
  registry->AddCommand({
      .path = "bureau calendar set",
      .summary = {"设置（替换）一个学年的校历", "set (replace) one school year's calendar"},
      .details =
          {"用选项或 CSV 文件给出（两者可合用）：\n"
           "  --term 名称:开始:结束       每个学期一次，按先后顺序（1–3 个）\n"
           "  --holiday 日期 或 开始..结束  学期内不上课的日子（含周末无妨）\n"
           "  --makeup 日期                调休上课的周六或周日\n"
           "CSV（UTF-8 或 GBK，表头中英文皆可）：类型,名称,开始日期,结束日期\n"
           "  学期,秋季学期,2026-09-01,2027-01-22\n"
           "  假期,国庆节,2026-10-01,2026-10-07\n"
           "  调休,,2026-09-27,\n"
           "--year 为学年开始的年份（2026 即 2026–27 学年）；省略时取第一个学期"
           "开始的年份（1–7 月开始则为前一年）。",
           "Give it with options or a CSV file (or both):\n"
           "  --term name:start:end        once per term, in order (1-3)\n"
           "  --holiday date or first..last days without classes inside a "
           "term (weekends included are fine)\n"
           "  --makeup date                a Saturday or Sunday with classes "
           "(调休)\n"
           "CSV (UTF-8 or GBK, Chinese or English headers): "
           "kind,name,start,end\n"
           "  term,秋季学期,2026-09-01,2027-01-22\n"
           "  holiday,National Day,2026-10-01,2026-10-07\n"
           "  makeup,,2026-09-27,\n"
           "--year is the year the school year starts (2026 for 2026-27); if "
           "omitted, the first term's start year (the year before for a "
           "January-July start)."},
      .examples = {"baoxue bureau calendar set --year 2026 --term "
                   "秋季学期:2026-09-01:2027-01-22 --term "
                   "春季学期:2027-02-22:2027-07-02 --holiday "
                   "2026-10-01..2026-10-07 --makeup 2026-09-27 --makeup "
                   "2026-10-10",
                   "baoxue bureau calendar set --file calendar-2026.csv"},
      .flags =
          {
              {.name = "year",
               .kind = FlagKind::kInt,
               .value_name = "YEAR",
               .help = {"学年开始的年份，如 2026", "the school year's first "
                                                 "year, e.g. 2026"}},
              {.name = "file",
               .value_name = "CSV",
               .help = {"校历 CSV 文件（见上）", "a calendar CSV file (see above)"}},
              {.name = "term",
               .value_name = "NAME:START:END",
               .help = {"一个学期", "one term"},
               .repeated = true},
              {.name = "holiday",
               .value_name = "DATE[..DATE]",
               .help = {"节假日（一天或一段）", "a holiday (a day or a range)"},
               .repeated = true},
              {.name = "makeup",
               .value_name = "DATE",
               .help = {"调休上课的周末日", "a weekend day with classes"},
               .repeated = true},
              RequestIdFlag(),
          },
      .run = SetCalendar,
  });
  registry->AddCommand({
      .path = "bureau calendar show",
      .summary = {"显示一个学年的校历", "show one school year's calendar"},
      .examples = {"baoxue bureau calendar show --year 2026",
                   "baoxue bureau calendar show --year 2026 --json"},
      .flags = {{.name = "year",
                 .kind = FlagKind::kInt,
                 .value_name = "YEAR",
                 .help = {"学年开始的年份", "the school year's first year"},
                 .required = true}},
      .run = ShowCalendar,
  });

  registry->AddGroup({
      .path = "bureau settings",
      .summary = {"规则设置：立案阈值、时限、上报截止时间等",
                  "rule settings: thresholds, deadlines, reporting cutoff"},
      .examples = {"baoxue bureau settings show",
                   "baoxue bureau settings set --consecutive_absence_days 3"},
  });
  registry->AddCommand({
      .path = "bureau settings show",
      .summary = {"显示现行设置", "show the settings in force"},
      .examples = {"baoxue bureau settings show",
                   "baoxue bureau settings show --json"},
      .run = ShowSettings,
  });
  std::vector<FlagSpec> setting_flags;
  for (const IntSetting& setting : IntSettings()) {
    setting_flags.push_back(
        {.name = setting.name,
         .kind = FlagKind::kInt,
         .value_name = "N",
         .help = {absl::StrCat(setting.label.zh, "，", setting.lo, "–",
                               setting.hi),
                  absl::StrCat(setting.label.en, ", ", setting.lo, "-",
                               setting.hi)}});
  }
  setting_flags.push_back(
      {.name = "half_day_rule",
       .value_name = "RULE",
       .help = {absl::StrCat("半天旷课：",
                             AcceptedWords(LabelSet::kHalfDayRule, Lang::kZh)),
                absl::StrCat("half-day absences: ",
                             AcceptedWords(LabelSet::kHalfDayRule, Lang::kEn))}});
  setting_flags.push_back(
      {.name = "closure_rule",
       .value_name = "RULE",
       .help = {absl::StrCat("销号：",
                             AcceptedWords(LabelSet::kClosureRule, Lang::kZh)),
                absl::StrCat("closure: ",
                             AcceptedWords(LabelSet::kClosureRule, Lang::kEn))}});
  setting_flags.push_back(
      {.name = "reporting_cutoff",
       .value_name = "HH:MM",
       .help = {"每日考勤上报截止时间，10:00–23:59",
                "daily reporting cutoff, 10:00-23:59"}});
  setting_flags.push_back(RequestIdFlag());
  registry->AddCommand({
      .path = "bureau settings set",
      .summary = {"修改设置（只改给出的项）", "change settings (only those given)"},
      .examples = {"baoxue bureau settings set --consecutive_absence_days 3 "
                   "--reporting_cutoff 17:30",
                   "baoxue bureau settings set --closure_rule automatic"},
      .flags = setting_flags,
      .run = SetSettings,
  });
}

}  // namespace baoxue::clients
