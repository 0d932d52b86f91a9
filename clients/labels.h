// The names people read for the API's enums and states, in both languages,
// and the words the command line (and CSV files) accept for them.
//
// The words of every enum the server also speaks (case states, kinds,
// priorities, outcomes, reasons, actions, attitudes, deadlines, enrolment
// statuses, absence categories, priority groups, roles, sexes) come from the
// ONE table the server uses, services/labels.h (library baoxue_labels):
// LabelOf() and the *Label() functions below read it. labels.cc keeps only
// what is the client's own: the short words typed on the command line and
// their aliases, and the labels of enums only the client shows (school and
// township kinds, half-day and closure rules, ledgers, deadline statuses,
// timeline notes).
//
// Every Parse*() accepts the English word shown in help ("sick"), the
// Chinese label ("病假"), the English label ("sick leave"), the proto name
// without its prefix ("SICK_LEAVE") and a few common aliases, ignoring ASCII
// case and surrounding spaces.
#ifndef BAOXUE_CLIENTS_LABELS_H_
#define BAOXUE_CLIENTS_LABELS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/student.pb.h"
#include "clients/cli_text.h"
#include "services/labels.h"

namespace baoxue::clients {

// The server's language value for the client's.
inline baoxue::Lang ServerLang(Lang lang) {
  return lang == Lang::kEn ? baoxue::Lang::kEn : baoxue::Lang::kZh;
}

// The shared word (services/labels.h) for `value` of any enum it knows:
// LabelOf(v1::CASE_STATE_SUSPECTED, Lang::kZh) is "疑似". An unset value
// (0, UNSPECIFIED) reads "—" (or "-" in English), as an empty table cell.
template <typename Enum>
std::string LabelOf(Enum value, Lang lang) {
  if (static_cast<int>(value) == 0) return lang == Lang::kEn ? "-" : "—";
  return std::string(baoxue::Label(value, ServerLang(lang)));
}

// 学校 / school, 乡镇 / township, 教育局 / bureau, 教育局只读 / bureau viewer.
std::string RoleLabel(v1::Role role, Lang lang);

// Reads a role as written on the command line: school, township, bureau,
// viewer (or bureau_viewer), or the Chinese label. Case-insensitive.
bool ParseRole(absl::string_view word, v1::Role* role);

// 有效 / active, 已吊销 / revoked.
std::string AccountStateLabel(const v1::Account& account, Lang lang);

// 病假 sick, 事假 personal, 旷课 unexcused, 去向不明 unknown.
std::string AbsenceCategoryLabel(v1::AbsenceCategory category, Lang lang);
bool ParseAbsenceCategory(absl::string_view word,
                          v1::AbsenceCategory* category);

// 在读 / enrolled, 休学 / suspended, ... (学籍状态).
std::string EnrolmentStatusLabel(v1::EnrolmentStatus status, Lang lang);

// 男 male, 女 female.
std::string SexLabel(v1::Sex sex, Lang lang);
bool ParseSex(absl::string_view word, v1::Sex* sex);

// 脱贫户 poor_household, 低保 minimum_living_allowance (dibao), 特困
// extreme_hardship, 残疾 disabled, 孤儿 orphan, 事实无人抚养
// no_effective_guardian, 留守 left_behind, 随迁 migrant.
std::string PriorityGroupLabel(v1::PriorityGroup group, Lang lang);
bool ParsePriorityGroup(absl::string_view word, v1::PriorityGroup* group);

// 小学 primary, 初中 junior, 九年一贯制 nine_year, 特殊教育学校 special.
std::string SchoolKindLabel(v1::SchoolKind kind, Lang lang);
bool ParseSchoolKind(absl::string_view word, v1::SchoolKind* kind);

// 街道 subdistrict, 镇 town, 乡 township.
std::string TownshipKindLabel(v1::TownshipKind kind, Lang lang);

// 半天计为缺勤 counts, 半天不计 ignored.
std::string HalfDayRuleLabel(v1::HalfDayRule rule, Lang lang);
bool ParseHalfDayRule(absl::string_view word, v1::HalfDayRule* rule);

// 需教育局审批 approval, 观察期满自动销号 automatic.
std::string ClosureRuleLabel(v1::ClosureRule rule, Lang lang);
bool ParseClosureRule(absl::string_view word, v1::ClosureRule* rule);

// Whether one school reported one day: 已上报 / reported, 零报告 / zero
// report, 未上报 / missing, 待上报 / due (before today's cutoff).
std::string ReportingDayLabel(const v1::ReportingDay& day, Lang lang);

// Case words as typed (each also accepts its Chinese and English label):
//   state     suspected, dismissed, confirmed, persuading, arranged,
//             returned, pending (closure_pending), closed
//   ledger    suspected (疑似辍学台账), dropout (辍学台账), open, closed
//   kind      consecutive, cumulative, transfer, not_enrolled, withdrawal,
//             expired, reported (also R1 ... R7)
//   priority  normal, high, urgent
//   outcome   attending, in_province, outside_province, abroad, deceased,
//             moved_out, over_age, wrong_registration, lawful_status,
//             excused, out_of_school
//   reason    learning, financial, working, with_parents, early_marriage,
//             illness, disability, distance, no_guardian, psychological,
//             religion, private_school, other
//   action    phone, visit, cadre_visit, joint_visit, notice, order,
//             penalty, lawsuit, aid, counselling, home_teaching, other
//   attitude  supportive, hesitant, opposed, not_met
bool ParseCaseState(absl::string_view word, v1::CaseState* state);
bool ParseLedger(absl::string_view word, v1::Ledger* ledger);
bool ParseCaseKind(absl::string_view word, v1::CaseKind* kind);
bool ParseCasePriority(absl::string_view word, v1::CasePriority* priority);
bool ParseVerificationOutcome(absl::string_view word,
                              v1::VerificationOutcome* outcome);
bool ParseDropoutReason(absl::string_view word, v1::DropoutReason* reason);
bool ParseActionKind(absl::string_view word, v1::ActionKind* kind);
bool ParseGuardianAttitude(absl::string_view word,
                           v1::GuardianAttitude* attitude);

// 疑似辍学台账 / suspected ledger, 辍学台账 / dropout ledger, 在办案件 / open
// cases, 已结案件 / closed cases; unset: 在办案件.
std::string LedgerLabel(v1::Ledger ledger, Lang lang);

// 进行中 open, 已完成 met, 已逾期 missed, 已取消 cancelled.
std::string DeadlineStatusLabel(v1::DeadlineStatus status, Lang lang);

// A timeline note code (CaseHistoryEntry.note_code) in words: "relapse" ->
// 复辍 / relapse; an unknown code is shown as it is.
std::string NoteCodeLabel(absl::string_view code, Lang lang);

// An audit trail action (AuditEntry.action, the event body's field name) in
// words: "attendance_reported" -> 上报考勤 / attendance reported; an unknown
// action is shown as it is.
std::string AuditActionLabel(absl::string_view action, Lang lang);

// The accepted words of an enum, for help and error messages, e.g.
// "病假（sick）、事假（personal）、旷课（unexcused）、去向不明（unknown）" or
// "sick (病假), personal (事假), unexcused (旷课), unknown (去向不明)".
enum class LabelSet {
  kAbsenceCategory,
  kSex,
  kPriorityGroup,
  kSchoolKind,
  kHalfDayRule,
  kClosureRule,
  kCaseState,
  kLedger,
  kCaseKind,
  kCasePriority,
  kVerificationOutcome,
  kDropoutReason,
  kActionKind,
  kGuardianAttitude,
};
std::string AcceptedWords(LabelSet set, Lang lang);

// Reads a yes/no word: 是/否, y/n, yes/no, true/false, 1/0, and for
// half-day columns 半天/全天. Returns false for anything else.
bool ParseYesNo(absl::string_view word, bool* value);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_LABELS_H_
