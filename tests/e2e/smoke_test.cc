// Smoke test of the built executables: tailor-indexer builds an index, tailor-server runs as
// a child process on a free port, answers over HTTP and exits cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/child_process.h"
#include "tests/e2e/http_client.h"
#include "tests/server/test_support.h"

namespace tailor::testing {
namespace {

TEST(Smoke, IndexerBuildsAndServerAnswersAndStopsCleanlyOnSigterm) {
  TempDir dir;
  const std::string index = IndexWithTheBinary(dir);
  ASSERT_FALSE(index.empty());

  ChildProcess server({kBinDir + "/tailor-server", "--config",
                       TAILOR_SOURCE_DIR "/config/server.json", "--listen", "127.0.0.1:0",
                       "--index", index, "--state", (dir.path() / "state").string(), "--threads",
                       "2"});
  const std::string line = server.ReadLine();
  const uint16_t port = PortFromListeningLine(line);
  ASSERT_NE(port, 0) << "startup line: " << line;

  HttpResult health = Fetch(port, "GET", "/health");
  ASSERT_EQ(health.status, 200) << health.error;
  rapidjson::Document health_body;
  health_body.Parse(health.body.c_str());
  EXPECT_EQ(health_body["documents"].GetInt64(), 8);
  HttpResult search = Fetch(port, "GET", "/search?q=parka&limit=3");
  EXPECT_EQ(search.status, 200) << search.error << search.body;

  server.Signal(SIGTERM);
  const int status = server.Wait();
  EXPECT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Smoke, EveryAcknowledgedEventSurvivesSigkill) {
  TempDir dir;
  const std::string index = IndexWithTheBinary(dir);
  ASSERT_FALSE(index.empty());
  const std::string state = (dir.path() / "state").string();

  // Each acknowledged batch adds 10 units of A1 in M to the cart: the cart's quantity then
  // counts exactly the acknowledged events, without decay or caps.
  std::string batch = R"({"events": [)";
  for (int i = 0; i < 10; ++i) {
    batch += std::string(i > 0 ? "," : "") +
             R"({"type": "add_to_cart", "visitor": "v1", "item": "A1", "size": "M"})";
  }
  batch += "]}";
  // One client posts batches without pause; the server is killed while it does, after at
  // least kMinBatches were acknowledged. The batch in flight at the kill may or may not
  // have been made durable, but every acknowledged one must be there.
  constexpr int kMinBatches = 30;
  std::atomic<int> acknowledged_batches{0};
  {
    ChildProcess server(ServerArgs(index, state));
    const uint16_t port = StartServer(server);
    ASSERT_NE(port, 0);
    std::atomic<bool> killed{false};
    std::thread client([&] {
      while (!killed.load()) {
        HttpResult posted = Fetch(port, "POST", "/events", batch);
        if (posted.status != 202) return;
        ++acknowledged_batches;
      }
    });
    while (acknowledged_batches.load() < kMinBatches) std::this_thread::yield();
    server.Signal(SIGKILL);
    killed = true;
    server.Wait();
    client.join();
  }
  const int acknowledged = 10 * acknowledged_batches.load();
  ChildProcess restarted(ServerArgs(index, state));
  const uint16_t port = StartServer(restarted);
  ASSERT_NE(port, 0);
  HttpResult profile = Fetch(port, "GET", "/profiles/v1");
  ASSERT_EQ(profile.status, 200) << profile.error << profile.body;
  rapidjson::Document body;
  body.Parse(profile.body.c_str());
  ASSERT_TRUE(body.IsObject() && body.HasMember("cart")) << profile.body;
  ASSERT_EQ(body["cart"].Size(), 1u) << profile.body;
  const int recovered = body["cart"][0]["quantity"].GetInt();
  EXPECT_GE(recovered, acknowledged);
  EXPECT_LE(recovered, acknowledged + 10);
  restarted.Signal(SIGTERM);
  restarted.Wait();
}

// Reads the server's stderr up to its next SIGHUP report and returns that line ("" when
// none came).
std::string NextHangupLine(ChildProcess& server) {
  const std::string prefix = "tailor-server: SIGHUP: ";
  for (std::string line = server.ReadErrorLine(); !line.empty(); line = server.ReadErrorLine()) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return "";
}

TEST(Smoke, SighupWithABrokenScoringConfigKeepsServingAndAFixedOneIsSwappedIn) {
  TempDir dir;
  const std::string index = IndexWithTheBinary(dir);
  ASSERT_FALSE(index.empty());
  std::filesystem::create_directories(dir.path() / "scoring");
  std::filesystem::copy(TAILOR_SOURCE_DIR "/tests/data/models", dir.path() / "scoring/models",
                        std::filesystem::copy_options::recursive);
  const std::string scoring = (dir.path() / "scoring/scoring.json").string();
  std::filesystem::copy_file(TAILOR_SOURCE_DIR "/tests/data/scoring.json", scoring);

  std::vector<std::string> args = ServerArgs(index, (dir.path() / "state").string());
  args.insert(args.end(), {"--scoring", scoring});
  ChildProcess server(args, ChildStderr::kCapture);
  const uint16_t port = StartServer(server);
  ASSERT_NE(port, 0);
  // The address is printed before the handler is installed; a SIGHUP before it would kill.
  for (int i = 0; i < 100000 && !server.Catches(SIGHUP); ++i) std::this_thread::yield();
  ASSERT_TRUE(server.Catches(SIGHUP));
  auto status_of = [port](const std::string& target) {
    HttpResult result = Fetch(port, "GET", target);
    EXPECT_NE(result.status, 0) << target << ": " << result.error;
    return result.status;
  };
  ASSERT_EQ(status_of("/search?q=parka&variant=boosted"), 200);
  ASSERT_EQ(status_of("/search?q=parka&variant=fresh"), 400);

  dir.Write("scoring/scoring.json", "{\"variants\": {\"default\": ");
  server.Signal(SIGHUP);
  const std::string refused = NextHangupLine(server);
  EXPECT_NE(refused.find(scoring), std::string::npos) << "stderr: " << refused;
  EXPECT_NE(refused.find("invalid JSON"), std::string::npos) << "stderr: " << refused;
  EXPECT_EQ(status_of("/search?q=parka"), 200);
  EXPECT_EQ(status_of("/search?q=parka&variant=boosted"), 200);  // the old config serves

  dir.Write("scoring/scoring.json", R"({"variants": {"default": {"model": "models/hand_set.json"},)"
                                    R"( "fresh": {"model": null}}})");
  server.Signal(SIGHUP);
  EXPECT_EQ(NextHangupLine(server), "synonyms and scoring config reloaded");
  // The line is printed after the swap; the bounded poll is a second line of defence.
  int fresh = 0;
  for (int i = 0; i < 100 && fresh != 200; ++i) fresh = status_of("/search?q=parka&variant=fresh");
  EXPECT_EQ(fresh, 200);
  EXPECT_EQ(status_of("/search?q=parka&variant=boosted"), 400);
  EXPECT_EQ(status_of("/search?q=parka"), 200);

  server.Signal(SIGTERM);
  const int exit_status = server.Wait();
  EXPECT_TRUE(WIFEXITED(exit_status)) << "status " << exit_status;
  EXPECT_EQ(WEXITSTATUS(exit_status), 0);
}

TEST(Smoke, ServerExitsNonZeroWhenTheIndexCannotBeOpened) {
  TempDir dir;
  const std::string command = kBinDir + "/tailor-server --listen 127.0.0.1:0 --index '" +
                              (dir.path() / "missing").string() + "' > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
}

TEST(Smoke, ServerRefusesToStartWithABadSynonymsFileAndSaysWhere) {
  TempDir dir;
  const std::string index = IndexWithTheBinary(dir);
  ASSERT_FALSE(index.empty());
  const std::string synonyms =
      dir.Write("synonyms.json", R"({"synonyms": [{"root": "tee", "synonyms": [""]}]})");
  const std::string config = dir.Write("server.json", R"({"synonyms": ")" + synonyms + R"("})");
  ChildProcess server({kBinDir + "/tailor-server", "--config", config, "--listen", "127.0.0.1:0",
                       "--index", index, "--state", (dir.path() / "state").string()},
                      ChildStderr::kCapture);
  const std::string expected = "tailor-server: " + synonyms +
                               ": synonyms[0].synonyms[0]: must not be empty (needs a letter or "
                               "digit)";
  std::string last;
  for (std::string line = server.ReadErrorLine(); !line.empty(); line = server.ReadErrorLine()) {
    last = line;
  }
  EXPECT_EQ(last, expected);
  EXPECT_EQ(server.ReadLine(), "");  // never listened
  const int status = server.Wait();
  EXPECT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 1);
}

TEST(Smoke, ServerHelpExitsZero) {
  const std::string command = kBinDir + "/tailor-server --help > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0);
}

}  // namespace
}  // namespace tailor::testing
