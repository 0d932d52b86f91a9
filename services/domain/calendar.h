// The school calendar (校历): the one place that answers "is this a school
// day?" and every question built on it, for one county.
//
// A school day is a day inside a term that is either a Monday-Friday that is
// not a holiday, or a make-up school day (调休: a Saturday or Sunday on which
// schools follow the State Council's holiday schedule and hold classes).
// The absence rules (DOMAIN §3) count only school days, so every component
// that counts days must ask this module rather than look at weekdays.
//
// SchoolCalendar covers one school year; CountyCalendar joins consecutive
// school years so that questions can cross the summer break.
//
// Both classes are immutable once created: all queries are const, need no
// locking, and may be called concurrently from any number of threads.
// Queries are O(log n) in the number of school days (about 200 a year).

#ifndef BAOXUE_SERVICES_DOMAIN_CALENDAR_H_
#define BAOXUE_SERVICES_DOMAIN_CALENDAR_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace baoxue::domain {

// A term (学期), e.g. the autumn term. `start` and `end` are inclusive.
struct Term {
  std::string name;
  absl::CivilDay start;
  absl::CivilDay end;
};

// A county's calendar for one school year, as the bureau configures it.
struct CalendarSpec {
  // The year in which the school year starts: 2026 for 2026-2027.
  int school_year = 0;
  // 1 to 3 terms in date order, all within 1 August of `school_year` ..
  // 31 August of `school_year + 1`.
  std::vector<Term> terms;
  // Days inside a term with no classes (e.g. 国庆 2026-10-01..10-07).
  // Listing a weekend day is allowed and changes nothing.
  std::vector<absl::CivilDay> holidays;
  // Weekend days inside a term that are school days (调休).
  std::vector<absl::CivilDay> makeup_days;
};

// The school days of one school year. Create it with Create(); copyable and
// movable. Thread-safe for concurrent const use (it is immutable).
class SchoolCalendar {
 public:
  // Validates `spec` and builds the calendar. Returns InvalidArgument, naming
  // the field and the offending date, if:
  //   * there are not 1 to 3 terms, or a term has an empty name;
  //   * a term starts after it ends, lies outside 1 August of school_year ..
  //     31 August of school_year + 1, or does not start after the end of the
  //     term before it (terms must be in order and must not overlap);
  //   * a holiday or make-up day lies outside every term, or is listed twice;
  //   * a make-up day is not a Saturday or Sunday;
  //   * a day is both a holiday and a make-up day.
  // The error is bilingual (storage/localized_status.h): the message is
  // Chinese, e.g. "第 3 个调休上课日（makeup_days[2]）：2026-10-12 是星期一，
  // 调休上课日必须在周末（星期六或星期日）", and the English text starts with
  // the field path, e.g. "makeup_days[2]: 2026-10-12 is a Monday; ...".
  // Chinese labels number list entries from 1; paths keep 0-based indices.
  static absl::StatusOr<SchoolCalendar> Create(CalendarSpec spec);

  // The spec this calendar was built from, unchanged.
  const CalendarSpec& spec() const { return spec_; }
  int school_year() const { return spec_.school_year; }
  const std::vector<Term>& terms() const { return spec_.terms; }

  // Every school day of the year, ascending.
  const std::vector<absl::CivilDay>& school_days() const {
    return school_days_;
  }

  // True if `day` is inside a term and is either a Monday-Friday that is not
  // a holiday, or a make-up day.
  bool IsSchoolDay(absl::CivilDay day) const;

  // The first school day strictly after `day`, or nullopt if this school
  // year has none.
  std::optional<absl::CivilDay> NextSchoolDay(absl::CivilDay day) const;

  // The last school day strictly before `day`, or nullopt if this school
  // year has none.
  std::optional<absl::CivilDay> PreviousSchoolDay(absl::CivilDay day) const;

  // The number of school days in [from, to], both inclusive; 0 if to < from.
  int SchoolDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // The n-th school day strictly after `from` (n = 1 is NextSchoolDay).
  // Returns nullopt if n < 1 or if the year ends first.
  std::optional<absl::CivilDay> AddSchoolDays(absl::CivilDay from, int n) const;

  // The term containing `day`, or nullptr if `day` is outside every term
  // (summer or winter break). The pointer is valid while this calendar
  // object lives and is not assigned to.
  const Term* TermOf(absl::CivilDay day) const;

  // The school days in [from, to], ascending; empty if to < from.
  std::vector<absl::CivilDay> SchoolDaysIn(absl::CivilDay from,
                                           absl::CivilDay to) const;

 private:
  SchoolCalendar(CalendarSpec spec, std::vector<absl::CivilDay> school_days);

  CalendarSpec spec_;
  std::vector<absl::CivilDay> school_days_;  // Ascending, no duplicates.
};

// The school days of a run of consecutive school years of one county, e.g.
// 2025, 2026 and 2027. Answers the same questions as SchoolCalendar across
// school-year boundaries: the next school day after the last day of one
// year's spring term is the first school day of the next year's autumn term.
// Days before the first configured year or after the last one are not school
// days. Copyable and movable; thread-safe for concurrent const use. To add a
// year, build a new CountyCalendar and swap it in.
class CountyCalendar {
 public:
  // Builds a county calendar from `years` (any order). Returns
  // InvalidArgument if `years` is empty, if a school year appears twice, if
  // the school years are not consecutive (a gap would make runs of absence
  // silently skip an unconfigured year), or if one year's terms do not end
  // before the next year's first term starts. The error is bilingual, like
  // SchoolCalendar::Create's, and names the field "years" (各学年校历).
  static absl::StatusOr<CountyCalendar> Create(
      std::vector<SchoolCalendar> years);

  // The calendar of `school_year`, or nullptr if it is not configured.
  const SchoolCalendar* ForSchoolYear(int school_year) const;

  // The configured calendars, ascending by school year.
  const std::vector<SchoolCalendar>& years() const { return years_; }

  // Same meaning as the SchoolCalendar methods, across all configured years.
  bool IsSchoolDay(absl::CivilDay day) const;
  std::optional<absl::CivilDay> NextSchoolDay(absl::CivilDay day) const;
  std::optional<absl::CivilDay> PreviousSchoolDay(absl::CivilDay day) const;
  int SchoolDaysBetween(absl::CivilDay from, absl::CivilDay to) const;
  std::optional<absl::CivilDay> AddSchoolDays(absl::CivilDay from, int n) const;
  const Term* TermOf(absl::CivilDay day) const;
  std::vector<absl::CivilDay> SchoolDaysIn(absl::CivilDay from,
                                           absl::CivilDay to) const;

  // The school year whose terms contain `day`, or nullopt outside every
  // configured term.
  std::optional<int> SchoolYearOf(absl::CivilDay day) const;

 private:
  explicit CountyCalendar(std::vector<SchoolCalendar> years);

  std::vector<SchoolCalendar> years_;        // Ascending, consecutive.
  std::vector<absl::CivilDay> school_days_;  // All years, ascending.
};

}  // namespace baoxue::domain

#endif  // BAOXUE_SERVICES_DOMAIN_CALENDAR_H_
