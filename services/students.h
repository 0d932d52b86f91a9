// The rules for children's records and enrolment (DOMAIN §7, issue 3):
// registration, edits, the enrolment state machine and bulk import. Each
// Prepare* validates a school's command against the model and fills in its
// event. The one place these rules live.
#ifndef BAOXUE_SERVICES_STUDENTS_H_
#define BAOXUE_SERVICES_STUDENTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "baoxue/v1/events.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/student.pb.h"
#include "storage/localized_status.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// Registers a child and enrols them at `school_id`.
absl::Status PrepareRegisterStudent(const storage::ModelTxn& model,
                                    const std::string& school_id,
                                    const v1::RegisterStudentRequest& request,
                                    v1::Event* event);

// Edits a child's record; only the school of record may.
absl::Status PrepareUpdateStudent(const storage::ModelTxn& model,
                                  const std::string& school_id,
                                  const v1::Student& student, v1::Event* event);

// Applies an enrolment change reported by `school_id`.
absl::Status PrepareChangeEnrolment(const storage::ModelTxn& model,
                                    const std::string& school_id,
                                    const v1::EnrolmentChange& change,
                                    v1::Event* event);

// The outcome of one chunk of a bulk import.
struct ImportOutcome {
  int accepted = 0;
  int unchanged = 0;
  std::vector<std::pair<int, absl::Status>> rejected;  // line, reason
};

// Validates a chunk of import rows for `school_id`. Unless `validate_only`,
// fills `event` with the accepted rows (leaves it empty when none are).
absl::Status PrepareImportStudents(const storage::ModelTxn& model,
                                   const std::string& school_id,
                                   const v1::ImportStudentsRequest& chunk,
                                   bool validate_only, ImportOutcome* outcome,
                                   v1::Event* event);

// Whether the child was enrolled (attending) at `school_id` on `day`.
bool EnrolledOn(const v1::Student& student, const std::string& school_id,
                absl::CivilDay day);

// The localized name of an enrolment status, e.g. 在读 / enrolled.
absl::string_view EnrolmentStatusName(v1::EnrolmentStatus status, Lang lang);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_STUDENTS_H_
