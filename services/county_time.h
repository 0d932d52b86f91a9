// The county's time zone. Every date a user sees and every cutoff is in
// Asia/Shanghai (DOMAIN §7).
#ifndef BAOXUE_SERVICES_COUNTY_TIME_H_
#define BAOXUE_SERVICES_COUNTY_TIME_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace baoxue::services {

// Asia/Shanghai has been UTC+8 without daylight saving since 1991. A fixed
// offset gives the same answers for every date this system handles and
// does not depend on the machine's tzdata being installed.
inline absl::TimeZone CountyTimeZone() {
  return absl::FixedTimeZone(8 * 60 * 60);
}

inline absl::CivilDay CountyDay(absl::Time t) {
  return absl::ToCivilDay(t, CountyTimeZone());
}

inline absl::Time CountyMidnight(absl::CivilDay day) {
  return absl::FromCivil(absl::CivilSecond(day), CountyTimeZone());
}

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_COUNTY_TIME_H_
