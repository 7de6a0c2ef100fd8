// Query-time synonyms for the searcher: the shop's list of words and phrases that name the
// same thing, and its file format (config/synonyms.json).
//
// The format follows Typesense's synonym objects, as one JSON object:
//   {"synonyms": [
//     {"root": "tee", "synonyms": ["t-shirt", "tshirt"]},   one-way: "tee" also finds
//                                                           t-shirts, not the other way
//     {"synonyms": ["sofa", "couch"]}                       multi-way: each finds the others
//   ]}
// A phrase is one or more words ("hooded sweatshirt"); it matches the query's words with
// the index's stemmer, so "couches" meets "couch" and "T-Shirts" meets "t-shirt". The set is
// applied when a query is parsed (Searcher::SetSynonyms), never written into the index, so
// changing it needs no rebuild.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tailor::searcher {

struct SynonymEntry {
  // One-way: the phrase the shopper types. Empty: a multi-way entry.
  std::string root;
  // One-way: what root also finds (at least one). Multi-way: phrases that each find the
  // others (at least two).
  std::vector<std::string> synonyms;
};

struct Synonyms {
  std::vector<SynonymEntry> entries;  // in file order
};

// Largest number of entries, of phrases in one entry, of bytes in a phrase and of words in
// a phrase that ParseSynonyms accepts.
inline constexpr size_t kMaxSynonymEntries = 10000;
inline constexpr size_t kMaxSynonymPhrases = 64;
inline constexpr size_t kMaxSynonymPhraseBytes = 128;
inline constexpr size_t kMaxSynonymPhraseWords = 6;

// Parses a synonyms document (the format above). Unknown keys, empty phrases (no letter or
// digit in them), a phrase repeated within an entry and a one-way root among its own
// synonyms are refused. Errors: invalid_argument naming origin, entry and field, e.g.
// "config/synonyms.json: synonyms[3].synonyms: needs at least 2 phrases"; malformed JSON as
// "<origin>: invalid JSON at offset N: ...". Thread-safe.
Result<std::shared_ptr<const Synonyms>> ParseSynonyms(std::string_view json_text,
                                                      std::string_view origin);

// Reads and parses a synonyms file; origin in errors is the path. Errors: ParseSynonyms's;
// not_found / unavailable from reading the file.
Result<std::shared_ptr<const Synonyms>> LoadSynonymsFile(const std::string& path);

// The set in the file format, one entry per line; ParseSynonyms reads it back.
std::string SynonymsToJson(const Synonyms& synonyms);

// The words of a phrase or query as synonyms compare them: lowercased (ASCII and other
// Unicode letters), split at every character that is not a letter or digit ("T-Shirt" ->
// "t", "shirt"). Thread-safe.
std::vector<std::string> SynonymWords(std::string_view text);

}  // namespace tailor::searcher
