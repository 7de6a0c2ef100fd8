// Reasons in words: why an item ranked where it did, phrased for the person it is about
// ("Puma, a brand you looked at 3 times", "in your size M", "near the price you usually pay
// in Men, about 1,200"). The numbers (features, contributions) stay in explain; these are
// what a shop can show a visitor. What a profile holds, in the same words, is
// ranking/profiles/profile_words.h.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/item_table.h"
#include "ranking/profiles/profile.h"

namespace tailor::ranking {

// Up to max_reasons reasons for one ranked item, strongest first. features: the item's row
// of ComputeFeatures (registry order); contributions: the model's per feature (registry
// order), or empty without a model, then the features' own values order them. Only features
// that pushed the item up are named; an item out of the visitor's size says so first.
// profile may be null (then only reasons without one: text match, reduced, popular).
// Requires: row present in items. Thread-safe.
std::vector<std::string> ReasonsFor(const ItemTable& items, ItemTable::Row row,
                                    std::span<const float> features,
                                    std::span<const double> contributions,
                                    const ProfileView* profile, size_t max_reasons = 3);

}  // namespace tailor::ranking
