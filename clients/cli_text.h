// Text in the two languages the client speaks. Every label, role name,
// status word and message the client prints itself is a Text, so the
// choice between Chinese (the default) and English is made in one place.
#ifndef BAOXUE_CLIENTS_CLI_TEXT_H_
#define BAOXUE_CLIENTS_CLI_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace baoxue::clients {

// The language of the client's output (and of the server's messages, which
// the client asks for with `accept-language`).
enum class Lang { kZh, kEn };

// A message in Chinese and English.
struct Text {
  std::string zh;
  std::string en;

  const std::string& In(Lang lang) const {
    return lang == Lang::kEn ? en : zh;
  }
};

// Parses "zh" or "en" (case-insensitive; "zh-CN", "en-US" and the like are
// accepted too). Returns false for anything else.
bool ParseLang(absl::string_view value, Lang* lang);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_TEXT_H_
