// CSV import and export for ledgers (台账) exchanged with Excel users.
//
// Excel on a Chinese desktop saves "CSV UTF-8" (UTF-8 with a byte-order mark)
// or plain "CSV" (GB18030/GBK, code page 936). Imports accept both, plus UTF-8
// without a BOM; exports are always UTF-8 with a BOM and CRLF line ends so
// that Excel opens them as they are (see DOMAIN.md §6).
//
// Typical import:
//
//   std::string encoding;
//   absl::StatusOr<std::string> text = DecodeToUtf8(file_bytes, &encoding);
//   if (!text.ok()) return text.status();
//   absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(*text);
//   if (!records.ok()) return records.status();
//   if (records->empty()) return absl::InvalidArgumentError("empty file");
//   absl::StatusOr<CsvHeader> header =
//       CsvHeader::Create((*records)[0], kSpecs);
//   if (!header.ok()) return header.status();
//   for (size_t i = 1; i < records->size(); ++i) {
//     const CsvRecord& r = (*records)[i];
//     if (IsBlankRecord(r)) continue;
//     absl::Status s = header->CheckRecord(r);
//     if (!s.ok()) return s;
//     std::string name = header->Get(r, "name");
//     ...
//   }
//
// All error messages are English, stable, and name the 1-based line (and,
// where it helps, the field or byte offset) so that an operator can find the
// spot in Excel.

#ifndef BAOXUE_CLIENTS_CSV_H_
#define BAOXUE_CLIENTS_CSV_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace baoxue::clients {

// Names stored in *detected by DecodeToUtf8.
inline constexpr char kEncodingUtf8Bom[] = "UTF-8-BOM";
inline constexpr char kEncodingUtf8[] = "UTF-8";
inline constexpr char kEncodingGb18030[] = "GB18030";

// Returns true if `bytes` is well-formed UTF-8 per Unicode Table 3-7:
// overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF
// are rejected. On failure, if `error_offset` is non-null, stores the byte
// offset of the first byte of the offending sequence.
bool IsValidUtf8(absl::string_view bytes, size_t* error_offset = nullptr);

// Converts a CSV file's raw bytes to UTF-8, detecting the encoding without
// asking:
//   1. A UTF-16 byte-order mark (FF FE or FE FF) is rejected.
//   2. A UTF-8 BOM (EF BB BF) is stripped; the rest must be valid UTF-8
//      (no fallback: the BOM says what the file is). -> "UTF-8-BOM"
//   3. Otherwise, strictly valid UTF-8 is returned unchanged. -> "UTF-8"
//   4. Otherwise the bytes are converted from GB18030 (a superset of GBK and
//      GB2312) with glibc iconv. -> "GB18030"
// Failures are InvalidArgument and name the byte offset. `detected` may be
// null; it is only written on success.
//
// Caveat: a short GBK file can, by chance, also be valid UTF-8 and will then
// be read as UTF-8. With real Chinese text this is vanishingly rare.
//
// Thread-safe (each call opens its own iconv descriptor).
absl::StatusOr<std::string> DecodeToUtf8(absl::string_view bytes,
                                         std::string* detected);

// One CSV record: the fields and the 1-based physical line it starts on.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// Returns true if every field of `record` is empty or whitespace. Excel often
// saves rows like ",,,," for formatted but empty rows; importers usually skip
// them. (Completely empty lines never become records at all.)
bool IsBlankRecord(const CsvRecord& record);

// Incremental RFC 4180 parser over UTF-8 text (the output of DecodeToUtf8).
//
// Accepts: quoted fields with "" escapes; commas, CR and LF inside quotes
// (kept verbatim); CRLF, LF or a lone CR as line ends; a final line with or
// without a line end. Completely empty lines are skipped. A leading UTF-8 BOM
// is ignored. Fields are returned untrimmed.
//
// Errors (InvalidArgument):
//   "line N: unterminated quoted field"          N = line the quote opened on
//   "line N, field F: stray quote in unquoted field"
//   "line N, field F: unexpected character after closing quote"
// After an error the reader stays failed and returns the same status.
//
// Not thread-safe. The text passed to the constructor must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view utf8);

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *record. Returns true if a record was read,
  // false at the end of the input, or an error.
  absl::StatusOr<bool> Next(CsvRecord* record);

 private:
  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;  // Physical line of text_[pos_].
  absl::Status error_;
};

// Parses all records of `utf8` with CsvReader.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view utf8);

// Describes one column an importer understands.
struct CsvColumnSpec {
  std::string canonical_name;  // e.g. "id_number"; also accepted as a header.
  std::vector<std::string> aliases;  // e.g. {"身份证号", "身份证号码"}.
  bool required = false;
};

// Maps the header record of an imported file to canonical column names.
//
// A header cell matches a spec if, after trimming whitespace (ASCII, the
// ideographic space U+3000 全角空格 and U+00A0) and lower-casing ASCII
// letters, it equals the spec's canonical name or one of its aliases. Empty
// header cells are ignored (Excel writes them for formatted but unused
// columns).
//
// Create() fails with InvalidArgument on:
//   "line N: unknown columns: 备注, foo"
//   "line N: missing required columns: id_number (身份证号), name (姓名)"
//   "line N: duplicate column: 姓名 (field 4)" (two cells map to one spec)
// and on specs that reuse a name ("column spec: alias x used twice").
//
// Immutable after creation; thread-safe for concurrent const use.
class CsvHeader {
 public:
  static absl::StatusOr<CsvHeader> Create(
      const CsvRecord& header, absl::Span<const CsvColumnSpec> specs);

  // True if the file has a column for `canonical_name`.
  bool Has(absl::string_view canonical_name) const;

  // Returns the field of `record` for `canonical_name`, trimmed as header
  // cells are, or "" if the file has no such column, the name is not a known
  // spec, or the record is shorter than the header.
  std::string Get(const CsvRecord& record,
                  absl::string_view canonical_name) const;

  // Fails if `record` has non-empty fields beyond the header's width, which
  // usually means an unquoted comma shifted the columns:
  //   "line N: 12 fields but the header has 10"
  absl::Status CheckRecord(const CsvRecord& record) const;

 private:
  struct Column {
    std::string canonical_name;
    int index;  // Index into CsvRecord::fields, -1 if absent.
  };

  CsvHeader(std::vector<Column> columns, size_t width)
      : columns_(std::move(columns)), width_(width) {}

  const Column* Find(absl::string_view canonical_name) const;

  std::vector<Column> columns_;  // One per spec, in spec order.
  size_t width_;                 // Number of fields in the header record.
};

// Builds Excel-safe CSV in memory.
//
// Output starts with the UTF-8 BOM (EF BB BF); records end with CRLF. A field
// is quoted when it contains ',', '"', CR or LF, or has leading or trailing
// space; quotes inside are doubled.
//
// Formula injection (OWASP "CSV Injection"): a field starting with '=', '+',
// '-', '@', TAB or CR is prefixed with a single quote ' so that spreadsheet
// software shows it as text instead of evaluating it. Plain numbers such as
// "-3", "+1" or "-0.5" are left alone. The ' is visible in Excel and is read
// back verbatim by CsvReader.
//
// Long digit strings (18-digit 身份证号, 学籍号, phone numbers) are written
// as plain text. Excel turns them into numbers in scientific notation and
// drops digits past the 15th if the file is simply double-clicked; users who
// need them intact should import via Data > From Text/CSV and set those
// columns to Text. (We deliberately do not write ="..." since that is itself
// a formula.)
//
// Not thread-safe.
class CsvWriter {
 public:
  CsvWriter();

  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // Appends one record.
  void WriteRow(absl::Span<const std::string> fields);

  // The CSV written so far (BOM included).
  const std::string& data() const { return out_; }

  // Returns the CSV and leaves the writer empty (without a BOM).
  std::string Release();

  // Returns `value` as it would appear as one CSV field: neutralised against
  // formula injection and quoted if needed.
  static std::string EncodeField(absl::string_view value);

 private:
  std::string out_;
};

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CSV_H_
