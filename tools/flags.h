// Command-line flags of the evaluation tools (tailor-simulate, tailor-rees46): "--name value"
// pairs from a fixed list, an optional leading command word and --help.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tailor {

struct ToolFlags {
  std::string command;                        // the first argument when it is not a flag
  std::map<std::string, std::string> values;  // "--name" -> value, the last one given
  bool help = false;                          // --help or -h was given
};

// Whether the first argument may be a command word instead of a flag.
enum class CommandWord { kAllowed, kNone };

// Reads argv[1..]. Errors: invalid_argument "--x: unknown flag" for a flag not in `known`
// (or an unexpected word), "--x: needs a value" for a flag at the end.
Result<ToolFlags> ParseToolFlags(int argc, char** argv, std::span<const std::string_view> known,
                                 CommandWord command);

}  // namespace tailor
