// The feature log: every ranking the engine served, with the feature vectors it was ranked
// by, so that tailor-ranker can train on real clicks and purchases and replay traffic
// under other configs without computing anything again.
//
// One record per served ranking (search or rerank): request_id, visitor, variant, query,
// time, for a search its total matches and the shopper's filters (a search that found
// nothing is logged too, with no items), and for each item shown (the page the visitor got) its id,
// absolute position, price, margin, model score, whether a business rule boosted it, and its
// feature vector exactly as the model saw it. Events that carry the request_id join to it
// (ranking/offline/training_data.h). Records are JSON lines in segment files under
// <state>/rankings/; each line names its features, so a log outlives a change of the
// feature registry.
//
// Writing is asynchronous: Append() queues the record for a writer thread that
// serializes, appends and fsyncs every flush interval. Rankings are not acknowledged to
// anyone, so a crash may lose the last interval's records, never corrupt older ones (a
// torn last line is ignored on read). Forget() removes a visitor's records from every
// segment (DELETE /profiles).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/result.h"

namespace tailor::ranking {

struct LoggedItem {
  std::string id;
  int position = 0;               // absolute position in the ranking (offset included)
  double price = 0;
  std::optional<double> margin;   // nullopt when the catalog gives none
  double score = 0;               // the final score it was ordered by
  bool boosted = false;           // a business rule boosted it
  std::vector<float> features;    // in the record's feature_names order
};

// The shopper's filters of a search (searcher::SearchRequest's), as sent.
struct LoggedFilters {
  std::vector<std::string> brands;
  std::vector<std::string> categories;
  std::vector<std::string> sizes;
  std::vector<std::string> colors;
  std::optional<double> price_min;
  std::optional<double> price_max;
  bool in_stock = false;
  bool empty() const {
    return brands.empty() && categories.empty() && sizes.empty() && colors.empty() && !price_min &&
           !price_max && !in_stock;
  }
};

struct RankingRecord {
  std::string request_id;
  std::string visitor;
  std::string variant;
  std::string query;                       // empty for /rerank
  int64_t timestamp_ms = 0;
  bool personalized = false;               // the visitor's profile was used
  std::vector<std::string> feature_names;  // the columns of every item's features
  std::vector<LoggedItem> items;           // shown, in position order
  // Searches only: the matches of the query with its filters. nullopt for a rerank and
  // for lines logged before the field existed.
  std::optional<int64_t> total;
  LoggedFilters filters;  // searches only; empty when none were given
};

// One record as one log line (no trailing newline), and back. "total" is written when set,
// "filters" when not empty; lines without them read as before. Errors: invalid_argument
// naming the field ("items[2].features: 25 values for 26 names", "filters.brand: must
// hold strings").
std::string RankingRecordToJson(const RankingRecord& record);
Result<RankingRecord> RankingRecordFromJson(std::string_view line);

struct RankingLogOptions {
  // Whether served rankings are logged at all.
  bool enabled = true;
  // A segment is sealed and a new one started beyond this size.
  int64_t segment_bytes = 64 << 20;
  // The writer appends and fsyncs at least this often.
  int flush_interval_ms = 1000;
  // Records waiting beyond this are dropped (counted) rather than slowing searches.
  int max_queued = 100000;
  // Sealed segments older than this are deleted.
  int retention_days = 90;
};

// Reads the "feature_log" object of the server config over the defaults, e.g.
// "feature_log.flush_interval_ms: must be in [1, 60000]". Unknown keys refused.
Result<RankingLogOptions> ParseRankingLogOptions(const rapidjson::Value& json);

class RankingLog {
 public:
  // Opens (creating) dir and starts the writer thread on a new segment. Errors:
  // unavailable naming the directory.
  static Result<std::unique_ptr<RankingLog>> Open(const std::string& dir,
                                                  RankingLogOptions options);
  // Writes what is queued and stops the writer.
  ~RankingLog();
  RankingLog(const RankingLog&) = delete;
  RankingLog& operator=(const RankingLog&) = delete;

  // Queues one record; never blocks on I/O. Thread-safe.
  void Append(RankingRecord record);
  // Everything appended before the call is written and synced when it returns. Errors:
  // unavailable when the log cannot be written. Thread-safe.
  Status Flush();
  // Removes every record of the visitor from every segment; done(true) when any was
  // found. Records of the visitor still queued are dropped too. The rewrite runs on a
  // thread of its own while the writer keeps writing; done runs there. Thread-safe.
  void Forget(std::string visitor, std::function<void(Result<bool>)> done);

  // Records dropped because the queue was full, and records written. Thread-safe.
  uint64_t dropped() const;
  uint64_t written() const;

 private:
  class Impl;
  explicit RankingLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Calls fn for each record in dir's segments, oldest first. A torn last line is skipped;
// a malformed line is a data_loss error naming file and line. Errors: unavailable
// when dir cannot be read (a missing dir is no error: no records).
Status ForEachLoggedRanking(const std::string& dir,
                            const std::function<void(RankingRecord&&)>& fn);

// ForEachLoggedRanking for a reader of a time window: segments last written before
// written_since_ms are skipped unread (a record is written after its timestamp, so they
// hold only older records), and fn returns false to stop the walk (no error).
Status ScanLoggedRankings(const std::string& dir, int64_t written_since_ms,
                          const std::function<bool(RankingRecord&&)>& fn);

}  // namespace tailor::ranking
