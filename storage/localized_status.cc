#include "storage/localized_status.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace baoxue {
namespace {
constexpr absl::string_view kEnglishPayload = "type.baoxue/en";
}  // namespace

absl::Status LocalizedError(absl::StatusCode code, absl::string_view zh,
                            absl::string_view en) {
  absl::Status status(code, zh);
  status.SetPayload(kEnglishPayload, absl::Cord(en));
  return status;
}

absl::Status InvalidArgumentError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kInvalidArgument, zh, en);
}
absl::Status NotFoundError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kNotFound, zh, en);
}
absl::Status AlreadyExistsError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kAlreadyExists, zh, en);
}
absl::Status FailedPreconditionError(absl::string_view zh,
                                     absl::string_view en) {
  return LocalizedError(absl::StatusCode::kFailedPrecondition, zh, en);
}
absl::Status PermissionDeniedError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kPermissionDenied, zh, en);
}
absl::Status UnauthenticatedError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kUnauthenticated, zh, en);
}
absl::Status UnavailableError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kUnavailable, zh, en);
}
absl::Status ResourceExhaustedError(absl::string_view zh,
                                    absl::string_view en) {
  return LocalizedError(absl::StatusCode::kResourceExhausted, zh, en);
}

std::string MessageIn(const absl::Status& status, Lang lang) {
  if (lang == Lang::kEn) {
    if (auto en = status.GetPayload(kEnglishPayload); en.has_value()) {
      return std::string(*en);
    }
  }
  return std::string(status.message());
}

absl::Status WithContext(const absl::Status& status, absl::string_view zh,
                         absl::string_view en) {
  if (status.ok()) return status;
  return LocalizedError(status.code(), absl::StrCat(zh, MessageIn(status, Lang::kZh)),
                        absl::StrCat(en, MessageIn(status, Lang::kEn)));
}

}  // namespace baoxue
