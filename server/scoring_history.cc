#include "server/scoring_history.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/files.h"

namespace tailor::server {
namespace {

namespace fs = std::filesystem;

std::string FileName(int version) {
  char name[32];
  std::snprintf(name, sizeof(name), "%08d.json", version);
  return name;
}

// The version file: the config embedded as JSON, so the file is one readable document.
Result<std::string> VersionFile(const ScoringVersion& version) {
  rapidjson::Document config;
  config.Parse(version.config.data(), version.config.size());
  if (config.HasParseError()) return Error::InvalidArgument("config: not JSON");
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  writer.StartObject();
  writer.Key("version");
  writer.Int(version.version);
  writer.Key("saved_at_ms");
  writer.Int64(version.saved_at_ms);
  writer.Key("source");
  writer.String(version.source.c_str());
  writer.Key("config");
  config.Accept(writer);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

Result<ScoringVersion> ReadVersion(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.error();
  rapidjson::Document document;
  document.Parse(text->c_str());
  auto bad = [&](const std::string& what) { return Error::DataLoss(path + ": " + what); };
  if (document.HasParseError() || !document.IsObject()) return bad("not a JSON object");
  for (const char* key : {"version", "saved_at_ms", "source", "config"}) {
    if (!document.HasMember(key)) return bad(std::string("missing \"") + key + "\"");
  }
  if (!document["version"].IsInt() || !document["saved_at_ms"].IsInt64() ||
      !document["source"].IsString() || !document["config"].IsObject()) {
    return bad("version, saved_at_ms, source or config of the wrong type");
  }
  ScoringVersion version;
  version.version = document["version"].GetInt();
  version.saved_at_ms = document["saved_at_ms"].GetInt64();
  version.source = document["source"].GetString();
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  document["config"].Accept(writer);
  version.config = std::string(buffer.GetString(), buffer.GetSize()) + "\n";
  return version;
}

}  // namespace

Result<std::unique_ptr<ScoringHistory>> ScoringHistory::Open(std::string dir, size_t keep) {
  std::vector<ScoringVersion> versions;
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error::Unavailable(dir + ": " + ec.message());
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      // Leftovers of an interrupted atomic write are not versions.
      if (it->path().extension() != ".json" || name.size() != 13) continue;
      Result<ScoringVersion> version = ReadVersion(it->path().string());
      if (!version.ok()) return version.error();
      versions.push_back(std::move(*version));
    }
    if (ec) return Error::Unavailable(dir + ": " + ec.message());
    std::sort(
        versions.begin(), versions.end(),
        [](const ScoringVersion& a, const ScoringVersion& b) { return a.version < b.version; });
  }
  return std::unique_ptr<ScoringHistory>(
      new ScoringHistory(std::move(dir), std::max<size_t>(keep, 1), std::move(versions)));
}

ScoringHistory::ScoringHistory(std::string dir, size_t keep, std::vector<ScoringVersion> versions)
    : dir_(std::move(dir)), keep_(keep), versions_(std::move(versions)) {}

Result<int> ScoringHistory::Record(std::string config, const std::string& source, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  // Compared as parsed JSON, so a file re-indented by hand is the same config.
  auto same = [](const std::string& a, const std::string& b) {
    rapidjson::Document x, y;
    x.Parse(a.data(), a.size());
    y.Parse(b.data(), b.size());
    return !x.HasParseError() && !y.HasParseError() && x == y;
  };
  if (!versions_.empty() && same(versions_.back().config, config)) {
    return versions_.back().version;
  }
  ScoringVersion version;
  version.version = versions_.empty() ? 1 : versions_.back().version + 1;
  version.saved_at_ms = now_ms;
  version.source = source;
  version.config = std::move(config);
  if (!dir_.empty()) {
    Result<std::string> file = VersionFile(version);
    if (!file.ok()) return file.error();
    if (Status written = WriteFileAtomically(dir_ + "/" + FileName(version.version), *file);
        !written.ok()) {
      return written.error();
    }
  }
  versions_.push_back(std::move(version));
  while (versions_.size() > keep_) {
    if (!dir_.empty()) {
      std::error_code ignored;  // a file left behind is read again and trimmed next time
      fs::remove(dir_ + "/" + FileName(versions_.front().version), ignored);
    }
    versions_.erase(versions_.begin());
  }
  return versions_.back().version;
}

std::vector<ScoringVersion> ScoringHistory::Versions() const {
  std::lock_guard lock(mutex_);
  return std::vector<ScoringVersion>(versions_.rbegin(), versions_.rend());
}

std::optional<ScoringVersion> ScoringHistory::Live() const {
  std::lock_guard lock(mutex_);
  if (versions_.empty()) return std::nullopt;
  return versions_.back();
}

std::optional<ScoringVersion> ScoringHistory::Find(int version) const {
  std::lock_guard lock(mutex_);
  for (const ScoringVersion& kept : versions_) {
    if (kept.version == version) return kept;
  }
  return std::nullopt;
}

}  // namespace tailor::server
