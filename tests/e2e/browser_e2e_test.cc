// The demo shop in a real browser: the server in-process on the sample catalog, and
// tests/web/shop.test.mjs driving headless Chromium against it like a shopper (search,
// facet, three clicks that lift a brand, a size in the cart, the profile forgotten).
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "tests/common/run_command.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

constexpr char kWebTests[] = TAILOR_SOURCE_DIR "/tests/web";

// What the browser test needs besides the server; "" when all is there.
std::string MissingTools() {
  if (RunCommand("node --version").exit_code != 0) return "node is not on PATH";
  if (!std::filesystem::exists("/usr/bin/chromium")) return "/usr/bin/chromium is missing";
  if (!std::filesystem::exists(std::string(kWebTests) + "/node_modules/playwright-core")) {
    return "tests/web/node_modules/playwright-core is missing";
  }
  return "";
}

TEST(Browser, ShopperSearchesFiltersClicksCartsAndForgets) {
  // Missing tools fail rather than skip: a skipped browser test looks like a passing one.
  const std::string missing = MissingTools();
  ASSERT_EQ(missing, "") << missing << ": run scripts/setup";

  RunningServerOptions options = WithState(TAILOR_SOURCE_DIR "/data/catalog.jsonl");
  // The tests' hand-set model, with personalized retrieval: the default tests/data config
  // reranks only the top 200 text matches, where a brand the shopper clicked may have no
  // item at all (a 3,000-match query), so it could never rise.
  options.scoring_config = TAILOR_SOURCE_DIR "/tests/data/shop_scoring.json";
  RunningServer server(options);
  ASSERT_TRUE(server.ok());

  const std::string screenshots = server.dir().Path("screenshots");
  const std::string command = "node " + std::string(kWebTests) +
                              "/shop.test.mjs http://127.0.0.1:" + std::to_string(server.port()) +
                              " " + screenshots;
  const ProcessRun run = RunCommand(command);
  std::cout << run.output;
  EXPECT_EQ(run.exit_code, 0) << command << " failed:\n" << run.output;
  if (run.exit_code != 0) {
    // The temp dir goes away with the test: keep the failure screenshots where ctest runs.
    std::error_code ignored;
    std::filesystem::copy(screenshots, "browser-test-screenshots",
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing,
                          ignored);
    std::cout << "failure screenshots copied to "
              << std::filesystem::absolute("browser-test-screenshots").string() << std::endl;
  }
}

}  // namespace
}  // namespace tailor::testing
