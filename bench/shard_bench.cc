// tailor-shard-bench: what searching shards costs, all measured in one run. Indexes the
// catalog once with one database and once with --shards 2, serves the two shards with two
// xapian-tcpsrv processes on 127.0.0.1, and times the same Search calls (limit 20, facets,
// the searcher's caches off) over 1 local database, the 2 shards local, and the 2 shards
// remote, layouts interleaved per round. Prints per-layout medians and p90 of the per-query
// time and the ratios, and the time each searcher took to open (the item table of remote
// shards is read document by document).
//
//   tailor-shard-bench [--catalog FILE] [--queries FILE] [--rounds N]
// Defaults: data/catalog.jsonl, bench/perf/queries.txt (one /search path per line; its q),
// 3 rounds. Needs xapian-tcpsrv (Debian: xapian-tools) on PATH.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "indexer/indexer.h"
#include "searcher/searcher.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The q parameter of a "/search?q=...&..." line, URL-decoded.
std::string QueryOf(const std::string& line) {
  size_t start = line.find("q=");
  if (start == std::string::npos) return "";
  start += 2;
  const size_t end = line.find('&', start);
  const std::string raw =
      line.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::string text;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '+') {
      text += ' ';
    } else if (raw[i] == '%' && i + 2 < raw.size()) {
      text += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      text += raw[i];
    }
  }
  return text;
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

// xapian-tcpsrv on 127.0.0.1 in a process group of its own (it signals its group when it
// stops); the group is killed on destruction.
class TcpServer {
 public:
  explicit TcpServer(const std::string& database) : port_(FreePort()) {
    int fds[2];
    if (port_ == 0 || ::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      const std::string port = std::to_string(port_);
      ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", port.c_str(),
               database.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    // Kept open: the server logs each connection to it, and would die of SIGPIPE.
    out_ = ::fdopen(fds[0], "r");
    char line[256];
    while (out_ != nullptr && std::fgets(line, sizeof line, out_) != nullptr) {
      if (std::strncmp(line, "Listening", 9) == 0) {
        listening_ = true;
        break;
      }
    }
  }
  ~TcpServer() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  bool listening() const { return listening_; }
  int port() const { return port_; }

 private:
  int port_ = 0;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool listening_ = false;
};

bool BuildIndex(const std::string& catalog, const std::string& index, int shards) {
  tailor::indexer::BuildOptions options;
  options.catalog_path = catalog;
  options.index_dir = index;
  options.shards = shards;
  tailor::Result<tailor::indexer::BuildStats> built = tailor::indexer::Build(options);
  if (!built.ok()) std::fprintf(stderr, "tailor-shard-bench: %s\n", built.error().message.c_str());
  return built.ok();
}

struct Layout {
  std::string name;
  std::string index_dir;
  std::unique_ptr<tailor::searcher::Searcher> searcher;
  double open_ms = 0;
  std::vector<double> query_ms;
};

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(fraction * (values.size() - 1) + 0.5)];
}

int Usage(const char* message) {
  std::fprintf(stderr,
               "tailor-shard-bench: %s\nUsage: tailor-shard-bench [--catalog FILE] "
               "[--queries FILE] [--rounds N]\n",
               message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string catalog = TAILOR_SOURCE_DIR "/data/catalog.jsonl";
  std::string queries_path = TAILOR_SOURCE_DIR "/bench/perf/queries.txt";
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help") return Usage("times searches over 1 local, 2 local and 2 remote shards");
    if (i + 1 >= argc) return Usage((arg + ": needs a value").c_str());
    if (arg == "--catalog") {
      catalog = argv[++i];
    } else if (arg == "--queries") {
      queries_path = argv[++i];
    } else if (arg == "--rounds") {
      rounds = std::atoi(argv[++i]);
      if (rounds < 1) return Usage("--rounds: must be >= 1");
    } else {
      return Usage(("unknown argument \"" + arg + "\"").c_str());
    }
  }
  std::vector<std::string> queries;
  std::ifstream in(queries_path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) queries.push_back(QueryOf(line));
  }
  if (queries.empty()) return Usage((queries_path + ": no queries").c_str());

  const fs::path work =
      fs::temp_directory_path() / ("tailor-shard-bench-" + std::to_string(::getpid()));
  fs::create_directories(work);
  struct Cleanup {
    fs::path path;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(path, ignored);
    }
  } cleanup{work};

  std::fprintf(stderr, "indexing %s with 1 and with 2 shards\n", catalog.c_str());
  if (!BuildIndex(catalog, (work / "one").string(), 1)) return 1;
  if (!BuildIndex(catalog, (work / "two").string(), 2)) return 1;
  std::vector<std::unique_ptr<TcpServer>> servers;
  fs::create_directories(work / "remote");
  {
    std::ofstream stub(work / "remote" / "XAPIANDB");
    for (int shard = 0; shard < 2; ++shard) {
      servers.push_back(std::make_unique<TcpServer>(
          (work / "two" / ("XAPIANDB.shard-" + std::to_string(shard))).string()));
      if (!servers.back()->listening()) {
        std::fprintf(stderr, "tailor-shard-bench: xapian-tcpsrv did not start (xapian-tools)\n");
        return 1;
      }
      stub << "remote 127.0.0.1:" << servers.back()->port() << "\n";
    }
  }

  std::vector<Layout> layouts;
  layouts.push_back({"1 local", (work / "one").string(), nullptr, 0, {}});
  layouts.push_back({"2 local shards", (work / "two").string(), nullptr, 0, {}});
  layouts.push_back({"2 remote shards", (work / "remote").string(), nullptr, 0, {}});
  tailor::searcher::SearcherOptions options;
  options.result_cache_bytes = 0;  // every search runs
  options.stored_cache_bytes = 0;
  options.refresh_interval_ms = 60000;  // checks on the refresh thread, not in the timings
  for (Layout& layout : layouts) {
    const Clock::time_point start = Clock::now();
    auto opened = tailor::searcher::Searcher::Open(layout.index_dir, options);
    if (!opened.ok()) {
      std::fprintf(stderr, "tailor-shard-bench: %s\n", opened.error().message.c_str());
      return 1;
    }
    layout.searcher = std::move(*opened);
    layout.open_ms = MsSince(start);
  }
  std::fprintf(stderr, "%zu queries x %d rounds x %zu layouts\n", queries.size(), rounds,
               layouts.size());
  for (int round = 0; round < rounds; ++round) {
    for (const std::string& query : queries) {
      tailor::searcher::SearchRequest request;
      request.query = query;
      request.limit = 20;
      // Rotating the first layout spreads warm-up and noise over all of them.
      for (size_t k = 0; k < layouts.size(); ++k) {
        Layout& layout = layouts[(k + round) % layouts.size()];
        const Clock::time_point start = Clock::now();
        auto result = layout.searcher->Search(request);
        const double ms = MsSince(start);
        if (!result.ok()) {
          std::fprintf(stderr, "tailor-shard-bench: %s: %s\n", layout.name.c_str(),
                       result.error().message.c_str());
          return 1;
        }
        if (round > 0) layout.query_ms.push_back(ms);  // round 0 warms the caches
      }
    }
  }
  const double local1 = Percentile(layouts[0].query_ms, 0.5);
  const double local2 = Percentile(layouts[1].query_ms, 0.5);
  const double remote2 = Percentile(layouts[2].query_ms, 0.5);
  std::printf(
      "search over shards (Search limit 20 with facets, caches off, %zu timed searches "
      "each)\n",
      layouts[0].query_ms.size());
  for (const Layout& layout : layouts) {
    std::printf("  %-16s median %7.3f ms   p90 %7.3f ms   opened in %7.0f ms\n",
                layout.name.c_str(), Percentile(layout.query_ms, 0.5),
                Percentile(layout.query_ms, 0.9), layout.open_ms);
  }
  std::printf("  2 remote / 2 local (medians)  %.2f\n", local2 > 0 ? remote2 / local2 : 0);
  std::printf("  2 local / 1 local (medians)   %.2f\n", local1 > 0 ? local2 / local1 : 0);
  std::printf("  2 remote / 1 local (medians)  %.2f\n", local1 > 0 ? remote2 / local1 : 0);
  return 0;
}
