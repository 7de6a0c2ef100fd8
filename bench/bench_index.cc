#include "bench/bench_index.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "indexer/indexer.h"
#include "server/http/request.h"

namespace tailor::bench {
namespace {

namespace fs = std::filesystem;

// Builds the index in index_dir from TAILOR_BENCH_CATALOG or a scaled copy of the catalog
// written into work_dir.
bool BuildIndex(const std::string& index_dir, const std::string& work_dir, std::string_view tool) {
  std::string catalog = EnvOr("TAILOR_BENCH_CATALOG", "");
  if (catalog.empty()) {
    std::error_code error;
    fs::create_directories(work_dir, error);
    if (error) {
      std::cerr << tool << ": error: " << work_dir << ": " << error.message() << "\n";
      return false;
    }
    catalog = work_dir + "/catalog.jsonl";
    const std::string source = TAILOR_SOURCE_DIR;
    const std::string command = "python3 '" + source + "/bench/perf/scale_catalog.py' '" + source +
                                "/data/catalog.jsonl' '" + catalog + "' --min-products 100000";
    std::cerr << tool << ": scaling the catalog\n";
    if (std::system(command.c_str()) != 0) {
      std::cerr << tool << ": error: " << command << " failed\n";
      return false;
    }
  }
  indexer::BuildOptions options;
  options.catalog_path = catalog;
  options.index_dir = index_dir;
  std::cerr << tool << ": indexing " << catalog << " into " << index_dir << "\n";
  Result<indexer::BuildStats> stats = indexer::Build(options);
  if (!stats.ok()) {
    std::cerr << tool << ": error: " << stats.error().message << "\n";
    return false;
  }
  std::cerr << tool << ": indexed " << stats->records_indexed << " products\n";
  return true;
}

}  // namespace

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::vector<std::string> LoadBenchQueries(const std::string& path, std::string_view tool) {
  std::vector<std::string> queries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    Result<server::http::Target> target = server::http::ParseTarget(line);
    if (!target.ok()) {
      std::cerr << tool << ": " << path << ": skipped: " << target.error().message << "\n";
      continue;
    }
    auto q = target->query_params.find("q");
    if (q != target->query_params.end()) queries.push_back(q->second);
  }
  return queries;
}

BenchIndex PrepareBenchIndex(std::string_view tool) {
  BenchIndex index;
  index.index_dir = EnvOr("TAILOR_BENCH_INDEX", "");
  std::string work_dir = index.index_dir;
  if (index.index_dir.empty()) {
    std::string pattern =
        (fs::temp_directory_path() / ("tailor-" + std::string(tool) + ".XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << tool << ": error: cannot create a temporary directory\n";
      return index;
    }
    index.temp_dir = pattern;
    index.index_dir = pattern + "/index";
    work_dir = pattern;
  }
  index.ok = fs::exists(fs::path(index.index_dir) / "XAPIANDB") ||
             BuildIndex(index.index_dir, work_dir, tool);
  return index;
}

}  // namespace tailor::bench
