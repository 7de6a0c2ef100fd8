#include "searcher/internal/facet_grouping.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/index_schema.h"
#include "core/text.h"

namespace tailor::searcher::internal {
namespace {

class Interner {
 public:
  explicit Interner(FacetGrouping& grouping) : grouping_(grouping) {}

  // The display id of display, -1 when its key is empty.
  int32_t Display(const std::string& display) {
    auto found = display_ids_.find(display);
    if (found != display_ids_.end()) return found->second;
    std::string key = NormalizeKeyword(display);
    int32_t id = -1;
    if (!key.empty()) {
      id = static_cast<int32_t>(grouping_.displays.size());
      grouping_.displays.push_back(display);
      grouping_.display_group.push_back(Group(key));
      grouping_.group_displays[grouping_.display_group.back()].push_back(id);
    }
    display_ids_.emplace(display, id);
    return id;
  }

 private:
  int32_t Group(const std::string& key) {
    auto [entry, inserted] =
        group_ids_.try_emplace(key, static_cast<int32_t>(grouping_.group_keys.size()));
    if (inserted) {
      grouping_.group_keys.push_back(key);
      grouping_.group_displays.emplace_back();
    }
    return entry->second;
  }

  FacetGrouping& grouping_;
  std::unordered_map<std::string, int32_t> display_ids_;
  std::unordered_map<std::string, int32_t> group_ids_;
};

}  // namespace

std::vector<std::string> FacetDisplays(FacetKind kind, const std::string& raw) {
  std::vector<std::string> displays;
  if (kind == FacetKind::kSingle) {
    displays.push_back(raw);
  } else if (kind == FacetKind::kList) {
    std::set<std::string> seen;
    for (std::string& element : Split(raw, schema::kListSeparator)) {
      if (seen.insert(NormalizeKeyword(element)).second) displays.push_back(std::move(element));
    }
  } else {
    std::string path;
    for (const std::string& level : Split(raw, schema::kListSeparator)) {
      if (level.empty()) break;
      if (!path.empty()) path.push_back(schema::kCategorySeparator);
      path += level;
      displays.push_back(path);
    }
  }
  return displays;
}

FacetGrouping FacetGrouping::Build(FacetKind kind, const std::vector<std::string>& raw_strings) {
  FacetGrouping grouping;
  Interner interner(grouping);
  grouping.raw_displays.resize(raw_strings.size());
  for (size_t raw = 0; raw < raw_strings.size(); ++raw) {
    if (raw_strings[raw].empty()) continue;  // counted as no value
    for (const std::string& display : FacetDisplays(kind, raw_strings[raw])) {
      int32_t id = interner.Display(display);
      if (id >= 0) grouping.raw_displays[raw].push_back(id);
    }
  }
  for (std::vector<int32_t>& displays : grouping.group_displays) {
    std::sort(displays.begin(), displays.end(),
              [&](int32_t a, int32_t b) { return grouping.displays[a] < grouping.displays[b]; });
  }
  return grouping;
}

}  // namespace tailor::searcher::internal
