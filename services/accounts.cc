#include "services/accounts.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/scope.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return !s.empty();
}

}  // namespace

absl::Status PrepareCreateAccount(const storage::ModelTxn& model,
                                  const v1::Account& account,
                                  const std::string& token_sha256,
                                  v1::Event* event) {
  RETURN_IF_ERROR(
      ValidateIdentifier({"account.account_id", "账号"}, account.account_id()));
  RETURN_IF_ERROR(ValidateText({"account.display_name", "显示名称"},
                               account.display_name(), 1, 100));
  const Field school{"account.school_id", "学校"};
  const Field township{"account.township_code", "乡镇代码"};
  switch (account.role()) {
    case v1::ROLE_SCHOOL:
      RETURN_IF_ERROR(ValidateIdentifier(school, account.school_id()));
      if (!account.township_code().empty()) {
        return FieldError(township, "学校账号不能绑定乡镇",
                          "must be empty for a school account");
      }
      break;
    case v1::ROLE_TOWNSHIP:
      if (account.township_code().size() != 9 ||
          !AllDigits(account.township_code())) {
        return FieldError(township, "须为 9 位数字的乡镇代码",
                          "must be a 9-digit township code");
      }
      if (!account.school_id().empty()) {
        return FieldError(school, "乡镇账号不能绑定学校",
                          "must be empty for a township account");
      }
      break;
    case v1::ROLE_BUREAU:
    case v1::ROLE_BUREAU_VIEWER:
      if (!account.school_id().empty()) {
        return FieldError(school, "教育局账号不能绑定学校",
                          "must be empty for a bureau account");
      }
      if (!account.township_code().empty()) {
        return FieldError(township, "教育局账号不能绑定乡镇",
                          "must be empty for a bureau account");
      }
      break;
    default:
      return FieldError({"account.role", "角色"},
                        "须为 SCHOOL、TOWNSHIP、BUREAU 或 BUREAU_VIEWER",
                        "must be SCHOOL, TOWNSHIP, BUREAU or BUREAU_VIEWER");
  }
  if (account.revoked() || account.has_create_time() ||
      !account.created_by().empty()) {
    return FieldError({"account", "账号"},
                      "revoked、create_time、created_by 由服务器填写，请留空",
                      "revoked, create_time and created_by are set by the "
                      "server; leave them empty");
  }
  if (account.role() == v1::ROLE_SCHOOL) {
    ASSIGN_OR_RETURN(auto found, FindSchool(model, account.school_id()));
    if (!found.has_value()) {
      return FieldError(school,
                        absl::StrCat("学校 ", account.school_id(), " 不存在"),
                        absl::StrCat("school ", account.school_id(),
                                     " does not exist"));
    }
  }
  if (account.role() == v1::ROLE_TOWNSHIP) {
    ASSIGN_OR_RETURN(auto found, FindTownship(model, account.township_code()));
    if (!found.has_value()) {
      return FieldError(township,
                        absl::StrCat("乡镇 ", account.township_code(), " 不存在"),
                        absl::StrCat("township ", account.township_code(),
                                     " does not exist"));
    }
  }
  ASSIGN_OR_RETURN(auto existing, FindAccount(model, account.account_id()));
  if (existing.has_value()) {
    return AlreadyExistsError(
        absl::StrCat("账号 ", account.account_id(), " 已存在"),
        absl::StrCat("account ", account.account_id(), " already exists"));
  }
  v1::AccountCreated* created = event->mutable_account_created();
  *created->mutable_account() = account;
  created->set_token_sha256(token_sha256);
  return absl::OkStatus();
}

absl::Status PrepareRevokeAccount(const storage::ModelTxn& model,
                                  const std::string& account_id,
                                  const std::string& reason, v1::Event* event) {
  RETURN_IF_ERROR(ValidateIdentifier({"account_id", "账号"}, account_id));
  RETURN_IF_ERROR(ValidateText({"reason", "吊销原因"}, reason, 1, 500));
  ASSIGN_OR_RETURN(auto account, FindAccount(model, account_id));
  if (!account.has_value()) {
    return NotFoundError(absl::StrCat("账号 ", account_id, " 不存在"),
                         absl::StrCat("account ", account_id, " does not exist"));
  }
  if (account->revoked()) {
    return FailedPreconditionError(
        absl::StrCat("账号 ", account_id, " 已被吊销"),
        absl::StrCat("account ", account_id, " is already revoked"));
  }
  if (account->role() == v1::ROLE_BUREAU) {
    // Revoking the last working bureau account would lock the county out.
    int active_bureau = 0;
    absl::Status parse;
    RETURN_IF_ERROR(model.Scan(AccountKeyPrefix(), [&](absl::string_view,
                                                       absl::string_view value) {
      v1::Account a;
      if (!a.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
        parse = absl::DataLossError("an account record cannot be read");
        return false;
      }
      if (a.role() == v1::ROLE_BUREAU && !a.revoked()) ++active_bureau;
      return true;
    }));
    RETURN_IF_ERROR(parse);
    if (active_bureau <= 1) {
      return FailedPreconditionError(
          "这是最后一个有效的教育局账号，吊销后将无人能管理本县；请先创建另一个"
          "教育局账号",
          "this is the last active bureau account; revoking it would leave "
          "nobody able to administer the county. Create another bureau "
          "account first");
    }
  }
  v1::AccountRevoked* revoked = event->mutable_account_revoked();
  revoked->set_account_id(account_id);
  revoked->set_reason(reason);
  return absl::OkStatus();
}

}  // namespace baoxue::services
