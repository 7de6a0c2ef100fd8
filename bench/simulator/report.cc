#include "bench/simulator/report.h"

#include <cstdio>
#include <functional>

namespace tailor::simulator {
namespace {

std::string Fixed(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

std::string Line(const std::string& name, const std::string& value, const std::string& note) {
  char text[512];
  std::snprintf(text, sizeof text, "%-30s %-10s %s", name.c_str(), value.c_str(), note.c_str());
  std::string line = text;
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

double Mean(double sum, long count) { return Ratio(sum, static_cast<double>(count)); }

double Ndcg(const SimulationStats& s) { return Mean(s.ndcg_sum, s.ndcg_searches); }
double FirstNdcg(const SimulationStats& s) {
  return Mean(s.first_session_ndcg_sum, s.first_session_ndcg_searches);
}
double LastNdcg(const SimulationStats& s) {
  return Mean(s.last_session_ndcg_sum, s.last_session_ndcg_searches);
}
double OneClickNdcg(const SimulationStats& s) {
  return Mean(s.one_click_ndcg_sum, s.one_click_ndcg_searches);
}
double OutOfSize(const SimulationStats& s) {
  return Ratio(static_cast<double>(s.known_size_misses), static_cast<double>(s.known_size_hits));
}

std::string PoolLines(const SimulationStats& stats) {
  std::string out;
  out += Line("pool_recall_at_10", Fixed(Mean(stats.pool_recall_sum, stats.pool_searches)),
              "share of the visitor's ideal top 10 in the ranked pool, over " +
                  std::to_string(stats.pool_searches) + " broad searches");
  out +=
      Line("pool_recall_at_10_own", Fixed(Mean(stats.pool_own_recall_sum, stats.pool_own_searches)),
           "the same over the " + std::to_string(stats.pool_own_searches) +
               " of them in a category of the visitor's own interests");
  out += Line("text200_recall_at_10", Fixed(Mean(stats.text_recall_sum, stats.pool_searches)),
              "the same share in the text top 200 (personalize=false)");
  out += Line("pool_size_mean", Fixed(Mean(stats.pool_size_sum, stats.pool_searches)),
              "hits ranked by the scoring layer");
  out +=
      Line("pool_served_ndcg_at_10", Fixed(Mean(stats.pool_served_ndcg_sum, stats.pool_searches)),
           "true NDCG@10 of those broad searches as ranked");
  out +=
      Line("pool_oracle_ndcg_at_10", Fixed(Mean(stats.pool_oracle_ndcg_sum, stats.pool_searches)),
           "the same pool in the truth's order: the best a reranker of it could do");
  out += Line("pool_unranked_searches", std::to_string(stats.pool_unranked),
              "broad searches whose first hit was not ranked (left out above)");
  return out;
}

// "name   cell1   cell2 ...", a column of 12 per variant.
std::string Row(const std::string& name, const std::vector<std::string>& cells) {
  char head[64];
  std::snprintf(head, sizeof head, "%-30s", name.c_str());
  std::string line = head;
  for (const std::string& cell : cells) {
    char column[64];
    std::snprintf(column, sizeof column, " %-12s", cell.c_str());
    line += column;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

struct Metric {
  std::string name;
  std::function<std::string(const SimulationStats&)> cell;
};

std::string RatioCell(double value, double reference) {
  return reference > 0 ? Fixed(value / reference) : std::string("-");
}

// The comparison's rows after the variant names; the ratio rows only with their reference.
std::vector<Metric> ComparisonMetrics(const SimulationStats* baseline,
                                      const SimulationStats* text) {
  using S = const SimulationStats&;
  std::vector<Metric> rows;
  rows.push_back({"true_ndcg_at_10", [](S s) { return Fixed(Ndcg(s)); }});
  if (baseline != nullptr) {
    rows.push_back({"ratio_vs_baseline", [=](S s) { return RatioCell(Ndcg(s), Ndcg(*baseline)); }});
  }
  if (text != nullptr) {
    rows.push_back({"ratio_vs_text", [=](S s) { return RatioCell(Ndcg(s), Ndcg(*text)); }});
  }
  rows.push_back({"purchases", [](S s) { return std::to_string(s.purchases); }});
  rows.push_back({"true_ndcg_at_10_first_session", [](S s) { return Fixed(FirstNdcg(s)); }});
  rows.push_back({"true_ndcg_at_10_last_session", [](S s) { return Fixed(LastNdcg(s)); }});
  rows.push_back({"one_click_visitors", [](S s) { return std::to_string(s.one_click_visitors); }});
  rows.push_back({"true_ndcg_at_10_one_click", [](S s) { return Fixed(OneClickNdcg(s)); }});
  if (baseline != nullptr) {
    rows.push_back({"one_click_ratio_vs_baseline",
                    [=](S s) { return RatioCell(OneClickNdcg(s), OneClickNdcg(*baseline)); }});
  }
  rows.push_back({"out_of_size_share_known_size", [](S s) { return Fixed(OutOfSize(s)); }});
  rows.push_back({"known_size_hits", [](S s) { return std::to_string(s.known_size_hits); }});
  rows.push_back(
      {"pool_recall_at_10", [](S s) { return Fixed(Mean(s.pool_recall_sum, s.pool_searches)); }});
  rows.push_back({"pool_recall_at_10_own",
                  [](S s) { return Fixed(Mean(s.pool_own_recall_sum, s.pool_own_searches)); }});
  rows.push_back({"text200_recall_at_10",
                  [](S s) { return Fixed(Mean(s.text_recall_sum, s.pool_searches)); }});
  rows.push_back(
      {"pool_size_mean", [](S s) { return Fixed(Mean(s.pool_size_sum, s.pool_searches)); }});
  rows.push_back({"pool_served_ndcg_at_10",
                  [](S s) { return Fixed(Mean(s.pool_served_ndcg_sum, s.pool_searches)); }});
  rows.push_back({"pool_oracle_ndcg_at_10",
                  [](S s) { return Fixed(Mean(s.pool_oracle_ndcg_sum, s.pool_searches)); }});
  rows.push_back({"pool_searches", [](S s) { return std::to_string(s.pool_searches); }});
  rows.push_back({"pool_own_searches", [](S s) { return std::to_string(s.pool_own_searches); }});
  rows.push_back({"searches", [](S s) { return std::to_string(s.searches); }});
  return rows;
}

}  // namespace

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

std::string FormatWorld(const World& world) {
  std::string out;
  for (const auto& [name, value] : DescribeWorld(world)) out += Line(name, value, "");
  return out;
}

std::string FormatSummary(const SimulationOptions& options, const SimulationStats& stats,
                          double elapsed_s) {
  std::string out;
  out += Line("visitors", std::to_string(options.visitors), "");
  out += Line("searches", std::to_string(stats.searches), "");
  out += Line("clicks", std::to_string(stats.clicks), "");
  out += Line("carts", std::to_string(stats.carts), "add_to_cart events");
  out += Line("purchases", std::to_string(stats.purchases), "");
  out += Line("events_accepted", std::to_string(stats.events_accepted), "sum of {\"accepted\": N}");
  out += Line("true_ndcg_at_10", Fixed(Ndcg(stats)),
              "over " + std::to_string(stats.ndcg_searches) + " searches with a relevant item");
  out += Line("true_ndcg_at_10_first_session", Fixed(FirstNdcg(stats)), "");
  out += Line("true_ndcg_at_10_last_session", Fixed(LastNdcg(stats)), "");
  out += Line("one_click_visitors", std::to_string(stats.one_click_visitors), "");
  out += Line("true_ndcg_at_10_one_click", Fixed(OneClickNdcg(stats)),
              "their measured search, over " + std::to_string(stats.one_click_ndcg_searches));
  out += Line("out_of_size_share_known_size", Fixed(OutOfSize(stats)),
              "of " + std::to_string(stats.known_size_hits) +
                  " top-10 sized hits whose size system the visitor had carted in");
  out += Line("out_of_size_above_fit", std::to_string(stats.known_size_misses_above_fit),
              "of those, ranked above a hit in the visitor's size (the size guard's promise: 0)");
  if (options.pool_recall > 0) out += PoolLines(stats);
  out += Line(
      "ctr", Fixed(Ratio(static_cast<double>(stats.clicks), static_cast<double>(stats.hits_shown))),
      "clicks per hit shown");
  out += Line("clicks_per_search",
              Fixed(Ratio(static_cast<double>(stats.clicks), static_cast<double>(stats.searches))),
              "");
  out += Line("elapsed_s", Fixed(elapsed_s), "");
  return out;
}

std::string FormatComparison(const std::vector<std::pair<std::string, SimulationStats>>& runs) {
  const SimulationStats* baseline = nullptr;
  const SimulationStats* text = nullptr;
  for (const auto& [name, stats] : runs) {
    if (name == "baseline") baseline = &stats;
    if (name == "text") text = &stats;
  }
  std::vector<std::string> names;
  for (const auto& run : runs) names.push_back(run.first);
  std::string out = Row("variant", names);
  for (const Metric& metric : ComparisonMetrics(baseline, text)) {
    std::vector<std::string> cells;
    for (const auto& run : runs) cells.push_back(metric.cell(run.second));
    out += Row(metric.name, cells);
  }
  return out;
}

}  // namespace tailor::simulator
