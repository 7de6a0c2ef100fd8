// The Tailor side of the relevance benchmark: the products written as a catalog, indexed
// with tailor::indexer::Build and searched with tailor::searcher::Searcher, as the server
// would.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/relevance/judgments.h"
#include "core/result.h"

namespace tailor::bench {

class TailorSystem {
 public:
  // Writes the products to work_dir/catalog.jsonl (id, title, price 0), builds an index in
  // work_dir/index with language en and opens a Searcher on it with the searcher options
  // read from `searcher_options_json` (a "searcher" object; empty: the defaults).
  // Errors: those of the indexer, the options parser and Searcher::Open.
  static Result<std::unique_ptr<TailorSystem>> Build(const std::vector<CatalogProduct>& products,
                                                     const std::string& work_dir,
                                                     const std::string& searcher_options_json);
  virtual ~TailorSystem() = default;

  // Product ids of the searcher's top `depth` candidates for the query, best first.
  virtual Result<std::vector<std::string>> Rank(const std::string& query, int depth) const = 0;

  // The text model's features (searcher/internal/text_model.h) of the searcher's top `depth`
  // candidates, in its order: what a text model trains on. Use with no text model loaded,
  // so the order is the one a model reorders.
  struct FeatureRow {
    std::string id;
    std::vector<float> features;
  };
  virtual Result<std::vector<FeatureRow>> TextFeatures(const std::string& query,
                                                       int depth) const = 0;
};

}  // namespace tailor::bench
