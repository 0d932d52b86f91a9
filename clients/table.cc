#include "clients/table.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace baoxue::clients {
namespace {

constexpr char kEllipsis[] = "\xE2\x80\xA6";        // U+2026 '…', width 1.
constexpr char kHorizontalLine[] = "\xE2\x94\x80";  // U+2500 '─', width 1.
constexpr char kReplacement[] = "\xEF\xBF\xBD";     // U+FFFD, width 1.

struct Range {
  char32_t first;
  char32_t last;
};

// Zero-width: combining marks, zero-width and format characters, variation
// selectors, Hangul medial/final jamo. Sorted.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489},   {0x0591, 0x05BD}, {0x05BF, 0x05BF},
    {0x05C1, 0x05C2}, {0x05C4, 0x05C5},   {0x05C7, 0x05C7}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0670, 0x0670},   {0x06D6, 0x06DC}, {0x06DF, 0x06E4},
    {0x06E7, 0x06E8}, {0x06EA, 0x06ED},   {0x0E31, 0x0E31}, {0x0E34, 0x0E3A},
    {0x0E47, 0x0E4E}, {0x1160, 0x11FF},   {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E},   {0x2060, 0x2064}, {0x20D0, 0x20FF},
    {0x302A, 0x302D}, {0x3099, 0x309A},   {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

// East Asian Wide (W) and Fullwidth (F). Sorted.
constexpr Range kWide[] = {
    {0x1100, 0x115F},  // Hangul Jamo initial consonants.
    {0x231A, 0x231B},
    {0x2329, 0x232A},
    {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},
    {0x25FD, 0x25FE},
    {0x2614, 0x2615},
    {0x2648, 0x2653},
    {0x267F, 0x267F},
    {0x2693, 0x2693},
    {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},
    {0x26BD, 0x26BE},
    {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},
    {0x26EA, 0x26EA},
    {0x26F2, 0x26F3},
    {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},
    {0x26FD, 0x26FD},
    {0x2705, 0x2705},
    {0x270A, 0x270B},
    {0x2728, 0x2728},
    {0x274C, 0x274C},
    {0x274E, 0x274E},
    {0x2753, 0x2755},
    {0x2757, 0x2757},
    {0x2795, 0x2797},
    {0x27B0, 0x27B0},
    {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B50},
    {0x2B55, 0x2B55},
    {0x2E80, 0x303E},  // CJK radicals, Kangxi, CJK symbols and punctuation.
    {0x3041, 0x33FF},  // Hiragana, Katakana, Bopomofo, Hangul compatibility
                       // jamo, Kanbun, enclosed CJK, CJK compatibility.
    {0x3400, 0x4DBF},  // CJK Extension A.
    {0x4DC0, 0x4DFF},  // Yijing hexagram symbols.
    {0x4E00, 0x9FFF},  // CJK Unified Ideographs.
    {0xA000, 0xA4CF},  // Yi.
    {0xA960, 0xA97F},  // Hangul Jamo Extended-A.
    {0xAC00, 0xD7A3},  // Hangul syllables.
    {0xF900, 0xFAFF},  // CJK compatibility ideographs.
    {0xFE10, 0xFE19},  // Vertical forms.
    {0xFE30, 0xFE6F},  // CJK compatibility forms, small form variants.
    {0xFF00, 0xFF60},  // Fullwidth forms.
    {0xFFE0, 0xFFE6},  // Fullwidth signs.
    {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF},  // Tangut, Khitan.
    {0x1B000, 0x1B2FF},  // Kana supplement, Nushu.
    {0x1F004, 0x1F004},
    {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A},
    {0x1F200, 0x1F251},  // Enclosed ideographic.
    {0x1F300, 0x1F64F},  // Pictographs, emoticons.
    {0x1F680, 0x1F6FF},  // Transport and map.
    {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F9FF},
    {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD},  // CJK Extensions B..F, compatibility supplement.
    {0x30000, 0x3FFFD},  // CJK Extensions G, H.
};

template <size_t N>
bool InRanges(char32_t cp, const Range (&ranges)[N]) {
  const Range* it = std::upper_bound(
      ranges, ranges + N, cp,
      [](char32_t value, const Range& r) { return value < r.first; });
  return it != ranges && cp <= (it - 1)->last;
}

int CodePointWidth(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;  // Controls.
  if (cp < 0x300) return 1;                              // Fast path.
  if (InRanges(cp, kZeroWidth)) return 0;
  if (InRanges(cp, kWide)) return 2;
  return 1;
}

// Decodes the UTF-8 sequence at s[pos]. Sets *len to its length in bytes and
// returns the code point, or sets *len to 1 and returns -1 for a malformed
// byte (validation as in Unicode Table 3-7).
int32_t DecodeAt(absl::string_view s, size_t pos, size_t* len) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = byte(pos);
  *len = 1;
  if (c < 0x80) return c;
  size_t n;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return -1;
  }
  if (pos + n > s.size()) return -1;
  for (size_t k = 1; k < n; ++k) {
    const unsigned char b = byte(pos + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  *len = n;
  return static_cast<int32_t>(cp);
}

// Makes a cell printable on one line: control characters become a space and
// malformed bytes become U+FFFD.
std::string Sanitize(absl::string_view cell) {
  std::string out;
  out.reserve(cell.size());
  for (size_t pos = 0; pos < cell.size();) {
    size_t len;
    const int32_t cp = DecodeAt(cell, pos, &len);
    if (cp < 0) {
      out.append(kReplacement);
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) {
      out.push_back(' ');
    } else {
      out.append(cell.data() + pos, len);
    }
    pos += len;
  }
  return out;
}

// Cuts a sanitized cell to at most `max_width` columns, ending with '…' if
// anything was cut.
std::string Truncate(const std::string& cell, int max_width) {
  if (max_width <= 0 || DisplayWidth(cell) <= max_width) return cell;
  const int budget = max_width - 1;  // Leave room for the ellipsis.
  int width = 0;
  size_t pos = 0;
  while (pos < cell.size()) {
    size_t len;
    const int32_t cp = DecodeAt(cell, pos, &len);
    const int w = cp < 0 ? 1 : CodePointWidth(static_cast<char32_t>(cp));
    if (width + w > budget) break;
    width += w;
    pos += len;
  }
  return cell.substr(0, pos) + kEllipsis;
}

}  // namespace

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  for (size_t pos = 0; pos < utf8.size();) {
    size_t len;
    const int32_t cp = DecodeAt(utf8, pos, &len);
    width += cp < 0 ? 1 : CodePointWidth(static_cast<char32_t>(cp));
    pos += len;
  }
  return width;
}

TextTable::TextTable(std::vector<std::string> header)
    : header_(std::move(header)) {}

void TextTable::SetAlign(size_t column, Align align) {
  if (align_.size() <= column) align_.resize(column + 1, Align::kLeft);
  align_[column] = align;
}

void TextTable::SetMaxWidth(size_t column, int max_width) {
  if (max_width_.size() <= column) max_width_.resize(column + 1, 0);
  max_width_[column] = max_width;
}

void TextTable::AddRow(std::vector<std::string> row) {
  rows_.push_back(std::move(row));
}

std::string TextTable::Render() const {
  size_t num_columns = header_.size();
  for (const auto& row : rows_) num_columns = std::max(num_columns, row.size());
  if (num_columns == 0) return "";

  // Prepared cells: header first, then rows, each padded to num_columns.
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows_.size() + 1);
  auto prepare = [&](const std::vector<std::string>& row) {
    std::vector<std::string> out(num_columns);
    for (size_t c = 0; c < row.size(); ++c) {
      const int max_width = c < max_width_.size() ? max_width_[c] : 0;
      out[c] = Truncate(Sanitize(row[c]), max_width);
    }
    cells.push_back(std::move(out));
  };
  prepare(header_);
  for (const auto& row : rows_) prepare(row);

  std::vector<int> widths(num_columns, 0);
  for (const auto& row : cells) {
    for (size_t c = 0; c < num_columns; ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }

  std::string out;
  auto emit_line = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t c = 0; c < num_columns; ++c) {
      if (c > 0) line.append("  ");
      const int pad = widths[c] - DisplayWidth(row[c]);
      const bool right = c < align_.size() && align_[c] == Align::kRight;
      if (right) line.append(pad, ' ');
      line.append(row[c]);
      if (!right) line.append(pad, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.append(line);
    out.push_back('\n');
  };

  emit_line(cells[0]);
  std::string underline;
  for (size_t c = 0; c < num_columns; ++c) {
    if (c > 0) underline.append("  ");
    for (int i = 0; i < widths[c]; ++i) underline.append(kHorizontalLine);
  }
  while (!underline.empty() && underline.back() == ' ') underline.pop_back();
  out.append(underline);
  out.push_back('\n');
  for (size_t r = 1; r < cells.size(); ++r) emit_line(cells[r]);
  return out;
}

}  // namespace baoxue::clients
