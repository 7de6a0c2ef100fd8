// The layout of a Tailor Xapian index: term prefixes, value slots and on-disk layout.
//
// The indexer writes documents in this layout and the searcher reads them, so it lives in
// core where both can see it without depending on each other. Changing a prefix or a slot
// is an index format change: bump kIndexFormatVersion, which the indexer stores in the
// database metadata key kFormatMetadataKey and the searcher checks on open.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/hash.h"

namespace tailor::schema {

// 2: the id term is the exact id (schema::IdTerm) and indexed text goes through
// NormalizeMeasurements; format 1 indexes must be rebuilt.
// 3: kSizesSlot holds every size; popularity, rating and margin slots are empty when the
// record has none (unknown, not 0). Format 2 indexes must be rebuilt.
// 4: kTitleSlot holds the title, for the ranking features' title match without reading
// document data. Format 3 indexes must be rebuilt.
// 5: kBrowseOrderSlot, so a query without words orders the same over any shard layout.
// Format 4 indexes must be rebuilt.
inline constexpr int kIndexFormatVersion = 5;
inline constexpr std::string_view kFormatMetadataKey = "tailor.format";
// Metadata key holding the --language the index was built with ("en", "de" or "none"); the
// searcher uses the same stemmer for queries.
inline constexpr std::string_view kLanguageMetadataKey = "tailor.language";

// On disk, an index DIR holds one Xapian database per build generation, "DIR/gen-<N>", and a
// Xapian stub file "DIR/XAPIANDB" naming the live one ("glass gen-<N>"). Xapian opens
// "DIR" through the stub, so a build swaps generations by renaming a new stub over the old
// one: atomic for every reader.
inline constexpr std::string_view kStubFileName = "XAPIANDB";
inline constexpr std::string_view kGenerationPrefix = "gen-";

// Catalog shards (`tailor-indexer build --shards N`, N > 1): a generation is a directory
// "DIR/gen-<N>" of N databases "shard-0" ... "shard-<N-1>", and the stub lists every one of
// them, in order ("glass gen-4/shard-0", one line each), so Xapian opens the stub as one
// database over all shards. A product lives in shard ShardOf(id, N). Every shard carries the
// format and language metadata, and its own number and the count.
inline constexpr std::string_view kShardPrefix = "shard-";
inline constexpr std::string_view kShardsMetadataKey = "tailor.shards";  // "2"
inline constexpr std::string_view kShardMetadataKey = "tailor.shard";    // "0" .. "1"
// The generation a shard was built as ("gen-4"): a searcher over remote shards checks that
// all of them are of one build.
inline constexpr std::string_view kGenerationMetadataKey = "tailor.generation";
// The number of updates committed into a database since its build (absent: none). Xapian's
// remote backend does not report a database's revision; this counter stands in for it.
inline constexpr std::string_view kCommitsMetadataKey = "tailor.commits";
inline constexpr int kMaxShards = 64;
// Beside the stub, one stub file per shard, "DIR/XAPIANDB.shard-<i>" ("glass gen-4/shard-<i>"),
// replaced by every build: what `xapian-tcpsrv DIR/XAPIANDB.shard-<i>` serves, so each of its
// new connections opens that shard of the live generation.
inline constexpr std::string_view kShardStubPrefix = "XAPIANDB.shard-";

// The shard of a product id among `shards` (>= 1): 64-bit FNV-1a of the id's bytes
// (core/hash.h), put through MurmurHash3's finalizer (FNV's bits mix poorly for ids that
// differ only at the end), modulo the count. Stable across runs, machines and releases:
// changing it moves products between shards of existing indexes.
inline int ShardOf(std::string_view id, int shards) {
  return static_cast<int>(MixedFnv1a64(id) % static_cast<uint64_t>(shards));
}

// Free-text prefixes, for fielded queries ("brand:puma") and per-field weighting. The text
// of each field is also indexed without prefix, so plain queries search all fields.
inline constexpr std::string_view kTitlePrefix = "S";
inline constexpr std::string_view kBrandTextPrefix = "XBT";
inline constexpr std::string_view kCategoryTextPrefix = "XCT";
inline constexpr std::string_view kAttributeTextPrefix = "XAT";
inline constexpr std::string_view kDescriptionPrefix = "XD";

// The unique id term: kIdPrefix + the product id exactly as written (IdTerm), not
// normalized: ids are case-sensitive, "A1" and "a1" are two products. Ids are at most 128
// bytes, so the term stays under Xapian's term length limit.
inline constexpr std::string_view kIdPrefix = "Q";  // Q<id>

// Boolean filter terms. Values are NormalizeKeyword()ed (core/text.h): FilterTerm.
inline constexpr std::string_view kBrandPrefix = "XB";      // XB<brand>
inline constexpr std::string_view kCategoryPrefix = "XC";   // XC<level0>/<level1>/...: every
                                                            // prefix of the category path
inline constexpr std::string_view kColorPrefix = "XK";      // XK<colour>
inline constexpr std::string_view kSizeInStockPrefix = "XS";  // XS<size>: that size has stock
inline constexpr std::string_view kInStockTerm = "XIN";     // the item has any stock
inline constexpr std::string_view kAttributePrefix = "XA";  // XA<name>=<value>
inline constexpr char kCategorySeparator = '/';

// Value slots. Numbers are Xapian::sortable_serialise()d doubles, so they sort and range
// filter; strings are the display form, with kListSeparator between list elements.
enum Slot : unsigned {
  kPriceSlot = 0,       // current selling price
  kListPriceSlot = 1,   // list price; equals price when the record has none
  kDiscountSlot = 2,    // 1 - price / list_price, 0 when not reduced
  kPopularitySlot = 3,  // no value when the record has none (as for rating and margin)
  kRatingSlot = 4,
  kMarginSlot = 5,
  kBrandSlot = 6,         // brand as written in the catalog
  kCategorySlot = 7,      // category path, levels joined by kListSeparator
  kColorSlot = 8,         // colours as written, joined by kListSeparator
  kSizeInStockSlot = 9,   // sizes with stock > 0, joined by kListSeparator
  kStockSlot = 10,        // total units in stock (sum over sizes, or "stock"); no value
                          // when the record says nothing about stock (counts as in stock)
  kIdSlot = 11,           // the product id, for collapsing and reading without document data
  kSizesSlot = 12,        // every size of the record, with or without stock, joined by
                          // kListSeparator
  kTitleSlot = 13,        // the title as written
  kBrowseOrderSlot = 14,  // the order of a query without words: ascending byte order of
                          // these keys is popularity descending (none last), then id
                          // ascending, whatever the document ids (which differ between
                          // shard layouts); written by the indexer's BrowseOrderKey
};
inline constexpr char kListSeparator = '\x1f';

// Builds a boolean filter term: prefix + NormalizeKeyword(value).
std::string FilterTerm(std::string_view prefix, std::string_view value);

// Builds the unique id term of a product: kIdPrefix + id, byte for byte.
std::string IdTerm(std::string_view id);

}  // namespace tailor::schema
