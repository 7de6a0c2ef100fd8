#include "searcher/searcher.h"

#include "searcher/internal/live_index.h"
#include "searcher/internal/text_model.h"
#include "searcher/internal/xapian_searcher.h"

namespace tailor::searcher {

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::string& index_dir,
                                                 SearcherOptions options) {
  std::shared_ptr<const internal::TextModel> text_model;
  if (!options.text_model.empty()) {
    Result<std::shared_ptr<const internal::TextModel>> loaded =
        internal::TextModel::Load(options.text_model);
    if (!loaded.ok()) return loaded.error().WithPrefix("searcher.text_model");
    text_model = std::move(*loaded);
  }
  Result<std::unique_ptr<internal::LiveIndex>> index =
      internal::LiveIndex::Open(index_dir, options.refresh_interval_ms);
  if (!index.ok()) return index.error();
  std::unique_ptr<Searcher> searcher = std::make_unique<internal::XapianSearcher>(
      std::move(*index), std::move(options), std::move(text_model));
  return searcher;
}

}  // namespace tailor::searcher
