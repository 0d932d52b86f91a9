// Queries over cases shared by the three services: a ledger page (from the
// worker's indexes, most urgent first, never a scan of every case), one
// case with its timeline, and a summary from counters.
#ifndef BAOXUE_SERVICES_CASE_READS_H_
#define BAOXUE_SERVICES_CASE_READS_H_

#include <string>

#include "absl/status/statusor.h"
#include "baoxue/v1/bureau.pb.h"
#include "baoxue/v1/cases.pb.h"
#include "google/protobuf/repeated_field.h"
#include "services/auth.h"
#include "services/ledger_projector.h"
#include "storage/database.h"

namespace baoxue::services {

// At most this many index entries are read for one page; a page whose
// filters reject more returns early with a token to go on.
inline constexpr int kMaxIndexEntriesPerPage = 5000;

// One page of the cases of `scope`/`scope_id` that pass `filter`.
absl::Status ListCasePage(const storage::Database* database,
                          const Caller& caller, LedgerScope scope,
                          const std::string& scope_id,
                          const v1::CaseFilter& filter, int page_size,
                          const std::string& page_token,
                          google::protobuf::RepeatedPtrField<v1::CaseRow>* rows,
                          std::string* next_page_token);

// The case, its child and its timeline. `check` decides whether the caller
// may see the case (the scope rule of the calling service).
struct CaseDetail {
  v1::CaseRow row;
  v1::Student student;
  std::vector<v1::CaseHistoryEntry> history;
};
absl::StatusOr<CaseDetail> ReadCaseDetail(
    const storage::Database* database, const Caller& caller,
    const std::string& case_id,
    const std::function<absl::Status(const v1::Case&)>& check);

// The summary of one scope, from counters.
absl::StatusOr<v1::CaseSummary> ReadSummary(const storage::Database* database,
                                            LedgerScope scope,
                                            const std::string& scope_id);

// Whether the caller's role sees full ID numbers in lists.
bool SeesFullIdNumbers(const Caller& caller);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_CASE_READS_H_
