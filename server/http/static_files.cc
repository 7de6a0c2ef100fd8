#include "server/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace tailor::server::http {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 8u << 20;

std::string ContentTypeOf(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// FNV-1a, 64 bits: enough to tell two versions of one file apart.
std::string EtagOf(const std::string& body) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : body) hash = (hash ^ c) * 1099511628211ull;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) etag += kHex[(hash >> shift) & 15];
  return etag + "\"";
}

bool Hidden(const fs::path& relative) {
  for (const fs::path& part : relative) {
    if (!part.empty() && part.string()[0] == '.') return true;
  }
  return false;
}

}  // namespace

Result<StaticFiles> LoadStaticFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error::NotFound(dir + ": no such folder");
  StaticFiles files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path relative = it->path().lexically_relative(dir);
    if (Hidden(relative)) continue;
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().string();
    if (it->file_size(ec) > kMaxFileBytes) {
      return Error::InvalidArgument(name + ": larger than 8 MiB, not served");
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return Error::InvalidArgument(name + ": cannot be read");
    StaticFile file{std::move(body), ContentTypeOf(it->path()), ""};
    file.etag = EtagOf(file.body);
    const std::string url = "/" + relative.generic_string();
    if (relative.filename() == "index.html") {
      const std::string folder = url.substr(0, url.size() - std::string("index.html").size());
      files[folder] = file;
      // "/shop" as well as "/shop/"; the root is "/" only.
      if (folder.size() > 1) files[folder.substr(0, folder.size() - 1)] = file;
    }
    files[url] = std::move(file);
  }
  if (ec) return Error::InvalidArgument(dir + ": " + ec.message());
  return files;
}

Response ServeStaticFile(const StaticFile& file, const Request& request) {
  Response response;
  response.headers.emplace_back("ETag", file.etag);
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.content_type = file.content_type;
  if (request.if_none_match == file.etag) {
    response.status = 304;
    return response;
  }
  response.body = file.body;
  return response;
}

}  // namespace tailor::server::http
