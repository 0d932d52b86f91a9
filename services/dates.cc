#include "services/dates.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "services/county_time.h"

namespace baoxue::services {

absl::CivilDay ToCivilDay(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

v1::Date ToDate(absl::CivilDay day) {
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

uint32_t DayNumber(absl::CivilDay day) {
  return static_cast<uint32_t>(day.year() * 10000 + day.month() * 100 +
                               day.day());
}

absl::CivilDay CountyDayOf(const google::protobuf::Timestamp& timestamp) {
  return CountyDay(absl::FromUnixSeconds(timestamp.seconds()));
}

absl::StatusOr<absl::CivilDay> CheckDate(const Field& field,
                                         const v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) {
    return FieldError(field, "必填", "is required");
  }
  absl::CivilDay day = ToCivilDay(date);
  if (date.year() < 1900 || date.year() > 9999 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    std::string shown =
        absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
    return FieldError(field, absl::StrCat(shown, " 不是有效日期"),
                      absl::StrCat(shown, " is not a valid date"));
  }
  return day;
}

absl::StatusOr<absl::CivilDay> CheckPastDate(const Field& field,
                                             const v1::Date& date,
                                             absl::CivilDay today) {
  absl::StatusOr<absl::CivilDay> day = CheckDate(field, date);
  if (day.ok() && *day > today) {
    return FieldError(
        field,
        absl::StrCat(FormatDay(*day), " 是将来的日期（今天是 ", FormatDay(today),
                     "）"),
        absl::StrCat(FormatDay(*day), " is in the future (today is ",
                     FormatDay(today), ")"));
  }
  return day;
}

}  // namespace baoxue::services
