#include "deploy/demo/driver.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "google/protobuf/util/time_util.h"
#include "services/county_time.h"
#include "storage/status_macros.h"

namespace baoxue::demo {
namespace {

using google::protobuf::util::TimeUtil;
using services::CountyDay;
using services::CountyMidnight;

std::string FormatDay(absl::CivilDay day) {
  return absl::FormatCivilTime(day);
}

// The county clock's reading at 08:00: when a school day's work starts.
constexpr int kMorning = 8 * 60;
// 20:00, after the reporting cutoff.
constexpr int kEvening = 20 * 60;

// A stable hash of a case id (FNV-1a), so every run treats a case alike.
uint64_t Fnv(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

// Writes a token file readable by its owner only.
absl::Status WriteToken(const std::string& path, const std::string& token) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError(absl::StrCat("无法写入令牌文件 ", path),
                            absl::StrCat("cannot write the token file ", path));
  }
  std::string line = token + "\n";
  bool ok = ::write(fd, line.data(), line.size()) ==
            static_cast<ssize_t>(line.size());
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    return UnavailableError(absl::StrCat("无法写入令牌文件 ", path),
                            absl::StrCat("cannot write the token file ", path));
  }
  return absl::OkStatus();
}

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

const char* const kOfficials[] = {"林强", "陈建华", "郑志明", "黄秀英", "苏文彬"};
const char* const kTeachers[] = {"王丽老师", "李静老师", "张敏老师", "颜婷老师"};
const char* const kCadres[] = {"陈福生", "林国华", "赖永春", "涂金水"};

}  // namespace

DemoDriver::DemoDriver(const Dataset* data, DemoClient* client,
                       DriverOptions options)
    : data_(*data), client_(*client), options_(std::move(options)) {
  for (size_t i = 0; i < data_.students().size(); ++i) {
    by_number_[data_.students()[i].student.student_number()] = static_cast<int>(i);
  }
  for (size_t i = 0; i < data_.unenrolled().size(); ++i) {
    by_id_unenrolled_[data_.unenrolled()[i].entry.id_number()] = static_cast<int>(i);
  }
}

std::string DemoDriver::RequestId(const std::string& what) const {
  return absl::StrCat("demo-", data_.options().seed, "-",
                      data_.options().students, "-", what);
}

void DemoDriver::Say(const std::string& zh, const std::string& en) {
  if (options_.log != nullptr) {
    *options_.log << (options_.lang == Lang::kEn ? en : zh) << std::endl;
  }
}

absl::CivilDay DemoDriver::LastDay() const {
  absl::CivilDay last = data_.enrol_date() + (7 * options_.weeks - 1);
  const auto& days = data_.school_days();
  auto it = std::upper_bound(days.begin(), days.end(), last);
  return it == days.begin() ? days.front() : *(it - 1);
}

int DemoDriver::StudentOf(const v1::CaseRow& row) const {
  auto it = by_number_.find(row.student_number());
  return it == by_number_.end() ? -1 : it->second;
}

absl::StatusOr<DriverReport> DemoDriver::Run() {
  absl::Time start = absl::Now();
  RETURN_IF_ERROR(CheckServer());
  RETURN_IF_ERROR(ConfigureCounty());
  RETURN_IF_ERROR(CreateAccounts());
  report_.setup = absl::Now() - start;
  start = absl::Now();
  RETURN_IF_ERROR(ImportStudents());
  report_.import = absl::Now() - start;
  start = absl::Now();
  RETURN_IF_ERROR(Simulate());
  report_.simulate = absl::Now() - start;
  return report_;
}

absl::Status DemoDriver::CheckServer() {
  v1::GetSystemStatusResponse status;
  grpc::Status s = client_.Call(client_.bureau(),
                                &v1::BureauService::Stub::GetSystemStatus,
                                options_.bureau_token,
                                v1::GetSystemStatusRequest(), &status);
  if (!s.ok()) return FromGrpc(s, "GetSystemStatus");
  if (!status.has_simulated_time()) {
    return FailedPreconditionError(
        "服务器使用真实时钟：演示需要以 --simulated_time=2026-08-31 启动的服务器",
        "the server runs on the wall clock: the demo needs a server started "
        "with --simulated_time=2026-08-31");
  }
  clock_ = ToTime(status.simulated_time());
  Seen(status.last_sequence());
  return absl::OkStatus();
}

absl::Status DemoDriver::ConfigureCounty() {
  Say("县教育局：设置德化县、18 个乡镇、村、学校、校历与规则……",
      "bureau: configuring 德化县, 18 townships, villages, schools, calendar "
      "and rules...");
  const std::string& token = options_.bureau_token;
  auto* bureau = client_.bureau();
  using Stub = v1::BureauService::Stub;
  {
    v1::ConfigureCountyRequest request;
    *request.mutable_county() = data_.county();
    request.set_request_id(RequestId("county"));
    v1::ConfigureCountyResponse response;
    grpc::Status s = client_.Call(bureau, &Stub::ConfigureCounty, token, request, &response);
    if (!s.ok()) return FromGrpc(s, "ConfigureCounty");
    Seen(response.sequence());
  }
  for (const DemoTownship& t : data_.townships()) {
    v1::CreateTownshipRequest request;
    *request.mutable_township() = t.township;
    request.set_request_id(RequestId("township-" + t.township.township_code()));
    v1::CreateTownshipResponse response;
    grpc::Status s = client_.Call(bureau, &Stub::CreateTownship, token, request, &response);
    if (!s.ok()) return FromGrpc(s, "CreateTownship " + t.township.township_code());
    Seen(response.sequence());
    for (const v1::Village& v : t.villages) {
      v1::CreateVillageRequest vr;
      *vr.mutable_village() = v;
      vr.set_request_id(RequestId("village-" + v.village_code()));
      v1::CreateVillageResponse vresponse;
      s = client_.Call(bureau, &Stub::CreateVillage, token, vr, &vresponse);
      if (!s.ok()) return FromGrpc(s, "CreateVillage " + v.village_code());
      Seen(vresponse.sequence());
    }
  }
  for (const v1::School& school : data_.schools()) {
    v1::CreateSchoolRequest request;
    *request.mutable_school() = school;
    request.set_request_id(RequestId("school-" + school.school_id()));
    v1::CreateSchoolResponse response;
    grpc::Status s = client_.Call(bureau, &Stub::CreateSchool, token, request, &response);
    if (!s.ok()) return FromGrpc(s, "CreateSchool " + school.school_id());
    Seen(response.sequence());
  }
  {
    v1::SetCalendarRequest request;
    *request.mutable_calendar() = data_.calendar();
    request.set_request_id(RequestId("calendar-2026"));
    v1::SetCalendarResponse response;
    grpc::Status s = client_.Call(bureau, &Stub::SetCalendar, token, request, &response);
    if (!s.ok()) return FromGrpc(s, "SetCalendar");
    Seen(response.sequence());
  }
  {
    v1::GetSettingsResponse current;
    grpc::Status s = client_.Call(bureau, &Stub::GetSettings, token,
                                  v1::GetSettingsRequest(), &current);
    if (!s.ok()) return FromGrpc(s, "GetSettings");
    v1::UpdateSettingsRequest request;
    *request.mutable_settings() = current.settings();
    request.mutable_settings()->set_observation_school_days(
        options_.observation_school_days);
    request.set_request_id(
        RequestId(absl::StrCat("settings-observation-", options_.observation_school_days)));
    v1::UpdateSettingsResponse response;
    s = client_.Call(bureau, &Stub::UpdateSettings, token, request, &response);
    if (!s.ok()) return FromGrpc(s, "UpdateSettings");
    Seen(response.sequence());
  }
  report_.townships = data_.townships().size();
  report_.schools = data_.schools().size();
  return absl::OkStatus();
}

absl::StatusOr<std::string> DemoDriver::EnsureAccount(const v1::Account& account) {
  std::string path = (std::filesystem::path(options_.tokens_dir) /
                      (account.account_id() + ".token"))
                         .string();
  std::string token = ReadToken(path);
  if (!token.empty()) return token;
  v1::CreateAccountRequest request;
  *request.mutable_account() = account;
  request.set_request_id(RequestId("account-" + account.account_id()));
  v1::CreateAccountResponse response;
  grpc::Status s = client_.Call(client_.bureau(),
                                &v1::BureauService::Stub::CreateAccount,
                                options_.bureau_token, request, &response);
  if (!s.ok()) return FromGrpc(s, "CreateAccount " + account.account_id());
  if (response.token().empty()) {
    // Created by an earlier run whose token file is gone: a token is shown
    // only once, so there is no getting it back.
    return FailedPreconditionError(
        absl::StrCat("账号 ", account.account_id(), " 已存在，但令牌文件 ",
                     path, " 不见了；请换一个空的数据目录重新演示"),
        absl::StrCat("account ", account.account_id(),
                     " exists but its token file ", path,
                     " is gone; start the demo again on an empty data directory"));
  }
  Seen(response.sequence());
  RETURN_IF_ERROR(WriteToken(path, response.token()));
  return response.token();
}

absl::Status DemoDriver::CreateAccounts() {
  std::error_code ec;
  std::filesystem::create_directories(options_.tokens_dir, ec);
  ::chmod(options_.tokens_dir.c_str(), 0700);
  for (const DemoTownship& t : data_.townships()) {
    v1::Account account;
    account.set_account_id("town-" + t.township.township_code());
    account.set_display_name(t.township.name() + "控辍专干");
    account.set_role(v1::ROLE_TOWNSHIP);
    account.set_township_code(t.township.township_code());
    ASSIGN_OR_RETURN(township_tokens_[t.township.township_code()],
                     EnsureAccount(account));
  }
  for (const v1::School& school : data_.schools()) {
    v1::Account account;
    account.set_account_id("school-" + school.school_id());
    account.set_display_name(school.name() + "教务处");
    account.set_role(v1::ROLE_SCHOOL);
    account.set_school_id(school.school_id());
    ASSIGN_OR_RETURN(school_tokens_[school.school_id()], EnsureAccount(account));
  }
  Say(absl::StrCat("已创建 ", township_tokens_.size(), " 个乡镇账号和 ",
                   school_tokens_.size(), " 个学校账号，令牌在 ",
                   options_.tokens_dir),
      absl::StrCat("created ", township_tokens_.size(), " township and ",
                   school_tokens_.size(), " school accounts; tokens in ",
                   options_.tokens_dir));
  return absl::OkStatus();
}

absl::Status DemoDriver::ImportStudents() {
  // The students are enrolled on the first day of term; the clock must be
  // there for the enrolment date not to lie in the future.
  RETURN_IF_ERROR(Advance(data_.enrol_date(), 7 * 60));
  std::vector<std::vector<int>> by_school(data_.schools().size());
  for (size_t i = 0; i < data_.students().size(); ++i) {
    by_school[data_.students()[i].school].push_back(static_cast<int>(i));
  }
  int accepted = 0, unchanged = 0;
  for (size_t k = 0; k < data_.schools().size(); ++k) {
    const v1::School& school = data_.schools()[k];
    const std::string& token = school_tokens_[school.school_id()];
    grpc::ClientContext context;
    client_.Prepare(&context, token);
    v1::ImportStudentsResponse response;
    auto writer = client_.school()->ImportStudents(&context, &response);
    const std::vector<int>& rows = by_school[k];
    for (size_t first = 0; first < rows.size(); first += 1000) {
      v1::ImportStudentsRequest chunk;
      chunk.set_request_id(RequestId(
          absl::StrCat("import-", school.school_id(), "-", first / 1000)));
      for (size_t r = first; r < std::min(rows.size(), first + 1000); ++r) {
        const DemoStudent& s = data_.students()[rows[r]];
        v1::ImportStudentRow* row = chunk.add_rows();
        *row->mutable_student() = s.student;
        row->set_grade(s.grade);
        row->set_class_name(s.class_name);
        *row->mutable_enrol_date() = ToDate(data_.enrol_date());
        row->set_line(static_cast<int>(r) + 2);
      }
      if (!writer->Write(chunk)) break;
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    if (!s.ok()) return FromGrpc(s, "ImportStudents " + school.school_id());
    if (response.rejected() > 0) {
      std::string first_error = response.errors().empty()
                                    ? ""
                                    : response.errors(0).message();
      return InvalidArgumentError(
          absl::StrCat(school.school_id(), " 导入被拒绝：", first_error),
          absl::StrCat(school.school_id(), " import refused: ", first_error));
    }
    accepted += response.accepted();
    unchanged += response.unchanged();
    Seen(response.last_sequence());
  }
  report_.students_imported = accepted + unchanged;
  Say(absl::StrCat("各校已导入 ", accepted, " 名学生（", unchanged, " 名已存在，未重复导入）"),
      absl::StrCat("schools imported ", accepted, " students (", unchanged,
                   " already there, not imported twice)"));
  return UploadRosters();
}

absl::Status DemoDriver::UploadRosters() {
  int entries = 0;
  for (const DemoTownship& t : data_.townships()) {
    const std::string& token = township_tokens_[t.township.township_code()];
    for (const v1::Village& v : t.villages) {
      std::vector<v1::RosterEntry> roster = data_.RosterOf(v.village_code());
      for (size_t first = 0; first < roster.size(); first += 1000) {
        v1::UpdateRosterRequest request;
        request.set_village_code(v.village_code());
        for (size_t r = first; r < std::min(roster.size(), first + 1000); ++r) {
          *request.add_entries() = roster[r];
        }
        request.set_request_id(
            RequestId(absl::StrCat("roster-", v.village_code(), "-", first / 1000)));
        v1::UpdateRosterResponse response;
        grpc::Status s = client_.Call(client_.township(),
                                      &v1::TownshipService::Stub::UpdateRoster,
                                      token, request, &response);
        if (!s.ok()) return FromGrpc(s, "UpdateRoster " + v.village_code());
        Seen(response.sequence());
        entries += request.entries_size();
      }
    }
  }
  Say(absl::StrCat("各乡镇已上传适龄儿童台账 ", entries, " 人"),
      absl::StrCat("townships uploaded rosters of ", entries, " children"));
  return absl::OkStatus();
}

absl::Status DemoDriver::Advance(absl::CivilDay day, int minute) {
  absl::Time target = CountyMidnight(day) + absl::Minutes(minute);
  if (target <= clock_) return absl::OkStatus();
  v1::AdvanceClockRequest request;
  *request.mutable_date() = ToDate(day);
  request.set_minute_of_day(minute);
  v1::AdvanceClockResponse response;
  grpc::Status s = client_.Call(client_.bureau(),
                                &v1::BureauService::Stub::AdvanceClock,
                                options_.bureau_token, request, &response);
  if (!s.ok()) return FromGrpc(s, "AdvanceClock");
  clock_ = ToTime(response.now());
  Seen(response.last_sequence());
  return absl::OkStatus();
}

absl::Status DemoDriver::Simulate() {
  const auto& days = data_.school_days();
  absl::CivilDay last = LastDay();
  Say(absl::StrCat("模拟 ", options_.weeks, " 周：", FormatDay(days.front()),
                   " 至 ", FormatDay(last)),
      absl::StrCat("simulating ", options_.weeks, " weeks: ",
                   FormatDay(days.front()), " to ",
                   FormatDay(last)));
  for (size_t i = 0; i < days.size() && days[i] <= last; ++i) {
    // A day whose morning the clock has passed was played by an earlier
    // run; playing it again would act on what that run already changed.
    if (clock_ > CountyMidnight(days[i]) + absl::Minutes(kMorning)) continue;
    RETURN_IF_ERROR(Advance(days[i], kMorning));
    RETURN_IF_ERROR(SchoolDay(static_cast<int>(i)));
    ++report_.school_days;
    if (absl::GetWeekday(days[i]) == absl::Weekday::friday || days[i] == last) {
      Say(absl::StrCat("  ", FormatDay(days[i]), "：第 ", i + 1,
                       " 个上课日已完成"),
          absl::StrCat("  ", FormatDay(days[i]), ": school day ",
                       i + 1, " done"));
    }
  }
  // Past the last day's cutoff, so its missing reports are counted too.
  return Advance(last, kEvening);
}

absl::Status DemoDriver::SchoolDay(int index) {
  // What the townships and schools see this morning: every case the
  // earlier days' reports opened, as the worker has them.
  ASSIGN_OR_RETURN(std::vector<v1::CaseRow> cases, AllCases());
  returned_.clear();
  for (const v1::CaseRow& row : cases) {
    int student = StudentOf(row);
    if (student >= 0 && row.case_().has_return_date()) returned_.insert(student);
  }
  for (const v1::CaseRow& row : cases) RETURN_IF_ERROR(WorkCase(index, row));
  RETURN_IF_ERROR(MakeChanges(index));
  if (index == 2) RETURN_IF_ERROR(ReportFoundChild(index));
  return ReportAttendance(index);
}

absl::StatusOr<std::vector<v1::CaseRow>> DemoDriver::AllCases() {
  std::vector<v1::CaseRow> rows;
  for (v1::Ledger ledger : {v1::LEDGER_OPEN, v1::LEDGER_CLOSED}) {
    std::string page;
    do {
      v1::ListCountyCasesRequest request;
      request.mutable_filter()->set_ledger(ledger);
      request.set_page_size(1000);
      request.set_page_token(page);
      request.set_min_sequence(last_sequence_);
      v1::ListCountyCasesResponse response;
      grpc::Status s = client_.Call(client_.bureau(),
                                    &v1::BureauService::Stub::ListCountyCases,
                                    options_.bureau_token, request, &response);
      if (!s.ok()) return FromGrpc(s, "ListCountyCases");
      for (auto& row : *response.mutable_rows()) rows.push_back(std::move(row));
      page = response.next_page_token();
    } while (!page.empty());
  }
  std::sort(rows.begin(), rows.end(), [](const v1::CaseRow& a, const v1::CaseRow& b) {
    return a.case_().case_id() < b.case_().case_id();
  });
  return rows;
}

absl::Status DemoDriver::WorkCase(int index, const v1::CaseRow& row) {
  const v1::Case& c = row.case_();
  const uint64_t h = Fnv(c.case_id());
  // The disabled child out of school is always worked, so that a lawful
  // arrangement (送教上门, ARRANGED) is in every demo.
  auto unenrolled = by_id_unenrolled_.find(row.id_number());
  const bool to_arrange = unenrolled != by_id_unenrolled_.end() &&
                          data_.unenrolled()[unenrolled->second].disabled;
  switch (c.state()) {
    case v1::CASE_STATE_SUSPECTED: {
      // One case in seven waits past its verification deadline, so the
      // ledger shows what is overdue and escalated; the rest are verified
      // after a school day or two.
      if (h % 7 == 0 && !to_arrange) return absl::OkStatus();
      absl::CivilDay today = data_.school_days()[index];
      int age = data_.school_calendar().SchoolDaysBetween(
          CountyDay(ToTime(c.open_time())) + 1, today);
      if (age < 1 + static_cast<int>(h % 2)) return absl::OkStatus();
      return Verify(index, row);
    }
    case v1::CASE_STATE_CONFIRMED:
      // A few wait for their first action (and fall overdue).
      if (h % 11 == 5 && !to_arrange) return absl::OkStatus();
      return Act(index, row);
    case v1::CASE_STATE_PERSUADING:
      return Act(index, row);
    case v1::CASE_STATE_CLOSURE_PENDING: {
      // Three in four are approved (销号); the rest wait for the bureau.
      if (h % 4 == 0) return absl::OkStatus();
      v1::DecideClosureRequest request;
      request.set_case_id(c.case_id());
      request.set_approved(true);
      request.set_request_id(RequestId("close-" + c.case_id()));
      v1::DecideClosureResponse response;
      grpc::Status s = client_.Call(client_.bureau(),
                                    &v1::BureauService::Stub::DecideClosure,
                                    options_.bureau_token, request, &response);
      if (!s.ok()) return FromGrpc(s, "DecideClosure " + c.case_id());
      Seen(response.sequence());
      ++report_.actions;
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status DemoDriver::Verify(int index, const v1::CaseRow& row) {
  const v1::Case& c = row.case_();
  const uint64_t h = Fnv(c.case_id());
  int student = StudentOf(row);
  auto unenrolled = by_id_unenrolled_.find(row.id_number());
  v1::VerifyCaseRequest request;
  request.set_case_id(c.case_id());
  *request.mutable_verify_date() = ToDate(data_.school_days()[index]);
  if (c.kind() == v1::CASE_KIND_TRANSFER_LIMBO) {
    request.set_outcome(v1::VERIFICATION_OUTCOME_ATTENDING_OUTSIDE_PROVINCE);
    request.set_note("已电话核实在省外就读，原校补办转学手续");
  } else if (student >= 0 &&
             data_.students()[student].pattern == AbsencePattern::kRun &&
             h % 3 == 0) {
    request.set_outcome(v1::VERIFICATION_OUTCOME_EXCUSED_ABSENCE);
    request.set_note("家长补交了医院证明，按病假处理");
  } else {
    request.set_outcome(v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL);
    v1::DropoutReason reason = v1::DROPOUT_REASON_LEARNING_DIFFICULTY;
    if (unenrolled != by_id_unenrolled_.end()) {
      reason = data_.unenrolled()[unenrolled->second].disabled
                   ? v1::DROPOUT_REASON_DISABILITY
                   : v1::DROPOUT_REASON_FINANCIAL_HARDSHIP;
    } else if (c.kind() == v1::CASE_KIND_WITHDRAWAL) {
      reason = v1::DROPOUT_REASON_WORKING;
    } else if (student >= 0 &&
               data_.students()[student].pattern == AbsencePattern::kVanished) {
      reason = v1::DROPOUT_REASON_WITH_PARENTS_AWAY;
    } else {
      static const v1::DropoutReason kReasons[] = {
          v1::DROPOUT_REASON_LEARNING_DIFFICULTY, v1::DROPOUT_REASON_FINANCIAL_HARDSHIP,
          v1::DROPOUT_REASON_WORKING, v1::DROPOUT_REASON_PSYCHOLOGICAL_OR_BULLYING,
          v1::DROPOUT_REASON_DISTANCE};
      reason = kReasons[(h >> 8) % 5];
    }
    request.set_dropout_reason(reason);
    request.set_note("入户核查属实");
  }
  request.set_request_id(RequestId("verify-" + c.case_id()));
  const std::string& token = township_tokens_[c.household_township_code()];
  v1::VerifyCaseResponse response;
  grpc::Status s = client_.Call(client_.township(),
                                &v1::TownshipService::Stub::VerifyCase, token,
                                request, &response);
  if (!s.ok()) return FromGrpc(s, "VerifyCase " + c.case_id());
  Seen(response.sequence());
  ++report_.actions;
  if (request.outcome() != v1::VERIFICATION_OUTCOME_OUT_OF_SCHOOL) {
    return absl::OkStatus();
  }
  // 包保责任人 for the confirmed case.
  v1::AssignResponsibleRequest assign;
  assign.set_case_id(c.case_id());
  assign.mutable_responsible()->set_township_official(kOfficials[h % 5]);
  if (!c.school_id().empty()) {
    assign.mutable_responsible()->set_class_teacher(kTeachers[(h >> 4) % 4]);
  }
  assign.mutable_responsible()->set_village_cadre(kCadres[(h >> 12) % 4]);
  assign.set_request_id(RequestId("responsible-" + c.case_id()));
  v1::AssignResponsibleResponse assigned;
  s = client_.Call(client_.township(), &v1::TownshipService::Stub::AssignResponsible,
                   token, assign, &assigned);
  if (!s.ok()) return FromGrpc(s, "AssignResponsible " + c.case_id());
  Seen(assigned.sequence());
  return absl::OkStatus();
}

absl::Status DemoDriver::Act(int index, const v1::CaseRow& row) {
  const v1::Case& c = row.case_();
  const uint64_t h = Fnv(c.case_id());
  const absl::CivilDay today = data_.school_days()[index];
  const std::string& token = township_tokens_[c.household_township_code()];
  int student = StudentOf(row);
  auto unenrolled = by_id_unenrolled_.find(row.id_number());

  if (c.state() == v1::CASE_STATE_PERSUADING) {
    // A severely disabled child out of school: 送教上门 is arranged.
    if (unenrolled != by_id_unenrolled_.end() &&
        data_.unenrolled()[unenrolled->second].disabled) {
      v1::ArrangeCaseRequest request;
      request.set_case_id(c.case_id());
      request.set_note("经县残联评估为重度残疾，已安排送教上门");
      request.set_request_id(RequestId("arrange-" + c.case_id()));
      v1::ArrangeCaseResponse response;
      grpc::Status s = client_.Call(client_.township(),
                                    &v1::TownshipService::Stub::ArrangeCase,
                                    token, request, &response);
      if (!s.ok()) return FromGrpc(s, "ArrangeCase " + c.case_id());
      Seen(response.sequence());
      ++report_.actions;
      return absl::OkStatus();
    }
    // A pupil who came back: the school confirms the return.
    if (student >= 0 && c.kind() != v1::CASE_KIND_WITHDRAWAL &&
        c.kind() != v1::CASE_KIND_TRANSFER_LIMBO) {
      const DemoStudent& s = data_.students()[student];
      if (s.pattern == AbsencePattern::kRun &&
          index >= s.start_day + s.run_length) {
        return ConfirmReturn(row, data_.school_days()[s.start_day + s.run_length]);
      }
      bool persuadable = s.pattern == AbsencePattern::kIntermittent ||
                         s.pattern == AbsencePattern::kVanished ||
                         (s.pattern == AbsencePattern::kDropout && !s.persistent);
      if (persuadable && c.action_count() >= 2) return ConfirmReturn(row, today);
    }
    // Otherwise the next step of the ladder, every other school day.
    int age = data_.school_calendar().SchoolDaysBetween(
        CountyDay(ToTime(c.open_time())) + 1, today);
    if (age % 2 != 0 && c.action_count() >= 2) return absl::OkStatus();
  }

  static const v1::ActionKind kLadder[] = {
      v1::ACTION_KIND_PHONE_CALL,          v1::ACTION_KIND_HOME_VISIT,
      v1::ACTION_KIND_VILLAGE_CADRE_VISIT, v1::ACTION_KIND_JOINT_TEAM_VISIT,
      v1::ACTION_KIND_RETURN_NOTICE,       v1::ACTION_KIND_AID_ARRANGED,
      v1::ACTION_KIND_CORRECTION_ORDER,    v1::ACTION_KIND_COUNSELLING};
  int step = c.action_count();
  v1::ActionKind kind = step < 8 ? kLadder[step] : v1::ACTION_KIND_HOME_VISIT;
  if (step == 0 && h % 2 == 1) kind = v1::ACTION_KIND_HOME_VISIT;
  v1::RecordActionRequest request;
  request.set_case_id(c.case_id());
  v1::CaseAction* action = request.mutable_action();
  action->set_kind(kind);
  *action->mutable_action_date() = ToDate(today);
  action->set_actors(absl::StrCat(kOfficials[h % 5], "、", kCadres[(h >> 12) % 4]));
  switch (kind) {
    case v1::ACTION_KIND_PHONE_CALL:
      action->set_outcome(h % 3 == 0 ? "未接通，改日上门" : "已与家长通话，约定家访");
      break;
    case v1::ACTION_KIND_HOME_VISIT:
    case v1::ACTION_KIND_VILLAGE_CADRE_VISIT:
    case v1::ACTION_KIND_JOINT_TEAM_VISIT:
      action->set_met(h % 2 == 0 ? "母亲" : "祖父");
      action->set_attitude(step < 2 ? v1::GUARDIAN_ATTITUDE_HESITANT
                                    : (h % 3 == 0 ? v1::GUARDIAN_ATTITUDE_OPPOSED
                                                  : v1::GUARDIAN_ATTITUDE_SUPPORTIVE));
      action->set_outcome("讲解义务教育法，家长答应考虑让孩子返校");
      *action->mutable_next_step_date() = ToDate(today + 3);
      break;
    case v1::ACTION_KIND_RETURN_NOTICE:
    case v1::ACTION_KIND_CORRECTION_ORDER:
      action->set_actors(data_.townships().empty()
                             ? "乡镇人民政府"
                             : "乡镇人民政府（" + std::string(kOfficials[h % 5]) + "送达）");
      *action->mutable_notice_deadline() = ToDate(today + 7);
      break;
    case v1::ACTION_KIND_AID_ARRANGED:
      action->set_outcome("申请教育资助和生活补助，免除后顾之忧");
      break;
    default:
      action->set_outcome("已开展心理辅导");
      break;
  }
  request.set_request_id(
      RequestId(absl::StrCat("action-", c.case_id(), "-", step)));
  v1::RecordActionResponse response;
  grpc::Status s = client_.Call(client_.township(),
                                &v1::TownshipService::Stub::RecordAction, token,
                                request, &response);
  if (!s.ok()) return FromGrpc(s, "RecordAction " + c.case_id());
  Seen(response.sequence());
  ++report_.actions;
  return absl::OkStatus();
}

absl::Status DemoDriver::ConfirmReturn(const v1::CaseRow& row, absl::CivilDay day) {
  const v1::Case& c = row.case_();
  v1::ConfirmReturnRequest request;
  request.set_case_id(c.case_id());
  *request.mutable_return_date() = ToDate(day);
  request.set_request_id(RequestId("return-" + c.case_id()));
  v1::ConfirmReturnResponse response;
  grpc::Status s = client_.Call(client_.school(),
                                &v1::SchoolService::Stub::ConfirmReturn,
                                school_tokens_[c.school_id()], request, &response);
  if (!s.ok()) return FromGrpc(s, "ConfirmReturn " + c.case_id());
  Seen(response.sequence());
  ++report_.actions;
  returned_.insert(StudentOf(row));
  return absl::OkStatus();
}

absl::Status DemoDriver::MakeChanges(int index) {
  const absl::CivilDay today = data_.school_days()[index];
  for (const PlannedChange& change : data_.changes()) {
    bool out_today = change.day == index;
    bool in_today = change.kind == PlannedChange::Kind::kTransferInCounty &&
                    change.day + 2 == index;
    if (!out_today && !in_today) continue;
    const DemoStudent& s = data_.students()[change.student];
    // The school knows its pupil by the server's id: the bureau looks it up.
    v1::FindStudentRequest find;
    find.set_id_number(s.student.id_number());
    find.set_min_sequence(last_sequence_);
    v1::FindStudentResponse found;
    grpc::Status status = client_.Call(client_.bureau(),
                                       &v1::BureauService::Stub::FindStudent,
                                       options_.bureau_token, find, &found);
    if (!status.ok()) return FromGrpc(status, "FindStudent");
    v1::ChangeEnrolmentRequest request;
    v1::EnrolmentChange* c = request.mutable_change();
    c->set_student_id(found.student().student_id());
    *c->mutable_effective_date() = ToDate(today);
    std::string school = data_.schools()[s.school].school_id();
    std::string what;
    if (in_today) {
      school = data_.schools()[change.to_school].school_id();
      c->mutable_transfer_in()->set_grade(s.grade);
      c->mutable_transfer_in()->set_class_name("1班");
      what = "transfer-in";
    } else {
      switch (change.kind) {
        case PlannedChange::Kind::kTransferInCounty:
          c->mutable_transfer_out()->set_to_school_id(
              data_.schools()[change.to_school].school_id());
          what = "transfer-out";
          break;
        case PlannedChange::Kind::kTransferOutOfCountyWithProof:
          c->mutable_transfer_out()->set_to_description("泉州市丰泽区第一实验小学");
          c->mutable_transfer_out()->set_proof_received(true);
          what = "transfer-out";
          break;
        case PlannedChange::Kind::kTransferOutOfCountyNoProof:
          c->mutable_transfer_out()->set_to_description("随父母到广东东莞，学校待定");
          what = "transfer-out";
          break;
        case PlannedChange::Kind::kWithdraw:
          c->mutable_withdraw()->set_reason("家长称孩子不愿读书，带去外地打工");
          what = "withdraw";
          break;
      }
    }
    request.set_request_id(
        RequestId(absl::StrCat(what, "-", s.student.student_number())));
    v1::ChangeEnrolmentResponse response;
    status = client_.Call(client_.school(), &v1::SchoolService::Stub::ChangeEnrolment,
                          school_tokens_[school], request, &response);
    if (!status.ok()) return FromGrpc(status, "ChangeEnrolment " + what);
    Seen(response.sequence());
    ++report_.actions;
  }
  return absl::OkStatus();
}

absl::Status DemoDriver::ReportFoundChild(int index) {
  for (const UnenrolledChild& child : data_.unenrolled()) {
    if (child.on_roster) continue;
    v1::ReportChildOutOfSchoolRequest request;
    v1::Student* s = request.mutable_child();
    s->set_student_number("G" + child.entry.id_number());
    s->set_id_number(child.entry.id_number());
    s->set_name(child.entry.name());
    int sequence_digit = child.entry.id_number()[16] - '0';
    s->set_sex(sequence_digit % 2 == 1 ? v1::SEX_MALE : v1::SEX_FEMALE);
    *s->mutable_birth_date() = ToDate(child.birth_date);
    std::string township = child.entry.village_code().substr(0, 9);
    s->set_household_township_code(township);
    s->set_household_village_code(child.entry.village_code());
    v1::Guardian* g = s->add_guardians();
    g->set_name(child.entry.guardian_name());
    g->set_relation("父亲");
    g->set_phone(child.entry.guardian_phone());
    request.set_note("入户摸排发现，孩子在家帮忙看店，未入学");
    *request.mutable_found_date() = ToDate(data_.school_days()[index]);
    request.set_request_id(RequestId("found-" + child.entry.id_number()));
    v1::ReportChildOutOfSchoolResponse response;
    grpc::Status status = client_.Call(
        client_.township(), &v1::TownshipService::Stub::ReportChildOutOfSchool,
        township_tokens_[township], request, &response);
    if (!status.ok()) return FromGrpc(status, "ReportChildOutOfSchool");
    Seen(response.sequence());
    ++report_.actions;
  }
  return absl::OkStatus();
}

absl::Status DemoDriver::ReportAttendance(int index) {
  std::vector<v1::SubmitAttendanceReportRequest> reports(data_.schools().size());
  for (const PlannedAbsence& a : data_.AbsencesOn(index)) {
    if (returned_.count(a.student) > 0 &&
        a.category != v1::ABSENCE_CATEGORY_SICK_LEAVE &&
        a.category != v1::ABSENCE_CATEGORY_PERSONAL_LEAVE) {
      continue;  // back at school since the return was confirmed
    }
    const DemoStudent& s = data_.students()[a.student];
    v1::Absence* absence = reports[s.school].add_absences();
    absence->set_student_number(s.student.student_number());
    absence->set_category(a.category);
    absence->set_reason(a.reason);
    absence->set_half_day(a.half_day);
  }
  const absl::CivilDay today = data_.school_days()[index];
  for (size_t k = 0; k < reports.size(); ++k) {
    if (!data_.Reports(static_cast<int>(k), index)) {
      ++report_.reports_missing;
      continue;
    }
    v1::SubmitAttendanceReportRequest& request = reports[k];
    const std::string& school = data_.schools()[k].school_id();
    *request.mutable_date() = ToDate(today);
    request.set_zero_report(request.absences().empty());
    request.set_request_id(
        RequestId(absl::StrCat("attendance-", school, "-", FormatDay(today))));
    v1::SubmitAttendanceReportResponse response;
    grpc::Status s = client_.Call(client_.school(),
                                  &v1::SchoolService::Stub::SubmitAttendanceReport,
                                  school_tokens_[school], request, &response);
    if (!s.ok()) return FromGrpc(s, "SubmitAttendanceReport " + school);
    Seen(response.sequence());
    ++report_.reports_sent;
  }
  return absl::OkStatus();
}

}  // namespace baoxue::demo
