// Fuzzes the synonyms file parser (searcher/synonyms.h). A set it accepts is compiled into
// the table a search handle uses (stemmed with the English stemmer, as the sample index is)
// and looked up in the input's own text, as a query; and it must write a file
// (SynonymsToJson, what PUT /admin/synonyms stores) that reads back and writes the same.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "searcher/internal/synonym_table.h"
#include "searcher/synonyms.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace searcher = tailor::searcher;
  std::string_view text = tailor::fuzz::AsText(data, size);
  (void)searcher::SynonymWords(text);
  tailor::Result<std::shared_ptr<const searcher::Synonyms>> synonyms =
      searcher::ParseSynonyms(text, "fuzz.json");
  if (!synonyms.ok()) return 0;
  static Xapian::Stem stemmer("english");
  searcher::internal::SynonymTable table =
      searcher::internal::SynonymTable::Build(**synonyms, stemmer);
  (void)searcher::internal::FindSynonyms(text, table, stemmer);
  const std::string written = searcher::SynonymsToJson(**synonyms);
  tailor::Result<std::shared_ptr<const searcher::Synonyms>> back =
      searcher::ParseSynonyms(written, "round trip");
  tailor::fuzz::Check(back.ok(), "SynonymsToJson reads back");
  tailor::fuzz::Check(searcher::SynonymsToJson(**back) == written,
                      "a synonyms file reads back unchanged");
  return 0;
}
