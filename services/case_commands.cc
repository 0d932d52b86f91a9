#include "services/case_commands.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/case_engine.h"
#include "services/dates.h"
#include "services/domain/identifiers.h"
#include "services/labels.h"
#include "services/scope.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

constexpr int kMaxRosterEntries = 1000;

absl::StatusOr<v1::Case> RequireCase(const storage::ModelTxn& model,
                                     const std::string& case_id) {
  ASSIGN_OR_RETURN(auto found, FindCase(model, case_id));
  if (!found.has_value()) {
    return NotFoundError(absl::StrCat("案件 ", case_id, " 不存在"),
                         absl::StrCat("case ", case_id, " does not exist"));
  }
  return *std::move(found);
}

// The township line (and the bureau) may act on a case of its township.
absl::Status CheckCaseScope(const Caller& caller, const v1::Case& c) {
  if (caller.account.role() == v1::ROLE_SCHOOL) {
    return CheckSchoolScope(caller, c.school_id());
  }
  return CheckTownshipScope(caller, c.household_township_code());
}

absl::Status WrongState(const v1::Case& c, absl::string_view zh,
                        absl::string_view en) {
  return FailedPreconditionError(
      absl::StrCat("案件 ", c.case_id(), " 当前状态为“", Label(c.state(), Lang::kZh),
                   "”，", zh),
      absl::StrCat("case ", c.case_id(), " is ", Label(c.state(), Lang::kEn),
                   ": ", en));
}

absl::StatusOr<absl::CivilDay> CheckCaseDate(const Field& field,
                                             const v1::Date& date,
                                             const v1::Case& c,
                                             const v1::Event& event) {
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   CheckPastDate(field, date, CountyDayOf(event.record_time())));
  absl::CivilDay opened = CountyDayOf(c.open_time());
  if (day < opened) {
    return FieldError(field,
                      absl::StrCat("不能早于立案日期 ", FormatDay(opened)),
                      absl::StrCat("cannot be before the case opened on ",
                                   FormatDay(opened)));
  }
  return day;
}

absl::Status CheckOptionalText(const Field& field, const std::string& text,
                               int max_chars) {
  if (text.empty()) return absl::OkStatus();
  return ValidateText(field, text, 1, max_chars);
}

bool IsContactAction(v1::ActionKind kind) {
  return kind == v1::ACTION_KIND_PHONE_CALL || kind == v1::ACTION_KIND_HOME_VISIT ||
         kind == v1::ACTION_KIND_VILLAGE_CADRE_VISIT ||
         kind == v1::ACTION_KIND_JOINT_TEAM_VISIT;
}

}  // namespace

absl::Status PrepareVerifyCase(const storage::ModelTxn& model,
                               const Caller& caller,
                               const v1::CaseVerified& verification,
                               v1::Event* event) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(model, verification.case_id()));
  RETURN_IF_ERROR(CheckCaseScope(caller, c));
  if (c.state() != v1::CASE_STATE_SUSPECTED) {
    return WrongState(c, "只有“疑似”案件可以核查",
                      "only a suspected case can be verified");
  }
  v1::VerificationOutcome outcome = verification.outcome();
  if (outcome == v1::VERIFICATION_OUTCOME_UNSPECIFIED ||
      outcome == v1::VERIFICATION_OUTCOME_NO_LONGER_MET ||
      !v1::VerificationOutcome_IsValid(outcome)) {
    return FieldError({"outcome", "核查结果"}, "请选择一个核查结果",
                      "choose a verification outcome");
  }
  if (outcome == v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL) {
    if (verification.dropout_reason() == v1::DROPOUT_REASON_UNSPECIFIED ||
        !v1::DropoutReason_IsValid(verification.dropout_reason())) {
      return FieldError({"dropout_reason", "辍学原因"},
                        "确认辍学时必须填写辍学原因",
                        "is required to confirm a dropout");
    }
  } else if (verification.dropout_reason() != v1::DROPOUT_REASON_UNSPECIFIED) {
    return FieldError({"dropout_reason", "辍学原因"}, "只有确认辍学时才填写",
                      "applies only when the outcome is OUT_OF_SCHOOL");
  }
  RETURN_IF_ERROR(CheckOptionalText({"note", "核查说明"}, verification.note(), 1000));
  RETURN_IF_ERROR(CheckCaseDate({"verify_date", "核查日期"},
                                verification.verify_date(), c, *event)
                      .status());
  *event->mutable_case_verified() = verification;
  return absl::OkStatus();
}

absl::Status PrepareRecordAction(const storage::ModelTxn& model,
                                 const Caller& caller,
                                 const std::string& case_id,
                                 const v1::CaseAction& action,
                                 v1::Event* event) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(model, case_id));
  RETURN_IF_ERROR(CheckCaseScope(caller, c));
  v1::ActionKind kind = action.kind();
  if (kind == v1::ACTION_KIND_UNSPECIFIED || !v1::ActionKind_IsValid(kind)) {
    return FieldError({"action.kind", "劝返措施"}, "请选择一种措施",
                      "choose a kind of action");
  }
  bool allowed = c.state() == v1::CASE_STATE_CONFIRMED ||
                 c.state() == v1::CASE_STATE_PERSUADING ||
                 (c.state() == v1::CASE_STATE_SUSPECTED && IsContactAction(kind));
  if (!allowed) {
    return WrongState(c,
                      "只能对“确认辍学”或“劝返中”的案件记录劝返措施"
                      "（“疑似”案件只能记录电话或走访）",
                      "actions are recorded on confirmed or persuading cases "
                      "(a suspected case takes only calls and visits)");
  }
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   CheckCaseDate({"action.action_date", "措施日期"},
                                 action.action_date(), c, *event));
  RETURN_IF_ERROR(ValidateText({"action.actors", "参与人员"}, action.actors(), 1, 200));
  RETURN_IF_ERROR(CheckOptionalText({"action.met", "见到的人"}, action.met(), 200));
  if (!v1::GuardianAttitude_IsValid(action.attitude())) {
    return FieldError({"action.attitude", "监护人态度"}, "取值无效",
                      "is not a valid value");
  }
  RETURN_IF_ERROR(CheckOptionalText({"action.outcome", "结果"}, action.outcome(), 1000));
  RETURN_IF_ERROR(CheckOptionalText({"action.notes", "备注"}, action.notes(), 2000));
  if (action.has_next_step_date()) {
    RETURN_IF_ERROR(
        CheckDate({"action.next_step_date", "下一步日期"}, action.next_step_date())
            .status());
  }
  bool written = kind == v1::ACTION_KIND_RETURN_NOTICE ||
                 kind == v1::ACTION_KIND_CORRECTION_ORDER;
  const Field deadline_field{"action.notice_deadline", "通知书期限"};
  if (written) {
    ASSIGN_OR_RETURN(absl::CivilDay deadline,
                     CheckDate(deadline_field, action.notice_deadline()));
    if (deadline <= day) {
      return FieldError(deadline_field, "须晚于发出日期",
                        "must be after the action date");
    }
  } else if (action.has_notice_deadline()) {
    return FieldError(deadline_field, "只适用于限期返校通知书和责令限期改正通知书",
                      "applies only to a notice to return or an order to "
                      "correct");
  }
  auto* recorded = event->mutable_case_action_recorded();
  recorded->set_case_id(case_id);
  *recorded->mutable_action() = action;
  return absl::OkStatus();
}

absl::Status PrepareArrangeCase(const storage::ModelTxn& model,
                                const Caller& caller, const std::string& case_id,
                                const std::string& note, v1::Event* event) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(model, case_id));
  RETURN_IF_ERROR(CheckCaseScope(caller, c));
  if (c.state() != v1::CASE_STATE_CONFIRMED &&
      c.state() != v1::CASE_STATE_PERSUADING) {
    return WrongState(c, "只有“确认辍学”或“劝返中”的案件可以妥善安置",
                      "only a confirmed or persuading case can be arranged");
  }
  RETURN_IF_ERROR(ValidateText({"note", "安置情况"}, note, 1, 500));
  auto* arranged = event->mutable_case_arranged();
  arranged->set_case_id(case_id);
  arranged->set_note(note);
  return absl::OkStatus();
}

absl::Status PrepareConfirmReturn(const storage::ModelTxn& model,
                                  const Caller& caller,
                                  const std::string& case_id,
                                  const v1::Date& return_date,
                                  v1::Event* event) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(model, case_id));
  ASSIGN_OR_RETURN(auto student, FindStudent(model, c.student_id()));
  const std::string& school = caller.account.school_id();
  bool enrolled_here =
      student.has_value() &&
      student->enrolment().status() == v1::ENROLMENT_STATUS_ENROLLED &&
      student->enrolment().school_id() == school;
  if (caller.account.role() != v1::ROLE_SCHOOL || !enrolled_here) {
    return PermissionDeniedError(
        "只有学生在读的学校可以确认复学；如学生已转入其他学校，请由该校先办理入学",
        "only the school where the child is enrolled can confirm the return; "
        "a new school enrols the child first");
  }
  if (c.state() != v1::CASE_STATE_CONFIRMED &&
      c.state() != v1::CASE_STATE_PERSUADING) {
    return WrongState(c, "只有“确认辍学”或“劝返中”的案件可以确认复学",
                      "only a confirmed or persuading case can be marked "
                      "returned");
  }
  RETURN_IF_ERROR(
      CheckCaseDate({"return_date", "复学日期"}, return_date, c, *event).status());
  auto* confirmed = event->mutable_return_confirmed();
  confirmed->set_case_id(case_id);
  *confirmed->mutable_return_date() = return_date;
  return absl::OkStatus();
}

absl::Status PrepareDecideClosure(const storage::ModelTxn& model,
                                  const Caller& caller,
                                  const std::string& case_id, bool approved,
                                  const std::string& reason, v1::Event* event) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(model, case_id));
  if (caller.account.role() != v1::ROLE_BUREAU) {
    return PermissionDeniedError("只有教育局可以审批销号",
                                 "only the bureau decides closures");
  }
  if (c.state() != v1::CASE_STATE_CLOSURE_PENDING) {
    return WrongState(c, "只有“待销号”的案件可以审批",
                      "only a case pending closure can be decided");
  }
  if (!approved) {
    RETURN_IF_ERROR(ValidateText({"reason", "退回原因"}, reason, 1, 500));
  } else {
    RETURN_IF_ERROR(CheckOptionalText({"reason", "审批意见"}, reason, 500));
  }
  auto* decided = event->mutable_closure_decided();
  decided->set_case_id(case_id);
  decided->set_approved(approved);
  decided->set_reason(reason);
  return absl::OkStatus();
}

absl::Status PrepareAssignResponsible(const storage::ModelTxn& model,
                                      const Caller& caller,
                                      const std::string& case_id,
                                      const v1::ResponsiblePeople& people,
                                      v1::Event* event) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(model, case_id));
  RETURN_IF_ERROR(CheckCaseScope(caller, c));
  if (!IsOpenState(c.state())) {
    return WrongState(c, "已结案的案件不能再指定责任人",
                      "a closed case takes no responsible people");
  }
  RETURN_IF_ERROR(CheckOptionalText({"responsible.township_official", "乡镇责任人"},
                                    people.township_official(), 50));
  RETURN_IF_ERROR(CheckOptionalText({"responsible.class_teacher", "班主任"},
                                    people.class_teacher(), 50));
  RETURN_IF_ERROR(CheckOptionalText({"responsible.village_cadre", "村干部"},
                                    people.village_cadre(), 50));
  RETURN_IF_ERROR(CheckOptionalText({"responsible.bureau_lead", "包片领导"},
                                    people.bureau_lead(), 50));
  const std::string& lead = c.responsible().bureau_lead();
  if (caller.account.role() != v1::ROLE_BUREAU && !people.bureau_lead().empty() &&
      people.bureau_lead() != lead) {
    return PermissionDeniedError("包片领导由教育局指定",
                                 "the bureau names its area lead");
  }
  auto* assigned = event->mutable_responsible_people_assigned();
  assigned->set_case_id(case_id);
  *assigned->mutable_responsible() = people;
  // Only the bureau changes its area lead: the township's people replace
  // their own three, never the bureau's choice.
  if (caller.account.role() != v1::ROLE_BUREAU) {
    assigned->mutable_responsible()->set_bureau_lead(lead);
  }
  return absl::OkStatus();
}

absl::Status PrepareReportOutOfSchool(const storage::ModelTxn& model,
                                      const Caller& caller,
                                      const v1::Student& child,
                                      const std::string& note,
                                      const v1::Date& found_date,
                                      v1::Event* event) {
  absl::Status id = domain::ValidateIdNumber(child.id_number());
  if (!id.ok()) return WithContext(id, "", "child.");
  RETURN_IF_ERROR(ValidateText({"note", "发现情况"}, note, 1, 1000));
  RETURN_IF_ERROR(CheckPastDate({"found_date", "发现日期"}, found_date,
                                CountyDayOf(event->record_time()))
                      .status());
  auto* reported = event->mutable_child_reported_out_of_school();
  reported->set_note(note);
  *reported->mutable_found_date() = found_date;
  ASSIGN_OR_RETURN(auto existing, FindStudentByIdNumber(model, child.id_number()));
  if (existing.has_value()) {
    // Deliberately no township scope check here: an official who finds a
    // child out of school reports them wherever their 户籍 is (随迁 children
    // live where they are not registered). The case lands in the household
    // township's ledger; the caller learns only the case id.
    *reported->mutable_student() = *existing;
    return absl::OkStatus();
  }
  // A child the county has never seen: register them, not enrolled.
  const std::string& township = caller.account.township_code();
  RETURN_IF_ERROR(ValidateText({"child.name", "姓名"}, child.name(), 1, 50));
  auto facts = domain::ParseIdNumber(child.id_number());
  if (!facts.ok()) return WithContext(facts.status(), "", "child.");
  if (child.household_township_code() != township) {
    return FieldError({"child.household_township_code", "户籍乡镇"},
                      "须为本乡镇", "must be the caller's township");
  }
  ASSIGN_OR_RETURN(auto village, FindVillage(model, child.household_village_code()));
  if (!village.has_value() || village->township_code() != township) {
    return FieldError({"child.household_village_code", "户籍村"},
                      "须为本乡镇的村", "must be a village of the caller's township");
  }
  v1::Student s;
  s.set_student_id(absl::StrCat("stu-", event->sequence()));
  s.set_id_number(child.id_number());
  s.set_name(child.name());
  s.set_sex(facts->sex == domain::Sex::kMale ? v1::SEX_MALE : v1::SEX_FEMALE);
  *s.mutable_birth_date() = ToDate(facts->birth_date);
  s.set_household_township_code(township);
  s.set_household_village_code(child.household_village_code());
  *s.mutable_guardians() = child.guardians();
  *s.mutable_priority_groups() = child.priority_groups();
  s.mutable_enrolment()->set_status(v1::ENROLMENT_STATUS_NOT_ENROLLED);
  *s.mutable_register_time() = event->record_time();
  *reported->mutable_student() = std::move(s);
  reported->set_registered(true);
  return absl::OkStatus();
}

absl::Status PrepareUpdateRoster(const storage::ModelTxn& model,
                                 const Caller& caller,
                                 const v1::RosterUpdated& update,
                                 v1::Event* event) {
  ASSIGN_OR_RETURN(auto village, FindVillage(model, update.village_code()));
  if (!village.has_value()) {
    return NotFoundError(absl::StrCat("村 ", update.village_code(), " 不存在"),
                         absl::StrCat("village ", update.village_code(),
                                      " does not exist"));
  }
  RETURN_IF_ERROR(CheckTownshipScope(caller, village->township_code()));
  if (update.entries_size() + update.removed_id_numbers_size() > kMaxRosterEntries) {
    return ResourceExhaustedError(
        absl::StrCat("每批最多 ", kMaxRosterEntries, " 条"),
        absl::StrCat("at most ", kMaxRosterEntries, " entries per batch"));
  }
  std::vector<std::string> errors_zh, errors_en;
  std::set<std::string> seen;
  v1::RosterUpdated cleaned;
  cleaned.set_village_code(update.village_code());
  for (int i = 0; i < update.entries_size(); ++i) {
    const v1::RosterEntry& e = update.entries(i);
    absl::Status s = domain::ValidateIdNumber(e.id_number());
    if (s.ok()) s = ValidateText({"name", "姓名"}, e.name(), 1, 50);
    if (s.ok() && !e.village_code().empty() && e.village_code() != update.village_code()) {
      s = FieldError({"village_code", "村代码"}, "须与本批的村一致",
                     "must be the batch's village");
    }
    if (s.ok() && !e.guardian_phone().empty()) s = domain::ValidatePhone(e.guardian_phone());
    if (s.ok() && !e.guardian_name().empty()) {
      s = ValidateText({"guardian_name", "监护人"}, e.guardian_name(), 1, 50);
    }
    if (s.ok() && !seen.insert(e.id_number()).second) {
      s = InvalidArgumentError("身份证号在本批中重复", "the ID number repeats in this batch");
    }
    if (!s.ok()) {
      errors_zh.push_back(absl::StrCat("第 ", i + 1, " 条（entries[", i, "]）：",
                                       MessageIn(s, Lang::kZh)));
      errors_en.push_back(absl::StrCat("entries[", i, "]: ", MessageIn(s, Lang::kEn)));
      continue;
    }
    v1::RosterEntry* kept = cleaned.add_entries();
    *kept = e;
    kept->set_village_code(update.village_code());
  }
  for (int i = 0; i < update.removed_id_numbers_size(); ++i) {
    absl::Status s = domain::ValidateIdNumber(update.removed_id_numbers(i));
    if (!s.ok()) {
      errors_zh.push_back(absl::StrCat("removed_id_numbers[", i, "]：",
                                       MessageIn(s, Lang::kZh)));
      errors_en.push_back(absl::StrCat("removed_id_numbers[", i, "]: ",
                                       MessageIn(s, Lang::kEn)));
      continue;
    }
    cleaned.add_removed_id_numbers(update.removed_id_numbers(i));
  }
  if (!errors_zh.empty()) {
    return InvalidArgumentError(
        absl::StrCat("花名册有 ", errors_zh.size(), " 条错误，整批未保存：\n",
                     absl::StrJoin(errors_zh, "\n")),
        absl::StrCat("the roster has ", errors_en.size(),
                     " bad entries; nothing was saved:\n",
                     absl::StrJoin(errors_en, "\n")));
  }
  *event->mutable_roster_updated() = std::move(cleaned);
  return absl::OkStatus();
}

}  // namespace baoxue::services
