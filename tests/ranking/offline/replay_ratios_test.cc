#include "ranking/offline/replay_ratios.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace tailor::ranking {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

ReplayMetrics Figures(std::string label, double ndcg10, double ndcg10_ipw, double mrr10) {
  ReplayMetrics m;
  m.label = std::move(label);
  m.ndcg10 = ndcg10;
  m.ndcg10_ipw = ndcg10_ipw;
  m.mrr10 = mrr10;
  return m;
}

ReplayReport Report(std::vector<ReplayMetrics> variants) {
  ReplayReport report;
  report.variants = std::move(variants);
  report.changed.resize(report.variants.size());
  return report;
}

TEST(ReplayRatios, EveryVariantOverBaselineAndText) {
  const ReplayReport report =
      Report({Figures("text", 0.2, 0.1, 0.25), Figures("baseline", 0.25, 0.2, 0.5),
              Figures("default", 0.3, 0.3, 0.4), Figures("mlp", 0.5, 0.25, 0.75)});
  const std::vector<ReplayRatios> ratios = RatiosAgainst(report);
  ASSERT_EQ(ratios.size(), 2u);
  EXPECT_EQ(ratios[0].reference, "baseline");
  const std::vector<double> ndcg10 = {0.8, 1.0, 1.2, 2.0}, ipw = {0.5, 1.0, 1.5, 1.25},
                            mrr10 = {0.5, 1.0, 0.8, 1.5};
  for (size_t v = 0; v < 4; ++v) {
    EXPECT_DOUBLE_EQ(ratios[0].ndcg10[v], ndcg10[v]) << v;
    EXPECT_DOUBLE_EQ(ratios[0].ndcg10_ipw[v], ipw[v]) << v;
    EXPECT_DOUBLE_EQ(ratios[0].mrr10[v], mrr10[v]) << v;
  }
  EXPECT_EQ(ratios[1].reference, "text");
  EXPECT_DOUBLE_EQ(ratios[1].ndcg10[3], 2.5);
  EXPECT_DOUBLE_EQ(ratios[1].ndcg10_ipw[2], 3.0);
  EXPECT_DOUBLE_EQ(ratios[1].mrr10[1], 2.0);

  const std::string table = FormatReplayRatios(report, ratios);
  EXPECT_TRUE(Has(table, "ndcg@10 / baseline")) << table;
  EXPECT_TRUE(Has(table, "ndcg@10 (ipw) / baseline")) << table;
  EXPECT_TRUE(Has(table, "mrr@10 / text")) << table;
  EXPECT_TRUE(Has(table, "2.0000x")) << table;
  EXPECT_TRUE(Has(table, "1.2500x")) << table;
  // One header and six rows, each with a column per variant.
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 7);
  int cells = 0;
  for (size_t i = 1; i < table.size(); ++i) cells += table[i] == 'x' && std::isdigit(table[i - 1]);
  EXPECT_EQ(cells, 6 * 4) << table;
}

TEST(ReplayRatios, OnlyTheReferencesPresentAndNoneWithout) {
  const ReplayReport without = Report({Figures("default", 0.3, 0.3, 0.4)});
  EXPECT_TRUE(RatiosAgainst(without).empty());
  EXPECT_EQ(FormatReplayRatios(without, RatiosAgainst(without)), "");
  // Variants of several scoring files are labelled "N:name"; a zero reference has no ratio.
  const ReplayReport files =
      Report({Figures("1:default", 0.3, 0.3, 0.4), Figures("2:baseline", 0.6, 0.0, 0.8)});
  const std::vector<ReplayRatios> ratios = RatiosAgainst(files);
  ASSERT_EQ(ratios.size(), 1u);
  EXPECT_EQ(ratios[0].reference, "2:baseline");
  EXPECT_DOUBLE_EQ(ratios[0].ndcg10[0], 0.5);
  EXPECT_EQ(ratios[0].ndcg10_ipw[0], -1);
  const std::string table = FormatReplayRatios(files, ratios);
  EXPECT_TRUE(Has(table, "ndcg@10 / 2:baseline")) << table;
  EXPECT_FALSE(Has(table, "/ text")) << table;
  EXPECT_EQ(FindVariant(files, "baseline"), 1);
  EXPECT_EQ(FindVariant(files, "line"), -1);
}

}  // namespace
}  // namespace tailor::ranking
