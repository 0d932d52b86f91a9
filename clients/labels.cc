#include "clients/labels.h"

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace baoxue::clients {
namespace {

// One value of an enum as typed: the word help shows, and further words
// accepted on input. Its labels (shown in output, accepted on input too)
// come from the shared table, or for an enum only the client knows, from
// `own`.
struct Word {
  int value;
  std::string word;                       // Shown in help: "sick".
  std::vector<std::string> aliases = {};  // Lower-case ASCII or Chinese.
  Text own = {};                          // Client-only enums' labels.
};

struct WordTable {
  std::vector<Word> words;
  // The shared label of a value (services/labels.h); null for client-only
  // enums, which use Word::own.
  std::string (*shared)(int value, Lang lang) = nullptr;

  std::string LabelOf(const Word& word, Lang lang) const {
    return shared != nullptr ? shared(word.value, lang) : word.own.In(lang);
  }
};

template <typename Enum>
std::string Shared(int value, Lang lang) {
  return clients::LabelOf(static_cast<Enum>(value), lang);
}

const WordTable& AbsenceCategories() {
  static const WordTable* table = new WordTable{
      {
          {v1::ABSENCE_CATEGORY_SICK_LEAVE, "sick", {"sick_leave", "illness"}},
          {v1::ABSENCE_CATEGORY_PERSONAL_LEAVE, "personal",
           {"personal_leave", "leave"}},
          {v1::ABSENCE_CATEGORY_UNEXCUSED, "unexcused", {"truancy", "absent"}},
          {v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN, "unknown",
           {"whereabouts_unknown", "missing", "下落不明"}},
      },
      Shared<v1::AbsenceCategory>};
  return *table;
}

const WordTable& Sexes() {
  static const WordTable* table = new WordTable{
      {
          {v1::SEX_MALE, "male", {"m"}},
          {v1::SEX_FEMALE, "female", {"f"}},
      },
      Shared<v1::Sex>};
  return *table;
}

const WordTable& PriorityGroups() {
  static const WordTable* table = new WordTable{
      {
          {v1::PRIORITY_GROUP_POOR_HOUSEHOLD, "poor_household",
           {"脱贫户", "建档立卡", "建档立卡户", "脱贫家庭", "poor"}},
          {v1::PRIORITY_GROUP_MINIMUM_LIVING_ALLOWANCE,
           "minimum_living_allowance", {"dibao", "低保户"}},
          {v1::PRIORITY_GROUP_EXTREME_HARDSHIP, "extreme_hardship",
           {"特困户", "特困供养"}},
          {v1::PRIORITY_GROUP_DISABLED, "disabled", {"残疾儿童"}},
          {v1::PRIORITY_GROUP_ORPHAN, "orphan"},
          {v1::PRIORITY_GROUP_NO_EFFECTIVE_GUARDIAN, "no_effective_guardian",
           {"事实无人抚养儿童"}},
          {v1::PRIORITY_GROUP_LEFT_BEHIND, "left_behind",
           {"留守儿童", "left behind"}},
          {v1::PRIORITY_GROUP_MIGRANT, "migrant", {"随迁子女", "随迁儿童"}},
      },
      Shared<v1::PriorityGroup>};
  return *table;
}

const WordTable& SchoolKinds() {
  static const WordTable* table = new WordTable{{
      {v1::SCHOOL_KIND_PRIMARY, "primary", {}, {"小学", "primary"}},
      {v1::SCHOOL_KIND_JUNIOR_SECONDARY, "junior",
       {"junior_secondary", "middle"}, {"初中", "junior secondary"}},
      {v1::SCHOOL_KIND_NINE_YEAR, "nine_year", {"nine-year", "九年一贯制学校"},
       {"九年一贯制", "nine-year"}},
      {v1::SCHOOL_KIND_SPECIAL_EDUCATION, "special",
       {"special_education", "特殊教育", "特教"},
       {"特殊教育学校", "special education"}},
  }};
  return *table;
}

const WordTable& TownshipKinds() {
  static const WordTable* table = new WordTable{{
      {v1::TOWNSHIP_KIND_SUBDISTRICT, "subdistrict", {}, {"街道", "subdistrict"}},
      {v1::TOWNSHIP_KIND_TOWN, "town", {}, {"镇", "town"}},
      {v1::TOWNSHIP_KIND_TOWNSHIP, "township", {}, {"乡", "township"}},
  }};
  return *table;
}

const WordTable& HalfDayRules() {
  static const WordTable* table = new WordTable{{
      {v1::HALF_DAY_RULE_COUNTS, "counts", {"count", "计", "计入"},
       {"半天计为缺勤", "counts"}},
      {v1::HALF_DAY_RULE_IGNORED, "ignored", {"ignore", "不计", "不计入"},
       {"半天不计", "ignored"}},
  }};
  return *table;
}

const WordTable& ClosureRules() {
  static const WordTable* table = new WordTable{{
      {v1::CLOSURE_RULE_BUREAU_APPROVAL, "approval",
       {"bureau_approval", "审批", "教育局审批"},
       {"需教育局审批", "bureau approval"}},
      {v1::CLOSURE_RULE_AUTOMATIC, "automatic", {"auto", "自动", "自动销号"},
       {"观察期满自动销号", "automatic"}},
  }};
  return *table;
}

const WordTable& CaseStates() {
  static const WordTable* table = new WordTable{
      {
          {v1::CASE_STATE_SUSPECTED, "suspected", {"疑似辍学"}},
          {v1::CASE_STATE_DISMISSED, "dismissed", {"已排除"}},
          {v1::CASE_STATE_CONFIRMED, "confirmed", {"确认", "已确认"}},
          {v1::CASE_STATE_PERSUADING, "persuading", {"劝返"}},
          {v1::CASE_STATE_ARRANGED, "arranged", {"妥善安置", "安置"}},
          {v1::CASE_STATE_RETURNED, "returned", {"复学"}},
          {v1::CASE_STATE_CLOSURE_PENDING, "pending",
           {"closure_pending", "待审批"}},
          {v1::CASE_STATE_CLOSED, "closed", {"销号"}},
      },
      Shared<v1::CaseState>};
  return *table;
}

const WordTable& Ledgers() {
  static const WordTable* table = new WordTable{{
      {v1::LEDGER_SUSPECTED, "suspected", {"疑似", "疑似辍学"},
       {"疑似辍学台账", "suspected ledger"}},
      {v1::LEDGER_DROPOUT, "dropout", {"辍学", "dropouts"},
       {"辍学台账", "dropout ledger"}},
      {v1::LEDGER_OPEN, "open", {"在办", "未结"}, {"在办案件", "open cases"}},
      {v1::LEDGER_CLOSED, "closed", {"已结", "结案"},
       {"已结案件", "closed cases"}},
  }};
  return *table;
}

const WordTable& CaseKinds() {
  static const WordTable* table = new WordTable{
      {
          {v1::CASE_KIND_CONSECUTIVE_ABSENCE, "consecutive",
           {"r1", "consecutive_absence"}},
          {v1::CASE_KIND_CUMULATIVE_ABSENCE, "cumulative",
           {"r2", "cumulative_absence"}},
          {v1::CASE_KIND_TRANSFER_LIMBO, "transfer", {"r3", "transfer_limbo"}},
          {v1::CASE_KIND_NOT_ENROLLED, "not_enrolled", {"r4", "失学"}},
          {v1::CASE_KIND_WITHDRAWAL, "withdrawal", {"r5"}},
          {v1::CASE_KIND_LAWFUL_STATUS_EXPIRED, "expired",
           {"r6", "lawful_status_expired"}},
          {v1::CASE_KIND_REPORTED_BY_TOWNSHIP, "reported",
           {"r7", "reported_by_township", "摸排"}},
      },
      Shared<v1::CaseKind>};
  return *table;
}

const WordTable& CasePriorities() {
  static const WordTable* table = new WordTable{
      {
          {v1::CASE_PRIORITY_NORMAL, "normal", {}},
          {v1::CASE_PRIORITY_HIGH, "high", {}},
          {v1::CASE_PRIORITY_URGENT, "urgent", {}},
      },
      Shared<v1::CasePriority>};
  return *table;
}

// NO_LONGER_MET is set by the system only, so it is not offered.
const WordTable& VerificationOutcomes() {
  static const WordTable* table = new WordTable{
      {
          {v1::VERIFICATION_OUTCOME_ATTENDING_IN_COUNTY, "attending",
           {"attending_in_county", "在校就读", "在读"}},
          {v1::VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE, "in_province",
           {"attending_in_province"}},
          {v1::VERIFICATION_OUTCOME_ATTENDING_OUTSIDE_PROVINCE,
           "outside_province", {"attending_outside_province"}},
          {v1::VERIFICATION_OUTCOME_ABROAD, "abroad", {}},
          {v1::VERIFICATION_OUTCOME_DECEASED, "deceased", {}},
          {v1::VERIFICATION_OUTCOME_HOUSEHOLD_MOVED_OUT, "moved_out",
           {"household_moved_out"}},
          {v1::VERIFICATION_OUTCOME_OVER_AGE, "over_age", {}},
          {v1::VERIFICATION_OUTCOME_WRONG_REGISTRATION, "wrong_registration",
           {"查无此人", "重复户籍", "错误户籍"}},
          {v1::VERIFICATION_OUTCOME_LAWFUL_STATUS, "lawful_status",
           {"lawful"}},
          {v1::VERIFICATION_OUTCOME_EXCUSED_ABSENCE, "excused",
           {"excused_absence", "请假"}},
          {v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL, "out_of_school",
           {"dropout", "确属辍学", "辍学", "失学"}},
      },
      Shared<v1::VerificationOutcome>};
  return *table;
}

const WordTable& DropoutReasons() {
  static const WordTable* table = new WordTable{
      {
          {v1::DROPOUT_REASON_LEARNING_DIFFICULTY, "learning",
           {"learning_difficulty", "厌学", "学习困难"}},
          {v1::DROPOUT_REASON_FINANCIAL_HARDSHIP, "financial",
           {"financial_hardship", "经济困难"}},
          {v1::DROPOUT_REASON_WORKING, "working", {"work", "务工"}},
          {v1::DROPOUT_REASON_WITH_PARENTS_AWAY, "with_parents",
           {"with_parents_away"}},
          {v1::DROPOUT_REASON_EARLY_MARRIAGE, "early_marriage", {"早婚"}},
          {v1::DROPOUT_REASON_ILLNESS, "illness", {}},
          {v1::DROPOUT_REASON_DISABILITY, "disability", {}},
          {v1::DROPOUT_REASON_DISTANCE, "distance", {}},
          {v1::DROPOUT_REASON_NO_GUARDIAN, "no_guardian", {"监护缺失"}},
          {v1::DROPOUT_REASON_PSYCHOLOGICAL_OR_BULLYING, "psychological",
           {"psychological_or_bullying", "bullying", "心理", "欺凌"}},
          {v1::DROPOUT_REASON_RELIGION, "religion", {}},
          {v1::DROPOUT_REASON_ILLEGAL_PRIVATE_SCHOOL, "private_school",
           {"illegal_private_school", "读经班", "私塾"}},
          {v1::DROPOUT_REASON_OTHER, "other", {}},
      },
      Shared<v1::DropoutReason>};
  return *table;
}

const WordTable& ActionKinds() {
  static const WordTable* table = new WordTable{
      {
          {v1::ACTION_KIND_PHONE_CALL, "phone", {"phone_call", "call", "电话联系"}},
          {v1::ACTION_KIND_HOME_VISIT, "visit", {"home_visit"}},
          {v1::ACTION_KIND_VILLAGE_CADRE_VISIT, "cadre_visit",
           {"village_cadre_visit"}},
          {v1::ACTION_KIND_JOINT_TEAM_VISIT, "joint_visit",
           {"joint_team_visit", "联合走访"}},
          {v1::ACTION_KIND_RETURN_NOTICE, "notice",
           {"return_notice", "返校通知书"}},
          {v1::ACTION_KIND_CORRECTION_ORDER, "order",
           {"correction_order", "责令改正通知书"}},
          {v1::ACTION_KIND_ADMINISTRATIVE_PENALTY, "penalty",
           {"administrative_penalty"}},
          {v1::ACTION_KIND_LAWSUIT, "lawsuit", {}},
          {v1::ACTION_KIND_AID_ARRANGED, "aid", {"aid_arranged"}},
          {v1::ACTION_KIND_COUNSELLING, "counselling", {"counseling"}},
          {v1::ACTION_KIND_HOME_TEACHING_ARRANGED, "home_teaching",
           {"home_teaching_arranged"}},
          {v1::ACTION_KIND_OTHER, "other", {}},
      },
      Shared<v1::ActionKind>};
  return *table;
}

const WordTable& GuardianAttitudes() {
  static const WordTable* table = new WordTable{
      {
          {v1::GUARDIAN_ATTITUDE_SUPPORTIVE, "supportive", {}},
          {v1::GUARDIAN_ATTITUDE_HESITANT, "hesitant", {}},
          {v1::GUARDIAN_ATTITUDE_OPPOSED, "opposed", {}},
          {v1::GUARDIAN_ATTITUDE_NOT_MET, "not_met", {"未见到"}},
      },
      Shared<v1::GuardianAttitude>};
  return *table;
}

const WordTable& TableOf(LabelSet set) {
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
    case LabelSet::kCaseState:
      return CaseStates();
    case LabelSet::kLedger:
      return Ledgers();
    case LabelSet::kCaseKind:
      return CaseKinds();
    case LabelSet::kCasePriority:
      return CasePriorities();
    case LabelSet::kVerificationOutcome:
      return VerificationOutcomes();
    case LabelSet::kDropoutReason:
      return DropoutReasons();
    case LabelSet::kActionKind:
      return ActionKinds();
    case LabelSet::kGuardianAttitude:
      return GuardianAttitudes();
  }
  return AbsenceCategories();
}

// The label of a client-only enum's value.
std::string OwnLabel(const WordTable& table, int value, Lang lang) {
  for (const Word& word : table.words) {
    if (word.value == value) return word.own.In(lang);
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

bool ParseIn(const WordTable& table, absl::string_view word, int* value) {
  std::string w = Normalize(word);
  if (w.empty()) return false;
  for (const Word& entry : table.words) {
    bool match = w == entry.word ||
                 w == Normalize(table.LabelOf(entry, Lang::kZh)) ||
                 w == Normalize(table.LabelOf(entry, Lang::kEn));
    for (const std::string& alias : entry.aliases) {
      match = match || w == Normalize(alias);
    }
    if (match) {
      *value = entry.value;
      return true;
    }
  }
  return false;
}

template <typename Enum>
bool ParseEnum(const WordTable& table, absl::string_view word, Enum* out) {
  int value;
  if (!ParseIn(table, word, &value)) return false;
  *out = static_cast<Enum>(value);
  return true;
}

}  // namespace

std::string RoleLabel(v1::Role role, Lang lang) {
  if (!v1::Role_IsValid(role) || role == v1::ROLE_UNSPECIFIED) {
    return lang == Lang::kEn ? "unknown role" : "未知角色";
  }
  return LabelOf(role, lang);
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
  return LabelOf(category, lang);
}

bool ParseAbsenceCategory(absl::string_view word,
                          v1::AbsenceCategory* category) {
  return ParseEnum(AbsenceCategories(), word, category);
}

std::string EnrolmentStatusLabel(v1::EnrolmentStatus status, Lang lang) {
  return LabelOf(status, lang);
}

std::string SexLabel(v1::Sex sex, Lang lang) { return LabelOf(sex, lang); }

bool ParseSex(absl::string_view word, v1::Sex* sex) {
  return ParseEnum(Sexes(), word, sex);
}

std::string PriorityGroupLabel(v1::PriorityGroup group, Lang lang) {
  return LabelOf(group, lang);
}

bool ParsePriorityGroup(absl::string_view word, v1::PriorityGroup* group) {
  return ParseEnum(PriorityGroups(), word, group);
}

std::string SchoolKindLabel(v1::SchoolKind kind, Lang lang) {
  return OwnLabel(SchoolKinds(), kind, lang);
}

bool ParseSchoolKind(absl::string_view word, v1::SchoolKind* kind) {
  return ParseEnum(SchoolKinds(), word, kind);
}

std::string TownshipKindLabel(v1::TownshipKind kind, Lang lang) {
  return OwnLabel(TownshipKinds(), kind, lang);
}

std::string HalfDayRuleLabel(v1::HalfDayRule rule, Lang lang) {
  return OwnLabel(HalfDayRules(), rule, lang);
}

bool ParseHalfDayRule(absl::string_view word, v1::HalfDayRule* rule) {
  return ParseEnum(HalfDayRules(), word, rule);
}

std::string ClosureRuleLabel(v1::ClosureRule rule, Lang lang) {
  return OwnLabel(ClosureRules(), rule, lang);
}

bool ParseClosureRule(absl::string_view word, v1::ClosureRule* rule) {
  return ParseEnum(ClosureRules(), word, rule);
}

bool ParseCaseState(absl::string_view word, v1::CaseState* state) {
  return ParseEnum(CaseStates(), word, state);
}

bool ParseLedger(absl::string_view word, v1::Ledger* ledger) {
  return ParseEnum(Ledgers(), word, ledger);
}

bool ParseCaseKind(absl::string_view word, v1::CaseKind* kind) {
  return ParseEnum(CaseKinds(), word, kind);
}

bool ParseCasePriority(absl::string_view word, v1::CasePriority* priority) {
  return ParseEnum(CasePriorities(), word, priority);
}

bool ParseVerificationOutcome(absl::string_view word,
                              v1::VerificationOutcome* outcome) {
  return ParseEnum(VerificationOutcomes(), word, outcome);
}

bool ParseDropoutReason(absl::string_view word, v1::DropoutReason* reason) {
  return ParseEnum(DropoutReasons(), word, reason);
}

bool ParseActionKind(absl::string_view word, v1::ActionKind* kind) {
  return ParseEnum(ActionKinds(), word, kind);
}

bool ParseGuardianAttitude(absl::string_view word,
                           v1::GuardianAttitude* attitude) {
  return ParseEnum(GuardianAttitudes(), word, attitude);
}

std::string LedgerLabel(v1::Ledger ledger, Lang lang) {
  if (ledger == v1::LEDGER_UNSPECIFIED) ledger = v1::LEDGER_OPEN;
  return OwnLabel(Ledgers(), ledger, lang);
}

std::string DeadlineStatusLabel(v1::DeadlineStatus status, Lang lang) {
  Text text;
  switch (status) {
    case v1::DEADLINE_STATUS_OPEN:
      text = {"进行中", "open"};
      break;
    case v1::DEADLINE_STATUS_MET:
      text = {"已完成", "met"};
      break;
    case v1::DEADLINE_STATUS_MISSED:
      text = {"已逾期", "missed"};
      break;
    case v1::DEADLINE_STATUS_CANCELLED:
      text = {"已取消", "cancelled"};
      break;
    default:
      text = {"—", "-"};
      break;
  }
  return text.In(lang);
}

std::string NoteCodeLabel(absl::string_view code, Lang lang) {
  static const auto* codes = new std::vector<std::pair<std::string, Text>>{
      {"verified", {"核查", "verification"}},
      {"verification-note", {"核查说明", "verification note"}},
      {"first-action", {"首次劝返措施", "first persuasion action"}},
      {"arranged", {"妥善安置", "arranged"}},
      {"arrangement", {"安置情况", "arrangement"}},
      {"returned", {"确认复学", "return confirmed"}},
      {"relapse", {"复辍", "relapse"}},
      {"no-longer-met", {"规则不再满足（报告已更正）",
                         "rule no longer met (report corrected)"}},
      {"observation-passed", {"复学观察期满", "observation period passed"}},
      {"closure-approved", {"销号审批通过", "closure approved"}},
      {"closure-rejected", {"销号被退回", "closure rejected"}},
  };
  for (const auto& [known, text] : *codes) {
    if (known == code) return text.In(lang);
  }
  return std::string(code);
}

std::string AuditActionLabel(absl::string_view action, Lang lang) {
  // One entry per body of v1::Event (proto/baoxue/v1/events.proto).
  static const auto* actions = new std::vector<std::pair<std::string, Text>>{
      {"account_created", {"创建账号", "account created"}},
      {"account_revoked", {"吊销账号", "account revoked"}},
      {"clock_tick", {"系统时钟", "clock tick"}},
      {"county_configured", {"设置本县", "county configured"}},
      {"township_created", {"新建乡镇", "township created"}},
      {"township_renamed", {"乡镇更名", "township renamed"}},
      {"village_created", {"新建村（社区）", "village created"}},
      {"village_renamed", {"村（社区）更名", "village renamed"}},
      {"school_created", {"新建学校", "school created"}},
      {"school_updated", {"修改学校", "school updated"}},
      {"calendar_set", {"设置校历", "calendar set"}},
      {"settings_updated", {"修改规则设置", "settings updated"}},
      {"student_registered", {"登记学生", "student registered"}},
      {"student_updated", {"修改学生信息", "student updated"}},
      {"enrolment_changed", {"学籍变动", "enrolment changed"}},
      {"attendance_reported", {"上报考勤", "attendance reported"}},
      {"students_imported", {"批量导入学生", "students imported"}},
      {"case_verified", {"核查案件", "case verified"}},
      {"case_action_recorded", {"记录劝返措施", "persuasion action recorded"}},
      {"case_arranged", {"妥善安置", "case arranged"}},
      {"return_confirmed", {"确认复学", "return confirmed"}},
      {"closure_decided", {"销号审批", "closure decided"}},
      {"responsible_people_assigned",
       {"指定包保责任人", "responsible people assigned"}},
      {"child_reported_out_of_school",
       {"上报失学儿童", "child reported out of school"}},
      {"roster_updated", {"更新适龄儿童台账", "roster updated"}},
  };
  for (const auto& [known, text] : *actions) {
    if (known == action) return text.In(lang);
  }
  return std::string(action);
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
  const WordTable& table = TableOf(set);
  std::vector<std::string> words;
  for (const Word& entry : table.words) {
    std::string zh = table.LabelOf(entry, Lang::kZh);
    words.push_back(lang == Lang::kEn
                        ? absl::StrCat(entry.word, " (", zh, ")")
                        : absl::StrCat(zh, "（", entry.word, "）"));
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
