// What the Google Benchmark binaries share: the 100k-product benchmark index, found or
// built, and the query list of bench/perf/queries.txt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tailor::bench {

// The environment variable's value, or fallback when it is unset or empty.
std::string EnvOr(const char* name, const std::string& fallback);

// The q parameter of every /search path in the file (one per line), decoded as the server
// decodes it, empty ones included. A line that is not a valid target is skipped with a
// warning on stderr naming `tool`.
std::vector<std::string> LoadBenchQueries(const std::string& path, std::string_view tool);

// Where a benchmark's index is. TAILOR_BENCH_INDEX=DIR: the Tailor index in DIR when it holds
// one, else one built there and kept (later runs reuse it). Without it, one built in a fresh
// temporary directory (temp_dir), which the caller removes when done. A build indexes
// TAILOR_BENCH_CATALOG, else a copy of data/catalog.jsonl scaled to 100,000 products by
// bench/perf/scale_catalog.py. ok is false (the reason said on stderr) when it cannot be had.
struct BenchIndex {
  bool ok = false;
  std::string index_dir;
  std::string temp_dir;  // empty unless the index is in a temporary directory
};
BenchIndex PrepareBenchIndex(std::string_view tool);

}  // namespace tailor::bench
