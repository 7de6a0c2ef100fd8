// How the raw slot strings of one facet column group into the facet values shown, worked
// out once per FacetTable so that a FacetSpy turns its per-string counts into facets with
// array arithmetic instead of splitting and normalizing strings on every search.
//
// A raw string adds its count to display values: a brand to itself; a list (colours,
// sizes) to each of its case-insensitively distinct elements, first spelling kept; a
// category path to each of its prefixes ("Men", "Men/Shoes"). Display values with the same
// NormalizeKeyword key form one group, the facet value; empty keys are dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tailor::searcher::internal {

enum class FacetKind { kSingle, kList, kPath };

struct FacetGrouping {
  // The display ids raw string r adds to: raw_display_ids[raw_display_begin[r] ..
  // raw_display_begin[r + 1]), one flat array so that a search reads it contiguously.
  std::vector<int32_t> raw_display_begin;  // raw strings + 1 entries
  std::vector<int32_t> raw_display_ids;
  std::vector<std::string> displays;                 // by display id
  std::vector<int32_t> display_group;                // by display id: its group id
  std::vector<std::string> group_keys;               // by group id: the normalized key
  std::vector<int32_t> group_key_order;              // by group id: its key's place among
                                                     // the keys sorted (ties among counts)
  std::vector<std::vector<int32_t>> group_displays;  // by group id: display ids, ascending
                                                     // by display string

  static FacetGrouping Build(FacetKind kind, const std::vector<std::string>& raw_strings);
};

// The display values one raw string of a column of this kind adds its count to, in order.
std::vector<std::string> FacetDisplays(FacetKind kind, const std::string& raw);

}  // namespace tailor::searcher::internal
