// tailor-relevance: the text relevance benchmark on Home Depot's human judgments. Indexes
// the judged product titles with Tailor and with a plain Xapian BM25 setup, runs the
// queries of one half and prints NDCG@10, judged coverage and timings for both.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "bench/relevance/evaluate.h"
#include "bench/relevance/judgments.h"
#include "bench/relevance/plain_bm25.h"
#include "bench/relevance/tailor_system.h"
#include "searcher/internal/text_model.h"

namespace fs = std::filesystem;
using namespace tailor;
using namespace tailor::bench;

namespace {

constexpr const char* kJudgmentsRelative = "shared/data/homedepot-search-relevance/train.csv";

constexpr const char* kUsage = R"(usage: tailor-relevance [flags]

Text relevance benchmark on the Home Depot search relevance judgments: indexes the judged
product titles with Tailor and with plain Xapian BM25, runs the queries of one half and
prints NDCG@10 and judged coverage for both. Only the dev half is for tuning.

  --judgments FILE          train.csv (Windows-1252); default: ../shared/data/
                            homedepot-search-relevance/train.csv above the working
                            directory or the executable
  --half dev|test           query half to run (default dev; test is for the final
                            measurement only, never for tuning)
  --depth N                 results asked of each system per query (default 100)
  --searcher-options JSON   "searcher" options object for Tailor, e.g. '{"max_limit": 200}'
  --plain-options JSON      also run a variant of the plain setup, e.g.
                            '{"op": "and_fill_or", "k1": 1.2, "b": 0.75, "stemming": "some",
                            "partial_last": false, "spelling": false}'
  --no-tailor               skip the Tailor side
  --no-plain                skip the plain BM25 reference (faster runs while tuning)
  --per-query FILE          write per-query NDCG@10 of every system as TSV
  --rankings FILE           write Tailor's ranking of every query as TSV (query, then
                            the product ids best first), for offline analysis
  --text-features FILE      write the text model's features of Tailor's top N (default
                            300) for every query of the half as TSV (query, product id,
                            the features named in the header), for scripts/train-text-model;
                            run it without a text_model in --searcher-options
  --text-features-depth N   that N (10..10000)
  --keep-work-dir           keep the temporary indexes and print where they are
  --help                    this text
)";

struct Flags {
  std::string judgments;
  Half half = Half::kDev;
  int depth = 100;
  std::string searcher_options;
  std::optional<PlainOptions> plain_variant;
  bool run_tailor = true;
  bool run_plain = true;
  std::string per_query_path;
  std::string rankings_path;
  std::string text_features_path;
  int text_features_depth = 300;
  bool keep_work_dir = false;
};

// A flag error or --help; `help` asks for the usage text and exit 0.
struct FlagsOutcome {
  std::optional<Flags> flags;
  std::string error;
  bool help = false;
};

std::optional<std::string> FindJudgments(const char* argv0) {
  std::vector<fs::path> starts = {fs::current_path()};
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  if (!ec) starts.push_back(exe.parent_path());
  for (const fs::path& start : starts) {
    for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
      if (fs::exists(dir / kJudgmentsRelative, ec)) return (dir / kJudgmentsRelative).string();
      if (dir == dir.parent_path()) break;
    }
  }
  return std::nullopt;
}

// A depth flag's value, 10..10000, into depth; the error names the flag.
std::optional<std::string> ParseDepth(const std::string& name, const std::string& value,
                                      int& depth) {
  char* end = nullptr;
  long parsed = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || parsed < 10 || parsed > 10000) {
    return name + ": expected an integer in 10..10000, got \"" + value + "\"";
  }
  depth = static_cast<int>(parsed);
  return std::nullopt;
}

std::optional<std::string> ApplyFlag(const std::string& name, const std::string& value,
                                     Flags& flags) {
  if (name == "--judgments") {
    flags.judgments = value;
  } else if (name == "--half") {
    Result<Half> half = ParseHalf(value);
    if (!half.ok()) return half.error().message;
    flags.half = *half;
  } else if (name == "--depth") {
    return ParseDepth(name, value, flags.depth);
  } else if (name == "--searcher-options") {
    flags.searcher_options = value;
  } else if (name == "--plain-options") {
    Result<PlainOptions> options = ParsePlainOptions(value);
    if (!options.ok()) return options.error().message;
    flags.plain_variant = *options;
  } else if (name == "--per-query") {
    flags.per_query_path = value;
  } else if (name == "--rankings") {
    flags.rankings_path = value;
  } else if (name == "--text-features") {
    flags.text_features_path = value;
  } else if (name == "--text-features-depth") {
    return ParseDepth(name, value, flags.text_features_depth);
  } else {
    return "unknown flag " + name + " (see --help)";
  }
  return std::nullopt;
}

FlagsOutcome ParseFlags(int argc, char** argv) {
  FlagsOutcome outcome;
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    if (name == "--help" || name == "-h") return {std::nullopt, "", true};
    if (name == "--no-tailor") {
      flags.run_tailor = false;
      continue;
    }
    if (name == "--no-plain") {
      flags.run_plain = false;
      continue;
    }
    if (name == "--keep-work-dir") {
      flags.keep_work_dir = true;
      continue;
    }
    bool known = name == "--judgments" || name == "--half" || name == "--depth" ||
                 name == "--searcher-options" || name == "--plain-options" ||
                 name == "--per-query" || name == "--rankings" || name == "--text-features" ||
                 name == "--text-features-depth";
    if (!known) return {std::nullopt, "unknown argument " + name + " (see --help)", false};
    if (i + 1 >= argc) return {std::nullopt, name + ": missing value", false};
    std::optional<std::string> error = ApplyFlag(name, argv[++i], flags);
    if (error) return {std::nullopt, *error, false};
  }
  if (flags.judgments.empty()) {
    std::optional<std::string> found = FindJudgments(argv[0]);
    if (!found) return {std::nullopt, std::string("--judgments: not given and ../") +
                                          kJudgmentsRelative + " not found", false};
    flags.judgments = *found;
  }
  outcome.flags = flags;
  return outcome;
}

}  // namespace

namespace {

struct SystemResult {
  std::string name;
  double index_seconds = 0;
  double query_seconds = 0;
  EvalSummary summary;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Result<SystemResult> Score(SystemResult result, const std::vector<QueryJudgments>& queries,
                           const RankFunction& rank, int depth) {
  EvalOptions options;
  options.depth = depth;
  options.on_progress = [&](long done) {
    std::cerr << "\r  " << result.name << ": " << done << "/" << queries.size() << " queries"
              << std::flush;
  };
  auto start = std::chrono::steady_clock::now();
  Result<EvalSummary> summary = Evaluate(queries, rank, options);
  std::cerr << '\n';
  if (!summary.ok()) return summary.error().WithPrefix(result.name);
  result.query_seconds = SecondsSince(start);
  result.summary = std::move(*summary);
  return result;
}

Result<SystemResult> RunPlain(const std::string& name, const JudgmentSet& set,
                              const std::vector<QueryJudgments>& queries, const fs::path& dir,
                              const PlainOptions& options, int depth) {
  std::cerr << "indexing " << set.products.size() << " titles for " << name << '\n';
  auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<PlainBm25>> plain = PlainBm25::Build(set.products, dir.string(), options);
  if (!plain.ok()) return plain.error().WithPrefix(name);
  SystemResult result{name, SecondsSince(start), 0, {}};
  const PlainBm25& system = **plain;
  return Score(std::move(result), queries,
               [&system](const std::string& q, int d) { return system.Rank(q, d); }, depth);
}

// The text model's features of every query's top candidates (--text-features).
Status WriteTextFeatures(const TailorSystem& system, const std::vector<QueryJudgments>& queries,
                         const Flags& flags) {
  std::ofstream out(flags.text_features_path);
  if (!out) return Error::Unavailable(flags.text_features_path + ": cannot create");
  out << "query\tid";
  for (const std::string& name : searcher::internal::TextFeatureNames()) out << '\t' << name;
  out << '\n';
  for (const QueryJudgments& q : queries) {
    Result<std::vector<TailorSystem::FeatureRow>> rows =
        system.TextFeatures(q.query, flags.text_features_depth);
    if (!rows.ok()) return rows.error().WithPrefix("query \"" + q.query + "\"");
    for (const TailorSystem::FeatureRow& row : *rows) {
      out << q.query << '\t' << row.id;
      for (float value : row.features) out << '\t' << value;
      out << '\n';
    }
  }
  out.close();
  if (!out) return Error::Unavailable(flags.text_features_path + ": cannot write");
  return Status::Ok();
}

Result<SystemResult> RunTailor(const JudgmentSet& set, const std::vector<QueryJudgments>& queries,
                               const fs::path& dir, const Flags& flags) {
  std::cerr << "indexing " << set.products.size() << " titles for tailor\n";
  fs::create_directories(dir);
  auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<TailorSystem>> tailor =
      TailorSystem::Build(set.products, dir.string(), flags.searcher_options);
  if (!tailor.ok()) return tailor.error().WithPrefix("tailor");
  SystemResult result{"tailor", SecondsSince(start), 0, {}};
  const TailorSystem& system = **tailor;
  if (!flags.text_features_path.empty()) {
    if (Status written = WriteTextFeatures(system, queries, flags); !written.ok()) {
      return written.error();
    }
  }
  std::ofstream rankings;
  if (!flags.rankings_path.empty()) {
    rankings.open(flags.rankings_path);
    if (!rankings) return Error::Unavailable(flags.rankings_path + ": cannot create");
  }
  return Score(
      std::move(result), queries,
      [&](const std::string& q, int d) {
        Result<std::vector<std::string>> ranked = system.Rank(q, d);
        if (ranked.ok() && rankings.is_open()) {
          rankings << q;
          for (const std::string& id : *ranked) rankings << '\t' << id;
          rankings << '\n';
        }
        return ranked;
      },
      flags.depth);
}

std::string Fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

void PrintReport(const Flags& flags, const std::vector<QueryJudgments>& queries,
                 const std::vector<SystemResult>& results) {
  long zero = results.empty() ? 0 : results[0].summary.zero_gain_queries;
  std::cout << (flags.half == Half::kDev ? "dev" : "test") << " half: " << queries.size()
            << " queries (" << zero << " with all-zero gains left out)\n";
  std::string coverage = "coverage@" + std::to_string(flags.depth);
  std::printf("%-16s %-9s %-13s %-13s %-9s %s\n", "", "NDCG@10", coverage.c_str(),
              "mean results", "index s", "queries s");
  for (const SystemResult& r : results) {
    std::printf("%-16s %-9s %-13s %-13s %-9s %s\n", r.name.c_str(),
                Fixed(r.summary.mean_ndcg, 4).c_str(), Fixed(r.summary.coverage, 4).c_str(),
                Fixed(r.summary.mean_results, 1).c_str(), Fixed(r.index_seconds, 1).c_str(),
                Fixed(r.query_seconds, 1).c_str());
  }
  if (flags.searcher_options.size() > 0) std::cout << "searcher options: " << flags.searcher_options << '\n';
  if (flags.plain_variant) std::cout << "plain variant: " << Describe(*flags.plain_variant) << '\n';
}

Status WritePerQuery(const std::string& path, const std::vector<QueryJudgments>& queries,
                     const std::vector<SystemResult>& results) {
  std::ofstream out(path);
  if (!out) return Error::Unavailable(path + ": cannot create");
  out << "query\tjudged";
  for (const SystemResult& r : results) out << '\t' << r.name;
  out << '\n';
  for (size_t i = 0; i < queries.size(); ++i) {
    out << queries[i].query << '\t' << queries[i].products.size();
    for (const SystemResult& r : results) out << '\t' << Fixed(r.summary.per_query[i].ndcg, 4);
    out << '\n';
  }
  out.close();
  if (!out) return Error::Unavailable(path + ": cannot write");
  return Status::Ok();
}

Result<fs::path> MakeWorkDir() {
  std::string pattern = (fs::temp_directory_path() / "tailor-relevance-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return Error::Unavailable(pattern + ": mkdtemp failed");
  return fs::path(pattern);
}

Result<std::vector<SystemResult>> RunAll(const Flags& flags, const JudgmentSet& set,
                                         const std::vector<QueryJudgments>& queries,
                                         const fs::path& work_dir) {
  std::vector<SystemResult> results;
  if (flags.run_tailor) {
    Result<SystemResult> tailor = RunTailor(set, queries, work_dir / "tailor", flags);
    if (!tailor.ok()) return tailor.error();
    results.push_back(std::move(*tailor));
  }
  if (flags.run_plain) {
    Result<SystemResult> plain =
        RunPlain("plain BM25", set, queries, work_dir / "plain", PlainOptions(), flags.depth);
    if (!plain.ok()) return plain.error();
    results.push_back(std::move(*plain));
  }
  if (flags.plain_variant) {
    Result<SystemResult> variant = RunPlain("plain variant", set, queries,
                                            work_dir / "variant", *flags.plain_variant, flags.depth);
    if (!variant.ok()) return variant.error();
    results.push_back(std::move(*variant));
  }
  return results;
}

int Fail(const std::string& message) {
  std::cerr << "tailor-relevance: " << message << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  FlagsOutcome parsed = ParseFlags(argc, argv);
  if (parsed.help) {
    std::cout << kUsage;
    return 0;
  }
  if (!parsed.flags) return Fail(parsed.error);
  const Flags& flags = *parsed.flags;
  std::cerr << "reading " << flags.judgments << '\n';
  Result<JudgmentSet> set = LoadJudgments(flags.judgments);
  if (!set.ok()) return Fail(set.error().message);
  std::vector<QueryJudgments> queries = QueriesOfHalf(*set, flags.half);
  std::cerr << set->rows << " judgments, " << set->products.size() << " products, "
            << set->queries.size() << " queries; " << queries.size() << " in this half\n";
  Result<fs::path> work_dir = MakeWorkDir();
  if (!work_dir.ok()) return Fail(work_dir.error().message);
  Result<std::vector<SystemResult>> results = RunAll(flags, *set, queries, *work_dir);
  std::error_code ec;
  if (flags.keep_work_dir) {
    std::cerr << "work dir kept: " << work_dir->string() << '\n';
  } else {
    fs::remove_all(*work_dir, ec);
  }
  if (!results.ok()) return Fail(results.error().message);
  PrintReport(flags, queries, *results);
  if (!flags.per_query_path.empty()) {
    Status written = WritePerQuery(flags.per_query_path, queries, *results);
    if (!written.ok()) return Fail(written.error().message);
  }
  return 0;
}
