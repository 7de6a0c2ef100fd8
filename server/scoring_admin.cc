// The Engine's admin API for merchandisers (engine.h): replacing the scoring config with a
// history to roll back to, and previews of a proposed config on logged traffic.
#include <filesystem>
#include <utility>

#include "core/files.h"
#include "ranking/scoring/scoring_config.h"
#include "server/engine.h"

namespace tailor::server {
namespace {

// The origin the parser prefixes its errors with; replaced by the caller's path prefix.
constexpr std::string_view kOrigin = "body";

Error Renamed(const Error& error, const std::string& path_prefix) {
  std::string message = error.message;
  const std::string prefix = std::string(kOrigin) + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0) message = message.substr(prefix.size());
  // A model a config names that cannot be read is the caller's mistake here.
  const ErrorCode code =
      error.code == ErrorCode::kNotFound ? ErrorCode::kInvalidArgument : error.code;
  return Error{code, path_prefix + message};
}

}  // namespace

Result<std::shared_ptr<const ranking::Scoring>> Engine::ParseScoring(
    std::string_view json_text, const std::string& path_prefix) const {
  // Model paths resolve against the live config's folder, as in the file itself.
  const std::string base_dir =
      scoring_path_.empty() ? std::string(".")
                            : std::filesystem::absolute(scoring_path_).parent_path().string();
  Result<ranking::ScoringConfig> config =
      ranking::ParseScoringConfig(json_text, std::string(kOrigin), base_dir);
  if (!config.ok()) return Renamed(config.error(), path_prefix);
  Result<std::shared_ptr<const ranking::Scoring>> scoring =
      ranking::Scoring::FromConfig(std::move(*config));
  if (!scoring.ok()) return Renamed(scoring.error(), path_prefix);
  return scoring;
}

Result<int> Engine::ReplaceScoring(std::string_view json_text, const std::string& source) {
  if (scoring_path_.empty()) {
    return Error::FailedPrecondition(
        "scoring: this server was started without a scoring config file");
  }
  Result<std::shared_ptr<const ranking::Scoring>> scoring = ParseScoring(json_text, "");
  if (!scoring.ok()) return scoring.error();
  std::lock_guard lock(reload_mutex_);
  if (Status written = WriteFileAtomically(scoring_path_, json_text); !written.ok()) {
    return written.error();
  }
  scoring_.store(std::move(*scoring));
  metrics_->Reloaded("scoring", true);
  return scoring_history_->Record(std::string(json_text), source, NowMs());
}

Result<std::pair<int, int>> Engine::RollbackScoring(std::optional<int> version) {
  std::optional<ScoringVersion> target;
  if (version) {
    target = scoring_history_->Find(*version);
    if (!target) {
      return Error::NotFound("version: " + std::to_string(*version) +
                             " is not in the scoring history");
    }
  } else {
    const std::vector<ScoringVersion> versions = scoring_history_->Versions();
    if (versions.size() < 2) {
      return Error::FailedPrecondition("rollback: no version before the live one");
    }
    target = versions[1];
  }
  Result<int> live = ReplaceScoring(target->config, "rollback");
  if (!live.ok()) return live.error();
  return std::make_pair(*live, target->version);
}

Result<std::string> Engine::StartPreview(const PreviewParams& params) {
  if (preview_ == nullptr) {
    return Error::Unavailable("preview: this server has no state directory, so no logs");
  }
  Result<std::shared_ptr<const ranking::Scoring>> proposed = ParseScoring(params.config, "config.");
  if (!proposed.ok()) return proposed.error();
  PreviewRequest request;
  request.live = scoring();
  request.proposed = std::move(*proposed);
  request.live_variant =
      params.live_variant.empty() ? request.live->config().default_variant() : params.live_variant;
  request.proposed_variant = params.proposed_variant.empty()
                                 ? request.proposed->config().default_variant()
                                 : params.proposed_variant;
  if (request.live->config().Find(request.live_variant) == nullptr) {
    return Error::InvalidArgument("live_variant: the live config has no variant \"" +
                                  request.live_variant + "\"");
  }
  if (request.proposed->config().Find(request.proposed_variant) == nullptr) {
    return Error::InvalidArgument("variant: the proposed config has no variant \"" +
                                  request.proposed_variant + "\"");
  }
  request.from_ms = params.from_ms;
  request.until_ms = params.until_ms;
  request.max_rankings = params.max_rankings;
  // Rankings still queued in the feature log are part of the traffic to replay.
  if (Status flushed = FlushLogs(); !flushed.ok()) return flushed.error();
  return preview_->Start(std::move(request));
}

std::optional<PreviewStatus> Engine::Preview(const std::string& id) const {
  if (preview_ == nullptr) return std::nullopt;
  return preview_->Status(id);
}

bool Engine::CancelPreview(const std::string& id) {
  return preview_ != nullptr && preview_->Cancel(id);
}

}  // namespace tailor::server
