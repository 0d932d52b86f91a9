#include "services/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/validation.h"

namespace baoxue::services {

absl::StatusOr<int> PageSize(int requested) {
  if (requested == 0) return kDefaultPageSize;
  if (requested < 0 || requested > kMaxPageSize) {
    return FieldError({"page_size", "每页条数"},
                      absl::StrCat("须在 1 到 ", kMaxPageSize, " 之间"),
                      absl::StrCat("must be between 1 and ", kMaxPageSize));
  }
  return requested;
}

std::string EncodePageToken(absl::string_view last_key) {
  return absl::WebSafeBase64Escape(last_key);
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  std::string key;
  if (!absl::WebSafeBase64Unescape(token, &key)) {
    return FieldError({"page_token", "翻页标记"},
                      "无效，请使用上一页响应中的 next_page_token",
                      "is not valid; pass the previous response's "
                      "next_page_token");
  }
  return key;
}

}  // namespace baoxue::services
