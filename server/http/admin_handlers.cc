#include "server/http/admin_handlers.h"

#include <sodium.h>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "searcher/synonyms.h"
#include "server/http/error_response.h"
#include "server/http/internal/search_json.h"

namespace tailor::server::http {
namespace {

// Whether the given token is the configured one, in time that tells an attacker neither how
// much of a guess was right nor how long the real token is: both are hashed to a fixed-size
// BLAKE2b digest (time depending only on each one's own length), and the digests are
// compared by crypto_verify_32, which always reads all 32 bytes.
bool SameToken(std::string_view given, std::string_view expected) {
  static const bool kSodiumReady = sodium_init() >= 0;
  if (!kSodiumReady) return false;  // fail closed
  unsigned char given_digest[crypto_verify_32_BYTES];
  unsigned char expected_digest[crypto_verify_32_BYTES];
  crypto_generichash(given_digest, sizeof(given_digest),
                     reinterpret_cast<const unsigned char*>(given.data()), given.size(), nullptr,
                     0);
  crypto_generichash(expected_digest, sizeof(expected_digest),
                     reinterpret_cast<const unsigned char*>(expected.data()), expected.size(),
                     nullptr, 0);
  return crypto_verify_32(given_digest, expected_digest) == 0;
}

}  // namespace

Response HandleHealth(const Request& /*request*/, Engine& engine) {
  return JsonResponse(internal::HealthToJson(engine.Health()));
}

std::optional<Response> RefuseUnlessAdmin(const Request& request, const std::string& admin_token) {
  Status allowed = CheckAdmin(request, admin_token);
  if (allowed.ok()) return std::nullopt;
  Response response = ErrorResponse(allowed.error());
  if (allowed.error().code == ErrorCode::kUnauthenticated) {
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
  }
  return response;
}

Response HandleMetrics(const Request& /*request*/, Engine& engine) {
  Response response;
  response.body = engine.MetricsText();
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return response;
}

Status CheckAdmin(const Request& request, const std::string& admin_token) {
  if (admin_token.empty()) {
    return Error::NotFound("admin endpoints are disabled: no admin token is configured");
  }
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view given = request.authorization;
  if (given.substr(0, kBearer.size()) != kBearer) {
    return Error::Unauthenticated("Authorization: a bearer token is required");
  }
  if (!SameToken(given.substr(kBearer.size()), admin_token)) {
    return Error::Unauthenticated("Authorization: wrong token");
  }
  return Status::Ok();
}

Response HandleAdminStats(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  return JsonResponse(internal::StatsToJson(engine.Health(), engine.CacheStats()));
}

Response HandleAdminReload(const Request& request, Engine& engine, const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  Status status = engine.Reload();
  if (!status.ok()) return ErrorResponse(status.error());
  return JsonResponse("{\"reloaded\":true}");
}

Response HandleAdminSynonymsGet(const Request& request, Engine& engine,
                                const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  std::shared_ptr<const searcher::Synonyms> synonyms = engine.synonyms();
  return JsonResponse(searcher::SynonymsToJson(synonyms ? *synonyms : searcher::Synonyms{}));
}

Response HandleAdminSynonymsPut(const Request& request, Engine& engine,
                                const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  if (Status replaced = engine.ReplaceSynonyms(request.body); !replaced.ok()) {
    return ErrorResponse(replaced.error());
  }
  std::shared_ptr<const searcher::Synonyms> synonyms = engine.synonyms();
  const size_t entries = synonyms ? synonyms->entries.size() : 0;
  return JsonResponse("{\"synonyms\":" + std::to_string(entries) + "}");
}

Response HandleAdminAnalytics(const Request& request, Engine& engine,
                              const std::string& admin_token) {
  if (std::optional<Response> refused = RefuseUnlessAdmin(request, admin_token)) return *refused;
  const std::vector<std::pair<std::string, std::string>> params(request.query_params.begin(),
                                                                request.query_params.end());
  Result<ranking::AnalyticsQuery> query = ranking::ParseAnalyticsQuery(params, Engine::NowMs());
  if (!query.ok()) return ErrorResponse(query.error());
  Result<ranking::AnalyticsReport> report = engine.Analytics(*query);
  if (!report.ok()) return ErrorResponse(report.error());
  return JsonResponse(ranking::AnalyticsReportToJson(*report));
}

}  // namespace tailor::server::http
