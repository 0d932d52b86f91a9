#include "services/labels.h"

#include <utility>

namespace baoxue {
namespace {

struct Words {
  int value;
  absl::string_view zh;
  absl::string_view en;
};

template <size_t N>
absl::string_view Find(const Words (&table)[N], int value, Lang lang) {
  for (const Words& w : table) {
    if (w.value == value) return lang == Lang::kZh ? w.zh : w.en;
  }
  return lang == Lang::kZh ? "未知" : "unknown";
}

const Words kStates[] = {
    {v1::CASE_STATE_SUSPECTED, "疑似", "suspected"},
    {v1::CASE_STATE_DISMISSED, "排除", "dismissed"},
    {v1::CASE_STATE_CONFIRMED, "确认辍学", "confirmed"},
    {v1::CASE_STATE_PERSUADING, "劝返中", "persuading"},
    {v1::CASE_STATE_ARRANGED, "已妥善安置", "arranged"},
    {v1::CASE_STATE_RETURNED, "已复学", "returned"},
    {v1::CASE_STATE_CLOSURE_PENDING, "待销号", "closure pending"},
    {v1::CASE_STATE_CLOSED, "已销号", "closed"},
};
const Words kKinds[] = {
    {v1::CASE_KIND_CONSECUTIVE_ABSENCE, "连续旷课", "consecutive absence"},
    {v1::CASE_KIND_CUMULATIVE_ABSENCE, "累计旷课", "cumulative absence"},
    {v1::CASE_KIND_TRANSFER_LIMBO, "转出未入学", "transfer not completed"},
    {v1::CASE_KIND_NOT_ENROLLED, "适龄未入学", "school-age, not enrolled"},
    {v1::CASE_KIND_WITHDRAWAL, "退学", "withdrawal"},
    {v1::CASE_KIND_LAWFUL_STATUS_EXPIRED, "到期未复学", "lawful status expired"},
    {v1::CASE_KIND_REPORTED_BY_TOWNSHIP, "摸排发现", "found by township"},
};
const Words kPriorities[] = {
    {v1::CASE_PRIORITY_NORMAL, "一般", "normal"},
    {v1::CASE_PRIORITY_HIGH, "重点", "high"},
    {v1::CASE_PRIORITY_URGENT, "紧急", "urgent"},
};
const Words kLevels[] = {
    {v1::ESCALATION_LEVEL_SCHOOL, "学校", "school"},
    {v1::ESCALATION_LEVEL_TOWNSHIP, "乡镇", "township"},
    {v1::ESCALATION_LEVEL_BUREAU, "教育局", "bureau"},
};
const Words kOutcomes[] = {
    {v1::VERIFICATION_OUTCOME_ATTENDING_IN_COUNTY, "已在校就读", "attending in the county"},
    {v1::VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE, "省内就读", "attending in the province"},
    {v1::VERIFICATION_OUTCOME_ATTENDING_OUTSIDE_PROVINCE, "省外就读", "attending outside the province"},
    {v1::VERIFICATION_OUTCOME_ABROAD, "出国", "abroad"},
    {v1::VERIFICATION_OUTCOME_DECEASED, "死亡", "deceased"},
    {v1::VERIFICATION_OUTCOME_HOUSEHOLD_MOVED_OUT, "户籍迁出", "household moved out"},
    {v1::VERIFICATION_OUTCOME_OVER_AGE, "超龄", "over age"},
    {v1::VERIFICATION_OUTCOME_WRONG_REGISTRATION, "重复/错误户籍、查无此人", "duplicate or wrong registration"},
    {v1::VERIFICATION_OUTCOME_LAWFUL_STATUS, "延缓入学、休学、送教上门", "lawful status"},
    {v1::VERIFICATION_OUTCOME_EXCUSED_ABSENCE, "请假已核实", "absence excused"},
    {v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL, "确属辍学/失学", "out of school"},
    {v1::VERIFICATION_OUTCOME_NO_LONGER_MET, "规则不再满足", "rule no longer met"},
};
const Words kReasons[] = {
    {v1::DROPOUT_REASON_LEARNING_DIFFICULTY, "厌学/学习困难", "learning difficulty"},
    {v1::DROPOUT_REASON_FINANCIAL_HARDSHIP, "家庭经济困难", "financial hardship"},
    {v1::DROPOUT_REASON_WORKING, "外出务工", "working"},
    {v1::DROPOUT_REASON_WITH_PARENTS_AWAY, "随父母外出", "away with parents"},
    {v1::DROPOUT_REASON_EARLY_MARRIAGE, "早婚早育", "early marriage"},
    {v1::DROPOUT_REASON_ILLNESS, "疾病", "illness"},
    {v1::DROPOUT_REASON_DISABILITY, "残疾", "disability"},
    {v1::DROPOUT_REASON_DISTANCE, "上学远", "distance to school"},
    {v1::DROPOUT_REASON_NO_GUARDIAN, "监护缺失", "no effective guardian"},
    {v1::DROPOUT_REASON_PSYCHOLOGICAL_OR_BULLYING, "心理/欺凌", "psychological or bullying"},
    {v1::DROPOUT_REASON_RELIGION, "宗教", "religion"},
    {v1::DROPOUT_REASON_ILLEGAL_PRIVATE_SCHOOL, "参加非法读经班/私塾", "illegal private school"},
    {v1::DROPOUT_REASON_OTHER, "其他", "other"},
};
const Words kActions[] = {
    {v1::ACTION_KIND_PHONE_CALL, "电话", "phone call"},
    {v1::ACTION_KIND_HOME_VISIT, "家访", "home visit"},
    {v1::ACTION_KIND_VILLAGE_CADRE_VISIT, "村干部走访", "village cadre visit"},
    {v1::ACTION_KIND_JOINT_TEAM_VISIT, "乡镇联合走访", "joint team visit"},
    {v1::ACTION_KIND_RETURN_NOTICE, "限期返校通知书", "notice to return"},
    {v1::ACTION_KIND_CORRECTION_ORDER, "责令限期改正通知书", "order to correct"},
    {v1::ACTION_KIND_ADMINISTRATIVE_PENALTY, "行政处罚", "administrative penalty"},
    {v1::ACTION_KIND_LAWSUIT, "诉讼", "lawsuit"},
    {v1::ACTION_KIND_AID_ARRANGED, "资助", "aid arranged"},
    {v1::ACTION_KIND_COUNSELLING, "心理辅导", "counselling"},
    {v1::ACTION_KIND_HOME_TEACHING_ARRANGED, "送教上门", "home teaching arranged"},
    {v1::ACTION_KIND_OTHER, "其他", "other"},
};
const Words kAttitudes[] = {
    {v1::GUARDIAN_ATTITUDE_SUPPORTIVE, "支持", "supportive"},
    {v1::GUARDIAN_ATTITUDE_HESITANT, "犹豫", "hesitant"},
    {v1::GUARDIAN_ATTITUDE_OPPOSED, "反对", "opposed"},
    {v1::GUARDIAN_ATTITUDE_NOT_MET, "未见到监护人", "guardian not met"},
};
const Words kDeadlines[] = {
    {v1::DEADLINE_KIND_FIRST_CONTACT, "首次联系", "first contact"},
    {v1::DEADLINE_KIND_VERIFICATION, "核查", "verification"},
    {v1::DEADLINE_KIND_PERSUASION_ACTION, "劝返措施", "persuasion action"},
    {v1::DEADLINE_KIND_PERSUASION_RETURN, "劝返复学", "return"},
    {v1::DEADLINE_KIND_NOTICE, "通知书期限", "notice deadline"},
    {v1::DEADLINE_KIND_CLOSURE_APPROVAL, "销号审批", "closure approval"},
    {v1::DEADLINE_KIND_OBSERVATION, "复学观察期", "observation period"},
};
const Words kEnrolment[] = {
    {v1::ENROLMENT_STATUS_NOT_ENROLLED, "未入学", "not enrolled"},
    {v1::ENROLMENT_STATUS_ENROLLED, "在读", "enrolled"},
    {v1::ENROLMENT_STATUS_TRANSFER_PENDING, "转出待接收", "transfer pending"},
    {v1::ENROLMENT_STATUS_TRANSFERRED_OUT, "转出县外", "transferred out of the county"},
    {v1::ENROLMENT_STATUS_SUSPENDED, "休学", "suspended"},
    {v1::ENROLMENT_STATUS_DEFERRED, "延缓入学", "entry deferred"},
    {v1::ENROLMENT_STATUS_HOME_TEACHING, "送教上门", "home-delivered teaching"},
    {v1::ENROLMENT_STATUS_GRADUATED, "毕业", "graduated"},
    {v1::ENROLMENT_STATUS_WITHDRAWN, "退学/离校", "withdrawn"},
    {v1::ENROLMENT_STATUS_DECEASED, "死亡", "deceased"},
};
const Words kAbsences[] = {
    {v1::ABSENCE_CATEGORY_SICK_LEAVE, "病假", "sick leave"},
    {v1::ABSENCE_CATEGORY_PERSONAL_LEAVE, "事假", "personal leave"},
    {v1::ABSENCE_CATEGORY_UNEXCUSED, "旷课", "unexcused"},
    {v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN, "去向不明", "whereabouts unknown"},
};
const Words kGroups[] = {
    {v1::PRIORITY_GROUP_POOR_HOUSEHOLD, "建档立卡/脱贫户", "registered-poor household"},
    {v1::PRIORITY_GROUP_MINIMUM_LIVING_ALLOWANCE, "低保", "minimum living allowance"},
    {v1::PRIORITY_GROUP_EXTREME_HARDSHIP, "特困", "extreme hardship"},
    {v1::PRIORITY_GROUP_DISABLED, "残疾", "disabled"},
    {v1::PRIORITY_GROUP_ORPHAN, "孤儿", "orphan"},
    {v1::PRIORITY_GROUP_NO_EFFECTIVE_GUARDIAN, "事实无人抚养", "no effective guardian"},
    {v1::PRIORITY_GROUP_LEFT_BEHIND, "留守", "left-behind"},
    {v1::PRIORITY_GROUP_MIGRANT, "随迁", "migrant"},
};
const Words kRoles[] = {
    {v1::ROLE_SCHOOL, "学校", "school"},
    {v1::ROLE_TOWNSHIP, "乡镇", "township"},
    {v1::ROLE_BUREAU, "教育局", "bureau"},
    {v1::ROLE_BUREAU_VIEWER, "教育局只读", "bureau viewer"},
};
const Words kSexes[] = {
    {v1::SEX_MALE, "男", "male"},
    {v1::SEX_FEMALE, "女", "female"},
};

}  // namespace

absl::string_view Label(v1::CaseState v, Lang l) { return Find(kStates, v, l); }
absl::string_view Label(v1::CaseKind v, Lang l) { return Find(kKinds, v, l); }
absl::string_view Label(v1::CasePriority v, Lang l) { return Find(kPriorities, v, l); }
absl::string_view Label(v1::EscalationLevel v, Lang l) { return Find(kLevels, v, l); }
absl::string_view Label(v1::VerificationOutcome v, Lang l) { return Find(kOutcomes, v, l); }
absl::string_view Label(v1::DropoutReason v, Lang l) { return Find(kReasons, v, l); }
absl::string_view Label(v1::ActionKind v, Lang l) { return Find(kActions, v, l); }
absl::string_view Label(v1::GuardianAttitude v, Lang l) { return Find(kAttitudes, v, l); }
absl::string_view Label(v1::DeadlineKind v, Lang l) { return Find(kDeadlines, v, l); }
absl::string_view Label(v1::EnrolmentStatus v, Lang l) { return Find(kEnrolment, v, l); }
absl::string_view Label(v1::AbsenceCategory v, Lang l) { return Find(kAbsences, v, l); }
absl::string_view Label(v1::PriorityGroup v, Lang l) { return Find(kGroups, v, l); }
absl::string_view Label(v1::Role v, Lang l) { return Find(kRoles, v, l); }
absl::string_view Label(v1::Sex v, Lang l) { return Find(kSexes, v, l); }

}  // namespace baoxue
