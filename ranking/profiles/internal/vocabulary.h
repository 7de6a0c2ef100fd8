// Interns the strings taste profiles refer to (brands, category paths, colours, sizes, item
// ids) as small integers, so a profile entry costs 12 bytes instead of a string.
//
// Each id keeps its kind, its match key (NormalizeKeyword()ed like ItemTable's keys; item
// ids as given) and the display form first seen. Ids are never reused or removed: the
// vocabulary grows with the catalog's distinct values, not with visitors.
//
// Thread-safe. Reading an id's strings (Key, Display: what building a ProfileView for a
// search does) takes no lock: words live in fixed chunks that never move, and an id is
// published only after its word is complete. Finding or adding a string takes the mutex of
// the string-to-id map (the event path).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <mutex>
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

  size_t size() const { return size_.load(std::memory_order_acquire); }
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
  static constexpr size_t kChunkWords = 4096;
  static constexpr size_t kMaxChunks = 1 << 16;  // 268M words
  using Chunk = std::array<Word, kChunkWords>;

  static std::string MapKey(VocabularyKind kind, std::string_view key);
  const Word& WordOf(uint32_t id) const { return (*chunks_[id / kChunkWords])[id % kChunkWords]; }
  // Appends a word and returns its id. Requires: mutex_ held.
  uint32_t AddLocked(Word word);

  mutable std::mutex mutex_;  // guards ids_ and writers
  std::unordered_map<std::string, uint32_t> ids_;
  // Chunk pointers are written once (under mutex_) before any id in them is published.
  std::unique_ptr<std::unique_ptr<Chunk>[]> chunks_ =
      std::make_unique<std::unique_ptr<Chunk>[]>(kMaxChunks);
  std::atomic<size_t> size_{0};
};

}  // namespace tailor::ranking::internal
