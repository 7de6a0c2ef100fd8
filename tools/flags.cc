#include "tools/flags.h"

#include <algorithm>

namespace tailor {

Result<ToolFlags> ParseToolFlags(int argc, char** argv, std::span<const std::string_view> known,
                                 CommandWord command) {
  ToolFlags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      flags.help = true;
    } else if (i == 1 && command == CommandWord::kAllowed && !arg.starts_with("-")) {
      flags.command = arg;
    } else {
      if (std::find(known.begin(), known.end(), arg) == known.end()) {
        return Error::InvalidArgument(std::string(arg) + ": unknown flag");
      }
      if (i + 1 >= argc) return Error::InvalidArgument(std::string(arg) + ": needs a value");
      flags.values[std::string(arg)] = argv[++i];
    }
  }
  return flags;
}

}  // namespace tailor
