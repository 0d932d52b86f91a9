// The Chinese and English words for every enum a person reads — roles,
// enrolment statuses, absence categories, case states, kinds, priorities,
// verification outcomes, dropout reasons, actions, deadlines, escalation
// levels. One table, shared by the server (its messages) and the CLI (its
// tables). Thread-safe: the tables are constants.
#ifndef BAOXUE_SERVICES_LABELS_H_
#define BAOXUE_SERVICES_LABELS_H_

#include "absl/strings/string_view.h"
#include "baoxue/v1/cases.pb.h"
#include "baoxue/v1/common.pb.h"
#include "baoxue/v1/student.pb.h"
#include "storage/localized_status.h"

namespace baoxue {

absl::string_view Label(v1::CaseState value, Lang lang);
absl::string_view Label(v1::CaseKind value, Lang lang);
absl::string_view Label(v1::CasePriority value, Lang lang);
absl::string_view Label(v1::EscalationLevel value, Lang lang);
absl::string_view Label(v1::VerificationOutcome value, Lang lang);
absl::string_view Label(v1::DropoutReason value, Lang lang);
absl::string_view Label(v1::ActionKind value, Lang lang);
absl::string_view Label(v1::GuardianAttitude value, Lang lang);
absl::string_view Label(v1::DeadlineKind value, Lang lang);
absl::string_view Label(v1::EnrolmentStatus value, Lang lang);
absl::string_view Label(v1::AbsenceCategory value, Lang lang);
absl::string_view Label(v1::PriorityGroup value, Lang lang);
absl::string_view Label(v1::Role value, Lang lang);
absl::string_view Label(v1::Sex value, Lang lang);

}  // namespace baoxue

#endif  // BAOXUE_SERVICES_LABELS_H_
