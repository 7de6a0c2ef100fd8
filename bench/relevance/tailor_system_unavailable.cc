// Used while the build has no indexer or searcher library: the benchmark then runs the
// plain BM25 baseline only.
#include "bench/relevance/tailor_system.h"

namespace tailor::bench {

bool TailorSystem::Available() { return false; }

Result<std::unique_ptr<TailorSystem>> TailorSystem::Build(const std::vector<CatalogProduct>&,
                                                          const std::string&,
                                                          const std::string&) {
  return Error::Unavailable("this build has no tailor::indexer and tailor::searcher");
}

}  // namespace tailor::bench
