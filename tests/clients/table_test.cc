#include "clients/table.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "clients/csv.h"  // IsValidUtf8
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace baoxue::clients {
namespace {

std::vector<std::string> Lines(const std::string& rendered) {
  EXPECT_FALSE(rendered.empty());
  EXPECT_EQ(rendered.back(), '\n');
  std::vector<std::string> lines = absl::StrSplit(rendered, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

TEST(DisplayWidthTest, AsciiAndChinese) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("张三"), 4);
  EXPECT_EQ(DisplayWidth("张三abc"), 7);
  EXPECT_EQ(DisplayWidth("城关镇中学 (初二3班)"), 10 + 1 + 9);
  EXPECT_EQ(DisplayWidth("\xE3\x90\x80"), 2);      // U+3400 CJK Ext. A.
  EXPECT_EQ(DisplayWidth("\xF0\xA0\x80\x80"), 2);  // U+20000 CJK Ext. B.
}

TEST(DisplayWidthTest, PunctuationAndFullwidthForms) {
  EXPECT_EQ(DisplayWidth("，"), 2);            // U+FF0C fullwidth comma.
  EXPECT_EQ(DisplayWidth("。"), 2);            // U+3002.
  EXPECT_EQ(DisplayWidth("\xE3\x80\x80"), 2);  // U+3000 ideographic space.
  EXPECT_EQ(DisplayWidth("ＡＢ１"), 6);        // Fullwidth Latin and digit.
  EXPECT_EQ(DisplayWidth("￥"), 2);            // U+FFE5.
  EXPECT_EQ(DisplayWidth("ｱ"), 1);             // U+FF71 halfwidth katakana.
  EXPECT_EQ(DisplayWidth("あア한"), 6);        // Hiragana, Katakana, Hangul.
  EXPECT_EQ(DisplayWidth("…─—"), 3);           // Ambiguous: narrow.
  EXPECT_EQ(DisplayWidth("é"), 1);             // U+00E9 precomposed.
}

TEST(DisplayWidthTest, ZeroWidthAndMalformed) {
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1);  // e + U+0301 combining.
  EXPECT_EQ(DisplayWidth("a\xE2\x80\x8B"
                         "b"),
            2);  // U+200B zero width space.
  EXPECT_EQ(DisplayWidth("\xEF\xBB\xBF"
                         "a"),
            1);                            // U+FEFF.
  EXPECT_EQ(DisplayWidth("a\nb\t"), 2);    // Controls.
  EXPECT_EQ(DisplayWidth("\xFF"), 1);      // Malformed byte.
  EXPECT_EQ(DisplayWidth("\xE5\xBC"), 2);  // Truncated sequence.
}

TEST(TextTableTest, ChineseHeadersLineUp) {
  TextTable table({"姓名", "学校", "人数"});
  table.SetAlign(2, TextTable::Align::kRight);
  table.AddRow({"张三", "城关镇第一中学", "12"});
  table.AddRow({"Ann Lee", "石桥乡中心小学（教学点）", "3"});
  table.AddRow({"欧阳小明", "x", "1024"});
  const std::vector<std::string> second = {"学校", "城关镇第一中学",
                                           "石桥乡中心小学（教学点）", "x"};
  const std::vector<std::string> lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 5u);

  // Column 2 starts at the same display column on every line.
  std::vector<int> starts;
  for (size_t i = 0; i < lines.size(); ++i) {
    size_t pos;
    if (i == 1) {
      pos = lines[1].find("  ") + 2;  // Second run of '─'.
    } else {
      const size_t row = i == 0 ? 0 : i - 1;
      pos = lines[i].find(second[row]);
    }
    ASSERT_NE(pos, std::string::npos) << lines[i];
    starts.push_back(DisplayWidth(lines[i].substr(0, pos)));
  }
  EXPECT_EQ(starts[0], DisplayWidth("欧阳小明") + 2);
  for (int start : starts) EXPECT_EQ(start, starts[0]);

  // The right-aligned last column ends at the same display column.
  const int total = DisplayWidth(lines[0]);
  for (const std::string& line : lines) EXPECT_EQ(DisplayWidth(line), total);
  EXPECT_EQ(total, 8 + 2 + 24 + 2 + 4);
  EXPECT_TRUE(absl::EndsWith(lines[2], "  12")) << lines[2];
  EXPECT_TRUE(absl::EndsWith(lines[4], "1024")) << lines[4];
}

TEST(TextTableTest, UnderlineAndPadding) {
  TextTable table({"序号", "姓名"});
  table.AddRow({"1", "张三"});
  const std::vector<std::string> lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "序号  姓名");
  EXPECT_EQ(lines[1], "────  ────");
  EXPECT_EQ(lines[2], "1     张三");
}

TEST(TextTableTest, NoTrailingSpaces) {
  TextTable table({"a", "b"});
  table.AddRow({"long value", ""});
  table.AddRow({"x", "y"});
  for (const std::string& line : Lines(table.Render())) {
    ASSERT_FALSE(line.empty());
    EXPECT_NE(line.back(), ' ') << "[" << line << "]";
  }
}

TEST(TextTableTest, TruncatesWithEllipsisWithoutSplittingCharacters) {
  TextTable table({"学校"});
  table.SetMaxWidth(0, 5);
  table.AddRow({"城关镇第一中学"});
  table.AddRow({"abcdefgh"});
  table.AddRow({"ab"});
  const std::vector<std::string> lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[1], "─────");
  EXPECT_EQ(lines[2], "城关…");
  EXPECT_EQ(lines[3], "abcd…");
  EXPECT_EQ(lines[4], "ab");

  // Every limit gives valid UTF-8 no wider than the limit.
  const std::string cell = "张a三\xCC\x81李四王五abc";
  for (int max_width = 1; max_width <= DisplayWidth(cell) + 1; ++max_width) {
    TextTable t({"h"});
    t.SetMaxWidth(0, max_width);
    t.AddRow({cell});
    const std::vector<std::string> out = Lines(t.Render());
    ASSERT_EQ(out.size(), 3u);
    EXPECT_TRUE(IsValidUtf8(out[2])) << max_width;
    EXPECT_LE(DisplayWidth(out[2]), max_width) << out[2];
    if (max_width <= DisplayWidth(cell) - 1) {
      EXPECT_TRUE(absl::EndsWith(out[2], "…")) << out[2];
    } else {
      EXPECT_EQ(out[2], cell);
    }
  }
}

TEST(TextTableTest, WideCharacterThatDoesNotFitIsDropped) {
  TextTable table({"h"});
  table.SetMaxWidth(0, 4);
  table.AddRow({"城关镇"});  // Width 6; "城关" would need 4 + 1 for '…'.
  const std::vector<std::string> lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2], "城…");
}

TEST(TextTableTest, ControlCharactersAndBadBytesStayOnOneLine) {
  TextTable table({"备注", "n"});
  table.AddRow({"第一行\r\n第二行\t", "1"});
  table.AddRow({"bad\xFF", "2"});
  const std::string rendered = table.Render();
  const std::vector<std::string> lines = Lines(rendered);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(IsValidUtf8(rendered));
  EXPECT_EQ(lines[2], "第一行  第二行   1");
  EXPECT_EQ(lines[3], "bad\xEF\xBF\xBD" + std::string(13, ' ') + "2");
}

TEST(TextTableTest, RowsWiderThanHeader) {
  TextTable table({"a"});
  table.AddRow({"1", "extra"});
  table.AddRow({});
  const std::vector<std::string> lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "─  ─────");
  EXPECT_EQ(lines[2], "1  extra");
  EXPECT_EQ(lines[3], "");
}

TEST(TextTableTest, EmptyTableRendersNothing) {
  EXPECT_EQ(TextTable({}).Render(), "");
}

}  // namespace
}  // namespace baoxue::clients
