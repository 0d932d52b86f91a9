// Students and enrolment over a real gRPC channel (issue 3): registration
// with the three forms of 学籍号, every field check, duplicates, edits (an L
// number replaced by a G number), the enrolment state machine, and scope.
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/test_server.h"

namespace baoxue::services::testing_server {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using Bureau = v1::BureauService::Stub;
using School = v1::SchoolService::Stub;
using Township = v1::TownshipService::Stub;

void ExpectError(const grpc::Status& status, grpc::StatusCode code,
                 const std::string& text, const std::string& what = "") {
  EXPECT_EQ(status.error_code(), code) << what << ": " << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr(text)) << what;
}

class StudentsTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    SeedCounty();
    SetCountyTime(2026, 10, 16, 9);  // Friday morning: "today" below
    xunzhong_ = MakeAccount("xunzhong-clerk", v1::ROLE_SCHOOL, kXunzhongPrimary);
    sanban_ = MakeAccount("sanban-clerk", v1::ROLE_SCHOOL, kSanbanSchool);
    longxun_ = MakeAccount("longxun-clerk", v1::ROLE_SCHOOL, kLongxunMiddle);
    xunzhong_official_ =
        MakeAccount("xunzhong-official", v1::ROLE_TOWNSHIP, "", kXunzhong);
    longxun_official_ =
        MakeAccount("longxun-official", v1::ROLE_TOWNSHIP, "", kLongxun);
    viewer_ = MakeAccount("bureau-viewer", v1::ROLE_BUREAU_VIEWER);
  }

  grpc::Status GetStudent(const std::string& token, const std::string& id,
                          const std::string& number, const std::string& id_number,
                          uint64_t min_sequence, v1::Student* out) {
    v1::GetStudentRequest request;
    request.set_student_id(id);
    request.set_student_number(number);
    request.set_id_number(id_number);
    request.set_min_sequence(min_sequence);
    v1::GetStudentResponse response;
    grpc::Status status =
        Call(school_.get(), &School::GetStudent, token, request, &response);
    *out = response.student();
    return status;
  }

  grpc::Status FindStudent(const std::string& token, const std::string& id,
                           const std::string& number,
                           const std::string& id_number, uint64_t min_sequence,
                           v1::Student* out) {
    v1::FindStudentRequest request;
    request.set_student_id(id);
    request.set_student_number(number);
    request.set_id_number(id_number);
    request.set_min_sequence(min_sequence);
    v1::FindStudentResponse response;
    grpc::Status status =
        Call(bureau_.get(), &Bureau::FindStudent, token, request, &response);
    *out = response.student();
    return status;
  }

  grpc::Status Update(const std::string& token, const v1::Student& student,
                      v1::UpdateStudentResponse* response,
                      const std::string& lang = "") {
    v1::UpdateStudentRequest request;
    *request.mutable_student() = student;
    return Call(school_.get(), &School::UpdateStudent, token, request, response,
                lang);
  }

  // Student ids on every page of a listing.
  std::vector<std::string> ListSchool(const std::string& token,
                                      uint64_t min_sequence) {
    std::vector<std::string> ids;
    v1::ListStudentsRequest request;
    request.set_min_sequence(min_sequence);
    request.set_page_size(2);
    for (int i = 0; i < 50; ++i) {
      v1::ListStudentsResponse response;
      grpc::Status status =
          Call(school_.get(), &School::ListStudents, token, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      for (const auto& s : response.students()) ids.push_back(s.name());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return ids;
  }
  std::vector<std::string> ListTownship(const std::string& token,
                                        uint64_t min_sequence) {
    std::vector<std::string> names;
    v1::ListTownshipStudentsRequest request;
    request.set_min_sequence(min_sequence);
    request.set_page_size(1);
    for (int i = 0; i < 50; ++i) {
      v1::ListTownshipStudentsResponse response;
      grpc::Status status = Call(township_.get(), &Township::ListTownshipStudents,
                                 token, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      for (const auto& s : response.students()) names.push_back(s.name());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return names;
  }

  v1::Event EventAt(uint64_t sequence) {
    std::vector<v1::Event> events;
    EXPECT_TRUE(server_->log()->Read(sequence, 1, &events).ok());
    return events.empty() ? v1::Event() : events[0];
  }

  std::string xunzhong_, sanban_, longxun_, xunzhong_official_,
      longxun_official_, viewer_;
};

const absl::CivilDay kBirth(2018, 3, 12);  // grade 3 in 2026–27

v1::EnrolmentChange Change(const std::string& student_id, const v1::Date& date) {
  v1::EnrolmentChange change;
  change.set_student_id(student_id);
  *change.mutable_effective_date() = date;
  return change;
}

// ---- Registration.

TEST_F(StudentsTest, RegistersGJAndLNumbersAndFindsThemByEachKey) {
  v1::Student g = Child("林小明", kBirth, 13);
  g.add_priority_groups(v1::PRIORITY_GROUP_LEFT_BEHIND);
  g.add_priority_groups(v1::PRIORITY_GROUP_POOR_HOUSEHOLD);
  v1::Guardian* mother = g.add_guardians();
  mother->set_name("陈秀英");
  mother->set_relation("母亲");
  mother->set_phone("0595-23512345");  // a landline
  v1::RegisterStudentResponse registered;
  BX_ASSERT_OK(Register(xunzhong_, g, 3, "2班", D(2026, 9, 1), &registered));
  const v1::Student& s = registered.student();
  EXPECT_EQ(s.student_id(), absl::StrCat("stu-", registered.sequence()));
  EXPECT_EQ(s.student_number(), "G" + g.id_number());
  EXPECT_EQ(s.enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
  EXPECT_EQ(s.enrolment().school_id(), kXunzhongPrimary);
  EXPECT_EQ(s.enrolment().grade(), 3);
  EXPECT_EQ(s.enrolment().class_name(), "2班");
  ASSERT_EQ(s.enrolment_spans_size(), 1);
  EXPECT_EQ(s.enrolment_spans(0).school_id(), kXunzhongPrimary);
  EXPECT_FALSE(s.enrolment_spans(0).has_end_date());
  EXPECT_EQ(s.register_time().seconds(),
            absl::ToUnixSeconds(CountyTime(2026, 10, 16, 9)));
  EXPECT_EQ(s.guardians_size(), 2);
  EXPECT_EQ(s.priority_groups_size(), 2);

  // A J number, with and without an ID number.
  v1::Student j = Child("黄小红", absl::CivilDay(2019, 5, 1), 24);
  j.set_student_number("J3505262019000001AB");
  j.clear_id_number();
  v1::Student j_registered = RegisterOk(xunzhong_, j, 2, "1班");
  EXPECT_EQ(j_registered.student_number(), "J3505262019000001AB");
  v1::Student j2 = Child("黄小兰", absl::CivilDay(2019, 5, 2), 26);
  j2.set_student_number("J350526201900000ZZ9");
  RegisterOk(xunzhong_, j2, 2, "1班");
  // An L number: area code, birth date, 4 digits.
  v1::Student l = ChildWithLNumber("郑小龙", absl::CivilDay(2020, 1, 31), true, 7);
  EXPECT_EQ(l.student_number(), "L350526202001310007");
  v1::Student l_registered = RegisterOk(xunzhong_, l, 1, "3班");

  // GetStudent by each key, read-your-writes.
  for (const auto& [id, number, id_number] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {s.student_id(), "", ""},
           {"", s.student_number(), ""},
           {"", "", g.id_number()}}) {
    v1::Student found;
    BX_ASSERT_OK(GetStudent(xunzhong_, id, number, id_number, last_sequence_,
                            &found));
    EXPECT_EQ(found.name(), "林小明");
  }
  v1::Student found;
  BX_ASSERT_OK(GetStudent(xunzhong_, "", "L350526202001310007", "",
                          last_sequence_, &found));
  EXPECT_EQ(found.student_id(), l_registered.student_id());
  // Exactly one key.
  ExpectError(GetStudent(xunzhong_, s.student_id(), s.student_number(), "", 0,
                         &found),
              grpc::StatusCode::INVALID_ARGUMENT, "student_id");
  ExpectError(GetStudent(xunzhong_, "", "", "", 0, &found),
              grpc::StatusCode::INVALID_ARGUMENT, "student_id");
  ExpectError(GetStudent(xunzhong_, "stu-999999", "", "", 0, &found),
              grpc::StatusCode::NOT_FOUND, "");
  // The bureau (and its viewer) find any child of the county.
  BX_ASSERT_OK(FindStudent(viewer_, "", "", g.id_number(), last_sequence_, &found));
  EXPECT_EQ(found.student_id(), s.student_id());
  EXPECT_THAT(ListSchool(xunzhong_, last_sequence_),
              ElementsAre("林小明", "黄小红", "黄小兰", "郑小龙"));
}

TEST_F(StudentsTest, EveryBadFieldIsRefusedAndNamed) {
  struct Case {
    std::string what;
    v1::Student student;
    std::string field;
    int grade = 3;
    std::string class_name = "2班";
    v1::Date enrol_date = D(2026, 9, 1);
  };
  const v1::Student good = Child("林小明", kBirth, 13);
  std::vector<Case> cases;
  auto with = [&](auto change) {
    v1::Student s = good;
    change(s);
    return s;
  };
  using S = v1::Student;
  // 学籍号.
  cases.push_back({"no student number",
                   with([](S& s) { s.clear_student_number(); }),
                   "student_number"});
  cases.push_back({"lowercase g", with([](S& s) {
                     s.set_student_number("g" + s.id_number());
                   }),
                   "student_number"});
  cases.push_back({"unknown prefix", with([](S& s) {
                     s.set_student_number("X" + s.id_number());
                   }),
                   "student_number"});
  cases.push_back({"G number too short", with([](S& s) {
                     s.set_student_number(s.student_number().substr(0, 18));
                   }),
                   "student_number"});
  cases.push_back({"G number of another ID", with([](S& s) {
                     s.set_student_number(
                         "G" + IdNumber(kCountyCode, kBirth, 15));
                   }),
                   "student_number"});
  cases.push_back({"G number without the ID number",
                   with([](S& s) { s.clear_id_number(); }), "id_number"});
  cases.push_back({"J number with a lowercase letter", with([](S& s) {
                     s.set_student_number("J3505262018000001ab");
                     s.clear_id_number();
                   }),
                   "student_number"});
  cases.push_back({"L number with a letter", with([](S& s) {
                     s.set_student_number("L35052620180312000A");
                     s.clear_id_number();
                   }),
                   "student_number"});
  cases.push_back({"L number's birth date disagrees", with([](S& s) {
                     s.set_student_number("L350526201803130001");
                     s.clear_id_number();
                   }),
                   "student_number"});
  // ID number (with a J number, so that only the ID number is wrong).
  std::string id = good.id_number();
  std::string wrong_check = id.substr(0, 17) + (id[17] == '1' ? '2' : '1');
  cases.push_back({"wrong check character", with([&](S& s) {
                     s.set_student_number("J3505262018000001AB");
                     s.set_id_number(wrong_check);
                   }),
                   "id_number"});
  cases.push_back({"17 characters", with([&](S& s) {
                     s.set_student_number("J3505262018000001AB");
                     s.set_id_number(id.substr(0, 17));
                   }),
                   "id_number"});
  cases.push_back({"birth date disagrees with the ID", with([](S& s) {
                     *s.mutable_birth_date() = D(2018, 3, 13);
                   }),
                   "student.birth_date"});
  cases.push_back({"sex disagrees with the ID",
                   with([](S& s) { s.set_sex(v1::SEX_FEMALE); }),
                   "student.sex"});
  cases.push_back({"no sex", with([](S& s) { s.clear_sex(); }), "student.sex"});
  cases.push_back({"no birth date", with([](S& s) { s.clear_birth_date(); }),
                   "student.birth_date"});
  cases.push_back({"no name", with([](S& s) { s.clear_name(); }),
                   "student.name"});
  cases.push_back({"name of 51 characters",
                   with([](S& s) { s.set_name(std::string(51, 'a')); }),
                   "student.name"});
  // Household.
  cases.push_back({"household township not in the county", with([](S& s) {
                     s.set_household_township_code("350526109");
                   }),
                   "student.household_township_code"});
  cases.push_back({"no household township", with([](S& s) {
                     s.clear_household_township_code();
                   }),
                   "student.household_township_code"});
  cases.push_back({"village does not exist", with([](S& s) {
                     s.set_household_village_code("350526100099");
                   }),
                   "student.household_village_code"});
  cases.push_back({"village of another township", with([](S& s) {
                     s.set_household_village_code(kLongxunVillage);
                   }),
                   "student.household_village_code"});
  // Guardians.
  cases.push_back({"five guardians", with([](S& s) {
                     for (int i = 0; i < 4; ++i) *s.add_guardians() = s.guardians(0);
                   }),
                   "student.guardians"});
  for (const std::string phone :
       {"1380595123", "138059512345", "23805951234", "+8613805951234",
        "138 0595 1234", "0595-1234567", "(0595)23512345", ""}) {
    cases.push_back({"phone '" + phone + "'", with([&](S& s) {
                       s.mutable_guardians(0)->set_phone(phone);
                     }),
                     "student.guardians[0].phone"});
  }
  cases.push_back({"guardian without a name",
                   with([](S& s) { s.mutable_guardians(0)->clear_name(); }),
                   "student.guardians[0].name"});
  cases.push_back({"guardian without a relation",
                   with([](S& s) { s.mutable_guardians(0)->clear_relation(); }),
                   "student.guardians[0].relation"});
  // Priority groups.
  cases.push_back({"unspecified priority group", with([](S& s) {
                     s.add_priority_groups(v1::PRIORITY_GROUP_UNSPECIFIED);
                   }),
                   "student.priority_groups[0]"});
  cases.push_back({"unknown priority group", with([](S& s) {
                     s.add_priority_groups(v1::PRIORITY_GROUP_ORPHAN);
                     s.add_priority_groups(static_cast<v1::PriorityGroup>(42));
                   }),
                   "student.priority_groups[1]"});
  cases.push_back({"repeated priority group", with([](S& s) {
                     s.add_priority_groups(v1::PRIORITY_GROUP_DISABLED);
                     s.add_priority_groups(v1::PRIORITY_GROUP_DISABLED);
                   }),
                   "student.priority_groups[1]"});
  // Server-set fields.
  cases.push_back({"student_id from the client",
                   with([](S& s) { s.set_student_id("stu-1"); }), "student_id"});
  cases.push_back({"enrolment from the client", with([](S& s) {
                     s.mutable_enrolment()->set_grade(3);
                   }),
                   "enrolment"});
  cases.push_back({"former numbers from the client", with([](S& s) {
                     s.add_former_student_numbers("L350526201803120001");
                   }),
                   "former_student_numbers"});
  // Placement and date.
  Case c{"grade 7 at a primary school", good, "grade"};
  c.grade = 7;
  cases.push_back(c);
  c = {"grade 0", good, "grade"};
  c.grade = 0;
  cases.push_back(c);
  c = {"no class", good, "class_name"};
  c.class_name = "";
  cases.push_back(c);
  c = {"class name of 21 characters", good, "class_name"};
  c.class_name = std::string(21, '1');
  cases.push_back(c);
  c = {"enrolled tomorrow", good, "enrol_date"};
  c.enrol_date = D(2026, 10, 17);
  cases.push_back(c);
  c = {"enrolled before birth", good, "enrol_date"};
  c.enrol_date = D(2018, 3, 1);
  cases.push_back(c);
  c = {"no enrol date", good, "enrol_date"};
  c.enrol_date = v1::Date();
  cases.push_back(c);
  c = {"30 February", good, "enrol_date"};
  c.enrol_date = D(2026, 2, 30);
  cases.push_back(c);

  uint64_t before = LastSequence();
  for (const Case& c : cases) {
    for (const std::string lang : {"", "en"}) {
      v1::RegisterStudentResponse response;
      grpc::Status status = Register(xunzhong_, c.student, c.grade, c.class_name,
                                     c.enrol_date, &response, lang);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << c.what << " " << lang << ": " << Describe(status);
      // English names the full path; Chinese at least the field itself
      // (domain checks name "phone", not "student.guardians[0].phone").
      std::string field = lang == "en" ? c.field
                                       : c.field.substr(c.field.rfind('.') + 1);
      EXPECT_THAT(status.error_message(), HasSubstr(field))
          << c.what << " " << lang;
      // Error messages never repeat a whole ID number.
      EXPECT_THAT(status.error_message(), Not(HasSubstr(good.id_number())))
          << c.what;
    }
  }
  EXPECT_EQ(LastSequence(), before);  // bad input changes nothing

  // A few messages in full, in both languages.
  auto message = [&](const v1::Student& s, const std::string& lang) {
    v1::RegisterStudentResponse response;
    return Register(xunzhong_, s, 3, "2班", D(2026, 9, 1), &response, lang)
        .error_message();
  };
  v1::Student bad_birth = good;
  *bad_birth.mutable_birth_date() = D(2018, 3, 13);
  EXPECT_EQ(message(bad_birth, "en"),
            "student.birth_date: does not agree with the ID number's 2018-03-12");
  EXPECT_EQ(message(bad_birth, ""),
            "出生日期（student.birth_date）：与身份证号中的出生日期 2018-03-12 不一致");
  v1::Student check = good;
  check.set_student_number("J3505262018000001AB");
  check.set_id_number(wrong_check);
  EXPECT_THAT(message(check, "en"), HasSubstr("check character"));
  EXPECT_THAT(message(check, ""), HasSubstr("校验位"));
  v1::Student village = good;
  village.set_household_village_code(kLongxunVillage);
  EXPECT_EQ(message(village, "en"),
            "student.household_village_code: is not in the household township");
  EXPECT_EQ(LastSequence(), before);

  // The good child registers.
  RegisterOk(xunzhong_, good);
}

TEST_F(StudentsTest, TheSameChildCannotBeRegisteredTwice) {
  v1::Student child = Child("林小明", kBirth, 13);
  RegisterOk(xunzhong_, child);
  uint64_t before = LastSequence();
  // Again at the same school, and at another school: ALREADY_EXISTS saying
  // where the child is, without the whole ID number.
  v1::Student again = child;
  again.set_name("林晓明");
  for (const std::string* token : {&xunzhong_, &sanban_}) {
    v1::RegisterStudentResponse response;
    grpc::Status zh = Register(*token, again, 3, "1班", D(2026, 9, 1), &response);
    ExpectError(zh, grpc::StatusCode::ALREADY_EXISTS, "xunzhong-primary");
    EXPECT_THAT(zh.error_message(), HasSubstr("在读"));
    EXPECT_THAT(zh.error_message(), HasSubstr("林小明"));
    EXPECT_THAT(zh.error_message(), HasSubstr("350526********"));
    grpc::Status en =
        Register(*token, again, 3, "1班", D(2026, 9, 1), &response, "en");
    ExpectError(en, grpc::StatusCode::ALREADY_EXISTS,
                "school of record: xunzhong-primary (enrolled)");
    // Never the whole ID number, not even inside the G 学籍号.
    EXPECT_THAT(zh.error_message(), Not(HasSubstr(child.id_number())));
    EXPECT_THAT(en.error_message(), Not(HasSubstr(child.id_number())));
  }
  // A J number with the same ID number is the same child.
  v1::Student as_j = child;
  as_j.set_student_number("J3505262018000001AB");
  v1::RegisterStudentResponse response;
  ExpectError(Register(sanban_, as_j, 3, "1班", D(2026, 9, 1), &response),
              grpc::StatusCode::ALREADY_EXISTS, "xunzhong-primary");
  // A J number already taken by another child.
  v1::Student j1 = Child("黄小红", absl::CivilDay(2019, 5, 1), 24);
  j1.set_student_number("J3505262019000001AB");
  j1.clear_id_number();
  RegisterOk(xunzhong_, j1, 2, "1班");
  before = LastSequence();
  v1::Student j2 = Child("黄小兰", absl::CivilDay(2019, 5, 2), 26);
  j2.set_student_number("J3505262019000001AB");
  j2.clear_id_number();
  ExpectError(Register(sanban_, j2, 2, "1班", D(2026, 9, 1), &response, "en"),
              grpc::StatusCode::ALREADY_EXISTS,
              "student number J3505262019000001AB already belongs to 黄小红");
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(StudentsTest, RetriedRegistrationIsAppliedOnce) {
  v1::RegisterStudentRequest request;
  *request.mutable_student() = Child("林小明", kBirth, 13);
  request.set_grade(3);
  request.set_class_name("2班");
  *request.mutable_enrol_date() = D(2026, 9, 1);
  request.set_request_id("register-lin-1");
  v1::RegisterStudentResponse first, retry;
  BX_ASSERT_OK(Call(school_.get(), &School::RegisterStudent, xunzhong_, request,
                    &first));
  BX_ASSERT_OK(Call(school_.get(), &School::RegisterStudent, xunzhong_, request,
                    &retry));
  EXPECT_EQ(retry.sequence(), first.sequence());
  EXPECT_EQ(LastSequence(), first.sequence());
}

// ---- Edits.

TEST_F(StudentsTest, AnLNumberIsReplacedByAGNumberKeepingTheChild) {
  const absl::CivilDay birth(2020, 1, 31);
  v1::Student l = ChildWithLNumber("郑小龙", birth, true, 7);
  v1::Student registered = RegisterOk(xunzhong_, l, 1, "3班");
  const std::string old_number = registered.student_number();

  v1::Student edit = registered;
  edit.set_id_number(IdNumber(kCountyCode, birth, 31));
  edit.set_student_number("G" + edit.id_number());
  v1::UpdateStudentResponse updated;
  BX_ASSERT_OK(Update(xunzhong_, edit, &updated));
  EXPECT_EQ(updated.student().student_id(), registered.student_id());
  EXPECT_EQ(updated.student().student_number(), "G" + edit.id_number());
  EXPECT_THAT(updated.student().former_student_numbers(), ElementsAre(old_number));
  // History: the event keeps the record as it was.
  v1::Event event = EventAt(updated.sequence());
  EXPECT_EQ(event.student_updated().previous().student_number(), old_number);
  // Enrolment is unchanged by an edit.
  EXPECT_EQ(updated.student().enrolment().SerializeAsString(),
            registered.enrolment().SerializeAsString());

  // The old number still finds the child, for the bureau and the school.
  v1::Student found;
  BX_ASSERT_OK(FindStudent(admin_token_, "", old_number, "", updated.sequence(),
                           &found));
  EXPECT_EQ(found.student_id(), registered.student_id());
  EXPECT_EQ(found.student_number(), "G" + edit.id_number());
  BX_ASSERT_OK(GetStudent(xunzhong_, "", old_number, "", 0, &found));
  EXPECT_EQ(found.student_id(), registered.student_id());
  // And is never given to another child.
  v1::Student other = ChildWithLNumber("郑小虎", birth, true, 7);
  other.set_name("郑小虎");
  v1::RegisterStudentResponse response;
  ExpectError(Register(xunzhong_, other, 1, "3班", D(2026, 9, 1), &response),
              grpc::StatusCode::ALREADY_EXISTS, old_number);

  // A G number is official: it is not replaced; nor is an ID number changed.
  uint64_t before = LastSequence();
  v1::Student replace_g = updated.student();
  replace_g.set_id_number(IdNumber(kCountyCode, birth, 33));
  replace_g.set_student_number("G" + replace_g.id_number());
  ExpectError(Update(xunzhong_, replace_g, &updated),
              grpc::StatusCode::FAILED_PRECONDITION, "");
  v1::Student to_j = found;
  to_j.set_student_number("J3505262020000001AB");
  ExpectError(Update(xunzhong_, to_j, &updated, "en"),
              grpc::StatusCode::FAILED_PRECONDITION,
              "an official G student number cannot be replaced");
  // An edit that changes nothing is refused, and writes nothing.
  ExpectError(Update(xunzhong_, found, &updated, "en"),
              grpc::StatusCode::FAILED_PRECONDITION, "nothing changed");
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(StudentsTest, EditsAreValidatedAndKeepHistory) {
  v1::Student child = RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
  v1::Student edit = child;
  edit.set_name("林晓明");
  edit.set_household_township_code(kLongxun);
  edit.set_household_village_code(kLongxunVillage);
  edit.mutable_guardians(0)->set_phone("059523512345");
  edit.add_priority_groups(v1::PRIORITY_GROUP_MIGRANT);
  // Enrolment and other server-set fields in an edit are ignored.
  edit.mutable_enrolment()->set_grade(9);
  v1::UpdateStudentResponse updated;
  BX_ASSERT_OK(Update(xunzhong_, edit, &updated));
  EXPECT_EQ(updated.student().name(), "林晓明");
  EXPECT_EQ(updated.student().enrolment().grade(), 3);
  EXPECT_EQ(EventAt(updated.sequence()).student_updated().previous().name(),
            "林小明");
  // The township lists follow the household.
  EXPECT_THAT(ListTownship(longxun_official_, updated.sequence()),
              ElementsAre("林晓明"));
  EXPECT_THAT(ListTownship(xunzhong_official_, updated.sequence()),
              ElementsAre());

  uint64_t before = LastSequence();
  v1::Student bad = updated.student();
  bad.mutable_guardians(0)->set_phone("12345");
  ExpectError(Update(xunzhong_, bad, &updated, "en"),
              grpc::StatusCode::INVALID_ARGUMENT, "student.guardians[0].phone");
  bad = edit;
  bad.set_household_village_code(kXunzhongVillage1);
  ExpectError(Update(xunzhong_, bad, &updated),
              grpc::StatusCode::INVALID_ARGUMENT,
              "student.household_village_code");
  bad = edit;
  bad.set_sex(v1::SEX_FEMALE);
  ExpectError(Update(xunzhong_, bad, &updated),
              grpc::StatusCode::INVALID_ARGUMENT, "student.sex");
  bad = edit;
  bad.set_id_number(IdNumber(kCountyCode, kBirth, 15));
  bad.set_student_number("G" + bad.id_number());
  ExpectError(Update(xunzhong_, bad, &updated),
              grpc::StatusCode::FAILED_PRECONDITION, "");
  // Another child's number.
  v1::Student other = RegisterOk(xunzhong_, Child("林小华", kBirth, 15));
  bad = ChildWithLNumber("郑小龙", absl::CivilDay(2020, 1, 31), true, 7);
  v1::Student l = RegisterOk(xunzhong_, bad, 1, "3班");
  before = LastSequence();
  l.set_id_number(other.id_number());
  l.set_student_number(other.student_number());
  l.set_sex(other.sex());
  *l.mutable_birth_date() = other.birth_date();
  ExpectError(Update(xunzhong_, l, &updated), grpc::StatusCode::ALREADY_EXISTS,
              "林小华");
  // An unknown child.
  bad = edit;
  bad.set_student_id("stu-999999");
  ExpectError(Update(xunzhong_, bad, &updated), grpc::StatusCode::NOT_FOUND,
              "stu-999999");
  EXPECT_EQ(LastSequence(), before);
}

// ---- Enrolment changes.

TEST_F(StudentsTest, EveryLegalEnrolmentChange) {
  v1::Student a = RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
  v1::ChangeEnrolmentResponse r;

  // Suspension (休学), then home teaching (送教上门), then back to class.
  v1::EnrolmentChange suspend = Change(a.student_id(), D(2026, 9, 10));
  *suspend.mutable_suspend()->mutable_end_date() = D(2027, 9, 10);  // one year
  suspend.mutable_suspend()->set_certificate_reference("德教休〔2026〕12号");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, suspend, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_SUSPENDED);
  EXPECT_EQ(r.student().enrolment().certificate_reference(), "德教休〔2026〕12号");
  ASSERT_EQ(r.student().enrolment_spans_size(), 1);
  EXPECT_EQ(Day(r.student().enrolment_spans(0).end_date()),
            absl::CivilDay(2026, 9, 9));
  EXPECT_EQ(EventAt(r.sequence()).enrolment_changed().previous().status(),
            v1::ENROLMENT_STATUS_ENROLLED);

  v1::EnrolmentChange home = Change(a.student_id(), D(2026, 9, 14));
  home.mutable_home_teaching()->set_certificate_reference("送教〔2026〕3号");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, home, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_HOME_TEACHING);

  v1::EnrolmentChange resume = Change(a.student_id(), D(2026, 9, 21));
  resume.mutable_resume()->set_grade(3);
  resume.mutable_resume()->set_class_name("4班");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, resume, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
  EXPECT_EQ(r.student().enrolment().class_name(), "4班");
  ASSERT_EQ(r.student().enrolment_spans_size(), 2);
  EXPECT_EQ(Day(r.student().enrolment_spans(1).start_date()),
            absl::CivilDay(2026, 9, 21));

  // Home teaching straight from class, and resume again.
  home.set_student_id(a.student_id());
  *home.mutable_effective_date() = D(2026, 9, 22);
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, home, &r));
  *resume.mutable_effective_date() = D(2026, 9, 23);
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, resume, &r));

  // Transfer out to a school of the county; the receiving school sees the
  // child and completes it with transfer_in.
  v1::EnrolmentChange out = Change(a.student_id(), D(2026, 9, 28));
  out.mutable_transfer_out()->set_to_school_id(kSanbanSchool);
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, out, &r));
  EXPECT_EQ(r.student().enrolment().status(),
            v1::ENROLMENT_STATUS_TRANSFER_PENDING);
  EXPECT_EQ(r.student().enrolment().transfer_to_school_id(), kSanbanSchool);
  EXPECT_EQ(r.student().enrolment().school_id(), kXunzhongPrimary);
  v1::Student seen;
  BX_ASSERT_OK(GetStudent(sanban_, a.student_id(), "", "", r.sequence(), &seen));
  EXPECT_EQ(seen.enrolment().status(), v1::ENROLMENT_STATUS_TRANSFER_PENDING);
  // Only the receiving school completes it; a third school learns nothing.
  v1::EnrolmentChange in = Change(a.student_id(), D(2026, 9, 29));
  in.mutable_transfer_in()->set_grade(3);
  in.mutable_transfer_in()->set_class_name("1班");
  ExpectError(ChangeEnrolment(longxun_, in, &r),
              grpc::StatusCode::PERMISSION_DENIED, "不在本校学籍中");
  BX_ASSERT_OK(ChangeEnrolment(sanban_, in, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
  EXPECT_EQ(r.student().enrolment().school_id(), kSanbanSchool);
  // Spans: 09-01..09-09, 09-21..09-21, 09-23..09-27 at 浔中, then 三班.
  ASSERT_EQ(r.student().enrolment_spans_size(), 4);
  EXPECT_EQ(Day(r.student().enrolment_spans(1).end_date()),
            absl::CivilDay(2026, 9, 21));
  EXPECT_EQ(r.student().enrolment_spans(2).school_id(), kXunzhongPrimary);
  EXPECT_EQ(Day(r.student().enrolment_spans(2).end_date()),
            absl::CivilDay(2026, 9, 27));
  EXPECT_EQ(r.student().enrolment_spans(3).school_id(), kSanbanSchool);
  EXPECT_FALSE(r.student().enrolment_spans(3).has_end_date());
  // The lists follow: the child left 浔中's list for 三班's.
  EXPECT_THAT(ListSchool(sanban_, r.sequence()), ElementsAre("林小明"));
  EXPECT_THAT(ListSchool(xunzhong_, r.sequence()), ElementsAre());

  // Out of the county, with the receiving school's proof; then back into
  // the county at another school by enrolment.
  v1::EnrolmentChange away = Change(a.student_id(), D(2026, 10, 9));
  away.mutable_transfer_out()->set_to_description("福建省永春县桃城中心小学");
  away.mutable_transfer_out()->set_proof_received(true);
  BX_ASSERT_OK(ChangeEnrolment(sanban_, away, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_TRANSFERRED_OUT);
  EXPECT_TRUE(r.student().enrolment().transfer_proof_received());
  v1::EnrolmentChange enrol = Change(a.student_id(), D(2026, 10, 12));
  enrol.mutable_enrol()->set_grade(3);
  enrol.mutable_enrol()->set_class_name("2班");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, enrol, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
  EXPECT_EQ(r.student().enrolment().school_id(), kXunzhongPrimary);

  // Withdrawal (退学), then enrolment again.
  v1::EnrolmentChange withdraw = Change(a.student_id(), D(2026, 10, 13));
  withdraw.mutable_withdraw()->set_reason("随父母外出务工，未办转学");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, withdraw, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_WITHDRAWN);
  *enrol.mutable_effective_date() = D(2026, 10, 14);
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, enrol, &r));

  // Graduation, and death, each for its own child.
  v1::Student b = RegisterOk(longxun_, Child("陈大伟", absl::CivilDay(2011, 6, 1), 37),
                             9, "1班");
  v1::EnrolmentChange graduate = Change(b.student_id(), D(2026, 10, 15));
  graduate.mutable_graduate();
  BX_ASSERT_OK(ChangeEnrolment(longxun_, graduate, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_GRADUATED);
  v1::Student c = RegisterOk(xunzhong_, Child("林小丽", kBirth, 24));
  v1::EnrolmentChange death = Change(c.student_id(), D(2026, 10, 16));
  death.mutable_death()->set_certificate_reference("死亡医学证明 No.123");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, death, &r));
  EXPECT_EQ(r.student().enrolment().status(), v1::ENROLMENT_STATUS_DECEASED);
}

TEST_F(StudentsTest, IllegalChangesNameTheCurrentState) {
  v1::Student a = RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
  uint64_t before = LastSequence();
  v1::ChangeEnrolmentResponse r;

  // Enrolling a child already on this school's roll.
  v1::EnrolmentChange enrol = Change(a.student_id(), D(2026, 10, 12));
  enrol.mutable_enrol()->set_grade(3);
  enrol.mutable_enrol()->set_class_name("2班");
  grpc::Status zh = ChangeEnrolment(xunzhong_, enrol, &r);
  ExpectError(zh, grpc::StatusCode::FAILED_PRECONDITION, "当前学籍状态为“在读”");
  EXPECT_THAT(zh.error_message(), HasSubstr("已在本校"));
  grpc::Status en = ChangeEnrolment(xunzhong_, enrol, &r, "en");
  ExpectError(en, grpc::StatusCode::FAILED_PRECONDITION,
              "is currently enrolled (xunzhong-primary)");
  EXPECT_THAT(en.error_message(), HasSubstr("already on this school's roll"));

  struct Case {
    std::string what;
    v1::EnrolmentChange change;
  };
  std::vector<Case> illegal;
  v1::EnrolmentChange c = Change(a.student_id(), D(2026, 10, 12));
  c.mutable_resume()->set_grade(3);
  c.mutable_resume()->set_class_name("2班");
  illegal.push_back({"resume an enrolled child", c});
  c = Change(a.student_id(), D(2026, 10, 12));
  c.mutable_transfer_in()->set_grade(3);
  c.mutable_transfer_in()->set_class_name("2班");
  illegal.push_back({"transfer in without a transfer out", c});
  c = Change(a.student_id(), D(2026, 10, 12));
  *c.mutable_defer_entry()->mutable_end_date() = D(2027, 9, 1);
  c.mutable_defer_entry()->set_certificate_reference("缓〔2026〕1号");
  illegal.push_back({"defer entry of an enrolled child", c});
  for (const Case& k : illegal) {
    grpc::Status status = ChangeEnrolment(xunzhong_, k.change, &r, "en");
    ExpectError(status, grpc::StatusCode::FAILED_PRECONDITION,
                "is currently enrolled", k.what);
  }

  // Transfer pending: the old school cannot enrol, suspend or teach at home.
  v1::EnrolmentChange out = Change(a.student_id(), D(2026, 9, 28));
  out.mutable_transfer_out()->set_to_school_id(kSanbanSchool);
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, out, &r));
  before = LastSequence();
  ExpectError(ChangeEnrolment(xunzhong_, out, &r),
              grpc::StatusCode::FAILED_PRECONDITION, "转出待接收");
  ExpectError(ChangeEnrolment(sanban_, enrol, &r, "en"),
              grpc::StatusCode::FAILED_PRECONDITION, "transfer_in");
  v1::EnrolmentChange suspend = Change(a.student_id(), D(2026, 10, 12));
  *suspend.mutable_suspend()->mutable_end_date() = D(2027, 1, 1);
  suspend.mutable_suspend()->set_certificate_reference("休〔2026〕1号");
  ExpectError(ChangeEnrolment(xunzhong_, suspend, &r, "en"),
              grpc::StatusCode::FAILED_PRECONDITION,
              "is currently transfer pending");
  EXPECT_EQ(LastSequence(), before);

  // A dead child's record changes no more.
  v1::Student d = RegisterOk(xunzhong_, Child("林小丽", kBirth, 24));
  v1::EnrolmentChange death = Change(d.student_id(), D(2026, 10, 1));
  death.mutable_death()->set_certificate_reference("死亡医学证明 No.123");
  BX_ASSERT_OK(ChangeEnrolment(xunzhong_, death, &r));
  before = LastSequence();
  enrol.set_student_id(d.student_id());
  ExpectError(ChangeEnrolment(xunzhong_, enrol, &r),
              grpc::StatusCode::FAILED_PRECONDITION, "死亡");
  // A graduate is not enrolled again by enrol.
  v1::Student g = RegisterOk(longxun_, Child("陈大伟", absl::CivilDay(2011, 6, 1), 37),
                             9, "1班");
  v1::EnrolmentChange graduate = Change(g.student_id(), D(2026, 10, 15));
  graduate.mutable_graduate();
  BX_ASSERT_OK(ChangeEnrolment(longxun_, graduate, &r));
  before = LastSequence();
  v1::EnrolmentChange again = Change(g.student_id(), D(2026, 10, 16));
  again.mutable_enrol()->set_grade(9);
  again.mutable_enrol()->set_class_name("1班");
  ExpectError(ChangeEnrolment(longxun_, again, &r, "en"),
              grpc::StatusCode::FAILED_PRECONDITION, "is currently graduated");
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(StudentsTest, EnrolmentChangeFieldsAndDatesAreChecked) {
  v1::Student a =
      RegisterOk(xunzhong_, Child("林小明", kBirth, 13), 3, "2班", D(2026, 9, 7));
  struct Case {
    std::string what;
    v1::EnrolmentChange change;
    std::string field;
  };
  std::vector<Case> cases;
  auto lawful = [&](const v1::Date& date, const v1::Date& end,
                    const std::string& certificate) {
    v1::EnrolmentChange c = Change(a.student_id(), date);
    *c.mutable_suspend()->mutable_end_date() = end;
    c.mutable_suspend()->set_certificate_reference(certificate);
    return c;
  };
  cases.push_back({"a future date", lawful(D(2026, 10, 17), D(2027, 1, 1), "x"),
                   "change.effective_date"});
  cases.push_back({"no date", lawful(v1::Date(), D(2027, 1, 1), "x"),
                   "change.effective_date"});
  cases.push_back({"before the current enrolment",
                   lawful(D(2026, 9, 6), D(2027, 1, 1), "x"),
                   "change.effective_date"});
  cases.push_back({"suspension longer than a year",
                   lawful(D(2026, 10, 12), D(2027, 10, 13), "x"),
                   "change.suspend.end_date"});
  cases.push_back({"suspension ending on its first day",
                   lawful(D(2026, 10, 12), D(2026, 10, 12), "x"),
                   "change.suspend.end_date"});
  cases.push_back({"suspension without an end",
                   lawful(D(2026, 10, 12), v1::Date(), "x"),
                   "change.suspend.end_date"});
  cases.push_back({"suspension without a certificate",
                   lawful(D(2026, 10, 12), D(2027, 1, 1), ""),
                   "change.suspend.certificate_reference"});
  v1::EnrolmentChange c = Change(a.student_id(), D(2026, 10, 12));
  c.mutable_transfer_out()->set_to_school_id(kXunzhongPrimary);
  cases.push_back({"transfer to itself", c, "change.transfer_out.to_school_id"});
  c.mutable_transfer_out()->set_to_school_id("no-such-school");
  cases.push_back({"transfer to an unknown school", c,
                   "change.transfer_out.to_school_id"});
  c.mutable_transfer_out()->clear_to_school_id();
  cases.push_back({"transfer out of the county without a destination", c,
                   "change.transfer_out.to_description"});
  c = Change(a.student_id(), D(2026, 10, 12));
  c.mutable_withdraw();
  cases.push_back({"withdrawal without a reason", c, "change.withdraw.reason"});
  c = Change(a.student_id(), D(2026, 10, 12));
  c.mutable_home_teaching();
  cases.push_back({"home teaching without approval", c,
                   "change.home_teaching.certificate_reference"});
  c = Change(a.student_id(), D(2026, 10, 12));
  c.mutable_death();
  cases.push_back({"death without a certificate", c,
                   "change.death.certificate_reference"});
  c = Change(a.student_id(), D(2026, 10, 12));
  cases.push_back({"no change at all", c, "change"});

  uint64_t before = LastSequence();
  for (const Case& k : cases) {
    for (const std::string lang : {"", "en"}) {
      v1::ChangeEnrolmentResponse r;
      grpc::Status status = ChangeEnrolment(xunzhong_, k.change, &r, lang);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << k.what << ": " << Describe(status);
      EXPECT_THAT(status.error_message(), HasSubstr(k.field)) << k.what;
    }
  }
  v1::ChangeEnrolmentResponse r;
  ExpectError(ChangeEnrolment(xunzhong_, lawful(D(2026, 10, 12), D(2027, 10, 13), "x"),
                              &r, "en"),
              grpc::StatusCode::INVALID_ARGUMENT, "at most one year later");
  v1::EnrolmentChange unknown = lawful(D(2026, 10, 12), D(2027, 1, 1), "x");
  unknown.set_student_id("stu-999999");
  ExpectError(ChangeEnrolment(xunzhong_, unknown, &r),
              grpc::StatusCode::NOT_FOUND, "stu-999999");
  EXPECT_EQ(LastSequence(), before);

  // Exactly one year is allowed, from a date on the enrolment's own day.
  BX_ASSERT_OK(ChangeEnrolment(
      xunzhong_, lawful(D(2026, 9, 7), D(2027, 9, 7), "德教休〔2026〕12号"), &r));
  // And nothing may be dated before the change it follows.
  v1::EnrolmentChange resume = Change(a.student_id(), D(2026, 9, 6));
  resume.mutable_resume()->set_grade(3);
  resume.mutable_resume()->set_class_name("2班");
  ExpectError(ChangeEnrolment(xunzhong_, resume, &r, "en"),
              grpc::StatusCode::INVALID_ARGUMENT,
              "cannot be before the current status's date 2026-09-07");
  resume.mutable_resume()->set_grade(7);  // not taught at a primary school
  *resume.mutable_effective_date() = D(2026, 10, 1);
  ExpectError(ChangeEnrolment(xunzhong_, resume, &r),
              grpc::StatusCode::INVALID_ARGUMENT, "change.resume.grade");
}

// ---- Scope.

TEST_F(StudentsTest, ASchoolSeesAndChangesOnlyItsOwnStudents) {
  v1::Student ours = RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
  uint64_t before = LastSequence();
  // Another school cannot read the child...
  v1::Student seen;
  for (const auto& [id, number, id_number] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {ours.student_id(), "", ""},
           {"", ours.student_number(), ""},
           {"", "", ours.id_number()}}) {
    grpc::Status status = GetStudent(sanban_, id, number, id_number, before, &seen);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << Describe(status);
    EXPECT_FALSE(seen.has_enrolment());
  }
  // ...nor list it...
  EXPECT_THAT(ListSchool(sanban_, before), ElementsAre());
  EXPECT_THAT(ListSchool(xunzhong_, before), ElementsAre("林小明"));
  // ...nor edit it...
  v1::UpdateStudentResponse updated;
  v1::Student edit = ours;
  edit.set_name("改名");
  ExpectError(Update(sanban_, edit, &updated), grpc::StatusCode::NOT_FOUND,
              ours.student_id());
  // ...nor change its enrolment (as implemented: the state machine refuses
  // a school that is not the school of record).
  v1::ChangeEnrolmentResponse r;
  for (auto make : std::vector<std::function<void(v1::EnrolmentChange*)>>{
           [](v1::EnrolmentChange* c) {
             c->mutable_transfer_out()->set_to_school_id(kSanbanSchool);
           },
           [](v1::EnrolmentChange* c) {
             c->mutable_withdraw()->set_reason("不详");
           },
           [](v1::EnrolmentChange* c) { c->mutable_graduate(); },
           [](v1::EnrolmentChange* c) {
             c->mutable_death()->set_certificate_reference("x");
           },
           [](v1::EnrolmentChange* c) {
             c->mutable_enrol()->set_grade(3);
             c->mutable_enrol()->set_class_name("1班");
           }}) {
    v1::EnrolmentChange change = Change(ours.student_id(), D(2026, 10, 12));
    make(&change);
    grpc::Status status = ChangeEnrolment(sanban_, change, &r);
    EXPECT_THAT(status.error_code(),
                AnyOf(grpc::StatusCode::PERMISSION_DENIED,
                      grpc::StatusCode::NOT_FOUND,
                      grpc::StatusCode::FAILED_PRECONDITION))
        << Describe(status);
  }
  // ...nor report it absent (see attendance_test). Nothing was written.
  EXPECT_EQ(LastSequence(), before);

  // The school of record still sees it unchanged.
  BX_ASSERT_OK(GetStudent(xunzhong_, ours.student_id(), "", "", before, &seen));
  EXPECT_EQ(seen.name(), "林小明");
  EXPECT_EQ(seen.enrolment().status(), v1::ENROLMENT_STATUS_ENROLLED);
}

TEST_F(StudentsTest, ATownshipListsTheChildrenOfItsHouseholdTownship) {
  // Two children of 浔中镇 and one of 龙浔镇 at 浔中's school, one of 龙浔镇
  // at 三班's school.
  RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
  RegisterOk(xunzhong_, Child("林小丽", kBirth, 24));
  v1::Student l1 = Child("陈大伟", kBirth, 35);
  l1.set_household_township_code(kLongxun);
  l1.set_household_village_code(kLongxunVillage);
  RegisterOk(xunzhong_, l1);
  v1::Student l2 = Child("陈小伟", kBirth, 37);
  l2.set_household_township_code(kLongxun);
  l2.set_household_village_code(kLongxunVillage);
  RegisterOk(sanban_, l2);
  EXPECT_THAT(ListTownship(xunzhong_official_, last_sequence_),
              ElementsAre("林小明", "林小丽"));
  EXPECT_THAT(ListTownship(longxun_official_, last_sequence_),
              ElementsAre("陈大伟", "陈小伟"));
  // A township of no children lists none.
  std::string sanban_official =
      MakeAccount("sanban-official", v1::ROLE_TOWNSHIP, "", kSanban);
  EXPECT_THAT(ListTownship(sanban_official, last_sequence_), ElementsAre());

  // A township reads; it does not use the school service, nor the bureau's.
  uint64_t before = LastSequence();
  v1::RegisterStudentResponse response;
  EXPECT_EQ(Register(xunzhong_official_, Child("林小强", kBirth, 39), 3, "2班",
                     D(2026, 9, 1), &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::Student found;
  EXPECT_EQ(FindStudent(xunzhong_official_, "", "", Child("林小明", kBirth, 13)
                                                        .id_number(),
                        0, &found)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(LastSequence(), before);
}

TEST_F(StudentsTest, ViewersAndTheBureauDoNotWriteForSchools) {
  uint64_t before = LastSequence();
  for (const std::string* token : {&viewer_, &admin_token_}) {
    v1::RegisterStudentResponse response;
    grpc::Status status = Register(*token, Child("林小明", kBirth, 13), 3, "2班",
                                   D(2026, 9, 1), &response, "en");
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(status.error_message(), HasSubstr("may not use the school service"));
    v1::ChangeEnrolmentResponse r;
    v1::EnrolmentChange change = Change("stu-1", D(2026, 10, 1));
    change.mutable_graduate();
    EXPECT_EQ(ChangeEnrolment(*token, change, &r).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::UpdateStudentResponse updated;
    EXPECT_EQ(Update(*token, Child("林小明", kBirth, 13), &updated).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  EXPECT_EQ(LastSequence(), before);
}

// DOMAIN §8 and the scope rule ("each refusal is PERMISSION_DENIED"):
// a school learns nothing about another school's student. Student ids are
// sequential (stu-<sequence>), so a refusal that named the child, their
// school or status would let a school walk the county's children.
TEST_F(StudentsTest, AnotherSchoolLearnsNothingFromChangeEnrolment) {
  v1::Student registered = RegisterOk(xunzhong_, Child("林小明", kBirth, 13));
  v1::EnrolmentChange change = Change(registered.student_id(), D(2026, 10, 12));
  change.mutable_graduate();
  v1::ChangeEnrolmentResponse r;
  grpc::Status other = ChangeEnrolment(sanban_, change, &r);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(other.error_message(), Not(HasSubstr("林小明")));
  EXPECT_THAT(other.error_message(), Not(HasSubstr(kXunzhongPrimary)));
  // Enrolling a child on another school's roll is refused the same way;
  // the roll's own school still acts.
  v1::EnrolmentChange enrol = Change(registered.student_id(), D(2026, 10, 12));
  enrol.mutable_enrol()->set_grade(3);
  enrol.mutable_enrol()->set_class_name("1班");
  uint64_t before = LastSequence();
  grpc::Status taken = ChangeEnrolment(sanban_, enrol, &r);
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(taken.error_message(), Not(HasSubstr("林小明")));
  EXPECT_EQ(LastSequence(), before);
  BX_EXPECT_OK(ChangeEnrolment(xunzhong_, change, &r));
}

}  // namespace
}  // namespace baoxue::services::testing_server
