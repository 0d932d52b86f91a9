// Fuzz target: reading a file a person brings to the client — charset
// detection (UTF-8, UTF-8 with a BOM, GB18030/GBK; clients/csv.h), the
// RFC 4180 reader, header matching, and the four importers of
// clients/import_files.h (students, absences, roster, calendar), plus the
// command-line argument parsers they share.
//
// Input: the raw bytes of a file. Checks besides "no crash": decoded text
// is valid UTF-8; what the writer encodes the reader reads back (up to the
// documented ' prefix against formula injection); an importer never takes
// more rows than the file has, and names each taken row's line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "baoxue/v1/school.pb.h"
#include "clients/cli_text.h"
#include "clients/csv.h"
#include "clients/import_files.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace clients = baoxue::clients;

const std::vector<clients::CsvColumnSpec>& Specs() {
  static const auto* specs = new std::vector<clients::CsvColumnSpec>{
      {"student_number", {"学籍号"}, true},
      {"name", {"姓名"}, false},
      {"id_number", {"身份证号", "身份证号码"}, false},
  };
  return *specs;
}

// Writes `records` with CsvWriter and checks the reader gives them back.
void CheckRoundTrip(const std::vector<clients::CsvRecord>& records) {
  clients::CsvWriter writer;
  std::vector<const clients::CsvRecord*> written;
  for (const clients::CsvRecord& record : records) {
    // One empty field is an empty line, which the reader skips by design.
    if (record.fields.size() == 1 && record.fields[0].empty()) continue;
    writer.WriteRow(record.fields);
    written.push_back(&record);
  }
  absl::StatusOr<std::vector<clients::CsvRecord>> back =
      clients::ParseCsv(writer.data());
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->size() == written.size());
  for (size_t i = 0; i < written.size(); ++i) {
    const std::vector<std::string>& want = written[i]->fields;
    const std::vector<std::string>& got = (*back)[i].fields;
    FUZZ_CHECK(got.size() == want.size());
    for (size_t f = 0; f < want.size(); ++f) {
      FUZZ_CHECK(got[f] == want[f] || got[f] == "'" + want[f]);
    }
  }
}


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);

  std::string encoding;
  absl::StatusOr<std::string> text = clients::DecodeToUtf8(bytes, &encoding);
  if (text.ok()) {
    FUZZ_CHECK(clients::IsValidUtf8(*text));
    FUZZ_CHECK(encoding == clients::kEncodingUtf8 ||
               encoding == clients::kEncodingUtf8Bom ||
               encoding == clients::kEncodingGb18030);
    absl::StatusOr<std::vector<clients::CsvRecord>> records =
        clients::ParseCsv(*text);
    if (records.ok()) {
      for (const clients::CsvRecord& record : *records) {
        FUZZ_CHECK(record.line >= 1);
        clients::IsBlankRecord(record);
      }
      if (!records->empty()) {
        absl::StatusOr<clients::CsvHeader> header =
            clients::CsvHeader::Create((*records)[0], Specs());
        if (header.ok()) {
          for (size_t i = 1; i < records->size(); ++i) {
            header->CheckRecord((*records)[i]).ok();
            header->Get((*records)[i], "student_number");
            header->Get((*records)[i], "no_such_column");
          }
        }
      }
      CheckRoundTrip(*records);
    }
  }
  // Whatever the bytes, the validator and the decoder agree on UTF-8.
  if (clients::IsValidUtf8(bytes) && !bytes.empty() &&
      static_cast<unsigned char>(bytes[0]) != 0xFF &&
      static_cast<unsigned char>(bytes[0]) != 0xFE) {
    FUZZ_CHECK(text.ok());
  }

  auto students = clients::ReadStudentsCsv(bytes);
  if (students.ok()) {
    FUZZ_CHECK(students->rows.size() <= static_cast<size_t>(students->data_rows));
    for (const auto& row : students->rows) FUZZ_CHECK(row.line() >= 2);
  }
  auto absences = clients::ReadAbsencesCsv(bytes);
  if (absences.ok()) {
    FUZZ_CHECK(absences->absences.size() == absences->lines.size());
    FUZZ_CHECK(absences->absences.size() <=
               static_cast<size_t>(absences->data_rows));
  }
  auto roster = clients::ReadRosterCsv(bytes);
  if (roster.ok()) {
    FUZZ_CHECK(roster->entries.size() == roster->lines.size());
    FUZZ_CHECK(roster->entries.size() <= static_cast<size_t>(roster->data_rows));
  }
  clients::ReadCalendarCsv(bytes).ok();

  // The command-line forms of the same values.
  if (text.ok()) {
    baoxue::v1::Absence absence;
    baoxue::v1::Term term;
    clients::Text error;
    clients::ParseAbsenceArg(*text, &absence, &error);
    clients::ParseTermArg(*text, &term, &error);
    int grade = 0;
    if (clients::ParseGrade(*text, &grade)) FUZZ_CHECK(grade >= 1 && grade <= 9);
  }
  return 0;
}
