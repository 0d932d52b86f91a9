// The county's registry over a real gRPC channel (issue 3): the county,
// townships, villages, schools, the school calendar and the rule settings.
// Every validation has a case here that fails without it, and a rejected
// command appends nothing to the log.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Bureau = v1::BureauService::Stub;

void ExpectError(const grpc::Status& status, grpc::StatusCode code,
                 const std::string& text, const std::string& what = "") {
  EXPECT_EQ(status.error_code(), code) << what << ": " << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr(text)) << what;
}

// INVALID_ARGUMENT naming `field`. The English text names the full request
// path ("county.county_code"); the Chinese one may name the field without
// the request's first component ("县级行政区划代码（county_code）").
void ExpectInvalid(const grpc::Status& status, const std::string& field,
                   const std::string& what = "", const std::string& lang = "") {
  std::string expected = field;
  if (lang.empty() && field.find('.') != std::string::npos) {
    expected = field.substr(field.find('.') + 1);
  }
  ExpectError(status, grpc::StatusCode::INVALID_ARGUMENT, expected,
              what.empty() ? field : what);
}

class RegistryTest : public ServerFixture {
 protected:
  grpc::Status ConfigureCounty(const std::string& code, const std::string& name,
                               v1::ConfigureCountyResponse* response = nullptr,
                               const std::string& lang = "") {
    v1::ConfigureCountyRequest request;
    request.mutable_county()->set_county_code(code);
    request.mutable_county()->set_name(name);
    v1::ConfigureCountyResponse local;
    return Call(bureau_.get(), &Bureau::ConfigureCounty, admin_token_, request,
                response ? response : &local, lang);
  }

  v1::County GetCounty(uint64_t min_sequence) {
    v1::GetCountyRequest request;
    request.set_min_sequence(min_sequence);
    v1::GetCountyResponse response;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetCounty, admin_token_, request,
                      &response));
    return response.county();
  }

  std::vector<v1::Township> Townships(uint64_t min_sequence) {
    v1::ListTownshipsRequest request;
    request.set_min_sequence(min_sequence);
    v1::ListTownshipsResponse response;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::ListTownships, admin_token_,
                      request, &response));
    return {response.townships().begin(), response.townships().end()};
  }

  grpc::Status ListVillages(const std::string& township, uint64_t min_sequence,
                            v1::ListVillagesResponse* response) {
    v1::ListVillagesRequest request;
    request.set_township_code(township);
    request.set_min_sequence(min_sequence);
    return Call(bureau_.get(), &Bureau::ListVillages, admin_token_, request,
                response);
  }

  std::vector<v1::School> Schools(const std::string& township,
                                  uint64_t min_sequence) {
    v1::ListSchoolsRequest request;
    request.set_township_code(township);
    request.set_min_sequence(min_sequence);
    v1::ListSchoolsResponse response;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::ListSchools, admin_token_,
                      request, &response));
    return {response.schools().begin(), response.schools().end()};
  }

  grpc::Status UpdateSchool(const v1::School& school,
                            v1::UpdateSchoolResponse* response = nullptr,
                            const std::string& lang = "") {
    v1::UpdateSchoolRequest request;
    *request.mutable_school() = school;
    v1::UpdateSchoolResponse local;
    return Call(bureau_.get(), &Bureau::UpdateSchool, admin_token_, request,
                response ? response : &local, lang);
  }

  grpc::Status UpdateSettings(const v1::RuleSettings& settings,
                              v1::UpdateSettingsResponse* response = nullptr,
                              const std::string& lang = "",
                              const std::string* token = nullptr) {
    v1::UpdateSettingsRequest request;
    *request.mutable_settings() = settings;
    v1::UpdateSettingsResponse local;
    return Call(bureau_.get(), &Bureau::UpdateSettings,
                token ? *token : admin_token_, request,
                response ? response : &local, lang);
  }

  v1::RuleSettings GetSettings(uint64_t min_sequence) {
    v1::GetSettingsRequest request;
    request.set_min_sequence(min_sequence);
    v1::GetSettingsResponse response;
    BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetSettings, admin_token_,
                      request, &response));
    return response.settings();
  }
};

v1::School PrimarySchool(const std::string& id, const std::string& township) {
  v1::School school;
  school.set_school_id(id);
  school.set_name("德化县浔中中心小学");
  school.set_township_code(township);
  school.set_kind(v1::SCHOOL_KIND_PRIMARY);
  for (int g = 1; g <= 6; ++g) school.add_grades(g);
  return school;
}

// ---- The county.

TEST_F(RegistryTest, ConfigureCountyValidatesAndGetCountyReadsIt) {
  EXPECT_EQ(GetCounty(0).county_code(), "");  // not configured yet
  // A township before the county: the bureau is told what to do first.
  grpc::Status early = CreateTownship(kXunzhong, "浔中镇", nullptr, "en");
  ExpectError(early, grpc::StatusCode::FAILED_PRECONDITION, "ConfigureCounty");

  uint64_t before = LastSequence();
  ExpectInvalid(ConfigureCounty("3505", "德化县"), "county.county_code", "short");
  ExpectInvalid(ConfigureCounty("35052a", "德化县"), "county.county_code",
                "letter");
  ExpectInvalid(ConfigureCounty("3505260", "德化县"), "county.county_code",
                "long");
  ExpectInvalid(ConfigureCounty("350500", "泉州市"), "county.county_code",
                "a city code");
  ExpectInvalid(ConfigureCounty("350526", ""), "county.name", "no name");
  ExpectInvalid(ConfigureCounty("350526", std::string(51, 'x')),
                "county.name", "long name");
  EXPECT_EQ(LastSequence(), before);
  // The English message names the field and the rule.
  EXPECT_EQ(ConfigureCounty("350500", "泉州市", nullptr, "en").error_message(),
            "county.county_code: must not end in 00, which names a city or "
            "province");

  v1::ConfigureCountyResponse configured;
  BX_ASSERT_OK(ConfigureCounty("350525", "永春县", &configured));
  EXPECT_EQ(configured.sequence(), before + 1);
  EXPECT_EQ(GetCounty(configured.sequence()).name(), "永春县");
  // Before any township exists the code may still change.
  BX_ASSERT_OK(ConfigureCounty(kCountyCode, kCountyName, &configured));
  v1::County county = GetCounty(configured.sequence());
  EXPECT_EQ(county.county_code(), "350526");
  EXPECT_EQ(county.name(), "德化县");

  BX_ASSERT_OK(CreateTownship(kXunzhong, "浔中镇"));
  before = LastSequence();
  grpc::Status moved = ConfigureCounty("350525", "永春县");
  ExpectError(moved, grpc::StatusCode::FAILED_PRECONDITION, "350526");
  EXPECT_THAT(moved.error_message(), HasSubstr("乡镇"));
  EXPECT_EQ(LastSequence(), before);
  // Renaming the county keeps its code and is allowed.
  BX_ASSERT_OK(ConfigureCounty(kCountyCode, "德化县（瓷都）", &configured));
  EXPECT_EQ(GetCounty(configured.sequence()).name(), "德化县（瓷都）");
}

TEST_F(RegistryTest, OnlyTheBureauConfiguresAndViewersOnlyRead) {
  SeedCounty();
  std::string viewer = MakeAccount("viewer", v1::ROLE_BUREAU_VIEWER);
  std::string school = MakeAccount("clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
  std::string township = MakeAccount("official", v1::ROLE_TOWNSHIP, "", kXunzhong);
  uint64_t before = LastSequence();
  for (const std::string* token : {&viewer, &school, &township}) {
    v1::CreateTownshipRequest create;
    create.mutable_township()->set_township_code("350526103");
    create.mutable_township()->set_name("龙门滩镇");
    v1::CreateTownshipResponse created;
    EXPECT_EQ(Call(bureau_.get(), &Bureau::CreateTownship, *token, create,
                   &created)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::SetCalendarRequest calendar;
    *calendar.mutable_calendar() = Calendar2026();
    v1::SetCalendarResponse set;
    EXPECT_EQ(
        Call(bureau_.get(), &Bureau::SetCalendar, *token, calendar, &set)
            .error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
    v1::RuleSettings settings;
    settings.set_consecutive_absence_days(5);
    EXPECT_EQ(UpdateSettings(settings, nullptr, "", token).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(LastSequence(), before);
  // A viewer reads the registry; schools and townships do not.
  v1::ListSchoolsResponse schools;
  BX_EXPECT_OK(Call(bureau_.get(), &Bureau::ListSchools, viewer,
                    v1::ListSchoolsRequest(), &schools));
  EXPECT_EQ(schools.schools_size(), 3);
  v1::GetCalendarRequest get;
  get.set_school_year(2026);
  v1::GetCalendarResponse calendar;
  BX_EXPECT_OK(Call(bureau_.get(), &Bureau::GetCalendar, viewer, get, &calendar));
  for (const std::string* token : {&school, &township}) {
    EXPECT_EQ(Call(bureau_.get(), &Bureau::ListSchools, *token,
                   v1::ListSchoolsRequest(), &schools)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

// ---- Townships.

TEST_F(RegistryTest, TownshipCodesAreCheckedAndKindComesFromTheCode) {
  EnsureCounty();
  uint64_t before = LastSequence();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"35052610", "8 digits"},        {"3505261000", "10 digits"},
      {"35052610a", "a letter"},       {"350525100", "another county"},
      {"350500100", "a city prefix"},  {"350526000", "suffix 000"},
      {"350526400", "suffix 400"},     {"350526999", "suffix 999"},
      {"", "empty"},                   {"３５０５２６１００", "full-width"},
  };
  for (const auto& [code, what] : bad) {
    ExpectInvalid(CreateTownship(code, "某镇"), "township_code", what);
  }
  EXPECT_THAT(CreateTownship("350525100", "某镇", nullptr, "en").error_message(),
              HasSubstr("must start with the county code 350526"));
  ExpectInvalid(CreateTownship(kXunzhong, ""), "township.name");
  {
    v1::CreateTownshipRequest request;
    request.mutable_township()->set_township_code(kXunzhong);
    request.mutable_township()->set_name("浔中镇");
    request.mutable_township()->add_former_names()->set_name("浔中乡");
    v1::CreateTownshipResponse response;
    ExpectInvalid(Call(bureau_.get(), &Bureau::CreateTownship, admin_token_,
                       request, &response),
                  "township.former_names");
  }
  EXPECT_EQ(LastSequence(), before);

  BX_ASSERT_OK(CreateTownship("350526001", "测试街道"));
  BX_ASSERT_OK(CreateTownship("350526099", "另一街道"));
  BX_ASSERT_OK(CreateTownship(kXunzhong, "浔中镇"));
  BX_ASSERT_OK(CreateTownship("350526199", "测试镇"));
  BX_ASSERT_OK(CreateTownship(kYangmei, "杨梅乡"));
  v1::CreateTownshipResponse last;
  BX_ASSERT_OK(CreateTownship("350526399", "测试乡", &last));
  std::vector<v1::Township> all = Townships(last.sequence());
  ASSERT_EQ(all.size(), 6u);
  std::vector<std::pair<std::string, v1::TownshipKind>> got;
  for (const auto& t : all) got.emplace_back(t.township_code(), t.kind());
  EXPECT_THAT(got, ElementsAre(
                       std::pair<std::string, v1::TownshipKind>(
                           "350526001", v1::TOWNSHIP_KIND_SUBDISTRICT),
                       std::pair<std::string, v1::TownshipKind>(
                           "350526099", v1::TOWNSHIP_KIND_SUBDISTRICT),
                       std::pair<std::string, v1::TownshipKind>(
                           "350526100", v1::TOWNSHIP_KIND_TOWN),
                       std::pair<std::string, v1::TownshipKind>(
                           "350526199", v1::TOWNSHIP_KIND_TOWN),
                       std::pair<std::string, v1::TownshipKind>(
                           "350526200", v1::TOWNSHIP_KIND_TOWNSHIP),
                       std::pair<std::string, v1::TownshipKind>(
                           "350526399", v1::TOWNSHIP_KIND_TOWNSHIP)));
  EXPECT_EQ(all[2].name(), "浔中镇");

  // A duplicate names the existing township.
  before = LastSequence();
  grpc::Status duplicate = CreateTownship(kXunzhong, "另一个名字");
  ExpectError(duplicate, grpc::StatusCode::ALREADY_EXISTS, "浔中镇");
  EXPECT_THAT(duplicate.error_message(), HasSubstr("350526100"));
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(RegistryTest, RenamingATownshipKeepsItsFormerNames) {
  EnsureTownship(kLongxun);
  auto rename = [this](const std::string& code, const std::string& name,
                       v1::RenameTownshipResponse* response = nullptr,
                       const std::string& lang = "") {
    v1::RenameTownshipRequest request;
    request.set_township_code(code);
    request.set_name(name);
    v1::RenameTownshipResponse local;
    return Call(bureau_.get(), &Bureau::RenameTownship, admin_token_, request,
                response ? response : &local, lang);
  };
  SetCountyTime(2026, 10, 20, 10);
  BX_ASSERT_OK(rename(kLongxun, "龙浔镇（新）"));
  SetCountyTime(2026, 11, 2, 10);
  v1::RenameTownshipResponse renamed;
  BX_ASSERT_OK(rename(kLongxun, "龙浔街道", &renamed));
  std::vector<v1::Township> all = Townships(renamed.sequence());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name(), "龙浔街道");
  ASSERT_EQ(all[0].former_names_size(), 2);
  EXPECT_EQ(all[0].former_names(0).name(), "龙浔镇");
  EXPECT_EQ(all[0].former_names(0).replace_time().seconds(),
            absl::ToUnixSeconds(CountyTime(2026, 10, 20, 10)));
  EXPECT_EQ(all[0].former_names(1).name(), "龙浔镇（新）");
  EXPECT_EQ(all[0].former_names(1).replace_time().seconds(),
            absl::ToUnixSeconds(CountyTime(2026, 11, 2, 10)));
  // The kind stays what the code says.
  EXPECT_EQ(all[0].kind(), v1::TOWNSHIP_KIND_TOWN);

  uint64_t before = LastSequence();
  grpc::Status same = rename(kLongxun, "龙浔街道", nullptr, "en");
  ExpectError(same, grpc::StatusCode::FAILED_PRECONDITION, "already named");
  ExpectError(rename("350526109", "上涌镇"), grpc::StatusCode::NOT_FOUND,
              "350526109");
  ExpectInvalid(rename(kLongxun, ""), "name");
  EXPECT_EQ(LastSequence(), before);
}

// ---- Villages.

TEST_F(RegistryTest, VillagesLiveUnderTheirTownship) {
  EnsureTownship(kXunzhong);
  EnsureTownship(kSanban);
  uint64_t before = LastSequence();
  // Under a township that does not exist.
  ExpectError(CreateVillage("350526105001", "南埕村"), grpc::StatusCode::NOT_FOUND,
              "350526105");
  ExpectInvalid(CreateVillage("35052610001", "短码村"), "village.village_code",
                "11 digits");
  ExpectInvalid(CreateVillage("3505261000011", "长码村"), "village.village_code",
                "13 digits");
  ExpectInvalid(CreateVillage("350526100000", "零村"), "village.village_code",
                "suffix 000");
  ExpectInvalid(CreateVillage("35052610000a", "字母村"), "village.village_code",
                "letter");
  ExpectInvalid(CreateVillage("350526000001", "无乡镇村"), "township_code",
                "township part 000");
  ExpectInvalid(CreateVillage(kXunzhongVillage1, ""), "village.name");
  {
    v1::CreateVillageRequest request;
    request.mutable_village()->set_village_code(kXunzhongVillage1);
    request.mutable_village()->set_name("浔中村");
    request.mutable_village()->set_township_code(kSanban);
    v1::CreateVillageResponse response;
    ExpectInvalid(Call(bureau_.get(), &Bureau::CreateVillage, admin_token_,
                       request, &response),
                  "village.township_code");
  }
  EXPECT_EQ(LastSequence(), before);

  BX_ASSERT_OK(CreateVillage(kXunzhongVillage2, "石山村"));
  BX_ASSERT_OK(CreateVillage(kXunzhongVillage1, "浔中村"));
  v1::CreateVillageResponse last;
  BX_ASSERT_OK(CreateVillage(kSanbanVillage, "三班村", &last));
  ExpectError(CreateVillage(kXunzhongVillage1, "又一村"),
              grpc::StatusCode::ALREADY_EXISTS, "浔中村");

  v1::ListVillagesResponse villages;
  BX_ASSERT_OK(ListVillages(kXunzhong, last.sequence(), &villages));
  ASSERT_EQ(villages.villages_size(), 2);
  EXPECT_EQ(villages.villages(0).village_code(), kXunzhongVillage1);
  EXPECT_EQ(villages.villages(0).township_code(), kXunzhong);
  EXPECT_EQ(villages.villages(1).name(), "石山村");
  ExpectError(ListVillages("350526109", 0, &villages),
              grpc::StatusCode::NOT_FOUND, "350526109");

  // Renames keep history; the same name again is refused.
  v1::RenameVillageRequest rename;
  rename.set_village_code(kXunzhongVillage1);
  rename.set_name("浔中社区");
  v1::RenameVillageResponse renamed;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::RenameVillage, admin_token_, rename,
                    &renamed));
  villages.Clear();
  BX_ASSERT_OK(ListVillages(kXunzhong, renamed.sequence(), &villages));
  EXPECT_EQ(villages.villages(0).name(), "浔中社区");
  ASSERT_EQ(villages.villages(0).former_names_size(), 1);
  EXPECT_EQ(villages.villages(0).former_names(0).name(), "浔中村");
  before = LastSequence();
  EXPECT_EQ(Call(bureau_.get(), &Bureau::RenameVillage, admin_token_, rename,
                 &renamed)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  rename.set_village_code("350526100009");
  EXPECT_EQ(Call(bureau_.get(), &Bureau::RenameVillage, admin_token_, rename,
                 &renamed)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(LastSequence(), before);
}

// ---- Schools.

TEST_F(RegistryTest, SchoolsAreValidated) {
  EnsureTownship(kXunzhong);
  uint64_t before = LastSequence();
  struct Case {
    std::string what;
    v1::School school;
    std::string field;
  };
  std::vector<Case> cases;
  v1::School s = PrimarySchool("Xunzhong Primary", kXunzhong);
  cases.push_back({"id with capitals and a space", s, "school.school_id"});
  s.set_school_id("xz");
  cases.push_back({"id too short", s, "school.school_id"});
  s.set_school_id("");
  cases.push_back({"no id", s, "school.school_id"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.set_name("");
  cases.push_back({"no name", s, "school.name"});
  s = PrimarySchool("xunzhong-primary", "350526109");
  cases.push_back({"township does not exist", s, "school.township_code"});
  s = PrimarySchool("xunzhong-primary", "");
  cases.push_back({"no township", s, "school.township_code"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.set_kind(v1::SCHOOL_KIND_UNSPECIFIED);
  cases.push_back({"no kind", s, "school.kind"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.clear_grades();
  cases.push_back({"no grades", s, "school.grades"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.add_grades(10);
  cases.push_back({"grade 10", s, "school.grades"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.set_grades(0, 0);
  cases.push_back({"grade 0", s, "school.grades"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.set_grades(0, 2);
  cases.push_back({"not ascending", s, "school.grades"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.add_grades(7);
  cases.push_back({"a primary school with grade 7", s, "school.grades"});
  s = PrimarySchool("longxun-middle", kXunzhong);
  s.set_kind(v1::SCHOOL_KIND_JUNIOR_SECONDARY);
  cases.push_back({"a junior school with grades 1-6", s, "school.grades"});
  s = PrimarySchool("xunzhong-primary", kXunzhong);
  s.add_former_names()->set_name("旧名");
  cases.push_back({"former names from the client", s, "school.former_names"});
  for (const Case& c : cases) {
    for (const std::string lang : {"", "en"}) {
      ExpectInvalid(CreateSchool(c.school, nullptr, lang), c.field,
                    c.what + " " + lang, lang);
    }
  }
  EXPECT_EQ(LastSequence(), before);
  EXPECT_EQ(CreateSchool(PrimarySchool("xunzhong-primary", "350526109"),
                         nullptr, "en")
                .error_message(),
            "school.township_code: township 350526109 does not exist");
  EXPECT_THAT(CreateSchool(PrimarySchool("xunzhong-primary", "350526109"))
                  .error_message(),
              HasSubstr("所在乡镇"));

  // Each kind with its grades.
  v1::School primary = PrimarySchool(kXunzhongPrimary, kXunzhong);
  BX_ASSERT_OK(CreateSchool(primary));
  v1::School junior = PrimarySchool("xunzhong-middle", kXunzhong);
  junior.set_name("德化县浔中中学");
  junior.set_kind(v1::SCHOOL_KIND_JUNIOR_SECONDARY);
  junior.clear_grades();
  for (int g : {7, 8, 9}) junior.add_grades(g);
  BX_ASSERT_OK(CreateSchool(junior));
  v1::School special = PrimarySchool("dehua-special", kXunzhong);
  special.set_name("德化县特殊教育学校");
  special.set_kind(v1::SCHOOL_KIND_SPECIAL_EDUCATION);
  special.clear_grades();
  for (int g = 1; g <= 9; ++g) special.add_grades(g);
  v1::CreateSchoolResponse created;
  BX_ASSERT_OK(CreateSchool(special, &created));
  // A partial range of grades is fine (a 教学点 teaching grades 1-3).
  v1::School small = PrimarySchool("xunzhong-teaching-point", kXunzhong);
  small.set_name("浔中镇教学点");
  small.clear_grades();
  for (int g : {1, 2, 3}) small.add_grades(g);
  BX_ASSERT_OK(CreateSchool(small, &created));

  ExpectError(CreateSchool(primary), grpc::StatusCode::ALREADY_EXISTS,
              "德化县浔中中心小学");
  std::vector<v1::School> all = Schools("", created.sequence());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].school_id(), "dehua-special");
  EXPECT_EQ(all[1].school_id(), "xunzhong-middle");
  EXPECT_THAT(std::vector<int>(all[1].grades().begin(), all[1].grades().end()),
              ElementsAre(7, 8, 9));
}

TEST_F(RegistryTest, UpdateSchoolKeepsTheTownshipAndTheNameHistory) {
  EnsureTownship(kXunzhong);
  EnsureTownship(kLongxun);
  v1::School school = PrimarySchool(kXunzhongPrimary, kXunzhong);
  school.set_name("浔中中心小学");
  BX_ASSERT_OK(CreateSchool(school));
  v1::School other = PrimarySchool("longxun-primary", kLongxun);
  other.set_name("龙浔中心小学");
  BX_ASSERT_OK(CreateSchool(other));

  // Rename, and widen it to a 九年一贯制 school; the township is left empty
  // and stays.
  v1::School update = school;
  update.set_name("德化县浔中学校");
  update.set_kind(v1::SCHOOL_KIND_NINE_YEAR);
  update.clear_township_code();
  update.clear_grades();
  for (int g = 1; g <= 9; ++g) update.add_grades(g);
  v1::UpdateSchoolResponse updated;
  BX_ASSERT_OK(UpdateSchool(update, &updated));
  std::vector<v1::School> schools = Schools(kXunzhong, updated.sequence());
  ASSERT_EQ(schools.size(), 1u);  // only 浔中镇's school
  EXPECT_EQ(schools[0].name(), "德化县浔中学校");
  EXPECT_EQ(schools[0].township_code(), kXunzhong);
  EXPECT_EQ(schools[0].kind(), v1::SCHOOL_KIND_NINE_YEAR);
  EXPECT_EQ(schools[0].grades_size(), 9);
  ASSERT_EQ(schools[0].former_names_size(), 1);
  EXPECT_EQ(schools[0].former_names(0).name(), "浔中中心小学");

  // Changing only the grades keeps the name history as it is.
  update.clear_grades();
  for (int g = 1; g <= 8; ++g) update.add_grades(g);
  BX_ASSERT_OK(UpdateSchool(update, &updated));
  schools = Schools(kXunzhong, updated.sequence());
  EXPECT_EQ(schools[0].former_names_size(), 1);
  EXPECT_EQ(schools[0].grades_size(), 8);

  uint64_t before = LastSequence();
  v1::School moved = update;
  moved.set_township_code(kLongxun);
  ExpectInvalid(UpdateSchool(moved), "school.township_code");
  v1::School unknown = update;
  unknown.set_school_id("no-such-school");
  ExpectError(UpdateSchool(unknown), grpc::StatusCode::NOT_FOUND,
              "no-such-school");
  v1::School bad_grades = update;
  bad_grades.set_kind(v1::SCHOOL_KIND_PRIMARY);  // still grades 1–8
  ExpectInvalid(UpdateSchool(bad_grades), "school.grades");
  v1::School no_name = update;
  no_name.clear_name();
  ExpectInvalid(UpdateSchool(no_name), "school.name");
  EXPECT_EQ(LastSequence(), before);
}

// ---- The calendar.

TEST_F(RegistryTest, CalendarWithNationalDayAndAMakeUpSaturday) {
  SeedCounty();
  v1::GetCalendarRequest request;
  request.set_school_year(2026);
  request.set_min_sequence(last_sequence_);
  v1::GetCalendarResponse response;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::GetCalendar, admin_token_, request,
                    &response));
  const int expected = CountSchoolDays(Calendar2026());
  EXPECT_EQ(response.school_days(), expected);
  EXPECT_GT(expected, 180);
  EXPECT_LT(expected, 205);
  EXPECT_EQ(response.calendar().SerializeAsString(),
            Calendar2026().SerializeAsString());

  // Replacing the year: the 国庆 week without its make-up Saturday has one
  // school day fewer; and a new holiday one fewer again.
  v1::SchoolYearCalendar changed = Calendar2026();
  changed.mutable_makeup_days()->RemoveLast();  // 2026-10-10
  *changed.add_holidays() = D(2026, 10, 8);
  v1::SetCalendarResponse set;
  BX_ASSERT_OK(SetCalendar(changed, &set));
  EXPECT_EQ(set.school_days(), expected - 2);
  EXPECT_EQ(set.school_days(), CountSchoolDays(changed));
  request.set_min_sequence(set.sequence());
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::GetCalendar, admin_token_, request,
                    &response));
  EXPECT_EQ(response.school_days(), expected - 2);
  EXPECT_EQ(response.calendar().makeup_days_size(), 1);

  // A year that was never set.
  request.set_school_year(2025);
  grpc::Status missing =
      Call(bureau_.get(), &Bureau::GetCalendar, admin_token_, request, &response);
  ExpectError(missing, grpc::StatusCode::NOT_FOUND, "2025");
}

TEST_F(RegistryTest, EverySetCalendarErrorNamesItsField) {
  SeedCounty();
  struct Case {
    std::string what;
    v1::SchoolYearCalendar calendar;
    std::string field;
  };
  std::vector<Case> cases;
  auto with = [](auto change) {
    v1::SchoolYearCalendar c = Calendar2026();
    change(c);
    return c;
  };
  using C = v1::SchoolYearCalendar;
  cases.push_back({"year 1999", with([](C& c) { c.set_school_year(1999); }),
                   "calendar.school_year"});
  cases.push_back({"year 2101", with([](C& c) { c.set_school_year(2101); }),
                   "calendar.school_year"});
  cases.push_back({"no terms", with([](C& c) { c.clear_terms(); }),
                   "calendar.terms"});
  cases.push_back({"four terms", with([](C& c) {
                     c.clear_holidays();
                     c.clear_makeup_days();
                     c.mutable_terms(0)->set_name("一");
                     *c.mutable_terms(0)->mutable_end_date() = D(2026, 10, 31);
                     v1::Term* t = c.add_terms();
                     *t = c.terms(0);
                     *t->mutable_start_date() = D(2026, 11, 2);
                     *t->mutable_end_date() = D(2026, 12, 31);
                     t = c.add_terms();
                     *t = c.terms(0);
                     *t->mutable_start_date() = D(2027, 7, 1);
                     *t->mutable_end_date() = D(2027, 7, 31);
                   }),
                   "calendar.terms"});
  cases.push_back({"term without a name",
                   with([](C& c) { c.mutable_terms(1)->clear_name(); }),
                   "calendar.terms[1].name"});
  cases.push_back({"term without a start date",
                   with([](C& c) { c.mutable_terms(0)->clear_start_date(); }),
                   "calendar.terms[0].start_date"});
  cases.push_back({"30 February", with([](C& c) {
                     *c.mutable_terms(1)->mutable_end_date() = D(2027, 2, 30);
                   }),
                   "calendar.terms[1].end_date"});
  cases.push_back({"start after end", with([](C& c) {
                     *c.mutable_terms(1)->mutable_start_date() = D(2027, 7, 1);
                   }),
                   "calendar.terms[1]"});
  cases.push_back({"start before 1 August", with([](C& c) {
                     *c.mutable_terms(0)->mutable_start_date() = D(2026, 7, 31);
                   }),
                   "calendar.terms[0]"});
  cases.push_back({"end after 31 August of the next year", with([](C& c) {
                     *c.mutable_terms(1)->mutable_end_date() = D(2027, 9, 1);
                   }),
                   "calendar.terms[1]"});
  cases.push_back({"overlapping terms", with([](C& c) {
                     *c.mutable_terms(1)->mutable_start_date() = D(2027, 1, 22);
                   }),
                   "calendar.terms[1]"});
  cases.push_back({"terms out of order", with([](C& c) {
                     std::swap(*c.mutable_terms(0), *c.mutable_terms(1));
                   }),
                   "calendar.terms[1]"});
  cases.push_back({"holiday outside every term", with([](C& c) {
                     *c.add_holidays() = D(2027, 2, 10);  // winter break
                   }),
                   "calendar.holidays[7]"});
  cases.push_back({"holiday twice", with([](C& c) {
                     *c.add_holidays() = D(2026, 10, 1);
                   }),
                   "calendar.holidays[7]"});
  cases.push_back({"holiday not a date", with([](C& c) {
                     *c.add_holidays() = D(2026, 13, 1);
                   }),
                   "calendar.holidays[7]"});
  cases.push_back({"make-up day on a weekday", with([](C& c) {
                     *c.add_makeup_days() = D(2026, 10, 9);  // Friday
                   }),
                   "calendar.makeup_days[2]"});
  cases.push_back({"make-up day outside every term", with([](C& c) {
                     *c.add_makeup_days() = D(2026, 8, 29);  // Saturday
                   }),
                   "calendar.makeup_days[2]"});
  cases.push_back({"make-up day twice", with([](C& c) {
                     *c.add_makeup_days() = D(2026, 10, 10);
                   }),
                   "calendar.makeup_days[2]"});
  cases.push_back({"make-up day also a holiday", with([](C& c) {
                     *c.add_holidays() = D(2026, 10, 17);  // Saturday
                     *c.add_makeup_days() = D(2026, 10, 17);
                   }),
                   "calendar.makeup_days[2]"});
  // The next year may not overlap this one (in August 2027 both could).
  cases.push_back({"overlaps the neighbouring year", [] {
                     v1::SchoolYearCalendar c;
                     c.set_school_year(2027);
                     v1::Term* t = c.add_terms();
                     t->set_name("暑期学期");
                     *t->mutable_start_date() = D(2027, 8, 2);
                     *t->mutable_end_date() = D(2027, 8, 20);
                     return c;
                   }(),
                   "calendar"});
  // Make 2026 reach into August 2027 first, so that the last case overlaps.
  v1::SchoolYearCalendar long_year = Calendar2026();
  *long_year.mutable_terms(1)->mutable_end_date() = D(2027, 8, 13);
  BX_ASSERT_OK(SetCalendar(long_year));

  uint64_t before = LastSequence();
  for (const Case& c : cases) {
    for (const std::string lang : {"", "en"}) {
      ExpectInvalid(SetCalendar(c.calendar, nullptr, lang), c.field,
                    c.what + " " + lang, lang);
    }
  }
  EXPECT_EQ(LastSequence(), before);
  // Two messages in full, in both languages.
  v1::SchoolYearCalendar weekday = Calendar2026();
  *weekday.add_makeup_days() = D(2026, 10, 9);
  EXPECT_THAT(SetCalendar(weekday, nullptr, "en").error_message(),
              HasSubstr("2026-10-09 is a Friday"));
  EXPECT_THAT(SetCalendar(weekday).error_message(), HasSubstr("星期五"));
  EXPECT_THAT(SetCalendar(cases.back().calendar, nullptr, "en").error_message(),
              HasSubstr("neighbouring year"));
  EXPECT_THAT(SetCalendar(cases.back().calendar).error_message(),
              HasSubstr("相邻学年"));
}

// ---- Settings.

TEST_F(RegistryTest, SettingsHaveDefaultsAndPartialUpdatesKeepTheRest) {
  v1::RuleSettings defaults = GetSettings(0);
  EXPECT_EQ(defaults.consecutive_absence_days(), 3);
  EXPECT_EQ(defaults.cumulative_absence_days(), 10);
  EXPECT_EQ(defaults.transfer_limbo_days(), 30);
  EXPECT_EQ(defaults.lawful_status_grace_days(), 10);
  EXPECT_EQ(defaults.half_day_rule(), v1::HALF_DAY_RULE_COUNTS);
  EXPECT_EQ(defaults.first_contact_school_days(), 1);
  EXPECT_EQ(defaults.verification_days(), 7);
  EXPECT_EQ(defaults.persuasion_action_interval_days(), 7);
  EXPECT_EQ(defaults.persuasion_escalation_days(), 30);
  EXPECT_EQ(defaults.closure_approval_days(), 7);
  EXPECT_EQ(defaults.observation_school_days(), 20);
  EXPECT_EQ(defaults.closure_rule(), v1::CLOSURE_RULE_BUREAU_APPROVAL);
  EXPECT_EQ(defaults.reporting_cutoff_minutes(), 1080);
  EXPECT_EQ(defaults.missing_report_alert_days(), 3);
  EXPECT_EQ(defaults.report_max_age_days(), 30);

  v1::RuleSettings change;
  change.set_consecutive_absence_days(5);
  change.set_closure_rule(v1::CLOSURE_RULE_AUTOMATIC);
  v1::UpdateSettingsResponse updated;
  BX_ASSERT_OK(UpdateSettings(change, &updated));
  v1::RuleSettings expected = defaults;
  expected.set_consecutive_absence_days(5);
  expected.set_closure_rule(v1::CLOSURE_RULE_AUTOMATIC);
  EXPECT_EQ(updated.settings().SerializeAsString(), expected.SerializeAsString());
  EXPECT_EQ(GetSettings(updated.sequence()).SerializeAsString(),
            expected.SerializeAsString());

  // A second partial update keeps the first.
  change.Clear();
  change.set_reporting_cutoff_minutes(17 * 60 + 30);
  change.set_half_day_rule(v1::HALF_DAY_RULE_IGNORED);
  BX_ASSERT_OK(UpdateSettings(change, &updated));
  expected.set_reporting_cutoff_minutes(1050);
  expected.set_half_day_rule(v1::HALF_DAY_RULE_IGNORED);
  EXPECT_EQ(GetSettings(updated.sequence()).SerializeAsString(),
            expected.SerializeAsString());
  // The bounds themselves are accepted.
  change.Clear();
  change.set_reporting_cutoff_minutes(600);
  change.set_report_max_age_days(365);
  change.set_consecutive_absence_days(2);
  BX_ASSERT_OK(UpdateSettings(change, &updated));
  EXPECT_EQ(updated.settings().reporting_cutoff_minutes(), 600);
  EXPECT_EQ(updated.settings().report_max_age_days(), 365);
  EXPECT_EQ(updated.settings().consecutive_absence_days(), 2);
  // Each change is an event.
  EXPECT_EQ(updated.sequence(), LastSequence());
}

TEST_F(RegistryTest, EachOutOfRangeSettingNamesTheField) {
  struct Range {
    std::string field;
    void (v1::RuleSettings::*set)(int32_t);
    int lo, hi;
  };
  const std::vector<Range> ranges = {
      {"consecutive_absence_days", &v1::RuleSettings::set_consecutive_absence_days, 2, 30},
      {"cumulative_absence_days", &v1::RuleSettings::set_cumulative_absence_days, 2, 100},
      {"transfer_limbo_days", &v1::RuleSettings::set_transfer_limbo_days, 1, 180},
      {"lawful_status_grace_days", &v1::RuleSettings::set_lawful_status_grace_days, 1, 90},
      {"first_contact_school_days", &v1::RuleSettings::set_first_contact_school_days, 1, 10},
      {"verification_days", &v1::RuleSettings::set_verification_days, 1, 60},
      {"persuasion_action_interval_days", &v1::RuleSettings::set_persuasion_action_interval_days, 1, 60},
      {"persuasion_escalation_days", &v1::RuleSettings::set_persuasion_escalation_days, 1, 365},
      {"closure_approval_days", &v1::RuleSettings::set_closure_approval_days, 1, 60},
      {"observation_school_days", &v1::RuleSettings::set_observation_school_days, 1, 100},
      {"reporting_cutoff_minutes", &v1::RuleSettings::set_reporting_cutoff_minutes, 600, 1439},
      {"missing_report_alert_days", &v1::RuleSettings::set_missing_report_alert_days, 1, 30},
      {"report_max_age_days", &v1::RuleSettings::set_report_max_age_days, 1, 365},
  };
  uint64_t before = LastSequence();
  for (const Range& r : ranges) {
    // Zero means "keep", so the value below the range is lo-1 or -1.
    for (int value : {r.lo > 1 ? r.lo - 1 : -1, r.hi + 1}) {
      v1::RuleSettings change;
      (change.*r.set)(value);
      // A valid change alongside is not applied either.
      change.set_verification_days(r.field == "verification_days" ? value : 9);
      for (const std::string lang : {"", "en"}) {
        grpc::Status status = UpdateSettings(change, nullptr, lang);
        ExpectInvalid(status, "settings." + r.field,
                      absl::StrCat(r.field, "=", value, " ", lang), lang);
        EXPECT_THAT(status.error_message(),
                    HasSubstr(absl::StrCat(r.lo, lang.empty() ? " 到 " : " to ",
                                           r.hi)))
            << r.field;
      }
    }
  }
  v1::RuleSettings bad_enum;
  bad_enum.set_half_day_rule(static_cast<v1::HalfDayRule>(7));
  ExpectInvalid(UpdateSettings(bad_enum), "settings.half_day_rule");
  v1::RuleSettings bad_closure;
  bad_closure.set_closure_rule(static_cast<v1::ClosureRule>(9));
  ExpectInvalid(UpdateSettings(bad_closure), "settings.closure_rule");
  EXPECT_EQ(LastSequence(), before);
  EXPECT_EQ(GetSettings(0).verification_days(), 7);
  v1::RuleSettings one;
  one.set_reporting_cutoff_minutes(599);
  EXPECT_EQ(UpdateSettings(one, nullptr, "en").error_message(),
            "settings.reporting_cutoff_minutes: 599 is out of range; must be "
            "600 to 1439");
}

TEST_F(RegistryTest, RetriedRegistryWriteIsAppliedOnce) {
  EnsureCounty();
  v1::CreateTownshipRequest request;
  request.mutable_township()->set_township_code(kSanban);
  request.mutable_township()->set_name("三班镇");
  request.set_request_id("township-sanban-1");
  v1::CreateTownshipResponse first, retry;
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::CreateTownship, admin_token_,
                    request, &first));
  BX_ASSERT_OK(Call(bureau_.get(), &Bureau::CreateTownship, admin_token_,
                    request, &retry));
  EXPECT_EQ(retry.sequence(), first.sequence());
  EXPECT_EQ(LastSequence(), first.sequence());
  EXPECT_EQ(Townships(first.sequence()).size(), 1u);
}

}  // namespace
}  // namespace baoxue::services::testing_server
