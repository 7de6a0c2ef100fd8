// An Engine and the real HTTP server on 127.0.0.1, port 0, for the end-to-end suites; the
// destructor stops the server and joins its threads before the engine goes away.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "server/engine.h"
#include "server/http/handlers.h"
#include "server/http/server.h"
#include "tests/e2e/http_client.h"
#include "tests/server/test_support.h"

namespace tailor::testing {

struct RunningServerOptions {
  // How often the searcher looks for a new index generation; 0 makes every request check,
  // so tests that swap the index see it at once.
  int refresh_interval_ms = 200;
  // Keep profiles in dir()/state (events accepted); otherwise the server has no state.
  bool with_state = false;
  // The catalog to index; empty: the sample catalog of test_support.h.
  std::string catalog_path;
  // The scoring config: by default the tests' own, whose model has hand-set weights, so
  // the tests do not depend on the trained default model in config/.
  std::string scoring_config = TAILOR_SOURCE_DIR "/tests/data/scoring.json";
  // The admin bearer token; empty disables the admin endpoints.
  std::string admin_token;
  // The synonyms file (EngineOptions::synonyms_path); empty: none.
  std::string synonyms_path;
  // The static files served at / (the demo shop, tailor.js, openapi.json); empty: none.
  std::string web_dir = TAILOR_SOURCE_DIR "/web";
  // With with_state: the state directory to use instead of one in the server's own temporary
  // folder, so a second server can start on the first one's state (a restart).
  std::string state_path;
  // The access log's file (one JSON line per request) and hash key; empty: no access log.
  std::string access_log_path;
  std::string access_log_key;
  // The HTTP layer's options (deadlines, connection cap, rate limit); host and port are
  // always 127.0.0.1 and a free port.
  server::http::HttpServerOptions http = TestHttpOptions();

  static server::http::HttpServerOptions TestHttpOptions() {
    server::http::HttpServerOptions http;
    http.threads = 2;
    http.max_body_bytes = 1 << 20;
    return http;
  }
};

// Options for a server with profiles in its state directory.
inline RunningServerOptions WithState(std::string catalog_path = "") {
  RunningServerOptions options;
  options.with_state = true;
  options.catalog_path = std::move(catalog_path);
  return options;
}

class RunningServer {
 public:
  explicit RunningServer(RunningServerOptions options = {}) {
    index_dir_ = options.catalog_path.empty() ? BuildSampleIndex(dir_.path())
                                              : BuildIndexFrom(options.catalog_path, dir_.path());
    server::EngineOptions engine_options;
    engine_options.index_dir = index_dir_;
    engine_options.scoring_config = options.scoring_config;
    if (options.with_state) {
      state_dir_ =
          options.state_path.empty() ? (dir_.path() / "state").string() : options.state_path;
      engine_options.state_dir = state_dir_;
    }
    engine_options.searcher.refresh_interval_ms = options.refresh_interval_ms;
    engine_options.synonyms_path = options.synonyms_path;
    Result<std::unique_ptr<server::Engine>> engine = server::Engine::Open(engine_options);
    if (!engine.ok()) {
      ADD_FAILURE() << engine.error().message;
      return;
    }
    engine_ = std::move(*engine);
    server::http::RouterOptions router_options;
    router_options.admin_token = options.admin_token;
    if (!options.web_dir.empty()) {
      Result<server::http::StaticFiles> files = server::http::LoadStaticFiles(options.web_dir);
      if (!files.ok()) {
        ADD_FAILURE() << files.error().message;
        return;
      }
      router_options.static_files = std::move(*files);
    }
    if (!options.access_log_path.empty()) {
      server::http::AccessLogOptions log_options;
      log_options.path = options.access_log_path;
      log_options.key = options.access_log_key;
      Result<std::unique_ptr<server::http::AccessLog>> log =
          server::http::AccessLog::Open(log_options);
      if (!log.ok()) {
        ADD_FAILURE() << log.error().message;
        return;
      }
      access_log_ = std::move(*log);
      router_options.access_log = access_log_;
    }
    server::http::HttpServerOptions http = options.http;
    http.host = "127.0.0.1";
    http.port = 0;
    Result<std::unique_ptr<server::http::HttpServer>> server =
        server::http::HttpServer::Start(http, server::http::MakeRouter(*engine_, router_options));
    if (!server.ok()) {
      ADD_FAILURE() << server.error().message;
      return;
    }
    server_ = std::move(*server);
    server::http::ExportConnectionMetrics(*engine_, *server_);
  }
  ~RunningServer() { server_.reset(); }

  bool ok() const { return server_ != nullptr; }
  uint16_t port() const { return server_->port(); }
  const TempDir& dir() const { return dir_; }
  // What the server did about its connections. Requires: ok().
  server::http::ConnectionStats connection_stats() const { return server_->connection_stats(); }
  const std::string& index_dir() const { return index_dir_; }
  // The engine behind the server, e.g. to flush its feature log. Requires: ok().
  server::Engine& engine() { return *engine_; }
  // Writes the access log's queued lines (RunningServerOptions::access_log_path).
  void FlushAccessLog() {
    if (access_log_ != nullptr) access_log_->Flush();
  }
  // The state directory (meaningful with RunningServerOptions::with_state).
  std::string state_dir() const {
    return state_dir_.empty() ? (dir_.path() / "state").string() : state_dir_;
  }

 private:
  TempDir dir_;
  std::string index_dir_;
  std::string state_dir_;
  std::unique_ptr<server::Engine> engine_;
  std::shared_ptr<server::http::AccessLog> access_log_;
  std::unique_ptr<server::http::HttpServer> server_;
};

inline rapidjson::Document ParseBody(const HttpResult& result) {
  rapidjson::Document body;
  body.Parse(result.body.c_str());
  EXPECT_FALSE(body.HasParseError()) << result.body;
  return body;
}

inline std::string ErrorCodeOf(const HttpResult& result) {
  rapidjson::Document body = ParseBody(result);
  if (!body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["code"].GetString();
}

}  // namespace tailor::testing
