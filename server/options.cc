#include "server/options.h"

#include <charconv>
#include <limits>

#include "core/files.h"
#include "core/json.h"
#include "core/json_options.h"

namespace tailor::server {
namespace {

using Reader = json_options::Reader<ServerOptions>;

// A string that must not be empty ("index": "" would open the working directory).
Reader::ReadFn NonEmpty(std::string ServerOptions::*member) {
  return [member](const rapidjson::Value& value, ServerOptions& options,
                  const std::string& path) -> Status {
    if (!value.IsString()) return Error::InvalidArgument(path + ": must be a string");
    if (value.GetStringLength() == 0) return Error::InvalidArgument(path + ": must not be empty");
    options.*member = std::string(value.GetString(), value.GetStringLength());
    return Status::Ok();
  };
}

// A module's options object read by its own parser, whose errors name "<key>.<field>".
template <typename Options>
Reader::ReadFn Section(Options ServerOptions::*member,
                       Result<Options> (*parse)(const rapidjson::Value&)) {
  return [member, parse](const rapidjson::Value& value, ServerOptions& options,
                         const std::string&) -> Status {
    Result<Options> parsed = parse(value);
    if (!parsed.ok()) return parsed.error();
    options.*member = *parsed;
    return Status::Ok();
  };
}

Status ReadListen(const rapidjson::Value& value, ServerOptions& options, const std::string& path) {
  if (Status text = NonEmpty(&ServerOptions::listen)(value, options, path); !text.ok()) {
    return text;
  }
  Result<ListenAddress> address = ParseListenAddress(options.listen, path);
  return address.ok() ? Status::Ok() : Status(address.error());
}

// "state": the directory as a string, or {"dir": ..., "backend": "embedded" | "redis",
// "redis": {...}}.
Status ReadState(const rapidjson::Value& value, ServerOptions& options, const std::string& path) {
  if (value.IsString()) return NonEmpty(&ServerOptions::state_dir)(value, options, path);
  if (!value.IsObject()) {
    return Error::InvalidArgument(path + ": must be a directory (string) or an object");
  }
  static const json_options::Reader<ServerOptions> kReader = [] {
    json_options::Reader<ServerOptions> reader;
    reader.Custom("dir", NonEmpty(&ServerOptions::state_dir))
        .Choice<ranking::StateBackend>("backend", &ServerOptions::state_backend,
                                       {{"embedded", ranking::StateBackend::kEmbedded},
                                        {"redis", ranking::StateBackend::kRedis}})
        .Custom("redis", Section(&ServerOptions::redis, ranking::ParseRedisStateOptions));
    return reader;
  }();
  return kReader.Read(value, path, options);
}

Result<AccessLogConfig> ParseAccessLog(const rapidjson::Value& json) {
  static const json_options::Reader<AccessLogConfig> kReader = [] {
    using O = AccessLogConfig;
    json_options::Reader<O> reader;
    reader.Bool("enabled", &O::enabled)
        .String("path", &O::path)
        .String("key_env", &O::key_env)
        .Int("flush_interval_ms", &O::flush_interval_ms, 1, 60000);
    return reader;
  }();
  AccessLogConfig options;
  if (Status read = kReader.Read(json, "access_log", options); !read.ok()) return read.error();
  if (options.path.empty()) return Error::InvalidArgument("access_log.path: must not be empty");
  return options;
}

Result<http::RateLimitOptions> ParseRateLimit(const rapidjson::Value& json) {
  static const json_options::Reader<http::RateLimitOptions> kReader = [] {
    using O = http::RateLimitOptions;
    json_options::Reader<O> reader;
    reader.Bool("enabled", &O::enabled)
        .Double("requests_per_second", &O::requests_per_second, 0, 1e9,
                json_options::Bound::kExclusive)
        .Int("burst", &O::burst, 1, 1000000000)
        .Int("max_clients", &O::max_clients, 1, 100000000);
    return reader;
  }();
  http::RateLimitOptions options;
  if (Status read = kReader.Read(json, "rate_limit", options); !read.ok()) return read.error();
  return options;
}

const Reader& OptionsReader() {
  static const Reader kReader = [] {
    using O = ServerOptions;
    constexpr int kIntMax = std::numeric_limits<int>::max();
    Reader reader;
    reader.Custom("listen", ReadListen)
        .Custom("index", NonEmpty(&O::index_dir))
        .Custom("state", ReadState)
        .Custom("scoring", NonEmpty(&O::scoring_config))
        .Custom("synonyms", NonEmpty(&O::synonyms))
        .Custom("web", NonEmpty(&O::web_dir))
        .Custom("admin_token_env", NonEmpty(&O::admin_token_env))
        .Bool("request_metrics", &O::request_metrics)
        .Int("threads", &O::threads, 0, 1024)
        .Int64("max_body_bytes", &O::max_body_bytes, 1)
        .Int("read_timeout_ms", &O::read_timeout_ms, 1, kIntMax)
        .Int("header_timeout_ms", &O::header_timeout_ms, 1, kIntMax)
        .Int("body_timeout_ms", &O::body_timeout_ms, 1, kIntMax)
        .Int("idle_timeout_ms", &O::idle_timeout_ms, 1, kIntMax)
        .Int("max_connections", &O::max_connections, 1, kIntMax)
        .Custom("rate_limit", Section(&O::rate_limit, ParseRateLimit))
        .Int("shutdown_timeout_ms", &O::shutdown_timeout_ms, 0, kIntMax)
        .Custom("searcher", Section(&O::searcher, searcher::ParseSearcherOptions))
        .Custom("profiles", Section(&O::profiles, ranking::ParseProfileOptions))
        .Custom("durability", Section(&O::durability, ranking::ParseStateOptions))
        .Custom("feature_log", Section(&O::feature_log, ranking::ParseRankingLogOptions))
        .Custom("suggest", Section(&O::suggest, ParseSuggestOptions))
        .Custom("access_log", Section(&O::access_log, ParseAccessLog));
    return reader;
  }();
  return kReader;
}

}  // namespace

Result<ServerOptions> ParseServerOptions(const rapidjson::Value& json) {
  if (!json.IsObject()) return Error::InvalidArgument("config: must be a JSON object");
  ServerOptions options;
  if (Status read = OptionsReader().Read(json, "", options); !read.ok()) return read.error();
  return options;
}

Result<ServerOptions> LoadServerOptions(const std::string& path) {
  Result<std::string> contents = ReadFile(path);
  if (!contents.ok()) return contents.error();
  const std::string& text = *contents;
  rapidjson::Document document;
  if (Status parsed = ParseJson(text, path, document); !parsed.ok()) {
    return parsed.error();
  }
  Result<ServerOptions> options = ParseServerOptions(document);
  if (!options.ok()) return options.error().WithPrefix(path);
  return options;
}

Result<ListenAddress> ParseListenAddress(std::string_view text, std::string_view field) {
  const std::string prefix(field);
  auto bad = [&](const std::string& what) {
    return Error::InvalidArgument(prefix + ": " + what + " (want HOST:PORT), got \"" +
                                  std::string(text) + "\"");
  };
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("missing port");
  std::string_view host = text.substr(0, colon);
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("IPv6 hosts need brackets");
  }
  if (host.empty()) return bad("missing host");
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return bad("port must be a number in 0..65535");
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

}  // namespace tailor::server
