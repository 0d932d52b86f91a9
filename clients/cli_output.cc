#include "clients/cli_output.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/table.h"
#include "google/protobuf/util/json_util.h"

namespace baoxue::clients {

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  static const absl::TimeZone kShanghai = absl::FixedTimeZone(8 * 60 * 60);
  absl::Time time = absl::FromUnixSeconds(timestamp.seconds()) +
                    absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, kShanghai);
}

std::string RenderFields(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  int width = 0;
  for (const auto& [label, value] : fields) {
    width = std::max(width, DisplayWidth(label));
  }
  std::string out;
  for (const auto& [label, value] : fields) {
    absl::StrAppend(&out, label);
    if (!value.empty()) {
      out.append(width - DisplayWidth(label) + 2, ' ');
      absl::StrAppend(&out, value);
    }
    out.push_back('\n');
  }
  return out;
}

namespace {

std::string PrintJson(const google::protobuf::Message& message,
                      bool whitespace) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = whitespace;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  // Printing a well-formed message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  if (json.empty() || json.back() != '\n') json.push_back('\n');
  return json;
}

}  // namespace

std::string ToJson(const google::protobuf::Message& message) {
  return PrintJson(message, /*whitespace=*/true);
}

std::string ToJsonLine(const google::protobuf::Message& message) {
  // Without add_whitespace the printer writes no newline inside the
  // document (string values escape theirs).
  return PrintJson(message, /*whitespace=*/false);
}

}  // namespace baoxue::clients
