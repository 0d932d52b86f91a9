// The life of a case (DOMAIN §4): every legal transition, a table of
// illegal ones (each refused with the right code, a message naming the
// case's state in Chinese and, on request, in English, and nothing written
// to the log), relapse, and rejection of a closure.
//
// Transitions have no RPCs yet: they are driven through the sequencer with
// the case_commands.h Prepare* functions, as the RPCs will.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "storage/localized_status.h"
#include "tests/services/case_fixture.h"

namespace baoxue::services::testing_server {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

absl::CivilDay CD(int y, int m, int d) { return absl::CivilDay(y, m, d); }

absl::Time T(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

class CaseTransitionsTest : public CaseFixture {
 protected:
  // The last state change in a case's history.
  v1::CaseHistoryEntry LastStateChange(const std::string& case_id) {
    v1::CaseHistoryEntry found;
    for (const auto& e : History(case_id)) {
      if (e.kind() == v1::CASE_HISTORY_KIND_STATE_CHANGED) found = e;
    }
    return found;
  }

  void ExpectMoved(const std::string& case_id, v1::CaseState from,
                   v1::CaseState to, const std::string& account = "") {
    v1::Case c = CaseById(case_id);
    EXPECT_EQ(c.state(), to) << case_id;
    v1::CaseHistoryEntry e = LastStateChange(case_id);
    EXPECT_EQ(e.from_state(), from) << case_id;
    EXPECT_EQ(e.to_state(), to) << case_id;
    if (!account.empty()) {
      EXPECT_EQ(e.account_id(), account) << case_id;
    }
  }
};

TEST_F(CaseTransitionsTest, EveryDismissingOutcomeClosesASuspectedCase) {
  const std::vector<v1::VerificationOutcome> outcomes = {
      v1::VERIFICATION_OUTCOME_ATTENDING_IN_COUNTY,
      v1::VERIFICATION_OUTCOME_ATTENDING_IN_PROVINCE,
      v1::VERIFICATION_OUTCOME_ATTENDING_OUTSIDE_PROVINCE,
      v1::VERIFICATION_OUTCOME_ABROAD,
      v1::VERIFICATION_OUTCOME_DECEASED,
      v1::VERIFICATION_OUTCOME_HOUSEHOLD_MOVED_OUT,
      v1::VERIFICATION_OUTCOME_OVER_AGE,
      v1::VERIFICATION_OUTCOME_WRONG_REGISTRATION,
      v1::VERIFICATION_OUTCOME_LAWFUL_STATUS,
      v1::VERIFICATION_OUTCOME_EXCUSED_ABSENCE,
  };
  std::vector<Absent> rows;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    rows.push_back({Enrol(xz_token_, NewChild("林小明"))});
  }
  std::vector<v1::Case> cases = OpenR1CasesFor(rows);
  AdvanceTo(2026, 9, 14, 9);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const Caller& who = i % 2 == 0 ? xz_town_ : bureau_staff_;
    absl::StatusOr<uint64_t> seq = Verify(who, cases[i].case_id(), outcomes[i],
                                          v1::DROPOUT_REASON_UNSPECIFIED,
                                          D(2026, 9, 14), "入户核查");
    ASSERT_TRUE(seq.ok()) << v1::VerificationOutcome_Name(outcomes[i]) << seq.status();
    ExpectMoved(cases[i].case_id(), v1::CASE_STATE_SUSPECTED,
                v1::CASE_STATE_DISMISSED, who.account.account_id());
    v1::Case c = CaseById(cases[i].case_id());
    EXPECT_EQ(c.verification_outcome(), outcomes[i]);
    EXPECT_EQ(T(c.close_time()), CountyTime(2026, 9, 14, 9));
    EXPECT_FALSE(OpenCaseOf(c.student_id()).has_value());
    for (const v1::Deadline& d : c.deadlines()) {
      EXPECT_NE(d.status(), v1::DEADLINE_STATUS_OPEN);
    }
    std::vector<v1::CaseHistoryEntry> history = History(c.case_id());
    EXPECT_EQ(history.back().kind(), v1::CASE_HISTORY_KIND_NOTE);
    EXPECT_EQ(history.back().text(), "入户核查");
  }
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_DISMISSED),
            outcomes.size());
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_SUSPECTED), 0u);
}

TEST_F(CaseTransitionsTest, TheLegalPathsThroughACase) {
  v1::Student sa = Enrol(xz_token_, NewChild("甲"));
  v1::Student sb = Enrol(xz_token_, NewChild("乙"));
  v1::Student sc = Enrol(xz_token_, NewChild("丙"));
  v1::Student sd = Enrol(xz_token_, NewChild("丁"));
  std::vector<v1::Case> cases = OpenR1CasesFor({{sa}, {sb}, {sc}, {sd}});
  const std::string a = cases[0].case_id(), b = cases[1].case_id(),
                    c = cases[2].case_id(), d = cases[3].case_id();

  // SUSPECTED takes a call or a visit and stays SUSPECTED.
  AdvanceTo(2026, 9, 14, 9);
  ASSERT_TRUE(Act(xz_school_, a, v1::ACTION_KIND_PHONE_CALL).ok());
  EXPECT_EQ(CaseById(a).state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(CaseById(a).action_count(), 1);
  EXPECT_EQ(CaseById(a).last_action(), v1::ACTION_KIND_PHONE_CALL);

  // SUSPECTED → CONFIRMED, with the reason.
  for (const std::string& id : {a, b, c, d}) {
    ASSERT_TRUE(Verify(xz_town_, id, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_WORKING)
                    .ok());
    ExpectMoved(id, v1::CASE_STATE_SUSPECTED, v1::CASE_STATE_CONFIRMED, kXzOfficial);
    EXPECT_EQ(CaseById(id).dropout_reason(), v1::DROPOUT_REASON_WORKING);
  }
  // CONFIRMED → PERSUADING with the first action; more actions stay.
  AdvanceTo(2026, 9, 15, 9);
  ASSERT_TRUE(Act(xz_town_, a, v1::ACTION_KIND_HOME_VISIT).ok());
  ExpectMoved(a, v1::CASE_STATE_CONFIRMED, v1::CASE_STATE_PERSUADING);
  ASSERT_TRUE(Act(xz_town_, b, v1::ACTION_KIND_JOINT_TEAM_VISIT).ok());
  AdvanceTo(2026, 9, 16, 9);
  ASSERT_TRUE(Act(xz_town_, a, v1::ACTION_KIND_AID_ARRANGED).ok());
  EXPECT_EQ(CaseById(a).state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(CaseById(a).action_count(), 3);
  EXPECT_EQ(CaseById(a).last_action(), v1::ACTION_KIND_AID_ARRANGED);

  // CONFIRMED → ARRANGED and PERSUADING → ARRANGED (closed).
  ASSERT_TRUE(Arrange(xz_town_, c, "经县教育局批准送教上门").ok());
  ExpectMoved(c, v1::CASE_STATE_CONFIRMED, v1::CASE_STATE_ARRANGED);
  ASSERT_TRUE(Arrange(bureau_staff_, b, "办理休学").ok());
  ExpectMoved(b, v1::CASE_STATE_PERSUADING, v1::CASE_STATE_ARRANGED, kBureauStaff);
  EXPECT_FALSE(OpenCaseOf(sc.student_id()).has_value());
  EXPECT_TRUE(CaseById(c).has_close_time());

  // CONFIRMED → RETURNED and PERSUADING → RETURNED, by the school.
  AdvanceTo(2026, 9, 21, 10);
  ASSERT_TRUE(ConfirmReturn(xz_school_, d, D(2026, 9, 21)).ok());
  ExpectMoved(d, v1::CASE_STATE_CONFIRMED, v1::CASE_STATE_RETURNED, kXzClerk);
  ASSERT_TRUE(ConfirmReturn(xz_school_, a, D(2026, 9, 18)).ok());
  ExpectMoved(a, v1::CASE_STATE_PERSUADING, v1::CASE_STATE_RETURNED);
  EXPECT_EQ(Day(CaseById(a).return_date()), CD(2026, 9, 18));

  // The people answerable, named by the township and the bureau.
  v1::ResponsiblePeople people;
  people.set_township_official("陈镇长");
  people.set_class_teacher("王老师");
  people.set_village_cadre("李村主任");
  ASSERT_TRUE(AssignResponsible(xz_town_, d, people).ok());
  people.set_bureau_lead("张股长");
  ASSERT_TRUE(AssignResponsible(bureau_staff_, d, people).ok());
  EXPECT_EQ(CaseById(d).responsible().bureau_lead(), "张股长");
  EXPECT_EQ(History(d).back().kind(), v1::CASE_HISTORY_KIND_RESPONSIBLE);

  // RETURNED → CLOSURE_PENDING when observation passes (a from 9-18, d
  // from 9-21), then the bureau rejects one and approves the other.
  absl::Time a_due = EndOfCountyDay(NthSchoolDayAfter(CD(2026, 9, 18), 20));
  absl::Time d_due = EndOfCountyDay(NthSchoolDayAfter(CD(2026, 9, 21), 20));
  Tick(d_due);
  ExpectMoved(a, v1::CASE_STATE_RETURNED, v1::CASE_STATE_CLOSURE_PENDING);
  ExpectMoved(d, v1::CASE_STATE_RETURNED, v1::CASE_STATE_CLOSURE_PENDING);
  EXPECT_LT(a_due, d_due);

  AdvanceTo(2026, 10, 28, 9);
  ASSERT_TRUE(DecideClosure(bureau_staff_, d, true).ok());
  ExpectMoved(d, v1::CASE_STATE_CLOSURE_PENDING, v1::CASE_STATE_CLOSED, kBureauStaff);
  ASSERT_TRUE(DecideClosure(bureau_staff_, a, false, "家访发现仍未稳定到校").ok());
  ExpectMoved(a, v1::CASE_STATE_CLOSURE_PENDING, v1::CASE_STATE_PERSUADING);
  v1::Case rejected = CaseById(a);
  EXPECT_EQ(T(rejected.persuasion_start_time()), CountyTime(2026, 10, 28, 9));
  const v1::Deadline* action = LastDeadline(rejected, v1::DEADLINE_KIND_PERSUASION_ACTION);
  ASSERT_NE(action, nullptr);
  EXPECT_EQ(action->status(), v1::DEADLINE_STATUS_OPEN);
  EXPECT_EQ(T(action->due_time()), CountyTime(2026, 11, 4, 9));
  EXPECT_EQ(LastDeadline(rejected, v1::DEADLINE_KIND_CLOSURE_APPROVAL)->status(),
            v1::DEADLINE_STATUS_MET);
  EXPECT_EQ(History(a).back().note_code(), "closure-rejected");
  EXPECT_EQ(History(a).back().text(), "家访发现仍未稳定到校");
  EXPECT_TRUE(OpenCaseOf(sa.student_id()).has_value());
  EXPECT_FALSE(OpenCaseOf(sd.student_id()).has_value());
}

TEST_F(CaseTransitionsTest, ARelapseAfterReturnGoesBackToPersuading) {
  v1::Student s = Enrol(xz_token_, NewChild("林小明"));
  v1::Case c = OpenR1CasesFor({{s}})[0];
  AdvanceTo(2026, 9, 14, 9);
  ASSERT_TRUE(Verify(xz_town_, c.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                     v1::DROPOUT_REASON_LEARNING_DIFFICULTY)
                  .ok());
  ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_HOME_VISIT).ok());
  AdvanceTo(2026, 9, 21, 9);
  ASSERT_TRUE(ConfirmReturn(xz_school_, c.case_id(), D(2026, 9, 21)).ok());
  // Two days away after the return are no trigger.
  Report(xz_token_, CD(2026, 9, 22), {{s}});
  Report(xz_token_, CD(2026, 9, 23), {{s}});
  EXPECT_EQ(CaseById(c.case_id()).state(), v1::CASE_STATE_RETURNED);
  // The third is: back to PERSUADING, counted.
  uint64_t third = Report(xz_token_, CD(2026, 9, 24), {{s}});
  v1::Case relapsed = CaseById(c.case_id());
  EXPECT_EQ(relapsed.state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(relapsed.relapse_count(), 1);
  EXPECT_EQ(LastDeadline(relapsed, v1::DEADLINE_KIND_OBSERVATION)->status(),
            v1::DEADLINE_STATUS_CANCELLED);
  EXPECT_EQ(LastDeadline(relapsed, v1::DEADLINE_KIND_PERSUASION_ACTION)->status(),
            v1::DEADLINE_STATUS_OPEN);
  EXPECT_EQ(T(relapsed.persuasion_start_time()), CountyTime(2026, 9, 24, 16));
  EXPECT_EQ(relapsed.evidence(relapsed.evidence_size() - 1).sequence(), third);
  v1::CaseHistoryEntry change = LastStateChange(c.case_id());
  EXPECT_EQ(change.from_state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(change.to_state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(change.note_code(), "relapse");
  EXPECT_EQ(change.sequence(), third);
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_RETURNED), 0u);
  EXPECT_EQ(StateCount(LedgerScope::kCounty, "", v1::CASE_STATE_PERSUADING), 1u);
  // The observation timer of the first return fires into nothing.
  Tick(EndOfCountyDay(NthSchoolDayAfter(CD(2026, 9, 21), 20)));
  EXPECT_EQ(CaseById(c.case_id()).state(), v1::CASE_STATE_PERSUADING);

  // A second return and a second relapse count again.
  AdvanceTo(2026, 10, 26, 9);
  ASSERT_TRUE(ConfirmReturn(xz_school_, c.case_id(), D(2026, 10, 26)).ok());
  Report(xz_token_, CD(2026, 10, 27), {{s}});
  Report(xz_token_, CD(2026, 10, 28), {{s}});
  Report(xz_token_, CD(2026, 10, 29), {{s}});
  EXPECT_EQ(CaseById(c.case_id()).state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(CaseById(c.case_id()).relapse_count(), 2);
  EXPECT_EQ(AllCases().size(), 1u);
}

TEST_F(CaseTransitionsTest, R2RelapseCountsOnlyTheAbsencesAfterTheReturn) {
  v1::Student s = Enrol(xz_token_, NewChild("林小明"));
  v1::Case c = OpenR1CasesFor({{s}})[0];  // three days before the return
  AdvanceTo(2026, 9, 14, 9);
  ASSERT_TRUE(Verify(xz_town_, c.case_id(), v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                     v1::DROPOUT_REASON_LEARNING_DIFFICULTY)
                  .ok());
  ASSERT_TRUE(Act(xz_town_, c.case_id(), v1::ACTION_KIND_HOME_VISIT).ok());
  AdvanceTo(2026, 9, 21, 9);
  ASSERT_TRUE(ConfirmReturn(xz_school_, c.case_id(), D(2026, 9, 21)).ok());
  // Every other school day away: never an R1 run, but the term's count
  // passes R2's ten after seven of them. Nine after the return are no
  // relapse: the days before it already opened this case.
  std::vector<absl::CivilDay> away;
  bool skip = false;
  for (absl::CivilDay d = CD(2026, 9, 22); away.size() < 10; ++d) {
    if (!IsSchoolDay2026(d)) continue;
    if (!skip) away.push_back(d);
    skip = !skip;
  }
  for (int i = 0; i < 9; ++i) Report(xz_token_, away[i], {{s}});
  v1::Case returned = CaseById(c.case_id());
  EXPECT_EQ(returned.state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(returned.relapse_count(), 0);
  bool has_r2 = false;
  for (const v1::RuleEvidence& e : returned.evidence()) {
    has_r2 = has_r2 || e.rule() == v1::CASE_KIND_CUMULATIVE_ABSENCE;
  }
  EXPECT_TRUE(has_r2) << "R2 is met and recorded as evidence";
  // The tenth after the return is a new R2 trigger of its own.
  uint64_t tenth = Report(xz_token_, away[9], {{s}});
  v1::Case relapsed = CaseById(c.case_id());
  EXPECT_EQ(relapsed.state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(relapsed.relapse_count(), 1);
  EXPECT_EQ(LastStateChange(c.case_id()).note_code(), "relapse");
  EXPECT_EQ(LastStateChange(c.case_id()).sequence(), tenth);
}

// ---------------------------------------------------------------- illegal

struct Illegal {
  std::string name;
  std::function<absl::StatusOr<uint64_t>()> run;
  absl::StatusCode code;
  std::string zh;  // expected in the Chinese message
  std::string en;  // expected in the English message
};

TEST_F(CaseTransitionsTest, IllegalTransitionsAreRefusedAndWriteNothing) {
  // Cases in each state, all of 浔中镇 / 浔中中心小学 except `other`.
  std::vector<v1::Student> kids;
  for (const char* name : {"疑似", "确认", "劝返", "复学", "待销号", "销号", "排除"}) {
    kids.push_back(Enrol(xz_token_, NewChild(name)));
  }
  v1::Student lx_child = NewChild("龙浔", CD(2013, 4, 4));
  lx_child.set_household_township_code(kLongxun);
  lx_child.set_household_village_code(kLongxunVillage);
  v1::Student lx = Enrol(lx_token_, lx_child, 7);
  for (absl::CivilDay d : {CD(2026, 9, 9), CD(2026, 9, 10), CD(2026, 9, 11)}) {
    Report(lx_token_, d, {{lx}});
  }
  std::vector<Absent> rows;
  for (const auto& k : kids) rows.push_back({k});
  std::vector<v1::Case> cases = OpenR1CasesFor(rows);
  const std::string S = cases[0].case_id(), C = cases[1].case_id(),
                    P = cases[2].case_id(), R = cases[3].case_id(),
                    CP = cases[4].case_id(), X = cases[5].case_id(),
                    DI = cases[6].case_id();
  const std::string other = OpenCaseOf(lx.student_id())->case_id();

  AdvanceTo(2026, 9, 14, 9);
  for (const std::string& id : {C, P, R, CP, X}) {
    ASSERT_TRUE(Verify(xz_town_, id, v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL,
                       v1::DROPOUT_REASON_OTHER)
                    .ok());
  }
  ASSERT_TRUE(Verify(xz_town_, DI, v1::VERIFICATION_OUTCOME_ABROAD).ok());
  for (const std::string& id : {P, R, CP, X}) {
    ASSERT_TRUE(Act(xz_town_, id, v1::ACTION_KIND_HOME_VISIT).ok());
  }
  AdvanceTo(2026, 9, 21, 9);
  ASSERT_TRUE(ConfirmReturn(xz_school_, CP, D(2026, 9, 21)).ok());
  ASSERT_TRUE(ConfirmReturn(xz_school_, X, D(2026, 9, 21)).ok());
  Tick(EndOfCountyDay(NthSchoolDayAfter(CD(2026, 9, 21), 20)));
  AdvanceTo(2026, 10, 27, 9);
  ASSERT_TRUE(DecideClosure(bureau_staff_, X, true).ok());
  ASSERT_TRUE(ConfirmReturn(xz_school_, R, D(2026, 10, 27)).ok());
  ASSERT_EQ(CaseById(S).state(), v1::CASE_STATE_SUSPECTED);
  ASSERT_EQ(CaseById(C).state(), v1::CASE_STATE_CONFIRMED);
  ASSERT_EQ(CaseById(P).state(), v1::CASE_STATE_PERSUADING);
  ASSERT_EQ(CaseById(R).state(), v1::CASE_STATE_RETURNED);
  ASSERT_EQ(CaseById(CP).state(), v1::CASE_STATE_CLOSURE_PENDING);
  ASSERT_EQ(CaseById(X).state(), v1::CASE_STATE_CLOSED);
  ASSERT_EQ(CaseById(DI).state(), v1::CASE_STATE_DISMISSED);
  const v1::Date today = D(2026, 10, 27);
  const v1::Date tomorrow = D(2026, 10, 28);
  const v1::Date before_open = D(2026, 9, 10);  // the cases opened on 9-11
  v1::ResponsiblePeople lead;
  lead.set_bureau_lead("张股长");
  v1::Student stranger;
  stranger.set_id_number(IdNumber(kCountyCode, CD(2014, 2, 2), 31));
  stranger.set_name("外乡儿童");
  stranger.set_household_township_code(kLongxun);
  stranger.set_household_village_code(kLongxunVillage);
  v1::RosterUpdated lx_roster;
  lx_roster.set_village_code(kLongxunVillage);
  v1::RosterEntry entry;
  entry.set_id_number(IdNumber(kCountyCode, CD(2019, 5, 5), 41));
  entry.set_name("龙浔儿童");
  *lx_roster.add_entries() = entry;

  using Code = absl::StatusCode;
  const Code kFP = Code::kFailedPrecondition, kPD = Code::kPermissionDenied,
             kIA = Code::kInvalidArgument;
  auto verify = [&](const Caller& who, const std::string& id,
                    v1::VerificationOutcome o,
                    v1::DropoutReason r = v1::DROPOUT_REASON_UNSPECIFIED,
                    v1::Date date = D(2026, 10, 27)) {
    return [=, this] { return Verify(who, id, o, r, date); };
  };
  auto act = [&](const Caller& who, const std::string& id, v1::ActionKind k,
                 v1::Date date = D(2026, 10, 27),
                 std::optional<v1::Date> deadline = std::nullopt) {
    return [=, this] { return Act(who, id, k, date, deadline); };
  };
  const auto out = v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL;
  const auto why = v1::DROPOUT_REASON_WORKING;
  std::vector<Illegal> table = {
      {"verify a confirmed case", verify(xz_town_, C, out, why), kFP,
       "当前状态为“确认辍学”", "is confirmed"},
      {"verify a persuading case", verify(xz_town_, P, out, why), kFP,
       "当前状态为“劝返中”", "is persuading"},
      {"verify a dismissed case", verify(xz_town_, DI, out, why), kFP,
       "当前状态为“排除”", "is dismissed"},
      {"verify a closed case", verify(bureau_staff_, X, out, why), kFP,
       "当前状态为“已销号”", "is closed"},
      {"act on a closed case", act(xz_town_, X, v1::ACTION_KIND_PHONE_CALL), kFP,
       "当前状态为“已销号”", "is closed"},
      {"act on a dismissed case", act(xz_town_, DI, v1::ACTION_KIND_HOME_VISIT), kFP,
       "当前状态为“排除”", "is dismissed"},
      {"act on a returned case", act(xz_town_, R, v1::ACTION_KIND_HOME_VISIT), kFP,
       "当前状态为“已复学”", "is returned"},
      {"a notice on a suspected case",
       act(xz_town_, S, v1::ACTION_KIND_RETURN_NOTICE, today, tomorrow), kFP,
       "当前状态为“疑似”", "is suspected"},
      {"arrange a suspected case", [&] { return Arrange(xz_town_, S); }, kFP,
       "当前状态为“疑似”", "is suspected"},
      {"arrange a closed case", [&] { return Arrange(xz_town_, X); }, kFP,
       "当前状态为“已销号”", "is closed"},
      {"arrange a returned case", [&] { return Arrange(xz_town_, R); }, kFP,
       "当前状态为“已复学”", "is returned"},
      {"confirm return by a school where the child is not enrolled",
       [&] { return ConfirmReturn(sb_school_, P, today); }, kPD, "在读的学校",
       "only the school where the child is enrolled"},
      {"confirm return by the township",
       [&] { return ConfirmReturn(xz_town_, P, today); }, kPD, "在读的学校",
       "only the school where the child is enrolled"},
      {"confirm return of a suspected case",
       [&] { return ConfirmReturn(xz_school_, S, today); }, kFP,
       "当前状态为“疑似”", "is suspected"},
      {"confirm return of a returned case",
       [&] { return ConfirmReturn(xz_school_, R, today); }, kFP,
       "当前状态为“已复学”", "is returned"},
      {"confirm return of a closure-pending case",
       [&] { return ConfirmReturn(xz_school_, CP, today); }, kFP,
       "当前状态为“待销号”", "is closure pending"},
      {"decide closure on a returned case",
       [&] { return DecideClosure(bureau_staff_, R, true); }, kFP, "当前状态为“已复学”",
       "is returned"},
      {"decide closure on a persuading case",
       [&] { return DecideClosure(bureau_staff_, P, true); }, kFP, "当前状态为“劝返中”",
       "is persuading"},
      {"decide closure on a closed case",
       [&] { return DecideClosure(bureau_staff_, X, true); }, kFP, "当前状态为“已销号”",
       "is closed"},
      {"reject a closure without a reason",
       [&] { return DecideClosure(bureau_staff_, CP, false, ""); }, kIA, "退回原因",
       "reason"},
      {"decide closure as a township",
       [&] { return DecideClosure(xz_town_, CP, true); }, kPD, "教育局",
       "only the bureau decides closures"},
      {"decide closure as a school",
       [&] { return DecideClosure(xz_school_, CP, true); }, kPD, "教育局",
       "only the bureau"},
      {"confirm without a dropout reason", verify(xz_town_, S, out), kIA,
       "辍学原因", "dropout_reason"},
      {"dismiss with a dropout reason",
       verify(xz_town_, S, v1::VERIFICATION_OUTCOME_ABROAD, why), kIA, "辍学原因",
       "dropout_reason"},
      {"choose no outcome",
       verify(xz_town_, S, v1::VERIFICATION_OUTCOME_UNSPECIFIED), kIA, "核查结果",
       "outcome"},
      {"choose the system's own outcome",
       verify(xz_town_, S, v1::VERIFICATION_OUTCOME_NO_LONGER_MET), kIA, "核查结果",
       "outcome"},
      {"verify with a future date", verify(xz_town_, S, out, why, tomorrow), kIA,
       "核查日期", "verify_date"},
      {"verify with a date before the case opened",
       verify(xz_town_, S, out, why, before_open), kIA, "立案日期",
       "before the case opened"},
      {"act with a future date",
       act(xz_town_, P, v1::ACTION_KIND_HOME_VISIT, tomorrow), kIA, "措施日期",
       "action.action_date"},
      {"act with a date before the case opened",
       act(xz_town_, P, v1::ACTION_KIND_HOME_VISIT, before_open), kIA, "立案日期",
       "before the case opened"},
      {"return dated in the future",
       [&] { return ConfirmReturn(xz_school_, P, tomorrow); }, kIA, "复学日期",
       "return_date"},
      {"return dated before the case opened",
       [&] { return ConfirmReturn(xz_school_, P, before_open); }, kIA, "立案日期",
       "before the case opened"},
      {"a notice without a deadline",
       act(xz_town_, P, v1::ACTION_KIND_RETURN_NOTICE), kIA, "通知书期限",
       "notice_deadline"},
      {"a notice whose deadline is not after it",
       act(xz_town_, P, v1::ACTION_KIND_CORRECTION_ORDER, today, today), kIA,
       "通知书期限", "must be after the action date"},
      {"a deadline on a phone call",
       act(xz_town_, P, v1::ACTION_KIND_PHONE_CALL, today, tomorrow), kIA,
       "通知书期限", "notice_deadline"},
      {"an action of no kind", act(xz_town_, P, v1::ACTION_KIND_UNSPECIFIED), kIA,
       "劝返措施", "action.kind"},
      {"a township verifying another township's case",
       verify(lx_town_, S, out, why), kPD, "350526100", "township 350526100"},
      {"a township acting on another township's case",
       act(xz_town_, other, v1::ACTION_KIND_HOME_VISIT), kPD, "350526101",
       "township 350526101"},
      {"a township arranging another township's case",
       [&] { return Arrange(lx_town_, P); }, kPD, "350526100", "township 350526100"},
      {"a school acting on another school's case",
       act(sb_school_, S, v1::ACTION_KIND_PHONE_CALL), kPD, "xunzhong-primary",
       "school xunzhong-primary"},
      {"an unknown case", verify(xz_town_, "350526-2026-09999", out, why),
       Code::kNotFound, "350526-2026-09999", "does not exist"},
      {"name people on a closed case",
       [&] { return AssignResponsible(xz_town_, X, v1::ResponsiblePeople()); }, kFP,
       "当前状态为“已销号”", "is closed"},
      {"a township naming the bureau's lead",
       [&] { return AssignResponsible(xz_town_, S, lead); }, kPD, "包片领导",
       "the bureau names its area lead"},
      {"an arrangement without a note",
       [&] { return Arrange(xz_town_, P, ""); }, kIA, "安置情况", "note"},
      {"a township registering a child of another township",
       [&] { return ReportOutOfSchool(xz_town_, stranger); }, kIA, "户籍乡镇",
       "household_township_code"},
      {"a township keeping another township's roster",
       [&] { return UpdateRoster(xz_town_, lx_roster); }, kPD, "350526101",
       "township 350526101"},
  };
  for (const Illegal& row : table) {
    SCOPED_TRACE(row.name);
    uint64_t before = LastSequence();
    absl::StatusOr<uint64_t> result = row.run();
    ASSERT_FALSE(result.ok()) << "accepted as sequence " << *result;
    EXPECT_EQ(result.status().code(), row.code) << result.status();
    EXPECT_THAT(MessageIn(result.status(), Lang::kZh), HasSubstr(row.zh));
    EXPECT_THAT(MessageIn(result.status(), Lang::kEn), HasSubstr(row.en));
    EXPECT_EQ(LastSequence(), before) << "a refused command wrote to the log";
  }
  // And nothing moved.
  EXPECT_EQ(CaseById(S).state(), v1::CASE_STATE_SUSPECTED);
  EXPECT_EQ(CaseById(C).state(), v1::CASE_STATE_CONFIRMED);
  EXPECT_EQ(CaseById(P).state(), v1::CASE_STATE_PERSUADING);
  EXPECT_EQ(CaseById(R).state(), v1::CASE_STATE_RETURNED);
  EXPECT_EQ(CaseById(CP).state(), v1::CASE_STATE_CLOSURE_PENDING);
  EXPECT_EQ(CaseById(X).state(), v1::CASE_STATE_CLOSED);
}

}  // namespace
}  // namespace baoxue::services::testing_server
