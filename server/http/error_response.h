// The one place that maps an ErrorCode to an HTTP status, and the JSON error body
// {"error": {"code": "invalid_argument", "message": "limit: must be an integer"}}.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "server/http/request.h"

namespace tailor::server::http {

// The one mapping of error codes to HTTP: invalid_argument 400, not_found 404,
// unauthenticated 401, resource_exhausted 413, failed_precondition 409, unavailable 503,
// data_loss and internal 500.
int StatusForError(ErrorCode code);

// The code an error body names: ErrorCodeName's, except resource_exhausted, which HTTP
// calls payload_too_large (a request over a size limit).
std::string_view WireCodeForError(ErrorCode code);

// The error response for an Error: its status and JSON body.
Response ErrorResponse(const Error& error);

// An error response with a code outside ErrorCode (e.g. 405 "method_not_allowed").
Response ErrorResponse(int status, std::string_view code, std::string_view message);

// A JSON response with the given serialized body.
Response JsonResponse(std::string body, int status = 200);

}  // namespace tailor::server::http
