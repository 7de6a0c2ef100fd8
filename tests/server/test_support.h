// Fixtures shared by the server and end-to-end suites: a per-test temporary directory and a
// small real index built with the indexer from a hand-written catalog.
#pragma once

#include <filesystem>
#include <string>

namespace tailor::testing {

// A fresh directory under the system temp dir, named after the running test; removed (with
// its contents) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Eight products: brands Acme (3, prices 20, 45, 80), Borealis (3), Cirrus (2); parkas,
// boots, shirts; sizes and colours. Returns the catalog's path.
std::string WriteSampleCatalog(const std::filesystem::path& dir);

// Builds an index from the sample catalog into dir/index and returns that directory.
// Fails the calling test (ADD_FAILURE) and returns "" when the build fails.
std::string BuildSampleIndex(const std::filesystem::path& dir);

}  // namespace tailor::testing
