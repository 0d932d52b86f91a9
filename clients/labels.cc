#include "clients/labels.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace baoxue::clients {
namespace {

// One value of an enum: the word the command line shows, its labels, and
// further words accepted on input.
struct Label {
  int value;
  std::string word;  // Shown in help: "sick".
  Text label;        // Shown in output: {"病假", "sick leave"}.
  std::vector<std::string> aliases = {};  // Lower-case ASCII or Chinese.
};

using LabelTable = std::vector<Label>;

const LabelTable& AbsenceCategories() {
  static const LabelTable* table = new LabelTable{
      {v1::ABSENCE_CATEGORY_SICK_LEAVE, "sick", {"病假", "sick leave"},
       {"sick_leave", "illness"}},
      {v1::ABSENCE_CATEGORY_PERSONAL_LEAVE, "personal", {"事假", "personal leave"},
       {"personal_leave", "leave"}},
      {v1::ABSENCE_CATEGORY_UNEXCUSED, "unexcused", {"旷课", "unexcused"},
       {"truancy", "absent"}},
      {v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN, "unknown",
       {"去向不明", "whereabouts unknown"},
       {"whereabouts_unknown", "missing", "下落不明"}},
  };
  return *table;
}

const LabelTable& EnrolmentStatuses() {
  static const LabelTable* table = new LabelTable{
      {v1::ENROLMENT_STATUS_NOT_ENROLLED, "not_enrolled",
       {"未入学", "not enrolled"}},
      {v1::ENROLMENT_STATUS_ENROLLED, "enrolled", {"在读", "enrolled"}},
      {v1::ENROLMENT_STATUS_TRANSFER_PENDING, "transfer_pending",
       {"转出待接收", "transfer pending"}},
      {v1::ENROLMENT_STATUS_TRANSFERRED_OUT, "transferred_out",
       {"转出县外", "transferred out"}},
      {v1::ENROLMENT_STATUS_SUSPENDED, "suspended", {"休学", "suspended"}},
      {v1::ENROLMENT_STATUS_DEFERRED, "deferred", {"延缓入学", "deferred"}},
      {v1::ENROLMENT_STATUS_HOME_TEACHING, "home_teaching",
       {"送教上门", "home teaching"}},
      {v1::ENROLMENT_STATUS_GRADUATED, "graduated", {"毕业", "graduated"}},
      {v1::ENROLMENT_STATUS_WITHDRAWN, "withdrawn", {"退学", "withdrawn"}},
      {v1::ENROLMENT_STATUS_DECEASED, "deceased", {"死亡", "deceased"}},
  };
  return *table;
}

const LabelTable& Sexes() {
  static const LabelTable* table = new LabelTable{
      {v1::SEX_MALE, "male", {"男", "male"}, {"m"}},
      {v1::SEX_FEMALE, "female", {"女", "female"}, {"f"}},
  };
  return *table;
}

const LabelTable& PriorityGroups() {
  static const LabelTable* table = new LabelTable{
      {v1::PRIORITY_GROUP_POOR_HOUSEHOLD, "poor_household",
       {"脱贫户", "poor household"},
       {"建档立卡", "建档立卡户", "脱贫家庭", "poor"}},
      {v1::PRIORITY_GROUP_MINIMUM_LIVING_ALLOWANCE, "minimum_living_allowance",
       {"低保", "minimum living allowance"}, {"dibao", "低保户"}},
      {v1::PRIORITY_GROUP_EXTREME_HARDSHIP, "extreme_hardship",
       {"特困", "extreme hardship"}, {"特困户", "特困供养"}},
      {v1::PRIORITY_GROUP_DISABLED, "disabled", {"残疾", "disabled"},
       {"残疾儿童"}},
      {v1::PRIORITY_GROUP_ORPHAN, "orphan", {"孤儿", "orphan"}},
      {v1::PRIORITY_GROUP_NO_EFFECTIVE_GUARDIAN, "no_effective_guardian",
       {"事实无人抚养", "no effective guardian"}, {"事实无人抚养儿童"}},
      {v1::PRIORITY_GROUP_LEFT_BEHIND, "left_behind", {"留守", "left behind"},
       {"留守儿童"}},
      {v1::PRIORITY_GROUP_MIGRANT, "migrant", {"随迁", "migrant"},
       {"随迁子女", "随迁儿童"}},
  };
  return *table;
}

const LabelTable& SchoolKinds() {
  static const LabelTable* table = new LabelTable{
      {v1::SCHOOL_KIND_PRIMARY, "primary", {"小学", "primary"}},
      {v1::SCHOOL_KIND_JUNIOR_SECONDARY, "junior", {"初中", "junior secondary"},
       {"junior_secondary", "middle"}},
      {v1::SCHOOL_KIND_NINE_YEAR, "nine_year", {"九年一贯制", "nine-year"},
       {"nine-year", "九年一贯制学校"}},
      {v1::SCHOOL_KIND_SPECIAL_EDUCATION, "special",
       {"特殊教育学校", "special education"},
       {"special_education", "特殊教育", "特教"}},
  };
  return *table;
}

const LabelTable& TownshipKinds() {
  static const LabelTable* table = new LabelTable{
      {v1::TOWNSHIP_KIND_SUBDISTRICT, "subdistrict", {"街道", "subdistrict"}},
      {v1::TOWNSHIP_KIND_TOWN, "town", {"镇", "town"}},
      {v1::TOWNSHIP_KIND_TOWNSHIP, "township", {"乡", "township"}},
  };
  return *table;
}

const LabelTable& HalfDayRules() {
  static const LabelTable* table = new LabelTable{
      {v1::HALF_DAY_RULE_COUNTS, "counts", {"半天计为缺勤", "counts"},
       {"count", "计", "计入"}},
      {v1::HALF_DAY_RULE_IGNORED, "ignored", {"半天不计", "ignored"},
       {"ignore", "不计", "不计入"}},
  };
  return *table;
}

const LabelTable& ClosureRules() {
  static const LabelTable* table = new LabelTable{
      {v1::CLOSURE_RULE_BUREAU_APPROVAL, "approval",
       {"需教育局审批", "bureau approval"},
       {"bureau_approval", "审批", "教育局审批"}},
      {v1::CLOSURE_RULE_AUTOMATIC, "automatic",
       {"观察期满自动销号", "automatic"}, {"auto", "自动", "自动销号"}},
  };
  return *table;
}

const LabelTable& TableOf(LabelSet set) {
  switch (set) {
    case LabelSet::kAbsenceCategory:
      return AbsenceCategories();
    case LabelSet::kSex:
      return Sexes();
    case LabelSet::kPriorityGroup:
      return PriorityGroups();
    case LabelSet::kSchoolKind:
      return SchoolKinds();
    case LabelSet::kHalfDayRule:
      return HalfDayRules();
    case LabelSet::kClosureRule:
      return ClosureRules();
  }
  return AbsenceCategories();
}

std::string LabelOf(const LabelTable& table, int value, Lang lang) {
  for (const Label& label : table) {
    if (label.value == value) return label.label.In(lang);
  }
  return lang == Lang::kEn ? "-" : "—";
}

// Lower-case ASCII, spaces and '-' as '_', for comparing words.
std::string Normalize(absl::string_view word) {
  std::string w = absl::AsciiStrToLower(absl::StripAsciiWhitespace(word));
  for (char& c : w) {
    if (c == ' ' || c == '-') c = '_';
  }
  return w;
}

bool ParseIn(const LabelTable& table, absl::string_view word, int* value) {
  std::string w = Normalize(word);
  if (w.empty()) return false;
  for (const Label& label : table) {
    bool match = w == label.word || w == label.label.zh ||
                 w == Normalize(label.label.en);
    for (const std::string& alias : label.aliases) {
      match = match || w == Normalize(alias);
    }
    if (match) {
      *value = label.value;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string RoleLabel(v1::Role role, Lang lang) {
  Text text;
  switch (role) {
    case v1::ROLE_SCHOOL:
      text = {"学校", "school"};
      break;
    case v1::ROLE_TOWNSHIP:
      text = {"乡镇", "township"};
      break;
    case v1::ROLE_BUREAU:
      text = {"教育局", "bureau"};
      break;
    case v1::ROLE_BUREAU_VIEWER:
      text = {"教育局只读", "bureau viewer"};
      break;
    default:
      text = {"未知角色", "unknown role"};
      break;
  }
  return text.In(lang);
}

bool ParseRole(absl::string_view word, v1::Role* role) {
  std::string w = absl::AsciiStrToLower(absl::StripAsciiWhitespace(word));
  if (w == "school" || w == "学校") {
    *role = v1::ROLE_SCHOOL;
  } else if (w == "township" || w == "乡镇") {
    *role = v1::ROLE_TOWNSHIP;
  } else if (w == "bureau" || w == "教育局") {
    *role = v1::ROLE_BUREAU;
  } else if (w == "viewer" || w == "bureau_viewer" || w == "教育局只读") {
    *role = v1::ROLE_BUREAU_VIEWER;
  } else {
    return false;
  }
  return true;
}

std::string AccountStateLabel(const v1::Account& account, Lang lang) {
  Text text = account.revoked() ? Text{"已吊销", "revoked"}
                                : Text{"有效", "active"};
  return text.In(lang);
}

std::string AbsenceCategoryLabel(v1::AbsenceCategory category, Lang lang) {
  return LabelOf(AbsenceCategories(), category, lang);
}

bool ParseAbsenceCategory(absl::string_view word,
                          v1::AbsenceCategory* category) {
  int value;
  if (!ParseIn(AbsenceCategories(), word, &value)) return false;
  *category = static_cast<v1::AbsenceCategory>(value);
  return true;
}

std::string EnrolmentStatusLabel(v1::EnrolmentStatus status, Lang lang) {
  return LabelOf(EnrolmentStatuses(), status, lang);
}

std::string SexLabel(v1::Sex sex, Lang lang) {
  return LabelOf(Sexes(), sex, lang);
}

bool ParseSex(absl::string_view word, v1::Sex* sex) {
  int value;
  if (!ParseIn(Sexes(), word, &value)) return false;
  *sex = static_cast<v1::Sex>(value);
  return true;
}

std::string PriorityGroupLabel(v1::PriorityGroup group, Lang lang) {
  return LabelOf(PriorityGroups(), group, lang);
}

bool ParsePriorityGroup(absl::string_view word, v1::PriorityGroup* group) {
  int value;
  if (!ParseIn(PriorityGroups(), word, &value)) return false;
  *group = static_cast<v1::PriorityGroup>(value);
  return true;
}

std::string SchoolKindLabel(v1::SchoolKind kind, Lang lang) {
  return LabelOf(SchoolKinds(), kind, lang);
}

bool ParseSchoolKind(absl::string_view word, v1::SchoolKind* kind) {
  int value;
  if (!ParseIn(SchoolKinds(), word, &value)) return false;
  *kind = static_cast<v1::SchoolKind>(value);
  return true;
}

std::string TownshipKindLabel(v1::TownshipKind kind, Lang lang) {
  return LabelOf(TownshipKinds(), kind, lang);
}

std::string HalfDayRuleLabel(v1::HalfDayRule rule, Lang lang) {
  return LabelOf(HalfDayRules(), rule, lang);
}

bool ParseHalfDayRule(absl::string_view word, v1::HalfDayRule* rule) {
  int value;
  if (!ParseIn(HalfDayRules(), word, &value)) return false;
  *rule = static_cast<v1::HalfDayRule>(value);
  return true;
}

std::string ClosureRuleLabel(v1::ClosureRule rule, Lang lang) {
  return LabelOf(ClosureRules(), rule, lang);
}

bool ParseClosureRule(absl::string_view word, v1::ClosureRule* rule) {
  int value;
  if (!ParseIn(ClosureRules(), word, &value)) return false;
  *rule = static_cast<v1::ClosureRule>(value);
  return true;
}

std::string ReportingDayLabel(const v1::ReportingDay& day, Lang lang) {
  Text text;
  if (day.reported()) {
    text = day.zero_report() ? Text{"零报告", "zero report"}
                             : Text{"已上报", "reported"};
  } else if (day.missing()) {
    text = {"未上报", "missing"};
  } else {
    text = {"待上报", "due"};
  }
  return text.In(lang);
}

std::string AcceptedWords(LabelSet set, Lang lang) {
  std::vector<std::string> words;
  for (const Label& label : TableOf(set)) {
    words.push_back(lang == Lang::kEn
                        ? absl::StrCat(label.word, " (", label.label.zh, ")")
                        : absl::StrCat(label.label.zh, "（", label.word, "）"));
  }
  return absl::StrJoin(words, lang == Lang::kEn ? ", " : "、");
}

bool ParseYesNo(absl::string_view word, bool* value) {
  std::string w = Normalize(word);
  if (w == "1" || w == "y" || w == "yes" || w == "true" || w == "是" ||
      w == "半天" || w == "half" || w == "half_day") {
    *value = true;
    return true;
  }
  if (w.empty() || w == "0" || w == "n" || w == "no" || w == "false" ||
      w == "否" || w == "全天" || w == "full" || w == "whole") {
    *value = false;
    return true;
  }
  return false;
}

}  // namespace baoxue::clients
