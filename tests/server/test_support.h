// Fixtures shared by the server and end-to-end suites: a per-test temporary directory and a
// small real index built with the indexer from a hand-written catalog.
#pragma once

#include <filesystem>
#include <string>

#include "tests/common/temp_dir.h"

namespace tailor::testing {

// Eight products: brands Acme (3, prices 20, 45, 80), Borealis (3), Cirrus (2); parkas,
// boots, shirts; sizes and colours. Returns the catalog's path.
std::string WriteSampleCatalog(const std::filesystem::path& dir);

// Builds an index from the sample catalog into dir/index and returns that directory.
// Fails the calling test (ADD_FAILURE) and returns "" when the build fails.
std::string BuildSampleIndex(const std::filesystem::path& dir);

// Builds an index from catalog_path into dir/index and returns that directory; as above on
// failure.
std::string BuildIndexFrom(const std::string& catalog_path, const std::filesystem::path& dir);

}  // namespace tailor::testing
