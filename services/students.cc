#include "services/students.h"

#include <optional>
#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/dates.h"
#include "services/domain/identifiers.h"
#include "services/registry.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

constexpr int kMaxGuardians = 4;
constexpr int kMaxImportRows = 1000;

// Messages name a child by name and masked 学籍号 (a G number embeds the
// ID number).
std::string Describe(const v1::Student& s) {
  return absl::StrCat(s.name(), "（学籍号 ",
                      domain::MaskStudentNumber(s.student_number()), "）");
}
std::string DescribeEn(const v1::Student& s) {
  return absl::StrCat(s.name(), " (student number ",
                      domain::MaskStudentNumber(s.student_number()), ")");
}

// Where a child is, for an ALREADY_EXISTS message: the school of record.
std::string WhereZh(const v1::Student& s) {
  if (s.enrolment().school_id().empty()) return "，目前未在本县学校就读";
  return absl::StrCat("，学籍所在学校：", s.enrolment().school_id(), "（",
                      EnrolmentStatusName(s.enrolment().status(), Lang::kZh), "）");
}
std::string WhereEn(const v1::Student& s) {
  if (s.enrolment().school_id().empty()) return ", not at a school of the county";
  return absl::StrCat(", school of record: ", s.enrolment().school_id(), " (",
                      EnrolmentStatusName(s.enrolment().status(), Lang::kEn), ")");
}

v1::Sex SexOf(domain::Sex sex) {
  return sex == domain::Sex::kMale ? v1::SEX_MALE : v1::SEX_FEMALE;
}

// The townships and villages children's records name, each read from the
// model once: the 1,000 rows of an import chunk come from a few dozen
// villages, and reading both records for every row took 7% of the server's
// time in an import (issue 8). Lives for one command, whose model does not
// change while it is checked. Not thread-safe; `model` must outlive it.
class Places {
 public:
  explicit Places(const storage::ModelTxn& model) : model_(model) {}

  absl::StatusOr<bool> TownshipExists(const std::string& code) {
    auto it = townships_.find(code);
    if (it == townships_.end()) {
      ASSIGN_OR_RETURN(auto township, FindTownship(model_, code));
      it = townships_.emplace(code, township.has_value()).first;
    }
    return it->second;
  }

  // The township of village `code`; nullopt when there is no such village.
  absl::StatusOr<std::optional<std::string>> VillageTownship(
      const std::string& code) {
    auto it = villages_.find(code);
    if (it == villages_.end()) {
      ASSIGN_OR_RETURN(auto village, FindVillage(model_, code));
      std::optional<std::string> township;
      if (village.has_value()) township = village->township_code();
      it = villages_.emplace(code, std::move(township)).first;
    }
    return it->second;
  }

 private:
  const storage::ModelTxn& model_;
  absl::flat_hash_map<std::string, bool> townships_;
  absl::flat_hash_map<std::string, std::optional<std::string>> villages_;
};

// Checks the fields a school supplies for a child (everything but the
// server-set ones), against the model's registry, as `places` knows it.
absl::Status CheckStudentFields(Places* places, const v1::Student& s) {
  const Field number_field{"student.student_number", "学籍号"};
  const Field id_field{"student.id_number", "身份证号"};
  absl::Status number = domain::ValidateStudentNumber(s.student_number(),
                                                      s.id_number());
  if (!number.ok()) return WithContext(number, "", "student.");
  auto kind = domain::StudentNumberKindOf(s.student_number());
  if (!kind.ok()) return WithContext(kind.status(), "", "student.");
  RETURN_IF_ERROR(ValidateText({"student.name", "姓名"}, s.name(), 1, 50));

  if (s.sex() != v1::SEX_MALE && s.sex() != v1::SEX_FEMALE) {
    return FieldError({"student.sex", "性别"}, "必填（男或女）",
                      "is required (MALE or FEMALE)");
  }
  ASSIGN_OR_RETURN(absl::CivilDay birth,
                   CheckDate({"student.birth_date", "出生日期"}, s.birth_date()));
  if (s.id_number().empty()) {
    if (*kind == domain::StudentNumberKind::kG) {
      return FieldError(id_field, "G 字头学籍号必须同时填写身份证号",
                        "is required with a G student number");
    }
  } else {
    auto facts = domain::ParseIdNumber(s.id_number());
    if (!facts.ok()) return WithContext(facts.status(), "", "student.");
    if (facts->birth_date != birth) {
      return FieldError({"student.birth_date", "出生日期"},
                        absl::StrCat("与身份证号中的出生日期 ",
                                     FormatDay(facts->birth_date), " 不一致"),
                        absl::StrCat("does not agree with the ID number's ",
                                     FormatDay(facts->birth_date)));
    }
    if (SexOf(facts->sex) != s.sex()) {
      return FieldError({"student.sex", "性别"}, "与身份证号不一致",
                        "does not agree with the ID number");
    }
  }
  if (*kind == domain::StudentNumberKind::kL) {
    // L + area(6) + birth date(8) + 4 digits.
    std::string embedded = s.student_number().substr(7, 8);
    if (embedded != absl::StrFormat("%04d%02d%02d", birth.year(), birth.month(),
                                    birth.day())) {
      return FieldError(number_field, "其中的出生日期与出生日期不一致",
                        "its birth date does not agree with birth_date");
    }
  }

  const Field township_field{"student.household_township_code", "户籍乡镇"};
  ASSIGN_OR_RETURN(bool township,
                   places->TownshipExists(s.household_township_code()));
  if (!township) {
    return FieldError(township_field,
                      absl::StrCat("乡镇 ", s.household_township_code(),
                                   " 不是本县的乡镇"),
                      absl::StrCat("township ", s.household_township_code(),
                                   " is not a township of the county"));
  }
  const Field village_field{"student.household_village_code", "户籍村"};
  ASSIGN_OR_RETURN(std::optional<std::string> village,
                   places->VillageTownship(s.household_village_code()));
  if (!village.has_value()) {
    return FieldError(village_field,
                      absl::StrCat("村 ", s.household_village_code(), " 不存在"),
                      absl::StrCat("village ", s.household_village_code(),
                                   " does not exist"));
  }
  if (*village != s.household_township_code()) {
    return FieldError(village_field, "不属于所填的户籍乡镇",
                      "is not in the household township");
  }

  if (s.guardians_size() > kMaxGuardians) {
    return FieldError({"student.guardians", "监护人"},
                      absl::StrCat("最多 ", kMaxGuardians, " 位"),
                      absl::StrCat("at most ", kMaxGuardians));
  }
  for (int i = 0; i < s.guardians_size(); ++i) {
    const v1::Guardian& g = s.guardians(i);
    std::string path = absl::StrCat("student.guardians[", i, "]");
    RETURN_IF_ERROR(ValidateText({path + ".name", "监护人姓名"}, g.name(), 1, 50));
    RETURN_IF_ERROR(
        ValidateText({path + ".relation", "与学生关系"}, g.relation(), 1, 20));
    absl::Status phone = domain::ValidatePhone(g.phone());
    if (!phone.ok()) return WithContext(phone, "", path + ".");
  }
  std::set<int> groups;
  for (int i = 0; i < s.priority_groups_size(); ++i) {
    int group = s.priority_groups(i);
    // Field holds a string_view: the path must outlive it.
    const std::string path = absl::StrCat("student.priority_groups[", i, "]");
    const Field field{path, "重点群体"};
    if (group == v1::PRIORITY_GROUP_UNSPECIFIED ||
        !v1::PriorityGroup_IsValid(group)) {
      return FieldError(field, "取值无效", "is not a valid priority group");
    }
    if (!groups.insert(group).second) {
      return FieldError(field, "重复", "is repeated");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckServerFieldsEmpty(const v1::Student& s) {
  if (!s.student_id().empty() || s.has_enrolment() ||
      !s.enrolment_spans().empty() || !s.former_student_numbers().empty() ||
      s.has_register_time()) {
    return FieldError({"student", "学生"},
                      "student_id、enrolment、enrolment_spans、"
                      "former_student_numbers、register_time 由服务器填写，请留空",
                      "student_id, enrolment, enrolment_spans, "
                      "former_student_numbers and register_time are set by the "
                      "server; leave them empty");
  }
  return absl::OkStatus();
}

// ALREADY_EXISTS when the ID number or student number belongs to another
// child (`self` is the child being edited, empty for a new one).
absl::Status CheckUnique(const storage::ModelTxn& model, const v1::Student& s,
                         absl::string_view self) {
  if (!s.id_number().empty()) {
    ASSIGN_OR_RETURN(auto other, FindStudentByIdNumber(model, s.id_number()));
    if (other.has_value() && other->student_id() != self) {
      return AlreadyExistsError(
          absl::StrCat("身份证号 ", domain::MaskIdNumber(s.id_number()),
                       " 已登记为 ", Describe(*other), WhereZh(*other)),
          absl::StrCat("ID number ", domain::MaskIdNumber(s.id_number()),
                       " is already registered as ", DescribeEn(*other),
                       WhereEn(*other)));
    }
  }
  ASSIGN_OR_RETURN(auto other, FindStudentByNumber(model, s.student_number()));
  if (other.has_value() && other->student_id() != self) {
    return AlreadyExistsError(
        absl::StrCat("学籍号 ", domain::MaskStudentNumber(s.student_number()),
                     " 已属于 ", Describe(*other), WhereZh(*other)),
        absl::StrCat("student number ",
                     domain::MaskStudentNumber(s.student_number()),
                     " already belongs to ", DescribeEn(*other), WhereEn(*other)));
  }
  return absl::OkStatus();
}

absl::Status CheckPlacement(const v1::School& school, int grade,
                            const std::string& class_name, absl::string_view path) {
  bool taught = false;
  for (int g : school.grades()) taught = taught || g == grade;
  if (!taught) {
    return FieldError({absl::StrCat(path, "grade"), "年级"},
                      absl::StrCat(grade, " 不是本校开设的年级"),
                      absl::StrCat(grade, " is not a grade this school teaches"));
  }
  return ValidateText({absl::StrCat(path, "class_name"), "班级"}, class_name, 1, 20);
}

// Builds the record of a newly registered child.
absl::StatusOr<v1::Student> NewStudent(Places* places,
                                       const v1::School& school,
                                       const v1::Student& input, int grade,
                                       const std::string& class_name,
                                       const v1::Date& enrol_date,
                                       const v1::Event& event,
                                       std::string student_id,
                                       absl::string_view path) {
  RETURN_IF_ERROR(CheckServerFieldsEmpty(input));
  RETURN_IF_ERROR(CheckStudentFields(places, input));
  RETURN_IF_ERROR(CheckPlacement(school, grade, class_name, path));
  ASSIGN_OR_RETURN(absl::CivilDay enrolled,
                   CheckPastDate({absl::StrCat(path, "enrol_date"), "入学日期"},
                                 enrol_date, CountyDayOf(event.record_time())));
  if (enrolled <= ToCivilDay(input.birth_date())) {
    return FieldError({absl::StrCat(path, "enrol_date"), "入学日期"},
                      "不能早于出生日期", "cannot be before the birth date");
  }
  v1::Student s = input;
  s.set_student_id(std::move(student_id));
  v1::Enrolment* e = s.mutable_enrolment();
  e->set_status(v1::ENROLMENT_STATUS_ENROLLED);
  e->set_school_id(school.school_id());
  e->set_grade(grade);
  e->set_class_name(class_name);
  *e->mutable_effective_date() = enrol_date;
  v1::EnrolmentSpan* span = s.add_enrolment_spans();
  span->set_school_id(school.school_id());
  *span->mutable_start_date() = enrol_date;
  *s.mutable_register_time() = event.record_time();
  return s;
}

absl::Status Illegal(const v1::Student& s, absl::string_view zh,
                     absl::string_view en) {
  return FailedPreconditionError(
      absl::StrCat(Describe(s), "当前学籍状态为“",
                   EnrolmentStatusName(s.enrolment().status(), Lang::kZh),
                   "”（", s.enrolment().school_id(), "），", zh),
      absl::StrCat(DescribeEn(s), " is currently ",
                   EnrolmentStatusName(s.enrolment().status(), Lang::kEn), " (",
                   s.enrolment().school_id(), "): ", en));
}

void CloseSpan(v1::Student* s, absl::CivilDay effective) {
  for (v1::EnrolmentSpan& span : *s->mutable_enrolment_spans()) {
    if (span.has_end_date()) continue;
    absl::CivilDay end = std::max(ToCivilDay(span.start_date()), effective - 1);
    *span.mutable_end_date() = ToDate(end);
  }
}

void OpenSpan(v1::Student* s, const std::string& school_id,
              const v1::Date& start) {
  v1::EnrolmentSpan* span = s->add_enrolment_spans();
  span->set_school_id(school_id);
  *span->mutable_start_date() = start;
}

absl::Status CheckLawfulStatus(const v1::EnrolmentChange::LawfulStatus& lawful,
                               absl::CivilDay effective, absl::string_view path) {
  ASSIGN_OR_RETURN(absl::CivilDay end,
                   CheckDate({absl::StrCat(path, ".end_date"), "截止日期"},
                             lawful.end_date()));
  absl::CivilDay limit(effective.year() + 1, effective.month(), effective.day());
  if (end <= effective || end > limit) {
    return FieldError({absl::StrCat(path, ".end_date"), "截止日期"},
                      "须在生效日期之后，且不超过一年",
                      "must be after the effective date and at most one year "
                      "later");
  }
  return ValidateText({absl::StrCat(path, ".certificate_reference"), "批准文件或证明"},
                      lawful.certificate_reference(), 1, 100);
}

}  // namespace

absl::string_view EnrolmentStatusName(v1::EnrolmentStatus status, Lang lang) {
  bool zh = lang == Lang::kZh;
  switch (status) {
    case v1::ENROLMENT_STATUS_NOT_ENROLLED: return zh ? "未入学" : "not enrolled";
    case v1::ENROLMENT_STATUS_ENROLLED: return zh ? "在读" : "enrolled";
    case v1::ENROLMENT_STATUS_TRANSFER_PENDING:
      return zh ? "转出待接收" : "transfer pending";
    case v1::ENROLMENT_STATUS_TRANSFERRED_OUT:
      return zh ? "转出县外" : "transferred out of the county";
    case v1::ENROLMENT_STATUS_SUSPENDED: return zh ? "休学" : "suspended";
    case v1::ENROLMENT_STATUS_DEFERRED: return zh ? "延缓入学" : "entry deferred";
    case v1::ENROLMENT_STATUS_HOME_TEACHING:
      return zh ? "送教上门" : "home-delivered teaching";
    case v1::ENROLMENT_STATUS_GRADUATED: return zh ? "毕业" : "graduated";
    case v1::ENROLMENT_STATUS_WITHDRAWN: return zh ? "退学/离校" : "withdrawn";
    case v1::ENROLMENT_STATUS_DECEASED: return zh ? "死亡" : "deceased";
    default: return zh ? "未知" : "unknown";
  }
}

bool EnrolledOn(const v1::Student& student, const std::string& school_id,
                absl::CivilDay day) {
  for (const v1::EnrolmentSpan& span : student.enrolment_spans()) {
    if (span.school_id() != school_id) continue;
    if (day < ToCivilDay(span.start_date())) continue;
    if (span.has_end_date() && day > ToCivilDay(span.end_date())) continue;
    return true;
  }
  return false;
}

absl::Status PrepareRegisterStudent(const storage::ModelTxn& model,
                                    const std::string& school_id,
                                    const v1::RegisterStudentRequest& request,
                                    v1::Event* event) {
  ASSIGN_OR_RETURN(v1::School school, RequireSchool(model, school_id));
  Places places(model);
  ASSIGN_OR_RETURN(
      v1::Student student,
      NewStudent(&places, school, request.student(), request.grade(),
                 request.class_name(), request.enrol_date(), *event,
                 absl::StrCat("stu-", event->sequence()), ""));
  RETURN_IF_ERROR(CheckUnique(model, student, ""));
  *event->mutable_student_registered()->mutable_student() = std::move(student);
  return absl::OkStatus();
}

absl::Status PrepareUpdateStudent(const storage::ModelTxn& model,
                                  const std::string& school_id,
                                  const v1::Student& input, v1::Event* event) {
  ASSIGN_OR_RETURN(auto existing, FindStudent(model, input.student_id()));
  if (!existing.has_value() || existing->enrolment().school_id() != school_id) {
    return NotFoundError(
        absl::StrCat("本校没有学生 ", input.student_id()),
        absl::StrCat("no student ", input.student_id(), " at this school"));
  }
  Places places(model);
  RETURN_IF_ERROR(CheckStudentFields(&places, input));
  if (!existing->id_number().empty() &&
      input.id_number() != existing->id_number()) {
    return FailedPreconditionError(
        "身份证号登记后不能更改；如登记有误，请联系县教育局处理",
        "an ID number cannot change once registered; ask the county bureau "
        "to correct a wrong one");
  }
  v1::Student updated = *existing;
  if (input.student_number() != existing->student_number()) {
    auto old_kind = domain::StudentNumberKindOf(existing->student_number());
    if (old_kind.ok() && *old_kind == domain::StudentNumberKind::kG) {
      return FailedPreconditionError(
          "G 字头的正式学籍号不能更换",
          "an official G student number cannot be replaced");
    }
    updated.add_former_student_numbers(existing->student_number());
    updated.set_student_number(input.student_number());
  }
  updated.set_id_number(input.id_number());
  updated.set_name(input.name());
  updated.set_sex(input.sex());
  *updated.mutable_birth_date() = input.birth_date();
  updated.set_household_township_code(input.household_township_code());
  updated.set_household_village_code(input.household_village_code());
  *updated.mutable_guardians() = input.guardians();
  *updated.mutable_priority_groups() = input.priority_groups();
  RETURN_IF_ERROR(CheckUnique(model, updated, existing->student_id()));
  if (updated.SerializeAsString() == existing->SerializeAsString()) {
    return FailedPreconditionError("没有任何改动", "nothing changed");
  }
  auto* e = event->mutable_student_updated();
  *e->mutable_previous() = *existing;
  *e->mutable_student() = std::move(updated);
  return absl::OkStatus();
}

absl::Status PrepareChangeEnrolment(const storage::ModelTxn& model,
                                    const std::string& school_id,
                                    const v1::EnrolmentChange& change,
                                    v1::Event* event) {
  ASSIGN_OR_RETURN(v1::School school, RequireSchool(model, school_id));
  ASSIGN_OR_RETURN(auto found, FindStudent(model, change.student_id()));
  if (!found.has_value()) {
    return NotFoundError(absl::StrCat("学生 ", change.student_id(), " 不存在"),
                         absl::StrCat("student ", change.student_id(),
                                      " does not exist"));
  }
  const v1::Student& before = *found;
  const v1::Enrolment& current = before.enrolment();
  v1::EnrolmentStatus status = current.status();
  bool ours = current.school_id() == school_id;
  bool attending_here = ours && (status == v1::ENROLMENT_STATUS_ENROLLED);
  bool on_roll_here = ours && (status == v1::ENROLMENT_STATUS_ENROLLED ||
                               status == v1::ENROLMENT_STATUS_SUSPENDED ||
                               status == v1::ENROLMENT_STATUS_HOME_TEACHING);
  bool free_to_enrol = status == v1::ENROLMENT_STATUS_NOT_ENROLLED ||
                       status == v1::ENROLMENT_STATUS_WITHDRAWN ||
                       status == v1::ENROLMENT_STATUS_TRANSFERRED_OUT ||
                       status == v1::ENROLMENT_STATUS_DEFERRED;
  bool pending_here = status == v1::ENROLMENT_STATUS_TRANSFER_PENDING &&
                      current.transfer_to_school_id() == school_id;
  // Scope first, and without a word about the child: student ids are
  // sequential, so any detail in a refusal would let a school walk the
  // county's children (DOMAIN §8). A school acts on its own roll, on a
  // transfer pending to it, and may enrol a child who is on no roll or
  // defer their entry (a child a township found, say, who has no school).
  bool takes_a_free_child =
      free_to_enrol && (change.change_case() == v1::EnrolmentChange::kEnrol ||
                        change.change_case() == v1::EnrolmentChange::kDeferEntry);
  if (!ours && !pending_here && !takes_a_free_child) {
    return PermissionDeniedError(
        absl::StrCat("学生 ", change.student_id(), " 不在本校学籍中"),
        absl::StrCat("student ", change.student_id(),
                     " is not on this school's roll"));
  }
  ASSIGN_OR_RETURN(
      absl::CivilDay effective,
      CheckPastDate({"change.effective_date", "生效日期"}, change.effective_date(),
                    CountyDayOf(event->record_time())));
  if (current.has_effective_date() &&
      effective < ToCivilDay(current.effective_date())) {
    return FieldError({"change.effective_date", "生效日期"},
                      absl::StrCat("不能早于当前学籍状态的生效日期 ",
                                   FormatDay(ToCivilDay(current.effective_date()))),
                      absl::StrCat("cannot be before the current status's date ",
                                   FormatDay(ToCivilDay(current.effective_date()))));
  }

  if (status == v1::ENROLMENT_STATUS_DECEASED) {
    return Illegal(before, "不能再变更学籍", "no change is possible");
  }

  v1::Student after = before;
  v1::Enrolment next = current;
  next.clear_transfer_to_school_id();
  next.clear_transfer_to_description();
  next.clear_transfer_proof_received();
  next.clear_end_date();
  next.clear_certificate_reference();
  *next.mutable_effective_date() = change.effective_date();

  switch (change.change_case()) {
    case v1::EnrolmentChange::kEnrol:
    case v1::EnrolmentChange::kTransferIn: {
      bool transfer_in = change.change_case() == v1::EnrolmentChange::kTransferIn;
      int grade = transfer_in ? change.transfer_in().grade() : change.enrol().grade();
      const std::string& class_name = transfer_in ? change.transfer_in().class_name()
                                                  : change.enrol().class_name();
      if (transfer_in) {
        if (status != v1::ENROLMENT_STATUS_TRANSFER_PENDING ||
            current.transfer_to_school_id() != school_id) {
          return Illegal(before, "没有转入本校的待接收转学",
                         "there is no pending transfer to this school");
        }
      } else if (status == v1::ENROLMENT_STATUS_TRANSFER_PENDING) {
        return Illegal(before, "请用“转入”完成转学",
                       "complete the transfer with transfer_in");
      } else if (!free_to_enrol) {
        return Illegal(before, ours ? "已在本校" : "须先由原学校办理转出",
                       ours ? "already on this school's roll"
                            : "the school of record must transfer them out first");
      }
      RETURN_IF_ERROR(CheckPlacement(
          school, grade, class_name,
          transfer_in ? "change.transfer_in." : "change.enrol."));
      next.set_status(v1::ENROLMENT_STATUS_ENROLLED);
      next.set_school_id(school_id);
      next.set_grade(grade);
      next.set_class_name(class_name);
      OpenSpan(&after, school_id, change.effective_date());
      break;
    }
    case v1::EnrolmentChange::kTransferOut: {
      // The school of record may also come back to a move out of the
      // county to record the receiving school's proof once it arrives.
      bool proof_update = ours && status == v1::ENROLMENT_STATUS_TRANSFERRED_OUT;
      if (!on_roll_here && !proof_update) {
        return Illegal(before, "只有学籍所在学校可以办理转出",
                       "only the school of record can transfer a child out");
      }
      const auto& out = change.transfer_out();
      if (!out.to_school_id().empty()) {
        if (out.to_school_id() == school_id) {
          return FieldError({"change.transfer_out.to_school_id", "转入学校"},
                            "不能转到本校", "cannot be this school");
        }
        ASSIGN_OR_RETURN(auto to, FindSchool(model, out.to_school_id()));
        if (!to.has_value()) {
          return FieldError({"change.transfer_out.to_school_id", "转入学校"},
                            absl::StrCat("学校 ", out.to_school_id(), " 不存在"),
                            absl::StrCat("school ", out.to_school_id(),
                                         " does not exist"));
        }
        next.set_status(v1::ENROLMENT_STATUS_TRANSFER_PENDING);
        next.set_transfer_to_school_id(out.to_school_id());
      } else {
        RETURN_IF_ERROR(ValidateText(
            {"change.transfer_out.to_description", "县外转入学校"},
            out.to_description(), 1, 100));
        next.set_status(v1::ENROLMENT_STATUS_TRANSFERRED_OUT);
        next.set_transfer_to_description(out.to_description());
        next.set_transfer_proof_received(out.proof_received());
      }
      if (attending_here) CloseSpan(&after, effective);
      break;
    }
    case v1::EnrolmentChange::kSuspend:
    case v1::EnrolmentChange::kDeferEntry: {
      bool suspend = change.change_case() == v1::EnrolmentChange::kSuspend;
      const auto& lawful = suspend ? change.suspend() : change.defer_entry();
      if (suspend && !attending_here) {
        return Illegal(before, "只有在本校在读的学生可以休学",
                       "only a child attending this school can be suspended");
      }
      if (!suspend && !(status == v1::ENROLMENT_STATUS_NOT_ENROLLED ||
                        status == v1::ENROLMENT_STATUS_DEFERRED)) {
        return Illegal(before, "延缓入学只适用于尚未入学的儿童",
                       "deferred entry applies only to a child not yet enrolled");
      }
      RETURN_IF_ERROR(CheckLawfulStatus(
          lawful, effective, suspend ? "change.suspend" : "change.defer_entry"));
      next.set_status(suspend ? v1::ENROLMENT_STATUS_SUSPENDED
                              : v1::ENROLMENT_STATUS_DEFERRED);
      next.set_school_id(school_id);
      *next.mutable_end_date() = lawful.end_date();
      next.set_certificate_reference(lawful.certificate_reference());
      if (attending_here) CloseSpan(&after, effective);
      break;
    }
    case v1::EnrolmentChange::kHomeTeaching: {
      if (!(attending_here || (ours && status == v1::ENROLMENT_STATUS_SUSPENDED))) {
        return Illegal(before, "只有本校学生可以安排送教上门",
                       "only this school's student can be taught at home");
      }
      RETURN_IF_ERROR(ValidateText(
          {"change.home_teaching.certificate_reference", "批准文件"},
          change.home_teaching().certificate_reference(), 1, 100));
      next.set_status(v1::ENROLMENT_STATUS_HOME_TEACHING);
      next.set_certificate_reference(
          change.home_teaching().certificate_reference());
      if (attending_here) CloseSpan(&after, effective);
      break;
    }
    case v1::EnrolmentChange::kResume: {
      if (!(ours && (status == v1::ENROLMENT_STATUS_SUSPENDED ||
                     status == v1::ENROLMENT_STATUS_HOME_TEACHING))) {
        return Illegal(before, "只有休学或送教上门的本校学生可以复课",
                       "only this school's suspended or home-taught child can "
                       "resume");
      }
      RETURN_IF_ERROR(CheckPlacement(school, change.resume().grade(),
                                     change.resume().class_name(),
                                     "change.resume."));
      next.set_status(v1::ENROLMENT_STATUS_ENROLLED);
      next.set_grade(change.resume().grade());
      next.set_class_name(change.resume().class_name());
      OpenSpan(&after, school_id, change.effective_date());
      break;
    }
    case v1::EnrolmentChange::kGraduate: {
      if (!on_roll_here) {
        return Illegal(before, "只有学籍所在学校可以办理毕业",
                       "only the school of record can graduate a child");
      }
      next.set_status(v1::ENROLMENT_STATUS_GRADUATED);
      if (attending_here) CloseSpan(&after, effective);
      break;
    }
    case v1::EnrolmentChange::kWithdraw: {
      if (!on_roll_here) {
        return Illegal(before, "只有学籍所在学校可以报告退学",
                       "only the school of record can report a withdrawal");
      }
      RETURN_IF_ERROR(ValidateText({"change.withdraw.reason", "退学情况"},
                                   change.withdraw().reason(), 1, 500));
      next.set_status(v1::ENROLMENT_STATUS_WITHDRAWN);
      if (attending_here) CloseSpan(&after, effective);
      break;
    }
    case v1::EnrolmentChange::kDeath: {
      if (!ours) {
        return Illegal(before, "只有学籍所在学校可以报告",
                       "only the school of record can report this");
      }
      RETURN_IF_ERROR(ValidateText(
          {"change.death.certificate_reference", "证明"},
          change.death().certificate_reference(), 1, 100));
      next.set_status(v1::ENROLMENT_STATUS_DECEASED);
      if (attending_here) CloseSpan(&after, effective);
      break;
    }
    case v1::EnrolmentChange::CHANGE_NOT_SET:
      return FieldError({"change", "学籍变动"}, "请选择一种变动",
                        "choose one kind of change");
  }
  *after.mutable_enrolment() = next;
  auto* changed = event->mutable_enrolment_changed();
  *changed->mutable_change() = change;
  changed->set_school_id(school_id);
  *changed->mutable_previous() = current;
  *changed->mutable_student() = std::move(after);
  return absl::OkStatus();
}

absl::Status PrepareImportStudents(const storage::ModelTxn& model,
                                   const std::string& school_id,
                                   const v1::ImportStudentsRequest& chunk,
                                   bool validate_only, ImportOutcome* outcome,
                                   v1::Event* event) {
  if (chunk.rows_size() > kMaxImportRows) {
    return ResourceExhaustedError(
        absl::StrCat("每批最多 ", kMaxImportRows, " 行"),
        absl::StrCat("at most ", kMaxImportRows, " rows per chunk"));
  }
  ASSIGN_OR_RETURN(v1::School school, RequireSchool(model, school_id));
  std::set<std::string> seen_ids, seen_numbers;
  Places places(model);
  v1::StudentsImported imported;
  for (int i = 0; i < chunk.rows_size(); ++i) {
    const v1::ImportStudentRow& row = chunk.rows(i);
    int line = row.line() > 0 ? row.line() : i + 1;
    const v1::Student& input = row.student();
    // A row whose child is already registered exactly so, at this school,
    // is what a re-run import looks like: unchanged, not an error.
    auto existing = !input.id_number().empty()
                        ? FindStudentByIdNumber(model, input.id_number())
                        : FindStudentByNumber(model, input.student_number());
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      const v1::Student& e = **existing;
      if (e.enrolment().school_id() == school_id &&
          e.student_number() == input.student_number() && e.name() == input.name() &&
          e.id_number() == input.id_number()) {
        ++outcome->unchanged;
        continue;
      }
    }
    absl::StatusOr<v1::Student> student = NewStudent(
        &places, school, input, row.grade(), row.class_name(), row.enrol_date(),
        *event, absl::StrCat("stu-", event->sequence(), "-", i), "row.");
    absl::Status status = student.status();
    if (status.ok()) status = CheckUnique(model, *student, "");
    if (status.ok() &&
        ((!input.id_number().empty() && !seen_ids.insert(input.id_number()).second) ||
         !seen_numbers.insert(input.student_number()).second)) {
      status = AlreadyExistsError("与本批前面的一行重复",
                                  "repeats an earlier row of this chunk");
    }
    if (!status.ok()) {
      outcome->rejected.emplace_back(line, status);
      continue;
    }
    ++outcome->accepted;
    *imported.add_students() = *std::move(student);
  }
  if (!validate_only && imported.students_size() > 0) {
    *event->mutable_students_imported() = std::move(imported);
  }
  return absl::OkStatus();
}

}  // namespace baoxue::services
