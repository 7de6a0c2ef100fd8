#include "bench/relevance/tailor_system.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <xapian.h>

#include <algorithm>
#include <fstream>
#include <iostream>

#include "core/item_table.h"
#include "core/json.h"
#include "core/text.h"
#include "indexer/indexer.h"
#include "searcher/internal/text_model.h"
#include "searcher/options.h"
#include "searcher/searcher.h"

namespace tailor::bench {
namespace {

class TailorSearcherSystem : public TailorSystem {
 public:
  TailorSearcherSystem(std::unique_ptr<searcher::Searcher> searcher, const std::string& index_dir,
                       bool normalize)
      : searcher_(std::move(searcher)), db_(index_dir), normalize_(normalize) {}

  Result<std::vector<std::string>> Rank(const std::string& query, int depth) const override {
    searcher::SearchRequest request;
    request.query = query;
    request.with_facets = false;
    Result<std::vector<searcher::Hit>> hits = searcher_->Retrieve(request, depth);
    if (!hits.ok()) return hits.error();
    std::vector<std::string> ids;
    ids.reserve(hits->size());
    for (const searcher::Hit& hit : *hits) ids.push_back(hit.id);
    return ids;
  }

  Result<std::vector<FeatureRow>> TextFeatures(const std::string& query, int depth) const override {
    searcher::SearchRequest request;
    request.query = query;
    request.with_facets = false;
    Result<std::vector<searcher::Hit>> hits = searcher_->Retrieve(request, depth);
    if (!hits.ok()) return hits.error();
    std::shared_ptr<const ItemTable> items = searcher_->Items();
    if (items == nullptr) return Error::Unavailable("the searcher has no item table");
    std::vector<FeatureRow> rows;
    for (const searcher::Hit& hit : *hits) {
      rows.push_back({hit.id, std::vector<float>(searcher::internal::kTextFeatureCount, 0.0f)});
    }
    searcher::internal::ComputeTextFeatures(
        normalize_ ? NormalizeMeasurements(query) : query, *items, db_, *hits,
        [&](size_t i, std::span<const float> features) {
          std::copy(features.begin(), features.end(), rows[i].features.begin());
        });
    return rows;
  }

 private:
  std::unique_ptr<searcher::Searcher> searcher_;
  Xapian::Database db_;
  bool normalize_;
};

Status WriteCatalog(const std::vector<CatalogProduct>& products, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) return Error::Unavailable(path + ": cannot create catalog file");
  for (const CatalogProduct& product : products) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("id");
    writer.String(product.id);
    writer.Key("title");
    writer.String(product.title);
    writer.Key("price");
    writer.Int(0);
    writer.EndObject();
    out << buffer.GetString() << '\n';
  }
  out.close();
  if (!out) return Error::Unavailable(path + ": cannot write catalog file");
  return Status::Ok();
}

Result<searcher::SearcherOptions> ReadSearcherOptions(const std::string& json) {
  rapidjson::Document doc;
  if (Status parsed = ParseJson(json.empty() ? std::string_view("{}") : std::string_view(json), "--searcher-options", doc); !parsed.ok()) {
    return parsed.error();
  }
  Result<searcher::SearcherOptions> options = searcher::ParseSearcherOptions(doc);
  if (!options.ok()) return options.error().WithPrefix("--searcher-options");
  return options;
}

}  // namespace

Result<std::unique_ptr<TailorSystem>> TailorSystem::Build(
    const std::vector<CatalogProduct>& products, const std::string& work_dir,
    const std::string& searcher_options_json) {
  Result<searcher::SearcherOptions> searcher_options = ReadSearcherOptions(searcher_options_json);
  if (!searcher_options.ok()) return searcher_options.error();
  indexer::BuildOptions build;
  build.catalog_path = work_dir + "/catalog.jsonl";
  build.index_dir = work_dir + "/index";
  build.language = indexer::Language::kEnglish;
  build.on_progress = [](const indexer::Progress& progress) {
    std::cerr << "\r  tailor index: " << progress.records_indexed << " records" << std::flush;
  };
  Status written = WriteCatalog(products, build.catalog_path);
  if (!written.ok()) return written.error();
  Result<indexer::BuildStats> stats = indexer::Build(build);
  std::cerr << '\n';
  if (!stats.ok()) return stats.error();
  Result<std::unique_ptr<searcher::Searcher>> opened =
      searcher::Searcher::Open(build.index_dir, *searcher_options);
  if (!opened.ok()) return opened.error();
  return std::unique_ptr<TailorSystem>(new TailorSearcherSystem(
      std::move(*opened), build.index_dir, searcher_options->normalize_measurements));
}

}  // namespace tailor::bench
