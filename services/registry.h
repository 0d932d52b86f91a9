// The rules for the county's registry (issue: the county, townships,
// villages, schools, the school calendar and the rule settings): each
// Prepare* validates a bureau command against the model and fills in its
// event. The one place these rules live.
#ifndef BAOXUE_SERVICES_REGISTRY_H_
#define BAOXUE_SERVICES_REGISTRY_H_

#include "absl/status/status.h"
#include "baoxue/v1/county.pb.h"
#include "baoxue/v1/events.pb.h"
#include "storage/model_txn.h"

namespace baoxue::services {

absl::Status PrepareConfigureCounty(const storage::ModelTxn& model,
                                    const v1::County& county, v1::Event* event);
absl::Status PrepareCreateTownship(const storage::ModelTxn& model,
                                   const v1::Township& township,
                                   v1::Event* event);
absl::Status PrepareRenameTownship(const storage::ModelTxn& model,
                                   const std::string& township_code,
                                   const std::string& name, v1::Event* event);
absl::Status PrepareCreateVillage(const storage::ModelTxn& model,
                                  const v1::Village& village, v1::Event* event);
absl::Status PrepareRenameVillage(const storage::ModelTxn& model,
                                  const std::string& village_code,
                                  const std::string& name, v1::Event* event);
absl::Status PrepareCreateSchool(const storage::ModelTxn& model,
                                 const v1::School& school, v1::Event* event);
absl::Status PrepareUpdateSchool(const storage::ModelTxn& model,
                                 const v1::School& school, v1::Event* event);
absl::Status PrepareSetCalendar(const storage::ModelTxn& model,
                                const v1::SchoolYearCalendar& calendar,
                                v1::Event* event);
absl::Status PrepareUpdateSettings(const storage::ModelTxn& model,
                                   const v1::RuleSettings& changes,
                                   v1::Event* event);

// The settings after applying `changes` (zero fields keep `current`), each
// value range-checked; INVALID_ARGUMENT names the field and its range.
absl::StatusOr<v1::RuleSettings> MergeSettings(const v1::RuleSettings& current,
                                               const v1::RuleSettings& changes);

// NOT_FOUND naming the school, or the school.
absl::StatusOr<v1::School> RequireSchool(const storage::ModelTxn& model,
                                         const std::string& school_id);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_REGISTRY_H_
