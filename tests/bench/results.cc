#include "tests/bench/results.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/str_format.h"

namespace baoxue::bench {

std::string MarkdownRow(const ResultRow& r) {
  const bool has_baseline = r.baseline_value > 0;
  std::string value = absl::StrFormat("%.*f", r.decimals, r.value);
  std::string baseline =
      has_baseline ? absl::StrFormat("%.*f", r.decimals, r.baseline_value)
                   : "—";
  return absl::StrFormat(
      "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.figure, value,
      r.baseline, baseline,
      has_baseline ? absl::StrFormat("%.2f", r.value / r.baseline_value) : "—",
      r.target, r.target == "—" ? "—" : (r.met ? "yes" : "**no**"), r.note);
}

void ResultTable::Set(const std::string& key, ResultRow row) {
  if (rows_.count(key) == 0) order_.push_back(key);
  rows_[key] = std::move(row);
}

bool ResultTable::AppendTo(const std::string& path) const {
  std::ofstream out(path, std::ios::app);
  for (const std::string& key : order_) out << MarkdownRow(rows_.at(key));
  return static_cast<bool>(out);
}

std::string Commas(double value) {
  std::string digits = absl::StrFormat("%.0f", value);
  bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return negative ? "-" + out : out;
}

double Percentile(std::vector<double>* v, double p) {
  if (v->empty()) return 0;
  std::sort(v->begin(), v->end());
  size_t i = static_cast<size_t>(p * (v->size() - 1) + 0.5);
  return (*v)[std::min(i, v->size() - 1)];
}

}  // namespace baoxue::bench
