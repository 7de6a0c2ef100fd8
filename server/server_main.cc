// tailor-server: serves the HTTP API of DESIGN.md over an index built by tailor-indexer.
// Precedence of settings: built-in defaults < config file < command-line flags.
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "server/engine.h"
#include "server/http/handlers.h"
#include "server/http/server.h"
#include "server/options.h"

namespace {

using tailor::Error;
using tailor::Result;
using tailor::Status;
using tailor::server::ServerOptions;

constexpr std::string_view kDefaultConfig = "config/server.json";

constexpr std::string_view kUsage =
    R"(Usage: tailor-server [--config FILE] [--listen HOST:PORT] [--index DIR] [--state DIR]
                     [--scoring FILE] [--threads N]
Serves Tailor's HTTP API (GET/POST /search, POST /rerank, POST /events, GET/DELETE
/profiles/{visitor}, GET /recommendations, GET /suggest, GET /health, POST /admin/reload,
GET/PUT /admin/synonyms, GET /admin/analytics) over an index, with visitors' profiles and
the feature log kept durably in the state directory.

  --config FILE       server config (default: config/server.json when it exists)
  --listen HOST:PORT  address to bind; port 0 picks a free port
  --index DIR         index directory written by tailor-indexer
  --state DIR         state directory (event log, profile snapshots, feature log); created
                      if missing
  --scoring FILE      scoring config: variants, models, business rules
                      (default: config/scoring.json)
  --threads N         io threads; 0 = one per core
  --web DIR           static files served at / (demo shop, tailor.js, openapi.json)
  --help              this text
Relative paths are relative to the current directory. On startup the server prints
"tailor-server listening on HOST:PORT"; SIGTERM or SIGINT stop it gracefully; SIGHUP
reloads the synonyms file, the scoring config and models (an invalid one is refused, the
old one keeps serving).
Admin endpoints need "Authorization: Bearer TOKEN" with the token from the environment
variable the config's admin_token_env names; without it they are disabled.
)";

// The synonyms file config/server.json names.
constexpr std::string_view kBundledSynonyms = "config/synonyms.json";

struct Flags {
  std::optional<std::string> config, listen, index, state, scoring, threads, web;
  bool help = false;
};

Result<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
      continue;
    }
    std::optional<std::string>* target = arg == "--config"    ? &flags.config
                                         : arg == "--listen"  ? &flags.listen
                                         : arg == "--index"   ? &flags.index
                                         : arg == "--state"   ? &flags.state
                                         : arg == "--scoring" ? &flags.scoring
                                         : arg == "--threads" ? &flags.threads
                                         : arg == "--web"     ? &flags.web
                                                              : nullptr;
    if (target == nullptr) return Error::InvalidArgument(std::string(arg) + ": unknown flag");
    if (i + 1 >= argc) return Error::InvalidArgument(std::string(arg) + ": needs a value");
    *target = argv[++i];
  }
  return flags;
}

Result<ServerOptions> BuildOptions(const Flags& flags) {
  ServerOptions options;
  if (flags.config) {
    Result<ServerOptions> loaded = tailor::server::LoadServerOptions(*flags.config);
    if (!loaded.ok()) return loaded.error();
    options = *loaded;
  } else if (std::filesystem::exists(kDefaultConfig)) {
    Result<ServerOptions> loaded = tailor::server::LoadServerOptions(std::string(kDefaultConfig));
    if (!loaded.ok()) return loaded.error();
    options = *loaded;
  }
  if (flags.listen) options.listen = *flags.listen;
  if (flags.index) options.index_dir = *flags.index;
  if (flags.state) options.state_dir = *flags.state;
  if (flags.scoring) options.scoring_config = *flags.scoring;
  if (flags.web) options.web_dir = *flags.web;
  if (!flags.scoring && options.scoring_config == ServerOptions{}.scoring_config &&
      !std::filesystem::exists(options.scoring_config)) {
    // Run outside the repository without a config: no model, text order, said out loud.
    std::cerr << "tailor-server: no " << options.scoring_config
              << ": serving without a scoring config (text order)" << std::endl;
    options.scoring_config.clear();
  }
  if (options.synonyms == kBundledSynonyms && !std::filesystem::exists(options.synonyms)) {
    // The bundled config names the bundled file; run elsewhere, there is none to read.
    std::cerr << "tailor-server: no " << options.synonyms << ": serving without synonyms"
              << std::endl;
    options.synonyms.clear();
  }
  if (flags.threads) {
    try {
      size_t end = 0;
      options.threads = std::stoi(*flags.threads, &end);
      if (end != flags.threads->size() || options.threads < 0) throw std::invalid_argument("");
    } catch (const std::exception&) {
      return Error::InvalidArgument("--threads: must be an integer >= 0");
    }
  }
  return options;
}

Result<tailor::server::http::HttpServerOptions> HttpOptions(const ServerOptions& options) {
  Result<tailor::server::ListenAddress> address =
      tailor::server::ParseListenAddress(options.listen);
  if (!address.ok()) return address.error();
  tailor::server::http::HttpServerOptions http;
  http.host = address->host;
  http.port = address->port;
  http.threads =
      options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  http.max_body_bytes = static_cast<uint64_t>(options.max_body_bytes);
  http.read_timeout_ms = options.read_timeout_ms;
  http.header_timeout_ms = options.header_timeout_ms;
  http.body_timeout_ms = options.body_timeout_ms;
  http.idle_timeout_ms = options.idle_timeout_ms;
  http.max_connections = options.max_connections;
  http.rate_limit = options.rate_limit;
  http.shutdown_timeout_ms = options.shutdown_timeout_ms;
  return http;
}

// max_connections means little if descriptors run out first (Debian's soft limit is 1024), so
// the soft limit is raised toward the hard one; short of it, the server says so and serves.
void RaiseDescriptorLimit(int max_connections) {
  // Each connection is one descriptor; the index, logs and state take some more.
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
  limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < wanted) {
    std::cerr << "tailor-server: open files limited to " << limit.rlim_cur
              << ", below max_connections " << max_connections
              << " plus what the index needs: raise it (ulimit -n)" << std::endl;
  }
}

int Fail(const Error& error) {
  std::cerr << "tailor-server: " << error.message << std::endl;
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
  Result<ServerOptions> options = BuildOptions(*flags);
  if (!options.ok()) return Fail(options.error());
  Result<tailor::server::http::HttpServerOptions> http = HttpOptions(*options);
  if (!http.ok()) return Fail(http.error());
  RaiseDescriptorLimit(options->max_connections);

  tailor::server::EngineOptions engine_options;
  engine_options.index_dir = options->index_dir;
  engine_options.state_dir = options->state_dir;
  engine_options.searcher = options->searcher;
  engine_options.profiles = options->profiles;
  engine_options.durability = options->durability;
  engine_options.state_backend = options->state_backend;
  engine_options.redis = options->redis;
  engine_options.scoring_config = options->scoring_config;
  engine_options.feature_log = options->feature_log;
  engine_options.synonyms_path = options->synonyms;
  engine_options.suggest = options->suggest;
  // Progress goes to stderr: stdout's first line is the address, which scripts read.
  std::cerr << "tailor-server: opening index " << options->index_dir << " and state "
            << options->state_dir;
  if (options->state_backend == tailor::ranking::StateBackend::kRedis) {
    std::cerr << " with profiles in Redis at " << options->redis.host << ":" << options->redis.port
              << " (keys " << options->redis.key_prefix << "*)";
  }
  std::cerr << std::endl;
  Result<std::unique_ptr<tailor::server::Engine>> engine =
      tailor::server::Engine::Open(engine_options);
  if (!engine.ok()) return Fail(engine.error());
  for (const std::string& note : (*engine)->StateRecoveryNotes()) {
    std::cerr << "tailor-server: state " << options->state_dir << ": " << note << std::endl;
  }
  tailor::server::http::RouterOptions router_options;
  if (const char* token = std::getenv(options->admin_token_env.c_str())) {
    router_options.admin_token = token;
  }
  router_options.request_metrics = options->request_metrics;
  if (options->access_log.enabled) {
    tailor::server::http::AccessLogOptions log_options;
    log_options.path = options->access_log.path;
    log_options.flush_interval_ms = options->access_log.flush_interval_ms;
    if (const char* key = std::getenv(options->access_log.key_env.c_str())) log_options.key = key;
    Result<std::unique_ptr<tailor::server::http::AccessLog>> log =
        tailor::server::http::AccessLog::Open(log_options);
    if (!log.ok()) return Fail(log.error());
    router_options.access_log = std::move(*log);
  }
  if (!options->web_dir.empty()) {
    Result<tailor::server::http::StaticFiles> files =
        tailor::server::http::LoadStaticFiles(options->web_dir);
    if (files.ok()) {
      router_options.static_files = std::move(*files);
    } else if (!flags->web && options->web_dir == ServerOptions{}.web_dir &&
               files.error().code == tailor::ErrorCode::kNotFound) {
      // Run outside the repository: the API serves, the demo shop does not, said out loud.
      std::cerr << "tailor-server: no " << options->web_dir
                << " folder: serving the API without the demo shop and tailor.js" << std::endl;
    } else {
      return Fail(files.error());
    }
  }
  Result<std::unique_ptr<tailor::server::http::HttpServer>> server =
      tailor::server::http::HttpServer::Start(
          *http, tailor::server::http::MakeRouter(**engine, router_options));
  if (!server.ok()) return Fail(server.error());
  tailor::server::http::ExportConnectionMetrics(**engine, **server);

  // Signal handlers first: a script that signals the server as soon as it reads the
  // address must not meet the default action.
  (*server)->StopOnSignals();
  tailor::server::Engine* serving = engine->get();
  (*server)->OnHangup([serving] {
    Status status = serving->Reload();
    std::cerr << "tailor-server: SIGHUP: "
              << (status.ok() ? "synonyms and scoring config reloaded" : status.error().message)
              << std::endl;
  });
  const std::string& host = (*server)->host();
  const bool ipv6 = host.find(':') != std::string::npos;
  std::cout << "tailor-server listening on " << (ipv6 ? "[" + host + "]" : host) << ":"
            << (*server)->port() << std::endl;
  (*server)->Wait();
  std::cout << "tailor-server stopped" << std::endl;
  return 0;
}
