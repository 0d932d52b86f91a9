// Field checks shared by every request validator. Each error names the
// field, in Chinese and English, so a person knows what to correct.
#ifndef BAOXUE_SERVICES_VALIDATION_H_
#define BAOXUE_SERVICES_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace baoxue::services {

// A field's name as the error shows it: the proto path (English) and the
// Chinese label, e.g. {"account.display_name", "显示名称"}.
struct Field {
  absl::string_view path;
  absl::string_view label_zh;
};

// Text a person typed: valid UTF-8, no control characters, between
// `min_chars` and `max_chars` Unicode characters after trimming.
absl::Status ValidateText(const Field& field, absl::string_view value,
                          int min_chars, int max_chars);

// An identifier chosen by people (account ids, school ids): 3 to 64 of
// a-z 0-9 . _ -, starting with a letter or digit.
absl::Status ValidateIdentifier(const Field& field, absl::string_view value);

// INVALID_ARGUMENT "<field>: <zh>" / "<path>: <en>".
absl::Status FieldError(const Field& field, absl::string_view zh,
                        absl::string_view en);

// Number of Unicode characters in valid UTF-8 `text`; -1 if invalid.
int Utf8Length(absl::string_view text);

}  // namespace baoxue::services

#endif  // BAOXUE_SERVICES_VALIDATION_H_
