// The demo shop in a real browser: the server in-process on the sample catalog, and
// tests/web/shop.test.mjs driving headless Chromium against it like a shopper (search,
// facet, three clicks that lift a brand, a size in the cart, the profile forgotten).
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "tests/e2e/browser_run.h"
#include "tests/e2e/running_server.h"

namespace tailor::testing {
namespace {

TEST(Browser, ShopperSearchesFiltersClicksCartsAndForgets) {
  // Missing tools fail rather than skip: a skipped browser test looks like a passing one.
  const std::string missing = MissingBrowserTools();
  ASSERT_EQ(missing, "") << missing << ": run scripts/setup";

  RunningServerOptions options = WithState(TAILOR_SOURCE_DIR "/data/catalog.jsonl");
  // The tests' hand-set model, with personalized retrieval: the default tests/data config
  // reranks only the top 200 text matches, where a brand the shopper clicked may have no
  // item at all (a 3,000-match query), so it could never rise.
  options.scoring_config = TAILOR_SOURCE_DIR "/tests/data/shop_scoring.json";
  RunningServer server(options);
  ASSERT_TRUE(server.ok());

  RunBrowserScript("shop.test.mjs", "http://127.0.0.1:" + std::to_string(server.port()),
                   server.dir().Path("screenshots"), "browser-test-screenshots");
}

}  // namespace
}  // namespace tailor::testing
