#include "tests/server/test_support.h"

#include <gtest/gtest.h>

#include <fstream>

#include "indexer/indexer.h"

namespace tailor::testing {
namespace {

constexpr const char* kSampleCatalog[] = {
    R"({"id":"A1","title":"Acme Storm Parka","brand":"Acme","price":80,"list_price":120,"category":["Men","Jackets","Parkas"],"colors":["black"],"sizes":{"M":3,"L":0},"extra":"kept"})",
    R"({"id":"A2","title":"Acme Light Parka","brand":"Acme","price":45,"category":["Men","Jackets","Parkas"],"colors":["blue"],"sizes":{"S":2}})",
    R"({"id":"A3","title":"Acme Trail Boots","brand":"Acme","price":20,"category":["Men","Shoes"],"colors":["brown"],"stock":5})",
    R"({"id":"B1","title":"Borealis Arctic Parka","brand":"Borealis","price":300,"category":["Women","Jackets","Parkas"],"colors":["red"],"sizes":{"M":1}})",
    R"({"id":"B2","title":"Borealis Rain Parka","brand":"Borealis","price":150,"category":["Women","Jackets","Parkas"],"colors":["yellow"],"sizes":{"L":4}})",
    R"({"id":"B3","title":"Borealis Wool Shirt","brand":"Borealis","price":60,"category":["Men","Shirts"],"colors":["green"],"stock":0})",
    R"({"id":"C1","title":"Cirrus City Parka","brand":"Cirrus","price":90,"category":["Women","Jackets","Parkas"],"colors":["black"],"sizes":{"S":1}})",
    R"({"id":"C2","title":"Cirrus Linen Shirt","brand":"Cirrus","price":35,"category":["Women","Shirts"],"colors":["white"],"stock":7})",
};

}  // namespace

std::string WriteSampleCatalog(const std::filesystem::path& dir) {
  const std::string path = (dir / "catalog.jsonl").string();
  std::ofstream out(path);
  for (const char* line : kSampleCatalog) out << line << "\n";
  return path;
}

std::string BuildSampleIndex(const std::filesystem::path& dir) {
  return BuildIndexFrom(WriteSampleCatalog(dir), dir);
}

std::string BuildIndexFrom(const std::string& catalog_path, const std::filesystem::path& dir) {
  indexer::BuildOptions options;
  options.catalog_path = catalog_path;
  options.index_dir = (dir / "index").string();
  options.language = indexer::Language::kEnglish;
  Result<indexer::BuildStats> stats = indexer::Build(options);
  if (!stats.ok()) {
    ADD_FAILURE() << "index build failed: " << stats.error().message;
    return "";
  }
  return options.index_dir;
}

}  // namespace tailor::testing
