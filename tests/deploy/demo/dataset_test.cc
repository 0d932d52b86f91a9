#include "deploy/demo/dataset.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/identifiers.h"

namespace baoxue::demo {
namespace {

using ::testing::Ge;
using ::testing::Le;

absl::CivilDay Day(const v1::Date& d) {
  return absl::CivilDay(d.year(), d.month(), d.day());
}

const Dataset& County30k() {
  static const Dataset* data = [] {
    auto generated = Dataset::Generate(DatasetOptions());
    EXPECT_TRUE(generated.ok()) << generated.status();
    return new Dataset(std::move(*generated));
  }();
  return *data;
}

TEST(DatasetTest, EveryIdNumberAndStudentNumberValidatesAndAgreesWithTheRecord) {
  const Dataset& data = County30k();
  ASSERT_EQ(data.students().size(), 30000u);
  std::set<std::string> ids;
  for (const DemoStudent& s : data.students()) {
    const v1::Student& st = s.student;
    auto facts = domain::ParseIdNumber(st.id_number());
    ASSERT_TRUE(facts.ok()) << facts.status();
    ASSERT_TRUE(domain::ValidateStudentNumber(st.student_number(), st.id_number()).ok());
    EXPECT_EQ(st.student_number(), "G" + st.id_number());
    EXPECT_EQ(facts->birth_date, Day(st.birth_date()));
    EXPECT_EQ(facts->sex == domain::Sex::kMale, st.sex() == v1::SEX_MALE);
    // Grade 1 is the year a child is 6 by 31 August.
    EXPECT_EQ(domain::SchoolAgeInYear(facts->birth_date, 2026), s.grade + 5);
    EXPECT_TRUE(ids.insert(st.id_number()).second) << "duplicate ID number";
    ASSERT_FALSE(st.guardians().empty());
    EXPECT_TRUE(domain::ValidatePhone(st.guardians(0).phone()).ok());
  }
  for (const UnenrolledChild& child : data.unenrolled()) {
    ASSERT_TRUE(domain::ValidateIdNumber(child.entry.id_number()).ok());
    EXPECT_TRUE(ids.insert(child.entry.id_number()).second);
    int age = domain::SchoolAgeInYear(child.birth_date, 2026);
    EXPECT_THAT(age, Ge(6));
    EXPECT_THAT(age, Le(15));
  }
}

TEST(DatasetTest, TheCountyHasItsEighteenTownshipsAndAboutSixtySchools) {
  const Dataset& data = County30k();
  EXPECT_EQ(data.county().county_code(), "350526");
  ASSERT_EQ(data.townships().size(), 18u);
  EXPECT_EQ(data.townships()[0].township.name(), "浔中镇");
  std::set<std::string> codes;
  for (const DemoTownship& t : data.townships()) {
    EXPECT_TRUE(domain::ValidateTownshipCode(t.township.township_code(), "350526").ok());
    EXPECT_TRUE(codes.insert(t.township.township_code()).second);
    EXPECT_FALSE(t.code_confirmed);  // illustrative, and says so
    EXPECT_THAT(t.villages.size(), Ge(4u));
    for (const v1::Village& v : t.villages) {
      EXPECT_TRUE(domain::ValidateVillageCode(v.village_code(),
                                              t.township.township_code()).ok());
    }
  }
  EXPECT_THAT(data.schools().size(), Ge(55u));
  EXPECT_THAT(data.schools().size(), Le(65u));
  std::map<v1::SchoolKind, int> kinds;
  for (const v1::School& s : data.schools()) ++kinds[s.kind()];
  EXPECT_THAT(kinds[v1::SCHOOL_KIND_PRIMARY], Ge(30));
  EXPECT_THAT(kinds[v1::SCHOOL_KIND_JUNIOR_SECONDARY], Ge(12));
  EXPECT_EQ(kinds[v1::SCHOOL_KIND_NINE_YEAR], 6);
  EXPECT_EQ(kinds[v1::SCHOOL_KIND_SPECIAL_EDUCATION], 1);
  // Every pupil is in a grade their school teaches, and (outside the
  // special school) in their own township.
  for (const DemoStudent& s : data.students()) {
    const v1::School& school = data.schools()[s.school];
    EXPECT_NE(std::find(school.grades().begin(), school.grades().end(), s.grade),
              school.grades().end());
    if (school.kind() != v1::SCHOOL_KIND_SPECIAL_EDUCATION) {
      EXPECT_EQ(school.township_code(), s.student.household_township_code());
    }
    EXPECT_TRUE(absl::StartsWith(s.student.household_village_code(),
                                 s.student.household_township_code()));
  }
}

TEST(DatasetTest, TheSameSeedGivesTheSameCountyAndAnotherSeedAnother) {
  DatasetOptions options;
  options.students = 2000;
  auto a = Dataset::Generate(options);
  auto b = Dataset::Generate(options);
  options.seed = 7;
  auto c = Dataset::Generate(options);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_EQ(a->students().size(), b->students().size());
  bool all_same = true;
  bool any_differs = false;
  for (size_t i = 0; i < a->students().size(); ++i) {
    all_same &= a->students()[i].student.SerializeAsString() ==
                b->students()[i].student.SerializeAsString();
    any_differs |= a->students()[i].student.id_number() !=
                   c->students()[i].student.id_number();
  }
  EXPECT_TRUE(all_same);
  EXPECT_TRUE(any_differs);
  for (int day = 0; day < 10; ++day) {
    auto x = a->AbsencesOn(day);
    auto y = b->AbsencesOn(day);
    ASSERT_EQ(x.size(), y.size());
    for (size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i].student, y[i].student);
      EXPECT_EQ(x[i].category, y[i].category);
    }
  }
}

TEST(DatasetTest, PriorityGroupsAndAbsenteesComeInPlausibleProportions) {
  const Dataset& data = County30k();
  std::map<v1::PriorityGroup, int> counts;
  std::map<AbsencePattern, int> patterns;
  for (const DemoStudent& s : data.students()) {
    for (int g : s.student.priority_groups()) ++counts[v1::PriorityGroup(g)];
    ++patterns[s.pattern];
  }
  const double n = data.students().size();
  for (const PriorityShare& share : PriorityShares()) {
    double expected = share.per_10000 / 10000.0;
    double got = counts[share.group] / n;
    // Within a fifth of the target, or 0.2 points for the rare groups.
    EXPECT_NEAR(got, expected, std::max(expected / 5, 0.002))
        << v1::PriorityGroup_Name(share.group);
  }
  // About one pupil in 200 is a chronic absentee.
  EXPECT_EQ(n - patterns[AbsencePattern::kRegular], 150);
  EXPECT_THAT(patterns[AbsencePattern::kRun], Ge(60));
  EXPECT_THAT(patterns[AbsencePattern::kDropout], Ge(30));
  EXPECT_THAT(patterns[AbsencePattern::kVanished], Ge(5));
  EXPECT_THAT(data.unenrolled().size(), Ge(30u));
}

TEST(DatasetTest, MostArePresentSomeOnLeaveAndChronicAbsenteesCrossTheThresholds) {
  DatasetOptions options;
  options.students = 600;
  options.active_school_days = 15;
  auto data = Dataset::Generate(options);
  ASSERT_TRUE(data.ok()) << data.status();
  std::map<int, std::vector<int>> unexcused_days;  // student -> day indices
  int excused = 0;
  for (int day = 0; day < 15; ++day) {
    auto absences = data->AbsencesOn(day);
    EXPECT_LT(absences.size(), 600u * 4 / 100) << "day " << day;
    for (const PlannedAbsence& a : absences) {
      if (a.category == v1::ABSENCE_CATEGORY_SICK_LEAVE ||
          a.category == v1::ABSENCE_CATEGORY_PERSONAL_LEAVE) {
        ++excused;
        EXPECT_FALSE(a.reason.empty());
      } else {
        unexcused_days[a.student].push_back(day);
      }
    }
  }
  EXPECT_GT(excused, 20);
  // R1 (3 consecutive school days) is met by several children, early and
  // late in the window.
  int r1 = 0;
  int first = 100, last = -1;
  for (const auto& [student, days] : unexcused_days) {
    for (size_t i = 2; i < days.size(); ++i) {
      if (days[i] == days[i - 2] + 2) {
        ++r1;
        first = std::min(first, days[i]);
        last = std::max(last, days[i]);
        break;
      }
    }
  }
  EXPECT_THAT(r1, Ge(10));
  EXPECT_LE(first, 3);
  EXPECT_GE(last, 11);
  // Some enrolment changes and unenrolled children, even in a small county.
  EXPECT_THAT(data->changes().size(), Ge(5u));
  EXPECT_THAT(data->unenrolled().size(), Ge(4u));
}

TEST(DatasetTest, TheCalendarHasBothTermsTheWinterBreakAndTheMakeUpDays) {
  const Dataset& data = County30k();
  const domain::SchoolCalendar& cal = data.school_calendar();
  ASSERT_EQ(data.calendar().terms_size(), 2);
  EXPECT_EQ(data.enrol_date(), absl::CivilDay(2026, 9, 1));
  // 调休: Sunday 20 September and Saturday 10 October 2026 are school days.
  EXPECT_TRUE(cal.IsSchoolDay(absl::CivilDay(2026, 9, 20)));
  EXPECT_TRUE(cal.IsSchoolDay(absl::CivilDay(2026, 10, 10)));
  EXPECT_FALSE(cal.IsSchoolDay(absl::CivilDay(2026, 9, 19)));
  EXPECT_FALSE(cal.IsSchoolDay(absl::CivilDay(2026, 10, 1)));
  EXPECT_FALSE(cal.IsSchoolDay(absl::CivilDay(2026, 9, 25)));  // 中秋
  EXPECT_FALSE(cal.IsSchoolDay(absl::CivilDay(2027, 2, 8)));   // winter break
  EXPECT_TRUE(cal.IsSchoolDay(absl::CivilDay(2027, 2, 22)));
  EXPECT_TRUE(cal.IsSchoolDay(absl::CivilDay(2027, 4, 25)));   // 劳动节 调休
  EXPECT_EQ(data.calendar().makeup_days_size(), 4);
  int official = 0;
  for (const CalendarNote& note : data.calendar_notes()) official += note.official;
  EXPECT_EQ(official, 2);  // 2026's schedule is published; 2027's is not
  EXPECT_THAT(cal.school_days().size(), Ge(185u));
}

TEST(DatasetTest, RostersHoldTheEnrolledAndTheUnenrolledOfTheVillage) {
  DatasetOptions options;
  options.students = 1000;
  auto data = Dataset::Generate(options);
  ASSERT_TRUE(data.ok());
  size_t total = 0;
  for (const DemoTownship& t : data->townships()) {
    for (const v1::Village& v : t.villages) {
      for (const v1::RosterEntry& e : data->RosterOf(v.village_code())) {
        EXPECT_EQ(e.village_code(), v.village_code());
        ++total;
      }
    }
  }
  // Every unenrolled child but the one the township finds (R7).
  EXPECT_EQ(total, data->students().size() + data->unenrolled().size() - 1);
  EXPECT_FALSE(data->unenrolled().back().on_roster);
}

TEST(DatasetTest, OneSchoolStopsReportingForThreeDays) {
  const Dataset& data = County30k();
  int silent = -1;
  for (size_t s = 0; s < data.schools().size(); ++s) {
    if (!data.Reports(s, 5) && !data.Reports(s, 6) && !data.Reports(s, 7)) silent = s;
  }
  ASSERT_GE(silent, 0);
  int missing = 0;
  for (size_t s = 0; s < data.schools().size(); ++s) {
    for (int d = 0; d < 30; ++d) missing += !data.Reports(s, d);
  }
  EXPECT_LT(missing, 40);
}

TEST(DatasetTest, TooSmallACountyIsRefused) {
  DatasetOptions options;
  options.students = 10;
  EXPECT_EQ(Dataset::Generate(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace baoxue::demo
