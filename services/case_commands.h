// The rules for what people do to a case (DOMAIN §4): verify it, record
// persuasion steps, arrange lawful status, confirm a return, decide a
// closure, name the responsible people, report a child found out of
// school (R7) and keep the roster of school-age children (R4). Each
// Prepare* validates a command against the exact case state in the write
// model and fills in its event; an illegal transition is refused with
// FAILED_PRECONDITION naming the state. The CaseEngine applies the event.
#ifndef BAOXUE_SERVICES_CASE_COMMANDS_H_
#define BAOXUE_SERVICES_CASE_COMMANDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/events.pb.h"
#include "services/auth.h"
#include "storage/model_txn.h"

namespace baoxue::services {

absl::Status PrepareVerifyCase(const storage::ModelTxn& model,
                               const Caller& caller,
                               const v1::CaseVerified& verification,
                               v1::Event* event);
absl::Status PrepareRecordAction(const storage::ModelTxn& model,
                                 const Caller& caller,
                                 const std::string& case_id,
                                 const v1::CaseAction& action, v1::Event* event);
absl::Status PrepareArrangeCase(const storage::ModelTxn& model,
                                const Caller& caller, const std::string& case_id,
                                const std::string& note, v1::Event* event);
absl::Status PrepareConfirmReturn(const storage::ModelTxn& model,
                                  const Caller& caller,
                                  const std::string& case_id,
                                  const v1::Date& return_date, v1::Event* event);
absl::Status PrepareDecideClosure(const storage::ModelTxn& model,
                                  const Caller& caller,
                                  const std::string& case_id, bool approved,
                                  const std::string& reason, v1::Event* event);
absl::Status PrepareAssignResponsible(const storage::ModelTxn& model,
                                      const Caller& caller,
                                      const std::string& case_id,
                                      const v1::ResponsiblePeople& people,
                                      v1::Event* event);
// R7: `child` names an existing child by id_number, or is a new child to
// register (name, sex, birth date, household as RegisterStudent).
absl::Status PrepareReportOutOfSchool(const storage::ModelTxn& model,
                                      const Caller& caller,
                                      const v1::Student& child,
                                      const std::string& note,
                                      const v1::Date& found_date,
                                      v1::Event* event);
absl::Status PrepareUpdateRoster(const storage::ModelTxn& model,
                                 const Caller& caller,
                                 const v1::RosterUpdated& update,
                                 v1::Event* event);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_CASE_COMMANDS_H_
