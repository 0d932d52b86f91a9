// Fuzz target: the identifier validators of services/domain/identifiers.h
// (身份证号, 学籍号, division codes, phones) on arbitrary bytes.
//
// Input: the bytes are the value; where a validator takes two values (a
// 学籍号 and the ID number it must embed, a code and its parent) the input
// is split at its first '\n'. Besides "no crash, no sanitizer report" it
// checks what the header promises: a parsed ID number's facts agree with
// its text, a valid G 学籍号 embeds a valid ID number, masks keep only the
// promised characters, and no error message repeats a whole ID number.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/domain/identifiers.h"
#include "storage/localized_status.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using baoxue::Lang;
using baoxue::MessageIn;
namespace domain = baoxue::domain;

// True if `text` looks like an ID number: 18 characters of [0-9Xx].
bool LooksLikeIdNumber(absl::string_view text) {
  if (text.size() != 18) return false;
  for (char c : text) {
    if (!(c >= '0' && c <= '9') && c != 'X' && c != 'x') return false;
  }
  return true;
}

// Error messages may be logged: they must never carry the whole number.
void CheckMessageHidesId(const absl::Status& status, absl::string_view id) {
  if (status.ok() || !LooksLikeIdNumber(id)) return;
  FUZZ_CHECK(!absl::StrContains(MessageIn(status, Lang::kZh), id));
  FUZZ_CHECK(!absl::StrContains(MessageIn(status, Lang::kEn), id));
}

void CheckIdNumber(absl::string_view id) {
  absl::Status valid = domain::ValidateIdNumber(id);
  CheckMessageHidesId(valid, id);
  absl::StatusOr<domain::IdNumberFacts> facts = domain::ParseIdNumber(id);
  FUZZ_CHECK(facts.ok() == valid.ok());
  std::string masked = domain::MaskIdNumber(id);
  if (facts.ok()) {
    FUZZ_CHECK(id.size() == 18);
    FUZZ_CHECK(facts->division_code == id.substr(0, 6));
    FUZZ_CHECK(facts->birth_date.year() >= 1900);
    FUZZ_CHECK(masked == absl::StrCat(id.substr(0, 6), "********",
                                      id.substr(14)));
    // Age arithmetic on any real birth date stays sane.
    int age = domain::AgeOn(facts->birth_date, facts->birth_date + 365 * 7);
    FUZZ_CHECK(age == 6 || age == 7);
    domain::SchoolAgeInYear(facts->birth_date, 2026);
  }
}

void CheckStudentNumber(absl::string_view number, absl::string_view id) {
  absl::Status valid = domain::ValidateStudentNumber(number, id);
  CheckMessageHidesId(valid, id);
  if (number.size() == 19) CheckMessageHidesId(valid, number.substr(1));
  absl::StatusOr<domain::StudentNumberKind> kind =
      domain::StudentNumberKindOf(number);
  if (valid.ok()) {
    FUZZ_CHECK(kind.ok());
    if (*kind == domain::StudentNumberKind::kG) {
      FUZZ_CHECK(domain::ValidateIdNumber(number.substr(1)).ok());
      if (!id.empty()) FUZZ_CHECK(number.substr(1) == id);
    }
  }
  std::string masked = domain::MaskStudentNumber(number);
  if (kind.ok() && *kind == domain::StudentNumberKind::kG) {
    FUZZ_CHECK(!absl::StrContains(masked, number.substr(1)));
  }
}

void CheckCodes(absl::string_view a, absl::string_view b) {
  absl::Status county = domain::ValidateCountyCode(a);
  if (county.ok()) FUZZ_CHECK(a.size() == 6);
  absl::Status township = domain::ValidateTownshipCode(a, b);
  if (township.ok()) {
    FUZZ_CHECK(a.size() == 9 && absl::StartsWith(a, b));
    FUZZ_CHECK(domain::TownshipKindOf(a).ok());
  }
  domain::TownshipKindOf(a).ok();
  absl::Status village = domain::ValidateVillageCode(a, b);
  if (village.ok()) FUZZ_CHECK(a.size() == 12 && absl::StartsWith(a, b));
  absl::Status phone = domain::ValidatePhone(a);
  if (phone.ok()) FUZZ_CHECK(a.size() >= 7 && a.size() <= 4 + 1 + 8 + 1 + 6);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::string_view first = input, second;
  if (size_t newline = input.find('\n'); newline != absl::string_view::npos) {
    first = input.substr(0, newline);
    second = input.substr(newline + 1);
  }
  CheckIdNumber(input);
  CheckIdNumber(first);
  CheckStudentNumber(input, "");
  CheckStudentNumber(first, second);
  CheckCodes(first, second);
  return 0;
}
