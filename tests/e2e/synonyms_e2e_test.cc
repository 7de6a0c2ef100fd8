// End-to-end tests of synonyms over real sockets: GET and PUT /admin/synonyms, the synonyms
// file reloaded by POST /admin/reload, and what a bad set does (refused, the old set keeps
// answering). The index is never rebuilt: synonyms apply when a query is parsed.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>

#include "core/files.h"
#include "server/engine.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

const std::string kToken = "synonyms-test-token";
const std::map<std::string, std::string> kAuthorized = {{"Authorization", "Bearer " + kToken}};

// The sample catalog (test_support.h) has parkas, boots and shirts; none says "anorak".
const std::string kAnorak = R"({"synonyms": [{"root": "anorak", "synonyms": ["parka"]}]})";

long Total(HttpClient& client, const std::string& query) {
  HttpResult result = client.Send("GET", "/search?q=" + query);
  EXPECT_EQ(result.status, 200) << result.body;
  rapidjson::Document body = ParseBody(result);
  return body.IsObject() && body.HasMember("total") ? body["total"].GetInt64() : -1;
}

std::string ErrorMessageOf(const HttpResult& result) {
  rapidjson::Document body = ParseBody(result);
  if (!body.IsObject() || !body.HasMember("error")) return "";
  return body["error"]["message"].GetString();
}

RunningServerOptions WithSynonyms(const std::string& path) {
  RunningServerOptions options;
  options.refresh_interval_ms = 0;
  options.admin_token = kToken;
  options.synonyms_path = path;
  return options;
}

TEST(SynonymsE2E, StartupFileAppliesAndGetReturnsTheSet) {
  TempDir files;
  RunningServer server(WithSynonyms(files.Write("synonyms.json", kAnorak)));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  EXPECT_EQ(Total(client, "anorak"), 5);
  EXPECT_EQ(Total(client, "parka"), 5);
  HttpResult got = client.Send("GET", "/admin/synonyms", "", kAuthorized);
  ASSERT_EQ(got.status, 200) << got.body;
  rapidjson::Document body = ParseBody(got);
  ASSERT_TRUE(body.IsObject() && body["synonyms"].IsArray()) << got.body;
  ASSERT_EQ(body["synonyms"].Size(), 1u);
  EXPECT_STREQ(body["synonyms"][0]["root"].GetString(), "anorak");
  EXPECT_STREQ(body["synonyms"][0]["synonyms"][0].GetString(), "parka");
}

TEST(SynonymsE2E, PutOfABadSetIsRefusedNamingTheEntryAndTheOldSetKeepsAnswering) {
  TempDir files;
  const std::string path = files.Write("synonyms.json", kAnorak);
  RunningServer server(WithSynonyms(path));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  HttpResult bad =
      client.Send("PUT", "/admin/synonyms",
                  R"({"synonyms": [{"synonyms": ["blouse", "shirt"]}, {"synonyms": ["jacket"]}]})",
                  kAuthorized);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(ErrorCodeOf(bad), "invalid_argument");
  EXPECT_EQ(ErrorMessageOf(bad), "synonyms[1].synonyms: needs at least 2 phrases (or a root)");
  HttpResult unknown =
      client.Send("PUT", "/admin/synonyms", R"({"synonyms": [{"synonyms": ["a", "b"], "id": 3}]})",
                  kAuthorized);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_EQ(ErrorMessageOf(unknown), "synonyms[0].id: unknown key");
  EXPECT_EQ(Total(client, "anorak"), 5);
  EXPECT_EQ(Total(client, "blouse"), 0);
  Result<std::string> file = ReadFile(path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(*file, kAnorak);
}

TEST(SynonymsE2E, PutOfAGoodSetChangesSearchAndIsWrittenToTheFile) {
  TempDir files;
  const std::string path = files.Write("synonyms.json", kAnorak);
  RunningServer server(WithSynonyms(path));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  EXPECT_EQ(Total(client, "blouse"), 0);
  HttpResult put = client.Send("PUT", "/admin/synonyms",
                               R"({"synonyms": [{"synonyms": ["blouse", "shirt"]}]})", kAuthorized);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body, R"({"synonyms":1})");
  EXPECT_EQ(Total(client, "blouse"), 2);
  EXPECT_EQ(Total(client, "anorak"), 0);
  // The file holds the new set, so a restart or reload keeps it.
  Result<std::shared_ptr<const searcher::Synonyms>> stored = searcher::LoadSynonymsFile(path);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  ASSERT_EQ((*stored)->entries.size(), 1u);
  EXPECT_EQ((*stored)->entries[0].synonyms, (std::vector<std::string>{"blouse", "shirt"}));
}

TEST(SynonymsE2E, ReloadReadsTheEditedFileAndRefusesABadOne) {
  TempDir files;
  const std::string path = files.Write("synonyms.json", kAnorak);
  RunningServer server(WithSynonyms(path));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  files.Write("synonyms.json", R"({"synonyms": [{"root": "footwear", "synonyms": ["boots"]}]})");
  EXPECT_EQ(Total(client, "footwear"), 0);  // not before the reload
  HttpResult reloaded = client.Send("POST", "/admin/reload", "", kAuthorized);
  ASSERT_EQ(reloaded.status, 200) << reloaded.body;
  EXPECT_EQ(Total(client, "footwear"), 1);
  EXPECT_EQ(Total(client, "anorak"), 0);

  files.Write("synonyms.json", R"({"synonyms": [{"root": "x", "synonyms": ["y"]}, {"root": ""}]})");
  HttpResult refused = client.Send("POST", "/admin/reload", "", kAuthorized);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(ErrorMessageOf(refused),
            path + ": synonyms[1].root: must not be empty (needs a letter or digit)");
  EXPECT_EQ(Total(client, "footwear"), 1);
}

TEST(SynonymsE2E, AdminSynonymsNeedTheToken) {
  TempDir files;
  RunningServer server(WithSynonyms(files.Write("synonyms.json", kAnorak)));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  HttpResult get = client.Send("GET", "/admin/synonyms");
  EXPECT_EQ(get.status, 401) << get.body;
  EXPECT_EQ(get.headers["www-authenticate"], "Bearer");
  HttpResult put = client.Send("PUT", "/admin/synonyms", R"({"synonyms": []})",
                               {{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(put.status, 401) << put.body;
  EXPECT_EQ(Total(client, "anorak"), 5);
}

TEST(SynonymsE2E, PutWithoutASynonymsFileIsAFailedPrecondition) {
  RunningServer server(WithSynonyms(""));
  ASSERT_TRUE(server.ok());
  HttpClient client(server.port());
  HttpResult put = client.Send("PUT", "/admin/synonyms",
                               R"({"synonyms": [{"synonyms": ["blouse", "shirt"]}]})", kAuthorized);
  EXPECT_EQ(put.status, 409) << put.body;
  EXPECT_EQ(ErrorCodeOf(put), "failed_precondition");
  HttpResult get = client.Send("GET", "/admin/synonyms", "", kAuthorized);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "{\"synonyms\": []}\n");
  EXPECT_EQ(Total(client, "blouse"), 0);
}

TEST(SynonymsE2E, EngineRefusesABadFileAtStartupNamingFileAndEntry) {
  TempDir files;
  const std::string path =
      files.Write("synonyms.json", R"({"synonyms": [{"synonyms": ["a", "b"]}, {"synonyms": []}]})");
  TempDir index_dir;
  server::EngineOptions options;
  options.index_dir = BuildSampleIndex(index_dir.path());
  options.synonyms_path = path;
  Result<std::unique_ptr<server::Engine>> engine = server::Engine::Open(options);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(engine.error().message,
            path + ": synonyms[1].synonyms: needs at least 2 phrases (or a root)");
}

}  // namespace
}  // namespace tailor::testing
