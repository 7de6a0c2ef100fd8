// Interns the strings taste profiles refer to (brands, category paths, colours, sizes, item
// ids) as small integers, so a profile entry costs 12 bytes instead of a string.
//
// Each id keeps its kind, its match key (NormalizeKeyword()ed like ItemTable's keys; item
// ids as given) and the display form first seen. Ids are never reused or removed: the
// vocabulary grows with the catalog's distinct values, not with visitors. Thread-safe:
// lookups take a shared lock, new strings an exclusive one; the strings of an id stay at
// the same address for the vocabulary's lifetime (std::deque), so references returned stay
// valid.
#pragma once

#include <cstdint>
#include <deque>
#include <iosfwd>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"

namespace tailor::ranking::internal {

enum class VocabularyKind : uint8_t { kBrand, kCategory, kColor, kSize, kItem };

class Vocabulary {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  // The id of (kind, key), adding it with `display` when new. Requires: key not empty.
  uint32_t Intern(VocabularyKind kind, std::string_view key, std::string_view display);
  // The id of (kind, key), kNone when absent.
  uint32_t Find(VocabularyKind kind, std::string_view key) const;

  const std::string& Key(uint32_t id) const;
  const std::string& Display(uint32_t id) const;

  size_t size() const {
    std::shared_lock lock(mutex_);
    return words_.size();
  }
  // Heap bytes, approximately.
  size_t Bytes() const;

  void Save(std::ostream& out) const;
  // Replaces the contents. Errors: invalid_argument "snapshot: truncated at byte N".
  Status Load(std::istream& in);

 private:
  struct Word {
    VocabularyKind kind;
    std::string key;
    std::string display;
  };
  static std::string MapKey(VocabularyKind kind, std::string_view key);

  mutable std::shared_mutex mutex_;
  std::deque<Word> words_;
  std::unordered_map<std::string, uint32_t> ids_;
};

}  // namespace tailor::ranking::internal
