// Projections are a pure function of the log (DESIGN §1.2): a long
// randomized term — enrolments, absences, corrections, transfers, lawful
// statuses, withdrawals, rosters, township reports, settings, clock ticks,
// verifications, actions, returns, relapses and closures — then a rebuild
// that must reproduce the projection family byte for byte. Also checks that
// the worker's copy of the model equals the sequencer's write model key for
// key, and that the ledger counters and indexes agree with a recount of
// the cases.
//
// The scenario is random with a fixed seed, so a failure reproduces.
#include <algorithm>
#include <iostream>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "services/case_commands.h"
#include "services/case_engine.h"
#include "services/ledger_projector.h"
#include "services/write_model.h"
#include "storage/keys.h"
#include "tests/services/case_fixture.h"

namespace baoxue::services::testing_server {
namespace {

using Dump = std::map<std::string, std::string>;

constexpr uint32_t kSeed = 20260901;

Dump DumpFamily(storage::Database* db, rocksdb::ColumnFamilyHandle* family,
                const std::string& prefix = "") {
  Dump dump;
  std::unique_ptr<rocksdb::Iterator> it(
      db->db()->NewIterator(rocksdb::ReadOptions(), family));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    dump.emplace(it->key().ToString().substr(prefix.size()), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return dump;
}

// Describes the first differences between two dumps.
std::string Differences(const Dump& a, const Dump& b, const char* a_name,
                        const char* b_name) {
  std::string out;
  int shown = 0;
  for (const auto& [key, value] : a) {
    auto it = b.find(key);
    if (it == b.end()) {
      absl::StrAppend(&out, "only in ", a_name, ": ", absl::CHexEscape(key), "\n");
    } else if (it->second != value) {
      absl::StrAppend(&out, "differs: ", absl::CHexEscape(key), "\n");
    } else {
      continue;
    }
    if (++shown == 10) return out;
  }
  for (const auto& [key, value] : b) {
    if (a.count(key) == 0) {
      absl::StrAppend(&out, "only in ", b_name, ": ", absl::CHexEscape(key), "\n");
      if (++shown == 10) return out;
    }
  }
  return out;
}

struct School {
  std::string id;
  std::string township;
  std::string token;
  Caller caller;
  int lo = 1, hi = 9;
};

struct Kid {
  v1::Student s;
  bool truant = false;
  // Away (unexcused, or whereabouts unknown) from `away_from` through
  // `away_until`.
  absl::CivilDay away_from = absl::CivilDay(2000, 1, 1);
  absl::CivilDay away_until = absl::CivilDay(2000, 1, 1);
};

enum class Todo { kTransferIn, kProof, kResume, kReEnrol };

struct Scheduled {
  absl::CivilDay day;
  Todo what;
  std::string student_id;
  std::string school_id;  // where the change is made
};

class RebuildTest : public CaseFixture {
 protected:
  std::mt19937 rng_{kSeed};
  bool P(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int U(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(U(0, static_cast<int>(v.size()) - 1))];
  }

  std::map<std::string, School> county_schools_;
  std::map<std::string, Caller> town_callers_;
  std::vector<std::string> kid_ids_;
  std::map<std::string, Kid> kids_;
  std::vector<Scheduled> todo_;
  std::map<std::pair<std::string, absl::CivilDay>, std::vector<Absent>> reports_;
  int serial_ = 100;
  int accepted_commands_ = 0;
  int refused_commands_ = 0;

  void AddSchools() {
    EnsureSchool("yangmei-school", kYangmei);
    EnsureSchool("longxun-primary", kLongxun);
    std::string ym = MakeAccount("ym-clerk", v1::ROLE_SCHOOL, "yangmei-school");
    std::string lp = MakeAccount("lp-clerk", v1::ROLE_SCHOOL, "longxun-primary");
    MakeAccount("sb-official", v1::ROLE_TOWNSHIP, "", kSanban);
    MakeAccount("ym-official", v1::ROLE_TOWNSHIP, "", kYangmei);
    auto school = [](const std::string& id, const std::string& township,
                     const std::string& token, const std::string& account, int lo,
                     int hi) {
      School s{id, township, token, Caller(), lo, hi};
      s.caller.account.set_account_id(account);
      s.caller.account.set_role(v1::ROLE_SCHOOL);
      s.caller.account.set_school_id(id);
      return s;
    };
    county_schools_[kXunzhongPrimary] =
        school(kXunzhongPrimary, kXunzhong, xz_token_, kXzClerk, 1, 6);
    county_schools_[kLongxunMiddle] = school(kLongxunMiddle, kLongxun, lx_token_, kLxClerk, 7, 9);
    county_schools_[kSanbanSchool] = school(kSanbanSchool, kSanban, sb_token_, kSbClerk, 1, 9);
    county_schools_["yangmei-school"] = school("yangmei-school", kYangmei, ym, "ym-clerk", 1, 9);
    county_schools_["longxun-primary"] =
        school("longxun-primary", kLongxun, lp, "lp-clerk", 1, 9);
    town_callers_[kXunzhong] = xz_town_;
    town_callers_[kLongxun] = lx_town_;
    for (const auto& [code, id] : {std::pair<std::string, std::string>{kSanban, "sb-official"},
                                   {kYangmei, "ym-official"}}) {
      Caller c;
      c.account.set_account_id(id);
      c.account.set_role(v1::ROLE_TOWNSHIP);
      c.account.set_township_code(code);
      town_callers_[code] = c;
    }
  }

  std::string VillageOf(const std::string& township) {
    if (township == kXunzhong) return P(0.5) ? kXunzhongVillage1 : kXunzhongVillage2;
    if (township == kLongxun) return kLongxunVillage;
    if (township == kSanban) return kSanbanVillage;
    return kYangmeiVillage;
  }

  void RegisterKids(int n) {
    std::vector<std::string> ids;
    for (const auto& [id, s] : county_schools_) ids.push_back(id);
    for (int i = 0; i < n; ++i) {
      const School& school = county_schools_[Pick(ids)];
      int grade = U(school.lo, school.hi);
      absl::CivilDay birth(2026 - 6 - grade, U(1, 12), U(1, 28));
      v1::Student child = Child(absl::StrCat("学生", i), birth, ++serial_);
      child.set_household_township_code(school.township);
      child.set_household_village_code(VillageOf(school.township));
      if (P(0.2)) child.add_priority_groups(v1::PRIORITY_GROUP_POOR_HOUSEHOLD);
      if (P(0.1)) child.add_priority_groups(v1::PRIORITY_GROUP_LEFT_BEHIND);
      v1::Student s = RegisterOk(school.token, child, grade, "1班", D(2026, 9, 1));
      if (s.student_id().empty()) continue;
      Kid kid;
      kid.s = s;
      kid.truant = P(0.15);
      kids_[s.student_id()] = kid;
      kid_ids_.push_back(s.student_id());
    }
  }

  // An enrolment change through the RPC; keeps the local copy.
  bool ChangeKid(Kid& kid, const std::string& school_id, v1::EnrolmentChange change) {
    change.set_student_id(kid.s.student_id());
    *change.mutable_effective_date() = ToD(Today());
    v1::ChangeEnrolmentResponse response;
    grpc::Status status =
        ChangeEnrolment(county_schools_[school_id].token, change, &response);
    if (!status.ok()) {
      ADD_FAILURE() << change.ShortDebugString() << ": " << Describe(status);
      return false;
    }
    kid.s = response.student();
    return true;
  }

  bool AttendingAt(const Kid& kid, const std::string& school, absl::CivilDay day) {
    const v1::Enrolment& e = kid.s.enrolment();
    return e.status() == v1::ENROLMENT_STATUS_ENROLLED && e.school_id() == school &&
           Day(e.effective_date()) <= day && !kid.s.student_number().empty();
  }

  void RandomEnrolmentChange(absl::CivilDay today) {
    Kid& kid = kids_[Pick(kid_ids_)];
    const v1::Enrolment& e = kid.s.enrolment();
    if (e.status() != v1::ENROLMENT_STATUS_ENROLLED) return;
    const std::string from = e.school_id();
    int r = U(0, 99);
    v1::EnrolmentChange change;
    if (r < 30) {
      std::vector<std::string> to;
      for (const auto& [id, s] : county_schools_) {
        if (id != from && e.grade() >= s.lo && e.grade() <= s.hi) to.push_back(id);
      }
      if (to.empty()) return;
      std::string dest = Pick(to);
      change.mutable_transfer_out()->set_to_school_id(dest);
      if (!ChangeKid(kid, from, change)) return;
      if (P(0.75)) {
        todo_.push_back({today + U(1, 40), Todo::kTransferIn, kid.s.student_id(), dest});
      }
    } else if (r < 42) {
      change.mutable_transfer_out()->set_to_description("泉州市实验学校（县外）");
      bool proof = P(0.4);
      change.mutable_transfer_out()->set_proof_received(proof);
      if (!ChangeKid(kid, from, change)) return;
      if (!proof && P(0.5)) {
        todo_.push_back({today + U(1, 40), Todo::kProof, kid.s.student_id(), from});
      }
    } else if (r < 65) {
      absl::CivilDay end = today + U(10, 40);
      *change.mutable_suspend()->mutable_end_date() = ToD(end);
      change.mutable_suspend()->set_certificate_reference("医院证明");
      if (!ChangeKid(kid, from, change)) return;
      if (P(0.6)) {
        todo_.push_back({end + U(-5, 15), Todo::kResume, kid.s.student_id(), from});
      }
    } else if (r < 75) {
      change.mutable_withdraw()->set_reason("随父母外出务工");
      if (!ChangeKid(kid, from, change)) return;
      if (P(0.6)) {
        todo_.push_back({today + U(3, 30), Todo::kReEnrol, kid.s.student_id(), from});
      }
    }
  }

  void RunScheduled(absl::CivilDay today) {
    std::vector<Scheduled> later;
    for (const Scheduled& t : todo_) {
      if (t.day > today) {
        later.push_back(t);
        continue;
      }
      Kid& kid = kids_[t.student_id];
      const v1::Enrolment& e = kid.s.enrolment();
      v1::EnrolmentChange change;
      switch (t.what) {
        case Todo::kTransferIn:
          if (e.status() != v1::ENROLMENT_STATUS_TRANSFER_PENDING ||
              e.transfer_to_school_id() != t.school_id) {
            break;
          }
          change.mutable_transfer_in()->set_grade(e.grade());
          change.mutable_transfer_in()->set_class_name("2班");
          ChangeKid(kid, t.school_id, change);
          break;
        case Todo::kProof:
          if (e.status() != v1::ENROLMENT_STATUS_TRANSFERRED_OUT) break;
          change.mutable_transfer_out()->set_to_description("泉州市实验学校（县外）");
          change.mutable_transfer_out()->set_proof_received(true);
          ChangeKid(kid, t.school_id, change);
          break;
        case Todo::kResume:
          if (e.status() != v1::ENROLMENT_STATUS_SUSPENDED) break;
          change.mutable_resume()->set_grade(e.grade());
          change.mutable_resume()->set_class_name("1班");
          ChangeKid(kid, t.school_id, change);
          break;
        case Todo::kReEnrol:
          if (e.status() != v1::ENROLMENT_STATUS_WITHDRAWN) break;
          change.mutable_enrol()->set_grade(e.grade());
          change.mutable_enrol()->set_class_name("1班");
          ChangeKid(kid, t.school_id, change);
          break;
      }
    }
    todo_ = std::move(later);
  }

  void Reports(absl::CivilDay today) {
    for (auto& [school_id, school] : county_schools_) {
      if (P(0.07)) continue;  // 未上报 today
      std::vector<Absent> rows;
      for (const std::string& id : kid_ids_) {
        Kid& kid = kids_[id];
        if (!AttendingAt(kid, school_id, today)) continue;
        if (kid.away_from <= today && today <= kid.away_until) {
          rows.push_back({kid.s, P(0.15) ? v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN
                                         : v1::ABSENCE_CATEGORY_UNEXCUSED});
        } else if (P(kid.truant ? 0.15 : 0.02)) {
          static const v1::AbsenceCategory kCategories[] = {
              v1::ABSENCE_CATEGORY_SICK_LEAVE, v1::ABSENCE_CATEGORY_PERSONAL_LEAVE,
              v1::ABSENCE_CATEGORY_UNEXCUSED, v1::ABSENCE_CATEGORY_UNEXCUSED};
          rows.push_back({kid.s, kCategories[U(0, 3)], P(0.2)});
        }
      }
      Report(school.token, today, rows);
      reports_[{school_id, today}] = rows;
    }
  }

  void Correction(absl::CivilDay today) {
    std::vector<std::pair<std::string, absl::CivilDay>> recent;
    for (const auto& [key, rows] : reports_) {
      if (today - key.second <= 7 && !rows.empty()) recent.push_back(key);
    }
    if (recent.empty()) return;
    auto key = Pick(recent);
    std::vector<Absent> rows = reports_[key];
    size_t i = static_cast<size_t>(U(0, static_cast<int>(rows.size()) - 1));
    if (P(0.5)) {
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      rows[i].category = rows[i].category == v1::ABSENCE_CATEGORY_SICK_LEAVE
                             ? v1::ABSENCE_CATEGORY_UNEXCUSED
                             : v1::ABSENCE_CATEGORY_SICK_LEAVE;
    }
    Report(county_schools_[key.first].token, key.second, rows);
    reports_[key] = rows;
  }

  void Roster(absl::CivilDay today) {
    const std::string township = P(0.5) ? kXunzhong : kSanban;
    v1::RosterUpdated roster;
    roster.set_village_code(township == kXunzhong ? kXunzhongVillage1 : kSanbanVillage);
    for (int i = 0; i < 3; ++i) {
      v1::RosterEntry* e = roster.add_entries();
      absl::CivilDay birth(U(2008, 2021), U(1, 12), U(1, 28));
      e->set_id_number(IdNumber(kCountyCode, birth, ++serial_ % 1000));
      e->set_name(absl::StrCat("花名册", serial_));
      e->set_guardian_name("监护人");
    }
    // And a child the county knows, who is (or was) enrolled.
    const Kid& known = kids_[Pick(kid_ids_)];
    if (known.s.household_village_code() == roster.village_code()) {
      v1::RosterEntry* e = roster.add_entries();
      e->set_id_number(known.s.id_number());
      e->set_name(known.s.name());
    }
    Count(UpdateRoster(town_callers_[township], roster));
    (void)today;
  }

  void TownshipReport(absl::CivilDay today) {
    v1::Student child;
    if (P(0.5)) {
      child.set_id_number(kids_[Pick(kid_ids_)].s.id_number());
      // Known children may be of any township; the county's bureau reports.
      Count(ReportOutOfSchool(bureau_staff_, child, ToD(today)));
      return;
    }
    child.set_id_number(IdNumber(kCountyCode, absl::CivilDay(U(2012, 2019), 3, 3),
                                 ++serial_ % 1000));
    child.set_name(absl::StrCat("摸排", serial_));
    child.set_household_township_code(kXunzhong);
    child.set_household_village_code(kXunzhongVillage2);
    Count(ReportOutOfSchool(xz_town_, child, ToD(today)));
  }

  void Count(const absl::StatusOr<uint64_t>& result) {
    if (result.ok()) {
      ++accepted_commands_;
    } else {
      ++refused_commands_;
    }
  }

  // The day's case work: each open case may move, as a person would move it.
  void CaseWork(absl::CivilDay today) {
    std::vector<std::pair<Caller, PrepareFn>> commands;
    auto add = [&](const Caller& who, PrepareFn fn) { commands.emplace_back(who, fn); };
    const v1::Date date = ToD(today);
    auto mirror = OpenMirror(server_->database());
    for (const v1::Case& c : AllCases()) {
      if (!IsOpenState(c.state())) continue;
      const Caller& town = town_callers_[c.household_township_code()];
      const std::string id = c.case_id();
      auto action = [&](v1::ActionKind kind) {
        v1::CaseAction a;
        a.set_kind(kind);
        *a.mutable_action_date() = date;
        a.set_actors("包保干部");
        if (kind == v1::ACTION_KIND_RETURN_NOTICE ||
            kind == v1::ACTION_KIND_CORRECTION_ORDER) {
          *a.mutable_notice_deadline() = ToD(today + U(2, 10));
        }
        add(town, [town, id, a](const storage::ModelTxn& m, v1::Event* e) {
          return PrepareRecordAction(m, town, id, a, e);
        });
      };
      switch (c.state()) {
        case v1::CASE_STATE_SUSPECTED:
          if (P(0.3)) {
            v1::CaseVerified v;
            v.set_case_id(id);
            *v.mutable_verify_date() = date;
            if (P(0.75)) {
              v.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
              v.set_dropout_reason(static_cast<v1::DropoutReason>(U(1, 13)));
            } else {
              v.set_outcome(static_cast<v1::VerificationOutcome>(U(1, 10)));
            }
            add(town, [town, v](const storage::ModelTxn& m, v1::Event* e) {
              return PrepareVerifyCase(m, town, v, e);
            });
          } else if (P(0.2)) {
            action(v1::ACTION_KIND_PHONE_CALL);
          }
          break;
        case v1::CASE_STATE_CONFIRMED:
        case v1::CASE_STATE_PERSUADING: {
          auto student = FindStudent(*mirror, c.student_id());
          const v1::Enrolment e = student.ok() && student->has_value()
                                      ? (*student)->enrolment()
                                      : v1::Enrolment();
          int r = U(0, 99);
          if (r < 30) {
            action(static_cast<v1::ActionKind>(U(1, 12)));
          } else if (r < 42 && e.status() == v1::ENROLMENT_STATUS_ENROLLED &&
                     county_schools_.count(e.school_id()) > 0) {
            const Caller school = county_schools_[e.school_id()].caller;
            add(school, [school, id, date](const storage::ModelTxn& m, v1::Event* ev) {
              return PrepareConfirmReturn(m, school, id, date, ev);
            });
            // Back at school: the child attends again — and some go away
            // again within the observation period (复辍).
            if (kids_.count(c.student_id()) > 0) {
              Kid& kid = kids_[c.student_id()];
              kid.away_until = today - 1;
              if (P(0.4)) {
                kid.away_from = today + U(2, 12);
                kid.away_until = kid.away_from + U(4, 12);
              }
            }
          } else if (r < 45) {
            add(town, [town, id](const storage::ModelTxn& m, v1::Event* ev) {
              return PrepareArrangeCase(m, town, id, "妥善安置", ev);
            });
          } else if (r < 50 && (e.status() == v1::ENROLMENT_STATUS_NOT_ENROLLED ||
                                e.status() == v1::ENROLMENT_STATUS_WITHDRAWN)) {
            // A school takes the child in (R4/R7 children, withdrawals).
            EnrolFound(c.student_id(), student.ok() ? **student : v1::Student());
          }
          break;
        }
        case v1::CASE_STATE_CLOSURE_PENDING:
          if (P(0.4)) {
            bool approve = P(0.8);
            const Caller bureau = bureau_staff_;
            add(bureau, [bureau, id, approve](const storage::ModelTxn& m,
                                              v1::Event* ev) {
              return PrepareDecideClosure(m, bureau, id, approve,
                                          approve ? "" : "仍不稳定", ev);
            });
          }
          break;
        default:
          break;
      }
      if (P(0.03)) {
        v1::ResponsiblePeople people;
        people.set_township_official("包村干部");
        people.set_class_teacher("班主任");
        add(town, [town, id, people](const storage::ModelTxn& m, v1::Event* ev) {
          return PrepareAssignResponsible(m, town, id, people, ev);
        });
      }
    }
    for (const auto& result : SubmitAll(commands)) Count(result);
  }

  void EnrolFound(const std::string& student_id, const v1::Student& s) {
    if (s.student_id().empty()) return;
    auto it = kids_.find(student_id);
    int age = static_cast<int>(2026 - s.birth_date().year());
    int grade = std::clamp(age - 6, 1, 9);
    std::string school = grade <= 6 ? kXunzhongPrimary : kLongxunMiddle;
    if (it != kids_.end() && !it->second.s.enrolment().school_id().empty()) {
      school = it->second.s.enrolment().school_id();
      grade = it->second.s.enrolment().grade();
    }
    v1::EnrolmentChange change;
    change.set_student_id(student_id);
    *change.mutable_effective_date() = ToD(Today());
    change.mutable_enrol()->set_grade(grade);
    change.mutable_enrol()->set_class_name("3班");
    v1::ChangeEnrolmentResponse response;
    grpc::Status status = ChangeEnrolment(county_schools_[school].token, change, &response);
    if (!status.ok()) return;  // e.g. the grade is not taught there
    if (it != kids_.end()) it->second.s = response.student();
  }
};

TEST_F(RebuildTest, ALongRandomTermRebuildsByteForByte) {
  absl::Time started = absl::Now();
  AddSchools();
  RegisterKids(70);
  ASSERT_GE(kid_ids_.size(), 60u);

  const absl::CivilDay first(2026, 9, 1), last(2027, 1, 10);
  for (absl::CivilDay today = first; today <= last; ++today) {
    const int y = static_cast<int>(today.year()), m = today.month(), d = today.day();
    bool school_day = IsSchoolDay2026(today);
    Tick(CountyTime(y, m, d, 0), v1::CLOCK_TICK_KIND_MIDNIGHT);
    if (today == absl::CivilDay(2026, 10, 15)) {
      v1::RuleSettings s;
      s.set_half_day_rule(v1::HALF_DAY_RULE_IGNORED);
      UpdateSettings(s);
    } else if (today == absl::CivilDay(2026, 11, 16)) {
      v1::RuleSettings s;
      s.set_closure_rule(v1::CLOSURE_RULE_AUTOMATIC);
      s.set_half_day_rule(v1::HALF_DAY_RULE_COUNTS);
      UpdateSettings(s);
    } else if (today == absl::CivilDay(2026, 12, 7)) {
      v1::RuleSettings s;
      s.set_closure_rule(v1::CLOSURE_RULE_BUREAU_APPROVAL);
      UpdateSettings(s);
    }
    for (int hour = 8; hour <= 17; hour += school_day ? 1 : 3) {
      Tick(CountyTime(y, m, d, hour));
      if (hour == 10) {
        RunScheduled(today);
        if (P(0.4)) RandomEnrolmentChange(today);
        if (P(0.05)) TownshipReport(today);
        if (absl::GetWeekday(today) == absl::Weekday::wednesday) Roster(today);
      }
    }
    if (school_day) {
      // Some children go away for a while.
      for (const std::string& id : kid_ids_) {
        if (P(0.006) && kids_[id].away_until < today) {
          kids_[id].away_from = today;
          kids_[id].away_until = today + U(2, 20);
        }
      }
      Reports(today);
      if (P(0.3)) Correction(today);
      AdvanceTo(y, m, d, 17, 30);
      CaseWork(today);
    }
    Tick(CountyTime(y, m, d, 18), v1::CLOCK_TICK_KIND_REPORTING_CUTOFF);
  }
  Sync();
  const uint64_t events = LastSequence();
  absl::Duration scenario = absl::Now() - started;

  // The scenario reached what it was meant to.
  std::vector<v1::Case> cases = AllCases();
  std::set<v1::CaseKind> kinds;
  std::set<v1::CaseState> states;
  int relapses = 0, escalated = 0, suggested = 0;
  for (const v1::Case& c : cases) {
    for (const auto& e : c.evidence()) kinds.insert(e.rule());
    for (const auto& h : History(c.case_id())) {
      if (h.kind() == v1::CASE_HISTORY_KIND_STATE_CHANGED) states.insert(h.to_state());
    }
    relapses += c.relapse_count();
    escalated += c.escalations_size() > 0;
    suggested += c.suggested_action() != v1::ACTION_KIND_UNSPECIFIED;
  }
  std::string seen;
  for (auto k : kinds) absl::StrAppend(&seen, v1::CaseKind_Name(k), " ");
  for (auto s : states) absl::StrAppend(&seen, v1::CaseState_Name(s), " ");
  absl::StrAppend(&seen, "relapses=", relapses, " escalated=", escalated,
                  " suggested=", suggested, " cases=", cases.size(),
                  " events=", events, " accepted=", accepted_commands_,
                  " refused=", refused_commands_, " scenario=", absl::FormatDuration(scenario));
  SCOPED_TRACE(seen);
  std::cout << "[ scenario ] " << seen << std::endl;
  EXPECT_GE(events, 2000u);
  EXPECT_EQ(kinds.size(), 7u) << "every rule opened or added to a case";
  for (v1::CaseState s :
       {v1::CASE_STATE_DISMISSED, v1::CASE_STATE_CONFIRMED, v1::CASE_STATE_PERSUADING,
        v1::CASE_STATE_ARRANGED, v1::CASE_STATE_RETURNED,
        v1::CASE_STATE_CLOSURE_PENDING, v1::CASE_STATE_CLOSED}) {
    EXPECT_EQ(states.count(s), 1u) << v1::CaseState_Name(s);
  }
  EXPECT_GT(relapses, 0);
  EXPECT_GT(escalated, 0);
  EXPECT_GT(suggested, 0);
  EXPECT_EQ(server_->worker()->last_error(), absl::OkStatus());

  storage::Database* db = server_->database();
  // The worker's copy of the model is the write model, key for key.
  Dump model = DumpFamily(db, db->model());
  Dump mirror = DumpFamily(db, db->projection(), MirrorPrefix());
  EXPECT_EQ(model.size(), mirror.size());
  EXPECT_TRUE(model == mirror) << Differences(model, mirror, "model", "mirror");

  // The counters and indexes agree with a recount of the cases.
  std::map<std::string, uint64_t> expected_counters;
  std::map<std::string, std::set<std::string>> expected_index;
  for (const v1::Case& c : cases) {
    std::vector<std::string> names = {StateCounterName(c.state())};
    if (IsOpenState(c.state())) {
      if (!c.priority_groups().empty()) names.push_back(kCounterHigh);
      if (c.priority() == v1::CASE_PRIORITY_URGENT) names.push_back(kCounterUrgent);
      if (c.overdue()) names.push_back(kCounterOverdue);
      if (c.escalation_level() == v1::ESCALATION_LEVEL_BUREAU) {
        names.push_back(kCounterEscalatedToBureau);
      }
    }
    std::vector<std::pair<LedgerScope, std::string>> scopes = {
        {LedgerScope::kCounty, ""}, {LedgerScope::kTownship, c.household_township_code()}};
    if (!c.school_id().empty()) scopes.push_back({LedgerScope::kSchool, c.school_id()});
    for (const auto& [scope, id] : scopes) {
      for (const std::string& name : names) {
        ++expected_counters[CaseCounterKey(scope, id, name)];
      }
      expected_index[CaseIndexPrefix(scope, id, c.state())].insert(c.case_id());
      // The ledgers: every open case, the dropout ledger, closed cases.
      if (IsOpenState(c.state())) {
        expected_index[CaseIndexPrefix(scope, id, v1::LEDGER_OPEN)].insert(c.case_id());
        if (c.state() != v1::CASE_STATE_SUSPECTED) {
          expected_index[CaseIndexPrefix(scope, id, v1::LEDGER_DROPOUT)].insert(
              c.case_id());
        }
      } else {
        expected_index[CaseIndexPrefix(scope, id, v1::LEDGER_CLOSED)].insert(
            c.case_id());
      }
    }
  }
  std::map<std::string, uint64_t> stored_counters;
  const std::string counters_prefix =
      storage::Key(storage::KeySpace::kCounter).Str("cases").data();
  for (const auto& [key, value] : DumpFamily(db, db->projection(), counters_prefix)) {
    uint64_t n = 0;
    ASSERT_TRUE(storage::DecodeFixed64(value, &n));
    if (n != 0) stored_counters[counters_prefix + key] = n;
  }
  EXPECT_TRUE(stored_counters == expected_counters)
      << stored_counters.size() << " stored vs " << expected_counters.size()
      << " expected nonzero counters";
  size_t index_entries = 0;
  for (const auto& [prefix, ids] : expected_index) {
    std::set<std::string> listed;
    for (const auto& [key, value] : DumpFamily(db, db->projection(), prefix)) {
      listed.insert(CaseIdFromIndexKey(prefix + key, prefix.size()));
    }
    EXPECT_EQ(listed, ids) << absl::CHexEscape(prefix);
    index_entries += ids.size();
  }
  EXPECT_EQ(DumpFamily(db, db->projection(),
                       storage::Key(storage::KeySpace::kCaseIndex).data())
                .size(),
            index_entries);

  // Rebuild: the projections come back byte for byte.
  Dump live = DumpFamily(db, db->projection());
  ASSERT_TRUE(server_->worker()->RebuildOnline().ok());
  ASSERT_TRUE(server_->worker()->WaitForApplied(events, absl::Now() + absl::Seconds(60)));
  ASSERT_EQ(LastSequence(), events);
  Dump rebuilt = DumpFamily(db, db->projection());
  EXPECT_EQ(live.size(), rebuilt.size());
  EXPECT_TRUE(live == rebuilt) << Differences(live, rebuilt, "live", "rebuilt");
  auto applied = server_->worker()->EventsApplied();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, events);
}

}  // namespace
}  // namespace baoxue::services::testing_server
