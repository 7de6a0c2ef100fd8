#include "ranking/offline/replay_ratios.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace tailor::ranking {
namespace {

double Ratio(double value, double reference) { return reference > 0 ? value / reference : -1; }

}  // namespace

int FindVariant(const ReplayReport& report, const std::string& name) {
  const std::string suffix = ":" + name;
  for (size_t v = 0; v < report.variants.size(); ++v) {
    const std::string& label = report.variants[v].label;
    if (label == name) return static_cast<int>(v);
  }
  for (size_t v = 0; v < report.variants.size(); ++v) {
    const std::string& label = report.variants[v].label;
    if (label.size() > suffix.size() &&
        label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return static_cast<int>(v);
    }
  }
  return -1;
}

std::vector<ReplayRatios> RatiosAgainst(const ReplayReport& report,
                                        const std::vector<std::string>& references) {
  std::vector<ReplayRatios> all;
  for (const std::string& name : references) {
    const int index = FindVariant(report, name);
    if (index < 0) continue;
    const ReplayMetrics& reference = report.variants[index];
    ReplayRatios ratios;
    ratios.reference = reference.label;
    for (const ReplayMetrics& m : report.variants) {
      ratios.ndcg10.push_back(Ratio(m.ndcg10, reference.ndcg10));
      ratios.ndcg10_ipw.push_back(Ratio(m.ndcg10_ipw, reference.ndcg10_ipw));
      ratios.mrr10.push_back(Ratio(m.mrr10, reference.mrr10));
    }
    all.push_back(std::move(ratios));
  }
  return all;
}

std::string FormatReplayRatios(const ReplayReport& report,
                               const std::vector<ReplayRatios>& ratios) {
  if (ratios.empty()) return "";
  size_t width = 22;
  for (const ReplayRatios& r : ratios) width = std::max(width, r.reference.size() + 16);
  std::ostringstream out;
  char cell[64];
  auto name = [&](const std::string& text) {
    out << text << std::string(width - std::min(width, text.size()), ' ');
  };
  name("ratio");
  for (const ReplayMetrics& m : report.variants) {
    std::snprintf(cell, sizeof(cell), " %16s", m.label.c_str());
    out << cell;
  }
  out << "\n";
  auto row = [&](const std::string& label, const std::vector<double>& values) {
    name(label);
    for (size_t v = 0; v < report.variants.size() && v < values.size(); ++v) {
      if (values[v] < 0) {
        std::snprintf(cell, sizeof(cell), " %16s", "-");
      } else {
        std::snprintf(cell, sizeof(cell), " %15.4fx", values[v]);
      }
      out << cell;
    }
    out << "\n";
  };
  for (const ReplayRatios& r : ratios) {
    row("ndcg@10 / " + r.reference, r.ndcg10);
    row("ndcg@10 (ipw) / " + r.reference, r.ndcg10_ipw);
    row("mrr@10 / " + r.reference, r.mrr10);
  }
  return out.str();
}

}  // namespace tailor::ranking
