// LedgerProjector keeps the read side of cases (DOMAIN §6): index entries
// that list cases per county, township and school by state and urgency,
// and counters per scope so a summary is a handful of point reads rather
// than a scan. It is the worker's CaseObserver: every case write moves the
// case's entries and counts from its old place to its new one.
//
// Not thread-safe; owned by the worker. Bind() a projection transaction
// before each batch.
#ifndef BAOXUE_SERVICES_LEDGER_PROJECTOR_H_
#define BAOXUE_SERVICES_LEDGER_PROJECTOR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "baoxue/v1/cases.pb.h"
#include "services/case_engine.h"
#include "storage/model_txn.h"

namespace baoxue::services {

// The scopes a case is counted and listed in.
enum class LedgerScope { kCounty, kTownship, kSchool };

// Counter names.
inline constexpr char kCounterHigh[] = "open-high";
inline constexpr char kCounterUrgent[] = "open-urgent";
inline constexpr char kCounterOverdue[] = "open-overdue";
inline constexpr char kCounterEscalatedToBureau[] = "open-bureau";
// "state-<CaseState number>" counts cases in each state.
std::string StateCounterName(v1::CaseState state);

// Key of a counter in the projection family.
std::string CaseCounterKey(LedgerScope scope, absl::string_view scope_id,
                           absl::string_view name);
// Prefix of the index entries of one scope and one partition — a single
// state, or a ledger (every open case, the dropout ledger, closed cases);
// entries sort by urgency (URGENT, HIGH, overdue, other), then by opening
// time.
std::string CaseIndexPrefix(LedgerScope scope, absl::string_view scope_id,
                            v1::CaseState state);
std::string CaseIndexPrefix(LedgerScope scope, absl::string_view scope_id,
                            v1::Ledger ledger);
// The case id at the end of an index entry's key.
std::string CaseIdFromIndexKey(absl::string_view key, size_t prefix_size);

// Monthly counters (月报): the month is yyyymm in Asia/Shanghai.
inline constexpr char kMonthOpened[] = "opened";
inline constexpr char kMonthDismissed[] = "dismissed";
inline constexpr char kMonthReturned[] = "returned";
inline constexpr char kMonthClosed[] = "closed";
inline constexpr char kMonthRelapses[] = "relapses";
inline constexpr char kMonthEnteredOpen[] = "entered-open";
inline constexpr char kMonthLeftOpen[] = "left-open";
inline constexpr char kMonthEnteredOut[] = "entered-out";
inline constexpr char kMonthLeftOut[] = "left-out";
inline constexpr char kMonthContactSeconds[] = "contact-seconds";
inline constexpr char kMonthContacts[] = "contacts";
inline constexpr char kMonthReturnSeconds[] = "return-seconds";
std::string MonthlyCounterKey(LedgerScope scope, absl::string_view scope_id,
                              uint32_t yyyymm, absl::string_view name);
// Prefix of every monthly counter of one scope, in month order.
std::string MonthlyCounterPrefix(LedgerScope scope, absl::string_view scope_id);
// Parses a key under MonthlyCounterPrefix: its month and counter name.
bool ParseMonthlyCounterKey(absl::string_view key, size_t prefix_size,
                            uint32_t* yyyymm, std::string* name);

// The watch feed: one entry per case write, by sequence.
std::string CaseChangeKey(uint64_t sequence, absl::string_view case_id);
std::string CaseChangePrefix();
bool ParseCaseChangeKey(absl::string_view key, uint64_t* sequence,
                        std::string* case_id);

// Reads a counter (0 if never written).
absl::StatusOr<uint64_t> ReadCounter(const storage::ModelTxn& projection,
                                     LedgerScope scope,
                                     absl::string_view scope_id,
                                     absl::string_view name);

class LedgerProjector : public CaseObserver {
 public:
  void Bind(storage::ModelTxn* projection) { projection_ = projection; }
  absl::Status OnCaseWritten(const std::optional<v1::Case>& before,
                             const v1::Case& after) override;

 private:
  absl::Status Count(const v1::Case& c, int delta);
  absl::Status CountMonth(const std::optional<v1::Case>& before,
                          const v1::Case& after);
  absl::Status Add(const std::string& key, int64_t delta);
  storage::ModelTxn* projection_ = nullptr;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_LEDGER_PROJECTOR_H_
