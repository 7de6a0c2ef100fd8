// What the fuzz targets of tests/fuzz share: a check of an invariant of our own code (a
// round trip that must read back, a parse that must be stable) that stops the fuzzer.
//
// A failed check aborts, so libFuzzer records the input as a crash artifact just as it does
// for a sanitizer report; the message says which invariant broke.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace tailor::fuzz {

inline void Check(bool holds, std::string_view what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant failed: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace tailor::fuzz
