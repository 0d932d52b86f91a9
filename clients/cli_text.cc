#include "clients/cli_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace baoxue::clients {

bool ParseLang(absl::string_view value, Lang* lang) {
  std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
  auto is = [&v](absl::string_view code) {
    return v == code || (absl::StartsWith(v, code) && v.size() > code.size() &&
                         (v[code.size()] == '-' || v[code.size()] == '_'));
  };
  if (is("zh")) {
    *lang = Lang::kZh;
    return true;
  }
  if (is("en")) {
    *lang = Lang::kEn;
    return true;
  }
  return false;
}

}  // namespace baoxue::clients
