// The "validation" object of a model file (ranking/scoring/model.h, ValidationFigures): reading it
// from JSON, checking it and writing it back. Used by ranking/scoring/model.cc only.
#pragma once

#include <rapidjson/document.h>

#include <string>

#include "core/result.h"
#include "ranking/scoring/model.h"

namespace tailor::ranking::internal {

// Reads the object's members and their types. Errors: invalid_argument naming the member by
// its path, "validation.seeds[0].seed: must be an unsigned integer", "validation.sources[1]
// .colour: unknown key", "validation.queries: required".
Result<ValidationFigures> ReadValidation(const rapidjson::Value& value);

// Checks the values: NDCG figures in [0, 1], counts and epochs in range, at least one seed and
// one source, the kept seed among those tried. Errors: invalid_argument with the path,
// "validation.seeds[1].ndcg10: must be in [0, 1]".
Status CheckValidation(const ValidationFigures& validation);

// The object as compact JSON; ReadValidation reads it back to an equal value (numbers are
// written so they read back exactly with kParseFullPrecisionFlag).
std::string ValidationJson(const ValidationFigures& validation);

}  // namespace tailor::ranking::internal
