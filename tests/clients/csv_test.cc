#include "clients/csv.h"

#include <errno.h>
#include <iconv.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace baoxue::clients {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A small ledger (台账) as an operator would type it in Excel.
constexpr absl::string_view kSample =
    "序号,姓名,身份证号,学校,辍学原因\r\n"
    "1,张三,110101200801011234,城关镇中学,\"厌学，家长外出务工\"\r\n"
    "2,李四,11010120090202567X,\"石桥乡\n中心小学\",病休\r\n";

// Converts UTF-8 to `charset` with iconv, as Excel's "CSV" save would.
std::string FromUtf8(absl::string_view utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << charset;
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in, &in_left, &out_ptr, &out_left);
  EXPECT_NE(rc, static_cast<size_t>(-1)) << "errno " << errno;
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

std::vector<std::string> Fields(absl::string_view utf8) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(utf8);
  EXPECT_TRUE(records.ok()) << records.status();
  if (!records.ok() || records->size() != 1) return {"<not one record>"};
  return (*records)[0].fields;
}

// ---------------------------------------------------------------------------
// Encoding detection.

TEST(DecodeToUtf8Test, GbkUtf8AndUtf8BomVersionsDecodeToSameText) {
  const std::string utf8(kSample);
  const std::string bom = "\xEF\xBB\xBF" + utf8;
  const std::string gbk = FromUtf8(kSample, "GBK");
  ASSERT_NE(gbk, utf8);
  ASSERT_FALSE(IsValidUtf8(gbk));

  std::string detected;
  absl::StatusOr<std::string> from_utf8 = DecodeToUtf8(utf8, &detected);
  ASSERT_TRUE(from_utf8.ok()) << from_utf8.status();
  EXPECT_EQ(detected, "UTF-8");

  absl::StatusOr<std::string> from_bom = DecodeToUtf8(bom, &detected);
  ASSERT_TRUE(from_bom.ok()) << from_bom.status();
  EXPECT_EQ(detected, "UTF-8-BOM");

  absl::StatusOr<std::string> from_gbk = DecodeToUtf8(gbk, &detected);
  ASSERT_TRUE(from_gbk.ok()) << from_gbk.status();
  EXPECT_EQ(detected, "GB18030");

  EXPECT_EQ(*from_utf8, kSample);
  EXPECT_EQ(*from_bom, kSample);
  EXPECT_EQ(*from_gbk, kSample);

  // And the parsed records agree too.
  absl::StatusOr<std::vector<CsvRecord>> a = ParseCsv(*from_gbk);
  absl::StatusOr<std::vector<CsvRecord>> b = ParseCsv(*from_bom);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), 3u);
  ASSERT_EQ(b->size(), 3u);
  for (size_t i = 0; i < a->size(); ++i) {
    EXPECT_EQ((*a)[i].line, (*b)[i].line);
    EXPECT_EQ((*a)[i].fields, (*b)[i].fields);
  }
}

TEST(DecodeToUtf8Test, Gb18030FourByteCharacters) {
  // U+20000 (CJK Ext. B) and U+00E9 need GB18030's four-byte forms.
  const std::string utf8 = "\xF0\xA0\x80\x80,caf\xC3\xA9";
  const std::string gb = FromUtf8(utf8, "GB18030");
  ASSERT_NE(gb, utf8);
  std::string detected;
  absl::StatusOr<std::string> text = DecodeToUtf8(gb, &detected);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, utf8);
  EXPECT_EQ(detected, "GB18030");
}

TEST(DecodeToUtf8Test, AsciiAndEmptyAreUtf8) {
  std::string detected = "unset";
  absl::StatusOr<std::string> text = DecodeToUtf8("a,b\n", &detected);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "a,b\n");
  EXPECT_EQ(detected, "UTF-8");

  detected = "unset";
  text = DecodeToUtf8("", &detected);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "");
  EXPECT_EQ(detected, "UTF-8");

  // A null `detected` is allowed.
  EXPECT_TRUE(DecodeToUtf8("x", nullptr).ok());
}

TEST(DecodeToUtf8Test, RejectsUtf16Boms) {
  for (absl::string_view bytes : {absl::string_view("\xFF\xFE"
                                                    "a\0",
                                                    4),
                                  absl::string_view("\xFE\xFF\0a", 4)}) {
    std::string detected = "unset";
    absl::StatusOr<std::string> text = DecodeToUtf8(bytes, &detected);
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(text.status().message(), HasSubstr("UTF-16"));
    EXPECT_THAT(text.status().message(), HasSubstr("save as CSV UTF-8 or CSV"));
    EXPECT_EQ(detected, "unset");
  }
}

TEST(DecodeToUtf8Test, NeitherEncodingNamesByteOffset) {
  absl::StatusOr<std::string> text = DecodeToUtf8("abc\xFF\xFF", nullptr);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(text.status().message(),
            "neither UTF-8 nor GB18030: invalid byte 0xFF at byte offset 3");

  // A UTF-8 surrogate is not UTF-8; as GB18030, ED A0 is a character but the
  // lone 0x80 after it is not.
  text = DecodeToUtf8("\xED\xA0\x80", nullptr);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "neither UTF-8 nor GB18030: invalid byte 0x80 at byte offset 2");
}

TEST(DecodeToUtf8Test, TruncatedGbkAtEnd) {
  std::string gbk = FromUtf8("张三", "GBK");
  ASSERT_EQ(gbk.size(), 4u);
  gbk.pop_back();
  absl::StatusOr<std::string> text = DecodeToUtf8("ab" + gbk, nullptr);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "neither UTF-8 nor GB18030: truncated character at byte offset 4");
}

TEST(DecodeToUtf8Test, BomWithInvalidUtf8DoesNotFallBack) {
  const std::string bytes =
      "\xEF\xBB\xBF"
      "ab" +
      FromUtf8("张", "GBK");
  std::string detected = "unset";
  absl::StatusOr<std::string> text = DecodeToUtf8(bytes, &detected);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "invalid UTF-8 after BOM at byte offset 5");
  EXPECT_EQ(detected, "unset");
}

TEST(IsValidUtf8Test, StrictValidation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("张三"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF

  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800 surrogate.
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF surrogate.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000.
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\x80"));          // Lone continuation.
  EXPECT_FALSE(IsValidUtf8("\xE5\xBC"));      // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xE5\x41\x41"));  // Bad continuation.

  size_t offset = 99;
  EXPECT_FALSE(IsValidUtf8("ab张\xC0\xAF", &offset));
  EXPECT_EQ(offset, 5u);
}

// ---------------------------------------------------------------------------
// Parsing.

TEST(ParseCsvTest, LineEndingsAndFinalNewline) {
  for (absl::string_view text : {"a,b\nc,d", "a,b\nc,d\n", "a,b\r\nc,d\r\n",
                                 "a,b\r\nc,d", "a,b\rc,d\r"}) {
    absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
    ASSERT_TRUE(records.ok()) << records.status();
    ASSERT_EQ(records->size(), 2u) << text;
    EXPECT_THAT((*records)[0].fields, ElementsAre("a", "b"));
    EXPECT_THAT((*records)[1].fields, ElementsAre("c", "d")) << text;
    EXPECT_EQ((*records)[0].line, 1);
    EXPECT_EQ((*records)[1].line, 2);
  }
}

TEST(ParseCsvTest, QuotedFields) {
  EXPECT_THAT(Fields("\"a,b\",\"say \"\"hi\"\"\",\"\",plain"),
              ElementsAre("a,b", "say \"hi\"", "", "plain"));
  EXPECT_THAT(Fields("\"\"\"\""), ElementsAre("\""));
  EXPECT_THAT(Fields("张三,\"厌学，外出\""), ElementsAre("张三", "厌学，外出"));
}

TEST(ParseCsvTest, EmptyFields) {
  EXPECT_THAT(Fields("a,,b,"), ElementsAre("a", "", "b", ""));
  EXPECT_THAT(Fields(",\r\n"), ElementsAre("", ""));
  EXPECT_THAT(Fields(" a , b "), ElementsAre(" a ", " b "));  // Untrimmed.
}

TEST(ParseCsvTest, EmbeddedNewlinesKeepLineNumbersRight) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(
      "h1,h2\r\n"
      "\"multi\r\nline\",x\r\n"
      "\"three\nline\nvalue\",y\n"
      "last,z\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[0].line, 1);
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_THAT((*records)[1].fields, ElementsAre("multi\r\nline", "x"));
  EXPECT_EQ((*records)[2].line, 4);
  EXPECT_THAT((*records)[2].fields, ElementsAre("three\nline\nvalue", "y"));
  EXPECT_EQ((*records)[3].line, 7);
  EXPECT_THAT((*records)[3].fields, ElementsAre("last", "z"));
}

TEST(ParseCsvTest, SkipsEmptyLinesButCountsThem) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("\r\na\r\n\r\n\nb\n\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].line, 2);
  EXPECT_THAT((*records)[0].fields, ElementsAre("a"));
  EXPECT_EQ((*records)[1].line, 5);
  EXPECT_THAT((*records)[1].fields, ElementsAre("b"));

  records = ParseCsv("\n\r\n");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(ParseCsvTest, IgnoresLeadingBom) {
  EXPECT_THAT(Fields("\xEF\xBB\xBF姓名,x"), ElementsAre("姓名", "x"));
}

TEST(ParseCsvTest, UnterminatedQuoteNamesLineWhereItOpened) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("a,b\r\nc,d\r\ne,\"open\r\nmore\r\nstill open\r\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(records.status().message(), "line 3: unterminated quoted field");
}

TEST(ParseCsvTest, StrayQuoteInUnquotedField) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("a,b\n\"x\ny\",ok\nc,d\"e\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(records.status().message(),
            "line 4, field 2: stray quote in unquoted field");
}

TEST(ParseCsvTest, TextAfterClosingQuote) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv("ok\n\"a\"b,c\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().message(),
            "line 2, field 1: unexpected character after closing quote");
}

TEST(CsvReaderTest, StreamsRecordsAndErrorIsSticky) {
  CsvReader reader("a\nb\n\"c");
  CsvRecord record;
  absl::StatusOr<bool> more = reader.Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
  EXPECT_THAT(record.fields, ElementsAre("a"));
  more = reader.Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
  EXPECT_THAT(record.fields, ElementsAre("b"));
  EXPECT_EQ(record.line, 2);
  more = reader.Next(&record);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().message(), "line 3: unterminated quoted field");
  EXPECT_EQ(reader.Next(&record).status(), more.status());

  CsvReader done("x");
  ASSERT_TRUE(*done.Next(&record));
  absl::StatusOr<bool> end = done.Next(&record);
  ASSERT_TRUE(end.ok());
  EXPECT_FALSE(*end);
}

TEST(IsBlankRecordTest, WhitespaceOnlyFieldsAreBlank) {
  EXPECT_TRUE(IsBlankRecord(CsvRecord{1, {"", " ", "\xE3\x80\x80"}}));
  EXPECT_TRUE(IsBlankRecord(CsvRecord{1, {}}));
  EXPECT_FALSE(IsBlankRecord(CsvRecord{1, {"", "x", ""}}));
}

// ---------------------------------------------------------------------------
// Header mapping.

std::vector<CsvColumnSpec> LedgerSpecs() {
  return {
      {"name", {"姓名"}, true},
      {"id_number", {"身份证号", "身份证号码"}, true},
      {"school", {"学校", "就读学校"}, false},
      {"phone", {"联系电话"}, false},
  };
}

CsvRecord Header(std::vector<std::string> fields) {
  return CsvRecord{1, std::move(fields)};
}

TEST(CsvHeaderTest, ChineseAliases) {
  absl::StatusOr<CsvHeader> header = CsvHeader::Create(
      Header({" 姓名 ", "身份证号码", "\xE3\x80\x80学校"}), LedgerSpecs());
  ASSERT_TRUE(header.ok()) << header.status();
  const CsvRecord row{2, {"  张三 ", "110101200801011234", "城关镇中学\t"}};
  EXPECT_EQ(header->Get(row, "name"), "张三");
  EXPECT_EQ(header->Get(row, "id_number"), "110101200801011234");
  EXPECT_EQ(header->Get(row, "school"), "城关镇中学");
  EXPECT_TRUE(header->Has("school"));
  EXPECT_FALSE(header->Has("phone"));
  EXPECT_EQ(header->Get(row, "phone"), "");
  EXPECT_EQ(header->Get(row, "no_such_spec"), "");
}

TEST(CsvHeaderTest, EnglishNamesAreCaseInsensitive) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"ID_Number", "NAME", "Phone"}), LedgerSpecs());
  ASSERT_TRUE(header.ok()) << header.status();
  const CsvRecord row{2, {"11010120090202567X", "李四", "13800000000"}};
  EXPECT_EQ(header->Get(row, "name"), "李四");
  EXPECT_EQ(header->Get(row, "id_number"), "11010120090202567X");
  EXPECT_EQ(header->Get(row, "phone"), "13800000000");
  EXPECT_FALSE(header->Has("school"));
}

TEST(CsvHeaderTest, ShortRecordGivesEmptyField) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"姓名", "身份证号", "学校"}), LedgerSpecs());
  ASSERT_TRUE(header.ok()) << header.status();
  const CsvRecord row{5, {"王五", "110101200801011234"}};
  EXPECT_EQ(header->Get(row, "name"), "王五");
  EXPECT_EQ(header->Get(row, "school"), "");
}

TEST(CsvHeaderTest, EmptyHeaderCellsAreIgnored) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"姓名", "", "身份证号", " "}), LedgerSpecs());
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_EQ(header->Get(CsvRecord{2, {"a", "b", "c", "d"}}, "id_number"), "c");
}

TEST(CsvHeaderTest, UnknownColumnsAreListed) {
  absl::StatusOr<CsvHeader> header = CsvHeader::Create(
      Header({"姓名", "备注", "身份证号", "foo"}), LedgerSpecs());
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(header.status().message(), "line 1: unknown columns: 备注, foo");
}

TEST(CsvHeaderTest, MissingRequiredColumnsAreListed) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"学校"}), LedgerSpecs());
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(header.status().message(),
            "line 1: missing required columns: name (姓名), "
            "id_number (身份证号)");
}

TEST(CsvHeaderTest, UnknownAndMissingTogether) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"姓名", "身分证"}), LedgerSpecs());
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().message(),
            "line 1: unknown columns: 身分证; "
            "missing required columns: id_number (身份证号)");
}

TEST(CsvHeaderTest, DuplicateColumn) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"姓名", "身份证号", "name"}), LedgerSpecs());
  ASSERT_FALSE(header.ok());
  EXPECT_EQ(header.status().message(),
            "line 1: duplicate column: name (field 3)");
}

TEST(CsvHeaderTest, SpecsMustNotShareNames) {
  std::vector<CsvColumnSpec> specs = LedgerSpecs();
  specs.push_back({"guardian_name", {"姓名"}, false});
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"姓名", "身份证号"}), specs);
  ASSERT_FALSE(header.ok());
  EXPECT_THAT(header.status().message(), HasSubstr("alias 姓名 used twice"));
}

TEST(CsvHeaderTest, CheckRecordCatchesShiftedColumns) {
  absl::StatusOr<CsvHeader> header =
      CsvHeader::Create(Header({"姓名", "身份证号"}), LedgerSpecs());
  ASSERT_TRUE(header.ok()) << header.status();
  EXPECT_TRUE(header->CheckRecord(CsvRecord{2, {"a", "b"}}).ok());
  EXPECT_TRUE(header->CheckRecord(CsvRecord{3, {"a"}}).ok());
  EXPECT_TRUE(header->CheckRecord(CsvRecord{4, {"a", "b", "", " "}}).ok());
  absl::Status status = header->CheckRecord(CsvRecord{7, {"a", "b", "c"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "line 7: 3 fields but the header has 2");
}

// ---------------------------------------------------------------------------
// Writing.

TEST(CsvWriterTest, StartsWithBomAndUsesCrlf) {
  CsvWriter writer;
  EXPECT_EQ(writer.data(), "\xEF\xBB\xBF");
  writer.WriteRow({"姓名", "学校"});
  writer.WriteRow({"张三", "城关镇中学"});
  EXPECT_EQ(writer.data(), "\xEF\xBB\xBF姓名,学校\r\n张三,城关镇中学\r\n");
  std::string released = writer.Release();
  EXPECT_EQ(released.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(writer.data(), "");
}

TEST(CsvWriterTest, QuotesWhenNeeded) {
  EXPECT_EQ(CsvWriter::EncodeField("plain"), "plain");
  EXPECT_EQ(CsvWriter::EncodeField(""), "");
  EXPECT_EQ(CsvWriter::EncodeField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvWriter::EncodeField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvWriter::EncodeField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvWriter::EncodeField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvWriter::EncodeField(" lead"), "\" lead\"");
  EXPECT_EQ(CsvWriter::EncodeField("trail "), "\"trail \"");
  EXPECT_EQ(CsvWriter::EncodeField("厌学，外出"),
            "厌学，外出");  // Fullwidth comma.
}

TEST(CsvWriterTest, NeutralisesEachFormulaPrefix) {
  EXPECT_EQ(CsvWriter::EncodeField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvWriter::EncodeField("+A1"), "'+A1");
  EXPECT_EQ(CsvWriter::EncodeField("-A1"), "'-A1");
  EXPECT_EQ(CsvWriter::EncodeField("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(CsvWriter::EncodeField("\tx"), "'\tx");
  EXPECT_EQ(CsvWriter::EncodeField("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvWriter::EncodeField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvWriter::EncodeField("  =1+1"), "'  =1+1");
  EXPECT_EQ(CsvWriter::EncodeField("-"), "'-");
  EXPECT_EQ(CsvWriter::EncodeField("--1"), "'--1");
  EXPECT_EQ(CsvWriter::EncodeField("-3-1"), "'-3-1");
  EXPECT_EQ(CsvWriter::EncodeField("-1.2.3"), "'-1.2.3");
  // Not at the start: left alone.
  EXPECT_EQ(CsvWriter::EncodeField("a=b"), "a=b");
}

TEST(CsvWriterTest, NumbersAreNotAltered) {
  for (const char* number :
       {"-3", "-0.5", "+7", "12", "-.5", "0", "110101200801011234"}) {
    EXPECT_EQ(CsvWriter::EncodeField(number), number);
  }
  // 18-character ID with a check letter is plain text too.
  EXPECT_EQ(CsvWriter::EncodeField("11010120090202567X"), "11010120090202567X");
}

TEST(CsvWriterTest, RoundTripThroughReader) {
  const std::vector<std::vector<std::string>> rows = {
      {"序号", "姓名", "身份证号", "备注"},
      {"1", "张三", "110101200801011234", "家长说：\"下周返校\""},
      {"2", "李四", "11010120090202567X", "第一行\r\n第二行"},
      {"-3", " 王五 ", "", "a,b,c"},
      {"", "", "", ""},
      {"4", "lone\nLF", "x", "-0.5"},
  };
  CsvWriter writer;
  for (const auto& row : rows) writer.WriteRow(row);

  std::string detected;
  absl::StatusOr<std::string> text = DecodeToUtf8(writer.data(), &detected);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(detected, "UTF-8-BOM");
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(*text);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ((*records)[i].fields, rows[i]) << "row " << i;
  }
  EXPECT_EQ((*records)[3].line, 5);  // After the embedded CRLF.
  EXPECT_EQ((*records)[4].line, 6);
  EXPECT_EQ((*records)[5].line, 7);
}

TEST(CsvWriterTest, NeutralisedFormulaReadsBackWithQuoteMark) {
  CsvWriter writer;
  writer.WriteRow({"=cmd|' /C calc'!A0", "@x"});
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv(*DecodeToUtf8(writer.data(), nullptr));
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("'=cmd|' /C calc'!A0", "'@x"));
}

}  // namespace
}  // namespace baoxue::clients
