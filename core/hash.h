// The one string hash Tailor uses where a hash must be stable across runs and machines
// (variant splits, exploration seeds, simulator streams): 64-bit FNV-1a.
#pragma once

#include <cstdint>
#include <string_view>

namespace tailor {

// 64-bit FNV-1a of the bytes of text. Its high bits mix poorly for short keys that differ
// only at the end; put it through a finalizer (e.g. MurmurHash3's) before taking a fraction.
constexpr uint64_t Fnv1a64(std::string_view text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return hash;
}

}  // namespace tailor
