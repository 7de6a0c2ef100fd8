#include "core/index_stub.h"

#include <filesystem>

#include "core/files.h"
#include "core/index_schema.h"
#include "core/text.h"

namespace tailor {
namespace {

namespace fs = std::filesystem;

std::string StubPath(const std::string& dir) {
  return (fs::path(dir) / schema::kStubFileName).string();
}

// "glass  gen-3\r" -> {"glass", "gen-3"}; the path keeps inner spaces.
IndexStub::Entry ParseEntry(const std::string& line) {
  IndexStub::Entry entry;
  const size_t begin = line.find_first_not_of(" \t");
  const size_t space = line.find_first_of(" \t", begin);
  entry.backend = line.substr(begin, space == std::string::npos ? std::string::npos : space - begin);
  if (space == std::string::npos) return entry;
  const size_t start = line.find_first_not_of(" \t", space);
  if (start == std::string::npos) return entry;
  entry.path = line.substr(start);
  while (!entry.path.empty() && (entry.path.back() == '\r' || entry.path.back() == ' ' ||
                                 entry.path.back() == '\t')) {
    entry.path.pop_back();
  }
  return entry;
}

}  // namespace

std::optional<std::string> IndexStub::SingleDatabase(const std::string& dir) const {
  if (entries.size() != 1 || entries[0].path.empty()) return std::nullopt;
  if (entries[0].backend != "glass" && entries[0].backend != "auto") return std::nullopt;
  const fs::path path(entries[0].path);
  return (path.is_absolute() ? path : fs::path(dir) / path).string();
}

Result<std::optional<IndexStub>> ReadIndexStub(const std::string& dir) {
  Result<std::string> content = ReadFile(StubPath(dir));
  if (!content.ok()) {
    if (content.error().code == ErrorCode::kNotFound) return std::optional<IndexStub>();
    return Error::Unavailable(StubPath(dir) + ": cannot read the index stub file");
  }
  IndexStub stub;
  stub.content = std::move(*content);
  for (const std::string& line : Split(stub.content, '\n')) {
    const std::string trimmed = NormalizeKeyword(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    stub.entries.push_back(ParseEntry(line));
  }
  return std::optional<IndexStub>(std::move(stub));
}

std::optional<IndexStub::Entry::TcpAddress> IndexStub::Entry::Tcp() const {
  if (backend != "remote" || path.empty() || path[0] == ':') return std::nullopt;
  const size_t colon = path.rfind(':');
  if (colon == std::string::npos || colon + 1 == path.size() || colon + 6 < path.size()) {
    return std::nullopt;
  }
  unsigned port = 0;
  for (size_t i = colon + 1; i < path.size(); ++i) {
    if (path[i] < '0' || path[i] > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned>(path[i] - '0');
  }
  std::string host = path.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || port == 0 || port > 65535) return std::nullopt;
  return TcpAddress{std::move(host), port};
}

Status WriteIndexStub(const std::string& dir, const std::string& generation) {
  return WriteIndexStub(dir, std::vector<std::string>{generation});
}

Status WriteIndexStub(const std::string& dir, const std::vector<std::string>& databases) {
  std::string content;
  for (const std::string& database : databases) content += "glass " + database + "\n";
  Status written = WriteFileAtomically(StubPath(dir), content);
  if (!written.ok()) return written.error().WithPrefix(StubPath(dir) + ": cannot replace the index stub file");
  return Status::Ok();
}

}  // namespace tailor
