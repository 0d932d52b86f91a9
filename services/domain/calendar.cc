#include "services/domain/calendar.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "storage/localized_status.h"

namespace baoxue::domain {
namespace {

using Days = std::vector<absl::CivilDay>;

std::string Show(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::string_view WeekdayName(absl::Weekday weekday) {
  switch (weekday) {
    case absl::Weekday::monday:
      return "Monday";
    case absl::Weekday::tuesday:
      return "Tuesday";
    case absl::Weekday::wednesday:
      return "Wednesday";
    case absl::Weekday::thursday:
      return "Thursday";
    case absl::Weekday::friday:
      return "Friday";
    case absl::Weekday::saturday:
      return "Saturday";
    case absl::Weekday::sunday:
      return "Sunday";
  }
  return "unknown weekday";
}

absl::string_view WeekdayNameZh(absl::Weekday weekday) {
  switch (weekday) {
    case absl::Weekday::monday:
      return "星期一";
    case absl::Weekday::tuesday:
      return "星期二";
    case absl::Weekday::wednesday:
      return "星期三";
    case absl::Weekday::thursday:
      return "星期四";
    case absl::Weekday::friday:
      return "星期五";
    case absl::Weekday::saturday:
      return "星期六";
    case absl::Weekday::sunday:
      return "星期日";
  }
  return "未知星期";
}

// "2026-2027 学年", the way a county names the school year starting in 2026.
std::string SchoolYearZh(int school_year) {
  return absl::StrCat(school_year, "-", school_year + 1, " 学年");
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

// The error shape used across Baoxue (see services/validation.cc):
// zh "<中文字段名>（<path>）：<说明>", en "<path>: <explanation>".
absl::Status FieldError(absl::string_view label_zh, absl::string_view path,
                        absl::string_view zh, absl::string_view en) {
  return baoxue::InvalidArgumentError(
      absl::StrCat(label_zh, "（", path, "）：", zh),
      absl::StrCat(path, ": ", en));
}

// Chinese names of the CalendarSpec lists and of one entry in them. Entries
// are numbered from 1 for people ("第 2 个学期"); the path keeps the 0-based
// index ("terms[1]").
constexpr absl::string_view kTermsZh = "学期";
constexpr absl::string_view kHolidaysZh = "节假日";
constexpr absl::string_view kMakeupDaysZh = "调休上课日";
constexpr absl::string_view kYearsZh = "各学年校历";

std::string NthZh(size_t index, absl::string_view noun) {
  return absl::StrCat("第 ", index + 1, " 个", noun);
}

bool InSomeTerm(const std::vector<Term>& terms, absl::CivilDay day) {
  for (const Term& term : terms) {
    if (term.start <= day && day <= term.end) return true;
  }
  return false;
}

// Checks the terms: count, names, order, and the school-year window.
absl::Status CheckTerms(const CalendarSpec& spec) {
  const std::vector<Term>& terms = spec.terms;
  if (terms.empty() || terms.size() > 3) {
    return FieldError(kTermsZh, "terms",
                      absl::StrCat("每个学年应有 1 至 3 个学期，实际为 ",
                                   terms.size(), " 个"),
                      absl::StrCat("a school year must have 1 to 3 terms, got ",
                                   terms.size()));
  }
  const absl::CivilDay earliest(spec.school_year, 8, 1);
  const absl::CivilDay latest(spec.school_year + 1, 8, 31);
  for (size_t i = 0; i < terms.size(); ++i) {
    const Term& term = terms[i];
    const std::string field = absl::StrCat("terms[", i, "]");
    const std::string label = NthZh(i, kTermsZh);
    if (term.name.empty()) {
      return FieldError(absl::StrCat(label, "的名称"),
                        absl::StrCat(field, ".name"), "不能为空",
                        "must not be empty");
    }
    if (term.start > term.end) {
      return FieldError(label, field,
                        absl::StrCat("开始日期 ", Show(term.start),
                                     " 晚于结束日期 ", Show(term.end)),
                        absl::StrCat("start ", Show(term.start),
                                     " is after end ", Show(term.end)));
    }
    if (term.start < earliest) {
      return FieldError(
          label, field,
          absl::StrCat("开始日期 ", Show(term.start), " 早于 ",
                       SchoolYearZh(spec.school_year), "的第一天 ",
                       Show(earliest)),
          absl::StrCat("start ", Show(term.start), " is before ",
                       Show(earliest), ", the first day of school year ",
                       spec.school_year));
    }
    if (term.end > latest) {
      return FieldError(
          label, field,
          absl::StrCat("结束日期 ", Show(term.end), " 晚于 ",
                       SchoolYearZh(spec.school_year), "的最后一天 ",
                       Show(latest)),
          absl::StrCat("end ", Show(term.end), " is after ", Show(latest),
                       ", the last day of school year ", spec.school_year));
    }
    if (i > 0 && term.start <= terms[i - 1].end) {
      return FieldError(
          label, field,
          absl::StrCat("开始日期 ", Show(term.start), " 不晚于",
                       NthZh(i - 1, kTermsZh), "的结束日期 ",
                       Show(terms[i - 1].end),
                       "；各学期须按日期先后排列，且不能重叠"),
          absl::StrCat("start ", Show(term.start),
                       " is not after the end of terms[", i - 1, "] (",
                       Show(terms[i - 1].end),
                       "); terms must be in date order and must not overlap"));
    }
  }
  return absl::OkStatus();
}

// Checks that every day in `days` lies in a term and appears once. `field`
// is "holidays" or "makeup_days", and `noun_zh` its Chinese name.
absl::Status CheckDayList(const std::vector<Term>& terms, const Days& days,
                          absl::string_view field, absl::string_view noun_zh) {
  for (size_t i = 0; i < days.size(); ++i) {
    const std::string name = absl::StrCat(field, "[", i, "]");
    const std::string label = NthZh(i, noun_zh);
    if (!InSomeTerm(terms, days[i])) {
      return FieldError(label, name,
                        absl::StrCat(Show(days[i]), " 不在任何学期内"),
                        absl::StrCat(Show(days[i]), " is not inside any term"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (days[j] == days[i]) {
        return FieldError(label, name,
                          absl::StrCat(Show(days[i]), " 重复填写（与",
                                       NthZh(j, noun_zh), "相同）"),
                          absl::StrCat(Show(days[i]), " is listed twice (also ",
                                       field, "[", j, "])"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSpec(const CalendarSpec& spec) {
  absl::Status status = CheckTerms(spec);
  if (!status.ok()) return status;
  status = CheckDayList(spec.terms, spec.holidays, "holidays", kHolidaysZh);
  if (!status.ok()) return status;
  for (size_t i = 0; i < spec.makeup_days.size(); ++i) {
    const absl::CivilDay day = spec.makeup_days[i];
    if (!IsWeekend(day)) {
      return FieldError(
          NthZh(i, kMakeupDaysZh), absl::StrCat("makeup_days[", i, "]"),
          absl::StrCat(Show(day), " 是", WeekdayNameZh(absl::GetWeekday(day)),
                       "，调休上课日必须在周末（星期六或星期日）"),
          absl::StrCat(Show(day), " is a ", WeekdayName(absl::GetWeekday(day)),
                       "; a make-up school day (调休) must fall on a weekend"));
    }
  }
  status =
      CheckDayList(spec.terms, spec.makeup_days, "makeup_days", kMakeupDaysZh);
  if (!status.ok()) return status;
  for (size_t i = 0; i < spec.makeup_days.size(); ++i) {
    for (size_t j = 0; j < spec.holidays.size(); ++j) {
      if (spec.makeup_days[i] == spec.holidays[j]) {
        return FieldError(
            NthZh(i, kMakeupDaysZh), absl::StrCat("makeup_days[", i, "]"),
            absl::StrCat(Show(spec.makeup_days[i]), " 同时被列为",
                         NthZh(j, kHolidaysZh),
                         "；同一天不能既是节假日又是调休上课日"),
            absl::StrCat(Show(spec.makeup_days[i]), " is also holidays[", j,
                         "]; a day cannot be both a holiday and a make-up "
                         "school day"));
      }
    }
  }
  return absl::OkStatus();
}

Days BuildSchoolDays(const CalendarSpec& spec) {
  Days holidays = spec.holidays;
  std::sort(holidays.begin(), holidays.end());
  Days makeup = spec.makeup_days;
  std::sort(makeup.begin(), makeup.end());
  Days result;
  for (const Term& term : spec.terms) {
    for (absl::CivilDay day = term.start; day <= term.end; ++day) {
      const bool school_day =
          IsWeekend(day)
              ? std::binary_search(makeup.begin(), makeup.end(), day)
              : !std::binary_search(holidays.begin(), holidays.end(), day);
      if (school_day) result.push_back(day);
    }
  }
  return result;
}

// Queries over an ascending, duplicate-free list of school days. Shared by
// SchoolCalendar and CountyCalendar.

bool Contains(const Days& days, absl::CivilDay day) {
  return std::binary_search(days.begin(), days.end(), day);
}

std::optional<absl::CivilDay> After(const Days& days, absl::CivilDay day,
                                    int n) {
  if (n < 1) return std::nullopt;
  const auto first = std::upper_bound(days.begin(), days.end(), day);
  const std::ptrdiff_t remaining = days.end() - first;
  if (remaining < n) return std::nullopt;
  return *(first + (n - 1));
}

std::optional<absl::CivilDay> Before(const Days& days, absl::CivilDay day) {
  const auto it = std::lower_bound(days.begin(), days.end(), day);
  if (it == days.begin()) return std::nullopt;
  return *(it - 1);
}

std::pair<Days::const_iterator, Days::const_iterator> Range(const Days& days,
                                                            absl::CivilDay from,
                                                            absl::CivilDay to) {
  if (to < from) return {days.end(), days.end()};
  return {std::lower_bound(days.begin(), days.end(), from),
          std::upper_bound(days.begin(), days.end(), to)};
}

int CountIn(const Days& days, absl::CivilDay from, absl::CivilDay to) {
  const auto [first, last] = Range(days, from, to);
  return static_cast<int>(last - first);
}

Days ListIn(const Days& days, absl::CivilDay from, absl::CivilDay to) {
  const auto [first, last] = Range(days, from, to);
  return Days(first, last);
}

}  // namespace

// ---------------------------------------------------------------------------
// SchoolCalendar
// ---------------------------------------------------------------------------

SchoolCalendar::SchoolCalendar(CalendarSpec spec, Days school_days)
    : spec_(std::move(spec)), school_days_(std::move(school_days)) {}

absl::StatusOr<SchoolCalendar> SchoolCalendar::Create(CalendarSpec spec) {
  absl::Status valid = CheckSpec(spec);
  if (!valid.ok()) return valid;
  Days school_days = BuildSchoolDays(spec);
  return SchoolCalendar(std::move(spec), std::move(school_days));
}

bool SchoolCalendar::IsSchoolDay(absl::CivilDay day) const {
  return Contains(school_days_, day);
}

std::optional<absl::CivilDay> SchoolCalendar::NextSchoolDay(
    absl::CivilDay day) const {
  return After(school_days_, day, 1);
}

std::optional<absl::CivilDay> SchoolCalendar::PreviousSchoolDay(
    absl::CivilDay day) const {
  return Before(school_days_, day);
}

int SchoolCalendar::SchoolDaysBetween(absl::CivilDay from,
                                      absl::CivilDay to) const {
  return CountIn(school_days_, from, to);
}

std::optional<absl::CivilDay> SchoolCalendar::AddSchoolDays(absl::CivilDay from,
                                                            int n) const {
  return After(school_days_, from, n);
}

const Term* SchoolCalendar::TermOf(absl::CivilDay day) const {
  // At most 3 terms: a linear scan is the fastest search.
  for (const Term& term : spec_.terms) {
    if (term.start <= day && day <= term.end) return &term;
  }
  return nullptr;
}

std::vector<absl::CivilDay> SchoolCalendar::SchoolDaysIn(
    absl::CivilDay from, absl::CivilDay to) const {
  return ListIn(school_days_, from, to);
}

// ---------------------------------------------------------------------------
// CountyCalendar
// ---------------------------------------------------------------------------

CountyCalendar::CountyCalendar(std::vector<SchoolCalendar> years)
    : years_(std::move(years)) {
  size_t total = 0;
  for (const SchoolCalendar& year : years_) total += year.school_days().size();
  school_days_.reserve(total);
  for (const SchoolCalendar& year : years_) {
    school_days_.insert(school_days_.end(), year.school_days().begin(),
                        year.school_days().end());
  }
}

absl::StatusOr<CountyCalendar> CountyCalendar::Create(
    std::vector<SchoolCalendar> years) {
  if (years.empty()) {
    return FieldError(kYearsZh, "years", "至少需要一个学年的校历",
                      "at least one school year is required");
  }
  std::stable_sort(years.begin(), years.end(),
                   [](const SchoolCalendar& a, const SchoolCalendar& b) {
                     return a.school_year() < b.school_year();
                   });
  for (size_t i = 1; i < years.size(); ++i) {
    const SchoolCalendar& before = years[i - 1];
    const SchoolCalendar& after = years[i];
    if (after.school_year() == before.school_year()) {
      return FieldError(
          kYearsZh, "years",
          absl::StrCat(SchoolYearZh(after.school_year()), "的校历重复出现"),
          absl::StrCat("school year ", after.school_year(), " is given twice"));
    }
    if (after.school_year() != before.school_year() + 1) {
      return FieldError(
          kYearsZh, "years",
          absl::StrCat(SchoolYearZh(after.school_year()), "没有紧接在 ",
                       SchoolYearZh(before.school_year()),
                       "之后；各学年须连续，中间不能缺少学年"),
          absl::StrCat("school year ", after.school_year(), " does not follow ",
                       before.school_year(),
                       "; school years must be consecutive"));
    }
    const absl::CivilDay last_end = before.terms().back().end;
    const absl::CivilDay next_start = after.terms().front().start;
    if (next_start <= last_end) {
      return FieldError(
          kYearsZh, "years",
          absl::StrCat(SchoolYearZh(after.school_year()), "的开始日期 ",
                       Show(next_start), " 不晚于 ",
                       SchoolYearZh(before.school_year()), "的结束日期 ",
                       Show(last_end), "；下一学年须在上一学年结束之后开始"),
          absl::StrCat("school year ", after.school_year(), " starts on ",
                       Show(next_start), ", not after school year ",
                       before.school_year(), " ends on ", Show(last_end)));
    }
  }
  return CountyCalendar(std::move(years));
}

const SchoolCalendar* CountyCalendar::ForSchoolYear(int school_year) const {
  const int first = years_.front().school_year();
  if (school_year < first) return nullptr;
  const size_t index = static_cast<size_t>(school_year - first);
  if (index >= years_.size()) return nullptr;
  return &years_[index];
}

std::optional<int> CountyCalendar::SchoolYearOf(absl::CivilDay day) const {
  // A day can only belong to the school year starting in its own calendar
  // year or the one before.
  const int year = static_cast<int>(day.year());
  for (int candidate : {year - 1, year}) {
    const SchoolCalendar* calendar = ForSchoolYear(candidate);
    if (calendar != nullptr && calendar->TermOf(day) != nullptr) {
      return candidate;
    }
  }
  return std::nullopt;
}

bool CountyCalendar::IsSchoolDay(absl::CivilDay day) const {
  return Contains(school_days_, day);
}

std::optional<absl::CivilDay> CountyCalendar::NextSchoolDay(
    absl::CivilDay day) const {
  return After(school_days_, day, 1);
}

std::optional<absl::CivilDay> CountyCalendar::PreviousSchoolDay(
    absl::CivilDay day) const {
  return Before(school_days_, day);
}

int CountyCalendar::SchoolDaysBetween(absl::CivilDay from,
                                      absl::CivilDay to) const {
  return CountIn(school_days_, from, to);
}

std::optional<absl::CivilDay> CountyCalendar::AddSchoolDays(absl::CivilDay from,
                                                            int n) const {
  return After(school_days_, from, n);
}

const Term* CountyCalendar::TermOf(absl::CivilDay day) const {
  const std::optional<int> school_year = SchoolYearOf(day);
  if (!school_year.has_value()) return nullptr;
  return ForSchoolYear(*school_year)->TermOf(day);
}

std::vector<absl::CivilDay> CountyCalendar::SchoolDaysIn(
    absl::CivilDay from, absl::CivilDay to) const {
  return ListIn(school_days_, from, to);
}

}  // namespace baoxue::domain
