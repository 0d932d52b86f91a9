// Plain-text tables for the command-line client, with Chinese text lined up
// in a terminal.

#ifndef BAOXUE_CLIENTS_TABLE_H_
#define BAOXUE_CLIENTS_TABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace baoxue::clients {

// Returns the number of terminal columns `utf8` occupies, like wcswidth(3)
// but independent of the locale:
//   2  East Asian Wide and Fullwidth characters: CJK Unified Ideographs and
//      extensions, CJK symbols and punctuation (U+3000..U+303E), Hiragana,
//      Katakana, Bopomofo, Hangul, fullwidth forms (U+FF01..U+FF60,
//      U+FFE0..U+FFE6), CJK compatibility forms, common emoji;
//   0  combining marks (U+0300..U+036F and similar), zero-width characters
//      (U+200B..U+200F, U+2060..U+2064, U+FEFF), variation selectors, and
//      control characters;
//   1  everything else, including East Asian Ambiguous characters such as
//      '…', '—', '○' and '─'. Each byte of malformed UTF-8 counts 1.
// Terminals that render Ambiguous characters two columns wide (some CJK
// legacy consoles) will show such text misaligned.
int DisplayWidth(absl::string_view utf8);

// Renders rows of strings as an aligned plain-text table:
//
//   姓名  学校        人数
//   ────  ──────────  ────
//   张三  城关镇中学    12
//
// Columns are padded to the widest cell's DisplayWidth and separated by two
// spaces; the header is underlined with U+2500 '─'; trailing spaces are not
// emitted; every line ends with '\n'. Control characters in cells (CR, LF,
// TAB, ...) are shown as a space and malformed UTF-8 bytes as U+FFFD, so one
// cell is always one line. A cell wider than its column's maximum width is
// cut at a character boundary and ends with '…'. Rows may have fewer or more
// cells than the header; the table is as wide as its widest row.
//
// Not thread-safe.
class TextTable {
 public:
  enum class Align { kLeft, kRight };

  explicit TextTable(std::vector<std::string> header);

  // Right-aligns (e.g. numbers) or left-aligns (the default) a column.
  void SetAlign(size_t column, Align align);

  // Cells wider than `max_width` (>= 1) columns are truncated with '…'.
  // A value <= 0 removes the limit (the default).
  void SetMaxWidth(size_t column, int max_width);

  void AddRow(std::vector<std::string> row);

  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<Align> align_;
  std::vector<int> max_width_;
};

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_TABLE_H_
