#include "server/http/error_response.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace tailor::server::http {

int StatusForError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kResourceExhausted:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kDataLoss:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view WireCodeForError(ErrorCode code) {
  // Over a limit, for a request, is HTTP's payload_too_large (413).
  if (code == ErrorCode::kResourceExhausted) return "payload_too_large";
  return ErrorCodeName(code);
}

Response ErrorResponse(const Error& error) {
  return ErrorResponse(StatusForError(error.code), WireCodeForError(error.code), error.message);
}

Response ErrorResponse(int status, std::string_view code, std::string_view message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  writer.String(code.data(), static_cast<rapidjson::SizeType>(code.size()));
  writer.Key("message");
  writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  writer.EndObject();
  writer.EndObject();
  return JsonResponse(std::string(buffer.GetString(), buffer.GetSize()), status);
}

Response JsonResponse(std::string body, int status) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace tailor::server::http
