// Authorization: what a caller may do and see. The one place that decides
// scope; every handler calls it (DESIGN §6, DOMAIN §8).
//
//   role            may call                       sees
//   BUREAU          BureauService (all)            the county
//   BUREAU_VIEWER   BureauService reads            the county
//   SCHOOL          SchoolService                  its own school's students
//   TOWNSHIP        TownshipService                children of its township
#ifndef BAOXUE_SERVICES_SCOPE_H_
#define BAOXUE_SERVICES_SCOPE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/student.pb.h"
#include "services/auth.h"

namespace baoxue::services {

// The kind of access an RPC needs.
enum class Access {
  kBureauWrite,  // BUREAU
  kBureauRead,   // BUREAU, BUREAU_VIEWER
  kSchool,       // SCHOOL
  kTownship,     // TOWNSHIP
};

// PERMISSION_DENIED unless the caller's role grants `access`.
absl::Status Authorize(const Caller& caller, Access access);

// PERMISSION_DENIED unless the caller may act for school `school_id`:
// a SCHOOL account bound to it, or a BUREAU account.
absl::Status CheckSchoolScope(const Caller& caller, absl::string_view school_id);

// PERMISSION_DENIED unless the caller may see children of township
// `township_code`: a TOWNSHIP account bound to it, or a bureau account.
absl::Status CheckTownshipScope(const Caller& caller,
                                absl::string_view township_code);

// PERMISSION_DENIED unless a SCHOOL caller may see `student`: a child of
// its school of record, a child transferring to it, or — looked up by the
// exact ID number or student number a family brings — a child on no
// school's roll, whom it may enrol.
absl::Status CheckStudentVisibleToSchool(const Caller& caller,
                                         const v1::Student& student);

// The localized name of a role, e.g. 学校 / school.
absl::string_view RoleName(v1::Role role, Lang lang);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_SCOPE_H_
