// What tailor-simulate prints: the world a run was measured in, one variant's summary, and
// several variants side by side. Each is text with one metric per line, a name first, so a
// report can quote lines and a script can grep them.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bench/simulator/simulation.h"
#include "bench/simulator/world.h"

namespace tailor::simulator {

// "world.first_brand            1.500" ..., one line per DescribeWorld parameter.
std::string FormatWorld(const World& world);

// One variant's run: counts, true NDCG@10 (all, first and last sessions, one-click
// visitors), the out-of-size share of sized top-10 hits, the pool recall when measured.
std::string FormatSummary(const SimulationOptions& options, const SimulationStats& stats,
                          double elapsed_s);

// Variants (name, stats) of one run side by side, a column each: true NDCG@10 and its
// ratios against the variants named "baseline" and "text" when they are among them,
// purchases, first/last-session and one-click NDCG, out-of-size share, pool recall.
std::string FormatComparison(const std::vector<std::pair<std::string, SimulationStats>>& runs);

// numerator / denominator, 0 when the denominator is not positive.
double Ratio(double numerator, double denominator);

}  // namespace tailor::simulator
