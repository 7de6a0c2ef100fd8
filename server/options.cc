#include "server/options.h"

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

#include <rapidjson/error/en.h>

namespace tailor::server {
namespace {

Result<std::string> ReadString(const rapidjson::Value& value, std::string_view key) {
  if (!value.IsString()) return Error::InvalidArgument(std::string(key) + ": must be a string");
  return std::string(value.GetString(), value.GetStringLength());
}

// Reads an integer in [min_value, max_value].
Result<int64_t> ReadInteger(const rapidjson::Value& value, std::string_view key,
                            int64_t min_value, int64_t max_value) {
  if (!value.IsInt64()) return Error::InvalidArgument(std::string(key) + ": must be an integer");
  int64_t number = value.GetInt64();
  if (number < min_value) {
    return Error::InvalidArgument(std::string(key) + ": must be >= " + std::to_string(min_value));
  }
  if (number > max_value) {
    return Error::InvalidArgument(std::string(key) + ": must be <= " + std::to_string(max_value));
  }
  return number;
}

Status ReadIntField(const rapidjson::Value& value, std::string_view key, int64_t min_value,
                    int64_t max_value, auto& field) {
  Result<int64_t> number = ReadInteger(value, key, min_value, max_value);
  if (!number.ok()) return number.error();
  field = static_cast<std::remove_reference_t<decltype(field)>>(*number);
  return Status::Ok();
}

Status ReadStringField(const rapidjson::Value& value, std::string_view key, std::string& field) {
  Result<std::string> text = ReadString(value, key);
  if (!text.ok()) return text.error();
  if (text->empty()) return Error::InvalidArgument(std::string(key) + ": must not be empty");
  field = std::move(*text);
  return Status::Ok();
}

Status ReadSearcher(const rapidjson::Value& value, searcher::SearcherOptions& field) {
  if (!value.IsObject()) return Error::InvalidArgument("searcher: must be an object");
  Result<searcher::SearcherOptions> parsed = searcher::ParseSearcherOptions(value);
  if (!parsed.ok()) {
    const Error& error = parsed.error();
    if (error.message.rfind("searcher", 0) == 0) return error;
    return error.WithPrefix("searcher");
  }
  field = *parsed;
  return Status::Ok();
}

// Reads a module's options object with its parser, whose errors name "<key>.<field>".
template <typename Options, typename Parser>
Status ReadSection(const rapidjson::Value& value, Parser parse, Options& field) {
  Result<Options> parsed = parse(value);
  if (!parsed.ok()) return parsed.error();
  field = *parsed;
  return Status::Ok();
}

Status ReadMember(std::string_view key, const rapidjson::Value& value, ServerOptions& options) {
  constexpr int64_t kMaxInt = std::numeric_limits<int>::max();
  if (key == "listen") {
    Status status = ReadStringField(value, key, options.listen);
    if (!status.ok()) return status;
    Result<ListenAddress> address = ParseListenAddress(options.listen);
    return address.ok() ? Status::Ok() : Status(address.error());
  }
  if (key == "index") return ReadStringField(value, key, options.index_dir);
  if (key == "state") return ReadStringField(value, key, options.state_dir);
  if (key == "scoring") return ReadStringField(value, key, options.scoring_config);
  if (key == "admin_token_env") return ReadStringField(value, key, options.admin_token_env);
  if (key == "threads") return ReadIntField(value, key, 0, 1024, options.threads);
  if (key == "max_body_bytes") {
    return ReadIntField(value, key, 1, std::numeric_limits<int64_t>::max(),
                        options.max_body_bytes);
  }
  if (key == "read_timeout_ms") return ReadIntField(value, key, 1, kMaxInt, options.read_timeout_ms);
  if (key == "idle_timeout_ms") return ReadIntField(value, key, 1, kMaxInt, options.idle_timeout_ms);
  if (key == "shutdown_timeout_ms") {
    return ReadIntField(value, key, 0, kMaxInt, options.shutdown_timeout_ms);
  }
  if (key == "searcher") return ReadSearcher(value, options.searcher);
  if (key == "profiles") return ReadSection(value, ranking::ParseProfileOptions, options.profiles);
  if (key == "durability") {
    return ReadSection(value, ranking::ParseStateOptions, options.durability);
  }
  if (key == "feature_log") {
    return ReadSection(value, ranking::ParseRankingLogOptions, options.feature_log);
  }
  return Error::InvalidArgument(std::string(key) + ": unknown key");
}

}  // namespace

Result<ServerOptions> ParseServerOptions(const rapidjson::Value& json) {
  if (!json.IsObject()) return Error::InvalidArgument("config: must be a JSON object");
  ServerOptions options;
  for (const auto& member : json.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    Status status = ReadMember(key, member.value, options);
    if (!status.ok()) return status.error();
  }
  return options;
}

Result<ServerOptions> LoadServerOptions(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error::NotFound(path + ": cannot be read");
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string text = contents.str();
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  if (document.HasParseError()) {
    return Error::InvalidArgument(path + ": invalid JSON at offset " +
                                  std::to_string(document.GetErrorOffset()) + ": " +
                                  rapidjson::GetParseError_En(document.GetParseError()));
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
