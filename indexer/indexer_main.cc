// tailor-indexer: builds a Tailor index from a JSON Lines catalog, or updates the live one.
// Parses the command line, calls indexer/indexer.h, prints progress on stderr and one
// summary line on stdout; on failure prints one line with the reason and exits non-zero.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/indexer.h"

namespace {

using tailor::indexer::InvalidRecordPolicy;
using Clock = std::chrono::steady_clock;

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "Usage:\n"
    "  tailor-indexer build  --catalog FILE --index DIR [--language en|de|none] "
    "[--shards N] [--skip-invalid]\n"
    "  tailor-indexer update --catalog FILE --index DIR [--shards N] [--skip-invalid]\n"
    "  tailor-indexer --help\n"
    "\n"
    "build   indexes a whole catalog (JSON Lines, one product per line; FILE \"-\" reads\n"
    "        standard input) into a new generation in DIR and swaps it in atomically;\n"
    "        the previous index keeps serving until then, and after a failure.\n"
    "update  upserts the records of FILE into the live index of DIR; a record\n"
    "        {\"id\": \"...\", \"deleted\": true} removes that product. One commit at the end.\n"
    "\n"
    "  --catalog FILE    catalog file, or \"-\" for standard input\n"
    "  --index DIR       index directory (build creates it when missing)\n"
    "  --language LANG   stemming language of a build: en (default), de or none\n"
    "  --shards N        build: split the catalog into N databases by a hash of the id\n"
    "                    (1 .. 64, default 1), listed together in DIR/XAPIANDB; each can be\n"
    "                    served by xapian-tcpsrv (see the README). update: the count the\n"
    "                    index must have; another count is an error (rebuild to change it)\n"
    "  --skip-invalid    skip and count bad lines instead of stopping at the first one\n"
    "\n"
    "Exit status: 0 on success, 1 when the catalog or index is bad, 2 on a usage error.\n";

struct Flags {
  std::string command;
  std::map<std::string, std::string> values;  // "--catalog" -> "FILE"
  bool skip_invalid = false;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "tailor-indexer: %s (see tailor-indexer --help)\n", message.c_str());
  return kExitUsage;
}

// Parses argv into flags; returns an error message, empty on success.
std::string ParseFlags(int argc, char** argv, Flags* flags) {
  const std::vector<std::string> valued = {"--catalog", "--index", "--language", "--shards"};
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--skip-invalid") {
      flags->skip_invalid = true;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    if (std::find(valued.begin(), valued.end(), arg) == valued.end()) {
      return "unknown argument \"" + arg + "\"";
    }
    if (!has_value) {
      if (i + 1 >= argc) return arg + ": needs a value";
      value = argv[++i];
    }
    flags->values[arg] = value;
  }
  return "";
}

// Prints "indexed N records (R/s)" at most once a second.
class ProgressPrinter {
 public:
  void operator()(const tailor::indexer::Progress& progress) {
    Clock::time_point now = Clock::now();
    if (now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    std::fprintf(stderr, "indexed %ld records (%.0f/s)\n", progress.records_indexed,
                 Rate(progress.records_indexed));
  }
  double Rate(long records) const {
    double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    return seconds > 0 ? records / seconds : 0;
  }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = Clock::now();
};

void PrintSkipped(long skipped, const std::vector<std::string>& examples) {
  for (const std::string& example : examples) std::fprintf(stderr, "skipped %s\n", example.c_str());
  if (skipped > static_cast<long>(examples.size())) {
    std::fprintf(stderr, "skipped %ld more bad lines\n",
                 skipped - static_cast<long>(examples.size()));
  }
}

// The value of --shards, when given: a whole number 1 .. kMaxShards. Returns an error
// message, empty on success.
std::string ParseShards(const Flags& flags, int* shards) {
  auto it = flags.values.find("--shards");
  if (it == flags.values.end()) return "";
  const std::string& text = it->second;
  constexpr int kMaxShards = 64;  // schema::kMaxShards, which the library checks again
  const bool digits =
      !text.empty() && text.size() <= 3 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::stoi(text) < 1 || std::stoi(text) > kMaxShards) {
    return "--shards: must be a whole number from 1 to " + std::to_string(kMaxShards) + " (got \"" +
           text + "\")";
  }
  *shards = std::stoi(text);
  return "";
}

int Fail(const tailor::Error& error) {
  std::fprintf(stderr, "tailor-indexer: %s\n", error.message.c_str());
  return kExitFailure;
}

int RunBuild(const Flags& flags) {
  tailor::indexer::BuildOptions options;
  options.catalog_path = flags.values.at("--catalog");
  options.index_dir = flags.values.at("--index");
  if (auto it = flags.values.find("--language"); it != flags.values.end()) {
    tailor::Result<tailor::indexer::Language> language = tailor::indexer::ParseLanguage(it->second);
    if (!language.ok()) return UsageError("--" + language.error().message);
    options.language = *language;
  }
  if (std::string error = ParseShards(flags, &options.shards); !error.empty()) {
    return UsageError(error);
  }
  if (flags.skip_invalid) options.on_invalid = InvalidRecordPolicy::kSkip;
  ProgressPrinter printer;
  options.on_progress = std::ref(printer);
  tailor::Result<tailor::indexer::BuildStats> stats = tailor::indexer::Build(options);
  if (!stats.ok()) return Fail(stats.error());
  PrintSkipped(stats->records_skipped, stats->skipped_examples);
  const std::string shards =
      stats->shards > 1 ? " in " + std::to_string(stats->shards) + " shards" : "";
  std::printf("built %s%s: %ld records indexed, %ld skipped, in %.1f s (%.0f/s)\n",
              stats->generation.c_str(), shards.c_str(), stats->records_indexed,
              stats->records_skipped, printer.Seconds(), printer.Rate(stats->records_indexed));
  return 0;
}

int RunUpdate(const Flags& flags) {
  if (flags.values.contains("--language")) {
    return UsageError("--language: update uses the language the index was built with");
  }
  tailor::indexer::UpdateOptions options;
  options.catalog_path = flags.values.at("--catalog");
  options.index_dir = flags.values.at("--index");
  if (std::string error = ParseShards(flags, &options.shards); !error.empty()) {
    return UsageError(error);
  }
  if (flags.skip_invalid) options.on_invalid = InvalidRecordPolicy::kSkip;
  ProgressPrinter printer;
  options.on_progress = std::ref(printer);
  tailor::Result<tailor::indexer::UpdateStats> stats = tailor::indexer::Update(options);
  if (!stats.ok()) return Fail(stats.error());
  PrintSkipped(stats->records_skipped, stats->skipped_examples);
  std::printf(
      "updated: %ld upserted, %ld deleted, %ld deletes of unknown ids, %ld skipped, "
      "in %.1f s\n",
      stats->records_upserted, stats->records_deleted, stats->deletes_not_found,
      stats->records_skipped, printer.Seconds());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return UsageError("missing command: build or update");
  std::string_view command = argv[1];
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  if (command != "build" && command != "update") {
    return UsageError("unknown command \"" + std::string(command) + "\"");
  }
  Flags flags;
  flags.command = command;
  if (std::string error = ParseFlags(argc, argv, &flags); !error.empty()) {
    return UsageError(error);
  }
  for (const char* required : {"--catalog", "--index"}) {
    if (!flags.values.contains(required)) return UsageError(std::string(required) + " is required");
  }
  return command == "build" ? RunBuild(flags) : RunUpdate(flags);
}
