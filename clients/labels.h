// The names people read for the API's enums and states, in both languages,
// and the words the command line (and CSV files) accept for them: one label
// table per enum in labels.cc, so a word is defined once.
//
// Every Parse*() accepts the English word shown in help ("sick"), the
// Chinese label ("病假"), the English label ("sick leave"), the proto name
// without its prefix ("SICK_LEAVE") and a few common aliases, ignoring ASCII
// case and surrounding spaces.
#ifndef BAOXUE_CLIENTS_LABELS_H_
#define BAOXUE_CLIENTS_LABELS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/student.pb.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

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
};
std::string AcceptedWords(LabelSet set, Lang lang);

// Reads a yes/no word: 是/否, y/n, yes/no, true/false, 1/0, and for
// half-day columns 半天/全天. Returns false for anything else.
bool ParseYesNo(absl::string_view word, bool* value);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_LABELS_H_
