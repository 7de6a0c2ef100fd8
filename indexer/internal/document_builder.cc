#include "indexer/internal/document_builder.h"

#include <vector>

#include "core/index_schema.h"
#include "core/text.h"

namespace tailor::indexer::internal {
namespace {

std::string Serialize(double number) { return Xapian::sortable_serialise(number); }

}  // namespace

std::string BrowseOrderKey(std::optional<double> popularity, std::string_view id) {
  // Zero bytes after a sortable_serialise()d number keep its order (a shorter encoding
  // pads to at most a longer one's bytes), and a fixed width lets the id compare only
  // between equal popularities. sortable_serialise gives at most 9 bytes.
  constexpr size_t kNumberWidth = 10;
  std::string key(1, popularity ? '\0' : '\1');  // products without popularity last
  std::string number = popularity ? Serialize(-*popularity) : std::string();
  number.resize(kNumberWidth, '\0');
  key += number;
  key += id;
  return key;
}

std::string StemmerName(Language language) {
  switch (language) {
    case Language::kEnglish:
      return "english";
    case Language::kGerman:
      return "german";
    case Language::kNone:
      return "none";
  }
  return "none";
}

std::string TruncateTerm(std::string term) {
  if (term.size() <= kMaxTermBytes) return term;
  size_t end = kMaxTermBytes;
  // Step back over UTF-8 continuation bytes so the cut falls between two characters.
  while (end > 0 && (static_cast<unsigned char>(term[end]) & 0xC0) == 0x80) --end;
  term.resize(end);
  return term;
}

DocumentBuilder::DocumentBuilder(Language language, Xapian::WritableDatabase* spelling_db) {
  if (language != Language::kNone) {
    generator_.set_stemmer(Xapian::Stem(StemmerName(language)));
    generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  } else {
    generator_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  }
  if (spelling_db != nullptr) {
    generator_.set_database(*spelling_db);
    has_spelling_db_ = true;
  }
}

void DocumentBuilder::IndexText(const std::string& raw_text, Xapian::termcount weight,
                                std::string_view prefix, TextOptions options) {
  if (raw_text.empty()) return;
  // The searcher runs queries through the same function (SearcherOptions::
  // normalize_measurements), so "18v" meets "18-Volt".
  const std::string text = NormalizeMeasurements(raw_text);
  // Positions make phrase queries work. Plain queries search the unprefixed copy, so it
  // always has them; the prefixed copies of long fields go without, which saves a fifth of
  // the build time, and a phrase in a fielded query on them ("description:...") is rare.
  if (options.prefixed_positions) {
    generator_.index_text(text, weight, std::string(prefix));
  } else {
    generator_.index_text_without_positions(text, weight, std::string(prefix));
  }
  generator_.increase_termpos();
  // Spelling data is only added for unprefixed terms, so the flag matters for this pass only.
  if (options.spelling && has_spelling_db_) {
    generator_.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
  }
  generator_.index_text(text, weight);
  generator_.set_flags(Xapian::TermGenerator::flags(0));
  // Keeps phrase matches from spanning two fields.
  generator_.increase_termpos();
}

Xapian::Document DocumentBuilder::Build(const Product& product) {
  Xapian::Document doc;
  generator_.set_document(doc);
  constexpr TextOptions kShortField{.spelling = true, .prefixed_positions = true};
  constexpr TextOptions kLongField{.spelling = false, .prefixed_positions = false};
  IndexText(product.title, kTitleWeight, schema::kTitlePrefix, kShortField);
  IndexText(product.brand, kBrandWeight, schema::kBrandTextPrefix, kShortField);
  for (const std::string& level : product.category) {
    IndexText(level, kCategoryWeight, schema::kCategoryTextPrefix, kShortField);
  }
  for (const auto& [name, value] : product.attributes) {
    IndexText(value, kAttributeWeight, schema::kAttributeTextPrefix, kLongField);
  }
  IndexText(product.description, kDescriptionWeight, schema::kDescriptionPrefix, kLongField);
  AddFilterTerms(product, &doc);
  AddValues(product, &doc);
  doc.set_data(product.source_json);
  return doc;
}

void DocumentBuilder::AddFilterTerms(const Product& product, Xapian::Document* doc) const {
  auto add = [doc](std::string_view prefix, std::string_view value) {
    std::string term = schema::FilterTerm(prefix, value);
    if (term.size() > prefix.size()) doc->add_boolean_term(TruncateTerm(std::move(term)));
  };
  doc->add_boolean_term(schema::IdTerm(product.id));
  if (!product.brand.empty()) add(schema::kBrandPrefix, product.brand);
  // Every prefix of the category path. The levels are normalized once each; the path of
  // normalized levels is already what FilterTerm would make of it.
  std::string path_term(schema::kCategoryPrefix);
  for (const std::string& level : product.category) {
    if (path_term.size() > schema::kCategoryPrefix.size()) {
      path_term.push_back(schema::kCategorySeparator);
    }
    path_term += NormalizeKeyword(level);
    if (path_term.size() > schema::kCategoryPrefix.size()) {
      doc->add_boolean_term(TruncateTerm(path_term));
    }
  }
  for (const std::string& color : product.colors) add(schema::kColorPrefix, color);
  for (const auto& [size, units] : product.sizes) {
    if (units > 0) add(schema::kSizeInStockPrefix, size);
  }
  if (product.InStock()) doc->add_boolean_term(std::string(schema::kInStockTerm));
  for (const auto& [name, value] : product.attributes) {
    add(schema::kAttributePrefix, name + "=" + value);
  }
}

void DocumentBuilder::AddValues(const Product& product, Xapian::Document* doc) const {
  doc->add_value(schema::kPriceSlot, Serialize(product.price));
  doc->add_value(schema::kListPriceSlot, Serialize(product.list_price.value_or(product.price)));
  doc->add_value(schema::kDiscountSlot, Serialize(product.Discount()));
  // Absent stays absent: the ranking layer tells "unknown" from 0.
  if (product.popularity) doc->add_value(schema::kPopularitySlot, Serialize(*product.popularity));
  if (product.rating) doc->add_value(schema::kRatingSlot, Serialize(*product.rating));
  if (product.margin) doc->add_value(schema::kMarginSlot, Serialize(*product.margin));
  if (!product.brand.empty()) doc->add_value(schema::kBrandSlot, product.brand);
  if (!product.category.empty()) {
    doc->add_value(schema::kCategorySlot, Join(product.category, schema::kListSeparator));
  }
  if (!product.colors.empty()) {
    doc->add_value(schema::kColorSlot, Join(product.colors, schema::kListSeparator));
  }
  std::vector<std::string> sizes_in_stock;
  std::vector<std::string> sizes;
  for (const auto& [size, units] : product.sizes) {
    sizes.push_back(size);
    if (units > 0) sizes_in_stock.push_back(size);
  }
  if (!sizes.empty()) doc->add_value(schema::kSizesSlot, Join(sizes, schema::kListSeparator));
  doc->add_value(schema::kTitleSlot, product.title);
  if (!sizes_in_stock.empty()) {
    doc->add_value(schema::kSizeInStockSlot, Join(sizes_in_stock, schema::kListSeparator));
  }
  if (std::optional<long> stock = product.TotalStock(); stock.has_value()) {
    doc->add_value(schema::kStockSlot, Serialize(static_cast<double>(*stock)));
  }
  doc->add_value(schema::kIdSlot, product.id);
  doc->add_value(schema::kBrowseOrderSlot, BrowseOrderKey(product.popularity, product.id));
}

}  // namespace tailor::indexer::internal
