// Formatting shared by the client's commands: times in the county's zone,
// label/value blocks, JSON for scripts.
#ifndef BAOXUE_CLIENTS_CLI_OUTPUT_H_
#define BAOXUE_CLIENTS_CLI_OUTPUT_H_

#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace baoxue::clients {

// `timestamp` in Asia/Shanghai (UTC+8, no daylight saving) as
// "2026-09-01 08:00:00"; "" for an unset (zero) timestamp.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// Renders label/value pairs one per line, values lined up after the widest
// label (CJK-aware, see DisplayWidth):
//
//   账号      xz-school-01
//   名称      浔中中心小学
std::string RenderFields(
    const std::vector<std::pair<std::string, std::string>>& fields);

// `message` as one JSON document with the proto field names and every
// primitive field (zeros included), so scripts see stable keys. Ends with a
// newline.
std::string ToJson(const google::protobuf::Message& message);

// ToJson() on one line (no whitespace between tokens), for streams a script
// reads a line at a time (JSON Lines). Ends with a newline.
std::string ToJsonLine(const google::protobuf::Message& message);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_OUTPUT_H_
