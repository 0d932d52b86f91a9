// The follow-up rules (DOMAIN §3–§5): R1–R7 open cases, a case moves
// through its life, deadlines fire and escalate, and schools that stop
// reporting are raised to the bureau.
//
// CaseEngine is a pure function of the log: it applies one event to a
// model (the sequencer's write model, or the worker's copy of it) and
// reads nothing but the event and the model — time comes from the event's
// record time and from ClockTick events, never from the wall clock. The
// sequencer runs it so that case transitions are validated against exact
// case state; the worker runs the same code, so its projections agree
// byte for byte. Thread-compatible.
#ifndef BAOXUE_SERVICES_CASE_ENGINE_H_
#define BAOXUE_SERVICES_CASE_ENGINE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/events.pb.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// Told of every case write, with the case before (absent for a new case)
// and after; the worker keeps its ledgers, indexes and counters with it.
class CaseObserver {
 public:
  virtual ~CaseObserver() = default;
  virtual absl::Status OnCaseWritten(const std::optional<v1::Case>& before,
                                     const v1::Case& after) = 0;
};

class CaseEngine {
 public:
  // "*observer" may be null; if not, it must outlive the engine.
  explicit CaseEngine(CaseObserver* observer = nullptr) : observer_(observer) {}

  // Applies `event` to `model`, after the write model's own changes for it.
  absl::Status Apply(const v1::Event& event, storage::ModelTxn* model);

 private:
  CaseObserver* const observer_;
};

// Reads of case state, for validation and queries.
absl::StatusOr<std::optional<v1::Case>> FindCase(const storage::ModelTxn& model,
                                                 absl::string_view case_id);
absl::StatusOr<std::optional<v1::Case>> FindOpenCaseOf(
    const storage::ModelTxn& model, absl::string_view student_id);
absl::StatusOr<std::optional<v1::ReportingAlert>> FindReportingAlert(
    const storage::ModelTxn& model, absl::string_view school_id);
// The schools with an unresolved reporting alert, in the county
// (township_code "") or in one township.
absl::StatusOr<uint64_t> CountUnresolvedReportingAlerts(
    const storage::ModelTxn& model, absl::string_view township_code);
// The prefix of a case's history entries, in event order.
std::string CaseHistoryPrefix(absl::string_view case_id);
std::string CaseKeyPrefix();
std::string ReportingAlertPrefix();
// The prefix of one village's roster entries.
std::string RosterPrefix(absl::string_view village_code);

// Whether a case in `state` is still open (not DISMISSED, ARRANGED or
// CLOSED).
bool IsOpenState(v1::CaseState state);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_CASE_ENGINE_H_
