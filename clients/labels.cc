#include "clients/labels.h"

#include "absl/strings/ascii.h"

namespace baoxue::clients {

std::string RoleLabel(v1::Role role, Lang lang) {
  Text text;
  switch (role) {
    case v1::ROLE_SCHOOL:
      text = {"学校", "school"};
      break;
    case v1::ROLE_TOWNSHIP:
      text = {"乡镇", "township"};
      break;
    case v1::ROLE_BUREAU:
      text = {"教育局", "bureau"};
      break;
    case v1::ROLE_BUREAU_VIEWER:
      text = {"教育局只读", "bureau viewer"};
      break;
    default:
      text = {"未知角色", "unknown role"};
      break;
  }
  return text.In(lang);
}

bool ParseRole(absl::string_view word, v1::Role* role) {
  std::string w = absl::AsciiStrToLower(absl::StripAsciiWhitespace(word));
  if (w == "school" || w == "学校") {
    *role = v1::ROLE_SCHOOL;
  } else if (w == "township" || w == "乡镇") {
    *role = v1::ROLE_TOWNSHIP;
  } else if (w == "bureau" || w == "教育局") {
    *role = v1::ROLE_BUREAU;
  } else if (w == "viewer" || w == "bureau_viewer" || w == "教育局只读") {
    *role = v1::ROLE_BUREAU_VIEWER;
  } else {
    return false;
  }
  return true;
}

std::string AccountStateLabel(const v1::Account& account, Lang lang) {
  Text text = account.revoked() ? Text{"已吊销", "revoked"}
                                : Text{"有效", "active"};
  return text.In(lang);
}

}  // namespace baoxue::clients
