// A synthetic county for the demo (issue 6) and the benchmarks (issue 8):
// 德化县 (350526) with its 18 townships, their villages, about 60 schools,
// N students with valid ID numbers and G-form 学籍号, guardians, priority
// groups, the 2026–27 school calendar, village rosters (including some
// school-age children who are not enrolled) and a per-day plan of
// absences, missing reports and enrolment changes.
//
// Everything is a pure function of DatasetOptions: the same seed gives the
// same county, byte for byte, on every machine (the generator uses its own
// SplitMix64 stream, never std:: distributions, whose results differ
// between standard libraries). Identifiers are built and checked with
// services/domain/identifiers.h and school days come from
// services/domain/calendar.h, so the data obeys the rules the server
// enforces.
//
// Which facts are real and which are made up: the county and the township
// names are 德化's (DOMAIN §7); township codes follow the official pattern
// (county + 1xx for 镇, 2xx for 乡) but are not checked against the
// current official list, so every one is marked illustrative; village and
// school names are invented. Calendar entries carry `official` (the State
// Council's 2026 schedule) or not (plausible dates for 2027, whose schedule
// is not yet published, and the term dates).
//
// A Dataset is immutable after Generate(); its const methods are
// thread-safe.
#ifndef BAOXUE_DEPLOY_DEMO_DATASET_H_
#define BAOXUE_DEPLOY_DEMO_DATASET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/student.pb.h"
#include "services/domain/calendar.h"

namespace baoxue::demo {

struct DatasetOptions {
  // Same seed and sizes, same county.
  uint64_t seed = 350526;
  // Pupils enrolled in the county's schools, at least 100 (the minimum
  // numbers of absentees and transfers need that many).
  int students = 30000;
  // The first school days (counted from the first day of the autumn term)
  // over which the chronic absentees' episodes are spread: a demo of W
  // weeks passes 5 * W so that cases open early and late in it.
  int active_school_days = 30;
};

// A township with its villages.
struct DemoTownship {
  v1::Township township;
  std::vector<v1::Village> villages;
  // False for every code here: the pattern is official, the numbers are
  // not checked against the current list (see the header comment).
  bool code_confirmed = false;
  // Share of the county's pupils living here, in percent.
  int population_percent = 0;
};

// How a child's school days go, as the school's reports will show them.
enum class AbsencePattern {
  kRegular,      // Present, apart from occasional sick or personal leave.
  kRun,          // One run of `run_length` unexcused days (meets R1), then back.
  kIntermittent, // Unexcused every other school day (meets R2 in time).
  kDropout,      // Unexcused every day from `start_day` until persuaded back.
  kVanished,     // 去向不明 every day from `start_day` (URGENT case).
};

struct DemoStudent {
  // The record a school registers: 学籍号, ID number, name, sex, birth
  // date, household township and village, guardians, priority groups.
  v1::Student student;
  int school = 0;  // Index into Dataset::schools().
  int grade = 0;   // 1–9.
  std::string class_name;
  AbsencePattern pattern = AbsencePattern::kRegular;
  // School-day index (0 = the first day of the autumn term) of the first
  // unexcused day, and the length of a kRun.
  int start_day = 0;
  int run_length = 0;
  // A kDropout child who is not persuaded back within the demo.
  bool persistent = false;
};

// A school-age child living in a village who is enrolled nowhere: on the
// village's roster (适龄儿童台账), R4 opens a case for each.
struct UnenrolledChild {
  v1::RosterEntry entry;
  absl::CivilDay birth_date;
  bool disabled = false;  // Candidate for 送教上门 (ARRANGED).
  // False for the one child no roster lists: a township official finds
  // them on a home round and reports them (R7).
  bool on_roster = true;
};

// One planned absence on a school day.
struct PlannedAbsence {
  int student = 0;  // Index into Dataset::students().
  v1::AbsenceCategory category = v1::ABSENCE_CATEGORY_UNSPECIFIED;
  std::string reason;
  bool half_day = false;
};

// An enrolment change the schools make during the demo.
struct PlannedChange {
  enum class Kind {
    kTransferInCounty,  // Out of `school`, into `to_school` two days later.
    kTransferOutOfCountyWithProof,
    kTransferOutOfCountyNoProof,  // Meets R3 after transfer_limbo_days.
    kWithdraw,                    // Meets R5 at once.
  };
  Kind kind = Kind::kTransferInCounty;
  int day = 0;  // School-day index.
  int student = 0;
  int to_school = -1;
};

// A calendar entry with where its dates come from.
struct CalendarNote {
  std::string name_zh;
  std::string name_en;
  absl::CivilDay first;
  absl::CivilDay last;
  std::vector<absl::CivilDay> makeup_days;  // 调休 school days for it.
  bool official = false;
};

class Dataset {
 public:
  // Builds the county. InvalidArgument if options.students < 100
  // or active_school_days < 5; an internal error if a generated identifier
  // fails validation (a bug of the generator, never of the caller).
  static absl::StatusOr<Dataset> Generate(const DatasetOptions& options);

  const DatasetOptions& options() const { return options_; }
  const v1::County& county() const { return county_; }
  const std::vector<DemoTownship>& townships() const { return townships_; }
  const std::vector<v1::School>& schools() const { return schools_; }
  const std::vector<DemoStudent>& students() const { return students_; }
  const std::vector<UnenrolledChild>& unenrolled() const { return unenrolled_; }
  const std::vector<PlannedChange>& changes() const { return changes_; }

  // The 2026–27 calendar as the bureau sets it, and the same as a school
  // calendar for school-day questions.
  const v1::SchoolYearCalendar& calendar() const { return calendar_proto_; }
  const domain::SchoolCalendar& school_calendar() const { return calendar_; }
  // The holidays with their make-up days, each marked official or not.
  const std::vector<CalendarNote>& calendar_notes() const { return notes_; }
  // Every school day of the year, ascending (index = school-day index).
  const std::vector<absl::CivilDay>& school_days() const {
    return calendar_.school_days();
  }
  // The date the students are enrolled on: the first day of the autumn term.
  absl::CivilDay enrol_date() const { return calendar_.school_days().front(); }

  // The roster entries of village `village_code`: every student whose
  // household is there, then the unenrolled children on the roster there.
  std::vector<v1::RosterEntry> RosterOf(const std::string& village_code) const;

  // The absences the schools would report on school day `day_index`, in
  // student order (every school's rows together; group by
  // students()[a.student].school). Sick and personal leave are random but
  // fixed by the seed; the chronic absentees follow their pattern.
  std::vector<PlannedAbsence> AbsencesOn(int day_index) const;

  // False if school `school` (index) does not send its report on school
  // day `day_index`: one small school stops for three days in the second
  // week (enough for an alert), and about one report in 200 is late.
  bool Reports(int school, int day_index) const;

 private:
  explicit Dataset(domain::SchoolCalendar calendar)
      : calendar_(std::move(calendar)) {}

  DatasetOptions options_;
  v1::County county_;
  std::vector<DemoTownship> townships_;
  std::vector<v1::School> schools_;
  std::vector<DemoStudent> students_;
  std::vector<UnenrolledChild> unenrolled_;
  std::vector<PlannedChange> changes_;
  v1::SchoolYearCalendar calendar_proto_;
  domain::SchoolCalendar calendar_;
  std::vector<CalendarNote> notes_;
  int silent_school_ = -1;
};

// Exposed for tests: the share of students in each priority group, in
// per-ten-thousand, as the generator draws them.
struct PriorityShare {
  v1::PriorityGroup group;
  int per_10000;
};
const std::vector<PriorityShare>& PriorityShares();

// The API's Date for a day (services/dates.h has the same for the server;
// the dataset does not link the server).
v1::Date ToDate(absl::CivilDay day);

}  // namespace baoxue::demo

#endif  // BAOXUE_DEPLOY_DEMO_DATASET_H_
