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

#include "bench/simulator/catalog_model.h"
#include "bench/simulator/http_client.h"
#include "bench/simulator/simulation.h"

namespace {

using tailor::Error;
using tailor::Result;
using tailor::simulator::SimulationOptions;
using tailor::simulator::SimulationStats;

constexpr std::string_view kUsage =
    R"(Usage: tailor-simulate [--server HOST:PORT] [--catalog FILE] [--visitors N] [--sessions N]
                       [--searches N] [--seed N] [--variant NAME] [--visitor-prefix STR]
                       [--eta X] [--threads N] [--limit N]
Simulated shoppers with hidden preferences search a running tailor-server (GET /search) and
post what they view, click, put into the cart and buy (POST /events, with the search's
request_id and the hit's position). Prints one line per metric on stdout, among them the
mean true NDCG@10 of the served pages against the shoppers' hidden relevance.

  --server HOST:PORT    the server (default 127.0.0.1:8080)
  --catalog FILE        the catalog the server's index was built from (default
                        data/catalog.jsonl)
  --visitors N          visitors to simulate (default 100)
  --sessions N          sessions per visitor (default 5)
  --searches N          searches per session (default 3)
  --seed N              seeds preferences and behaviour (default 1)
  --variant NAME        ranking variant asked for with every search (default: none)
  --visitor-prefix STR  visitor ids are STR + six digits (default "sim-"); the same seed
                        with two prefixes gives the same shoppers under distinct ids
  --eta X               position bias: position p (from 0) is examined with probability
                        (1/(p+1))^X (default 1)
  --threads N           client threads, one keep-alive connection each (default 2)
  --limit N             hits asked for per search (default 10)
  --help                this text
)";

struct Flags {
  std::map<std::string, std::string> values;
  bool help = false;
};

constexpr std::string_view kFlags[] = {"--server",   "--catalog", "--visitors", "--sessions",
                                       "--searches", "--seed",    "--variant",  "--visitor-prefix",
                                       "--eta",      "--threads", "--limit"};

Result<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      continue;
    }
    bool known = false;
    for (std::string_view name : kFlags) known = known || name == arg;
    if (!known) return Error::InvalidArgument(std::string(arg) + ": unknown flag");
    if (i + 1 >= argc) return Error::InvalidArgument(std::string(arg) + ": needs a value");
    flags.values[std::string(arg)] = argv[++i];
  }
  return flags;
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

Result<SimulationOptions> BuildOptions(const Flags& flags) {
  SimulationOptions options;
  long long visitors = options.visitors, sessions = options.sessions, searches = options.searches,
            threads = options.threads, limit = options.limit;
  long long seed = static_cast<long long>(options.seed);
  for (auto [name, lo, hi, out] : {std::tuple<const char*, long long, long long, long long*>{
                                       "--visitors", 0, 10000000, &visitors},
                                   {"--sessions", 1, 10000, &sessions},
                                   {"--searches", 1, 10000, &searches},
                                   {"--threads", 1, 256, &threads},
                                   {"--limit", 1, 100, &limit},
                                   {"--seed", 0, std::numeric_limits<long long>::max(), &seed}}) {
    if (std::optional<Error> error = ReadInt(flags, name, lo, hi, out)) return *error;
  }
  options.visitors = static_cast<int>(visitors);
  options.sessions = static_cast<int>(sessions);
  options.searches = static_cast<int>(searches);
  options.threads = static_cast<int>(threads);
  options.limit = static_cast<int>(limit);
  options.seed = static_cast<uint64_t>(seed);
  if (auto it = flags.values.find("--variant"); it != flags.values.end())
    options.variant = it->second;
  if (auto it = flags.values.find("--visitor-prefix"); it != flags.values.end()) {
    options.visitor_prefix = it->second;
  }
  if (auto it = flags.values.find("--eta"); it != flags.values.end()) {
    try {
      size_t end = 0;
      options.eta = std::stod(it->second, &end);
      if (end != it->second.size() || !(options.eta >= 0 && options.eta <= 10)) {
        throw std::out_of_range("");
      }
    } catch (const std::exception&) {
      return Error::InvalidArgument("--eta: must be a number in 0..10");
    }
  }
  return options;
}

double Ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0;
}

void PrintSummary(const SimulationOptions& options, const SimulationStats& stats,
                  double elapsed_s) {
  auto line = [](const char* name, const std::string& value, const char* note) {
    std::printf("%-30s %-10s %s\n", name, value.c_str(), note);
  };
  auto fixed = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", value);
    return std::string(text);
  };
  line("visitors", std::to_string(options.visitors), "");
  line("searches", std::to_string(stats.searches), "");
  line("clicks", std::to_string(stats.clicks), "");
  line("carts", std::to_string(stats.carts), "add_to_cart events");
  line("purchases", std::to_string(stats.purchases), "");
  line("events_accepted", std::to_string(stats.events_accepted), "sum of {\"accepted\": N}");
  line("true_ndcg_at_10", fixed(Ratio(stats.ndcg_sum, static_cast<double>(stats.ndcg_searches))),
       ("over " + std::to_string(stats.ndcg_searches) + " searches with a relevant item").c_str());
  line("true_ndcg_at_10_first_session",
       fixed(Ratio(stats.first_session_ndcg_sum,
                   static_cast<double>(stats.first_session_ndcg_searches))),
       "");
  line("true_ndcg_at_10_last_session",
       fixed(Ratio(stats.last_session_ndcg_sum,
                   static_cast<double>(stats.last_session_ndcg_searches))),
       "");
  line("out_of_size_share_known_size",
       fixed(Ratio(static_cast<double>(stats.known_size_misses),
                   static_cast<double>(stats.known_size_hits))),
       ("of " + std::to_string(stats.known_size_hits) +
        " top-10 sized hits whose size system the visitor had carted in")
           .c_str());
  line("out_of_size_above_fit",
       std::to_string(stats.known_size_misses_above_fit),
       "of those, ranked above a hit in the visitor's size (the size guard's promise: 0)");
  line("ctr",
       fixed(Ratio(static_cast<double>(stats.clicks), static_cast<double>(stats.hits_shown))),
       "clicks per hit shown");
  line("clicks_per_search",
       fixed(Ratio(static_cast<double>(stats.clicks), static_cast<double>(stats.searches))), "");
  line("elapsed_s", fixed(elapsed_s), "");
  std::fflush(stdout);
}

int Fail(const Error& error) {
  std::cerr << "tailor-simulate: " << error.message << std::endl;
  return 1;
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
  auto server_flag = flags->values.find("--server");
  Result<tailor::simulator::HostPort> server = tailor::simulator::ParseHostPort(
      server_flag != flags->values.end() ? server_flag->second : "127.0.0.1:8080");
  if (!server.ok()) return Fail(server.error());
  auto catalog_flag = flags->values.find("--catalog");
  const std::string catalog_path =
      catalog_flag != flags->values.end() ? catalog_flag->second : "data/catalog.jsonl";

  std::cerr << "tailor-simulate: reading " << catalog_path << std::endl;
  Result<tailor::simulator::Catalog> catalog = tailor::simulator::LoadCatalog(catalog_path);
  if (!catalog.ok()) return Fail(catalog.error());
  // Fail early, with one clear line, when nobody answers.
  Result<std::unique_ptr<tailor::simulator::HttpClient>> probe =
      tailor::simulator::HttpClient::Connect(*server);
  if (!probe.ok()) return Fail(probe.error());
  probe->reset();

  std::cerr << "tailor-simulate: " << catalog->products.size() << " products; " << options->visitors
            << " visitors x " << options->sessions << " sessions x " << options->searches
            << " searches on " << options->threads << " threads" << std::endl;
  const auto start = std::chrono::steady_clock::now();
  int reported_tenth = 0;
  auto progress = [&](int done, const SimulationStats& so_far) {
    const int tenth = options->visitors > 0 ? done * 10 / options->visitors : 10;
    if (tenth == reported_tenth) return;
    reported_tenth = tenth;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "tailor-simulate: %d/%d visitors, %ld searches, %ld clicks, %.1f s\n",
                 done, options->visitors, so_far.searches, so_far.clicks, seconds);
  };
  auto connect = [&]() -> Result<std::unique_ptr<tailor::simulator::Transport>> {
    Result<std::unique_ptr<tailor::simulator::HttpClient>> client =
        tailor::simulator::HttpClient::Connect(*server);
    if (!client.ok()) return client.error();
    return std::unique_ptr<tailor::simulator::Transport>(std::move(*client));
  };
  Result<SimulationStats> stats =
      tailor::simulator::RunSimulation(*catalog, *options, connect, progress);
  if (!stats.ok()) return Fail(stats.error());
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(*options, *stats, elapsed_s);
  return 0;
}
