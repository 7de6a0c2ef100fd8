// What a profile holds, in words a visitor reads (GET /profiles' in_words), and the small
// phrasing helpers the ranking's reasons (ranking/scoring/reasons.h) share with it.
//
// Functions are pure and thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ranking/profiles/profile.h"

namespace tailor::ranking {

// What a profile holds, in sentences: the brands, categories and colours the visitor likes
// most, their sizes, the price they usually pay per top category, how price-sensitive they
// are, and what they looked at last. Empty for an empty profile.
std::vector<std::string> ProfileInWords(const ProfileView& profile);

// A price for a sentence: "1,249" or "12.50" (no currency: the catalog's is unknown here).
std::string PriceInWords(double price);

// The last level of a category path's display form: "Men/Topwear/Jackets" -> "Jackets".
std::string LeafInWords(const std::string& path);

// "once", "twice", "3 times".
std::string TimesInWords(int n);

}  // namespace tailor::ranking
