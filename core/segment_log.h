// An append-only log of text lines in numbered segment files ("segment-<20 digits>.log") in
// one directory, written by a single thread. The profile state uses it for the event log and
// the feature log for served rankings; DropLines serves the purge of a forgotten visitor.
// Whole-file helpers (line reading, atomic rewrite) are in core/files.h.
//
// Not thread-safe: one owner (the log thread) calls every method.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/files.h"
#include "core/result.h"

namespace tailor {

// "segment-00000000000000000042.log" for 42.
std::string SegmentFileName(uint64_t sequence);
// "segment-00000000000000000042.keys": a keyed log's sealed segment's keys (below).
std::string SegmentKeysFileName(uint64_t sequence);
// The sequences of the segment files in dir, ascending. Errors: unavailable.
Result<std::vector<uint64_t>> ListSegments(const std::string& dir);

// `"visitor":"<escaped>"`: how the event and ranking logs (compact RapidJSON lines) write a
// visitor field. A line without it is not the visitor's, so a purge parses only the lines
// that may be.
std::string VisitorNeedle(std::string_view visitor);

// Removes what an interrupted rewrite left in dir: "segment-*.tmp" files (a keys file or a
// purged segment being written when the process died). Only for the dir's owner, before it
// writes anything.
void RemoveTemporarySegmentFiles(const std::string& dir);

// A line's key in a keyed log: the 64-bit hash of the visitor it belongs to.
uint64_t VisitorKey(std::string_view visitor);

// Rewrites each segment of dir numbered below `before` without the lines for which
// drop(line) is true (each file atomically, only when it changes; a torn last line is left
// out). Returns whether any line was dropped. How a forgotten visitor leaves every log.
// With keys (VisitorKey of each visitor forgotten), a segment whose keys file lists none of
// them is not read at all: a purge costs the segments that hold the visitors, not the whole
// log. A segment without a readable keys file is read in full.
// Errors: unavailable when a segment cannot be listed, read or written.
Result<bool> DropLines(const std::string& dir, uint64_t before,
                       const std::function<bool(std::string_view line)>& drop,
                       std::span<const uint64_t> keys = {});

// A keyed log (Open's keyed) is told each append's keys (the visitors of its lines) and, when
// it seals a segment (Roll, a roll in Append, or closing), writes them sorted beside it in
// segment-<n>.keys (native 64-bit integers, written atomically). A crash before the seal
// leaves a segment without one, which a purge then reads in full: the file may list more
// keys than the segment holds (after a purge), never fewer.
// Forgets visitors in one pass over a log's files: Drop() removes from a dir's segments the
// lines of any of them (DropLines, skipping segments by keys and lines without a visitor's
// needle before parsing them with visitor_of, which gives a line's visitor or nullopt), and
// found() says per visitor whether any line was theirs. How the event and feature logs
// purge a forgotten visitor.
class VisitorPurge {
 public:
  using LineVisitor = std::function<std::optional<std::string>(std::string_view line)>;
  VisitorPurge(std::vector<std::string> visitors, LineVisitor visitor_of);
  // Errors: those of DropLines.
  Status Drop(const std::string& dir, uint64_t before);
  const std::vector<bool>& found() const { return found_; }

 private:
  std::vector<std::string> visitors_, needles_;
  std::vector<uint64_t> keys_;
  LineVisitor visitor_of_;
  std::vector<bool> found_;
};

class SegmentLog {
 public:
  // Opens dir (created if missing) and starts a new segment numbered first_sequence.
  // Errors: unavailable.
  static Result<std::unique_ptr<SegmentLog>> Open(const std::string& dir, uint64_t first_sequence,
                                                  int64_t segment_bytes, bool keyed = false);
  // Seals the current segment (its keys file, for a keyed log) and closes it.
  ~SegmentLog();
  SegmentLog(const SegmentLog&) = delete;
  SegmentLog& operator=(const SegmentLog&) = delete;

  // Writes bytes (whole lines) at the end of the current segment. On failure the segment is
  // truncated back to where it was, so no partial line stays. Rolls to a new segment first
  // when the current one is over segment_bytes. A keyed log needs the keys of every line
  // (repeats are fine). Errors: unavailable.
  Status Append(std::string_view bytes, std::span<const uint64_t> keys = {});
  // Makes everything appended durable (fdatasync). Errors: unavailable.
  Status Sync();
  // Seals the current segment (synced) and starts the next one.
  Status Roll();

  uint64_t current_sequence() const { return sequence_; }
  const std::string& dir() const { return dir_; }
  int64_t current_bytes() const { return size_; }

 private:
  SegmentLog(std::string dir, int64_t segment_bytes, bool keyed)
      : dir_(std::move(dir)), segment_bytes_(segment_bytes), keyed_(keyed) {}
  Status OpenSegment(uint64_t sequence);
  // Writes the current segment's keys file (a keyed log only).
  Status WriteKeys();

  std::string dir_;
  int64_t segment_bytes_;
  bool keyed_;
  std::vector<uint64_t> keys_;  // the current segment's, unsorted, with repeats
  uint64_t sequence_ = 0;
  int fd_ = -1;
  int64_t size_ = 0;
};

}  // namespace tailor
