// Options of tailor-server, read from config/server.json (DESIGN.md: "Defaults come from
// config/server.json"). Precedence is defaults (here), then the config file, then the
// command-line flags of server_main.cc.
//
// Relative paths in the config ("index", "state", "scoring", "synonyms", "web") are relative to the
// current directory of the process, not to the config file, so `tailor-server` run from the
// repository root finds "var/index" there.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "ranking/feature_log/ranking_log.h"
#include "ranking/profiles/profile.h"
#include "ranking/profiles/profile_state.h"
#include "ranking/profiles/redis_state.h"
#include "searcher/options.h"
#include "server/http/server.h"
#include "server/suggest_options.h"

namespace tailor::server {

// The "access_log" object: one JSON line per request (server/http/access_log.h).
struct AccessLogConfig {
  bool enabled = false;
  // "-" for stderr, else a file appended to (relative to the current directory).
  std::string path = "-";
  // Name of the environment variable holding the key of the visitor-id hash; unset or
  // empty: a random key per process.
  std::string key_env = "TAILOR_ACCESS_LOG_KEY";
  int flush_interval_ms = 200;
};

struct ServerOptions {
  // Address to bind, "HOST:PORT" or "[IPv6]:PORT"; port 0 picks a free port.
  std::string listen = "127.0.0.1:8080";
  // Index directory written by tailor-indexer (relative to the current directory).
  std::string index_dir = "var/index";
  // State directory for profiles and logs (relative to the current directory). "state" is
  // this directory as a string, or an object {"dir", "backend", "redis"}.
  std::string state_dir = "var/state";
  // Where profiles live: "embedded" (the state directory's event log and snapshots) or
  // "redis" (events in a Redis server shared by several tailor-servers; the state directory
  // keeps the feature log and scoring history). See ranking/profiles/profile_backend.h.
  ranking::StateBackend state_backend = ranking::StateBackend::kEmbedded;
  // The "state.redis" object: address, key prefix, timeouts (backend "redis").
  ranking::RedisStateOptions redis;
  // io_context threads; 0 means one per hardware core.
  int threads = 0;
  // Largest request body accepted; a larger one is answered 413.
  int64_t max_body_bytes = 1048576;
  // Time a client has to read an answer being written (and the bound of draining a body
  // refused with 413). The request's own deadlines are the two below.
  int read_timeout_ms = 10000;
  // Time a client has to send a whole request header (from connecting, for the first request
  // of a connection; from its first byte, for later ones); then the connection is closed.
  int header_timeout_ms = 10000;
  // Time a client has to send a request body once its header arrived.
  int body_timeout_ms = 30000;
  // Time a keep-alive connection may sit idle between requests.
  int idle_timeout_ms = 30000;
  // Connections served at once; one more is answered 503 "unavailable" and closed.
  int max_connections = 10000;
  // The "rate_limit" object: requests per client address, answered 429 beyond (off by default).
  http::RateLimitOptions rate_limit;
  // On SIGTERM/SIGINT, how long in-flight requests get to finish before the server stops.
  int shutdown_timeout_ms = 10000;
  // Name of the environment variable holding the admin bearer token (admin disabled if unset).
  std::string admin_token_env = "TAILOR_ADMIN_TOKEN";
  // The "searcher" object.
  searcher::SearcherOptions searcher;
  // The "profiles" object: how events shape taste profiles (decay, weights, caps).
  ranking::ProfileOptions profiles;
  // The "durability" object: fsync policy, log segments, snapshots, retention.
  ranking::StateOptions durability;
  // Scoring config file: variants, models, business rules (relative to the current
  // directory; the models it names are relative to it). Empty: no model, text order.
  std::string scoring_config = "config/scoring.json";
  // The "feature_log" object: logging of served rankings for training and replay.
  ranking::RankingLogOptions feature_log;
  // Synonyms file (config/synonyms.json's format, searcher/synonyms.h), applied at query
  // time, reloaded by POST /admin/reload and SIGHUP, replaced by PUT /admin/synonyms
  // (relative to the current directory). Empty: no synonyms.
  std::string synonyms;
  // Static files served at / (the demo shop, /tailor.js, /openapi.json), read at start
  // (relative to the current directory). Empty: none.
  std::string web_dir = "web";
  // Whether every request is counted in /metrics' latency histograms and request counters;
  // false only to measure what they cost (scripts/bench).
  bool request_metrics = true;
  // The "access_log" object.
  AccessLogConfig access_log;
  // The "suggest" object: query suggestions (GET /suggest).
  SuggestOptions suggest;
};

// Reads a server config object over the defaults. Unknown keys and bad values are
// invalid_argument errors naming the key path ("read_timeout_ms: must be > 0",
// "searcher.max_limit: must be > 0").
Result<ServerOptions> ParseServerOptions(const rapidjson::Value& json);

// Reads and parses a config file. Errors: invalid_argument naming the file ("FILE: ..."),
// with the JSON parse offset for malformed JSON; not_found when the file cannot be read.
Result<ServerOptions> LoadServerOptions(const std::string& path);

struct ListenAddress {
  std::string host;   // without brackets for IPv6
  uint16_t port = 0;  // 0: any free port
};

// Splits "HOST:PORT" or "[IPv6]:PORT". Errors: invalid_argument naming `field`.
Result<ListenAddress> ParseListenAddress(std::string_view text, std::string_view field = "listen");

}  // namespace tailor::server
