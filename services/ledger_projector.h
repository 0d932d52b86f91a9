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
  storage::ModelTxn* projection_ = nullptr;
};

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_LEDGER_PROJECTOR_H_
