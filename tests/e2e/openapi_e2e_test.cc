// The API description web/openapi.json against the server: the same routes (no endpoint
// undescribed, no described one missing), and every live answer matching it, checked by
// tests/web/openapi.test.mjs (node, ajv) against a real server.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "server/engine.h"
#include "server/http/handlers.h"
#include "server/http/static_files.h"
#include "tests/common/temp_dir.h"
#include "tests/e2e/running_server.h"
#include "tests/server/test_support.h"

namespace tailor::testing {
namespace {

const std::string kSourceDir = TAILOR_SOURCE_DIR;

// "METHOD PATH" of every operation web/openapi.json describes.
std::set<std::string> DescribedRoutes() {
  std::ifstream in(kSourceDir + "/web/openapi.json");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  rapidjson::Document spec;
  spec.Parse(text.c_str(), text.size());
  std::set<std::string> routes;
  if (spec.HasParseError() || !spec.IsObject() || !spec.HasMember("paths")) {
    ADD_FAILURE() << "web/openapi.json: not a JSON object with paths";
    return routes;
  }
  static const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                                 "options", "head", "patch", "trace"};
  for (const auto& path : spec["paths"].GetObject()) {
    for (const auto& member : path.value.GetObject()) {
      std::string method = member.name.GetString();
      if (kMethods.count(method) == 0) continue;  // "parameters", "summary", ...
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes.insert(method + " " + path.name.GetString());
    }
  }
  return routes;
}

// The web folder the servers here serve: web/ itself, or, while web/console/ is not in the
// checkout, a copy of it under dir with a stand-in console page, so that the described
// "/console" is routed and answered either way and neither test depends on the checkout.
std::string WebDir(const TempDir& dir) {
  const std::string web = kSourceDir + "/web";
  if (std::filesystem::is_regular_file(web + "/console/index.html")) return web;
  const std::filesystem::path copy = dir.path() / "web";
  std::filesystem::copy(web, copy, std::filesystem::copy_options::recursive);
  std::filesystem::create_directories(copy / "console");
  std::ofstream(copy / "console" / "index.html")
      << "<!doctype html><title>Tailor console (stand-in)</title>\n";
  return copy.string();
}

std::string Join(const std::set<std::string>& routes) {
  std::string joined;
  for (const std::string& route : routes) joined += "\n  " + route;
  return joined.empty() ? " none" : joined;
}

TEST(OpenApiTest, DescribesExactlyTheRoutedPaths) {
  TempDir dir;
  server::EngineOptions engine_options;
  engine_options.index_dir = BuildSampleIndex(dir.path());
  Result<std::unique_ptr<server::Engine>> engine = server::Engine::Open(engine_options);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  Result<server::http::StaticFiles> files = server::http::LoadStaticFiles(WebDir(dir));
  ASSERT_TRUE(files.ok()) << files.error().message;
  server::http::RouterOptions options;
  options.admin_token = "token";
  options.static_files = *files;
  const server::http::Router router = server::http::MakeRouter(**engine, options);

  // Of the static files, the description covers the pages and files the API names: the demo
  // shop, the client, itself and the console's page (routed only with an admin token, as
  // here). The shop's and the console's other assets ("/console/", "/console/app.js") are
  // files, not API. Router paths ("/profiles/{visitor}") are OpenAPI's.
  static const std::set<std::string> kDescribedFiles = {"/", "/tailor.js", "/openapi.json",
                                                        "/console"};
  std::set<std::string> routed;
  for (const std::string& route : router.Routes()) {
    const std::string path = route.substr(route.find(' ') + 1);
    if (files->count(path) > 0 && kDescribedFiles.count(path) == 0) continue;
    routed.insert(route);
  }
  const std::set<std::string> described = DescribedRoutes();

  std::set<std::string> undescribed, unrouted;
  for (const std::string& route : routed) {
    if (described.count(route) == 0) undescribed.insert(route);
  }
  for (const std::string& route : described) {
    if (routed.count(route) == 0) unrouted.insert(route);
  }
  EXPECT_TRUE(undescribed.empty()) << "routed but not in web/openapi.json:" << Join(undescribed);
  EXPECT_TRUE(unrouted.empty()) << "in web/openapi.json but not routed:" << Join(unrouted);
}

// What a command printed (stdout and stderr) and its exit status, -1 when it did not exit.
struct CommandResult {
  std::string output;
  int exit_status = -1;
};

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> chunk;
  while (size_t read = fread(chunk.data(), 1, chunk.size(), pipe)) {
    result.output.append(chunk.data(), read);
  }
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  return result;
}

TEST(OpenApiTest, EveryAnswerMatchesTheDescription) {
  // Never skipped: a missing tool would otherwise hide a drifted description.
  ASSERT_EQ(std::system("command -v node >/dev/null 2>&1"), 0)
      << "node is missing: run scripts/setup";
  for (const char* package : {"ajv", "ajv-formats", "@seriousme/openapi-schema-validator"}) {
    ASSERT_TRUE(std::filesystem::is_directory(kSourceDir + "/tests/web/node_modules/" + package))
        << "tests/web/node_modules/" << package << " is missing: run scripts/setup";
  }
  // The script PUTs the synonym set back, so the server gets a file of its own.
  TempDir dir;
  const std::string synonyms_path = (dir.path() / "synonyms.json").string();
  std::ofstream(synonyms_path) << R"({"synonyms": [{"root": "anorak", "synonyms": ["parka"]},)"
                               << R"( {"synonyms": ["shirt", "blouse"]}]})";
  const std::string token = "openapi-test-token";
  RunningServerOptions options = WithState();
  options.admin_token = token;
  options.synonyms_path = synonyms_path;
  // It also PUTs the scoring config and rolls it back, which rewrites the config file: the
  // server gets a copy of tests/data (the config and the models it names relative to it).
  std::filesystem::copy(kSourceDir + "/tests/data", dir.path() / "scoring",
                        std::filesystem::copy_options::recursive);
  options.scoring_config = (dir.path() / "scoring" / "scoring.json").string();
  options.web_dir = WebDir(dir);
  RunningServer server(options);
  ASSERT_TRUE(server.ok());

  const CommandResult node =
      RunCommand("node '" + kSourceDir + "/tests/web/openapi.test.mjs' http://127.0.0.1:" +
                 std::to_string(server.port()) + " " + token);
  std::cout << node.output;
  EXPECT_EQ(node.exit_status, 0) << "tests/web/openapi.test.mjs found mismatches (above)";
}

}  // namespace
}  // namespace tailor::testing
