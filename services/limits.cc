#include "services/limits.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "storage/localized_status.h"

namespace baoxue::services {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status TooLong(const std::string& path, size_t size, size_t max_bytes) {
  return InvalidArgumentError(
      absl::StrCat(path, "：长度不能超过 ", max_bytes, " 字节（现为 ", size,
                   " 字节）"),
      absl::StrCat(path, ": at most ", max_bytes, " bytes (it has ", size,
                   ")"));
}

absl::Status Check(const Message& message, const std::string& prefix,
                   size_t max_bytes, int depth) {
  // Protobuf itself refuses to parse nesting deeper than 100.
  if (depth > 100) return absl::OkStatus();
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // set fields, by number
  for (const FieldDescriptor* field : fields) {
    std::string path = absl::StrCat(prefix, field->name());
    bool is_string = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!is_string && !is_message) continue;
    if (field->is_repeated()) {
      int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        std::string item = absl::StrCat(path, "[", i, "]");
        if (is_string) {
          std::string scratch;
          const std::string& value =
              reflection->GetRepeatedStringReference(message, field, i, &scratch);
          if (value.size() > max_bytes) return TooLong(item, value.size(), max_bytes);
        } else {
          absl::Status s =
              Check(reflection->GetRepeatedMessage(message, field, i),
                    absl::StrCat(item, "."), max_bytes, depth + 1);
          if (!s.ok()) return s;
        }
      }
    } else if (is_string) {
      std::string scratch;
      const std::string& value =
          reflection->GetStringReference(message, field, &scratch);
      if (value.size() > max_bytes) return TooLong(path, value.size(), max_bytes);
    } else {
      absl::Status s = Check(reflection->GetMessage(message, field),
                             absl::StrCat(path, "."), max_bytes, depth + 1);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckStringLengths(const Message& message, size_t max_bytes) {
  return Check(message, "", max_bytes, 0);
}

void CallGate::OnRequest(const void* call, const Message& request) {
  absl::Status status = CheckStringLengths(request, limits_.max_string_bytes);
  if (status.ok()) return;
  absl::MutexLock lock(&mu_);
  CallState& state = calls_[call];
  if (state.request_error.ok()) state.request_error = std::move(status);
}

absl::Status CallGate::Admit(const void* call, const std::string& account_id) {
  absl::MutexLock lock(&mu_);
  CallState& state = calls_[call];
  if (!state.request_error.ok()) return state.request_error;
  if (!state.account_id.empty()) return absl::OkStatus();
  int& in_flight = in_flight_[account_id];
  if (in_flight >= limits_.max_calls_per_account) {
    if (in_flight == 0) in_flight_.erase(account_id);
    return ResourceExhaustedError(
        absl::StrCat("账号 ", account_id, " 同时进行的请求已达上限（",
                     limits_.max_calls_per_account,
                     " 个），请等前面的请求完成后再试"),
        absl::StrCat("account ", account_id, " already has ",
                     limits_.max_calls_per_account,
                     " calls in flight, the most allowed; retry when earlier "
                     "ones have finished"));
  }
  ++in_flight;
  state.account_id = account_id;
  return absl::OkStatus();
}

void CallGate::OnCallEnd(const void* call) {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(call);
  if (it == calls_.end()) return;
  if (!it->second.account_id.empty()) {
    auto counted = in_flight_.find(it->second.account_id);
    if (counted != in_flight_.end() && --counted->second <= 0) {
      in_flight_.erase(counted);
    }
  }
  calls_.erase(it);
}

std::string CallGate::AccountOf(const void* call) const {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(call);
  return it == calls_.end() ? "" : it->second.account_id;
}

int CallGate::InFlight(const std::string& account_id) const {
  absl::MutexLock lock(&mu_);
  auto it = in_flight_.find(account_id);
  return it == in_flight_.end() ? 0 : it->second;
}

}  // namespace baoxue::services
