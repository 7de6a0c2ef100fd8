#include "ranking/profiles/profile.h"

#include <functional>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "core/json_options.h"
#include "ranking/profiles/internal/binary_io.h"
#include "ranking/profiles/internal/taste_profile.h"
#include "ranking/profiles/internal/vocabulary.h"

namespace tailor::ranking {

class Vocabulary : public internal::Vocabulary {};

namespace {

constexpr char kMagic[4] = {'T', 'L', 'R', 'P'};
constexpr uint32_t kSnapshotVersion = 1;

}  // namespace

struct ProfileStore::Shard {
  mutable std::mutex mutex;
  std::unordered_map<std::string, internal::TasteProfile> profiles;
};

ProfileStore::ProfileStore(ProfileOptions options, int shard_count)
    : options_(options), vocabulary_(std::make_unique<Vocabulary>()) {
  for (int i = 0; i < std::max(1, shard_count); ++i) shards_.push_back(std::make_unique<Shard>());
}

ProfileStore::~ProfileStore() = default;

ProfileStore::Shard& ProfileStore::ShardOf(std::string_view visitor) const {
  return *shards_[std::hash<std::string_view>()(visitor) % shards_.size()];
}

void ProfileStore::Apply(const Event& event) {
  Shard& shard = ShardOf(event.visitor);
  std::lock_guard<std::mutex> lock(shard.mutex);
  shard.profiles[event.visitor].Apply(event, options_, *vocabulary_);
}

std::optional<ProfileView> ProfileStore::View(std::string_view visitor, int64_t now_ms) const {
  Shard& shard = ShardOf(visitor);
  std::optional<internal::TasteProfile> copy;
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.profiles.find(std::string(visitor));
    if (it == shard.profiles.end()) return std::nullopt;
    copy = it->second;  // a copy: the view is built without the shard's lock
  }
  return copy->View(std::string(visitor), now_ms, options_, *vocabulary_);
}

bool ProfileStore::Erase(std::string_view visitor) {
  Shard& shard = ShardOf(visitor);
  std::lock_guard<std::mutex> lock(shard.mutex);
  return shard.profiles.erase(std::string(visitor)) > 0;
}

size_t ProfileStore::size() const {
  size_t count = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    count += shard->profiles.size();
  }
  return count;
}

size_t ProfileStore::ProfileBytes() const {
  // Per profile: the hash node (link, cached hash, key string, profile), the visitor's
  // heap bytes when it does not fit in the string itself, and the profile's vectors.
  constexpr size_t kNodeBytes =
      2 * sizeof(void*) + sizeof(std::string) + sizeof(internal::TasteProfile);
  size_t bytes = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    bytes += shard->profiles.bucket_count() * sizeof(void*);
    for (const auto& [visitor, profile] : shard->profiles) {
      bytes += kNodeBytes + profile.HeapBytes();
      if (visitor.capacity() > 15) bytes += visitor.capacity() + 1;
    }
  }
  return bytes;
}

size_t ProfileStore::VocabularyBytes() const { return vocabulary_->Bytes(); }

void ProfileStore::Save(std::ostream& out) const {
  internal::BinaryWriter writer(out);
  out.write(kMagic, sizeof(kMagic));
  writer.Put(kSnapshotVersion);
  // The profiles first into a buffer: a profile applied meanwhile may intern new words,
  // which the vocabulary written after them then has.
  std::ostringstream profiles;
  internal::BinaryWriter profile_writer(profiles);
  uint64_t count = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    for (const auto& [visitor, profile] : shard->profiles) {
      profile_writer.PutString(visitor);
      profile.Save(profile_writer);
      ++count;
    }
  }
  vocabulary_->Save(out);
  writer.Put(count);
  const std::string bytes = profiles.str();
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

Status ProfileStore::Load(std::istream& in) {
  char magic[sizeof(kMagic)] = {};
  in.read(magic, sizeof(magic));
  if (in.gcount() != sizeof(magic) || std::string_view(magic, 4) != std::string_view(kMagic, 4)) {
    return Error::DataLoss("snapshot: bad magic");
  }
  internal::BinaryReader header(in);
  uint32_t version = 0;
  if (!header.Get(version)) return Error::DataLoss("snapshot: truncated at byte 4");
  if (version != kSnapshotVersion) {
    return Error::FailedPrecondition("snapshot: version " + std::to_string(version) +
                                    " is not supported");
  }
  if (Status status = vocabulary_->Load(in); !status.ok()) return status;
  internal::BinaryReader reader(in);
  uint64_t count = 0;
  reader.Get(count);
  const auto vocabulary_size = static_cast<uint32_t>(vocabulary_->size());
  for (uint64_t i = 0; i < count && reader.ok(); ++i) {
    std::string visitor;
    internal::TasteProfile profile;
    if (!reader.GetString(visitor, Event::kMaxVisitorBytes) ||
        !profile.Load(reader, vocabulary_size)) {
      return Error::DataLoss("snapshot: profile " + std::to_string(i) +
                                    " truncated or corrupt at byte " +
                                    std::to_string(reader.offset()) + " of the profiles");
    }
    Shard& shard = ShardOf(visitor);
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.profiles[visitor] = std::move(profile);
  }
  if (!reader.ok()) return Error::DataLoss("snapshot: truncated in the profile count");
  return Status::Ok();
}

Result<ProfileOptions> ParseProfileOptions(const rapidjson::Value& json) {
  using json_options::Bound;
  json_options::Reader<ProfileOptions> reader;
  reader.Double("half_life_hours", &ProfileOptions::half_life_hours, 0, 1e6, Bound::kExclusive)
      .Double("view_weight", &ProfileOptions::view_weight, 0, 1000)
      .Double("click_weight", &ProfileOptions::click_weight, 0, 1000)
      .Double("add_to_cart_weight", &ProfileOptions::add_to_cart_weight, 0, 1000)
      .Double("purchase_weight", &ProfileOptions::purchase_weight, 0, 1000)
      .Double("remove_from_cart_weight", &ProfileOptions::remove_from_cart_weight, -1000, 0)
      .Double("size_filter_weight", &ProfileOptions::size_filter_weight, 0, 1000)
      .Double("prior_strength", &ProfileOptions::prior_strength, 0, 1e6)
      .Int("max_brands", &ProfileOptions::max_brands, 1, 4096)
      .Int("max_categories", &ProfileOptions::max_categories, 1, 4096)
      .Int("max_colors", &ProfileOptions::max_colors, 1, 4096)
      .Int("max_sizes", &ProfileOptions::max_sizes, 1, 4096)
      .Int("max_price_levels", &ProfileOptions::max_price_levels, 2, 4096)
      .Int("max_recent_views", &ProfileOptions::max_recent_views, 1, 4096)
      .Int("max_cart", &ProfileOptions::max_cart, 1, 4096)
      .Int("max_purchases", &ProfileOptions::max_purchases, 1, 4096);
  ProfileOptions options;
  if (Status status = reader.Read(json, "profiles", options); !status.ok()) return status.error();
  return options;
}

}  // namespace tailor::ranking
