#include "searcher/searcher.h"

#include "searcher/internal/live_index.h"
#include "searcher/internal/xapian_searcher.h"

namespace tailor::searcher {

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::string& index_dir,
                                                 SearcherOptions options) {
  Result<std::unique_ptr<internal::LiveIndex>> index =
      internal::LiveIndex::Open(index_dir, options.refresh_interval_ms);
  if (!index.ok()) return index.error();
  std::unique_ptr<Searcher> searcher =
      std::make_unique<internal::XapianSearcher>(std::move(*index), std::move(options));
  return searcher;
}

}  // namespace tailor::searcher
