// The write model (DESIGN §2): the state the sequencer validates commands
// against — accounts, the county's organisations, students, enrolments,
// calendar, settings and attendance reports — and, applied by the same
// code, the follow-up worker's copy of it at the worker's offset (which the
// read path serves from).
//
// WriteModelApplier is the one function that says how an event changes the
// model. The keys and typed accessors here are the one place that knows
// under which key each model record lives.
#ifndef BAOXUE_SERVICES_WRITE_MODEL_H_
#define BAOXUE_SERVICES_WRITE_MODEL_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/events.pb.h"
#include "baoxue/v1/student.pb.h"
#include "services/case_engine.h"
#include "services/domain/calendar.h"
#include "storage/model_txn.h"
#include "storage/sequencer.h"

namespace baoxue::services {

// Applies events to a model: the records themselves, then the follow-up
// rules (CaseEngine). Thread-compatible.
class WriteModelApplier : public storage::EventApplier {
 public:
  // "*observer" (may be null) is told of every case write; it must outlive
  // the applier.
  explicit WriteModelApplier(CaseObserver* observer = nullptr)
      : cases_(observer) {}
  absl::Status Apply(const v1::Event& event, storage::ModelTxn* model) override;

 private:
  absl::Status ApplyRecords(const v1::Event& event, storage::ModelTxn* model);
  CaseEngine cases_;
};

// Writes a child's record and keeps its indexes in step.
absl::Status PutStudentRecord(storage::ModelTxn* model,
                              const v1::Student& student);

// The prefix under which the worker keeps its copy of the model in the
// projection family; readers open a ModelTxn with it to read that copy.
std::string MirrorPrefix();

// The worker's copy of the model, for the read path.
std::unique_ptr<storage::ModelTxn> OpenMirror(const storage::Database* database);

// Visits every record of type T whose key starts with `prefix`, in key
// order; `visit` returns false to stop.
template <typename T>
absl::Status ForEachRecord(const storage::ModelTxn& model,
                           absl::string_view prefix,
                           const std::function<bool(T&& record)>& visit) {
  absl::Status parse;
  absl::Status scan = model.Scan(
      prefix, [&](absl::string_view, absl::string_view value) {
        T record;
        if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse = absl::DataLossError(
              absl::StrCat("a stored ", record.GetTypeName(), " cannot be read"));
          return false;
        }
        return visit(std::move(record));
      });
  return scan.ok() ? parse : scan;
}

// Keys, for readers that scan.
std::string AccountKey(absl::string_view account_id);
std::string AccountKeyPrefix();
std::string TownshipKeyPrefix();
std::string VillageKeyPrefix(absl::string_view township_code);
std::string SchoolKeyPrefix();
// Index of students by school of record / by household township; the last
// key component is the student id.
std::string StudentsOfSchoolPrefix(absl::string_view school_id);
std::string StudentsOfTownshipPrefix(absl::string_view township_code);
std::string StudentKey(absl::string_view student_id);
// Reads the student id at the end of an index key built from `prefix`.
std::string StudentIdFromIndexKey(absl::string_view key, size_t prefix_size);

// Typed reads of the model. Each returns nullopt when the record is absent.
absl::StatusOr<std::optional<v1::Account>> FindAccount(
    const storage::ModelTxn& model, absl::string_view account_id);
absl::StatusOr<std::optional<v1::ClockTick>> LastClockTick(
    const storage::ModelTxn& model);
absl::StatusOr<std::optional<v1::County>> FindCounty(
    const storage::ModelTxn& model);
absl::StatusOr<std::optional<v1::Township>> FindTownship(
    const storage::ModelTxn& model, absl::string_view code);
absl::StatusOr<std::optional<v1::Village>> FindVillage(
    const storage::ModelTxn& model, absl::string_view code);
absl::StatusOr<std::optional<v1::School>> FindSchool(
    const storage::ModelTxn& model, absl::string_view school_id);
absl::StatusOr<std::optional<v1::SchoolYearCalendar>> FindCalendar(
    const storage::ModelTxn& model, int school_year);
absl::StatusOr<std::optional<v1::Student>> FindStudent(
    const storage::ModelTxn& model, absl::string_view student_id);
absl::StatusOr<std::optional<v1::Student>> FindStudentByIdNumber(
    const storage::ModelTxn& model, absl::string_view id_number);
absl::StatusOr<std::optional<v1::Student>> FindStudentByNumber(
    const storage::ModelTxn& model, absl::string_view student_number);
// Looks up many children by student number in a row, reusing one record's
// memory for each (parsing a Student into a fresh message allocates for
// every guardian, span and string). Not thread-safe; `model` must outlive it.
class StudentsByNumber {
 public:
  explicit StudentsByNumber(const storage::ModelTxn& model) : model_(model) {}
  // The child with `student_number`, valid until the next call; null when
  // no child has it.
  absl::StatusOr<const v1::Student*> Find(absl::string_view student_number);

 private:
  const storage::ModelTxn& model_;
  std::string student_id_;
  v1::Student student_;
};

absl::StatusOr<std::optional<v1::AttendanceReport>> FindAttendanceReport(
    const storage::ModelTxn& model, absl::string_view school_id,
    absl::CivilDay day);

// The rule settings in force: stored values, defaults for the rest.
absl::StatusOr<v1::RuleSettings> EffectiveSettings(
    const storage::ModelTxn& model);
// The defaults of DOMAIN §3 and §5.
v1::RuleSettings DefaultSettings();

// The county calendar covering `day`: the school years that can contain it
// (the one starting in day's year and the one before). nullopt when
// neither is configured.
absl::StatusOr<std::optional<domain::CountyCalendar>> CalendarAround(
    const storage::ModelTxn& model, absl::CivilDay day);
// Builds a SchoolCalendar from its stored form; INVALID_ARGUMENT names the
// bad field.
absl::StatusOr<domain::SchoolCalendar> ToSchoolCalendar(
    const v1::SchoolYearCalendar& calendar);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_WRITE_MODEL_H_
