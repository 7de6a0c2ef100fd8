// The static files tailor-server serves as they are: the demo shop at "/", the front-end
// client at "/tailor.js", the API description at "/openapi.json" (all in the repository's
// web/ folder). They are read once, when the router is made: a changed file is served after
// a restart.
#pragma once

#include <map>
#include <string>

#include "core/result.h"
#include "server/http/request.h"

namespace tailor::server::http {

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string etag;  // a strong validator: quoted hash of the body
};

// URL path ("/tailor.js", "/shop/app.js") -> file. "index.html" of a folder is served at the
// folder's path too ("/" for web/index.html).
using StaticFiles = std::map<std::string, StaticFile>;

// Reads every regular file under dir (recursively; names starting with '.' are skipped).
// Errors: not_found when dir is not a folder; invalid_argument naming a file over 8 MiB or
// one that cannot be read.
Result<StaticFiles> LoadStaticFiles(const std::string& dir);

// The answer for one file: 200 with its body, or 304 when If-None-Match names its ETag.
// Cache-Control no-cache: browsers revalidate, so a restarted server's files show at once.
Response ServeStaticFile(const StaticFile& file, const Request& request);

}  // namespace tailor::server::http
