#include "services/student_reads.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/paging.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {

absl::StatusOr<v1::Student> LookUpStudent(const storage::ModelTxn& model,
                                          const std::string& student_id,
                                          const std::string& student_number,
                                          const std::string& id_number) {
  int keys = !student_id.empty() + !student_number.empty() + !id_number.empty();
  if (keys != 1) {
    return FieldError({"student_id", "查询条件"},
                      "student_id、student_number、id_number 须且只须填写一项",
                      "set exactly one of student_id, student_number, id_number");
  }
  std::optional<v1::Student> found;
  if (!student_id.empty()) {
    ASSIGN_OR_RETURN(found, FindStudent(model, student_id));
  } else if (!student_number.empty()) {
    ASSIGN_OR_RETURN(found, FindStudentByNumber(model, student_number));
  } else {
    ASSIGN_OR_RETURN(found, FindStudentByIdNumber(model, id_number));
  }
  if (!found.has_value()) {
    return NotFoundError("没有找到这名学生", "no such student");
  }
  return *std::move(found);
}

absl::Status ListStudentPage(
    const storage::ModelTxn& model, const std::string& index_prefix,
    int requested_page_size, const std::string& page_token,
    google::protobuf::RepeatedPtrField<v1::Student>* students,
    std::string* next_page_token) {
  ASSIGN_OR_RETURN(int page_size, PageSize(requested_page_size));
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(page_token));
  std::vector<std::string> ids;
  std::string last;
  bool more = false;
  RETURN_IF_ERROR(model.Scan(
      index_prefix,
      [&](absl::string_view key, absl::string_view) {
        if (static_cast<int>(ids.size()) == page_size) {
          more = true;
          return false;
        }
        ids.push_back(StudentIdFromIndexKey(key, index_prefix.size()));
        last = std::string(key);
        return true;
      },
      // after + '\0' is the smallest key greater than `after`.
      after.empty() ? "" : after + '\0'));
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(auto student, FindStudent(model, id));
    if (student.has_value()) *students->Add() = std::move(*student);
  }
  if (more) *next_page_token = EncodePageToken(last);
  return absl::OkStatus();
}

}  // namespace baoxue::services
