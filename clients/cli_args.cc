#include "clients/cli_args.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace baoxue::clients {
namespace {

// A token that looks like a flag: "--name", "--name=value" or "-h".
bool IsFlagToken(absl::string_view token) {
  return token.size() > 1 && token[0] == '-';
}

struct FlagToken {
  std::string name;
  std::string value;
  bool has_value = false;
};

FlagToken SplitFlagToken(absl::string_view token) {
  FlagToken flag;
  absl::string_view body = token.substr(absl::StartsWith(token, "--") ? 2 : 1);
  size_t eq = body.find('=');
  if (eq != absl::string_view::npos) {
    flag.value = std::string(body.substr(eq + 1));
    flag.has_value = true;
    body = body.substr(0, eq);
  }
  flag.name = std::string(body);
  if (flag.name == "h") flag.name = "help";
  return flag;
}

const FlagSpec* FindSpec(absl::Span<const FlagSpec> specs,
                         absl::string_view name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// Reads the value of `flag` (from the token or the next argument) into
// *value. `i` indexes the flag's token and is advanced past a consumed value.
bool TakeValue(const FlagSpec& spec, const FlagToken& flag,
               absl::Span<const std::string> args, size_t* i,
               std::string* value, Text* error) {
  if (spec.kind == FlagKind::kBool) {
    if (!flag.has_value || flag.value == "true" || flag.value == "1") {
      *value = "true";
      return true;
    }
    if (flag.value == "false" || flag.value == "0") {
      *value = "false";
      return true;
    }
    *error = {absl::StrCat("选项 --", spec.name, " 只能是 true 或 false"),
              absl::StrCat("option --", spec.name,
                           " takes no value (or true / false)")};
    return false;
  }
  if (flag.has_value) {
    *value = flag.value;
  } else if (*i + 1 < args.size()) {
    *value = args[++*i];
  } else {
    *error = {absl::StrCat("选项 --", spec.name, " 缺少取值"),
              absl::StrCat("option --", spec.name, " needs a value")};
    return false;
  }
  int64_t unused;
  if (spec.kind == FlagKind::kInt && !absl::SimpleAtoi(*value, &unused)) {
    *error = {absl::StrCat("选项 --", spec.name, " 须为整数，而不是 \"", *value,
                           "\""),
              absl::StrCat("option --", spec.name, " must be an integer, not \"",
                           *value, "\"")};
    return false;
  }
  return true;
}

}  // namespace

std::string FlagValues::Get(absl::string_view name,
                            absl::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? std::string(fallback)
                                                   : it->second.back();
}

std::vector<std::string> FlagValues::GetAll(absl::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

int64_t FlagValues::GetInt(absl::string_view name, int64_t fallback) const {
  auto it = values_.find(name);
  int64_t value;
  if (it == values_.end() || it->second.empty() ||
      !absl::SimpleAtoi(it->second.back(), &value)) {
    return fallback;
  }
  return value;
}

bool FlagValues::GetBool(absl::string_view name) const {
  auto it = values_.find(name);
  return it != values_.end() && !it->second.empty() &&
         it->second.back() == "true";
}

bool SplitArgs(absl::Span<const std::string> args,
               absl::Span<const FlagSpec> global_specs, SplitResult* result,
               Text* error) {
  bool in_words = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (!IsFlagToken(token)) {
      (in_words ? result->words : result->rest).push_back(token);
      continue;
    }
    FlagToken flag = SplitFlagToken(token);
    const FlagSpec* spec = FindSpec(global_specs, flag.name);
    if (spec == nullptr) {
      // A command flag: the words are over; ParseFlags() reads it later.
      in_words = false;
      result->rest.push_back(token);
      continue;
    }
    std::string value;
    if (!TakeValue(*spec, flag, args, &i, &value, error)) return false;
    result->globals.Set(spec->name, value);
  }
  return true;
}

bool ParseFlags(absl::Span<const std::string> rest,
                absl::Span<const FlagSpec> specs, FlagValues* values,
                Text* error) {
  for (size_t i = 0; i < rest.size(); ++i) {
    const std::string& token = rest[i];
    if (!IsFlagToken(token)) {
      *error = {absl::StrCat("多余的参数 \"", token, "\""),
                absl::StrCat("unexpected argument \"", token, "\"")};
      return false;
    }
    FlagToken flag = SplitFlagToken(token);
    const FlagSpec* spec = FindSpec(specs, flag.name);
    if (spec == nullptr) {
      *error = {absl::StrCat("未知选项 --", flag.name),
                absl::StrCat("unknown option --", flag.name)};
      return false;
    }
    if (values->Has(spec->name) && !spec->repeated) {
      *error = {absl::StrCat("选项 --", spec->name, " 重复给出"),
                absl::StrCat("option --", spec->name, " given twice")};
      return false;
    }
    std::string value;
    if (!TakeValue(*spec, flag, rest, &i, &value, error)) return false;
    values->Add(spec->name, value);
  }
  std::vector<std::string> missing;
  for (const FlagSpec& spec : specs) {
    if (spec.required && !values->Has(spec.name)) {
      missing.push_back(absl::StrCat("--", spec.name));
    }
  }
  if (!missing.empty()) {
    *error = {absl::StrCat("缺少必填选项 ", absl::StrJoin(missing, "、")),
              absl::StrCat("missing required option",
                           missing.size() > 1 ? "s " : " ",
                           absl::StrJoin(missing, ", "))};
    return false;
  }
  return true;
}

}  // namespace baoxue::clients
