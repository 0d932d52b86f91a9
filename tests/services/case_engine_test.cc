// The follow-up rules R1–R7 at their boundaries, one open case per child,
// priority, case ids, evidence, corrections, reporting completeness (未上报),
// every deadline firing at the first tick at or after it falls due (and not
// one tick earlier), escalation, and the ledger counters (DOMAIN §3–§5).
//
// Everything runs in a real in-process server with a ManualClock: school
// writes go through the real RPCs, case transitions through the sequencer
// with the case_commands.h Prepare* functions, time through ClockTick
// events; results are read from the worker's projections.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "services/dates.h"
#include "services/students.h"
#include "tests/services/case_fixture.h"

namespace baoxue::services::testing_server {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

absl::CivilDay CD(int y, int m, int d) { return absl::CivilDay(y, m, d); }

absl::Time T(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::vector<absl::CivilDay> Days(const v1::RuleEvidence& e) {
  std::vector<absl::CivilDay> days;
  for (const v1::Date& d : e.dates()) days.push_back(Day(d));
  return days;
}

std::vector<v1::CaseHistoryKind> Kinds(
    const std::vector<v1::CaseHistoryEntry>& history) {
  std::vector<v1::CaseHistoryKind> kinds;
  for (const auto& e : history) kinds.push_back(e.kind());
  return kinds;
}

class CaseEngineTest : public CaseFixture {
 protected:
  // Reports `student` absent (unexcused) at 浔中中心小学 on each day, one
  // report a day.
  void AbsentOn(const v1::Student& student, std::vector<absl::CivilDay> days,
                v1::AbsenceCategory category = v1::ABSENCE_CATEGORY_UNEXCUSED) {
    for (absl::CivilDay d : days) Report(xz_token_, d, {{student, category}});
  }

  // Ticks one second before `due` and expects the deadline still open,
  // then at `due` and expects it settled by the tick.
  void ExpectFiresAt(const std::string& case_id, v1::DeadlineKind kind,
                     absl::Time due, v1::DeadlineStatus fired_status =
                                         v1::DEADLINE_STATUS_MISSED) {
    v1::Case c = CaseById(case_id);
    const v1::Deadline* d = LastDeadline(c, kind);
    ASSERT_NE(d, nullptr) << v1::DeadlineKind_Name(kind);
    EXPECT_EQ(T(d->due_time()), due) << v1::DeadlineKind_Name(kind);
    EXPECT_EQ(d->status(), v1::DEADLINE_STATUS_OPEN);
    Tick(due - absl::Seconds(1));
    c = CaseById(case_id);
    EXPECT_EQ(LastDeadline(c, kind)->status(), v1::DEADLINE_STATUS_OPEN)
        << v1::DeadlineKind_Name(kind) << " fired one tick early";
    Tick(due);
    c = CaseById(case_id);
    EXPECT_EQ(LastDeadline(c, kind)->status(), fired_status)
        << v1::DeadlineKind_Name(kind) << " did not fire at " << due;
    EXPECT_EQ(T(LastDeadline(c, kind)->settle_time()), due);
  }
};

// ---------------------------------------------------------------- R1

TEST_F(CaseEngineTest, R1TwoSchoolDaysDoNotOpenACaseThreeDo) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AbsentOn(a, {CD(2026, 9, 8), CD(2026, 9, 9)});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  EXPECT_TRUE(AllCases().empty());

  uint64_t third = Report(xz_token_, CD(2026, 9, 10), {{a}});
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->case_id(), "350526-2026-00001");
  EXPECT_EQ(c->kind(), v1::CASE_KIND_CONSECUTIVE_ABSENCE);
  EXPECT_EQ(c->state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(c->priority(), v1::CASE_PRIORITY_NORMAL);
  EXPECT_EQ(c->escalation_level(), v1::ESCALATION_LEVEL_SCHOOL);
  EXPECT_EQ(c->student_id(), a.student_id());
  EXPECT_EQ(c->student_name(), "林小明");
  EXPECT_EQ(c->school_id(), kXunzhongPrimary);
  EXPECT_EQ(c->household_township_code(), kXunzhong);
  EXPECT_EQ(c->household_village_code(), kXunzhongVillage1);
  EXPECT_EQ(c->open_sequence(), third);
  EXPECT_EQ(T(c->open_time()), CountyTime(2026, 9, 10, 16));
  // The evidence explains the listing: rule, setting, days, event.
  ASSERT_EQ(c->evidence_size(), 1);
  const v1::RuleEvidence& e = c->evidence(0);
  EXPECT_EQ(e.rule(), v1::CASE_KIND_CONSECUTIVE_ABSENCE);
  EXPECT_EQ(e.threshold(), 3);
  EXPECT_EQ(e.count(), 3);
  EXPECT_EQ(e.sequence(), third);
  EXPECT_EQ(T(e.record_time()), CountyTime(2026, 9, 10, 16));
  EXPECT_FALSE(e.whereabouts_unknown());
  EXPECT_THAT(Days(e),
              ElementsAre(CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10)));
  std::vector<v1::CaseHistoryEntry> history = History(c->case_id());
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history[0].kind(), v1::CASE_HISTORY_KIND_OPENED);
  EXPECT_EQ(history[0].sequence(), third);
  EXPECT_EQ(history[0].to_state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(history[0].evidence().SerializeAsString(), e.SerializeAsString());
}

TEST_F(CaseEngineTest, R1ThresholdComesFromTheSettingsInForce) {
  v1::RuleSettings settings;
  settings.set_consecutive_absence_days(4);
  UpdateSettings(settings);
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AbsentOn(a, {CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10)});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  AbsentOn(a, {CD(2026, 9, 11)});
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->evidence(0).threshold(), 4);
  EXPECT_EQ(c->evidence(0).count(), 4);
}

TEST_F(CaseEngineTest, R1RunAcrossAWeekend) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AbsentOn(a, {CD(2026, 9, 10), CD(2026, 9, 11)});  // Thu, Fri
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  AbsentOn(a, {CD(2026, 9, 14)});  // Mon
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_THAT(Days(c->evidence(0)),
              ElementsAre(CD(2026, 9, 10), CD(2026, 9, 11), CD(2026, 9, 14)));
}

TEST_F(CaseEngineTest, R1RunAcrossHolidays) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  v1::Student b = Enrol(xz_token_, NewChild("陈小红"));
  // 中秋 Fri 9-25 and the weekend lie between Thu 9-24 and Mon 9-28.
  AbsentOn(a, {CD(2026, 9, 24), CD(2026, 9, 28)});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  AbsentOn(a, {CD(2026, 9, 29)});
  std::optional<v1::Case> ca = OpenCaseOf(a.student_id());
  ASSERT_TRUE(ca.has_value());
  EXPECT_THAT(Days(ca->evidence(0)),
              ElementsAre(CD(2026, 9, 24), CD(2026, 9, 28), CD(2026, 9, 29)));
  // 国庆 10-01..10-07 lies between Wed 9-30 and Thu 10-08.
  AbsentOn(b, {CD(2026, 9, 30), CD(2026, 10, 8)});
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value());
  AbsentOn(b, {CD(2026, 10, 9)});
  std::optional<v1::Case> cb = OpenCaseOf(b.student_id());
  ASSERT_TRUE(cb.has_value());
  EXPECT_THAT(Days(cb->evidence(0)),
              ElementsAre(CD(2026, 9, 30), CD(2026, 10, 8), CD(2026, 10, 9)));
}

TEST_F(CaseEngineTest, R1MakeUpSchoolDaysCount) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  v1::Student b = Enrol(xz_token_, NewChild("陈小红"));
  v1::Student s = Enrol(xz_token_, NewChild("郑小军"));
  // Sunday 9-20 is a 调休 school day: Thu, Fri, Sun make three.
  AbsentOn(s, {CD(2026, 9, 17), CD(2026, 9, 18)});
  EXPECT_FALSE(OpenCaseOf(s.student_id()).has_value());
  AbsentOn(s, {CD(2026, 9, 20)});
  ASSERT_TRUE(OpenCaseOf(s.student_id()).has_value());
  EXPECT_THAT(Days(OpenCaseOf(s.student_id())->evidence(0)),
              ElementsAre(CD(2026, 9, 17), CD(2026, 9, 18), CD(2026, 9, 20)));

  // Saturday 10-10 is a 调休 school day. `a` is absent Fri, Sat and Mon;
  // `b` is absent Fri and Mon but attends on the Saturday.
  Report(xz_token_, CD(2026, 10, 9), {{a}, {b}});
  Report(xz_token_, CD(2026, 10, 10), {{a}});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  Report(xz_token_, CD(2026, 10, 12), {{a}, {b}});
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_THAT(Days(c->evidence(0)),
              ElementsAre(CD(2026, 10, 9), CD(2026, 10, 10), CD(2026, 10, 12)));
  Report(xz_token_, CD(2026, 10, 13), {{b}});
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value())
      << "the Saturday the child attended breaks the run";
}

TEST_F(CaseEngineTest, R1PresentOrExcusedDayBreaksTheRun) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  v1::Student b = Enrol(xz_token_, NewChild("陈小红"));
  Report(xz_token_, CD(2026, 10, 13), {{a}, {b}});
  Report(xz_token_, CD(2026, 10, 14), {{a}, {b}});
  // Thursday: `a` present, `b` on sick leave (excused: does not count).
  Report(xz_token_, CD(2026, 10, 15), {{b, v1::ABSENCE_CATEGORY_SICK_LEAVE}});
  Report(xz_token_, CD(2026, 10, 16), {{a}, {b}});
  Report(xz_token_, CD(2026, 10, 19), {{a}});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value());
  Report(xz_token_, CD(2026, 10, 20), {{a}});
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_THAT(Days(c->evidence(0)),
              ElementsAre(CD(2026, 10, 16), CD(2026, 10, 19), CD(2026, 10, 20)));
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value());
}

TEST_F(CaseEngineTest, R1PersonalLeaveNeverCounts) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AbsentOn(a, {CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10), CD(2026, 9, 11)},
           v1::ABSENCE_CATEGORY_PERSONAL_LEAVE);
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
}

TEST_F(CaseEngineTest, R1HalfDaysCountPerSetting) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  v1::Student b = Enrol(xz_token_, NewChild("陈小红"));
  v1::Student c = Enrol(xz_token_, NewChild("郑小军"));
  // Default: a half day counts as a day.
  for (absl::CivilDay d : {CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10)}) {
    Report(xz_token_, d, {{a, v1::ABSENCE_CATEGORY_UNEXCUSED, /*half_day=*/true}});
  }
  ASSERT_TRUE(OpenCaseOf(a.student_id()).has_value());

  v1::RuleSettings ignore;
  ignore.set_half_day_rule(v1::HALF_DAY_RULE_IGNORED);
  UpdateSettings(ignore);
  // Now a half day neither counts nor joins the days around it.
  Report(xz_token_, CD(2026, 9, 14), {{b}, {c}});
  Report(xz_token_, CD(2026, 9, 15),
         {{b, v1::ABSENCE_CATEGORY_UNEXCUSED, true}, {c}});
  Report(xz_token_, CD(2026, 9, 16), {{b}, {c}});
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value());
  ASSERT_TRUE(OpenCaseOf(c.student_id()).has_value());
  Report(xz_token_, CD(2026, 9, 17), {{b}});
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value());
}

TEST_F(CaseEngineTest, R1WhereaboutsUnknownCountsAndIsUrgent) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AbsentOn(a, {CD(2026, 9, 9), CD(2026, 9, 10)});
  AbsentOn(a, {CD(2026, 9, 11)}, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN);
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->evidence(0).whereabouts_unknown());
  EXPECT_EQ(c->priority(), v1::CASE_PRIORITY_URGENT);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterUrgent), 1u);
}

// ---------------------------------------------------------------- R2

TEST_F(CaseEngineTest, R2TenDaysInATermOpenACaseNineDoNot) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  // Mon/Wed/Fri: never three consecutive school days, so R1 stays quiet.
  std::vector<absl::CivilDay> days = {
      CD(2026, 10, 12), CD(2026, 10, 14), CD(2026, 10, 16), CD(2026, 10, 19),
      CD(2026, 10, 21), CD(2026, 10, 23), CD(2026, 10, 26), CD(2026, 10, 28),
      CD(2026, 10, 30)};
  AbsentOn(a, days);
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  uint64_t tenth = Report(xz_token_, CD(2026, 11, 2), {{a}});
  days.push_back(CD(2026, 11, 2));
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_CUMULATIVE_ABSENCE);
  ASSERT_EQ(c->evidence_size(), 1);
  EXPECT_EQ(c->evidence(0).rule(), v1::CASE_KIND_CUMULATIVE_ABSENCE);
  EXPECT_EQ(c->evidence(0).threshold(), 10);
  EXPECT_EQ(c->evidence(0).count(), 10);
  EXPECT_EQ(c->evidence(0).sequence(), tenth);
  EXPECT_THAT(Days(c->evidence(0)), ElementsAreArray(days));
}

TEST_F(CaseEngineTest, R2DoesNotCountAcrossTerms) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  // Nine days at the end of the autumn term, one at the start of spring.
  AbsentOn(a, {CD(2027, 1, 4), CD(2027, 1, 6), CD(2027, 1, 8), CD(2027, 1, 11),
               CD(2027, 1, 13), CD(2027, 1, 15), CD(2027, 1, 18),
               CD(2027, 1, 20), CD(2027, 1, 22)});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  AbsentOn(a, {CD(2027, 2, 22)});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  // Nine more in spring make ten in that term.
  AbsentOn(a, {CD(2027, 2, 24), CD(2027, 2, 26), CD(2027, 3, 1), CD(2027, 3, 3),
               CD(2027, 3, 5), CD(2027, 3, 8), CD(2027, 3, 10), CD(2027, 3, 12)});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  AbsentOn(a, {CD(2027, 3, 15)});
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_CUMULATIVE_ABSENCE);
  EXPECT_EQ(c->evidence(0).count(), 10);
  EXPECT_EQ(Days(c->evidence(0)).front(), CD(2027, 2, 22));
  // The year in the case id is the year the case opened.
  EXPECT_EQ(c->case_id(), "350526-2027-00001");
}

// ---------------------------------------------------------------- R3

v1::EnrolmentChange TransferOut(const v1::Student& s, absl::CivilDay day,
                                const std::string& to_school,
                                const std::string& to_description = "",
                                bool proof = false) {
  v1::EnrolmentChange change;
  change.set_student_id(s.student_id());
  *change.mutable_effective_date() = ToD(day);
  auto* out = change.mutable_transfer_out();
  out->set_to_school_id(to_school);
  out->set_to_description(to_description);
  out->set_proof_received(proof);
  return change;
}

v1::EnrolmentChange TransferIn(const v1::Student& s, absl::CivilDay day) {
  v1::EnrolmentChange change;
  change.set_student_id(s.student_id());
  *change.mutable_effective_date() = ToD(day);
  change.mutable_transfer_in()->set_grade(3);
  change.mutable_transfer_in()->set_class_name("1班");
  return change;
}

TEST_F(CaseEngineTest, R3InCountyTransferThatArrivesInTimeOpensNoCase) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  v1::Student b = Enrol(xz_token_, NewChild("陈小红"));
  AdvanceTo(2026, 9, 15, 10);
  Change(xz_token_, TransferOut(a, CD(2026, 9, 15), kSanbanSchool));
  Change(xz_token_, TransferOut(b, CD(2026, 9, 15), kSanbanSchool));
  // `a` arrives late on the last day of the 30 (9-15 + 30 = 10-15).
  AdvanceTo(2026, 10, 15, 22);
  Change(sb_token_, TransferIn(a, CD(2026, 10, 15)));
  absl::Time due = EndOfCountyDay(CD(2026, 10, 15));
  Tick(due - absl::Seconds(1));
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  EXPECT_FALSE(OpenCaseOf(b.student_id()).has_value()) << "one tick early";
  uint64_t tick = Tick(due, v1::CLOCK_TICK_KIND_MIDNIGHT);
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  std::optional<v1::Case> c = OpenCaseOf(b.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_TRANSFER_LIMBO);
  EXPECT_EQ(c->school_id(), kXunzhongPrimary);
  EXPECT_EQ(c->open_sequence(), tick);
  EXPECT_EQ(c->evidence(0).threshold(), 30);
  EXPECT_THAT(Days(c->evidence(0)), ElementsAre(CD(2026, 9, 15)));
  Tick(due + absl::Hours(48));
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  EXPECT_EQ(AllCases().size(), 1u);
}

TEST_F(CaseEngineTest, R3OutOfCountyTransferNeedsProof) {
  v1::Student none = Enrol(xz_token_, NewChild("林小明"));
  v1::Student proof = Enrol(xz_token_, NewChild("陈小红"));
  v1::Student late_proof = Enrol(xz_token_, NewChild("郑小军"));
  AdvanceTo(2026, 9, 15, 10);
  const std::string away = "泉州市鲤城区实验小学";
  Change(xz_token_, TransferOut(none, CD(2026, 9, 15), "", away, false));
  Change(xz_token_, TransferOut(proof, CD(2026, 9, 15), "", away, true));
  Change(xz_token_, TransferOut(late_proof, CD(2026, 9, 15), "", away, false));
  // The receiving school's proof arrives for one child before D days.
  AdvanceTo(2026, 10, 9, 10);
  Change(xz_token_, TransferOut(late_proof, CD(2026, 10, 9), "", away, true));
  absl::Time due = EndOfCountyDay(CD(2026, 10, 15));
  Tick(due - absl::Seconds(1));
  EXPECT_TRUE(AllCases().empty());
  Tick(due);
  std::optional<v1::Case> c = OpenCaseOf(none.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_TRANSFER_LIMBO);
  EXPECT_FALSE(OpenCaseOf(proof.student_id()).has_value());
  EXPECT_FALSE(OpenCaseOf(late_proof.student_id()).has_value());
}

TEST_F(CaseEngineTest, R3ATransferRecordedLateStillOpensACaseAtTheNextTick) {
  v1::Student s = Enrol(xz_token_, NewChild("林小明"));
  // The ticks have fired every timer due before 11-20.
  Tick(CountyTime(2026, 11, 20, 10));
  // Entered only now: a transfer out on 9-15 whose 30 days ran out at the
  // end of 10-15, long before the last tick. Its timer is set below the
  // point the last tick's scan began from, and must still fire.
  Change(xz_token_, TransferOut(s, CD(2026, 9, 15), "", "泉州市鲤城区实验小学"));
  EXPECT_FALSE(OpenCaseOf(s.student_id()).has_value());
  Tick(CountyTime(2026, 11, 20, 11));
  std::optional<v1::Case> c = OpenCaseOf(s.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_TRANSFER_LIMBO);
}

// ---------------------------------------------------------------- R4

v1::RosterEntry Entry(const std::string& name, absl::CivilDay birth, int seq) {
  v1::RosterEntry e;
  e.set_id_number(IdNumber(kCountyCode, birth, seq));
  e.set_name(name);
  e.set_village_code(kXunzhongVillage1);
  e.set_guardian_name("王建国");
  e.set_guardian_phone("13805951234");
  return e;
}

TEST_F(CaseEngineTest, R4SchoolAgeOnTheRosterWithoutEnrolment) {
  v1::Student enrolled = Enrol(xz_token_, NewChild("林小明"));
  AdvanceTo(2026, 10, 16, 10);
  v1::RosterUpdated roster;
  roster.set_village_code(kXunzhongVillage1);
  // Six on 31 August 2026: school age in 2026–27.
  *roster.add_entries() = Entry("六岁满", CD(2020, 8, 31), 101);
  // Six on 1 September: not yet.
  *roster.add_entries() = Entry("差一天", CD(2020, 9, 1), 103);
  // Fifteen on 31 August (sixteen the next day): still in range.
  *roster.add_entries() = Entry("十五岁", CD(2010, 9, 1), 105);
  // Sixteen on 31 August: over age.
  *roster.add_entries() = Entry("十六岁", CD(2010, 8, 31), 107);
  v1::RosterEntry on_roll;
  on_roll.set_id_number(enrolled.id_number());
  on_roll.set_name(enrolled.name());
  on_roll.set_village_code(kXunzhongVillage1);
  *roster.add_entries() = on_roll;
  absl::StatusOr<uint64_t> seq = UpdateRoster(xz_town_, roster);
  ASSERT_TRUE(seq.ok()) << seq.status();

  std::optional<v1::Student> six = StudentByIdNumber(roster.entries(0).id_number());
  ASSERT_TRUE(six.has_value()) << "the roster registers a child never seen";
  EXPECT_EQ(six->enrolment().status(), v1::ENROLMENT_STATUS_NOT_ENROLLED);
  EXPECT_EQ(six->household_village_code(), kXunzhongVillage1);
  EXPECT_EQ(six->household_township_code(), kXunzhong);
  std::optional<v1::Case> c = OpenCaseOf(six->student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_NOT_ENROLLED);
  EXPECT_EQ(c->school_id(), "");
  EXPECT_EQ(c->evidence(0).sequence(), *seq);
  EXPECT_EQ(c->evidence(0).count(), 6);

  EXPECT_FALSE(StudentByIdNumber(roster.entries(1).id_number()).has_value());
  std::optional<v1::Student> fifteen =
      StudentByIdNumber(roster.entries(2).id_number());
  ASSERT_TRUE(fifteen.has_value());
  EXPECT_TRUE(OpenCaseOf(fifteen->student_id()).has_value());
  EXPECT_FALSE(StudentByIdNumber(roster.entries(3).id_number()).has_value());
  EXPECT_FALSE(OpenCaseOf(enrolled.student_id()).has_value());
  EXPECT_EQ(AllCases().size(), 2u);

  // The same roster again adds nothing.
  ASSERT_TRUE(UpdateRoster(xz_town_, roster).ok());
  EXPECT_EQ(AllCases().size(), 2u);
  EXPECT_EQ(OpenCaseOf(six->student_id())->evidence_size(), 1);
}

// ---------------------------------------------------------------- R5

TEST_F(CaseEngineTest, R5WithdrawalOpensACaseImmediately) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AdvanceTo(2026, 9, 15, 10);
  v1::EnrolmentChange change;
  change.set_student_id(a.student_id());
  *change.mutable_effective_date() = D(2026, 9, 14);
  change.mutable_withdraw()->set_reason("家长带去外地打工");
  uint64_t seq = Change(xz_token_, change);
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_WITHDRAWAL);
  EXPECT_EQ(c->open_sequence(), seq);
  EXPECT_EQ(c->evidence(0).sequence(), seq);
  EXPECT_THAT(Days(c->evidence(0)), ElementsAre(CD(2026, 9, 14)));
  EXPECT_EQ(c->school_id(), kXunzhongPrimary);
}

// ---------------------------------------------------------------- R6

TEST_F(CaseEngineTest, R6SuspensionThatLapsesOpensACaseAtTheRightTick) {
  v1::Student lapsed = Enrol(xz_token_, NewChild("林小明"));
  v1::Student resumed = Enrol(xz_token_, NewChild("陈小红"));
  AdvanceTo(2026, 9, 15, 10);
  for (const v1::Student* s : {&lapsed, &resumed}) {
    v1::EnrolmentChange change;
    change.set_student_id(s->student_id());
    *change.mutable_effective_date() = D(2026, 9, 15);
    *change.mutable_suspend()->mutable_end_date() = D(2026, 10, 15);
    change.mutable_suspend()->set_certificate_reference("德化县医院诊断证明 2026-118");
    Change(xz_token_, change);
  }
  // Resumed on the last day of the 10-day grace (10-15 + 10 = 10-25).
  AdvanceTo(2026, 10, 25, 20);
  v1::EnrolmentChange resume;
  resume.set_student_id(resumed.student_id());
  *resume.mutable_effective_date() = D(2026, 10, 25);
  resume.mutable_resume()->set_grade(3);
  resume.mutable_resume()->set_class_name("2班");
  Change(xz_token_, resume);

  absl::Time due = EndOfCountyDay(CD(2026, 10, 25));
  Tick(due - absl::Seconds(1));
  EXPECT_TRUE(AllCases().empty()) << "one tick early";
  Tick(due);
  std::optional<v1::Case> c = OpenCaseOf(lapsed.student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_LAWFUL_STATUS_EXPIRED);
  EXPECT_EQ(c->evidence(0).threshold(), 10);
  EXPECT_THAT(Days(c->evidence(0)), ElementsAre(CD(2026, 10, 15)));
  EXPECT_FALSE(OpenCaseOf(resumed.student_id()).has_value());
}

// ---------------------------------------------------------------- R7

TEST_F(CaseEngineTest, R7ReportOfAnUnknownChildRegistersThemAndOpensACase) {
  AdvanceTo(2026, 10, 16, 10);
  v1::Student child;
  child.set_id_number(IdNumber(kCountyCode, CD(2014, 3, 3), 21));
  child.set_name("黄小虎");
  child.set_household_township_code(kXunzhong);
  child.set_household_village_code(kXunzhongVillage2);
  absl::StatusOr<uint64_t> seq = ReportOutOfSchool(xz_town_, child, D(2026, 10, 15));
  ASSERT_TRUE(seq.ok()) << seq.status();
  std::optional<v1::Student> s = StudentByIdNumber(child.id_number());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->enrolment().status(), v1::ENROLMENT_STATUS_NOT_ENROLLED);
  EXPECT_EQ(s->name(), "黄小虎");
  EXPECT_EQ(s->sex(), v1::SEX_MALE);
  std::optional<v1::Case> c = OpenCaseOf(s->student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
  EXPECT_EQ(c->open_sequence(), *seq);
  EXPECT_EQ(c->household_village_code(), kXunzhongVillage2);
  EXPECT_THAT(Days(c->evidence(0)), ElementsAre(CD(2026, 10, 15)));

  // The child is on no school's roll: a school may defer their entry (or
  // enrol them), although it is not their school of record.
  v1::EnrolmentChange defer;
  defer.set_student_id(s->student_id());
  *defer.mutable_effective_date() = D(2026, 10, 16);
  *defer.mutable_defer_entry()->mutable_end_date() = D(2027, 8, 31);
  defer.mutable_defer_entry()->set_certificate_reference("缓〔2026〕7号");
  absl::StatusOr<uint64_t> deferred = Submit(
      xz_school_, [&](const storage::ModelTxn& model, v1::Event* event) {
        return PrepareChangeEnrolment(model, kXunzhongPrimary, defer, event);
      });
  EXPECT_TRUE(deferred.ok()) << deferred.status();

  // A child the county knows is not registered again.
  v1::Student known = Enrol(xz_token_, NewChild("林小明"));
  v1::Student by_id;
  by_id.set_id_number(known.id_number());
  ASSERT_TRUE(ReportOutOfSchool(xz_town_, by_id).ok());
  std::optional<v1::Case> k = OpenCaseOf(known.student_id());
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->kind(), v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
  EXPECT_EQ(k->school_id(), kXunzhongPrimary);
}

// ------------------------------------------- one case per child, ids, priority

TEST_F(CaseEngineTest, OneOpenCasePerChildNewTriggersAddEvidence) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  AbsentOn(a, {CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10)});
  std::optional<v1::Case> c = OpenCaseOf(a.student_id());
  ASSERT_TRUE(c.has_value());
  // A fourth day extends the run: the same case, its R1 evidence grown in
  // place (the history keeps both steps).
  AbsentOn(a, {CD(2026, 9, 11)});
  ASSERT_EQ(OpenCaseOf(a.student_id())->evidence_size(), 1);
  EXPECT_THAT(Days(OpenCaseOf(a.student_id())->evidence(0)),
              ElementsAre(CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10),
                          CD(2026, 9, 11)));
  // The township reports the child; then the school reports a withdrawal.
  v1::Student by_id;
  by_id.set_id_number(a.id_number());
  ASSERT_TRUE(ReportOutOfSchool(xz_town_, by_id).ok());
  AdvanceTo(2026, 9, 14, 10);
  v1::EnrolmentChange change;
  change.set_student_id(a.student_id());
  *change.mutable_effective_date() = D(2026, 9, 14);
  change.mutable_withdraw()->set_reason("不愿上学");
  uint64_t withdrawn = Change(xz_token_, change);

  std::vector<v1::Case> all = AllCases();
  ASSERT_EQ(all.size(), 1u);
  const v1::Case& only = all[0];
  EXPECT_EQ(only.case_id(), c->case_id());
  EXPECT_EQ(only.kind(), v1::CASE_KIND_CONSECUTIVE_ABSENCE) << "the opening rule stays";
  ASSERT_EQ(only.evidence_size(), 3);
  EXPECT_EQ(only.evidence(0).rule(), v1::CASE_KIND_CONSECUTIVE_ABSENCE);
  EXPECT_EQ(only.evidence(0).count(), 4);
  EXPECT_EQ(only.evidence(1).rule(), v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
  EXPECT_EQ(only.evidence(2).rule(), v1::CASE_KIND_WITHDRAWAL);
  EXPECT_EQ(only.evidence(2).sequence(), withdrawn);
  EXPECT_THAT(Kinds(History(only.case_id())),
              ElementsAre(v1::CASE_HISTORY_KIND_OPENED,
                          v1::CASE_HISTORY_KIND_EVIDENCE_ADDED,
                          v1::CASE_HISTORY_KIND_EVIDENCE_ADDED,
                          v1::CASE_HISTORY_KIND_EVIDENCE_ADDED));
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_SUSPECTED), 1u);
}

TEST_F(CaseEngineTest, CaseIdsCountUpAndPriorityFollowsTheChild) {
  v1::Student n = Enrol(xz_token_, NewChild("林小明"));
  v1::Student child = NewChild("陈小红");
  child.add_priority_groups(v1::PRIORITY_GROUP_POOR_HOUSEHOLD);
  child.add_priority_groups(v1::PRIORITY_GROUP_LEFT_BEHIND);
  v1::Student h = Enrol(xz_token_, child);
  v1::Student u = Enrol(xz_token_, NewChild("郑小军"));
  // Runs that end on three different days, so the cases open in order.
  Report(xz_token_, CD(2026, 9, 8), {{n}});
  Report(xz_token_, CD(2026, 9, 9), {{n}, {h}});
  Report(xz_token_, CD(2026, 9, 10),
         {{n}, {h}, {u, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN}});
  Report(xz_token_, CD(2026, 9, 11), {{h}, {u}});
  Report(xz_token_, CD(2026, 9, 14), {{u}});
  v1::Case normal = *OpenCaseOf(n.student_id());
  v1::Case high = *OpenCaseOf(h.student_id());
  std::optional<v1::Case> urgent = OpenCaseOf(u.student_id());
  ASSERT_TRUE(urgent.has_value());

  EXPECT_EQ(normal.case_id(), "350526-2026-00001");
  EXPECT_EQ(high.case_id(), "350526-2026-00002");
  EXPECT_EQ(urgent->case_id(), "350526-2026-00003");
  EXPECT_EQ(normal.priority(), v1::CASE_PRIORITY_NORMAL);
  EXPECT_EQ(high.priority(), v1::CASE_PRIORITY_HIGH);
  EXPECT_EQ(high.priority_groups_size(), 2);
  EXPECT_EQ(urgent->priority(), v1::CASE_PRIORITY_URGENT);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterHigh), 1u);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterUrgent), 1u);
  EXPECT_EQ(Counter(LedgerScope::kTownship, kXunzhong, kCounterHigh), 1u);
  EXPECT_EQ(Counter(LedgerScope::kSchool, kXunzhongPrimary, kCounterUrgent), 1u);
}

// ---------------------------------------------------------------- corrections

TEST_F(CaseEngineTest, CorrectionThatDropsR1WithdrawsASuspectedCase) {
  v1::Student a = Enrol(xz_token_, NewChild("林小明"));
  v1::Student b = Enrol(xz_token_, NewChild("陈小红"));
  Report(xz_token_, CD(2026, 9, 8), {{a}, {b}});
  Report(xz_token_, CD(2026, 9, 9), {{a}, {b}});
  Report(xz_token_, CD(2026, 9, 10), {{a}, {b}});
  Report(xz_token_, CD(2026, 9, 11), {{b}});
  std::optional<v1::Case> ca = OpenCaseOf(a.student_id());
  std::optional<v1::Case> cb = OpenCaseOf(b.student_id());
  ASSERT_TRUE(ca.has_value());
  ASSERT_TRUE(cb.has_value());
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_SUSPECTED), 2u);

  // Tuesday was sick leave for `a` after all: two runs of one and one.
  uint64_t corrected = Report(
      xz_token_, CD(2026, 9, 9), {{a, v1::ABSENCE_CATEGORY_SICK_LEAVE}, {b}});
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  v1::Case withdrawn = CaseById(ca->case_id());
  EXPECT_EQ(withdrawn.state(), v1::CASE_STATE_DISMISSED);
  EXPECT_EQ(withdrawn.verification_outcome(), v1::VERIFICATION_OUTCOME_NO_LONGER_MET);
  EXPECT_EQ(withdrawn.last_sequence(), corrected);
  std::vector<v1::CaseHistoryEntry> history = History(ca->case_id());
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind(), v1::CASE_HISTORY_KIND_STATE_CHANGED);
  EXPECT_EQ(history.back().from_state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(history.back().to_state(), v1::CASE_STATE_DISMISSED);
  EXPECT_EQ(history.back().note_code(), "no-longer-met");
  EXPECT_EQ(history.back().sequence(), corrected);
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_SUSPECTED), 1u);
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_DISMISSED), 1u);

  // `b` was present on Monday after all: Tue–Fri is still a run of three.
  Report(xz_token_, CD(2026, 9, 8), {{a}});
  std::optional<v1::Case> still = OpenCaseOf(b.student_id());
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->state(), v1::CASE_STATE_SUSPECTED);
  for (const auto& e : History(cb->case_id())) {
    EXPECT_NE(e.note_code(), "no-longer-met");
  }
  // The withdrawn case stays withdrawn; no new case for `a`.
  EXPECT_FALSE(OpenCaseOf(a.student_id()).has_value());
  EXPECT_EQ(AllCases().size(), 2u);
}

TEST_F(CaseEngineTest, CorrectionInALaterStateOnlyAddsANote) {
  v1::Case c = OpenR1Case();
  AdvanceTo(2026, 9, 11, 17);
  ASSERT_TRUE(Verify(xz_town_, c.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                     v1::DROPOUT_REASON_LEARNING_DIFFICULTY)
                  .ok());
  v1::Student s = *StudentById(c.student_id());
  uint64_t corrected =
      Report(xz_token_, CD(2026, 9, 10), {{s, v1::ABSENCE_CATEGORY_SICK_LEAVE}});
  v1::Case after = CaseById(c.case_id());
  EXPECT_EQ(after.state(), v1::CASE_STATE_CONFIRMED);
  EXPECT_EQ(after.verification_outcome(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
  std::vector<v1::CaseHistoryEntry> history = History(c.case_id());
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().kind(), v1::CASE_HISTORY_KIND_NOTE);
  EXPECT_EQ(history.back().note_code(), "no-longer-met");
  EXPECT_EQ(history.back().sequence(), corrected);
  EXPECT_TRUE(OpenCaseOf(c.student_id()).has_value());
}

TEST_F(CaseEngineTest, CorrectionKeepsACaseThatAnotherRuleStillHolds) {
  v1::Student w = Enrol(xz_token_, NewChild("林小明"));
  v1::Student r = Enrol(xz_token_, NewChild("陈小红"));
  for (absl::CivilDay d : {CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10)}) {
    Report(xz_token_, d, {{w}, {r}});
  }
  std::optional<v1::Case> cw = OpenCaseOf(w.student_id());
  std::optional<v1::Case> cr = OpenCaseOf(r.student_id());
  ASSERT_TRUE(cw.has_value());
  ASSERT_TRUE(cr.has_value());
  // One child is then reported withdrawn (R5), the other found out of
  // school by the township (R7): both cases hold those triggers too.
  AdvanceTo(2026, 9, 11, 10);
  v1::EnrolmentChange change;
  change.set_student_id(w.student_id());
  *change.mutable_effective_date() = D(2026, 9, 11);
  change.mutable_withdraw()->set_reason("不愿上学");
  Change(xz_token_, change);
  v1::Student by_id;
  by_id.set_id_number(r.id_number());
  ASSERT_TRUE(ReportOutOfSchool(xz_town_, by_id).ok());
  ASSERT_EQ(OpenCaseOf(w.student_id())->evidence_size(), 2);
  ASSERT_EQ(OpenCaseOf(r.student_id())->evidence_size(), 2);
  // A correction undoes R1; R5 and R7 still hold, so neither case is
  // withdrawn (the withdrawn child would otherwise drop out of view).
  Report(xz_token_, CD(2026, 9, 9),
         {{w, v1::ABSENCE_CATEGORY_SICK_LEAVE}, {r, v1::ABSENCE_CATEGORY_SICK_LEAVE}});
  std::optional<v1::Case> still_w = OpenCaseOf(w.student_id());
  std::optional<v1::Case> still_r = OpenCaseOf(r.student_id());
  ASSERT_TRUE(still_w.has_value());
  ASSERT_TRUE(still_r.has_value());
  EXPECT_EQ(still_w->state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(still_r->state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(still_w->case_id(), cw->case_id());
  EXPECT_EQ(still_r->case_id(), cr->case_id());
}

// ---------------------------------------------------------------- 未上报

TEST_F(CaseEngineTest, MissingReportsRaiseAnAlertAndAReportResolvesIt) {
  auto zero_elsewhere = [&](absl::CivilDay d) {
    Report(lx_token_, d, {});
    Report(sb_token_, d, {});
  };
  zero_elsewhere(CD(2026, 9, 7));
  Tick(CountyTime(2026, 9, 7, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  zero_elsewhere(CD(2026, 9, 8));
  Tick(CountyTime(2026, 9, 8, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  EXPECT_FALSE(Alert(kXunzhongPrimary).has_value()) << "two days are not three";
  zero_elsewhere(CD(2026, 9, 9));
  Tick(CountyTime(2026, 9, 9, 17, 59));
  EXPECT_FALSE(Alert(kXunzhongPrimary).has_value()) << "before the cutoff";
  Tick(CountyTime(2026, 9, 9, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  std::optional<v1::ReportingAlert> alert = Alert(kXunzhongPrimary);
  ASSERT_TRUE(alert.has_value());
  EXPECT_FALSE(alert->resolved());
  EXPECT_EQ(alert->missing_days(), 3);
  EXPECT_EQ(Day(alert->first_missing_date()), CD(2026, 9, 7));
  EXPECT_EQ(T(alert->raise_time()), CountyTime(2026, 9, 9, 18));
  EXPECT_FALSE(Alert(kLongxunMiddle).has_value());
  EXPECT_FALSE(Alert(kSanbanSchool).has_value());

  // A report after the cutoff does not un-miss its day.
  AdvanceTo(2026, 9, 10, 9);
  v1::SubmitAttendanceReportResponse late;
  BX_ASSERT_OK(TryReport(xz_token_, CD(2026, 9, 9), {}, &late));
  Tick(CountyTime(2026, 9, 10, 10));
  ASSERT_TRUE(Alert(kXunzhongPrimary).has_value());
  EXPECT_FALSE(Alert(kXunzhongPrimary)->resolved());
  // The day's own report before the cutoff resolves it at the next check.
  Report(xz_token_, CD(2026, 9, 10), {});
  zero_elsewhere(CD(2026, 9, 10));
  Tick(CountyTime(2026, 9, 10, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  alert = Alert(kXunzhongPrimary);
  ASSERT_TRUE(alert.has_value());
  EXPECT_TRUE(alert->resolved());
  EXPECT_EQ(Day(alert->first_missing_date()), CD(2026, 9, 7));
  // One missing day later does not raise it again.
  Tick(CountyTime(2026, 9, 11, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  EXPECT_TRUE(Alert(kXunzhongPrimary)->resolved());
}

TEST_F(CaseEngineTest, MissingReportsSkipNonSchoolDays) {
  // Fri 9-11, (weekend), Mon 9-14: three missing school days over four
  // calendar days; the weekend neither counts nor breaks the run.
  Tick(CountyTime(2026, 9, 11, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  Tick(CountyTime(2026, 9, 13, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  EXPECT_FALSE(Alert(kXunzhongPrimary).has_value());
  Tick(CountyTime(2026, 9, 14, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  EXPECT_FALSE(Alert(kXunzhongPrimary).has_value());
  Tick(CountyTime(2026, 9, 15, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  std::optional<v1::ReportingAlert> alert = Alert(kXunzhongPrimary);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->missing_days(), 3);
  EXPECT_EQ(Day(alert->first_missing_date()), CD(2026, 9, 11));
}

TEST_F(CaseEngineTest, ASchoolIsNotBlamedForTheDayBeforeItWasFirstChecked) {
  // The county's schools are checked from Tuesday on.
  Tick(CountyTime(2026, 9, 8, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  // A school set up on Wednesday morning, first checked before the cutoff.
  AdvanceTo(2026, 9, 9, 9);
  EnsureSchool("yangmei-school", kYangmei);
  Tick(CountyTime(2026, 9, 9, 10));
  Tick(CountyTime(2026, 9, 9, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  Tick(CountyTime(2026, 9, 10, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  EXPECT_FALSE(Alert("yangmei-school").has_value())
      << "it has missed Wednesday and Thursday only";
  Tick(CountyTime(2026, 9, 11, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  std::optional<v1::ReportingAlert> alert = Alert("yangmei-school");
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(Day(alert->first_missing_date()), CD(2026, 9, 9));
}

// ---------------------------------------------------------------- deadlines

TEST_F(CaseEngineTest, FirstContactIsDueAfterOneSchoolDayOrTheSameDayIfUrgent) {
  v1::Student l = Enrol(xz_token_, NewChild("林小明"));
  v1::Student m = Enrol(xz_token_, NewChild("陈小红"));
  v1::Student u = Enrol(xz_token_, NewChild("郑小军"));
  // All three open Fri 9-11 16:00.
  std::vector<v1::Case> cases = OpenR1CasesFor(
      {{l}, {m}, {u, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN}});
  v1::Case late = cases[0], met = cases[1];
  std::optional<v1::Case> urgent = cases[2];
  EXPECT_EQ(urgent->priority(), v1::CASE_PRIORITY_URGENT);

  // URGENT: the same day.
  ExpectFiresAt(urgent->case_id(), v1::DEADLINE_KIND_FIRST_CONTACT,
                EndOfCountyDay(CD(2026, 9, 11)));
  v1::Case u_after = CaseById(urgent->case_id());
  EXPECT_EQ(u_after.escalation_level(), v1::ESCALATION_LEVEL_TOWNSHIP);

  // A phone call on Monday meets one case's deadline.
  AdvanceTo(2026, 9, 14, 9);
  ASSERT_TRUE(Act(xz_school_, met.case_id(), v1::ACTION_KIND_PHONE_CALL).ok());
  // Otherwise: the end of the next school day, Monday (the weekend is not).
  ExpectFiresAt(late.case_id(), v1::DEADLINE_KIND_FIRST_CONTACT,
                EndOfCountyDay(CD(2026, 9, 14)));
  v1::Case c = CaseById(late.case_id());
  EXPECT_TRUE(c.overdue());
  EXPECT_EQ(c.escalation_level(), v1::ESCALATION_LEVEL_TOWNSHIP);
  ASSERT_EQ(c.escalations_size(), 1);
  EXPECT_EQ(c.escalations(0).level(), v1::ESCALATION_LEVEL_TOWNSHIP);
  EXPECT_EQ(c.escalations(0).cause(), v1::DEADLINE_KIND_FIRST_CONTACT);
  EXPECT_EQ(T(c.escalations(0).escalate_time()), EndOfCountyDay(CD(2026, 9, 14)));
  std::vector<v1::CaseHistoryEntry> history = History(late.case_id());
  ASSERT_GE(history.size(), 3u);
  EXPECT_EQ(history[history.size() - 2].kind(), v1::CASE_HISTORY_KIND_DEADLINE_MISSED);
  EXPECT_EQ(history[history.size() - 2].deadline(), v1::DEADLINE_KIND_FIRST_CONTACT);
  EXPECT_EQ(history.back().kind(), v1::CASE_HISTORY_KIND_ESCALATED);
  EXPECT_EQ(history.back().level(), v1::ESCALATION_LEVEL_TOWNSHIP);
  EXPECT_EQ(T(history.back().time()), EndOfCountyDay(CD(2026, 9, 14)));

  v1::Case mc = CaseById(met.case_id());
  EXPECT_EQ(LastDeadline(mc, v1::DEADLINE_KIND_FIRST_CONTACT)->status(),
            v1::DEADLINE_STATUS_MET);
  EXPECT_EQ(T(mc.first_contact_time()), CountyTime(2026, 9, 14, 9));
  EXPECT_FALSE(mc.overdue());
  EXPECT_EQ(mc.escalation_level(), v1::ESCALATION_LEVEL_SCHOOL);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterOverdue), 2u);
  EXPECT_EQ(Counter(LedgerScope::kSchool, kXunzhongPrimary, kCounterOverdue), 2u);
}

TEST_F(CaseEngineTest, VerificationIsDueInSevenDaysThenTheBureauIsBroughtIn) {
  std::vector<v1::Case> cases =
      OpenR1CasesFor({{Enrol(xz_token_, NewChild("林小明"))},
                      {Enrol(xz_token_, NewChild("陈小红"))}});
  v1::Case late = cases[0], verified = cases[1];
  AdvanceTo(2026, 9, 14, 9);
  ASSERT_TRUE(Act(xz_school_, late.case_id(), v1::ACTION_KIND_HOME_VISIT).ok());
  ASSERT_TRUE(Verify(xz_town_, verified.case_id(),
                     v1::VERIFICATION_OUTCOME_EXCUSED_ABSENCE)
                  .ok());
  absl::Time due = CountyTime(2026, 9, 11, 16) + absl::Hours(24 * 7);
  ExpectFiresAt(late.case_id(), v1::DEADLINE_KIND_VERIFICATION, due);
  v1::Case c = CaseById(late.case_id());
  EXPECT_EQ(c.state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(c.escalation_level(), v1::ESCALATION_LEVEL_BUREAU);
  ASSERT_EQ(c.escalations_size(), 1);
  EXPECT_EQ(c.escalations(0).cause(), v1::DEADLINE_KIND_VERIFICATION);
  EXPECT_EQ(T(c.escalations(0).escalate_time()), due);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterEscalatedToBureau), 1u);
  EXPECT_EQ(Counter(LedgerScope::kTownship, kXunzhong, kCounterEscalatedToBureau), 1u);
  EXPECT_EQ(CaseById(verified.case_id()).escalations_size(), 0);
  // The escalation never disappears, even once the case is verified.
  AdvanceTo(2026, 9, 19, 9);
  ASSERT_TRUE(Verify(xz_town_, late.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                     v1::DROPOUT_REASON_WORKING)
                  .ok());
  c = CaseById(late.case_id());
  EXPECT_EQ(c.escalation_level(), v1::ESCALATION_LEVEL_BUREAU);
  EXPECT_EQ(c.escalations_size(), 1);
  EXPECT_FALSE(c.overdue()) << "verified late: the miss is made good";
}

TEST_F(CaseEngineTest, PersuasionNeedsAnActionEveryWeekAndAReturnInThirtyDays) {
  v1::Case c = OpenR1Case();
  AdvanceTo(2026, 9, 14, 10);
  ASSERT_TRUE(Verify(xz_town_, c.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                     v1::DROPOUT_REASON_FINANCIAL_HARDSHIP)
                  .ok());
  AdvanceTo(2026, 9, 14, 11);
  ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_HOME_VISIT).ok());
  v1::Case p = CaseById(c.case_id());
  EXPECT_EQ(p.state(), v1::CASE_STATE_PERSUADING);
  absl::Time start = CountyTime(2026, 9, 14, 11);
  EXPECT_EQ(T(p.persuasion_start_time()), start);

  ExpectFiresAt(c.case_id(), v1::DEADLINE_KIND_PERSUASION_ACTION,
                start + absl::Hours(24 * 7));
  p = CaseById(c.case_id());
  EXPECT_TRUE(p.overdue());
  EXPECT_EQ(p.escalation_level(), v1::ESCALATION_LEVEL_SCHOOL);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterOverdue), 1u);

  // An action made late makes the miss good and sets the next week's.
  AdvanceTo(2026, 9, 22, 9);
  ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_PHONE_CALL).ok());
  p = CaseById(c.case_id());
  EXPECT_FALSE(p.overdue());
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterOverdue), 0u);
  EXPECT_EQ(T(LastDeadline(p, v1::DEADLINE_KIND_PERSUASION_ACTION)->due_time()),
            CountyTime(2026, 9, 29, 9));
  // Weekly actions keep it in time until the 30 days run out.
  for (absl::CivilDay d : {CD(2026, 9, 28), CD(2026, 10, 5), CD(2026, 10, 12)}) {
    Tick(CountyTime(static_cast<int>(d.year()), d.month(), d.day(), 8));
    AdvanceTo(static_cast<int>(d.year()), d.month(), d.day(), 9);
    ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_VILLAGE_CADRE_VISIT).ok());
  }
  EXPECT_FALSE(CaseById(c.case_id()).overdue());
  ExpectFiresAt(c.case_id(), v1::DEADLINE_KIND_PERSUASION_RETURN,
                start + absl::Hours(24 * 30));
  p = CaseById(c.case_id());
  EXPECT_EQ(p.state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(p.escalation_level(), v1::ESCALATION_LEVEL_BUREAU);
  ASSERT_EQ(p.escalations_size(), 1);
  EXPECT_EQ(p.escalations(0).cause(), v1::DEADLINE_KIND_PERSUASION_RETURN);
  EXPECT_EQ(p.action_count(), 5);
}

TEST_F(CaseEngineTest, AMissedNoticeDeadlineSuggestsTheNextStepOfTheLadder) {
  v1::Case c = OpenR1Case();
  AdvanceTo(2026, 9, 14, 10);
  ASSERT_TRUE(Verify(xz_town_, c.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                     v1::DROPOUT_REASON_WORKING)
                  .ok());
  ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_RETURN_NOTICE, std::nullopt,
                  D(2026, 9, 18))
                  .ok());
  EXPECT_EQ(CaseById(c.case_id()).suggested_action(), v1::ACTION_KIND_UNSPECIFIED);
  ExpectFiresAt(c.case_id(), v1::DEADLINE_KIND_NOTICE, EndOfCountyDay(CD(2026, 9, 18)));
  v1::Case p = CaseById(c.case_id());
  EXPECT_EQ(p.suggested_action(), v1::ACTION_KIND_CORRECTION_ORDER);
  EXPECT_EQ(p.escalation_level(), v1::ESCALATION_LEVEL_SCHOOL);

  AdvanceTo(2026, 9, 19, 10);
  ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_CORRECTION_ORDER,
                  std::nullopt, D(2026, 9, 20))
                  .ok());
  EXPECT_EQ(CaseById(c.case_id()).suggested_action(), v1::ACTION_KIND_UNSPECIFIED);
  ExpectFiresAt(c.case_id(), v1::DEADLINE_KIND_NOTICE, EndOfCountyDay(CD(2026, 9, 20)));
  EXPECT_EQ(CaseById(c.case_id()).suggested_action(),
            v1::ACTION_KIND_ADMINISTRATIVE_PENALTY);
}

// Opens an R1 case, confirms it, persuades and records the return on
// Mon 9-21; returns the case id.
class ReturnedCaseTest : public CaseEngineTest {
 protected:
  // Also opens a second case (bystander_) that stays SUSPECTED.
  std::string ReturnedCase() {
    std::vector<v1::Case> cases =
        OpenR1CasesFor({{Enrol(xz_token_, NewChild("林小明"))},
                        {Enrol(xz_token_, NewChild("陈小红"))}});
    v1::Case c = cases[0];
    bystander_ = cases[1];
    AdvanceTo(2026, 9, 14, 10);
    EXPECT_TRUE(Verify(xz_town_, c.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_LEARNING_DIFFICULTY)
                    .ok());
    EXPECT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_HOME_VISIT).ok());
    AdvanceTo(2026, 9, 21, 10);
    EXPECT_TRUE(ConfirmReturn(xz_school_, c.case_id(), D(2026, 9, 21)).ok());
    return c.case_id();
  }
  v1::Case bystander_;
};

TEST_F(ReturnedCaseTest, ObservationThenClosureApprovalAndCountersFollow) {
  std::string id = ReturnedCase();
  auto state_counts = [&](v1::CaseState s) {
    return std::vector<uint64_t>{StateCount(LedgerScope::kCounty, "", s),
                                 StateCount(LedgerScope::kTownship, kXunzhong, s),
                                 StateCount(LedgerScope::kSchool, kXunzhongPrimary, s)};
  };
  using V = std::vector<uint64_t>;
  EXPECT_EQ(state_counts(v1::CASE_STATE_SUSPECTED), V({1, 1, 1}));
  EXPECT_EQ(state_counts(v1::CASE_STATE_CONFIRMED), V({0, 0, 0}));
  EXPECT_EQ(state_counts(v1::CASE_STATE_PERSUADING), V({0, 0, 0}));
  EXPECT_EQ(state_counts(v1::CASE_STATE_RETURNED), V({1, 1, 1}));
  EXPECT_EQ(StateCount(LedgerScope::kTownship, kLongxun, v1::CASE_STATE_RETURNED), 0u);
  v1::Case r = CaseById(id);
  EXPECT_EQ(r.state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(Day(r.return_date()), CD(2026, 9, 21));
  for (v1::DeadlineKind k : {v1::DEADLINE_KIND_PERSUASION_ACTION,
                             v1::DEADLINE_KIND_PERSUASION_RETURN}) {
    EXPECT_EQ(LastDeadline(r, k)->status(), v1::DEADLINE_STATUS_MET);
  }
  // 20 school days after Mon 9-21 (中秋, 国庆 off; Sat 10-10 on) is 10-26.
  absl::CivilDay last = NthSchoolDayAfter(CD(2026, 9, 21), 20);
  EXPECT_EQ(last, CD(2026, 10, 26));
  ExpectFiresAt(id, v1::DEADLINE_KIND_OBSERVATION, EndOfCountyDay(last),
                v1::DEADLINE_STATUS_MET);
  v1::Case pending = CaseById(id);
  EXPECT_EQ(pending.state(), v1::CASE_STATE_CLOSURE_PENDING);
  EXPECT_EQ(state_counts(v1::CASE_STATE_RETURNED), V({0, 0, 0}));
  EXPECT_EQ(state_counts(v1::CASE_STATE_CLOSURE_PENDING), V({1, 1, 1}));

  absl::Time approval_due = EndOfCountyDay(last) + absl::Hours(24 * 7);
  ExpectFiresAt(id, v1::DEADLINE_KIND_CLOSURE_APPROVAL, approval_due);
  pending = CaseById(id);
  EXPECT_EQ(pending.state(), v1::CASE_STATE_CLOSURE_PENDING);
  EXPECT_TRUE(pending.overdue());
  // The bystander missed its own deadlines meanwhile.
  ASSERT_TRUE(CaseById(bystander_.case_id()).overdue());
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterOverdue), 2u);

  AdvanceTo(2026, 11, 3, 9);
  ASSERT_TRUE(DecideClosure(bureau_staff_, id, true, "同意销号").ok());
  v1::Case closed = CaseById(id);
  EXPECT_EQ(closed.state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(T(closed.close_time()), CountyTime(2026, 11, 3, 9));
  EXPECT_FALSE(closed.overdue());
  EXPECT_FALSE(OpenCaseOf(closed.student_id()).has_value());
  EXPECT_EQ(state_counts(v1::CASE_STATE_CLOSURE_PENDING), V({0, 0, 0}));
  EXPECT_EQ(state_counts(v1::CASE_STATE_CLOSED), V({1, 1, 1}));
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterOverdue), 1u);
  // The other case never moved.
  EXPECT_EQ(state_counts(v1::CASE_STATE_SUSPECTED), V({1, 1, 1}));
}

TEST_F(ReturnedCaseTest, AutomaticClosureWhenTheSettingSaysSo) {
  v1::RuleSettings settings;
  settings.set_closure_rule(v1::CLOSURE_RULE_AUTOMATIC);
  UpdateSettings(settings);
  std::string id = ReturnedCase();
  ExpectFiresAt(id, v1::DEADLINE_KIND_OBSERVATION,
                EndOfCountyDay(NthSchoolDayAfter(CD(2026, 9, 21), 20)),
                v1::DEADLINE_STATUS_MET);
  v1::Case closed = CaseById(id);
  EXPECT_EQ(closed.state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(LastDeadline(closed, v1::DEADLINE_KIND_CLOSURE_APPROVAL), nullptr);
  EXPECT_FALSE(OpenCaseOf(closed.student_id()).has_value());
  std::vector<v1::CaseHistoryEntry> history = History(id);
  EXPECT_EQ(history.back().kind(), v1::CASE_HISTORY_KIND_STATE_CHANGED);
  EXPECT_EQ(history.back().from_state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(history.back().to_state(), v1::CASE_STATE_CLOSED);
  EXPECT_EQ(history.back().note_code(), "observation-passed");
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_CLOSED), 1u);
}

TEST_F(CaseEngineTest, CountersAreKeptPerTownshipAndSchool) {
  v1::Student child = NewChild("黄小龙", CD(2013, 4, 4));
  child.set_household_township_code(kLongxun);
  child.set_household_village_code(kLongxunVillage);
  v1::Student lx = Enrol(lx_token_, child, 7);
  for (absl::CivilDay d : {CD(2026, 9, 8), CD(2026, 9, 9), CD(2026, 9, 10)}) {
    Report(lx_token_, d, {{lx}});
  }
  v1::Case xz = OpenR1Case();
  ASSERT_TRUE(OpenCaseOf(lx.student_id()).has_value());
  auto suspected = [&](LedgerScope scope, const std::string& id) {
    return StateCount(scope, id, v1::CASE_STATE_SUSPECTED);
  };
  EXPECT_EQ(suspected(LedgerScope::kCounty, ""), 2u);
  EXPECT_EQ(suspected(LedgerScope::kTownship, kLongxun), 1u);
  EXPECT_EQ(suspected(LedgerScope::kTownship, kXunzhong), 1u);
  EXPECT_EQ(suspected(LedgerScope::kSchool, kLongxunMiddle), 1u);
  EXPECT_EQ(suspected(LedgerScope::kSchool, kXunzhongPrimary), 1u);
  EXPECT_EQ(suspected(LedgerScope::kSchool, kSanbanSchool), 0u);
  AdvanceTo(2026, 9, 14, 9);
  ASSERT_TRUE(Verify(lx_town_, OpenCaseOf(lx.student_id())->case_id(),
                     v1::VERIFICATION_OUTCOME_ATTENDING_IN_COUNTY)
                  .ok());
  EXPECT_EQ(suspected(LedgerScope::kCounty, ""), 1u);
  EXPECT_EQ(suspected(LedgerScope::kTownship, kLongxun), 0u);
  EXPECT_EQ(suspected(LedgerScope::kSchool, kLongxunMiddle), 0u);
  EXPECT_EQ(StateCount(LedgerScope::kSchool, kLongxunMiddle, v1::CASE_STATE_DISMISSED), 1u);
  EXPECT_EQ(suspected(LedgerScope::kTownship, kXunzhong), 1u);
  (void)xz;
}


// ---------------------------------------------------------------- the child changes

TEST_F(CaseEngineTest, ACorrectionTo去向不明MakesAnOpenCaseUrgent) {
  v1::Case c = OpenR1Case();
  ASSERT_EQ(c.priority(), v1::CASE_PRIORITY_NORMAL);
  std::optional<v1::Student> s = StudentById(c.student_id());
  ASSERT_TRUE(s.has_value());
  // The school corrects Thursday: the child was not at home either.
  AdvanceTo(2026, 9, 14, 9);
  v1::SubmitAttendanceReportResponse corrected;
  BX_ASSERT_OK(TryReport(xz_token_, CD(2026, 9, 10),
                         {{*s, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN}},
                         &corrected));
  v1::Case urgent = CaseById(c.case_id());
  EXPECT_EQ(urgent.priority(), v1::CASE_PRIORITY_URGENT);
  ASSERT_EQ(urgent.evidence_size(), 2);
  EXPECT_TRUE(urgent.evidence(1).whereabouts_unknown());
  EXPECT_EQ(urgent.evidence(1).sequence(), corrected.sequence());
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterUrgent), 1u);
  // The same correction again is known evidence: nothing more.
  BX_ASSERT_OK(TryReport(xz_token_, CD(2026, 9, 10),
                         {{*s, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN}},
                         &corrected));
  EXPECT_EQ(CaseById(c.case_id()).evidence_size(), 2);
}

TEST_F(CaseEngineTest, AnOpenCaseFollowsTheChildsRecordAndItsPriorityGroups) {
  v1::Case c = OpenR1Case("林小明");
  ASSERT_EQ(c.priority(), v1::CASE_PRIORITY_NORMAL);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterHigh), 0u);
  std::optional<v1::Student> s = StudentById(c.student_id());
  ASSERT_TRUE(s.has_value());
  // A home visit finds a 低保 household; the school records it.
  v1::UpdateStudentRequest request;
  *request.mutable_student() = *s;
  request.mutable_student()->set_name("林晓明");
  request.mutable_student()->add_priority_groups(
      v1::PRIORITY_GROUP_MINIMUM_LIVING_ALLOWANCE);
  request.set_request_id("update-1");
  v1::UpdateStudentResponse response;
  BX_ASSERT_OK(Call(school_.get(), &v1::SchoolService::Stub::UpdateStudent,
                    xz_token_, request, &response));
  v1::Case now = CaseById(c.case_id());
  EXPECT_EQ(now.student_name(), "林晓明");
  EXPECT_EQ(now.priority(), v1::CASE_PRIORITY_HIGH);
  ASSERT_EQ(now.priority_groups_size(), 1);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterHigh), 1u);
  EXPECT_EQ(Counter(LedgerScope::kTownship, kXunzhong, kCounterHigh), 1u);
  // An urgent case of a priority-group child is counted among them too.
  v1::Student left_behind = NewChild("陈小红");
  left_behind.add_priority_groups(v1::PRIORITY_GROUP_LEFT_BEHIND);
  v1::Student u = Enrol(xz_token_, left_behind);
  for (absl::CivilDay d : {CD(2026, 9, 14), CD(2026, 9, 15), CD(2026, 9, 16)}) {
    Report(xz_token_, d, {{u, v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN}});
  }
  ASSERT_EQ(OpenCaseOf(u.student_id())->priority(), v1::CASE_PRIORITY_URGENT);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterHigh), 2u);
  EXPECT_EQ(Counter(LedgerScope::kCounty, "", kCounterUrgent), 1u);
}

TEST_F(CaseEngineTest, R4SweepsTheRostersAtTheFirstSchoolDayOfEachYear) {
  v1::Student enrolled = Enrol(xz_token_, NewChild("林小明"));
  AdvanceTo(2026, 10, 16, 10);
  v1::RosterUpdated roster;
  roster.set_village_code(kXunzhongVillage1);
  // Five in 2026–27, six on 31 August 2027.
  *roster.add_entries() = Entry("明年入学", CD(2021, 3, 1), 111);
  v1::RosterEntry on_roll;
  on_roll.set_id_number(enrolled.id_number());
  on_roll.set_name(enrolled.name());
  on_roll.set_village_code(kXunzhongVillage1);
  *roster.add_entries() = on_roll;
  ASSERT_TRUE(UpdateRoster(xz_town_, roster).ok());
  EXPECT_TRUE(AllCases().empty());
  EXPECT_FALSE(StudentByIdNumber(roster.entries(0).id_number()).has_value());

  v1::SchoolYearCalendar next;
  next.set_school_year(2027);
  v1::Term* autumn = next.add_terms();
  autumn->set_name("秋季学期");
  *autumn->mutable_start_date() = ToD(CD(2027, 9, 1));
  *autumn->mutable_end_date() = ToD(CD(2028, 1, 21));
  BX_ASSERT_OK(SetCalendar(next));
  // The summer holiday is no school day: no sweep yet.
  Tick(CountyTime(2027, 8, 31, 8));
  EXPECT_TRUE(AllCases().empty());
  uint64_t first_day = Tick(CountyTime(2027, 9, 1, 8));
  std::optional<v1::Student> six = StudentByIdNumber(roster.entries(0).id_number());
  ASSERT_TRUE(six.has_value());
  std::optional<v1::Case> c = OpenCaseOf(six->student_id());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind(), v1::CASE_KIND_NOT_ENROLLED);
  EXPECT_EQ(c->evidence(0).sequence(), first_day);
  EXPECT_EQ(c->evidence(0).count(), 6);
  EXPECT_FALSE(OpenCaseOf(enrolled.student_id()).has_value());
  // Once a year: later ticks of the same school year sweep nothing more.
  Tick(CountyTime(2027, 9, 2, 8));
  EXPECT_EQ(AllCases().size(), 1u);
  EXPECT_EQ(OpenCaseOf(six->student_id())->evidence_size(), 1);
}


// The bureau's audit trail by case (reports_test covers the rest): a tick
// that misses a deadline and escalates leaves two history entries for one
// event; pages of one entry must list that event once.
TEST_F(CaseEngineTest, AuditTrailByCaseNeverRepeatsAnEventAcrossPages) {
  v1::Case c = OpenR1Case();
  const v1::Deadline* first_contact =
      LastDeadline(c, v1::DEADLINE_KIND_FIRST_CONTACT);
  ASSERT_NE(first_contact, nullptr);
  uint64_t tick = Tick(T(first_contact->due_time()));
  std::vector<v1::CaseHistoryEntry> history = History(c.case_id());
  int of_tick = 0;
  for (const auto& e : history) of_tick += e.sequence() == tick;
  ASSERT_EQ(of_tick, 2) << "missed and escalated, in one event";

  auto page = [&](int size, const std::string& token,
                  v1::ListAuditTrailResponse* response) {
    v1::ListAuditTrailRequest request;
    request.set_case_id(c.case_id());
    request.set_page_size(size);
    request.set_page_token(token);
    request.set_min_sequence(tick);
    return Call(bureau_.get(), &v1::BureauService::Stub::ListAuditTrail,
                admin_token_, request, response);
  };
  v1::ListAuditTrailResponse whole;
  BX_ASSERT_OK(page(100, "", &whole));
  std::vector<uint64_t> expected;
  for (const auto& e : whole.entries()) expected.push_back(e.sequence());
  ASSERT_EQ(std::count(expected.begin(), expected.end(), tick), 1);

  std::vector<uint64_t> paged;
  std::string token;
  do {
    v1::ListAuditTrailResponse response;
    BX_ASSERT_OK(page(1, token, &response));
    ASSERT_LE(response.entries_size(), 1);
    for (const auto& e : response.entries()) paged.push_back(e.sequence());
    token = response.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(paged, expected);
}

}  // namespace
}  // namespace baoxue::services::testing_server
