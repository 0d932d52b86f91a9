// The results table every benchmark program of issue 8 contributes to
// tests/bench/RESULTS.md: one Markdown row per figure, with the baseline
// measured in the same run, their ratio, the target and whether it was met.
// deploy/bench.sh writes the header (its columns are the fields below)
// and concatenates the programs' rows.
//
// Not thread-safe: a ResultTable belongs to the thread that reports.
#ifndef BAOXUE_TESTS_BENCH_RESULTS_H_
#define BAOXUE_TESTS_BENCH_RESULTS_H_

#include <map>
#include <string>
#include <vector>

namespace baoxue::bench {

struct ResultRow {
  std::string figure;    // What was measured, with its unit.
  double value = 0;
  std::string baseline;  // What the baseline is.
  double baseline_value = 0;  // 0: no baseline (the ratio shows "—").
  // The ratio value / baseline_value is printed unless told otherwise
  // (e.g. for a figure where lower is better the figure text says so).
  std::string target;  // "—" for none.
  bool met = false;
  std::string note;  // Latency, keys read, and the like.
  // Decimals shown of value and baseline_value.
  int decimals = 0;
};

std::string MarkdownRow(const ResultRow& row);

// Rows by key, in the order first set; a later Set with the same key (a
// repetition) replaces the row.
class ResultTable {
 public:
  void Set(const std::string& key, ResultRow row);
  // Appends the rows (no header) to the file at `path`.
  bool AppendTo(const std::string& path) const;

 private:
  std::map<std::string, ResultRow> rows_;
  std::vector<std::string> order_;
};

// 1234567 -> "1,234,567" (rounded to a whole number).
std::string Commas(double value);

// The p-quantile (0..1) of `values`, nearest rank; sorts them. 0 if empty.
double Percentile(std::vector<double>* values, double p);

}  // namespace baoxue::bench

#endif  // BAOXUE_TESTS_BENCH_RESULTS_H_
