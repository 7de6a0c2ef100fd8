#include "searcher/internal/generation.h"

#include <algorithm>
#include <string_view>

#include "core/index_schema.h"

namespace tailor::searcher::internal {
namespace {

// Words dropped from queries (when the query has other words): they carry no product
// meaning and, under AND, would make "jeans for men" require "for".
constexpr std::string_view kEnglishStopwords[] = {
    "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or",
    "the", "to", "with"};
constexpr std::string_view kGermanStopwords[] = {
    "am",  "an",  "auf", "aus", "das", "dem", "den", "der", "des",    "die",  "ein", "eine",
    "für", "im",  "in",  "mit", "oder", "und", "von", "vom", "zu",    "zum",  "zur"};

// Xapian's name of the stemmer for our language code; empty for none.
std::string StemmerName(const std::string& language) {
  if (language == "en") return "english";
  if (language == "de") return "german";
  return "";
}

}  // namespace

std::string ShardSource::Describe() const {
  return remote() ? "remote " + host + ":" + std::to_string(port) : path;
}

namespace {

Xapian::Database OpenShard(const ShardSource& source) {
  if (source.remote()) return Xapian::Remote::open(source.host, source.port);
  return Xapian::Database(source.path);
}

// Xapian's revision of a local shard, the commit counter of a remote one.
Xapian::rev ShardRevision(const Xapian::Database& shard, bool remote) {
  if (!remote) return shard.get_revision();
  const std::string commits = shard.get_metadata(std::string(schema::kCommitsMetadataKey));
  return commits.empty() ? 0 : static_cast<Xapian::rev>(std::stoull(commits));
}

// The metadata every shard must agree on, read shard by shard (a multi-database reads the
// first shard's only): format, language, the build's generation and the shard count.
Result<std::string> CheckShardMetadata(const std::vector<Xapian::Database>& shards,
                                       const std::vector<ShardSource>& sources) {
  std::string language;
  for (size_t i = 0; i < shards.size(); ++i) {
    const std::string place = sources[i].Describe();
    const std::string format = shards[i].get_metadata(std::string(schema::kFormatMetadataKey));
    if (format != std::to_string(schema::kIndexFormatVersion)) {
      return Error::InvalidArgument("index: format version \"" + format + "\" at " + place +
                                    ", this searcher reads version " +
                                    std::to_string(schema::kIndexFormatVersion));
    }
    const std::string shard_language =
        shards[i].get_metadata(std::string(schema::kLanguageMetadataKey));
    if (i > 0 && shard_language != language) {
      return Error::InvalidArgument("index: language \"" + shard_language + "\" at " + place +
                                    ", but \"" + language + "\" at " + sources[0].Describe());
    }
    language = shard_language;
    const std::string count = shards[i].get_metadata(std::string(schema::kShardsMetadataKey));
    if (!count.empty() && count != std::to_string(shards.size())) {
      return Error::InvalidArgument("index: " + place + " is a shard of " + count +
                                    ", but the stub lists " + std::to_string(shards.size()));
    }
  }
  return language;
}

}  // namespace

void OrderTies(Xapian::Enquire& enquire, const Handle& handle, bool by_id) {
  if (by_id || handle.slot_facets()) {
    enquire.set_sort_by_relevance_then_value(schema::kIdSlot, false);
  }
}

Xapian::rev ReadRevision(const Handle& handle) {
  if (handle.shards.size() == 1 && !handle.remote) return handle.db.get_revision();
  Xapian::rev sum = 0;
  for (const Xapian::Database& shard : handle.shards) sum += ShardRevision(shard, handle.remote);
  return sum;
}

void Reopen(Handle& handle) {
  handle.db.reopen();
  handle.revision = ReadRevision(handle);
}

std::vector<std::string> ShardIdentity(const std::vector<ShardSource>& sources) {
  std::vector<std::string> identity;
  for (const ShardSource& source : sources) {
    Xapian::Database shard = OpenShard(source);
    identity.push_back(shard.get_uuid() + " " +
                       shard.get_metadata(std::string(schema::kGenerationMetadataKey)));
  }
  return identity;
}

Generation::Generation(std::vector<ShardSource> shards, std::string stub_content,
                       std::string language, std::vector<std::string> identity)
    : shards_(std::move(shards)),
      remote_(std::any_of(shards_.begin(), shards_.end(),
                          [](const ShardSource& shard) { return shard.remote(); })),
      identity_(std::move(identity)),
      stub_content_(std::move(stub_content)),
      language_(std::move(language)),
      serial_(NextSerial()) {}

Result<std::shared_ptr<Generation>> Generation::Open(std::vector<ShardSource> shards,
                                                     std::string stub_content) {
  if (shards.empty()) return Error::Unavailable("index: the stub lists no database");
  std::string language;
  std::vector<std::string> identity;
  try {
    std::vector<Xapian::Database> opened;
    for (const ShardSource& source : shards) opened.push_back(OpenShard(source));
    Result<std::string> checked = CheckShardMetadata(opened, shards);
    if (!checked.ok()) return checked.error();
    language = *checked;
    for (const Xapian::Database& shard : opened) {
      identity.push_back(shard.get_uuid() + " " +
                         shard.get_metadata(std::string(schema::kGenerationMetadataKey)));
    }
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("index: cannot open " + shards[0].Describe() +
                              (shards.size() > 1 ? " and the other shards" : "") + ": " +
                              e.get_msg());
  }
  // Remote shards mid-swap: each xapian-tcpsrv turns to the new build on its own.
  for (size_t i = 1; i < identity.size(); ++i) {
    const std::string first = identity[0].substr(identity[0].find(' ') + 1);
    if (identity[i].substr(identity[i].find(' ') + 1) != first) {
      return Error::Unavailable("index: " + shards[i].Describe() + " is of build \"" +
                                identity[i].substr(identity[i].find(' ') + 1) + "\", " +
                                shards[0].Describe() + " of \"" + first + "\"");
    }
  }
  if (language.empty()) language = "none";
  if (language != "en" && language != "de" && language != "none") {
    return Error::InvalidArgument("index: unknown language \"" + language + "\" at " +
                                  shards[0].Describe());
  }
  std::shared_ptr<Generation> generation(new Generation(std::move(shards), std::move(stub_content),
                                                        std::move(language), std::move(identity)));
  try {
    // Opening one handle now proves the generation readable and seeds the pool.
    std::unique_ptr<Handle> first = generation->NewHandle();
    generation->newest_revision_ = first->revision;
    generation->facet_table_ =
        FacetTable::Load(first->db, first->revision,
                         generation->remote_ ? SlotSource::kDocuments : SlotSource::kValueStreams);
    generation->pool_.push_back(std::move(first));
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("index: cannot open " + generation->shards_[0].Describe() + ": " +
                              e.get_msg());
  }
  return generation;
}

uint64_t Generation::NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::unique_ptr<Handle> Generation::NewHandle() const {
  auto handle = std::make_unique<Handle>();
  handle->remote = remote_;
  for (const ShardSource& source : shards_) {
    handle->shards.push_back(OpenShard(source));
    handle->db.add_database(handle->shards.back());
  }
  if (remote_) {
    // A new connection opens what the server serves now, which after a swap of remote shards
    // is no longer this generation: its docids would not be the facet table's.
    for (size_t i = 0; i < shards_.size(); ++i) {
      const std::string now =
          handle->shards[i].get_uuid() + " " +
          handle->shards[i].get_metadata(std::string(schema::kGenerationMetadataKey));
      if (now != identity_[i]) {
        throw Xapian::DatabaseOpeningError(shards_[i].Describe() +
                                           ": now serves another build than this generation's");
      }
    }
  }
  handle->revision = ReadRevision(*handle);
  handle->generation_serial = serial_;
  handle->spelling = spelling_;
  handles_made_.fetch_add(1, std::memory_order_relaxed);
  std::string stemmer_name = StemmerName(language_);
  if (!stemmer_name.empty()) handle->stemmer = Xapian::Stem(stemmer_name);
  if (language_ == "en") {
    for (std::string_view word : kEnglishStopwords) handle->stopper.add(std::string(word));
  } else if (language_ == "de") {
    for (std::string_view word : kGermanStopwords) handle->stopper.add(std::string(word));
  }
  return handle;
}

void Generation::Warm(int handles) {
  constexpr int kMostHandles = 64;
  std::vector<std::unique_ptr<Handle>> opened;
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    handles = std::min(handles, kMostHandles) - static_cast<int>(pool_.size());
  }
  for (int i = 0; i < handles; ++i) opened.push_back(NewHandle());
  std::lock_guard<std::mutex> lock(pool_mu_);
  for (std::unique_ptr<Handle>& handle : opened) pool_.push_back(std::move(handle));
}

Generation::Lease Generation::Acquire() {
  std::unique_ptr<Handle> handle;
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!pool_.empty()) {
      handle = std::move(pool_.back());
      pool_.pop_back();
    }
  }
  if (!handle) handle = NewHandle();
  Lease lease(this, std::move(handle));
  if (lease.handle().revision < newest_revision_.load(std::memory_order_acquire)) {
    Reopen(lease.handle());
  }
  std::lock_guard<std::mutex> lock(table_mu_);
  lease.handle().facet_table = facet_table_;
  return lease;
}

void Generation::CheckForUpdate() {
  Lease lease = Acquire();
  Reopen(lease.handle());
  Xapian::rev revision = lease.handle().revision;
  Xapian::rev seen = newest_revision_.load(std::memory_order_acquire);
  if (revision <= seen) return;
  // Load the table first, so handles reopened to this revision find it.
  std::shared_ptr<const FacetTable> table = FacetTable::Load(
      lease.handle().db, revision, remote_ ? SlotSource::kDocuments : SlotSource::kValueStreams);
  {
    std::lock_guard<std::mutex> lock(table_mu_);
    if (!facet_table_ || facet_table_->revision() < table->revision()) facet_table_ = table;
  }
  while (revision > seen &&
         !newest_revision_.compare_exchange_weak(seen, revision, std::memory_order_acq_rel)) {
  }
}

void Generation::Release(std::unique_ptr<Handle> handle) {
  handle->facet_table.reset();
  std::lock_guard<std::mutex> lock(pool_mu_);
  pool_.push_back(std::move(handle));
}

Generation::Lease::~Lease() {
  if (handle_) owner_->Release(std::move(handle_));
}

}  // namespace tailor::searcher::internal
