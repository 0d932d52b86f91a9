#include "services/case_engine.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "services/county_time.h"
#include "services/dates.h"
#include "services/domain/identifiers.h"
#include "services/write_model.h"
#include "storage/keys.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;
using storage::Key;
using storage::KeyReader;
using storage::KeySpace;
using storage::ModelTxn;

// Timers that are not a case deadline: they watch a child's enrolment.
// Case deadlines use their DeadlineKind value as the timer kind.
constexpr uint32_t kTimerTransferLimbo = 100;  // R3
constexpr uint32_t kTimerLawfulExpiry = 101;   // R6

std::string CaseKey(absl::string_view id) {
  return Key(KeySpace::kCase).Str(id).data();
}
std::string OpenCaseKey(absl::string_view student_id) {
  return Key(KeySpace::kOpenCase).Str(student_id).data();
}
std::string HistoryKey(absl::string_view case_id, uint64_t sequence,
                       uint32_t index) {
  return Key(KeySpace::kCaseHistory).Str(case_id).U64(sequence).U32(index).data();
}
std::string AbsencesKey(absl::string_view student_id) {
  return Key(KeySpace::kAbsences).Str(student_id).data();
}
std::string CaseNumberKey(int year) {
  return Key(KeySpace::kCaseNumber).U32(static_cast<uint32_t>(year)).data();
}
std::string ReportingStateKey(absl::string_view school_id) {
  return Key(KeySpace::kReportingState).Str(school_id).data();
}
std::string AlertKey(absl::string_view school_id) {
  return Key(KeySpace::kReportingAlert).Str(school_id).data();
}
// The unresolved alerts of the county ("") or of one township, kept next to
// the alerts so that a summary reads one key, not every school's alert.
std::string OpenAlertsKey(absl::string_view township_code) {
  return Key(KeySpace::kCounter).Str("open_alerts").Str(township_code).data();
}
std::string RosterKey(absl::string_view village, absl::string_view id_number) {
  return Key(KeySpace::kRoster).Str(village).Str(id_number).data();
}
std::string RosterSweepKey() { return Key(KeySpace::kRosterSweep).data(); }
std::string TimerPrefix() { return Key(KeySpace::kTimer).data(); }
std::string TimerFloorKey() { return Key(KeySpace::kTimerFloor).data(); }
// Timers sort by due time: the keys of those due at or after `due` start
// here.
Key TimersFrom(absl::Time due) {
  Key key(KeySpace::kTimer);
  key.I64(absl::ToUnixNanos(due));
  return key;
}
std::string TimerKey(absl::Time due, absl::string_view target, uint32_t kind) {
  return TimersFrom(due).Str(target).U32(kind).data();
}

absl::Time ToTime(const Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}
Timestamp FromTime(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}
absl::Time EndOfDay(absl::CivilDay day) { return CountyMidnight(day + 1); }

// Whether an absence of this category can ever count toward R1/R2,
// whatever the settings: only these days are kept in StudentAbsences.
bool MayCount(v1::AbsenceCategory category) {
  return category == v1::ABSENCE_CATEGORY_UNEXCUSED ||
         category == v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN;
}

bool CountsTowardRules(const v1::AbsenceDay& day,
                       const v1::RuleSettings& settings) {
  if (!MayCount(day.category())) return false;
  return !day.half_day() ||
         settings.half_day_rule() != v1::HALF_DAY_RULE_IGNORED;
}

bool IsContact(v1::ActionKind kind) {
  return kind == v1::ACTION_KIND_PHONE_CALL ||
         kind == v1::ACTION_KIND_HOME_VISIT ||
         kind == v1::ACTION_KIND_VILLAGE_CADRE_VISIT ||
         kind == v1::ACTION_KIND_JOINT_TEAM_VISIT;
}

// The next step of the ladder after a written step's deadline passes.
v1::ActionKind NextLadderStep(v1::ActionKind kind) {
  switch (kind) {
    case v1::ACTION_KIND_RETURN_NOTICE:
      return v1::ACTION_KIND_CORRECTION_ORDER;
    case v1::ACTION_KIND_CORRECTION_ORDER:
      return v1::ACTION_KIND_ADMINISTRATIVE_PENALTY;
    default:
      return v1::ACTION_KIND_LAWSUIT;
  }
}

// Whether `longer` is the run or count of `shorter` grown by more days:
// R1's consecutive days or R2's days in the term, with every day of
// `shorter` still in it and no 去向不明 lost.
bool Extends(const v1::RuleEvidence& longer, const v1::RuleEvidence& shorter) {
  if (longer.rule() != shorter.rule() ||
      (longer.rule() != v1::CASE_KIND_CONSECUTIVE_ABSENCE &&
       longer.rule() != v1::CASE_KIND_CUMULATIVE_ABSENCE) ||
      longer.dates_size() <= shorter.dates_size() ||
      (shorter.whereabouts_unknown() && !longer.whereabouts_unknown())) {
    return false;
  }
  std::set<absl::CivilDay> days;
  for (const v1::Date& d : longer.dates()) days.insert(ToCivilDay(d));
  return std::all_of(shorter.dates().begin(), shorter.dates().end(),
                     [&](const v1::Date& d) { return days.count(ToCivilDay(d)) > 0; });
}

bool SameDates(const google::protobuf::RepeatedPtrField<v1::Date>& a,
               const google::protobuf::RepeatedPtrField<v1::Date>& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](const v1::Date& x, const v1::Date& y) {
                      return ToCivilDay(x) == ToCivilDay(y);
                    });
}

// Applies one event. Holds what the rules need while they run.
class Run {
 public:
  Run(const v1::Event& event, ModelTxn* model, CaseObserver* observer)
      : event_(event),
        model_(model),
        observer_(observer),
        now_(ToTime(event.record_time())),
        today_(CountyDay(now_)) {}

  // Applies the event, then lowers the timer floor below any timer it set.
  absl::Status Apply();

 private:
  absl::Status ApplyRules();
  absl::Status OnAttendance(const v1::AttendanceReported& reported);
  absl::Status OnEnrolmentChanged(const v1::EnrolmentChanged& changed);
  absl::Status OnClockTick(const v1::ClockTick& tick);
  absl::Status OnVerified(const v1::CaseVerified& verified);
  absl::Status OnAction(const v1::CaseActionRecorded& recorded);
  absl::Status OnArranged(const v1::CaseArranged& arranged);
  absl::Status OnReturn(const v1::ReturnConfirmed& confirmed);
  absl::Status OnClosureDecided(const v1::ClosureDecided& decided);
  absl::Status OnResponsible(const v1::ResponsiblePeopleAssigned& assigned);
  absl::Status OnReportedOutOfSchool(const v1::ChildReportedOutOfSchool& r);
  absl::Status OnStudentUpdated(const v1::Student& student);
  absl::Status SweepRostersAtYearStart();
  absl::Status OnRoster(const v1::RosterUpdated& roster);

  // R1 and R2 for one child around `day`.
  absl::Status EvaluateAbsenceRules(const std::string& student_id,
                                    absl::CivilDay day);
  // The R1/R2 evidence met at `day` (none, one or both).
  absl::StatusOr<std::vector<v1::RuleEvidence>> AbsenceEvidence(
      const v1::StudentAbsences& absences, absl::CivilDay day);
  // After a correction removed absence days: withdraw or annotate.
  absl::Status RecheckAfterCorrection(const std::string& student_id);
  // R4 for one roster entry.
  absl::Status EvaluateRosterEntry(const v1::RosterEntry& entry, int index);
  absl::Status FireTimers(absl::Time until);
  // Every timer is set here, so that the floor FireTimers starts from
  // never passes one (see Apply()).
  void PutTimer(absl::Time due, absl::string_view target, uint32_t kind);
  // No timer is due before the floor; nullopt when none was ever fired.
  absl::StatusOr<std::optional<absl::Time>> TimerFloor();
  void SetTimerFloor(absl::Time floor);
  absl::Status FireStudentTimer(absl::string_view target, uint32_t kind);
  absl::Status FireDeadline(absl::string_view case_id, v1::DeadlineKind kind,
                            absl::Time due);
  absl::Status CheckReporting(absl::Time now);
  // Adds `delta` to the unresolved alerts of the county and of the
  // school's township.
  absl::Status CountOpenAlerts(const v1::School& school, int delta);

  absl::Status OpenOrAddEvidence(const v1::Student& student, v1::CaseKind kind,
                                 std::vector<v1::RuleEvidence> evidence);
  absl::StatusOr<v1::Case> RequireCase(const std::string& case_id);
  absl::Status WriteCase(const std::optional<v1::Case>& before, v1::Case* after);
  void History(const v1::Case& c, v1::CaseHistoryEntry entry);
  void SetState(v1::Case* c, v1::CaseState to, absl::string_view note_code = "");
  void AddDeadline(v1::Case* c, v1::DeadlineKind kind, absl::Time due);
  // Settles every deadline of `kinds` that is open or missed.
  void SettleDeadlines(v1::Case* c, std::initializer_list<v1::DeadlineKind> kinds,
                       v1::DeadlineStatus status);
  void CancelAllDeadlines(v1::Case* c);
  void Escalate(v1::Case* c, v1::EscalationLevel level, v1::DeadlineKind cause);
  void StartPersuasion(v1::Case* c);
  absl::StatusOr<absl::Time> SchoolDaysLater(absl::CivilDay from, int days);

  absl::StatusOr<v1::RuleSettings> Settings();
  absl::StatusOr<const domain::CountyCalendar*> CalendarFor(absl::CivilDay day);
  absl::StatusOr<v1::StudentAbsences> LoadAbsences(const std::string& id);

  const v1::Event& event_;
  ModelTxn* const model_;
  CaseObserver* const observer_;
  const absl::Time now_;
  const absl::CivilDay today_;
  std::optional<v1::RuleSettings> settings_;
  std::map<int, std::optional<domain::CountyCalendar>> calendars_;
  uint32_t history_index_ = 0;
  // The earliest timer this event set, if any.
  std::optional<absl::Time> earliest_timer_;
};

absl::StatusOr<v1::RuleSettings> Run::Settings() {
  if (!settings_.has_value()) {
    ASSIGN_OR_RETURN(settings_, EffectiveSettings(*model_));
  }
  return *settings_;
}

absl::StatusOr<const domain::CountyCalendar*> Run::CalendarFor(
    absl::CivilDay day) {
  int year = static_cast<int>(day.year());
  auto it = calendars_.find(year);
  if (it == calendars_.end()) {
    ASSIGN_OR_RETURN(auto calendar, CalendarAround(*model_, day));
    it = calendars_.emplace(year, std::move(calendar)).first;
  }
  return it->second.has_value() ? &*it->second : nullptr;
}

absl::StatusOr<v1::StudentAbsences> Run::LoadAbsences(const std::string& id) {
  ASSIGN_OR_RETURN(auto stored,
                   model_->FindProto<v1::StudentAbsences>(AbsencesKey(id)));
  return stored.has_value() ? *stored : v1::StudentAbsences();
}

absl::StatusOr<absl::Time> Run::SchoolDaysLater(absl::CivilDay from, int days) {
  ASSIGN_OR_RETURN(const domain::CountyCalendar* calendar, CalendarFor(from));
  if (calendar != nullptr) {
    if (auto day = calendar->AddSchoolDays(from, days); day.has_value()) {
      return EndOfDay(*day);
    }
  }
  // Outside the configured calendar: count weekdays, the nearest honest
  // approximation of school days.
  absl::CivilDay day = from;
  for (int n = 0; n < days;) {
    ++day;
    absl::Weekday w = absl::GetWeekday(day);
    if (w != absl::Weekday::saturday && w != absl::Weekday::sunday) ++n;
  }
  return EndOfDay(day);
}

void Run::History(const v1::Case& c, v1::CaseHistoryEntry entry) {
  entry.set_sequence(event_.sequence());
  *entry.mutable_time() = event_.record_time();
  entry.set_account_id(event_.account_id());
  model_->PutProto(HistoryKey(c.case_id(), event_.sequence(), history_index_++),
                   entry);
}

void Run::SetState(v1::Case* c, v1::CaseState to, absl::string_view note_code) {
  v1::CaseHistoryEntry entry;
  entry.set_kind(v1::CASE_HISTORY_KIND_STATE_CHANGED);
  entry.set_from_state(c->state());
  entry.set_to_state(to);
  entry.set_note_code(std::string(note_code));
  c->set_state(to);
  if (!IsOpenState(to)) {
    *c->mutable_close_time() = event_.record_time();
    CancelAllDeadlines(c);
  }
  History(*c, std::move(entry));
}

void Run::AddDeadline(v1::Case* c, v1::DeadlineKind kind, absl::Time due) {
  v1::Deadline* d = c->add_deadlines();
  d->set_kind(kind);
  *d->mutable_due_time() = FromTime(due);
  d->set_status(v1::DEADLINE_STATUS_OPEN);
  PutTimer(due, c->case_id(), static_cast<uint32_t>(kind));
}

void Run::PutTimer(absl::Time due, absl::string_view target, uint32_t kind) {
  model_->Put(TimerKey(due, target, kind), "");
  if (!earliest_timer_.has_value() || due < *earliest_timer_) earliest_timer_ = due;
}

void Run::SettleDeadlines(v1::Case* c,
                          std::initializer_list<v1::DeadlineKind> kinds,
                          v1::DeadlineStatus status) {
  for (v1::Deadline& d : *c->mutable_deadlines()) {
    bool listed = std::find(kinds.begin(), kinds.end(), d.kind()) != kinds.end();
    if (!listed) continue;
    // A missed deadline made good late counts as met from now on; the miss
    // itself stays in the history.
    if (d.status() == v1::DEADLINE_STATUS_OPEN ||
        (d.status() == v1::DEADLINE_STATUS_MISSED &&
         status == v1::DEADLINE_STATUS_MET)) {
      d.set_status(status);
      *d.mutable_settle_time() = event_.record_time();
    }
  }
}

void Run::CancelAllDeadlines(v1::Case* c) {
  for (v1::Deadline& d : *c->mutable_deadlines()) {
    if (d.status() == v1::DEADLINE_STATUS_OPEN) {
      d.set_status(v1::DEADLINE_STATUS_CANCELLED);
      *d.mutable_settle_time() = event_.record_time();
    }
  }
}

void Run::Escalate(v1::Case* c, v1::EscalationLevel level,
                   v1::DeadlineKind cause) {
  if (c->escalation_level() >= level) return;
  c->set_escalation_level(level);
  v1::Escalation* e = c->add_escalations();
  e->set_level(level);
  *e->mutable_escalate_time() = event_.record_time();
  e->set_cause(cause);
  v1::CaseHistoryEntry entry;
  entry.set_kind(v1::CASE_HISTORY_KIND_ESCALATED);
  entry.set_level(level);
  entry.set_deadline(cause);
  History(*c, std::move(entry));
}

void Run::StartPersuasion(v1::Case* c) {
  *c->mutable_persuasion_start_time() = event_.record_time();
  const v1::RuleSettings& s = *settings_;
  AddDeadline(c, v1::DEADLINE_KIND_PERSUASION_RETURN,
              now_ + absl::Hours(24 * s.persuasion_escalation_days()));
  AddDeadline(c, v1::DEADLINE_KIND_PERSUASION_ACTION,
              now_ + absl::Hours(24 * s.persuasion_action_interval_days()));
}

absl::Status Run::WriteCase(const std::optional<v1::Case>& before,
                            v1::Case* after) {
  after->set_last_sequence(event_.sequence());
  *after->mutable_update_time() = event_.record_time();
  bool urgent = false;
  for (const v1::RuleEvidence& e : after->evidence()) {
    urgent = urgent || e.whereabouts_unknown();
  }
  after->set_priority(urgent ? v1::CASE_PRIORITY_URGENT
                      : after->priority_groups().empty()
                          ? v1::CASE_PRIORITY_NORMAL
                          : v1::CASE_PRIORITY_HIGH);
  bool overdue = false;
  for (const v1::Deadline& d : after->deadlines()) {
    overdue = overdue || d.status() == v1::DEADLINE_STATUS_MISSED;
  }
  after->set_overdue(overdue && IsOpenState(after->state()));
  model_->PutProto(CaseKey(after->case_id()), *after);
  // The child's open case changes only when the case opens or closes.
  const bool was_open = before.has_value() && IsOpenState(before->state());
  if (IsOpenState(after->state()) && !was_open) {
    model_->Put(OpenCaseKey(after->student_id()), after->case_id());
  } else if (!IsOpenState(after->state()) && was_open) {
    model_->Delete(OpenCaseKey(after->student_id()));
  }
  if (observer_ != nullptr) return observer_->OnCaseWritten(before, *after);
  return absl::OkStatus();
}

absl::StatusOr<v1::Case> Run::RequireCase(const std::string& case_id) {
  ASSIGN_OR_RETURN(auto found, FindCase(*model_, case_id));
  if (!found.has_value()) {
    return absl::InternalError(absl::StrCat("case ", case_id, " is missing"));
  }
  return *std::move(found);
}

absl::Status Run::OpenOrAddEvidence(const v1::Student& student,
                                    v1::CaseKind kind,
                                    std::vector<v1::RuleEvidence> evidence) {
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  ASSIGN_OR_RETURN(auto open, FindOpenCaseOf(*model_, student.student_id()));
  if (open.has_value()) {
    v1::Case c = *open;
    bool added = false;
    bool relapse_evidence = false;
    for (v1::RuleEvidence& e : evidence) {
      bool known = false;
      for (const v1::RuleEvidence& old : c.evidence()) {
        // The same days seen again are known, unless a correction has
        // since marked one of them 去向不明: that must make the case urgent.
        known = known || (old.rule() == e.rule() &&
                          SameDates(old.dates(), e.dates()) &&
                          (old.whereabouts_unknown() || !e.whereabouts_unknown()));
      }
      if (known) continue;
      if (c.state() == v1::CASE_STATE_RETURNED && c.has_return_date()) {
        int after_return = 0;
        for (const v1::Date& d : e.dates()) {
          if (ToCivilDay(d) >= ToCivilDay(c.return_date())) ++after_return;
        }
        // 复辍 is a new trigger of its own after the return: a whole R1 run
        // after it, or R2's threshold reached by absences after it alone
        // (the term's earlier absences already opened this case).
        if (e.rule() == v1::CASE_KIND_CONSECUTIVE_ABSENCE) {
          relapse_evidence =
              relapse_evidence || after_return == e.dates_size();
        } else if (e.rule() == v1::CASE_KIND_CUMULATIVE_ABSENCE) {
          relapse_evidence =
              relapse_evidence || after_return >= e.threshold();
        }
      }
      v1::CaseHistoryEntry entry;
      entry.set_kind(v1::CASE_HISTORY_KIND_EVIDENCE_ADDED);
      *entry.mutable_evidence() = e;
      History(c, std::move(entry));
      // A run that grows is the same trigger seen further: it takes the
      // place of its shorter self. Otherwise a child absent all term would
      // carry every prefix of the run — the case record, read and written
      // on each report, growing with the square of the days (issue 8's
      // profile). The history keeps each step.
      // (A case recorded before this rule may hold several prefixes: the
      // first makes way for the run, the others go.)
      google::protobuf::RepeatedPtrField<v1::RuleEvidence> kept;
      bool placed = false;
      for (v1::RuleEvidence& old : *c.mutable_evidence()) {
        if (!Extends(e, old)) {
          *kept.Add() = std::move(old);
        } else if (!placed) {
          *kept.Add() = e;
          placed = true;
        }
      }
      if (!placed) *kept.Add() = std::move(e);
      *c.mutable_evidence() = std::move(kept);
      added = true;
    }
    if (!added) return absl::OkStatus();
    if (relapse_evidence) {
      // 复辍: a new absence trigger during the observation period.
      c.set_relapse_count(c.relapse_count() + 1);
      SettleDeadlines(&c, {v1::DEADLINE_KIND_OBSERVATION},
                      v1::DEADLINE_STATUS_CANCELLED);
      SetState(&c, v1::CASE_STATE_PERSUADING, "relapse");
      StartPersuasion(&c);
    }
    return WriteCase(open, &c);
  }

  v1::Case c;
  ASSIGN_OR_RETURN(auto county, FindCounty(*model_));
  int year = static_cast<int>(today_.year());
  ASSIGN_OR_RETURN(std::optional<std::string> last, model_->Get(CaseNumberKey(year)));
  uint64_t number = 0;
  if (last.has_value()) storage::DecodeFixed64(*last, &number);
  ++number;
  model_->Put(CaseNumberKey(year), storage::EncodeFixed64(number));
  c.set_case_id(absl::StrFormat(
      "%s-%d-%05d", county.has_value() ? county->county_code() : "000000", year,
      number));
  c.set_student_id(student.student_id());
  c.set_student_name(student.name());
  c.set_school_id(student.enrolment().school_id());
  c.set_household_township_code(student.household_township_code());
  c.set_household_village_code(student.household_village_code());
  *c.mutable_priority_groups() = student.priority_groups();
  c.set_kind(kind);
  c.set_state(v1::CASE_STATE_SUSPECTED);
  for (v1::RuleEvidence& e : evidence) *c.add_evidence() = std::move(e);
  *c.mutable_open_time() = event_.record_time();
  c.set_open_sequence(event_.sequence());
  c.set_escalation_level(v1::ESCALATION_LEVEL_SCHOOL);
  bool urgent = false;
  for (const v1::RuleEvidence& e : c.evidence()) urgent = urgent || e.whereabouts_unknown();
  if (urgent) {
    AddDeadline(&c, v1::DEADLINE_KIND_FIRST_CONTACT, EndOfDay(today_));
  } else {
    ASSIGN_OR_RETURN(absl::Time due,
                     SchoolDaysLater(today_, settings.first_contact_school_days()));
    AddDeadline(&c, v1::DEADLINE_KIND_FIRST_CONTACT, due);
  }
  AddDeadline(&c, v1::DEADLINE_KIND_VERIFICATION,
              now_ + absl::Hours(24 * settings.verification_days()));
  v1::CaseHistoryEntry entry;
  entry.set_kind(v1::CASE_HISTORY_KIND_OPENED);
  entry.set_to_state(v1::CASE_STATE_SUSPECTED);
  *entry.mutable_evidence() = c.evidence(0);
  History(c, std::move(entry));
  return WriteCase(std::nullopt, &c);
}

absl::StatusOr<std::vector<v1::RuleEvidence>> Run::AbsenceEvidence(
    const v1::StudentAbsences& absences, absl::CivilDay day) {
  std::vector<v1::RuleEvidence> found;
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  ASSIGN_OR_RETURN(const domain::CountyCalendar* calendar, CalendarFor(day));
  if (calendar == nullptr) return found;
  std::map<absl::CivilDay, const v1::AbsenceDay*> counting;
  for (const v1::AbsenceDay& a : absences.days()) {
    if (CountsTowardRules(a, settings)) counting[ToCivilDay(a.date())] = &a;
  }
  auto make = [&](v1::CaseKind rule, const std::vector<absl::CivilDay>& days,
                  int threshold) {
    v1::RuleEvidence e;
    e.set_rule(rule);
    e.set_threshold(threshold);
    e.set_count(static_cast<int>(days.size()));
    uint64_t latest = 0;
    for (absl::CivilDay d : days) {
      *e.add_dates() = ToDate(d);
      const v1::AbsenceDay* a = counting[d];
      latest = std::max(latest, a->sequence());
      if (a->category() == v1::ABSENCE_CATEGORY_WHEREABOUTS_UNKNOWN) {
        e.set_whereabouts_unknown(true);
      }
    }
    e.set_sequence(latest);
    *e.mutable_record_time() = event_.record_time();
    return e;
  };
  if (counting.count(day) != 0) {
    // R1: the run of consecutive school days containing `day`. Days that
    // are not school days neither break nor extend it.
    std::vector<absl::CivilDay> run = {day};
    for (auto d = calendar->PreviousSchoolDay(day); d && counting.count(*d);
         d = calendar->PreviousSchoolDay(*d)) {
      run.insert(run.begin(), *d);
    }
    for (auto d = calendar->NextSchoolDay(day); d && counting.count(*d);
         d = calendar->NextSchoolDay(*d)) {
      run.push_back(*d);
    }
    if (static_cast<int>(run.size()) >= settings.consecutive_absence_days()) {
      found.push_back(make(v1::CASE_KIND_CONSECUTIVE_ABSENCE, run,
                           settings.consecutive_absence_days()));
    }
  }
  // R2: unexcused days in the term of `day`.
  if (const domain::Term* term = calendar->TermOf(day); term != nullptr) {
    std::vector<absl::CivilDay> in_term;
    for (const auto& [d, a] : counting) {
      if (d >= term->start && d <= term->end) in_term.push_back(d);
    }
    if (static_cast<int>(in_term.size()) >= settings.cumulative_absence_days()) {
      found.push_back(make(v1::CASE_KIND_CUMULATIVE_ABSENCE, in_term,
                           settings.cumulative_absence_days()));
    }
  }
  return found;
}

absl::Status Run::EvaluateAbsenceRules(const std::string& student_id,
                                       absl::CivilDay day) {
  ASSIGN_OR_RETURN(auto student, FindStudent(*model_, student_id));
  if (!student.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::StudentAbsences absences, LoadAbsences(student_id));
  ASSIGN_OR_RETURN(std::vector<v1::RuleEvidence> evidence,
                   AbsenceEvidence(absences, day));
  if (evidence.empty()) return absl::OkStatus();
  v1::CaseKind kind = evidence.front().rule();
  return OpenOrAddEvidence(*student, kind, std::move(evidence));
}

absl::Status Run::RecheckAfterCorrection(const std::string& student_id) {
  ASSIGN_OR_RETURN(auto open, FindOpenCaseOf(*model_, student_id));
  if (!open.has_value()) return absl::OkStatus();
  // A case that any other rule's trigger (R3–R7) also stands on is still
  // met whatever the absences say: only cases resting on R1/R2 alone are
  // rechecked.
  for (const v1::RuleEvidence& e : open->evidence()) {
    if (e.rule() != v1::CASE_KIND_CONSECUTIVE_ABSENCE &&
        e.rule() != v1::CASE_KIND_CUMULATIVE_ABSENCE) {
      return absl::OkStatus();
    }
  }
  ASSIGN_OR_RETURN(v1::StudentAbsences absences, LoadAbsences(student_id));
  std::set<absl::CivilDay> days;
  for (const v1::RuleEvidence& e : open->evidence()) {
    for (const v1::Date& d : e.dates()) days.insert(ToCivilDay(d));
  }
  for (absl::CivilDay d : days) {
    ASSIGN_OR_RETURN(auto still, AbsenceEvidence(absences, d));
    if (!still.empty()) return absl::OkStatus();
  }
  v1::Case c = *open;
  if (c.state() == v1::CASE_STATE_SUSPECTED) {
    c.set_verification_outcome(v1::VERIFICATION_OUTCOME_NO_LONGER_MET);
    SetState(&c, v1::CASE_STATE_DISMISSED, "no-longer-met");
  } else {
    v1::CaseHistoryEntry entry;
    entry.set_kind(v1::CASE_HISTORY_KIND_NOTE);
    entry.set_note_code("no-longer-met");
    History(c, std::move(entry));
  }
  return WriteCase(open, &c);
}

absl::Status Run::OnAttendance(const v1::AttendanceReported& reported) {
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  const v1::AttendanceReport& report = reported.report();
  absl::CivilDay day = ToCivilDay(report.date());
  // Views into the event, which outlives this call. The children of the
  // report and of the one it corrects, in student id order (the order cases
  // are opened in, and so numbered).
  absl::flat_hash_map<absl::string_view, const v1::Absence*> now_absent;
  now_absent.reserve(report.absences_size());
  std::vector<absl::string_view> students;
  students.reserve(report.absences_size() + reported.previous().absences_size());
  for (const v1::Absence& a : report.absences()) {
    now_absent[a.student_id()] = &a;
    students.push_back(a.student_id());
  }
  for (const v1::Absence& a : reported.previous().absences()) {
    students.push_back(a.student_id());
  }
  std::sort(students.begin(), students.end());
  students.erase(std::unique(students.begin(), students.end()), students.end());

  std::vector<std::string> to_evaluate, to_recheck;
  for (absl::string_view student : students) {
    std::string id(student);
    ASSIGN_OR_RETURN(v1::StudentAbsences absences, LoadAbsences(id));
    v1::StudentAbsences updated;
    bool counted_before = false;
    // Whether the record must be written again. A day that can never count
    // (sick or personal leave) is not kept: the rules would skip it anyway,
    // and a report of such days then leaves the record untouched.
    bool changed = false;
    for (const v1::AbsenceDay& a : absences.days()) {
      absl::CivilDay d = ToCivilDay(a.date());
      if (d == day) {
        counted_before = CountsTowardRules(a, settings);
        changed = true;
        continue;
      }
      // A year and more back is no longer any rule's business; nor is a
      // day that cannot count (kept by earlier versions).
      if (day - d > 400 || !MayCount(a.category())) {
        changed = true;
        continue;
      }
      *updated.add_days() = a;
    }
    bool counts_now = false;
    auto it = now_absent.find(student);
    if (it != now_absent.end() && MayCount(it->second->category())) {
      changed = true;
      v1::AbsenceDay a;
      *a.mutable_date() = report.date();
      a.set_category(it->second->category());
      a.set_half_day(it->second->half_day());
      a.set_sequence(event_.sequence());
      a.set_school_id(report.school_id());
      counts_now = CountsTowardRules(a, settings);
      *updated.add_days() = std::move(a);
      std::sort(updated.mutable_days()->begin(), updated.mutable_days()->end(),
                [](const v1::AbsenceDay& x, const v1::AbsenceDay& y) {
                  return ToCivilDay(x.date()) < ToCivilDay(y.date());
                });
    }
    if (!changed) {
      // Nothing stored and nothing to store, or the same days as before.
    } else if (updated.days().empty()) {
      model_->Delete(AbsencesKey(id));
    } else {
      model_->PutProto(AbsencesKey(id), updated);
    }
    if (counts_now) to_evaluate.push_back(id);
    if (counted_before && !counts_now) to_recheck.push_back(std::move(id));
  }
  for (const std::string& id : to_evaluate) {
    RETURN_IF_ERROR(EvaluateAbsenceRules(id, day));
  }
  for (const std::string& id : to_recheck) {
    RETURN_IF_ERROR(RecheckAfterCorrection(id));
  }
  return absl::OkStatus();
}

absl::Status Run::OnEnrolmentChanged(const v1::EnrolmentChanged& changed) {
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  const v1::Student& student = changed.student();
  const v1::Enrolment& e = student.enrolment();
  absl::CivilDay effective = ToCivilDay(changed.change().effective_date());
  std::string target =
      absl::StrCat("student:", student.student_id(), ":", DayNumber(effective));
  switch (e.status()) {
    case v1::ENROLMENT_STATUS_WITHDRAWN: {
      // R5: in compulsory education a withdrawal is a dropout report.
      v1::RuleEvidence evidence;
      evidence.set_rule(v1::CASE_KIND_WITHDRAWAL);
      evidence.set_sequence(event_.sequence());
      *evidence.mutable_record_time() = event_.record_time();
      *evidence.add_dates() = changed.change().effective_date();
      return OpenOrAddEvidence(student, v1::CASE_KIND_WITHDRAWAL, {evidence});
    }
    case v1::ENROLMENT_STATUS_TRANSFER_PENDING:
      PutTimer(EndOfDay(effective + settings.transfer_limbo_days()), target,
               kTimerTransferLimbo);
      return absl::OkStatus();
    case v1::ENROLMENT_STATUS_TRANSFERRED_OUT:
      if (!e.transfer_proof_received()) {
        PutTimer(EndOfDay(effective + settings.transfer_limbo_days()), target,
                 kTimerTransferLimbo);
      }
      return absl::OkStatus();
    case v1::ENROLMENT_STATUS_SUSPENDED:
    case v1::ENROLMENT_STATUS_DEFERRED: {
      absl::CivilDay end = ToCivilDay(e.end_date());
      PutTimer(EndOfDay(end + settings.lawful_status_grace_days()),
               absl::StrCat("student:", student.student_id(), ":", DayNumber(end)),
               kTimerLawfulExpiry);
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status Run::FireStudentTimer(absl::string_view target, uint32_t kind) {
  // target = "student:<id>:<yyyymmdd>", the date the timer watches.
  size_t first = target.find(':');
  size_t last = target.rfind(':');
  std::string id(target.substr(first + 1, last - first - 1));
  std::string watched(target.substr(last + 1));
  ASSIGN_OR_RETURN(auto student, FindStudent(*model_, id));
  if (!student.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  const v1::Enrolment& e = student->enrolment();
  v1::RuleEvidence evidence;
  evidence.set_sequence(event_.sequence());
  *evidence.mutable_record_time() = event_.record_time();
  if (kind == kTimerTransferLimbo) {
    bool limbo = (e.status() == v1::ENROLMENT_STATUS_TRANSFER_PENDING ||
                  (e.status() == v1::ENROLMENT_STATUS_TRANSFERRED_OUT &&
                   !e.transfer_proof_received())) &&
                 absl::StrCat(DayNumber(ToCivilDay(e.effective_date()))) == watched;
    if (!limbo) return absl::OkStatus();
    evidence.set_rule(v1::CASE_KIND_TRANSFER_LIMBO);
    evidence.set_threshold(settings.transfer_limbo_days());
    *evidence.add_dates() = e.effective_date();
    return OpenOrAddEvidence(*student, v1::CASE_KIND_TRANSFER_LIMBO, {evidence});
  }
  bool lapsed = (e.status() == v1::ENROLMENT_STATUS_SUSPENDED ||
                 e.status() == v1::ENROLMENT_STATUS_DEFERRED) &&
                absl::StrCat(DayNumber(ToCivilDay(e.end_date()))) == watched;
  if (!lapsed) return absl::OkStatus();
  evidence.set_rule(v1::CASE_KIND_LAWFUL_STATUS_EXPIRED);
  evidence.set_threshold(settings.lawful_status_grace_days());
  *evidence.add_dates() = e.end_date();
  return OpenOrAddEvidence(*student, v1::CASE_KIND_LAWFUL_STATUS_EXPIRED,
                           {evidence});
}

absl::Status Run::FireDeadline(absl::string_view case_id, v1::DeadlineKind kind,
                               absl::Time due) {
  ASSIGN_OR_RETURN(auto found, FindCase(*model_, case_id));
  if (!found.has_value()) return absl::OkStatus();
  v1::Case c = *found;
  v1::Deadline* deadline = nullptr;
  for (v1::Deadline& d : *c.mutable_deadlines()) {
    if (d.kind() == kind && d.status() == v1::DEADLINE_STATUS_OPEN &&
        ToTime(d.due_time()) == due) {
      deadline = &d;
    }
  }
  // A deadline already met or cancelled leaves its timer behind; that
  // timer fires into nothing.
  if (deadline == nullptr) return absl::OkStatus();
  *deadline->mutable_settle_time() = event_.record_time();
  if (kind == v1::DEADLINE_KIND_OBSERVATION) {
    deadline->set_status(v1::DEADLINE_STATUS_MET);
    ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
    if (settings.closure_rule() == v1::CLOSURE_RULE_AUTOMATIC) {
      SetState(&c, v1::CASE_STATE_CLOSED, "observation-passed");
    } else {
      SetState(&c, v1::CASE_STATE_CLOSURE_PENDING, "observation-passed");
      AddDeadline(&c, v1::DEADLINE_KIND_CLOSURE_APPROVAL,
                  now_ + absl::Hours(24 * settings.closure_approval_days()));
    }
    return WriteCase(found, &c);
  }
  deadline->set_status(v1::DEADLINE_STATUS_MISSED);
  v1::CaseHistoryEntry entry;
  entry.set_kind(v1::CASE_HISTORY_KIND_DEADLINE_MISSED);
  entry.set_deadline(kind);
  History(c, std::move(entry));
  switch (kind) {
    case v1::DEADLINE_KIND_FIRST_CONTACT:
      Escalate(&c, v1::ESCALATION_LEVEL_TOWNSHIP, kind);
      break;
    case v1::DEADLINE_KIND_VERIFICATION:
    case v1::DEADLINE_KIND_PERSUASION_RETURN:
      Escalate(&c, v1::ESCALATION_LEVEL_BUREAU, kind);
      break;
    case v1::DEADLINE_KIND_NOTICE:
      c.set_suggested_action(NextLadderStep(c.last_action()));
      break;
    default:
      break;
  }
  return WriteCase(found, &c);
}

absl::Status Run::FireTimers(absl::Time until) {
  struct Due {
    std::string key;
    absl::Time due;
    std::string target;
    uint32_t kind;
  };
  std::vector<Due> due;
  // A fired timer is deleted, and its tombstone stays in the timer range
  // until compaction reaches it: a scan from the range's start would step
  // over every timer fired since, on each of the day's 24 ticks (issue 8's
  // rebuild profile: 13% of its time). So the scan starts at the floor,
  // below which no timer is left (Apply() keeps it so).
  ASSIGN_OR_RETURN(std::optional<absl::Time> floor, TimerFloor());
  std::string start;
  if (floor.has_value()) start = TimersFrom(*floor).data();
  RETURN_IF_ERROR(model_->Scan(TimerPrefix(), [&](absl::string_view key,
                                           absl::string_view) {
    KeyReader reader(key);
    KeySpace space;
    int64_t nanos = 0;
    Due d;
    if (!reader.Space(&space) || !reader.I64(&nanos) || !reader.Str(&d.target) ||
        !reader.U32(&d.kind)) {
      return true;
    }
    d.due = absl::FromUnixNanos(nanos);
    if (d.due > until) return false;  // timers are in due order
    d.key = std::string(key);
    due.push_back(std::move(d));
    return true;
  }, start));
  // Every timer due by `until` is about to fire; one set later, below the
  // new floor, lowers it again (Apply()).
  if (!floor.has_value() || *floor < until) SetTimerFloor(until);
  for (const Due& d : due) {
    model_->Delete(d.key);
    if (d.kind == kTimerTransferLimbo || d.kind == kTimerLawfulExpiry) {
      RETURN_IF_ERROR(FireStudentTimer(d.target, d.kind));
    } else {
      RETURN_IF_ERROR(
          FireDeadline(d.target, static_cast<v1::DeadlineKind>(d.kind), d.due));
    }
  }
  return absl::OkStatus();
}

absl::Status Run::CheckReporting(absl::Time now) {
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  absl::CivilDay today = CountyDay(now);
  bool cutoff_passed = now >= CountyMidnight(today) +
                                  absl::Minutes(settings.reporting_cutoff_minutes());
  absl::CivilDay until = cutoff_passed ? today : today - 1;
  std::vector<v1::School> schools;
  RETURN_IF_ERROR(ForEachRecord<v1::School>(*model_, SchoolKeyPrefix(),
                                            [&](v1::School&& s) {
                                              schools.push_back(std::move(s));
                                              return true;
                                            }));
  for (const v1::School& school : schools) {
    ASSIGN_OR_RETURN(auto stored, model_->FindProto<v1::SchoolReportingState>(
                                      ReportingStateKey(school.school_id())));
    v1::SchoolReportingState state = stored.value_or(v1::SchoolReportingState());
    // A school first seen now is checked from the current day on, not
    // blamed for days before it existed: before today's cutoff that is no
    // day yet, but it is marked checked up to yesterday so that yesterday
    // is never checked later either.
    absl::CivilDay from = stored.has_value()
                              ? ToCivilDay(state.last_checked_date()) + 1
                              : today;
    if (from > until) {
      if (!stored.has_value()) {
        *state.mutable_last_checked_date() = ToDate(until);
        model_->PutProto(ReportingStateKey(school.school_id()), state);
      }
      continue;
    }
    for (absl::CivilDay day = from; day <= until; ++day) {
      ASSIGN_OR_RETURN(const domain::CountyCalendar* calendar, CalendarFor(day));
      if (calendar == nullptr || !calendar->IsSchoolDay(day)) continue;
      ASSIGN_OR_RETURN(auto report,
                       FindAttendanceReport(*model_, school.school_id(), day));
      if (report.has_value()) {
        state.set_consecutive_missing(0);
        state.clear_first_missing_date();
      } else {
        if (state.consecutive_missing() == 0) {
          *state.mutable_first_missing_date() = ToDate(day);
        }
        state.set_consecutive_missing(state.consecutive_missing() + 1);
      }
    }
    *state.mutable_last_checked_date() = ToDate(until);
    model_->PutProto(ReportingStateKey(school.school_id()), state);

    ASSIGN_OR_RETURN(auto alert, FindReportingAlert(*model_, school.school_id()));
    const bool unresolved = alert.has_value() && !alert->resolved();
    if (state.consecutive_missing() >= settings.missing_report_alert_days()) {
      v1::ReportingAlert a;
      if (unresolved) {
        a = *alert;
      } else {
        a.set_school_id(school.school_id());
        *a.mutable_first_missing_date() = state.first_missing_date();
        *a.mutable_raise_time() = event_.record_time();
        RETURN_IF_ERROR(CountOpenAlerts(school, +1));
      }
      a.set_missing_days(state.consecutive_missing());
      model_->PutProto(AlertKey(school.school_id()), a);
    } else if (unresolved && state.consecutive_missing() == 0) {
      alert->set_resolved(true);
      model_->PutProto(AlertKey(school.school_id()), *alert);
      RETURN_IF_ERROR(CountOpenAlerts(school, -1));
    }
  }
  return absl::OkStatus();
}

absl::Status Run::CountOpenAlerts(const v1::School& school, int delta) {
  for (const std::string& scope : {std::string(), school.township_code()}) {
    ASSIGN_OR_RETURN(uint64_t n, CountUnresolvedReportingAlerts(*model_, scope));
    // Alerts open and resolve in pairs, so n goes below zero only in a
    // directory whose alerts opened before this counter existed; there it
    // stays at zero, and a rebuild (--rebuild) recounts.
    model_->Put(OpenAlertsKey(scope),
                storage::EncodeFixed64(delta < 0 && n == 0 ? 0 : n + delta));
  }
  return absl::OkStatus();
}

absl::Status Run::EvaluateRosterEntry(const v1::RosterEntry& entry, int index) {
  // R4: a school-age child (6 by 31 August of the school year, up to 15)
  // on the roster with no enrolment and no lawful status.
  auto facts = domain::ParseIdNumber(entry.id_number());
  if (!facts.ok()) return absl::OkStatus();  // validated on the way in
  int school_year = today_.month() >= 9 ? static_cast<int>(today_.year())
                                        : static_cast<int>(today_.year()) - 1;
  int age = domain::SchoolAgeInYear(facts->birth_date, school_year);
  if (age < 6 || age > 15) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto student, FindStudentByIdNumber(*model_, entry.id_number()));
  if (student.has_value()) {
    const v1::Enrolment& e = student->enrolment();
    switch (e.status()) {
      case v1::ENROLMENT_STATUS_ENROLLED:
      case v1::ENROLMENT_STATUS_SUSPENDED:
      case v1::ENROLMENT_STATUS_HOME_TEACHING:
      case v1::ENROLMENT_STATUS_TRANSFER_PENDING:
      case v1::ENROLMENT_STATUS_GRADUATED:
      case v1::ENROLMENT_STATUS_DECEASED:
        return absl::OkStatus();
      case v1::ENROLMENT_STATUS_DEFERRED:
        if (ToCivilDay(e.end_date()) >= today_) return absl::OkStatus();
        break;
      default:
        break;
    }
  } else {
    // The county has never seen this child: the roster registers them.
    v1::Student s;
    s.set_student_id(absl::StrCat("stu-", event_.sequence(), "-r", index));
    s.set_id_number(entry.id_number());
    s.set_name(entry.name());
    s.set_sex(facts->sex == domain::Sex::kMale ? v1::SEX_MALE : v1::SEX_FEMALE);
    *s.mutable_birth_date() = ToDate(facts->birth_date);
    s.set_household_village_code(entry.village_code());
    s.set_household_township_code(entry.village_code().substr(0, 9));
    if (!entry.guardian_name().empty()) {
      v1::Guardian* g = s.add_guardians();
      g->set_name(entry.guardian_name());
      g->set_relation("监护人");
      g->set_phone(entry.guardian_phone());
    }
    s.mutable_enrolment()->set_status(v1::ENROLMENT_STATUS_NOT_ENROLLED);
    *s.mutable_register_time() = event_.record_time();
    RETURN_IF_ERROR(PutStudentRecord(model_, s));
    student = s;
  }
  v1::RuleEvidence evidence;
  evidence.set_rule(v1::CASE_KIND_NOT_ENROLLED);
  evidence.set_sequence(event_.sequence());
  *evidence.mutable_record_time() = event_.record_time();
  evidence.set_count(age);
  return OpenOrAddEvidence(*student, v1::CASE_KIND_NOT_ENROLLED, {evidence});
}

absl::Status Run::OnRoster(const v1::RosterUpdated& roster) {
  for (const std::string& id : roster.removed_id_numbers()) {
    model_->Delete(RosterKey(roster.village_code(), id));
  }
  for (int i = 0; i < roster.entries_size(); ++i) {
    const v1::RosterEntry& entry = roster.entries(i);
    model_->PutProto(RosterKey(roster.village_code(), entry.id_number()), entry);
    RETURN_IF_ERROR(EvaluateRosterEntry(entry, i));
  }
  return absl::OkStatus();
}

absl::Status Run::OnClockTick(const v1::ClockTick& tick) {
  absl::Time at = ToTime(tick.tick_time());
  RETURN_IF_ERROR(FireTimers(at));
  RETURN_IF_ERROR(SweepRostersAtYearStart());
  return CheckReporting(at);
}

absl::Status Run::SweepRostersAtYearStart() {
  // R4 is met not only when a roster is imported: a child who was five
  // then is of school age from the next school year on. At the first
  // school day of each school year (家访 at every term start, DOMAIN §2)
  // every roster entry is checked again.
  ASSIGN_OR_RETURN(const domain::CountyCalendar* calendar, CalendarFor(today_));
  if (calendar == nullptr || !calendar->IsSchoolDay(today_)) return absl::OkStatus();
  uint64_t school_year = today_.month() >= 9 ? today_.year() : today_.year() - 1;
  ASSIGN_OR_RETURN(std::optional<std::string> swept, model_->Get(RosterSweepKey()));
  uint64_t last = 0;
  if (swept.has_value()) storage::DecodeFixed64(*swept, &last);
  if (last >= school_year) return absl::OkStatus();
  model_->Put(RosterSweepKey(), storage::EncodeFixed64(school_year));
  std::vector<v1::RosterEntry> entries;
  RETURN_IF_ERROR(ForEachRecord<v1::RosterEntry>(
      *model_, Key(KeySpace::kRoster).data(), [&](v1::RosterEntry&& e) {
        entries.push_back(std::move(e));
        return true;
      }));
  for (int i = 0; i < static_cast<int>(entries.size()); ++i) {
    RETURN_IF_ERROR(EvaluateRosterEntry(entries[i], i));
  }
  return absl::OkStatus();
}

absl::Status Run::OnVerified(const v1::CaseVerified& verified) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(verified.case_id()));
  std::optional<v1::Case> before = c;
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  c.set_verification_outcome(verified.outcome());
  if (!c.has_first_contact_time()) *c.mutable_first_contact_time() = event_.record_time();
  SettleDeadlines(&c, {v1::DEADLINE_KIND_FIRST_CONTACT, v1::DEADLINE_KIND_VERIFICATION},
                  v1::DEADLINE_STATUS_MET);
  v1::CaseHistoryEntry note;
  if (verified.outcome() == v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL) {
    c.set_dropout_reason(verified.dropout_reason());
    SetState(&c, v1::CASE_STATE_CONFIRMED, "verified");
  } else {
    SetState(&c, v1::CASE_STATE_DISMISSED, "verified");
  }
  if (!verified.note().empty()) {
    note.set_kind(v1::CASE_HISTORY_KIND_NOTE);
    note.set_note_code("verification-note");
    note.set_text(verified.note());
    History(c, std::move(note));
  }
  return WriteCase(before, &c);
}

absl::Status Run::OnAction(const v1::CaseActionRecorded& recorded) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(recorded.case_id()));
  std::optional<v1::Case> before = c;
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  const v1::CaseAction& action = recorded.action();
  c.set_action_count(c.action_count() + 1);
  c.set_last_action(action.kind());
  c.clear_suggested_action();
  if (IsContact(action.kind()) && !c.has_first_contact_time()) {
    *c.mutable_first_contact_time() = event_.record_time();
    SettleDeadlines(&c, {v1::DEADLINE_KIND_FIRST_CONTACT}, v1::DEADLINE_STATUS_MET);
  }
  v1::CaseHistoryEntry entry;
  entry.set_kind(v1::CASE_HISTORY_KIND_ACTION);
  *entry.mutable_action() = action;
  History(c, std::move(entry));
  if (c.state() == v1::CASE_STATE_CONFIRMED) {
    SetState(&c, v1::CASE_STATE_PERSUADING, "first-action");
    StartPersuasion(&c);
  } else if (c.state() == v1::CASE_STATE_PERSUADING) {
    SettleDeadlines(&c, {v1::DEADLINE_KIND_PERSUASION_ACTION},
                    v1::DEADLINE_STATUS_MET);
    AddDeadline(&c, v1::DEADLINE_KIND_PERSUASION_ACTION,
                now_ + absl::Hours(24 * settings.persuasion_action_interval_days()));
  }
  if (action.has_notice_deadline() &&
      (action.kind() == v1::ACTION_KIND_RETURN_NOTICE ||
       action.kind() == v1::ACTION_KIND_CORRECTION_ORDER)) {
    AddDeadline(&c, v1::DEADLINE_KIND_NOTICE,
                EndOfDay(ToCivilDay(action.notice_deadline())));
  }
  return WriteCase(before, &c);
}

absl::Status Run::OnArranged(const v1::CaseArranged& arranged) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(arranged.case_id()));
  std::optional<v1::Case> before = c;
  SetState(&c, v1::CASE_STATE_ARRANGED, "arranged");
  v1::CaseHistoryEntry note;
  note.set_kind(v1::CASE_HISTORY_KIND_NOTE);
  note.set_note_code("arrangement");
  note.set_text(arranged.note());
  History(c, std::move(note));
  return WriteCase(before, &c);
}

absl::Status Run::OnReturn(const v1::ReturnConfirmed& confirmed) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(confirmed.case_id()));
  std::optional<v1::Case> before = c;
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  *c.mutable_return_date() = confirmed.return_date();
  SettleDeadlines(&c,
                  {v1::DEADLINE_KIND_PERSUASION_ACTION,
                   v1::DEADLINE_KIND_PERSUASION_RETURN, v1::DEADLINE_KIND_NOTICE,
                   v1::DEADLINE_KIND_FIRST_CONTACT, v1::DEADLINE_KIND_VERIFICATION},
                  v1::DEADLINE_STATUS_MET);
  SetState(&c, v1::CASE_STATE_RETURNED, "returned");
  ASSIGN_OR_RETURN(absl::Time end,
                   SchoolDaysLater(ToCivilDay(confirmed.return_date()),
                                   settings.observation_school_days()));
  AddDeadline(&c, v1::DEADLINE_KIND_OBSERVATION, end);
  return WriteCase(before, &c);
}

absl::Status Run::OnClosureDecided(const v1::ClosureDecided& decided) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(decided.case_id()));
  std::optional<v1::Case> before = c;
  ASSIGN_OR_RETURN(v1::RuleSettings settings, Settings());
  SettleDeadlines(&c, {v1::DEADLINE_KIND_CLOSURE_APPROVAL}, v1::DEADLINE_STATUS_MET);
  if (decided.approved()) {
    SetState(&c, v1::CASE_STATE_CLOSED, "closure-approved");
  } else {
    SetState(&c, v1::CASE_STATE_PERSUADING, "closure-rejected");
    StartPersuasion(&c);
    v1::CaseHistoryEntry note;
    note.set_kind(v1::CASE_HISTORY_KIND_NOTE);
    note.set_note_code("closure-rejected");
    note.set_text(decided.reason());
    History(c, std::move(note));
  }
  return WriteCase(before, &c);
}

absl::Status Run::OnResponsible(const v1::ResponsiblePeopleAssigned& assigned) {
  ASSIGN_OR_RETURN(v1::Case c, RequireCase(assigned.case_id()));
  std::optional<v1::Case> before = c;
  *c.mutable_responsible() = assigned.responsible();
  v1::CaseHistoryEntry entry;
  entry.set_kind(v1::CASE_HISTORY_KIND_RESPONSIBLE);
  History(c, std::move(entry));
  return WriteCase(before, &c);
}

absl::Status Run::OnReportedOutOfSchool(const v1::ChildReportedOutOfSchool& r) {
  v1::RuleEvidence evidence;
  evidence.set_rule(v1::CASE_KIND_REPORTED_BY_TOWNSHIP);
  evidence.set_sequence(event_.sequence());
  *evidence.mutable_record_time() = event_.record_time();
  *evidence.add_dates() = r.found_date();
  ASSIGN_OR_RETURN(auto student, FindStudent(*model_, r.student().student_id()));
  if (!student.has_value()) {
    return absl::InternalError("the reported child is not in the model");
  }
  return OpenOrAddEvidence(*student, v1::CASE_KIND_REPORTED_BY_TOWNSHIP,
                           {evidence});
}

absl::Status Run::OnStudentUpdated(const v1::Student& student) {
  // An open case shows the child as they are now: a name corrected or a
  // priority group added later (a 低保 household found on a home visit)
  // must reach the ledgers and the case's priority.
  ASSIGN_OR_RETURN(auto open, FindOpenCaseOf(*model_, student.student_id()));
  if (!open.has_value()) return absl::OkStatus();
  const v1::Case& was = *open;
  bool same_groups = was.priority_groups_size() == student.priority_groups_size() &&
                     std::equal(was.priority_groups().begin(), was.priority_groups().end(),
                                student.priority_groups().begin());
  if (same_groups && was.student_name() == student.name() &&
      was.household_township_code() == student.household_township_code() &&
      was.household_village_code() == student.household_village_code()) {
    return absl::OkStatus();
  }
  v1::Case c = was;
  c.set_student_name(student.name());
  *c.mutable_priority_groups() = student.priority_groups();
  c.set_household_township_code(student.household_township_code());
  c.set_household_village_code(student.household_village_code());
  return WriteCase(open, &c);
}

absl::Status Run::Apply() {
  RETURN_IF_ERROR(ApplyRules());
  if (!earliest_timer_.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::optional<absl::Time> floor, TimerFloor());
  if (floor.has_value() && *earliest_timer_ < *floor) SetTimerFloor(*earliest_timer_);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<absl::Time>> Run::TimerFloor() {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, model_->Get(TimerFloorKey()));
  uint64_t nanos = 0;
  if (!stored.has_value() || !storage::DecodeFixed64(*stored, &nanos)) {
    return std::optional<absl::Time>();
  }
  return std::optional<absl::Time>(absl::FromUnixNanos(static_cast<int64_t>(nanos)));
}

void Run::SetTimerFloor(absl::Time floor) {
  model_->Put(TimerFloorKey(),
              storage::EncodeFixed64(static_cast<uint64_t>(absl::ToUnixNanos(floor))));
}

absl::Status Run::ApplyRules() {
  switch (event_.body_case()) {
    case v1::Event::kAttendanceReported:
      return OnAttendance(event_.attendance_reported());
    case v1::Event::kEnrolmentChanged:
      return OnEnrolmentChanged(event_.enrolment_changed());
    case v1::Event::kClockTick:
      return OnClockTick(event_.clock_tick());
    case v1::Event::kCaseVerified:
      return OnVerified(event_.case_verified());
    case v1::Event::kCaseActionRecorded:
      return OnAction(event_.case_action_recorded());
    case v1::Event::kCaseArranged:
      return OnArranged(event_.case_arranged());
    case v1::Event::kReturnConfirmed:
      return OnReturn(event_.return_confirmed());
    case v1::Event::kClosureDecided:
      return OnClosureDecided(event_.closure_decided());
    case v1::Event::kResponsiblePeopleAssigned:
      return OnResponsible(event_.responsible_people_assigned());
    case v1::Event::kChildReportedOutOfSchool:
      return OnReportedOutOfSchool(event_.child_reported_out_of_school());
    case v1::Event::kRosterUpdated:
      return OnRoster(event_.roster_updated());
    case v1::Event::kStudentUpdated:
      return OnStudentUpdated(event_.student_updated().student());
    default:
      return absl::OkStatus();
  }
}

}  // namespace

bool IsOpenState(v1::CaseState state) {
  return state == v1::CASE_STATE_SUSPECTED || state == v1::CASE_STATE_CONFIRMED ||
         state == v1::CASE_STATE_PERSUADING || state == v1::CASE_STATE_RETURNED ||
         state == v1::CASE_STATE_CLOSURE_PENDING;
}

std::string CaseHistoryPrefix(absl::string_view case_id) {
  return Key(KeySpace::kCaseHistory).Str(case_id).data();
}
std::string CaseKeyPrefix() { return Key(KeySpace::kCase).data(); }
std::string ReportingAlertPrefix() { return Key(KeySpace::kReportingAlert).data(); }
std::string RosterPrefix(absl::string_view village_code) {
  return Key(KeySpace::kRoster).Str(village_code).data();
}

absl::StatusOr<std::optional<v1::Case>> FindCase(const ModelTxn& model,
                                                 absl::string_view case_id) {
  return model.FindProto<v1::Case>(CaseKey(case_id));
}

absl::StatusOr<std::optional<v1::Case>> FindOpenCaseOf(
    const ModelTxn& model, absl::string_view student_id) {
  ASSIGN_OR_RETURN(std::optional<std::string> id,
                   model.Get(OpenCaseKey(student_id)));
  if (!id.has_value()) return std::optional<v1::Case>();
  return FindCase(model, *id);
}

absl::StatusOr<std::optional<v1::ReportingAlert>> FindReportingAlert(
    const ModelTxn& model, absl::string_view school_id) {
  return model.FindProto<v1::ReportingAlert>(AlertKey(school_id));
}

absl::StatusOr<uint64_t> CountUnresolvedReportingAlerts(
    const ModelTxn& model, absl::string_view township_code) {
  ASSIGN_OR_RETURN(auto stored, model.Get(OpenAlertsKey(township_code)));
  uint64_t value = 0;
  if (stored.has_value()) storage::DecodeFixed64(*stored, &value);
  return value;
}

absl::Status CaseEngine::Apply(const v1::Event& event, ModelTxn* model) {
  Run run(event, model, observer_);
  return run.Apply();
}

}  // namespace baoxue::services
