#include "services/scope.h"

#include "absl/strings/str_cat.h"

namespace baoxue::services {
namespace {

bool IsBureau(const v1::Account& account) {
  return account.role() == v1::ROLE_BUREAU ||
         account.role() == v1::ROLE_BUREAU_VIEWER;
}

absl::Status Denied(const Caller& caller, absl::string_view what_zh,
                    absl::string_view what_en) {
  const v1::Account& a = caller.account;
  return PermissionDeniedError(
      absl::StrCat("账号 ", a.account_id(), "（", RoleName(a.role(), Lang::kZh),
                   "）无权", what_zh),
      absl::StrCat("account ", a.account_id(), " (",
                   RoleName(a.role(), Lang::kEn), ") may not ", what_en));
}

}  // namespace

absl::string_view RoleName(v1::Role role, Lang lang) {
  bool zh = lang == Lang::kZh;
  switch (role) {
    case v1::ROLE_SCHOOL:
      return zh ? "学校" : "school";
    case v1::ROLE_TOWNSHIP:
      return zh ? "乡镇" : "township";
    case v1::ROLE_BUREAU:
      return zh ? "教育局" : "bureau";
    case v1::ROLE_BUREAU_VIEWER:
      return zh ? "教育局只读" : "bureau viewer";
    default:
      return zh ? "未知角色" : "unknown role";
  }
}

absl::Status Authorize(const Caller& caller, Access access) {
  v1::Role role = caller.account.role();
  switch (access) {
    case Access::kBureauWrite:
      if (role == v1::ROLE_BUREAU) return absl::OkStatus();
      return Denied(caller, "执行教育局的写操作", "make bureau changes");
    case Access::kBureauRead:
      if (IsBureau(caller.account)) return absl::OkStatus();
      return Denied(caller, "使用教育局服务", "use the bureau service");
    case Access::kSchool:
      if (role == v1::ROLE_SCHOOL) return absl::OkStatus();
      return Denied(caller, "使用学校服务", "use the school service");
    case Access::kTownship:
      if (role == v1::ROLE_TOWNSHIP) return absl::OkStatus();
      return Denied(caller, "使用乡镇服务", "use the township service");
  }
  return Denied(caller, "执行此操作", "do this");
}

absl::Status CheckSchoolScope(const Caller& caller,
                              absl::string_view school_id) {
  const v1::Account& a = caller.account;
  if (a.role() == v1::ROLE_BUREAU) return absl::OkStatus();
  if (a.role() == v1::ROLE_SCHOOL && a.school_id() == school_id) {
    return absl::OkStatus();
  }
  return Denied(caller, absl::StrCat("访问学校 ", school_id, " 的数据"),
                absl::StrCat("access school ", school_id));
}

absl::Status CheckTownshipScope(const Caller& caller,
                                absl::string_view township_code) {
  const v1::Account& a = caller.account;
  if (IsBureau(a)) return absl::OkStatus();
  if (a.role() == v1::ROLE_TOWNSHIP && a.township_code() == township_code) {
    return absl::OkStatus();
  }
  return Denied(caller, absl::StrCat("访问乡镇 ", township_code, " 的数据"),
                absl::StrCat("access township ", township_code));
}

absl::Status CheckStudentVisibleToSchool(const Caller& caller,
                                         const v1::Student& student) {
  const std::string& school = caller.account.school_id();
  const v1::Enrolment& e = student.enrolment();
  bool visible = e.school_id() == school ||
                 (e.status() == v1::ENROLMENT_STATUS_TRANSFER_PENDING &&
                  e.transfer_to_school_id() == school) ||
                 e.status() == v1::ENROLMENT_STATUS_NOT_ENROLLED ||
                 e.status() == v1::ENROLMENT_STATUS_WITHDRAWN ||
                 e.status() == v1::ENROLMENT_STATUS_TRANSFERRED_OUT ||
                 e.status() == v1::ENROLMENT_STATUS_DEFERRED;
  if (visible) return absl::OkStatus();
  return Denied(caller, "查看其他学校的学生", "see another school's student");
}

}  // namespace baoxue::services
