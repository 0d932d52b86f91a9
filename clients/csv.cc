#include "clients/csv.h"

#include <errno.h>
#include <iconv.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace baoxue::clients {
namespace {

constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kIdeographicSpace =
    "\xE3\x80\x80";                                      // U+3000 全角空格
constexpr absl::string_view kNoBreakSpace = "\xC2\xA0";  // U+00A0

// Closes an iconv descriptor when it goes out of scope.
class IconvCloser {
 public:
  explicit IconvCloser(iconv_t cd) : cd_(cd) {}
  IconvCloser(const IconvCloser&) = delete;
  IconvCloser& operator=(const IconvCloser&) = delete;
  ~IconvCloser() { iconv_close(cd_); }

 private:
  iconv_t cd_;
};

// Converts GB18030 bytes to UTF-8 with glibc iconv.
absl::StatusOr<std::string> Gb18030ToUtf8(absl::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::InternalError("iconv_open(UTF-8, GB18030) failed");
  }
  IconvCloser closer(cd);

  // GB18030 -> UTF-8 grows at most 1.5x (2 bytes -> 3); E2BIG is handled
  // anyway.
  std::string out(bytes.size() + bytes.size() / 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t written = 0;
  while (in_left > 0) {
    char* out_ptr = out.data() + written;
    size_t out_left = out.size() - written;
    size_t rc = iconv(cd, &in, &in_left, &out_ptr, &out_left);
    written = out_ptr - out.data();
    if (rc != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    const size_t offset = in - bytes.data();
    if (errno == EINVAL) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "neither UTF-8 nor GB18030: truncated character at byte offset %d",
          offset));
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "neither UTF-8 nor GB18030: invalid byte 0x%02X at byte offset %d",
        static_cast<unsigned char>(bytes[offset]), offset));
  }
  out.resize(written);
  return out;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Strips ASCII whitespace, U+3000 and U+00A0 from both ends.
absl::string_view Trim(absl::string_view s) {
  while (true) {
    const size_t before = s.size();
    s = absl::StripAsciiWhitespace(s);
    for (absl::string_view space : {kIdeographicSpace, kNoBreakSpace}) {
      while (absl::ConsumePrefix(&s, space)) {
      }
      while (absl::ConsumeSuffix(&s, space)) {
      }
    }
    if (s.size() == before) return s;
  }
}

// Header cells and spec names are compared in this form.
std::string NormalizeName(absl::string_view name) {
  return absl::AsciiStrToLower(Trim(name));
}

// Consumes one line end (CRLF, LF or a lone CR) at text[*pos], if any.
bool ConsumeLineEnd(absl::string_view text, size_t* pos) {
  if (*pos >= text.size()) return false;
  if (text[*pos] == '\n') {
    ++*pos;
    return true;
  }
  if (text[*pos] == '\r') {
    ++*pos;
    if (*pos < text.size() && text[*pos] == '\n') ++*pos;
    return true;
  }
  return false;
}

// True for values such as "3", "-3", "+1", "-0.5", ".5": optional sign, then
// digits with at most one decimal point, at least one digit.
bool IsPlainNumber(absl::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool digit = false;
  bool point = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return false;
    }
  }
  return digit;
}

// True if spreadsheet software could take `value` for a formula.
bool LooksLikeFormula(absl::string_view value) {
  if (value.empty()) return false;
  switch (value[0]) {
    case '\t':
    case '\r':
      return true;
    default:
      break;
  }
  // Leading spaces do not stop every spreadsheet from evaluating "  =1+1".
  absl::string_view rest = value;
  while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
  if (rest.empty()) return false;
  switch (rest[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
      return !IsPlainNumber(rest);
    default:
      return false;
  }
}

}  // namespace

bool IsValidUtf8(absl::string_view bytes, size_t* error_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80;  // Allowed range of the second byte.
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // Overlong.
      if (c == 0xED) hi = 0x9F;  // Surrogates.
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // Overlong.
      if (c == 0xF4) hi = 0x8F;  // Above U+10FFFF.
    } else {
      // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF.
      if (error_offset != nullptr) *error_offset = i;
      return false;
    }
    bool ok = i + len <= n && s[i + 1] >= lo && s[i + 1] <= hi;
    for (size_t k = 2; ok && k < len; ++k) {
      ok = s[i + k] >= 0x80 && s[i + k] <= 0xBF;
    }
    if (!ok) {
      if (error_offset != nullptr) *error_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

absl::StatusOr<std::string> DecodeToUtf8(absl::string_view bytes,
                                         std::string* detected) {
  if (absl::StartsWith(bytes, "\xFF\xFE") ||
      absl::StartsWith(bytes, "\xFE\xFF")) {
    return absl::InvalidArgumentError(
        "UTF-16 is not supported; save as CSV UTF-8 or CSV");
  }
  if (absl::StartsWith(bytes, kUtf8Bom)) {
    absl::string_view rest = bytes.substr(kUtf8Bom.size());
    size_t offset = 0;
    if (!IsValidUtf8(rest, &offset)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("invalid UTF-8 after BOM at byte offset %d",
                          offset + kUtf8Bom.size()));
    }
    if (detected != nullptr) *detected = kEncodingUtf8Bom;
    return std::string(rest);
  }
  if (IsValidUtf8(bytes)) {
    if (detected != nullptr) *detected = kEncodingUtf8;
    return std::string(bytes);
  }
  absl::StatusOr<std::string> converted = Gb18030ToUtf8(bytes);
  if (!converted.ok()) return converted.status();
  // A GB18030 file may begin with the GB18030 form of U+FEFF (84 31 95 33).
  if (absl::StartsWith(*converted, kUtf8Bom)) {
    converted->erase(0, kUtf8Bom.size());
  }
  if (detected != nullptr) *detected = kEncodingGb18030;
  return converted;
}

bool IsBlankRecord(const CsvRecord& record) {
  for (const std::string& field : record.fields) {
    if (!Trim(field).empty()) return false;
  }
  return true;
}

CsvReader::CsvReader(absl::string_view utf8) : text_(utf8) {
  if (absl::StartsWith(text_, kUtf8Bom)) pos_ = kUtf8Bom.size();
}

absl::StatusOr<bool> CsvReader::Next(CsvRecord* record) {
  if (!error_.ok()) return error_;
  // Skip completely empty lines.
  while (ConsumeLineEnd(text_, &pos_)) ++line_;
  if (pos_ >= text_.size()) return false;

  record->line = line_;
  record->fields.clear();
  const size_t n = text_.size();
  while (true) {
    const int field_number = static_cast<int>(record->fields.size()) + 1;
    std::string field;
    if (pos_ < n && text_[pos_] == '"') {
      const int quote_line = line_;
      ++pos_;
      while (true) {
        if (pos_ >= n) {
          error_ = absl::InvalidArgumentError(absl::StrFormat(
              "line %d: unterminated quoted field", quote_line));
          return error_;
        }
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\r' || c == '\n') {
          const size_t start = pos_;
          ConsumeLineEnd(text_, &pos_);
          field.append(text_.data() + start, pos_ - start);
          ++line_;
          continue;
        }
        // Copy a run of ordinary bytes at once.
        size_t end = pos_;
        while (end < n && text_[end] != '"' && text_[end] != '\r' &&
               text_[end] != '\n') {
          ++end;
        }
        field.append(text_.data() + pos_, end - pos_);
        pos_ = end;
      }
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\r' &&
          text_[pos_] != '\n') {
        error_ = absl::InvalidArgumentError(absl::StrFormat(
            "line %d, field %d: unexpected character after closing quote",
            line_, field_number));
        return error_;
      }
    } else {
      size_t end = pos_;
      while (end < n && text_[end] != ',' && text_[end] != '\r' &&
             text_[end] != '\n') {
        if (text_[end] == '"') {
          error_ = absl::InvalidArgumentError(absl::StrFormat(
              "line %d, field %d: stray quote in unquoted field", line_,
              field_number));
          return error_;
        }
        ++end;
      }
      field.assign(text_.data() + pos_, end - pos_);
      pos_ = end;
    }
    record->fields.push_back(std::move(field));
    if (pos_ >= n) return true;
    if (text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    ConsumeLineEnd(text_, &pos_);
    ++line_;
    return true;
  }
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view utf8) {
  CsvReader reader(utf8);
  std::vector<CsvRecord> records;
  while (true) {
    CsvRecord record;
    absl::StatusOr<bool> more = reader.Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) return records;
    records.push_back(std::move(record));
  }
}

absl::StatusOr<CsvHeader> CsvHeader::Create(
    const CsvRecord& header, absl::Span<const CsvColumnSpec> specs) {
  // Normalised name -> spec index. Specs are few; a vector is enough.
  std::vector<std::pair<std::string, size_t>> names;
  for (size_t i = 0; i < specs.size(); ++i) {
    std::vector<std::string> spec_names = {specs[i].canonical_name};
    spec_names.insert(spec_names.end(), specs[i].aliases.begin(),
                      specs[i].aliases.end());
    for (const std::string& name : spec_names) {
      std::string normalized = NormalizeName(name);
      if (normalized.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "column spec: empty name in ", specs[i].canonical_name));
      }
      for (const auto& [existing, index] : names) {
        if (existing == normalized && index != i) {
          return absl::InvalidArgumentError(
              absl::StrCat("column spec: alias ", name, " used twice"));
        }
      }
      names.emplace_back(std::move(normalized), i);
    }
  }

  std::vector<Column> columns;
  columns.reserve(specs.size());
  for (const CsvColumnSpec& spec : specs) {
    columns.push_back(Column{spec.canonical_name, -1});
  }

  std::vector<std::string> unknown;
  for (size_t field = 0; field < header.fields.size(); ++field) {
    const std::string normalized = NormalizeName(header.fields[field]);
    if (normalized.empty()) continue;
    const size_t* spec_index = nullptr;
    for (const auto& [name, index] : names) {
      if (name == normalized) {
        spec_index = &index;
        break;
      }
    }
    if (spec_index == nullptr) {
      unknown.emplace_back(Trim(header.fields[field]));
      continue;
    }
    Column& column = columns[*spec_index];
    if (column.index >= 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("line %d: duplicate column: %s (field %d)",
                          header.line, Trim(header.fields[field]), field + 1));
    }
    column.index = static_cast<int>(field);
  }

  std::vector<std::string> missing;
  for (size_t i = 0; i < specs.size(); ++i) {
    if (!specs[i].required || columns[i].index >= 0) continue;
    if (specs[i].aliases.empty()) {
      missing.push_back(specs[i].canonical_name);
    } else {
      missing.push_back(absl::StrCat(specs[i].canonical_name, " (",
                                     specs[i].aliases[0], ")"));
    }
  }

  if (!unknown.empty() || !missing.empty()) {
    std::vector<std::string> parts;
    if (!unknown.empty()) {
      parts.push_back(
          absl::StrCat("unknown columns: ", absl::StrJoin(unknown, ", ")));
    }
    if (!missing.empty()) {
      parts.push_back(absl::StrCat("missing required columns: ",
                                   absl::StrJoin(missing, ", ")));
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "line %d: %s", header.line, absl::StrJoin(parts, "; ")));
  }
  return CsvHeader(std::move(columns), header.fields.size());
}

const CsvHeader::Column* CsvHeader::Find(
    absl::string_view canonical_name) const {
  for (const Column& column : columns_) {
    if (column.canonical_name == canonical_name) return &column;
  }
  return nullptr;
}

bool CsvHeader::Has(absl::string_view canonical_name) const {
  const Column* column = Find(canonical_name);
  return column != nullptr && column->index >= 0;
}

std::string CsvHeader::Get(const CsvRecord& record,
                           absl::string_view canonical_name) const {
  const Column* column = Find(canonical_name);
  if (column == nullptr || column->index < 0 ||
      static_cast<size_t>(column->index) >= record.fields.size()) {
    return "";
  }
  return std::string(Trim(record.fields[column->index]));
}

absl::Status CsvHeader::CheckRecord(const CsvRecord& record) const {
  for (size_t i = width_; i < record.fields.size(); ++i) {
    if (!Trim(record.fields[i]).empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("line %d: %d fields but the header has %d",
                          record.line, record.fields.size(), width_));
    }
  }
  return absl::OkStatus();
}

CsvWriter::CsvWriter() : out_(kUtf8Bom) {}

void CsvWriter::WriteRow(absl::Span<const std::string> fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.push_back(',');
    out_.append(EncodeField(fields[i]));
  }
  out_.append("\r\n");
}

std::string CsvWriter::Release() {
  std::string result = std::move(out_);
  out_.clear();
  return result;
}

std::string CsvWriter::EncodeField(absl::string_view value) {
  std::string text;
  if (LooksLikeFormula(value)) text.push_back('\'');
  text.append(value.data(), value.size());

  const bool needs_quotes =
      text.find_first_of(",\"\r\n") != std::string::npos ||
      (!text.empty() &&
       (IsAsciiSpace(text.front()) || IsAsciiSpace(text.back())));
  if (!needs_quotes) return text;

  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace baoxue::clients
