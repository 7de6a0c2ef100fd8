// The merchandiser's console in a real browser: the server in-process on the sample catalog
// with an admin token, and tests/web/console.test.mjs driving headless Chromium against it
// (a brand boost previewed on logged traffic, switched live, rolled back; a refused rule;
// analytics; an explanation). Without an admin token the console is not served at all.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "tests/common/temp_dir.h"
#include "tests/e2e/browser_run.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

constexpr char kToken[] = "console-secret";

// A copy of the shop test's scoring config and its model: switching live writes the config
// file, which must not be the repository's.
std::string WritableScoringConfig(const TempDir& dir) {
  namespace fs = std::filesystem;
  const fs::path data = TAILOR_SOURCE_DIR "/tests/data";
  fs::copy_file(data / "shop_scoring.json", dir.path() / "scoring.json");
  fs::copy(data / "models", dir.path() / "models", fs::copy_options::recursive);
  return dir.Path("scoring.json");
}

TEST(Console, MerchandiserBoostsPreviewsSwitchesLiveAndRollsBack) {
  // Missing tools fail rather than skip: a skipped browser test looks like a passing one.
  const std::string missing = MissingBrowserTools();
  ASSERT_EQ(missing, "") << missing << ": run scripts/setup";

  TempDir config_dir;
  RunningServerOptions options = WithState(TAILOR_SOURCE_DIR "/data/catalog.jsonl");
  options.admin_token = kToken;
  // The hand-set model with personalized retrieval, as the shop's browser test has it.
  options.scoring_config = WritableScoringConfig(config_dir);
  RunningServer server(options);
  ASSERT_TRUE(server.ok());

  RunBrowserScript("console.test.mjs",
                   "http://127.0.0.1:" + std::to_string(server.port()) + " " + kToken,
                   server.dir().Path("screenshots"), "console-test-screenshots");
}

TEST(Console, NotServedWithoutAnAdminToken) {
  RunningServer server;  // web/ served, no admin token
  ASSERT_TRUE(server.ok());
  for (const char* path : {"/console", "/console/", "/console/console.js"}) {
    EXPECT_EQ(Fetch(server.port(), "GET", path).status, 404) << path;
  }
  // The shop next to it still is.
  EXPECT_EQ(Fetch(server.port(), "GET", "/").status, 200);
}

}  // namespace
}  // namespace tailor::testing
