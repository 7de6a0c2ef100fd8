#include "server/options.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/server/test_support.h"

namespace tailor::server {
namespace {

Result<ServerOptions> Parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  EXPECT_FALSE(document.HasParseError()) << json;
  return ParseServerOptions(document);
}

void ExpectErrorNaming(const Result<ServerOptions>& parsed, const std::string& key) {
  ASSERT_FALSE(parsed.ok()) << "expected an error naming " << key;
  EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(parsed.error().message.find(key), std::string::npos) << parsed.error().message;
}

TEST(ServerOptions, BundledConfigParses) {
  Result<ServerOptions> options = LoadServerOptions(TAILOR_SOURCE_DIR "/config/server.json");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->listen, "127.0.0.1:8080");
  EXPECT_EQ(options->index_dir, "var/index");
  EXPECT_EQ(options->max_body_bytes, 1048576);
}

TEST(ServerOptions, EmptyObjectGivesDefaults) {
  Result<ServerOptions> options = Parse("{}");
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->threads, 0);
  EXPECT_EQ(options->read_timeout_ms, 10000);
  EXPECT_EQ(options->admin_token_env, "TAILOR_ADMIN_TOKEN");
}

TEST(ServerOptions, ReadsValuesOverDefaults) {
  Result<ServerOptions> options =
      Parse(R"({"listen":"0.0.0.0:9000","threads":3,"index":"x/idx","idle_timeout_ms":5})");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->listen, "0.0.0.0:9000");
  EXPECT_EQ(options->threads, 3);
  EXPECT_EQ(options->index_dir, "x/idx");
  EXPECT_EQ(options->idle_timeout_ms, 5);
}

TEST(ServerOptions, SynonymsFileIsOptional) {
  Result<ServerOptions> none = Parse("{}");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->synonyms, "");
  Result<ServerOptions> given = Parse(R"({"synonyms":"config/synonyms.json"})");
  ASSERT_TRUE(given.ok()) << given.error().message;
  EXPECT_EQ(given->synonyms, "config/synonyms.json");
  ExpectErrorNaming(Parse(R"({"synonyms":""})"), "synonyms");
  ExpectErrorNaming(Parse(R"({"synonyms":["a.json"]})"), "synonyms");
}

TEST(ServerOptions, StateIsADirectoryOrAnObjectNamingTheBackend) {
  Result<ServerOptions> plain = Parse(R"({"state":"var/s"})");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(plain->state_dir, "var/s");
  EXPECT_EQ(plain->state_backend, ranking::StateBackend::kEmbedded);
  Result<ServerOptions> redis = Parse(
      R"({"state":{"dir":"var/t","backend":"redis",
                   "redis":{"host":"10.0.0.5","port":6380,"key_prefix":"shop1:"}}})");
  ASSERT_TRUE(redis.ok()) << redis.error().message;
  EXPECT_EQ(redis->state_dir, "var/t");
  EXPECT_EQ(redis->state_backend, ranking::StateBackend::kRedis);
  EXPECT_EQ(redis->redis.host, "10.0.0.5");
  EXPECT_EQ(redis->redis.port, 6380);
  EXPECT_EQ(redis->redis.key_prefix, "shop1:");
  EXPECT_EQ(redis->redis.command_timeout_ms, 1000);  // the default
  ExpectErrorNaming(Parse(R"({"state":{"backend":"memcached"}})"), "state.backend");
  ExpectErrorNaming(Parse(R"({"state":{"redis":{"port":70000}}})"), "state.redis.port");
  ExpectErrorNaming(Parse(R"({"state":{"redis":{"host":""}}})"), "state.redis.host");
  ExpectErrorNaming(Parse(R"({"state":{"redis":{"db":2}}})"), "state.redis.db");
  ExpectErrorNaming(Parse(R"({"state":{"dir":""}})"), "state.dir");
  ExpectErrorNaming(Parse(R"({"state":3})"), "state");
}

TEST(ServerOptions, RejectsUnknownKeyByName) { ExpectErrorNaming(Parse(R"({"port":1})"), "port"); }

TEST(ServerOptions, RejectsBadValuesByKey) {
  ExpectErrorNaming(Parse(R"({"threads":-1})"), "threads");
  ExpectErrorNaming(Parse(R"({"threads":"4"})"), "threads");
  ExpectErrorNaming(Parse(R"({"max_body_bytes":0})"), "max_body_bytes");
  ExpectErrorNaming(Parse(R"({"read_timeout_ms":1.5})"), "read_timeout_ms");
  ExpectErrorNaming(Parse(R"({"idle_timeout_ms":0})"), "idle_timeout_ms");
  ExpectErrorNaming(Parse(R"({"index":""})"), "index");
  ExpectErrorNaming(Parse(R"({"listen":"localhost"})"), "listen");
  ExpectErrorNaming(Parse(R"({"searcher":5})"), "searcher");
}

TEST(ServerOptions, HostileClientDefenceDefaultsAndValues) {
  Result<ServerOptions> defaults = Parse("{}");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_connections, 10000);
  EXPECT_EQ(defaults->header_timeout_ms, 10000);
  EXPECT_EQ(defaults->body_timeout_ms, 30000);
  EXPECT_FALSE(defaults->rate_limit.enabled);
  Result<ServerOptions> options = Parse(
      R"({"max_connections":50,"header_timeout_ms":200,"body_timeout_ms":300,)"
      R"("rate_limit":{"enabled":true,"requests_per_second":0.5,"burst":3,"max_clients":10}})");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->max_connections, 50);
  EXPECT_EQ(options->header_timeout_ms, 200);
  EXPECT_EQ(options->body_timeout_ms, 300);
  EXPECT_TRUE(options->rate_limit.enabled);
  EXPECT_EQ(options->rate_limit.requests_per_second, 0.5);
  EXPECT_EQ(options->rate_limit.burst, 3);
  EXPECT_EQ(options->rate_limit.max_clients, 10);
}

TEST(ServerOptions, RejectsMeaninglessHostileClientDefenceValuesByKeyPath) {
  ExpectErrorNaming(Parse(R"({"max_connections":0})"), "max_connections");
  ExpectErrorNaming(Parse(R"({"max_connections":-5})"), "max_connections");
  ExpectErrorNaming(Parse(R"({"header_timeout_ms":0})"), "header_timeout_ms");
  ExpectErrorNaming(Parse(R"({"body_timeout_ms":-1})"), "body_timeout_ms");
  ExpectErrorNaming(Parse(R"({"rate_limit":true})"), "rate_limit");
  ExpectErrorNaming(Parse(R"({"rate_limit":{"requests_per_second":0}})"),
                    "rate_limit.requests_per_second");
  ExpectErrorNaming(Parse(R"({"rate_limit":{"requests_per_second":-2}})"),
                    "rate_limit.requests_per_second");
  ExpectErrorNaming(Parse(R"({"rate_limit":{"burst":0}})"), "rate_limit.burst");
  ExpectErrorNaming(Parse(R"({"rate_limit":{"max_clients":0}})"), "rate_limit.max_clients");
  ExpectErrorNaming(Parse(R"({"rate_limit":{"enabled":1}})"), "rate_limit.enabled");
  ExpectErrorNaming(Parse(R"({"rate_limit":{"per_minute":5}})"), "rate_limit.per_minute");
}

TEST(ServerOptions, ReadsTheSuggestObjectAndNamesItsBadKeys) {
  Result<ServerOptions> options = Parse(R"({"suggest":{"min_visitors":5,"half_life_hours":24}})");
  ASSERT_TRUE(options.ok()) << options.error().message;
  EXPECT_EQ(options->suggest.min_visitors, 5);
  EXPECT_EQ(options->suggest.half_life_hours, 24);
  EXPECT_EQ(options->suggest.max_queries, 100000);
  ExpectErrorNaming(Parse(R"({"suggest":{"min_visitors":0}})"), "suggest.min_visitors");
  ExpectErrorNaming(Parse(R"({"suggest":{"half_life_hours":0}})"), "suggest.half_life_hours");
  ExpectErrorNaming(Parse(R"({"suggest":{"k":3}})"), "suggest.k");
  ExpectErrorNaming(Parse(R"({"suggest":[]})"), "suggest");
}

TEST(ServerOptions, NestedSearcherErrorNamesItsKeyPath) {
  ExpectErrorNaming(Parse(R"({"searcher":{"max_limit":0}})"), "searcher.max_limit");
}

TEST(ServerOptions, MalformedFileNamesFileAndOffset) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "bad.json").string();
  std::ofstream(path) << R"({"listen": })";
  Result<ServerOptions> options = LoadServerOptions(path);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.error().message.find("bad.json"), std::string::npos);
  EXPECT_NE(options.error().message.find("offset"), std::string::npos);
}

TEST(ServerOptions, MissingFileIsNotFound) {
  Result<ServerOptions> options = LoadServerOptions("does/not/exist.json");
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.error().code, ErrorCode::kNotFound);
}

TEST(ParseListenAddress, AcceptsHostPortAndBracketedIpv6) {
  Result<ListenAddress> v4 = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 0);
  Result<ListenAddress> v6 = ParseListenAddress("[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
}

TEST(ParseListenAddress, RejectsMissingOrBadPort) {
  EXPECT_FALSE(ParseListenAddress("127.0.0.1").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:65536").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:80x").ok());
  EXPECT_FALSE(ParseListenAddress(":80").ok());
  EXPECT_FALSE(ParseListenAddress("::1:80").ok());
}

}  // namespace
}  // namespace tailor::server
