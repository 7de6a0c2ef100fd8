#include "indexer/internal/record_loop.h"

namespace tailor::indexer::internal {

RecordLoop::RecordLoop(CatalogReader& reader, InvalidRecordPolicy policy,
                       std::function<void(const Progress&)> on_progress)
    : reader_(reader), policy_(policy), on_progress_(std::move(on_progress)) {}

Status RecordLoop::Reject(const Error& error) {
  if (error.code != ErrorCode::kInvalidArgument || policy_ == InvalidRecordPolicy::kStop) {
    return error;
  }
  ++progress_.records_skipped;
  if (skipped_examples_.size() < kMaxSkippedExamples) skipped_examples_.push_back(error.message);
  return Status::Ok();
}

void RecordLoop::Report() {
  progress_.lines_read = reader_.lines_read();
  if (on_progress_) on_progress_(progress_);
}

Status RecordLoop::Run(const std::function<Status(CatalogRecord&)>& handle) {
  while (std::optional<Result<CatalogRecord>> next = reader_.Next()) {
    Status status;
    if (next->ok()) {
      status = handle(next->value());
      if (status) ++progress_.records_indexed;
    } else {
      status = next->error();
    }
    if (!status) {
      if (Status rejected = Reject(status.error()); !rejected) return rejected;
    }
    if ((progress_.records_indexed + progress_.records_skipped) % kProgressEvery == 0) Report();
  }
  Report();
  return Status::Ok();
}

}  // namespace tailor::indexer::internal
