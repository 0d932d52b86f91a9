// Validation and parsing of the identifiers Baoxue stores about a child and
// the places around it: the resident ID number (居民身份证号码), the national
// student number (学籍号), administrative division codes (行政区划代码) and
// phone numbers, plus the age arithmetic the enrolment rules rest on.
//
// Every function here is pure: no I/O, no clock, no global state. All of them
// are thread-safe.
//
// Every error is absl::StatusCode::kInvalidArgument built with
// storage/localized_status.h. Its message is Chinese and names the field by
// its Chinese label and its path, e.g.
//   "身份证号（id_number）：校验位应为 X，实际为 3";
// the English text (MessageIn(status, Lang::kEn)) is a short, stable sentence
// that starts with the field path, e.g.
//   "id_number: check character is 3, expected X".
// Error messages never repeat a whole ID number, so they are safe to log.

#ifndef BAOXUE_SERVICES_DOMAIN_IDENTIFIERS_H_
#define BAOXUE_SERVICES_DOMAIN_IDENTIFIERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace baoxue::domain {

// ---------------------------------------------------------------------------
// 居民身份证号码 (GB 11643-1999)
// ---------------------------------------------------------------------------

// Sex as encoded in an ID number (the 17th character: odd = male). The
// case rules never use it; it exists so that entered data can be checked
// against the ID number.
enum class Sex { kMale, kFemale };

// What an 18-character ID number says about its holder.
struct IdNumberFacts {
  absl::CivilDay birth_date;
  Sex sex;
  std::string division_code;  // 6-digit address code (行政区划代码).
};

// Returns OK if `id` is a valid 18-character resident ID number: a 6-digit
// division code, an 8-digit birth date YYYYMMDD that is a real calendar date
// in or after 1900, a 3-digit sequence and a check character computed per
// GB 11643-1999 (MOD 11-2). The check character X must be uppercase; a
// lowercase x is rejected with a message saying so. Only the format is
// checked: the division code is not looked up and the birth date is not
// compared with today. Error messages use the field name "id_number".
absl::Status ValidateIdNumber(absl::string_view id);

// Validates `id` as ValidateIdNumber does and returns its birth date, sex and
// division code.
absl::StatusOr<IdNumberFacts> ParseIdNumber(absl::string_view id);

// Returns the GB 11643-1999 check character (0-9 or X) that completes the
// first 17 characters of an ID number, so that generators of demo and
// benchmark data build numbers with the same arithmetic that validates
// them. InvalidArgument (field "id_number") unless `first17` is exactly 17
// ASCII digits; the birth date in it is not checked.
absl::StatusOr<char> IdNumberCheckCharacter(absl::string_view first17);

// Masks an ID number for lists and exports (DOMAIN §8). An 18-character
// number keeps its first 6 and last 4 characters: "350526********123X".
// Anything else keeps only its last 2 characters ("*******34"), and a value
// of 2 characters or fewer is masked entirely. Characters are counted as
// UTF-8 code points, so malformed input with full-width digits is masked
// without splitting a character. Does not validate.
std::string MaskIdNumber(absl::string_view id);

// A 学籍号 safe to show in messages and lists: a G number embeds the ID
// number, so its ID part is masked like MaskIdNumber; J and L numbers are
// returned as they are.
std::string MaskStudentNumber(absl::string_view number);

// ---------------------------------------------------------------------------
// 学籍号 national student number
// ---------------------------------------------------------------------------

// The three forms of a national student number.
enum class StudentNumberKind {
  kG,  // "G" + the child's 18-character ID number (official).
  kJ,  // "J" + 18 self-coded characters [0-9A-Z] (child without an ID).
  kL,  // "L" + 6-digit area code + 8-digit birth date + 4 digits
       // (temporary; later replaced by a G number).
};

// Returns OK if `number` is a well-formed student number of one of the three
// kinds (see StudentNumberKind); the prefix letter must be uppercase. For a
// G number the embedded ID number must itself be valid, and if `id_number`
// is non-empty it must equal the embedded one exactly. `id_number` is not
// used for J and L numbers. Error messages use the field name
// "student_number".
absl::Status ValidateStudentNumber(absl::string_view number,
                                   absl::string_view id_number);

// Validates `number` as ValidateStudentNumber(number, "") does and returns
// its kind.
absl::StatusOr<StudentNumberKind> StudentNumberKindOf(absl::string_view number);

// ---------------------------------------------------------------------------
// 行政区划代码 administrative division codes
// ---------------------------------------------------------------------------

// The three kinds of township-level division, by the code's last 3 digits.
enum class TownshipKind {
  kSubdistrict,  // 街道, 001-099.
  kTown,         // 镇, 100-199.
  kTownship,     // 乡, 200-399.
};

// Returns OK if `code` is a 6-digit county code whose last two digits are
// not "00" (a code ending in 00 names a city or province, e.g. 350500).
// Field name: "county_code".
absl::Status ValidateCountyCode(absl::string_view code);

// Returns OK if `code` is a 9-digit township code that starts with
// `county_code` and ends in 001-399. `county_code` is validated first
// (errors then name "county_code"). Field name: "township_code".
absl::Status ValidateTownshipCode(absl::string_view code,
                                  absl::string_view county_code);

// Returns the kind of a 9-digit township code (its county part is checked
// only for being digits). Field name: "township_code".
absl::StatusOr<TownshipKind> TownshipKindOf(absl::string_view code);

// Returns OK if `code` is a 12-digit village code that starts with
// `township_code` and ends in 001-999. `township_code` is checked first for
// its own format: 9 digits ending in 001-399 (errors then name
// "township_code"). Field name: "village_code".
absl::Status ValidateVillageCode(absl::string_view code,
                                 absl::string_view township_code);

// ---------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------

// Returns OK if `phone` is either
//   * a mainland mobile number: 11 digits, "1" then 3-9 then 9 digits; or
//   * a landline: an optional area code ("0", a non-zero digit, then 1-2
//     more digits) optionally followed by "-", then a 7-8 digit local number
//     starting with 2-9, then an optional "-" and 1-6 digit extension.
// Examples: 13800138000, 0595-23512345, 059523512345, 23512345-801.
// Nothing else is accepted: no spaces, no "+86", no parentheses.
// Field name: "phone".
absl::Status ValidatePhone(absl::string_view phone);

// ---------------------------------------------------------------------------
// Age (周岁)
// ---------------------------------------------------------------------------

// Returns the age in full years (周岁) on day `on` of a person born on
// `birth`. A birthday counts from the birthday itself; someone born on
// 29 February reaches a new year of age on 1 March in common years. The
// result is negative if `on` precedes `birth`.
int AgeOn(absl::CivilDay birth, absl::CivilDay on);

// Returns the age in full years on 31 August of `school_year_start`, the
// cut-off for compulsory-school entry (a child with SchoolAgeInYear == 6
// enters grade 1 in the school year starting that autumn).
int SchoolAgeInYear(absl::CivilDay birth, int school_year_start);

}  // namespace baoxue::domain

#endif  // BAOXUE_SERVICES_DOMAIN_IDENTIFIERS_H_
