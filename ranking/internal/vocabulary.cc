#include "ranking/internal/vocabulary.h"

#include <mutex>

#include "ranking/internal/binary_io.h"

namespace tailor::ranking::internal {

std::string Vocabulary::MapKey(VocabularyKind kind, std::string_view key) {
  std::string map_key(1, static_cast<char>(kind));
  map_key += key;
  return map_key;
}

uint32_t Vocabulary::Intern(VocabularyKind kind, std::string_view key, std::string_view display) {
  std::string map_key = MapKey(kind, key);
  {
    std::shared_lock lock(mutex_);
    if (auto it = ids_.find(map_key); it != ids_.end()) return it->second;
  }
  std::unique_lock lock(mutex_);
  auto [it, inserted] = ids_.emplace(std::move(map_key), static_cast<uint32_t>(words_.size()));
  if (inserted) words_.push_back(Word{kind, std::string(key), std::string(display)});
  return it->second;
}

uint32_t Vocabulary::Find(VocabularyKind kind, std::string_view key) const {
  std::shared_lock lock(mutex_);
  auto it = ids_.find(MapKey(kind, key));
  return it == ids_.end() ? kNone : it->second;
}

const std::string& Vocabulary::Key(uint32_t id) const {
  std::shared_lock lock(mutex_);
  return words_[id].key;
}

const std::string& Vocabulary::Display(uint32_t id) const {
  std::shared_lock lock(mutex_);
  return words_[id].display;
}

size_t Vocabulary::Bytes() const {
  std::shared_lock lock(mutex_);
  size_t bytes = words_.size() * sizeof(Word) + ids_.bucket_count() * sizeof(void*);
  for (const Word& word : words_) {
    // The map's key repeats the key; nodes hold a string, an id, a hash and a link.
    bytes += 2 * word.key.capacity() + word.display.capacity() + 64;
  }
  return bytes;
}

void Vocabulary::Save(std::ostream& out) const {
  std::shared_lock lock(mutex_);
  BinaryWriter writer(out);
  writer.Put<uint32_t>(static_cast<uint32_t>(words_.size()));
  for (const Word& word : words_) {
    writer.Put<uint8_t>(static_cast<uint8_t>(word.kind));
    writer.PutString(word.key);
    writer.PutString(word.display);
  }
}

Status Vocabulary::Load(std::istream& in) {
  BinaryReader reader(in);
  uint32_t count = 0;
  std::deque<Word> words;
  std::unordered_map<std::string, uint32_t> ids;
  reader.Get(count);
  for (uint32_t i = 0; i < count && reader.ok(); ++i) {
    uint8_t kind = 0;
    Word word;
    if (reader.Get(kind) && reader.GetString(word.key) && reader.GetString(word.display)) {
      word.kind = static_cast<VocabularyKind>(kind);
      ids.emplace(MapKey(word.kind, word.key), i);
      words.push_back(std::move(word));
    }
  }
  if (!reader.ok()) {
    return Error::InvalidArgument("snapshot: vocabulary truncated at byte " +
                                  std::to_string(reader.offset()));
  }
  std::unique_lock lock(mutex_);
  words_ = std::move(words);
  ids_ = std::move(ids);
  return Status::Ok();
}

}  // namespace tailor::ranking::internal
