// Turns a validated Product into a Xapian document laid out as core/index_schema.h says.
// Internal to the indexer.
//
// Text fields go through NormalizeMeasurements (core/text.h), as the searcher's queries do,
// and are indexed twice, once with their field prefix (for fielded queries such as
// "brand:puma") and once without (for plain queries), with these within-document-frequency
// increments per word, so that a word in the title outweighs the same word in a
// description under BM25:
//   title 6, brand 4, category 3, attributes 2, description 1.
// Spelling data ("did you mean") comes from the title, brand and category only, so typos in
// long descriptions do not become suggestions. Unprefixed terms and the prefixed copies of
// title, brand and category carry positions (phrase queries); the prefixed copies of
// attributes and description do not, to keep builds fast.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/product.h"
#include "indexer/indexer.h"

namespace tailor::indexer::internal {

inline constexpr Xapian::termcount kTitleWeight = 6;
inline constexpr Xapian::termcount kBrandWeight = 4;
inline constexpr Xapian::termcount kCategoryWeight = 3;
inline constexpr Xapian::termcount kAttributeWeight = 2;
inline constexpr Xapian::termcount kDescriptionWeight = 1;

// Xapian's glass backend rejects terms longer than this many bytes.
inline constexpr size_t kMaxTermBytes = 245;

// "english", "german", or "none" (no stemming) for the given language.
std::string StemmerName(Language language);

// The schema::kBrowseOrderSlot value of a product (core/index_schema.h): ascending byte
// order is popularity descending, products without one last, then id ascending.
std::string BrowseOrderKey(std::optional<double> popularity, std::string_view id);

// Truncates a term to at most kMaxTermBytes without splitting a UTF-8 sequence.
std::string TruncateTerm(std::string term);

// Builds documents. Reuses one TermGenerator, so it is cheap per document. Not thread-safe.
class DocumentBuilder {
 public:
  // `spelling_db` receives the spelling data of the documents built; it must outlive the
  // builder. Pass nullptr to add no spelling data.
  DocumentBuilder(Language language, Xapian::WritableDatabase* spelling_db);

  // The document for a product. May throw Xapian::Error (callers catch at the boundary).
  Xapian::Document Build(const Product& product);

 private:
  struct TextOptions {
    bool spelling = false;            // add the words to the spelling data
    bool prefixed_positions = false;  // give the prefixed copy positions too
  };
  void IndexText(const std::string& raw_text, Xapian::termcount weight, std::string_view prefix,
                 TextOptions options);
  void AddFilterTerms(const Product& product, Xapian::Document* doc) const;
  void AddValues(const Product& product, Xapian::Document* doc) const;

  Xapian::TermGenerator generator_;
  bool has_spelling_db_ = false;
};

}  // namespace tailor::indexer::internal
