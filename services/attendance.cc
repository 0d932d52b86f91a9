#include "services/attendance.h"

#include <map>

#include "absl/container/flat_hash_set.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/county_time.h"
#include "services/dates.h"
#include "services/domain/identifiers.h"
#include "services/registry.h"
#include "services/students.h"
#include "services/validation.h"
#include "services/write_model.h"
#include "storage/localized_status.h"
#include "storage/status_macros.h"

namespace baoxue::services {
namespace {

// What a resubmission is compared on: the absences, each length-prefixed,
// and the zero-report flag. Serialised in place rather than through a copy
// of the report, which for 1,000 rows cost as much as the comparison.
std::string Content(const v1::AttendanceReport& r) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    for (const v1::Absence& a : r.absences()) {
      out.WriteVarint64(a.ByteSizeLong());
      a.SerializeWithCachedSizes(&out);
    }
    out.WriteVarint32(r.zero_report() ? 1 : 0);
  }
  return bytes;
}

}  // namespace

absl::Status CheckDateRange(const v1::Date& start, const v1::Date& end,
                            absl::CivilDay* start_day, absl::CivilDay* end_day) {
  ASSIGN_OR_RETURN(*start_day, CheckDate({"start_date", "开始日期"}, start));
  ASSIGN_OR_RETURN(*end_day, CheckDate({"end_date", "结束日期"}, end));
  if (*end_day < *start_day) {
    return FieldError({"end_date", "结束日期"}, "不能早于开始日期",
                      "cannot be before start_date");
  }
  if (*end_day - *start_day > 366) {
    return FieldError({"end_date", "结束日期"}, "日期范围不能超过 366 天",
                      "the range cannot exceed 366 days");
  }
  return absl::OkStatus();
}

absl::Status PrepareAttendanceReport(
    const storage::ModelTxn& model, const std::string& school_id,
    const std::string& account_id,
    const v1::SubmitAttendanceReportRequest& request, v1::Event* event,
    v1::AttendanceReport* on_record) {
  ASSIGN_OR_RETURN(v1::School school, RequireSchool(model, school_id));
  ASSIGN_OR_RETURN(v1::RuleSettings settings, EffectiveSettings(model));
  absl::CivilDay today = CountyDayOf(event->record_time());
  const Field date_field{"date", "日期"};
  ASSIGN_OR_RETURN(absl::CivilDay day,
                   CheckPastDate(date_field, request.date(), today));
  if (today - day > settings.report_max_age_days()) {
    return FieldError(
        date_field,
        absl::StrCat(FormatDay(day), " 已超过 ", settings.report_max_age_days(),
                     " 天的补报期限"),
        absl::StrCat(FormatDay(day), " is more than ",
                     settings.report_max_age_days(),
                     " days ago, past the reporting window"));
  }
  ASSIGN_OR_RETURN(auto calendar, CalendarAround(model, day));
  if (!calendar.has_value() || !calendar->IsSchoolDay(day)) {
    return FieldError(date_field,
                      absl::StrCat(FormatDay(day),
                                   " 不是上课日（周末、节假日或不在学期内）"),
                      absl::StrCat(FormatDay(day),
                                   " is not a school day (weekend, holiday or "
                                   "outside a term)"));
  }
  if (request.zero_report() && request.absences_size() > 0) {
    return FieldError({"zero_report", "零报告"}, "零报告不能同时列出缺勤",
                      "a zero report cannot list absences");
  }
  if (!request.zero_report() && request.absences_size() == 0) {
    return FieldError({"absences", "缺勤名单"},
                      "没有缺勤时请提交零报告（zero_report）",
                      "is empty; send zero_report when nobody is absent");
  }
  if (request.absences_size() > kMaxAbsencesPerReport) {
    return ResourceExhaustedError(
        absl::StrCat("一天最多报告 ", kMaxAbsencesPerReport, " 条缺勤"),
        absl::StrCat("at most ", kMaxAbsencesPerReport,
                     " absences in one day's report"));
  }

  v1::AttendanceReport report;
  report.set_school_id(school_id);
  *report.mutable_date() = request.date();
  report.set_zero_report(request.zero_report());
  std::vector<std::string> errors_zh, errors_en;
  // Views into the request, which outlives the loop.
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(request.absences_size());
  report.mutable_absences()->Reserve(request.absences_size());
  StudentsByNumber students(model);
  for (int i = 0; i < request.absences_size(); ++i) {
    const v1::Absence& row = request.absences(i);
    // Built only for a bad row: most reports have none, and formatting two
    // prefixes per row was a visible share of a 1,000-row report.
    auto fail = [&](absl::string_view zh, absl::string_view en) {
      // Messages reach terminals and logs: a G number embeds the ID number.
      std::string shown = domain::MaskStudentNumber(row.student_number());
      errors_zh.push_back(absl::StrCat("第 ", i + 1, " 行（absences[", i,
                                       "]，学籍号 ", shown, "）：", zh));
      errors_en.push_back(
          absl::StrCat("absences[", i, "] (student number ", shown, "): ", en));
    };
    if (row.student_number().empty()) {
      fail("缺少学籍号", "student_number is required");
      continue;
    }
    if (!seen.insert(row.student_number()).second) {
      fail("同一学生在本报告中出现了两次", "the same student appears twice");
      continue;
    }
    if (row.category() == v1::ABSENCE_CATEGORY_UNSPECIFIED ||
        !v1::AbsenceCategory_IsValid(row.category())) {
      fail("缺勤类别无效（病假、事假、旷课或去向不明）",
           "category must be SICK_LEAVE, PERSONAL_LEAVE, UNEXCUSED or "
           "WHEREABOUTS_UNKNOWN");
      continue;
    }
    absl::Status reason =
        row.reason().empty()
            ? absl::OkStatus()
            : ValidateText({"reason", "缺勤原因"}, row.reason(), 0, 200);
    if (!reason.ok()) {
      fail(MessageIn(reason, Lang::kZh), MessageIn(reason, Lang::kEn));
      continue;
    }
    ASSIGN_OR_RETURN(const v1::Student* student,
                     students.Find(row.student_number()));
    if (student == nullptr) {
      fail("本县没有这个学籍号", "no child of the county has this number");
      continue;
    }
    if (!EnrolledOn(*student, school_id, day)) {
      fail(absl::StrCat(student->name(), " 在 ", FormatDay(day), " 不是本校在读学生"),
           absl::StrCat(student->name(), " was not attending this school on ",
                        FormatDay(day)));
      continue;
    }
    v1::Absence* absence = report.add_absences();
    *absence = row;
    absence->set_student_id(student->student_id());
  }
  if (!errors_zh.empty()) {
    return InvalidArgumentError(
        absl::StrCat("考勤报告有 ", errors_zh.size(), " 行错误，整份报告未保存：\n",
                     absl::StrJoin(errors_zh, "\n")),
        absl::StrCat("the report has ", errors_en.size(),
                     " bad rows; nothing was saved:\n",
                     absl::StrJoin(errors_en, "\n")));
  }

  ASSIGN_OR_RETURN(auto previous, FindAttendanceReport(model, school_id, day));
  if (previous.has_value() && Content(*previous) == Content(report)) {
    // The same report again: nothing to record.
    if (on_record != nullptr) *on_record = *std::move(previous);
    return absl::OkStatus();
  }
  report.set_revision(previous.has_value() ? previous->revision() + 1 : 1);
  *report.mutable_submit_time() = event->record_time();
  report.set_submitted_by(account_id);
  auto* reported = event->mutable_attendance_reported();
  if (previous.has_value()) *reported->mutable_previous() = *previous;
  *reported->mutable_report() = std::move(report);
  return absl::OkStatus();
}

absl::StatusOr<v1::SchoolReportingStatus> ReportingStatus(
    const storage::ModelTxn& model, const v1::School& school,
    absl::CivilDay start, absl::CivilDay end, absl::Time now) {
  ASSIGN_OR_RETURN(v1::RuleSettings settings, EffectiveSettings(model));
  v1::SchoolReportingStatus status;
  status.set_school_id(school.school_id());
  status.set_school_name(school.name());
  absl::CivilDay today = CountyDay(now);
  absl::Time cutoff_today =
      CountyMidnight(today) + absl::Minutes(settings.reporting_cutoff_minutes());
  std::map<int, std::optional<domain::CountyCalendar>> calendars;
  int run = 0;
  for (absl::CivilDay day = start; day <= end && day <= today; ++day) {
    auto cached = calendars.find(static_cast<int>(day.year()));
    if (cached == calendars.end()) {
      ASSIGN_OR_RETURN(auto calendar, CalendarAround(model, day));
      cached = calendars.emplace(static_cast<int>(day.year()), std::move(calendar)).first;
    }
    if (!cached->second.has_value() || !cached->second->IsSchoolDay(day)) continue;
    ASSIGN_OR_RETURN(auto report,
                     FindAttendanceReport(model, school.school_id(), day));
    v1::ReportingDay* d = status.add_days();
    *d->mutable_date() = ToDate(day);
    if (report.has_value()) {
      d->set_reported(true);
      d->set_zero_report(report->zero_report());
      d->set_absence_count(report->absences_size());
      status.set_reported_days(status.reported_days() + 1);
      run = 0;
    } else if (day < today || now >= cutoff_today) {
      d->set_missing(true);
      status.set_missing_days(status.missing_days() + 1);
      ++run;
    }
  }
  status.set_consecutive_missing_days(run);
  return status;
}

}  // namespace baoxue::services
