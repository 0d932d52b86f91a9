// Conversions between the API's Date and absl::CivilDay, and date checks,
// in one place.
#ifndef BAOXUE_SERVICES_DATES_H_
#define BAOXUE_SERVICES_DATES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "baoxue/v1/common.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/validation.h"

namespace baoxue::services {

absl::CivilDay ToCivilDay(const v1::Date& date);
v1::Date ToDate(absl::CivilDay day);
// "2026-09-01".
std::string FormatDay(absl::CivilDay day);
// yyyymmdd, for keys that sort by date.
uint32_t DayNumber(absl::CivilDay day);
// The county day (Asia/Shanghai) of a timestamp.
absl::CivilDay CountyDayOf(const google::protobuf::Timestamp& timestamp);

// A real calendar date, years 1900 to 9999; INVALID_ARGUMENT naming
// `field` otherwise (a missing date says "is required").
absl::StatusOr<absl::CivilDay> CheckDate(const Field& field,
                                         const v1::Date& date);
// As CheckDate, and not after `today`.
absl::StatusOr<absl::CivilDay> CheckPastDate(const Field& field,
                                             const v1::Date& date,
                                             absl::CivilDay today);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_DATES_H_
