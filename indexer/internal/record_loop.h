// The loop Build and Update share: read records, hand the valid ones to a handler, apply
// the invalid-record policy, and report progress. Internal to the indexer.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "indexer/catalog_reader.h"
#include "indexer/indexer.h"

namespace tailor::indexer::internal {

// Progress is reported every this many records (indexed plus skipped).
inline constexpr long kProgressEvery = 5000;
// How many messages of skipped lines are kept for the final report.
inline constexpr size_t kMaxSkippedExamples = 10;

class RecordLoop {
 public:
  // `reader` must outlive the loop. `on_progress` may be empty.
  RecordLoop(CatalogReader& reader, InvalidRecordPolicy policy,
             std::function<void(const Progress&)> on_progress);

  // Calls `handle` for each valid record until the input ends. An invalid line, or an
  // invalid_argument error from `handle` (e.g. a duplicate id), stops the loop with that
  // error under kStop and is counted as skipped under kSkip. Any other error from `handle`
  // or the reader stops the loop. Reports progress once more at the end.
  Status Run(const std::function<Status(CatalogRecord&)>& handle);

  const Progress& progress() const { return progress_; }
  const std::vector<std::string>& skipped_examples() const { return skipped_examples_; }

 private:
  // Counts an invalid line, or returns the error that stops the loop.
  Status Reject(const Error& error);
  void Report();

  CatalogReader& reader_;
  InvalidRecordPolicy policy_;
  std::function<void(const Progress&)> on_progress_;
  Progress progress_;
  std::vector<std::string> skipped_examples_;
};

}  // namespace tailor::indexer::internal
