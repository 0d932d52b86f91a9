#include "services/case_reads.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "services/case_engine.h"
#include "services/dates.h"
#include "services/domain/identifiers.h"
#include "services/paging.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

bool Passes(const v1::Case& c, const v1::CaseFilter& f) {
  if (f.kind() != v1::CASE_KIND_UNSPECIFIED && c.kind() != f.kind()) return false;
  if (f.priority() != v1::CASE_PRIORITY_UNSPECIFIED && c.priority() != f.priority()) {
    return false;
  }
  if (f.overdue_only() && !c.overdue()) return false;
  if (f.escalated_only() && c.escalation_level() != v1::ESCALATION_LEVEL_BUREAU) {
    return false;
  }
  if (!f.township_code().empty() && c.household_township_code() != f.township_code()) {
    return false;
  }
  if (!f.school_id().empty() && c.school_id() != f.school_id()) return false;
  if (!f.village_code().empty() && c.household_village_code() != f.village_code()) {
    return false;
  }
  absl::CivilDay opened = CountyDayOf(c.open_time());
  if (f.has_opened_from() && opened < ToCivilDay(f.opened_from())) return false;
  if (f.has_opened_to() && opened > ToCivilDay(f.opened_to())) return false;
  return true;
}

absl::Status CheckFilter(const v1::CaseFilter& f) {
  if (!v1::Ledger_IsValid(f.ledger()) || !v1::CaseState_IsValid(f.state()) ||
      !v1::CaseKind_IsValid(f.kind()) || !v1::CasePriority_IsValid(f.priority())) {
    return FieldError({"filter", "筛选条件"}, "包含无效的取值",
                      "has a value out of range");
  }
  if (f.has_opened_from()) {
    RETURN_IF_ERROR(CheckDate({"filter.opened_from", "立案起始日期"}, f.opened_from())
                        .status());
  }
  if (f.has_opened_to()) {
    RETURN_IF_ERROR(
        CheckDate({"filter.opened_to", "立案截止日期"}, f.opened_to()).status());
  }
  return absl::OkStatus();
}

// Looks up the names a ledger row shows, remembering them for the page.
class NameCache {
 public:
  explicit NameCache(const storage::ModelTxn& mirror) : mirror_(mirror) {}

  void Fill(v1::CaseRow* row) {
    const v1::Case& c = row->case_();
    row->set_school_name(Name(schools_, c.school_id(), [&](const std::string& id) {
      auto s = FindSchool(mirror_, id);
      return s.ok() && s->has_value() ? (*s)->name() : std::string();
    }));
    row->set_township_name(
        Name(townships_, c.household_township_code(), [&](const std::string& id) {
          auto t = FindTownship(mirror_, id);
          return t.ok() && t->has_value() ? (*t)->name() : std::string();
        }));
    row->set_village_name(
        Name(villages_, c.household_village_code(), [&](const std::string& id) {
          auto v = FindVillage(mirror_, id);
          return v.ok() && v->has_value() ? (*v)->name() : std::string();
        }));
  }

 private:
  template <typename Lookup>
  std::string Name(std::map<std::string, std::string>& cache,
                   const std::string& id, Lookup lookup) {
    if (id.empty()) return "";
    auto it = cache.find(id);
    if (it == cache.end()) it = cache.emplace(id, lookup(id)).first;
    return it->second;
  }

  const storage::ModelTxn& mirror_;
  std::map<std::string, std::string> schools_, townships_, villages_;
};

}  // namespace

bool SeesFullIdNumbers(const Caller& caller) {
  return caller.account.role() == v1::ROLE_BUREAU;
}

absl::Status ListCasePage(const storage::Database* database,
                          const Caller& caller, LedgerScope scope,
                          const std::string& scope_id,
                          const v1::CaseFilter& filter, int page_size,
                          const std::string& page_token,
                          google::protobuf::RepeatedPtrField<v1::CaseRow>* rows,
                          std::string* next_page_token) {
  RETURN_IF_ERROR(CheckFilter(filter));
  ASSIGN_OR_RETURN(int size, PageSize(page_size));
  ASSIGN_OR_RETURN(std::string after, DecodePageToken(page_token));
  std::string prefix = filter.state() != v1::CASE_STATE_UNSPECIFIED
                           ? CaseIndexPrefix(scope, scope_id, filter.state())
                           : CaseIndexPrefix(scope, scope_id, filter.ledger());
  if (!after.empty() && after.compare(0, prefix.size(), prefix) != 0) {
    return FieldError({"page_token", "翻页标记"}, "与本次筛选条件不符",
                      "does not belong to this listing");
  }
  storage::ModelTxn projection(database, storage::Family::kProjection);
  auto mirror = OpenMirror(database);
  bool full_ids = SeesFullIdNumbers(caller);
  NameCache names(*mirror);
  int read = 0;
  std::string last;
  bool more = false;
  absl::Status status;
  RETURN_IF_ERROR(projection.Scan(
      prefix,
      [&](absl::string_view key, absl::string_view) {
        if (rows->size() == size || read == kMaxIndexEntriesPerPage) {
          more = true;
          return false;
        }
        ++read;
        last = std::string(key);
        auto found = FindCase(*mirror, CaseIdFromIndexKey(key, prefix.size()));
        if (!found.ok()) {
          status = found.status();
          return false;
        }
        if (!found->has_value() || !Passes(**found, filter)) return true;
        v1::CaseRow* row = rows->Add();
        auto student = FindStudent(*mirror, (*found)->student_id());
        if (!student.ok()) {
          status = student.status();
          return false;
        }
        *row->mutable_case_() = std::move(**found);
        names.Fill(row);
        if (student->has_value()) {
          const v1::Student& s = **student;
          // A G number embeds the ID number: masked like it.
          row->set_student_number(
              full_ids ? s.student_number()
                       : domain::MaskStudentNumber(s.student_number()));
          row->set_id_number(full_ids ? s.id_number()
                                      : domain::MaskIdNumber(s.id_number()));
          row->set_sex(s.sex());
          row->set_grade(s.enrolment().grade());
          row->set_class_name(s.enrolment().class_name());
          if (!s.guardians().empty()) {
            row->set_guardian_name(s.guardians(0).name());
            row->set_guardian_phone(s.guardians(0).phone());
          }
        }
        return true;
      },
      after.empty() ? "" : after + '\0'));
  RETURN_IF_ERROR(status);
  if (more) *next_page_token = EncodePageToken(last);
  return absl::OkStatus();
}

absl::StatusOr<CaseDetail> ReadCaseDetail(
    const storage::Database* database, const Caller& caller,
    const std::string& case_id,
    const std::function<absl::Status(const v1::Case&)>& check) {
  auto mirror = OpenMirror(database);
  ASSIGN_OR_RETURN(auto found, FindCase(*mirror, case_id));
  if (!found.has_value()) {
    return NotFoundError(absl::StrCat("案件 ", case_id, " 不存在"),
                         absl::StrCat("case ", case_id, " does not exist"));
  }
  RETURN_IF_ERROR(check(*found));
  CaseDetail detail;
  ASSIGN_OR_RETURN(auto student, FindStudent(*mirror, found->student_id()));
  if (student.has_value()) {
    detail.student = *student;
    if (caller.account.role() == v1::ROLE_BUREAU_VIEWER) {
      detail.student.set_id_number(domain::MaskIdNumber(student->id_number()));
      detail.student.set_student_number(
          domain::MaskStudentNumber(student->student_number()));
    }
    detail.row.set_student_number(detail.student.student_number());
    detail.row.set_id_number(detail.student.id_number());
    detail.row.set_sex(student->sex());
    detail.row.set_grade(student->enrolment().grade());
    detail.row.set_class_name(student->enrolment().class_name());
    if (!student->guardians().empty()) {
      detail.row.set_guardian_name(student->guardians(0).name());
      detail.row.set_guardian_phone(student->guardians(0).phone());
    }
  }
  *detail.row.mutable_case_() = *std::move(found);
  NameCache(*mirror).Fill(&detail.row);
  RETURN_IF_ERROR(ForEachRecord<v1::CaseHistoryEntry>(
      *mirror, CaseHistoryPrefix(case_id), [&](v1::CaseHistoryEntry&& e) {
        detail.history.push_back(std::move(e));
        return true;
      }));
  return detail;
}

absl::StatusOr<v1::CaseSummary> ReadSummary(const storage::Database* database,
                                            LedgerScope scope,
                                            const std::string& scope_id) {
  storage::ModelTxn projection(database, storage::Family::kProjection);
  v1::CaseSummary summary;
  summary.add_by_state(0);
  for (int s = v1::CASE_STATE_SUSPECTED; s <= v1::CASE_STATE_CLOSED; ++s) {
    auto state = static_cast<v1::CaseState>(s);
    ASSIGN_OR_RETURN(uint64_t n, ReadCounter(projection, scope, scope_id,
                                             StateCounterName(state)));
    summary.add_by_state(static_cast<int64_t>(n));
    if (IsOpenState(state)) summary.set_open(summary.open() + n);
    if (state == v1::CASE_STATE_CONFIRMED || state == v1::CASE_STATE_PERSUADING) {
      summary.set_out_of_school(summary.out_of_school() + n);
    }
  }
  ASSIGN_OR_RETURN(uint64_t high, ReadCounter(projection, scope, scope_id, kCounterHigh));
  ASSIGN_OR_RETURN(uint64_t urgent,
                   ReadCounter(projection, scope, scope_id, kCounterUrgent));
  ASSIGN_OR_RETURN(uint64_t overdue,
                   ReadCounter(projection, scope, scope_id, kCounterOverdue));
  ASSIGN_OR_RETURN(uint64_t bureau, ReadCounter(projection, scope, scope_id,
                                                kCounterEscalatedToBureau));
  summary.set_high_priority(high);
  summary.set_urgent(urgent);
  summary.set_overdue(overdue);
  summary.set_escalated_to_bureau(bureau);
  summary.set_zero_dropout(summary.out_of_school() == 0);
  if (scope != LedgerScope::kSchool) {
    ASSIGN_OR_RETURN(uint64_t alerts,
                     CountUnresolvedReportingAlerts(
                         *OpenMirror(database),
                         scope == LedgerScope::kCounty ? "" : scope_id));
    summary.set_schools_not_reporting(alerts);
  }
  return summary;
}

}  // namespace baoxue::services
