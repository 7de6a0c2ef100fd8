// End-to-end tests of what operators read: GET /metrics parsed by the official Prometheus
// client's parser (Debian's python3-prometheus-client) with the counters checked to move
// with real traffic, the JSON access log's lines, and the static files at / and /tailor.js.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

const std::string kToken = "metrics-test-token";
const std::map<std::string, std::string> kAuthorized = {{"Authorization", "Bearer " + kToken}};
// Debian's interpreter, where python3-prometheus-client is installed (scripts/setup).
constexpr const char* kPython = "/usr/bin/python3";

// Every sample of a scrape, "name{label=\"value\",...}" (labels sorted) -> value, as the
// Prometheus client's parser reads it; a parse failure fails the test.
std::map<std::string, double> Scrape(const RunningServer& server, const TempDir& dir) {
  HttpResult metrics = Fetch(server.port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string text_path = (dir.path() / "metrics.txt").string();
  std::ofstream(text_path) << metrics.body;
  const std::string command = std::string(kPython) + " " + TAILOR_SOURCE_DIR +
                              "/tests/e2e/parse_metrics.py < '" + text_path + "' 2>&1";
  std::map<std::string, double> samples;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return samples;
  }
  std::string output;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  EXPECT_EQ(status, 0) << "the Prometheus parser refused the scrape (run scripts/setup for "
                          "python3-prometheus-client):\n"
                       << output;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

double Value(const std::map<std::string, double>& samples, const std::string& key) {
  auto it = samples.find(key);
  return it == samples.end() ? 0.0 : it->second;
}

TEST(MetricsE2E, CountersMoveWithTraffic) {
  RunningServerOptions options = WithState();
  options.admin_token = kToken;
  RunningServer server(options);
  ASSERT_TRUE(server.ok());
  TempDir scratch;
  const std::map<std::string, double> before = Scrape(server, scratch);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(Value(before, "tailor_index_documents{}"), 8);
  EXPECT_GE(Value(before, "tailor_index_generation{}"), 1);

  HttpClient client(server.port());
  for (int run = 0; run < 3; ++run) {
    ASSERT_EQ(client.Send("GET", "/search?q=parka&visitor=m1&limit=3").status, 200);
  }
  ASSERT_EQ(client.Send("GET", "/search?q=parka&price_min=x").status, 400);
  ASSERT_EQ(client
                .Send("POST", "/events",
                      R"({"events":[{"type":"click","visitor":"m1","item":"A1"},)"
                      R"({"type":"view","visitor":"m2","item":"A2"}]})")
                .status,
            202);
  ASSERT_EQ(client.Send("POST", "/events", R"({"events":[{"type":"clik"}]})").status, 400);
  ASSERT_EQ(client.Send("GET", "/profiles/m1").status, 200);
  ASSERT_EQ(client.Send("POST", "/admin/reload", "", kAuthorized).status, 200);
  ASSERT_TRUE(server.engine().FlushLogs().ok());

  const std::map<std::string, double> after = Scrape(server, scratch);
  auto moved = [&](const std::string& key) { return Value(after, key) - Value(before, key); };
  EXPECT_EQ(moved(R"(tailor_http_requests_total{endpoint="/search",method="GET",status="200"})"),
            3);
  EXPECT_EQ(moved(R"(tailor_http_requests_total{endpoint="/search",method="GET",status="400"})"),
            1);
  EXPECT_EQ(moved(R"(tailor_http_requests_total{endpoint="/events",method="POST",status="202"})"),
            1);
  // The visitor id is never a label: the route as registered is.
  EXPECT_EQ(moved(R"(tailor_http_requests_total{endpoint="/profiles/{visitor}",method="GET",)"
                  R"(status="200"})"),
            1);
  EXPECT_EQ(moved(R"(tailor_http_request_duration_seconds_count{endpoint="/search",method="GET"})"),
            4);
  // Buckets are cumulative: +Inf holds every search.
  EXPECT_EQ(Value(after, R"(tailor_http_request_duration_seconds_bucket{endpoint="/search",)"
                         R"(le="+Inf",method="GET"})"),
            4);
  EXPECT_EQ(moved("tailor_events_accepted_total{}"), 2);
  EXPECT_EQ(moved(R"(tailor_event_batches_refused_total{reason="invalid"})"), 1);
  EXPECT_GE(moved("tailor_event_log_group_commit_events_count{}"), 1);
  EXPECT_GE(moved("tailor_event_log_group_commit_events_sum{}"), 2);
  EXPECT_GE(moved("tailor_event_log_fsync_seconds_count{}"), 1);
  EXPECT_EQ(Value(after, "tailor_profiles{}"), 2);
  EXPECT_GT(Value(after, "tailor_state_directory_bytes{}"), 0);
  EXPECT_EQ(moved(R"(tailor_reloads_total{outcome="ok",what="scoring"})"), 1);
  // The same query three times: the second and third are answered from the result cache.
  EXPECT_GE(moved(R"(tailor_cache_hits_total{cache="results"})"), 1);
  EXPECT_GT(Value(after, R"(tailor_cache_hit_ratio{cache="results"})"), 0);
  EXPECT_GE(moved(R"(tailor_feature_log_records_total{outcome="written"})"), 3);
  EXPECT_EQ(Value(after, R"(tailor_feature_log_records_total{outcome="dropped"})"), 0);
  // The HTTP server's own counters: the scrape's connection is open, nothing refused.
  EXPECT_GE(Value(after, "tailor_http_connections_open{}"), 1);
  EXPECT_EQ(Value(after, "tailor_http_connections_refused_total{}"), 0);
  EXPECT_TRUE(after.count("tailor_http_rate_limited_total{}"));
  // The scrape itself is counted too, as any request.
  EXPECT_GE(moved(R"(tailor_http_requests_total{endpoint="/metrics",method="GET",status="200"})"),
            1);
  // No sample names a visitor.
  for (const auto& [key, value] : after) EXPECT_EQ(key.find("m1"), std::string::npos) << key;
}

TEST(MetricsE2E, FailedReloadIsCountedAsAnError) {
  TempDir dir;
  // The config names its models relative to itself: copy it with them.
  std::filesystem::copy(TAILOR_SOURCE_DIR "/tests/data", dir.path() / "data",
                        std::filesystem::copy_options::recursive);
  const std::string config = (dir.path() / "data" / "scoring.json").string();
  RunningServerOptions options;
  options.admin_token = kToken;
  options.scoring_config = config;
  RunningServer server(options);
  ASSERT_TRUE(server.ok());
  std::ofstream(config) << "{ not json";
  EXPECT_EQ(Fetch(server.port(), "GET", "/health").status, 200);
  HttpClient client(server.port());
  EXPECT_EQ(client.Send("POST", "/admin/reload", "", kAuthorized).status, 400);
  const std::map<std::string, double> samples = Scrape(server, dir);
  EXPECT_EQ(Value(samples, R"(tailor_reloads_total{outcome="error",what="scoring"})"), 1);
  EXPECT_EQ(Value(samples, R"(tailor_reloads_total{outcome="ok",what="scoring"})"), 0);
}

std::vector<rapidjson::Document> ReadLines(const std::string& path) {
  std::vector<rapidjson::Document> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    rapidjson::Document document;
    document.Parse(line.c_str());
    EXPECT_FALSE(document.HasParseError()) << line;
    if (!document.HasParseError()) lines.push_back(std::move(document));
  }
  return lines;
}

TEST(AccessLogE2E, OneLinePerRequestWithTheVisitorHashed) {
  TempDir dir;
  RunningServerOptions options = WithState();
  options.access_log_path = (dir.path() / "access.log").string();
  options.access_log_key = "a key of the shop's";
  RunningServer server(options);
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  HttpResult search = client.Send("GET", "/search?q=storm+parka&visitor=secret-visitor-7&limit=2");
  ASSERT_EQ(search.status, 200);
  ASSERT_EQ(client.Send("GET", "/profiles/secret-visitor-7").status, 404);
  ASSERT_EQ(client.Send("GET", "/no/such/path").status, 404);
  ASSERT_EQ(
      client.Send("POST", "/events", R"({"type":"click","visitor":"secret-visitor-7","item":"A1"})")
          .status,
      202);
  server.FlushAccessLog();

  std::ifstream raw(options.access_log_path);
  const std::string text((std::istreambuf_iterator<char>(raw)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("secret-visitor-7"), std::string::npos) << text;
  std::vector<rapidjson::Document> lines = ReadLines(options.access_log_path);
  ASSERT_EQ(lines.size(), 4u) << text;

  const rapidjson::Document& first = lines[0];
  EXPECT_EQ(std::string(first["request_id"].GetString()), search.headers["x-request-id"]);
  EXPECT_STREQ(first["method"].GetString(), "GET");
  EXPECT_STREQ(first["path"].GetString(), "/search");
  EXPECT_STREQ(first["query"]["q"].GetString(), "storm parka");
  EXPECT_STREQ(first["query"]["limit"].GetString(), "2");
  EXPECT_FALSE(first["query"].HasMember("visitor"));
  EXPECT_EQ(first["status"].GetInt(), 200);
  EXPECT_GE(first["took_ms"].GetDouble(), 0);
  EXPECT_EQ(first["bytes"].GetUint64(), search.body.size());
  const std::string time = first["time"].GetString();
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-12-02T17:10:00.123Z
  EXPECT_EQ(time.back(), 'Z');
  for (size_t i = 0; i + 1 < time.size(); ++i) {
    const char expected = i == 4 || i == 7     ? '-'
                          : i == 10            ? 'T'
                          : i == 13 || i == 16 ? ':'
                          : i == 19            ? '.'
                                               : '0';
    if (expected == '0') {
      EXPECT_TRUE(time[i] >= '0' && time[i] <= '9') << time << " at " << i;
    } else {
      EXPECT_EQ(time[i], expected) << time << " at " << i;
    }
  }

  // One visitor, one hash, wherever the id came from; 32 hex digits.
  const std::string hash = first["visitor"].GetString();
  EXPECT_EQ(hash.size(), 32u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_STREQ(lines[1]["path"].GetString(), "/profiles/{visitor}");
  EXPECT_EQ(std::string(lines[1]["visitor"].GetString()), hash);
  EXPECT_EQ(lines[1]["status"].GetInt(), 404);
  EXPECT_STREQ(lines[2]["path"].GetString(), "/no/such/path");
  // An event batch's body is not logged: its visitor is not in the line at all.
  EXPECT_STREQ(lines[3]["path"].GetString(), "/events");
  EXPECT_FALSE(lines[3].HasMember("visitor"));
  EXPECT_EQ(lines[3]["status"].GetInt(), 202);
}

TEST(StaticFilesE2E, DemoShopClientAndApiDescriptionAreServed) {
  RunningServer server;
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  HttpResult shop = client.Send("GET", "/");
  ASSERT_EQ(shop.status, 200);
  EXPECT_EQ(shop.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(shop.body.find("<html"), std::string::npos);
  const std::string etag = shop.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(client.Send("GET", "/", "", {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(client.Send("GET", "/", "", {{"If-None-Match", "\"other\""}}).status, 200);
  HttpResult client_js = client.Send("GET", "/tailor.js");
  EXPECT_EQ(client_js.status, 200);
  EXPECT_EQ(client_js.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_NE(client_js.body.find("export"), std::string::npos);
  HttpResult description = client.Send("GET", "/openapi.json");
  EXPECT_EQ(description.status, 200);
  EXPECT_EQ(ParseBody(description)["openapi"].GetString(), std::string("3.1.0"));
  EXPECT_EQ(client.Send("GET", "/.hidden").status, 404);
  EXPECT_EQ(client.Send("POST", "/").status, 405);
}

}  // namespace
}  // namespace tailor::testing
