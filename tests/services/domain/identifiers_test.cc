#include "services/domain/identifiers.h"

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "storage/localized_status.h"

namespace baoxue::domain {
namespace {

// Valid ID numbers; check characters computed by hand (independently of the
// code under test) with S = sum(a_i * W_i), R = S mod 11.
constexpr char kStandardExample[] = "11010519491231002X";  // GB 11643 example.
constexpr char kDehuaBoy[] = "350526201509011231";         // seq 123: male.
constexpr char kLeapDayGirl[] = "350526201602290044";      // seq 004: female.
constexpr char kCutoffChild[] = "35052620190831001X";
constexpr char kYear1900[] = "350526190001010034";
constexpr char kShenzhen[] = "440304201005152113";

std::string English(const absl::Status& status) {
  return MessageIn(status, Lang::kEn);
}

std::string Chinese(const absl::Status& status) {
  return std::string(status.message());
}

// Expects `status` to be InvalidArgument whose English text is exactly
// `message`, and whose Chinese message has the shape "<中文字段名>（<path>）：
// <说明>" for the path that starts the English text.
void ExpectInvalid(const absl::Status& status, const std::string& message) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const std::string english = English(status);
  EXPECT_EQ(english, message);
  const std::string chinese = Chinese(status);
  EXPECT_NE(chinese, english) << "no Chinese translation";
  const std::string path = english.substr(0, english.find(": "));
  const size_t at = chinese.find(absl::StrCat("（", path, "）："));
  EXPECT_NE(at, std::string::npos) << chinese;
  EXPECT_GT(at, 0u) << "no Chinese field label: " << chinese;
}

// Like ExpectInvalid, but a failure names the calling line and expression.
#define EXPECT_INVALID(status_expr, message) \
  do {                                       \
    SCOPED_TRACE(#status_expr);              \
    ExpectInvalid((status_expr), (message)); \
  } while (false)

// Expects the Chinese message of `status_expr` to be exactly `message`.
#define EXPECT_CHINESE(status_expr, message)    \
  do {                                          \
    SCOPED_TRACE(#status_expr);                 \
    EXPECT_EQ(Chinese(status_expr), (message)); \
  } while (false)

// ---------------------------------------------------------------------------
// ValidateIdNumber / ParseIdNumber
// ---------------------------------------------------------------------------

TEST(ValidateIdNumberTest, AcceptsValidNumbers) {
  EXPECT_TRUE(ValidateIdNumber(kStandardExample).ok());
  EXPECT_TRUE(ValidateIdNumber(kDehuaBoy).ok());
  EXPECT_TRUE(ValidateIdNumber(kLeapDayGirl).ok());
  EXPECT_TRUE(ValidateIdNumber(kCutoffChild).ok());
  EXPECT_TRUE(ValidateIdNumber(kYear1900).ok());
  EXPECT_TRUE(ValidateIdNumber(kShenzhen).ok());
}

TEST(ValidateIdNumberTest, AcceptsEveryCheckCharacterValue) {
  // One valid number for each of the 11 possible check characters.
  const char* const kValid[] = {
      "350526201509011039", "35052620150901124X", "350526201509011258",
      "350526201509011266", "350526201509011274", "350526201509011282",
      "350526201509011290", "350526201509011207", "350526201509011215",
      "350526201509011223", "350526201509011231",
  };
  for (const char* id : kValid) {
    EXPECT_TRUE(ValidateIdNumber(id).ok()) << id;
  }
}

TEST(ValidateIdNumberTest, RejectsWrongCheckCharacter) {
  EXPECT_INVALID(ValidateIdNumber("110105194912310021"),
                 "id_number: check character is 1, expected X");
  EXPECT_INVALID(ValidateIdNumber("35052620150901123X"),
                 "id_number: check character is X, expected 1");
  EXPECT_INVALID(ValidateIdNumber("350526201509011230"),
                 "id_number: check character is 0, expected 1");
}

TEST(ValidateIdNumberTest, RejectsLowercaseX) {
  EXPECT_INVALID(ValidateIdNumber("11010519491231002x"),
                 "id_number: check character must be an uppercase X, not a "
                 "lowercase x");
}

TEST(ValidateIdNumberTest, LowercaseXWhereADigitIsExpectedReportsTheDigit) {
  EXPECT_INVALID(ValidateIdNumber("35052620150901123x"),
                 "id_number: check character is x, expected 1");
}

TEST(ValidateIdNumberTest, RejectsNonDigitCheckCharacter) {
  EXPECT_INVALID(ValidateIdNumber("11010519491231002Y"),
                 "id_number: check character must be a digit or X, got 'Y'");
}

TEST(ValidateIdNumberTest, RejectsWrongLength) {
  EXPECT_INVALID(ValidateIdNumber(""), "id_number: must not be empty");
  EXPECT_INVALID(ValidateIdNumber("11010519491231002"),
                 "id_number: an ID number must be 18 characters, got 17");
  EXPECT_INVALID(ValidateIdNumber("11010519491231002X0"),
                 "id_number: an ID number must be 18 characters, got 19");
  // First-generation 15-digit cards are not accepted.
  EXPECT_INVALID(ValidateIdNumber("110105491231002"),
                 "id_number: an ID number must be 18 characters, got 15");
}

TEST(ValidateIdNumberTest, RejectsSurroundingSpaces) {
  EXPECT_INVALID(ValidateIdNumber(" 11010519491231002X"),
                 "id_number: must not begin or end with spaces");
  EXPECT_INVALID(ValidateIdNumber("11010519491231002X "),
                 "id_number: must not begin or end with spaces");
}

TEST(ValidateIdNumberTest, RejectsFullWidthCharacters) {
  // Last character is a full-width X (U+FF38): 18 characters, 20 bytes.
  EXPECT_INVALID(ValidateIdNumber("11010519491231002\xEF\xBC\xB8"),
                 "id_number: must contain only ASCII characters (found a "
                 "full-width or other non-ASCII character)");
}

TEST(ValidateIdNumberTest, RejectsNonDigitInBody) {
  EXPECT_INVALID(ValidateIdNumber("1101A519491231002X"),
                 "id_number: character 5 must be a digit, got 'A'");
  EXPECT_INVALID(ValidateIdNumber("11010519491231X02X"),
                 "id_number: character 15 must be a digit, got 'X'");
}

TEST(ValidateIdNumberTest, RejectsImpossibleBirthDates) {
  // Check characters are right for each body, so only the date is wrong.
  // 2015-02-29: 2015 is not a leap year.
  EXPECT_INVALID(
      ValidateIdNumber("350526201502290012"),
      "id_number: birth date 2015-02-29 is not a real calendar date");
  // 1900 is not a leap year either (divisible by 100, not by 400).
  EXPECT_INVALID(
      ValidateIdNumber("350526190002290015"),
      "id_number: birth date 1900-02-29 is not a real calendar date");
  EXPECT_INVALID(
      ValidateIdNumber("350526201513010012"),
      "id_number: birth date 2015-13-01 is not a real calendar date");
  EXPECT_INVALID(
      ValidateIdNumber("350526201500100019"),
      "id_number: birth date 2015-00-10 is not a real calendar date");
  EXPECT_INVALID(
      ValidateIdNumber("350526201504310013"),
      "id_number: birth date 2015-04-31 is not a real calendar date");
  EXPECT_INVALID(
      ValidateIdNumber("35052620150100001X"),
      "id_number: birth date 2015-01-00 is not a real calendar date");
}

TEST(ValidateIdNumberTest, RejectsYearBefore1900) {
  EXPECT_INVALID(ValidateIdNumber("350526189912310013"),
                 "id_number: birth date 1899-12-31 is before 1900");
}

TEST(ParseIdNumberTest, ExtractsFacts) {
  absl::StatusOr<IdNumberFacts> boy = ParseIdNumber(kDehuaBoy);
  ASSERT_TRUE(boy.ok()) << boy.status();
  EXPECT_EQ(boy->birth_date, absl::CivilDay(2015, 9, 1));
  EXPECT_EQ(boy->sex, Sex::kMale);
  EXPECT_EQ(boy->division_code, "350526");

  absl::StatusOr<IdNumberFacts> girl = ParseIdNumber(kLeapDayGirl);
  ASSERT_TRUE(girl.ok()) << girl.status();
  EXPECT_EQ(girl->birth_date, absl::CivilDay(2016, 2, 29));
  EXPECT_EQ(girl->sex, Sex::kFemale);

  absl::StatusOr<IdNumberFacts> example = ParseIdNumber(kStandardExample);
  ASSERT_TRUE(example.ok()) << example.status();
  EXPECT_EQ(example->birth_date, absl::CivilDay(1949, 12, 31));
  EXPECT_EQ(example->sex, Sex::kFemale);  // Sequence 002.
  EXPECT_EQ(example->division_code, "110105");
}

TEST(ParseIdNumberTest, PropagatesValidationError) {
  absl::StatusOr<IdNumberFacts> facts = ParseIdNumber("11010519491231002x");
  EXPECT_EQ(facts.status().code(), absl::StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------------------
// MaskIdNumber
// ---------------------------------------------------------------------------

TEST(MaskIdNumberTest, MasksEighteenCharacters) {
  EXPECT_EQ(MaskIdNumber("35052620150901123X"), "350526********123X");
  EXPECT_EQ(MaskIdNumber(kStandardExample), "110105********002X");
}

TEST(MaskIdNumberTest, MasksOtherLengthsToLastTwo) {
  EXPECT_EQ(MaskIdNumber("110105491231002"), "*************02");
  EXPECT_EQ(MaskIdNumber("11010519491231002X0"), "*****************X0");
  EXPECT_EQ(MaskIdNumber("abc"), "*bc");
  EXPECT_EQ(MaskIdNumber("ab"), "**");
  EXPECT_EQ(MaskIdNumber("a"), "*");
  EXPECT_EQ(MaskIdNumber(""), "");
}

TEST(MaskIdNumberTest, CountsCodePointsNotBytes) {
  // 17 ASCII digits + full-width X: 18 characters, masked as an ID number.
  EXPECT_EQ(MaskIdNumber("11010519491231002\xEF\xBC\xB8"),
            "110105********002\xEF\xBC\xB8");
  // A full-width digit in the middle is masked as one star.
  EXPECT_EQ(MaskIdNumber("1\xEF\xBC\x91"
                         "34"),
            "**34");
}

// ---------------------------------------------------------------------------
// Student numbers (学籍号)
// ---------------------------------------------------------------------------

TEST(StudentNumberTest, AcceptsGNumber) {
  EXPECT_TRUE(ValidateStudentNumber("G35052620150901123"
                                    "1",
                                    "")
                  .ok());
  EXPECT_TRUE(ValidateStudentNumber("G350526201509011231", kDehuaBoy).ok());
  absl::StatusOr<StudentNumberKind> kind =
      StudentNumberKindOf("G11010519491231002X");
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(*kind, StudentNumberKind::kG);
}

TEST(StudentNumberTest, RejectsGNumberWithInvalidEmbeddedId) {
  EXPECT_INVALID(ValidateStudentNumber("G350526201509011230", ""),
                 "student_number: check character is 0, expected 1");
  EXPECT_INVALID(ValidateStudentNumber("G11010519491231002x", ""),
                 "student_number: check character must be an uppercase X, not "
                 "a lowercase x");
  // Positions count from the G.
  EXPECT_INVALID(ValidateStudentNumber("G1101A519491231002X", ""),
                 "student_number: character 6 must be a digit, got 'A'");
  EXPECT_INVALID(ValidateStudentNumber("G350526201502290012", ""),
                 "student_number: birth date 2015-02-29 is not a real calendar "
                 "date");
  EXPECT_INVALID(ValidateStudentNumber("G35052620150901123", ""),
                 "student_number: a G number must be 19 characters, got 18");
}

TEST(StudentNumberTest, RejectsGNumberNotMatchingIdNumber) {
  EXPECT_INVALID(ValidateStudentNumber("G350526201509011231", kLeapDayGirl),
                 "student_number: the ID number after G does not match "
                 "id_number");
  // Same digits but the ID number given with a lowercase x.
  EXPECT_INVALID(
      ValidateStudentNumber("G11010519491231002X", "11010519491231002x"),
      "student_number: the ID number after G does not match id_number");
}

TEST(StudentNumberTest, AcceptsJNumber) {
  EXPECT_TRUE(ValidateStudentNumber("J2019ABC0000000001Z", "").ok());
  EXPECT_TRUE(ValidateStudentNumber("J000000000000000000", "").ok());
  // id_number is not compared for a J number.
  EXPECT_TRUE(ValidateStudentNumber("J2019ABC0000000001Z", kDehuaBoy).ok());
  absl::StatusOr<StudentNumberKind> kind =
      StudentNumberKindOf("JZZZZZZZZZZZZZZZZZZ");
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(*kind, StudentNumberKind::kJ);
}

TEST(StudentNumberTest, RejectsBadJNumber) {
  EXPECT_INVALID(ValidateStudentNumber("J2019abc0000000001Z", ""),
                 "student_number: character 6 must be a digit or an uppercase "
                 "letter, got 'a'");
  EXPECT_INVALID(ValidateStudentNumber("J2019-BC0000000001Z", ""),
                 "student_number: character 6 must be a digit or an uppercase "
                 "letter, got '-'");
  EXPECT_INVALID(ValidateStudentNumber("J2019ABC0000000001", ""),
                 "student_number: a J number must be 19 characters, got 18");
  EXPECT_INVALID(ValidateStudentNumber("J2019ABC0000000001ZZ", ""),
                 "student_number: a J number must be 19 characters, got 20");
}

TEST(StudentNumberTest, AcceptsLNumber) {
  EXPECT_TRUE(ValidateStudentNumber("L350526201602290001", "").ok());
  absl::StatusOr<StudentNumberKind> kind =
      StudentNumberKindOf("L350526201509010042");
  ASSERT_TRUE(kind.ok()) << kind.status();
  EXPECT_EQ(*kind, StudentNumberKind::kL);
}

TEST(StudentNumberTest, RejectsBadLNumber) {
  EXPECT_INVALID(ValidateStudentNumber("L350526201502290001", ""),
                 "student_number: birth date 2015-02-29 is not a real calendar "
                 "date");
  EXPECT_INVALID(ValidateStudentNumber("L350526189912310001", ""),
                 "student_number: birth date 1899-12-31 is before 1900");
  EXPECT_INVALID(ValidateStudentNumber("L35052620150901000A", ""),
                 "student_number: character 19 must be a digit, got 'A'");
  EXPECT_INVALID(ValidateStudentNumber("L35052620150901000", ""),
                 "student_number: an L number must be 19 characters, got 18");
}

TEST(StudentNumberTest, RejectsBadPrefix) {
  EXPECT_INVALID(ValidateStudentNumber("", ""),
                 "student_number: must not be empty");
  EXPECT_INVALID(ValidateStudentNumber("g350526201509011231", ""),
                 "student_number: must start with an uppercase G, J or L");
  EXPECT_INVALID(ValidateStudentNumber("350526201509011231", ""),
                 "student_number: must start with G, J or L, got '3'");
  EXPECT_INVALID(ValidateStudentNumber("K350526201509011231", ""),
                 "student_number: must start with G, J or L, got 'K'");
  absl::StatusOr<StudentNumberKind> kind = StudentNumberKindOf("X1");
  EXPECT_EQ(kind.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(StudentNumberTest, KindOfValidatesTheWholeNumber) {
  EXPECT_FALSE(StudentNumberKindOf("G350526201509011230").ok());
  EXPECT_FALSE(StudentNumberKindOf("J1").ok());
  EXPECT_FALSE(StudentNumberKindOf("L350526201502290001").ok());
}

// ---------------------------------------------------------------------------
// Division codes (行政区划代码)
// ---------------------------------------------------------------------------

TEST(CountyCodeTest, AcceptsCounty) {
  EXPECT_TRUE(ValidateCountyCode("350526").ok());
  EXPECT_TRUE(ValidateCountyCode("110105").ok());
  EXPECT_TRUE(ValidateCountyCode("350501").ok());
}

TEST(CountyCodeTest, RejectsCityProvinceAndBadFormat) {
  EXPECT_INVALID(ValidateCountyCode("350500"),
                 "county_code: must not end in 00, which names a city or "
                 "province");
  EXPECT_INVALID(ValidateCountyCode("350000"),
                 "county_code: must not end in 00, which names a city or "
                 "province");
  EXPECT_INVALID(ValidateCountyCode("35052"), "county_code: must be 6 digits");
  EXPECT_INVALID(ValidateCountyCode("3505260"),
                 "county_code: must be 6 digits");
  EXPECT_INVALID(ValidateCountyCode("35052A"), "county_code: must be 6 digits");
  EXPECT_INVALID(ValidateCountyCode(""), "county_code: must be 6 digits");
}

TEST(TownshipCodeTest, AcceptsSuffixBoundaries) {
  for (const char* code : {"350526001", "350526099", "350526100", "350526199",
                           "350526200", "350526399"}) {
    EXPECT_TRUE(ValidateTownshipCode(code, "350526").ok()) << code;
  }
}

TEST(TownshipCodeTest, RejectsSuffixOutOfRange) {
  EXPECT_INVALID(ValidateTownshipCode("350526000", "350526"),
                 "township_code: last 3 digits must be 001 to 399, got 000");
  EXPECT_INVALID(ValidateTownshipCode("350526400", "350526"),
                 "township_code: last 3 digits must be 001 to 399, got 400");
  EXPECT_INVALID(ValidateTownshipCode("350526999", "350526"),
                 "township_code: last 3 digits must be 001 to 399, got 999");
}

TEST(TownshipCodeTest, RejectsWrongCountyOrFormat) {
  EXPECT_INVALID(ValidateTownshipCode("350525100", "350526"),
                 "township_code: must start with the county code 350526, got "
                 "350525");
  EXPECT_INVALID(ValidateTownshipCode("35052610", "350526"),
                 "township_code: must be 9 digits");
  EXPECT_INVALID(ValidateTownshipCode("3505261000", "350526"),
                 "township_code: must be 9 digits");
  EXPECT_INVALID(ValidateTownshipCode("35052610A", "350526"),
                 "township_code: must be 9 digits");
  EXPECT_INVALID(ValidateTownshipCode("350500100", "350500"),
                 "county_code: must not end in 00, which names a city or "
                 "province");
}

TEST(TownshipCodeTest, KindBoundaries) {
  struct Case {
    const char* code;
    TownshipKind kind;
  };
  const Case kCases[] = {
      {"350526001", TownshipKind::kSubdistrict},
      {"350526099", TownshipKind::kSubdistrict},
      {"350526100", TownshipKind::kTown},
      {"350526199", TownshipKind::kTown},
      {"350526200", TownshipKind::kTownship},
      {"350526399", TownshipKind::kTownship},
  };
  for (const Case& c : kCases) {
    absl::StatusOr<TownshipKind> kind = TownshipKindOf(c.code);
    ASSERT_TRUE(kind.ok()) << c.code << ": " << kind.status();
    EXPECT_EQ(*kind, c.kind) << c.code;
  }
  EXPECT_FALSE(TownshipKindOf("350526000").ok());
  EXPECT_FALSE(TownshipKindOf("350526400").ok());
  EXPECT_FALSE(TownshipKindOf("3505261").ok());
}

TEST(VillageCodeTest, AcceptsSuffixBoundaries) {
  for (const char* code : {"350526100001", "350526100200", "350526100999"}) {
    EXPECT_TRUE(ValidateVillageCode(code, "350526100").ok()) << code;
  }
}

TEST(VillageCodeTest, RejectsBadVillage) {
  EXPECT_INVALID(ValidateVillageCode("350526100000", "350526100"),
                 "village_code: last 3 digits must be 001 to 999, got 000");
  EXPECT_INVALID(ValidateVillageCode("350526101001", "350526100"),
                 "village_code: must start with the township code 350526100, "
                 "got 350526101");
  EXPECT_INVALID(ValidateVillageCode("35052610000", "350526100"),
                 "village_code: must be 12 digits");
  EXPECT_INVALID(ValidateVillageCode("3505261000010", "350526100"),
                 "village_code: must be 12 digits");
  EXPECT_INVALID(ValidateVillageCode("35052610000a", "350526100"),
                 "village_code: must be 12 digits");
}

TEST(VillageCodeTest, ChecksTownshipCodeFormat) {
  EXPECT_INVALID(ValidateVillageCode("350526400001", "350526400"),
                 "township_code: last 3 digits must be 001 to 399, got 400");
  EXPECT_INVALID(ValidateVillageCode("350526000001", "350526000"),
                 "township_code: last 3 digits must be 001 to 399, got 000");
  EXPECT_INVALID(ValidateVillageCode("350526100001", "35052610"),
                 "township_code: must be 9 digits");
}

// ---------------------------------------------------------------------------
// Phones
// ---------------------------------------------------------------------------

TEST(PhoneTest, AcceptsMobile) {
  for (const char* phone :
       {"13800138000", "15959551234", "19912345678", "13000000000"}) {
    EXPECT_TRUE(ValidatePhone(phone).ok()) << phone;
  }
}

TEST(PhoneTest, RejectsBadMobile) {
  EXPECT_INVALID(ValidatePhone("12800138000"),
                 "phone: a mobile number must start with 13 to 19, got 12");
  EXPECT_INVALID(ValidatePhone("10800138000"),
                 "phone: a mobile number must start with 13 to 19, got 10");
  EXPECT_INVALID(ValidatePhone("1380013800"),
                 "phone: a mobile number must be 11 digits, got 10");
  EXPECT_INVALID(ValidatePhone("138001380001"),
                 "phone: a mobile number must be 11 digits, got 12");
  EXPECT_INVALID(ValidatePhone("138-0013-8000"),
                 "phone: a mobile number must contain only digits");
}

TEST(PhoneTest, AcceptsLandlines) {
  for (const char* phone : {
           "0595-23512345",         // 4-digit area code, hyphen, 8 digits.
           "059523512345",          // Same without hyphen.
           "0595-2351234",          // 7-digit local number.
           "010-62345678",          // 3-digit area code.
           "01062345678",           // 3-digit area code, no hyphen.
           "23512345",              // Local number only.
           "2351234",               // 7-digit local number only.
           "0595-23512345-1",       // 1-digit extension.
           "0595-23512345-123456",  // 6-digit extension.
           "059523512345-801",      // No area hyphen, with extension.
           "23512345-801",          // Local number with extension.
       }) {
    EXPECT_TRUE(ValidatePhone(phone).ok()) << phone;
  }
}

TEST(PhoneTest, RejectsBadLandlines) {
  const std::string kMessage =
      "phone: must be an 11-digit mobile number or a landline such as "
      "0595-23512345 or 0595-23512345-801";
  for (const char* phone : {
           "0595-23512345-1234567",  // 7-digit extension.
           "0595-23512345-",         // Empty extension.
           "0595--23512345",         // Double hyphen.
           "0595-235123",            // 6-digit local number.
           "0595-235123456",         // 9-digit local number.
           "05-23512345",            // Area code too short.
           "05955-23512345",         // Area code too long.
           "0595-03512345",          // Local number starting with 0.
           "0086-23512345",          // Area code starting with 00.
           "235123",                 // Too short.
           "+8613800138000",         // Country code.
           "(0595)23512345",         // Parentheses.
           "0595 23512345",          // Space.
           "0595-2351234a",          // Letter.
           "-23512345",              // Leading hyphen.
           "0595-23512345-801-2",    // Too many parts.
       }) {
    SCOPED_TRACE(phone);
    EXPECT_INVALID(ValidatePhone(phone), kMessage);
  }
  EXPECT_INVALID(ValidatePhone(""), "phone: must not be empty");
  EXPECT_INVALID(ValidatePhone(" 13800138000"),
                 "phone: must not begin or end with spaces");
}

// ---------------------------------------------------------------------------
// Chinese messages: every public validation function names the field by its
// Chinese label.
// ---------------------------------------------------------------------------

TEST(ChineseMessageTest, IdNumber) {
  EXPECT_CHINESE(ValidateIdNumber("35052620150901123X"),
                 "身份证号（id_number）：校验位应为 1，实际为 X");
  EXPECT_CHINESE(ValidateIdNumber("11010519491231002x"),
                 "身份证号（id_number）：校验位应为大写 X，不能是小写 x");
  EXPECT_CHINESE(ValidateIdNumber("11010519491231002Y"),
                 "身份证号（id_number）：校验位应为数字或 X，实际为“Y”");
  EXPECT_CHINESE(ValidateIdNumber(""), "身份证号（id_number）：不能为空");
  EXPECT_CHINESE(ValidateIdNumber("11010519491231002"),
                 "身份证号（id_number）：应为 18 位，实际为 17 位");
  EXPECT_CHINESE(ValidateIdNumber(" 11010519491231002X"),
                 "身份证号（id_number）：首尾不能有空格");
  EXPECT_CHINESE(ValidateIdNumber("11010519491231002\xEF\xBC\xB8"),
                 "身份证号（id_number）：只能包含半角字符（发现了全角字符或"
                 "其他非 ASCII 字符，请检查输入法是否处于全角状态）");
  EXPECT_CHINESE(ValidateIdNumber("1101A519491231002X"),
                 "身份证号（id_number）：第 5 位应为数字，实际为“A”");
  // A control character is not shown.
  EXPECT_CHINESE(ValidateIdNumber("1101\t519491231002X"),
                 "身份证号（id_number）：第 5 位应为数字");
  EXPECT_CHINESE(
      ValidateIdNumber("350526201502290012"),
      "身份证号（id_number）：出生日期 2015-02-29 不是实际存在的日期");
  EXPECT_CHINESE(ValidateIdNumber("350526189912310013"),
                 "身份证号（id_number）：出生日期 1899-12-31 早于 1900 年");
  EXPECT_CHINESE(ParseIdNumber("11010519491231002x").status(),
                 "身份证号（id_number）：校验位应为大写 X，不能是小写 x");
}

TEST(ChineseMessageTest, StudentNumber) {
  EXPECT_CHINESE(ValidateStudentNumber("", ""),
                 "学籍号（student_number）：不能为空");
  EXPECT_CHINESE(ValidateStudentNumber("G350526201509011230", ""),
                 "学籍号（student_number）：校验位应为 1，实际为 0");
  EXPECT_CHINESE(ValidateStudentNumber("G1101A519491231002X", ""),
                 "学籍号（student_number）：第 6 位应为数字，实际为“A”");
  EXPECT_CHINESE(ValidateStudentNumber("G35052620150901123", ""),
                 "学籍号（student_number）：G 字头的学籍号应为 19 位，实际为 "
                 "18 位");
  EXPECT_CHINESE(ValidateStudentNumber("G350526201509011231", kLeapDayGirl),
                 "学籍号（student_number）：G 之后的身份证号与所填身份证号"
                 "（id_number）不一致");
  EXPECT_CHINESE(ValidateStudentNumber("J2019abc0000000001Z", ""),
                 "学籍号（student_number）：第 6 位应为数字或大写字母，实际为"
                 "“a”");
  EXPECT_CHINESE(ValidateStudentNumber("J2019ABC0000000001", ""),
                 "学籍号（student_number）：J 字头的学籍号应为 19 位，实际为 "
                 "18 位");
  EXPECT_CHINESE(ValidateStudentNumber("L35052620150901000", ""),
                 "学籍号（student_number）：L 字头的学籍号应为 19 位，实际为 "
                 "18 位");
  EXPECT_CHINESE(ValidateStudentNumber("L35052620150901000A", ""),
                 "学籍号（student_number）：第 19 位应为数字，实际为“A”");
  EXPECT_CHINESE(ValidateStudentNumber("L350526201502290001", ""),
                 "学籍号（student_number）：出生日期 2015-02-29 不是实际存在的"
                 "日期");
  EXPECT_CHINESE(ValidateStudentNumber("g350526201509011231", ""),
                 "学籍号（student_number）：应以大写字母 G、J 或 L 开头");
  EXPECT_CHINESE(ValidateStudentNumber("K350526201509011231", ""),
                 "学籍号（student_number）：应以 G、J 或 L 开头，实际为“K”");
  // A non-ASCII first byte is not shown (it would split a character).
  EXPECT_CHINESE(ValidateStudentNumber("\xEF\xBC\xA7"
                                       "350526201509011231",
                                       ""),
                 "学籍号（student_number）：应以 G、J 或 L 开头");
  EXPECT_CHINESE(StudentNumberKindOf("X1").status(),
                 "学籍号（student_number）：应以 G、J 或 L 开头，实际为“X”");
}

TEST(ChineseMessageTest, DivisionCodes) {
  EXPECT_CHINESE(ValidateCountyCode("35052"),
                 "县级行政区划代码（county_code）：应为 6 位数字");
  EXPECT_CHINESE(ValidateCountyCode("350500"),
                 "县级行政区划代码（county_code）：末两位不能是 00（以 00 "
                 "结尾的是地级市或省级代码）");
  EXPECT_CHINESE(ValidateTownshipCode("350526400", "350526"),
                 "乡镇代码（township_code）：后 3 位应为 001 至 399，实际为 "
                 "400");
  EXPECT_CHINESE(ValidateTownshipCode("35052610", "350526"),
                 "乡镇代码（township_code）：应为 9 位数字");
  EXPECT_CHINESE(ValidateTownshipCode("350525100", "350526"),
                 "乡镇代码（township_code）：前 6 位应为县级行政区划代码 "
                 "350526，实际为 350525");
  EXPECT_CHINESE(ValidateTownshipCode("350500100", "350500"),
                 "县级行政区划代码（county_code）：末两位不能是 00（以 00 "
                 "结尾的是地级市或省级代码）");
  EXPECT_CHINESE(TownshipKindOf("350526000").status(),
                 "乡镇代码（township_code）：后 3 位应为 001 至 399，实际为 "
                 "000");
  EXPECT_CHINESE(ValidateVillageCode("35052610000", "350526100"),
                 "村（社区）代码（village_code）：应为 12 位数字");
  EXPECT_CHINESE(ValidateVillageCode("350526101001", "350526100"),
                 "村（社区）代码（village_code）：前 9 位应为乡镇代码 "
                 "350526100，实际为 350526101");
  EXPECT_CHINESE(ValidateVillageCode("350526100000", "350526100"),
                 "村（社区）代码（village_code）：后 3 位应为 001 至 999，"
                 "实际为 000");
  EXPECT_CHINESE(ValidateVillageCode("350526100001", "35052610"),
                 "乡镇代码（township_code）：应为 9 位数字");
}

TEST(ChineseMessageTest, Phone) {
  EXPECT_CHINESE(ValidatePhone(""), "联系电话（phone）：不能为空");
  EXPECT_CHINESE(ValidatePhone("13800138000 "),
                 "联系电话（phone）：首尾不能有空格");
  EXPECT_CHINESE(ValidatePhone("138-0013-8000"),
                 "联系电话（phone）：手机号只能包含数字");
  EXPECT_CHINESE(ValidatePhone("1380013800"),
                 "联系电话（phone）：手机号应为 11 位，实际为 10 位");
  EXPECT_CHINESE(ValidatePhone("12800138000"),
                 "联系电话（phone）：手机号应以 13 至 19 开头，实际为 12");
  EXPECT_CHINESE(ValidatePhone("+8613800138000"),
                 "联系电话（phone）：应为 11 位手机号，或 0595-23512345、"
                 "0595-23512345-801 这样的固定电话号码");
}

// ---------------------------------------------------------------------------
// Age
// ---------------------------------------------------------------------------

TEST(AgeTest, FullYearsCountFromTheBirthday) {
  const absl::CivilDay birth(2015, 9, 1);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2015, 9, 1)), 0);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2021, 8, 31)), 5);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2021, 9, 1)), 6);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2022, 1, 1)), 6);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2015, 8, 31)), -1);
}

TEST(AgeTest, LeapDayBirthdayTurnsOnMarchFirstInCommonYears) {
  const absl::CivilDay birth(2016, 2, 29);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2017, 2, 28)), 0);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2017, 3, 1)), 1);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2020, 2, 28)), 3);
  EXPECT_EQ(AgeOn(birth, absl::CivilDay(2020, 2, 29)), 4);
}

TEST(AgeTest, SchoolAgeUsesThirtyFirstAugustCutoff) {
  // Born on the cut-off day: 6 in the school year starting that autumn.
  EXPECT_EQ(SchoolAgeInYear(absl::CivilDay(2019, 8, 31), 2025), 6);
  // Born one day later: still 5, enters a year later.
  EXPECT_EQ(SchoolAgeInYear(absl::CivilDay(2019, 9, 1), 2025), 5);
  EXPECT_EQ(SchoolAgeInYear(absl::CivilDay(2019, 9, 1), 2026), 6);
  EXPECT_EQ(SchoolAgeInYear(absl::CivilDay(2010, 1, 1), 2026), 16);
  EXPECT_EQ(SchoolAgeInYear(absl::CivilDay(2010, 9, 1), 2026), 15);
}

}  // namespace
}  // namespace baoxue::domain
