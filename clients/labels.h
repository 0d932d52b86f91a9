// The names people read for the API's enums and states, in both languages,
// and the words the command line accepts for them. Later issues add case
// states, priority groups and the like here.
#ifndef BAOXUE_CLIENTS_LABELS_H_
#define BAOXUE_CLIENTS_LABELS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "baoxue/v1/common.pb.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

// 学校 / school, 乡镇 / township, 教育局 / bureau, 教育局只读 / bureau viewer.
std::string RoleLabel(v1::Role role, Lang lang);

// Reads a role as written on the command line: school, township, bureau,
// viewer (or bureau_viewer), or the Chinese label. Case-insensitive.
bool ParseRole(absl::string_view word, v1::Role* role);

// 有效 / active, 已吊销 / revoked.
std::string AccountStateLabel(const v1::Account& account, Lang lang);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_LABELS_H_
