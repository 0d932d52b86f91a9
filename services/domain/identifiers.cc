#include "services/domain/identifiers.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "storage/localized_status.h"

namespace baoxue::domain {
namespace {

constexpr size_t kIdNumberLength = 18;

// GB 11643-1999 weights for the first 17 characters, and the check character
// for each remainder of the weighted sum modulo 11.
constexpr int kIdWeights[17] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                3, 7, 9,  10, 5, 8, 4, 2};
constexpr char kIdCheckChars[11] = {'1', '0', 'X', '9', '8', '7',
                                    '6', '5', '4', '3', '2'};

// A field in error messages: its path (the English prefix) and the name a
// clerk knows it by.
struct Field {
  absl::string_view path;
  absl::string_view label_zh;
};

constexpr Field kIdNumberField{"id_number", "身份证号"};
constexpr Field kStudentNumberField{"student_number", "学籍号"};
constexpr Field kCountyCodeField{"county_code", "县级行政区划代码"};
constexpr Field kTownshipCodeField{"township_code", "乡镇代码"};
constexpr Field kVillageCodeField{"village_code", "村（社区）代码"};
constexpr Field kPhoneField{"phone", "联系电话"};

// The error shape used across Baoxue (see services/validation.cc):
// zh "<中文字段名>（<path>）：<说明>", en "<path>: <explanation>".
absl::Status FieldError(const Field& field, absl::string_view zh,
                        absl::string_view en) {
  return baoxue::InvalidArgumentError(
      absl::StrCat(field.label_zh, "（", field.path, "）：", zh),
      absl::StrCat(field.path, ": ", en));
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsAscii(absl::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Returns the positions at which UTF-8 code points start (every byte that is
// not a continuation byte 10xxxxxx).
std::vector<size_t> CodePointStarts(absl::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  return starts;
}

size_t CodePointCount(absl::string_view s) { return CodePointStarts(s).size(); }

// Returns " 'c'" for a printable ASCII character, or "" otherwise, for use
// after "got" in messages.
std::string Quoted(char c) {
  if (absl::ascii_isprint(static_cast<unsigned char>(c))) {
    return absl::StrCat(" '", absl::string_view(&c, 1), "'");
  }
  return "";
}

// The Chinese counterpart of Quoted: "，实际为“c”" for a printable ASCII
// character, or "" otherwise.
std::string GotZh(char c) {
  if (absl::ascii_isprint(static_cast<unsigned char>(c))) {
    return absl::StrCat("，实际为“", absl::string_view(&c, 1), "”");
  }
  return "";
}

int ParseDigits(absl::string_view s) {
  int value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

// Checks that `s` is empty of leading and trailing ASCII whitespace.
absl::Status CheckNoSurroundingSpace(const Field& field, absl::string_view s) {
  if (!s.empty() &&
      (absl::ascii_isspace(static_cast<unsigned char>(s[0])) ||
       absl::ascii_isspace(static_cast<unsigned char>(s[s.size() - 1])))) {
    return FieldError(field, "首尾不能有空格",
                      "must not begin or end with spaces");
  }
  return absl::OkStatus();
}

// Checks that `chars` (8 ASCII digits YYYYMMDD) is a real calendar date in
// or after 1900, and stores it in `*day`.
absl::Status CheckBirthDate(const Field& field, absl::string_view chars,
                            absl::CivilDay* day) {
  const int year = ParseDigits(chars.substr(0, 4));
  const int month = ParseDigits(chars.substr(4, 2));
  const int mday = ParseDigits(chars.substr(6, 2));
  const std::string shown = absl::StrCat(
      chars.substr(0, 4), "-", chars.substr(4, 2), "-", chars.substr(6, 2));
  if (year < 1900) {
    return FieldError(field, absl::StrCat("出生日期 ", shown, " 早于 1900 年"),
                      absl::StrCat("birth date ", shown, " is before 1900"));
  }
  const absl::CivilDay parsed(year, month, mday);
  if (parsed.year() != year || parsed.month() != month ||
      parsed.day() != mday) {
    return FieldError(
        field, absl::StrCat("出生日期 ", shown, " 不是实际存在的日期"),
        absl::StrCat("birth date ", shown, " is not a real calendar date"));
  }
  *day = parsed;
  return absl::OkStatus();
}

// Checks the characters of an ID number that is exactly 18 ASCII bytes.
// Positions in messages are 1-based and shifted by `offset` (so that errors
// inside a G student number point into the student number).
absl::Status CheckIdCharacters(absl::string_view id, const Field& field,
                               int offset) {
  for (size_t i = 0; i + 1 < kIdNumberLength; ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(id[i]))) {
      return FieldError(
          field,
          absl::StrCat("第 ", i + 1 + offset, " 位应为数字", GotZh(id[i])),
          absl::StrCat("character ", i + 1 + offset, " must be a digit, got",
                       Quoted(id[i])));
    }
  }
  absl::CivilDay birth;
  absl::Status date = CheckBirthDate(field, id.substr(6, 8), &birth);
  if (!date.ok()) return date;

  int sum = 0;
  for (size_t i = 0; i + 1 < kIdNumberLength; ++i) {
    sum += (id[i] - '0') * kIdWeights[i];
  }
  const char expected = kIdCheckChars[sum % 11];
  const char actual = id[kIdNumberLength - 1];
  if (actual == 'x' && expected == 'X') {
    return FieldError(
        field, "校验位应为大写 X，不能是小写 x",
        "check character must be an uppercase X, not a lowercase x");
  }
  if (actual != 'x' && actual != 'X' &&
      !absl::ascii_isdigit(static_cast<unsigned char>(actual))) {
    return FieldError(field, absl::StrCat("校验位应为数字或 X", GotZh(actual)),
                      absl::StrCat("check character must be a digit or X, got",
                                   Quoted(actual)));
  }
  if (actual != expected) {
    return FieldError(
        field,
        absl::StrCat("校验位应为 ", absl::string_view(&expected, 1),
                     "，实际为 ", absl::string_view(&actual, 1)),
        absl::StrCat("check character is ", absl::string_view(&actual, 1),
                     ", expected ", absl::string_view(&expected, 1)));
  }
  return absl::OkStatus();
}

// Checks that `s` has `length` code points, all of them ASCII. `what` is the
// subject of the English length sentence, e.g. "a G number", and `what_zh`
// that of the Chinese one, e.g. "G 字头的学籍号" (may be empty).
absl::Status CheckAsciiLength(const Field& field, absl::string_view s,
                              size_t length, absl::string_view what,
                              absl::string_view what_zh) {
  if (s.empty()) return FieldError(field, "不能为空", "must not be empty");
  absl::Status space = CheckNoSurroundingSpace(field, s);
  if (!space.ok()) return space;
  const size_t count = CodePointCount(s);
  if (count != length) {
    return FieldError(
        field,
        absl::StrCat(what_zh, "应为 ", length, " 位，实际为 ", count, " 位"),
        absl::StrCat(what, " must be ", length, " characters, got ", count));
  }
  if (!IsAscii(s)) {
    return FieldError(field,
                      "只能包含半角字符（发现了全角字符或其他非 ASCII "
                      "字符，请检查输入法是否处于全角状态）",
                      "must contain only ASCII characters (found a full-width "
                      "or other non-ASCII character)");
  }
  return absl::OkStatus();
}

// Checks a township code's own format: 9 digits with a suffix in 001-399.
// On success stores the suffix value in `*suffix`.
absl::Status CheckTownshipFormat(absl::string_view code, int* suffix) {
  if (code.size() != 9 || !AllDigits(code)) {
    return FieldError(kTownshipCodeField, "应为 9 位数字", "must be 9 digits");
  }
  const int value = ParseDigits(code.substr(6));
  if (value < 1 || value > 399) {
    return FieldError(
        kTownshipCodeField,
        absl::StrCat("后 3 位应为 001 至 399，实际为 ", code.substr(6)),
        absl::StrCat("last 3 digits must be 001 to 399, got ", code.substr(6)));
  }
  *suffix = value;
  return absl::OkStatus();
}

bool IsAreaCode(absl::string_view s) {
  return (s.size() == 3 || s.size() == 4) && AllDigits(s) && s[0] == '0' &&
         s[1] != '0';
}

bool IsLocalNumber(absl::string_view s) {
  return (s.size() == 7 || s.size() == 8) && AllDigits(s) && s[0] >= '2';
}

bool IsAreaPlusLocal(absl::string_view s) {
  for (size_t area_length : {3, 4}) {
    if (s.size() > area_length && IsAreaCode(s.substr(0, area_length)) &&
        IsLocalNumber(s.substr(area_length))) {
      return true;
    }
  }
  return false;
}

bool IsExtension(absl::string_view s) {
  return !s.empty() && s.size() <= 6 && AllDigits(s);
}

bool IsLandline(absl::string_view phone) {
  const std::vector<absl::string_view> parts = absl::StrSplit(phone, '-');
  switch (parts.size()) {
    case 1:
      return IsLocalNumber(parts[0]) || IsAreaPlusLocal(parts[0]);
    case 2:
      return (IsAreaCode(parts[0]) && IsLocalNumber(parts[1])) ||
             ((IsLocalNumber(parts[0]) || IsAreaPlusLocal(parts[0])) &&
              IsExtension(parts[1]));
    case 3:
      return IsAreaCode(parts[0]) && IsLocalNumber(parts[1]) &&
             IsExtension(parts[2]);
    default:
      return false;
  }
}

// Validates a student number and returns its kind.
absl::StatusOr<StudentNumberKind> CheckStudentNumber(
    absl::string_view number, absl::string_view id_number) {
  const Field& field = kStudentNumberField;
  if (number.empty()) return FieldError(field, "不能为空", "must not be empty");
  const char prefix = number[0];
  switch (prefix) {
    case 'G': {
      absl::Status format =
          CheckAsciiLength(field, number, 19, "a G number", "G 字头的学籍号");
      if (!format.ok()) return format;
      const absl::string_view embedded = number.substr(1);
      absl::Status id = CheckIdCharacters(embedded, field, /*offset=*/1);
      if (!id.ok()) return id;
      if (!id_number.empty() && id_number != embedded) {
        return FieldError(field,
                          "G 之后的身份证号与所填身份证号（id_number）不一致",
                          "the ID number after G does not match id_number");
      }
      return StudentNumberKind::kG;
    }
    case 'J': {
      absl::Status format =
          CheckAsciiLength(field, number, 19, "a J number", "J 字头的学籍号");
      if (!format.ok()) return format;
      for (size_t i = 1; i < number.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(number[i]);
        if (!absl::ascii_isdigit(c) && !absl::ascii_isupper(c)) {
          return FieldError(
              field,
              absl::StrCat("第 ", i + 1, " 位应为数字或大写字母",
                           GotZh(number[i])),
              absl::StrCat("character ", i + 1,
                           " must be a digit or an uppercase letter, got",
                           Quoted(number[i])));
        }
      }
      return StudentNumberKind::kJ;
    }
    case 'L': {
      absl::Status format =
          CheckAsciiLength(field, number, 19, "an L number", "L 字头的学籍号");
      if (!format.ok()) return format;
      for (size_t i = 1; i < number.size(); ++i) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(number[i]))) {
          return FieldError(
              field,
              absl::StrCat("第 ", i + 1, " 位应为数字", GotZh(number[i])),
              absl::StrCat("character ", i + 1, " must be a digit, got",
                           Quoted(number[i])));
        }
      }
      absl::CivilDay birth;
      absl::Status date = CheckBirthDate(field, number.substr(7, 8), &birth);
      if (!date.ok()) return date;
      return StudentNumberKind::kL;
    }
    case 'g':
    case 'j':
    case 'l':
      return FieldError(field, "应以大写字母 G、J 或 L 开头",
                        "must start with an uppercase G, J or L");
    default:
      return FieldError(
          field, absl::StrCat("应以 G、J 或 L 开头", GotZh(prefix)),
          absl::StrCat("must start with G, J or L, got", Quoted(prefix)));
  }
}

}  // namespace

absl::Status ValidateIdNumber(absl::string_view id) {
  absl::Status format =
      CheckAsciiLength(kIdNumberField, id, kIdNumberLength, "an ID number", "");
  if (!format.ok()) return format;
  return CheckIdCharacters(id, kIdNumberField, /*offset=*/0);
}

absl::StatusOr<char> IdNumberCheckCharacter(absl::string_view first17) {
  if (first17.size() != kIdNumberLength - 1 || !AllDigits(first17)) {
    return FieldError(kIdNumberField, "前 17 位应为 17 个数字",
                      "the first 17 characters must be 17 digits");
  }
  int sum = 0;
  for (size_t i = 0; i + 1 < kIdNumberLength; ++i) {
    sum += (first17[i] - '0') * kIdWeights[i];
  }
  return kIdCheckChars[sum % 11];
}

absl::StatusOr<IdNumberFacts> ParseIdNumber(absl::string_view id) {
  absl::Status valid = ValidateIdNumber(id);
  if (!valid.ok()) return valid;
  IdNumberFacts facts;
  facts.birth_date = absl::CivilDay(ParseDigits(id.substr(6, 4)),
                                    ParseDigits(id.substr(10, 2)),
                                    ParseDigits(id.substr(12, 2)));
  facts.sex = ((id[16] - '0') % 2 == 1) ? Sex::kMale : Sex::kFemale;
  facts.division_code = std::string(id.substr(0, 6));
  return facts;
}

std::string MaskIdNumber(absl::string_view id) {
  const std::vector<size_t> starts = CodePointStarts(id);
  const size_t count = starts.size();
  if (count == kIdNumberLength) {
    return absl::StrCat(id.substr(0, starts[6]), std::string(8, '*'),
                        id.substr(starts[14]));
  }
  if (count <= 2) return std::string(count, '*');
  return absl::StrCat(std::string(count - 2, '*'),
                      id.substr(starts[count - 2]));
}

absl::Status ValidateStudentNumber(absl::string_view number,
                                   absl::string_view id_number) {
  absl::StatusOr<StudentNumberKind> kind =
      CheckStudentNumber(number, id_number);
  return kind.status();
}

absl::StatusOr<StudentNumberKind> StudentNumberKindOf(
    absl::string_view number) {
  return CheckStudentNumber(number, "");
}

absl::Status ValidateCountyCode(absl::string_view code) {
  if (code.size() != 6 || !AllDigits(code)) {
    return FieldError(kCountyCodeField, "应为 6 位数字", "must be 6 digits");
  }
  if (code.substr(4) == "00") {
    return FieldError(kCountyCodeField,
                      "末两位不能是 00（以 00 结尾的是地级市或省级代码）",
                      "must not end in 00, which names a city or province");
  }
  return absl::OkStatus();
}

absl::Status ValidateTownshipCode(absl::string_view code,
                                  absl::string_view county_code) {
  absl::Status county = ValidateCountyCode(county_code);
  if (!county.ok()) return county;
  int suffix = 0;
  absl::Status format = CheckTownshipFormat(code, &suffix);
  if (!format.ok()) return format;
  if (code.substr(0, 6) != county_code) {
    return FieldError(kTownshipCodeField,
                      absl::StrCat("前 6 位应为县级行政区划代码 ", county_code,
                                   "，实际为 ", code.substr(0, 6)),
                      absl::StrCat("must start with the county code ",
                                   county_code, ", got ", code.substr(0, 6)));
  }
  return absl::OkStatus();
}

absl::StatusOr<TownshipKind> TownshipKindOf(absl::string_view code) {
  int suffix = 0;
  absl::Status format = CheckTownshipFormat(code, &suffix);
  if (!format.ok()) return format;
  if (suffix < 100) return TownshipKind::kSubdistrict;
  if (suffix < 200) return TownshipKind::kTown;
  return TownshipKind::kTownship;
}

absl::Status ValidateVillageCode(absl::string_view code,
                                 absl::string_view township_code) {
  const Field& field = kVillageCodeField;
  int township_suffix = 0;
  absl::Status township = CheckTownshipFormat(township_code, &township_suffix);
  if (!township.ok()) return township;
  if (code.size() != 12 || !AllDigits(code)) {
    return FieldError(field, "应为 12 位数字", "must be 12 digits");
  }
  if (code.substr(0, 9) != township_code) {
    return FieldError(field,
                      absl::StrCat("前 9 位应为乡镇代码 ", township_code,
                                   "，实际为 ", code.substr(0, 9)),
                      absl::StrCat("must start with the township code ",
                                   township_code, ", got ", code.substr(0, 9)));
  }
  if (code.substr(9) == "000") {
    return FieldError(field, "后 3 位应为 001 至 999，实际为 000",
                      "last 3 digits must be 001 to 999, got 000");
  }
  return absl::OkStatus();
}

absl::Status ValidatePhone(absl::string_view phone) {
  const Field& field = kPhoneField;
  if (phone.empty()) return FieldError(field, "不能为空", "must not be empty");
  absl::Status space = CheckNoSurroundingSpace(field, phone);
  if (!space.ok()) return space;
  if (phone[0] == '1') {
    if (!AllDigits(phone)) {
      return FieldError(field, "手机号只能包含数字",
                        "a mobile number must contain only digits");
    }
    if (phone.size() != 11) {
      return FieldError(
          field, absl::StrCat("手机号应为 11 位，实际为 ", phone.size(), " 位"),
          absl::StrCat("a mobile number must be 11 digits, got ",
                       phone.size()));
    }
    if (phone[1] < '3') {
      return FieldError(
          field,
          absl::StrCat("手机号应以 13 至 19 开头，实际为 ", phone.substr(0, 2)),
          absl::StrCat("a mobile number must start with 13 to 19, got ",
                       phone.substr(0, 2)));
    }
    return absl::OkStatus();
  }
  if (IsLandline(phone)) return absl::OkStatus();
  return FieldError(field,
                    "应为 11 位手机号，或 0595-23512345、0595-23512345-801 "
                    "这样的固定电话号码",
                    "must be an 11-digit mobile number or a landline such as "
                    "0595-23512345 or 0595-23512345-801");
}

int AgeOn(absl::CivilDay birth, absl::CivilDay on) {
  int age = static_cast<int>(on.year() - birth.year());
  if (on.month() < birth.month() ||
      (on.month() == birth.month() && on.day() < birth.day())) {
    --age;
  }
  return age;
}

int SchoolAgeInYear(absl::CivilDay birth, int school_year_start) {
  return AgeOn(birth, absl::CivilDay(school_year_start, 8, 31));
}

std::string MaskStudentNumber(absl::string_view number) {
  if (!number.empty() && number[0] == 'G') {
    return absl::StrCat("G", MaskIdNumber(number.substr(1)));
  }
  return std::string(number);
}

}  // namespace baoxue::domain
