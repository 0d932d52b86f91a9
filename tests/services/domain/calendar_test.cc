#include "services/domain/calendar.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "storage/localized_status.h"

namespace baoxue::domain {
namespace {

using absl::CivilDay;

// School year 2026-2027 (invented for the tests, shaped like a real one):
//   autumn term Tue 2026-09-01 .. Fri 2027-01-22
//   spring term Mon 2027-02-22 .. Wed 2027-06-30
//   holidays: 国庆 Thu 2026-10-01 .. Wed 10-07, 元旦 Fri 2027-01-01
//   调休 make-up school days: Sun 2026-09-27, Sat 2026-10-10
// Counted by hand: the autumn term has 100 school days (Sep 23, Oct 18,
// Nov 21, Dec 23, Jan 15) and the whole year 193.
CalendarSpec Spec2026() {
  CalendarSpec spec;
  spec.school_year = 2026;
  spec.terms = {
      {"2026 autumn", CivilDay(2026, 9, 1), CivilDay(2027, 1, 22)},
      {"2027 spring", CivilDay(2027, 2, 22), CivilDay(2027, 6, 30)},
  };
  for (int day = 1; day <= 7; ++day) {
    spec.holidays.push_back(CivilDay(2026, 10, day));
  }
  spec.holidays.push_back(CivilDay(2027, 1, 1));
  spec.makeup_days = {CivilDay(2026, 9, 27), CivilDay(2026, 10, 10)};
  return spec;
}

// School year 2027-2028: autumn Wed 2027-09-01 .. Fri 2028-01-21, spring
// Mon 2028-02-21 .. Fri 2028-06-30, no holidays.
CalendarSpec Spec2027() {
  CalendarSpec spec;
  spec.school_year = 2027;
  spec.terms = {
      {"2027 autumn", CivilDay(2027, 9, 1), CivilDay(2028, 1, 21)},
      {"2028 spring", CivilDay(2028, 2, 21), CivilDay(2028, 6, 30)},
  };
  return spec;
}

SchoolCalendar MustCreate(CalendarSpec spec) {
  absl::StatusOr<SchoolCalendar> calendar =
      SchoolCalendar::Create(std::move(spec));
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *std::move(calendar);
}

// Expects `status` to be InvalidArgument whose English text is exactly
// `message` and, if `chinese` is given, whose Chinese message is exactly
// `chinese`. Either way the Chinese message must have the shape
// "<中文字段名>（<path>）：<说明>" for the path that starts the English text.
void ExpectError(const absl::Status& status, const std::string& message,
                 const std::optional<std::string>& chinese) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::string english = MessageIn(status, Lang::kEn);
  EXPECT_EQ(english, message);
  const std::string zh(status.message());
  EXPECT_NE(zh, english) << "no Chinese translation";
  const std::string path = english.substr(0, english.find(": "));
  const size_t at = zh.find(absl::StrCat("（", path, "）："));
  EXPECT_NE(at, std::string::npos) << zh;
  EXPECT_GT(at, 0u) << "no Chinese field label: " << zh;
  if (chinese.has_value()) {
    EXPECT_EQ(zh, *chinese);
  }
}

// Expects Create(spec) to fail as ExpectError describes.
void ExpectCreateError(CalendarSpec spec, const std::string& message,
                       const std::optional<std::string>& chinese = {}) {
  absl::StatusOr<SchoolCalendar> calendar =
      SchoolCalendar::Create(std::move(spec));
  ASSERT_FALSE(calendar.ok());
  ExpectError(calendar.status(), message, chinese);
}

class SchoolCalendarTest : public ::testing::Test {
 protected:
  SchoolCalendar calendar_ = MustCreate(Spec2026());
};

// ---------------------------------------------------------------------------
// IsSchoolDay and TermOf
// ---------------------------------------------------------------------------

TEST_F(SchoolCalendarTest, TermBoundaries) {
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2026, 8, 31)));  // Monday.
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 9, 1)));    // First day.
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2027, 1, 22)));   // Last day.
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2027, 1, 25)));  // Monday.
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2027, 2, 19)));  // Friday.
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2027, 2, 22)));
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2027, 6, 30)));
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2027, 7, 1)));  // Thursday.
}

TEST_F(SchoolCalendarTest, OrdinaryWeek) {
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 11, 2)));   // Monday.
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 11, 6)));   // Friday.
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2026, 11, 7)));  // Saturday.
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2026, 11, 8)));  // Sunday.
}

TEST_F(SchoolCalendarTest, NationalDayHolidaySpanningAWeekend) {
  for (int day = 1; day <= 7; ++day) {
    EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2026, 10, day))) << day;
  }
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 9, 30)));
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 10, 8)));
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 10, 9)));
}

TEST_F(SchoolCalendarTest, MakeupWeekendDaysAreSchoolDays) {
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 10, 10)));   // Saturday.
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2026, 10, 11)));  // Sunday.
  EXPECT_TRUE(calendar_.IsSchoolDay(CivilDay(2026, 9, 27)));    // Sunday.
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2026, 9, 26)));   // Saturday.
}

TEST_F(SchoolCalendarTest, WeekdayHoliday) {
  EXPECT_FALSE(calendar_.IsSchoolDay(CivilDay(2027, 1, 1)));  // 元旦, Friday.
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 12, 31)),
            CivilDay(2027, 1, 4));
}

TEST_F(SchoolCalendarTest, TermOf) {
  const Term* autumn = calendar_.TermOf(CivilDay(2026, 9, 1));
  ASSERT_NE(autumn, nullptr);
  EXPECT_EQ(autumn->name, "2026 autumn");
  ASSERT_NE(calendar_.TermOf(CivilDay(2027, 1, 22)), nullptr);
  EXPECT_EQ(calendar_.TermOf(CivilDay(2027, 1, 22))->name, "2026 autumn");
  // Holidays and weekends are still inside the term.
  ASSERT_NE(calendar_.TermOf(CivilDay(2026, 10, 3)), nullptr);
  EXPECT_EQ(calendar_.TermOf(CivilDay(2026, 10, 3))->name, "2026 autumn");
  const Term* spring = calendar_.TermOf(CivilDay(2027, 6, 30));
  ASSERT_NE(spring, nullptr);
  EXPECT_EQ(spring->name, "2027 spring");
  EXPECT_EQ(calendar_.TermOf(CivilDay(2026, 8, 31)), nullptr);
  EXPECT_EQ(calendar_.TermOf(CivilDay(2027, 1, 23)), nullptr);  // Winter.
  EXPECT_EQ(calendar_.TermOf(CivilDay(2027, 2, 21)), nullptr);
  EXPECT_EQ(calendar_.TermOf(CivilDay(2027, 7, 1)), nullptr);
}

TEST_F(SchoolCalendarTest, Accessors) {
  EXPECT_EQ(calendar_.school_year(), 2026);
  ASSERT_EQ(calendar_.terms().size(), 2u);
  EXPECT_EQ(calendar_.spec().holidays.size(), 8u);
  EXPECT_EQ(calendar_.school_days().size(), 193u);
  EXPECT_EQ(calendar_.school_days().front(), CivilDay(2026, 9, 1));
  EXPECT_EQ(calendar_.school_days().back(), CivilDay(2027, 6, 30));
}

// ---------------------------------------------------------------------------
// Next / Previous
// ---------------------------------------------------------------------------

TEST_F(SchoolCalendarTest, NextSchoolDayIsStrictlyAfter) {
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 11, 2)),
            CivilDay(2026, 11, 3));
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 11, 6)),  // Friday.
            CivilDay(2026, 11, 9));                          // Monday.
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 11, 7)),  // Saturday.
            CivilDay(2026, 11, 9));
}

TEST_F(SchoolCalendarTest, NextAndPreviousAcrossNationalDay) {
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 9, 30)),
            CivilDay(2026, 10, 8));
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2026, 10, 8)),
            CivilDay(2026, 9, 30));
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 10, 9)),
            CivilDay(2026, 10, 10));  // 调休 Saturday.
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 10, 10)),
            CivilDay(2026, 10, 12));
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2026, 10, 12)),
            CivilDay(2026, 10, 10));
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2026, 9, 28)),
            CivilDay(2026, 9, 27));  // 调休 Sunday.
}

TEST_F(SchoolCalendarTest, NextAndPreviousAcrossWinterBreak) {
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2027, 1, 22)),
            CivilDay(2027, 2, 22));
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2027, 2, 1)),
            CivilDay(2027, 2, 22));
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2027, 2, 22)),
            CivilDay(2027, 1, 22));
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2027, 2, 1)),
            CivilDay(2027, 1, 22));
}

TEST_F(SchoolCalendarTest, NextAndPreviousOutsideTheYear) {
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2026, 8, 15)),
            CivilDay(2026, 9, 1));
  EXPECT_EQ(calendar_.NextSchoolDay(CivilDay(2027, 6, 30)), std::nullopt);
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2026, 9, 1)), std::nullopt);
  EXPECT_EQ(calendar_.PreviousSchoolDay(CivilDay(2027, 7, 20)),
            CivilDay(2027, 6, 30));
}

// ---------------------------------------------------------------------------
// Counting
// ---------------------------------------------------------------------------

TEST_F(SchoolCalendarTest, SchoolDaysBetweenIsInclusive) {
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 11, 2), CivilDay(2026, 11, 2)),
      1);
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 11, 2), CivilDay(2026, 11, 6)),
      5);
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 11, 2), CivilDay(2026, 11, 8)),
      5);
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 11, 7), CivilDay(2026, 11, 8)),
      0);
}

TEST_F(SchoolCalendarTest, SchoolDaysBetweenReversedIsZero) {
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 11, 6), CivilDay(2026, 11, 2)),
      0);
}

TEST_F(SchoolCalendarTest, SchoolDaysBetweenAcrossHolidayAndMakeup) {
  // Mon 09-28, Tue 09-29, Wed 09-30, then Thu 10-08, Fri 10-09, Sat 10-10.
  EXPECT_EQ(calendar_.SchoolDaysBetween(CivilDay(2026, 9, 28),
                                        CivilDay(2026, 10, 11)),
            6);
}

TEST_F(SchoolCalendarTest, SchoolDaysBetweenAcrossWinterBreak) {
  // 2027-01-18..22 and 2027-02-22..26.
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2027, 1, 18), CivilDay(2027, 2, 26)),
      10);
}

TEST_F(SchoolCalendarTest, SchoolDaysBetweenWholeTermAndYear) {
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 9, 1), CivilDay(2027, 1, 22)),
      100);
  EXPECT_EQ(
      calendar_.SchoolDaysBetween(CivilDay(2026, 1, 1), CivilDay(2027, 12, 31)),
      193);
}

TEST_F(SchoolCalendarTest, AddSchoolDaysAcrossHoliday) {
  // After Tue 09-29: Wed 09-30, Thu 10-08, Fri 10-09, Sat 10-10, Mon 10-12.
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 9, 29), 1),
            CivilDay(2026, 9, 30));
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 9, 29), 2),
            CivilDay(2026, 10, 8));
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 9, 29), 4),
            CivilDay(2026, 10, 10));
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 9, 29), 5),
            CivilDay(2026, 10, 12));
  // From a holiday itself.
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 10, 3), 1),
            CivilDay(2026, 10, 8));
}

TEST_F(SchoolCalendarTest, AddSchoolDaysAcrossWinterBreak) {
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2027, 1, 21), 1),
            CivilDay(2027, 1, 22));
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2027, 1, 21), 2),
            CivilDay(2027, 2, 22));
}

TEST_F(SchoolCalendarTest, AddSchoolDaysLimits) {
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 11, 2), 0), std::nullopt);
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 11, 2), -1), std::nullopt);
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2027, 6, 28), 2),
            CivilDay(2027, 6, 30));
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2027, 6, 28), 3), std::nullopt);
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 8, 1), 193),
            CivilDay(2027, 6, 30));
  EXPECT_EQ(calendar_.AddSchoolDays(CivilDay(2026, 8, 1), 194), std::nullopt);
}

TEST_F(SchoolCalendarTest, SchoolDaysIn) {
  const std::vector<CivilDay> expected = {
      CivilDay(2026, 9, 30), CivilDay(2026, 10, 8), CivilDay(2026, 10, 9),
      CivilDay(2026, 10, 10), CivilDay(2026, 10, 12)};
  EXPECT_EQ(
      calendar_.SchoolDaysIn(CivilDay(2026, 9, 30), CivilDay(2026, 10, 12)),
      expected);
  EXPECT_TRUE(
      calendar_.SchoolDaysIn(CivilDay(2026, 10, 12), CivilDay(2026, 9, 30))
          .empty());
  EXPECT_TRUE(
      calendar_.SchoolDaysIn(CivilDay(2027, 1, 23), CivilDay(2027, 2, 21))
          .empty());
}

// ---------------------------------------------------------------------------
// Create validation
// ---------------------------------------------------------------------------

TEST(SchoolCalendarCreateTest, AcceptsWindowBoundaries) {
  CalendarSpec spec;
  spec.school_year = 2026;
  spec.terms = {{"whole year", CivilDay(2026, 8, 1), CivilDay(2027, 8, 31)}};
  absl::StatusOr<SchoolCalendar> calendar = SchoolCalendar::Create(spec);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_FALSE(calendar->IsSchoolDay(CivilDay(2026, 8, 1)));  // Saturday.
  EXPECT_TRUE(calendar->IsSchoolDay(CivilDay(2026, 8, 3)));
  EXPECT_TRUE(calendar->IsSchoolDay(CivilDay(2027, 8, 31)));  // Tuesday.
}

TEST(SchoolCalendarCreateTest, AcceptsThreeTermsAndOneDayTerm) {
  CalendarSpec spec;
  spec.school_year = 2026;
  spec.terms = {
      {"a", CivilDay(2026, 9, 1), CivilDay(2026, 12, 31)},
      {"b", CivilDay(2027, 1, 1), CivilDay(2027, 1, 1)},
      {"c", CivilDay(2027, 1, 2), CivilDay(2027, 6, 30)},
  };
  EXPECT_TRUE(SchoolCalendar::Create(spec).ok());
}

TEST(SchoolCalendarCreateTest, RejectsTermCount) {
  CalendarSpec none = Spec2026();
  none.terms.clear();
  none.holidays.clear();
  none.makeup_days.clear();
  ExpectCreateError(none, "terms: a school year must have 1 to 3 terms, got 0",
                    "学期（terms）：每个学年应有 1 至 3 个学期，实际为 0 个");

  CalendarSpec four;
  four.school_year = 2026;
  four.terms = {
      {"a", CivilDay(2026, 9, 1), CivilDay(2026, 10, 31)},
      {"b", CivilDay(2026, 11, 1), CivilDay(2026, 12, 31)},
      {"c", CivilDay(2027, 1, 1), CivilDay(2027, 2, 28)},
      {"d", CivilDay(2027, 3, 1), CivilDay(2027, 6, 30)},
  };
  ExpectCreateError(four, "terms: a school year must have 1 to 3 terms, got 4");
}

TEST(SchoolCalendarCreateTest, RejectsEmptyTermName) {
  CalendarSpec spec = Spec2026();
  spec.terms[1].name.clear();
  ExpectCreateError(spec, "terms[1].name: must not be empty",
                    "第 2 个学期的名称（terms[1].name）：不能为空");
}

TEST(SchoolCalendarCreateTest, RejectsStartAfterEnd) {
  CalendarSpec spec = Spec2026();
  spec.terms[1].end = CivilDay(2027, 2, 21);
  ExpectCreateError(spec, "terms[1]: start 2027-02-22 is after end 2027-02-21",
                    "第 2 个学期（terms[1]）：开始日期 2027-02-22 晚于结束日期 "
                    "2027-02-21");
}

TEST(SchoolCalendarCreateTest, RejectsTermBeforeWindow) {
  CalendarSpec spec = Spec2026();
  spec.terms[0].start = CivilDay(2026, 7, 31);
  ExpectCreateError(spec,
                    "terms[0]: start 2026-07-31 is before 2026-08-01, the "
                    "first day of school year 2026",
                    "第 1 个学期（terms[0]）：开始日期 2026-07-31 早于 "
                    "2026-2027 学年的第一天 2026-08-01");
}

TEST(SchoolCalendarCreateTest, RejectsTermAfterWindow) {
  CalendarSpec spec = Spec2026();
  spec.terms[1].end = CivilDay(2027, 9, 1);
  ExpectCreateError(spec,
                    "terms[1]: end 2027-09-01 is after 2027-08-31, the last "
                    "day of school year 2026",
                    "第 2 个学期（terms[1]）：结束日期 2027-09-01 晚于 "
                    "2026-2027 学年的最后一天 2027-08-31");
}

TEST(SchoolCalendarCreateTest, RejectsWrongSchoolYear) {
  CalendarSpec spec = Spec2026();
  spec.school_year = 2027;
  ExpectCreateError(spec,
                    "terms[0]: start 2026-09-01 is before 2027-08-01, the "
                    "first day of school year 2027",
                    // school_year (学年) is named in the Chinese text.
                    "第 1 个学期（terms[0]）：开始日期 2026-09-01 早于 "
                    "2027-2028 学年的第一天 2027-08-01");
}

TEST(SchoolCalendarCreateTest, RejectsTermsOutOfOrder) {
  CalendarSpec spec = Spec2026();
  std::swap(spec.terms[0], spec.terms[1]);
  spec.holidays.clear();
  spec.makeup_days.clear();
  ExpectCreateError(spec,
                    "terms[1]: start 2026-09-01 is not after the end of "
                    "terms[0] (2027-06-30); terms must be in date order and "
                    "must not overlap",
                    "第 2 个学期（terms[1]）：开始日期 2026-09-01 不晚于第 1 "
                    "个学期的结束日期 2027-06-30；各学期须按日期先后排列，"
                    "且不能重叠");
}

TEST(SchoolCalendarCreateTest, RejectsOverlappingTerms) {
  CalendarSpec spec = Spec2026();
  spec.terms[1].start = CivilDay(2027, 1, 22);  // The autumn term's last day.
  ExpectCreateError(spec,
                    "terms[1]: start 2027-01-22 is not after the end of "
                    "terms[0] (2027-01-22); terms must be in date order and "
                    "must not overlap");
}

TEST(SchoolCalendarCreateTest, RejectsHolidayOutsideTerms) {
  CalendarSpec spec = Spec2026();
  spec.holidays.push_back(CivilDay(2027, 2, 10));  // 春节, winter break.
  ExpectCreateError(spec, "holidays[8]: 2027-02-10 is not inside any term",
                    "第 9 个节假日（holidays[8]）：2027-02-10 不在任何学期内");
}

TEST(SchoolCalendarCreateTest, RejectsDuplicateHoliday) {
  CalendarSpec spec = Spec2026();
  spec.holidays.push_back(CivilDay(2026, 10, 3));
  ExpectCreateError(spec,
                    "holidays[8]: 2026-10-03 is listed twice (also "
                    "holidays[2])",
                    "第 9 个节假日（holidays[8]）：2026-10-03 重复填写（与第 3 "
                    "个节假日相同）");
}

TEST(SchoolCalendarCreateTest, RejectsWeekdayMakeupDay) {
  CalendarSpec spec = Spec2026();
  spec.makeup_days.push_back(CivilDay(2026, 10, 12));
  ExpectCreateError(spec,
                    "makeup_days[2]: 2026-10-12 is a Monday; a make-up school "
                    "day (调休) must fall on a weekend",
                    "第 3 个调休上课日（makeup_days[2]）：2026-10-12 是星期一，"
                    "调休上课日必须在周末（星期六或星期日）");
}

TEST(SchoolCalendarCreateTest, RejectsMakeupDayOutsideTerms) {
  CalendarSpec spec = Spec2026();
  spec.makeup_days.push_back(CivilDay(2027, 2, 6));  // Saturday, winter.
  ExpectCreateError(spec, "makeup_days[2]: 2027-02-06 is not inside any term",
                    "第 3 个调休上课日（makeup_days[2]）：2027-02-06 不在任何"
                    "学期内");
}

TEST(SchoolCalendarCreateTest, RejectsDuplicateMakeupDay) {
  CalendarSpec spec = Spec2026();
  spec.makeup_days.push_back(CivilDay(2026, 9, 27));
  ExpectCreateError(spec,
                    "makeup_days[2]: 2026-09-27 is listed twice (also "
                    "makeup_days[0])",
                    "第 3 个调休上课日（makeup_days[2]）：2026-09-27 重复填写"
                    "（与第 1 个调休上课日相同）");
}

TEST(SchoolCalendarCreateTest, RejectsDayBothHolidayAndMakeup) {
  CalendarSpec spec = Spec2026();
  spec.holidays.push_back(CivilDay(2026, 10, 10));
  ExpectCreateError(spec,
                    "makeup_days[1]: 2026-10-10 is also holidays[8]; a day "
                    "cannot be both a holiday and a make-up school day",
                    "第 2 个调休上课日（makeup_days[1]）：2026-10-10 同时被列为"
                    "第 9 个节假日；同一天不能既是节假日又是调休上课日");
}

TEST(SchoolCalendarCreateTest, WeekendHolidayChangesNothing) {
  CalendarSpec spec = Spec2026();
  spec.holidays.push_back(CivilDay(2026, 11, 7));  // Saturday.
  SchoolCalendar calendar = MustCreate(spec);
  EXPECT_EQ(calendar.school_days().size(), 193u);
}

TEST(SchoolCalendarCreateTest, UnsortedHolidaysAndMakeupDaysAreAccepted) {
  CalendarSpec spec = Spec2026();
  std::swap(spec.holidays.front(), spec.holidays.back());
  std::swap(spec.makeup_days.front(), spec.makeup_days.back());
  SchoolCalendar calendar = MustCreate(spec);
  EXPECT_EQ(calendar.school_days().size(), 193u);
  EXPECT_FALSE(calendar.IsSchoolDay(CivilDay(2027, 1, 1)));
  EXPECT_TRUE(calendar.IsSchoolDay(CivilDay(2026, 9, 27)));
}

// ---------------------------------------------------------------------------
// CountyCalendar
// ---------------------------------------------------------------------------

CountyCalendar MustCreateCounty(std::vector<SchoolCalendar> years) {
  absl::StatusOr<CountyCalendar> county =
      CountyCalendar::Create(std::move(years));
  EXPECT_TRUE(county.ok()) << county.status();
  return *std::move(county);
}

class CountyCalendarTest : public ::testing::Test {
 protected:
  // Given out of order on purpose.
  CountyCalendar county_ =
      MustCreateCounty({MustCreate(Spec2027()), MustCreate(Spec2026())});
};

TEST_F(CountyCalendarTest, ForSchoolYear) {
  ASSERT_NE(county_.ForSchoolYear(2026), nullptr);
  EXPECT_EQ(county_.ForSchoolYear(2026)->school_year(), 2026);
  ASSERT_NE(county_.ForSchoolYear(2027), nullptr);
  EXPECT_EQ(county_.ForSchoolYear(2027)->school_year(), 2027);
  EXPECT_EQ(county_.ForSchoolYear(2025), nullptr);
  EXPECT_EQ(county_.ForSchoolYear(2028), nullptr);
  ASSERT_EQ(county_.years().size(), 2u);
  EXPECT_EQ(county_.years()[0].school_year(), 2026);
}

TEST_F(CountyCalendarTest, IsSchoolDayInEitherYear) {
  EXPECT_TRUE(county_.IsSchoolDay(CivilDay(2026, 10, 10)));  // 调休.
  EXPECT_FALSE(county_.IsSchoolDay(CivilDay(2026, 10, 1)));  // 国庆.
  EXPECT_TRUE(county_.IsSchoolDay(CivilDay(2027, 9, 1)));
  EXPECT_FALSE(county_.IsSchoolDay(CivilDay(2027, 8, 2)));  // Summer.
  EXPECT_TRUE(county_.IsSchoolDay(CivilDay(2028, 6, 30)));
  EXPECT_FALSE(county_.IsSchoolDay(CivilDay(2028, 9, 1)));  // Unconfigured.
}

TEST_F(CountyCalendarTest, NextAndPreviousAcrossSummer) {
  EXPECT_EQ(county_.NextSchoolDay(CivilDay(2027, 6, 30)), CivilDay(2027, 9, 1));
  EXPECT_EQ(county_.NextSchoolDay(CivilDay(2027, 7, 15)), CivilDay(2027, 9, 1));
  EXPECT_EQ(county_.PreviousSchoolDay(CivilDay(2027, 9, 1)),
            CivilDay(2027, 6, 30));
  EXPECT_EQ(county_.NextSchoolDay(CivilDay(2028, 6, 30)), std::nullopt);
  EXPECT_EQ(county_.PreviousSchoolDay(CivilDay(2026, 9, 1)), std::nullopt);
}

TEST_F(CountyCalendarTest, CountsAndAddsAcrossSummer) {
  // Mon 06-28, Tue 06-29, Wed 06-30, then Wed 09-01, Thu 09-02, Fri 09-03.
  EXPECT_EQ(
      county_.SchoolDaysBetween(CivilDay(2027, 6, 28), CivilDay(2027, 9, 3)),
      6);
  EXPECT_EQ(county_.AddSchoolDays(CivilDay(2027, 6, 29), 3),
            CivilDay(2027, 9, 2));
  const std::vector<CivilDay> expected = {
      CivilDay(2027, 6, 29), CivilDay(2027, 6, 30), CivilDay(2027, 9, 1)};
  EXPECT_EQ(county_.SchoolDaysIn(CivilDay(2027, 6, 29), CivilDay(2027, 9, 1)),
            expected);
  EXPECT_EQ(
      county_.SchoolDaysBetween(CivilDay(2027, 9, 3), CivilDay(2027, 6, 28)),
      0);
  EXPECT_EQ(county_.AddSchoolDays(CivilDay(2027, 6, 29), 0), std::nullopt);
}

TEST_F(CountyCalendarTest, AgreesWithEachYear) {
  const SchoolCalendar& year2026 = *county_.ForSchoolYear(2026);
  const SchoolCalendar& year2027 = *county_.ForSchoolYear(2027);
  EXPECT_EQ(
      county_.SchoolDaysBetween(CivilDay(2026, 1, 1), CivilDay(2028, 12, 31)),
      static_cast<int>(year2026.school_days().size() +
                       year2027.school_days().size()));
  EXPECT_EQ(county_.NextSchoolDay(CivilDay(2026, 9, 30)),
            CivilDay(2026, 10, 8));
}

TEST_F(CountyCalendarTest, TermOfAndSchoolYearOf) {
  ASSERT_NE(county_.TermOf(CivilDay(2027, 6, 30)), nullptr);
  EXPECT_EQ(county_.TermOf(CivilDay(2027, 6, 30))->name, "2027 spring");
  ASSERT_NE(county_.TermOf(CivilDay(2027, 9, 1)), nullptr);
  EXPECT_EQ(county_.TermOf(CivilDay(2027, 9, 1))->name, "2027 autumn");
  ASSERT_NE(county_.TermOf(CivilDay(2028, 1, 3)), nullptr);
  EXPECT_EQ(county_.TermOf(CivilDay(2028, 1, 3))->name, "2027 autumn");
  EXPECT_EQ(county_.TermOf(CivilDay(2027, 7, 15)), nullptr);
  EXPECT_EQ(county_.TermOf(CivilDay(2025, 10, 1)), nullptr);

  EXPECT_EQ(county_.SchoolYearOf(CivilDay(2027, 6, 30)), 2026);
  EXPECT_EQ(county_.SchoolYearOf(CivilDay(2027, 1, 4)), 2026);
  EXPECT_EQ(county_.SchoolYearOf(CivilDay(2027, 9, 1)), 2027);
  EXPECT_EQ(county_.SchoolYearOf(CivilDay(2028, 2, 21)), 2027);
  EXPECT_EQ(county_.SchoolYearOf(CivilDay(2027, 7, 15)), std::nullopt);
}

TEST_F(CountyCalendarTest, CopyIsIndependent) {
  const CountyCalendar copy = county_;
  county_ = MustCreateCounty({MustCreate(Spec2027())});
  ASSERT_NE(copy.TermOf(CivilDay(2026, 9, 1)), nullptr);
  EXPECT_EQ(copy.TermOf(CivilDay(2026, 9, 1))->name, "2026 autumn");
  EXPECT_EQ(county_.TermOf(CivilDay(2026, 9, 1)), nullptr);
}

void ExpectCountyError(std::vector<SchoolCalendar> years,
                       const std::string& message,
                       const std::optional<std::string>& chinese = {}) {
  absl::StatusOr<CountyCalendar> county =
      CountyCalendar::Create(std::move(years));
  ASSERT_FALSE(county.ok());
  ExpectError(county.status(), message, chinese);
}

TEST(CountyCalendarCreateTest, RejectsEmpty) {
  ExpectCountyError({}, "years: at least one school year is required",
                    "各学年校历（years）：至少需要一个学年的校历");
}

TEST(CountyCalendarCreateTest, RejectsDuplicateYear) {
  ExpectCountyError({MustCreate(Spec2026()), MustCreate(Spec2026())},
                    "years: school year 2026 is given twice",
                    "各学年校历（years）：2026-2027 学年的校历重复出现");
}

TEST(CountyCalendarCreateTest, RejectsGap) {
  CalendarSpec spec2028;
  spec2028.school_year = 2028;
  spec2028.terms = {
      {"2028 autumn", CivilDay(2028, 9, 1), CivilDay(2029, 1, 19)}};
  ExpectCountyError({MustCreate(Spec2026()), MustCreate(spec2028)},
                    "years: school year 2028 does not follow 2026; school "
                    "years must be consecutive",
                    "各学年校历（years）：2028-2029 学年没有紧接在 2026-2027 "
                    "学年之后；各学年须连续，中间不能缺少学年");
}

TEST(CountyCalendarCreateTest, RejectsOverlapBetweenYears) {
  // A summer term to 2027-08-20 and the next year starting 2027-08-16: each
  // is inside its own window, but together they overlap.
  CalendarSpec with_summer = Spec2026();
  with_summer.terms.push_back(
      {"2027 summer", CivilDay(2027, 7, 5), CivilDay(2027, 8, 20)});
  CalendarSpec early = Spec2027();
  early.terms[0].start = CivilDay(2027, 8, 16);
  ExpectCountyError({MustCreate(with_summer), MustCreate(early)},
                    "years: school year 2027 starts on 2027-08-16, not after "
                    "school year 2026 ends on 2027-08-20",
                    "各学年校历（years）：2027-2028 学年的开始日期 2027-08-16 "
                    "不晚于 2026-2027 学年的结束日期 2027-08-20；下一学年须在"
                    "上一学年结束之后开始");
}

TEST(CountyCalendarCreateTest, SingleYearWorks) {
  CountyCalendar county = MustCreateCounty({MustCreate(Spec2026())});
  EXPECT_EQ(county.NextSchoolDay(CivilDay(2027, 6, 30)), std::nullopt);
  EXPECT_EQ(
      county.SchoolDaysBetween(CivilDay(2026, 9, 1), CivilDay(2027, 1, 22)),
      100);
}

}  // namespace
}  // namespace baoxue::domain
