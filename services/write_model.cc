#include "services/write_model.h"

#include <vector>

#include "absl/strings/str_cat.h"

#include "services/dates.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {

using storage::Key;
using storage::KeySpace;
using storage::ModelTxn;

std::string MirrorPrefix() { return Key(KeySpace::kMirror).data(); }

std::unique_ptr<ModelTxn> OpenMirror(const storage::Database* database) {
  return std::make_unique<ModelTxn>(database, storage::Family::kProjection,
                                    MirrorPrefix());
}

std::string AccountKey(absl::string_view account_id) {
  return Key(KeySpace::kAccount).Str(account_id).data();
}
std::string AccountKeyPrefix() { return Key(KeySpace::kAccount).data(); }
std::string TownshipKeyPrefix() { return Key(KeySpace::kTownship).data(); }
std::string VillageKeyPrefix(absl::string_view township_code) {
  // Village codes begin with their township's code; the prefix is the raw
  // 9 digits, not a finished string component.
  return Key(KeySpace::kVillage).data() + std::string(township_code);
}
std::string SchoolKeyPrefix() { return Key(KeySpace::kSchool).data(); }
std::string StudentsOfSchoolPrefix(absl::string_view school_id) {
  return Key(KeySpace::kStudentBySchool).Str(school_id).data();
}
std::string StudentsOfTownshipPrefix(absl::string_view township_code) {
  return Key(KeySpace::kStudentByTownship).Str(township_code).data();
}
std::string StudentKey(absl::string_view student_id) {
  return Key(KeySpace::kStudent).Str(student_id).data();
}

std::string StudentIdFromIndexKey(absl::string_view key, size_t prefix_size) {
  storage::KeyReader reader(key.substr(prefix_size));
  std::string id;
  reader.Str(&id);
  return id;
}

namespace {

std::string TokenHashKey(absl::string_view sha256_hex) {
  return Key(KeySpace::kTokenHash).Str(sha256_hex).data();
}
std::string ClockKey() { return Key(KeySpace::kClock).data(); }
std::string CountyKey() { return Key(KeySpace::kCounty).data(); }
std::string TownshipKey(absl::string_view code) {
  return Key(KeySpace::kTownship).Str(code).data();
}
std::string VillageKey(absl::string_view code) {
  return Key(KeySpace::kVillage).Str(code).data();
}
std::string SchoolKey(absl::string_view id) {
  return Key(KeySpace::kSchool).Str(id).data();
}
std::string CalendarKey(int school_year) {
  return Key(KeySpace::kCalendar).U32(static_cast<uint32_t>(school_year)).data();
}
std::string SettingsKey() { return Key(KeySpace::kSettings).data(); }
std::string IdNumberKey(absl::string_view id_number) {
  return Key(KeySpace::kIdNumber).Str(id_number).data();
}
std::string StudentNumberKey(absl::string_view number) {
  return Key(KeySpace::kStudentNumber).Str(number).data();
}
std::string AttendanceKey(absl::string_view school_id, absl::CivilDay day) {
  return Key(KeySpace::kAttendance).Str(school_id).U32(DayNumber(day)).data();
}
std::string StudentOfSchoolKey(absl::string_view school_id,
                               absl::string_view student_id) {
  return Key(KeySpace::kStudentBySchool).Str(school_id).Str(student_id).data();
}
std::string StudentOfTownshipKey(absl::string_view township_code,
                                 absl::string_view student_id) {
  return Key(KeySpace::kStudentByTownship)
      .Str(township_code)
      .Str(student_id)
      .data();
}

absl::StatusOr<std::optional<v1::Student>> FindStudentVia(
    const ModelTxn& model, absl::string_view index_key) {
  ASSIGN_OR_RETURN(std::optional<std::string> id, model.Get(index_key));
  if (!id.has_value()) return std::optional<v1::Student>();
  return FindStudent(model, *id);
}

template <typename Record>
void AddFormerName(Record* record, const std::string& new_name,
                   const google::protobuf::Timestamp& when) {
  if (record->name() == new_name) return;
  v1::FormerName* former = record->add_former_names();
  former->set_name(record->name());
  *former->mutable_replace_time() = when;
  record->set_name(new_name);
}

absl::Status Missing(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, " is not in the model"));
}

}  // namespace

// Writes a student record and keeps its indexes in step. Former student
// numbers stay indexed: a replaced L number still finds the child and is
// never given to another.
absl::Status PutStudentRecord(ModelTxn* model, const v1::Student& student) {
  ASSIGN_OR_RETURN(auto old, FindStudent(*model, student.student_id()));
  // An index entry is written only when it is new: most updates (a
  // guardian's new phone number) change none, and rewriting four unchanged
  // keys in the model and again in the worker's mirror was most of an
  // update's writes (issue 8's rebuild profile: memtable inserts).
  const std::string old_id_number = old.has_value() ? old->id_number() : "";
  const std::string old_number = old.has_value() ? old->student_number() : "";
  const std::string old_school = old.has_value() ? old->enrolment().school_id() : "";
  const std::optional<std::string> old_township =
      old.has_value() ? std::optional<std::string>(old->household_township_code())
                      : std::nullopt;
  if (!old_id_number.empty() && old_id_number != student.id_number()) {
    model->Delete(IdNumberKey(old_id_number));
  }
  if (!old_school.empty() && old_school != student.enrolment().school_id()) {
    model->Delete(StudentOfSchoolKey(old_school, student.student_id()));
  }
  if (old_township.has_value() &&
      *old_township != student.household_township_code()) {
    model->Delete(StudentOfTownshipKey(*old_township, student.student_id()));
  }
  model->PutProto(StudentKey(student.student_id()), student);
  if (!student.id_number().empty() && student.id_number() != old_id_number) {
    model->Put(IdNumberKey(student.id_number()), student.student_id());
  }
  if (!student.student_number().empty() && student.student_number() != old_number) {
    model->Put(StudentNumberKey(student.student_number()), student.student_id());
  }
  if (!student.enrolment().school_id().empty() &&
      student.enrolment().school_id() != old_school) {
    model->Put(
        StudentOfSchoolKey(student.enrolment().school_id(), student.student_id()),
        "");
  }
  if (old_township != student.household_township_code()) {
    model->Put(StudentOfTownshipKey(student.household_township_code(),
                                    student.student_id()),
               "");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Account>> FindAccount(
    const ModelTxn& model, absl::string_view account_id) {
  return model.FindProto<v1::Account>(AccountKey(account_id));
}
absl::StatusOr<std::optional<v1::ClockTick>> LastClockTick(
    const ModelTxn& model) {
  return model.FindProto<v1::ClockTick>(ClockKey());
}
absl::StatusOr<std::optional<v1::County>> FindCounty(const ModelTxn& model) {
  return model.FindProto<v1::County>(CountyKey());
}
absl::StatusOr<std::optional<v1::Township>> FindTownship(
    const ModelTxn& model, absl::string_view code) {
  return model.FindProto<v1::Township>(TownshipKey(code));
}
absl::StatusOr<std::optional<v1::Village>> FindVillage(const ModelTxn& model,
                                                       absl::string_view code) {
  return model.FindProto<v1::Village>(VillageKey(code));
}
absl::StatusOr<std::optional<v1::School>> FindSchool(
    const ModelTxn& model, absl::string_view school_id) {
  return model.FindProto<v1::School>(SchoolKey(school_id));
}
absl::StatusOr<std::optional<v1::SchoolYearCalendar>> FindCalendar(
    const ModelTxn& model, int school_year) {
  return model.FindProto<v1::SchoolYearCalendar>(CalendarKey(school_year));
}
absl::StatusOr<std::optional<v1::Student>> FindStudent(
    const ModelTxn& model, absl::string_view student_id) {
  return model.FindProto<v1::Student>(StudentKey(student_id));
}

absl::StatusOr<std::optional<v1::Student>> FindStudentByIdNumber(
    const ModelTxn& model, absl::string_view id_number) {
  return FindStudentVia(model, IdNumberKey(id_number));
}
absl::StatusOr<std::optional<v1::Student>> FindStudentByNumber(
    const ModelTxn& model, absl::string_view student_number) {
  return FindStudentVia(model, StudentNumberKey(student_number));
}
absl::StatusOr<const v1::Student*> StudentsByNumber::Find(
    absl::string_view student_number) {
  ASSIGN_OR_RETURN(bool indexed,
                   model_.GetInto(StudentNumberKey(student_number), &student_id_));
  if (!indexed) return nullptr;
  ASSIGN_OR_RETURN(bool found, model_.GetProto(StudentKey(student_id_), &student_));
  if (!found) return nullptr;
  return &student_;
}

absl::StatusOr<std::optional<v1::AttendanceReport>> FindAttendanceReport(
    const ModelTxn& model, absl::string_view school_id, absl::CivilDay day) {
  return model.FindProto<v1::AttendanceReport>(AttendanceKey(school_id, day));
}

v1::RuleSettings DefaultSettings() {
  v1::RuleSettings s;
  s.set_consecutive_absence_days(3);
  s.set_cumulative_absence_days(10);
  s.set_transfer_limbo_days(30);
  s.set_lawful_status_grace_days(10);
  s.set_half_day_rule(v1::HALF_DAY_RULE_COUNTS);
  s.set_first_contact_school_days(1);
  s.set_verification_days(7);
  s.set_persuasion_action_interval_days(7);
  s.set_persuasion_escalation_days(30);
  s.set_closure_approval_days(7);
  s.set_observation_school_days(20);
  s.set_closure_rule(v1::CLOSURE_RULE_BUREAU_APPROVAL);
  s.set_reporting_cutoff_minutes(18 * 60);
  s.set_missing_report_alert_days(3);
  s.set_report_max_age_days(30);
  return s;
}

absl::StatusOr<v1::RuleSettings> EffectiveSettings(const ModelTxn& model) {
  ASSIGN_OR_RETURN(auto stored, model.FindProto<v1::RuleSettings>(SettingsKey()));
  // SettingsUpdated always carries the complete settings, so a stored
  // record needs no merging with the defaults.
  return stored.has_value() ? *stored : DefaultSettings();
}

absl::StatusOr<domain::SchoolCalendar> ToSchoolCalendar(
    const v1::SchoolYearCalendar& calendar) {
  domain::CalendarSpec spec;
  spec.school_year = calendar.school_year();
  for (const v1::Term& term : calendar.terms()) {
    spec.terms.push_back(domain::Term{term.name(), ToCivilDay(term.start_date()),
                                      ToCivilDay(term.end_date())});
  }
  for (const v1::Date& d : calendar.holidays()) {
    spec.holidays.push_back(ToCivilDay(d));
  }
  for (const v1::Date& d : calendar.makeup_days()) {
    spec.makeup_days.push_back(ToCivilDay(d));
  }
  return domain::SchoolCalendar::Create(std::move(spec));
}

absl::StatusOr<std::optional<domain::CountyCalendar>> CalendarAround(
    const ModelTxn& model, absl::CivilDay day) {
  std::vector<domain::SchoolCalendar> years;
  for (int year : {static_cast<int>(day.year()) - 1, static_cast<int>(day.year())}) {
    ASSIGN_OR_RETURN(auto stored, FindCalendar(model, year));
    if (!stored.has_value()) continue;
    ASSIGN_OR_RETURN(domain::SchoolCalendar calendar, ToSchoolCalendar(*stored));
    years.push_back(std::move(calendar));
  }
  if (years.empty()) return std::optional<domain::CountyCalendar>();
  ASSIGN_OR_RETURN(domain::CountyCalendar county,
                   domain::CountyCalendar::Create(std::move(years)));
  return std::optional<domain::CountyCalendar>(std::move(county));
}

absl::Status WriteModelApplier::Apply(const v1::Event& event, ModelTxn* model) {
  RETURN_IF_ERROR(ApplyRecords(event, model));
  return cases_.Apply(event, model);
}

absl::Status WriteModelApplier::ApplyRecords(const v1::Event& event,
                                             ModelTxn* model) {
  switch (event.body_case()) {
    case v1::Event::kAccountCreated: {
      v1::Account account = event.account_created().account();
      *account.mutable_create_time() = event.record_time();
      account.set_created_by(event.account_id());
      model->PutProto(AccountKey(account.account_id()), account);
      model->Put(TokenHashKey(event.account_created().token_sha256()),
                 account.account_id());
      return absl::OkStatus();
    }
    case v1::Event::kAccountRevoked: {
      ASSIGN_OR_RETURN(auto account,
                       FindAccount(*model, event.account_revoked().account_id()));
      if (!account.has_value()) return Missing("revoked account");
      account->set_revoked(true);
      model->PutProto(AccountKey(account->account_id()), *account);
      return absl::OkStatus();
    }
    case v1::Event::kClockTick:
      model->PutProto(ClockKey(), event.clock_tick());
      return absl::OkStatus();
    case v1::Event::kCountyConfigured:
      model->PutProto(CountyKey(), event.county_configured().county());
      return absl::OkStatus();
    case v1::Event::kTownshipCreated: {
      const v1::Township& t = event.township_created().township();
      model->PutProto(TownshipKey(t.township_code()), t);
      return absl::OkStatus();
    }
    case v1::Event::kTownshipRenamed: {
      const auto& renamed = event.township_renamed();
      ASSIGN_OR_RETURN(auto t, FindTownship(*model, renamed.township_code()));
      if (!t.has_value()) return Missing("renamed township");
      AddFormerName(&*t, renamed.name(), event.record_time());
      model->PutProto(TownshipKey(t->township_code()), *t);
      return absl::OkStatus();
    }
    case v1::Event::kVillageCreated: {
      const v1::Village& v = event.village_created().village();
      model->PutProto(VillageKey(v.village_code()), v);
      return absl::OkStatus();
    }
    case v1::Event::kVillageRenamed: {
      const auto& renamed = event.village_renamed();
      ASSIGN_OR_RETURN(auto v, FindVillage(*model, renamed.village_code()));
      if (!v.has_value()) return Missing("renamed village");
      AddFormerName(&*v, renamed.name(), event.record_time());
      model->PutProto(VillageKey(v->village_code()), *v);
      return absl::OkStatus();
    }
    case v1::Event::kSchoolCreated: {
      const v1::School& s = event.school_created().school();
      model->PutProto(SchoolKey(s.school_id()), s);
      return absl::OkStatus();
    }
    case v1::Event::kSchoolUpdated: {
      const v1::School& update = event.school_updated().school();
      ASSIGN_OR_RETURN(auto s, FindSchool(*model, update.school_id()));
      if (!s.has_value()) return Missing("updated school");
      AddFormerName(&*s, update.name(), event.record_time());
      s->set_kind(update.kind());
      *s->mutable_grades() = update.grades();
      model->PutProto(SchoolKey(s->school_id()), *s);
      return absl::OkStatus();
    }
    case v1::Event::kCalendarSet: {
      const v1::SchoolYearCalendar& c = event.calendar_set().calendar();
      model->PutProto(CalendarKey(c.school_year()), c);
      return absl::OkStatus();
    }
    case v1::Event::kSettingsUpdated:
      model->PutProto(SettingsKey(), event.settings_updated().settings());
      return absl::OkStatus();
    case v1::Event::kStudentRegistered:
      return PutStudentRecord(model, event.student_registered().student());
    case v1::Event::kStudentUpdated:
      return PutStudentRecord(model, event.student_updated().student());
    case v1::Event::kEnrolmentChanged:
      return PutStudentRecord(model, event.enrolment_changed().student());
    case v1::Event::kStudentsImported:
      for (const v1::Student& s : event.students_imported().students()) {
        RETURN_IF_ERROR(PutStudentRecord(model, s));
      }
      return absl::OkStatus();
    case v1::Event::kAttendanceReported: {
      const v1::AttendanceReport& r = event.attendance_reported().report();
      model->PutProto(AttendanceKey(r.school_id(), ToCivilDay(r.date())), r);
      return absl::OkStatus();
    }
    case v1::Event::kChildReportedOutOfSchool:
      if (event.child_reported_out_of_school().registered()) {
        return PutStudentRecord(model, event.child_reported_out_of_school().student());
      }
      return absl::OkStatus();
    case v1::Event::kCaseVerified:
    case v1::Event::kCaseActionRecorded:
    case v1::Event::kCaseArranged:
    case v1::Event::kReturnConfirmed:
    case v1::Event::kClosureDecided:
    case v1::Event::kResponsiblePeopleAssigned:
    case v1::Event::kRosterUpdated:
      return absl::OkStatus();  // the case engine's
    case v1::Event::BODY_NOT_SET:
      break;
  }
  return absl::InternalError("event has no body");
}

}  // namespace baoxue::services
