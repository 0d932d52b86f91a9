// The rules for daily attendance reports and reporting completeness
// (DOMAIN §3, issue 3): what a valid report is, and which school days a
// school has reported or missed. The one place these rules live.
#ifndef BAOXUE_SERVICES_ATTENDANCE_H_
#define BAOXUE_SERVICES_ATTENDANCE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "baoxue/v1/events.pb.h"
#include "baoxue/v1/school.pb.h"
#include "baoxue/v1/student.pb.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// At most this many absences in one day's report.
inline constexpr int kMaxAbsencesPerReport = 5000;

// Validates a school's report for one day. All or nothing: INVALID_ARGUMENT
// lists every bad row. An identical resubmission leaves the event empty and,
// if `on_record` is not null, moves the report on record there (the answer
// to the caller, without reading and parsing it a second time).
absl::Status PrepareAttendanceReport(
    const storage::ModelTxn& model, const std::string& school_id,
    const std::string& account_id,
    const v1::SubmitAttendanceReportRequest& request, v1::Event* event,
    v1::AttendanceReport* on_record = nullptr);

// Which school days in [start, end] `school` reported, as of `now`. A day
// is missing once its reporting cutoff has passed without a report.
absl::StatusOr<v1::SchoolReportingStatus> ReportingStatus(
    const storage::ModelTxn& model, const v1::School& school,
    absl::CivilDay start, absl::CivilDay end, absl::Time now);

// Checks a requested date range (at most 366 days).
absl::Status CheckDateRange(const v1::Date& start, const v1::Date& end,
                            absl::CivilDay* start_day, absl::CivilDay* end_day);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_ATTENDANCE_H_
