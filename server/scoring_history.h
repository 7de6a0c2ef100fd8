// The scoring configs that have been live, newest first, so a merchandiser can see what
// changed when and roll back (PUT /admin/scoring, GET /admin/scoring/history, POST
// /admin/rollback). Each version is one file <dir>/NNNNNNNN.json holding
// {"version", "saved_at_ms", "source", "config"}, written atomically; at most `keep`
// versions are kept (the oldest files are removed).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace tailor::server {

struct ScoringVersion {
  int version = 0;
  int64_t saved_at_ms = 0;
  // How it became live: "startup" (the file the server started with), "put", "rollback",
  // "reload" (the file changed on disk and POST /admin/reload or SIGHUP read it).
  std::string source;
  std::string config;  // the config as JSON text
};

class ScoringHistory {
 public:
  // Reads the versions kept in dir (made when missing). An empty dir keeps them in memory
  // only. Errors: unavailable when dir cannot be made or read; data_loss naming a file that
  // is not a version.
  static Result<std::unique_ptr<ScoringHistory>> Open(std::string dir, size_t keep = 50);

  // Makes `config` the live version: a new version, unless it is the same text as the live
  // one (a reload of an unchanged file, a restart), which keeps the live version. Returns the
  // live version. Errors: unavailable when the file cannot be written (nothing recorded).
  // Thread-safe.
  Result<int> Record(std::string config, const std::string& source, int64_t now_ms);

  // Every kept version, newest first. Thread-safe.
  std::vector<ScoringVersion> Versions() const;
  // The live version; nullopt before the first Record. Thread-safe.
  std::optional<ScoringVersion> Live() const;
  // A kept version by number. Thread-safe.
  std::optional<ScoringVersion> Find(int version) const;

 private:
  ScoringHistory(std::string dir, size_t keep, std::vector<ScoringVersion> versions);

  const std::string dir_;
  const size_t keep_;
  mutable std::mutex mutex_;
  std::vector<ScoringVersion> versions_;  // oldest first; the last is live
};

}  // namespace tailor::server
