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

Result<std::shared_ptr<Generation>> Generation::Open(std::string db_path,
                                                     std::string stub_content) {
  std::string language;
  try {
    Xapian::Database db(db_path);
    std::string format = db.get_metadata(std::string(schema::kFormatMetadataKey));
    if (format != std::to_string(schema::kIndexFormatVersion)) {
      return Error::InvalidArgument("index: format version \"" + format + "\" at " + db_path +
                                    ", this searcher reads version " +
                                    std::to_string(schema::kIndexFormatVersion));
    }
    language = db.get_metadata(std::string(schema::kLanguageMetadataKey));
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("index: cannot open " + db_path + ": " + e.get_msg());
  }
  if (language.empty()) language = "none";
  if (language != "en" && language != "de" && language != "none") {
    return Error::InvalidArgument("index: unknown language \"" + language + "\" at " + db_path);
  }
  std::shared_ptr<Generation> generation(
      new Generation(std::move(db_path), std::move(stub_content), std::move(language)));
  try {
    // Opening one handle now proves the generation readable and seeds the pool.
    std::unique_ptr<Handle> first = generation->NewHandle();
    generation->newest_revision_ = first->db.get_revision();
    generation->facet_table_ = FacetTable::Load(first->db);
    generation->pool_.push_back(std::move(first));
  } catch (const Xapian::Error& e) {
    return Error::Unavailable("index: cannot open " + generation->db_path_ + ": " + e.get_msg());
  }
  return generation;
}

uint64_t Generation::NextSerial() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

std::unique_ptr<Handle> Generation::NewHandle() const {
  auto handle = std::make_unique<Handle>();
  handle->db = Xapian::Database(db_path_);
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
  if (lease.handle().db.get_revision() < newest_revision_.load(std::memory_order_acquire)) {
    lease.handle().db.reopen();
  }
  std::lock_guard<std::mutex> lock(table_mu_);
  lease.handle().facet_table = facet_table_;
  return lease;
}

void Generation::CheckForUpdate() {
  Lease lease = Acquire();
  lease.handle().db.reopen();
  Xapian::rev revision = lease.handle().db.get_revision();
  Xapian::rev seen = newest_revision_.load(std::memory_order_acquire);
  if (revision <= seen) return;
  // Load the table first, so handles reopened to this revision find it.
  std::shared_ptr<const FacetTable> table = FacetTable::Load(lease.handle().db);
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
