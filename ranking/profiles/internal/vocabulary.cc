#include "ranking/profiles/internal/vocabulary.h"

#include <mutex>
#include <vector>

#include "ranking/profiles/internal/binary_io.h"

namespace tailor::ranking::internal {

std::string Vocabulary::MapKey(VocabularyKind kind, std::string_view key) {
  std::string map_key(1, static_cast<char>(kind));
  map_key += key;
  return map_key;
}

uint32_t Vocabulary::AddLocked(Word word) {
  const size_t id = size_.load(std::memory_order_relaxed);
  if (id / kChunkWords >= kMaxChunks) return kNone;  // 268M distinct strings: refuse more
  if (chunks_[id / kChunkWords] == nullptr) chunks_[id / kChunkWords] = std::make_unique<Chunk>();
  (*chunks_[id / kChunkWords])[id % kChunkWords] = std::move(word);
  size_.store(id + 1, std::memory_order_release);  // publishes the word
  return static_cast<uint32_t>(id);
}

uint32_t Vocabulary::Intern(VocabularyKind kind, std::string_view key, std::string_view display) {
  std::string map_key = MapKey(kind, key);
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = ids_.find(map_key); it != ids_.end()) return it->second;
  const uint32_t id = AddLocked(Word{kind, std::string(key), std::string(display)});
  if (id != kNone) ids_.emplace(std::move(map_key), id);
  return id;
}

uint32_t Vocabulary::Find(VocabularyKind kind, std::string_view key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = ids_.find(MapKey(kind, key));
  return it == ids_.end() ? kNone : it->second;
}

const std::string& Vocabulary::Key(uint32_t id) const { return WordOf(id).key; }

const std::string& Vocabulary::Display(uint32_t id) const { return WordOf(id).display; }

size_t Vocabulary::Bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t count = size_.load(std::memory_order_relaxed);
  size_t bytes = kMaxChunks * sizeof(void*) + ids_.bucket_count() * sizeof(void*) +
                 ((count + kChunkWords - 1) / kChunkWords) * sizeof(Chunk);
  for (size_t id = 0; id < count; ++id) {
    const Word& word = WordOf(static_cast<uint32_t>(id));
    // The map's key repeats the key; nodes hold a string, an id, a hash and a link.
    bytes += 2 * word.key.capacity() + word.display.capacity() + 64;
  }
  return bytes;
}

void Vocabulary::Save(std::ostream& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t count = size_.load(std::memory_order_relaxed);
  BinaryWriter writer(out);
  writer.Put<uint32_t>(static_cast<uint32_t>(count));
  for (size_t id = 0; id < count; ++id) {
    const Word& word = WordOf(static_cast<uint32_t>(id));
    writer.Put<uint8_t>(static_cast<uint8_t>(word.kind));
    writer.PutString(word.key);
    writer.PutString(word.display);
  }
}

Status Vocabulary::Load(std::istream& in) {
  BinaryReader reader(in);
  uint32_t count = 0;
  std::vector<Word> words;
  reader.Get(count);
  for (uint32_t i = 0; i < count && reader.ok(); ++i) {
    uint8_t kind = 0;
    Word word;
    if (reader.Get(kind) && reader.GetString(word.key) && reader.GetString(word.display)) {
      word.kind = static_cast<VocabularyKind>(kind);
      words.push_back(std::move(word));
    }
  }
  if (!reader.ok()) {
    return Error::DataLoss("snapshot: vocabulary truncated at byte " +
                           std::to_string(reader.offset()));
  }
  // Requires an empty vocabulary (ProfileStore::Load into an empty store): ids already
  // handed out must keep their words.
  std::lock_guard<std::mutex> lock(mutex_);
  if (size_.load(std::memory_order_relaxed) != 0) {
    return Error::FailedPrecondition("snapshot: can only be loaded into an empty store");
  }
  for (Word& word : words) {
    std::string map_key = MapKey(word.kind, word.key);
    const uint32_t id = AddLocked(std::move(word));
    ids_.emplace(std::move(map_key), id);
  }
  return Status::Ok();
}

}  // namespace tailor::ranking::internal
