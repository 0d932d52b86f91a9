#include "services/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/localized_status.h"

namespace baoxue::services {

absl::Status FieldError(const Field& field, absl::string_view zh,
                        absl::string_view en) {
  return InvalidArgumentError(
      absl::StrCat(field.label_zh, "（", field.path, "）：", zh),
      absl::StrCat(field.path, ": ", en));
}

int Utf8Length(absl::string_view text) {
  int count = 0;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int extra;
    uint32_t cp;
    if (c < 0x80) {
      extra = 0;
      cp = c;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return -1;
    }
    if (i + extra >= text.size()) return -1;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return -1;
    }
    i += extra + 1;
    ++count;
  }
  return count;
}

absl::Status ValidateText(const Field& field, absl::string_view value,
                          int min_chars, int max_chars) {
  int length = Utf8Length(value);
  if (length < 0) {
    return FieldError(field, "不是有效的 UTF-8 文本", "not valid UTF-8 text");
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return FieldError(field, "不能包含控制字符（如换行、制表符）",
                        "must not contain control characters (newline, tab)");
    }
  }
  if (absl::StripAsciiWhitespace(value).size() != value.size()) {
    return FieldError(field, "首尾不能有空格",
                      "must not begin or end with spaces");
  }
  if (length < min_chars) {
    if (min_chars == 1) return FieldError(field, "必填", "is required");
    return FieldError(field, absl::StrCat("至少 ", min_chars, " 个字"),
                      absl::StrCat("at least ", min_chars, " characters"));
  }
  if (length > max_chars) {
    return FieldError(field, absl::StrCat("不能超过 ", max_chars, " 个字"),
                      absl::StrCat("at most ", max_chars, " characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateIdentifier(const Field& field, absl::string_view value) {
  if (value.empty()) return FieldError(field, "必填", "is required");
  bool ok = value.size() >= 3 && value.size() <= 64 &&
            (absl::ascii_islower(value[0]) || absl::ascii_isdigit(value[0]));
  for (char c : value) {
    ok = ok && (absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
                c == '_' || c == '-');
  }
  if (!ok) {
    return FieldError(
        field,
        "须为 3 到 64 个小写字母、数字或 . _ -，并以字母或数字开头",
        "must be 3 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter "
        "or digit");
  }
  return absl::OkStatus();
}

}  // namespace baoxue::services
