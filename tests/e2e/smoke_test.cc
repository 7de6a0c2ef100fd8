// Smoke test of the built executables: tailor-indexer builds an index, tailor-server runs as
// a child process on a free port, answers over HTTP and exits cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/http_client.h"
#include "tests/server/test_support.h"

namespace tailor::testing {
namespace {

const std::string kBinDir = TAILOR_BIN_DIR;

// A child process with its stdout on a pipe; killed and reaped on destruction if still
// running.
class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> args) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }

  // The next line of the child's stdout, "" at end of file.
  std::string ReadLine() {
    char line[512];
    if (out_ == nullptr || std::fgets(line, sizeof(line), out_) == nullptr) return "";
    return line;
  }
  void Signal(int signal) { ::kill(pid_, signal); }
  // Waits for the child to exit and returns its wait status.
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool reaped_ = false;
};

// Parses "tailor-server listening on 127.0.0.1:PORT"; 0 when the line is not that.
uint16_t PortFromListeningLine(const std::string& line) {
  const std::string prefix = "tailor-server listening on 127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) return 0;
  return static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
}

TEST(Smoke, IndexerBuildsAndServerAnswersAndStopsCleanlyOnSigterm) {
  TempDir dir;
  const std::string catalog = WriteSampleCatalog(dir.path());
  const std::string index = (dir.path() / "index").string();
  const std::string build = kBinDir + "/tailor-indexer build --catalog '" + catalog +
                            "' --index '" + index + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(build.c_str()), 0) << build;

  ChildProcess server({kBinDir + "/tailor-server", "--config",
                       TAILOR_SOURCE_DIR "/config/server.json", "--listen", "127.0.0.1:0",
                       "--index", index, "--state", (dir.path() / "state").string(),
                       "--threads", "2"});
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

// Starts tailor-server on the index and state; the port, 0 when it did not start.
uint16_t StartServer(ChildProcess& server) {
  const std::string line = server.ReadLine();
  return PortFromListeningLine(line);
}

std::vector<std::string> ServerArgs(const std::string& index, const std::string& state) {
  return {kBinDir + "/tailor-server", "--config", TAILOR_SOURCE_DIR "/config/server.json",
          "--listen", "127.0.0.1:0", "--index", index, "--state", state, "--threads", "2"};
}

TEST(Smoke, EveryAcknowledgedEventSurvivesSigkill) {
  TempDir dir;
  const std::string catalog = WriteSampleCatalog(dir.path());
  const std::string index = (dir.path() / "index").string();
  const std::string state = (dir.path() / "state").string();
  const std::string build = kBinDir + "/tailor-indexer build --catalog '" + catalog +
                            "' --index '" + index + "' > /dev/null 2>&1";
  ASSERT_EQ(std::system(build.c_str()), 0) << build;

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

TEST(Smoke, ServerExitsNonZeroWhenTheIndexCannotBeOpened) {
  TempDir dir;
  const std::string command = kBinDir + "/tailor-server --listen 127.0.0.1:0 --index '" +
                              (dir.path() / "missing").string() + "' > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
}

TEST(Smoke, ServerHelpExitsZero) {
  const std::string command = kBinDir + "/tailor-server --help > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0);
}

}  // namespace
}  // namespace tailor::testing
