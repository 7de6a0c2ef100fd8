// Fuzzes catalog reading (indexer/catalog_reader.h): the input is a catalog file, read line
// by line as `build` and as `update` read it (BOM, CRLF and blank lines included). A record
// it accepts keeps the line as compact JSON (source_json, what search answers return), and
// that JSON must validate again into the same product id.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include "indexer/catalog_reader.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

void ReadAll(const std::string& text, tailor::indexer::CatalogKind kind) {
  std::istringstream in(text);
  tailor::indexer::CatalogReader reader(in, "fuzz.jsonl", kind);
  while (std::optional<tailor::Result<tailor::indexer::CatalogRecord>> record = reader.Next()) {
    if (!record->ok() || (*record)->deleted) continue;
    const tailor::Product& product = (*record)->product;
    tailor::Result<tailor::indexer::CatalogRecord> again =
        tailor::indexer::ParseCatalogLine(product.source_json, "again", kind);
    tailor::fuzz::Check(again.ok(), "an accepted record's source_json validates again");
    tailor::fuzz::Check(again->product.id == product.id, "source_json keeps the id");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(tailor::fuzz::AsText(data, size));
  ReadAll(text, tailor::indexer::CatalogKind::kBuild);
  ReadAll(text, tailor::indexer::CatalogKind::kUpdate);
  return 0;
}
