#include "tests/services/test_server.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace baoxue::services::testing_server {

std::string TownshipName(const std::string& code) {
  static const std::map<std::string, std::string> kNames = {
      {"350526100", "浔中镇"}, {"350526101", "龙浔镇"}, {"350526102", "三班镇"},
      {"350526103", "龙门滩镇"}, {"350526104", "雷峰镇"}, {"350526105", "南埕镇"},
      {"350526106", "水口镇"}, {"350526107", "赤水镇"}, {"350526108", "葛坑镇"},
      {"350526109", "上涌镇"}, {"350526110", "盖德镇"}, {"350526111", "美湖镇"},
      {"350526200", "杨梅乡"}, {"350526201", "汤头乡"}, {"350526202", "桂阳乡"},
      {"350526203", "国宝乡"}, {"350526204", "大铭乡"}, {"350526205", "春美乡"},
  };
  auto it = kNames.find(code);
  return it != kNames.end() ? it->second : absl::StrCat("测试乡镇", code);
}

v1::Date D(int year, int month, int day) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

absl::CivilDay Day(const v1::Date& date) {
  return absl::CivilDay(date.year(), date.month(), date.day());
}

absl::Time CountyTime(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0),
                         absl::FixedTimeZone(8 * 60 * 60));
}

v1::SchoolYearCalendar Calendar2026() {
  v1::SchoolYearCalendar calendar;
  calendar.set_school_year(2026);
  v1::Term* autumn = calendar.add_terms();
  autumn->set_name("秋季学期");
  *autumn->mutable_start_date() = D(2026, 9, 1);
  *autumn->mutable_end_date() = D(2027, 1, 22);
  v1::Term* spring = calendar.add_terms();
  spring->set_name("春季学期");
  *spring->mutable_start_date() = D(2027, 2, 22);
  *spring->mutable_end_date() = D(2027, 6, 30);
  for (const v1::Date& d :
       {D(2026, 9, 25), D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5),
        D(2026, 10, 6), D(2026, 10, 7), D(2027, 1, 1)}) {
    *calendar.add_holidays() = d;
  }
  *calendar.add_makeup_days() = D(2026, 9, 20);   // Sunday
  *calendar.add_makeup_days() = D(2026, 10, 10);  // Saturday
  return calendar;
}

int CountSchoolDays(const v1::SchoolYearCalendar& calendar) {
  std::set<absl::CivilDay> holidays, makeup;
  for (const auto& d : calendar.holidays()) holidays.insert(Day(d));
  for (const auto& d : calendar.makeup_days()) makeup.insert(Day(d));
  int count = 0;
  for (const v1::Term& term : calendar.terms()) {
    for (absl::CivilDay d = Day(term.start_date()); d <= Day(term.end_date());
         ++d) {
      absl::Weekday w = absl::GetWeekday(d);
      bool weekend = w == absl::Weekday::saturday || w == absl::Weekday::sunday;
      if (weekend ? makeup.count(d) > 0 : holidays.count(d) == 0) ++count;
    }
  }
  return count;
}

char IdCheckChar(const std::string& first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                   3, 7, 9, 10, 5, 8, 4, 2};
  static const char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

std::string IdNumber(const std::string& area, absl::CivilDay birth,
                     int sequence) {
  std::string first17 =
      absl::StrFormat("%s%04d%02d%02d%03d", area, birth.year(), birth.month(),
                      birth.day(), sequence);
  return first17 + IdCheckChar(first17);
}

namespace {

v1::Student BaseChild(const std::string& name, absl::CivilDay birth,
                      bool male) {
  v1::Student s;
  s.set_name(name);
  s.set_sex(male ? v1::SEX_MALE : v1::SEX_FEMALE);
  *s.mutable_birth_date() = D(birth.year(), birth.month(), birth.day());
  s.set_household_township_code(kXunzhong);
  s.set_household_village_code(kXunzhongVillage1);
  v1::Guardian* g = s.add_guardians();
  g->set_name("王建国");
  g->set_relation("父亲");
  g->set_phone("13805951234");
  return s;
}

}  // namespace

v1::Student Child(const std::string& name, absl::CivilDay birth, int sequence) {
  v1::Student s = BaseChild(name, birth, sequence % 2 == 1);
  s.set_id_number(IdNumber(kCountyCode, birth, sequence));
  s.set_student_number("G" + s.id_number());
  return s;
}

v1::Student ChildWithLNumber(const std::string& name, absl::CivilDay birth,
                             bool male, int serial) {
  v1::Student s = BaseChild(name, birth, male);
  s.set_student_number(absl::StrFormat("L%s%04d%02d%02d%04d", kCountyCode,
                                       birth.year(), birth.month(), birth.day(),
                                       serial));
  return s;
}

void Prepare(grpc::ClientContext* context, const std::string* token,
             const std::string& lang) {
  if (token != nullptr) context->AddMetadata("authorization", "Bearer " + *token);
  if (!lang.empty()) context->AddMetadata("accept-language", lang);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", static_cast<int>(status.error_code()), ": ",
                      status.error_message());
}

ServerFixture::ServerFixture()
    : clock_(std::make_unique<ManualClock>(CountyTime(2026, 8, 24, 8))) {}

ServerFixture::~ServerFixture() = default;

void ServerFixture::TearDown() {
  bureau_.reset();
  school_.reset();
  township_.reset();
  channel_.reset();
  if (server_) server_->Shutdown();
  server_.reset();
}

void ServerFixture::StartServer() {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.sub("data");
  options.run_ticker = false;
  options.query_threads = 2;
  options.clock = clock_.get();
  options.simulated_start = simulated_start_;
  CustomizeOptions(&options);
  options.env = env_;
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = std::move(*server);
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                 grpc::InsecureChannelCredentials());
  bureau_ = v1::BureauService::NewStub(channel_);
  school_ = v1::SchoolService::NewStub(channel_);
  township_ = v1::TownshipService::NewStub(channel_);
  std::ifstream in(server_->token_file());
  std::stringstream contents;
  contents << in.rdbuf();
  admin_token_ = std::string(absl::StripAsciiWhitespace(contents.str()));
}

void ServerFixture::RestartServer() {
  TearDown();
  StartServer();
}

void ServerFixture::SetCountyTime(int year, int month, int day, int hour,
                                  int minute) {
  clock_->Set(CountyTime(year, month, day, hour, minute));
}

v1::GetSystemStatusResponse ServerFixture::SystemStatus() {
  v1::GetSystemStatusResponse response;
  EXPECT_TRUE(Call(bureau_.get(), &v1::BureauService::Stub::GetSystemStatus,
                   admin_token_, v1::GetSystemStatusRequest(), &response)
                  .ok());
  return response;
}

uint64_t ServerFixture::EnsureCounty() {
  if (county_) return 0;
  v1::ConfigureCountyRequest request;
  request.mutable_county()->set_county_code(kCountyCode);
  request.mutable_county()->set_name(kCountyName);
  v1::ConfigureCountyResponse response;
  grpc::Status status =
      Call(bureau_.get(), &v1::BureauService::Stub::ConfigureCounty,
           admin_token_, request, &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
  county_ = status.ok();
  return response.sequence();
}

uint64_t ServerFixture::EnsureTownship(const std::string& code) {
  if (townships_.count(code) > 0) return 0;
  uint64_t sequence = EnsureCounty();
  v1::CreateTownshipResponse response;
  grpc::Status status = CreateTownship(code, TownshipName(code), &response);
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    townships_.insert(code);
    return sequence;
  }
  EXPECT_TRUE(status.ok()) << code << ": " << Describe(status);
  if (status.ok()) townships_.insert(code);
  return status.ok() ? response.sequence() : sequence;
}

uint64_t ServerFixture::EnsureSchool(const std::string& school_id,
                                     const std::string& township_code) {
  if (schools_.count(school_id) > 0) return 0;
  std::string township = township_code.empty() ? kXunzhong : township_code;
  uint64_t sequence = EnsureTownship(township);
  v1::School school;
  school.set_school_id(school_id);
  school.set_name(absl::StrCat("德化县测试学校（", school_id, "）"));
  school.set_township_code(township);
  school.set_kind(v1::SCHOOL_KIND_NINE_YEAR);
  for (int g = 1; g <= 9; ++g) school.add_grades(g);
  v1::CreateSchoolResponse response;
  grpc::Status status = CreateSchool(school, &response);
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    schools_.insert(school_id);
    return sequence;
  }
  EXPECT_TRUE(status.ok()) << school_id << ": " << Describe(status);
  if (status.ok()) schools_.insert(school_id);
  return status.ok() ? response.sequence() : sequence;
}

uint64_t ServerFixture::SeedCounty() {
  EnsureCounty();
  for (const char* code : {kXunzhong, kLongxun, kSanban, kYangmei}) {
    EnsureTownship(code);
  }
  const std::vector<std::pair<std::string, std::string>> villages = {
      {kXunzhongVillage1, "浔中村"},
      {kXunzhongVillage2, "石山村"},
      {kLongxunVillage, "英山村"},
      {kSanbanVillage, "三班村"},
      {kYangmeiVillage, "杨梅村"},
  };
  for (const auto& [code, name] : villages) {
    if (villages_.count(code) > 0) continue;
    grpc::Status status = CreateVillage(code, name);
    EXPECT_TRUE(status.ok()) << code << ": " << Describe(status);
    villages_.insert(code);
  }
  struct SchoolSpec {
    const char* id;
    const char* name;
    const char* township;
    v1::SchoolKind kind;
    int lo, hi;
  };
  for (const SchoolSpec& spec :
       {SchoolSpec{kXunzhongPrimary, "德化县浔中中心小学", kXunzhong,
                   v1::SCHOOL_KIND_PRIMARY, 1, 6},
        SchoolSpec{kLongxunMiddle, "德化县龙浔中学", kLongxun,
                   v1::SCHOOL_KIND_JUNIOR_SECONDARY, 7, 9},
        SchoolSpec{kSanbanSchool, "德化县三班中心学校", kSanban,
                   v1::SCHOOL_KIND_NINE_YEAR, 1, 9}}) {
    if (schools_.count(spec.id) > 0) continue;
    v1::School school;
    school.set_school_id(spec.id);
    school.set_name(spec.name);
    school.set_township_code(spec.township);
    school.set_kind(spec.kind);
    for (int g = spec.lo; g <= spec.hi; ++g) school.add_grades(g);
    grpc::Status status = CreateSchool(school);
    EXPECT_TRUE(status.ok()) << spec.id << ": " << Describe(status);
    schools_.insert(spec.id);
  }
  if (!calendar_2026_) {
    grpc::Status status = SetCalendar(Calendar2026());
    EXPECT_TRUE(status.ok()) << Describe(status);
    calendar_2026_ = true;
  }
  last_sequence_ = LastSequence();
  return last_sequence_;
}

std::string ServerFixture::MakeAccount(const std::string& id, v1::Role role,
                                       const std::string& school,
                                       const std::string& township) {
  if (role == v1::ROLE_SCHOOL && !school.empty()) EnsureSchool(school);
  if (role == v1::ROLE_TOWNSHIP && !township.empty()) EnsureTownship(township);
  v1::CreateAccountRequest request;
  v1::Account* account = request.mutable_account();
  account->set_account_id(id);
  account->set_display_name("测试账号 " + id);
  account->set_role(role);
  account->set_school_id(school);
  account->set_township_code(township);
  v1::CreateAccountResponse response;
  grpc::Status status =
      Call(bureau_.get(), &v1::BureauService::Stub::CreateAccount, admin_token_,
           request, &response);
  EXPECT_TRUE(status.ok()) << id << ": " << Describe(status);
  EXPECT_FALSE(response.token().empty());
  last_sequence_ = response.sequence();
  return response.token();
}

grpc::Status ServerFixture::CreateTownship(const std::string& code,
                                           const std::string& name,
                                           v1::CreateTownshipResponse* response,
                                           const std::string& lang) {
  v1::CreateTownshipRequest request;
  request.mutable_township()->set_township_code(code);
  request.mutable_township()->set_name(name);
  v1::CreateTownshipResponse local;
  return Call(bureau_.get(), &v1::BureauService::Stub::CreateTownship,
              admin_token_, request, response ? response : &local, lang);
}

grpc::Status ServerFixture::CreateVillage(const std::string& code,
                                          const std::string& name,
                                          v1::CreateVillageResponse* response,
                                          const std::string& lang) {
  v1::CreateVillageRequest request;
  request.mutable_village()->set_village_code(code);
  request.mutable_village()->set_name(name);
  v1::CreateVillageResponse local;
  return Call(bureau_.get(), &v1::BureauService::Stub::CreateVillage,
              admin_token_, request, response ? response : &local, lang);
}

grpc::Status ServerFixture::CreateSchool(const v1::School& school,
                                         v1::CreateSchoolResponse* response,
                                         const std::string& lang) {
  v1::CreateSchoolRequest request;
  *request.mutable_school() = school;
  v1::CreateSchoolResponse local;
  return Call(bureau_.get(), &v1::BureauService::Stub::CreateSchool,
              admin_token_, request, response ? response : &local, lang);
}

grpc::Status ServerFixture::SetCalendar(const v1::SchoolYearCalendar& calendar,
                                        v1::SetCalendarResponse* response,
                                        const std::string& lang) {
  v1::SetCalendarRequest request;
  *request.mutable_calendar() = calendar;
  v1::SetCalendarResponse local;
  return Call(bureau_.get(), &v1::BureauService::Stub::SetCalendar,
              admin_token_, request, response ? response : &local, lang);
}

grpc::Status ServerFixture::Register(const std::string& token,
                                     const v1::Student& student, int grade,
                                     const std::string& class_name,
                                     const v1::Date& enrol_date,
                                     v1::RegisterStudentResponse* response,
                                     const std::string& lang) {
  v1::RegisterStudentRequest request;
  *request.mutable_student() = student;
  request.set_grade(grade);
  request.set_class_name(class_name);
  *request.mutable_enrol_date() = enrol_date;
  v1::RegisterStudentResponse local;
  return Call(school_.get(), &v1::SchoolService::Stub::RegisterStudent, token,
              request, response ? response : &local, lang);
}

v1::Student ServerFixture::RegisterOk(const std::string& token,
                                      const v1::Student& student, int grade,
                                      const std::string& class_name,
                                      const v1::Date& enrol_date) {
  v1::RegisterStudentResponse response;
  grpc::Status status =
      Register(token, student, grade, class_name, enrol_date, &response);
  EXPECT_TRUE(status.ok()) << student.name() << ": " << Describe(status);
  last_sequence_ = response.sequence();
  return response.student();
}

grpc::Status ServerFixture::ChangeEnrolment(const std::string& token,
                                            const v1::EnrolmentChange& change,
                                            v1::ChangeEnrolmentResponse* response,
                                            const std::string& lang) {
  v1::ChangeEnrolmentRequest request;
  *request.mutable_change() = change;
  v1::ChangeEnrolmentResponse local;
  return Call(school_.get(), &v1::SchoolService::Stub::ChangeEnrolment, token,
              request, response ? response : &local, lang);
}

grpc::Status ServerFixture::SubmitReport(
    const std::string& token, const v1::SubmitAttendanceReportRequest& request,
    v1::SubmitAttendanceReportResponse* response, const std::string& lang) {
  v1::SubmitAttendanceReportResponse local;
  return Call(school_.get(), &v1::SchoolService::Stub::SubmitAttendanceReport,
              token, request, response ? response : &local, lang);
}

}  // namespace baoxue::services::testing_server
