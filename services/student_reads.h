// Queries over children's records, shared by the three services: look up
// one child by any key, and page through an index of children.
#ifndef BAOXUE_SERVICES_STUDENT_READS_H_
#define BAOXUE_SERVICES_STUDENT_READS_H_

#include <string>

#include "absl/status/statusor.h"
#include "baoxue/v1/student.pb.h"
#include "google/protobuf/repeated_field.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// The child named by exactly one of the keys; INVALID_ARGUMENT unless
// exactly one is set, NOT_FOUND if no child has it.
absl::StatusOr<v1::Student> LookUpStudent(const storage::ModelTxn& model,
                                          const std::string& student_id,
                                          const std::string& student_number,
                                          const std::string& id_number);

// One page of the children listed under `index_prefix` (an index built by
// StudentsOfSchoolPrefix or StudentsOfTownshipPrefix).
absl::Status ListStudentPage(
    const storage::ModelTxn& model, const std::string& index_prefix,
    int requested_page_size, const std::string& page_token,
    google::protobuf::RepeatedPtrField<v1::Student>* students,
    std::string* next_page_token);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_STUDENT_READS_H_
