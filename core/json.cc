#include "core/json.h"

#include <rapidjson/error/en.h>

#include <string>

namespace tailor {

Error JsonParseError(std::string_view origin, rapidjson::ParseErrorCode code, size_t offset) {
  std::string message = origin.empty() ? "" : std::string(origin) + ": ";
  message += "invalid JSON at offset " + std::to_string(offset) + ": " +
             rapidjson::GetParseError_En(code);
  return Error::InvalidArgument(std::move(message));
}

}  // namespace tailor
