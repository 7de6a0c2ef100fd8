// tailor-simulate: simulated shoppers searching, clicking, carting and buying on a running
// tailor-server over HTTP (bench/simulator/simulation.h), with the true NDCG of every page.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/simulator/catalog_model.h"
#include "bench/simulator/report.h"
#include "bench/simulator/simulation.h"
#include "bench/simulator/world.h"
#include "tools/flags.h"
#include "tools/http_client.h"

namespace {

using tailor::Error;
using tailor::Result;
using tailor::simulator::SimulationOptions;
using tailor::simulator::SimulationStats;

constexpr std::string_view kUsage =
    R"(Usage: tailor-simulate [--server HOST:PORT] [--catalog FILE] [--visitors N] [--world N]
                       [--seed N] [--variant NAME | --variants A,B,...] [--visitor-prefix STR]
                       [--sessions N] [--searches N] [--eta X] [--pool-recall N]
                       [--threads N] [--limit N]
Simulated shoppers with hidden preferences search a running tailor-server (GET /search) and
post what they view, click, put into the cart and buy (POST /events, with the search's
request_id and the hit's position). Prints the world's parameters, then one line per metric
on stdout, among them the mean true NDCG@10 of the served pages against the shoppers'
hidden relevance.

The shoppers live in a world drawn by --world: brand loyalty (weight and number of
favourites), colour weight, price taste (relative to the top category or absolute in the
item's own category, its weight and the sensitivity effect), re-visits (extra utility for
items viewed before), parents shopping a kids' size system, the click model (position-based
with eta, or cascade with a stop probability after a click), sessions per visitor and
searches per session (drawn per visitor within ranges), and a share of one-click visitors
(one click of history, then one measured search). World 0 is the fixed world of old:
brand +1.5/+1.0, colour +0.6, relative prices, position-based eta 1, 5 sessions x 3 searches,
no re-visits, no one-click visitors.

  --server HOST:PORT    the server (default 127.0.0.1:8080)
  --catalog FILE        the catalog the server's index was built from (default
                        data/catalog.jsonl)
  --visitors N          visitors to simulate (default 100)
  --world N             the world seed; 0 is the fixed world above (default 0)
  --seed N              seeds preferences and behaviour within the world (default 1)
  --variant NAME        ranking variant asked for with every search (default: none)
  --variants A,B,...    run the same shoppers (same world and seed) under each variant in
                        turn, visitor ids STR + VARIANT + "-" + six digits, and print them
                        side by side with ratios against "baseline" and "text" when named
  --visitor-prefix STR  visitor ids are STR + six digits (default "sim-"); the same seed
                        with two prefixes gives the same shoppers under distinct ids
  --sessions N          sessions per visitor, for every visitor (default: the world's)
  --searches N          searches per session, for every visitor (default: the world's)
  --eta X               position bias of the position-based click model: position p (from
                        0) is examined with probability (1/(p+1))^X (default: the world's)
  --pool-recall N       after their sessions, N broad searches (intent matching more than
                        500 items) in all, shared out over the visitors, measure the share
                        of the visitor's ideal top 10 in the server's ranked pool and in the
                        text top 200 (default 0: not measured)
  --threads N           client threads, one keep-alive connection each (default 2)
  --limit N             hits asked for per search (default 10)
  --help                this text
)";

using Flags = tailor::ToolFlags;

constexpr std::string_view kFlags[] = {
    "--server", "--catalog", "--visitors", "--sessions",       "--searches",
    "--seed",   "--variant", "--variants", "--visitor-prefix", "--eta",
    "--world",  "--threads", "--limit",    "--pool-recall"};

Result<Flags> ParseFlags(int argc, char** argv) {
  return tailor::ParseToolFlags(argc, argv, kFlags, tailor::CommandWord::kNone);
}

// Reads an integer flag in [lo, hi] into *out when it is given.
std::optional<Error> ReadInt(const Flags& flags, const std::string& name, long long lo,
                             long long hi, long long* out) {
  auto it = flags.values.find(name);
  if (it == flags.values.end()) return std::nullopt;
  try {
    size_t end = 0;
    long long value = std::stoll(it->second, &end);
    if (end != it->second.size() || value < lo || value > hi) throw std::out_of_range("");
    *out = value;
    return std::nullopt;
  } catch (const std::exception&) {
    return Error::InvalidArgument(name + ": must be an integer in " + std::to_string(lo) + ".." +
                                  std::to_string(hi));
  }
}

std::optional<Error> ReadEta(const Flags& flags, tailor::simulator::World& world) {
  auto it = flags.values.find("--eta");
  if (it == flags.values.end()) return std::nullopt;
  try {
    size_t end = 0;
    const double eta = std::stod(it->second, &end);
    if (end != it->second.size() || !(eta >= 0 && eta <= 10)) throw std::out_of_range("");
    world.eta = eta;
    return std::nullopt;
  } catch (const std::exception&) {
    return Error::InvalidArgument("--eta: must be a number in 0..10");
  }
}

// The world of --world, with --sessions, --searches and --eta laid over it.
Result<tailor::simulator::World> BuildWorld(const Flags& flags) {
  long long world_seed = 0, sessions = -1, searches = -1;
  constexpr long long kMaxSeed = std::numeric_limits<long long>::max();
  for (auto [name, lo, hi, out] : {std::tuple<const char*, long long, long long, long long*>{
                                       "--world", 0, kMaxSeed, &world_seed},
                                   {"--sessions", 1, 10000, &sessions},
                                   {"--searches", 1, 10000, &searches}}) {
    if (std::optional<Error> error = ReadInt(flags, name, lo, hi, out)) return *error;
  }
  tailor::simulator::World world = tailor::simulator::DrawWorld(static_cast<uint64_t>(world_seed));
  if (sessions > 0) world.min_sessions = world.max_sessions = static_cast<int>(sessions);
  if (searches > 0) world.min_searches = world.max_searches = static_cast<int>(searches);
  if (std::optional<Error> error = ReadEta(flags, world)) return *error;
  return world;
}

Result<SimulationOptions> BuildOptions(const Flags& flags) {
  SimulationOptions options;
  long long visitors = options.visitors, threads = options.threads, limit = options.limit,
            pool_recall = options.pool_recall;
  long long seed = static_cast<long long>(options.seed);
  for (auto [name, lo, hi, out] : {std::tuple<const char*, long long, long long, long long*>{
                                       "--visitors", 0, 10000000, &visitors},
                                   {"--threads", 1, 256, &threads},
                                   {"--limit", 1, 100, &limit},
                                   {"--pool-recall", 0, 10000000, &pool_recall},
                                   {"--seed", 0, std::numeric_limits<long long>::max(), &seed}}) {
    if (std::optional<Error> error = ReadInt(flags, name, lo, hi, out)) return *error;
  }
  Result<tailor::simulator::World> world = BuildWorld(flags);
  if (!world.ok()) return world.error();
  options.world = *world;
  options.visitors = static_cast<int>(visitors);
  options.threads = static_cast<int>(threads);
  options.limit = static_cast<int>(limit);
  options.pool_recall = static_cast<int>(pool_recall);
  options.seed = static_cast<uint64_t>(seed);
  if (auto it = flags.values.find("--variant"); it != flags.values.end()) {
    options.variant = it->second;
  }
  if (auto it = flags.values.find("--visitor-prefix"); it != flags.values.end()) {
    options.visitor_prefix = it->second;
  }
  return options;
}

// --variants "a,b": the names, in order. Errors: an empty name or a repeated one.
Result<std::vector<std::string>> ParseVariants(const Flags& flags) {
  auto it = flags.values.find("--variants");
  if (it == flags.values.end()) return std::vector<std::string>{};
  if (flags.values.count("--variant") > 0) {
    return Error::InvalidArgument("--variants: not with --variant");
  }
  std::vector<std::string> names;
  std::string_view rest = it->second;
  while (true) {
    const size_t comma = rest.find(',');
    std::string name(rest.substr(0, comma));
    if (name.empty()) return Error::InvalidArgument("--variants: empty variant name");
    for (const std::string& seen : names) {
      if (seen == name) return Error::InvalidArgument("--variants: \"" + name + "\" twice");
    }
    names.push_back(std::move(name));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return names;
}

int Fail(const Error& error) {
  std::cerr << "tailor-simulate: " << error.message << std::endl;
  return 1;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One variant's run with progress on stderr every tenth of the visitors.
Result<SimulationStats> RunOne(const tailor::simulator::Catalog& catalog,
                               const SimulationOptions& options,
                               const tailor::HostPort& server) {
  std::cerr << "tailor-simulate: variant "
            << (options.variant.empty() ? "(default)" : options.variant) << ", " << options.visitors
            << " visitors as " << options.visitor_prefix << "* on " << options.threads << " threads"
            << std::endl;
  const auto start = std::chrono::steady_clock::now();
  int reported_tenth = 0;
  auto progress = [&](int done, const SimulationStats& so_far) {
    const int tenth = options.visitors > 0 ? done * 10 / options.visitors : 10;
    if (tenth == reported_tenth) return;
    reported_tenth = tenth;
    std::fprintf(stderr, "tailor-simulate: %d/%d visitors, %ld searches, %ld clicks, %.1f s\n",
                 done, options.visitors, so_far.searches, so_far.clicks, SecondsSince(start));
  };
  auto connect = [&]() -> Result<std::unique_ptr<tailor::Transport>> {
    Result<std::unique_ptr<tailor::HttpClient>> client =
        tailor::HttpClient::Connect(server);
    if (!client.ok()) return client.error();
    return std::unique_ptr<tailor::Transport>(std::move(*client));
  };
  return tailor::simulator::RunSimulation(catalog, options, connect, progress);
}

// --variants: each variant in turn over the same shoppers, then the side-by-side table.
int RunVariants(const tailor::simulator::Catalog& catalog, const SimulationOptions& options,
                const tailor::HostPort& server, const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, SimulationStats>> runs;
  for (const std::string& name : names) {
    SimulationOptions one = options;
    one.variant = name;
    one.visitor_prefix = options.visitor_prefix + name + "-";
    Result<SimulationStats> stats = RunOne(catalog, one, server);
    if (!stats.ok()) return Fail(stats.error());
    runs.emplace_back(name, *stats);
  }
  std::cout << tailor::simulator::FormatComparison(runs) << std::flush;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Result<Flags> flags = ParseFlags(argc, argv);
  if (!flags.ok()) return Fail(flags.error());
  if (flags->help) {
    std::cout << kUsage;
    return 0;
  }
  Result<SimulationOptions> options = BuildOptions(*flags);
  if (!options.ok()) return Fail(options.error());
  Result<std::vector<std::string>> variants = ParseVariants(*flags);
  if (!variants.ok()) return Fail(variants.error());
  auto server_flag = flags->values.find("--server");
  Result<tailor::HostPort> server = tailor::ParseHostPort(
      server_flag != flags->values.end() ? server_flag->second : "127.0.0.1:8080");
  if (!server.ok()) return Fail(server.error());
  auto catalog_flag = flags->values.find("--catalog");
  const std::string catalog_path =
      catalog_flag != flags->values.end() ? catalog_flag->second : "data/catalog.jsonl";

  std::cerr << "tailor-simulate: reading " << catalog_path << std::endl;
  Result<tailor::simulator::Catalog> catalog = tailor::simulator::LoadCatalog(catalog_path);
  if (!catalog.ok()) return Fail(catalog.error());
  // Fail early, with one clear line, when nobody answers.
  Result<std::unique_ptr<tailor::HttpClient>> probe =
      tailor::HttpClient::Connect(*server);
  if (!probe.ok()) return Fail(probe.error());
  probe->reset();

  std::cout << tailor::simulator::FormatWorld(options->world) << std::flush;
  if (!variants->empty()) return RunVariants(*catalog, *options, *server, *variants);
  const auto start = std::chrono::steady_clock::now();
  Result<SimulationStats> stats = RunOne(*catalog, *options, *server);
  if (!stats.ok()) return Fail(stats.error());
  std::cout << tailor::simulator::FormatSummary(*options, *stats, SecondsSince(start))
            << std::flush;
  return 0;
}
