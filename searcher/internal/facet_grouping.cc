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
  grouping.raw_display_begin.reserve(raw_strings.size() + 1);
  for (size_t raw = 0; raw < raw_strings.size(); ++raw) {
    grouping.raw_display_begin.push_back(static_cast<int32_t>(grouping.raw_display_ids.size()));
    if (raw_strings[raw].empty()) continue;  // counted as no value
    for (const std::string& display : FacetDisplays(kind, raw_strings[raw])) {
      int32_t id = interner.Display(display);
      if (id >= 0) grouping.raw_display_ids.push_back(id);
    }
  }
  grouping.raw_display_begin.push_back(static_cast<int32_t>(grouping.raw_display_ids.size()));
  std::vector<int32_t> by_key(grouping.group_keys.size());
  for (size_t group = 0; group < by_key.size(); ++group)
    by_key[group] = static_cast<int32_t>(group);
  std::sort(by_key.begin(), by_key.end(),
            [&](int32_t a, int32_t b) { return grouping.group_keys[a] < grouping.group_keys[b]; });
  grouping.group_key_order.resize(by_key.size());
  for (size_t place = 0; place < by_key.size(); ++place) {
    grouping.group_key_order[by_key[place]] = static_cast<int32_t>(place);
  }
  for (std::vector<int32_t>& displays : grouping.group_displays) {
    std::sort(displays.begin(), displays.end(),
              [&](int32_t a, int32_t b) { return grouping.displays[a] < grouping.displays[b]; });
  }
  return grouping;
}

}  // namespace tailor::searcher::internal
