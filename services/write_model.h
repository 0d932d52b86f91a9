// The write model (DESIGN §2): the state the sequencer validates commands
// against — accounts, the county's organisations, students, enrolments,
// calendar and settings — and, applied by the same code, the follow-up
// worker's copy of it at the worker's offset.
//
// WriteModelApplier is the one function that says how an event changes the
// model. The typed accessors here are the one place that knows under which
// key each model record lives.
#ifndef BAOXUE_SERVICES_WRITE_MODEL_H_
#define BAOXUE_SERVICES_WRITE_MODEL_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/events.pb.h"
#include "storage/model_txn.h"
#include "storage/sequencer.h"

namespace baoxue::services {

// Applies events to a model. Stateless and thread-compatible.
class WriteModelApplier : public storage::EventApplier {
 public:
  absl::Status Apply(const v1::Event& event, storage::ModelTxn* model) override;
};

// Typed reads of the model. Each returns nullopt when the record is absent.
absl::StatusOr<std::optional<v1::Account>> FindAccount(
    const storage::ModelTxn& model, absl::string_view account_id);
absl::StatusOr<std::optional<v1::ClockTick>> LastClockTick(
    const storage::ModelTxn& model);

// The prefix under which the worker keeps its copy of the model in the
// projection family; readers open a ModelTxn with it to read that copy.
std::string MirrorPrefix();

// Key of an account record; used by readers that scan accounts.
std::string AccountKey(absl::string_view account_id);
std::string AccountKeyPrefix();

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_WRITE_MODEL_H_
