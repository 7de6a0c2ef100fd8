// Fuzzes the HTTP layer end to end without a socket: the input is what a client sends on one
// connection. It is read with Beast's parser configured as every session configures it
// (server/http/internal/http_message.h: body and header limits, the same read errors
// answered 400 or 413), each request converted (target split and decoded) and dispatched
// through the real router to the real handlers and Engine, and each answer serialized as the
// session writes it. Keep-alive requests that follow in the same input are served in turn.
//
// The Engine serves a small index built once at start-up from a handful of catalog records,
// with the repository's scoring config, model and synonyms, all in a temporary directory
// removed at exit. It has no state directory: POST /events is parsed in full and then
// refused (503), so no input changes what the next one sees and nothing grows on disk. The
// admin endpoints are off (no token), as they are by default.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "indexer/indexer.h"
#include "server/engine.h"
#include "server/http/asio.h"
#include "server/http/error_response.h"
#include "server/http/handlers.h"
#include "server/http/internal/http_message.h"
#include "server/http/server.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

namespace fs = std::filesystem;
namespace http = tailor::server::http;
namespace internal = tailor::server::http::internal;
namespace net = http::net;
namespace beast = http::beast;
namespace bhttp = http::bhttp;

constexpr const char* kCatalog[] = {
    R"({"id":"A1","title":"Acme Storm Parka","brand":"Acme","price":80,"list_price":120,"category":["Men","Jackets","Parkas"],"colors":["black"],"sizes":{"M":3,"L":0},"margin":0.4,"popularity":12,"rating":4.5,"extra":"kept"})",
    R"({"id":"A2","title":"Acme Light Parka","brand":"Acme","price":45,"category":["Men","Jackets","Parkas"],"colors":["blue"],"sizes":{"S":2},"description":"A light parka for rain"})",
    R"({"id":"A3","title":"Acme Trail Boots","brand":"Acme","price":20,"category":["Men","Shoes"],"colors":["brown"],"stock":5,"attributes":{"material":"leather"}})",
    R"({"id":"B1","title":"Borealis Arctic Parka","brand":"Borealis","price":300,"category":["Women","Jackets","Parkas"],"colors":["red"],"sizes":{"M":1}})",
    R"({"id":"B2","title":"Borealis Rain Parka","brand":"Borealis","price":150,"list_price":150,"category":["Women","Jackets","Parkas"],"colors":["yellow"],"sizes":{"L":4}})",
    R"({"id":"B3","title":"Borealis Wool Shirt","brand":"Borealis","price":60,"category":["Men","Shirts"],"colors":["green"],"stock":0})",
    R"({"id":"C1","title":"Cirrus City Parka","brand":"Cirrus","price":90,"category":["Women","Jackets","Parkas"],"colors":["black","white"],"sizes":{"S":1,"XL":2}})",
    R"({"id":"C2","title":"Cirrus Linen T-Shirt","brand":"Cirrus","price":35,"category":["Women","Shirts"],"colors":["white"],"stock":7,"currency":"EUR"})",
    R"({"id":"D1","title":"Dune Running Sneakers","brand":"Dune","price":70,"list_price":99.5,"category":["Men","Shoes","Sneakers"],"colors":["grey"],"sizes":{"42":3,"43":1}})",
    R"({"id":"D2","title":"Dune Hoodie","brand":"Dune","price":55,"category":["Women","Topwear"],"colors":["pink"],"sizes":{"M":0,"L":2},"margin":0.1})",
};

// A socket stand-in: the bytes once, then end of stream, as when a client sends its
// requests and shuts down its side.
class InputStream {
 public:
  explicit InputStream(std::string_view bytes) : bytes_(bytes) {}

  template <class Buffers>
  size_t read_some(const Buffers& buffers, beast::error_code& ec) {
    if (bytes_.empty()) {
      ec = net::error::eof;
      return 0;
    }
    ec = {};
    const size_t copied = net::buffer_copy(buffers, net::buffer(bytes_.data(), bytes_.size()));
    bytes_.remove_prefix(copied);
    return copied;
  }

  template <class Buffers>
  size_t read_some(const Buffers& buffers) {
    beast::error_code ec;
    const size_t copied = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return copied;
  }

 private:
  std::string_view bytes_;
};

// What lives for the whole fuzzing run.
struct Fixture {
  fs::path dir;
  std::unique_ptr<tailor::server::Engine> engine;
  std::unique_ptr<http::Router> router;
  http::HttpServerOptions server_options;
};

Fixture* fixture = nullptr;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "http_fuzzer: start-up failed: %s\n", what.c_str());
  std::exit(1);
}

fs::path MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "tailor-http-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Fail("cannot create a temporary directory");
  return pattern;
}

// The repository's scoring config with its models, and its synonyms, copied so that
// nothing the engine might write lands in the source tree.
void CopyConfig(const fs::path& to) {
  fs::copy(fs::path(TAILOR_SOURCE_DIR) / "config", to, fs::copy_options::recursive);
}

void BuildIndex(const fs::path& dir) {
  const fs::path catalog = dir / "catalog.jsonl";
  {
    std::ofstream out(catalog);
    for (const char* line : kCatalog) out << line << "\n";
  }
  tailor::indexer::BuildOptions options;
  options.catalog_path = catalog.string();
  options.index_dir = (dir / "index").string();
  options.threads = 1;
  tailor::Result<tailor::indexer::BuildStats> built = tailor::indexer::Build(options);
  if (!built.ok()) Fail(built.error().message);
}

void RemoveTempDir() {
  if (fixture == nullptr) return;
  std::error_code ignored;
  fs::remove_all(fixture->dir, ignored);
}

void SetUp() {
  fixture = new Fixture();
  fixture->dir = MakeTempDir();
  std::atexit(RemoveTempDir);
  CopyConfig(fixture->dir / "config");
  BuildIndex(fixture->dir);
  tailor::server::EngineOptions options;
  options.index_dir = (fixture->dir / "index").string();
  options.scoring_config = (fixture->dir / "config" / "scoring.json").string();
  options.synonyms_path = (fixture->dir / "config" / "synonyms.json").string();
  tailor::Result<std::unique_ptr<tailor::server::Engine>> engine =
      tailor::server::Engine::Open(options);
  if (!engine.ok()) Fail(engine.error().message);
  fixture->engine = std::move(*engine);
  http::RouterOptions router_options;
  router_options.static_files["/tailor.js"] =
      http::StaticFile{"export const x = 1;\n", "text/javascript", "\"fuzz-etag\""};
  fixture->router =
      std::make_unique<http::Router>(http::MakeRouter(*fixture->engine, router_options));
}

// Serializes an answer as the session writes it to the socket.
void Send(const http::Response& response, unsigned version, bool keep_alive) {
  std::ostringstream wire;
  wire << *internal::ToBeastResponse(response, version, keep_alive, "fuzz-request");
  tailor::fuzz::Check(!wire.str().empty(), "an answer serializes");
}

// One connection: the session's loop of read header, read body, answer, while keep-alive.
void ServeConnection(std::string_view bytes) {
  constexpr int kMaxRequestsPerInput = 8;
  InputStream stream(bytes);
  beast::flat_buffer buffer;
  for (int i = 0; i < kMaxRequestsPerInput; ++i) {
    internal::RequestParser parser;
    internal::ConfigureRequestParser(parser, fixture->server_options);
    beast::error_code ec;
    bhttp::read_header(stream, buffer, parser, ec);
    if (!ec) bhttp::read(stream, buffer, parser, ec);
    if (std::optional<internal::ReadFailure> failure =
            internal::AnswerableReadError(ec, fixture->server_options.max_body_bytes)) {
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      return Send(http::ErrorResponse(failure->error), version, /*keep_alive=*/false);
    }
    if (ec) return;  // end of stream: the client is done
    internal::BeastRequest beast_request = parser.release();
    const bool keep_alive = beast_request.keep_alive();
    const unsigned version = beast_request.version();
    tailor::Result<http::Request> request = internal::ToRequest(std::move(beast_request));
    http::Response response;
    if (request.ok()) {
      request->request_id = "fuzz-request";
      response = fixture->router->Dispatch(*request);
    } else {
      response = http::ErrorResponse(request.error());
    }
    // 500 is the router's last resort for a handler that threw or a bug; 503 is expected
    // (POST /events without a state directory).
    tailor::fuzz::Check(response.status != 500, "no client input gets a 500");
    Send(response, version, keep_alive);
    if (!keep_alive) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  SetUp();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ServeConnection(tailor::fuzz::AsText(data, size));
  return 0;
}
