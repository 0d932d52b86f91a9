#include "services/registry.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/dates.h"
#include "services/domain/identifiers.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

absl::StatusOr<v1::County> RequireCounty(const storage::ModelTxn& model) {
  ASSIGN_OR_RETURN(auto county, FindCounty(model));
  if (!county.has_value()) {
    return FailedPreconditionError(
        "尚未配置本县：请先用 ConfigureCounty 设置县级行政区划代码和名称",
        "the county is not configured yet: set its code and name with "
        "ConfigureCounty first");
  }
  return *county;
}

absl::Status CheckName(absl::string_view path, const std::string& name) {
  return ValidateText({path, "名称"}, name, 1, 50);
}

v1::TownshipKind KindOfTownship(absl::string_view code) {
  auto kind = domain::TownshipKindOf(code);
  if (!kind.ok()) return v1::TOWNSHIP_KIND_UNSPECIFIED;
  switch (*kind) {
    case domain::TownshipKind::kSubdistrict:
      return v1::TOWNSHIP_KIND_SUBDISTRICT;
    case domain::TownshipKind::kTown:
      return v1::TOWNSHIP_KIND_TOWN;
    case domain::TownshipKind::kTownship:
      return v1::TOWNSHIP_KIND_TOWNSHIP;
  }
  return v1::TOWNSHIP_KIND_UNSPECIFIED;
}

absl::Status CheckGrades(const v1::School& school) {
  const Field field{"school.grades", "年级"};
  if (school.grades().empty()) {
    return FieldError(field, "至少要有一个年级", "needs at least one grade");
  }
  int previous = 0;
  for (int grade : school.grades()) {
    if (grade < 1 || grade > 9) {
      return FieldError(field, absl::StrCat("年级 ", grade, " 不在 1 到 9 之间"),
                        absl::StrCat("grade ", grade, " is not between 1 and 9"));
    }
    if (grade <= previous) {
      return FieldError(field, "须按升序排列且不重复",
                        "must be ascending without repeats");
    }
    previous = grade;
  }
  if (school.kind() == v1::SCHOOL_KIND_UNSPECIFIED ||
      !v1::SchoolKind_IsValid(school.kind())) {
    return FieldError({"school.kind", "学校类型"},
                      "须为小学、初中、九年一贯制或特殊教育学校",
                      "must be PRIMARY, JUNIOR_SECONDARY, NINE_YEAR or "
                      "SPECIAL_EDUCATION");
  }
  int lo = 1, hi = 9;
  if (school.kind() == v1::SCHOOL_KIND_PRIMARY) hi = 6;
  if (school.kind() == v1::SCHOOL_KIND_JUNIOR_SECONDARY) lo = 7;
  if (school.grades(0) < lo || school.grades(school.grades_size() - 1) > hi) {
    return FieldError(field,
                      absl::StrCat("该类型学校的年级须在 ", lo, " 到 ", hi, " 之间"),
                      absl::StrCat("grades of this kind of school must be ", lo,
                                   " to ", hi));
  }
  return absl::OkStatus();
}

struct SettingRange {
  int32_t (v1::RuleSettings::*get)() const;
  void (v1::RuleSettings::*set)(int32_t);
  absl::string_view path;
  absl::string_view label_zh;
  int lo;
  int hi;
};

// The one table of numeric settings and their ranges (see county.proto).
const SettingRange kRanges[] = {
    {&v1::RuleSettings::consecutive_absence_days,
     &v1::RuleSettings::set_consecutive_absence_days,
     "settings.consecutive_absence_days", "连续旷课天数", 2, 30},
    {&v1::RuleSettings::cumulative_absence_days,
     &v1::RuleSettings::set_cumulative_absence_days,
     "settings.cumulative_absence_days", "累计旷课天数", 2, 100},
    {&v1::RuleSettings::transfer_limbo_days,
     &v1::RuleSettings::set_transfer_limbo_days, "settings.transfer_limbo_days",
     "转出未入学期限（天）", 1, 180},
    {&v1::RuleSettings::lawful_status_grace_days,
     &v1::RuleSettings::set_lawful_status_grace_days,
     "settings.lawful_status_grace_days", "到期复学宽限（天）", 1, 90},
    {&v1::RuleSettings::first_contact_school_days,
     &v1::RuleSettings::set_first_contact_school_days,
     "settings.first_contact_school_days", "首次联系期限（上课日）", 1, 10},
    {&v1::RuleSettings::verification_days,
     &v1::RuleSettings::set_verification_days, "settings.verification_days",
     "核查期限（天）", 1, 60},
    {&v1::RuleSettings::persuasion_action_interval_days,
     &v1::RuleSettings::set_persuasion_action_interval_days,
     "settings.persuasion_action_interval_days", "劝返措施间隔（天）", 1, 60},
    {&v1::RuleSettings::persuasion_escalation_days,
     &v1::RuleSettings::set_persuasion_escalation_days,
     "settings.persuasion_escalation_days", "劝返升级期限（天）", 1, 365},
    {&v1::RuleSettings::closure_approval_days,
     &v1::RuleSettings::set_closure_approval_days,
     "settings.closure_approval_days", "销号审批期限（天）", 1, 60},
    {&v1::RuleSettings::observation_school_days,
     &v1::RuleSettings::set_observation_school_days,
     "settings.observation_school_days", "复学观察期（上课日）", 1, 100},
    {&v1::RuleSettings::reporting_cutoff_minutes,
     &v1::RuleSettings::set_reporting_cutoff_minutes,
     "settings.reporting_cutoff_minutes", "每日上报截止时间（分钟）", 600, 1439},
    {&v1::RuleSettings::missing_report_alert_days,
     &v1::RuleSettings::set_missing_report_alert_days,
     "settings.missing_report_alert_days", "连续未上报预警天数", 1, 30},
    {&v1::RuleSettings::report_max_age_days,
     &v1::RuleSettings::set_report_max_age_days,
     "settings.report_max_age_days", "可补报/更正天数", 1, 365},
};

}  // namespace

absl::StatusOr<v1::School> RequireSchool(const storage::ModelTxn& model,
                                         const std::string& school_id) {
  ASSIGN_OR_RETURN(auto school, FindSchool(model, school_id));
  if (!school.has_value()) {
    return NotFoundError(absl::StrCat("学校 ", school_id, " 不存在"),
                         absl::StrCat("school ", school_id, " does not exist"));
  }
  return *school;
}

absl::Status PrepareConfigureCounty(const storage::ModelTxn& model,
                                    const v1::County& county, v1::Event* event) {
  absl::Status code = domain::ValidateCountyCode(county.county_code());
  if (!code.ok()) return WithContext(code, "", "county.");
  RETURN_IF_ERROR(CheckName("county.name", county.name()));
  ASSIGN_OR_RETURN(auto current, FindCounty(model));
  if (current.has_value() && current->county_code() != county.county_code()) {
    bool has_townships = false;
    RETURN_IF_ERROR(model.Scan(TownshipKeyPrefix(),
                               [&](absl::string_view, absl::string_view) {
                                 has_townships = true;
                                 return false;
                               }));
    if (has_townships) {
      return FailedPreconditionError(
          absl::StrCat("本县已有乡镇，县级代码不能再从 ", current->county_code(),
                       " 改为 ", county.county_code()),
          absl::StrCat("townships exist; the county code can no longer change "
                       "from ",
                       current->county_code(), " to ", county.county_code()));
    }
  }
  *event->mutable_county_configured()->mutable_county() = county;
  return absl::OkStatus();
}

absl::Status PrepareCreateTownship(const storage::ModelTxn& model,
                                   const v1::Township& township,
                                   v1::Event* event) {
  ASSIGN_OR_RETURN(v1::County county, RequireCounty(model));
  absl::Status code =
      domain::ValidateTownshipCode(township.township_code(), county.county_code());
  if (!code.ok()) return WithContext(code, "", "township.");
  RETURN_IF_ERROR(CheckName("township.name", township.name()));
  if (!township.former_names().empty()) {
    return FieldError({"township.former_names", "曾用名"}, "由服务器维护，请留空",
                      "is kept by the server; leave it empty");
  }
  ASSIGN_OR_RETURN(auto existing, FindTownship(model, township.township_code()));
  if (existing.has_value()) {
    return AlreadyExistsError(
        absl::StrCat("乡镇 ", township.township_code(), "（", existing->name(),
                     "）已存在"),
        absl::StrCat("township ", township.township_code(), " (",
                     existing->name(), ") already exists"));
  }
  v1::Township* t = event->mutable_township_created()->mutable_township();
  t->set_township_code(township.township_code());
  t->set_name(township.name());
  t->set_kind(KindOfTownship(township.township_code()));
  return absl::OkStatus();
}

absl::Status PrepareRenameTownship(const storage::ModelTxn& model,
                                   const std::string& township_code,
                                   const std::string& name, v1::Event* event) {
  RETURN_IF_ERROR(CheckName("name", name));
  ASSIGN_OR_RETURN(auto existing, FindTownship(model, township_code));
  if (!existing.has_value()) {
    return NotFoundError(absl::StrCat("乡镇 ", township_code, " 不存在"),
                         absl::StrCat("township ", township_code,
                                      " does not exist"));
  }
  if (existing->name() == name) {
    return FailedPreconditionError(
        absl::StrCat("乡镇 ", township_code, " 已叫 ", name),
        absl::StrCat("township ", township_code, " is already named ", name));
  }
  auto* renamed = event->mutable_township_renamed();
  renamed->set_township_code(township_code);
  renamed->set_name(name);
  return absl::OkStatus();
}

absl::Status PrepareCreateVillage(const storage::ModelTxn& model,
                                  const v1::Village& village, v1::Event* event) {
  const std::string& code = village.village_code();
  std::string township_code = code.substr(0, std::min<size_t>(9, code.size()));
  ASSIGN_OR_RETURN(auto township, FindTownship(model, township_code));
  if (!township.has_value()) {
    absl::Status format = domain::ValidateVillageCode(code, township_code);
    if (!format.ok()) return WithContext(format, "", "village.");
    return NotFoundError(
        absl::StrCat("村代码 ", code, " 所属的乡镇 ", township_code, " 不存在"),
        absl::StrCat("the township ", township_code, " of village ", code,
                     " does not exist"));
  }
  absl::Status format = domain::ValidateVillageCode(code, township_code);
  if (!format.ok()) return WithContext(format, "", "village.");
  RETURN_IF_ERROR(CheckName("village.name", village.name()));
  if (!village.township_code().empty() && village.township_code() != township_code) {
    return FieldError({"village.township_code", "所属乡镇"},
                      "须与村代码的前 9 位一致",
                      "must match the first 9 digits of the village code");
  }
  ASSIGN_OR_RETURN(auto existing, FindVillage(model, code));
  if (existing.has_value()) {
    return AlreadyExistsError(
        absl::StrCat("村 ", code, "（", existing->name(), "）已存在"),
        absl::StrCat("village ", code, " (", existing->name(),
                     ") already exists"));
  }
  v1::Village* v = event->mutable_village_created()->mutable_village();
  v->set_village_code(code);
  v->set_name(village.name());
  v->set_township_code(township_code);
  return absl::OkStatus();
}

absl::Status PrepareRenameVillage(const storage::ModelTxn& model,
                                  const std::string& village_code,
                                  const std::string& name, v1::Event* event) {
  RETURN_IF_ERROR(CheckName("name", name));
  ASSIGN_OR_RETURN(auto existing, FindVillage(model, village_code));
  if (!existing.has_value()) {
    return NotFoundError(absl::StrCat("村 ", village_code, " 不存在"),
                         absl::StrCat("village ", village_code,
                                      " does not exist"));
  }
  if (existing->name() == name) {
    return FailedPreconditionError(
        absl::StrCat("村 ", village_code, " 已叫 ", name),
        absl::StrCat("village ", village_code, " is already named ", name));
  }
  auto* renamed = event->mutable_village_renamed();
  renamed->set_village_code(village_code);
  renamed->set_name(name);
  return absl::OkStatus();
}

absl::Status PrepareCreateSchool(const storage::ModelTxn& model,
                                 const v1::School& school, v1::Event* event) {
  RETURN_IF_ERROR(
      ValidateIdentifier({"school.school_id", "学校标识"}, school.school_id()));
  RETURN_IF_ERROR(ValidateText({"school.name", "学校名称"}, school.name(), 1, 100));
  ASSIGN_OR_RETURN(auto township, FindTownship(model, school.township_code()));
  if (!township.has_value()) {
    return FieldError({"school.township_code", "所在乡镇"},
                      absl::StrCat("乡镇 ", school.township_code(), " 不存在"),
                      absl::StrCat("township ", school.township_code(),
                                   " does not exist"));
  }
  RETURN_IF_ERROR(CheckGrades(school));
  if (!school.former_names().empty()) {
    return FieldError({"school.former_names", "曾用名"}, "由服务器维护，请留空",
                      "is kept by the server; leave it empty");
  }
  ASSIGN_OR_RETURN(auto existing, FindSchool(model, school.school_id()));
  if (existing.has_value()) {
    return AlreadyExistsError(
        absl::StrCat("学校 ", school.school_id(), "（", existing->name(),
                     "）已存在"),
        absl::StrCat("school ", school.school_id(), " (", existing->name(),
                     ") already exists"));
  }
  *event->mutable_school_created()->mutable_school() = school;
  return absl::OkStatus();
}

absl::Status PrepareUpdateSchool(const storage::ModelTxn& model,
                                 const v1::School& school, v1::Event* event) {
  ASSIGN_OR_RETURN(v1::School existing, RequireSchool(model, school.school_id()));
  RETURN_IF_ERROR(ValidateText({"school.name", "学校名称"}, school.name(), 1, 100));
  RETURN_IF_ERROR(CheckGrades(school));
  if (!school.township_code().empty() &&
      school.township_code() != existing.township_code()) {
    return FieldError({"school.township_code", "所在乡镇"},
                      "学校所在乡镇不能更改；如学校迁址请新建学校",
                      "a school's township cannot change; create a new school "
                      "if it moved");
  }
  v1::School* updated = event->mutable_school_updated()->mutable_school();
  updated->set_school_id(existing.school_id());
  updated->set_name(school.name());
  updated->set_township_code(existing.township_code());
  updated->set_kind(school.kind());
  *updated->mutable_grades() = school.grades();
  return absl::OkStatus();
}

absl::Status PrepareSetCalendar(const storage::ModelTxn& model,
                                const v1::SchoolYearCalendar& calendar,
                                v1::Event* event) {
  if (calendar.school_year() < 2000 || calendar.school_year() > 2100) {
    return FieldError({"calendar.school_year", "学年"},
                      "须为学年开始的年份，2000 到 2100，例如 2026 表示 2026—2027 学年",
                      "must be the year the school year starts, 2000 to 2100 "
                      "(2026 for 2026-27)");
  }
  for (int i = 0; i < calendar.terms_size(); ++i) {
    const v1::Term& term = calendar.terms(i);
    std::string path = absl::StrCat("calendar.terms[", i, "]");
    RETURN_IF_ERROR(ValidateText({path + ".name", "学期名称"}, term.name(), 1, 30));
    RETURN_IF_ERROR(
        CheckDate({path + ".start_date", "学期开始日期"}, term.start_date()).status());
    RETURN_IF_ERROR(
        CheckDate({path + ".end_date", "学期结束日期"}, term.end_date()).status());
  }
  for (int i = 0; i < calendar.holidays_size(); ++i) {
    RETURN_IF_ERROR(CheckDate({absl::StrCat("calendar.holidays[", i, "]"), "节假日"},
                              calendar.holidays(i))
                        .status());
  }
  for (int i = 0; i < calendar.makeup_days_size(); ++i) {
    RETURN_IF_ERROR(
        CheckDate({absl::StrCat("calendar.makeup_days[", i, "]"), "调休上课日"},
                  calendar.makeup_days(i))
            .status());
  }
  absl::StatusOr<domain::SchoolCalendar> built = ToSchoolCalendar(calendar);
  if (!built.ok()) return WithContext(built.status(), "", "calendar.");
  // Neighbouring years must not overlap, or "which term is this day in"
  // would have two answers.
  for (int year : {calendar.school_year() - 1, calendar.school_year() + 1}) {
    ASSIGN_OR_RETURN(auto other, FindCalendar(model, year));
    if (!other.has_value()) continue;
    ASSIGN_OR_RETURN(domain::SchoolCalendar other_calendar,
                     ToSchoolCalendar(*other));
    std::vector<domain::SchoolCalendar> both = {*built, other_calendar};
    absl::StatusOr<domain::CountyCalendar> county =
        domain::CountyCalendar::Create(std::move(both));
    if (!county.ok()) {
      return WithContext(county.status(), "calendar：与相邻学年冲突：",
                         "calendar: conflicts with a neighbouring year: ");
    }
  }
  *event->mutable_calendar_set()->mutable_calendar() = calendar;
  return absl::OkStatus();
}

absl::StatusOr<v1::RuleSettings> MergeSettings(const v1::RuleSettings& current,
                                               const v1::RuleSettings& changes) {
  v1::RuleSettings merged = current;
  for (const SettingRange& r : kRanges) {
    int32_t value = (changes.*r.get)();
    if (value == 0) continue;
    if (value < r.lo || value > r.hi) {
      return FieldError({r.path, r.label_zh},
                        absl::StrCat(value, " 超出范围，须在 ", r.lo, " 到 ", r.hi,
                                     " 之间"),
                        absl::StrCat(value, " is out of range; must be ", r.lo,
                                     " to ", r.hi));
    }
    (merged.*r.set)(value);
  }
  if (changes.half_day_rule() != v1::HALF_DAY_RULE_UNSPECIFIED) {
    if (!v1::HalfDayRule_IsValid(changes.half_day_rule())) {
      return FieldError({"settings.half_day_rule", "半天旷课计算"}, "取值无效",
                        "is not a valid value");
    }
    merged.set_half_day_rule(changes.half_day_rule());
  }
  if (changes.closure_rule() != v1::CLOSURE_RULE_UNSPECIFIED) {
    if (!v1::ClosureRule_IsValid(changes.closure_rule())) {
      return FieldError({"settings.closure_rule", "销号方式"}, "取值无效",
                        "is not a valid value");
    }
    merged.set_closure_rule(changes.closure_rule());
  }
  return merged;
}

absl::Status PrepareUpdateSettings(const storage::ModelTxn& model,
                                   const v1::RuleSettings& changes,
                                   v1::Event* event) {
  ASSIGN_OR_RETURN(v1::RuleSettings current, EffectiveSettings(model));
  ASSIGN_OR_RETURN(v1::RuleSettings merged, MergeSettings(current, changes));
  *event->mutable_settings_updated()->mutable_settings() = merged;
  return absl::OkStatus();
}

}  // namespace baoxue::services
