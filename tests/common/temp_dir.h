// A temporary directory per test, shared by every suite: created fresh under the system temp
// dir, named after the running test, and removed with everything in it on destruction.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace tailor::testing {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info != nullptr
                           ? std::string(info->test_suite_name()) + "." + info->name()
                           : std::string("no-test");
    path_ = std::filesystem::temp_directory_path() /
            ("tailor-" + name + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter.fetch_add(1)));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside this directory.
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

  // Writes a file in this directory and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream out(Path(name), std::ios::binary);
    out << content;
    return Path(name);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace tailor::testing
