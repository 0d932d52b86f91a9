// Errors a person reads, in Chinese (the default) and English.
//
// A status carries its Chinese text as the message and its English text as
// a payload, so code deep in validation need not know the caller's language;
// the gRPC boundary picks one (see services/rpc.h). Every status that can
// reach a user should be built here.
#ifndef BAOXUE_STORAGE_LOCALIZED_STATUS_H_
#define BAOXUE_STORAGE_LOCALIZED_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace baoxue {

enum class Lang { kZh, kEn };

// Builds a status with both texts. `zh` becomes the message.
absl::Status LocalizedError(absl::StatusCode code, absl::string_view zh,
                            absl::string_view en);

// Shorthands for the common codes.
absl::Status InvalidArgumentError(absl::string_view zh, absl::string_view en);
absl::Status NotFoundError(absl::string_view zh, absl::string_view en);
absl::Status AlreadyExistsError(absl::string_view zh, absl::string_view en);
absl::Status FailedPreconditionError(absl::string_view zh,
                                     absl::string_view en);
absl::Status PermissionDeniedError(absl::string_view zh, absl::string_view en);
absl::Status UnauthenticatedError(absl::string_view zh, absl::string_view en);
absl::Status UnavailableError(absl::string_view zh, absl::string_view en);
absl::Status ResourceExhaustedError(absl::string_view zh,
                                    absl::string_view en);

// The status's text in `lang`. A status built without an English text
// (e.g. by a library) answers its message in both languages.
std::string MessageIn(const absl::Status& status, Lang lang);

// Prefixes both texts of `status`, e.g. with a field or row name
// ("第 3 行：" / "row 3: "). OK stays OK.
absl::Status WithContext(const absl::Status& status, absl::string_view zh,
                         absl::string_view en);

}  // namespace baoxue

#endif  // BAOXUE_STORAGE_LOCALIZED_STATUS_H_
