// What the browser end-to-end tests share: the check for node, Chromium and playwright-core,
// and running one tests/web script against a running server, keeping its failure
// screenshots where ctest runs.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

#include "tests/common/run_command.h"

namespace tailor::testing {

inline constexpr char kWebTests[] = TAILOR_SOURCE_DIR "/tests/web";

// What a browser test needs besides the server; "" when all is there.
inline std::string MissingBrowserTools() {
  if (RunCommand("node --version").exit_code != 0) return "node is not on PATH";
  if (!std::filesystem::exists("/usr/bin/chromium")) return "/usr/bin/chromium is missing";
  if (!std::filesystem::exists(std::string(kWebTests) + "/node_modules/playwright-core")) {
    return "tests/web/node_modules/playwright-core is missing";
  }
  return "";
}

// Runs `node tests/web/<script> <arguments> <screenshots>`, prints what it printed and
// expects exit 0; on failure copies the screenshots to ./<kept_as>.
inline void RunBrowserScript(const std::string& script, const std::string& arguments,
                             const std::string& screenshots, const std::string& kept_as) {
  const std::string command =
      "node " + std::string(kWebTests) + "/" + script + " " + arguments + " " + screenshots;
  const ProcessRun run = RunCommand(command);
  std::cout << run.output;
  EXPECT_EQ(run.exit_code, 0) << command << " failed:\n" << run.output;
  if (run.exit_code != 0) {
    // The temp dir goes away with the test: keep the failure screenshots where ctest runs.
    std::error_code ignored;
    std::filesystem::copy(screenshots, kept_as,
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing,
                          ignored);
    std::cout << "failure screenshots copied to " << std::filesystem::absolute(kept_as).string()
              << std::endl;
  }
}

}  // namespace tailor::testing
