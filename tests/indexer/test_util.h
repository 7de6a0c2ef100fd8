// Helpers for the indexer tests: the shared per-test temporary directory.
#pragma once

#include "tests/common/temp_dir.h"

namespace tailor::indexer::testing {

using TempDir = ::tailor::testing::TempDir;

}  // namespace tailor::indexer::testing
