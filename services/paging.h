// Page tokens and page sizes for list RPCs, in one place. A page token is
// the opaque, web-safe encoding of the last key a page returned.
#ifndef BAOXUE_SERVICES_PAGING_H_
#define BAOXUE_SERVICES_PAGING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace baoxue::services {

inline constexpr int kDefaultPageSize = 100;
inline constexpr int kMaxPageSize = 1000;

// The page size to use for a request's page_size (0 means the default).
absl::StatusOr<int> PageSize(int requested);

std::string EncodePageToken(absl::string_view last_key);
// The key to resume after; empty for an empty token.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_PAGING_H_
